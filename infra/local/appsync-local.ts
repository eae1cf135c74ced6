import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  AmplifyAppSyncSimulator,
  AmplifyAppSyncSimulatorAuthenticationType,
  type AmplifyAppSyncSimulatorConfig,
  RESOLVER_KIND,
} from '@aws-amplify/amplify-appsync-simulator';
import { handlerName, type ResolverDeclaration, resolverDeclarations } from '../../resolvers/declarations.js';
import { REPOSITORY_ROOT, REQUEST_TEMPLATE_PATH, RESPONSE_TEMPLATE_PATH, SCHEMA_PATH } from '../definitions.js';
import { serveDeveloperPages } from './explorer.js';
import { acceptHeaderSubprotocol } from './realtime-subprotocol.js';
import type { Certificate } from './tls.js';

export type Handler = (event: unknown) => Promise<unknown>;

/** A resolver's handler, loaded in this process. */
export interface LocalHandler {
  readonly declaration: ResolverDeclaration;
  readonly handler: Handler;
}

/**
 * The simulator configuration: the project's schema and mapping templates, and for each handler a
 * Lambda data source that calls it in process and a resolver for its field.
 */
export function localSimulatorConfig(handlers: readonly LocalHandler[], apiKey: string): AmplifyAppSyncSimulatorConfig {
  return {
    schema: { path: SCHEMA_PATH, content: readFileSync(SCHEMA_PATH, 'utf8') },
    mappingTemplates: [
      { path: 'invoke.request.vtl', content: readFileSync(REQUEST_TEMPLATE_PATH, 'utf8') },
      { path: 'invoke.response.vtl', content: readFileSync(RESPONSE_TEMPLATE_PATH, 'utf8') },
    ],
    dataSources: handlers.map(({ declaration, handler }) => ({
      name: handlerName(declaration),
      type: 'AWS_LAMBDA' as const,
      invoke: (payload: unknown) => handler(structuredClone(payload)),
    })),
    resolvers: handlers.map(({ declaration }) => ({
      kind: RESOLVER_KIND.UNIT,
      typeName: declaration.typeName,
      fieldName: declaration.fieldName,
      dataSourceName: handlerName(declaration),
      requestMappingTemplateLocation: 'invoke.request.vtl',
      responseMappingTemplateLocation: 'invoke.response.vtl',
    })),
    // The modes of the deployed API (infra/cdk/api-stack.ts). The simulator decodes Cognito tokens
    // without verifying them and takes any SigV4-shaped header as IAM: see docs/authorization.md, local users and tokens.
    appSync: {
      name: 'learning-paths-local',
      defaultAuthenticationType: {
        authenticationType: AmplifyAppSyncSimulatorAuthenticationType.AMAZON_COGNITO_USER_POOLS,
        cognitoUserPoolConfig: {},
      },
      apiKey,
      additionalAuthenticationProviders: [
        { authenticationType: AmplifyAppSyncSimulatorAuthenticationType.API_KEY },
        { authenticationType: AmplifyAppSyncSimulatorAuthenticationType.AWS_IAM },
      ],
    },
  };
}

/** Imports every declared handler module; they read their configuration, so set the environment first. */
export function loadLocalHandlers(): Promise<LocalHandler[]> {
  return Promise.all(
    resolverDeclarations.map(async (declaration) => {
      const module = (await import(pathToFileURL(join(REPOSITORY_ROOT, declaration.entry)).href)) as { handler: Handler };
      return { declaration, handler: module.handler };
    }),
  );
}

/**
 * The local AppSync: the project's schema and mapping templates, and for each declared resolver a
 * Lambda data source that calls the real handler module in this process.
 */
export async function startAppSyncLocal(options: {
  port: number;
  apiKey: string;
  handlers: readonly LocalHandler[];
  https?: Certificate;
}): Promise<AmplifyAppSyncSimulator> {
  const simulator = new AmplifyAppSyncSimulator({
    port: options.port,
    ...(options.https && { httpsConfig: { sslKeyPath: options.https.keyPath, sslCertPath: options.https.certPath } }),
  });
  await simulator.start();
  simulator.init(localSimulatorConfig(options.handlers, options.apiKey));
  applySubscriptionArgumentFilters(simulator);
  dropNullPropagationDuplicates(simulator);
  serveDeveloperPages(simulatorHttpServer(simulator), { apiKey: options.apiKey });
  acceptHeaderSubprotocol(simulatorHttpServer(simulator));
  keepOnePingTimerPerConnection(simulator);
  return simulator;
}

/** Stops the simulator and closes the connections it leaves open, so that its process can exit. */
export async function stopAppSyncLocal(simulator: AmplifyAppSyncSimulator): Promise<void> {
  await simulator.stop();
  simulatorHttpServer(simulator).closeAllConnections();
}

interface RealtimeConnection {
  pingIntervalHandle?: NodeJS.Timeout;
}

/**
 * The simulator's real-time server starts its keep-alive timer twice per connection and clears one
 * on close; the other fires forever and keeps the process alive. Starting it again now clears the
 * previous timer first.
 */
function keepOnePingTimerPerConnection(simulator: AmplifyAppSyncSimulator): void {
  const realtime = (
    simulator as unknown as {
      _server: { _realTimeSubscriptionServer: { realtimeServer: { setupPing: (connection: RealtimeConnection) => void } } };
    }
  )._server._realTimeSubscriptionServer.realtimeServer;
  const setupPing = realtime.setupPing;
  realtime.setupPing = (connection) => {
    clearInterval(connection.pingIntervalHandle);
    setupPing(connection);
  };
}

/** The simulator's HTTP server, which it does not expose. */
export function simulatorHttpServer(simulator: AmplifyAppSyncSimulator): Server {
  return (simulator as unknown as { _server: { _httpServer: Server } })._server._httpServer;
}

interface GraphQLErrorBody {
  message?: string;
  errorType?: string;
  path?: unknown[];
}

/**
 * When a resolver of a non-null field raises an error, AppSync answers with that one error. The
 * simulator adds graphql-js's "Cannot return null for non-nullable field" for the same path; this
 * removes that duplicate so local answers match AppSync's.
 */
function dropNullPropagationDuplicates(simulator: AmplifyAppSyncSimulator): void {
  const server = simulatorHttpServer(simulator);
  const listeners = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'POST' && request.url?.startsWith('/graphql')) rewriteJsonBody(response, withoutDuplicateErrors);
    for (const listener of listeners) listener(request, response);
  });
}

function withoutDuplicateErrors(body: { errors?: GraphQLErrorBody[] }): void {
  const errors = body.errors;
  if (!errors) return;
  const typedPaths = new Set(errors.filter((error) => error.errorType).map((error) => JSON.stringify(error.path)));
  body.errors = errors.filter(
    (error) => !(error.message?.startsWith('Cannot return null for non-nullable field') && typedPaths.has(JSON.stringify(error.path))),
  );
}

/** Lets `transform` edit a JSON response body before it is sent (express sends it with one `end`). */
function rewriteJsonBody(response: ServerResponse, transform: (body: { errors?: GraphQLErrorBody[] }) => void): void {
  const end = response.end.bind(response) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
  response.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (chunk === undefined || typeof chunk === 'function' || response.headersSent) return end(chunk, ...rest);
    try {
      const body = JSON.parse(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
      transform(body);
      const rewritten = JSON.stringify(body);
      response.setHeader('content-length', Buffer.byteLength(rewritten));
      return end(rewritten, ...rest.filter((argument) => typeof argument === 'function'));
    } catch {
      return end(chunk, ...rest);
    }
  }) as ServerResponse['end'];
}

/**
 * AppSync delivers a subscription event only when each argument the subscriber gave equals the
 * same-named field of the mutation's result. The simulator (2.16) drops the arguments before its
 * filter runs, so every subscriber gets every event; this restores AppSync's rule locally.
 */
function applySubscriptionArgumentFilters(simulator: AmplifyAppSyncSimulator): void {
  const fields = simulator.schema.getSubscriptionType()?.getFields() ?? {};
  for (const [name, field] of Object.entries(fields)) {
    field.subscribe = (_source, args: Record<string, unknown>) => {
      const wanted = Object.entries(args).filter(([, value]) => value !== null && value !== undefined);
      return onlyMatching(simulator.pubsub.asyncIterator<Record<string, unknown>>(name), (payload) =>
        wanted.every(([key, value]) => payload?.[key] === value),
      );
    };
  }
}

function onlyMatching<T>(source: AsyncIterator<T>, keep: (value: T) => boolean): AsyncIterableIterator<T> {
  return {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done || keep(result.value)) return result;
      }
    },
    return: () => source.return?.() ?? Promise.resolve({ done: true, value: undefined }),
    throw: (error) => source.throw?.(error) ?? Promise.reject(error),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
