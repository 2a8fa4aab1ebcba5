import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineColumn, pathKey, scanJson } from '../../src/cli/json-text.js';

const fault = (text: string) => {
  const r = scanJson(text);
  if (r.ok) throw new Error(`expected a fault in ${text}`);
  return r;
};

describe('scanJson', () => {
  it('reads what JSON.parse reads, and records the top-level members', () => {
    const text = '{"X": [[2,1],[0,3]], "a": [1,2], "s": -1.5e-3}';
    const r = scanJson(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual(JSON.parse(text));
    expect(text.slice(r.members.get('X')!.start, r.members.get('X')!.end)).toBe('[[2,1],[0,3]]');
    expect(text.slice(r.members.get('s')!.start, r.members.get('s')!.end)).toBe('-1.5e-3');
    expect(r.duplicates).toEqual([]);
  });

  it('records the place of every value when asked', () => {
    const text = '{"X": [[2, 1], [0, "3"]]}';
    const r = scanJson(text, true);
    if (!r.ok) throw new Error('not ok');
    const s = r.spans.get(pathKey(['X', 1, 1]))!;
    expect(text.slice(s.start, s.end)).toBe('"3"');
  });

  it.each([
    ['{"a": }', 6, "expected a value, found '}'"],
    ['{"a": 1', 7, "expected ',' or '}' after the value of \"a\", found the end of the input"],
    ['{a: 1}', 1, "expected a key in double quotes, found 'a'"],
    ['[1,2,]', 5, "expected a value after ',' (JSON allows no trailing comma)"],
    ['{"a": 1,}', 8, "expected a key after ',' (JSON allows no trailing comma)"],
    ['', 0, 'expected a JSON value, found nothing'],
    ['   ', 3, 'expected a JSON value, found nothing'],
    ['{"a": 1} x', 9, "unexpected 'x' after the end of the JSON value"],
    ['[01]', 2, "expected ',' or ']' in an array, found '1'"],
    ['[1.]', 3, "expected a digit after '.', found ']'"],
    ['[True]', 1, "expected a value, found 'True' (JSON writes true, false and null in lower case, and strings in double quotes)"],
    ['"abc', 0, 'unterminated string (no closing \'"\')'],
    ['"a\\qb"', 2, 'unknown escape \\q in a string'],
    ["{'a': 1}", 1, "expected a key in double quotes, found '''"],
  ])('%j fails at offset %i: %s', (text, offset, reason) => {
    const r = fault(text);
    expect(r.offset).toBe(offset);
    expect(r.reason).toBe(reason);
  });

  it('gives line and column', () => {
    const r = fault('{\n  "a": 1,\n  "b": ]\n}');
    expect([r.line, r.column]).toEqual([3, 8]);
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  it('finds repeated keys with the path of their object', () => {
    const r = scanJson('{"vars": {"X": "matrix", "X": "vector"}, "expr": "X"}');
    if (!r.ok) throw new Error('not ok');
    expect(r.duplicates.map((d) => [d.path, d.key])).toEqual([[['vars'], 'X']]);
  });

  it('refuses a nesting deep enough to exhaust the stack, as a fault', () => {
    const r = fault('['.repeat(100_000));
    expect(r.reason).toMatch(/nested more than \d+ levels deep/);
  });

  it('accepts every JSON text JSON.stringify writes', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const text = JSON.stringify(v, null, Math.random() < 0.5 ? 2 : 0);
      const r = scanJson(text);
      return r.ok && JSON.stringify(r.value) === JSON.stringify(JSON.parse(text));
    }), { seed: 7, numRuns: 300 });
  });

  it('agrees with JSON.parse on what is JSON', () => {
    const alphabet = fc.constantFrom(...'{}[],:"\\ 0123-.eE+tfnrulsa\n\tbu'.split(''));
    fc.assert(fc.property(fc.string({ unit: alphabet, maxLength: 12 }), (text) => {
      let parses = true;
      try { JSON.parse(text); } catch { parses = false; }
      return scanJson(text).ok === parses;
    }), { seed: 11, numRuns: 5000 });
  });
});
