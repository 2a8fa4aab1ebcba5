/** Simplification: the smart constructors keep every node canonical as it is built; these passes
 *  add the rewrites that need a view of a whole sum (factoring) or a purpose (expanding where dX is). */
import type { Node } from '../ir/node.js';
import { rewrite, type Applied } from './rewrite.js';
import { expansionRules, FACTOR_RULES } from './rules.js';

export type { Applied, Rule } from './rewrite.js';
export { FACTOR_RULES, expansionRules } from './rules.js';

/** Common factors taken out of sums, to a fixed point. */
export function simplify(n: Node, log?: Applied[]): Node {
  // a pass settles the nodes it rebuilds; the constructors may make new ones below them, so repeat
  // until nothing changes (a few passes at most)
  for (let pass = 0; pass < 8; pass++) {
    const m = rewrite(n, FACTOR_RULES, 10_000, log);
    if (m === n) return m;
    n = m;
  }
  return n;
}

/** Products distributed over the sums that hold one of the named perturbations. */
export const expandAround = (n: Node, names: readonly string[], log?: Applied[]): Node =>
  rewrite(n, expansionRules((m) => names.some((v) => m.vars.has(v))), 10_000, log);

/** Only the rewrite of kron(A, dX)*v, which a gradient needs to be read off (no distribution: no swell). */
export const rewriteKron = (n: Node, name: string): Node =>
  rewrite(n, expansionRules((m) => m.vars.has(name)).filter((r) => r.id === 'kron-times-vector'));
