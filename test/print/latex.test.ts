import fc from 'fast-check';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/api/compile.js';
import { delta, inv, mul, neg, transpose, variable } from '../../src/ir/build.js';
import { topoOrder, type Node } from '../../src/ir/node.js';
import { OP_NAMES, type OpName } from '../../src/ir/ops.js';
import { toLatex } from '../../src/print/latex.js';

const VARS = {
  X: 'matrix(n,n)', B: 'matrix(n,n)', a: 'vector(n)', b: 'vector(n)', s: 'scalar', t: 'scalar',
  x1: 'vector(n)', alpha: 'scalar', rate: 'scalar', X_train: 'matrix(n,n)', dX: 'matrix(n,n)', dx: 'vector(n)',
  dX1: 'matrix(n,n)', dX2: 'matrix(n,n)',
};
const root = (expr: string, vars: Record<string, string> = VARS): Node => compile(expr, vars).root;
const latex = (expr: string): string => toLatex(root(expr));
/** Renders in KaTeX or throws with the LaTeX in the message. */
const renders = (tex: string): void => {
  try {
    katex.renderToString(tex, { throwOnError: true });
  } catch (e) {
    throw new Error(`KaTeX rejects ${JSON.stringify(tex)}: ${(e as Error).message}`);
  }
};

describe('toLatex: canonical forms', () => {
  it.each([
    ["det(X+B)*log(a'*inv(X)*a) - tr(X)", '\\det(X + B) \\log(a^\\top X^{-1} a) - \\operatorname{tr}(X)'],
    ["a'*X*a", 'a^\\top X a'],
    ["inv(X)'", 'X^{-\\top}'],
    ["inv(X+B)'", '\\left(X + B\\right)^{-\\top}'],
    ['logdet(X)', '\\log\\lvert \\det(X)\\rvert'],
    ['2*s/(t^2)', '\\frac{2 s}{t^{2}}'],
    ['-(s+1)/t', '-\\frac{1 + s}{t}'],
    ['X*a/s', '\\frac{1}{s} X a'],
    ['s - t', 's - t'],
    ["X*a*a'*B - 3*a*b'", 'X a a^\\top B - 3 a b^\\top'],
    ['-inv(X)*dX*inv(X)', '-X^{-1}\\,\\mathrm{d}X\\,X^{-1}'],
    ['-tr(inv(X)*dX2*inv(X)*dX1)', '-\\operatorname{tr}(X^{-1}\\,\\mathrm{d}X_{1}\\,X^{-1}\\,\\mathrm{d}X_{2})'],
    ["dx'*X*a", '\\mathrm{d}x^\\top\\,X a'],
    ['a./b + a.^2', 'a \\oslash b + a^{\\circ 2}'],
    ['kron(X, B) .* kron(X*X, B)', '\\left(X \\otimes B\\right) \\odot \\left(X^{2} \\otimes B\\right)'],
    ['norm2(a)^2 + norm2(X)', '\\lVert a\\rVert_{2}^{2} + \\lVert X\\rVert_{F}'],
    ["X + I - ones(n)*ones(n)'", 'X + I - \\mathbf{1}_{n} \\mathbf{1}_{n}^\\top'],
    ['eye(n) + zeros(n,n)', 'I_{n}'],
    ['zeros(3, n) + ones(3, n)', '\\mathbf{1}_{3\\times n}'],
    ['1e-7*s + 3*2^s', '1 \\times 10^{-7} s + 3 \\cdot 2^{s}'],
    ["alpha*rate*X_train + x1*x1'", '\\alpha\\,\\mathit{rate}\\,X_{\\mathrm{train}} + x_{1} x_{1}^\\top'],
    ["(X')^2 - (X+B)*(X-B)", '\\left(X^\\top\\right)^{2} - \\left(X + B\\right) \\left(X - B\\right)'],
    ['sqrt(s/t) + abs(s) + logdet(X)^2', '\\sqrt{\\frac{s}{t}} + \\lvert s\\rvert + \\left(\\log\\lvert \\det(X)\\rvert\\right)^{2}'],
    ['exp(s/t)*sigmoid(a)', '\\exp\\left(\\frac{s}{t}\\right) \\sigma(a)'],
    // kron of two columns is canonically vec(v*u')
    ['unvec(vec(X) + kron(a, a.*a.*b), n)', '\\operatorname{unvec}_{n}(\\operatorname{vec}(X) + \\operatorname{vec}(\\left(b \\odot a^{\\circ 2}\\right) a^\\top))'],
  ])('%s', (expr, expected) => {
    expect(latex(expr)).toBe(expected);
    renders(expected);
  });

  it('prints d(...) of a derivation step', () => {
    const X = variable('X', ['n', 'n']);
    const B = variable('B', ['n', 'n']);
    const cases: [Node, string][] = [
      [delta(X), '\\mathrm{d}X'],
      [mul(neg(delta(X)), B), '-\\mathrm{d}X\\,B'],
      [delta(mul(X, inv(B))), '\\mathrm{d}\\left(X B^{-1}\\right)'],
      [transpose(delta(X)), '\\mathrm{d}X^\\top'],
    ];
    for (const [n, expected] of cases) {
      expect(toLatex(n)).toBe(expected);
      renders(expected);
    }
  });

  it('writes a size unless a sibling fixes it, per occurrence of a shared constant', () => {
    const v = { A: 'matrix(3,n)', x: 'vector(n)', b: 'scalar' };
    expect(toLatex(root('A*ones(n) + zeros(3)', v))).toBe('A \\mathbf{1}_{n}');
    expect(toLatex(root('sum(ones(n))*x + ones(n)', v))).toBe('\\mathbf{1} + \\operatorname{sum}(\\mathbf{1}_{n}) x');
    expect(toLatex(root('eye(n) - b*eye(n)', v))).toBe('I_{n} - b I_{n}');
    expect(toLatex(root("A'*A - b*eye(n)", v))).toBe('A^\\top A - b I');
  });
});

describe('toLatex: every operator renders in KaTeX', () => {
  const COVER = [
    "det(X+B)*log(a'*inv(X)*a) - tr(X) + logdet(X)",
    'eye(n) + ones(n,n) .* zeros(n,n) + X.^s + X^3 + s^t + s^-2',
    'exp(a) + log(a) + sin(a) + cos(a) + tan(a) + tanh(a) + sqrt(a) + abs(a) + sign(a) + sigmoid(a)',
    'sum(X) + norm2(a) + norm2(X) + logsumexp(a)',
    "diag(a) + diag(a)*diag(diag(X)) + unvec(vec(X) + vec(B), n) + unvec(kron(a, b), n) + softmax(b)*a'",
    "vec(X)'*kron(a, b)",
    'zeros(n, n)',
    'kron(X, B)',
  ];
  it('covers OP_NAMES except Delta', () => {
    const seen = new Set<OpName>();
    for (const e of COVER) for (const n of topoOrder([root(e)])) seen.add(n.op);
    expect(OP_NAMES.filter((op) => op !== 'Delta' && !seen.has(op))).toEqual([]);
  });
  it.each(COVER)('%s', (e) => renders(latex(e)));
});

// ---- random well-typed expressions: s scalar, v vector(n), m matrix(n,n)
const P = (s: string): string => `(${s})`;
const FNS = ['exp', 'log', 'sin', 'cos', 'tan', 'tanh', 'sqrt', 'abs', 'sign', 'sigmoid'];
const arb = fc.letrec<{ s: string; v: string; m: string }>((tie) => {
  const s = tie('s'), v = tie('v'), m = tie('m');
  const bin = (x: fc.Arbitrary<string>, ops: string[], y: fc.Arbitrary<string>) =>
    fc.tuple(x, fc.constantFrom(...ops), y).map(([l, op, r]) => `${P(l)}${op}${P(r)}`);
  const app = (fns: string[], x: fc.Arbitrary<string>) => fc.tuple(fc.constantFrom(...fns), x).map(([f, a]) => `${f}(${a})`);
  const opts = { depthSize: 'small', withCrossShrink: true, maxDepth: 5 } as const;
  return {
    s: fc.oneof(opts,
      fc.constantFrom('a', 'b', '2', '0.5', '1e-7', '3'),
      bin(s, ['+', '-', '*', '/', '.*', './'], s),
      s.map((x) => `-${P(x)}`),
      fc.tuple(s, fc.constantFrom('2', '-1', '0.5', '-2', '(a)')).map(([x, k]) => `${P(x)}^${k}`),
      app([...FNS, 'inv', 'det', 'logdet', 'tr', 'norm2'], s),
      fc.tuple(v, v).map(([x, y]) => `${P(x)}'*${P(y)}`),
      fc.tuple(v, m, v).map(([x, A, y]) => `${P(x)}'*${P(A)}*${P(y)}`),
      app(['tr', 'det', 'logdet', 'sum', 'norm2'], m),
      app(['sum', 'norm2', 'logsumexp'], v),
      fc.tuple(fc.constantFrom('sum', 'norm2'), m, m).map(([f, A, C]) => `${f}(kron(${A}, ${C}))`),
    ),
    v: fc.oneof(opts,
      fc.constantFrom('x', 'y', 'ones(n)', 'zeros(n)'),
      bin(v, ['+', '-', '.*', './'], v),
      bin(s, ['*'], v), bin(v, ['*', '/', '.*', './'], s), bin(m, ['*'], v),
      fc.tuple(v, s).map(([x, k]) => `${P(x)}.^${P(k)}`),
      v.map((x) => `-${P(x)}`),
      app([...FNS, 'softmax'], v),
      m.map((A) => `diag(${A})`),
      fc.tuple(m, v).map(([A, x]) => `${P(A)}'*${P(x)}`),
    ),
    m: fc.oneof(opts,
      fc.constantFrom('A', 'B', 'eye(n)', 'ones(n,n)', 'zeros(n,n)'),
      bin(m, ['+', '-', '*', '.*', './'], m),
      bin(s, ['*'], m), bin(m, ['/', '*'], s),
      fc.tuple(m, s).map(([A, k]) => `${P(A)}.^${P(k)}`),
      fc.tuple(m, fc.constantFrom('2', '3', '-1', '-2')).map(([A, k]) => `${P(A)}^${k}`),
      m.map((A) => `${P(A)}'`), m.map((A) => `-${P(A)}`), m.map((A) => `${P(A)} + I`),
      app([...FNS, 'inv'], m),
      v.map((x) => `diag(${x})`),
      fc.tuple(v, v).map(([x, y]) => `${P(x)}*${P(y)}'`),
      m.map((A) => `unvec(vec(${A}), n)`),
      fc.tuple(v, v).map(([x, y]) => `unvec(kron(${x}, ${y}), n)`),
    ),
  };
});
const GEN_VARS = { a: 'scalar', b: 'scalar', x: 'vector(n)', y: 'vector(n)', A: 'matrix(n,n)', B: 'matrix(n,n)' };

describe('toLatex: random well-typed expressions', () => {
  it('compile, and their LaTeX renders in KaTeX', () => {
    fc.assert(fc.property(fc.oneof(arb.s, arb.v, arb.m), (expr) => {
      renders(toLatex(root(expr, GEN_VARS)));
    }), { numRuns: 300, seed: 20240611 });
  });
});
