import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  AmplifyAppSyncSimulator,
  AmplifyAppSyncSimulatorAuthenticationType,
  type AmplifyAppSyncSimulatorConfig,
  RESOLVER_KIND,
} from '@aws-amplify/amplify-appsync-simulator';
import { handlerName, type ResolverDeclaration, resolverDeclarations } from '../../resolvers/declarations.js';

export const REPOSITORY_ROOT = join(import.meta.dirname, '..', '..');
export const SCHEMA_PATH = join(REPOSITORY_ROOT, 'schema', 'schema.graphql');
export const REQUEST_TEMPLATE_PATH = join(REPOSITORY_ROOT, 'resolvers', 'templates', 'invoke.request.vtl');
export const RESPONSE_TEMPLATE_PATH = join(REPOSITORY_ROOT, 'resolvers', 'templates', 'invoke.response.vtl');

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
    appSync: {
      name: 'learning-paths-local',
      defaultAuthenticationType: { authenticationType: AmplifyAppSyncSimulatorAuthenticationType.API_KEY },
      apiKey,
      additionalAuthenticationProviders: [],
    },
  };
}

/**
 * The local AppSync: the project's schema and mapping templates, and for each declared resolver a
 * Lambda data source that calls the real handler module in this process. Handlers read their
 * configuration at import, so the caller sets the environment first.
 */
export async function startAppSyncLocal(options: { port: number; apiKey: string }): Promise<AmplifyAppSyncSimulator> {
  const handlers = await Promise.all(
    resolverDeclarations.map(async (declaration) => {
      const module = (await import(pathToFileURL(join(REPOSITORY_ROOT, declaration.entry)).href)) as { handler: Handler };
      return { declaration, handler: module.handler };
    }),
  );
  const simulator = new AmplifyAppSyncSimulator({ port: options.port });
  await simulator.start();
  simulator.init(localSimulatorConfig(handlers, options.apiKey));
  return simulator;
}
