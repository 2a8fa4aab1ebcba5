/** Simplification rules as named data. Each keeps the value (tests check every rule numerically
 *  at random points) and makes the expression smaller, or, for the expansions, linear in the
 *  perturbation term by term so that the answer can be read off. */
import * as B from '../ir/build.js';
import { isScalar, type Node } from '../ir/node.js';
import type { Rule } from './rewrite.js';

interface Term { scalars: Node[]; chain: Node[] }
/** Past this many terms a factor is taken out only where every term has it: partial groups of a long
 *  sum nest one inside another (a Horner scheme of depth n) at a cost cubic in n. */
const PARTIAL_GROUPS_UP_TO = 6;
const enough = (n: Node, count: number): boolean => count >= 2 && (n.args.length <= PARTIAL_GROUPS_UP_TO || count === n.args.length);
const termOf = (t: Node): Term =>
  t.op === 'Mul' && !(isScalar(t) && !t.args.some(isScalar))
    ? { scalars: t.args.filter(isScalar), chain: t.args.filter((a) => !isScalar(a)) }
    : isScalar(t) ? { scalars: [t], chain: [] } : { scalars: [], chain: [t] };
const shapeKey = (n: Node): string => `${n.shape[0]}x${n.shape[1]}`;

/** Terms of a sum that share a factor, gathered: sum of (key part) with the rest summed. */
function factorBy(n: Node, keyOf: (t: Term) => Node | null, restOf: (t: Term) => Node, join: (key: Node, rest: Node) => Node): Node | null {
  if (n.op !== 'Add') return null;
  const groups = new Map<string, { key: Node; rests: Node[]; terms: Node[] }>();
  for (const t of n.args) {
    const term = termOf(t);
    const key = keyOf(term);
    if (!key) continue;
    const rest = restOf(term);
    const k = `${key.id}|${shapeKey(rest)}`;
    const g = groups.get(k);
    if (g) { g.rests.push(rest); g.terms.push(t); } else groups.set(k, { key, rests: [rest], terms: [t] });
  }
  let best: { key: Node; rests: Node[]; terms: Node[] } | null = null;
  for (const g of groups.values()) if (enough(n, g.terms.length) && (!best || g.terms.length > best.terms.length)) best = g;
  if (!best) return null;
  const gathered = join(best.key, B.addAll(best.rests));
  const others = n.args.filter((t) => !best!.terms.includes(t));
  return others.length ? B.addAll([...others, gathered]) : gathered;
}

/** u where n is 1 + exp(u) (ones + exp(u) for a matrix), else null. */
function onePlusExp(n: Node): Node | null {
  if (n.op !== 'Add' || n.args.length !== 2) return null;
  const one = n.args.find((a) => a.op === 'Ones' || B.isConst(a, 1));
  const e = n.args.find((a) => a !== one);
  return one && e && e.op === 'Exp' ? e.args[0]! : null;
}
const reciprocalBase = (n: Node): Node | null =>
  (n.op === 'Pow' || n.op === 'ElemPow') && B.isConst(n.args[1]!, -1) ? n.args[0]! : null;

/** exp(u) ./ (1 + exp(u)) = sigmoid(u), and 1 ./ (1 + exp(-u)) = sigmoid(u), in a product of either kind. */
function sigmoidOf(n: Node): Node | null {
  const alone = reciprocalBase(n);
  const v = alone && onePlusExp(alone);
  if (v && v.op === 'Mul' && B.isConst(v.args[0]!, -1)) return B.elementwise('Sigmoid', B.neg(v));
  if (n.op !== 'Hadamard' && n.op !== 'Mul') return null;
  const rebuild = (fs: Node[]): Node => (n.op === 'Hadamard' ? B.hadamard(...fs) : B.mulAll(fs));
  for (const [i, f] of n.args.entries()) {
    const base = reciprocalBase(f);
    const u = base && onePlusExp(base);
    if (!u) continue;
    const j = n.args.findIndex((g) => g.op === 'Exp' && g.args[0] === u);
    if (j >= 0) return rebuild([...n.args.filter((_, k) => k !== i && k !== j), B.elementwise('Sigmoid', u)]);
    if (u.op === 'Mul' && B.isConst(u.args[0]!, -1)) {
      return rebuild([...n.args.filter((_, k) => k !== i), B.elementwise('Sigmoid', B.neg(u))]);
    }
  }
  return null;
}

export const FACTOR_RULES: Rule[] = [
  { id: 'sigmoid', label: 'exp(u)./(1 + exp(u)) = sigmoid(u)', apply: sigmoidOf },
  {
    id: 'factor-common-scalar', label: 'a common scalar factor taken out: a*X + a*Y = a*(X + Y)',
    apply: (n) => {
      if (n.op !== 'Add') return null;
      const count = new Map<number, [Node, number]>();
      for (const t of n.args) for (const s of new Set(termOf(t).scalars)) {
        if (s.op === 'Const') continue;
        const e = count.get(s.id);
        if (e) e[1]++; else count.set(s.id, [s, 1]);
      }
      let best: [Node, number] | null = null;
      for (const e of count.values()) if (enough(n, e[1]) && (!best || e[1] > best[1])) best = e;
      if (!best) return null;
      const s = best[0];
      const withS = n.args.filter((t) => termOf(t).scalars.includes(s));
      // every factor the group has in common comes out at once (one pass, not one per factor)
      const common = new Set(termOf(withS[0]!).scalars.filter((f) => f.op !== 'Const'));
      for (const t of withS.slice(1)) { const own = new Set(termOf(t).scalars); for (const f of common) if (!own.has(f)) common.delete(f); }
      const rest = withS.map((t) => { const { scalars, chain } = termOf(t); return B.mulAll([...scalars.filter((f) => !common.has(f)), ...chain]); });
      const gathered = B.mulAll([...common, B.addAll(rest)]);
      const others = n.args.filter((t) => !withS.includes(t));
      return others.length ? B.addAll([...others, gathered]) : gathered;
    },
  },
  {
    id: 'factor-common-right', label: 'a common right factor taken out: A*X + B*X = (A + B)*X',
    apply: (n) => factorBy(n, (t) => (t.chain.length ? t.chain[t.chain.length - 1]! : null),
      (t) => B.mulAll([...t.scalars, ...t.chain.slice(0, -1)]), (key, rest) => B.mul(rest, key)),
  },
  {
    id: 'factor-common-left', label: 'a common left factor taken out: X*A + X*B = X*(A + B)',
    apply: (n) => factorBy(n, (t) => (t.chain.length >= 2 ? t.chain[0]! : null),
      (t) => B.mulAll([...t.scalars, ...t.chain.slice(1)]), (key, rest) => B.mul(key, rest)),
  },
];

/** Expansion rules, applied where a perturbation (dX) stands, so that each term is a product holding it once. */
export function expansionRules(holds: (n: Node) => boolean): Rule[] {
  const distribute = (build: (fs: Node[]) => Node) => (n: Node): Node | null => {
    const i = n.args.findIndex((a) => a.op === 'Add' && holds(a));
    if (i < 0) return null;
    return B.addAll(n.args[i]!.args.map((t) => build(n.args.map((a, j) => (j === i ? t : a)))));
  };
  return [
    {
      id: 'distribute-over-sum', label: 'products distributed over sums: A*(dX + dY) = A*dX + A*dY',
      apply: (n) => (n.op === 'Mul' ? distribute(B.mulAll)(n) : n.op === 'Hadamard' ? distribute((fs) => B.hadamard(...fs))(n)
        : n.op === 'Kron' ? distribute(([a, b]) => B.kron(a!, b!))(n) : null),
    },
    {
      // (A ⊗ B) vec(U) = vec(B U A') (Cookbook 520): kron(A, B)*v = vec(B*unvec(v, cols B)*A')
      id: 'kron-times-vector', label: "kron(A, B)*v = vec(B*unvec(v)*A')",
      apply: (n) => {
        if (n.op !== 'Mul') return null;
        const chain = n.args.filter((a) => !isScalar(a));
        const k = chain.findIndex((a) => a.op === 'Kron' && holds(a));
        if (k < 0 || k === chain.length - 1) return null;
        const v = B.mulAll(chain.slice(k + 1));
        if (v.shape[1] !== '1') return null;
        const [A, Bm] = chain[k]!.args as [Node, Node];
        const U = B.unvec(v, Bm.shape[1], A.shape[1]);
        const rewritten = B.vec(B.mul(Bm, U, B.transpose(A)));
        return B.mulAll([...n.args.filter(isScalar), ...chain.slice(0, k), rewritten]);
      },
    },
  ];
}
