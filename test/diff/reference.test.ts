// The references the derivative tests trust, checked on their own: finite differences against
// derivatives known by hand, the scalar hyper-dual interpreter against finite differences, and
// the harness against deliberately wrong answers.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/numeric/matrix.js';
import { checkAgainstFD } from '../helpers/derive-check.js';
import { directional, fdGradient, fdHessian, fdJacobian, randomValue, relErr, seeded } from '../helpers/numeric.js';
import { evalScalar, HyperDual, scalarDerivatives } from '../helpers/scalar.js';

const rand = seeded(42);
const at = (m: Matrix, i: number, j: number): number => m.data[i + j * m.rows]!;
const build = (r: number, c: number, f: (i: number, j: number) => number): Matrix => {
  const m = new Matrix(r, c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) m.data[i + j * r] = f(i, j);
  return m;
};
const scalar = (x: number): Matrix => Matrix.scalar(x);

describe('finite differences against derivatives known by hand', () => {
  it('gradient of sum(X.^3) is 3 X.^2 (X 2 x 3)', () => {
    const X = randomValue(2, 3, 'any', rand);
    const f = (Y: Matrix): Matrix => scalar(Y.data.reduce((s, v) => s + v ** 3, 0));
    expect(relErr(fdGradient(f, X), build(2, 3, (i, j) => 3 * at(X, i, j) ** 2))).toBeLessThan(1e-10);
  });

  it("gradient of a'*S*b along symmetric directions is (a b' + b a')/2", () => {
    const n = 3;
    const S = randomValue(n, n, 'any', rand, true);
    const a = randomValue(n, 1, 'any', rand), b = randomValue(n, 1, 'any', rand);
    const f = (Y: Matrix): Matrix => {
      let s = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += a.data[i]! * at(Y, i, j) * b.data[j]!;
      return scalar(s);
    };
    const want = build(n, n, (i, j) => (a.data[i]! * b.data[j]! + b.data[i]! * a.data[j]!) / 2);
    expect(relErr(fdGradient(f, S, true), want)).toBeLessThan(1e-10);
    // unconstrained, it is a b'
    expect(relErr(fdGradient(f, S), build(n, n, (i, j) => a.data[i]! * b.data[j]!))).toBeLessThan(1e-10);
  });

  it('Jacobian of vec(X*X) by vec(X) is kron(X\', I) + kron(I, X)', () => {
    const n = 2;
    const X = randomValue(n, n, 'any', rand);
    const sq = (Y: Matrix): Matrix => build(n, n, (i, j) => { let s = 0; for (let k = 0; k < n; k++) s += at(Y, i, k) * at(Y, k, j); return s; });
    // d(XX)[i,j] by X[p,q] = [j == q] X[i,p] + [i == p] X[q,j]; row i + j n, column p + q n
    const want = build(n * n, n * n, (r, c) => {
      const i = r % n, j = Math.floor(r / n), p = c % n, q = Math.floor(c / n);
      return (j === q ? at(X, i, p) : 0) + (i === p ? at(X, q, j) : 0);
    });
    expect(relErr(fdJacobian(sq, X), want)).toBeLessThan(1e-10);
  });

  it("Hessian of (a'*x)^2 + sum(x.^3) is 2 a a' + diag(6 x)", () => {
    const n = 4;
    const x = randomValue(n, 1, 'any', rand), a = randomValue(n, 1, 'any', rand);
    const f = (y: Matrix): Matrix => {
      let d = 0, c = 0;
      for (let i = 0; i < n; i++) { d += a.data[i]! * y.data[i]!; c += y.data[i]! ** 3; }
      return scalar(d * d + c);
    };
    const want = build(n, n, (i, j) => 2 * a.data[i]! * a.data[j]! + (i === j ? 6 * x.data[i]! : 0));
    expect(relErr(fdHessian(f, x), want)).toBeLessThan(1e-8);
  });

  it('a Hessian by a matrix is by vec(X): tr(X*X) has H[i][j] = 1 where E_j is E_i transposed', () => {
    const n = 3;
    const X = randomValue(n, n, 'any', rand);
    const f = (Y: Matrix): Matrix => { let s = 0; for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) s += at(Y, i, k) * at(Y, k, i); return scalar(s); };
    const want = build(n * n, n * n, (r, c) => (r % n === Math.floor(c / n) && Math.floor(r / n) === c % n ? 2 : 0));
    expect(relErr(fdHessian(f, X), want)).toBeLessThan(1e-8);
  });
});

describe('the scalar hyper-dual interpreter', () => {
  const v = { s: 0.7, t: 1.3 };
  const exprs = [
    'exp(s)', 'log(s)', 'sin(s)', 'cos(s)', 'tan(s)', 'tanh(s)', 'sqrt(s)', 'abs(s)', 'sign(s)*s^2', 'sigmoid(s)',
    'inv(s)', 'det(s)', 'logdet(-s)', 'tr(s)', 'sum(s)', 'norm2(s)', 'diag(s)', 'vec(s)', 'unvec(s, 1)', 'kron(s, t)',
    'logsumexp(s)', 'softmax(s)*s', 's^3', 's^t', 't^s', 's.^2.5', 's/t', 't./s', "s'*t", '-s^2', '2./s',
    'eye(1)*s + ones(1,1) - zeros(1)', 'I*s + ones', 's^-2', 'exp(s*t)*log(t+s)', '(s - t)*(s + 2*t)^2',
  ];
  it.each(exprs)('%s: first and second derivatives agree with finite differences', (e) => {
    const f = (x: Matrix): Matrix => scalar(evalScalar(e, { s: HyperDual.constant(x.data[0]!), t: HyperDual.constant(v.t) }).v);
    const r = scalarDerivatives(e, v, 's');
    const s = scalar(v.s);
    const d1 = directional(f, s, scalar(1))[0]!;
    const d2 = fdHessian(f, s).data[0]!;
    expect(Math.abs(r.f - f(s).data[0]!)).toBe(0);
    expect(Math.abs(r.d1 - d1) / Math.max(1, Math.abs(d1))).toBeLessThan(1e-9);
    expect(Math.abs(r.d2 - d2) / Math.max(1, Math.abs(d2))).toBeLessThan(1e-7);
  });

  it('reads the grammar as LANGUAGE.md does', () => {
    const val = (e: string): number => evalScalar(e, { s: HyperDual.constant(2) }).v;
    expect(val('-s^2')).toBe(-4);
    expect(val('2^-1')).toBe(0.5);
    expect(val('2./s')).toBe(1);
    expect(val('.5*s')).toBe(1);
    expect(val('1e-3*s')).toBe(0.002);
    expect(val('s^3^0')).toBe(2);
    expect(val('12/s/3')).toBe(2);
    expect(val('1 - s - 1')).toBe(-2);
  });
});

describe('the harness catches wrong answers', () => {
  it('a transposed gradient fails against finite differences', () => {
    const r = checkAgainstFD({ expr: 'tr(A*X)', vars: { X: 'matrix(n,n)', A: 'matrix(n,n)' }, wrt: 'X', order: 1 }, 5, 3);
    expect(r.err).toBeLessThan(1e-8);
    const t = build(r.got.rows, r.got.cols, (i, j) => at(r.got, j, i));
    expect(relErr(t, r.want)).toBeGreaterThan(1e-2);
  });

  it('a symmetric gradient is not G + G\' - diag(G) (the Cookbook convention)', () => {
    const r = checkAgainstFD({ expr: "a'*S*b", vars: { S: 'symmetric', a: 'vector', b: 'vector' }, wrt: 'S', order: 1 }, 6, 3);
    expect(r.err).toBeLessThan(1e-8);
    const g = r.got;
    const cookbook = build(g.rows, g.cols, (i, j) => (i === j ? at(g, i, i) : 2 * at(g, i, j)));
    expect(relErr(cookbook, r.want)).toBeGreaterThan(1e-2);
  });
});
