import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { API_KEY_MAX_LIFETIME_DAYS } from '../../jobs/api-key-expiry.js';

export type Stage = 'dev' | 'prod';

/** What a stage changes: how long things are kept and how much the API exposes. */
export interface StageSettings {
  readonly stage: Stage;
  /** Retention of function and API logs. */
  readonly logRetention: RetentionDays;
  /** What happens to the table, the bucket and the log groups when the stack is removed. */
  readonly removalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection. */
  readonly deletionProtection: boolean;
  /** Schema introspection; off in prod so the schema is not handed to anyone holding the key. */
  readonly introspection: boolean;
  /** Leave request and response bodies out of the API's logs. */
  readonly excludeVerboseContent: boolean;
  /**
   * Lifetime of the API key, in days, from each deploy and each renewal (jobs/api-key-expiry.ts: 2 to
   * 364, rounded down to the hour; AppSync allows 1 to 365).
   */
  readonly apiKeyLifetimeDays: number;
  /** Whether people may sign themselves up; when false only administrators create users. */
  readonly selfSignUp: boolean;
}

/** Browser origins allowed on the media bucket in dev when none are configured: the local frontend. */
export const DEV_CORS_ORIGINS: readonly string[] = ['http://localhost:5173', 'http://localhost:3000'];

/** Reads the stage name given with `-c stage=...`; dev when absent. */
export function parseStage(value: unknown): Stage {
  if (value === undefined || value === 'dev') return 'dev';
  if (value === 'prod') return 'prod';
  throw new Error(`Unknown stage "${String(value)}": use -c stage=dev or -c stage=prod`);
}

export function stageSettings(stage: Stage): StageSettings {
  return stage === 'prod'
    ? {
        stage,
        logRetention: RetentionDays.THREE_MONTHS,
        removalPolicy: RemovalPolicy.RETAIN,
        deletionProtection: true,
        introspection: false,
        excludeVerboseContent: true,
        apiKeyLifetimeDays: API_KEY_MAX_LIFETIME_DAYS,
        selfSignUp: false,
      }
    : {
        stage,
        logRetention: RetentionDays.ONE_WEEK,
        removalPolicy: RemovalPolicy.DESTROY,
        deletionProtection: false,
        introspection: true,
        excludeVerboseContent: false,
        apiKeyLifetimeDays: 30,
        selfSignUp: true,
      };
}

/**
 * Media CORS origins from `-c corsOrigins=https://a.example,https://b.example`. Dev falls back to
 * the local frontend; prod must name its origins, so that no deployment allows browsers by accident.
 */
export function parseCorsOrigins(value: unknown, stage: Stage): readonly string[] {
  const origins =
    typeof value === 'string'
      ? value
          .split(',')
          .map((origin) => origin.trim())
          .filter((origin) => origin !== '')
      : [];
  if (origins.length > 0) {
    for (const origin of origins) {
      if (!/^https?:\/\/[^/\s*]+$/.test(origin)) throw new Error(`corsOrigins: "${origin}" is not an origin like https://app.example.com`);
    }
    return origins;
  }
  if (stage === 'dev') return DEV_CORS_ORIGINS;
  throw new Error('corsOrigins: prod needs the browser origins allowed on the media bucket, e.g. -c corsOrigins=https://app.example.com');
}
