import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { mediaCorsRule } from '../definitions.js';
import { LOCAL_CREDENTIALS } from './clients.js';
import { freePort, LOOPBACK_ADDRESS, loopbackEndpoint } from './ports.js';
import { startS3Verifier } from './s3-verifier.js';

export interface S3Local {
  endpoint: string;
  stop(): Promise<void>;
}

/** The bucket's CORS rule in the XML form s3rver reads, from the definition the AWS bucket uses. */
function corsXml(origins: readonly string[]): string {
  const rule = mediaCorsRule(origins);
  const tags = (name: string, values: readonly (string | number)[] | undefined) =>
    (values ?? []).map((value) => `<${name}>${value}</${name}>`).join('');
  return `<CORSConfiguration><CORSRule>${tags('AllowedOrigin', rule.allowedOrigins)}${tags('AllowedMethod', rule.allowedMethods)}${tags(
    'AllowedHeader',
    rule.allowedHeaders,
  )}${tags('ExposeHeader', rule.exposedHeaders)}${tags('MaxAgeSeconds', rule.maxAge === undefined ? [] : [rule.maxAge])}</CORSRule></CORSConfiguration>`;
}

/**
 * Starts s3rver on loopback with the media bucket, persisting under `dataDir` or in a temporary
 * folder, behind a front that verifies signatures and copy conditions as S3 does (s3-verifier.ts).
 * The endpoint is the front's; s3rver itself listens on another loopback port.
 */
export async function startS3Local(options: {
  port: number;
  bucketName: string;
  corsOrigins: readonly string[];
  dataDir?: string;
}): Promise<S3Local> {
  const directory = options.dataDir ?? mkdtempSync(join(tmpdir(), 'learning-paths-s3-'));
  mkdirSync(directory, { recursive: true });
  const backendPort = await freePort();
  const server = new S3rver({
    port: backendPort,
    address: LOOPBACK_ADDRESS,
    directory,
    silent: true,
    configureBuckets: [{ name: options.bucketName, configs: [corsXml(options.corsOrigins)] }],
  });
  await server.run();
  const front = await startS3Verifier({
    port: options.port,
    backendPort,
    secrets: { [LOCAL_CREDENTIALS.accessKeyId]: LOCAL_CREDENTIALS.secretAccessKey },
  }).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  return {
    endpoint: loopbackEndpoint(options.port),
    stop: async () => {
      front.closeAllConnections();
      await new Promise((resolve) => front.close(resolve));
      await server.close();
      if (options.dataDir === undefined) rmSync(directory, { recursive: true, force: true });
    },
  };
}
