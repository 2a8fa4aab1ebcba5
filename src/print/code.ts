/** A derivative as a self-contained module in TypeScript, JavaScript or NumPy: one function,
 *  `derivative`, taking the variables in declaration order and returning the value with the
 *  derivative's numbers exactly as LANGUAGE.md defines them.
 *
 *  The graph is hash-consed, so a subexpression used twice is one node: the printer binds it
 *  once. Inverses inside products become solves. For a differential, or a Hessian by a matrix,
 *  the function loops over the unit directions as `derivativeNumbers` does, with every node
 *  computed at the outermost loop level its perturbations allow. */
import { factorsOf, isScalarShape, mulDims, type Dim, type Shape } from '../ir/dims.js';
import { fail } from '../ir/errors.js';
import { isScalar, topoOrder, type Node } from '../ir/node.js';
import {
  atom, chainOf, literal, P, productOf,
  type Direction, type Expr, type Factor, type Layout, type Loop, type Param, type RuleCtx, type SizeBinding, type Stmt, type Target,
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
/** A dimension's size as a guess for ordering products: each name counts 100. */
const sizeGuess = (d: Dim): number => { const { coef, names } = factorsOf(d); return coef * 100 ** names.length; };
/** The name of a derivative's value in the code: of the whole, or (looped) of one direction's. */
const rootWord = (d: CodeDerivation): string =>
  d.perturbations.length ? (d.kind === 'differential' ? 'df' : 'd2f') : ({ gradient: 'grad', jacobian: 'jac', differential: 'jac', hessian: 'hess' } as const)[d.kind];
/** The name of a derivative's numbers in the header. */
const outWord = (d: CodeDerivation): string => (d.kind === 'gradient' ? 'grad' : d.kind === 'hessian' ? 'hess' : 'jac');
const MAX_HEADER_TEXT = 300;

class Emitter {
  private readonly names: Namer;
  private readonly f: Node;
  private readonly x: Node;
  private readonly params: Param[] = [];
  private readonly varCode = new Map<string, string>();
  private readonly dimCode = new Map<string, string>();
  private readonly usedDims = new Set<string>();
  /** Loop level: 0 outside the loops, 1 the outer direction, 2 the inner one. */
  private readonly level = new Map<number, number>();
  private readonly uses = new Map<number, number>();
  private readonly consumerLevel = new Map<number, number>();
  private readonly live = new Set<number>();
  private readonly solved = new Set<number>();
  private readonly code = new Map<number, Expr>();
  private readonly blocks: Stmt[][] = [[], [], []];
  private readonly rootName = new Map<number, string>();
  /** Products of matrices already bound to a name, by their factors' ids: a chain reuses them. */
  private readonly products = new Map<string, Expr>();

  constructor(private readonly ds: readonly CodeDerivation[], private readonly t: Target) {
    this.f = ds[0]!.program.root;
    this.x = ds[0]!.x;
    const vars = [...ds[0]!.program.vars.values()];
    const perts = ds.flatMap((d) => d.perturbations);
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
    }
    perts.forEach((p, i) => this.level.set(p.id, perts.length === 2 ? i + 1 : 1));
  }

  module(): string {
    const looped = this.ds.find((d) => d.perturbations.length > 0);
    const roots: [Node, string][] = [[this.f, 'f'], ...this.ds.map((d): [Node, string] => [d.derivative, rootWord(d)])];
    for (const [n, name] of roots) if (!this.rootName.has(n.id) && n.op !== 'Var' && n.op !== 'Const') this.rootName.set(n.id, this.names.claim(name));
    const order = topoOrder(roots.map(([n]) => n));
    this.analyse(order, roots.map(([n]) => n));
    for (const n of order) if (this.live.has(n.id) && !this.solved.has(n.id)) this.emit(n);

    const results = [{ expr: this.code.get(this.f.id)!, layout: layoutOf(this.f.shape) }];
    for (const d of this.ds) if (d.perturbations.length === 0) results.push({ expr: this.code.get(d.derivative.id)!, layout: layoutOf(d.derivative.shape) });
    let loop: Loop | null = null;
    if (looped) {
      loop = this.loop(looped);
      results.push({ expr: atom(loop.out), layout: layoutOf(this.loopShape(looped)) });
    }
    return this.t.print({ header: this.header(results.map((r) => r.layout)), params: this.params, sizes: this.sizes(), top: this.blocks[0]!, loop, results });
  }

  // ------------------------------------------------------------ analysis
  private lv = (n: Node): number => this.level.get(n.id) ?? 0;

  private addUse(n: Node, consumer: number, k = 1): void {
    this.uses.set(n.id, (this.uses.get(n.id) ?? 0) + k);
    this.consumerLevel.set(n.id, consumer);
    this.live.add(n.id);
  }

  /** Levels bottom-up; then, parents first, what each node is used for: an inverse used only as
   *  a factor of products at its own level is never formed (the products solve with its matrix). */
  private analyse(order: readonly Node[], roots: readonly Node[]): void {
    for (const n of order) if (!this.level.has(n.id)) this.level.set(n.id, Math.max(0, ...n.args.map(this.lv)));
    const solveUses = new Map<number, number>();
    for (const r of roots) this.live.add(r.id);
    for (let i = order.length - 1; i >= 0; i--) {
      const n = order[i]!;
      const s = solveUses.get(n.id) ?? 0;
      if (!this.live.has(n.id) && s === 0) continue;
      if (s > 0 && !this.live.has(n.id)) {
        this.solved.add(n.id);
        this.addUse(inverted(n)[0], this.lv(n), s);
        continue;
      }
      if (s > 0) this.addUse(n, this.lv(n), s);
      for (const a of n.args) {
        if (n.op === 'Mul' && !isScalar(a) && solvable(a) && this.lv(a) === this.lv(n)) solveUses.set(a.id, (solveUses.get(a.id) ?? 0) + 1);
        else this.addUse(a, this.lv(n));
      }
    }
  }

  // ------------------------------------------------------------ emission
  private emit(n: Node): void {
    // a solved inverse has no code: only the product it is a factor of reads it, as a solve
    const args = n.args.map((a) => this.code.get(a.id) ?? atom('?'));
    const isMul = n.op === 'Mul';
    const ctx: RuleCtx = {
      node: n,
      args,
      mat: (i) => (isScalar(n.args[i]!) ? this.t.toMatrix(args[i]!) : args[i]!),
      dim: (d) => this.dim(d),
      name: n.op === 'Var' ? this.varCode.get(n.attrs.name!)! : '',
      scalars: isMul ? n.args.filter(isScalar).map((a) => this.code.get(a.id)!) : [],
      chain: isMul ? this.chain(n) : null,
    };
    const expr = this.t.rules[n.op](ctx);
    if (n.op === 'Var' || n.op === 'Const') { this.code.set(n.id, expr); return; }
    const name = this.rootName.get(n.id);
    const plain = expr.prec === P.Atom && /^[A-Za-z_]\w*$/.test(expr.text);
    const bind = name !== undefined || (!plain && ((this.uses.get(n.id) ?? 0) > 1 || this.consumerLevel.get(n.id) !== this.lv(n) || expr.text.length > MAX_INLINE));
    if (!bind) { this.code.set(n.id, expr); return; }
    const bound = name ?? this.names.temp();
    this.blocks[this.lv(n)]!.push({ name: bound, expr });
    this.code.set(n.id, atom(bound));
    if (isMul && n.args.every((a) => !isScalar(a) && !this.solved.has(a.id))) this.products.set(n.args.map((a) => a.id).join(','), atom(bound));
  }

  /** A product's matrix factors, multiplied: runs of factors computable in an outer loop are
   *  multiplied there, and inverses at the product's own level are applied by solves. */
  private chain(n: Node): Expr | null {
    const L = this.lv(n);
    const fs = n.args.filter((a) => !isScalar(a));
    if (fs.length === 0) return null;
    const factor = (a: Node): Factor => {
      const size = { rows: sizeGuess(a.shape[0]), cols: sizeGuess(a.shape[1]) };
      if (!this.solved.has(a.id)) return { e: this.code.get(a.id)!, key: String(a.id), ...size };
      const [A, transposed] = inverted(a);
      const c = this.code.get(A.id)!;
      return { inverseOf: transposed ? this.t.transpose(c) : c, ...size };
    };
    const known = (key: string): Expr | undefined => this.products.get(key);
    const hoist = (run: Node[]): Factor[] => {
      if (run.length < 2) return run.map(factor);
      const key = run.map((a) => a.id).join(',');
      if (!this.products.has(key)) {
        const name = this.names.temp();
        this.blocks[Math.max(...run.map(this.lv))]!.push({ name, expr: chainOf(run.map(factor), this.t, known) });
        this.products.set(key, atom(name));
      }
      return [{ e: this.products.get(key)!, key, rows: sizeGuess(run[0]!.shape[0]), cols: sizeGuess(run.at(-1)!.shape[1]) }];
    };
    let p = 0;
    while (p < fs.length && this.lv(fs[p]!) < L) p++;
    let s = fs.length;
    while (s > p && this.lv(fs[s - 1]!) < L) s--;
    return chainOf([...hoist(fs.slice(0, p)), ...fs.slice(p, s).map(factor), ...hoist(fs.slice(s))], this.t, known);
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

  private loop(d: CodeDerivation): Loop {
    const [rows, cols] = this.loopShape(d);
    const count = this.dim(cols);
    const direction = (p: Node): Direction | null => (this.live.has(p.id) ? {
      name: this.varCode.get(p.attrs.name!)!, rows: this.dim(this.x.shape[0]), cols: this.dim(this.x.shape[1]),
      symmetric: d.symmetric, scalar: isScalar(this.x),
    } : null);
    const out = this.names.claim(d.kind === 'differential' ? 'jac' : 'hess');
    const [p1, p2] = d.perturbations;
    const outer = { index: this.names.claim(p2 ? 'j' : 'k'), count, dir: direction(p1!), body: this.blocks[1]! };
    const inner = p2 ? { index: this.names.claim('i'), count, dir: direction(p2), body: this.blocks[2]! } : null;
    const value = this.code.get(d.derivative.id)!;
    const zero = value.value === 0 || d.derivative.op === 'Zeros';
    return { out, rows: this.dim(rows), cols: count, outer, inner, value, valueScalar: isScalar(d.derivative), zero };
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
