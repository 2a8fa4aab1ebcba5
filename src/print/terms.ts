/** Print order shared by the text and LaTeX printers. */
import type { Node } from '../ir/node.js';

const isNegConst = (n: Node): boolean => n.op === 'Const' && n.attrs.value! < 0;
/** Whether a term prints with a leading minus: a negative number, or a product with a negative coefficient. */
export const isNegativeTerm = (t: Node): boolean => isNegConst(t) || (t.op === 'Mul' && isNegConst(t.args[0]!));

/** The terms of a sum with the first positive one moved to the front (b - a, not -a + b), each with its printed form. */
export function inPrintOrder<O>(terms: readonly Node[], outs: readonly O[]): (readonly [Node, O])[] {
  const pairs = terms.map((t, i) => [t, outs[i]!] as const);
  const first = pairs.findIndex(([t]) => !isNegativeTerm(t));
  if (first > 0) pairs.unshift(...pairs.splice(first, 1));
  return pairs;
}
