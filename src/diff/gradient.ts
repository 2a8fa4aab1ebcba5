/** Reading the gradient off df = tr(G' dX): the linear map df is transposed at cotangent 1
 *  (symbolic reverse mode). Each node holding dX passes its cotangent C back to the part that
 *  holds dX, by the operator's adjoint, <C, L(M)> = <L*(C), M>; the cotangents reaching one
 *  node are summed before it passes them on, so each node is visited once. */
import * as B from '../ir/build.js';
import { fail } from '../ir/errors.js';
import { isScalar, originNear, topoOrder, type Node } from '../ir/node.js';
import type { OpName } from '../ir/ops.js';

/** The cotangents of the arguments of `n` that hold dX, given its own cotangent C. */
type Adjoint = (n: Node, C: Node, holds: (a: Node) => boolean) => (Node | null)[];

const noClosedForm = (what: string) => (n: Node): never =>
  fail('no-closed-form', `the gradient has no closed form in the language: dX appears inside ${what}`, originNear(n));
const notLinear = (n: Node): never => { throw new Error(`internal: ${n.op} holds dX but is not linear in it`); };
const each = (f: (n: Node, C: Node) => Node): Adjoint => (n, C) => [f(n, C)];

function productAdjoint(n: Node, C: Node, holds: (a: Node) => boolean): (Node | null)[] {
  const fs = n.args;
  return fs.map((f, i) => {
    if (!holds(f)) return null;
    const others = fs.filter((_, j) => j !== i);
    if (isScalar(f)) {
      // <C, f K> = f <C, K>: the scalar's cotangent is <C, K> = tr(C' K)
      const K = B.mulAll(others);
      return isScalar(C) ? B.mul(C, K) : B.trace(B.mul(B.transpose(C), K));
    }
    // <C, s L F R> = <s L' C R', F>
    const scal = others.filter(isScalar);
    const chain = fs.filter((g) => !isScalar(g));
    const k = chain.indexOf(f);
    const L = chain.slice(0, k).map(B.transpose).reverse();
    const R = chain.slice(k + 1).map(B.transpose).reverse();
    return B.mulAll([...scal, ...L, C, ...R]);
  });
}

export const ADJOINTS = {
  Var: () => [], Const: () => [], Identity: () => [], Ones: () => [], Zeros: () => [],
  Add: (n, C, holds) => n.args.map((a) => (holds(a) ? C : null)),
  Mul: productAdjoint,
  // <C, K .* M> = <K .* C, M>
  Hadamard: (n, C, holds) => n.args.map((a, i) => (holds(a) ? B.hadamard(C, ...n.args.filter((_, j) => j !== i)) : null)),
  Transpose: each((_n, C) => B.transpose(C)),
  Pow: notLinear, ElemPow: notLinear, MatPow: notLinear,
  Exp: notLinear, Log: notLinear, Sin: notLinear, Cos: notLinear, Tan: notLinear, Tanh: notLinear,
  Sqrt: notLinear, Abs: notLinear, Sign: notLinear, Sigmoid: notLinear,
  Inv: notLinear, Det: notLinear, LogDet: notLinear,
  // <c, tr(M)> = <c I, M>
  Trace: each((n, C) => B.mul(C, B.identity(n.args[0]!.shape[0]))),
  // <c, sum(M)> = <c ones, M>
  Sum: each((n, C) => B.mul(C, B.ones(n.args[0]!.shape))),
  Norm2: notLinear,
  Diag: each((_n, C) => B.diag(C)),
  DiagPart: each((_n, C) => B.diag(C)),
  Vec: each((n, C) => B.unvec(C, n.args[0]!.shape[0], n.args[0]!.shape[1])),
  Unvec: each((_n, C) => B.vec(C)),
  Kron: noClosedForm('kron'),
  LogSumExp: notLinear, Softmax: notLinear,
  Delta: notLinear,
} satisfies Record<OpName, Adjoint>;

/** G with df = tr(G' dX), for a scalar df linear in the leaf dX. */
export function gradientOf(df: Node | null, dX: Node): Node {
  if (df === null) return B.zeros(dX.shape);
  const name = dX.attrs.name!;
  const holds = (a: Node): boolean => a.vars.has(name);
  const order = topoOrder([df]).filter(holds).reverse();
  const cot = new Map<number, Node[]>([[df.id, [B.ONE_NODE]]]);
  for (const n of order) {
    const parts = cot.get(n.id);
    if (!parts || n === dX) continue;
    const C = B.addAll(parts);
    const out = (ADJOINTS[n.op] as Adjoint)(n, C, holds);
    out.forEach((g, i) => {
      if (!g) return;
      const a = n.args[i]!;
      const list = cot.get(a.id);
      if (list) list.push(g); else cot.set(a.id, [g]);
    });
  }
  const G = cot.get(dX.id);
  return G ? B.addAll(G) : B.zeros(dX.shape);
}
