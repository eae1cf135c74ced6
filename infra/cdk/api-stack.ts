import { ArnFormat, CfnOutput, Duration, Expiration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  CfnApiKey,
  type CfnGraphQLApi,
  Definition,
  FieldLogLevel,
  GraphqlApi,
  IntrospectionConfig,
  MappingTemplate,
} from 'aws-cdk-lib/aws-appsync';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, Operation, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { apiKeyExpiresAt } from '../../jobs/api-key-expiry.js';
import { resolverDeclarations } from '../../resolvers/declarations.js';
import { ADMINS_GROUP } from '../../resolvers/lib/identity.js';
import { UPLOAD_EXPIRY_DAYS, UPLOAD_PREFIX } from '../../resolvers/storage.js';
import { appSyncSchemaFile } from '../appsync-schema.js';
import { mediaCorsRule, REQUEST_LIMITS, REQUEST_TEMPLATE_PATH, RESPONSE_TEMPLATE_PATH, SCHEMA_PATH, TABLE_KEY } from '../definitions.js';
import { ApiAlarms } from './alarms.js';
import { ApiKeyRenewal } from './api-key-renewal.js';
import type { DeploymentOptions } from './context.js';
import { MediaReconciler } from './media-reconciler.js';
import { logicalId, ResolverFunction } from './resolver-function.js';
import type { StageSettings } from './stage.js';
import { addTableIndexes } from './table-indexes.js';

/** The deepest selection a query may have (shared with the local stack). */
export const QUERY_DEPTH_LIMIT = REQUEST_LIMITS.queryDepth;
/** Resolvers one request may run; only root fields have resolvers, so a handful per request is the honest maximum. */
export const RESOLVER_COUNT_LIMIT = REQUEST_LIMITS.resolverCount;

export interface ApiStackProps extends StackProps {
  readonly settings: StageSettings;
  /** Browser origins allowed to GET and PUT media through presigned URLs. */
  readonly corsOrigins: readonly string[];
  /** Optional settings from CDK context (infra/cdk/context.ts). */
  readonly options?: DeploymentOptions;
}

/**
 * The learning-path API on AWS: AppSync from the project's schema, one function per declared
 * resolver behind the shared mapping templates, the record table, the media bucket, and the user
 * pool whose users sign in to it (Cognito user pools is the default auth mode; the API key reads and
 * subscribes; IAM is for the account's back-end jobs).
 */
export class ApiStack extends Stack {
  readonly api: GraphqlApi;
  readonly table: Table;
  readonly bucket: Bucket;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly functions: readonly ResolverFunction[];
  readonly mediaReconciler: MediaReconciler;
  readonly apiKeyRenewal: ApiKeyRenewal;
  readonly alarms: ApiAlarms;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const options = props.options ?? {};

    this.table = new Table(this, 'LearningPaths', {
      partitionKey: { name: TABLE_KEY.partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: settings.deletionProtection,
      removalPolicy: settings.removalPolicy,
    });
    addTableIndexes(this.table);

    this.bucket = new Bucket(this, 'Media', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      cors: [mediaCorsRule(props.corsOrigins)],
      lifecycleRules: [
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'ExpireUnattachedUploads', prefix: UPLOAD_PREFIX, expiration: Duration.days(UPLOAD_EXPIRY_DAYS) },
      ],
      removalPolicy: settings.removalPolicy,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Media objects are reached only through the API, which logs every call, and through presigned URLs it issued; ' +
        'server access logs would need a second bucket and add no audit trail the API logs lack.',
    });

    this.userPool = new UserPool(this, 'Users', {
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      selfSignUpEnabled: settings.selfSignUp,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      // Cognito's own sender has a small daily quota, meant for testing; production names an SES identity.
      ...(options.sesSender && {
        email: UserPoolEmail.withSES({
          fromEmail: options.sesSender.fromEmail,
          sesRegion: options.sesSender.region,
          ...(options.sesSender.verifiedDomain && { sesVerifiedDomain: options.sesSender.verifiedDomain }),
        }),
      }),
      deletionProtection: settings.deletionProtection,
      removalPolicy: settings.removalPolicy,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason: 'MFA is optional by design (TOTP, offered to every user); requiring it is a product decision the issue leaves to users.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection (advanced security) needs the Plus feature plan at extra cost per user; the pool uses Essentials, ' +
        'with a strong password policy and optional TOTP MFA.',
    });
    const { hostedSignIn } = options;
    this.userPoolClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // Without a hosted sign-in the app signs in by SRP only: no OAuth flows, no placeholder callback URL.
      ...(hostedSignIn
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true },
              scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
              callbackUrls: [...hostedSignIn.callbackUrls],
              logoutUrls: [...hostedSignIn.logoutUrls],
            },
          }
        : { disableOAuth: true }),
    });
    if (hostedSignIn) this.userPool.addDomain('HostedSignIn', { cognitoDomain: { domainPrefix: hostedSignIn.domainPrefix } });
    new CfnUserPoolGroup(this, 'AdminsGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: ADMINS_GROUP,
      description: 'May change and delete every learning path',
    });

    const apiLogRole = new Role(this, 'ApiLogRole', {
      assumedBy: new ServicePrincipal('appsync.amazonaws.com'),
      description: 'Lets AppSync write the API log group',
    });
    this.api = new GraphqlApi(this, 'Api', {
      name: `learning-paths-${settings.stage}`,
      definition: Definition.fromSchema(appSyncSchemaFile(SCHEMA_PATH)),
      authorizationConfig: {
        defaultAuthorization: {
          authorizationType: AuthorizationType.USER_POOL,
          userPoolConfig: { userPool: this.userPool, appIdClientRegex: `^${this.userPoolClient.userPoolClientId}$` },
        },
        additionalAuthorizationModes: [
          {
            authorizationType: AuthorizationType.API_KEY,
            apiKeyConfig: {
              description: 'Learning paths API key (reads and subscriptions)',
              expires: Expiration.atTimestamp(apiKeyExpiresAt(Date.now(), settings.apiKeyLifetimeDays) * 1000),
            },
          },
          { authorizationType: AuthorizationType.IAM },
        ],
      },
      xrayEnabled: true,
      queryDepthLimit: QUERY_DEPTH_LIMIT,
      resolverCountLimit: RESOLVER_COUNT_LIMIT,
      introspectionConfig: settings.introspection ? IntrospectionConfig.ENABLED : IntrospectionConfig.DISABLED,
    });
    const apiLogs = new LogGroup(this, 'ApiLogs', {
      logGroupName: `/aws/appsync/apis/${this.api.apiId}`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    apiLogRole.addToPolicy(
      new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [apiLogs.logGroupArn] }),
    );
    // As AWSAppSyncPushToCloudWatchLogs grants it, but for this API's log group only (its ARN without the `:*` of streams).
    apiLogRole.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogGroup'],
        resources: [
          this.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: apiLogs.logGroupName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    // Set on the L1 resource: the L2 logConfig adds a LogRetention custom resource (a Lambda function
    // with a wildcard policy) for the retention that the explicit log group above already sets.
    const cfnApi = this.api.node.defaultChild as CfnGraphQLApi;
    cfnApi.logConfig = {
      fieldLogLevel: FieldLogLevel.ERROR,
      excludeVerboseContent: settings.excludeVerboseContent,
      cloudWatchLogsRoleArn: apiLogRole.roleArn,
    };
    if (settings.excludeVerboseContent) {
      Validations.of(cfnApi).acknowledge({
        id: 'AwsSolutions-ASC3',
        reason:
          'Request logging is on; only request and response bodies are left out in prod, by design, so that user data stays out of the logs.',
      });
    }

    const requestTemplate = MappingTemplate.fromFile(REQUEST_TEMPLATE_PATH);
    const responseTemplate = MappingTemplate.fromFile(RESPONSE_TEMPLATE_PATH);
    this.functions = resolverDeclarations.map((declaration) => {
      const id = `${declaration.typeName}${declaration.fieldName[0]?.toUpperCase()}${declaration.fieldName.slice(1)}`;
      const resolverFunction = new ResolverFunction(this, id, {
        declaration,
        table: this.table,
        bucket: this.bucket,
        logRetention: settings.logRetention,
        logRemovalPolicy: settings.removalPolicy,
      });
      const dataSource = this.api.addLambdaDataSource(`${id}Source`, resolverFunction.function, {
        name: `${declaration.typeName}_${declaration.fieldName}`,
      });
      Validations.of(dataSource).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId(resolverFunction.function.node.defaultChild as CfnFunction)}.Arn>:*]`,
        reason:
          "The wildcard stands for versions and aliases of this one function only (CDK's grantInvoke); AppSync may invoke nothing else.",
      });
      dataSource.createResolver(`${id}Resolver`, {
        typeName: declaration.typeName,
        fieldName: declaration.fieldName,
        requestMappingTemplate: requestTemplate,
        responseMappingTemplate: responseTemplate,
      });
      return resolverFunction;
    });

    this.mediaReconciler = new MediaReconciler(this, 'MediaReconciler', {
      table: this.table,
      bucket: this.bucket,
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.removalPolicy,
    });

    const apiKey = this.api.node.children.find((child): child is CfnApiKey => child instanceof CfnApiKey);
    if (!apiKey) throw new Error('The API has no API key');
    this.apiKeyRenewal = new ApiKeyRenewal(this, 'ApiKeyRenewal', {
      apiId: this.api.apiId,
      apiKey,
      lifetimeDays: settings.apiKeyLifetimeDays,
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.removalPolicy,
    });
    this.alarms = new ApiAlarms(this, 'Alarms', {
      apiId: this.api.apiId,
      functions: [
        ...this.functions.map((resolverFunction) => resolverFunction.function),
        this.apiKeyRenewal.function,
        this.mediaReconciler.function,
      ],
      table: this.table,
      tableOperations: tableOperationsCalled(),
      topicArn: options.alarmTopicArn,
    });
    this.alarms.notifyFrom(this.mediaReconciler.orphansAlarm);
    new CfnOutput(this, 'GraphQLUrl', { value: this.api.graphqlUrl, description: 'GraphQL endpoint (POST)' });
    new CfnOutput(this, 'RealtimeUrl', {
      value: cfnApi.attrRealtimeUrl,
      description: 'Real-time (subscriptions) endpoint',
    });
    new CfnOutput(this, 'ApiKeyId', {
      value: apiKey.attrApiKeyId,
      description: 'The API key; AppSync uses its id as the value clients send in x-api-key',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: 'Cognito user pool users sign in to' });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.userPoolClient.userPoolClientId,
      description: 'App client (no secret) for web and mobile sign-in',
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
  }
}

/** The DynamoDB operations some resolver calls, on the table or an index, from the declarations. */
function tableOperationsCalled(): Operation[] {
  const called = new Set<string>(
    resolverDeclarations.flatMap((declaration) => [
      ...declaration.tableActions,
      ...(declaration.indexGrants ?? []).flatMap((grant) => grant.actions),
    ]),
  );
  return Object.values(Operation).filter((operation) => called.has(`dynamodb:${operation}`));
}
