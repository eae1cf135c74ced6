import { describe, expect, it } from 'vitest';
import { apiTemplate } from './stacks.js';

// biome-ignore lint/suspicious/noExplicitAny: a synthesized template is untyped CloudFormation JSON
type Json = Record<string, any>;

/**
 * What each function may do, written out by hand from what its handler calls (not derived from
 * resolvers/declarations.ts, so that a change there shows up here as a failing test).
 * Resources: `table` (the learning-path table), `owner index`, `created index`, `name index` (its indexes of paths by owner, by creation time, by name), `media/*` and `uploads/*` (media bucket objects under a prefix),
 * `own logs` (the function's own log group), `*` (X-Ray, which has no resource-level permissions).
 */
const logsAndTraces = [
  'logs:CreateLogStream on own logs',
  'logs:PutLogEvents on own logs',
  'xray:PutTelemetryRecords on *',
  'xray:PutTraceSegments on *',
];
const expectedPermissions: Record<string, string[]> = {
  'Query.learningPath': ['dynamodb:GetItem on table', 's3:GetObject on media/*', ...logsAndTraces],
  'Query.learningPaths': ['dynamodb:Query on created index', 'dynamodb:Query on name index', 's3:GetObject on media/*', ...logsAndTraces],
  'Query.searchLearningPaths': ['dynamodb:Query on name index', 's3:GetObject on media/*', ...logsAndTraces],
  'Query.myLearningPaths': ['dynamodb:Query on owner index', 's3:GetObject on media/*', ...logsAndTraces],
  // A retried create may meet a path that has gained media since, whose URL it signs.
  // GetItem settles a write whose answer was lost.
  'Mutation.createLearningPath': ['dynamodb:GetItem on table', 'dynamodb:PutItem on table', 's3:GetObject on media/*', ...logsAndTraces],
  'Mutation.updateLearningPath': ['dynamodb:GetItem on table', 'dynamodb:UpdateItem on table', 's3:GetObject on media/*', ...logsAndTraces],
  'Mutation.deleteLearningPath': [
    'dynamodb:DeleteItem on table',
    'dynamodb:GetItem on table',
    's3:DeleteObject on media/*',
    's3:ListBucket on bucket where s3:prefix like media/*',
    ...logsAndTraces,
  ],
  'Mutation.addLearningPathMedia': [
    'dynamodb:GetItem on table',
    'dynamodb:UpdateItem on table',
    's3:DeleteObject on media/*',
    's3:GetObject on media/*',
    's3:PutObject on media/*',
    's3:DeleteObject on uploads/*',
    's3:GetObject on uploads/*',
    ...logsAndTraces,
  ],
  'Mutation.createMediaUpload': ['dynamodb:GetItem on table', 's3:PutObject on uploads/*', ...logsAndTraces],
};
/** The scheduled job that keeps the API key alive: UpdateApiKey only, which IAM cannot scope to one key. */
const renewalPermissions = ['appsync:UpdateApiKey on *', ...logsAndTraces];

/** The media reconciler job: lists media/, reads each old object's path, deletes unreferenced objects; no X-Ray. */
const reconcilerPermissions = [
  'dynamodb:GetItem on table',
  's3:DeleteObject on media/*',
  's3:ListBucket on bucket where s3:prefix like media/*',
  'logs:CreateLogStream on own logs',
  'logs:PutLogEvents on own logs',
];

const template = apiTemplate('prod').toJSON() as { Resources: Record<string, Json> };
const resources = Object.entries(template.Resources);
const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
const allFunctions = ofType('AWS::Lambda::Function');
const functions = allFunctions.filter(([, fn]) => (fn.Properties.Description as string).startsWith('AppSync resolver '));
const logicalIdOfType = (type: string) => ofType(type)[0]?.[0];

const roleOf = (fn: Json): string => fn.Properties.Role['Fn::GetAtt'][0];
const policiesOfRole = (roleId: string) =>
  ofType('AWS::IAM::Policy').filter(([, policy]) => policy.Properties.Roles.some((role: Json) => role.Ref === roleId));
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

const INDEXES: Record<string, string> = { byOwner: 'owner index', byCreated: 'created index', byName: 'name index' };

/** Names a statement's resource the way expectedPermissions does. */
function describeResource(resource: unknown, fn: Json): string {
  if (resource === '*') return '*';
  const json = JSON.stringify(resource);
  if (json === JSON.stringify({ 'Fn::GetAtt': [logicalIdOfType('AWS::DynamoDB::Table'), 'Arn'] })) return 'table';
  for (const [indexName, described] of Object.entries(INDEXES)) {
    const indexArn = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOfType('AWS::DynamoDB::Table'), 'Arn'] }, `/index/${indexName}`]] };
    if (json === JSON.stringify(indexArn)) return described;
  }
  for (const prefix of ['media/*', 'uploads/*']) {
    if (json === JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOfType('AWS::S3::Bucket'), 'Arn'] }, `/${prefix}`]] })) {
      return prefix;
    }
  }
  if (json === JSON.stringify({ 'Fn::GetAtt': [fn.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] })) return 'own logs';
  if (json === JSON.stringify({ 'Fn::GetAtt': [logicalIdOfType('AWS::S3::Bucket'), 'Arn'] })) return 'bucket';
  return json;
}

function describeCondition(condition: Json | undefined): string {
  if (condition === undefined) return '';
  return Object.entries(condition.StringLike ?? { unexpected: condition })
    .map(([key, value]) => ` where ${key} like ${asList(value as string).join(',')}`)
    .join('');
}

function permissionsOf(fn: Json): string[] {
  return policiesOfRole(roleOf(fn))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Json[])
    .flatMap((statement) => {
      expect(statement.Effect).toBe('Allow');
      return asList<string>(statement.Action).flatMap((action) =>
        asList(statement.Resource).map(
          (resource) => `${action} on ${describeResource(resource, fn)}${describeCondition(statement.Condition)}`,
        ),
      );
    })
    .sort();
}

describe('function permissions', () => {
  it('has one function per expected resolver', () => {
    const names = functions.map(([, fn]) => (fn.Properties.Description as string).replace('AppSync resolver ', '')).sort();
    expect(names).toEqual(Object.keys(expectedPermissions).sort());
  });

  it.each(Object.entries(expectedPermissions))('%s may do exactly what its handler calls', (name, expected) => {
    const entry = functions.find(([, fn]) => fn.Properties.Description === `AppSync resolver ${name}`);
    expect(entry).toBeDefined();
    const [, fn] = entry as [string, Json];
    expect(permissionsOf(fn)).toEqual([...expected].sort());
    const role = template.Resources[roleOf(fn)] as Json;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  it('lets the API key renewal job update API keys and nothing else', () => {
    const renewal = allFunctions.filter(([, fn]) => fn.Properties.Description === 'Renews the AppSync API key before it expires');
    expect(renewal).toHaveLength(1);
    const [, fn] = renewal[0] as [string, Json];
    expect(permissionsOf(fn)).toEqual([...renewalPermissions].sort());
    const role = template.Resources[roleOf(fn)] as Json;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  it('lets the media reconciler do exactly what its job calls, on its own role, on a schedule', () => {
    const jobs = allFunctions.filter(([, fn]) => (fn.Properties.Description as string).startsWith('Removes media objects'));
    expect(jobs).toHaveLength(1);
    const [, job] = jobs[0] as [string, Json];
    expect(job.Properties.Description).toMatch(/^Removes media objects/);
    expect(permissionsOf(job)).toEqual([...reconcilerPermissions].sort());
    expect((template.Resources[roleOf(job)] as Json).Properties.ManagedPolicyArns).toBeUndefined();
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    expect(alarms).toContainEqual(
      expect.objectContaining({ MetricName: 'OrphanedMediaRemoved', Namespace: 'LearningPaths', Threshold: 1, Statistic: 'Sum' }),
    );
    const targets = ofType('AWS::Events::Rule').map(([, rule]) => rule.Properties.Targets[0].Arn);
    expect(targets.filter((arn) => JSON.stringify(arn) === JSON.stringify({ 'Fn::GetAtt': [jobs[0]?.[0], 'Arn'] }))).toHaveLength(1);
  });

  it('gives no two functions the same role', () => {
    const roles = allFunctions.map(([, fn]) => roleOf(fn));
    expect(new Set(roles).size).toBe(allFunctions.length);
    expect(allFunctions.length).toBe(functions.length + 2);
  });

  it('grants no wildcard action anywhere in the stack', () => {
    const actions = ofType('AWS::IAM::Policy').flatMap(([, policy]) =>
      (policy.Properties.PolicyDocument.Statement as Json[]).flatMap((statement) => asList<string>(statement.Action)),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('lets each AppSync data source invoke only its own function', () => {
    for (const [, source] of ofType('AWS::AppSync::DataSource')) {
      const functionId = source.Properties.LambdaConfig.LambdaFunctionArn['Fn::GetAtt'][0];
      const statements = policiesOfRole(source.Properties.ServiceRoleArn['Fn::GetAtt'][0]).flatMap(
        ([, policy]) => policy.Properties.PolicyDocument.Statement as Json[],
      );
      expect(statements).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          Effect: 'Allow',
          Resource: [{ 'Fn::GetAtt': [functionId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [functionId, 'Arn'] }, ':*']] }],
        },
      ]);
    }
  });
});
