/**
 * Reductions to a number, and the stable softmax family.
 */
import { shapeError } from './errors.js';
import { Matrix } from './matrix.js';

/** tr(A) for a square A. */
export function trace(A: Matrix): number {
  if (A.rows !== A.cols) shapeError('trace', `expected a square matrix, got ${A.rows} x ${A.cols}`);
  const n = A.rows, a = A.data;
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i + i * n]!;
  return s;
}

/** The sum of all entries, compensated (Neumaier) so cancellation costs little accuracy. */
export function sum(A: Matrix): number {
  const a = A.data;
  let s = 0;
  let c = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  const r = s + c;
  // With an infinity in the input the compensation is NaN; the plain sum is right.
  return Number.isFinite(r) ? r : s;
}

/**
 * The Euclidean (Frobenius) norm, sqrt of the sum of squares, without
 * spurious overflow or underflow: entries are scaled by the largest one
 * whenever the plain sum of squares would leave the safe range.
 */
export function norm2(A: Matrix): number {
  const a = A.data;
  let ss = 0;
  for (let i = 0; i < a.length; i++) ss += a[i]! * a[i]!;
  if (ss > 1e-290 && ss < 1e290) return Math.sqrt(ss);
  let big = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Math.abs(a[i]!);
    if (x > big || Number.isNaN(x)) big = x;
    if (Number.isNaN(big)) return NaN;
  }
  if (big === 0 || big === Infinity) return big;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! / big;
    s += x * x;
  }
  return big * Math.sqrt(s);
}

/** max over all entries (-Infinity for an empty matrix, NaN if any entry is NaN). */
function maxEntry(a: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (x > m) m = x;
    else if (Number.isNaN(x)) return NaN;
  }
  return m;
}

/** log(sum(exp(v))) over all entries, shifted by the max so it neither overflows nor underflows. */
export function logsumexp(v: Matrix): number {
  const a = v.data;
  const m = maxEntry(a);
  if (!Number.isFinite(m)) return m; // NaN, +Infinity, or -Infinity (all entries -Infinity, or none)
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.exp(a[i]! - m);
  return m + Math.log(s);
}

/** exp(v) / sum(exp(v)), entrywise, shifted by the max; same shape as v. */
export function softmax(v: Matrix): Matrix {
  const a = v.data;
  const out = new Matrix(v.rows, v.cols);
  const o = out.data;
  const m = maxEntry(a);
  if (!Number.isFinite(m)) {
    // NaN in, an infinite entry (inf/inf), or every entry -Infinity (0/0).
    o.fill(NaN);
    return out;
  }
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.exp(a[i]! - m);
    o[i] = e;
    s += e;
  }
  for (let i = 0; i < o.length; i++) o[i]! /= s;
  return out;
}
