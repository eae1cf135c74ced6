import { validate as isUuid } from 'uuid';
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { LearningPathOrder } from '../generated/graphql.js';
import { ValidationError } from '../lib/errors.js';
import { uploadKey } from '../storage.js';
import { CATALOGUE_TOKEN_MAX_LENGTH, DEFAULT_ORDER } from './catalogue.js';
import type { LearningPathChanges, OwnerPagePosition } from './model.js';

/** Limits of the contract, declared once. */
export const LIMITS = {
  nameMaxLength: 200,
  descriptionMaxLength: 2000,
  pageSizeDefault: 20,
  pageSizeMax: 100,
  inlineMediaMaxBytes: 512 * 1024,
  nextTokenMaxLength: 512,
  clientTokenMaxLength: 64,
} as const;

/** C0/C1 control characters, which no name may hold. */
const CONTROL = /\p{Cc}/u;
/** Descriptions may be multi-line: tab, line feed and carriage return are allowed there. */
const CONTROL_EXCEPT_WHITESPACE = /[^\P{Cc}\t\n\r]/u;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const characters = (value: string) => [...value].length;

// zod/mini (the tree-shakable build: a tenth of the classic build's size in every bundle) with the
// English messages of the classic build, for the type errors that carry no message of their own.
z.config(en());

const optionalNullable = <T extends z.core.SomeType>(schema: T) => z.nullable(z.optional(schema));
const maxLength = (max: number) => z.maxLength(max, `must be at most ${max} characters`);

const id = z.string().check(z.refine(isUuid, 'must be a UUID'));

const name = z
  .pipe(
    z.string(),
    z.transform((value) => value.trim()),
  )
  .check(
    z.refine((value) => characters(value) >= 1, 'must not be empty or only whitespace'),
    z.refine((value) => characters(value) <= LIMITS.nameMaxLength, `must be at most ${LIMITS.nameMaxLength} characters`),
    z.refine((value) => !CONTROL.test(value), 'must not contain control characters'),
  );

const description = z.string().check(
  z.refine((value) => characters(value) <= LIMITS.descriptionMaxLength, `must be at most ${LIMITS.descriptionMaxLength} characters`),
  z.refine((value) => !CONTROL_EXCEPT_WHITESPACE.test(value), 'must not contain control characters other than tab and line breaks'),
);

const positiveInteger = () => z.int('must be an integer').check(z.minimum(1, 'must be at least 1'));

const expectedVersion = optionalNullable(positiveInteger());

/** Idempotency tokens: printable ASCII without spaces, so that no token hides a look-alike of another. */
const CLIENT_TOKEN = /^[\x21-\x7E]+$/;

const clientToken = z.string().check(
  z.minLength(1, 'must not be empty'),
  maxLength(LIMITS.clientTokenMaxLength),
  z.refine((value) => CLIENT_TOKEN.test(value), 'must be printable ASCII without spaces'),
);

const createInput = z.object({ name, description: optionalNullable(description), clientToken: optionalNullable(clientToken) });

const updateInput = z.object({ id, name: optionalNullable(name), description: optionalNullable(description), expectedVersion }).check(
  z.refine((input) => input.name !== undefined || input.description !== undefined, {
    message: 'at least one of name and description must be given',
    path: ['input'],
  }),
  z.refine((input) => input.name !== null, { message: 'cannot be null (a learning path always has a name)', path: ['name'] }),
);

const deleteArgs = z.object({ id, expectedVersion });

const pageArgs = z.object({
  limit: optionalNullable(
    z
      .int('must be an integer')
      .check(z.minimum(1, 'must be at least 1'), z.maximum(LIMITS.pageSizeMax, `must be at most ${LIMITS.pageSizeMax}`)),
  ),
  nextToken: optionalNullable(z.string().check(z.maxLength(LIMITS.nextTokenMaxLength, 'is not a token this API issued'))),
});

const addMediaInput = z
  .object({
    id,
    content: optionalNullable(
      z.string().check(
        z.minLength(1, 'must not be empty'),
        z.refine((value) => BASE64.test(value), 'must be standard base64'),
        z.refine(
          (value) => Math.floor((value.length * 3) / 4) - (value.match(/=+$/)?.[0].length ?? 0) <= LIMITS.inlineMediaMaxBytes,
          `must decode to at most ${LIMITS.inlineMediaMaxBytes} bytes (512 KiB)`,
        ),
      ),
    ),
    uploadKey: optionalNullable(z.string().check(maxLength(255))),
    contentType: optionalNullable(z.string().check(maxLength(255))),
    expectedVersion,
  })
  .check(
    z.refine((input) => (input.content == null) !== (input.uploadKey == null), {
      message: 'exactly one of content and uploadKey must be given',
      path: ['input'],
    }),
  );

const createUploadInput = z.object({
  learningPathId: id,
  contentType: z.string().check(maxLength(255)),
  contentLength: positiveInteger(),
});

/** Parses input with a schema; a failure names the first field and the rule it broke. */
function parse<T extends z.ZodMiniType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : 'input';
  throw new ValidationError(`${field}: ${issue?.message ?? 'is invalid'}`);
}

const optional = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** Built once: zod compiles each object schema on its first parse. */
const idArgs = z.object({ id });

export function parseId(value: unknown): string {
  return parse(idArgs, { id: value }).id;
}

export function parseCreateInput(value: unknown): { name: string; description?: string; clientToken?: string } {
  const input = parse(createInput, value);
  return {
    name: input.name,
    ...(input.description != null && { description: input.description }),
    ...(input.clientToken != null && { clientToken: input.clientToken }),
  };
}

export function parseUpdateInput(value: unknown): { id: string; changes: LearningPathChanges; expectedVersion?: number } {
  const input = parse(updateInput, value);
  const changes: LearningPathChanges = {};
  if (input.name != null) changes.name = input.name;
  if (input.description !== undefined) changes.description = input.description;
  return { id: input.id, changes, expectedVersion: optional(input.expectedVersion) };
}

export function parseDeleteArgs(value: unknown): { id: string; expectedVersion?: number } {
  const args = parse(deleteArgs, value);
  return { id: args.id, expectedVersion: optional(args.expectedVersion) };
}

/** Page arguments of myLearningPaths: the same limits, a token of that listing's own kind. */
export function parseOwnerPageArgs(value: unknown): { limit: number; startAfter?: OwnerPagePosition } {
  return parsePage(value, ({ after, createdAt }) =>
    typeof after === 'string' && isUuid(after) && typeof createdAt === 'string' && ISO_INSTANT.test(createdAt)
      ? { id: after, createdAt }
      : undefined,
  );
}

/** Limit and start of a page; `position` reads a decoded token, or refuses it with undefined. */
function parsePage<T>(value: unknown, position: (decoded: Record<string, unknown>) => T | undefined): { limit: number; startAfter?: T } {
  const args = parse(pageArgs, value);
  return {
    limit: args.limit ?? LIMITS.pageSizeDefault,
    startAfter: args.nextToken == null ? undefined : decodePageToken(args.nextToken, position),
  };
}

/** The input of addLearningPathMedia: inline bytes or the key of an upload, never both. */
export type AddMediaInput = { id: string; contentType?: string; expectedVersion?: number } & (
  | { content: Uint8Array; uploadKey?: undefined }
  | { uploadKey: string; content?: undefined }
);

export function parseAddMediaInput(value: unknown): AddMediaInput {
  const input = parse(addMediaInput, value);
  const common = {
    id: input.id,
    contentType: input.contentType == null ? undefined : normaliseMediaType(input.contentType),
    expectedVersion: optional(input.expectedVersion),
  };
  if (input.uploadKey != null) return { ...common, uploadKey: parseUploadKey(input.uploadKey, input.id) };
  return { ...common, content: Buffer.from(input.content ?? '', 'base64') };
}

/**
 * An upload key is accepted only in the exact form createMediaUpload issues for that same path,
 * `uploads/<pathId>/<uuid>`: no other path's prefix, no `..`, nothing around it.
 */
function parseUploadKey(key: string, pathId: string): string {
  const prefix = uploadKey(pathId, '');
  if (!key.startsWith(prefix) || !isUuid(key.slice(prefix.length))) {
    throw new ValidationError('uploadKey: is not an upload issued for this learning path');
  }
  return key;
}

export function parseCreateUploadInput(value: unknown): { learningPathId: string; contentType: string; contentLength: number } {
  const input = parse(createUploadInput, value);
  return { ...input, contentType: normaliseMediaType(input.contentType) };
}

const normaliseMediaType = (value: string): string => value.trim().toLowerCase();

/** Tokens of myLearningPaths: base64url of where the page ended. The owner is the caller's own, never the token's. */
export function encodeOwnerPageToken(last: OwnerPagePosition): string {
  return Buffer.from(JSON.stringify({ after: last.id, createdAt: last.createdAt })).toString('base64url');
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

function decodePageToken<T>(token: string, position: (decoded: Record<string, unknown>) => T | undefined): T {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const start = typeof decoded === 'object' && decoded !== null ? position(decoded as Record<string, unknown>) : undefined;
    if (start !== undefined) return start;
  } catch {
    // falls through to the validation error below
  }
  throw new ValidationError('nextToken: is not a token this API issued');
}

const catalogueOrder = z.enum(
  ['NEWEST_FIRST', 'OLDEST_FIRST', 'NAME_ASC', 'NAME_DESC'],
  'must be one of NEWEST_FIRST, OLDEST_FIRST, NAME_ASC, NAME_DESC',
);
const catalogueToken = optionalNullable(z.string().check(z.maxLength(CATALOGUE_TOKEN_MAX_LENGTH, 'is not a token this API issued')));
const catalogueArgs = z.object({ order: optionalNullable(catalogueOrder), limit: pageArgs.shape.limit, nextToken: catalogueToken });
/** A search prefix follows the character rules of `name`. */
const searchArgs = z.object({ namePrefix: name, limit: pageArgs.shape.limit, nextToken: catalogueToken });

/** Arguments of learningPaths: the order (NEWEST_FIRST when omitted), the page limit, the raw token. */
export function parseCatalogueArgs(value: unknown): { order: LearningPathOrder; limit: number; nextToken?: string } {
  const args = parse(catalogueArgs, value);
  return { order: args.order ?? DEFAULT_ORDER, limit: args.limit ?? LIMITS.pageSizeDefault, nextToken: optional(args.nextToken) };
}

/** Arguments of searchLearningPaths: the trimmed prefix, the page limit, the raw token. */
export function parseSearchArgs(value: unknown): { namePrefix: string; limit: number; nextToken?: string } {
  const args = parse(searchArgs, value);
  return { namePrefix: args.namePrefix, limit: args.limit ?? LIMITS.pageSizeDefault, nextToken: optional(args.nextToken) };
}
