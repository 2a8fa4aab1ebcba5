import { describe, expect, it } from 'vitest';
import type { Ast } from '../../src/lang/ast.js';
import { tokenize } from '../../src/lang/lexer.js';
import { parse } from '../../src/lang/parser.js';
import { nodes, sexp } from './helpers.js';

const shape = (src: string): string => sexp(parse(src));
const sp = (start: number, end: number) => ({ start, end });

describe('precedence and associativity', () => {
  it.each([
    ['-x^2', '(neg (^ x 2))'],
    ['a^b^c', '(^ a (^ b c))'],
    ['a^-b^c', '(^ a (neg (^ b c)))'],
    ["a*b'*c", '[a * (T b) * c]'],
    ['2./x', '[2 ./ x]'],
    ['2.*x', '[2 .* x]'],
    ['2.5.*x', '[2.5 .* x]'],
    ['x.^2', '(.^ x 2)'],
    ["x.^2'", "(.^ x (T 2))"],
    ["x'^2", '(^ (T x) 2)'],
    ['a - b + c', '[a - b + c]'],
    ['A*x/s', '[A * x / s]'],
    ['a*b+c*d', '[[a * b] + [c * d]]'],
    ['a+b*c-d', '[a + [b * c] - d]'],
    ['-a*b', '[(neg a) * b]'],
    ['-a+b', '[(neg a) + b]'],
    ['a*-b', '[a * (neg b)]'],
    ['a - -b', '[a - (neg b)]'],
    ['--x', '(neg (neg x))'],
    ["-x'", '(neg (T x))'],
    ["x'''", '(T3 x)'],
    ["x' ' '", '(T3 x)'],
    ["(x')'", '(T (paren (T x)))'],
    ['a^b*c', '[(^ a b) * c]'],
    ['a^-b*c', '[(^ a (neg b)) * c]'],
    ['a.^b.^c', '(.^ a (.^ b c))'],
    ['(a+b)*c', '[(paren [a + b]) * c]'],
    ['((x))', '(paren (paren x))'],
    ['f(g(x, y), h(1), z)', 'f(g(x, y), h(1), z)'],
    ["tr(inv(X)*A')", "tr([inv(X) * (T A)])"],
    ['unvec(x, m*n)', 'unvec(x, [m * n])'],
    ["f(x)'", '(T f(x))'],
    ['f (x)', 'f(x)'],
    ['X^-1', '(^ X (neg 1))'],
    ['2^3^2', '(^ 2 (^ 3 2))'],
  ])('%s reads as %s', (src, want) => {
    expect(shape(src)).toBe(want);
  });

  it('one summand is not a sum, one factor is not a product', () => {
    expect(parse('x').type).toBe('name');
    expect(parse('(x)').type).toBe('paren');
    expect(parse('f(a*b)').type).toBe('call');
  });
});

describe('numbers and names', () => {
  it.each([
    ['2', 2], ['0.5', 0.5], ['.5', 0.5], ['1e-3', 1e-3], ['1E+3', 1000], ['2.', 2], ['2.e3', 2000],
    ['007', 7], ['1e-999', 0], ['1.7976931348623157e308', 1.7976931348623157e308],
  ])('%s is the number %d', (src, value) => {
    const a = parse(src);
    expect(a).toEqual({ type: 'num', value, text: src, span: sp(0, src.length) });
  });

  it('a trailing dot belongs to the number unless an operator follows', () => {
    expect(shape("2.'")).toBe('(T 2.)');
    expect(shape('2. * x')).toBe('[2. * x]');
    expect(shape('(2.)')).toBe('(paren 2.)');
    expect(tokenize('2./x').map((t) => t.text)).toEqual(['2', './', 'x', '']);
    expect(tokenize('2.^x').map((t) => t.text)).toEqual(['2', '.^', 'x', '']);
    expect(tokenize('.5.*.5').map((t) => t.text)).toEqual(['.5', '.*', '.5', '']);
  });

  it('names', () => {
    expect(parse('_x1')).toEqual({ type: 'name', name: '_x1', span: sp(0, 3) });
    expect(parse('e')).toEqual({ type: 'name', name: 'e', span: sp(0, 1) });
    expect(shape('E1*e')).toBe('[E1 * e]');
  });

  it('whitespace is free, Unicode spaces included', () => {
    expect(shape(' \t\n a \u00a0+\r\n b\u2003')).toBe('[a + b]');
  });

  it('tokens carry kinds, texts, values and spans', () => {
    expect(tokenize(" f(x', 1e2) ")).toEqual([
      { kind: 'name', text: 'f', span: sp(1, 2) },
      { kind: '(', text: '(', span: sp(2, 3) },
      { kind: 'name', text: 'x', span: sp(3, 4) },
      { kind: "'", text: "'", span: sp(4, 5) },
      { kind: ',', text: ',', span: sp(5, 6) },
      { kind: 'num', text: '1e2', value: 100, span: sp(7, 10) },
      { kind: ')', text: ')', span: sp(10, 11) },
      { kind: 'end', text: '', span: sp(12, 12) },
    ]);
  });
});

describe('spans', () => {
  it('every node of a sum, product, power and call', () => {
    //         0123456789012345678901234
    const src = "a - 2*B' + f(x, -y^2)";
    const a = parse(src);
    expect(a).toMatchObject({
      type: 'sum', span: sp(0, 21),
      terms: [
        { sign: 1, opSpan: null, term: { type: 'name', span: sp(0, 1) } },
        {
          sign: -1, opSpan: sp(2, 3),
          term: {
            type: 'product', span: sp(4, 8),
            factors: [
              { op: '*', opSpan: null, factor: { type: 'num', span: sp(4, 5) } },
              { op: '*', opSpan: sp(5, 6), factor: { type: 'transpose', count: 1, span: sp(6, 8), arg: { type: 'name', span: sp(6, 7) } } },
            ],
          },
        },
        {
          sign: 1, opSpan: sp(9, 10),
          term: {
            type: 'call', name: 'f', nameSpan: sp(11, 12), span: sp(11, 21),
            args: [
              { type: 'name', span: sp(13, 14) },
              {
                type: 'neg', span: sp(16, 20),
                arg: { type: 'power', op: '^', opSpan: sp(18, 19), span: sp(17, 20), base: { span: sp(17, 18) }, exponent: { span: sp(19, 20) } },
              },
            ],
          },
        },
      ],
    });
  });

  it('parentheses and transposes cover what they close', () => {
    expect(parse(" ( x ) ' '")).toMatchObject({ type: 'transpose', count: 2, span: sp(1, 10), arg: { type: 'paren', span: sp(1, 6), inner: { span: sp(3, 4) } } });
  });

  it('spans count UTF-16 code units', () => {
    expect(parse('\u3000x + y')).toMatchObject({ span: sp(1, 6) });
    expect(() => parse('x + \u{1F642}')).toThrow(expect.objectContaining({ span: sp(4, 6) }));
  });

  it('the text under every span parses to the same node', () => {
    const src = "-(A*x - b)'*W.^2*(A*x - b) / 2 + lam*norm2(x)^2 - log(det(X'*X))";
    const check = (n: Ast): void => {
      expect(sexp(parse(src.slice(n.span.start, n.span.end)))).toBe(sexp(n));
    };
    nodes(parse(src)).forEach(check);
  });
});

describe('long chains are flat', () => {
  it('a 1 MB sum', () => {
    const n = 500_000;
    const src = `x${'+x'.repeat(n)}`;
    const a = parse(src);
    if (a.type !== 'sum') throw new Error(a.type);
    expect(a.terms).toHaveLength(n + 1);
    expect(a.span).toEqual(sp(0, src.length));
    expect(a.terms[n]).toEqual({ sign: 1, opSpan: sp(2 * n - 1, 2 * n), term: { type: 'name', name: 'x', span: sp(2 * n, 2 * n + 1) } });
  });

  it('a 1 MB product of mixed operators', () => {
    const n = 250_000;
    const src = `x${'*x./y'.repeat(n)}`;
    const a = parse(src);
    if (a.type !== 'product') throw new Error(a.type);
    expect(a.factors).toHaveLength(2 * n + 1);
    expect(a.factors.slice(-2).map((f) => f.op)).toEqual(['*', './']);
  });

  it('a long mixed chain, and transposes counted in a loop', () => {
    const n = 50_000;
    const a = parse(`a${"+b*c'^2-d".repeat(n)}`);
    expect(a.type === 'sum' && a.terms.length).toBe(2 * n + 1);
    expect(parse(`x${"'".repeat(200_000)}`)).toMatchObject({ type: 'transpose', count: 200_000 });
  });
});
