/** Every operator of the graph, defined once: arity, the language's name for it, and its shape rule.
 *  Each transformation elsewhere is a table `satisfies Record<OpName, ...>`, so a new operator
 *  fails to compile until every table has its entry. */
import type { Dim } from './dims.js';

export const ELEMENTWISE = ['Exp', 'Log', 'Sin', 'Cos', 'Tan', 'Tanh', 'Sqrt', 'Abs', 'Sign', 'Sigmoid'] as const;
export type ElementwiseOp = (typeof ELEMENTWISE)[number];

export const OP_NAMES = [
  // leaves
  'Var', 'Const', 'Identity', 'Ones', 'Zeros',
  // arithmetic (Add, Mul, Hadamard are n-ary)
  'Add', 'Mul', 'Hadamard', 'Transpose', 'Pow', 'ElemPow', 'MatPow',
  ...ELEMENTWISE,
  // matrix functions
  'Inv', 'Det', 'LogDet', 'Trace', 'Sum', 'Norm2', 'Diag', 'DiagPart', 'Vec', 'Unvec', 'Kron',
  'LogSumExp', 'Softmax',
  // d(u), unexpanded: only in the recorded steps of a derivation
  'Delta',
] as const;
export type OpName = (typeof OP_NAMES)[number];

/** A shape over some representation of dimensions: resolved strings in the graph,
 *  union-find classes during inference. */
export type Sh<D> = readonly [D, D];

/** What a shape rule may ask of dimensions. `eq` unifies (inference) or checks (graph);
 *  the failures name the operator and the shapes, which the caller knows. */
export interface DimAlgebra<D> {
  readonly one: D;
  eq(a: D, b: D): void;
  mul(a: D, b: D): D;
  isOne(d: D): boolean;
  notSquare(): never;
  mismatch(): never;
}

export type ShapeRule = <D>(args: readonly Sh<D>[], alg: DimAlgebra<D>) => Sh<D>;

const same: ShapeRule = (args, alg) => {
  for (const a of args.slice(1)) { alg.eq(a[0], args[0]![0]); alg.eq(a[1], args[0]![1]); }
  return args[0]!;
};
const square = <D>(s: Sh<D>, alg: DimAlgebra<D>): D => { alg.eq(s[0], s[1]); return s[0]; };
const scalar: ShapeRule = (_args, alg) => [alg.one, alg.one];
const isScalar = <D>(s: Sh<D>, alg: DimAlgebra<D>): boolean => alg.isOne(s[0]) && alg.isOne(s[1]);
const column = <D>(s: Sh<D>, alg: DimAlgebra<D>): D => {
  if (!alg.isOne(s[1])) alg.mismatch();
  return s[0];
};
const leaf: ShapeRule = () => { throw new Error('a leaf has no shape rule: its shape is its own'); };

/** A matrix product in which 1 x 1 factors scale: the non-scalar factors form a chain. */
const product: ShapeRule = (args, alg) => {
  let out: Sh<(typeof args)[number][0]> | null = null;
  for (const a of args) {
    if (isScalar(a, alg)) continue;
    if (out) { alg.eq(out[1], a[0]); out = [out[0], a[1]]; } else out = a;
  }
  return out ?? [alg.one, alg.one];
};

export interface OpSpec {
  /** Number of arguments; 'n' for n-ary (at least 2 once built). */
  readonly arity: number | 'n';
  /** The language's function name, for operators written as calls. */
  readonly fn?: string;
  readonly shape: ShapeRule;
}

const elementwise = (fn: string): OpSpec => ({ arity: 1, fn, shape: (args) => args[0]! });

export const OPS = {
  Var: { arity: 0, shape: leaf },
  Const: { arity: 0, shape: leaf },
  Identity: { arity: 0, shape: leaf },
  Ones: { arity: 0, shape: leaf },
  Zeros: { arity: 0, shape: leaf },
  Add: { arity: 'n', shape: same },
  Mul: { arity: 'n', shape: product },
  Hadamard: { arity: 'n', shape: same },
  Transpose: { arity: 1, shape: (args) => [args[0]![1], args[0]![0]] },
  Pow: { arity: 2, shape: (args, alg) => { if (!isScalar(args[0]!, alg) || !isScalar(args[1]!, alg)) alg.mismatch(); return args[0]!; } },
  ElemPow: { arity: 2, shape: (args, alg) => { if (!isScalar(args[1]!, alg)) alg.mismatch(); return args[0]!; } },
  MatPow: { arity: 1, shape: (args, alg) => { const n = square(args[0]!, alg); return [n, n]; } },
  Exp: elementwise('exp'),
  Log: elementwise('log'),
  Sin: elementwise('sin'),
  Cos: elementwise('cos'),
  Tan: elementwise('tan'),
  Tanh: elementwise('tanh'),
  Sqrt: elementwise('sqrt'),
  Abs: elementwise('abs'),
  Sign: elementwise('sign'),
  Sigmoid: elementwise('sigmoid'),
  Inv: { arity: 1, fn: 'inv', shape: (args, alg) => { const n = square(args[0]!, alg); return [n, n]; } },
  Det: { arity: 1, fn: 'det', shape: (args, alg) => { square(args[0]!, alg); return [alg.one, alg.one]; } },
  LogDet: { arity: 1, fn: 'logdet', shape: (args, alg) => { square(args[0]!, alg); return [alg.one, alg.one]; } },
  Trace: { arity: 1, fn: 'tr', shape: (args, alg) => { square(args[0]!, alg); return [alg.one, alg.one]; } },
  Sum: { arity: 1, fn: 'sum', shape: scalar },
  Norm2: { arity: 1, fn: 'norm2', shape: scalar },
  Diag: { arity: 1, fn: 'diag', shape: (args, alg) => { const n = column(args[0]!, alg); return [n, n]; } },
  DiagPart: { arity: 1, fn: 'diag', shape: (args, alg) => [square(args[0]!, alg), alg.one] },
  Vec: { arity: 1, fn: 'vec', shape: (args, alg) => [alg.mul(args[0]![0], args[0]![1]), alg.one] },
  Unvec: { arity: 1, fn: 'unvec', shape: leaf },
  Kron: { arity: 2, fn: 'kron', shape: (args, alg) => [alg.mul(args[0]![0], args[1]![0]), alg.mul(args[0]![1], args[1]![1])] },
  LogSumExp: { arity: 1, fn: 'logsumexp', shape: (args, alg) => { column(args[0]!, alg); return [alg.one, alg.one]; } },
  Softmax: { arity: 1, fn: 'softmax', shape: (args, alg) => [column(args[0]!, alg), alg.one] },
  Delta: { arity: 1, shape: (args) => args[0]! },
} as const satisfies Record<OpName, OpSpec>;

/** Attributes of a node, by operator. */
export interface Attrs {
  /** Var: its name; symmetric: known S' = S. */
  name?: string;
  symmetric?: boolean;
  /** Const: its value (a scalar). */
  value?: number;
  /** MatPow: the integer exponent, >= 2. */
  k?: number;
  /** Unvec: the rows it makes (its columns are in the node's shape). */
  rows?: Dim;
}

export const isElementwise = (op: OpName): op is ElementwiseOp => (ELEMENTWISE as readonly string[]).includes(op);

/** The language's function name of an operator, if it is written as a call. */
export const fnName = (op: OpName): string | undefined => (OPS[op] as OpSpec).fn;
