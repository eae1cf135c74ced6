import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { mediaReconcilerDeclaration } from '../../jobs/declarations.js';
import { ORPHAN_METRIC, RECONCILER_INTERVAL_MINUTES } from '../../jobs/media-reconciler.js';
import { functionEnvironment } from '../definitions.js';
import { grantMedia, ownFunction } from './resolver-function.js';

/** A run lists the whole media/ prefix and reads one item per old object: minutes at most, and it stops early when short of time. */
export const RECONCILER_TIMEOUT = Duration.minutes(5);

export interface MediaReconcilerProps {
  readonly table: ITable;
  readonly bucket: IBucket;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * The scheduled media reconciler (jobs/media-reconciler.ts): its function, with its own role that may
 * do exactly what jobs/declarations.ts lists, the schedule, and an alarm that fires when a run removed
 * anything, since every orphan means a failure path ran (a crash, a cleanup that failed twice). Its
 * failures raise the function alarms every function of the stack has (alarms.ts).
 */
export class MediaReconciler extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  /** In alarm when a run removed an orphan. */
  readonly orphansAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MediaReconcilerProps) {
    super(scope, id);
    const { table, bucket } = props;
    const declaration = mediaReconcilerDeclaration;

    ({ function: this.function, role: this.role } = ownFunction(this, {
      entry: declaration.entry,
      description: 'Removes media objects that no learning path has referenced for over an hour',
      roleDescription: `Runs the ${declaration.name} job`,
      memorySize: 256,
      timeout: RECONCILER_TIMEOUT,
      // One run at a time: runs are idempotent, but two would only read and delete the same objects twice.
      reservedConcurrentExecutions: 1,
      environment: functionEnvironment({ tableName: table.tableName, bucketName: bucket.bucketName }),
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    }));
    this.role.addToPolicy(new PolicyStatement({ actions: [...declaration.tableActions], resources: [table.tableArn] }));
    grantMedia(this.role, bucket, declaration.mediaGrants);

    new Rule(this, 'Schedule', {
      description: 'Runs the media reconciler',
      schedule: Schedule.rate(Duration.minutes(RECONCILER_INTERVAL_MINUTES)),
      targets: [new LambdaFunction(this.function, { retryAttempts: 0 })],
    });

    const period = Duration.minutes(RECONCILER_INTERVAL_MINUTES);
    this.orphansAlarm = new Alarm(this, 'OrphansRemoved', {
      alarmDescription:
        'The media reconciler removed unreferenced objects: a request crashed or its cleanup failed (see its logs for the keys).',
      // Powertools Metrics adds the service name as a dimension.
      metric: new Metric({
        namespace: ORPHAN_METRIC.namespace,
        metricName: ORPHAN_METRIC.name,
        dimensionsMap: { service: 'media-reconciler' },
        statistic: 'Sum',
        period,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
