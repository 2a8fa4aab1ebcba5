/** From syntax to the typed graph: names resolved, shapes inferred by unification (symbolic
 *  dimensions), each construct mapped to its operator, then the graph built with final
 *  dimension names. Every error points at the span it is about. */
import * as B from '../ir/build.js';
import type { Dim, Shape } from '../ir/dims.js';
import { fail, type Span } from '../ir/errors.js';
import { resetOrigins, setOrigin, withOrigin, type Node } from '../ir/node.js';
import { ELEMENTWISE, fnName, OPS, type ElementwiseOp, type OpName, type Sh } from '../ir/ops.js';
import { DimStore, type DimRef } from '../ir/unify.js';
import type { Ast } from './ast.js';
import { RESERVED, type Declaration } from './kinds.js';
import { parse } from './parser.js';

export interface Program {
  readonly src: string;
  readonly root: Node;
  readonly decls: readonly Declaration[];
  /** Each declared variable's leaf. */
  readonly vars: ReadonlyMap<string, Node>;
  readonly shapes: Readonly<Record<string, Shape>>;
  /** Every dimension name in use: declared, written, or the engine's own. */
  readonly dimNames: ReadonlySet<string>;
}

type Resolve = (d: DimRef) => Dim;
interface Typed { span: Span; shape: Sh<DimRef>; build: (r: Resolve) => Node }

const ELEMENTWISE_BY_FN = new Map<string, ElementwiseOp>(ELEMENTWISE.map((op) => [fnName(op)!, op]));
/** Matrix functions of one argument, by their language name. */
const UNARY_FNS: Record<string, OpName> = {
  inv: 'Inv', det: 'Det', logdet: 'LogDet', tr: 'Trace', sum: 'Sum', norm2: 'Norm2', vec: 'Vec',
  logsumexp: 'LogSumExp', softmax: 'Softmax',
};
const UNARY_BUILD: Partial<Record<OpName, (a: Node) => Node>> = {
  Inv: B.inv, Det: B.det, LogDet: B.logdet, Trace: B.trace, Sum: B.sum, Norm2: B.norm2, Vec: B.vec,
  LogSumExp: B.logsumexp, Softmax: B.softmax,
};

export function elaborate(src: string, decls: readonly Declaration[]): Program {
  const ast = parse(src);
  const store = new DimStore();
  const declared = new Map<string, { decl: Declaration; shape: Sh<DimRef> }>();
  const dimOfSpec = (spec: { coef: number; names: string[] }): DimRef => {
    let r: DimRef | null = spec.coef === 1 ? null : store.int(spec.coef);
    for (const n of spec.names) r = r === null ? store.named(n) : store.product(r, store.named(n));
    return r ?? store.int(1);
  };
  const occurrences: DimRef[] = [];
  for (const d of decls) {
    let shape: Sh<DimRef>;
    const dims = d.dims?.map(dimOfSpec);
    switch (d.kind) {
      case 'scalar': shape = [store.int(1), store.int(1)]; break;
      case 'vector': shape = [dims?.[0] ?? store.fresh(), store.int(1)]; break;
      case 'matrix': shape = dims ? [dims[0]!, dims[1]!] : [store.fresh(), store.fresh()]; break;
      case 'symmetric': { const n = dims?.[0] ?? store.fresh(); shape = [n, n]; break; }
    }
    occurrences.push(shape[0], shape[1]);
    declared.set(d.name, { decl: d, shape });
  }
  const declaredDimNames = new Set(decls.flatMap((d) => d.dims?.flatMap((s) => s.names) ?? []));
  for (const n of declaredDimNames) {
    if (declared.has(n)) fail('reserved-name', `'${n}' names both a variable and a dimension`, null, `vars.${n}`);
  }

  // ------------------------------------------------ messages
  const shapeText = (s: Sh<DimRef>): string => {
    const naming = store.nameFresh([...occurrences, s[0], s[1]], new Set([...declaredDimNames, ...declared.keys()]));
    return `${store.canon(s[0], naming)} x ${store.canon(s[1], naming)}`;
  };
  const describe = (t: Typed, what?: string): string => `${what ?? `'${src.slice(t.span.start, t.span.end)}'`} is ${shapeText(t.shape)}`;
  const mismatch = (span: Span, op: string, parts: Typed[], hint = ''): never => {
    const texts = parts.map((p) => describe(p));
    const products = texts.some((t) => t.includes('*'))
      ? '; products of dimensions meet only when they are the same product: declare the dimensions (e.g. X=matrix(m,n))'
      : '';
    return fail('shape-mismatch', `shapes do not fit in '${op}': ${texts.join(', ')}${hint}${products}`, span);
  };
  const unify = (a: DimRef, b: DimRef, span: Span, op: string, parts: Typed[], hint = ''): void => {
    if (!store.unify(a, b)) mismatch(span, op, parts, hint);
  };
  const isScalar = (t: Typed): boolean => store.isOne(t.shape[0]) && store.isOne(t.shape[1]);
  const scalarShape = (): Sh<DimRef> => [store.int(1), store.int(1)];
  const node = (span: Span, shape: Sh<DimRef>, build: (r: Resolve) => Node): Typed => ({
    span, shape, build: (r) => { const n = withOrigin(span, () => build(r)); setOrigin(n, span); return n; },
  });

  // ------------------------------------------------ dimensions written in the expression
  const dimArg = (a: Ast): DimRef => {
    switch (a.type) {
      case 'num':
        if (!Number.isInteger(a.value) || a.value < 1) fail('bad-value', `a dimension must be a positive integer, got ${a.text}`, a.span);
        return store.int(a.value);
      case 'name':
        if (declared.has(a.name)) fail('bad-value', `'${a.name}' is a variable, not a dimension`, a.span);
        if (RESERVED.has(a.name)) fail('reserved-name', `'${a.name}' is reserved and cannot name a dimension`, a.span);
        return store.hinted(a.name);
      case 'paren': return dimArg(a.inner);
      case 'product': {
        let r = dimArg(a.factors[0]!.factor);
        for (const f of a.factors.slice(1)) {
          if (f.op !== '*') fail('bad-value', `a dimension is an integer, a name, or a product of these; '${f.op}' is not allowed`, f.opSpan ?? a.span);
          r = store.product(r, dimArg(f.factor));
        }
        return r;
      }
      default: return fail('bad-value', `a dimension is a positive integer, a name, or a product such as m*n`, a.span);
    }
  };
  const constSized = (span: Span, which: 'eye' | 'ones' | 'zeros', shape: Sh<DimRef>): Typed =>
    node(span, shape, (r) => {
      const s: Shape = [r(shape[0]), r(shape[1])];
      return which === 'eye' ? B.identity(s[0]) : which === 'ones' ? B.ones(s) : B.zeros(s);
    });

  // ------------------------------------------------ expressions
  const integerOf = (a: Ast): number | null => {
    if (a.type === 'num') return Number.isInteger(a.value) ? a.value : null;
    if (a.type === 'paren') return integerOf(a.inner);
    if (a.type === 'neg') { const k = integerOf(a.arg); return k === null ? null : -k; }
    return null;
  };

  const arity = (a: Extract<Ast, { type: 'call' }>, allowed: number[], usage: string): void => {
    if (!allowed.includes(a.args.length)) {
      fail('arity', `${a.name} takes ${allowed.join(' or ')} argument${allowed.length === 1 && allowed[0] === 1 ? '' : 's'}, got ${a.args.length}: ${usage}`, a.span);
    }
  };

  const call = (a: Extract<Ast, { type: 'call' }>): Typed => {
    const ew = ELEMENTWISE_BY_FN.get(a.name);
    if (ew) {
      arity(a, [1], `${a.name}(A)`);
      const x = expr(a.args[0]!);
      return node(a.span, x.shape, (r) => B.elementwise(ew, x.build(r)));
    }
    const op = UNARY_FNS[a.name];
    if (op) {
      arity(a, [1], `${a.name}(A)`);
      const x = expr(a.args[0]!);
      if (isScalar(x)) return node(a.span, scalarShape(), (r) => UNARY_BUILD[op]!(x.build(r)));
      const square = op === 'Inv' || op === 'Det' || op === 'LogDet' || op === 'Trace';
      if (square && !store.unify(x.shape[0], x.shape[1])) {
        fail('not-square', `${a.name} needs a square matrix; ${describe(x)}`, a.span);
      }
      if ((op === 'LogSumExp' || op === 'Softmax') && !store.isOne(x.shape[1])) {
        fail('shape-mismatch', `${a.name} takes a column vector; ${describe(x)}`, a.span);
      }
      const shape = OPS[op].shape([x.shape], {
        one: store.int(1), eq: (p, q) => { if (!store.unify(p, q)) mismatch(a.span, a.name, [x]); },
        mul: (p, q) => store.product(p, q), isOne: (d) => store.isOne(d),
        notSquare: () => fail('not-square', `${a.name} needs a square matrix; ${describe(x)}`, a.span),
        mismatch: () => mismatch(a.span, a.name, [x]),
      });
      return node(a.span, shape, (r) => UNARY_BUILD[op]!(x.build(r)));
    }
    switch (a.name) {
      case 'diag': {
        arity(a, [1], 'diag(x) or diag(X)');
        const x = expr(a.args[0]!);
        if (isScalar(x)) return node(a.span, x.shape, (r) => x.build(r));
        if (store.isOne(x.shape[1])) return node(a.span, [x.shape[0], x.shape[0]], (r) => B.diag(x.build(r)));
        if (store.isOne(x.shape[0])) fail('shape-mismatch', `diag takes a column vector or a square matrix; ${describe(x)} (a row: transpose it)`, a.span);
        if (!store.unify(x.shape[0], x.shape[1])) fail('not-square', `diag of a matrix needs a square matrix; ${describe(x)}`, a.span);
        return node(a.span, [x.shape[0], store.int(1)], (r) => B.diag(x.build(r)));
      }
      case 'kron': {
        arity(a, [2], 'kron(A, B)');
        const x = expr(a.args[0]!), y = expr(a.args[1]!);
        return node(a.span, [store.product(x.shape[0], y.shape[0]), store.product(x.shape[1], y.shape[1])], (r) => B.kron(x.build(r), y.build(r)));
      }
      case 'unvec': {
        arity(a, [2], 'unvec(x, k) with k the rows');
        const x = expr(a.args[0]!);
        const rows = dimArg(a.args[1]!);
        if (!store.isOne(x.shape[1])) fail('shape-mismatch', `unvec takes a column vector; ${describe(x)}`, a.args[0]!.span);
        const cols = store.fresh();
        occurrences.push(cols);
        if (!store.unify(x.shape[0], store.product(rows, cols))) {
          fail('shape-mismatch', `unvec: the length of the vector must be a multiple of the rows: ${describe(x)}, rows ${shapeText([rows, rows]).split(' x ')[0]}`, a.span);
        }
        return node(a.span, [rows, cols], (r) => B.unvec(x.build(r), r(rows), r(cols)));
      }
      case 'eye': {
        arity(a, [1], 'eye(k)');
        const k = dimArg(a.args[0]!);
        return constSized(a.span, 'eye', [k, k]);
      }
      case 'ones': case 'zeros': {
        arity(a, [1, 2], `${a.name}(k) or ${a.name}(k, l)`);
        const k = dimArg(a.args[0]!);
        const l = a.args.length === 2 ? dimArg(a.args[1]!) : store.int(1);
        return constSized(a.span, a.name, [k, l]);
      }
      case 'I':
        return fail('unknown-function', `'I' is the identity, not a function: write eye(k) for a sized identity`, a.nameSpan);
      default:
        if (declared.has(a.name)) return fail('unknown-function', `'${a.name}' is a variable, not a function (write '${a.name}*(...)' for a product)`, a.nameSpan);
        return fail('unknown-function', `unknown function '${a.name}'`, a.nameSpan);
    }
  };

  const name = (a: Extract<Ast, { type: 'name' }>): Typed => {
    const d = declared.get(a.name);
    if (d) {
      const { decl, shape } = d;
      return node(a.span, shape, (r) => B.variable(decl.name, [r(shape[0]), r(shape[1])], decl.kind === 'symmetric'));
    }
    if (a.name === 'I') { const n = store.fresh(); occurrences.push(n); return constSized(a.span, 'eye', [n, n]); }
    if (a.name === 'ones' || a.name === 'zeros') {
      const s: Sh<DimRef> = [store.fresh(), store.fresh()];
      occurrences.push(...s);
      return constSized(a.span, a.name, s);
    }
    if (a.name === 'eye') return fail('arity', `eye needs its size: eye(k)`, a.span);
    if (RESERVED.has(a.name)) return fail('arity', `${a.name} is a function: call it as ${a.name}(...)`, a.span);
    if (store.isDeclared(a.name)) return fail('unknown-name', `'${a.name}' is a dimension, not a variable`, a.span);
    return fail('unknown-name', `unknown variable '${a.name}': declare it (e.g. --var ${a.name}=matrix)`, a.span);
  };

  /** `A + s` broadcasts the scalar s over A's shape. */
  const broadcast = (t: Typed, shape: Sh<DimRef>): Typed =>
    isScalar(t) && !(store.isOne(shape[0]) && store.isOne(shape[1]))
      ? { span: t.span, shape, build: (r) => B.mul(t.build(r), B.ones([r(shape[0]), r(shape[1])])) }
      : t;

  const sum = (a: Extract<Ast, { type: 'sum' }>): Typed => {
    const terms = a.terms.map((t) => ({ ...t, typed: expr(t.term) }));
    const first = terms.find((t) => !isScalar(t.typed));
    const shape = first ? first.typed.shape : scalarShape();
    for (const t of terms) {
      if (first && t !== first && !isScalar(t.typed)) {
        const op = t.opSpan ? src.slice(t.opSpan.start, t.opSpan.end) : '+';
        const span = t.opSpan ?? t.typed.span;
        if (!store.unify(t.typed.shape[0], shape[0]) || !store.unify(t.typed.shape[1], shape[1])) {
          mismatch(span, op, [first.typed, t.typed]);
        }
      }
    }
    const parts = terms.map((t) => ({ sign: t.sign, typed: broadcast(t.typed, shape) }));
    return node(a.span, shape, (r) => B.addAll(parts.map((p) => (p.sign === 1 ? p.typed.build(r) : B.neg(p.typed.build(r))))));
  };

  const product = (a: Extract<Ast, { type: 'product' }>): Typed => {
    let acc = expr(a.factors[0]!.factor);
    for (const f of a.factors.slice(1)) {
      const y = expr(f.factor);
      const x = acc;
      const span: Span = { start: a.span.start, end: y.span.end };
      const opSpan = f.opSpan ?? span;
      const sx = isScalar(x), sy = isScalar(y);
      switch (f.op) {
        case '*':
          if (sx || sy) acc = node(span, sx ? y.shape : x.shape, (r) => B.mul(x.build(r), y.build(r)));
          else {
            unify(x.shape[1], y.shape[0], opSpan, '*', [x, y], ' (the columns of the left must equal the rows of the right)');
            acc = node(span, [x.shape[0], y.shape[1]], (r) => B.mul(x.build(r), y.build(r)));
          }
          break;
        case '/':
          if (!sy) fail('shape-mismatch', `'/' divides by a scalar; ${describe(y)} (for elementwise division write './')`, opSpan);
          acc = node(span, x.shape, (r) => B.div(x.build(r), y.build(r)));
          break;
        case '.*':
          if (sx || sy) acc = node(span, sx ? y.shape : x.shape, (r) => B.mul(x.build(r), y.build(r)));
          else {
            if (!store.unify(x.shape[0], y.shape[0]) || !store.unify(x.shape[1], y.shape[1])) mismatch(opSpan, '.*', [x, y]);
            acc = node(span, x.shape, (r) => B.hadamard(x.build(r), y.build(r)));
          }
          break;
        case './':
          if (sy) acc = node(span, x.shape, (r) => B.div(x.build(r), y.build(r)));
          else if (sx) acc = node(span, y.shape, (r) => B.mul(x.build(r), B.elemPow(y.build(r), B.constant(-1))));
          else {
            if (!store.unify(x.shape[0], y.shape[0]) || !store.unify(x.shape[1], y.shape[1])) mismatch(opSpan, './', [x, y]);
            acc = node(span, x.shape, (r) => B.hadamard(x.build(r), B.elemPow(y.build(r), B.constant(-1))));
          }
          break;
      }
    }
    return { ...acc, span: a.span };
  };

  const power = (a: Extract<Ast, { type: 'power' }>): Typed => {
    const x = expr(a.base);
    const e = expr(a.exponent);
    if (!isScalar(e)) fail('shape-mismatch', `the exponent of '${a.op}' must be a scalar; ${describe(e)}`, a.exponent.span);
    if (a.op === '.^' || isScalar(x)) {
      return node(a.span, x.shape, (r) => (isScalar(x) ? B.pow(x.build(r), e.build(r)) : B.elemPow(x.build(r), e.build(r))));
    }
    if (!store.unify(x.shape[0], x.shape[1])) {
      fail('not-square', `'^' needs a square matrix; ${describe(x)} (for an elementwise power write '.^')`, a.opSpan);
    }
    const k = integerOf(a.exponent);
    if (k === null) fail('bad-value', `a matrix power takes an integer exponent written as a number (X^2, X^-1)`, a.exponent.span);
    return node(a.span, x.shape, (r) => B.matPow(x.build(r), k!));
  };

  function expr(a: Ast): Typed {
    switch (a.type) {
      case 'num':
        if (!Number.isFinite(a.value)) fail('not-finite', `the number ${a.text} is not finite in double precision`, a.span);
        return node(a.span, scalarShape(), () => B.constant(a.value));
      case 'name': return name(a);
      case 'call': return call(a);
      case 'sum': return sum(a);
      case 'product': return product(a);
      case 'neg': { const x = expr(a.arg); return node(a.span, x.shape, (r) => B.neg(x.build(r))); }
      case 'power': return power(a);
      case 'transpose': {
        const x = expr(a.arg);
        const shape: Sh<DimRef> = a.count % 2 ? [x.shape[1], x.shape[0]] : x.shape;
        return node(a.span, shape, (r) => (a.count % 2 ? B.transpose(x.build(r)) : x.build(r)));
      }
      case 'paren': { const x = expr(a.inner); return { ...x, span: a.span }; }
    }
  }

  const typed = expr(ast);
  resetOrigins();

  // ------------------------------------------------ final dimension names, then the graph
  const taken = new Set<string>([...declaredDimNames, ...declared.keys(), ...RESERVED]);
  const all: DimRef[] = [...occurrences];
  for (let i = 0; i < store.size; i++) all.push(i);
  // a name written in the expression (eye(n)) that nothing fixed refers to the engine's dimension of that name
  const provisional = store.nameFresh(all.filter((d) => !store.isHinted(d)), taken);
  const byName = new Map([...provisional].map(([d, n]) => [n, d]));
  for (const [hint, d] of store.hintedClasses()) {
    const target = byName.get(hint);
    if (target !== undefined && store.isFresh(d) && !store.unify(d, target)) {
      fail('shape-mismatch', `the dimension '${hint}' written in the expression does not fit the dimension '${hint}' of the variables`);
    }
  }
  const naming = store.nameFresh(all, taken);
  const resolve: Resolve = (d) => store.canon(d, naming);
  const root = typed.build(resolve);
  const vars = new Map<string, Node>();
  const shapes: Record<string, Shape> = {};
  for (const [n, { decl, shape }] of declared) {
    const s: Shape = [resolve(shape[0]), resolve(shape[1])];
    shapes[n] = s;
    vars.set(n, B.variable(n, s, decl.kind === 'symmetric'));
  }
  const dimNames = new Set<string>([...declaredDimNames, ...naming.values()]);
  return { src, root, decls, vars, shapes, dimNames };
}
