/**
 * Triangular solves with the factors of an LU, all column-major with
 * explicit offsets and leading dimensions: L is the unit lower triangle
 * strictly below the diagonal, U the upper triangle with the diagonal.
 * Multi-column solves are blocked so that most of the work runs through
 * the gemm kernel.
 */
import { gemm } from './gemm.js';

const NB = 32;

/**
 * X <- L^-1 X in place, L the n x n unit lower triangle at a[aOff], X n x m
 * at x[xOff] (leading dimensions lda, ldx).
 */
export function solveUnitLower(
  n: number, m: number,
  a: Float64Array, aOff: number, lda: number,
  x: Float64Array, xOff: number, ldx: number,
): void {
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = Math.min(n, k0 + NB);
    for (let j = 0; j < m; j++) {
      const xj = xOff + j * ldx;
      for (let p = k0; p < k1; p++) {
        const t = x[xj + p]!;
        if (t === 0) continue;
        const ap = aOff + p * lda;
        for (let i = p + 1; i < k1; i++) x[xj + i]! -= a[ap + i]! * t;
      }
    }
    // The rows below the block: X2 -= L21 * X1.
    gemm(n - k1, m, k1 - k0, -1, a, aOff + k1 + k0 * lda, lda, x, xOff + k0, ldx, x, xOff + k1, ldx);
  }
}

/**
 * X <- U^-1 X in place, U the n x n upper triangle at a[aOff], X n x m at
 * x[xOff] (leading dimensions lda, ldx).
 */
export function solveUpper(
  n: number, m: number,
  a: Float64Array, aOff: number, lda: number,
  x: Float64Array, xOff: number, ldx: number,
): void {
  for (let k1 = n; k1 > 0; k1 -= NB) {
    const k0 = Math.max(0, k1 - NB);
    for (let j = 0; j < m; j++) {
      const xj = xOff + j * ldx;
      for (let p = k1 - 1; p >= k0; p--) {
        const ap = aOff + p * lda;
        const t = (x[xj + p]! /= a[ap + p]!);
        if (t === 0) continue;
        for (let i = k0; i < p; i++) x[xj + i]! -= a[ap + i]! * t;
      }
    }
    // The rows above the block: X0 -= U01 * X1.
    gemm(k0, m, k1 - k0, -1, a, aOff + k0 * lda, lda, x, xOff + k0, ldx, x, xOff, ldx);
  }
}

/** x <- U'^-1 x in place, for one vector and the n x n factor a (leading dimension n). */
export function solveUpperTransposed(n: number, a: Float64Array, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ai = i * n;
    let s = x[i]!;
    for (let p = 0; p < i; p++) s -= a[ai + p]! * x[p]!;
    x[i] = s / a[ai + i]!;
  }
}

/** x <- L'^-1 x in place, for one vector and the n x n factor a (leading dimension n). */
export function solveUnitLowerTransposed(n: number, a: Float64Array, x: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    const ai = i * n;
    let s = x[i]!;
    for (let p = i + 1; p < n; p++) s -= a[ai + p]! * x[p]!;
    x[i] = s;
  }
}
