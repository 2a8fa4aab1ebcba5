/** What the code printers share: expressions as text with a precedence, the scalar arithmetic
 *  both languages write alike, matrix chains with solves in place of inverses, and the
 *  interface a target language implements. */
import type { Dim, Shape } from '../ir/dims.js';
import type { Node } from '../ir/node.js';
import type { OpName } from '../ir/ops.js';

/** Binding strength, weakest first; the same ladder in TypeScript and Python. */
export const enum P { Add = 1, Mul = 2, Unary = 3, Pow = 4, Atom = 5 }

/** Code for one value. `value` marks a literal; `recip` marks `1 / base`, which a product
 *  writes as a division. The other fields are annotations a target may read or set:
 *  `shape` the value's symbolic shape (set by the emitter on every node's code), `elem` an
 *  entrywise computation a consumer may fuse into its own loop, `stmt` statements a value must
 *  be bound by (a reduction's loop), `tOf` the operand of an unformed transpose, `raw` an
 *  argument still in the caller's layout, `pair` the two operands of a product. */
export interface Expr {
  readonly text: string;
  readonly prec: P;
  readonly value?: number;
  readonly recip?: Expr;
  readonly shape?: Shape;
  readonly elem?: Elem;
  readonly stmt?: (name: string, index: string) => string[];
  readonly tOf?: Expr;
  readonly raw?: string;
  readonly pair?: readonly [Expr, Expr];
}

/** A matrix computed entry by entry: its size and number of entries, and the code of entry `i`
 *  (an index into its entries in the target's storage order) for an index variable named `i`;
 *  `loop`: bound to a name, it is computed by a loop of its own (else by its text). */
export interface Elem { readonly rows: Expr; readonly cols: Expr; readonly count: Expr; readonly loop: boolean; at(i: string): Expr }

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

/** A factor of a matrix chain: a value `e`, or the inverse of `inverseOf` (transposed if
 *  `transposed`), applied by a solve; `inverseOf` is the code of the inverted matrix, or of its
 *  factorisation where the target factors matrices (Target.factor). `rows` and `cols` are its
 *  size estimated for choosing the order of the products, `shape` its symbolic shape, and `key`
 *  names the value (a node's id, or the ids of a product's factors, comma-separated). */
export interface Factor {
  readonly e?: Expr;
  readonly inverseOf?: Expr;
  readonly transposed?: boolean;
  readonly rows: number;
  readonly cols: number;
  readonly shape: Shape;
  readonly key?: string;
}

/** The matrix operations a chain needs, in a target's words. */
export interface ChainOps {
  /** a * b (each with its shape) */
  matmul(a: Expr, b: Expr): Expr;
  /** inv(A) * b, or inv(A)' * b, for `F` the code of A (or of its factorisation) */
  solve(F: Expr, b: Expr, transposed: boolean): Expr;
  /** b * inv(A), or b * inv(A)' */
  rsolve(b: Expr, F: Expr, transposed: boolean): Expr;
  /** inv(A), or inv(A)' */
  inv(F: Expr, transposed: boolean): Expr;
}

/** What a chain may ask of its caller: a product of a run of factors already computed (by the
 *  run's keys), and a say over each product it forms on the way to the whole (the caller may
 *  bind it to a name, and answer that name). */
export interface ChainHooks {
  known?(key: string): Expr | undefined;
  made?(key: string, e: Expr): Expr;
}

const MAX_PLANNED = 24;

type Tree =
  | { readonly k: 'value'; readonly e: Expr }
  | { readonly k: 'inverse'; readonly a: Expr; readonly t: boolean }
  | { readonly k: 'mul'; readonly l: Tree; readonly r: Tree }
  | { readonly k: 'solve'; readonly a: Expr; readonly t: boolean; readonly b: Tree }
  | { readonly k: 'rsolve'; readonly b: Tree; readonly a: Expr; readonly t: boolean };
interface Planned { readonly cost: number; readonly tree: Tree; readonly rows: number; readonly cols: number; readonly shape: Shape; readonly key?: string }

/** Two planned products multiplied: an inverse on either side becomes a solve (an LU, n^3, then
 *  n^2 per column; a solve from the right, by transposes, counts a little more); two inverses
 *  meet by forming the right one. */
function join(L: Planned, R: Planned): Planned {
  const n3 = (n: number): number => n * n * n;
  const base = {
    cost: L.cost + R.cost, rows: L.rows, cols: R.cols, shape: [L.shape[0], R.shape[1]] as const,
    ...(L.key !== undefined && R.key !== undefined ? { key: `${L.key},${R.key}` } : {}),
  };
  if (L.tree.k === 'inverse' && R.tree.k === 'inverse') {
    const right: Tree = { k: 'inverse', a: R.tree.a, t: R.tree.t };
    return { ...base, cost: base.cost + 3 * n3(R.rows), tree: { k: 'solve', a: L.tree.a, t: L.tree.t, b: right } };
  }
  if (L.tree.k === 'inverse') return { ...base, cost: base.cost + n3(L.rows) + L.rows * L.rows * R.cols, tree: { k: 'solve', a: L.tree.a, t: L.tree.t, b: R.tree } };
  if (R.tree.k === 'inverse') return { ...base, cost: base.cost + n3(R.rows) + L.rows * R.rows * R.rows + 1, tree: { k: 'rsolve', b: L.tree, a: R.tree.a, t: R.tree.t } };
  return { ...base, cost: base.cost + L.rows * L.cols * R.cols, tree: { k: 'mul', l: L.tree, r: R.tree } };
}

/** The code of a planned product; each product on the way (not the whole) goes by `made`. */
function render(p: Planned, parts: Planned[][], ops: ChainOps, hooks: ChainHooks): Expr {
  const shapes = new Map<Tree, { shape: Shape; key?: string }>();
  const note = (q: Planned): void => { shapes.set(q.tree, { shape: q.shape, ...(q.key !== undefined ? { key: q.key } : {}) }); };
  for (const row of parts) for (const q of row) if (q) note(q);
  note(p);
  const go = (t: Tree, top: boolean): Expr => {
    const info = shapes.get(t);
    let e: Expr;
    switch (t.k) {
      case 'value': return t.e;
      case 'inverse': e = ops.inv(t.a, t.t); break;
      case 'mul': e = ops.matmul(go(t.l, false), go(t.r, false)); break;
      case 'solve': e = ops.solve(t.a, go(t.b, false), t.t); break;
      case 'rsolve': e = ops.rsolve(go(t.b, false), t.a, t.t); break;
    }
    if (info && !e.shape) e = { ...e, shape: info.shape };
    return !top && info?.key !== undefined && hooks.made ? hooks.made(info.key, e) : e;
  };
  return go(p.tree, true);
}

/** The product of a chain, in the cheapest order by the estimated sizes (the classic
 *  matrix-chain recurrence; ties go left to right), each inverse applied by a solve to its
 *  neighbours: `inv(A)*B` is `solve(A, B)`, `B*inv(A)` is `rsolve(B, A)`. A run of factors
 *  whose product is already computed (`hooks.known`, by the run's keys) costs nothing. */
export function chainOf(factors: readonly Factor[], ops: ChainOps, hooks: ChainHooks = {}): Expr {
  const k = factors.length;
  const best: Planned[][] = factors.map(() => {
    const row: Planned[] = [];
    row.length = k;
    return row;
  });
  factors.forEach((f, i) => {
    best[i]![i] = {
      cost: 0, rows: f.rows, cols: f.cols, shape: f.shape, ...(f.key !== undefined ? { key: f.key } : {}),
      tree: f.inverseOf ? { k: 'inverse', a: f.inverseOf, t: f.transposed === true } : { k: 'value', e: f.e! },
    };
  });
  // the recurrence is cubic in the length: a long chain goes left to right
  if (k > MAX_PLANNED) {
    const steps: Planned[] = [];
    const whole = factors.slice(1).reduce((acc, _f, i) => { steps.push(acc); return join(acc, best[i + 1]![i + 1]!); }, best[0]![0]!);
    return render(whole, [steps], ops, hooks);
  }
  for (let len = 2; len <= k; len++) {
    for (let i = 0; i + len <= k; i++) {
      const j = i + len - 1;
      const run = factors.slice(i, j + 1);
      const key = run.every((f) => f.key !== undefined) ? run.map((f) => f.key).join(',') : undefined;
      const done = key !== undefined ? hooks.known?.(key) : undefined;
      if (done) {
        best[i]![j] = { cost: 0, rows: run[0]!.rows, cols: run[len - 1]!.cols, shape: [run[0]!.shape[0], run[len - 1]!.shape[1]], tree: { k: 'value', e: done } };
        continue;
      }
      let pick: Planned | null = null;
      for (let s = j - 1; s >= i; s--) {
        const p = join(best[i]![s]!, best[s + 1]![j]!);
        if (!pick || p.cost < pick.cost) pick = p;
      }
      best[i]![j] = pick!;
    }
  }
  return render(best[0]![k - 1]!, best, ops, hooks);
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
  /** Var: the argument's name as the function receives it. */
  readonly raw: string;
  /** Mul: its scalar factors, and the product of the rest (null if none), solves applied. */
  readonly scalars: readonly Expr[];
  readonly chain: Expr | null;
  /** The code bound to a new name at the node's loop level; answers the name. */
  bind(e: Expr): Expr;
  /** Argument i's factorisation (Target.factor), computed once however often it is used; without
   *  Target.factor, the argument as a matrix. */
  factor(i: number): Expr;
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
/** The numbers of a differential or of a Hessian by a matrix from its columns (vec(value) is
 *  column k; `symmetrize`: vec of the symmetric part), or of a Hessian by a matrix entry by
 *  entry (`inner`: the value is entry (i, j)). */
export interface Loop {
  readonly out: string;
  readonly rows: Expr;
  readonly cols: Expr;
  readonly outer: LoopLevel;
  readonly inner: LoopLevel | null;
  readonly value: Expr;
  readonly valueScalar: boolean;
  readonly symmetrize: boolean;
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
  /** A free name for the index of the loops a target writes itself (fused entrywise loops). */
  readonly index: string;
  /** A new name for a value the target binds itself. */
  fresh(): string;
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
  /** Whether `consumer`'s code reads its argument `arg` entry by entry: an argument computed
   *  entrywise (Expr.elem) is then fused into the consumer's loop, and any other computed
   *  argument is bound to a name first. Without it, nothing is fused. */
  entrywise?(consumer: Node, arg: Node): boolean;
  /** The factorisation of a square matrix, for its inverses, solves and determinants to share
   *  (the code then hands it to `solve`, `rsolve`, `inv` and the Det, LogDet and Inv rules). */
  factor?(m: Expr): Expr;
  /** Bind each vector a chain computes on the way to its product, and reuse it, transposed too. */
  readonly shareVectorProducts?: boolean;
  readonly words: Words;
  print(plan: Plan): string;
}
