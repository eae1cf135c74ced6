import { describe, expect, it } from 'vitest';
import { graphql } from '../support/graphql.js';

describe('local stack', () => {
  it('creates and reads a learning path over HTTP', async () => {
    const created = await graphql('mutation { createLearningPath(input: { name: "Smoke" }) { id name version } }');
    expect(created.errors).toBeUndefined();
    const id = created.data?.createLearningPath.id;
    const read = await graphql('query ($id: ID!) { learningPath(id: $id) { id name version } }', { id });
    expect(read.data?.learningPath).toEqual({ id, name: 'Smoke', version: 1 });
  });
});
