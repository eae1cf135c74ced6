import type { AppSyncResolverEvent } from 'aws-lambda';
import { ApiError, type ErrorType } from './errors.js';
import { type Actor, actorFromIdentity } from './identity.js';
import { logger } from './logger.js';

/** What every handler returns to the shared response template (resolvers/templates/invoke.response.vtl). */
export type ResolverResponse<T> = { data: T } | { error: { type: ErrorType; message: string } };

/** The part of AppSync's resolver event that the shared request template passes on. */
export type ResolverEvent<TArgs> = Pick<AppSyncResolverEvent<TArgs>, 'arguments' | 'identity' | 'source'> & {
  info: Pick<AppSyncResolverEvent<TArgs>['info'], 'fieldName' | 'parentTypeName' | 'selectionSetList'>;
};

/**
 * Wraps a resolver function into a Lambda handler: it gets the field's arguments and the caller as
 * an Actor. Typed errors are returned as data so that the response template can raise them with
 * their errorType (a thrown error would reach AppSync as `Lambda:Unhandled`); anything else is
 * logged and reported without internals.
 */
export function resolver<TArgs, TResult>(
  resolve: (args: TArgs, actor: Actor) => Promise<TResult>,
): (event: ResolverEvent<TArgs>) => Promise<ResolverResponse<TResult>> {
  return async (event) => {
    try {
      return { data: await resolve(event.arguments, actorFromIdentity(event.identity)) };
    } catch (error) {
      return toErrorResponse(error, event);
    }
  };
}

function toErrorResponse(error: unknown, event: ResolverEvent<unknown>): ResolverResponse<never> {
  if (error instanceof ApiError) {
    // A write whose outcome is unknown is an operational failure even though its answer is typed.
    if (error.errorType === 'InternalFailure') {
      logger.error('Outcome unknown', { field: `${event.info.parentTypeName}.${event.info.fieldName}`, error: error as Error });
    }
    return { error: { type: error.errorType, message: error.message } };
  }
  logger.error('Unexpected failure', { field: `${event.info.parentTypeName}.${event.info.fieldName}`, error: error as Error });
  return { error: { type: 'InternalFailure', message: 'An internal error occurred.' } };
}
