import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Matrix, logsumexp, matmul, norm2, softmax, sum, trace, transpose } from '../../src/numeric/index.js';
import { randomMatrix, seeded } from './helpers.js';

const finite = fc.double({ min: -700, max: 700, noNaN: true });

describe('trace and sum', () => {
  it('trace sums the diagonal; tr(A B) = tr(B A)', () => {
    expect(trace(Matrix.fromRows([[1, 2], [3, 4]]))).toBe(5);
    expect(() => trace(Matrix.zeros(2, 3))).toThrow(Error);
    const rand = seeded(5);
    for (let n = 1; n <= 6; n++) {
      const A = randomMatrix(n, n + 2, rand), B = randomMatrix(n + 2, n, rand);
      expect(trace(matmul(A, B))).toBeCloseTo(trace(matmul(B, A)), 12);
    }
  });

  it('sum adds every entry, compensated', () => {
    expect(sum(Matrix.fromRows([[1, 2], [3, 4]]))).toBe(10);
    expect(sum(Matrix.fromColumn([1e100, 1, -1e100]))).toBe(1);
    expect(sum(Matrix.fromColumn([Infinity, 1]))).toBe(Infinity);
    expect(sum(Matrix.zeros(0, 0))).toBe(0);
  });
});

describe('norm2', () => {
  it('is sqrt(tr(A\' A)) in the safe range', () => {
    const rand = seeded(6);
    for (let n = 1; n <= 6; n++) {
      const A = randomMatrix(n, 7 - n, rand);
      expect(norm2(A)).toBeCloseTo(Math.sqrt(trace(matmul(transpose(A), A))), 14);
    }
    expect(norm2(Matrix.fromColumn([3, 4]))).toBe(5);
  });

  it('neither overflows nor underflows', () => {
    expect(norm2(Matrix.fromColumn([3e200, 4e200])) / 5e200).toBeCloseTo(1, 14);
    expect(norm2(Matrix.fromColumn([3e-200, 4e-200])) / 5e-200).toBeCloseTo(1, 14);
    expect(norm2(Matrix.fromColumn([1e-320, 0]))).toBe(1e-320);
    expect(norm2(Matrix.fromRows([[Number.MAX_VALUE, 0]]))).toBe(Number.MAX_VALUE);
  });

  it('handles zero, infinity and NaN', () => {
    expect(norm2(Matrix.zeros(3, 3))).toBe(0);
    expect(norm2(Matrix.fromColumn([1, -Infinity]))).toBe(Infinity);
    expect(norm2(Matrix.fromColumn([1, NaN]))).toBeNaN();
  });
});

describe('logsumexp', () => {
  it('agrees with log(sum(exp(v))) where that is safe', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 8 }), (xs) => {
      const naive = Math.log(xs.reduce((s, x) => s + Math.exp(x), 0));
      expect(logsumexp(Matrix.fromColumn(xs))).toBeCloseTo(naive, 12);
    }), { seed: 8, numRuns: 200 });
  });

  it('stays finite where the naive formula overflows or underflows', () => {
    expect(logsumexp(Matrix.fromColumn([1000, 1000]))).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logsumexp(Matrix.fromColumn([-1000, -1000]))).toBeCloseTo(-1000 + Math.log(2), 12);
    expect(logsumexp(Matrix.fromRows([[1000, 0], [-1e300, 999]]))).toBeCloseTo(1000 + Math.log1p(Math.exp(-1)), 12);
  });

  it('is shift-equivariant: lse(v + c) = lse(v) + c', () => {
    fc.assert(fc.property(fc.array(finite, { minLength: 1, maxLength: 6 }), fc.double({ min: -100, max: 100, noNaN: true }), (xs, c) => {
      const a = logsumexp(Matrix.fromColumn(xs.map((x) => x + c)));
      const b = logsumexp(Matrix.fromColumn(xs)) + c;
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(b)));
    }), { seed: 9, numRuns: 200 });
  });

  it('treats -Infinity entries as zero weight', () => {
    expect(logsumexp(Matrix.fromColumn([-Infinity, 0]))).toBe(0);
    expect(logsumexp(Matrix.fromColumn([-Infinity, -Infinity]))).toBe(-Infinity);
    expect(logsumexp(Matrix.fromColumn([Infinity, 0]))).toBe(Infinity);
    expect(logsumexp(Matrix.fromColumn([NaN, 0]))).toBeNaN();
  });
});

describe('softmax', () => {
  it('is positive, sums to 1, keeps the shape', () => {
    fc.assert(fc.property(fc.array(finite, { minLength: 1, maxLength: 8 }), (xs) => {
      const s = softmax(Matrix.fromColumn(xs));
      expect([s.rows, s.cols]).toEqual([xs.length, 1]);
      let total = 0;
      for (const p of s.data) {
        expect(p).toBeGreaterThanOrEqual(0);
        total += p;
      }
      expect(total).toBeCloseTo(1, 14);
    }), { seed: 10, numRuns: 200 });
    const m = softmax(Matrix.fromRows([[1, 2], [3, 4]]));
    expect([m.rows, m.cols]).toEqual([2, 2]);
  });

  it('is exp(v - lse(v)) and finite for large inputs', () => {
    const v = Matrix.fromColumn([0.5, -1, 2, 3]);
    const l = logsumexp(v);
    softmax(v).data.forEach((p, i) => expect(p).toBeCloseTo(Math.exp(v.data[i]! - l), 15));
    expect(Array.from(softmax(Matrix.fromColumn([1000, 1000])).data)).toEqual([0.5, 0.5]);
    const s = softmax(Matrix.fromColumn([1000, 0]));
    expect(s.data[0]).toBe(1);
    expect(s.data[1]).toBeCloseTo(Math.exp(-1000), 300);
  });
});
