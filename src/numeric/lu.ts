/**
 * LU factorisation with partial pivoting, P*A = L*U, recursive on column
 * halves so that most of the work is one gemm per level (Toledo 1997; the
 * same factors as LAPACK dgetrf), with a reciprocal condition number
 * estimate in the 1-norm (LAPACK dgecon: the Hager-Higham estimator dlacn2
 * for ||A^-1||_1, driven by solves with the factors, never the inverse).
 */
import { shapeError } from './errors.js';
import { gemm } from './gemm.js';
import { Matrix } from './matrix.js';
import {
  solveUnitLower, solveUnitLowerTransposed, solveUpper, solveUpperTransposed,
} from './triangular.js';

/** The result of `lu(A)`: P*A = L*U. */
export interface LUDecomposition {
  readonly n: number;
  /** L (unit lower, strictly below the diagonal) and U (upper, with the diagonal) in one n x n matrix. */
  readonly factors: Matrix;
  /** The row permutation: row i of P*A is row perm[i] of A. */
  readonly perm: Int32Array;
  /** det(P), +1 or -1. */
  readonly sign: 1 | -1;
  /** ||A||_1, the largest absolute column sum. */
  readonly anorm: number;
  /** Estimate of 1 / (||A||_1 ||A^-1||_1); 0 for an exact zero pivot, NaN for non-finite input. */
  readonly rcond: number;
  /** rcond < n * Number.EPSILON (or NaN): inv, solve and logAbsDet refuse it. */
  readonly singular: boolean;
}

/** Column panels at most this wide are factored unblocked. */
const BASE = 8;

/** Factor a square matrix. Never throws for a singular one: see `singular`. */
export function lu(A: Matrix): LUDecomposition {
  if (A.rows !== A.cols) shapeError('lu', `expected a square matrix, got ${A.rows} x ${A.cols}`);
  const n = A.rows;
  const factors = A.clone();
  const a = factors.data;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const anorm = norm1(n, A.data);
  const sign = factorInPlace(n, a, perm);
  let zeroPivot = false;
  for (let i = 0; i < n; i++) if (a[i + i * n] === 0) zeroPivot = true;
  let rcond: number;
  if (n === 0) rcond = 1;
  else if (!Number.isFinite(anorm)) rcond = NaN;
  else if (zeroPivot || anorm === 0) rcond = 0;
  else {
    const ainvnm = estimateInverseNorm1(n, a, perm);
    rcond = Number.isFinite(ainvnm) ? 1 / ainvnm / anorm : 0;
  }
  const singular = !(rcond >= n * Number.EPSILON);
  return { n, factors, perm, sign, anorm, rcond, singular };
}

/** The unit lower triangular factor L. */
export function luLower(f: LUDecomposition): Matrix {
  const n = f.n, a = f.factors.data;
  const L = new Matrix(n, n);
  const l = L.data;
  for (let j = 0; j < n; j++) {
    l[j + j * n] = 1;
    for (let i = j + 1; i < n; i++) l[i + j * n] = a[i + j * n]!;
  }
  return L;
}

/** The upper triangular factor U. */
export function luUpper(f: LUDecomposition): Matrix {
  const n = f.n, a = f.factors.data;
  const U = new Matrix(n, n);
  const u = U.data;
  for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) u[i + j * n] = a[i + j * n]!;
  return U;
}

/** The permutation matrix P, with P*A = L*U. */
export function luPermutation(f: LUDecomposition): Matrix {
  const n = f.n;
  const P = new Matrix(n, n);
  for (let i = 0; i < n; i++) P.data[i + f.perm[i]! * n] = 1;
  return P;
}

function norm1(n: number, a: Float64Array): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(a[i + j * n]!);
    if (s > best || Number.isNaN(s)) best = s;
    if (Number.isNaN(best)) return NaN;
  }
  return best;
}

/**
 * Factor a (n x n, column-major) in place, recursively on column halves
 * (Toledo's recursive LU): factor the left half of the panel, solve for the
 * top of the right half, update the rest of it with one gemm, factor that.
 * Row interchanges are applied column by column to the columns outside the
 * half that chose them (LAPACK dlaswp). Records the row order in perm;
 * returns det(P).
 */
function factorInPlace(n: number, a: Float64Array, perm: Int32Array): 1 | -1 {
  const ipiv = new Int32Array(n); // row k was swapped with row ipiv[k] >= k
  // Apply the interchanges of rows k0..k1-1 to columns j0..j1-1.
  const swapRows = (j0: number, j1: number, k0: number, k1: number): void => {
    for (let j = j0; j < j1; j++) {
      const cj = j * n;
      for (let k = k0; k < k1; k++) {
        const p = ipiv[k]!;
        if (p === k) continue;
        const t = a[cj + k]!;
        a[cj + k] = a[cj + p]!;
        a[cj + p] = t;
      }
    }
  };
  // Columns c0..c1-1 of rows c0..n-1, unblocked with partial pivoting.
  const panel = (c0: number, c1: number): void => {
    for (let k = c0; k < c1; k++) {
      const ck = k * n;
      let p = k;
      let big = Math.abs(a[ck + k]!);
      for (let i = k + 1; i < n; i++) {
        const v = Math.abs(a[ck + i]!);
        if (v > big) {
          big = v;
          p = i;
        }
      }
      ipiv[k] = p;
      if (p !== k) {
        for (let cj = c0 * n; cj < c1 * n; cj += n) {
          const t = a[cj + k]!;
          a[cj + k] = a[cj + p]!;
          a[cj + p] = t;
        }
      }
      const piv = a[ck + k]!;
      if (piv === 0) continue; // an exactly singular column: leave it, rcond will be 0
      for (let i = k + 1; i < n; i++) a[ck + i]! /= piv;
      for (let j = k + 1; j < c1; j++) {
        const cj = j * n;
        const t = a[cj + k]!;
        if (t === 0) continue;
        for (let i = k + 1; i < n; i++) a[cj + i]! -= a[ck + i]! * t;
      }
    }
  };
  const factor = (c0: number, c1: number): void => {
    const w = c1 - c0;
    if (w <= BASE) {
      panel(c0, c1);
      return;
    }
    const cm = c0 + ((w >> 1) & ~3 || w >> 1);
    factor(c0, cm);
    swapRows(cm, c1, c0, cm);
    // A12 <- L11^-1 A12, then A22 -= L21 * A12.
    solveUnitLower(cm - c0, c1 - cm, a, c0 + c0 * n, n, a, c0 + cm * n, n);
    gemm(n - cm, c1 - cm, cm - c0, -1, a, cm + c0 * n, n, a, c0 + cm * n, n, a, cm + cm * n, n);
    factor(cm, c1);
    swapRows(c0, cm, cm, c1);
  };
  factor(0, n);
  let sign: 1 | -1 = 1;
  for (let k = 0; k < n; k++) {
    const p = ipiv[k]!;
    if (p === k) continue;
    const t = perm[k]!;
    perm[k] = perm[p]!;
    perm[p] = t;
    sign = -sign as 1 | -1;
  }
  return sign;
}

/** x <- A^-1 x for one vector, from the factors. */
function applyInverse(n: number, a: Float64Array, perm: Int32Array, x: Float64Array, tmp: Float64Array): void {
  for (let i = 0; i < n; i++) tmp[i] = x[perm[i]!]!;
  solveUnitLower(n, 1, a, 0, n, tmp, 0, n);
  solveUpper(n, 1, a, 0, n, tmp, 0, n);
  x.set(tmp);
}

/** x <- A'^-1 x for one vector: A' = U' L' P, so solve U', then L', then undo P. */
function applyInverseTransposed(n: number, a: Float64Array, perm: Int32Array, x: Float64Array, tmp: Float64Array): void {
  solveUpperTransposed(n, a, x);
  solveUnitLowerTransposed(n, a, x);
  for (let i = 0; i < n; i++) tmp[perm[i]!] = x[i]!;
  x.set(tmp);
}

function sum1(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]!);
  return s;
}

function argmaxAbs(x: Float64Array): number {
  let j = 0;
  for (let i = 1; i < x.length; i++) if (Math.abs(x[i]!) > Math.abs(x[j]!)) j = i;
  return j;
}

/**
 * Estimate ||A^-1||_1 (Higham's refinement of Hager's method, as LAPACK
 * dlacn2): a few solves with A and A', never the inverse itself. The
 * estimate is a lower bound, almost always within a factor 3.
 */
function estimateInverseNorm1(n: number, a: Float64Array, perm: Int32Array): number {
  const x = new Float64Array(n).fill(1 / n);
  const tmp = new Float64Array(n);
  const sgn = new Float64Array(n);
  applyInverse(n, a, perm, x, tmp);
  if (n === 1) return Math.abs(x[0]!);
  let est = sum1(x);
  for (let i = 0; i < n; i++) x[i] = sgn[i] = x[i]! >= 0 ? 1 : -1;
  applyInverseTransposed(n, a, perm, x, tmp);
  let j = argmaxAbs(x);
  for (let iter = 2; iter <= 5; iter++) {
    x.fill(0);
    x[j] = 1;
    applyInverse(n, a, perm, x, tmp);
    const estOld = est;
    est = sum1(x);
    let same = true;
    for (let i = 0; i < n; i++) if ((x[i]! >= 0 ? 1 : -1) !== sgn[i]) same = false;
    if (same || est <= estOld) break; // the sign vector repeats, or no progress
    for (let i = 0; i < n; i++) x[i] = sgn[i] = x[i]! >= 0 ? 1 : -1;
    applyInverseTransposed(n, a, perm, x, tmp);
    const jLast = j;
    j = argmaxAbs(x);
    if (x[jLast] === Math.abs(x[j]!)) break;
  }
  // An alternating test vector catches the cases the iteration misses.
  for (let i = 0; i < n; i++) x[i] = (i % 2 === 0 ? 1 : -1) * (1 + i / (n - 1));
  applyInverse(n, a, perm, x, tmp);
  const alt = (2 * sum1(x)) / (3 * n);
  return Math.max(est, alt);
}
