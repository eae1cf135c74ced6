import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../infra/local/stack.js';

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
  }
}

/** One local stack (in memory, free ports) for the whole run; tests reach it over real connections. */
export default async function setup(project: TestProject) {
  const stack = await startLocalStack({ apiKey: 'da2-test-key', inMemory: true });
  const { stop, explorerUrl: _explorer, ...endpoints } = stack;
  project.provide('localStack', endpoints);
  return stop;
}
