/** The syntax tree of the expression language (LANGUAGE.md, Grammar): syntax only,
 *  no shapes or names resolved. Every node carries its [start, end) span in UTF-16
 *  code units of the source. Parentheses are kept (`paren`) so that spans and
 *  printing stay faithful; sums and products are n-ary so that long chains are flat. */
import type { Span } from '../ir/errors.js';

export type { Span };

export type SumTerm = { sign: 1 | -1; term: Ast; opSpan: Span | null };
export type ProductOp = '*' | '/' | '.*' | './';
export type ProductFactor = { op: ProductOp; factor: Ast; opSpan: Span | null };

export type Ast =
  /** `text` is the literal as written (`1e-3`, `.5`). */
  | { type: 'num'; value: number; text: string; span: Span }
  | { type: 'name'; name: string; span: Span }
  | { type: 'call'; name: string; nameSpan: Span; args: Ast[]; span: Span }
  /** `a - b + c`: the first term has sign 1 and opSpan null; never fewer than two terms. */
  | { type: 'sum'; terms: SumTerm[]; span: Span }
  /** `A*x/s`, left to right: the first factor has op '*' and opSpan null; never fewer than two factors. */
  | { type: 'product'; factors: ProductFactor[]; span: Span }
  | { type: 'neg'; arg: Ast; span: Span }
  | { type: 'power'; op: '^' | '.^'; base: Ast; exponent: Ast; opSpan: Span; span: Span }
  /** `x'''` has count 3; count >= 1. */
  | { type: 'transpose'; arg: Ast; count: number; span: Span }
  | { type: 'paren'; inner: Ast; span: Span };

export type AstType = Ast['type'];
