/**
 * `npm start`: the whole API on this machine, no AWS account needed.
 * Options: `--in-memory` keeps nothing; `--data-dir DIR` persists there instead of `.local/`;
 * `--https` serves HTTPS/WSS with a certificate generated on first use under `<data dir>/tls`;
 * environment PORT (default 20002) and API_KEY.
 */
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { JavaMissingError } from './dynamodb-local.js';
import { stopTogether } from './lifetime.js';
import { DEFAULT_DATA_DIR, startLocalStack } from './stack.js';
import { ensureCertificate } from './tls.js';

const DEFAULT_PORT = 20002;
const DEFAULT_API_KEY = 'da2-local-development-key';

const { values } = parseArgs({
  options: { 'in-memory': { type: 'boolean', default: false }, 'data-dir': { type: 'string' }, https: { type: 'boolean', default: false } },
});
const port = process.env.PORT ? Number(process.env.PORT) : DEFAULT_PORT;
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`PORT must be a TCP port number, got "${process.env.PORT}"`);
  process.exit(1);
}

try {
  const started = Date.now();
  const inMemory = values['in-memory'] ?? false;
  const dataDir = values['data-dir'] ?? DEFAULT_DATA_DIR;
  const https = values.https ? await ensureCertificate(join(dataDir, 'tls')) : undefined;
  const stack = await startLocalStack({ port, apiKey: process.env.API_KEY || DEFAULT_API_KEY, inMemory, dataDir, https });
  console.log(
    [
      `Learning paths API is up (${inMemory ? 'in memory' : `data under ${relative(process.cwd(), dataDir) || '.'}/`}, ${Date.now() - started} ms)`,
      `  GraphQL:   ${stack.graphqlUrl}`,
      `  Realtime:  ${stack.realtimeUrl}`,
      `  API key:   ${stack.apiKey}   (header x-api-key; reads and subscriptions only)`,
      '  Sign in:   npm run -s token -- --user alice [--group admins]   (header Authorization; local development only)',
      `  Explorer:  ${stack.explorerUrl}`,
      ...(https ? [`  TLS cert:  ${https.certPath}   (trust it: NODE_EXTRA_CA_CERTS=<path>, or import it in the browser)`] : []),
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
  stopTogether(stack.stop);
} catch (error) {
  console.error(error instanceof JavaMissingError ? error.message : `Could not start the local stack: ${(error as Error).message}`);
  process.exit(1);
}
