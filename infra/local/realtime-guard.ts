import type { IncomingHttpHeaders } from 'node:http';
import { formatError, type GraphQLFormattedError, getOperationAST } from 'graphql';
import { authenticate, type FrontPolicy, Refusal } from './api-front.js';
import { checkQuery } from './request-limits.js';

interface Connection {
  readonly socket: { close(code?: number): void };
}

interface StartMessage {
  id?: unknown;
  payload?: { data?: unknown; extensions?: { authorization?: unknown } };
}

/** The parts of the simulator's real-time server (2.16) that the guard wraps. */
export interface RealtimeServer {
  webSocketServer?: { options: { maxPayload?: number } };
  onMessage: (connection: Connection, raw: unknown) => unknown;
  onSubscriptionStart: (connection: Connection, message: StartMessage) => Promise<void>;
  sendError: (
    connection: Connection,
    id: string,
    payload: { errors: (GraphQLFormattedError | { errorType: string; message: string })[] },
  ) => void;
}

const error = (errorType: string, message: string) => ({ errors: [{ errorType, message }] });

/**
 * Makes the simulator's real-time server answer every malformed or unauthorised frame with the
 * protocol's `error` message instead of throwing uncaught (which ends the whole process): frames that
 * are not JSON objects, starts whose data is not a GraphQL request, whose authorization fails, whose
 * document does not parse, is not a subscription, or breaks the request limits. Frames beyond the
 * request size close the connection (1009).
 */
export function guardRealtime(realtime: RealtimeServer, policy: FrontPolicy): void {
  if (realtime.webSocketServer) realtime.webSocketServer.options.maxPayload = policy.limits.requestBytes;
  const onMessage = realtime.onMessage;
  const onSubscriptionStart = realtime.onSubscriptionStart;

  realtime.onMessage = (connection, raw) => {
    let message: unknown;
    try {
      message = JSON.parse(String(raw));
    } catch {
      message = undefined;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      realtime.sendError(connection, '', error('MalformedMessage', 'A message must be a JSON object with a "type".'));
      return undefined;
    }
    try {
      const result = onMessage(connection, raw);
      if (result instanceof Promise) result.catch(() => undefined);
      return result;
    } catch {
      realtime.sendError(connection, '', error('MalformedMessage', 'The message could not be handled.'));
      return undefined;
    }
  };

  realtime.onSubscriptionStart = async (connection, message) => {
    const id = typeof message.id === 'string' ? message.id : '';
    try {
      const refusal = startRefusal(message, policy);
      if (refusal) {
        realtime.sendError(connection, id, refusal);
        return;
      }
      await onSubscriptionStart(connection, message);
    } catch (failure) {
      realtime.sendError(
        connection,
        id,
        failure instanceof Refusal
          ? error(failure.errorType, failure.message)
          : error('InternalFailure', 'The subscription could not start.'),
      );
    }
  };
}

/** Why a `start` message cannot run, checked in the order AppSync does: request shape, authorization, document, limits. */
function startRefusal(
  message: StartMessage,
  policy: FrontPolicy,
): { errors: (GraphQLFormattedError | { errorType: string; message: string })[] } | undefined {
  let request: { query?: unknown; variables?: unknown; operationName?: unknown } | null = null;
  try {
    request = typeof message.payload?.data === 'string' ? JSON.parse(message.payload.data) : null;
  } catch {
    request = null;
  }
  if (typeof request !== 'object' || request === null || typeof request.query !== 'string') {
    return error('MalformedMessage', 'payload.data must be the JSON of a GraphQL request with a string "query".');
  }
  const headers = message.payload?.extensions?.authorization;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    return error('UnauthorizedException', 'payload.extensions.authorization must hold the headers that authorize the subscription.');
  }
  authenticate(headers as IncomingHttpHeaders, policy);
  const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
  const { document, syntaxError, errors } = checkQuery(request.query, operationName, policy);
  if (errors.length > 0) return { errors: errors.map((failure) => formatError(failure)) };
  if (syntaxError || !document) return error('GraphQLSyntaxError', 'The subscription document does not parse.');
  if (getOperationAST(document, operationName)?.operation !== 'subscription') {
    return error('UnsupportedOperation', 'Only subscriptions run on the realtime endpoint; send queries and mutations to /graphql.');
  }
  return undefined;
}
