/** Second order: Hessians by nested dual numbers (hyper-duals) against central differences of
 *  the first-order gradient, Hessian-vector products against the Hessian, and closed forms. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/api/compile.js';
import { gradientAD, hessianAD, hvpAD } from '../../src/ad/index.js';
import { isScalar } from '../../src/ir/node.js';
import { inv } from '../../src/numeric/linalg.js';
import { Matrix } from '../../src/numeric/matrix.js';
import { transpose } from '../../src/numeric/ops.js';
import { SPECS } from './specs.js';
import { bind, centralDiff, direction, expectNear, randomValue, seeded, type Domain } from './helpers.js';

interface Case { expr: string; vars: Record<string, string>; domain?: Record<string, Domain> }

const CASES: Case[] = [
  { expr: "x' * A * x", vars: { x: 'vector(3)', A: 'matrix(3,3)' } },
  { expr: 'logdet(X)', vars: { X: 'matrix(3,3)' } },
  { expr: 'det(X)', vars: { X: 'matrix(3,3)' } },
  { expr: 'tr(inv(X) * A)', vars: { X: 'matrix(3,3)', A: 'matrix(3,3)' } },
  { expr: 'tr(X^3)', vars: { X: 'matrix(3,3)' } },
  { expr: 'sum(exp(x)) + logsumexp(x)', vars: { x: 'vector(4)' } },
  { expr: "norm2(x) + softmax(x)' * y", vars: { x: 'vector(4)', y: 'vector(4)' } },
  { expr: 'sum(sin(X) .* cos(X) + tanh(X) .* tan(X))', vars: { X: 'matrix(2,3)' } },
  { expr: 'sum(sqrt(X) + log(X)) + sum(X.^s)', vars: { X: 'matrix(2,2)', s: 'scalar' }, domain: { X: 'positive' } },
  { expr: 'a^b + a*b^2', vars: { a: 'scalar', b: 'scalar' }, domain: { a: 'positive' } },
  { expr: 'sum(sigmoid(X * y))', vars: { X: 'matrix(3,2)', y: 'vector(2)' } },
  { expr: 'sum(kron(X, X) .* W)', vars: { X: 'matrix(2,2)', W: 'matrix(4,4)' } },
  { expr: "x' * inv(S) * x + logdet(S)", vars: { x: 'vector(3)', S: 'symmetric(3)' } },
  { expr: 'sum(unvec(x, 2) * B) * norm2(diag(diag(A)) * x)', vars: { x: 'vector(4)', B: 'matrix(2,3)', A: 'matrix(4,4)' } },
];

/** The Hessian by differences of the AD gradient: column j is the gradient's change along direction j. */
function fdHessian(c: { root: ReturnType<typeof bind>['root']; env: ReturnType<typeof bind>['env'] }, name: string, symmetric: boolean): Matrix {
  const x = c.env.values.get(name)!;
  const n = x.data.length;
  const H = new Matrix(n, n);
  for (let j = 0; j < n; j++) {
    const col = centralDiff((y) => {
      const values = new Map(c.env.values);
      values.set(name, y);
      return gradientAD(c.root, { values, sizes: c.env.sizes }, name, symmetric);
    }, x, direction(x, j, symmetric));
    H.data.set(col.data, j * n);
  }
  return H;
}

function checkSecondOrder(expr: string, vars: Record<string, string>, seed: number, domain?: Record<string, Domain>): void {
  const c = bind(expr, vars, seed, domain);
  for (const name of Object.keys(vars)) {
    const sym = c.symmetric.has(name);
    const H = hessianAD(c.root, c.env, name);
    expectNear(H, fdHessian(c, name, sym), 1e-6, `${expr} by ${name}`);
    expectNear(H, transpose(H), 1e-12, `${expr} by ${name}: symmetric`);
    // H v, v a random direction (symmetric for a symmetric variable)
    const x = c.env.values.get(name)!;
    const v = randomValue(x.rows, x.cols, seeded(seed + 1), 'away', sym);
    const Hv = hvpAD(c.root, c.env, name, v);
    // v = sum_k v_k D_k over the directions D_k the Hessian is numbered at (symmetric or not)
    const want = new Matrix(x.rows, x.cols);
    for (let i = 0; i < want.data.length; i++) {
      for (let k = 0; k < v.data.length; k++) want.data[i]! += H.get(i, k) * v.data[k]!;
    }
    expectNear(Hv, want, 1e-9, `${expr} by ${name}: hvp`);
  }
}

describe('Hessians by hyper-duals against differences of gradients', () => {
  it.each(CASES.map((c, i) => ({ ...c, seed: 300 + i })))('$expr', ({ expr, vars, domain, seed }) => {
    checkSecondOrder(expr, vars, seed, domain);
  });

  it('every operator: the Hessian of a weighted sum of its spec expression', () => {
    let seed = 500;
    for (const specs of Object.values(SPECS)) {
      for (const s of specs) {
        const shape = compile(s.expr, s.vars).root;
        const scalarRoot = isScalar(shape);
        const expr = scalarRoot ? s.expr : `sum((${s.expr}) .* W_)`;
        const vars = scalarRoot ? s.vars : { ...s.vars, W_: `matrix(${shape.shape[0]},${shape.shape[1]})` };
        checkSecondOrder(expr, vars, seed++, s.domain);
      }
    }
  });
});

describe('closed forms', () => {
  it("x'*A*x has Hessian A + A'", () => {
    const c = bind("x' * A * x", { x: 'vector(4)', A: 'matrix(4,4)' }, 41);
    const A = c.env.values.get('A')!;
    const H = hessianAD(c.root, c.env, 'x');
    expectNear(H, new Matrix(4, 4, A.data.map((a, k) => a + A.data[(k % 4) * 4 + Math.floor(k / 4)]!)), 1e-12, 'H');
  });

  it('logdet(X) has Hessian H[i][j] = -tr(inv(X) E_i inv(X) E_j) by vec(X)  (Cookbook 51, differentiated)', () => {
    const c = bind('logdet(X)', { X: 'matrix(3,3)' }, 42);
    const X = c.env.values.get('X')!;
    const Y = inv(X);
    const H = hessianAD(c.root, c.env, 'X');
    const n = 3;
    const want = new Matrix(9, 9);
    // tr(Y E_(a,b) Y E_(c,d)) = Y[d][a] * Y[b][c]
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) {
      const a = i % n, b = Math.floor(i / n), cc = j % n, d = Math.floor(j / n);
      want.data[i + 9 * j] = -Y.get(d, a) * Y.get(b, cc);
    }
    expectNear(H, want, 1e-10, 'H');
  });
});
