import { describe, expect, it } from 'vitest';
import { FAILURE_SCHEMA_VERSION, failureFileName, FailureFileError, parseFailureFile, serializeFailure } from '../../src/run/failure-file.js';

const FIELDS = {
  strategy: 'memory-1.8',
  profile: '1.8',
  faultProfile: 'steady',
  property: 'progress-never-lost',
  requests: 3,
  clients: 1,
  faults: [],
  why: 'reader1 answered ...',
  traceHash: '06d0e9426b9a5e65',
  token: 'uiasim1.abc.0123456789',
  timeline: ['  time  actor  event'],
};

function parse(value: unknown): unknown {
  return parseFailureFile(JSON.stringify(value), 'f.json');
}

describe('failure files', () => {
  it('round-trips, with the schema version and kind first', () => {
    const text = serializeFailure(FIELDS);
    expect(Object.keys(JSON.parse(text) as object).slice(0, 2)).toEqual(['schemaVersion', 'kind']);
    expect(parseFailureFile(text, 'f.json')).toEqual({ schemaVersion: FAILURE_SCHEMA_VERSION, kind: 'uiasim-failure', ...FIELDS });
  });

  it('names one file per strategy, fault profile and property', () => {
    expect(failureFileName('memory-1.8', 'steady', 'progress-never-lost')).toBe('memory-1.8.steady.progress-never-lost.json');
    expect(failureFileName('my store/x', 'a b', 'p')).toBe('my_store_x.a_b.p.json');
    expect(failureFileName('main-only+synapse-1.8.nginx', 'steady', 'p')).toBe('main-only+synapse-1.8.nginx.steady.p.json');
  });

  it.each([
    ['not JSON', '{', /f\.json: not a JSON failure file/],
    ['an array', '[]', /f\.json: not a JSON failure file \(expected an object\)/],
  ])('rejects %s', (_, text, message) => {
    expect(() => parseFailureFile(text, 'f.json')).toThrow(message);
  });

  it('names the bad field', () => {
    const full = JSON.parse(serializeFailure(FIELDS)) as Record<string, unknown>;
    expect(() => parse({ ...full, schemaVersion: 2 })).toThrow(/f\.json: field schemaVersion: this file has schema version 2; this uiasim reads version 1 \(made by a newer uiasim\)/);
    expect(() => parse({ ...full, schemaVersion: '1' })).toThrow(/field schemaVersion: expected a whole number/);
    expect(() => parse({ ...full, kind: 'other' })).toThrow(/field kind: expected "uiasim-failure"/);
    expect(() => parse({ ...full, token: undefined })).toThrow(/field token: expected a string/);
    expect(() => parse({ ...full, requests: -1 })).toThrow(/field requests: expected a whole number/);
    expect(() => parse({ ...full, timeline: ['ok', 3] })).toThrow(/field timeline\[1\]: expected a string/);
    expect(() => parse({ ...full, faults: 'none' })).toThrow(FailureFileError);
  });
});
