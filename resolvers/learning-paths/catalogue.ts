/**
 * The catalogue of every learning path: its orders, the folding of names that the NAME orders and
 * the search compare, the index keys each path is stored with, the merge of the shards' pages, and
 * the page tokens of learningPaths and searchLearningPaths.
 */
import { createHash } from 'node:crypto';
import { validate as isUuid } from 'uuid';
import type { LearningPathOrder } from '../generated/graphql.js';
import { ValidationError } from '../lib/errors.js';
import { type CATALOGUE_ATTRIBUTES, CATALOGUE_SHARDS } from '../storage.js';

/** Separates the folded name from the id in a name key; below every character a folded name can hold. */
const NAME_KEY_SEPARATOR = '\u0001';
const UUID_LENGTH = 36;
/** DynamoDB's limit on a sort key value, less the separator and the id. */
export const FOLDED_NAME_MAX_BYTES = 1024 - NAME_KEY_SEPARATOR.length - UUID_LENGTH;

const MARKS = /\p{M}/gu;
const WHITE_SPACE = /\s+/gu;

/**
 * A name as the catalogue compares it: Unicode NFKD, combining marks removed, lower case by the
 * locale-independent Unicode mapping, runs of white space as one space, trimmed. "  Évolution" and
 * "evolution" fold alike; "ｅｖｏ" (full width) folds to "evo".
 */
export function foldName(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase().replace(WHITE_SPACE, ' ').trim();
}

/**
 * The folded name as far as a key holds it: at most FOLDED_NAME_MAX_BYTES of UTF-8, cut between code
 * points. Names (and prefixes) that fold to more compare on that much; NFKD can expand one character
 * to 18, so 200 characters can fold to several kilobytes.
 */
export function foldedNameForKey(text: string): string {
  const folded = foldName(text);
  if (Buffer.byteLength(folded) <= FOLDED_NAME_MAX_BYTES) return folded;
  let bytes = 0;
  let end = 0;
  for (const character of folded) {
    bytes += Buffer.byteLength(character);
    if (bytes > FOLDED_NAME_MAX_BYTES) break;
    end += character.length;
  }
  return folded.slice(0, end);
}

/** The shard of a path: fixed by its id, so every writer and the backfill agree on it. */
export function catalogueShard(id: string, shards: number = CATALOGUE_SHARDS): string {
  return String(createHash('sha256').update(id).digest().readUInt32BE(0) % shards);
}

export const createdKey = (createdAt: string, id: string): string => `${createdAt}#${id}`;
export const nameKey = (name: string, id: string): string => `${foldedNameForKey(name)}${NAME_KEY_SEPARATOR}${id}`;

/** The attributes that place a path in the catalogue indexes (their names are CATALOGUE_ATTRIBUTES). */
export type CatalogueKeys = Record<(typeof CATALOGUE_ATTRIBUTES)[keyof typeof CATALOGUE_ATTRIBUTES], string>;

export function catalogueKeys(path: { id: string; name: string; createdAt: string }, shards: number = CATALOGUE_SHARDS): CatalogueKeys {
  return {
    catalogueShard: catalogueShard(path.id, shards),
    createdKey: createdKey(path.createdAt, path.id),
    nameKey: nameKey(path.name, path.id),
  };
}

/** Where a listing reads: the index, the direction and, for a search, the folded prefix of the name key. */
export interface CatalogueListing {
  index: 'created' | 'name';
  descending: boolean;
  prefix?: string;
}

/** Each order of learningPaths as a reading of one index; a DESC order is the exact reverse of its ASC one. */
export const ORDERS: Readonly<Record<LearningPathOrder, CatalogueListing>> = {
  NEWEST_FIRST: { index: 'created', descending: true },
  OLDEST_FIRST: { index: 'created', descending: false },
  NAME_ASC: { index: 'name', descending: false },
  NAME_DESC: { index: 'name', descending: true },
};

export const DEFAULT_ORDER: LearningPathOrder = 'NEWEST_FIRST';

/** The listing of a search: the name index from the folded prefix on, A–Z. */
export function searchListing(prefix: string): CatalogueListing {
  return { index: 'name', descending: false, prefix };
}

/** The id at the end of an index sort key (both kinds end with it). */
export const idOfKey = (key: string): string => key.slice(-UUID_LENGTH);

/**
 * DynamoDB orders string keys by their UTF-8 bytes, which is code-point order; JavaScript's `<`
 * compares UTF-16 units and differs above U+FFFF (emoji sort after U+FFxx in DynamoDB, before in `<`).
 */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** What one shard's query returned: its items in index order, and whether it has more after them. */
export interface ShardPage<T> {
  items: T[];
  more: boolean;
}

/**
 * Merges the shards' pages into one page of the whole catalogue. Every shard was read from the same
 * position for up to `limit + 1` items; a shard that has more bounds the page at its last item (what
 * lies beyond it is unknown), so the page is exact, and `last` (the sort key of the page's last item)
 * is where the next page starts in every shard. `last` is absent when nothing follows.
 */
export function mergeShardPages<T>(
  pages: readonly ShardPage<T>[],
  keyOf: (item: T) => string,
  limit: number,
  descending: boolean,
): { items: T[]; last?: string } {
  const order = (a: string, b: string) => (descending ? compareKeys(b, a) : compareKeys(a, b));
  let bound: string | undefined;
  for (const page of pages) {
    const lastOfShard = page.items.at(-1);
    if (page.more && lastOfShard !== undefined && (bound === undefined || order(keyOf(lastOfShard), bound) < 0)) bound = keyOf(lastOfShard);
  }
  const merged = pages.flatMap((page) => page.items).sort((a, b) => order(keyOf(a), keyOf(b)));
  const known = bound === undefined ? merged : merged.filter((item) => order(keyOf(item), bound) <= 0);
  const items = known.slice(0, limit);
  const lastItem = items.at(-1);
  const more = merged.length > items.length || pages.some((page) => page.more);
  return { items, ...(more && lastItem !== undefined && { last: keyOf(lastItem) }) };
}

// Page tokens: base64url of JSON `{ "o": <order> | "s": <digest of the folded prefix>, "k": <sort key> }`.
// They are positions, not secrets: a well-formed token someone wrote starts the listing at that
// position, which anyone could reach by paging; anything else is refused.

/** Longest token accepted: a name key of 1024 bytes, escaped and encoded, fits with room to spare. */
export const CATALOGUE_TOKEN_MAX_LENGTH = 2048;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

const prefixDigest = (prefix: string): string => createHash('sha256').update(prefix).digest('base64url').slice(0, 22);

function scopeOf(listing: CatalogueListing, order: LearningPathOrder | undefined): Record<string, string> {
  return listing.prefix === undefined ? { o: order ?? DEFAULT_ORDER } : { s: prefixDigest(listing.prefix) };
}

/** The token of the page that starts after `key`, valid only with this order (or this search prefix). */
export function encodeCatalogueToken(listing: CatalogueListing, key: string, order?: LearningPathOrder): string {
  return Buffer.from(JSON.stringify({ ...scopeOf(listing, order), k: key })).toString('base64url');
}

/**
 * The position a token holds, if it was made for this same order (or search prefix) and holds a key
 * of that index; otherwise a ValidationError.
 */
export function decodeCatalogueToken(token: string, listing: CatalogueListing, order?: LearningPathOrder): string {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const fields = typeof decoded === 'object' && decoded !== null ? (decoded as Record<string, unknown>) : {};
  const { k: key, ...scope } = fields;
  const notIssued = new ValidationError('nextToken: is not a token this API issued');
  if (typeof key !== 'string' || Object.keys(scope).length !== 1) throw notIssued;
  if (JSON.stringify(scope) !== JSON.stringify(scopeOf(listing, order))) {
    throw new ValidationError(
      listing.prefix === undefined
        ? 'nextToken: belongs to another order; page with the order it came from'
        : 'nextToken: belongs to another search; page with the namePrefix it came from',
    );
  }
  if (!isUuid(idOfKey(key)) || !isKeyOf(listing, key)) throw notIssued;
  return key;
}

function isKeyOf(listing: CatalogueListing, key: string): boolean {
  const id = idOfKey(key);
  if (listing.index === 'created') return isCreatedKey(key, id);
  if (key.at(-UUID_LENGTH - 1) !== NAME_KEY_SEPARATOR) return false;
  const folded = key.slice(0, -UUID_LENGTH - 1);
  return foldedNameForKey(folded) === folded && (listing.prefix === undefined || folded.startsWith(listing.prefix));
}

function isCreatedKey(key: string, id: string): boolean {
  const createdAt = key.slice(0, -UUID_LENGTH - 1);
  return ISO_INSTANT.test(createdAt) && key === createdKey(createdAt, id);
}
