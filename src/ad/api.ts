/** Differentiating the user's own functions: write f with the operations below (they take plain
 *  matrices, dual matrices and numbers alike), then `jvp(f, [X], [dX])`, `grad(f)(X)`,
 *  `jacobian(f)(X)`, `hessian(f)(X)`, `hvp(f)(X, V)`. Transformations nest (a `grad` inside a
 *  `jvp` sees its own perturbation only): each call works at a level above every one active.
 *  A 1 x 1 value is a scalar, as in the language: `matmul` scales by it, `add` and `hadamard`
 *  broadcast it. */
import { Matrix } from '../numeric/matrix.js';
import type { AppliedOp } from './algebra.js';
import { applyOp, DualMatrix, levelOf, shapeOf, split, type Val } from './dual.js';

export { DualMatrix, type Val };
/** What the operations take: a matrix, a dual matrix, or a number (a 1 x 1 constant). */
export type Arg = Val | number;

const val = (a: Arg): Val => (typeof a === 'number' ? Matrix.scalar(a) : a);
const isScalar = (v: Val): boolean => { const [r, c] = shapeOf(v); return r === 1 && c === 1; };
const op1 = (op: AppliedOp) => (a: Arg): Val => applyOp(op, [val(a)]);

// ---------------------------------------------------------------- operations

/** The matrix product of the factors; 1 x 1 factors scale it. */
export const matmul = (...fs: Arg[]): Val => { const vs = fs.map(val); return applyOp('Mul', vs, { scalar: vs.map(isScalar) }); };
/** s * A, s a scalar. */
export const scale = (s: Arg, a: Arg): Val => applyOp('Mul', [val(s), val(a)], { scalar: [true, false] });
export const neg = (a: Arg): Val => scale(-1, a);
/** A scalar broadcast to the shape of the first non-scalar argument. */
function broadcast(args: readonly Arg[]): Val[] {
  const vs = args.map(val);
  const big = vs.find((v) => !isScalar(v));
  if (!big) return vs;
  const [r, c] = shapeOf(big);
  return vs.map((v) => (isScalar(v) ? scale(v, Matrix.ones(r, c)) : v));
}
export const add = (...ts: Arg[]): Val => applyOp('Add', broadcast(ts));
export const sub = (a: Arg, b: Arg): Val => add(a, neg(b));
export const hadamard = (...fs: Arg[]): Val => {
  const vs = fs.map(val);
  if (vs.some(isScalar) && !vs.every(isScalar)) return matmul(...vs);
  return applyOp('Hadamard', vs);
};
/** b^e for scalars. */
export const pow = (b: Arg, e: Arg): Val => applyOp('Pow', [val(b), val(e)]);
/** A.^p, p a scalar. */
export const elemPow = (a: Arg, p: Arg): Val => applyOp('ElemPow', [val(a), val(p)]);
/** A ./ B. */
export const hadamardDiv = (a: Arg, b: Arg): Val => hadamard(a, elemPow(b, -1));
/** A / s, s a scalar. */
export const div = (a: Arg, s: Arg): Val => scale(pow(s, -1), a);
/** A^k for an integer k (A^-k is inv(A)^k). */
export function matPow(a: Arg, k: number): Val {
  if (!Number.isInteger(k)) throw new Error(`matPow: exponent ${k} is not an integer`);
  const v = val(a);
  if (k < 0) return matPow(inv(v), -k);
  if (k === 0) return Matrix.identity(shapeOf(v)[0]);
  return k === 1 ? v : applyOp('MatPow', [v], { k });
}
export const transpose = op1('Transpose');
export const exp = op1('Exp'), log = op1('Log'), sin = op1('Sin'), cos = op1('Cos'), tan = op1('Tan');
export const tanh = op1('Tanh'), sqrt = op1('Sqrt'), abs = op1('Abs'), sign = op1('Sign'), sigmoid = op1('Sigmoid');
export const inv = op1('Inv');
export const det = op1('Det');
/** log |det A|. */
export const logdet = op1('LogDet');
export const trace = op1('Trace');
export const sum = op1('Sum');
/** The Euclidean (Frobenius) norm. */
export const norm2 = op1('Norm2');
/** A column vector as a diagonal matrix. */
export const diag = op1('Diag');
/** The diagonal of a square matrix, as a column. */
export const diagPart = op1('DiagPart');
export const vec = op1('Vec');
/** A column as a matrix of `rows` rows, filled column by column. */
export const unvec = (a: Arg, rows: number): Val => applyOp('Unvec', [val(a)], { rows });
export const kron = (a: Arg, b: Arg): Val => applyOp('Kron', [val(a), val(b)]);
export const logsumexp = op1('LogSumExp');
export const softmax = op1('Softmax');
/** inv(A) * B. */
export const solve = (a: Arg, b: Arg): Val => matmul(inv(a), b);

// ---------------------------------------------------------------- transformations

/** The level of the innermost transformation running. */
let depth = 0;

/** f(X...) and its directional derivative along dX... . */
export function jvp(f: (...xs: Val[]) => Arg, primals: readonly Matrix[], tangents: readonly Matrix[]): [Matrix, Matrix];
export function jvp(f: (...xs: Val[]) => Arg, primals: readonly Arg[], tangents: readonly Arg[]): [Val, Val];
export function jvp(f: (...xs: Val[]) => Arg, primals: readonly Arg[], tangents: readonly Arg[]): [Val, Val] {
  if (primals.length !== tangents.length) throw new Error(`jvp: ${primals.length} primals but ${tangents.length} tangents`);
  const ps = primals.map(val), ts = tangents.map(val);
  const level = Math.max(depth, ...ps.map(levelOf), ...ts.map(levelOf)) + 1;
  const saved = depth;
  depth = level;
  let out: Val;
  try {
    out = val(f(...ps.map((p, i) => new DualMatrix(level, p, ts[i]!))));
  } finally {
    depth = saved;
  }
  const { value, tangent } = split(out, level);
  const [r, c] = shapeOf(value);
  return [value, tangent ?? Matrix.zeros(r, c)];
}

/** A derivative as a function of the point. A plain matrix in gives a plain matrix out (unless f
 *  closes over a dual matrix of an enclosing transformation, which gives a dual matrix). */
export interface Derivative { (x: Matrix): Matrix; (x: Arg): Val }

const unit = (k: number, r: number, c: number): Matrix => { const e = new Matrix(r, c); e.data[k] = 1; return e; };

/** The matrix with these columns (each m x 1). */
function columns(cols: readonly Val[], m: number): Val {
  if (cols.every((c) => c instanceof Matrix)) {
    const out = new Matrix(m, cols.length);
    cols.forEach((c, k) => out.data.set((c as Matrix).data, k * m));
    return out;
  }
  return add(...cols.map((c, k) => matmul(c, unit(k, 1, cols.length))));
}

/** The Jacobian of vec(f) by vec(X): column k is vec of f's tangent along E_k. */
export function jacobian(f: (x: Val) => Arg): Derivative {
  return ((x: Arg): Val => {
    const X = val(x);
    const [r, c] = shapeOf(X);
    const cols = Array.from({ length: r * c }, (_, k) => vec(jvp(f, [X], [unit(k, r, c)])[1]));
    return columns(cols, cols.length ? shapeOf(cols[0]!)[0] : 0);
  }) as Derivative;
}

/** The gradient of a scalar f, shaped like X: df = tr(G' dX). */
export function grad(f: (x: Val) => Arg): Derivative {
  return ((x: Arg): Val => {
    const X = val(x);
    const scalarF = (y: Val): Val => {
      const v = val(f(y));
      if (!isScalar(v)) throw new Error(`grad: f must return a scalar (1 x 1), got ${shapeOf(v).join(' x ')}`);
      return v;
    };
    return unvec(transpose(jacobian(scalarF)(X)), shapeOf(X)[0]);
  }) as Derivative;
}

/** The Hessian of a scalar f by vec(X): the Jacobian of its gradient. */
export function hessian(f: (x: Val) => Arg): Derivative {
  return jacobian(grad(f));
}

/** The Hessian-vector product H vec(V), shaped like X: the derivative of the gradient along V. */
export function hvp(f: (x: Val) => Arg): { (x: Matrix, v: Matrix): Matrix; (x: Arg, v: Arg): Val } {
  return ((x: Arg, v: Arg): Val => jvp(grad(f), [x], [v])[1]) as { (x: Matrix, v: Matrix): Matrix; (x: Arg, v: Arg): Val };
}
