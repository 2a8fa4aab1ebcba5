import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MatcalcError } from '../../src/ir/errors.js';
import { parse } from '../../src/lang/parser.js';
import { arbAst, nodes, print, sexp, strip } from './helpers.js';

const CODES = ['parse-error', 'too-deep', 'not-finite'];

/** parse(src) returns a tree or throws a MatcalcError with a span inside src, never anything else. */
const parsesOrRefuses = (src: string): void => {
  let ast;
  try {
    ast = parse(src);
  } catch (e) {
    if (!(e instanceof MatcalcError)) throw e;
    expect(CODES).toContain(e.code);
    expect(e.where).toBe('expr');
    expect(e.message.length).toBeGreaterThan(0);
    const s = e.span!;
    expect(0 <= s.start && s.start <= s.end && s.end <= src.length).toBe(true);
    return;
  }
  for (const n of nodes(ast)) {
    expect(0 <= n.span.start && n.span.start < n.span.end && n.span.end <= src.length).toBe(true);
  }
};

describe('properties', () => {
  it('random strings over the language parse or throw MatcalcError', () => {
    const chars = [...'xyAB_e1209.+-*/^\'(),  \t', 'tr', 'inv(', '.*', './', '.^', 'e-', '1e', '1e999', '.5', "'"];
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...chars), maxLength: 60 }), parsesOrRefuses), { numRuns: 3000 });
  });

  it('arbitrary Unicode parses or throws MatcalcError', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), parsesOrRefuses), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), parsesOrRefuses), { numRuns: 500 });
    fc.assert(fc.property(
      fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 2 }), fc.constantFrom('x', '+', '(', ')', '-', "'", '1')), { maxLength: 40 }),
      (parts) => parsesOrRefuses(parts.join('')),
    ), { numRuns: 1000 });
  });

  it('parse(print(tree)) is the tree', () => {
    fc.assert(fc.property(arbAst, fc.boolean(), (ast, spaced) => {
      const src = print(ast, spaced);
      expect(strip(parse(src))).toEqual(strip(ast));
    }), { numRuns: 1000 });
  });

  it('the text under every span parses to the node, and operator spans hold their operators', () => {
    fc.assert(fc.property(arbAst, fc.boolean(), (ast, spaced) => {
      const src = print(ast, spaced);
      for (const n of nodes(parse(src))) {
        expect(sexp(parse(src.slice(n.span.start, n.span.end)))).toBe(sexp(n));
        const at = (s: { start: number; end: number } | null) => (s === null ? null : src.slice(s.start, s.end));
        if (n.type === 'sum') n.terms.forEach((t, i) => expect(at(t.opSpan)).toBe(i === 0 ? null : t.sign === 1 ? '+' : '-'));
        if (n.type === 'product') n.factors.forEach((f, i) => expect(at(f.opSpan)).toBe(i === 0 ? null : f.op));
        if (n.type === 'power') expect(at(n.opSpan)).toBe(n.op);
        if (n.type === 'call') expect(at(n.nameSpan)).toBe(n.name);
      }
    }), { numRuns: 300 });
  });
});
