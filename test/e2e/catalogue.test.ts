import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CreateLearningPathDocument,
  type LearningPathOrder,
  LearningPathsDocument,
  type LearningPathsQuery,
  SearchLearningPathsDocument,
  type SearchLearningPathsQuery,
} from '../../client/generated/operations.js';
import { type Auth, anonymous, asAdmin, asIam, asUser, withApiKey } from '../support/auth.js';
import { type GraphQLResponse, graphql, raisedErrorTypes } from '../support/graphql.js';

/**
 * The catalogue through the local AppSync, with the typed client documents. Other files write to
 * the same table meanwhile, so searches use this run's marker as the start of every name, and the
 * orders are checked on the relative order of this file's own paths within the whole listing.
 */
const run = randomUUID().slice(0, 8);
const MARK = `Cat${run}`;
const author = asUser(`catalogue-${run}`);

const names = [`${MARK} Évolution`, `${MARK.toLowerCase()} evolution`, `${MARK} 東京タワー`, `${MARK} 🚀 launch`, `${MARK} Zebra`];
const created: { id: string; name: string }[] = [];

beforeAll(async () => {
  for (const name of names) {
    const response = await graphql(CreateLearningPathDocument, { input: { name } }, { auth: author });
    expect(response.errors).toBeUndefined();
    created.push({ id: response.data?.createLearningPath.id as string, name });
    // Distinct creation times, so that the time orders are known.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
});

async function searchAll(namePrefix: string, limit = 2, auth: Auth = author) {
  const found: string[] = [];
  let nextToken: string | null = null;
  do {
    const response: GraphQLResponse<SearchLearningPathsQuery> = await graphql(
      SearchLearningPathsDocument,
      { namePrefix, limit, nextToken },
      { auth },
    );
    expect(response.errors).toBeUndefined();
    const page = response.data?.searchLearningPaths;
    found.push(...(page?.items ?? []).map((item) => item.name));
    nextToken = page?.nextToken ?? null;
  } while (nextToken);
  return found;
}

async function listAll(order: LearningPathOrder): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | null = null;
  do {
    const response: GraphQLResponse<LearningPathsQuery> = await graphql(
      LearningPathsDocument,
      { order, limit: 100, nextToken },
      { auth: withApiKey() },
    );
    expect(response.errors).toBeUndefined();
    ids.push(...(response.data?.learningPaths.items ?? []).map((item) => item.id));
    nextToken = response.data?.learningPaths.nextToken ?? null;
  } while (nextToken);
  return ids;
}

describe('searchLearningPaths through GraphQL', () => {
  it('finds "Évolution" by "evo", ignoring case and accents, by name then id, over pages', async () => {
    expect(await searchAll(`${MARK} EVO`)).toEqual(
      [`${MARK} Évolution`, `${MARK.toLowerCase()} evolution`].sort((a, b) => {
        const idOf = (name: string) => created.find((path) => path.name === name)?.id ?? '';
        return idOf(a).localeCompare(idOf(b));
      }),
    );
    expect(await searchAll(`${MARK.toLowerCase()}`, 2)).toHaveLength(names.length);
  });

  it('finds CJK and emoji names, and answers a prefix that matches nothing with an empty page', async () => {
    expect(await searchAll(`${MARK} 東京`)).toEqual([`${MARK} 東京タワー`]);
    expect(await searchAll(`${MARK}  🚀`)).toEqual([`${MARK} 🚀 launch`]);
    const none = await graphql(SearchLearningPathsDocument, { namePrefix: `${MARK} nothing` }, { auth: author });
    expect(none).toMatchObject({ status: 200, data: { searchLearningPaths: { items: [], nextToken: null } } });
  });

  it('is open to the same auth modes as learningPaths', async () => {
    for (const auth of [withApiKey(), asIam, asAdmin(`catalogue-admin-${run}`), asUser(`catalogue-other-${run}`)]) {
      expect(await searchAll(`${MARK} zeb`, 20, auth)).toEqual([`${MARK} Zebra`]);
    }
    expect((await graphql(SearchLearningPathsDocument, { namePrefix: MARK }, { auth: anonymous })).status).toBe(401);
  });
});

describe('learningPaths orders through GraphQL', () => {
  it.each([
    ['NEWEST_FIRST', [4, 3, 2, 1, 0]],
    ['OLDEST_FIRST', [0, 1, 2, 3, 4]],
  ] as const)('lists %s with these paths in their creation order', async (order, expected) => {
    const ids = await listAll(order);
    expect(new Set(ids).size).toBe(ids.length);
    const mine = ids.filter((id) => created.some((path) => path.id === id));
    expect(mine).toEqual(expected.map((index) => created[index]?.id));
  });

  it('lists NAME_ASC and NAME_DESC with these paths in name order', async () => {
    const ascending = (await listAll('NAME_ASC')).filter((id) => created.some((path) => path.id === id));
    const descending = (await listAll('NAME_DESC')).filter((id) => created.some((path) => path.id === id));
    const byName = (await searchAll(MARK, 100)).map((name) => created.find((path) => path.name === name)?.id);
    expect(ascending).toEqual(byName);
    expect(descending).toEqual([...byName].reverse());
  });

  it('refuses a nextToken with another order than the one it came from', async () => {
    const first = await graphql(LearningPathsDocument, { order: 'NAME_ASC', limit: 1 }, { auth: withApiKey() });
    const nextToken = first.data?.learningPaths.nextToken;
    expect(nextToken).toEqual(expect.any(String));
    const crossed = await graphql(LearningPathsDocument, { order: 'NAME_DESC', nextToken }, { auth: withApiKey() });
    expect(raisedErrorTypes(crossed)).toEqual(['ValidationError']);
    const search = await graphql(SearchLearningPathsDocument, { namePrefix: 'a', nextToken }, { auth: withApiKey() });
    expect(raisedErrorTypes(search)).toEqual(['ValidationError']);
  });
});
