import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * Lambda hands a function its role's credentials in environment variables. The deployed bundle
 * aliases the SDK's default credential-provider chain to this module (infra/bundling.ts), so the
 * chain's other sources (files, SSO, IMDS, STS clients) are neither bundled nor loaded.
 */
export const defaultProvider = (_init?: unknown): AwsCredentialIdentityProvider => fromEnv();
