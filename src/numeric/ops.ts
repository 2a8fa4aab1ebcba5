/**
 * Elementwise and structural kernels: pure functions returning new
 * matrices (never writing into their arguments).
 */
import { shapeError } from './errors.js';
import { gemm } from './gemm.js';
import { Matrix } from './matrix.js';

function sameShape(op: string, A: Matrix, B: Matrix): void {
  if (A.rows !== B.rows || A.cols !== B.cols) {
    shapeError(op, `${A.rows} x ${A.cols} and ${B.rows} x ${B.cols}`);
  }
}

function isVector(v: Matrix): boolean {
  return v.cols === 1 || v.rows === 1;
}

/** A * B, through the cache-blocked, register-tiled kernel. */
export function matmul(A: Matrix, B: Matrix): Matrix {
  if (A.cols !== B.rows) shapeError('matmul', `${A.rows} x ${A.cols} times ${B.rows} x ${B.cols}`);
  const m = A.rows, k = A.cols, n = B.cols;
  const C = new Matrix(m, n);
  gemm(m, n, k, 1, A.data, 0, m, B.data, 0, k, C.data, 0, m);
  return C;
}

/** A', in 32 x 32 tiles so both sides stay in cache. */
export function transpose(A: Matrix): Matrix {
  const r = A.rows, c = A.cols;
  const src = A.data;
  const out = new Matrix(c, r);
  const dst = out.data;
  if (r === 1 || c === 1) {
    dst.set(src);
    return out;
  }
  const T = 32;
  for (let j0 = 0; j0 < c; j0 += T) {
    const j1 = Math.min(c, j0 + T);
    for (let i0 = 0; i0 < r; i0 += T) {
      const i1 = Math.min(r, i0 + T);
      for (let j = j0; j < j1; j++) {
        for (let i = i0; i < i1; i++) dst[j + i * c] = src[i + j * r]!;
      }
    }
  }
  return out;
}

export function add(A: Matrix, B: Matrix): Matrix {
  sameShape('add', A, B);
  const a = A.data, b = B.data;
  const out = new Matrix(A.rows, A.cols);
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = a[i]! + b[i]!;
  return out;
}

export function sub(A: Matrix, B: Matrix): Matrix {
  sameShape('sub', A, B);
  const a = A.data, b = B.data;
  const out = new Matrix(A.rows, A.cols);
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = a[i]! - b[i]!;
  return out;
}

/** s * A. */
export function scale(A: Matrix, s: number): Matrix {
  const a = A.data;
  const out = new Matrix(A.rows, A.cols);
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = a[i]! * s;
  return out;
}

/** A .* B (elementwise product). */
export function hadamard(A: Matrix, B: Matrix): Matrix {
  sameShape('hadamard', A, B);
  const a = A.data, b = B.data;
  const out = new Matrix(A.rows, A.cols);
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = a[i]! * b[i]!;
  return out;
}

/** A ./ B (elementwise quotient; x/0 gives an IEEE infinity or NaN, checked upstream). */
export function hadamardDiv(A: Matrix, B: Matrix): Matrix {
  sameShape('hadamardDiv', A, B);
  const a = A.data, b = B.data;
  const out = new Matrix(A.rows, A.cols);
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = a[i]! / b[i]!;
  return out;
}

/** f applied to every entry. */
export function map(A: Matrix, f: (x: number) => number): Matrix {
  const a = A.data;
  const out = new Matrix(A.rows, A.cols);
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = f(a[i]!);
  return out;
}

/** The Kronecker product: (A ⊗ B)[i*p + k, j*q + l] = A[i,j] * B[k,l] for B p x q. */
export function kron(A: Matrix, B: Matrix): Matrix {
  const m = A.rows, n = A.cols, p = B.rows, q = B.cols;
  const R = m * p;
  const out = new Matrix(R, n * q);
  const o = out.data, a = A.data, b = B.data;
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < q; l++) {
      const col = (j * q + l) * R;
      const bcol = l * p;
      for (let i = 0; i < m; i++) {
        const aij = a[i + j * m]!;
        const base = col + i * p;
        for (let k = 0; k < p; k++) o[base + k] = aij * b[bcol + k]!;
      }
    }
  }
  return out;
}

/** vec(A): the columns stacked into one column. Shares A's buffer. */
export function vec(A: Matrix): Matrix {
  return new Matrix(A.rows * A.cols, 1, A.data);
}

/** The inverse of vec: a column of length rows*c as a rows x c matrix. Shares v's buffer. */
export function unvec(v: Matrix, rows: number): Matrix {
  if (v.cols !== 1) shapeError('unvec', `expected a column, got ${v.rows} x ${v.cols}`);
  if (rows === 0 && v.rows === 0) return new Matrix(0, 0);
  if (!Number.isInteger(rows) || rows <= 0 || v.rows % rows !== 0) {
    shapeError('unvec', `length ${v.rows} is not a multiple of ${rows}`);
  }
  return new Matrix(rows, v.rows / rows, v.data);
}

/** The square diagonal matrix with the entries of a vector (column or row) on its diagonal. */
export function diagFromVector(v: Matrix): Matrix {
  if (!isVector(v)) shapeError('diagFromVector', `expected a vector, got ${v.rows} x ${v.cols}`);
  const n = v.data.length;
  const out = new Matrix(n, n);
  for (let i = 0; i < n; i++) out.data[i + i * n] = v.data[i]!;
  return out;
}

/** The diagonal of A as a column (length min(rows, cols)). */
export function diagOfMatrix(A: Matrix): Matrix {
  const n = Math.min(A.rows, A.cols);
  const out = new Matrix(n, 1);
  for (let i = 0; i < n; i++) out.data[i] = A.data[i + i * A.rows]!;
  return out;
}
