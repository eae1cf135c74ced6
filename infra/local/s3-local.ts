import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { mediaCorsRule } from '../definitions.js';
import { loopbackEndpoint } from './ports.js';

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

/** Starts s3rver on loopback with the media bucket, persisting under `dataDir` or in a temporary folder. */
export async function startS3Local(options: {
  port: number;
  bucketName: string;
  corsOrigins: readonly string[];
  dataDir?: string;
}): Promise<S3Local> {
  const directory = options.dataDir ?? mkdtempSync(join(tmpdir(), 'learning-paths-s3-'));
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    port: options.port,
    address: '127.0.0.1',
    directory,
    silent: true,
    configureBuckets: [{ name: options.bucketName, configs: [corsXml(options.corsOrigins)] }],
  });
  await server.run();
  return {
    endpoint: loopbackEndpoint(options.port),
    stop: async () => {
      await server.close();
      if (options.dataDir === undefined) rmSync(directory, { recursive: true, force: true });
    },
  };
}
