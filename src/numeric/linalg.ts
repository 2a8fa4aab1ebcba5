/**
 * What the LU factors give: solves, the inverse, the determinant and its
 * log, and integer matrix powers. The `lu*` functions take a factorisation
 * so that callers needing several of these (det and inv for det's
 * gradient) factor once.
 */
import { SingularMatrixError, shapeError } from './errors.js';
import { lu, type LUDecomposition } from './lu.js';
import { Matrix } from './matrix.js';
import { matmul } from './ops.js';
import { solveUnitLower, solveUpper } from './triangular.js';

function refuseSingular(f: LUDecomposition): void {
  if (f.singular) throw new SingularMatrixError(f.rcond);
}

/** A^-1 B from the factors of A. Throws SingularMatrixError if A is singular. */
export function luSolve(f: LUDecomposition, B: Matrix): Matrix {
  const n = f.n;
  if (B.rows !== n) shapeError('solve', `${n} x ${n} with a right-hand side of ${B.rows} x ${B.cols}`);
  refuseSingular(f);
  const m = B.cols;
  const X = new Matrix(n, m);
  const x = X.data, b = B.data, perm = f.perm;
  for (let j = 0; j < m; j++) {
    const cj = j * n;
    for (let i = 0; i < n; i++) x[cj + i] = b[cj + perm[i]!]!;
  }
  solveUnitLower(n, m, f.factors.data, 0, n, x, 0, n);
  solveUpper(n, m, f.factors.data, 0, n, x, 0, n);
  return X;
}

/** A^-1 from the factors of A. Throws SingularMatrixError if A is singular. */
export function luInverse(f: LUDecomposition): Matrix {
  const n = f.n;
  refuseSingular(f);
  // Solve A X = I: the right-hand side P*I has a 1 at (i, perm[i]).
  const X = new Matrix(n, n);
  for (let i = 0; i < n; i++) X.data[i + f.perm[i]! * n] = 1;
  solveUnitLower(n, n, f.factors.data, 0, n, X.data, 0, n);
  solveUpper(n, n, f.factors.data, 0, n, X.data, 0, n);
  return X;
}

/**
 * det(A) = sign * prod(diag(U)), accumulated with a separate power of two
 * so that only a determinant that is itself out of range over- or
 * underflows. Singular matrices give 0 or a tiny number, never an error.
 */
export function luDet(f: LUDecomposition): number {
  const n = f.n, a = f.factors.data;
  const BIG = 2 ** 500, SMALL = 2 ** -500;
  let m: number = f.sign;
  let e = 0;
  for (let i = 0; i < n; i++) {
    m *= a[i + i * n]!;
    const am = Math.abs(m);
    if (am > BIG) {
      m *= SMALL;
      e += 500;
    } else if (am < SMALL && am !== 0) {
      m *= BIG;
      e -= 500;
    }
  }
  // Apply 2^e in steps; each step moves monotonically towards the result.
  while (e > 0 && Number.isFinite(m) && m !== 0) {
    const s = Math.min(e, 1000);
    m *= 2 ** s;
    e -= s;
  }
  while (e < 0 && m !== 0 && Number.isFinite(m)) {
    const s = Math.min(-e, 1000);
    m *= 2 ** -s;
    e += s;
  }
  return m;
}

/** log|det(A)| as the sum of log|u_ii|: no overflow. Throws SingularMatrixError if A is singular. */
export function luLogAbsDet(f: LUDecomposition): number {
  refuseSingular(f);
  const n = f.n, a = f.factors.data;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(Math.abs(a[i + i * n]!));
  return s;
}

/** A^-1. Throws SingularMatrixError if A is singular. */
export function inv(A: Matrix): Matrix {
  return luInverse(lu(A));
}

/** A^-1 B without forming the inverse. Throws SingularMatrixError if A is singular. */
export function solve(A: Matrix, B: Matrix): Matrix {
  if (B.rows !== A.rows) shapeError('solve', `${A.rows} x ${A.cols} with a right-hand side of ${B.rows} x ${B.cols}`);
  return luSolve(lu(A), B);
}

/** det(A): a number even for a singular A (0 or near it); +-Infinity if it is out of range. */
export function det(A: Matrix): number {
  return luDet(lu(A));
}

/** log|det(A)|. Throws SingularMatrixError if A is singular. */
export function logAbsDet(A: Matrix): number {
  return luLogAbsDet(lu(A));
}

/** A^k for an integer k, by repeated squaring; A^0 = I, and a negative k uses inv(A). */
export function matPow(A: Matrix, k: number): Matrix {
  if (A.rows !== A.cols) shapeError('matPow', `expected a square matrix, got ${A.rows} x ${A.cols}`);
  if (!Number.isInteger(k)) throw new Error(`matPow: exponent ${k} is not an integer`);
  if (k === 0) return Matrix.identity(A.rows);
  let base = k < 0 ? inv(A) : A;
  let e = Math.abs(k);
  let result: Matrix | undefined;
  for (;;) {
    if (e % 2 === 1) result = result === undefined ? base : matmul(result, base);
    e = Math.floor(e / 2);
    if (e === 0) break;
    base = matmul(base, base);
  }
  return result === A ? A.clone() : result!;
}
