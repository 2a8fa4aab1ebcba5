/** A derivative as a self-contained module in TypeScript, JavaScript or NumPy: one function,
 *  `derivative`, taking the variables in declaration order and returning the value with the
 *  derivative's numbers exactly as LANGUAGE.md defines them.
 *
 *  The graph is hash-consed, so a subexpression used twice is one node: the printer binds it
 *  once. Products are multiplied in the cheapest order, inverses inside them become solves, and
 *  a sum times a vector is multiplied out. For a differential, or a Hessian by a matrix, the
 *  function loops over the unit directions as `derivativeNumbers` does, with every node computed
 *  at the outermost loop level its perturbations allow: a Hessian by a matrix a column per
 *  direction where the gradient of d2f by dX2 has a closed form (`hessianColumns`), else an
 *  entry per pair of directions. */
import { factorsOf, isScalarShape, mulDims, type Dim, type Shape } from '../ir/dims.js';
import { fail } from '../ir/errors.js';
import { isScalar, topoOrder, type Node } from '../ir/node.js';
import * as B from '../ir/build.js';
import {
  atom, chainOf, literal, P, productOf,
  type ChainHooks, type Direction, type Expr, type Factor, type Layout, type Loop, type Param, type RuleCtx, type SizeBinding, type Stmt, type Target,
} from './code-expr.js';
import { NUMPY } from './code-numpy.js';
import { javascript, typescript } from './code-ts.js';
import { toText } from './text.js';

export type CodeTarget = 'ts' | 'js' | 'numpy';

/** What the printer needs of a derivation (api/derive.ts's Derivation has it all). */
export interface CodeDerivation {
  readonly program: { readonly root: Node; readonly vars: ReadonlyMap<string, Node> };
  readonly kind: 'gradient' | 'jacobian' | 'differential' | 'hessian';
  readonly wrt: string;
  readonly order: 1 | 2;
  readonly x: Node;
  readonly symmetric: boolean;
  readonly derivative: Node;
  readonly perturbations: readonly Node[];
  /** For a Hessian by a vector: the gradient it is the Jacobian of. */
  readonly gradient?: Node;
  /** For a Hessian by a matrix: the gradient of d2f by dX2, a function of dX1 alone (null where it has
   *  no closed form): at dX1 = E_j it is column j of the Hessian by vec(X), symmetrised for a symmetric X. */
  readonly hessianColumns?: Node | null;
}

const TARGETS: Record<CodeTarget, () => Target> = { ts: typescript, js: javascript, numpy: () => NUMPY };

/**
 * The module for a derivation: `[first]` answers (value, derivative); `[first, second]`, the
 * first- and second-order derivations of one function by one variable, answers
 * (value, gradient, Hessian). A single derivation is `[d]`; a Hessian alone will do where it
 * carries its gradient (by a vector).
 */
export function emitCode(d: CodeDerivation | readonly CodeDerivation[], target: CodeTarget): string {
  const ds = 'kind' in d ? [d as CodeDerivation] : [...(d as readonly CodeDerivation[])];
  const g = ds.length === 1 ? ds[0]!.gradient : undefined;
  if (g) ds.unshift({ ...ds[0]!, kind: 'gradient', order: 1, derivative: g, perturbations: [] });
  const first = ds[0];
  if (!first) throw new Error('emitCode: no derivation');
  if (ds.some((x) => x.program.root !== first.program.root || x.x !== first.x)) {
    throw new Error('emitCode: the derivations must be of one function by one variable');
  }
  if (ds.map((x) => x.order).join() !== (ds.length === 1 ? '1' : '1,2')) {
    throw new Error('emitCode: pass the first-order derivation, or the first- and second-order ones (the Hessian\'s module returns the gradient too)');
  }
  return new Emitter(ds, TARGETS[target]()).module();
}

/** Names in the generated code: the user's where free, else with `_` appended. */
class Namer {
  private readonly taken: Set<string>;
  private count = 0;
  constructor(reserved: readonly string[]) { this.taken = new Set(reserved); }
  claim(want: string): string {
    let n = want;
    while (this.taken.has(n)) n += '_';
    this.taken.add(n);
    return n;
  }
  temp(): string {
    let n: string;
    do n = `t${++this.count}`; while (this.taken.has(n));
    this.taken.add(n);
    return n;
  }
}

const layoutOf = (s: Shape): Layout => (isScalarShape(s) ? 'scalar' : s[1] === '1' ? 'vector' : 'matrix');
const shapeWords = ({ shape: [r, c], attrs }: Node): string =>
  (isScalarShape([r, c]) ? 'scalar' : c === '1' ? `vector of ${r}` : `${attrs.symmetric ? 'symmetric ' : ''}${r} x ${c} matrix`);
const solvable = (n: Node): boolean => n.op === 'Inv' || (n.op === 'Transpose' && n.args[0]!.op === 'Inv');
/** The matrix a solvable factor inverts, and whether transposed. */
const inverted = (n: Node): [Node, boolean] => (n.op === 'Inv' ? [n.args[0]!, false] : [n.args[0]!.args[0]!, true]);
const MAX_INLINE = 72;
const isZero = (n: Node): boolean => n.op === 'Zeros' || (n.op === 'Const' && n.attrs.value === 0);
const isName = (e: Expr): boolean => e.prec === P.Atom && /^[A-Za-z_]\w*$/.test(e.text);
/** A dimension's size as a guess for ordering products: each name counts 100. */
const sizeGuess = (d: Dim): number => { const { coef, names } = factorsOf(d); return coef * 100 ** names.length; };
/** The name of a derivative's value in the code: of the whole, or (looped) of one direction's. */
const rootWord = (j: Job): string =>
  (j.mode === 'value' ? ({ gradient: 'grad', jacobian: 'jac', differential: 'jac', hessian: 'hess' } as const)[j.d.kind]
    : j.d.kind === 'differential' ? 'df' : j.mode === 'columns' ? 'Hj' : 'd2f');
/** The name of a derivative's numbers in the header. */
const outWord = (d: CodeDerivation): string => (d.kind === 'gradient' ? 'grad' : d.kind === 'hessian' ? 'hess' : 'jac');
const MAX_HEADER_TEXT = 300;

/** What the module computes for one derivation: its value at the top (`value`), vec of its value
 *  in each unit direction as a column (`columns`: a differential, or a Hessian by a matrix from
 *  the gradient of d2f by dX2), or d2f at each pair of directions (`entries`). */
interface Job {
  readonly d: CodeDerivation;
  readonly root: Node;
  readonly perturbations: readonly Node[];
  readonly mode: 'value' | 'columns' | 'entries';
}

function jobOf(d: CodeDerivation): Job {
  if (d.perturbations.length === 0) return { d, root: d.derivative, perturbations: [], mode: 'value' };
  if (d.kind === 'hessian' && d.hessianColumns) return { d, root: d.hessianColumns, perturbations: [d.perturbations[0]!], mode: 'columns' };
  return { d, root: d.derivative, perturbations: d.perturbations, mode: d.perturbations.length === 2 ? 'entries' : 'columns' };
}

class Emitter {
  private readonly names: Namer;
  private readonly f: Node;
  private readonly x: Node;
  private readonly jobs: readonly Job[];
  private readonly params: Param[] = [];
  private readonly varCode = new Map<string, string>();
  private readonly rawCode = new Map<string, string>();
  private readonly dimCode = new Map<string, string>();
  private readonly usedDims = new Set<string>();
  /** Loop level: 0 outside the loops, 1 the outer direction, 2 the inner one. */
  private readonly level = new Map<number, number>();
  private readonly uses = new Map<number, number>();
  private readonly consumerLevel = new Map<number, number>();
  private readonly consumers = new Map<number, Node[]>();
  private readonly live = new Set<number>();
  private readonly solved = new Set<number>();
  /** Sums multiplied out in the one product they are a factor of: (A + B)*x as A*x + B*x. */
  private readonly distributed = new Set<number>();
  /** How often each matrix is factorised (inverted, solved with, or its determinant taken). */
  private readonly factorUses = new Map<number, number>();
  private readonly factors = new Map<number, Expr>();
  private readonly code = new Map<number, Expr>();
  private readonly blocks: Stmt[][] = [[], [], []];
  private readonly rootName = new Map<number, string>();
  /** Products of matrices already bound to a name, by their factors' ids: a chain reuses them. */
  private readonly products = new Map<string, Expr>();
  private readonly byId = new Map<number, Node>();

  constructor(private readonly ds: readonly CodeDerivation[], private readonly t: Target) {
    this.f = ds[0]!.program.root;
    this.x = ds[0]!.x;
    this.jobs = ds.map(jobOf);
    const vars = [...ds[0]!.program.vars.values()];
    const perts = this.jobs.flatMap((j) => j.perturbations);
    const users = [...vars, ...perts].map((v) => v.attrs.name!);
    const dims = new Set(vars.flatMap((v) => v.shape.flatMap((d) => factorsOf(d).names)));
    this.names = new Namer([...t.reserved, ...users.filter((u) => !t.reserved.includes(u)), ...dims]);
    // the user's names first, where the target leaves them free
    for (const u of users) this.varCode.set(u, t.reserved.includes(u) ? this.names.claim(`${u}_`) : u);
    for (const d of dims) this.dimCode.set(d, t.reserved.includes(d) ? this.names.claim(`${d}_`) : d);
    for (const v of vars) {
      const layout = layoutOf(v.shape);
      const name = this.varCode.get(v.attrs.name!)!;
      const internal = t.separateInternal(layout) ? this.names.claim(`${name}c`) : name;
      this.params.push({ user: v.attrs.name!, name, internal, layout });
      this.varCode.set(v.attrs.name!, internal);
      this.rawCode.set(v.attrs.name!, name);
    }
    perts.forEach((p, i) => this.level.set(p.id, perts.length === 2 ? i + 1 : 1));
  }

  module(): string {
    const looped = this.jobs.find((j) => j.mode !== 'value');
    // a loop whose value is 0 in every direction is not written: its zeros are the answer
    const roots: [Node, string][] = [[this.f, 'f'], ...this.jobs.filter((j) => !(j.mode !== 'value' && isZero(j.root))).map((j): [Node, string] => [j.root, rootWord(j)])];
    for (const [n, name] of roots) if (!this.rootName.has(n.id) && n.op !== 'Var' && n.op !== 'Const') this.rootName.set(n.id, this.names.claim(name));
    const order = topoOrder(roots.map(([n]) => n));
    for (const n of order) this.byId.set(n.id, n);
    this.analyse(order, roots.map(([n]) => n));
    for (const n of order) if (this.live.has(n.id) && !this.solved.has(n.id) && !this.distributed.has(n.id)) this.emit(n);

    const results = [{ expr: this.code.get(this.f.id)!, layout: layoutOf(this.f.shape) }];
    for (const j of this.jobs) if (j.mode === 'value') results.push({ expr: this.code.get(j.root.id)!, layout: layoutOf(j.root.shape) });
    let loop: Loop | null = null;
    if (looped) {
      loop = this.loop(looped);
      results.push({ expr: atom(loop.out), layout: layoutOf(this.loopShape(looped.d)) });
    }
    return this.t.print({
      header: this.header(results.map((r) => r.layout)), params: this.params, sizes: this.sizes(), top: this.blocks[0]!, loop, results,
      index: this.names.claim(loop?.inner ? 'p' : 'i'),
      fresh: () => this.names.temp(),
    });
  }

  // ------------------------------------------------------------ analysis
  private lv = (n: Node): number => this.level.get(n.id) ?? 0;

  private addUse(n: Node, consumer: Node, k = 1): void {
    this.uses.set(n.id, (this.uses.get(n.id) ?? 0) + k);
    this.consumerLevel.set(n.id, this.lv(consumer));
    const cs = this.consumers.get(n.id);
    if (cs) cs.push(consumer); else this.consumers.set(n.id, [consumer]);
    this.live.add(n.id);
  }

  private countFactor(m: Node, k = 1): void { this.factorUses.set(m.id, (this.factorUses.get(m.id) ?? 0) + k); }

  /** Whether the sum `a`, a factor of the product `n`, is better multiplied out: (A + B)*x as
   *  A*x + B*x. By the cost in multiply-adds: forming the sum of k r x c terms takes (k - 1)rc, then
   *  the product rcw; multiplied out, krcw. So a sum times a vector (w = 1) is multiplied out (the
   *  same count, no r x c temporary, and a transposed term read in place), a sum times a matrix
   *  is formed. Only a sum at one end of a product of two. */
  private distributes(n: Node, a: Node): boolean {
    if (a.op !== 'Add' || isScalar(n) || a.shape[0] === '1' || a.shape[1] === '1' || this.lv(a) !== this.lv(n)) return false;
    if (a.args.some((t) => t.op === 'Mul' && t.args.some(isScalar))) return false;
    const fs = n.args.filter((f) => !isScalar(f));
    if (fs.length !== 2 || fs[0] === fs[1]) return false;
    const other = fs[0] === a ? fs[1]! : fs[0]!;
    if (this.solved.has(other.id) || solvable(other)) return false;
    const k = a.args.length, rc = sizeGuess(a.shape[0]) * sizeGuess(a.shape[1]);
    const w = sizeGuess(fs[0] === a ? other.shape[1] : other.shape[0]);
    return k * rc * w <= (k - 1) * rc + rc * w;
  }

  /** Levels bottom-up; then, parents first, what each node is used for: an inverse used only as
   *  a factor of products at its own level is never formed (the products solve with its matrix),
   *  and a sum used only as a factor of one product may be multiplied out (`distributes`). */
  private analyse(order: readonly Node[], roots: readonly Node[]): void {
    for (const n of order) if (!this.level.has(n.id)) this.level.set(n.id, Math.max(0, ...n.args.map(this.lv)));
    const solveUses = new Map<number, Node[]>();
    const distUses = new Map<number, Node[]>();
    const push = (m: Map<number, Node[]>, a: Node, n: Node): void => { const l = m.get(a.id); if (l) l.push(n); else m.set(a.id, [n]); };
    for (const r of roots) this.live.add(r.id);
    for (let i = order.length - 1; i >= 0; i--) {
      const n = order[i]!;
      const s = solveUses.get(n.id) ?? [];
      const dist = distUses.get(n.id) ?? [];
      const live = this.live.has(n.id);
      if (!live && s.length === 0 && dist.length === 0) continue;
      if (s.length > 0 && !live) {
        this.solved.add(n.id);
        const [A] = inverted(n);
        for (const m of s) this.addUse(A, m);
        this.countFactor(A, s.length);
        continue;
      }
      if (dist.length === 1 && !live) {
        // its terms are factors of the product now: an inverse among them is solved with
        const m = dist[0]!;
        this.distributed.add(n.id);
        for (const term of n.args) {
          if (solvable(term) && this.lv(term) === this.lv(m)) push(solveUses, term, m);
          else this.addUse(term, m);
        }
        continue;
      }
      for (const m of [...s, ...dist]) this.addUse(n, m);
      if (n.op === 'LogDet' || n.op === 'Det' || n.op === 'Inv') this.countFactor(n.args[0]!);
      for (const a of n.args) {
        if (n.op === 'Mul' && !isScalar(a) && solvable(a) && this.lv(a) === this.lv(n)) push(solveUses, a, n);
        else if (n.op === 'Mul' && this.distributes(n, a)) push(distUses, a, n);
        else this.addUse(a, n);
      }
    }
  }

  // ------------------------------------------------------------ emission
  private set(n: Node, e: Expr): Expr {
    const withShape = { ...e, shape: n.shape };
    this.code.set(n.id, withShape);
    return withShape;
  }

  /** A new name bound to `e` at loop level `L`. */
  private bindAt(L: number, e: Expr): Expr {
    const name = this.names.temp();
    this.blocks[L]!.push({ name, expr: e });
    return { ...atom(name), ...(e.shape ? { shape: e.shape } : {}) };
  }

  private emit(n: Node): void {
    // a solved inverse has no code: only the product it is a factor of reads it, as a solve
    const args = n.args.map((a) => this.code.get(a.id) ?? atom('?'));
    const isMul = n.op === 'Mul';
    const L = this.lv(n);
    const ctx: RuleCtx = {
      node: n,
      args,
      mat: (i) => (isScalar(n.args[i]!) ? this.t.toMatrix(args[i]!) : args[i]!),
      dim: (d) => this.dim(d),
      name: n.op === 'Var' ? this.varCode.get(n.attrs.name!)! : '',
      raw: n.op === 'Var' ? this.rawCode.get(n.attrs.name!) ?? '' : '',
      scalars: isMul ? n.args.filter(isScalar).map((a) => this.code.get(a.id)!) : [],
      chain: isMul ? this.chain(n) : null,
      bind: (e) => this.bindAt(L, e),
      factor: (i) => this.factorOf(n.args[i]!, L),
    };
    const expr = this.t.rules[n.op](ctx);
    if (n.op === 'Var' || n.op === 'Const') { this.set(n, expr); return; }
    const name = this.rootName.get(n.id);
    if (!(name !== undefined || this.binds(n, expr))) { this.set(n, expr); return; }
    const bound = name ?? this.names.temp();
    this.blocks[L]!.push({ name: bound, expr: { ...expr, shape: n.shape } });
    const a = this.set(n, atom(bound));
    if (isMul && n.args.every((x) => !isScalar(x) && !this.distributed.has(x.id))) this.register(n.args.map((x) => x.id).join(','), a);
  }

  /** Whether a node's code is bound to a name rather than written where it is used. */
  private binds(n: Node, expr: Expr): boolean {
    if (expr.stmt) return true;
    const uses = this.uses.get(n.id) ?? 0;
    const sameLevel = this.consumerLevel.get(n.id) === this.lv(n);
    const cs = this.consumers.get(n.id) ?? [];
    const entrywise = (m: Node): boolean => this.t.entrywise?.(m, n) ?? false;
    // a constant read entry by entry is its value there
    if (expr.elem && !expr.elem.loop && cs.every(entrywise)) return false;
    // computed entry by entry: in the one consumer's loop where it reads it so, else in a loop of its own
    if (expr.elem) return !(uses === 1 && sameLevel && cs.length === 1 && entrywise(cs[0]!)) || expr.elem.at('i').text.length > 2 * MAX_INLINE;
    const plain = expr.prec === P.Atom && /^[A-Za-z_]\w*$/.test(expr.text);
    // a name, or a vector's transpose that shares its numbers: nothing to compute; a named matrix's
    // transpose only multiplied at its own level: each product reads it in place
    if (plain || (expr.tOf && isName(expr.tOf) && (n.shape[0] === '1' || n.shape[1] === '1'))) return false;
    if (expr.tOf && isName(expr.tOf) && sameLevel && cs.every((m) => m.op === 'Mul' && m.args.filter((x) => !isScalar(x)).length > 1)) return false;
    // anything else read entry by entry is computed once first (a number too: a loop would recompute it)
    if (cs.some(entrywise) && expr.value === undefined && !(isScalar(n) && expr.prec === P.Atom && !expr.text.includes('('))) return true;
    return uses > 1 || !sameLevel || expr.text.length > MAX_INLINE;
  }

  /** A product bound to a name, by its factors' keys; with `shareVectorProducts`, a vector's
   *  transpose too (by the transposed factors' keys). */
  private register(key: string, e: Expr): void {
    this.products.set(key, e);
    if (!this.t.shareVectorProducts || !e.shape || isScalarShape(e.shape) || (e.shape[0] !== '1' && e.shape[1] !== '1')) return;
    const ids = key.split(',').map(Number);
    if (ids.some((id) => !this.byId.has(id))) return;
    const tkey = ids.reverse().map((id) => {
      const t = B.transpose(this.byId.get(id)!);
      this.byId.set(t.id, t);
      return t.id;
    }).join(',');
    if (!this.products.has(tkey)) this.products.set(tkey, { ...this.t.transpose(e), shape: [e.shape[1], e.shape[0]] });
  }

  /** The factorisation of matrix `m` for a use at loop level `L`: bound to a name where it is used
   *  more than once or inside a loop `m` is outside of. */
  private factorOf(m: Node, L: number): Expr {
    const c = isScalar(m) ? this.t.toMatrix(this.code.get(m.id)!) : this.code.get(m.id)!;
    if (!this.t.factor) return c;
    const have = this.factors.get(m.id);
    if (have) return have;
    const e = this.t.factor(c);
    if ((this.factorUses.get(m.id) ?? 0) < 2 && L === this.lv(m)) return e;
    const a = this.bindAt(this.lv(m), e);
    this.factors.set(m.id, a);
    return a;
  }

  /** A product's matrix factors, multiplied: runs of factors computable in an outer loop are
   *  multiplied there, inverses at the product's own level are applied by solves, and a sum at an
   *  end that `distributes` is multiplied out term by term. */
  private chain(n: Node): Expr | null {
    const L = this.lv(n);
    const fs = n.args.filter((a) => !isScalar(a));
    if (fs.length === 0) return null;
    const factor = (a: Node): Factor => {
      const size = { rows: sizeGuess(a.shape[0]), cols: sizeGuess(a.shape[1]), shape: a.shape };
      if (!this.solved.has(a.id)) return { e: this.code.get(a.id)!, key: String(a.id), ...size };
      const [A, transposed] = inverted(a);
      return { inverseOf: this.factorOf(A, this.lv(a)), transposed, key: String(a.id), ...size };
    };
    const hooks = (level: number): ChainHooks => ({
      known: (key) => this.products.get(key),
      made: (key, e) => {
        const have = this.products.get(key);
        if (have) return have;
        if (!this.t.shareVectorProducts || !e.shape || (e.shape[0] !== '1' && e.shape[1] !== '1')) return e;
        const a = this.bindAt(level, e);
        this.register(key, a);
        return a;
      },
    });
    const d = fs.find((a) => this.distributed.has(a.id));
    if (d) {
      const other = factor(fs[0] === d ? fs[1]! : fs[0]!);
      const terms = d.args.map((term) => {
        const fsT = fs[0] === d ? [factor(term), other] : [other, factor(term)];
        const e = chainOf(fsT, this.t, hooks(L));
        const key = fsT.map((f) => f.key).join(',');
        return hooks(L).made!(key, { ...e, shape: n.shape });
      });
      return { ...this.t.rules.Add(this.ruleCtx(n, terms)), shape: n.shape };
    }
    const hoist = (run: Node[]): Factor[] => {
      if (run.length < 2) return run.map(factor);
      const key = run.map((a) => a.id).join(',');
      const shape: Shape = [run[0]!.shape[0], run.at(-1)!.shape[1]];
      if (!this.products.has(key)) {
        const level = Math.max(...run.map(this.lv));
        this.register(key, this.bindAt(level, { ...chainOf(run.map(factor), this.t, hooks(level)), shape }));
      }
      return [{ e: this.products.get(key)!, key, rows: sizeGuess(shape[0]), cols: sizeGuess(shape[1]), shape }];
    };
    let p = 0;
    while (p < fs.length && this.lv(fs[p]!) < L) p++;
    let s = fs.length;
    while (s > p && this.lv(fs[s - 1]!) < L) s--;
    return chainOf([...hoist(fs.slice(0, p)), ...fs.slice(p, s).map(factor), ...hoist(fs.slice(s))], this.t, hooks(L));
  }

  /** A rule's view of node `n` with the given argument code (for a rule applied to code that is
   *  not its node's arguments: a multiplied-out product's terms). */
  private ruleCtx(n: Node, args: readonly Expr[]): RuleCtx {
    const L = this.lv(n);
    return {
      node: n, args, mat: (i) => args[i]!, dim: (d) => this.dim(d), name: '', raw: '', scalars: [], chain: null,
      bind: (e) => this.bindAt(L, e),
      factor: () => { throw new Error('internal: no factorisation here'); },
    };
  }

  private dim(d: Dim): Expr {
    const { coef, names } = factorsOf(d);
    for (const name of names) this.usedDims.add(name);
    const parts = [...(coef !== 1 || names.length === 0 ? [literal(coef)] : []), ...names.map((m) => atom(this.dimCode.get(m) ?? m))];
    return productOf(parts, this.t.unaryMin);
  }

  // ------------------------------------------------------------ loops and sizes
  private loopShape(d: CodeDerivation): Shape {
    const nx = mulDims(this.x.shape[0], this.x.shape[1]);
    return [d.kind === 'differential' ? mulDims(this.f.shape[0], this.f.shape[1]) : nx, nx];
  }

  private loop(job: Job): Loop {
    const d = job.d;
    const [rows, cols] = this.loopShape(d);
    const count = this.dim(cols);
    const direction = (p: Node): Direction | null => (this.live.has(p.id) ? {
      name: this.varCode.get(p.attrs.name!)!, rows: this.dim(this.x.shape[0]), cols: this.dim(this.x.shape[1]),
      symmetric: d.symmetric, scalar: isScalar(this.x),
    } : null);
    const out = this.names.claim(d.kind === 'differential' ? 'jac' : 'hess');
    const [p1, p2] = job.perturbations;
    const outer = { index: this.names.claim(d.kind === 'hessian' ? 'j' : 'k'), count, dir: direction(p1!), body: this.blocks[1]! };
    const inner = p2 ? { index: this.names.claim('i'), count, dir: direction(p2), body: this.blocks[2]! } : null;
    const zero = isZero(job.root);
    const value = zero ? literal(0) : this.code.get(job.root.id)!;
    return {
      out, rows: this.dim(rows), cols: count, outer, inner, value, valueScalar: isScalar(job.root),
      symmetrize: job.mode === 'columns' && d.kind === 'hessian' && d.symmetric, zero,
    };
  }

  /** Each dimension name the code uses, from an argument's size: a name alone on an axis, or the
   *  one unknown name of a product whose other factors are known. */
  private sizes(): SizeBinding[] {
    const found: { dim: string; param: Param; axis: 0 | 1; coef: number; deps: string[] }[] = [];
    const known = new Set<string>();
    let progress = true;
    while (progress) {
      progress = false;
      for (const param of this.params) {
        const shape = this.ds[0]!.program.vars.get(param.user)!.shape;
        for (const axis of [0, 1] as const) {
          const { coef, names } = factorsOf(shape[axis]);
          const unknown = names.filter((m) => !known.has(m));
          if (unknown.length !== 1) continue;
          found.push({ dim: unknown[0]!, param, axis, coef, deps: names.filter((m) => known.has(m)) });
          known.add(unknown[0]!);
          progress = true;
        }
      }
    }
    const need = new Set(this.usedDims);
    for (const d of need) {
      if (!known.has(d)) fail('missing-value', `the size of dimension '${d}' is not fixed by any variable's shape, so the generated code cannot know it: declare it as an integer`);
    }
    for (const b of [...found].reverse()) if (need.has(b.dim)) for (const d of b.deps) need.add(d);
    const code = (m: string): Expr => atom(this.dimCode.get(m)!);
    return found.filter((b) => need.has(b.dim)).map((b) => ({
      name: this.dimCode.get(b.dim)!, param: b.param, axis: b.axis,
      divisor: b.coef === 1 && b.deps.length === 0 ? null : productOf([...(b.coef !== 1 ? [literal(b.coef)] : []), ...b.deps.map(code)], this.t.unaryMin),
    }));
  }

  // ------------------------------------------------------------ header
  /** What the function returns and takes, in words, with each derivative's formula. */
  private header(layouts: readonly Layout[]): string[] {
    const w = this.t.words;
    const X = this.x.attrs.name!;
    const clip = (s: string): string => (s.length > MAX_HEADER_TEXT ? `${s.slice(0, MAX_HEADER_TEXT)} ...` : s);
    const names = ['f', ...this.ds.map(outWord)];
    const lines = [`  f: the value, ${shapeWords(this.f)} (${w.layout[layouts[0]!]})`];
    const unit = (d: CodeDerivation): string => (d.symmetric
      ? `and E_k is (U + U')/2 for U the k-th unit matrix of ${X}'s shape, in column-major order`
      : `and E_k is the k-th unit matrix of ${X}'s shape, in column-major order`);
    this.ds.forEach((d, i) => {
      const text = clip(toText(d.derivative));
      const [nr, nc] = d.perturbations.length ? this.loopShape(d) : d.derivative.shape;
      const size = isScalarShape([nr, nc]) ? 'scalar' : nc === '1' ? `vector of ${nr}` : `${nr} x ${nc}`;
      const head = `  ${names[i + 1]}: the ${d.kind === 'gradient' ? 'gradient' : d.kind === 'hessian' ? 'Hessian' : 'Jacobian'}`;
      const kind = `${size} (${w.layout[layouts[i + 1]!]})`;
      if (d.kind === 'differential') {
        lines.push(`${head} of vec(f) by vec(${X}), ${kind}:`, `      column k is vec(df) at d${X} = E_k, where`, `      df = ${text}`, `      ${unit(d)}`);
      } else if (d.perturbations.length) {
        lines.push(`${head} of f by vec(${X}), ${kind}:`, `      entry (i, j) is d2f at d${X}1 = E_j, d${X}2 = E_i, where`, `      d2f = ${text}`, `      ${unit(d)}`);
        if (d.hessianColumns) {
          lines.push(
            `      so that column j is vec(${d.symmetric ? "(Hj + Hj')/2" : 'Hj'}) at d${X}1 = E_j, for Hj the gradient of d2f by d${X}2:`,
            `      Hj = ${clip(toText(d.hessianColumns))}`,
          );
        }
      } else {
        const note = d.kind === 'gradient' && d.symmetric ? ', in the space of symmetric matrices' : '';
        lines.push(`${head} of f by ${X}, ${kind}${note}:`, `      ${text}`);
      }
    });
    return [
      `Generated by matcalc from f = ${clip(toText(this.f))}, differentiated by ${X}.`,
      w.depends,
      '',
      `derivative(${this.params.map((p) => p.name).join(', ')}) returns ${w.tuple(names)}:`,
      ...lines,
      'Arguments, in declaration order:',
      ...this.params.map((p) => `  ${p.name}${p.user !== p.name ? ` (${p.user})` : ''}: ${shapeWords(this.ds[0]!.program.vars.get(p.user)!)} (${w.layout[p.layout]})`),
      w.conventions,
    ];
  }
}
