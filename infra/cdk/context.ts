/**
 * Optional deployment settings given as CDK context (`-c name=value`), read and checked in one place.
 * Each is documented in docs/deploying.md.
 */

/** Cognito's hosted sign-in (OAuth 2.0 authorization code flow), when a stage configures it. */
export interface HostedSignIn {
  /** Prefix of the Cognito domain: `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
}

/** Amazon SES as the sender of the user pool's emails (invitations, verification, recovery). */
export interface SesSender {
  /** A verified SES identity (address, or an address of a verified domain). */
  readonly fromEmail: string;
  /** Region of the SES identity; SES for Cognito is offered in some regions only. */
  readonly region: string;
  /** The verified domain, when the identity is a domain rather than the address itself. */
  readonly verifiedDomain?: string;
}

export interface DeploymentOptions {
  /** SNS topic every alarm notifies; alarms only change state (visible in CloudWatch) without it. */
  readonly alarmTopicArn?: string;
  readonly hostedSignIn?: HostedSignIn;
  readonly sesSender?: SesSender;
}

type Context = (name: string) => unknown;

function optionalString(context: Context, name: string): string | undefined {
  const value = context(name);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`${name}: expected a string`);
  return value.trim();
}

function urlList(context: Context, name: string): string[] {
  const urls = (optionalString(context, name) ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  for (const url of urls) {
    // Cognito allows plain HTTP only for localhost.
    if (!/^https:\/\/[^\s*]+$/.test(url) && !/^http:\/\/localhost(:\d+)?(\/[^\s*]*)?$/.test(url)) {
      throw new Error(`${name}: "${url}" is not an https URL (http is allowed for localhost only)`);
    }
  }
  return urls;
}

/** An SNS topic ARN such as `arn:aws:sns:eu-west-1:123456789012:alarms`. */
export function parseTopicArn(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(value))
    throw new Error(`alarmTopicArn: "${value}" is not an SNS topic ARN`);
  return value;
}

/** An IAM OIDC provider ARN such as `arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`. */
export function parseOidcProviderArn(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(value)) {
    throw new Error(`githubOidcProviderArn: "${String(value)}" is not the ARN of GitHub's OIDC provider in IAM`);
  }
  return value;
}

/** Reads the optional settings; a setting given in part (a domain without URLs, say) is refused. */
export function parseDeploymentOptions(context: Context): DeploymentOptions {
  const domainPrefix = optionalString(context, 'authDomainPrefix');
  const callbackUrls = urlList(context, 'authCallbackUrls');
  const logoutUrls = urlList(context, 'authLogoutUrls');
  const anyHostedSignIn = domainPrefix !== undefined || callbackUrls.length > 0 || logoutUrls.length > 0;
  if (anyHostedSignIn && (domainPrefix === undefined || callbackUrls.length === 0 || logoutUrls.length === 0)) {
    throw new Error('Hosted sign-in needs all of authDomainPrefix, authCallbackUrls and authLogoutUrls');
  }
  if (domainPrefix !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domainPrefix)) {
    throw new Error(`authDomainPrefix: "${domainPrefix}" must be lower-case letters, digits and hyphens`);
  }
  const fromEmail = optionalString(context, 'sesFromEmail');
  const sesRegion = optionalString(context, 'sesRegion');
  const verifiedDomain = optionalString(context, 'sesVerifiedDomain');
  if ((fromEmail === undefined) !== (sesRegion === undefined) || (verifiedDomain !== undefined && fromEmail === undefined)) {
    throw new Error('SES email needs both sesFromEmail and sesRegion (and sesVerifiedDomain only with them)');
  }
  if (fromEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(fromEmail))
    throw new Error(`sesFromEmail: "${fromEmail}" is not an email address`);
  return {
    alarmTopicArn: parseTopicArn(optionalString(context, 'alarmTopicArn')),
    ...(domainPrefix !== undefined && { hostedSignIn: { domainPrefix, callbackUrls, logoutUrls } }),
    ...(fromEmail !== undefined &&
      sesRegion !== undefined && { sesSender: { fromEmail, region: sesRegion, ...(verifiedDomain && { verifiedDomain }) } }),
  };
}
