import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { CfnApiKey } from 'aws-cdk-lib/aws-appsync';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_KEY_RENEWAL_INTERVAL_HOURS, checkApiKeyLifetime } from '../../jobs/api-key-expiry.js';
import { functionTimeoutSeconds } from '../../resolvers/call-budget.js';
import { ownFunction } from './resolver-function.js';

export const API_KEY_RENEWAL_ENTRY = 'jobs/renew-api-key.ts';

export interface ApiKeyRenewalProps {
  readonly apiId: string;
  readonly apiKey: CfnApiKey;
  readonly lifetimeDays: number;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * Keeps the API key alive without a person: a schedule runs a small function that pushes the key's
 * expiry a full lifetime ahead and reports the days left. Its role may update that one key and
 * write its own logs and traces, nothing else.
 */
export class ApiKeyRenewal extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ApiKeyRenewalProps) {
    super(scope, id);
    ({ function: this.function, role: this.role } = ownFunction(this, {
      entry: API_KEY_RENEWAL_ENTRY,
      description: 'Renews the AppSync API key before it expires',
      roleDescription: 'Renews the API key',
      memorySize: 256,
      timeout: Duration.seconds(functionTimeoutSeconds([['appsync:UpdateApiKey']])),
      tracing: true,
      anyResourceReason: 'appsync:UpdateApiKey has no resource type in AWS\'s authorization reference, so it is granted on "*".',
      environment: {
        API_ID: props.apiId,
        API_KEY_ID: props.apiKey.attrApiKeyId,
        API_KEY_LIFETIME_DAYS: String(checkApiKeyLifetime(props.lifetimeDays)),
        POWERTOOLS_SERVICE_NAME: 'learning-paths-api-key-renewal',
      },
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    }));
    // AWS's authorization reference lists no resource type for appsync:UpdateApiKey: a policy naming
    // the key's ARN would never match and renewal would fail, so the action is granted on "*". The
    // job's code updates only the key in API_KEY_ID.
    this.role.addToPolicy(new PolicyStatement({ actions: ['appsync:UpdateApiKey'], resources: ['*'] }));

    this.rule = new Rule(this, 'Schedule', {
      description: 'Renews the API key',
      schedule: Schedule.rate(Duration.hours(API_KEY_RENEWAL_INTERVAL_HOURS)),
      targets: [new LambdaFunction(this.function, { retryAttempts: 2 })],
    });
  }
}
