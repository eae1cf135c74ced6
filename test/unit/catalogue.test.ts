import { describe, expect, it } from 'vitest';
import {
  catalogueKeys,
  catalogueShard,
  compareKeys,
  decodeCatalogueToken,
  encodeCatalogueToken,
  FOLDED_NAME_MAX_BYTES,
  foldedNameForKey,
  foldName,
  mergeShardPages,
  ORDERS,
  searchListing,
} from '../../resolvers/learning-paths/catalogue.js';
import { ValidationError } from '../../resolvers/lib/errors.js';

const ID = '00000000-0000-4000-8000-000000000001';

describe('name folding', () => {
  it.each([
    ['Évolution', 'evolution'],
    ['  ÉVOLUTION\u00a0 des \t Espèces ', 'evolution des especes'],
    ['İstanbul', 'istanbul'],
    ['ｅｖｏ', 'evo'],
    ['ﬁne', 'fine'],
    ['Straße', 'straße'],
    ['東京', '東京'],
    ['🚀 Rocket', '🚀 rocket'],
  ])('folds %j to %j', (name, folded) => {
    expect(foldName(name)).toBe(folded);
  });

  it('is stable: the folding of every code point folds to itself', () => {
    const unstable: number[] = [];
    for (let point = 0; point <= 0x10ffff; point++) {
      if (point >= 0xd800 && point <= 0xdfff) continue;
      const folded = foldName(`a${String.fromCodePoint(point)}b`);
      if (foldName(folded) !== folded) unstable.push(point);
    }
    expect(unstable).toEqual([]);
  });

  it('keeps a key within DynamoDB’s 1024 bytes, cutting between code points', () => {
    // U+FDFA folds to 18 Arabic letters (33 bytes): 200 of them fold to 6600 bytes.
    const long = foldedNameForKey('\ufdfa'.repeat(200));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(FOLDED_NAME_MAX_BYTES);
    expect(Buffer.byteLength(long)).toBeGreaterThan(FOLDED_NAME_MAX_BYTES - 4);
    expect(foldName('\ufdfa'.repeat(200)).startsWith(long)).toBe(true);
    expect(
      Buffer.byteLength(catalogueKeys({ id: ID, name: '\ufdfa'.repeat(200), createdAt: '2026-01-01T00:00:00.000Z' }).nameKey),
    ).toBeLessThanOrEqual(1024);
  });
});

describe('catalogue keys', () => {
  it('sorts name keys by folded name, then id, below any longer name', () => {
    const key = (name: string, n: number) => catalogueKeys({ id: `${ID.slice(0, -1)}${n}`, name, createdAt: 'x' }).nameKey;
    const sorted = [key('abc d', 1), key('ABC', 2), key('abc', 1), key('Abcd', 0)].sort(compareKeys);
    expect(sorted).toEqual([key('abc', 1), key('ABC', 2), key('abc d', 1), key('Abcd', 0)]);
  });

  it('compares keys in DynamoDB’s order (UTF-8 bytes), where emoji sort after U+FFxx', () => {
    expect(compareKeys('\u{1F680}', '\uFF5E')).toBeGreaterThan(0);
    expect('\u{1F680}' < '\uFF5E').toBe(true);
  });

  it('spreads ids evenly over the shards', () => {
    const counts = new Map<string, number>();
    for (let n = 0; n < 4000; n++) {
      const shard = catalogueShard(crypto.randomUUID(), 4);
      counts.set(shard, (counts.get(shard) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['0', '1', '2', '3']);
    for (const count of counts.values()) expect(count).toBeGreaterThan(850);
  });
});

describe('merge of the shards’ pages', () => {
  const page = (keys: string[], more = false) => ({ items: keys, more });
  const merge = (pages: { items: string[]; more: boolean }[], limit: number, descending = false) =>
    mergeShardPages(pages, (key) => key, limit, descending);

  it('takes the first items of all shards, in order, and says where the next page starts', () => {
    expect(merge([page(['a', 'd']), page(['b', 'c', 'e'])], 3)).toEqual({ items: ['a', 'b', 'c'], last: 'c' });
    expect(merge([page(['d', 'a']), page(['e', 'c', 'b'])], 3, true)).toEqual({ items: ['e', 'd', 'c'], last: 'c' });
  });

  it('gives no next position when every shard is exhausted', () => {
    expect(merge([page(['a']), page([]), page(['b'])], 3)).toEqual({ items: ['a', 'b'] });
  });

  it('stops at the last item of a shard that has more than it returned', () => {
    expect(merge([page(['a', 'c'], true), page(['b', 'd', 'e'])], 4)).toEqual({ items: ['a', 'b', 'c'], last: 'c' });
  });
});

describe('page tokens', () => {
  const createdKey = `2026-01-01T00:00:00.000Z#${ID}`;
  const nameKey = `evolution\u0001${ID}`;
  const forged = (fields: unknown) => Buffer.from(JSON.stringify(fields)).toString('base64url');

  it('round-trips a position of each order and of a search', () => {
    expect(
      decodeCatalogueToken(encodeCatalogueToken(ORDERS.NEWEST_FIRST, createdKey, 'NEWEST_FIRST'), ORDERS.NEWEST_FIRST, 'NEWEST_FIRST'),
    ).toBe(createdKey);
    expect(decodeCatalogueToken(encodeCatalogueToken(ORDERS.NAME_DESC, nameKey, 'NAME_DESC'), ORDERS.NAME_DESC, 'NAME_DESC')).toBe(nameKey);
    const listing = searchListing('evo');
    expect(decodeCatalogueToken(encodeCatalogueToken(listing, nameKey), listing)).toBe(nameKey);
  });

  it('refuses a token of another order, even of the same index', () => {
    const token = encodeCatalogueToken(ORDERS.NEWEST_FIRST, createdKey, 'NEWEST_FIRST');
    expect(() => decodeCatalogueToken(token, ORDERS.OLDEST_FIRST, 'OLDEST_FIRST')).toThrow(
      new ValidationError('nextToken: belongs to another order; page with the order it came from'),
    );
    expect(() => decodeCatalogueToken(token, searchListing('evo'))).toThrow(ValidationError);
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON that is not an object', forged(42)],
    ['no position', forged({ o: 'NEWEST_FIRST' })],
    ['an extra field', forged({ o: 'NEWEST_FIRST', k: createdKey, x: 1 })],
    ['a name key under a time order', forged({ o: 'NEWEST_FIRST', k: nameKey })],
    ['a time that is not ISO 8601', forged({ o: 'NEWEST_FIRST', k: `yesterday#${ID}` })],
    ['an id that is not a UUID', forged({ o: 'NEWEST_FIRST', k: '2026-01-01T00:00:00.000Z#../../../../etc/passwd/0000000' })],
    ['a name that is not folded', forged({ o: 'NAME_ASC', k: `Évolution\u0001${ID}` })],
  ])('refuses a forged token with %s', (_case, token) => {
    const order = token.includes('TkFNRV9BU0M') ? 'NAME_ASC' : 'NEWEST_FIRST';
    expect(() => decodeCatalogueToken(token, ORDERS[order], order)).toThrow(
      new ValidationError('nextToken: is not a token this API issued'),
    );
  });

  it('refuses a search position outside the prefix', () => {
    const listing = searchListing('evo');
    const outside = forged({
      s: JSON.parse(Buffer.from(encodeCatalogueToken(listing, nameKey), 'base64url').toString()).s,
      k: `zebra\u0001${ID}`,
    });
    expect(() => decodeCatalogueToken(outside, listing)).toThrow(new ValidationError('nextToken: is not a token this API issued'));
  });
});
