/** What a tangent rule may ask of its values: a "number-like matrix algebra" over a value type V.
 *  V is a plain Matrix, or a dual matrix whose parts are again values (hyper-duals by nesting),
 *  so one table of tangent rules serves every order. */
import type { OpName } from '../ir/ops.js';
import type { Matrix } from '../numeric/matrix.js';

/** The operators evaluated on values: all but the leaves (which have values, not arguments)
 *  and `Delta` (which is never evaluated). */
export type AppliedOp = Exclude<OpName, 'Var' | 'Const' | 'Identity' | 'Ones' | 'Zeros' | 'Delta'>;

/** What an operator needs besides its arguments, in numbers: for `Mul`, which factors scale
 *  (1 x 1 by their symbolic shape in a graph; by their actual shape elsewhere); for `MatPow`,
 *  the exponent; for `Unvec`, the rows it makes. */
export interface Site {
  readonly scalar?: readonly boolean[];
  readonly k?: number;
  readonly rows?: number;
}

export interface Algebra<V> {
  /** The operator applied to values; its tangent, if any argument carries one, by the rules. */
  apply(op: AppliedOp, args: readonly V[], site?: Site): V;
  /** A constant: a value whose tangent is zero. */
  constant(m: Matrix): V;
  /** Rows and columns of a value. */
  shape(v: V): readonly [number, number];
}

/** What a tangent rule is given: the arguments' values, their tangents (null: zero), the
 *  operator's own value `out`, and its site. */
export interface At<V> {
  readonly args: readonly V[];
  readonly dArgs: readonly (V | null)[];
  readonly out: V;
  readonly site: Site;
}

/** The tangent of an operator's value, linear in the arguments' tangents; null for zero. */
export type TangentRule = <V>(M: Algebra<V>, x: At<V>) => V | null;
