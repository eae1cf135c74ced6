import type { DeserializeHandler, DeserializeHandlerArguments, DeserializeMiddleware, HandlerExecutionContext } from '@smithy/types';
import { type ClientRetrySettings, retryStrategyFor } from '../../resolvers/lib/retry.js';

/**
 * How an injected failure behaves. "Once" failures hit only the first attempt of the call, so the
 * SDK's own retry (if any) runs for real; "exhausted" ones hit every attempt, so the call fails after
 * its last attempt. A lost answer lets the request reach the service (it is applied) and then reports
 * the timeout the SDK's HTTP handler raises, which is the case a client cannot tell from a failure.
 * Throttling and a refused connection prove that nothing was applied.
 */
export const FAULT_KINDS = [
  'rejected',
  'throttled-once',
  'refused-once',
  'server-error-exhausted',
  'timeout-once',
  'timeout-exhausted',
  'lost-answer-once',
  'lost-answer-exhausted',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Failures after which nothing can have been applied, so that even a settled write is retried. */
const PROVABLY_NOT_APPLIED: readonly FaultKind[] = ['rejected', 'throttled-once', 'refused-once'];

/**
 * Attempts made of the failed call under each kind, for a client allowing `maxAttempts` (2 or more).
 * A settled command (a write whose failure may have applied it) is not retried after a timeout, a
 * 5xx or a lost answer.
 */
export function expectedAttempts(kind: FaultKind, maxAttempts: number, settled: boolean): number {
  if (kind === 'rejected') return 1;
  if (kind.endsWith('-once')) return settled && !PROVABLY_NOT_APPLIED.includes(kind) ? 1 : 2;
  return settled ? 1 : maxAttempts;
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
const throttling = () =>
  Object.assign(new Error('Injected: rate exceeded'), {
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
/** What Node gives a connection the server refused: no request was sent. */
const refused = () =>
  Object.assign(new Error('Injected: connect ECONNREFUSED'), { name: 'Error', code: 'ECONNREFUSED', syscall: 'connect' });
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

/** What a crashed execution environment does with every call after the crash: nothing reaches AWS. */
export class Crashed extends Error {
  override readonly name = 'Crashed';
}

/**
 * Counts the AWS calls made through the given clients (one per command sent, in order, across the
 * clients) and fails the chosen one. Installed on the handlers' own module-level clients.
 */
export class FaultInjector {
  calls: string[] = [];
  /** The calls that started while no other call was in flight: the ones whose times add up. */
  sequentialCalls: string[] = [];
  attempts: number[] = [];
  private inFlight = 0;
  private target: { call: number; kind: FaultKind } | undefined;
  private interleaving: { call: number; second: () => Promise<unknown>; applied: boolean } | undefined;
  private crashAfterCall: number | undefined;
  private before: { call: number; action: () => Promise<unknown> } | undefined;

  constructor(private readonly clients: Record<string, { client: InjectableClient; settings: ClientRetrySettings }>) {
    // The deserialize step runs once per attempt (inside the retry middleware) and only for requests
    // that are sent: presigning a URL stops earlier, so it is neither counted nor failed.
    for (const [service, { client }] of Object.entries(clients)) {
      client.middlewareStack.add(this.injector(service), { step: 'deserialize', priority: 'high', name: 'faultInjector' });
    }
  }

  /** Starts counting afresh, failing call number `call` (1-based) as `kind`, or none. */
  reset(target?: { call: number; kind: FaultKind }): void {
    this.calls = [];
    this.sequentialCalls = [];
    this.attempts = [];
    this.target = target;
    this.interleaving = undefined;
    this.crashAfterCall = undefined;
    this.before = undefined;
    // Each case starts with the full retry quota a fresh execution environment has.
    for (const { client, settings } of Object.values(this.clients)) {
      const strategy = retryStrategyFor(settings);
      client.config.retryStrategy = () => Promise.resolve(strategy);
    }
  }

  /**
   * Lets call number `call` reach the service (unless `applied` is false: then it times out before
   * reaching it), then runs `second` (another request, through the same clients) to completion, then
   * fails the first call with the SDK's own timeout error, as when its answer is lost.
   */
  loseAnswerAround(call: number, second: () => Promise<unknown>, applied = true): void {
    this.reset();
    this.interleaving = { call, second, applied };
  }

  /** Runs `action` (through other clients) right before call number `call` is sent. */
  runBefore(call: number, action: () => Promise<unknown>): void {
    this.reset();
    this.before = { call, action };
  }

  /** Lets calls up to number `call` complete, and makes every later one fail without reaching AWS. */
  crashAfter(call: number): void {
    this.reset();
    this.crashAfterCall = call;
  }

  private injector(service: string) {
    return (next: DeserializeHandler<object, object>, context: HandlerExecutionContext) =>
      async (args: DeserializeHandlerArguments<object>) => {
        this.inFlight += 1;
        try {
          return await this.attempt(service, next, context, args);
        } finally {
          this.inFlight -= 1;
        }
      };
  }

  private async attempt(
    service: string,
    next: DeserializeHandler<object, object>,
    context: HandlerExecutionContext,
    args: DeserializeHandlerArguments<object>,
  ) {
    const numbered = context as Record<symbol, number>;
    if (numbered[CALL] === undefined) {
      const name = `${service} ${context.commandName?.replace(/Command$/, '')}`;
      this.calls.push(name);
      if (this.inFlight === 1) this.sequentialCalls.push(name);
      numbered[CALL] = this.calls.length;
    }
    const call = numbered[CALL];
    this.attempts[call] = (this.attempts[call] ?? 0) + 1;
    const attempt = this.attempts[call];
    if (this.before?.call === call) {
      const { action } = this.before;
      this.before = undefined;
      await action();
    }
    if (this.crashAfterCall !== undefined && call > this.crashAfterCall) throw new Crashed('the execution environment is gone');
    if (this.interleaving?.call === call && attempt === 1) {
      const { second, applied } = this.interleaving;
      this.interleaving = undefined;
      if (applied) await next(args);
      await second();
      throw timeout();
    }
    if (this.target?.call !== call) return next(args);
    switch (this.target.kind) {
      case 'rejected':
        throw rejection();
      case 'throttled-once':
        if (attempt === 1) throw throttling();
        return next(args);
      case 'refused-once':
        if (attempt === 1) throw refused();
        return next(args);
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
  }
}
