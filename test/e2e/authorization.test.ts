import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AddLearningPathMediaDocument,
  CreateLearningPathDocument,
  CreateMediaUploadDocument,
  DeleteLearningPathDocument,
  LearningPathDocument,
  LearningPathsDocument,
  MyLearningPathsDocument,
  OnCreateLearningPathDocument,
  UpdateLearningPathDocument,
} from '../../client/generated/operations.js';
import { localSub } from '../../infra/local/tokens.js';
import { type Auth, anonymous, asAdmin, asIam, asUser, withApiKey } from '../support/auth.js';
import { localAws } from '../support/aws.js';
import { graphql, raisedErrorTypes } from '../support/graphql.js';
import { PNG_1PX } from '../support/media-samples.js';
import { subscribe } from '../support/realtime.js';

const aws = localAws();
const run = randomUUID().slice(0, 8);
const alice = asUser(`alice-${run}`);
const bob = asUser(`bob-${run}`);
const admin = asAdmin(`admin-${run}`);
/**
 * The local simulator reports `arn:aws:sts::12345678910:assumed-role/authRole/CognitoIdentityCredentials`
 * for a SigV4 request signed with its "AuthRole" key; the owner is that session's role.
 */
const LOCAL_IAM_ARN = 'arn:aws:iam::12345678910:role/authRole';
const png = PNG_1PX.toString('base64');

async function createAs(auth: Auth, name = `Owned ${run}`) {
  const response = await graphql(CreateLearningPathDocument, { input: { name } }, { auth });
  expect(response.errors).toBeUndefined();
  const path = response.data?.createLearningPath;
  if (!path) throw new Error('create failed');
  return path;
}

const stored = async (id: string) => (await graphql(LearningPathDocument, { id })).data?.learningPath;

describe('ownership', () => {
  it("sets the owner from the caller's identity: a user's sub, an IAM caller's ARN", async () => {
    const path = await createAs(alice);
    expect(path.owner).toBe(localSub(`alice-${run}`));
    expect((await createAs(asIam)).owner).toBe(LOCAL_IAM_ARN);
  });

  it('refuses owner in the input at the GraphQL layer, before any resolver runs, and creates nothing', async () => {
    const name = `Claimed owner ${run}`;
    const response = await graphql(
      'mutation ($input: CreateLearningPathInput!) { createLearningPath(input: $input) { id owner } }',
      { input: { name, owner: 'someone-else' } },
      { auth: alice },
    );
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]?.message).toContain('"owner" is not defined by type "CreateLearningPathInput"');
    expect((await aws.allItems()).filter((item) => item.name === name)).toEqual([]);
  });

  it('lets no other user update, delete, attach media to or create an upload for a path; nothing changes', async () => {
    const path = await createAs(alice);
    const refusals = [
      await graphql(UpdateLearningPathDocument, { input: { id: path.id, name: 'Taken over' } }, { auth: bob }),
      await graphql(UpdateLearningPathDocument, { input: { id: path.id, name: 'Taken over', expectedVersion: 1 } }, { auth: bob }),
      await graphql(DeleteLearningPathDocument, { id: path.id }, { auth: bob }),
      await graphql(AddLearningPathMediaDocument, { input: { id: path.id, content: png } }, { auth: bob }),
      await graphql(
        CreateMediaUploadDocument,
        { input: { learningPathId: path.id, contentType: 'image/png', contentLength: 68 } },
        { auth: bob },
      ),
    ];
    for (const response of refusals) {
      expect(raisedErrorTypes(response)).toEqual(['Unauthorized']);
      expect(response.errors?.[0]?.message).toBe(`Only the owner of learning path ${path.id} or an administrator may change it.`);
    }
    expect(await stored(path.id)).toEqual(path);
    expect(await aws.objectKeys(`media/${path.id}/`)).toEqual([]);
    expect(await aws.objectKeys(`uploads/${path.id}/`)).toEqual([]);
  });

  it('lets a member of the admins group, and an IAM back-end job, change any path', async () => {
    const path = await createAs(alice);
    const renamed = await graphql(UpdateLearningPathDocument, { input: { id: path.id, name: 'Moderated' } }, { auth: admin });
    expect(renamed.data?.updateLearningPath).toMatchObject({ name: 'Moderated', version: 2, owner: path.owner });
    const attached = await graphql(AddLearningPathMediaDocument, { input: { id: path.id, content: png } }, { auth: admin });
    expect(attached.data?.addLearningPathMedia?.media?.contentType).toBe('image/png');
    const upload = await graphql(
      CreateMediaUploadDocument,
      { input: { learningPathId: path.id, contentType: 'image/png', contentLength: 68 } },
      { auth: asIam },
    );
    expect(upload.errors).toBeUndefined();
    const byJob = await graphql(UpdateLearningPathDocument, { input: { id: path.id, description: 'by a job' } }, { auth: asIam });
    expect(byJob.data?.updateLearningPath).toMatchObject({ version: 4, owner: path.owner });
    const deleted = await graphql(DeleteLearningPathDocument, { id: path.id, expectedVersion: 4 }, { auth: admin });
    expect(deleted.data?.deleteLearningPath?.id).toBe(path.id);
    expect(await stored(path.id)).toBeNull();
    expect(await aws.objectKeys(`media/${path.id}/`)).toEqual([]);
  });

  it('lets the owner change and delete their path', async () => {
    const path = await createAs(alice);
    const updated = await graphql(UpdateLearningPathDocument, { input: { id: path.id, name: 'Mine' } }, { auth: alice });
    expect(updated.data?.updateLearningPath).toMatchObject({ name: 'Mine', version: 2 });
    expect((await graphql(DeleteLearningPathDocument, { id: path.id }, { auth: alice })).errors).toBeUndefined();
  });

  it("keeps two users' equal clientTokens apart: each gets a path of their own", async () => {
    const clientToken = `shared-${run}`;
    const [a, b] = await Promise.all(
      [alice, bob].map((auth) => graphql(CreateLearningPathDocument, { input: { name: 'Same token', clientToken } }, { auth })),
    );
    expect(a?.errors).toBeUndefined();
    expect(b?.errors).toBeUndefined();
    expect(a?.data?.createLearningPath?.id).not.toBe(b?.data?.createLearningPath?.id);
    expect(a?.data?.createLearningPath?.owner).toBe(localSub(`alice-${run}`));
    expect(b?.data?.createLearningPath?.owner).toBe(localSub(`bob-${run}`));
  });
});

describe('the API key', () => {
  it('reads paths and lists them', async () => {
    const path = await createAs(alice);
    expect((await graphql(LearningPathDocument, { id: path.id }, { auth: withApiKey() })).data?.learningPath).toEqual(path);
    const page = await graphql(LearningPathsDocument, { limit: 5 }, { auth: withApiKey() });
    expect(page.errors).toBeUndefined();
    expect(page.data?.learningPaths.items.length).toBeGreaterThan(0);
  });

  it('subscribes and receives the events of signed-in users', async () => {
    const onCreate = await subscribe(String(OnCreateLearningPathDocument));
    const path = await createAs(alice, `Seen by the key ${run}`);
    const event = await onCreate.nextEvent((data) => (data.onCreateLearningPath as { id: string }).id === path.id);
    expect(event.onCreateLearningPath).toEqual(path);
    onCreate.close();
  });

  it('may not write, nor list "my" paths: refused by the schema with errorType Unauthorized, changing nothing', async () => {
    const path = await createAs(alice);
    const name = `By API key ${run}`;
    const refusals = [
      await graphql(CreateLearningPathDocument, { input: { name } }, { auth: withApiKey() }),
      await graphql(UpdateLearningPathDocument, { input: { id: path.id, name } }, { auth: withApiKey() }),
      await graphql(DeleteLearningPathDocument, { id: path.id }, { auth: withApiKey() }),
      await graphql(AddLearningPathMediaDocument, { input: { id: path.id, content: png } }, { auth: withApiKey() }),
      await graphql(
        CreateMediaUploadDocument,
        { input: { learningPathId: path.id, contentType: 'image/png', contentLength: 68 } },
        { auth: withApiKey() },
      ),
      await graphql(MyLearningPathsDocument, {}, { auth: withApiKey() }),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(200);
      expect(response.data ?? null).toBeNull();
      expect(raisedErrorTypes(response)).toEqual(['Unauthorized']);
      expect(response.errors?.[0]?.message).toMatch(/^Not Authorized to access \w+ on type (Mutation|Query)$/);
    }
    expect(await stored(path.id)).toEqual(path);
    expect((await aws.allItems()).filter((item) => item.name === name)).toEqual([]);
  });
});

describe('signed-in users', () => {
  it("subscribe and receive other users' events", async () => {
    const onCreate = await subscribe(String(OnCreateLearningPathDocument), {}, { user: `bob-${run}` });
    const path = await createAs(alice, `Seen by Bob ${run}`);
    const event = await onCreate.nextEvent((data) => (data.onCreateLearningPath as { id: string }).id === path.id);
    expect(event.onCreateLearningPath).toEqual(path);
    onCreate.close();
  });
});

describe('requests without credentials', () => {
  it('are refused with HTTP 401 before any field runs', async () => {
    for (const send of [
      () => graphql(LearningPathsDocument, {}, { auth: anonymous }),
      () => graphql(CreateLearningPathDocument, { input: { name: `Anonymous ${run}` } }, { auth: anonymous }),
    ]) {
      const response = await send();
      expect(response.status).toBe(401);
      expect(response.errors?.[0]?.errorType).toBe('UnauthorizedException');
    }
  });
});

describe('myLearningPaths', () => {
  it("returns exactly the caller's paths, newest first, across pages", async () => {
    const carol = asUser(`carol-${run}`);
    const mine: string[] = [];
    for (let i = 0; i < 7; i++) {
      mine.push((await createAs(carol, `Carol ${i}`)).id);
      await createAs(bob, `Not Carol's ${i}`);
    }
    const seen: string[] = [];
    let nextToken: string | null | undefined;
    do {
      const page = await graphql(MyLearningPathsDocument, { limit: 3, nextToken }, { auth: carol });
      expect(page.errors).toBeUndefined();
      seen.push(...(page.data?.myLearningPaths.items ?? []).map((item) => item.id));
      nextToken = page.data?.myLearningPaths.nextToken;
    } while (nextToken);
    expect(seen).toEqual([...mine].reverse());
  });

  it('is empty for a user who owns nothing, and IAM callers may not use it', async () => {
    const page = await graphql(MyLearningPathsDocument, {}, { auth: asUser(`dave-${run}`) });
    expect(page.data?.myLearningPaths).toEqual({ items: [], nextToken: null });
    expect(raisedErrorTypes(await graphql(MyLearningPathsDocument, {}, { auth: asIam }))).toEqual(['Unauthorized']);
  });

  it("ignores whose page a token came from: another user's token cannot reveal their paths", async () => {
    const erin = asUser(`erin-${run}`);
    for (let i = 0; i < 3; i++) await createAs(erin, `Erin ${i}`);
    const first = await graphql(MyLearningPathsDocument, { limit: 1 }, { auth: erin });
    const token = first.data?.myLearningPaths.nextToken;
    expect(token).toEqual(expect.any(String));
    const replayed = await graphql(MyLearningPathsDocument, { limit: 5, nextToken: token }, { auth: asUser(`frank-${run}`) });
    expect(replayed.data?.myLearningPaths.items).toEqual([]);
  });
});
