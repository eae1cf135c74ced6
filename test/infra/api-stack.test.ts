import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_MAJOR } from '../../infra/bundling.js';
import { FUNCTION_MEMORY_MB } from '../../infra/cdk/resolver-function.js';
import { functionEnvironment, mediaCorsRule } from '../../infra/definitions.js';
import { UPLOAD_EXPIRY_DAYS, UPLOAD_PREFIX } from '../../resolvers/storage.js';
import { apiTemplate, TEST_CORS_ORIGINS } from './stacks.js';

// biome-ignore lint/suspicious/noExplicitAny: a synthesized template is untyped CloudFormation JSON
type Json = Record<string, any>;
// Synthesis takes seconds on a busy machine: do it under the hook timeout, not a test's.
beforeAll(() => {
  apiTemplate('dev');
  apiTemplate('prod');
});

const resourcesOf = (stage: 'dev' | 'prod', type: string): Json[] => Object.values(apiTemplate(stage).findResources(type));

describe('AppSync API', () => {
  it('serves the schema file with tracing and query limits', () => {
    const [api] = resourcesOf('prod', 'AWS::AppSync::GraphQLApi');
    expect(api?.Properties).toMatchObject({ XrayEnabled: true, QueryDepthLimit: 10 });
    expect(api?.Properties.QueryDepthLimit).toBeLessThanOrEqual(10);
    expect(api?.Properties.ResolverCountLimit).toBeGreaterThan(0);
    const [schema] = resourcesOf('prod', 'AWS::AppSync::GraphQLSchema');
    expect(schema?.Properties.Definition).toContain('type LearningPath @aws_cognito_user_pools @aws_api_key @aws_iam {');
  });

  it("signs users in through the stack's user pool and app client by default, with the API key and IAM as additional modes", () => {
    const template = apiTemplate('prod');
    const [api] = resourcesOf('prod', 'AWS::AppSync::GraphQLApi');
    const pool = Object.keys(template.findResources('AWS::Cognito::UserPool'))[0];
    const client = Object.keys(template.findResources('AWS::Cognito::UserPoolClient'))[0];
    expect(api?.Properties.AuthenticationType).toBe('AMAZON_COGNITO_USER_POOLS');
    expect(api?.Properties.UserPoolConfig).toMatchObject({
      UserPoolId: { Ref: pool },
      DefaultAction: 'ALLOW',
      AppIdClientRegex: { 'Fn::Join': ['', ['^', { Ref: client }, '$']] },
    });
    expect(api?.Properties.AdditionalAuthenticationProviders).toEqual([
      { AuthenticationType: 'API_KEY' },
      { AuthenticationType: 'AWS_IAM' },
    ]);
  });

  it.each([
    ['dev', 30],
    ['prod', 364],
  ] as const)('gives the %s API key an expiry on the hour, %i days ahead at most, never past AppSync limits', (stage, days) => {
    const [key] = resourcesOf(stage, 'AWS::AppSync::ApiKey');
    const expires = key?.Properties.Expires as number;
    expect(expires % 3600).toBe(0);
    const secondsLeft = expires - Date.now() / 1000;
    // Synthesized a moment ago: rounded down by less than an hour.
    expect(secondsLeft).toBeLessThanOrEqual(days * 86_400);
    expect(secondsLeft).toBeGreaterThan(days * 86_400 - 3600 - 600);
    expect(secondsLeft).toBeLessThan(365 * 86_400 - 86_400 / 2);
  });

  it('lets its logging role create the log group of this API only, as AWSAppSyncPushToCloudWatchLogs would', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const template = apiTemplate(stage);
      const [api] = Object.keys(template.findResources('AWS::AppSync::GraphQLApi'));
      const role = resourcesOf(stage, 'AWS::AppSync::GraphQLApi')[0]?.Properties.LogConfig.CloudWatchLogsRoleArn['Fn::GetAtt'][0];
      const logGroup = Object.entries(template.findResources('AWS::Logs::LogGroup')).find(([, group]) =>
        JSON.stringify(group.Properties.LogGroupName ?? '').includes('/aws/appsync/apis/'),
      );
      expect(logGroup?.[1].Properties.LogGroupName).toEqual({ 'Fn::Join': ['', ['/aws/appsync/apis/', { 'Fn::GetAtt': [api, 'ApiId'] }]] });
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((policy) => policy.Properties.Roles.some((ref: Json) => ref.Ref === role))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
      expect(statements).toContainEqual({
        Action: 'logs:CreateLogGroup',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':logs:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':log-group:',
              { Ref: logGroup?.[0] },
            ],
          ],
        },
      });
      expect(statements.flatMap((statement) => statement.Action).sort()).toEqual([
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ]);
    }
  });

  it('logs field errors through its own role, with request bodies only outside prod', () => {
    const [prod] = resourcesOf('prod', 'AWS::AppSync::GraphQLApi');
    const [dev] = resourcesOf('dev', 'AWS::AppSync::GraphQLApi');
    expect(prod?.Properties.LogConfig).toMatchObject({ FieldLogLevel: 'ERROR', ExcludeVerboseContent: true });
    expect(dev?.Properties.LogConfig).toMatchObject({ FieldLogLevel: 'ERROR', ExcludeVerboseContent: false });
    expect(prod?.Properties.LogConfig.CloudWatchLogsRoleArn).toBeDefined();
  });

  it('keeps its log group with a retention, longer in prod, and adds no retention custom resource', () => {
    const retention = (stage: 'dev' | 'prod') =>
      resourcesOf(stage, 'AWS::Logs::LogGroup').find((group) =>
        JSON.stringify(group.Properties.LogGroupName ?? '').includes('/aws/appsync/apis/'),
      )?.Properties.RetentionInDays;
    expect(retention('dev')).toBe(7);
    expect(retention('prod')).toBe(90);
    expect(resourcesOf('prod', 'Custom::LogRetention')).toEqual([]);
  });

  it('disables introspection in prod only', () => {
    expect(resourcesOf('prod', 'AWS::AppSync::GraphQLApi')[0]?.Properties.IntrospectionConfig).toBe('DISABLED');
    expect(resourcesOf('dev', 'AWS::AppSync::GraphQLApi')[0]?.Properties.IntrospectionConfig).toBe('ENABLED');
  });

  it('resolves every field through a Lambda data source with the shared templates', () => {
    const resolvers = resourcesOf('prod', 'AWS::AppSync::Resolver');
    expect(resolvers.length).toBeGreaterThan(0);
    for (const resolver of resolvers) {
      expect(resolver.Properties.RequestMappingTemplate).toContain('"operation": "Invoke"');
      expect(resolver.Properties.ResponseMappingTemplate).toContain(
        '$util.error($context.result.error.message, $context.result.error.type)',
      );
    }
    for (const source of resourcesOf('prod', 'AWS::AppSync::DataSource')) expect(source.Properties.Type).toBe('AWS_LAMBDA');
  });
});

describe('resolver functions', () => {
  it('run Node.js 24 on arm64 with 512 MB, tracing, their own log group and the shared environment', () => {
    const functions = resourcesOf('prod', 'AWS::Lambda::Function').filter((fn) =>
      fn.Properties.Description.startsWith('AppSync resolver '),
    );
    expect(functions).toHaveLength(9);
    const logGroups = new Set<string>();
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: `nodejs${NODE_MAJOR}.x`,
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        MemorySize: FUNCTION_MEMORY_MB,
      });
      logGroups.add(fn.Properties.LoggingConfig.LogGroup.Ref);
      const environment = fn.Properties.Environment.Variables as Record<string, unknown>;
      const { TABLE_NAME, BUCKET_NAME, ...fixed } = functionEnvironment({ tableName: 'table', bucketName: 'bucket' });
      expect(environment).toMatchObject(fixed);
      // Loading the source map at every cold start is not paid for by default (infra/bundling.ts).
      expect(environment.NODE_OPTIONS).toBeUndefined();
      // Stretched SDK timeouts are for the local stand-ins only (resolvers/lib/sdk-settings.ts).
      expect(environment.LOCAL_SDK_TIMEOUT_SCALE).toBeUndefined();
      expect(environment.TABLE_NAME).toEqual({ Ref: Object.keys(apiTemplate('prod').findResources('AWS::DynamoDB::Table'))[0] });
      expect(environment.BUCKET_NAME).toEqual({ Ref: Object.keys(apiTemplate('prod').findResources('AWS::S3::Bucket'))[0] });
    }
    expect(logGroups.size).toBe(functions.length);
  });

  it('keep their logs for a week in dev and three months in prod', () => {
    const functionLogRetention = (stage: 'dev' | 'prod') => {
      const template = apiTemplate(stage);
      const groups = template.findResources('AWS::Logs::LogGroup');
      return Object.values(template.findResources('AWS::Lambda::Function')).map(
        (fn) => groups[fn.Properties.LoggingConfig.LogGroup.Ref]?.Properties.RetentionInDays,
      );
    };
    expect(new Set(functionLogRetention('dev'))).toEqual(new Set([7]));
    expect(new Set(functionLogRetention('prod'))).toEqual(new Set([90]));
  });
});

describe('learning-path table', () => {
  it('is keyed by id, billed on demand, with point-in-time recovery', () => {
    apiTemplate('dev').hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TableName: Match.absent(),
    });
  });

  it("has an index of each owner's paths by creation time, projecting whole items", () => {
    apiTemplate('prod').hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'owner', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
      ]),
      // The catalogue indexes are checked in table-indexes.test.ts.
      GlobalSecondaryIndexes: Match.arrayWith([
        {
          IndexName: 'byOwner',
          KeySchema: [
            { AttributeName: 'owner', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ]),
    });
  });

  it('is protected from deletion and retained in prod', () => {
    apiTemplate('prod').hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    apiTemplate('dev').hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
      DeletionPolicy: 'Delete',
    });
  });
});

describe('media bucket', () => {
  it('blocks public access, encrypts with S3-managed keys and disables ACLs', () => {
    apiTemplate('prod').hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketName: Match.absent(),
    });
  });

  it('refuses requests without TLS', () => {
    apiTemplate('prod').hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('allows presigned GET and PUT from the configured origins only', () => {
    apiTemplate('prod').hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedOrigins: TEST_CORS_ORIGINS, AllowedMethods: ['GET', 'PUT', 'HEAD'] })],
      },
    });
  });

  it.each(['dev', 'prod'] as const)('in %s, lets browsers cache the preflight as long as the rule the local stack uses says', (stage) => {
    const [bucket] = resourcesOf(stage, 'AWS::S3::Bucket');
    const [rule] = bucket?.Properties.CorsConfiguration.CorsRules ?? [];
    expect(rule.MaxAge).toBe(mediaCorsRule(TEST_CORS_ORIGINS).maxAge);
    expect(rule.MaxAge).toBe(3000);
    expect(rule).toEqual({
      AllowedHeaders: ['*'],
      AllowedMethods: ['GET', 'PUT', 'HEAD'],
      AllowedOrigins: TEST_CORS_ORIGINS,
      ExposedHeaders: ['ETag'],
      MaxAge: 3000,
    });
  });

  it('aborts incomplete multipart uploads and expires unattached uploads', () => {
    apiTemplate('prod').hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
          Match.objectLike({ Prefix: UPLOAD_PREFIX, ExpirationInDays: UPLOAD_EXPIRY_DAYS, Status: 'Enabled' }),
        ]),
      },
    });
    expect(UPLOAD_EXPIRY_DAYS).toBe(1);
  });

  it('is retained in prod', () => {
    apiTemplate('prod').hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });
});

describe('user pool', () => {
  const pool = (stage: 'dev' | 'prod') => resourcesOf(stage, 'AWS::Cognito::UserPool')[0]?.Properties;

  it('signs in by verified email with a strong password policy and optional TOTP MFA', () => {
    expect(resourcesOf('prod', 'AWS::Cognito::UserPool')).toHaveLength(1);
    expect(pool('prod')).toMatchObject({
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
  });

  it('lets people sign themselves up in dev only, and is protected and retained in prod', () => {
    expect(pool('dev')?.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: false });
    expect(pool('prod')?.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(pool('prod')?.DeletionProtection).toBe('ACTIVE');
    apiTemplate('prod').hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  it('has one app client without a secret, for SRP sign-in, and an admins group', () => {
    const clients = resourcesOf('prod', 'AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    expect(clients[0]?.Properties).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(clients[0]?.Properties.GenerateSecret).not.toBe(true);
    expect(resourcesOf('prod', 'AWS::Cognito::UserPoolGroup').map((group) => group.Properties.GroupName)).toEqual(['admins']);
  });
});

describe('outputs', () => {
  it('name the GraphQL and real-time URLs, the API key id, the user pool and client ids, the table and the bucket', () => {
    const outputs = apiTemplate('prod').findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'ApiKeyId',
      'BucketName',
      'GraphQLUrl',
      'RealtimeUrl',
      'TableName',
      'UserPoolClientId',
      'UserPoolId',
    ]);
    expect(outputs.UserPoolId?.Value).toEqual({ Ref: Object.keys(apiTemplate('prod').findResources('AWS::Cognito::UserPool'))[0] });
    expect(outputs.UserPoolClientId?.Value).toEqual({
      Ref: Object.keys(apiTemplate('prod').findResources('AWS::Cognito::UserPoolClient'))[0],
    });
    const api = Object.keys(apiTemplate('prod').findResources('AWS::AppSync::GraphQLApi'))[0];
    expect(outputs.GraphQLUrl?.Value).toEqual({ 'Fn::GetAtt': [api, 'GraphQLUrl'] });
    expect(outputs.RealtimeUrl?.Value).toEqual({ 'Fn::GetAtt': [api, 'RealtimeUrl'] });
    expect(outputs.ApiKeyId?.Value['Fn::GetAtt'][1]).toBe('ApiKeyId');
  });
});
