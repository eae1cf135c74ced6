import type { LearningPath } from '../../resolvers/generated/graphql.js';
import type { ResolverEvent, ResolverResponse } from '../../resolvers/lib/appsync.js';
import { userIdentity } from './auth.js';

export type Response = ResolverResponse<LearningPath>;

/** Calls a handler module as AppSync would, for the default test user. */
export const invoke = <A>(handler: (event: ResolverEvent<A>) => Promise<Response>, args: unknown): Promise<Response> =>
  handler({
    arguments: args as A,
    identity: userIdentity(),
    source: null,
    info: { fieldName: 'f', parentTypeName: 'Mutation', selectionSetList: [] },
  });

/** The data of a response that must have succeeded (a test's setup). */
export function data(response: Response): LearningPath {
  if ('error' in response) throw new Error(`setup failed: ${response.error.type} ${response.error.message}`);
  return response.data;
}

/** `ok`, or the errorType of the answer. */
export const outcome = (response: Response): string => ('error' in response ? response.error.type : 'ok');
