import type { TestProject } from 'vitest/node';
import { freePort } from '../../infra/local/ports.js';
import { startLocalStack } from '../../infra/local/stack.js';
import { webExampleOrigins } from '../../infra/local/web-example.js';

declare module 'vitest' {
  export interface ProvidedContext {
    localStack: {
      graphqlUrl: string;
      realtimeUrl: string;
      apiKey: string;
      dynamoDbEndpoint: string;
      s3Endpoint: string;
      tableName: string;
      bucketName: string;
    };
    /** Port for the example web page's dev server; the local bucket allows its origins (CORS). */
    webExamplePort: number;
  }
}

/** One local stack (in memory, free ports) for the whole run; tests reach it over real connections. */
export default async function setup(project: TestProject) {
  const webExamplePort = await freePort();
  const stack = await startLocalStack({ apiKey: 'da2-test-key', inMemory: true, corsOrigins: webExampleOrigins(webExamplePort) });
  const { stop, explorerUrl: _explorer, ...endpoints } = stack;
  project.provide('localStack', endpoints);
  project.provide('webExamplePort', webExamplePort);
  return stop;
}
