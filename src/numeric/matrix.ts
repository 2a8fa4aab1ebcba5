/**
 * A dense Float64 matrix in column-major order: entry (i, j) lives at
 * `data[i + j * rows]`, so `vec` is the data itself.
 *
 * Invariant: a Matrix is immutable once built. Kernels never write into
 * their arguments, and some (`vec`, `unvec`) return a matrix that shares
 * its argument's buffer. Fill `data` only while constructing a new matrix.
 */
export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  /** Wrap column-major `data` (not copied); a fresh zero buffer if omitted. */
  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new Error(`Matrix: bad shape ${rows} x ${cols}`);
    }
    const n = rows * cols;
    if (data !== undefined && data.length !== n) {
      throw new Error(`Matrix: ${rows} x ${cols} needs ${n} entries, got ${data.length}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(n);
  }

  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  static ones(rows: number, cols: number): Matrix {
    const m = new Matrix(rows, cols);
    m.data.fill(1);
    return m;
  }

  static identity(n: number): Matrix {
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i + i * n] = 1;
    return m;
  }

  /** A 1 x 1 matrix. */
  static scalar(x: number): Matrix {
    const m = new Matrix(1, 1);
    m.data[0] = x;
    return m;
  }

  /** From an array of rows (all the same length); `[]` gives 0 x 0. */
  static fromRows(rows: readonly (readonly number[])[]): Matrix {
    const r = rows.length;
    const c = r === 0 ? 0 : rows[0]!.length;
    const m = new Matrix(r, c);
    for (let i = 0; i < r; i++) {
      const row = rows[i]!;
      if (row.length !== c) throw new Error(`Matrix.fromRows: row ${i} has ${row.length} entries, expected ${c}`);
      for (let j = 0; j < c; j++) m.data[i + j * r] = row[j]!;
    }
    return m;
  }

  /** A column vector (n x 1). */
  static fromColumn(values: readonly number[]): Matrix {
    return new Matrix(values.length, 1, Float64Array.from(values));
  }

  get isScalar(): boolean {
    return this.rows === 1 && this.cols === 1;
  }

  get(i: number, j: number): number {
    if (!(i >= 0 && i < this.rows && j >= 0 && j < this.cols)) {
      throw new Error(`Matrix.get: (${i}, ${j}) out of range for ${this.rows} x ${this.cols}`);
    }
    return this.data[i + j * this.rows]!;
  }

  toRows(): number[][] {
    const { rows, cols, data } = this;
    const out: number[][] = [];
    for (let i = 0; i < rows; i++) {
      const row = new Array<number>(cols);
      for (let j = 0; j < cols; j++) row[j] = data[i + j * rows]!;
      out.push(row);
    }
    return out;
  }

  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }
}
