import { describe, expect, inject, it } from 'vitest';
import { auditBucket } from '../support/bucket-audit.js';

// Runs after every other test file (vitest.config.ts, sequence.groupOrder): it judges what the whole suite left behind.
describe('media bucket after the whole suite', () => {
  it('holds exactly the objects that stored learning paths reference', async () => {
    const { unreferenced, missing } = await auditBucket(inject('localStack'));

    expect({ unreferenced, missing }).toEqual({ unreferenced: [], missing: [] });
  });
});
