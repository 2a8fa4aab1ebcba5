import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Matrix, add, diagFromVector, diagOfMatrix, hadamard, hadamardDiv, kron, map, matmul, scale, sub,
  transpose, unvec, vec,
} from '../../src/numeric/index.js';
import { expectClose, randomMatrix, seeded } from './helpers.js';

const dims = fc.integer({ min: 1, max: 6 });

describe('elementwise kernels', () => {
  const A = Matrix.fromRows([[1, 2, 3], [4, 5, 6]]);
  const B = Matrix.fromRows([[6, 5, 4], [3, 2, 1]]);

  it('add, sub, scale, hadamard, hadamardDiv, map', () => {
    expect(add(A, B).toRows()).toEqual([[7, 7, 7], [7, 7, 7]]);
    expect(sub(A, B).toRows()).toEqual([[-5, -3, -1], [1, 3, 5]]);
    expect(scale(A, -2).toRows()).toEqual([[-2, -4, -6], [-8, -10, -12]]);
    expect(hadamard(A, B).toRows()).toEqual([[6, 10, 12], [12, 10, 6]]);
    expect(hadamardDiv(A, B).toRows()).toEqual([[1 / 6, 2 / 5, 3 / 4], [4 / 3, 5 / 2, 6]]);
    expect(map(A, (x) => x * x).toRows()).toEqual([[1, 4, 9], [16, 25, 36]]);
  });

  it('never writes into their arguments', () => {
    const before = A.toRows();
    add(A, B); sub(A, B); scale(A, 3); hadamard(A, B); hadamardDiv(A, B); map(A, Math.exp); transpose(A); kron(A, B);
    expect(A.toRows()).toEqual(before);
  });

  it('rejects shape mismatches with a plain Error', () => {
    const C = Matrix.zeros(3, 2);
    for (const f of [add, sub, hadamard, hadamardDiv]) expect(() => f(A, C)).toThrow(/shape mismatch/);
  });
});

describe('transpose', () => {
  it('swaps indices, for shapes that cross the 32 x 32 tiles', () => {
    const rand = seeded(3);
    for (const [r, c] of [[1, 1], [1, 5], [5, 1], [3, 7], [33, 65], [70, 40]] as const) {
      const A = randomMatrix(r, c, rand);
      const T = transpose(A);
      expect([T.rows, T.cols]).toEqual([c, r]);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) expect(T.get(j, i)).toBe(A.get(i, j));
      expect(transpose(T).toRows()).toEqual(A.toRows());
    }
  });

  it('reverses products: (A B)\' = B\' A\'', () => {
    fc.assert(fc.property(dims, dims, dims, fc.integer(), (m, k, n, seed) => {
      const rand = seeded(seed);
      const A = randomMatrix(m, k, rand), B = randomMatrix(k, n, rand);
      expectClose(transpose(matmul(A, B)), matmul(transpose(B), transpose(A)), 1e-14);
    }), { seed: 1, numRuns: 60 });
  });
});

describe('kron, vec, unvec', () => {
  it('follows the definition (A ⊗ B)[i p + k, j q + l] = A[i,j] B[k,l]', () => {
    fc.assert(fc.property(dims, dims, dims, dims, fc.integer(), (m, n, p, q, seed) => {
      const rand = seeded(seed);
      const A = randomMatrix(m, n, rand), B = randomMatrix(p, q, rand);
      const K = kron(A, B);
      expect([K.rows, K.cols]).toEqual([m * p, n * q]);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let k = 0; k < p; k++) for (let l = 0; l < q; l++) {
        expect(K.get(i * p + k, j * q + l)).toBe(A.get(i, j) * B.get(k, l));
      }
    }), { seed: 2, numRuns: 40 });
  });

  it('vec stacks columns and unvec undoes it', () => {
    const A = Matrix.fromRows([[1, 2, 3], [4, 5, 6]]);
    expect(vec(A).toRows()).toEqual([[1], [4], [2], [5], [3], [6]]);
    expect(unvec(vec(A), 2).toRows()).toEqual(A.toRows());
    expect(unvec(Matrix.fromColumn([1, 2, 3, 4, 5, 6]), 3).toRows()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(() => unvec(Matrix.fromColumn([1, 2, 3]), 2)).toThrow(Error);
    expect(() => unvec(A, 2)).toThrow(Error);
  });

  it('vec(A X B) = (B\' ⊗ A) vec(X)', () => {
    fc.assert(fc.property(dims, dims, dims, dims, fc.integer(), (m, n, p, q, seed) => {
      const rand = seeded(seed);
      const A = randomMatrix(m, n, rand), X = randomMatrix(n, p, rand), B = randomMatrix(p, q, rand);
      expectClose(vec(matmul(matmul(A, X), B)), matmul(kron(transpose(B), A), vec(X)), 1e-13);
    }), { seed: 3, numRuns: 80 });
  });

  it('mixed product: (A ⊗ B)(C ⊗ D) = (A C) ⊗ (B D), and (A ⊗ B)\' = A\' ⊗ B\'', () => {
    fc.assert(fc.property(dims, dims, dims, dims, dims, dims, fc.integer(), (a, b, c, d, e, f, seed) => {
      const rand = seeded(seed);
      const A = randomMatrix(a, b, rand), C = randomMatrix(b, c, rand);
      const B = randomMatrix(d, e, rand), D = randomMatrix(e, f, rand);
      expectClose(matmul(kron(A, B), kron(C, D)), kron(matmul(A, C), matmul(B, D)), 1e-13);
      expect(transpose(kron(A, B)).toRows()).toEqual(kron(transpose(A), transpose(B)).toRows());
    }), { seed: 4, numRuns: 40 });
  });
});

describe('diagonals', () => {
  it('diagFromVector takes a column or a row', () => {
    const D = [[2, 0, 0], [0, 3, 0], [0, 0, 5]];
    expect(diagFromVector(Matrix.fromColumn([2, 3, 5])).toRows()).toEqual(D);
    expect(diagFromVector(Matrix.fromRows([[2, 3, 5]])).toRows()).toEqual(D);
    expect(() => diagFromVector(Matrix.zeros(2, 2))).toThrow(Error);
  });

  it('diagOfMatrix reads the diagonal as a column', () => {
    expect(diagOfMatrix(Matrix.fromRows([[1, 2], [3, 4]])).toRows()).toEqual([[1], [4]]);
    expect(diagOfMatrix(Matrix.fromRows([[1, 2, 3], [4, 5, 6]])).toRows()).toEqual([[1], [5]]);
    expect(diagOfMatrix(diagFromVector(Matrix.fromColumn([7, 8]))).toRows()).toEqual([[7], [8]]);
  });
});
