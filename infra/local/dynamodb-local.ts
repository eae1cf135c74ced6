import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { SECONDARY_INDEXES, TABLE_KEY } from '../definitions.js';
import { localDynamoDbClient } from './clients.js';
import { loopbackEndpoint } from './ports.js';

export const JAVA_INSTALL_HINT = 'sudo apt-get install -y openjdk-17-jre-headless';

/** Thrown when no Java runtime can run DynamoDB Local. */
export class JavaMissingError extends Error {
  constructor() {
    super(`Java 17+ is required to run DynamoDB Local and was not found; install it with: ${JAVA_INSTALL_HINT}`);
  }
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** The DynamoDB Local jar shipped inside the npm package amplify-dynamodb-simulator. */
function emulatorDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new JavaMissingError();
}

/**
 * Starts AWS's DynamoDB Local on the port given, in memory or persisting under `dataDir`. One shared
 * database regardless of credentials and region (`-sharedDb`), as a single-account setup expects.
 */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string }): Promise<DynamoDbLocal> {
  assertJava();
  const emulator = emulatorDirectory();
  const storage = options.dataDir === undefined ? ['-inMemory'] : ['-dbPath', options.dataDir];
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const java = spawn(
    'java',
    [
      `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(emulator, 'DynamoDBLocal.jar'),
      '-port',
      String(options.port),
      '-sharedDb',
      ...storage,
    ],
    { cwd: emulator, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const killOnExit = () => java.kill('SIGKILL');
  process.once('exit', killOnExit);
  const endpoint = loopbackEndpoint(options.port);
  try {
    await waitUntilReady(endpoint, java);
  } catch (error) {
    java.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    stop: async () => {
      process.off('exit', killOnExit);
      await stopProcess(java);
    },
  };
}

async function waitUntilReady(endpoint: string, java: ChildProcess): Promise<void> {
  let stderr = '';
  java.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = localDynamoDbClient(endpoint);
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      if (java.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${java.exitCode}: ${stderr.trim()}`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
    throw new Error('DynamoDB Local did not become ready within 60 s');
  } finally {
    client.destroy();
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

type SecondaryIndex = (typeof SECONDARY_INDEXES)[number];

const indexSpec = (index: SecondaryIndex) => ({
  IndexName: index.indexName,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'ALL' as const },
});

const keyAttributes = (indexes: readonly SecondaryIndex[]) =>
  [...new Set([TABLE_KEY.partitionKey, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])])].map((name) => ({
    AttributeName: name,
    AttributeType: 'S' as const,
  }));

/**
 * Creates the learning-path table with its indexes from the shared definition; a table that exists
 * already (persisted under .local/) gains the indexes it lacks, one at a time as on AWS.
 */
export async function ensureTable(
  endpoint: string,
  tableName: string,
  indexes: readonly SecondaryIndex[] = SECONDARY_INDEXES,
): Promise<void> {
  const client = localDynamoDbClient(endpoint);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: keyAttributes(indexes),
        KeySchema: [{ AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' }],
        GlobalSecondaryIndexes: indexes.map(indexSpec),
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of indexes.filter((candidate) => !present.has(candidate.indexName))) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: keyAttributes([index]),
          GlobalSecondaryIndexUpdates: [{ Create: indexSpec(index) }],
        }),
      );
      await waitUntilIndexActive(client, tableName, index.indexName);
    }
  } finally {
    client.destroy();
  }
}

async function waitUntilIndexActive(client: DynamoDBClient, tableName: string, indexName: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.GlobalSecondaryIndexes?.find((index) => index.IndexName === indexName)?.IndexStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Index ${indexName} of ${tableName} did not become active within 60 s`);
}
