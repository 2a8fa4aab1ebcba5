/** The graph as text in the language, with minimal parentheses; it parses back to the same node.
 *  Precedence follows the grammar: sum < product < unary minus < power < postfix < atom. */
import type { Shape } from '../ir/dims.js';
import { topoOrder, type Node } from '../ir/node.js';
import { fnName, type OpName } from '../ir/ops.js';
import { inPrintOrder } from './terms.js';

const enum P { Sum = 1, Product = 2, Unary = 3, Power = 4, Postfix = 5, Atom = 6 }
interface Out { text: string; prec: P; /** the text without its leading minus, for a - b */ negated?: string }
type Print = (n: Node) => Out;
interface Ctx { print: Print }

const wrap = (o: Out, min: P): string => (o.prec < min ? `(${o.text})` : o.text);
const call = (name: string, ...args: string[]): Out => ({ text: `${name}(${args.join(', ')})`, prec: P.Atom });
const dimsText = (s: Shape): string => (s[1] === '1' ? s[0] : `${s[0]}, ${s[1]}`);
const isNegConst = (n: Node): boolean => n.op === 'Const' && n.attrs.value! < 0;
const isInverse = (n: Node): boolean => (n.op === 'Pow' || n.op === 'ElemPow') && isNegConst(n.args[1]!);

function numberText(v: number): string {
  return String(v);
}

/** The node with its exponent negated: the denominator of a division. */
function reciprocal(n: Node, c: Ctx): string {
  const e = -n.args[1]!.attrs.value!;
  const base = n.args[0]!;
  if (e === 1) return wrap(c.print(base), P.Power);
  return `${wrap(c.print(base), P.Postfix)}${n.op === 'Pow' ? '^' : '.^'}${numberText(e)}`;
}

/** A product; a negative coefficient is written as a leading minus, which binds to the first factor,
 *  so the whole still reads as a product: -A*y is (-A)*y. */
function product(n: Node, c: Ctx): Out {
  let coef = 1;
  const num: string[] = [];
  const den: string[] = [];
  for (const f of n.args) {
    if (f.op === 'Const') coef *= f.attrs.value!;
    else if (isInverse(f) && f.op === 'Pow') den.push(reciprocal(f, c));
    else num.push(f.op === 'Mul' ? c.print(f).text : wrap(c.print(f), P.Unary)); // a scalar chain (x'*A*x) reads back as one
  }
  const mag = Math.abs(coef);
  if (mag !== 1 || num.length === 0) num.unshift(numberText(mag));
  let text = num.join('*') + den.map((d) => `/${d}`).join('');
  if (coef < 0) return { text: `-${text}`, prec: P.Product, negated: text };
  return { text, prec: P.Product };
}

function hadamardText(n: Node, c: Ctx): Out {
  const outs = siblings(n, c);
  const num = n.args.map((f, i) => [f, outs[i]!] as const).filter(([f]) => !isInverse(f));
  const den = n.args.filter(isInverse);
  const parts = num.map(([, o]) => wrap(o, P.Unary));
  let text = parts.length ? parts.join('.*') : '1';
  for (const d of den) text += `./${reciprocal(d, c)}`;
  return { text, prec: P.Product };
}

function sumText(n: Node, c: Ctx): Out {
  const outs = siblings(n, c);
  const terms = inPrintOrder(n.args, outs);
  let text = '';
  terms.forEach(([t, o], i) => {
    if (i > 0 && o.negated !== undefined) text += ` - ${o.negated}`;
    else if (i > 0 && isNegConst(t)) text += ` - ${numberText(-t.attrs.value!)}`;
    else text += (i > 0 ? ' + ' : '') + wrap(o, i === 0 ? P.Sum : P.Product);
  });
  return { text, prec: P.Sum };
}

const fn = (op: OpName) => (n: Node, c: Ctx): Out => call(fnName(op)!, c.print(n.args[0]!).text);
const sized = (name: string) => (n: Node): Out => call(name, dimsText(n.shape));
const isSizedConst = (n: Node): boolean => n.op === 'Identity' || n.op === 'Ones' || n.op === 'Zeros';
const BARE: Partial<Record<OpName, string>> = { Identity: 'I', Ones: 'ones', Zeros: 'zeros' };
/** The arguments of a sum or Hadamard product: a sized constant is written bare (I, ones) where a
 *  sibling that is not a constant fixes its size. */
function siblings(n: Node, c: Ctx): Out[] {
  // bare constants take fresh dimensions, never 1: a column or row keeps its size
  const fixed = n.shape[0] !== '1' && n.shape[1] !== '1' && n.args.some((a) => !isSizedConst(a) && !(a.op === 'Mul' && a.args.some(isSizedConst)));
  return n.args.map((a) => (fixed && isSizedConst(a) ? { text: BARE[a.op]!, prec: P.Atom } : c.print(a)));
}

export const TEXT = {
  Var: (n) => ({ text: n.attrs.name!, prec: P.Atom }),
  Const: (n) => (n.attrs.value! < 0 ? { text: numberText(n.attrs.value!), prec: P.Unary } : { text: numberText(n.attrs.value!), prec: P.Atom }),
  Identity: (n) => call('eye', n.shape[0]),
  Ones: sized('ones'),
  Zeros: sized('zeros'),
  Add: sumText,
  Mul: product,
  Hadamard: hadamardText,
  Transpose: (n, c) => ({ text: `${wrap(c.print(n.args[0]!), P.Atom)}'`, prec: P.Postfix }),
  Pow: (n, c) => (isNegConst(n.args[1]!) && n.args[1]!.attrs.value === -1
    ? { text: `1/${reciprocal(n, c)}`, prec: P.Product }
    : { text: `${wrap(c.print(n.args[0]!), P.Postfix)}^${wrap(c.print(n.args[1]!), P.Unary)}`, prec: P.Power }),
  ElemPow: (n, c) => ({ text: `${wrap(c.print(n.args[0]!), P.Postfix)}.^${wrap(c.print(n.args[1]!), P.Unary)}`, prec: P.Power }),
  MatPow: (n, c) => ({ text: `${wrap(c.print(n.args[0]!), P.Postfix)}^${n.attrs.k}`, prec: P.Power }),
  Exp: fn('Exp'), Log: fn('Log'), Sin: fn('Sin'), Cos: fn('Cos'), Tan: fn('Tan'), Tanh: fn('Tanh'),
  Sqrt: fn('Sqrt'), Abs: fn('Abs'), Sign: fn('Sign'), Sigmoid: fn('Sigmoid'),
  Inv: fn('Inv'), Det: fn('Det'), LogDet: fn('LogDet'), Trace: fn('Trace'), Sum: fn('Sum'), Norm2: fn('Norm2'),
  Diag: fn('Diag'), DiagPart: fn('DiagPart'), Vec: fn('Vec'),
  Unvec: (n, c) => call('unvec', c.print(n.args[0]!).text, n.attrs.rows!),
  Kron: (n, c) => call('kron', c.print(n.args[0]!).text, c.print(n.args[1]!).text),
  LogSumExp: fn('LogSumExp'), Softmax: fn('Softmax'),
  Delta: (n, c) => call('d', c.print(n.args[0]!).text),
} satisfies Record<OpName, (n: Node, c: Ctx) => Out>;

/** The text of a node. Iterative over the graph (children first), so depth is no concern. */
export function toText(root: Node): string {
  const memo = new Map<number, Out>();
  const ctx: Ctx = { print: (n) => memo.get(n.id)! };
  for (const n of topoOrder([root])) memo.set(n.id, (TEXT[n.op] as (n: Node, c: Ctx) => Out)(n, ctx));
  return memo.get(root.id)!.text;
}


/** An upper estimate of the printed length of a node, without printing it: the text of a shared
 *  graph is a tree, and can be far larger than the graph (a Hessian of sin(sin(...)) is cubic). */
export function printedLength(root: Node): number {
  const memo = new Map<number, number>();
  for (const n of topoOrder([root])) {
    let len = 4 + (n.attrs.name?.length ?? 0);
    for (const a of n.args) len += memo.get(a.id)! + 3;
    memo.set(n.id, len);
  }
  return memo.get(root.id)!;
}
