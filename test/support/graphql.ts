import { inject } from 'vitest';

export interface GraphQLError {
  message: string;
  errorType?: string | null;
  path?: (string | number)[];
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GraphQLError[];
}

/** Sends one GraphQL request over HTTP to the local AppSync, as a frontend would. */
export async function graphql<T = Record<string, any>>(
  query: string,
  variables: Record<string, unknown> = {},
  options: { apiKey?: string | null } = {},
): Promise<GraphQLResponse<T>> {
  const stack = inject('localStack');
  const apiKey = options.apiKey === undefined ? stack.apiKey : options.apiKey;
  const response = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey !== null && { 'x-api-key': apiKey }) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as Omit<GraphQLResponse<T>, 'status'>) : {};
  return { status: response.status, ...body };
}

/** The errorTypes of a response, in order. */
export const errorTypes = (response: GraphQLResponse<unknown>) => (response.errors ?? []).map((error) => error.errorType);

/**
 * The errorTypes our resolvers raised, without the simulator's extra "Cannot return null for
 * non-nullable field" error that accompanies an error on a non-null field.
 */
export const raisedErrorTypes = (response: GraphQLResponse<unknown>) =>
  (response.errors ?? []).flatMap((error) => (error.errorType ? [error.errorType] : []));
