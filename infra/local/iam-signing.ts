import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * The access key the local AppSync simulator maps to its "authenticated role" principal. The
 * simulator takes any SigV4-shaped Authorization header as IAM and checks no signature.
 */
export const LOCAL_IAM_ACCESS_KEY = 'ASIAVJKIAM-AuthRole';

/**
 * The headers of an IAM (SigV4, service `appsync`) POST of `body` to `url` as the local back-end
 * role; runs in Node and in browsers (pure-JS SHA-256).
 */
export async function localIamHeaders(url: string, body: string): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = new SignatureV4({
    service: 'appsync',
    region: 'us-east-1',
    credentials: { accessKeyId: LOCAL_IAM_ACCESS_KEY, secretAccessKey: 'local' },
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: target.protocol,
    hostname: target.hostname,
    ...(target.port && { port: Number(target.port) }),
    path: target.pathname,
    headers: { host: target.host, 'content-type': 'application/json' },
    body,
  });
  const { host: _host, ...headers } = signed.headers;
  return headers;
}
