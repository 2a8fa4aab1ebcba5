import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/numeric/index.js';

describe('Matrix', () => {
  it('stores entries column-major', () => {
    const m = Matrix.fromRows([[1, 2, 3], [4, 5, 6]]);
    expect([m.rows, m.cols]).toEqual([2, 3]);
    expect(Array.from(m.data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(m.get(1, 2)).toBe(6);
    expect(m.get(0, 1)).toBe(2);
    expect(m.toRows()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('builds the standard matrices', () => {
    expect(Matrix.zeros(2, 3).toRows()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(Matrix.ones(3, 1).toRows()).toEqual([[1], [1], [1]]);
    expect(Matrix.identity(3).toRows()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const s = Matrix.scalar(7);
    expect(s.isScalar).toBe(true);
    expect(s.get(0, 0)).toBe(7);
    expect(Matrix.ones(1, 2).isScalar).toBe(false);
    expect(Matrix.fromColumn([1, 2, 3]).toRows()).toEqual([[1], [2], [3]]);
    const e = Matrix.fromRows([]);
    expect([e.rows, e.cols]).toEqual([0, 0]);
  });

  it('clones into an independent buffer', () => {
    const m = Matrix.fromRows([[1, 2], [3, 4]]);
    const c = m.clone();
    c.data[0] = 99;
    expect(m.get(0, 0)).toBe(1);
    expect(c.get(0, 0)).toBe(99);
  });

  it('rejects malformed input', () => {
    expect(() => Matrix.fromRows([[1, 2], [3]])).toThrow(Error);
    expect(() => new Matrix(2, 2, new Float64Array(3))).toThrow(Error);
    expect(() => new Matrix(-1, 2)).toThrow(Error);
    expect(() => new Matrix(1.5, 2)).toThrow(Error);
    expect(() => Matrix.identity(2).get(2, 0)).toThrow(Error);
    expect(() => Matrix.identity(2).get(0, -1)).toThrow(Error);
  });
});
