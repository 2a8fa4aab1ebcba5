/** The derivation as a person writes it: d(f) expanded one rule at a time, outermost first,
 *  by the same rules (DIFF_RULES) the engine differentiates with. Each stage is recorded:
 *  the expression after it (with unexpanded d(u) nodes) and the rule applied. */
import * as B from '../ir/build.js';
import { topoOrder, type Node } from '../ir/node.js';
import { DIFF_RULES, type RuleEntry } from './rules.js';
import type { Perturbation } from './differential.js';

export interface Stage { expr: Node; rule: string; label: string }

/** Stages from d(f) to the fully expanded differential; `maxStages` bounds the record, the rest is one stage. */
export function traceDifferential(f: Node, by: Perturbation, maxStages = 60): Stage[] {
  const moves = (n: Node): boolean => { for (const v of by.keys()) if (n.vars.has(v)) return true; return false; };
  const dOf = (a: Node): Node | null => (!moves(a) ? null : a.op === 'Var' ? by.get(a.attrs.name!) ?? null : B.delta(a));
  // d(u) with every argument's d zero (sign, or a rule that cancels) is zero
  const expand = (u: Node): Node => {
    const ds = u.args.map(dOf);
    return ds.every((x) => x === null) ? B.zeros(u.shape) : (DIFF_RULES[u.op] as RuleEntry).rule(u, ds);
  };
  const start = dOf(f);
  if (!start) return [];
  const stages: Stage[] = [{ expr: start, rule: 'differential', label: 'take the differential of both sides' }];
  let expr = start;
  for (;;) {
    const pending = topoOrder([expr]).filter((n) => n.op === 'Delta');
    if (pending.length === 0) break;
    // the outermost operator first; every d(u) expanded by that same rule goes in one stage
    const last = stages.length >= maxStages;
    const outer = pending.reduce((a, b) => (b.args[0]!.depth > a.args[0]!.depth ? b : a));
    const ruleOf = (n: Node): RuleEntry => DIFF_RULES[n.args[0]!.op] as RuleEntry;
    const chosen = last ? pending : pending.filter((n) => ruleOf(n).id === ruleOf(outer).id);
    const expansion = new Map<number, Node>();
    for (const n of chosen) {
      const u = n.args[0]!;
      expansion.set(n.id, expand(u));
    }
    expr = substitute(expr, expansion);
    const labels = [...new Set(chosen.map((n) => ruleOf(n).label))];
    stages.push(last
      ? { expr, rule: 'remaining-rules', label: `the remaining rules: ${labels.join('; ')}` }
      : { expr, rule: ruleOf(outer).id, label: ruleOf(outer).label });
  }
  return stages;
}

/** The graph with some nodes replaced, rebuilt through the smart constructors. */
export function substitute(root: Node, replace: ReadonlyMap<number, Node>): Node {
  const memo = new Map<number, Node>();
  for (const n of topoOrder([root])) {
    const r = replace.get(n.id);
    memo.set(n.id, r ?? B.rebuild(n, n.args.map((a) => memo.get(a.id)!)));
  }
  return memo.get(root.id)!;
}
