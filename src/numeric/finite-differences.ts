/** Central finite differences of a function of one matrix argument, along given directions:
 *  the numeric reference that the symbolic and dual-number derivatives are checked against. */
import { Matrix } from './matrix.js';

export type MatrixFunction = (X: Matrix) => Matrix;

const step = (X: Matrix, h: number, D: Matrix): Matrix => {
  const out = new Matrix(X.rows, X.cols);
  for (let i = 0; i < X.data.length; i++) out.data[i] = X.data[i]! + h * D.data[i]!;
  return out;
};
const scaleOf = (X: Matrix): number => {
  let m = 0;
  for (const x of X.data) m = Math.max(m, Math.abs(x));
  return Math.max(1, m);
};

/** The Jacobian of vec(f) by the directions: column k is (f(X + h D_k) - f(X - h D_k)) / 2h. */
export function jacobianFD(f: MatrixFunction, X: Matrix, directions: readonly Matrix[], h = 1e-6): Matrix {
  const hs = h * scaleOf(X);
  const cols = directions.map((D) => {
    const a = f(step(X, hs, D)), b = f(step(X, -hs, D));
    const c = new Float64Array(a.data.length);
    for (let i = 0; i < c.length; i++) c[i] = (a.data[i]! - b.data[i]!) / (2 * hs);
    return c;
  });
  const m = cols[0]?.length ?? 0;
  const J = new Matrix(m, directions.length);
  cols.forEach((c, k) => J.data.set(c, k * m));
  return J;
}

/** The Hessian of a scalar f along the directions: H[i][j] = d2f along D_j then D_i (four-point central differences). */
export function hessianFD(f: MatrixFunction, X: Matrix, directions: readonly Matrix[], h = 1e-4): Matrix {
  const hs = h * scaleOf(X);
  const n = directions.length;
  const H = new Matrix(n, n);
  const at = (X0: Matrix): number => f(X0).data[0]!;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const Di = directions[i]!, Dj = directions[j]!;
      const pp = at(step(step(X, hs, Di), hs, Dj)), pm = at(step(step(X, hs, Di), -hs, Dj));
      const mp = at(step(step(X, -hs, Di), hs, Dj)), mm = at(step(step(X, -hs, Di), -hs, Dj));
      const v = (pp - pm - mp + mm) / (4 * hs * hs);
      H.data[i + j * n] = v;
      H.data[j + i * n] = v;
    }
  }
  return H;
}

/** max |a - b| / max(1, max |b|): the relative error CLI.md reports. */
export function relativeError(a: Matrix, b: Matrix): number {
  if (a.data.length !== b.data.length) return Infinity;
  let num = 0, den = 1;
  for (let i = 0; i < a.data.length; i++) {
    num = Math.max(num, Math.abs(a.data[i]! - b.data[i]!));
    den = Math.max(den, Math.abs(b.data[i]!));
  }
  return num / den;
}
