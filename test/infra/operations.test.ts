import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDeploymentOptions } from '../../infra/cdk/context.js';
import { API_KEY_ALARM_DAYS, API_KEY_METRIC } from '../../jobs/api-key-expiry.js';
import { ORPHAN_METRIC } from '../../jobs/media-reconciler.js';
import { handlerName, resolverDeclarations } from '../../resolvers/declarations.js';
import { apiStack, apiTemplate, FULL_OPTIONS } from './stacks.js';

// biome-ignore lint/suspicious/noExplicitAny: a synthesized template is untyped CloudFormation JSON
type Json = Record<string, any>;

let configured: Template;
beforeAll(() => {
  apiTemplate('dev');
  apiTemplate('prod');
  configured = Template.fromStack(apiStack('prod', { deployment: FULL_OPTIONS }));
});

const resourcesOf = (template: Template, type: string): [string, Json][] => Object.entries(template.findResources(type));
const STAGES = ['dev', 'prod'] as const;

describe('the app client', () => {
  it.each(STAGES)('in %s without a hosted sign-in, has OAuth off: no flows, no scopes, no callback URL', (stage) => {
    const [[, client] = ['', {}]] = resourcesOf(apiTemplate(stage), 'AWS::Cognito::UserPoolClient');
    expect(client.Properties.AllowedOAuthFlowsUserPoolClient).toBe(false);
    for (const absent of ['AllowedOAuthFlows', 'AllowedOAuthScopes', 'CallbackURLs', 'LogoutURLs']) {
      expect(client.Properties[absent], absent).toBeUndefined();
    }
    expect(resourcesOf(apiTemplate(stage), 'AWS::Cognito::UserPoolDomain')).toEqual([]);
  });

  it('with a hosted sign-in configured, offers the code flow with the given URLs on a Cognito domain', () => {
    const [[, client] = ['', {}]] = resourcesOf(configured, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: FULL_OPTIONS.hostedSignIn?.callbackUrls,
      LogoutURLs: FULL_OPTIONS.hostedSignIn?.logoutUrls,
    });
    const [[, domain] = ['', {}]] = resourcesOf(configured, 'AWS::Cognito::UserPoolDomain');
    expect(domain.Properties.Domain).toBe(FULL_OPTIONS.hostedSignIn?.domainPrefix);
  });
});

describe("the user pool's email", () => {
  it.each(STAGES)("in %s without SES, uses Cognito's own sender", (stage) => {
    const [[, pool] = ['', {}]] = resourcesOf(apiTemplate(stage), 'AWS::Cognito::UserPool');
    expect(pool.Properties.EmailConfiguration?.EmailSendingAccount ?? 'COGNITO_DEFAULT').toBe('COGNITO_DEFAULT');
  });

  it('with an SES identity configured, sends through it', () => {
    const [[, pool] = ['', {}]] = resourcesOf(configured, 'AWS::Cognito::UserPool');
    expect(pool.Properties.EmailConfiguration).toMatchObject({ EmailSendingAccount: 'DEVELOPER', From: 'no-reply@example.com' });
    expect(JSON.stringify(pool.Properties.EmailConfiguration.SourceArn)).toContain(':ses:eu-west-1:');
    expect(JSON.stringify(pool.Properties.EmailConfiguration.SourceArn)).toContain('identity/example.com');
  });
});

describe('API key renewal', () => {
  it.each([
    ['dev', 30],
    ['prod', 364],
  ] as const)('in %s, a schedule runs the job twice a day to push the key %i days ahead', (stage, days) => {
    const template = apiTemplate(stage);
    const [[keyId] = ['']] = resourcesOf(template, 'AWS::AppSync::ApiKey');
    const [[functionId, fn] = ['', {}]] = resourcesOf(template, 'AWS::Lambda::Function').filter(
      ([, candidate]) => candidate.Properties.Description === 'Renews the AppSync API key before it expires',
    );
    expect(fn.Properties.Environment.Variables).toMatchObject({
      API_KEY_ID: { 'Fn::GetAtt': [keyId, 'ApiKeyId'] },
      API_KEY_LIFETIME_DAYS: String(days),
    });
    expect(fn.Properties.Environment.Variables.API_ID['Fn::GetAtt'][1]).toBe('ApiId');
    expect(fn.Properties.Timeout).toBeGreaterThan(3);
    const rules = resourcesOf(template, 'AWS::Events::Rule')
      .map(([, rule]) => rule.Properties)
      .filter((rule) => JSON.stringify(rule.Targets).includes(JSON.stringify({ 'Fn::GetAtt': [functionId, 'Arn'] })));
    expect(rules).toEqual([
      expect.objectContaining({
        ScheduleExpression: 'rate(12 hours)',
        State: 'ENABLED',
        Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': [functionId, 'Arn'] } })],
      }),
    ]);
    const permissions = resourcesOf(template, 'AWS::Lambda::Permission').map(([, permission]) => permission.Properties);
    expect(permissions).toContainEqual(
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      }),
    );
  });
});

/** Each alarm, named by what it watches. */
function alarmsOf(template: Template): Map<string, Json> {
  const named = new Map<string, Json>();
  for (const [, alarm] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
    const { Namespace, MetricName, Dimensions, Metrics } = alarm.Properties;
    if (Metrics) {
      named.set('DynamoDB ThrottledRequests', alarm.Properties);
      continue;
    }
    const subject = Namespace === 'AWS/Lambda' ? template.toJSON().Resources[Dimensions[0].Value.Ref].Properties.Description : Namespace;
    named.set(`${subject} ${MetricName}`, alarm.Properties);
  }
  return named;
}

describe('alarms', () => {
  it.each(STAGES)('in %s, watch every function, AppSync 5XX, DynamoDB throttling and the API key expiry', (stage) => {
    const alarms = alarmsOf(apiTemplate(stage));
    const functions = [
      ...resolverDeclarations.map((declaration) => `AppSync resolver ${handlerName(declaration)}`),
      'Renews the AppSync API key before it expires',
      'Removes media objects that no learning path has referenced for over an hour',
    ];
    const expected = [
      ...functions.flatMap((fn) => [`${fn} Errors`, `${fn} Throttles`]),
      'AWS/AppSync 5XXError',
      'DynamoDB ThrottledRequests',
      `${API_KEY_METRIC.namespace} ${API_KEY_METRIC.name}`,
      // Each orphan the reconciler removes means a failure path ran.
      `${ORPHAN_METRIC.namespace} ${ORPHAN_METRIC.name}`,
    ];
    expect([...alarms.keys()].sort()).toEqual(expected.sort());
    for (const [name, alarm] of alarms) {
      if (name.startsWith(API_KEY_METRIC.namespace)) continue;
      expect(alarm, name).toMatchObject({
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it.each(STAGES)('in %s, fire when the API key has under 14 days left or its renewal stops reporting', (stage) => {
    const alarm = alarmsOf(apiTemplate(stage)).get(`${API_KEY_METRIC.namespace} ${API_KEY_METRIC.name}`);
    expect(alarm).toMatchObject({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: API_KEY_ALARM_DAYS,
      Statistic: 'Minimum',
      TreatMissingData: 'breaching',
      Period: 86_400,
    });
    expect(alarm?.Dimensions[0].Name).toBe(API_KEY_METRIC.dimension);
    expect(alarm?.Dimensions[0].Value['Fn::GetAtt'][1]).toBe('ApiId');
  });

  it.each(STAGES)('in %s, sum DynamoDB throttled requests over every operation the functions call', (stage) => {
    const alarm = alarmsOf(apiTemplate(stage)).get('DynamoDB ThrottledRequests');
    const operations = ((alarm?.Metrics ?? []) as Json[])
      .filter((metric) => metric.MetricStat)
      .map((metric) => metric.MetricStat.Metric.Dimensions.find((dimension: Json) => dimension.Name === 'Operation').Value)
      .sort();
    expect(operations).toEqual(['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem']);
  });

  it.each(STAGES)('in %s, notify no one when no topic is configured', (stage) => {
    for (const [name, alarm] of alarmsOf(apiTemplate(stage))) expect(alarm.AlarmActions, name).toBeUndefined();
  });

  it('notify the configured SNS topic on alarm and on recovery', () => {
    const alarms = alarmsOf(configured);
    expect(alarms.size).toBeGreaterThan(20);
    for (const [name, alarm] of alarms) {
      expect(alarm.AlarmActions, name).toEqual([FULL_OPTIONS.alarmTopicArn]);
      expect(alarm.OKActions, name).toEqual([FULL_OPTIONS.alarmTopicArn]);
    }
  });
});

describe('deployment context', () => {
  const context = (values: Record<string, string>) => (name: string) => values[name];

  it('reads nothing when nothing is given', () => {
    expect(parseDeploymentOptions(context({}))).toEqual({ alarmTopicArn: undefined });
  });

  it('reads every setting', () => {
    expect(
      parseDeploymentOptions(
        context({
          alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alarms',
          authDomainPrefix: 'paths',
          authCallbackUrls: 'https://app.example.com/in, http://localhost:5173/',
          authLogoutUrls: 'https://app.example.com/out',
          sesFromEmail: 'no-reply@example.com',
          sesRegion: 'eu-west-1',
        }),
      ),
    ).toEqual({
      alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alarms',
      hostedSignIn: {
        domainPrefix: 'paths',
        callbackUrls: ['https://app.example.com/in', 'http://localhost:5173/'],
        logoutUrls: ['https://app.example.com/out'],
      },
      sesSender: { fromEmail: 'no-reply@example.com', region: 'eu-west-1' },
    });
  });

  it('refuses a setting given in part or malformed', () => {
    expect(() => parseDeploymentOptions(context({ authDomainPrefix: 'paths' }))).toThrow(/needs all of/);
    expect(() => parseDeploymentOptions(context({ authCallbackUrls: 'https://a.example.com' }))).toThrow(/needs all of/);
    expect(() =>
      parseDeploymentOptions(
        context({ authDomainPrefix: 'paths', authCallbackUrls: 'http://app.example.com', authLogoutUrls: 'https://a.example.com' }),
      ),
    ).toThrow(/not an https URL/);
    expect(() => parseDeploymentOptions(context({ sesFromEmail: 'no-reply@example.com' }))).toThrow(/sesRegion/);
    expect(() => parseDeploymentOptions(context({ alarmTopicArn: 'alarms' }))).toThrow(/not an SNS topic ARN/);
  });
});
