import { describe, expect, it } from 'vitest';
import { CreateLearningPathDocument, LearningPathDocument } from '../../client/generated/operations.js';
import { graphql } from '../support/graphql.js';

describe('local stack', () => {
  it('creates and reads a learning path over HTTP', async () => {
    const created = await graphql(CreateLearningPathDocument, { input: { name: 'Smoke' } });
    expect(created.errors).toBeUndefined();
    const id = created.data?.createLearningPath.id ?? '';
    const read = await graphql(LearningPathDocument, { id });
    expect(read.data?.learningPath).toMatchObject({ id, name: 'Smoke', version: 1, media: null });
  });
});
