/** A bottom-up rewrite of a graph: each node rebuilt from its rewritten arguments, then the
 *  rules tried on it until none applies, under a step budget. Each node is visited once (memo on id),
 *  and the walk is iterative, so depth is no concern. */
import { rebuild } from '../ir/build.js';
import { topoOrder, type Node } from '../ir/node.js';

export interface Rule {
  /** A stable kebab-case identity, e.g. 'factor-common-right'. */
  readonly id: string;
  readonly label: string;
  /** The rewritten node, or null where the rule does not apply. */
  readonly apply: (n: Node) => Node | null;
}

export interface Applied { rule: Rule; before: Node; after: Node }

export function rewrite(root: Node, rules: readonly Rule[], budget = 10_000, log?: Applied[]): Node {
  const memo = new Map<number, Node>();
  let steps = 0;
  const settle = (n: Node): Node => {
    for (let changed = true; changed && steps < budget;) {
      changed = false;
      for (const rule of rules) {
        const m = rule.apply(n);
        if (m && m !== n) {
          steps++;
          log?.push({ rule, before: n, after: m });
          n = m === n ? n : rewriteInner(m);
          changed = true;
          break;
        }
      }
    }
    return n;
  };
  const rewriteInner = (n: Node): Node => {
    for (const m of topoOrder([n])) {
      if (memo.has(m.id)) continue;
      const args = m.args.map((a) => memo.get(a.id) ?? a);
      memo.set(m.id, settle(rebuild(m, args)));
    }
    return memo.get(n.id)!;
  };
  return rewriteInner(root);
}
