import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { AppSyncClient, UpdateApiKeyCommand } from '@aws-sdk/client-appsync';
import { APPSYNC_CLIENT_SETTINGS, clientSettings } from '../resolvers/lib/sdk-settings.js';
import { API_KEY_METRIC, apiKeyExpiresAt, checkApiKeyLifetime, daysLeft } from './api-key-expiry.js';

/**
 * Scheduled job: pushes the API key's expiry a full lifetime ahead, so that the key never runs out
 * (AppSync deletes expired keys, and the next stack update then fails), and publishes the days left
 * as a metric (embedded metric format, through the function's log) that an alarm watches.
 */

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') throw new Error(`Environment variable ${name} is required`);
  return value;
}

const apiId = required('API_ID');
const apiKeyId = required('API_KEY_ID');
const lifetimeDays = checkApiKeyLifetime(Number(required('API_KEY_LIFETIME_DAYS')));

const client = new AppSyncClient(clientSettings(APPSYNC_CLIENT_SETTINGS));
const metrics = new Metrics({ namespace: API_KEY_METRIC.namespace, defaultDimensions: { [API_KEY_METRIC.dimension]: apiId } });

export interface RenewalResult {
  /** The new expiry, in seconds since the epoch. */
  expires: number;
  daysLeft: number;
}

export async function handler(): Promise<RenewalResult> {
  const now = Date.now();
  const { apiKey } = await client.send(new UpdateApiKeyCommand({ apiId, id: apiKeyId, expires: apiKeyExpiresAt(now, lifetimeDays) }));
  if (apiKey?.expires === undefined) throw new Error('AppSync answered UpdateApiKey without the key');
  const left = daysLeft(now, apiKey.expires);
  metrics.addMetric(API_KEY_METRIC.name, MetricUnit.Count, left);
  metrics.publishStoredMetrics();
  return { expires: apiKey.expires, daysLeft: left };
}
