/**
 * Errors raised by the numeric kernels.
 *
 * `SingularMatrixError` is the only error a well-typed program can trigger
 * here: the lead maps it to a user-facing error with a source span. Shape
 * mismatches throw a plain `Error`, since the type checker upstream rules
 * them out (they are internal bugs).
 */

/** A matrix whose reciprocal condition number is below n * machine epsilon. */
export class SingularMatrixError extends Error {
  /** The 1-norm reciprocal condition number estimate (0 for an exact zero pivot). */
  readonly rcond: number;

  constructor(rcond: number, message?: string) {
    super(message ?? `matrix is singular to working precision (rcond = ${rcond.toExponential(3)})`);
    this.name = 'SingularMatrixError';
    this.rcond = rcond;
  }
}

/** Throw a plain Error for a shape mismatch (an internal bug, never a user error). */
export function shapeError(op: string, detail: string): never {
  throw new Error(`${op}: shape mismatch: ${detail}`);
}
