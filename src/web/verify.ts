/** The page's numeric check of an answer, run in the worker: the symbolic derivative's numbers at a
 *  random point against central finite differences of f there, along the same directions the API
 *  numbers them by (E_k, or (E_k + E_k')/2 for a symmetric variable; LANGUAGE.md). The API's own
 *  `check` and dual-number agreement are added when they answer. */
import { check, derive, evaluate } from '../api/index.js';
import type { CheckAnswer, DeriveRequest, Kind, ShapeText, Value } from '../api/index.js';

export interface Verification {
  /** max |fd - s| / max(1, max |s|) over all the derivative's numbers; null when no point worked. */
  error: number | null;
  ok: boolean;
  tolerance: number;
  /** The sizes given to the dimensions, and the point itself. */
  dims: Record<string, number>;
  point: Record<string, Value>;
  /** How many of the derivative's numbers were compared. */
  compared: number;
  /** Dual numbers against the symbolic numbers (mode 'both'), when the API answers it. */
  agreement: number | null;
  /** The API's check, when it answers. */
  check: CheckAnswer | null;
  note: string | null;
}

import { rng } from '../api/points.js';
import { direction as unitDirection } from '../api/derive.js';

export type Problem = Pick<DeriveRequest, 'expr' | 'vars' | 'wrt'> & { order: 1 | 2 };

const hash = (s: string): number => {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
};

/** A dense matrix, column-major, as the numbers of one value. */
interface M { rows: number; cols: number; data: number[] }
const at = (m: M, i: number, j: number): number => m.data[i + j * m.rows]!;

export function fromValue(v: Value): M {
  if (typeof v === 'number') return { rows: 1, cols: 1, data: [v] };
  if (v.length === 0) return { rows: 0, cols: 0, data: [] };
  if (typeof v[0] === 'number') return { rows: v.length, cols: 1, data: [...(v as number[])] };
  const rows = v as number[][];
  const m: M = { rows: rows.length, cols: rows[0]!.length, data: new Array<number>(rows.length * rows[0]!.length) };
  rows.forEach((r, i) => r.forEach((x, j) => { m.data[i + j * m.rows] = x; }));
  return m;
}
export function toValue(m: M): Value {
  if (m.rows === 1 && m.cols === 1) return m.data[0]!;
  if (m.cols === 1) return [...m.data];
  return Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => at(m, i, j)));
}

/** Sizes for the dimension names of the shapes: distinct small sizes, so that a transposition shows. */
function sizes(shapes: Record<string, ShapeText>, small: boolean): Record<string, number> {
  const pick = small ? [2, 3, 2, 3] : [3, 2, 4, 3, 2];
  const dims: Record<string, number> = {};
  for (const shape of Object.values(shapes)) {
    for (const d of shape) {
      for (const f of d.split('*')) {
        if (!/^\d+$/.test(f) && !(f in dims)) dims[f] = pick[Object.keys(dims).length % pick.length]!;
      }
    }
  }
  return dims;
}
const size = (d: string, dims: Record<string, number>): number => d.split('*').reduce((p, f) => p * (/^\d+$/.test(f) ? Number(f) : dims[f]!), 1);

/** Values for every variable: well-conditioned square matrices (I + noise), SPD symmetric ones,
 *  entries of mixed signs, or all positive when `positive` (for logs and square roots). */
function point(shapes: Record<string, ShapeText>, vars: Record<string, string>, dims: Record<string, number>, rand: () => number, positive: boolean): Record<string, M> {
  const out: Record<string, M> = {};
  const entry = (): number => (positive ? 0.5 + rand() : 2 * rand() - 1);
  for (const [name, shape] of Object.entries(shapes)) {
    const r = size(shape[0], dims), c = size(shape[1], dims);
    const m: M = { rows: r, cols: c, data: Array.from({ length: r * c }, entry) };
    if ((vars[name] ?? '').trim().startsWith('symmetric')) {
      // R R' / r + I: symmetric to the last bit (each entry computed once and mirrored), positive definite.
      const R = m.data.map((x) => x - 0.5 * Number(positive));
      for (let i = 0; i < r; i++) {
        for (let j = 0; j <= i; j++) {
          let s = i === j ? 1 : 0;
          for (let k = 0; k < r; k++) s += (R[i + k * r]! * R[j + k * r]!) / r;
          m.data[i + j * r] = s;
          m.data[j + i * r] = s;
        }
      }
    } else if (r === c && r > 1) {
      for (let k = 0; k < r * c; k++) m.data[k] = 0.3 * m.data[k]! * (positive ? 0.5 : 1);
      for (let i = 0; i < r; i++) m.data[i + i * r]! += 1;
    } else if (r === 1 && c === 1) {
      m.data[0] = 0.5 + rand();
    }
    out[name] = m;
  }
  return out;
}

/** The k-th direction of X's shape, symmetrised for a symmetric variable, as plain numbers. */
const direction = (rows: number, cols: number, k: number, symmetric: boolean): number[] =>
  Array.from(unitDirection(rows, cols, k, symmetric).data);

const maxAbs = (xs: number[]): number => xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

export function verify(p: Problem, shapes: Record<string, ShapeText>, kind: Kind): Verification {
  const result: Verification = { error: null, ok: false, tolerance: p.order === 2 ? 1e-4 : 1e-5, dims: {}, point: {}, compared: 0, agreement: null, check: null, note: null };
  const X = shapes[p.wrt];
  if (!X) return { ...result, note: `'${p.wrt}' has no shape` };
  const symmetric = (p.vars[p.wrt] ?? '').trim().startsWith('symmetric');
  const small = p.order === 2;
  const dims = sizes(shapes, small);
  const rand = rng(hash(`${p.expr}|${JSON.stringify(p.vars)}|${p.wrt}|${p.order}`));
  let lastError = 'no point tried';
  for (let attempt = 0; attempt < 6; attempt++) {
    const values = point(shapes, p.vars, dims, rand, attempt % 2 === 1);
    const atValues = Object.fromEntries(Object.entries(values).map(([k, m]) => [k, toValue(m)]));
    let symbolic: M;
    try {
      const a = derive({ expr: p.expr, vars: p.vars, wrt: p.wrt, order: p.order, at: atValues });
      if (a.derivativeValue === undefined) return { ...result, note: 'the answer has no numbers' };
      symbolic = fromValue(a.derivativeValue);
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
      continue;
    }
    const x = values[p.wrt]!;
    const n = x.rows * x.cols;
    const f = (steps: [number, number[]][]): number[] => {
      const data = [...x.data];
      for (const [t, d] of steps) for (let k = 0; k < n; k++) data[k]! += t * d[k]!;
      const v = evaluate({ expr: p.expr, vars: p.vars, at: { ...atValues, [p.wrt]: toValue({ ...x, data }) } }).value;
      return fromValue(v).data;
    };
    const dirs = Array.from({ length: n }, (_, k) => direction(x.rows, x.cols, k, symmetric));
    const fd: number[] = [], sym: number[] = [];
    try {
      if (kind === 'hessian') {
        const h = 1e-4;
        const H: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
        for (let i = 0; i < n; i++) {
          for (let j = 0; j <= i; j++) {
            const [a] = f([[h, dirs[i]!], [h, dirs[j]!]]), [b] = f([[h, dirs[i]!], [-h, dirs[j]!]]);
            const [c] = f([[-h, dirs[i]!], [h, dirs[j]!]]), [d] = f([[-h, dirs[i]!], [-h, dirs[j]!]]);
            H[i]![j] = H[j]![i] = (a! - b! - c! + d!) / (4 * h * h);
          }
        }
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { fd.push(H[i]![j]!); sym.push(at(symbolic, i, j)); }
      } else {
        const h = 1e-6;
        for (let k = 0; k < n; k++) {
          const plus = f([[h, dirs[k]!]]), minus = f([[-h, dirs[k]!]]);
          plus.forEach((v, i) => {
            fd.push((v - minus[i]!) / (2 * h));
            // A gradient has X's shape (entry k); a Jacobian or a differential's numbers have column k.
            sym.push(kind === 'gradient' ? symbolic.data[k]! : at(symbolic, i, k));
          });
        }
      }
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
      continue;
    }
    const diff = fd.map((v, i) => v - sym[i]!);
    const error = maxAbs(diff) / Math.max(1, maxAbs(sym));
    Object.assign(result, { error, ok: Number.isFinite(error) && error < result.tolerance, dims, point: atValues, compared: sym.length });
    try {
      const both = derive({ expr: p.expr, vars: p.vars, wrt: p.wrt, order: p.order, at: atValues, mode: 'both' });
      if (typeof both.agreement === 'number') result.agreement = both.agreement;
    } catch { /* dual numbers are optional here */ }
    break;
  }
  if (result.error === null) result.note = `no point where f and its derivative are finite: ${lastError}`;
  try {
    result.check = check({ expr: p.expr, vars: p.vars, wrt: p.wrt, order: p.order, points: 3 });
  } catch { /* the API's check is optional here */ }
  return result;
}
