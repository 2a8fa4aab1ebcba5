/** A first guess at each variable's kind, for the page to offer before the user picks: from how a
 *  name is used (`x'*A*x`: x a vector, A a matrix; `inv(A)`: a matrix; `x^2`, `A/s`: scalars) and,
 *  where usage says nothing, from conventions (capitals for matrices, lowercase for vectors, t, s,
 *  alpha, lambda and the like for scalars). Only a guess: the user's pick always wins. */
import type { Ast } from '../lang/ast.js';
import { RESERVED, type KindName } from '../lang/kinds.js';
import { parse } from '../lang/parser.js';

export type { KindName };
export interface Guess { name: string; kind: KindName; reason: string }

/** Lowercase names that conventionally hold a number. */
const SCALAR_NAME = /^(t|s|alpha|beta|gamma|delta|epsilon|eps|eta|kappa|lambda|lam|mu|nu|rho|sigma|tau|omega)\d*$/;
/** Functions whose argument must be a square matrix, and those that take a column vector. */
const SQUARE_ARG = new Set(['det', 'inv', 'logdet', 'tr']);
const VECTOR_ARG = new Set(['logsumexp', 'softmax']);
/** Calls whose arguments (all, or from the second on) are dimensions, not variables. */
const DIMENSION_ARGS: Record<string, number> = { eye: 0, ones: 0, zeros: 0, unvec: 1 };

type Evidence = 'scalar' | 'square' | 'vector' | 'nonscalar';
const isCapital = (name: string): boolean => /^[A-Z]/.test(name);

/** The name a node stands for, through parentheses, and whether it is transposed. */
function nameOf(a: Ast): { name: string; transposed: boolean } | null {
  let transposed = false;
  for (;;) {
    if (a.type === 'paren') a = a.inner;
    else if (a.type === 'transpose') { transposed = a.count % 2 === 1 || transposed; a = a.arg; }
    else break;
  }
  return a.type === 'name' ? { name: a.name, transposed } : null;
}
const isTransposed = (a: Ast): boolean => {
  while (a.type === 'paren') a = a.inner;
  return a.type === 'transpose';
};

/** Names in order of first appearance, with what their uses say. */
function collect(ast: Ast): Map<string, Evidence[]> {
  const found = new Map<string, Evidence[]>();
  const note = (a: Ast | undefined, e: Evidence): void => {
    const n = a && nameOf(a);
    if (n && found.has(n.name)) found.get(n.name)!.push(e);
  };
  // An explicit stack: expressions may nest a thousand levels deep.
  const stack: Ast[] = [ast];
  const order: Ast[] = [];
  while (stack.length) {
    const a = stack.pop()!;
    order.push(a);
    switch (a.type) {
      case 'name':
        if (!RESERVED.has(a.name) && !found.has(a.name)) found.set(a.name, []);
        break;
      case 'call': {
        const from = DIMENSION_ARGS[a.name];
        const args = from === undefined ? a.args : a.args.slice(0, from);
        for (let i = args.length - 1; i >= 0; i--) stack.push(args[i]!);
        break;
      }
      case 'sum': for (let i = a.terms.length - 1; i >= 0; i--) stack.push(a.terms[i]!.term); break;
      case 'product': for (let i = a.factors.length - 1; i >= 0; i--) stack.push(a.factors[i]!.factor); break;
      case 'power': stack.push(a.exponent, a.base); break;
      case 'neg': case 'transpose': stack.push(a.arg); break;
      case 'paren': stack.push(a.inner); break;
      case 'num': break;
    }
  }
  for (const a of order) {
    if (a.type === 'call') {
      if (SQUARE_ARG.has(a.name)) note(a.args[0], 'square');
      if (VECTOR_ARG.has(a.name)) note(a.args[0], 'vector');
    } else if (a.type === 'power') {
      note(a.exponent, 'scalar');
      const base = nameOf(a.base);
      // '^' takes a scalar or a square matrix: a lowercase base reads as a number.
      if (a.op === '^' && base && !base.transposed) note(a.base, isCapital(base.name) ? 'square' : 'scalar');
    } else if (a.type === 'transpose') {
      note(a.arg, 'nonscalar');
    } else if (a.type === 'product') {
      a.factors.forEach((f, i) => {
        if (f.op === '/') note(f.factor, 'scalar');
        const next = a.factors[i + 1];
        const n = nameOf(f.factor);
        // A lowercase name times something that is not a transpose (`s*A`, `t*x`): a column vector
        // cannot stand there (inference never makes a dimension 1), so it is a scalar.
        if (n && !n.transposed && !isCapital(n.name) && next?.op === '*' && next.factor.type !== 'num' && !isTransposed(next.factor)) {
          note(f.factor, 'scalar');
        }
      });
    }
  }
  return found;
}

function decide(name: string, evidence: Evidence[]): Guess {
  const has = (e: Evidence): boolean => evidence.includes(e);
  if (has('square')) return { name, kind: 'matrix', reason: 'used where a square matrix is needed' };
  if (has('vector')) return { name, kind: 'vector', reason: 'used where a vector is needed' };
  if (has('scalar') && !has('nonscalar')) return { name, kind: 'scalar', reason: 'used where a number is needed' };
  if (has('nonscalar')) {
    return isCapital(name)
      ? { name, kind: 'matrix', reason: 'transposed; a capital: a matrix' }
      : { name, kind: 'vector', reason: 'transposed; lowercase: a vector' };
  }
  if (isCapital(name)) return { name, kind: 'matrix', reason: 'a capital: a matrix by convention' };
  if (SCALAR_NAME.test(name)) return { name, kind: 'scalar', reason: 'a scalar by convention' };
  return { name, kind: 'vector', reason: 'lowercase: a vector by convention' };
}

/** Names as a tokenizer would read them, for an expression that does not parse (yet). */
function namesOf(expr: string): string[] {
  const names: string[] = [];
  const re = /(\d*\.?\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)(\s*\()?/g;
  for (let m = re.exec(expr); m; m = re.exec(expr)) {
    const name = m[2];
    if (name && !m[3] && !RESERVED.has(name) && !names.includes(name)) names.push(name);
  }
  return names;
}

/** Every variable of `expr`, in order of first appearance, with a guessed kind. */
export function guessKinds(expr: string): Guess[] {
  let ast: Ast;
  try {
    ast = parse(expr);
  } catch {
    return namesOf(expr).map((n) => decide(n, []));
  }
  return [...collect(ast)].map(([name, evidence]) => decide(name, evidence));
}

/** Names one usually differentiates by, most likely first. */
const WRT_PREFERENCE = ['x', 'w', 'theta', 'X', 'W', 'beta', 'S', 'Sigma', 'A'];

/** The variable to differentiate by when the user has not said: the current one if still there,
 *  else a conventional name, else the first non-scalar, else the first. */
export function guessWrt(guesses: readonly Guess[], current?: string): string {
  const names = guesses.map((g) => g.name);
  if (current && names.includes(current)) return current;
  return WRT_PREFERENCE.find((n) => names.includes(n)) ?? guesses.find((g) => g.kind !== 'scalar')?.name ?? names[0] ?? '';
}
