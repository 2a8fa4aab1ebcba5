/** What the code printers share: expressions as text with a precedence, the scalar arithmetic
 *  both languages write alike, matrix chains with solves in place of inverses, and the
 *  interface a target language implements. */
import type { Dim } from '../ir/dims.js';
import type { Node } from '../ir/node.js';
import type { OpName } from '../ir/ops.js';

/** Binding strength, weakest first; the same ladder in TypeScript and Python. */
export const enum P { Add = 1, Mul = 2, Unary = 3, Pow = 4, Atom = 5 }

/** Code for one value. `value` marks a literal; `recip` marks `1 / base`, which a product
 *  writes as a division. */
export interface Expr {
  readonly text: string;
  readonly prec: P;
  readonly value?: number;
  readonly recip?: Expr;
}

export const atom = (text: string): Expr => ({ text, prec: P.Atom });
export const wrap = (e: Expr, min: P): string => (e.prec < min ? `(${e.text})` : e.text);
export const call = (fn: string, ...args: (Expr | string)[]): Expr =>
  atom(`${fn}(${args.map((a) => (typeof a === 'string' ? a : a.text)).join(', ')})`);

export function literal(v: number): Expr {
  const text = String(v);
  return { text, prec: v < 0 ? P.Unary : P.Atom, value: v };
}

/** a + b + ..., with `+ -x` written `- x`. */
export function sumOf(terms: readonly Expr[]): Expr {
  let text = wrap(terms[0]!, P.Add);
  for (const t of terms.slice(1)) {
    const s = wrap(t, P.Mul);
    text += s.startsWith('-') && t.prec > P.Add ? ` - ${s.slice(1)}` : ` + ${s}`;
  }
  return { text, prec: P.Add };
}

/** -e. `unaryMin` is the weakest operand unary minus takes bare: JavaScript refuses `-x ** 2`. */
export const negate = (e: Expr, unaryMin: P): Expr => ({ text: `-${wrap(e, Math.max(unaryMin, P.Unary + 1))}`, prec: P.Unary });

/** The product of scalar factors (and, in Python, a matrix last): literals folded into one
 *  coefficient, `1 / b` factors written as divisions. */
export function productOf(factors: readonly Expr[], unaryMin: P): Expr {
  let coef = 1;
  const num: Expr[] = [];
  const den: Expr[] = [];
  for (const f of factors) {
    if (f.value !== undefined) coef *= f.value;
    else if (f.recip) den.push(f.recip);
    else num.push(f);
  }
  const mag = Math.abs(coef);
  if (mag !== 1 || num.length === 0) num.unshift(literal(mag));
  if (coef < 0) num[0] = negate(num[0]!, unaryMin);
  if (num.length === 1 && den.length === 0) return num[0]!;
  let text = num.map((f, i) => wrap(f, i === 0 ? P.Mul : P.Mul + 1)).join(' * ');
  for (const d of den) text += ` / ${wrap(d, P.Mul + 1)}`;
  return { text, prec: P.Mul };
}

export const power = (base: Expr, exp: Expr): Expr =>
  exp.value === -1
    ? { text: `1 / ${wrap(base, P.Mul + 1)}`, prec: P.Mul, recip: base }
    : { text: `${wrap(base, P.Atom)} ** ${wrap(exp, P.Unary)}`, prec: P.Pow };

/** A factor of a matrix chain: a value `e`, or the inverse of `inverseOf` (applied by a solve),
 *  with its size estimated for choosing the order of the products, and a key naming the value
 *  (a node's id, or the ids of a product's factors, comma-separated). */
export interface Factor { readonly e?: Expr; readonly inverseOf?: Expr; readonly rows: number; readonly cols: number; readonly key?: string }

/** The matrix operations a chain needs, in a target's words. */
export interface ChainOps {
  matmul(factors: readonly Expr[]): Expr;
  /** inv(a) * b */
  solve(a: Expr, b: Expr): Expr;
  /** b * inv(a) */
  rsolve(b: Expr, a: Expr): Expr;
  inv(a: Expr): Expr;
}

const MAX_PLANNED = 24;

type Tree =
  | { readonly k: 'value'; readonly e: Expr }
  | { readonly k: 'inverse'; readonly a: Expr }
  | { readonly k: 'mul'; readonly parts: readonly Tree[] }
  | { readonly k: 'solve'; readonly a: Expr; readonly b: Tree }
  | { readonly k: 'rsolve'; readonly b: Tree; readonly a: Expr };
interface Planned { readonly cost: number; readonly tree: Tree; readonly rows: number; readonly cols: number }

/** Two planned products multiplied: an inverse on either side becomes a solve (an LU, n^3, then
 *  n^2 per column; a solve from the right, by transposes, counts a little more); two inverses
 *  meet by forming the right one. */
function join(L: Planned, R: Planned, ops: ChainOps): Planned {
  const n3 = (n: number): number => n * n * n;
  const base = { cost: L.cost + R.cost, rows: L.rows, cols: R.cols };
  if (L.tree.k === 'inverse' && R.tree.k === 'inverse') {
    const right: Tree = { k: 'value', e: ops.inv(R.tree.a) };
    return { ...base, cost: base.cost + 3 * n3(R.rows), tree: { k: 'solve', a: L.tree.a, b: right } };
  }
  if (L.tree.k === 'inverse') return { ...base, cost: base.cost + n3(L.rows) + L.rows * L.rows * R.cols, tree: { k: 'solve', a: L.tree.a, b: R.tree } };
  if (R.tree.k === 'inverse') return { ...base, cost: base.cost + n3(R.rows) + L.rows * R.rows * R.rows + 1, tree: { k: 'rsolve', b: L.tree, a: R.tree.a } };
  const parts = L.tree.k === 'mul' ? [...L.tree.parts, R.tree] : [L.tree, R.tree];
  return { ...base, cost: base.cost + L.rows * L.cols * R.cols, tree: { k: 'mul', parts } };
}

function render(t: Tree, ops: ChainOps): Expr {
  switch (t.k) {
    case 'value': return t.e;
    case 'inverse': return ops.inv(t.a);
    case 'mul': return ops.matmul(t.parts.map((p) => render(p, ops)));
    case 'solve': return ops.solve(t.a, render(t.b, ops));
    case 'rsolve': return ops.rsolve(render(t.b, ops), t.a);
  }
}

/** The product of a chain, in the cheapest order by the estimated sizes (the classic
 *  matrix-chain recurrence; ties go left to right), each inverse applied by a solve to its
 *  neighbours: `inv(A)*B` is `solve(A, B)`, `B*inv(A)` is `rsolve(B, A)`. A run of factors
 *  whose product is already computed (`known`, by the run's keys) costs nothing. */
export function chainOf(factors: readonly Factor[], ops: ChainOps, known: (key: string) => Expr | undefined = () => undefined): Expr {
  const k = factors.length;
  const best: Planned[][] = factors.map(() => {
    const row: Planned[] = [];
    row.length = k;
    return row;
  });
  factors.forEach((f, i) => {
    best[i]![i] = { cost: 0, rows: f.rows, cols: f.cols, tree: f.inverseOf ? { k: 'inverse', a: f.inverseOf } : { k: 'value', e: f.e! } };
  });
  // the recurrence is cubic in the length: a long chain goes left to right
  if (k > MAX_PLANNED) return render(factors.slice(1).reduce((acc, _f, i) => join(acc, best[i + 1]![i + 1]!, ops), best[0]![0]!).tree, ops);
  for (let len = 2; len <= k; len++) {
    for (let i = 0; i + len <= k; i++) {
      const j = i + len - 1;
      const run = factors.slice(i, j + 1);
      const done = run.every((f) => f.key !== undefined) ? known(run.map((f) => f.key).join(',')) : undefined;
      if (done) {
        best[i]![j] = { cost: 0, rows: run[0]!.rows, cols: run[len - 1]!.cols, tree: { k: 'value', e: done } };
        continue;
      }
      let pick: Planned | null = null;
      for (let s = j - 1; s >= i; s--) {
        const p = join(best[i]![s]!, best[s + 1]![j]!, ops);
        if (!pick || p.cost < pick.cost) pick = p;
      }
      best[i]![j] = pick!;
    }
  }
  return render(best[0]![k - 1]!.tree, ops);
}

/** What a rule sees of the node it prints. */
export interface RuleCtx {
  readonly node: Node;
  /** Each argument's code: a number for a (symbolically) 1 x 1 argument, else a matrix. */
  readonly args: readonly Expr[];
  /** Argument i as a matrix, even where it is 1 x 1. */
  mat(i: number): Expr;
  /** A dimension's size, from the argument shapes. */
  dim(d: Dim): Expr;
  /** Var: the name it is bound to. */
  readonly name: string;
  /** Mul: its scalar factors, and the product of the rest (null if none), solves applied. */
  readonly scalars: readonly Expr[];
  readonly chain: Expr | null;
}
export type Rule = (c: RuleCtx) => Expr;
export type Rules = Record<OpName, Rule>;

export type Layout = 'scalar' | 'vector' | 'matrix';

/** A function argument: its name in the language and in the code, and the name of its value
 *  as the code computes with it (a vector becomes an n x 1 matrix). */
export interface Param { readonly user: string; readonly name: string; readonly internal: string; readonly layout: Layout }
/** `name` is the size of axis `axis` of `param`, divided by `divisor` (known factors of a product dimension). */
export interface SizeBinding { readonly name: string; readonly param: Param; readonly axis: 0 | 1; readonly divisor: Expr | null }
export interface Stmt { readonly name: string; readonly expr: Expr }
/** A perturbation leaf bound to the k-th unit direction of the variable's shape. */
export interface Direction { readonly name: string; readonly rows: Expr; readonly cols: Expr; readonly symmetric: boolean; readonly scalar: boolean }
export interface LoopLevel { readonly index: string; readonly count: Expr; readonly dir: Direction | null; readonly body: readonly Stmt[] }
/** The numbers of a differential (a column per direction) or a Hessian by a matrix (an entry per pair). */
export interface Loop {
  readonly out: string;
  readonly rows: Expr;
  readonly cols: Expr;
  readonly outer: LoopLevel;
  readonly inner: LoopLevel | null;
  readonly value: Expr;
  readonly valueScalar: boolean;
  /** The value is 0 in every direction: the zeros the loop fills are the answer. */
  readonly zero: boolean;
}
export interface Result { readonly expr: Expr; readonly layout: Layout }
export interface Plan {
  readonly header: readonly string[];
  readonly params: readonly Param[];
  readonly sizes: readonly SizeBinding[];
  readonly top: readonly Stmt[];
  readonly loop: Loop | null;
  readonly results: readonly Result[];
}

/** The words a header uses for a target's values. */
export interface Words {
  readonly depends: string;
  tuple(names: readonly string[]): string;
  readonly layout: Readonly<Record<Layout, string>>;
  readonly conventions: string;
}

export interface Target extends ChainOps {
  /** Names the module takes for itself: keywords, globals, helpers. */
  readonly reserved: readonly string[];
  readonly unaryMin: P;
  readonly rules: Rules;
  /** Whether an argument of this layout is computed with under a name of its own (TS: a vector as a column). */
  separateInternal(l: Layout): boolean;
  /** A 1 x 1 matrix's entry, and a number as a 1 x 1 matrix. */
  toScalar(m: Expr): Expr;
  toMatrix(s: Expr): Expr;
  transpose(a: Expr): Expr;
  readonly words: Words;
  print(plan: Plan): string;
}
