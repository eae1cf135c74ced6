/** GraphQL operations of the benchmark, sent to the local AppSync over loopback. */
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { PNG_1PX } from '../test/support/media-samples.js';

export const OPERATIONS = {
  createLearningPath: 'mutation ($input: CreateLearningPathInput!) { createLearningPath(input: $input) { id version } }',
  learningPath: 'query ($id: ID!) { learningPath(id: $id) { id name version media { key url } } }',
  learningPaths: 'query ($limit: Int) { learningPaths(limit: $limit) { items { id media { url } } nextToken } }',
  searchLearningPaths:
    'query ($namePrefix: String!) { searchLearningPaths(namePrefix: $namePrefix) { items { id media { url } } nextToken } }',
  updateLearningPath: 'mutation ($input: UpdateLearningPathInput!) { updateLearningPath(input: $input) { id version } }',
  addLearningPathMedia:
    'mutation ($input: AddLearningPathMediaInput!) { addLearningPathMedia(input: $input) { id version media { key url } } }',
  deleteLearningPath: 'mutation ($id: ID!) { deleteLearningPath(id: $id) { id } }',
} as const;
export type Operation = keyof typeof OPERATIONS;

export const SMALL_PNG = PNG_1PX.toString('base64');
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG of random pixels (incompressible), so its size is about width × height × 3 bytes. */
function noisePng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), randomBytes(width * 3)]));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** A PNG of about 390 KB, under the 512 KiB inline limit, to show what a large argument costs. */
export const LARGE_PNG = noisePng(256, 500).toString('base64');

/** A frontend signed in as a local Cognito user (writes need a user; the API key only reads). */
export class GraphQLClient {
  constructor(
    readonly url: string,
    private readonly idToken: string,
  ) {}

  get headers(): Record<string, string> {
    return { 'content-type': 'application/json', authorization: this.idToken };
  }

  async call<T = Record<string, { id: string }>>(
    operation: Operation,
    variables: Record<string, unknown>,
  ): Promise<{ data?: T; errors?: unknown[] }> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: this.headers,
      body: JSON.stringify({ query: OPERATIONS[operation], variables }),
    });
    return (await response.json()) as { data?: T; errors?: unknown[] };
  }

  async ok<T = Record<string, { id: string }>>(operation: Operation, variables: Record<string, unknown>): Promise<T> {
    const body = await this.call<T>(operation, variables);
    if (body.errors || !body.data) throw new Error(`${operation} failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  }
}
