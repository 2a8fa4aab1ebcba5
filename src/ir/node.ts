/** The expression graph: immutable, hash-consed nodes. Equal subexpressions are one node,
 *  so equality is `===` and every pass memoises on `id`. */
import type { Span } from './errors.js';
import { mulDims, type Shape } from './dims.js';
import { OPS, type Attrs, type DimAlgebra, type OpName } from './ops.js';

export interface Node {
  readonly id: number;
  readonly op: OpName;
  readonly args: readonly Node[];
  readonly attrs: Readonly<Attrs>;
  readonly shape: Shape;
  /** Nodes below and including this one that are Var leaves, by name (for "does it depend on X?"). */
  readonly vars: ReadonlySet<string>;
  /** Longest path to a leaf: bounds recursion in passes. */
  readonly depth: number;
}

const table = new Map<string, Node>();
let nextId = 1;
const origins = new Map<number, Span>();
let currentOrigin: Span | null = null;
const NO_VARS: ReadonlySet<string> = new Set();

function attrsKey(a: Attrs): string {
  let k = '';
  if (a.name !== undefined) k += `n=${a.name};`;
  if (a.symmetric) k += 's;';
  if (a.value !== undefined) k += `v=${Object.is(a.value, -0) ? 0 : a.value};`;
  if (a.k !== undefined) k += `k=${a.k};`;
  if (a.rows !== undefined) k += `r=${a.rows};`;
  return k;
}

function unionVars(args: readonly Node[], own?: string): ReadonlySet<string> {
  if (own !== undefined) return new Set([own]);
  const nonEmpty = args.filter((a) => a.vars.size > 0);
  if (nonEmpty.length === 0) return NO_VARS;
  if (nonEmpty.length === 1) return nonEmpty[0]!.vars;
  const s = new Set<string>();
  for (const a of nonEmpty) for (const v of a.vars) s.add(v);
  return s;
}

/** The one node for (op, attrs, shape, args): made once, then found. */
export function intern(op: OpName, args: readonly Node[], attrs: Attrs, shape: Shape): Node {
  const key = `${op}|${attrsKey(attrs)}|${shape[0]},${shape[1]}|${args.map((a) => a.id).join(',')}`;
  const found = table.get(key);
  if (found) {
    if (currentOrigin && !origins.has(found.id)) origins.set(found.id, currentOrigin);
    return found;
  }
  let depth = 0;
  for (const a of args) if (a.depth + 1 > depth) depth = a.depth + 1;
  const node: Node = Object.freeze({
    id: nextId++, op, args: Object.freeze([...args]), attrs: Object.freeze({ ...attrs }), shape,
    vars: unionVars(args, op === 'Var' ? attrs.name : undefined), depth,
  });
  table.set(key, node);
  if (currentOrigin) origins.set(node.id, currentOrigin);
  return node;
}

/** A string algebra for the graph's own shape checks: dimensions are resolved, so they are
 *  equal or the caller has a bug. */
export function checkingAlgebra(op: OpName, shapes: readonly Shape[]): DimAlgebra<string> {
  const bad = (): never => {
    throw new Error(`internal: shapes do not fit in ${op}: ${shapes.map((s) => s.join(' x ')).join(', ')}`);
  };
  return {
    one: '1',
    eq: (a, b) => { if (a !== b) bad(); },
    mul: mulDims,
    isOne: (d) => d === '1',
    notSquare: bad,
    mismatch: bad,
  };
}

/** The shape an operator gives these arguments, by its rule in OPS. */
export function shapeOf(op: OpName, args: readonly Node[]): Shape {
  const shapes = args.map((a) => a.shape);
  return OPS[op].shape(shapes, checkingAlgebra(op, shapes)) as Shape;
}

export const make = (op: OpName, args: readonly Node[], attrs: Attrs = {}): Node => intern(op, args, attrs, shapeOf(op, args));

/** Forget every node's origin: a new expression is being compiled, and its spans are the ones that count. */
export function resetOrigins(): void { origins.clear(); }

/** Where in the user's expression a node came from, if anywhere. */
export const originOf = (n: Node): Span | null => origins.get(n.id) ?? null;
/** The origin of a node, or of the nearest node below it that has one (breadth first). */
export function originNear(n: Node): Span | null {
  const queue = [n];
  const seen = new Set<number>();
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    const m = queue[i]!;
    const o = origins.get(m.id);
    if (o) return o;
    for (const a of m.args) if (!seen.has(a.id)) { seen.add(a.id); queue.push(a); }
  }
  return null;
}
export function setOrigin(n: Node, span: Span): void {
  if (!origins.has(n.id)) origins.set(n.id, span);
}
/** Run `fn` with every node it makes attributed to `span` (derived nodes point back at their source). */
export function withOrigin<T>(span: Span | null, fn: () => T): T {
  if (!span) return fn();
  const saved = currentOrigin;
  currentOrigin = span;
  try { return fn(); } finally { currentOrigin = saved; }
}

export const isScalar = (n: Node): boolean => n.shape[0] === '1' && n.shape[1] === '1';
export const dependsOn = (n: Node, name: string): boolean => n.vars.has(name);

/** Nodes reachable from the roots, children before parents, each once (iterative: no recursion on depth). */
export function topoOrder(roots: readonly Node[]): Node[] {
  const out: Node[] = [];
  const seen = new Set<number>();
  const stack: [Node, number][] = roots.map((r) => [r, 0] as [Node, number]).reverse();
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const [n, i] = top;
    if (i === 0 && seen.has(n.id)) { stack.pop(); continue; }
    if (i < n.args.length) {
      top[1] = i + 1;
      const c = n.args[i]!;
      if (!seen.has(c.id)) stack.push([c, 0]);
    } else {
      stack.pop();
      if (!seen.has(n.id)) { seen.add(n.id); out.push(n); }
    }
  }
  return out;
}

/** Count of distinct nodes reachable from a root: the size of a shared graph. */
export const graphSize = (root: Node): number => topoOrder([root]).length;
