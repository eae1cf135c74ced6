import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IAlarmAction, type IMetric, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable, Operation } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { API_KEY_ALARM_DAYS, API_KEY_METRIC, API_KEY_RENEWAL_INTERVAL_HOURS } from '../../jobs/api-key-expiry.js';

/** The window every request-driven alarm sums over. */
const PERIOD = Duration.minutes(5);

export interface ApiAlarmsProps {
  readonly apiId: string;
  /** Every function of the stage; one alarm on errors and one on throttles each. More can be added with addFunction. */
  readonly functions: readonly IFunction[];
  readonly table: ITable;
  /** The table operations the functions call, whose throttled requests are watched. */
  readonly tableOperations: readonly Operation[];
  /** SNS topic (ARN) every alarm notifies on alarm and on recovery; none when omitted. */
  readonly topicArn?: string;
}

/**
 * The stage's alarms: function errors (which include timeouts) and throttles, AppSync 5XX responses,
 * DynamoDB throttled requests, and an API key with less than 14 days left, or whose renewal job
 * stopped reporting.
 */
export class ApiAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  private readonly action: IAlarmAction | undefined;

  constructor(scope: Construct, id: string, props: ApiAlarmsProps) {
    super(scope, id);
    this.action = props.topicArn === undefined ? undefined : new SnsAction(Topic.fromTopicArn(this, 'Topic', props.topicArn));

    for (const fn of props.functions) this.addFunction(fn);
    this.add(
      'AppSync5XX',
      'The API answered with server errors (5XX)',
      new Metric({
        namespace: 'AWS/AppSync',
        metricName: '5XXError',
        dimensionsMap: { GraphQLAPIId: props.apiId },
        statistic: Stats.SUM,
        period: PERIOD,
      }),
    );
    this.add(
      'TableThrottles',
      'DynamoDB throttled requests to the learning-path table',
      props.table.metricThrottledRequestsForOperations({ operations: [...props.tableOperations], period: PERIOD }),
    );
    this.notifyFrom(
      new Alarm(this, 'ApiKeyExpiry', {
        alarmDescription: `The API key expires within ${API_KEY_ALARM_DAYS} days, or its renewal job stopped reporting`,
        metric: new Metric({
          namespace: API_KEY_METRIC.namespace,
          metricName: API_KEY_METRIC.name,
          dimensionsMap: { [API_KEY_METRIC.dimension]: props.apiId },
          statistic: Stats.MINIMUM,
          // Two renewals fall in each period, so one failed run does not leave it empty.
          period: Duration.hours(API_KEY_RENEWAL_INTERVAL_HOURS * 2),
        }),
        threshold: API_KEY_ALARM_DAYS,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.BREACHING,
      }),
    );
  }

  /** Alarms on a function's errors (a timeout is one) and throttles; the id is its construct's parent's. */
  addFunction(fn: IFunction): void {
    const name = fn.node.scope?.node.id ?? fn.node.id;
    this.add(`${name}Errors`, `${name}: invocations that failed or timed out`, fn.metricErrors({ period: PERIOD, statistic: Stats.SUM }));
    this.add(`${name}Throttles`, `${name}: invocations throttled by Lambda`, fn.metricThrottles({ period: PERIOD, statistic: Stats.SUM }));
  }

  /** An alarm on any occurrence within a period; no data means nothing happened. */
  private add(id: string, description: string, metric: IMetric): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.notifyFrom(alarm);
  }

  /** Sends an alarm's changes to the stage's topic, like the stage's own alarms. */
  notifyFrom(alarm: Alarm): void {
    this.alarms.push(alarm);
    if (this.action === undefined) return;
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
  }
}
