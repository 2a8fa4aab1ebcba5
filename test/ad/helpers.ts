/** Test tools for dual numbers: programs compiled with random values bound (seeded), and
 *  central finite differences on the numeric evaluator, an oracle independent of ad/. */
import { expect } from 'vitest';
import { compile, symmetricVars } from '../../src/api/compile.js';
import { bindValues, toValue } from '../../src/api/values.js';
import { dimSize } from '../../src/ir/dims.js';
import type { Node } from '../../src/ir/node.js';
import { evaluate, type Env } from '../../src/numeric/evaluate.js';
import { Matrix } from '../../src/numeric/matrix.js';
import { seeded } from '../numeric/helpers.js';

export { seeded };

/** Where a variable's values are drawn: uniform in [-1, 1] (square matrices shifted by n*I, so
 *  well conditioned), positive in [0.5, 2], or away from zero (|x| in [0.3, 1]). */
export type Domain = 'any' | 'positive' | 'away';

export function randomValue(rows: number, cols: number, rand: () => number, domain: Domain = 'any', symmetric = false): Matrix {
  const m = new Matrix(rows, cols);
  for (let k = 0; k < m.data.length; k++) {
    const u = rand();
    m.data[k] = domain === 'positive' ? 0.5 + 1.5 * u : domain === 'away' ? (u < 0.5 ? -1 : 1) * (0.3 + 1.4 * Math.abs(u - 0.5)) : 2 * u - 1;
  }
  if (symmetric) for (let j = 0; j < cols; j++) for (let i = 0; i < j; i++) m.data[i + j * rows] = m.data[j + i * rows]!;
  if (domain === 'any' && rows === cols && rows > 1) for (let i = 0; i < rows; i++) m.data[i + i * rows]! += rows;
  return m;
}

export interface Bound { root: Node; env: Env; symmetric: Set<string> }

/** A program with random values for its variables (every dimension declared as an integer). */
export function bind(expr: string, vars: Record<string, string>, seed: number, domains: Record<string, Domain> = {}): Bound {
  const p = compile(expr, vars);
  const symmetric = symmetricVars(p);
  const rand = seeded(seed);
  const at: Record<string, unknown> = {};
  for (const [name, [r, c]] of Object.entries(p.shapes)) {
    const m = randomValue(dimSize(r, {})!, dimSize(c, {})!, rand, domains[name], symmetric.has(name));
    at[name] = toValue(m);
  }
  return { root: p.root, env: bindValues(p.shapes, at, symmetric), symmetric };
}

export const evalAt = (root: Node, env: Env, name: string, x: Matrix): Matrix => {
  const values = new Map(env.values);
  values.set(name, x);
  return evaluate([root], { values, sizes: env.sizes })[0]!;
};

const shifted = (x: Matrix, d: Matrix, h: number): Matrix => {
  const y = x.clone();
  for (let i = 0; i < y.data.length; i++) y.data[i]! += h * d.data[i]!;
  return y;
};

/** The directions of a variable's entries: E_k, or (E_k + E_k')/2 if symmetric. */
export function direction(x: Matrix, k: number, symmetric: boolean): Matrix {
  const e = new Matrix(x.rows, x.cols);
  const i = k % x.rows, j = Math.floor(k / x.rows);
  e.data[i + j * x.rows]! += symmetric ? 0.5 : 1;
  if (symmetric) e.data[j + i * x.rows]! += 0.5;
  return e;
}

/** The central difference of g at x along d: (g(x + h d) - g(x - h d)) / 2h, h = 1e-6. */
export function centralDiff(g: (x: Matrix) => Matrix, x: Matrix, d: Matrix, h = 1e-6): Matrix {
  const a = g(shifted(x, d, h)), b = g(shifted(x, d, -h));
  const out = new Matrix(a.rows, a.cols);
  for (let i = 0; i < out.data.length; i++) out.data[i] = (a.data[i]! - b.data[i]!) / (2 * h);
  return out;
}

/** The Jacobian of vec(g) by vec(x) by central differences, one column per direction. */
export function fdJacobian(g: (x: Matrix) => Matrix, x: Matrix, symmetric = false): Matrix {
  const cols = Array.from({ length: x.data.length }, (_, k) => centralDiff(g, x, direction(x, k, symmetric)));
  const m = cols[0]!.data.length;
  const J = new Matrix(m, cols.length);
  cols.forEach((c, k) => J.data.set(c.data, k * m));
  return J;
}

/** Same shape and |a - b| <= tol * (1 + |b|) entrywise (b the reference). */
export function expectNear(actual: Matrix, expected: Matrix, tol = 1e-6, what = ''): void {
  expect([actual.rows, actual.cols], `${what} shape`).toEqual([expected.rows, expected.cols]);
  for (let k = 0; k < actual.data.length; k++) {
    const x = actual.data[k]!, y = expected.data[k]!;
    if (!(Math.abs(x - y) <= tol * (1 + Math.abs(y)))) {
      throw new Error(`${what}: entry ${k} (row ${k % actual.rows + 1}, column ${Math.floor(k / actual.rows) + 1}): got ${x}, expected ${y}`);
    }
  }
}
