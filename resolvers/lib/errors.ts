/**
 * The API's error classes. Each carries the `errorType` that clients see; the mapping to AppSync
 * happens in exactly one place (`toErrorResponse` in ./appsync.ts).
 */

export type ErrorType = 'ValidationError' | 'NotFound' | 'ConflictError' | 'Unauthorized' | 'InternalFailure';

export abstract class ApiError extends Error {
  abstract readonly errorType: ErrorType;
}

/** Bad input: the message names the field and the rule broken. */
export class ValidationError extends ApiError {
  readonly errorType = 'ValidationError';
  override readonly name = 'ValidationError';
}

/** The learning path to change does not exist. */
export class NotFoundError extends ApiError {
  readonly errorType = 'NotFound';
  override readonly name = 'NotFoundError';
  constructor(id: string) {
    super(`No learning path has the id ${id}.`);
  }
}

/**
 * The caller may not do this: the path belongs to someone else, or the request carries no user.
 * Same errorType as AppSync's own refusal of a field the caller's auth mode may not reach.
 */
export class UnauthorizedError extends ApiError {
  readonly errorType = 'Unauthorized';
  override readonly name = 'UnauthorizedError';
}

/** The stored version differs from the caller's expectedVersion. */
export class ConflictError extends ApiError {
  readonly errorType = 'ConflictError';
  override readonly name = 'ConflictError';
  constructor(
    id: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`Learning path ${id} is at version ${actualVersion}, not the expected version ${expectedVersion}.`);
  }
}

/** A create reused a clientToken with different input: the token already stands for another request. */
export class ClientTokenConflictError extends ApiError {
  readonly errorType = 'ConflictError';
  override readonly name = 'ClientTokenConflictError';
  constructor() {
    super('clientToken: was already used with different input.');
  }
}

/**
 * A write failed in a way that may or may not have applied it (a timeout, a 5xx), and the settling
 * read could not tell. Reported as InternalFailure: the client should read the path before retrying.
 */
export class OutcomeUnknownError extends ApiError {
  readonly errorType = 'InternalFailure';
  override readonly name = 'OutcomeUnknownError';
  /** `read` is false when even the settling read failed, so nothing is known of what is stored. */
  constructor(
    id: string,
    override readonly cause: unknown,
    readonly read = true,
  ) {
    super(`The outcome of this change to learning path ${id} is unknown: read the path before retrying.`);
  }
}
