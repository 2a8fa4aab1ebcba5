import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Matrix, gemm, matmul } from '../../src/numeric/index.js';
import { expectClose, naiveMatmul, randomMatrix, randomRows, seeded } from './helpers.js';

function checkAgainstNaive(m: number, k: number, n: number, seed: number): void {
  const rand = seeded(seed);
  const A = randomRows(m, k, rand);
  const B = randomRows(k, n, rand);
  // Entries in [-1, 1): the rounding error of a k-term dot product is below k * eps.
  expectClose(matmul(Matrix.fromRows(A), Matrix.fromRows(B)), naiveMatmul(A, B), Math.max(1, k) * 4e-16);
}

describe('matmul', () => {
  it('matches the naive triple loop for square sizes 1..37', () => {
    for (let n = 1; n <= 37; n++) checkAgainstNaive(n, n, n, n);
  });

  it('matches the naive triple loop for odd non-square sizes', () => {
    for (let m = 1; m <= 37; m += 3) {
      for (let k = 1; k <= 37; k += 4) {
        for (let n = 1; n <= 37; n += 5) checkAgainstNaive(m, k, n, 1000 * m + 100 * k + n);
      }
    }
  });

  it('matches the naive triple loop on random shapes (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 37 }),
        fc.integer(),
        (m, k, n, seed) => checkAgainstNaive(m, k, n, seed),
      ),
      { seed: 20240601, numRuns: 150 },
    );
  });

  it('crosses the cache-block edges (k > 256, m > 128, n > 2048)', () => {
    checkAgainstNaive(131, 300, 9, 1);
    checkAgainstNaive(257, 513, 5, 2);
    checkAgainstNaive(5, 3, 2100, 3);
  });

  it('handles empty inner and outer dimensions', () => {
    expect(matmul(Matrix.zeros(2, 0), Matrix.zeros(0, 3)).toRows()).toEqual([[0, 0, 0], [0, 0, 0]]);
    const e = matmul(Matrix.zeros(0, 4), Matrix.zeros(4, 2));
    expect([e.rows, e.cols]).toEqual([0, 2]);
  });

  it('is associative and distributes over identity (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }), fc.integer(), (a, b, c, d, seed) => {
          const rand = seeded(seed);
          const A = randomMatrix(a, b, rand), B = randomMatrix(b, c, rand), C = randomMatrix(c, d, rand);
          expectClose(matmul(matmul(A, B), C), matmul(A, matmul(B, C)), 1e-13);
          expectClose(matmul(Matrix.identity(a), A), A, 0);
          expectClose(matmul(A, Matrix.identity(b)), A, 0);
        }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('propagates NaN and infinity like IEEE arithmetic', () => {
    const A = Matrix.fromRows([[NaN, 0], [0, 1]]);
    expect(Number.isNaN(matmul(A, Matrix.zeros(2, 2)).get(0, 0))).toBe(true);
    const big = 40;
    const B = Matrix.zeros(big, big);
    B.data[0] = Infinity;
    expect(Number.isNaN(matmul(B, Matrix.zeros(big, big)).get(0, 0))).toBe(true);
  });

  it('rejects mismatched inner dimensions with a plain Error', () => {
    expect(() => matmul(Matrix.zeros(2, 3), Matrix.zeros(2, 3))).toThrow(/matmul/);
  });
});

describe('gemm', () => {
  it('accumulates alpha * A * B into strided sub-blocks', () => {
    const rand = seeded(11);
    for (const [m, k, n] of [[3, 2, 4], [17, 9, 13], [40, 33, 37], [5, 300, 6]] as const) {
      const lda = m + 3, ldb = k + 2, ldc = m + 5;
      const aOff = 2, bOff = 1, cOff = 4;
      const A = new Float64Array(aOff + lda * k).map(() => 2 * rand() - 1);
      const B = new Float64Array(bOff + ldb * n).map(() => 2 * rand() - 1);
      const C = new Float64Array(cOff + ldc * n).map(() => 2 * rand() - 1);
      const C0 = C.slice();
      const alpha = -0.75;
      gemm(m, n, k, alpha, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < ldc; i++) {
          const q = cOff + i + j * ldc;
          let want = C0[q]!;
          if (i < m) {
            let s = 0;
            for (let p = 0; p < k; p++) s += A[aOff + i + p * lda]! * B[bOff + p + j * ldb]!;
            want += alpha * s;
          }
          expect(Math.abs(C[q]! - want)).toBeLessThan(1e-12 * Math.max(1, k));
        }
      }
      // Nothing before the block is touched.
      for (let q = 0; q < cOff; q++) expect(C[q]).toBe(C0[q]);
    }
  });
});
