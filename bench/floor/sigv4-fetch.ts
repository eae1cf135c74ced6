/**
 * The floor of a DynamoDB function's cold start without an SDK client: one GetItem signed with the
 * SDK's SigV4 signer and SHA-256 and sent with `fetch`. Not a design option (the functions use the SDK
 * clients); it shows how much of a cold start is the client.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

const region = process.env.AWS_REGION ?? 'us-east-1';
const signer = new SignatureV4({ service: 'dynamodb', region, credentials: fromEnv(), sha256: Sha256 });
const url = new URL(`https://dynamodb.${region}.amazonaws.com/`);

export const handler = async (id: string): Promise<unknown> => {
  const body = JSON.stringify({ TableName: process.env.TABLE_NAME, Key: { id: { S: id } } });
  const request = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    path: url.pathname,
    headers: { host: url.hostname, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
    body,
  });
  const response = await fetch(url, { method: 'POST', headers: request.headers, body });
  return response.json();
};
