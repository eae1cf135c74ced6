import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../infra/local/dynamodb-local.js';
import type { LearningPathOrder } from '../../resolvers/generated/graphql.js';
import { DynamoDbLearningPathStore } from '../../resolvers/learning-paths/dynamodb-store.js';
import type { LearningPathRecord } from '../../resolvers/learning-paths/model.js';
import { listLearningPaths, searchLearningPaths, updateLearningPath } from '../../resolvers/learning-paths/service.js';
import { ValidationError } from '../../resolvers/lib/errors.js';
import { localAws } from '../support/aws.js';
import { fakeSigner } from '../support/fakes.js';

/**
 * The catalogue listings against DynamoDB Local, on a table of their own (the shared table holds
 * whatever the other test files write meanwhile), through the real store and its shards.
 */
const aws = localAws();
const TABLE = `catalogue-${randomUUID().slice(0, 8)}`;
const store = new DynamoDbLearningPathStore(aws.documents, TABLE);
const deps = { paths: store, urls: fakeSigner };
const OWNER = 'catalogue-owner';

/** Ids in a fixed order, so that ties are broken visibly. */
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

/** 13 paths: three share one creation time, three fold to the same name, two differ in case and accents only. */
const seed: [number, string, number][] = [
  [1, 'Évolution des espèces', 5],
  [2, 'evolution des especes', 5],
  [3, 'EVOLUTION  DES ESPÈCES', 5],
  [4, 'Algebra', 1],
  [5, 'zoology', 2],
  [6, 'Biology', 3],
  [7, 'ábaco', 4],
  [8, 'Chemistry', 6],
  [9, 'Dance', 7],
  [10, 'Économie', 8],
  [11, 'Physics', 9],
  [12, 'Music', 10],
  [13, 'Art', 11],
];
const records: LearningPathRecord[] = seed.map(([n, name, minute]) => ({
  id: id(n),
  owner: OWNER,
  name,
  version: 1,
  createdAt: at(minute),
  updatedAt: at(minute),
}));

const byCreated = [...records].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map((r) => r.name);
const expected: Record<LearningPathOrder, string[]> = {
  OLDEST_FIRST: byCreated,
  NEWEST_FIRST: [...byCreated].reverse(),
  // Folded: abaco, algebra, art, biology, chemistry, dance, economie, evolution des especes (ids 1, 2, 3), music, physics, zoology.
  NAME_ASC: [
    'ábaco',
    'Algebra',
    'Art',
    'Biology',
    'Chemistry',
    'Dance',
    'Économie',
    'Évolution des espèces',
    'evolution des especes',
    'EVOLUTION  DES ESPÈCES',
    'Music',
    'Physics',
    'zoology',
  ],
  NAME_DESC: [],
};
expected.NAME_DESC = [...expected.NAME_ASC].reverse();

async function pages(order: LearningPathOrder, limit: number) {
  const result: string[][] = [];
  let nextToken: string | null = null;
  do {
    const page = await listLearningPaths(deps, { order, limit, nextToken });
    result.push(page.items.map((item) => item.name));
    nextToken = page.nextToken;
  } while (nextToken);
  return result;
}

async function search(namePrefix: string, limit = 20) {
  const names: string[] = [];
  let nextToken: string | null = null;
  let count = 0;
  do {
    const page = await searchLearningPaths(deps, { namePrefix, limit, nextToken });
    names.push(...page.items.map((item) => item.name));
    nextToken = page.nextToken;
    count++;
  } while (nextToken);
  return { names, pages: count };
}

beforeAll(async () => {
  await ensureTable(aws.stack.dynamoDbEndpoint, TABLE);
  for (const record of records) await store.create(record);
});

describe('catalogue listings (DynamoDB Local, 4 shards)', () => {
  it.each(Object.keys(expected) as LearningPathOrder[])('lists %s over 3 pages, each path once, ties broken by id', async (order) => {
    const result = await pages(order, 5);
    expect(result.map((page) => page.length)).toEqual([5, 5, 3]);
    expect(result.flat()).toEqual(expected[order]);
  });

  it('lists newest first when no order is given', async () => {
    const page = await listLearningPaths(deps, {});
    expect(page.items.map((item) => item.name)).toEqual(expected.NEWEST_FIRST);
    expect(page.nextToken).toBeNull();
  });

  it('ends on a full last page without an empty page after it', async () => {
    expect((await pages('NAME_ASC', 13)).map((page) => page.length)).toEqual([13]);
  });

  it('refuses a token of one order with another, and of a search with another prefix', async () => {
    const first = await listLearningPaths(deps, { order: 'NEWEST_FIRST', limit: 2 });
    for (const order of ['OLDEST_FIRST', 'NAME_ASC', 'NAME_DESC'] as const) {
      await expect(listLearningPaths(deps, { order, nextToken: first.nextToken })).rejects.toThrow(
        new ValidationError('nextToken: belongs to another order; page with the order it came from'),
      );
    }
    await expect(searchLearningPaths(deps, { namePrefix: 'e', nextToken: first.nextToken })).rejects.toThrow(ValidationError);
    const found = await searchLearningPaths(deps, { namePrefix: 'evo', limit: 1 });
    await expect(searchLearningPaths(deps, { namePrefix: 'ev', nextToken: found.nextToken })).rejects.toThrow(
      new ValidationError('nextToken: belongs to another search; page with the namePrefix it came from'),
    );
    await expect(listLearningPaths(deps, { order: 'NAME_ASC', nextToken: found.nextToken })).rejects.toThrow(ValidationError);
    await expect(searchLearningPaths(deps, { namePrefix: 'EVO', limit: 1, nextToken: found.nextToken })).resolves.toMatchObject({
      items: [{ id: id(2) }],
    });
  });

  it('moves a renamed path in the name orders in the same write', async () => {
    const renamed: LearningPathRecord = {
      id: randomUUID(),
      owner: OWNER,
      name: 'Zzz first name',
      version: 1,
      createdAt: at(30),
      updatedAt: at(30),
    };
    const table = new DynamoDbLearningPathStore(aws.documents, TABLE);
    await table.create(renamed);
    await updateLearningPath(
      { paths: table, urls: fakeSigner, now: () => at(31) },
      { kind: 'iam', userArn: 'arn:aws:iam::1:role/job', accountId: '1' },
      {
        id: renamed.id,
        name: 'Aardvark',
      },
    );
    expect((await searchLearningPaths(deps, { namePrefix: 'aardv' })).items.map((item) => item.id)).toEqual([renamed.id]);
    expect((await searchLearningPaths(deps, { namePrefix: 'zzz' })).items).toEqual([]);
    await table.delete(renamed.id);
  });
});

describe('name search (DynamoDB Local)', () => {
  it('compares without regard to case and accents: "evo" finds every Évolution', async () => {
    expect((await search('evo')).names).toEqual(['Évolution des espèces', 'evolution des especes', 'EVOLUTION  DES ESPÈCES']);
    expect((await search('ÉVO')).names).toHaveLength(3);
    expect((await search('e')).names).toEqual(['Économie', 'Évolution des espèces', 'evolution des especes', 'EVOLUTION  DES ESPÈCES']);
  });

  it('treats runs of white space as one space, and trims the prefix', async () => {
    expect((await search('evolution\u2003 \u00a0des esp')).names).toHaveLength(3);
    expect((await search('  Algebra  ')).names).toEqual(['Algebra']);
    expect((await search('evolutiondes')).names).toEqual([]);
  });

  it('answers a prefix that matches nothing with an empty page', async () => {
    await expect(searchLearningPaths(deps, { namePrefix: 'Quantum' })).resolves.toEqual({ items: [], nextToken: null });
  });
});

describe('name search of CJK, emoji and many matches (DynamoDB Local)', () => {
  const marked = (name: string): LearningPathRecord => ({
    id: randomUUID(),
    owner: OWNER,
    name,
    version: 1,
    createdAt: at(40),
    updatedAt: at(40),
  });

  it('finds CJK and emoji names by their first characters', async () => {
    const names = ['東京の歴史', '東京タワー', '東北', '🚀 Rocket science', '🚀🌕 Moon', 'ｆｕｌｌ ｗｉｄｔｈ'];
    for (const name of names) await store.create(marked(name));
    expect((await search('東京')).names.sort()).toEqual(['東京の歴史', '東京タワー'].sort());
    expect((await search('東')).names).toHaveLength(3);
    expect((await search('🚀')).names).toEqual(['🚀 Rocket science', '🚀🌕 Moon']);
    expect((await search('🚀 r')).names).toEqual(['🚀 Rocket science']);
    expect((await search('full w')).names).toEqual(['ｆｕｌｌ ｗｉｄｔｈ']);
  });

  it('pages through many matches, in name order, each once', async () => {
    const many = Array.from({ length: 57 }, (_, n) => marked(`Many match ${String(n).padStart(2, '0')}`));
    await Promise.all(many.map((record) => store.create(record)));
    const { names, pages: count } = await search('many MATCH', 10);
    expect(names).toEqual(many.map((record) => record.name));
    expect(count).toBe(6);
  });
});
