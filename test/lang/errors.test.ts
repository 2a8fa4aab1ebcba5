import { describe, expect, it } from 'vitest';
import { MatcalcError, type ErrorCode, type Span } from '../../src/ir/errors.js';
import type { Ast } from '../../src/lang/ast.js';
import { MAX_DEPTH, parse } from '../../src/lang/parser.js';

const sp = (start: number, end: number): Span => ({ start, end });

/** The error parse(src) throws; fails the test when it parses. */
const error = (src: string): MatcalcError => {
  try {
    parse(src);
  } catch (e) {
    if (e instanceof MatcalcError) return e;
    throw e;
  }
  throw new Error(`${JSON.stringify(src.slice(0, 40))} parsed`);
};

describe('syntax errors, with their spans', () => {
  const cases: [string, ErrorCode, Span, RegExp][] = [
    // unclosed: at end of input, the fault is the '(' never closed
    ['tr(X', 'parse-error', sp(2, 3), /expected '\)' or ',' in the arguments of 'tr' opened at 2, found end of input/],
    ['(x + y', 'parse-error', sp(0, 1), /expected '\)' to close the '\(' at 0, found end of input/],
    ['f(x, (y)', 'parse-error', sp(1, 2), /arguments of 'f'/],
    // unclosed, with something else in the way
    ['(x y)', 'parse-error', sp(3, 4), /expected '\)' to close the '\(' at 0, found the name 'y'.*operator/],
    ['f(x y)', 'parse-error', sp(4, 5), /expected '\)' or ','.*found the name 'y'/],
    ['(x, y)', 'parse-error', sp(2, 3), /found ','.*only a function call/],
    // operators with an operand missing
    ['x +* x', 'parse-error', sp(2, 4), /after '\+', found '\*': two operators in a row/],
    ['x ^ / y', 'parse-error', sp(2, 5), /two operators in a row/],
    ['x +', 'parse-error', sp(3, 3), /expected an operand after '\+', found end of input/],
    ['x * ', 'parse-error', sp(4, 4), /after '\*', found end of input/],
    ['x ^', 'parse-error', sp(3, 3), /after '\^'/],
    ['-', 'parse-error', sp(1, 1), /after '-', found end of input/],
    ['* x', 'parse-error', sp(0, 1), /expected an expression, found '\*', which has no left operand/],
    ['+x', 'parse-error', sp(0, 1), /no left operand/],
    ["'x", 'parse-error', sp(0, 1), /expected an expression, found "'"/],
    ['x + )', 'parse-error', sp(4, 5), /after '\+', found '\)'/],
    // empty input, empty parentheses and arguments
    ['', 'parse-error', sp(0, 0), /empty/],
    ['  \t\n ', 'parse-error', sp(0, 0), /empty/],
    ['()', 'parse-error', sp(0, 2), /empty parentheses/],
    ['f()', 'parse-error', sp(1, 3), /'f' needs at least one argument/],
    ['f(,x)', 'parse-error', sp(2, 3), /expected an argument after '\(', found ','/],
    ['f(x,)', 'parse-error', sp(4, 5), /expected an argument after ',', found '\)'/],
    ['f(x,,y)', 'parse-error', sp(4, 5), /expected an argument after ','/],
    // stray tokens after a complete expression
    ['x)', 'parse-error', sp(1, 2), /unmatched '\)'/],
    ['x, y', 'parse-error', sp(1, 2), /',' outside the arguments/],
    ['x y', 'parse-error', sp(2, 3), /expected an operator or the end of the expression after the name 'x', found the name 'y'/],
    ['2x', 'parse-error', sp(1, 2), /to multiply, write '2\*x'/],
    ['1e3e4', 'parse-error', sp(3, 5), /found the name 'e4'/],
    ['2 (y)', 'parse-error', sp(2, 3), /after the number '2', found '\('/],
    // characters outside the language
    ['x # y', 'parse-error', sp(2, 3), /unexpected character '#'/],
    ['x @ y', 'parse-error', sp(2, 3), /unexpected character '@'/],
    ['a × b', 'parse-error', sp(2, 3), /'×' \(U\+00D7\); write '\*'/],
    ['x + \u{1F642}', 'parse-error', sp(4, 6), /U\+1F642/],
    ['x\u0000', 'parse-error', sp(1, 2), /U\+0000/],
    ['x + \ud800', 'parse-error', sp(4, 5), /U\+D800/],
    ["x.'", 'parse-error', sp(1, 2), /unexpected '\.'/],
    ['x . y', 'parse-error', sp(2, 3), /unexpected '\.'/],
    ['A[1]', 'parse-error', sp(1, 2), /'\['; write '\(' \.\.\. '\)'/],
    // malformed numbers
    ['1e', 'parse-error', sp(0, 2), /'1e' is not a number: the exponent/],
    ['1e+', 'parse-error', sp(0, 3), /'1e\+' is not a number/],
    ['x + 1E-', 'parse-error', sp(4, 7), /'1E-' is not a number/],
    ['1ex', 'parse-error', sp(0, 3), /'1ex' is not a number/],
    ['1.2.3', 'parse-error', sp(0, 5), /'1\.2\.3' is not a number/],
    ['x*1.2.3*y', 'parse-error', sp(2, 7), /'1\.2\.3'/],
    ['2..5', 'parse-error', sp(0, 4), /not a number/],
    // numbers that overflow
    ['1e999', 'not-finite', sp(0, 5), /'1e999' is too large/],
    ['x + 2e308', 'not-finite', sp(4, 9), /too large/],
  ];

  it.each(cases)('%j: %s at %o', (src, code, span, message) => {
    const e = error(src);
    expect({ code: e.code, where: e.where, span: e.span }).toEqual({ code, where: 'expr', span });
    expect(e.message).toMatch(message);
  });

  it('the first fault in reading order is reported', () => {
    expect(error('x +* #').span).toEqual(sp(2, 4));
    expect(error('x # (').span).toEqual(sp(2, 3));
    expect(error('(1e + #').span).toEqual(sp(1, 3));
  });

  it('the error carries the JSON of the contract', () => {
    expect(error('x @ y').toJSON()).toEqual({
      error: { code: 'parse-error', message: "unexpected character '@'", in: 'expr', start: 2, end: 3 },
    });
  });

  it('long tokens are shortened in messages', () => {
    const e = error(`x ${'y'.repeat(1000)}`);
    expect(e.message.length).toBeLessThan(200);
    expect(e.span).toEqual(sp(2, 1002));
  });
});

describe('nesting depth', () => {
  const N = 100_000;
  /** The depth of a tree, counted without recursion: parentheses, calls, negations, powers. */
  const depthOf = (a: Ast): number => {
    let max = 0;
    const stack: [Ast, number][] = [[a, 0]];
    while (stack.length) {
      const [n, d] = stack.pop()!;
      max = Math.max(max, d);
      switch (n.type) {
        case 'paren': stack.push([n.inner, d + 1]); break;
        case 'call': n.args.forEach((x) => stack.push([x, d + 1])); break;
        case 'neg': stack.push([n.arg, d + 1]); break;
        case 'power': stack.push([n.base, d], [n.exponent, d + 1]); break;
        case 'transpose': stack.push([n.arg, d]); break;
        case 'sum': n.terms.forEach((t) => stack.push([t.term, d])); break;
        case 'product': n.factors.forEach((f) => stack.push([f.factor, d])); break;
      }
    }
    return max;
  };

  it(`accepts ${MAX_DEPTH} levels of every kind`, () => {
    expect(MAX_DEPTH).toBe(1000);
    const n = MAX_DEPTH;
    for (const src of [
      `${'('.repeat(n)}x${')'.repeat(n)}`,
      `${'f('.repeat(n)}x${')'.repeat(n)}`,
      `${'-'.repeat(n)}x`,
      `${'x^'.repeat(n)}x`,
      `${'-('.repeat(n / 2)}x${')'.repeat(n / 2)}`,
      `${'x.^-'.repeat(n / 2)}x`,
      `${'g(a, '.repeat(n)}x${")'".repeat(n)}`,
    ]) {
      expect(depthOf(parse(src))).toBe(n);
    }
  });

  it.each([
    ['parentheses', `${'('.repeat(N)}x${')'.repeat(N)}`, sp(1000, 1001), "'('"],
    ['calls', `${'f('.repeat(N)}x${')'.repeat(N)}`, sp(2001, 2002), "'('"],
    ['unary minus', `${'-'.repeat(N)}x`, sp(1000, 1001), "'-'"],
    ['powers', `${'x^'.repeat(N)}x`, sp(2001, 2002), "'^'"],
    ['elementwise powers', `${'x.^'.repeat(N)}x`, sp(3001, 3003), "'.^'"],
    ['minus and parentheses', `${'-('.repeat(N)}x${')'.repeat(N)}`, sp(1000, 1001), "'-'"],
    ['powers of negations', `${'x^-'.repeat(N)}x`, sp(1501, 1502), "'^'"],
    ['unclosed parentheses', '('.repeat(N), sp(1000, 1001), "'('"],
    ['a deep argument after a sum', `a+b*f(1, ${'('.repeat(N)}`, sp(1008, 1009), "'('"],
  ])('%s nested 100,000 deep are refused at level 1001', (_, src, span, at) => {
    const e = error(src);
    expect(e.code).toBe('too-deep');
    expect(e.span).toEqual(span);
    expect(e.message).toContain(`deeper than ${MAX_DEPTH} levels`);
    expect(e.message).toContain(at);
  });

  it('depth is the nesting, not the count: many shallow groups are fine', () => {
    const a = parse(Array.from({ length: 20_000 }, () => '(-(x)^-2)').join('+'));
    expect(a.type === 'sum' && a.terms.length).toBe(20_000);
  });
});
