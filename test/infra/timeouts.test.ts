import { StandardRetryStrategy } from '@smithy/core/retry';
import type { StandardRetryToken } from '@smithy/types';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handlerName, resolverDeclarations } from '../../resolvers/declarations.js';
import { APPSYNC_CLIENT_SETTINGS, DYNAMODB_CLIENT_SETTINGS, S3_CLIENT_SETTINGS } from '../../resolvers/lib/sdk-settings.js';
import { apiTemplate } from './stacks.js';

/** AppSync gives a resolver 30 s at most. */
const APPSYNC_LIMIT_MS = 30_000;

/**
 * The longest waits of the SDK's own standard retry strategy before each retry of a throttled call,
 * measured by running it with the jitter at its top: an oracle independent of call-budget.ts.
 */
async function sdkBackoffsMs(maxAttempts: number): Promise<number[]> {
  vi.useFakeTimers();
  vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
  const strategy = new StandardRetryStrategy(maxAttempts);
  let token: StandardRetryToken = await strategy.acquireInitialRetryToken('budget');
  const waits: number[] = [];
  for (let retry = 1; retry < maxAttempts; retry++) {
    const started = Date.now();
    const next = strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' });
    await vi.runAllTimersAsync();
    token = await next;
    waits.push(Date.now() - started);
  }
  return waits;
}

const backoffs = new Map<number, number[]>();
beforeAll(async () => {
  for (const { maxAttempts } of [DYNAMODB_CLIENT_SETTINGS, S3_CLIENT_SETTINGS, APPSYNC_CLIENT_SETTINGS])
    backoffs.set(maxAttempts, await sdkBackoffsMs(maxAttempts));
  apiTemplate('dev');
  apiTemplate('prod');
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** One call at worst: each attempt waits out connection and request timeouts, each retry its longest backoff. */
function worstCallMs(call: string): number {
  const settings = call.startsWith('dynamodb:')
    ? DYNAMODB_CLIENT_SETTINGS
    : call.startsWith('appsync:')
      ? APPSYNC_CLIENT_SETTINGS
      : S3_CLIENT_SETTINGS;
  const { connectionTimeout, requestTimeout } = settings.requestHandler;
  const waits = backoffs.get(settings.maxAttempts) ?? [];
  return settings.maxAttempts * (connectionTimeout + requestTimeout) + waits.reduce((sum, wait) => sum + wait, 0);
}

const worstCaseMs = (sequences: readonly (readonly string[])[]) =>
  Math.max(...sequences.map((calls) => calls.reduce((sum, call) => sum + worstCallMs(call), 0)));

describe('function timeouts', () => {
  it('the SDK waits before retries, as measured here', () => {
    expect(backoffs.get(2)?.length).toBe(1);
    expect(backoffs.get(2)?.[0]).toBeGreaterThan(0);
  });

  it.each(['dev', 'prod'] as const)('in %s, each function outlasts its worst case and ends before AppSync gives up', (stage) => {
    const functions = Object.values(apiTemplate(stage).findResources('AWS::Lambda::Function'));
    for (const declaration of resolverDeclarations) {
      const fn = functions.find((candidate) => candidate.Properties.Description === `AppSync resolver ${handlerName(declaration)}`);
      const timeoutMs = (fn?.Properties.Timeout as number) * 1000;
      expect(declaration.callSequences.length, handlerName(declaration)).toBeGreaterThan(0);
      expect(timeoutMs, handlerName(declaration)).toBeGreaterThan(worstCaseMs(declaration.callSequences));
      expect(timeoutMs, handlerName(declaration)).toBeLessThan(APPSYNC_LIMIT_MS);
    }
    const renewal = functions.find((candidate) => candidate.Properties.Description === 'Renews the AppSync API key before it expires');
    expect((renewal?.Properties.Timeout as number) * 1000).toBeGreaterThan(worstCaseMs([['appsync:UpdateApiKey']]));
  });
});
