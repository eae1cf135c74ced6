import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_KEY_METRIC } from '../../jobs/api-key-expiry.js';

/**
 * The renewal job's real module and SDK client against a stand-in for AppSync's control plane on
 * loopback (there is no local AppSync control plane): what it sends, and what it reports.
 */
interface Received {
  method: string;
  path: string;
  authorization: string;
  body: Record<string, unknown>;
}
const received: Received[] = [];
let answer: { status: number; body: Record<string, unknown>; headers?: Record<string, string> } | undefined;
let server: Server;

const API_ID = 'abcdefghijklmnopqrstuvwxyz';
const KEY_ID = 'da2-exampleexampleexample';
const LIFETIME_DAYS = 30;

async function read(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = JSON.parse((await read(request)) || '{}') as Record<string, unknown>;
    received.push({ method: request.method ?? '', path: request.url ?? '', authorization: request.headers.authorization ?? '', body });
    const reply = answer ?? {
      status: 200,
      body: { apiKey: { id: KEY_ID, expires: body.expires, deletes: (body.expires as number) + 60 * 86_400 } },
    };
    response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    response.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_APPSYNC: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    API_ID,
    API_KEY_ID: KEY_ID,
    API_KEY_LIFETIME_DAYS: String(LIFETIME_DAYS),
  });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  received.length = 0;
  answer = undefined;
  vi.restoreAllMocks();
});

/** Runs the job, collecting the embedded-metric-format records it writes to standard output. */
async function run() {
  const { handler } = await import('../../jobs/renew-api-key.js');
  const records: Record<string, unknown>[] = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = String(chunk);
    if (text.includes('"_aws"')) records.push(JSON.parse(text) as Record<string, unknown>);
    else write(chunk);
    return true;
  });
  let result: Awaited<ReturnType<typeof handler>> | undefined;
  let error: unknown;
  try {
    result = await handler();
  } catch (caught) {
    error = caught;
  }
  vi.restoreAllMocks();
  return { result, error, records };
}

describe('the API key renewal job', () => {
  it('pushes the expiry a full lifetime ahead, on the hour, with one signed UpdateApiKey call', async () => {
    const before = Date.now();
    const { result, records } = await run();
    expect(received).toHaveLength(1);
    const [request] = received as [Received];
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/v1/apis/${API_ID}/apikeys/${KEY_ID}`);
    expect(request.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[\w-]+\/appsync\/aws4_request/);
    const expires = request.body.expires as number;
    expect(expires % 3600).toBe(0);
    expect(expires * 1000).toBeLessThanOrEqual(before + LIFETIME_DAYS * 86_400_000 + 60_000);
    expect(expires * 1000).toBeGreaterThan(before + LIFETIME_DAYS * 86_400_000 - 3_600_000);
    expect(result?.expires).toBe(expires);
    expect(records).toHaveLength(1);
  });

  it('reports the days the key has left as the metric the alarm watches', async () => {
    const { records } = await run();
    const [record] = records as [
      Record<string, unknown> & {
        _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
      },
    ];
    const [directive] = record._aws.CloudWatchMetrics;
    expect(directive?.Namespace).toBe(API_KEY_METRIC.namespace);
    expect(directive?.Dimensions.flat()).toContain(API_KEY_METRIC.dimension);
    expect(directive?.Metrics.map((metric) => metric.Name)).toEqual([API_KEY_METRIC.name]);
    expect(record[API_KEY_METRIC.dimension]).toBe(API_ID);
    const days = record[API_KEY_METRIC.name] as number;
    expect(days).toBeGreaterThan(LIFETIME_DAYS - 1 / 24);
    expect(days).toBeLessThanOrEqual(LIFETIME_DAYS);
  });

  it('fails, and reports nothing, when AppSync refuses the update (the alarm then sees no data)', async () => {
    answer = {
      status: 404,
      body: { message: 'API key not found' },
      headers: { 'x-amzn-errortype': 'NotFoundException' },
    };
    const { error, records } = await run();
    expect(error).toMatchObject({ name: 'NotFoundException' });
    expect(records).toEqual([]);
  });
});
