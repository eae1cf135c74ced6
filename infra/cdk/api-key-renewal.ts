import { join } from 'node:path';
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { CfnApiKey } from 'aws-cdk-lib/aws-appsync';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_KEY_RENEWAL_INTERVAL_HOURS, checkApiKeyLifetime } from '../../jobs/api-key-expiry.js';
import { functionTimeoutSeconds } from '../../resolvers/call-budget.js';
import { REPOSITORY_ROOT } from '../definitions.js';
import { FUNCTION_RUNTIME, nodejsBundling } from './resolver-function.js';

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
    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Renews the API key',
    });
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );
    this.role.addToPolicy(new PolicyStatement({ actions: ['appsync:UpdateApiKey'], resources: [props.apiKey.attrArn] }));

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPOSITORY_ROOT, API_KEY_RENEWAL_ENTRY),
      handler: 'handler',
      description: 'Renews the AppSync API key before it expires',
      // The resolvers' runtime and bundling (infra/bundling.ts), so that all functions move together.
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(functionTimeoutSeconds([['appsync:UpdateApiKey']])),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup,
      environment: {
        API_ID: props.apiId,
        API_KEY_ID: props.apiKey.attrApiKeyId,
        API_KEY_LIFETIME_DAYS: String(checkApiKeyLifetime(props.lifetimeDays)),
        POWERTOOLS_SERVICE_NAME: 'learning-paths-api-key-renewal',
      },
      bundling: nodejsBundling(),
    });

    this.rule = new Rule(this, 'Schedule', {
      description: 'Renews the API key',
      schedule: Schedule.rate(Duration.hours(API_KEY_RENEWAL_INTERVAL_HOURS)),
      targets: [new LambdaFunction(this.function, { retryAttempts: 2 })],
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions; AWS documents Resource "*" for them.',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        "The runtime is the resolvers' (FUNCTION_RUNTIME, NODE_MAJOR in infra/bundling.ts), so that runtime and bundle target change together, deliberately.",
    });
  }
}
