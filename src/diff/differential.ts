/** df: the differential of a graph with respect to some variables, each perturbed by a leaf
 *  (`dX`). One pass over the graph, children first, each node once; nodes that do not depend
 *  on a perturbed variable have a symbolic zero (null) that the rules skip. */
import { isZero } from '../ir/build.js';
import { originOf, topoOrder, withOrigin, type Node } from '../ir/node.js';
import { DIFF_RULES, type RuleEntry } from './rules.js';

/** Which variables move, and the leaf that perturbs each. */
export type Perturbation = ReadonlyMap<string, Node>;

export function differential(root: Node, by: Perturbation): Node | null {
  const memo = new Map<number, Node | null>();
  const moves = (n: Node): boolean => { for (const v of by.keys()) if (n.vars.has(v)) return true; return false; };
  for (const n of topoOrder([root])) {
    if (!moves(n)) { memo.set(n.id, null); continue; }
    if (n.op === 'Var') { memo.set(n.id, by.get(n.attrs.name!) ?? null); continue; }
    const ds = n.args.map((a) => memo.get(a.id) ?? null);
    if (ds.every((x) => x === null)) { memo.set(n.id, null); continue; }
    const d = withOrigin(originOf(n), () => (DIFF_RULES[n.op] as RuleEntry).rule(n, ds));
    memo.set(n.id, isZero(d) ? null : d);
  }
  return memo.get(root.id) ?? null;
}
