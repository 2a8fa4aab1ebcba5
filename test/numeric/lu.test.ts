import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Matrix, SingularMatrixError, add, det, inv, logAbsDet, lu, luDet, luInverse, luLogAbsDet, luLower,
  luPermutation, luSolve, luUpper, matPow, matmul, scale, solve, transpose,
} from '../../src/numeric/index.js';
import {
  cofactorDet, expectClose, gaussJordanInverse, maxAbsDiff, norm1Rows, randomMatrix, randomRows, seeded,
} from './helpers.js';

const EPS = Number.EPSILON;
const size = fc.integer({ min: 1, max: 6 });

/** A random matrix pushed away from singularity: rand + n*I. */
function wellConditioned(n: number, rand: () => number): Matrix {
  return add(randomMatrix(n, n, rand), scale(Matrix.identity(n), n));
}

function hilbert(n: number): Matrix {
  return Matrix.fromRows(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => 1 / (i + j + 1))));
}

function parity(perm: Int32Array): number {
  let inversions = 0;
  for (let i = 0; i < perm.length; i++) for (let j = i + 1; j < perm.length; j++) if (perm[i]! > perm[j]!) inversions++;
  return inversions % 2 === 0 ? 1 : -1;
}

describe('lu', () => {
  it('gives P A = L U with L unit lower, U upper, |l_ij| <= 1', () => {
    const rand = seeded(21);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 33, 40, 65, 100]) {
      const A = randomMatrix(n, n, rand);
      const f = lu(A);
      const L = luLower(f), U = luUpper(f);
      expect(maxAbsDiff(matmul(luPermutation(f), A), matmul(L, U))).toBeLessThan(1e-13 * n);
      for (let i = 0; i < n; i++) {
        expect(L.get(i, i)).toBe(1);
        for (let j = i + 1; j < n; j++) {
          expect(L.get(i, j)).toBe(0);
          expect(U.get(j, i)).toBe(0);
        }
        for (let j = 0; j < i; j++) expect(Math.abs(L.get(i, j))).toBeLessThanOrEqual(1);
      }
      expect([...f.perm].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
      expect(f.sign).toBe(parity(f.perm));
      expect(f.anorm).toBeCloseTo(norm1Rows(A.toRows()), 12);
    }
  });

  it('pivots on a zero leading entry', () => {
    const f = lu(Matrix.fromRows([[0, 1], [2, 3]]));
    expect(Array.from(f.perm)).toEqual([1, 0]);
    expect(f.sign).toBe(-1);
    expect(f.singular).toBe(false);
  });

  it('rejects a non-square matrix with a plain Error', () => {
    expect(() => lu(Matrix.zeros(2, 3))).toThrow(/square/);
  });
});

describe('det and logAbsDet', () => {
  it('det agrees with cofactor expansion (fast-check, n = 1..6)', () => {
    fc.assert(fc.property(size, fc.integer(), (n, seed) => {
      const rows = randomRows(n, n, seeded(seed));
      // Hadamard's bound scales the error: |det| <= prod of row norms.
      const bound = rows.reduce((p, r) => p * Math.hypot(...r), 1);
      expect(Math.abs(det(Matrix.fromRows(rows)) - cofactorDet(rows))).toBeLessThanOrEqual(1e-14 * n * bound);
    }), { seed: 22, numRuns: 300 });
  });

  it('det is exact on small integer matrices', () => {
    expect(det(Matrix.fromRows([[2, 0], [0, 3]]))).toBe(6);
    expect(det(Matrix.fromRows([[0, 1], [1, 0]]))).toBe(-1);
    expect(det(Matrix.fromRows([[4]]))).toBe(4);
    expect(det(Matrix.zeros(0, 0))).toBe(1);
  });

  it('logAbsDet is log|det| (fast-check, n = 1..6)', () => {
    fc.assert(fc.property(size, fc.integer(), (n, seed) => {
      const A = wellConditioned(n, seeded(seed));
      expect(logAbsDet(A)).toBeCloseTo(Math.log(Math.abs(cofactorDet(A.toRows()))), 12);
    }), { seed: 23, numRuns: 200 });
  });

  it('det(A B) = det(A) det(B) and det(A\') = det(A)', () => {
    const rand = seeded(24);
    for (let n = 1; n <= 6; n++) {
      const A = randomMatrix(n, n, rand), B = randomMatrix(n, n, rand);
      expect(det(matmul(A, B))).toBeCloseTo(det(A) * det(B), 12);
      expect(det(transpose(A))).toBeCloseTo(det(A), 13);
    }
  });

  it('for 256 x 256 random + 32 I, det overflows and logAbsDet does not', () => {
    const n = 256;
    const A = add(randomMatrix(n, n, seeded(25)), scale(Matrix.identity(n), 32));
    expect(Math.abs(det(A))).toBe(Infinity);
    const l = logAbsDet(A);
    expect(Number.isFinite(l)).toBe(true);
    expect(l).toBeGreaterThan(Math.log(Number.MAX_VALUE));
    // Independently: log|det(A)| = log|det(A / 32)| + n log 32, and det(A / 32) is in range.
    const scaled = det(scale(A, 1 / 32));
    expect(Number.isFinite(scaled) && scaled !== 0).toBe(true);
    expect(l).toBeCloseTo(Math.log(Math.abs(scaled)) + n * Math.log(32), 9);
    expect(logAbsDet(transpose(A))).toBeCloseTo(l, 9);
  });

  it('det does not overflow or underflow midway when the result is in range', () => {
    // Diagonal 1e200, 1e200, 1e-200, 1e-200: the running product leaves the range, the answer does not.
    const D = Matrix.fromRows([[1e200, 0, 0, 0], [0, 1e200, 0, 0], [0, 0, 1e-200, 0], [0, 0, 0, 1e-200]]);
    expect(det(D)).toBeCloseTo(1, 12);
    const E = Matrix.fromRows([[1e-200, 0, 0], [0, 1e-200, 0], [0, 0, 1e250]]);
    expect(det(E) / 1e-150).toBeCloseTo(1, 12);
  });
});

describe('inv and solve', () => {
  it('inv(X) X = I and X inv(X) = I (fast-check, n = 1..6)', () => {
    fc.assert(fc.property(size, fc.integer(), (n, seed) => {
      const X = wellConditioned(n, seeded(seed));
      const Xi = inv(X);
      expectClose(matmul(Xi, X), Matrix.identity(n), 1e-13);
      expectClose(matmul(X, Xi), Matrix.identity(n), 1e-13);
      expectClose(Xi, gaussJordanInverse(X.toRows()), 1e-12);
    }), { seed: 31, numRuns: 200 });
  });

  it('inv works past the blocking sizes', () => {
    const rand = seeded(32);
    for (const n of [33, 70, 130]) {
      const X = wellConditioned(n, rand);
      expect(maxAbsDiff(matmul(inv(X), X), Matrix.identity(n))).toBeLessThan(1e-12);
    }
  });

  it('solve(A, B) = inv(A) B, for one and many right-hand sides', () => {
    const rand = seeded(33);
    for (const [n, m] of [[1, 1], [2, 1], [3, 4], [6, 2], [40, 1], [70, 45]] as const) {
      const A = wellConditioned(n, rand);
      const B = randomMatrix(n, m, rand);
      const X = solve(A, B);
      expectClose(X, matmul(inv(A), B), 1e-12);
      expect(maxAbsDiff(matmul(A, X), B)).toBeLessThan(1e-12);
    }
  });

  it('solves with a pivoted, unsymmetric system exactly', () => {
    const A = Matrix.fromRows([[0, 2, 1], [1, 1, 0], [3, 0, 1]]);
    const x = Matrix.fromColumn([1, -2, 3]);
    expectClose(solve(A, matmul(A, x)), x, 1e-15);
  });

  it('reuses one factorisation for det, inverse, solve', () => {
    const rand = seeded(34);
    const A = wellConditioned(5, rand);
    const f = lu(A);
    expect(luDet(f)).toBe(det(A));
    expect(luLogAbsDet(f)).toBe(logAbsDet(A));
    expect(luInverse(f).toRows()).toEqual(inv(A).toRows());
    const b = randomMatrix(5, 1, rand);
    expect(luSolve(f, b).toRows()).toEqual(solve(A, b).toRows());
  });

  it('rejects mismatched right-hand sides with a plain Error', () => {
    expect(() => solve(Matrix.identity(3), Matrix.zeros(2, 1))).toThrow(/shape mismatch/);
    expect(() => solve(Matrix.identity(3), Matrix.zeros(2, 1))).not.toThrow(SingularMatrixError);
  });
});

describe('rcond and singularity', () => {
  it('rcond estimates 1 / (||A||_1 ||A^-1||_1) from below in ||A^-1||, within a small factor', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 12 }), fc.integer(), (n, seed) => {
      const rows = randomRows(n, n, seeded(seed));
      const exact = 1 / (norm1Rows(rows) * norm1Rows(gaussJordanInverse(rows)));
      const f = lu(Matrix.fromRows(rows));
      expect(f.rcond).toBeGreaterThanOrEqual(exact * (1 - 1e-8));
      expect(f.rcond).toBeLessThanOrEqual(exact * 10);
    }), { seed: 41, numRuns: 200 });
  });

  it('rcond is 1 for the identity, a scalar, an orthogonal permutation', () => {
    expect(lu(Matrix.identity(5)).rcond).toBeCloseTo(1, 14);
    expect(lu(Matrix.scalar(-3)).rcond).toBeCloseTo(1, 14);
    expect(lu(Matrix.fromRows([[0, 1, 0], [0, 0, 1], [1, 0, 0]])).rcond).toBeCloseTo(1, 14);
  });

  it('detects exactly singular matrices', () => {
    for (const A of [
      Matrix.zeros(3, 3),
      Matrix.fromRows([[1, 2], [2, 4]]),
      Matrix.fromRows([[1, 2, 3], [4, 5, 6], [7, 8, 9]]),
      Matrix.fromRows([[1, 0, 0], [0, 0, 0], [0, 0, 1]]),
      Matrix.scalar(0),
    ]) {
      const f = lu(A);
      expect(f.singular).toBe(true);
      expect(f.rcond).toBeLessThan(A.rows * EPS);
      expect(() => inv(A)).toThrow(SingularMatrixError);
      expect(() => solve(A, Matrix.ones(A.rows, 1))).toThrow(SingularMatrixError);
      expect(() => logAbsDet(A)).toThrow(SingularMatrixError);
      // det of a singular matrix is a number, 0 or near it, never an error.
      expect(Math.abs(det(A))).toBeLessThan(1e-14);
    }
  });

  it('detects numerically singular matrices of low rank', () => {
    const rand = seeded(42);
    for (let n = 2; n <= 40; n += 3) {
      const A = matmul(randomMatrix(n, n - 1, rand), randomMatrix(n - 1, n, rand));
      expect(lu(A).singular).toBe(true);
      expect(() => inv(A)).toThrow(SingularMatrixError);
      // det is ~0 on the scale of Hadamard's bound (the product of the row norms).
      const bound = A.toRows().reduce((p, r) => p * Math.hypot(...r), 1);
      expect(Math.abs(det(A))).toBeLessThan(1e-14 * bound);
    }
  });

  it('tells nearly singular from singular at n * eps', () => {
    expect(lu(Matrix.fromRows([[1, 1], [1, 1 + 1e-15]])).singular).toBe(true);
    const ok = lu(Matrix.fromRows([[1, 1], [1, 1 + 1e-10]]));
    expect(ok.singular).toBe(false);
    expect(ok.rcond).toBeGreaterThan(1e-11);
    expect(ok.rcond).toBeLessThan(1e-10);
    expect(lu(hilbert(8)).singular).toBe(false); // cond_1 ~ 3.4e10
    expect(lu(hilbert(13)).singular).toBe(true); // cond_1 ~ 1e18
  });

  it('SingularMatrixError is an Error carrying rcond', () => {
    try {
      inv(Matrix.fromRows([[1, 2], [2, 4]]));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect(e).toBeInstanceOf(SingularMatrixError);
      expect((e as SingularMatrixError).rcond).toBe(0);
      expect((e as Error).name).toBe('SingularMatrixError');
    }
  });

  it('counts non-finite input as singular rather than answering NaN', () => {
    expect(lu(Matrix.fromRows([[1, NaN], [0, 1]])).singular).toBe(true);
    expect(lu(Matrix.fromRows([[Infinity, 0], [0, 1]])).singular).toBe(true);
  });
});

describe('matPow', () => {
  it('agrees with repeated multiplication, and negative powers with the inverse', () => {
    const rand = seeded(51);
    for (let n = 1; n <= 5; n++) {
      const A = scale(wellConditioned(n, rand), 1 / n);
      let P = Matrix.identity(n);
      for (let k = 0; k <= 9; k++) {
        expectClose(matPow(A, k), P, 1e-12);
        P = matmul(P, A);
      }
      const Ai = inv(A);
      expectClose(matPow(A, -1), Ai, 1e-14);
      expectClose(matPow(A, -3), matmul(Ai, matmul(Ai, Ai)), 1e-12);
      expectClose(matmul(matPow(A, -5), matPow(A, 5)), Matrix.identity(n), 1e-11);
    }
  });

  it('returns a fresh matrix for k = 1 and rejects bad input', () => {
    const A = Matrix.fromRows([[1, 2], [3, 4]]);
    const P = matPow(A, 1);
    expect(P).not.toBe(A);
    expect(P.toRows()).toEqual(A.toRows());
    expect(() => matPow(A, 1.5)).toThrow(Error);
    expect(() => matPow(Matrix.zeros(2, 3), 2)).toThrow(/square/);
    expect(() => matPow(Matrix.fromRows([[1, 2], [2, 4]]), -1)).toThrow(SingularMatrixError);
  });
});
