import { join } from 'node:path';
import { type CfnElement, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { functionTimeoutSeconds } from '../../resolvers/call-budget.js';
import { handlerName, type MediaGrant, type ResolverDeclaration } from '../../resolvers/declarations.js';
import { functionBundling, HANDLER_FILE } from '../bundling.js';
import { COMPILE_CACHE_CONTEXT, compileCacheCommand, compileCacheEnvironment, LAMBDA_TASK_ROOT } from '../compile-cache.js';
import { functionEnvironment, REPOSITORY_ROOT } from '../definitions.js';

/**
 * Memory of every resolver function, in MB. The handlers wait on DynamoDB and S3 most of the time, so
 * more memory buys little warm time; it does buy CPU for the cold start (Lambda bills the init phase)
 * and for parsing 512 KiB media inputs. At 512 MB on arm64 a 30 ms invocation costs about
 * $0.40 per million requests (docs/performance.md).
 */
export const FUNCTION_MEMORY_MB = 512;

/** The Lambda runtime of every function; its Node.js major is NODE_MAJOR in infra/bundling.ts. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/** infra/bundling.ts in the shape NodejsFunction's `bundling` takes: every function of the app is bundled so. */
export function nodejsBundling(): BundlingOptions {
  return {
    ...functionBundling,
    format: functionBundling.format === 'cjs' ? OutputFormat.CJS : OutputFormat.ESM,
    mainFields: [...functionBundling.mainFields],
    externalModules: [...functionBundling.externalModules],
    esbuildArgs: { '--alias': [...functionBundling.esbuildArgs['--alias']] },
  };
}

/**
 * NodejsFunction's bundling and the environment it needs, for each resolver function: the options of
 * infra/bundling.ts and, when the app's context sets `compileCache` to true, a V8 compile cache made
 * after bundling and the variables that make Node.js read it (infra/compile-cache.ts, docs/performance.md).
 */
export function functionPackaging(scope: Construct): { bundling: BundlingOptions; environment: Record<string, string> } {
  const bundling = nodejsBundling();
  const wanted: unknown = scope.node.tryGetContext(COMPILE_CACHE_CONTEXT);
  if (wanted !== true && wanted !== 'true') return { bundling, environment: {} };
  return {
    bundling: {
      ...bundling,
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (_inputDir, outputDir) => [compileCacheCommand(outputDir, join(outputDir, HANDLER_FILE))],
      },
    },
    environment: compileCacheEnvironment(LAMBDA_TASK_ROOT),
  };
}

export interface OwnFunctionProps
  extends Pick<NodejsFunctionProps, 'description' | 'memorySize' | 'timeout' | 'environment' | 'reservedConcurrentExecutions'> {
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** Description of the function's role. */
  readonly roleDescription: string;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /** X-Ray tracing (its role then also gets the trace writes); off when omitted. */
  readonly tracing?: boolean;
  /** Why the role's other actions on Resource "*" (granted by the caller) cannot be scoped, if it has any. */
  readonly anyResourceReason?: string;
  /** resolvers' functionPackaging; nodejsBundling() when omitted. */
  readonly bundling?: BundlingOptions;
}

/**
 * A function of the app with the defaults all of them share, created in `scope` as `Logs`, `Role` and
 * `Function`: the runtime and bundling of infra/bundling.ts on arm64, its own log group with
 * retention, and its own role that may write that log group only. Callers add what the code calls.
 */
export function ownFunction(scope: Construct, props: OwnFunctionProps): { function: NodejsFunction; role: Role; logGroup: LogGroup } {
  const logGroup = new LogGroup(scope, 'Logs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy });
  const role = new Role(scope, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: props.roleDescription });
  role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
  const fn = new NodejsFunction(scope, 'Function', {
    entry: join(REPOSITORY_ROOT, props.entry),
    handler: 'handler',
    description: props.description,
    runtime: FUNCTION_RUNTIME,
    architecture: Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    ...(props.tracing && { tracing: Tracing.ACTIVE }),
    ...(props.reservedConcurrentExecutions !== undefined && { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
    role,
    logGroup,
    environment: props.environment,
    bundling: props.bundling ?? nodejsBundling(),
  });
  const anyResource = [
    ...(props.tracing
      ? ['X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions; AWS documents Resource "*" for them.']
      : []),
    ...(props.anyResourceReason === undefined ? [] : [props.anyResourceReason]),
  ];
  if (anyResource.length > 0) Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: anyResource.join(' ') });
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'Node.js 24 is pinned, not "latest", so that runtime and bundle target (NODE_MAJOR in infra/bundling.ts) move together, deliberately, when a newer Node.js runtime appears.',
  });
  return { function: fn, role, logGroup };
}

export interface ResolverFunctionProps {
  readonly declaration: ResolverDeclaration;
  readonly table: ITable;
  readonly bucket: IBucket;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * One resolver's Lambda function with the defaults every resolver shares: Node.js 24 on arm64, the
 * shared bundling (functionPackaging), X-Ray tracing, its own log group with retention, and its own role that allows
 * exactly the table and media actions its declaration lists, plus writing its logs and traces.
 */
export class ResolverFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ResolverFunctionProps) {
    super(scope, id);
    const { declaration, table, bucket } = props;

    const packaging = functionPackaging(this);
    const own = ownFunction(this, {
      entry: declaration.entry,
      description: `AppSync resolver ${handlerName(declaration)}`,
      roleDescription: `Runs the ${handlerName(declaration)} resolver`,
      memorySize: FUNCTION_MEMORY_MB,
      // Above the worst case of the handler's SDK calls, below AppSync's 30 s (resolvers/call-budget.ts).
      timeout: Duration.seconds(functionTimeoutSeconds(declaration.callSequences)),
      tracing: true,
      environment: {
        ...functionEnvironment({ tableName: table.tableName, bucketName: bucket.bucketName }),
        ...packaging.environment,
      },
      bundling: packaging.bundling,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    });
    this.function = own.function;
    this.role = own.role;
    this.logGroup = own.logGroup;
    if (declaration.tableActions.length > 0) {
      this.role.addToPolicy(new PolicyStatement({ actions: [...declaration.tableActions], resources: [table.tableArn] }));
    }
    for (const grant of declaration.indexGrants ?? []) {
      this.role.addToPolicy(
        new PolicyStatement({ actions: [...grant.actions], resources: [`${table.tableArn}/index/${grant.indexName}`] }),
      );
    }
    grantMedia(this.role, bucket, declaration.mediaGrants);
  }
}

/** Allows a role exactly the declared media actions: object actions on the prefix, listing limited to it. */
export function grantMedia(role: Role, bucket: IBucket, grants: readonly MediaGrant[]): void {
  for (const grant of grants) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/${grant.prefix}*]`,
      reason: `Media objects have generated keys under ${grant.prefix}; the wildcard limits the role to that key prefix of the one media bucket.`,
    });
    const objectActions = grant.actions.filter((action) => action !== 's3:ListBucket');
    if (objectActions.length > 0) {
      role.addToPolicy(new PolicyStatement({ actions: objectActions, resources: [bucket.arnForObjects(`${grant.prefix}*`)] }));
    }
    // Listing is a bucket action: the prefix becomes a condition on the keys it may list.
    if (grant.actions.includes('s3:ListBucket')) {
      role.addToPolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${grant.prefix}*`] } },
        }),
      );
    }
  }
}

/** The logical id of a resource as cdk-nag prints it in finding ids. */
export function logicalId(resource: CfnElement): string {
  const stack = Stack.of(resource);
  return stack.resolve(stack.getLogicalId(resource)) as string;
}
