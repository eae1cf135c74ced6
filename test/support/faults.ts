import { resolveRetryConfig } from '@smithy/core/retry';
import type { DeserializeHandler, DeserializeHandlerArguments, DeserializeMiddleware, HandlerExecutionContext } from '@smithy/types';

/**
 * How an injected failure behaves. "Once" failures hit only the first attempt of the call, so the
 * SDK's own retry runs for real; "exhausted" ones hit every attempt, so the call fails after its
 * last attempt. A lost answer lets the request reach the service (it is applied) and then reports
 * the timeout the SDK's HTTP handler raises, which is the case a client cannot tell from a failure.
 */
export const FAULT_KINDS = [
  'rejected',
  'server-error-exhausted',
  'timeout-once',
  'timeout-exhausted',
  'lost-answer-once',
  'lost-answer-exhausted',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Attempts the SDK makes of the failed call under each kind, for a client allowing `maxAttempts` (2 or more). */
export function expectedAttempts(kind: FaultKind, maxAttempts: number): number {
  const attempts: Record<FaultKind, number> = {
    rejected: 1,
    'server-error-exhausted': maxAttempts,
    'timeout-once': 2,
    'timeout-exhausted': maxAttempts,
    'lost-answer-once': 2,
    'lost-answer-exhausted': maxAttempts,
  };
  return attempts[kind];
}

const rejection = () =>
  Object.assign(new Error('Injected: request refused'), {
    name: 'ValidationException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
const serverError = () =>
  Object.assign(new Error('Injected: internal server error'), {
    name: 'InternalServerError',
    $fault: 'server',
    $metadata: { httpStatusCode: 500 },
  });
/** The shape @smithy/node-http-handler gives a request that exceeded its requestTimeout. */
const timeout = () =>
  Object.assign(new Error('Injected: the request exceeded its requestTimeout'), { name: 'TimeoutError', code: 'ETIMEDOUT' });

const CALL = Symbol('faultInjectorCall');

interface InjectableClient {
  middlewareStack: {
    add(middleware: DeserializeMiddleware<object, object>, options: { step: 'deserialize'; priority: 'high'; name: string }): void;
  };
  config: { retryStrategy: unknown };
}

/**
 * Counts the AWS calls made through the given clients (one per command sent, in order, across the
 * clients) and fails the chosen one. Installed on the handlers' own module-level clients.
 */
export class FaultInjector {
  calls: string[] = [];
  attempts: number[] = [];
  private target: { call: number; kind: FaultKind } | undefined;

  constructor(private readonly clients: Record<string, { client: InjectableClient; maxAttempts: number; retryMode: string }>) {
    // The deserialize step runs once per attempt (inside the retry middleware) and only for requests
    // that are sent: presigning a URL stops earlier, so it is neither counted nor failed.
    for (const [service, { client }] of Object.entries(clients)) {
      client.middlewareStack.add(this.injector(service), { step: 'deserialize', priority: 'high', name: 'faultInjector' });
    }
  }

  /** Starts counting afresh, failing call number `call` (1-based) as `kind`, or none. */
  reset(target?: { call: number; kind: FaultKind }): void {
    this.calls = [];
    this.attempts = [];
    this.target = target;
    // Each case starts with the full retry quota a fresh execution environment has.
    for (const { client, maxAttempts, retryMode } of Object.values(this.clients)) {
      client.config.retryStrategy = resolveRetryConfig({ maxAttempts, retryMode }).retryStrategy;
    }
  }

  private injector(service: string) {
    return (next: DeserializeHandler<object, object>, context: HandlerExecutionContext) =>
      async (args: DeserializeHandlerArguments<object>) => {
        const numbered = context as Record<symbol, number>;
        if (numbered[CALL] === undefined) {
          this.calls.push(`${service} ${context.commandName?.replace(/Command$/, '')}`);
          numbered[CALL] = this.calls.length;
        }
        const call = numbered[CALL];
        this.attempts[call] = (this.attempts[call] ?? 0) + 1;
        const attempt = this.attempts[call];
        if (this.target?.call !== call) return next(args);
        switch (this.target.kind) {
          case 'rejected':
            throw rejection();
          case 'server-error-exhausted':
            throw serverError();
          case 'timeout-once':
            if (attempt === 1) throw timeout();
            return next(args);
          case 'timeout-exhausted':
            throw timeout();
          case 'lost-answer-once':
            if (attempt > 1) return next(args);
            await next(args).catch(() => undefined);
            throw timeout();
          case 'lost-answer-exhausted':
            if (attempt === 1) await next(args).catch(() => undefined);
            throw timeout();
        }
      };
  }
}
