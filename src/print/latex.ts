import type { Node } from '../ir/node.js';
import { toText } from './text.js';
/** Placeholder until the LaTeX printer lands. */
export const toLatex = (n: Node): string => toText(n);
