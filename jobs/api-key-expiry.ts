/**
 * The API key's lifetime rules, shared by the CDK stack (the expiry a deploy sets) and the renewal
 * job (the expiry it pushes forward). AppSync accepts an expiry 1 to 365 days from the create or
 * update and rounds it down to the hour; a CI clock running ahead must not push it past 365 days.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A day below AppSync's 365, for clock skew between the deploying machine and AppSync. */
export const API_KEY_MAX_LIFETIME_DAYS = 364;
/** Above AppSync's 1 day even after rounding down to the hour. */
export const API_KEY_MIN_LIFETIME_DAYS = 2;

/** How often the renewal job runs: many times within the shortest lifetime, so one failed run costs nothing. */
export const API_KEY_RENEWAL_INTERVAL_HOURS = 12;

/** The alarm fires when the key has fewer days than this left (or the job stopped reporting). */
export const API_KEY_ALARM_DAYS = 14;

/** What the renewal job publishes after every renewal: the days the key has left. */
export const API_KEY_METRIC = { namespace: 'LearningPaths', name: 'ApiKeyDaysLeft', dimension: 'ApiId' } as const;

/** Checks a configured lifetime, in whole days, against AppSync's bounds. */
export function checkApiKeyLifetime(days: number): number {
  if (!Number.isInteger(days) || days < API_KEY_MIN_LIFETIME_DAYS || days > API_KEY_MAX_LIFETIME_DAYS) {
    throw new Error(
      `API key lifetime must be a whole number of days from ${API_KEY_MIN_LIFETIME_DAYS} to ${API_KEY_MAX_LIFETIME_DAYS}, got ${days}`,
    );
  }
  return days;
}

/** The expiry, in seconds since the epoch as AppSync takes it, of a key set at `nowMs` to live `lifetimeDays`: rounded down to the hour. */
export function apiKeyExpiresAt(nowMs: number, lifetimeDays: number): number {
  const expiresMs = nowMs + checkApiKeyLifetime(lifetimeDays) * DAY_MS;
  return (Math.floor(expiresMs / HOUR_MS) * HOUR_MS) / 1000;
}

/** Days from `nowMs` to an expiry given in seconds since the epoch. */
export function daysLeft(nowMs: number, expiresAtSeconds: number): number {
  return (expiresAtSeconds * 1000 - nowMs) / DAY_MS;
}
