/**
 * Test helpers for the numeric kernels: a seeded generator, random
 * matrices, and independent reference definitions (naive loops over
 * number[][], never the kernels under test).
 */
import { expect } from 'vitest';
import { Matrix } from '../../src/numeric/index.js';

export { seeded } from '../../src/numeric/random.js';

/** Entries uniform in [-1, 1). */
export function randomMatrix(rows: number, cols: number, rand: () => number): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = 2 * rand() - 1;
  return m;
}

export function randomRows(rows: number, cols: number, rand: () => number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => 2 * rand() - 1));
}

export function naiveMatmul(A: number[][], B: number[][]): number[][] {
  const m = A.length, k = B.length, n = k === 0 ? 0 : B[0]!.length;
  const C: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[i]![p]! * B[p]![j]!;
      row.push(s);
    }
    C.push(row);
  }
  return C;
}

/** det by cofactor (Laplace) expansion along the first row. */
export function cofactorDet(A: number[][]): number {
  const n = A.length;
  if (n === 0) return 1;
  if (n === 1) return A[0]![0]!;
  let s = 0;
  for (let j = 0; j < n; j++) {
    const minor = A.slice(1).map((row) => row.filter((_, c) => c !== j));
    s += (j % 2 === 0 ? 1 : -1) * A[0]![j]! * cofactorDet(minor);
  }
  return s;
}

/** The inverse by Gauss-Jordan elimination with partial pivoting, on number[][]. */
export function gaussJordanInverse(A: number[][]): number[][] {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(M[i]![k]!) > Math.abs(M[p]![k]!)) p = i;
    [M[k], M[p]] = [M[p]!, M[k]!];
    const piv = M[k]![k]!;
    for (let j = 0; j < 2 * n; j++) M[k]![j]! /= piv;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const f = M[i]![k]!;
      for (let j = 0; j < 2 * n; j++) M[i]![j]! -= f * M[k]![j]!;
    }
  }
  return M.map((row) => row.slice(n));
}

/** ||A||_1 on number[][]: the largest absolute column sum. */
export function norm1Rows(A: number[][]): number {
  const n = A.length === 0 ? 0 : A[0]!.length;
  let best = 0;
  for (let j = 0; j < n; j++) best = Math.max(best, A.reduce((s, row) => s + Math.abs(row[j]!), 0));
  return best;
}

/** Expect same shape and |a - b| <= tol * (1 + |b|) entrywise. */
export function expectClose(actual: Matrix | number[][], expected: Matrix | number[][], tol = 1e-12): void {
  const a = actual instanceof Matrix ? actual.toRows() : actual;
  const b = expected instanceof Matrix ? expected.toRows() : expected;
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    expect(a[i]!.length).toBe(b[i]!.length);
    for (let j = 0; j < a[i]!.length; j++) {
      const x = a[i]![j]!, y = b[i]![j]!;
      if (!(Math.abs(x - y) <= tol * (1 + Math.abs(y)))) {
        throw new Error(`entry (${i}, ${j}): got ${x}, expected ${y} (tol ${tol})`);
      }
    }
  }
}

/** The largest absolute entrywise difference. */
export function maxAbsDiff(A: Matrix, B: Matrix): number {
  expect([A.rows, A.cols]).toEqual([B.rows, B.cols]);
  let d = 0;
  for (let i = 0; i < A.data.length; i++) d = Math.max(d, Math.abs(A.data[i]! - B.data[i]!));
  return d;
}
