import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  nameCharacterProblem,
  parseAddMediaInput,
  parseCreateInput,
  parseCreateUploadInput,
  parseDeleteArgs,
  parseId,
  parseUpdateInput,
} from '../../resolvers/learning-paths/validation.js';
import { ValidationError } from '../../resolvers/lib/errors.js';

const ID = '3f0c4c9e-1d2b-4c3a-9f8e-7a6b5c4d3e2f';

const refusal = (parse: () => unknown) => {
  try {
    parse();
  } catch (error) {
    return error instanceof ValidationError ? error.message : `not a ValidationError: ${String(error)}`;
  }
  return 'accepted';
};

describe('inline content', () => {
  it('refuses padding-only text as base64 (once quadratic in its length)', () => {
    expect(refusal(() => parseAddMediaInput({ id: ID, content: `${'='.repeat(80_000)}A` }))).toBe('content: must be standard base64');
    expect(refusal(() => parseAddMediaInput({ id: ID, content: `A${'='.repeat(79_999)}` }))).toBe('content: must be standard base64');
  });

  it.each([700_000, 4_400_000, 4_500_000, 20_000_000])('refuses %i base64 characters by the size limit', (length) => {
    expect(refusal(() => parseAddMediaInput({ id: ID, content: 'A'.repeat(length) }))).toBe(
      `content: must decode to at most ${LIMITS.inlineMediaMaxBytes} bytes (512 KiB)`,
    );
  });

  it('accepts content of exactly 512 KiB and counts the padding', () => {
    const exact = Buffer.alloc(LIMITS.inlineMediaMaxBytes, 7).toString('base64');
    expect(parseAddMediaInput({ id: ID, content: exact }).content?.byteLength).toBe(LIMITS.inlineMediaMaxBytes);
    expect(parseAddMediaInput({ id: ID, content: 'iVBORw==' }).content?.byteLength).toBe(4);
  });

  it('refuses misplaced padding', () => {
    expect(refusal(() => parseAddMediaInput({ id: ID, content: 'iV=ORw==' }))).toBe('content: must be standard base64');
    expect(refusal(() => parseAddMediaInput({ id: ID, content: 'iVBO===' }))).toBe('content: must be standard base64');
  });
});

describe('names', () => {
  it.each([
    ['a lone high surrogate', 'Intro \ud800', 'must be well-formed Unicode (no lone surrogates)'],
    ['a lone low surrogate', '\udc00 Intro', 'must be well-formed Unicode (no lone surrogates)'],
    ['only zero-width spaces', '\u200b\u200b', 'must contain a visible character'],
    ['only joiners and a Hangul filler', '\u200d\u200c\u3164', 'must contain a visible character'],
    ['a right-to-left override', 'abc\u202Egpj.exe', 'must not contain bidirectional control characters'],
    ['a bidi isolate', 'abc\u2066x', 'must not contain bidirectional control characters'],
    ['a line separator', 'first\u2028second', 'must not contain line or paragraph separators (U+2028, U+2029)'],
    ['a paragraph separator', 'first\u2029second', 'must not contain line or paragraph separators (U+2028, U+2029)'],
  ])('refuses a name with %s, saying which rule', (_, name, rule) => {
    expect(refusal(() => parseCreateInput({ name }))).toBe(`name: ${rule}`);
    expect(refusal(() => parseUpdateInput({ id: ID, name }))).toBe(`name: ${rule}`);
  });

  it('accepts names in any script, with emoji and their joiners', () => {
    for (const name of ['Émile', '日本語の入門', 'مقدمة', 'Family 👨‍👩‍👧', 'ㅤa']) expect(parseCreateInput({ name }).name).toBe(name);
  });

  it('refuses a name of millions of characters by its size limit', () => {
    expect(refusal(() => parseCreateInput({ name: 'x'.repeat(6_000_000) }))).toBe(
      `name: must be at most ${LIMITS.nameMaxLength} characters`,
    );
    expect(refusal(() => parseCreateInput({ name: ' '.repeat(6_000_000) }))).toBe(
      `name: must be at most ${LIMITS.nameMaxLength} characters`,
    );
  });

  it('exports the character rules for other inputs that must read like a name', () => {
    expect(nameCharacterProblem('Intro')).toBeUndefined();
    expect(nameCharacterProblem('\u200b')).toBe('must contain a visible character');
    expect(nameCharacterProblem('a\u0000')).toBe('must not contain control characters');
  });
});

describe('other strings', () => {
  it('refuses a description with a lone surrogate', () => {
    expect(refusal(() => parseCreateInput({ name: 'x', description: 'ok \udfff' }))).toBe(
      'description: must be well-formed Unicode (no lone surrogates)',
    );
  });

  it('refuses a claimed media type with a lone surrogate', () => {
    expect(refusal(() => parseCreateUploadInput({ learningPathId: ID, contentType: 'image/png\ud800', contentLength: 1 }))).toBe(
      'contentType: must be well-formed Unicode (no lone surrogates)',
    );
  });
});

describe('ids', () => {
  it('normalises upper-case UUIDs to lower case everywhere an id is read', () => {
    const upper = ID.toUpperCase();
    expect(parseId(upper)).toBe(ID);
    expect(parseDeleteArgs({ id: upper }).id).toBe(ID);
    expect(parseUpdateInput({ id: upper, name: 'x' }).id).toBe(ID);
    expect(parseCreateUploadInput({ learningPathId: upper, contentType: 'image/png', contentLength: 1 }).learningPathId).toBe(ID);
    expect(parseAddMediaInput({ id: upper, uploadKey: `uploads/${upper}/${ID.toUpperCase()}` })).toMatchObject({
      id: ID,
      uploadKey: `uploads/${ID}/${ID}`,
    });
  });

  it('refuses an id of a million characters by its shape', () => {
    expect(refusal(() => parseId('a'.repeat(1_000_000)))).toBe('id: must be a UUID');
  });
});
