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
type Mode = 'apiKey' | 'userPool';
const MODES: Mode[] = ['apiKey', 'userPool'];
/** One Amplify frontend per auth mode: a reader with the API key, and a signed-in user (not the author). */
const subscribers = new Map<Mode, { process: ChildProcess; lines: Record<string, unknown>[] }>();
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

function waitForLine(mode: Mode, match: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const lines = subscribers.get(mode)?.lines ?? [];
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const line = lines.find(match);
      if (line) resolve(line);
      else if (Date.now() - started > timeoutMs) reject(new Error(`${mode}: no matching line in ${JSON.stringify(lines)}`));
      else return;
      clearInterval(timer);
    }, 50);
  });
}

beforeAll(async () => {
  certificate = await ensureCertificate(certificateDir);
  stack = await startLocalStack({ apiKey: 'da2-amplify-test', inMemory: true, https: certificate });
  const credentials: Record<Mode, string> = {
    apiKey: `apiKey:${stack.apiKey}`,
    userPool: `userPool:${localIdToken({ user: 'amplify-reader' })}`,
  };
  for (const mode of MODES) {
    const lines: Record<string, unknown>[] = [];
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'test/support/amplify-subscriber.ts'), stack.graphqlUrl, credentials[mode], ...SUBSCRIPTIONS],
      { cwd: root, env: { ...process.env, NODE_EXTRA_CA_CERTS: certificate.certPath }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line));
    });
    subscribers.set(mode, { process: child, lines });
  }
}, 120_000);

afterAll(async () => {
  for (const { process: child } of subscribers.values()) child.kill();
  await stack?.stop();
  rmSync(certificateDir, { recursive: true, force: true });
});

describe('the published Amplify JS 6 client against `npm start -- --https`', () => {
  it('subscribes over wss:// with its header- subprotocol, with the API key and as a signed-in user, and receives create, update and delete events of another client', async () => {
    for (const mode of MODES) {
      const acks = () => (subscribers.get(mode)?.lines ?? []).filter((line) => 'ack' in line).length;
      await waitForLine(mode, () => acks() === SUBSCRIPTIONS.length);
    }
    expect(stack.realtimeUrl).toMatch(/^wss:\/\//);

    const created = await mutate(`mutation { createLearningPath(input: { name: "Amplify sees this" }) { ${FIELDS} } }`);
    const id = created.createLearningPath?.id;
    expect(id).toEqual(expect.any(String));
    await mutate(`mutation { updateLearningPath(input: { id: "${id}", name: "Renamed" }) { ${FIELDS} } }`);
    await mutate(`mutation { deleteLearningPath(id: "${id}") { ${FIELDS} } }`);

    for (const mode of MODES) {
      const createEvent = await waitForLine(mode, (line) => JSON.stringify(line).includes(`"onCreateLearningPath":{"id":"${id}"`));
      expect(createEvent.event).toEqual({ onCreateLearningPath: { id, name: 'Amplify sees this', version: 1 } });
      const updateEvent = await waitForLine(mode, (line) => JSON.stringify(line).includes('"onUpdateLearningPath"'));
      expect(updateEvent.event).toEqual({ onUpdateLearningPath: { id, name: 'Renamed', version: 2 } });
      const deleteEvent = await waitForLine(mode, (line) => JSON.stringify(line).includes('"onDeleteLearningPath"'));
      expect(deleteEvent.event).toEqual({ onDeleteLearningPath: { id, name: 'Renamed', version: 2 } });
      expect((subscribers.get(mode)?.lines ?? []).filter((line) => 'error' in line)).toEqual([]);
    }
  }, 60_000);
});
