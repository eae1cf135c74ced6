import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { REPOSITORY_ROOT, SECONDARY_INDEXES, TABLE_KEY } from '../definitions.js';
import { localDynamoDbClient } from './clients.js';
import { LOOPBACK_ADDRESS, loopbackEndpoint } from './ports.js';

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

/** Starts the jar's own server listening on one address; the jar has no option for it (see the Java file). */
const LOOPBACK_LAUNCHER = join(import.meta.dirname, 'java', 'LoopbackDynamoDbLocal.java');

const LAUNCHER_CLASS = 'LoopbackDynamoDbLocal';

/**
 * The directory holding the launcher compiled, compiling it on first use (a few seconds) into a cache
 * keyed by its source, so that later starts load the class directly. Compiled into a fresh directory
 * that is then renamed into place, so that stacks starting at once do not see half a compilation.
 */
async function compiledLauncher(jars: readonly string[]): Promise<string> {
  const source = readFileSync(LOOPBACK_LAUNCHER);
  const directory = join(
    REPOSITORY_ROOT,
    'node_modules',
    '.cache',
    'loopback-dynamodb-local',
    createHash('sha256').update(source).digest('hex').slice(0, 16),
  );
  if (existsSync(join(directory, `${LAUNCHER_CLASS}.class`))) return directory;
  mkdirSync(dirname(directory), { recursive: true });
  const staging = mkdtempSync(`${directory}-`);
  const java = spawn('java', ['-cp', jars.join(delimiter), LOOPBACK_LAUNCHER, '--compile', staging, LOOPBACK_LAUNCHER], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  java.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => java.once('exit', resolve));
  if (code !== 0) throw new Error(`Could not compile ${LOOPBACK_LAUNCHER}: ${stderr.trim()}`);
  try {
    renameSync(staging, directory);
  } catch {
    // Another stack compiled it first: use theirs.
    rmSync(staging, { recursive: true, force: true });
  }
  return directory;
}

/** No page in a browser may call DynamoDB Local (it takes any credentials): CORS allows only an origin that cannot exist. */
const NO_BROWSER_ORIGIN = 'https://no-browser-access.invalid';

/**
 * Starts AWS's DynamoDB Local on the port given, on the loopback interface only, in memory or
 * persisting under `dataDir`. One shared database regardless of credentials and region
 * (`-sharedDb`), as a single-account setup expects; no telemetry, no browser access.
 */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string }): Promise<DynamoDbLocal> {
  assertJava();
  const emulator = emulatorDirectory();
  const jars = [join(emulator, 'DynamoDBLocal.jar'), join(emulator, 'DynamoDBLocal_lib', '*')];
  const launcher = await compiledLauncher(jars);
  const storage = options.dataDir === undefined ? ['-inMemory'] : ['-dbPath', options.dataDir];
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const java = spawn(
    'java',
    [
      `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
      '-cp',
      [launcher, ...jars].join(delimiter),
      LAUNCHER_CLASS,
      LOOPBACK_ADDRESS,
      '-port',
      String(options.port),
      '-sharedDb',
      '-disableTelemetry',
      '-cors',
      NO_BROWSER_ORIGIN,
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
