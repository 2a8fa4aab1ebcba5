/** A graph evaluated on numbers: one table keyed by operator, each shared node computed once.
 *  A value that is not finite, or a singular matrix where an inverse is needed, is an error
 *  at the node (and so the span of the expression) that produced it. */
import { dimSize, type Dim } from '../ir/dims.js';
import { fail } from '../ir/errors.js';
import { isScalar, originOf, topoOrder, type Node } from '../ir/node.js';
import { fnName, type OpName } from '../ir/ops.js';
import { SingularMatrixError } from './errors.js';
import { det, inv, logAbsDet, matPow } from './linalg.js';
import { Matrix } from './matrix.js';
import { diagFromVector, diagOfMatrix, hadamard, kron, map, matmul, scale, transpose, unvec, vec, add } from './ops.js';
import { logsumexp, norm2, softmax, sum, trace } from './reductions.js';

export interface Env {
  /** Values of the variables, by name. */
  readonly values: ReadonlyMap<string, Matrix>;
  /** Sizes of the dimension names. */
  readonly sizes: Readonly<Record<string, number>>;
}

type Rule = (n: Node, a: Matrix[], env: Env) => Matrix;

const size = (d: Dim, env: Env, n: Node): number => {
  const s = dimSize(d, env.sizes);
  if (s === undefined) {
    return fail('missing-value', `the size of dimension '${d}' is not known: no value fixes it (declare it as an integer, or give a value of that size)`, originOf(n));
  }
  return s;
};
const scalarOf = (m: Matrix): number => m.data[0]!;
const S = (x: number): Matrix => Matrix.scalar(x);
const ew = (f: (x: number) => number): Rule => (_n, [a]) => map(a!, f);
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Scalar factors (by their symbolic shape: a size that happens to be 1 is still a chain) scale the chain's product. */
function product(n: Node, args: Matrix[]): Matrix {
  let c = 1;
  let m: Matrix | null = null;
  args.forEach((a, i) => {
    if (isScalar(n.args[i]!)) c *= a.data[0]!;
    else m = m === null ? a : matmul(m, a);
  });
  const p = m as Matrix | null;
  return p === null ? S(c) : c === 1 ? p : scale(p, c);
}

export const EVAL = {
  Var: (n, _a, env) => {
    const v = env.values.get(n.attrs.name!);
    if (!v) return fail('missing-value', `no value for '${n.attrs.name}': give it in 'at'`, null, `at.${n.attrs.name}`);
    return v;
  },
  Const: (n) => S(n.attrs.value!),
  Identity: (n, _a, env) => Matrix.identity(size(n.shape[0], env, n)),
  Ones: (n, _a, env) => Matrix.ones(size(n.shape[0], env, n), size(n.shape[1], env, n)),
  Zeros: (n, _a, env) => Matrix.zeros(size(n.shape[0], env, n), size(n.shape[1], env, n)),
  Add: (_n, a) => a.reduce((x, y) => add(x, y)),
  Mul: product,
  Hadamard: (_n, a) => a.reduce((x, y) => hadamard(x, y)),
  Transpose: (_n, [a]) => transpose(a!),
  Pow: (_n, [b, e]) => S(Math.pow(scalarOf(b!), scalarOf(e!))),
  ElemPow: (_n, [b, e]) => { const p = scalarOf(e!); return map(b!, (x) => Math.pow(x, p)); },
  MatPow: (n, [a]) => matPow(a!, n.attrs.k!),
  Exp: ew(Math.exp), Log: ew(Math.log), Sin: ew(Math.sin), Cos: ew(Math.cos), Tan: ew(Math.tan), Tanh: ew(Math.tanh),
  Sqrt: ew(Math.sqrt), Abs: ew(Math.abs), Sign: ew((x) => (x > 0 ? 1 : x < 0 ? -1 : 0)), Sigmoid: ew(sigmoid),
  Inv: (_n, [a]) => inv(a!),
  Det: (_n, [a]) => S(det(a!)),
  LogDet: (_n, [a]) => S(logAbsDet(a!)),
  Trace: (_n, [a]) => S(trace(a!)),
  Sum: (_n, [a]) => S(sum(a!)),
  Norm2: (_n, [a]) => S(norm2(a!)),
  Diag: (_n, [a]) => diagFromVector(a!),
  DiagPart: (_n, [a]) => diagOfMatrix(a!),
  Vec: (_n, [a]) => vec(a!),
  Unvec: (n, [a], env) => unvec(a!, size(n.attrs.rows!, env, n)),
  Kron: (_n, [a, b]) => kron(a!, b!),
  LogSumExp: (_n, [a]) => S(logsumexp(a!)),
  Softmax: (_n, [a]) => softmax(a!),
  Delta: () => { throw new Error('internal: d(...) is not evaluated'); },
} satisfies Record<OpName, Rule>;

const WHAT_VALUE: Partial<Record<OpName, string>> = {
  Add: 'a sum', Mul: 'a product', Hadamard: 'an elementwise product', Pow: 'a power', ElemPow: 'an elementwise power', MatPow: 'a matrix power',
};
const WHAT: Partial<Record<OpName, string>> = { Inv: 'inv', LogDet: 'logdet', MatPow: 'a negative matrix power' };

/** The values of the roots; each node evaluated once. */
export function evaluate(roots: readonly Node[], env: Env): Matrix[] {
  const memo = new Map<number, Matrix>();
  evaluateInto(roots, env, memo);
  return roots.map((r) => memo.get(r.id)!);
}

/** Evaluate the roots into `memo`, taking the nodes already in it as known: a caller that evaluates
 *  one graph at many perturbations computes the part that does not move once. */
export function evaluateInto(roots: readonly Node[], env: Env, memo: Map<number, Matrix>): void {
  for (const n of topoOrder(roots)) {
    if (memo.has(n.id)) continue;
    const args = n.args.map((a) => memo.get(a.id)!);
    let v: Matrix;
    try {
      v = (EVAL[n.op] as Rule)(n, args, env);
    } catch (e) {
      if (e instanceof SingularMatrixError) {
        return fail('singular', `the matrix under ${WHAT[n.op] ?? n.op} is singular (reciprocal condition number ${e.rcond.toExponential(2)})`, originOf(n));
      }
      throw e;
    }
    for (let i = 0; i < v.data.length; i++) {
      if (!Number.isFinite(v.data[i]!)) {
        const what = fnName(n.op) ?? WHAT_VALUE[n.op] ?? 'a value';
        return fail('not-finite', `${what} is not finite here (${v.data[i]}): the point is outside its domain, or the number overflows`, originOf(n));
      }
    }
    memo.set(n.id, v);
  }
}

