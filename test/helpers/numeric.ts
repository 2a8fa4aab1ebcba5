/**
 * Numeric test helpers for the derivative engine: a seeded generator, random well-conditioned
 * values for declared shapes, and central finite-difference references for every kind of
 * answer, computed only from values of the function f, never from the engine's derivative.
 */
import { factorsOf, type Shape } from '../../src/ir/dims.js';
import { Matrix } from '../../src/numeric/matrix.js';

// ---------------------------------------------------------------- randomness

export { seeded } from '../../src/numeric/random.js';

/**
 * Where a variable's values are drawn (entries uniform unless said):
 * - `any`: in [-1, 1];
 * - `positive`: in [0.5, 1.5] (log, sqrt, x.^p with p not an integer);
 * - `nonzero`: in +-[0.5, 1.5] (abs, sign, division by entries);
 * - `small`: in [-0.3, 0.3] divided by the size (matrix powers stay tame);
 * - `wellcond`: for a square matrix, +-(R + (n+1) I) with R in [-1, 1], so strictly diagonally
 *   dominant (inv, det, logdet); other shapes as `nonzero`;
 * - `spd`: for a square matrix, R R'/n + I, symmetric positive definite; other shapes as `positive`.
 * A symmetric variable's value is always symmetric: the draw, symmetrised.
 */
export type Domain = 'any' | 'positive' | 'nonzero' | 'small' | 'wellcond' | 'spd';

const uniform = (rand: () => number, lo: number, hi: number): number => lo + (hi - lo) * rand();

export function randomValue(rows: number, cols: number, domain: Domain, rand: () => number, symmetric = false): Matrix {
  const n = rows;
  const m = new Matrix(rows, cols);
  const fill = (f: () => number): void => { for (let k = 0; k < m.data.length; k++) m.data[k] = f(); };
  const square = rows === cols;
  switch (domain) {
    case 'any': fill(() => uniform(rand, -1, 1)); break;
    case 'positive': fill(() => uniform(rand, 0.5, 1.5)); break;
    case 'nonzero': fill(() => (rand() < 0.5 ? -1 : 1) * uniform(rand, 0.5, 1.5)); break;
    case 'small': fill(() => uniform(rand, -0.3, 0.3) / Math.max(rows, cols)); break;
    case 'wellcond': {
      if (!square) { fill(() => (rand() < 0.5 ? -1 : 1) * uniform(rand, 0.5, 1.5)); break; }
      const sign = rand() < 0.5 ? -1 : 1;
      fill(() => uniform(rand, -1, 1));
      if (symmetric) symmetrise(m);
      for (let i = 0; i < n; i++) m.data[i + i * n]! += n + 1;
      for (let k = 0; k < m.data.length; k++) m.data[k]! *= sign;
      return m;
    }
    case 'spd': {
      if (!square) { fill(() => uniform(rand, 0.5, 1.5)); break; }
      const R = new Matrix(n, n);
      for (let k = 0; k < R.data.length; k++) R.data[k] = uniform(rand, -1, 1);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = i === j ? 1 : 0;
        for (let p = 0; p < n; p++) s += (R.data[i + p * n]! * R.data[j + p * n]!) / n;
        m.data[i + j * n] = s;
      }
      return m;
    }
  }
  if (symmetric && square) symmetrise(m);
  return m;
}

function symmetrise(m: Matrix): void {
  const n = m.rows;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    const v = (m.data[i + j * n]! + m.data[j + i * n]!) / 2;
    m.data[i + j * n] = v;
    m.data[j + i * n] = v;
  }
}

// ---------------------------------------------------------------- shapes and values

/** A value laid out by shape as LANGUAGE.md says: a number, a column as a flat array, or rows. */
export type Json = number | number[] | number[][];

export function toJson(m: Matrix): Json {
  if (m.rows === 1 && m.cols === 1) return m.data[0]!;
  if (m.cols === 1) return Array.from(m.data);
  return m.toRows();
}

export function fromJson(v: unknown): Matrix {
  if (typeof v === 'number') return Matrix.scalar(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return Matrix.fromColumn(v as number[]);
  if (Array.isArray(v) && v.every((x) => Array.isArray(x))) return Matrix.fromRows(v as number[][]);
  throw new Error(`not a value laid out by shape: ${JSON.stringify(v)}`);
}

/** Sizes for every dimension name in the shapes: `base`, or `base + 1`, at random per name. */
export function sizesFor(shapes: Readonly<Record<string, Shape>>, base: number, rand: () => number): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const s of Object.values(shapes)) for (const d of s) for (const name of factorsOf(d).names) {
    if (sizes[name] === undefined) sizes[name] = base + (rand() < 0.5 ? 0 : 1);
  }
  return sizes;
}

export function sizeOf(d: string, sizes: Readonly<Record<string, number>>): number {
  const { coef, names } = factorsOf(d);
  return names.reduce((p, n) => {
    const s = sizes[n];
    if (s === undefined) throw new Error(`no size for dimension '${n}'`);
    return p * s;
  }, coef);
}

/** Values for every declared variable, by its shape and domain. */
export function pointFor(
  shapes: Readonly<Record<string, Shape>>, sizes: Readonly<Record<string, number>>, rand: () => number,
  domains: Readonly<Record<string, Domain>> = {}, symmetric: ReadonlySet<string> = new Set(),
): Record<string, Json> {
  const at: Record<string, Json> = {};
  for (const [name, s] of Object.entries(shapes)) {
    at[name] = toJson(randomValue(sizeOf(s[0], sizes), sizeOf(s[1], sizes), domains[name] ?? 'any', rand, symmetric.has(name)));
  }
  return at;
}

// ---------------------------------------------------------------- finite differences

/** The directions of X's space, column-major: E_k, or (E_k + E_k')/2 for a symmetric X (LANGUAGE.md). */
export function directions(rows: number, cols: number, symmetric: boolean): Matrix[] {
  const out: Matrix[] = [];
  for (let k = 0; k < rows * cols; k++) {
    const E = new Matrix(rows, cols);
    if (symmetric) {
      const i = k % rows, j = Math.floor(k / rows);
      E.data[i + j * rows]! += 0.5;
      E.data[j + i * rows]! += 0.5;
    } else E.data[k] = 1;
    out.push(E);
  }
  return out;
}

/** X + sum of t_i D_i. */
function moved(X: Matrix, steps: readonly (readonly [number, Matrix])[]): Matrix {
  const Y = X.clone();
  for (const [t, D] of steps) for (let k = 0; k < Y.data.length; k++) Y.data[k]! += t * D.data[k]!;
  return Y;
}

const H1 = 1e-3;
const H2 = 1e-3;

/** d/dt f(X + t D) at 0, vec'ed: central differences at h and h/2, Richardson-extrapolated (error O(h^4)). */
export function directional(f: (X: Matrix) => Matrix, X: Matrix, D: Matrix, h = H1): Float64Array {
  const central = (s: number): Float64Array => {
    const p = f(moved(X, [[s, D]])).data, m = f(moved(X, [[-s, D]])).data;
    return p.map((v, i) => (v - m[i]!) / (2 * s));
  };
  const a = central(h), b = central(h / 2);
  return b.map((v, i) => (4 * v - a[i]!) / 3);
}

/** d2/ds dt f(X + s D1 + t D2) at 0 for a scalar f: four-point second differences, extrapolated. */
export function secondDirectional(f: (X: Matrix) => number, X: Matrix, D1: Matrix, D2: Matrix, h = H2): number {
  const cross = (s: number): number =>
    (f(moved(X, [[s, D1], [s, D2]])) - f(moved(X, [[s, D1], [-s, D2]]))
      - f(moved(X, [[-s, D1], [s, D2]])) + f(moved(X, [[-s, D1], [-s, D2]]))) / (4 * s * s);
  return (4 * cross(h / 2) - cross(h)) / 3;
}

/** The Jacobian of vec(f) by vec(X) (by the symmetric directions for a symmetric X): column k is d vec(f) along D_k. */
export function fdJacobian(f: (X: Matrix) => Matrix, X: Matrix, symmetric = false): Matrix {
  const dirs = directions(X.rows, X.cols, symmetric);
  const cols = dirs.map((D) => directional(f, X, D));
  const m = cols[0]!.length;
  const J = new Matrix(m, dirs.length);
  cols.forEach((c, k) => J.data.set(c, k * m));
  return J;
}

/** The gradient of a scalar f, in X's shape: entry k is df along D_k (for a symmetric X, the entries of (G + G')/2). */
export function fdGradient(f: (X: Matrix) => Matrix, X: Matrix, symmetric = false): Matrix {
  const J = fdJacobian(f, X, symmetric);
  if (J.rows !== 1) throw new Error(`fdGradient: f is not scalar (${J.rows} entries)`);
  return new Matrix(X.rows, X.cols, J.data.slice());
}

/** The Hessian of a scalar f by vec(X): H[i][j] = d2f along D_j then D_i (symmetric by construction). */
export function fdHessian(f: (X: Matrix) => Matrix, X: Matrix, symmetric = false): Matrix {
  const dirs = directions(X.rows, X.cols, symmetric);
  const N = dirs.length;
  const g = (Y: Matrix): number => {
    const v = f(Y);
    if (v.data.length !== 1) throw new Error('fdHessian: f is not scalar');
    return v.data[0]!;
  };
  const H = new Matrix(N, N);
  for (let i = 0; i < N; i++) for (let j = 0; j <= i; j++) {
    const v = secondDirectional(g, X, dirs[j]!, dirs[i]!);
    H.data[i + j * N] = v;
    H.data[j + i * N] = v;
  }
  return H;
}

/** max|a - b| / max(1, max|b|), b the reference; Infinity when the shapes differ. */
export function relErr(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols) return Infinity;
  let num = 0, den = 1;
  for (let k = 0; k < a.data.length; k++) {
    num = Math.max(num, Math.abs(a.data[k]! - b.data[k]!));
    den = Math.max(den, Math.abs(b.data[k]!));
  }
  return Number.isNaN(num) ? Infinity : num / den;
}

export const show = (m: Matrix): string => JSON.stringify(m.toRows().map((r) => r.map((x) => Number(x.toPrecision(6)))));
