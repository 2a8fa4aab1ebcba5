/** Every error a user can cause: a stable code, a message a person can act on,
 *  where the fault is (`in`), and a span into the expression when it has a place. */
export type ErrorCode =
  | 'bad-json' | 'bad-request' | 'parse-error' | 'unknown-name' | 'unknown-function' | 'arity'
  | 'reserved-name' | 'shape-mismatch' | 'not-square' | 'bad-value' | 'missing-value'
  | 'not-finite' | 'singular' | 'too-deep' | 'too-large' | 'bad-order' | 'not-scalar'
  | 'no-closed-form';

export interface Span { start: number; end: number }

export class MatcalcError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly where: string = 'expr',
    readonly span: Span | null = null,
  ) {
    super(message);
    this.name = 'MatcalcError';
  }

  toJSON(): { error: { code: ErrorCode; message: string; in: string; start: number | null; end: number | null } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        in: this.where,
        start: this.span ? this.span.start : null,
        end: this.span ? this.span.end : null,
      },
    };
  }
}

export const fail = (code: ErrorCode, message: string, span: Span | null = null, where = 'expr'): never => {
  throw new MatcalcError(code, message, where, span);
};
