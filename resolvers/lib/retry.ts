import { isThrottlingError, StandardRetryStrategy } from '@smithy/core/retry';
import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  FinalizeRequestMiddleware,
  HandlerExecutionContext,
  RetryErrorInfo,
  RetryStrategyV2,
  StandardRetryToken,
} from '@smithy/types';
import type { ClientSettings } from './sdk-settings.js';

/**
 * Retry settings of one AWS client (sdk-settings.ts). `settledCommands` are the writes whose failed
 * attempt may have been applied and must not be repeated (conditional writes): they are retried only after a failure
 * that proves nothing was applied, and otherwise their outcome is settled by the caller with a read.
 * Every other command is retried as the SDK's standard mode does (throttling, 5xx, timeouts,
 * connection errors), with its exponential backoff and full jitter.
 */
export interface ClientRetrySettings extends ClientSettings {
  readonly requestHandler: { readonly connectionTimeout: number; readonly requestTimeout: number; readonly throwOnRequestTimeout: true };
  readonly settledCommands?: readonly string[];
}

const OUTCOME_UNKNOWN = Symbol('outcomeUnknown');
const CONNECT_PHASE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface SdkFailure {
  name?: string;
  code?: string;
  syscall?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
  [OUTCOME_UNKNOWN]?: boolean;
}

/**
 * True when a failed call certainly changed nothing: the service refused it (any 4xx, throttling
 * included), or the connection was never established, so no request left the client.
 */
export function provesNothingApplied(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const failure = error as SdkFailure;
  if (failure.name === 'ConditionalCheckFailedException' || isThrottlingError(failure as never)) return true;
  const status = failure.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 400 && status < 500 && status !== 408) return true;
  if (failure.code !== undefined && CONNECT_PHASE_CODES.has(failure.code)) return true;
  // @smithy/node-http-handler's connectionTimeout: the socket never connected.
  return failure.name === 'TimeoutError' && failure.code === undefined && /did not establish a connection/.test(failure.message ?? '');
}

/**
 * Standard retries, except for a settled command's failure that may have been applied: retrying it
 * could apply it twice or over another client's change (a conditional write's retry cannot see that
 * its own first attempt was applied), so it fails at once for the caller to settle.
 */
class SettlingRetryStrategy implements RetryStrategyV2 {
  private readonly standard: StandardRetryStrategy;

  constructor(settings: ClientRetrySettings) {
    this.standard = new StandardRetryStrategy(settings.maxAttempts);
  }

  acquireInitialRetryToken(scope: string): Promise<StandardRetryToken> {
    return this.standard.acquireInitialRetryToken(scope);
  }

  async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    if ((errorInfo.error as SdkFailure | undefined)?.[OUTCOME_UNKNOWN]) throw errorInfo.error;
    return this.standard.refreshRetryTokenForRetry(token, errorInfo);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.standard.recordSuccess(token);
  }
}

/** Marks each failed attempt of a settled command whose outcome is unknown; runs inside the retry loop. */
function outcomeMarker(settings: ClientRetrySettings): FinalizeRequestMiddleware<object, object> {
  const settled = new Set((settings.settledCommands ?? []).map((name) => `${name}Command`));
  return (next: FinalizeHandler<object, object>, context: HandlerExecutionContext) => async (args: FinalizeHandlerArguments<object>) => {
    try {
      return await next(args);
    } catch (error) {
      if (settled.has(context.commandName ?? '') && typeof error === 'object' && error !== null && !provesNothingApplied(error)) {
        (error as SdkFailure)[OUTCOME_UNKNOWN] = true;
      }
      throw error;
    }
  };
}

/** A fresh retry strategy for the settings (a new execution environment's full retry quota). */
export function retryStrategyFor(settings: ClientRetrySettings): RetryStrategyV2 {
  return new SettlingRetryStrategy(settings);
}

interface ConfigurableClient {
  middlewareStack: {
    add(middleware: FinalizeRequestMiddleware<object, object>, options: { step: 'finalizeRequest'; priority: 'low'; name: string }): void;
  };
}

/** The client options for the settings, and the marker every client built with them must carry. */
export function clientRetryOptions(settings: ClientRetrySettings) {
  return {
    maxAttempts: settings.maxAttempts,
    retryStrategy: retryStrategyFor(settings),
    requestHandler: { ...settings.requestHandler },
  };
}

/** Installs the marker on a client built with clientRetryOptions. */
export function markUnknownOutcomes<C extends ConfigurableClient>(client: C, settings: ClientRetrySettings): C {
  client.middlewareStack.add(outcomeMarker(settings), { step: 'finalizeRequest', priority: 'low', name: 'outcomeMarker' });
  return client;
}

/** True when the error is a settled command's failure whose outcome is unknown (so it was not retried). */
export function isOutcomeUnknown(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as SdkFailure)[OUTCOME_UNKNOWN] === true;
}
