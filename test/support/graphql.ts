import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { inject } from 'vitest';
import { type Auth, authHeaders, DEFAULT_USER } from './auth.js';

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

/**
 * Sends one GraphQL request over HTTP to the local AppSync, as a frontend would: a typed document
 * (client/operations, generated) or a query string. Signed in as DEFAULT_USER unless `auth` says otherwise.
 */
// biome-ignore lint/suspicious/noExplicitAny: a query string's answer is untyped; tests read it by path
export async function graphql<TResult = Record<string, any>, TVariables extends Record<string, unknown> = Record<string, unknown>>(
  document: DocumentTypeDecoration<TResult, TVariables> | string,
  variables: TVariables = {} as TVariables,
  options: { auth?: Auth } = {},
): Promise<GraphQLResponse<TResult>> {
  const stack = inject('localStack');
  const body = JSON.stringify({ query: String(document), variables });
  const headers = await authHeaders(options.auth ?? { user: DEFAULT_USER }, stack.graphqlUrl, body);
  const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as Omit<GraphQLResponse<TResult>, 'status'>) : {};
  return { status: response.status, ...parsed };
}

/** The errorTypes of a response, in order. */
export const errorTypes = (response: GraphQLResponse<unknown>) => (response.errors ?? []).map((error) => error.errorType);

/**
 * The errorTypes our resolvers raised, without the simulator's extra "Cannot return null for
 * non-nullable field" error that accompanies an error on a non-null field.
 */
export const raisedErrorTypes = (response: GraphQLResponse<unknown>) =>
  (response.errors ?? []).flatMap((error) => (error.errorType ? [error.errorType] : []));
