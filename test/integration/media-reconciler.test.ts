import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { localDocumentClient, localS3Client } from '../../infra/local/clients.js';
import { handler } from '../../jobs/handlers/reconcile-media.js';
import { ORPHAN_METRIC, reconcileMedia } from '../../jobs/media-reconciler.js';
import { DynamoDbLearningPathStore } from '../../resolvers/learning-paths/dynamodb-store.js';
import type { LearningPathRecord } from '../../resolvers/learning-paths/model.js';
import { S3MediaStore } from '../../resolvers/learning-paths/s3-media-store.js';
import type { StoredObject } from '../../resolvers/learning-paths/store.js';
import { PNG_1PX } from '../support/media-samples.js';

const stack = inject('localStack');
const s3 = localS3Client(stack.s3Endpoint);
const dynamo = localDocumentClient(stack.dynamoDbEndpoint);
const paths = new DynamoDbLearningPathStore(dynamo, stack.tableName);
const media = new S3MediaStore(s3, stack.bucketName);

afterAll(() => {
  s3.destroy();
  dynamo.destroy();
});

const NOW = new Date().toISOString();
const later = (minutes: number) => () => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();

async function putObject(key: string) {
  await s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: key, Body: PNG_1PX, ContentType: 'image/png' }));
}

async function keysUnder(prefix: string) {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => object.Key as string).sort();
}

/** A stored path whose media is `media/<id>/linked`, plus an unreferenced object and one of a path that does not exist. */
async function pathWithLeftovers() {
  const id = randomUUID();
  const linked = `media/${id}/linked`;
  const record: LearningPathRecord = {
    id,
    owner: 'reconciler-test',
    name: 'Reconciled',
    version: 2,
    createdAt: NOW,
    updatedAt: NOW,
    media: { key: linked, contentType: 'image/png', size: PNG_1PX.byteLength, uploadedAt: NOW },
  };
  await paths.create(record);
  await putObject(linked);
  await putObject(`media/${id}/orphan`);
  return { id, linked };
}

describe('media reconciler against DynamoDB Local and s3rver', () => {
  it('removes objects unreferenced for over an hour, keeps the referenced ones, and a second run finds nothing', async () => {
    const { id, linked } = await pathWithLeftovers();
    const gone = randomUUID();
    await putObject(`media/${gone}/of-a-deleted-path`);

    const young = await reconcileMedia({ paths, media, now: later(30) }, { prefix: `media/${id}/` });
    expect(young.removed).toEqual([]);

    const first = await reconcileMedia({ paths, media, now: later(61) }, { prefix: `media/${id}/` });
    const ofGone = await reconcileMedia({ paths, media, now: later(61) }, { prefix: `media/${gone}/` });
    expect(first).toEqual({ listed: 2, removed: [`media/${id}/orphan`], complete: true });
    expect(ofGone.removed).toEqual([`media/${gone}/of-a-deleted-path`]);
    expect(await keysUnder(`media/${id}/`)).toEqual([linked]);

    const second = await reconcileMedia({ paths, media, now: later(61) }, { prefix: `media/${id}/` });
    expect(second.removed).toEqual([]);
    await paths.delete(id);
    await reconcileMedia({ paths, media, now: later(61) }, { prefix: `media/${id}/` });
  });

  it('re-reads the record before each delete: an object linked after the listing stays', async () => {
    const { id, linked } = await pathWithLeftovers();
    const late = `media/${id}/orphan`;
    // Between the listing and the delete, an attach links the object the listing saw as unreferenced.
    const linkingMedia = {
      listUnder: (prefix: string) =>
        (async function* () {
          for await (const page of media.listUnder(prefix)) {
            await paths.setMedia(id, { key: late, contentType: 'image/png', size: PNG_1PX.byteLength, uploadedAt: NOW }, NOW);
            yield page as StoredObject[];
          }
        })(),
      delete: (key: string) => media.delete(key),
    };
    const report = await reconcileMedia({ paths, media: linkingMedia, now: later(61) }, { prefix: `media/${id}/` });
    expect(report.removed).toEqual([linked]);
    expect(await keysUnder(`media/${id}/`)).toEqual([late]);
    await paths.delete(id);
    await reconcileMedia({ paths, media, now: later(61) }, { prefix: `media/${id}/` });
  });

  it('refuses to work outside media/', async () => {
    await expect(reconcileMedia({ paths, media, now: later(61) }, { prefix: 'uploads/' })).rejects.toThrow(/media\//);
  });

  it('runs as a Lambda handler and publishes how many objects it removed as a CloudWatch metric', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    let result: Awaited<ReturnType<typeof handler>>;
    try {
      // The real clock: nothing the suite made is an hour old, so nothing of other tests is touched.
      result = await handler({}, { getRemainingTimeInMillis: () => 60_000 });
    } finally {
      spy.mockRestore();
    }
    expect(result).toMatchObject({ removed: 0, complete: true });
    const emf = written.map((line) => JSON.parse(line)).find((entry) => entry._aws?.CloudWatchMetrics);
    expect(emf?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: ORPHAN_METRIC.namespace,
      Metrics: [{ Name: ORPHAN_METRIC.name, Unit: 'Count' }],
    });
    expect(emf[ORPHAN_METRIC.name]).toBe(0);
  });
});
