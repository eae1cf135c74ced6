/**
 * The developer pages of the local stack, served on the API's own port:
 * - `/` : the API explorer, GraphiQL from npm (bundled here with esbuild, nothing from a CDN) with
 *   an auth panel for the API key, local users and IAM (infra/local/explorer/);
 * - `POST /local/token` : mints the token `npm run -s token` prints, for the explorer and the
 *   example page's sign-in (local development only, like the tokens themselves).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPOSITORY_ROOT } from '../definitions.js';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, LocalTokenError, localIdToken, localSub } from './tokens.js';

const EXPLORER_SOURCE = join(REPOSITORY_ROOT, 'infra', 'local', 'explorer', 'main.tsx');
const TOKEN_PATH = '/local/token';
const MAX_TOKEN_REQUEST_BYTES = 4096;

interface Bundle {
  js: Uint8Array;
  css: Uint8Array;
}

let bundling: Promise<Bundle> | undefined;

/** The explorer's script and styles, built on first use (2–3 s) and kept in memory. */
function explorerBundle(): Promise<Bundle> {
  bundling ??= build({
    entryPoints: { app: EXPLORER_SOURCE },
    bundle: true,
    write: false,
    outdir: 'explorer',
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  }).then(({ outputFiles }) => {
    const file = (extension: string) => outputFiles.find((output) => output.path.endsWith(extension))?.contents ?? new Uint8Array();
    return { js: file('.js'), css: file('.css') };
  });
  return bundling;
}

function explorerPage(apiKey: string): string {
  // JSON inside <script>: escape "<" so no value can close the element.
  const config = JSON.stringify({ apiKey }).replaceAll('<', '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Learning paths API · explorer</title>
    <link rel="stylesheet" href="/explorer/app.css" />
    <script id="explorer-config" type="application/json">${config}</script>
    <script type="module" src="/explorer/app.js"></script>
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
`;
}

/**
 * Puts the explorer and the token route in front of the simulator's own handlers (its explorer
 * sends a fixed API key and mints tokens with one fixed sub, and its "Clear data" button misses S3).
 */
export function serveDeveloperPages(server: Server, options: { apiKey: string }): void {
  const listeners = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = developerRoute(request.method ?? 'GET', path, options.apiKey);
    if (route) {
      route(request, response).catch((error: Error) => send(response, 500, 'text/plain', `Explorer failed: ${error.message}`));
      return;
    }
    for (const listener of listeners) listener(request, response);
  });
}

type Route = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

function developerRoute(method: string, path: string, apiKey: string): Route | undefined {
  if (method === 'GET' && path === '/')
    return async (_request, response) => send(response, 200, 'text/html; charset=utf-8', explorerPage(apiKey));
  if (method === 'GET' && path === '/explorer/app.js') {
    return async (_request, response) => send(response, 200, 'text/javascript; charset=utf-8', (await explorerBundle()).js);
  }
  if (method === 'GET' && path === '/explorer/app.css') {
    return async (_request, response) => send(response, 200, 'text/css; charset=utf-8', (await explorerBundle()).css);
  }
  if (method === 'GET' && path === '/favicon.ico') return async (_request, response) => send(response, 204, 'image/x-icon', '');
  if (path === TOKEN_PATH && method === 'OPTIONS') return async (_request, response) => send(response, 204, 'text/plain', '');
  if (path === TOKEN_PATH && method === 'POST') return mintToken;
  return undefined;
}

/** `POST /local/token {"user": "alice", "groups": ["admins"]}`: the token `npm run -s token` would print. */
const mintToken: Route = async (request, response) => {
  let input: { user?: unknown; groups?: unknown };
  try {
    input = JSON.parse(await readBody(request)) as typeof input;
  } catch (error) {
    return send(response, 400, 'application/json', JSON.stringify({ error: `body: ${(error as Error).message}` }));
  }
  const groups = Array.isArray(input.groups) ? input.groups.map(String) : [];
  const user = typeof input.user === 'string' ? input.user : '';
  const issuedAt = Math.floor(Date.now() / 1000);
  try {
    const token = localIdToken({ user, groups, issuedAt });
    const session = { token, user, sub: localSub(user), groups, expiresAt: (issuedAt + DEFAULT_TOKEN_LIFETIME_SECONDS) * 1000 };
    send(response, 200, 'application/json', JSON.stringify(session));
  } catch (error) {
    if (!(error instanceof LocalTokenError)) throw error;
    send(response, 400, 'application/json', JSON.stringify({ error: error.message }));
  }
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_TOKEN_REQUEST_BYTES) {
        reject(new Error(`at most ${MAX_TOKEN_REQUEST_BYTES} bytes`));
        request.destroy();
      }
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

/**
 * Every developer route allows any origin: the example page runs on another port, and a token from
 * here grants nothing a hand-made one would not, since the local API verifies no signature.
 */
function send(response: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'content-type',
  });
  response.end(body);
}
