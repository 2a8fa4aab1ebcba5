/** Test-only tools for the syntax tree: a compact rendering for golden tests,
 *  span stripping, a printer, and a generator of well-formed trees. */
import fc from 'fast-check';
import type { Span } from '../../src/ir/errors.js';
import type { Ast } from '../../src/lang/ast.js';

/** A compact, unambiguous rendering: [a - b + c], [A * x / s], (neg x), (^ a b), (T2 x), (paren x), f(a, b). */
export const sexp = (a: Ast): string => {
  switch (a.type) {
    case 'num': return a.text;
    case 'name': return a.name;
    case 'call': return `${a.name}(${a.args.map(sexp).join(', ')})`;
    case 'sum': return `[${a.terms.map((t, i) => (i === 0 ? '' : t.sign === 1 ? '+ ' : '- ') + sexp(t.term)).join(' ')}]`;
    case 'product': return `[${a.factors.map((f, i) => (i === 0 ? '' : `${f.op} `) + sexp(f.factor)).join(' ')}]`;
    case 'neg': return `(neg ${sexp(a.arg)})`;
    case 'power': return `(${a.op} ${sexp(a.base)} ${sexp(a.exponent)})`;
    case 'transpose': return `(T${a.count === 1 ? '' : a.count} ${sexp(a.arg)})`;
    case 'paren': return `(paren ${sexp(a.inner)})`;
  }
};

/** The tree without its spans, for comparing structure. */
export const strip = (a: unknown): unknown => {
  if (Array.isArray(a)) return a.map(strip);
  if (a === null || typeof a !== 'object') return a;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) if (k !== 'span' && k !== 'nameSpan' && k !== 'opSpan') out[k] = strip(v);
  return out;
};

/** Every node of the tree, parents first. */
export const nodes = (a: Ast): Ast[] => {
  const out: Ast[] = [];
  const stack: Ast[] = [a];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    switch (n.type) {
      case 'call': stack.push(...n.args); break;
      case 'sum': stack.push(...n.terms.map((t) => t.term)); break;
      case 'product': stack.push(...n.factors.map((f) => f.factor)); break;
      case 'neg': stack.push(n.arg); break;
      case 'power': stack.push(n.base, n.exponent); break;
      case 'transpose': stack.push(n.arg); break;
      case 'paren': stack.push(n.inner); break;
    }
  }
  return out;
};

/** Source text for a tree; parentheses only where the tree has 'paren' nodes. */
export const print = (a: Ast, spaced: boolean): string => {
  const sp = spaced ? ' ' : '';
  switch (a.type) {
    case 'num': return a.text.endsWith('.') ? `${a.text} ` : a.text; // '2.' then '*' would read '2 .*'
    case 'name': return a.name;
    case 'call': return `${a.name}(${a.args.map((x) => print(x, spaced)).join(`,${sp}`)})`;
    case 'sum': return a.terms.map((t, i) => (i === 0 ? '' : `${sp}${t.sign === 1 ? '+' : '-'}${sp}`) + print(t.term, spaced)).join('');
    case 'product': return a.factors.map((f, i) => (i === 0 ? '' : `${sp}${f.op}${sp}`) + print(f.factor, spaced)).join('');
    case 'neg': return `-${print(a.arg, spaced)}`;
    case 'power': return `${print(a.base, spaced)}${sp}${a.op}${sp}${print(a.exponent, spaced)}`;
    case 'transpose': return print(a.arg, spaced) + "'".repeat(a.count);
    case 'paren': return `(${print(a.inner, spaced)})`;
  }
};

// ---- building well-formed trees: each constructor parenthesises an operand that binds too loosely.
const Z: Span = { start: 0, end: 0 };
const level = (a: Ast): number =>
  ({ sum: 1, product: 2, neg: 3, power: 4, transpose: 5, num: 6, name: 6, call: 6, paren: 6 })[a.type];
const paren = (inner: Ast): Ast => ({ type: 'paren', inner, span: Z });
const wrap = (a: Ast, min: number): Ast => (level(a) >= min ? a : paren(a));

export const mk = {
  num: (text: string): Ast => ({ type: 'num', value: Number(text), text, span: Z }),
  name: (name: string): Ast => ({ type: 'name', name, span: Z }),
  call: (name: string, args: Ast[]): Ast => ({ type: 'call', name, nameSpan: Z, args, span: Z }),
  sum: (terms: { sign: 1 | -1; term: Ast }[]): Ast => ({
    type: 'sum', span: Z,
    terms: terms.map((t, i) => ({ sign: i === 0 ? 1 : t.sign, term: wrap(t.term, 2), opSpan: i === 0 ? null : Z })),
  }),
  product: (factors: { op: '*' | '/' | '.*' | './'; factor: Ast }[]): Ast => ({
    type: 'product', span: Z,
    factors: factors.map((f, i) => ({ op: i === 0 ? '*' : f.op, factor: wrap(f.factor, 3), opSpan: i === 0 ? null : Z })),
  }),
  neg: (arg: Ast): Ast => ({ type: 'neg', arg: wrap(arg, 3), span: Z }),
  power: (op: '^' | '.^', base: Ast, exponent: Ast): Ast =>
    ({ type: 'power', op, base: wrap(base, 5), exponent: wrap(exponent, 3), opSpan: Z, span: Z }),
  transpose: (arg: Ast, count: number): Ast => ({ type: 'transpose', arg: wrap(arg, 6), count, span: Z }),
  paren,
};

const NUMBERS = ['0', '1', '2', '10', '0.5', '.5', '2.5', '1e-3', '1E+3', '3e2', '2.', '007', '1.5e-7'];
const NAMES = ['x', 'y', 'A', 'B', 'e', 'E', 'e1', '_t', 'X_2', 'tr', 'inv', 'dX'];

/** Random well-formed trees, with zero spans. */
export const arbAst: fc.Arbitrary<Ast> = fc.letrec<{ ast: Ast }>((tie) => ({
  ast: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NUMBERS).map(mk.num),
    fc.constantFrom(...NAMES).map(mk.name),
    fc.tuple(fc.constantFrom(...NAMES), fc.array(tie('ast'), { minLength: 1, maxLength: 3 })).map(([n, args]) => mk.call(n, args)),
    fc.array(fc.record({ sign: fc.constantFrom(1 as const, -1 as const), term: tie('ast') }), { minLength: 2, maxLength: 4 }).map(mk.sum),
    fc.array(fc.record({ op: fc.constantFrom('*' as const, '/' as const, '.*' as const, './' as const), factor: tie('ast') }), { minLength: 2, maxLength: 4 }).map(mk.product),
    tie('ast').map(mk.neg),
    fc.tuple(fc.constantFrom('^' as const, '.^' as const), tie('ast'), tie('ast')).map(([op, b, e]) => mk.power(op, b, e)),
    fc.tuple(tie('ast'), fc.integer({ min: 1, max: 3 })).map(([a, n]) => mk.transpose(a, n)),
    tie('ast').map(paren),
  ),
})).ast;
