import { describe, expect, it } from 'vitest';
import { DEV_CORS_ORIGINS, parseCorsOrigins, parseStage } from '../../infra/cdk/stage.js';

describe('stage context', () => {
  it('defaults to dev and accepts dev and prod', () => {
    expect(parseStage(undefined)).toBe('dev');
    expect(parseStage('dev')).toBe('dev');
    expect(parseStage('prod')).toBe('prod');
  });

  it('refuses an unknown stage', () => {
    expect(() => parseStage('production')).toThrow(/Unknown stage "production"/);
  });
});

describe('media CORS origins context', () => {
  it('splits a comma-separated list', () => {
    expect(parseCorsOrigins('https://app.example.com, https://admin.example.com', 'prod')).toEqual([
      'https://app.example.com',
      'https://admin.example.com',
    ]);
  });

  it('falls back to the local frontend in dev', () => {
    expect(parseCorsOrigins(undefined, 'dev')).toEqual(DEV_CORS_ORIGINS);
    expect(parseCorsOrigins('', 'dev')).toEqual(DEV_CORS_ORIGINS);
  });

  it('requires origins in prod', () => {
    expect(() => parseCorsOrigins(undefined, 'prod')).toThrow(/prod needs the browser origins/);
  });

  it('refuses wildcards and paths', () => {
    expect(() => parseCorsOrigins('*', 'prod')).toThrow(/not an origin/);
    expect(() => parseCorsOrigins('https://app.example.com/path', 'prod')).toThrow(/not an origin/);
  });
});
