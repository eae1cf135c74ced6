import { describe, expect, it } from 'vitest';
import { resolver } from '../../resolvers/lib/appsync.js';
import { ConflictError, NotFoundError, ValidationError } from '../../resolvers/lib/errors.js';

const event = { arguments: {}, identity: null, source: null, info: { fieldName: 'f', parentTypeName: 'Query', selectionSetList: [] } };

describe('resolver wrapper', () => {
  it('returns the result as data', async () => {
    await expect(resolver(async () => ({ ok: true }))(event)).resolves.toEqual({ data: { ok: true } });
  });

  it.each([
    [new ValidationError('name: too long'), 'ValidationError'],
    [new NotFoundError('x'), 'NotFound'],
    [new ConflictError('x', 1, 2), 'ConflictError'],
  ])('returns %s as an error with its errorType', async (error, type) => {
    await expect(resolver(() => Promise.reject(error))(event)).resolves.toEqual({ error: { type, message: error.message } });
  });

  it('hides the message, stack and names of an unexpected failure', async () => {
    const failure = new TypeError('Cannot read properties of undefined (reading "Item") at DynamoDbLearningPathStore.get');
    const response = await resolver(() => Promise.reject(failure))(event);
    expect(response).toEqual({ error: { type: 'InternalFailure', message: 'An internal error occurred.' } });
    expect(JSON.stringify(response)).not.toMatch(/DynamoDb|TypeError|at /);
  });
});
