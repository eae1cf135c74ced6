import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/stack.js';
import { type Certificate, ensureCertificate } from '../../infra/local/tls.js';
import { localIdToken } from '../../infra/local/tokens.js';

const root = join(import.meta.dirname, '..', '..');
const FIELDS = 'id name version';
const SUBSCRIPTIONS = [
  `subscription { onCreateLearningPath { ${FIELDS} } }`,
  `subscription { onUpdateLearningPath { ${FIELDS} } }`,
  `subscription { onDeleteLearningPath { ${FIELDS} } }`,
];

let stack: LocalStack;
let certificate: Certificate;
let subscriber: ChildProcess;
const lines: Record<string, unknown>[] = [];
const certificateDir = mkdtempSync(join(tmpdir(), 'learning-paths-tls-'));

/** Another client, signed in as a user: plain HTTPS that trusts the local certificate. */
function mutate(query: string): Promise<Record<string, { id: string }>> {
  const body = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const call = request(
      stack.graphqlUrl,
      {
        method: 'POST',
        ca: readFileSync(certificate.certPath),
        headers: {
          'content-type': 'application/json',
          authorization: localIdToken({ user: 'amplify-author' }),
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve(JSON.parse(text).data));
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

function waitForLine(match: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const line = lines.find(match);
      if (line) resolve(line);
      else if (Date.now() - started > timeoutMs) reject(new Error(`no matching line in ${JSON.stringify(lines)}`));
      else return;
      clearInterval(timer);
    }, 50);
  });
}

beforeAll(async () => {
  certificate = await ensureCertificate(certificateDir);
  stack = await startLocalStack({ apiKey: 'da2-amplify-test', inMemory: true, https: certificate });
  subscriber = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'test/support/amplify-subscriber.ts'), stack.graphqlUrl, stack.apiKey, ...SUBSCRIPTIONS],
    {
      cwd: root,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: certificate.certPath },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let buffered = '';
  subscriber.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line));
  });
}, 120_000);

afterAll(async () => {
  subscriber?.kill();
  await stack?.stop();
  rmSync(certificateDir, { recursive: true, force: true });
});

describe('the published Amplify JS 6 client against `npm start -- --https`', () => {
  it('subscribes over wss:// with its header- subprotocol and receives create, update and delete events of another client', async () => {
    await waitForLine(() => lines.filter((line) => 'ack' in line).length === SUBSCRIPTIONS.length);
    expect(stack.realtimeUrl).toMatch(/^wss:\/\//);

    const created = await mutate(`mutation { createLearningPath(input: { name: "Amplify sees this" }) { ${FIELDS} } }`);
    const id = created.createLearningPath?.id;
    const createEvent = await waitForLine((line) => JSON.stringify(line).includes(`"onCreateLearningPath":{"id":"${id}"`));
    expect(createEvent.event).toEqual({ onCreateLearningPath: { id, name: 'Amplify sees this', version: 1 } });

    await mutate(`mutation { updateLearningPath(input: { id: "${id}", name: "Renamed" }) { ${FIELDS} } }`);
    const updateEvent = await waitForLine((line) => JSON.stringify(line).includes('"onUpdateLearningPath"'));
    expect(updateEvent.event).toEqual({ onUpdateLearningPath: { id, name: 'Renamed', version: 2 } });

    await mutate(`mutation { deleteLearningPath(id: "${id}") { ${FIELDS} } }`);
    const deleteEvent = await waitForLine((line) => JSON.stringify(line).includes('"onDeleteLearningPath"'));
    expect(deleteEvent.event).toEqual({ onDeleteLearningPath: { id, name: 'Renamed', version: 2 } });
    expect(lines.filter((line) => 'error' in line)).toEqual([]);
  }, 60_000);
});
