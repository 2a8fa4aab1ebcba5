/** Dual matrices: a value with a tangent of the same shape, X + eps dX, eps^2 = 0. A dual's
 *  parts may be duals themselves (of a lower level), which gives hyper-duals
 *  (X + eps1 dX1 + eps2 dX2 + eps1 eps2 dX12) by nesting, as in JAX's autodidax: an operation
 *  takes its arguments at their highest level L, computes the value one level down and the
 *  tangent by the rule of TANGENT_RULES, itself evaluated one level down. */
import { det, inv, logAbsDet, matPow } from '../numeric/linalg.js';
import { Matrix } from '../numeric/matrix.js';
import { add, diagFromVector, diagOfMatrix, hadamard, kron, map, matmul, scale, transpose, unvec, vec } from '../numeric/ops.js';
import { logsumexp, norm2, softmax, sum, trace } from '../numeric/reductions.js';
import type { Algebra, AppliedOp, Site } from './algebra.js';
import { TANGENT_RULES } from './tangents.js';

/** A value of any level: a plain matrix (level 0) or a dual matrix. */
export type Val = Matrix | DualMatrix;

export class DualMatrix {
  /** Invariant: `level` is above the levels of `value` and `tangent`; a null tangent is zero. */
  constructor(readonly level: number, readonly value: Val, readonly tangent: Val | null) {
    if (level <= levelOf(value) || (tangent !== null && level <= levelOf(tangent))) {
      throw new Error('internal: a dual matrix must be above the levels of its parts');
    }
    const [r, c] = shapeOf(value);
    if (tangent !== null) {
      const [tr, tc] = shapeOf(tangent);
      if (tr !== r || tc !== c) throw new Error(`DualMatrix: a ${r} x ${c} value with a ${tr} x ${tc} tangent`);
    }
  }
  get rows(): number { return shapeOf(this)[0]; }
  get cols(): number { return shapeOf(this)[1]; }
}

export const levelOf = (v: Val): number => (v instanceof DualMatrix ? v.level : 0);

export function shapeOf(v: Val): [number, number] {
  let m = v;
  while (m instanceof DualMatrix) m = m.value;
  return [m.rows, m.cols];
}

/** The plain matrix under every level of duals (the point itself). */
export function primalOf(v: Val): Matrix {
  let m = v;
  while (m instanceof DualMatrix) m = m.value;
  return m;
}

/** The value and tangent of `v` at level `level` (a value below that level has a zero tangent). */
export function split(v: Val, level: number): { value: Val; tangent: Val | null } {
  return v instanceof DualMatrix && v.level === level ? { value: v.value, tangent: v.tangent } : { value: v, tangent: null };
}

// ---------------------------------------------------------------- level 0: numbers
const S = Matrix.scalar;
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const ew = (f: (x: number) => number) => ([a]: Matrix[]): Matrix => map(a!, f);

/** Scalar factors scale the product of the others (a chain of matrix products). */
function product(args: Matrix[], site: Site): Matrix {
  const scalar = site.scalar ?? args.map((a) => a.rows === 1 && a.cols === 1);
  let c = 1;
  let m: Matrix | null = null;
  args.forEach((a, i) => {
    if (scalar[i]) c *= a.data[0]!;
    else m = m === null ? a : matmul(m, a);
  });
  const p = m as Matrix | null;
  return p === null ? S(c) : c === 1 ? p : scale(p, c);
}

/** Each operator on numbers (mirrors numeric/evaluate.ts, on values rather than nodes). */
const NUMERIC = {
  Add: (a) => a.reduce((x, y) => add(x, y)),
  Mul: product,
  Hadamard: (a) => a.reduce((x, y) => hadamard(x, y)),
  Transpose: ([a]) => transpose(a!),
  Pow: ([b, e]) => S(Math.pow(b!.data[0]!, e!.data[0]!)),
  ElemPow: ([b, e]) => { const p = e!.data[0]!; return map(b!, (x) => Math.pow(x, p)); },
  MatPow: ([a], site) => matPow(a!, site.k!),
  Exp: ew(Math.exp), Log: ew(Math.log), Sin: ew(Math.sin), Cos: ew(Math.cos), Tan: ew(Math.tan), Tanh: ew(Math.tanh),
  Sqrt: ew(Math.sqrt), Abs: ew(Math.abs), Sign: ew((x) => (x > 0 ? 1 : x < 0 ? -1 : 0)), Sigmoid: ew(sigmoid),
  Inv: ([a]) => inv(a!),
  Det: ([a]) => S(det(a!)),
  LogDet: ([a]) => S(logAbsDet(a!)),
  Trace: ([a]) => S(trace(a!)),
  Sum: ([a]) => S(sum(a!)),
  Norm2: ([a]) => S(norm2(a!)),
  Diag: ([a]) => diagFromVector(a!),
  DiagPart: ([a]) => diagOfMatrix(a!),
  Vec: ([a]) => vec(a!),
  Unvec: ([a], site) => unvec(a!, site.rows!),
  Kron: ([a, b]) => kron(a!, b!),
  LogSumExp: ([a]) => S(logsumexp(a!)),
  Softmax: ([a]) => softmax(a!),
} satisfies Record<AppliedOp, (args: Matrix[], site: Site) => Matrix>;

// ---------------------------------------------------------------- every level
const NO_SITE: Site = {};

/** `op` on arguments of any levels. `known`, if given, is the value one level down (from an
 *  earlier pass), so that only the tangent is computed. */
export function applyOp(op: AppliedOp, args: readonly Val[], site: Site = NO_SITE, known?: Val): Val {
  let level = 0;
  for (const a of args) level = Math.max(level, levelOf(a));
  if (level === 0) return NUMERIC[op](args as Matrix[], site);
  const parts = args.map((a) => split(a, level));
  const values = parts.map((p) => p.value);
  const dArgs = parts.map((p) => p.tangent);
  const out = known ?? applyOp(op, values, site);
  const tangent = dArgs.some((t) => t !== null) ? TANGENT_RULES[op](DUAL, { args: values, dArgs, out, site }) : null;
  return new DualMatrix(level, out, tangent);
}

/** The algebra of values of every level, which the tangent rules are evaluated in. */
export const DUAL: Algebra<Val> = {
  apply: (op, args, site) => applyOp(op, args, site),
  constant: (m) => m,
  shape: shapeOf,
};
