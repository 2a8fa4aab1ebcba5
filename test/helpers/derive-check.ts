/**
 * One derivative checked against central finite differences: the engine's `derive` at a random
 * point, and the reference computed from values of f alone (test/helpers/numeric.ts).
 */
import { compile, symmetricVars } from '../../src/api/compile.js';
import { derive } from '../../src/api/derive.js';
import type { DeriveAnswer, Kind } from '../../src/api/types.js';
import { bindValues } from '../../src/api/values.js';
import type { Program } from '../../src/lang/elaborate.js';
import { evaluate } from '../../src/numeric/evaluate.js';
import { Matrix } from '../../src/numeric/matrix.js';
import { evaluate as evaluateText } from '../../src/api/evaluate.js';
import {
  directions, fdGradient, fdHessian, fdJacobian, fromJson, pointFor, relErr, seeded, sizesFor, toJson, type Domain, type Json,
} from './numeric.js';

export interface Case {
  readonly expr: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly wrt: string;
  readonly order: 1 | 2;
  readonly domain?: Readonly<Record<string, Domain>>;
}

export interface Checked {
  readonly program: Program;
  readonly answer: DeriveAnswer;
  /** The kind LANGUAGE.md gives this f, variable and order (worked out here, not by the engine). */
  readonly kind: Kind;
  readonly at: Record<string, Json>;
  readonly sizes: Record<string, number>;
  readonly got: Matrix;
  readonly want: Matrix;
  readonly err: number;
  /** The symbolic numbers against dual numbers (CLI.md's agreement). */
  readonly dualErr: number;
}

/** Symbolic and dual numbers agree to rounding: each is the other's independent check. */
export const DUAL_TOL = 1e-10;

const isColumn = (s: readonly [string, string]): boolean => s[1] === '1';

/** The kind of answer for f by x at an order, by LANGUAGE.md's "What a derivative is". */
export function expectedKind(program: Program, wrt: string, order: 1 | 2): Kind {
  const f = program.root.shape, x = program.shapes[wrt]!;
  const scalar = f[0] === '1' && f[1] === '1';
  if (order === 2) return 'hessian';
  if (scalar) return 'gradient';
  return isColumn(f) && isColumn(x) ? 'jacobian' : 'differential';
}

/** f as a function of the variable `wrt` alone, the others held at their values in `at`. */
export function functionOf(program: Program, wrt: string, at: Record<string, Json>): { f: (X: Matrix) => Matrix; X: Matrix; symmetric: boolean } {
  const sym = symmetricVars(program);
  const env = bindValues(program.shapes, at, sym);
  const f = (Y: Matrix): Matrix => {
    const values = new Map(env.values);
    values.set(wrt, Y);
    return evaluate([program.root], { values, sizes: env.sizes })[0]!;
  };
  return { f, X: env.values.get(wrt)!, symmetric: sym.has(wrt) };
}

/** The finite-difference reference for the answer of that kind, laid out as derivativeValue is. */
export function reference(kind: Kind, f: (X: Matrix) => Matrix, X: Matrix, symmetric: boolean): Matrix {
  switch (kind) {
    case 'gradient': return fdGradient(f, X, symmetric);
    case 'hessian': return fdHessian(f, X, symmetric);
    case 'jacobian': case 'differential': return fdJacobian(f, X, symmetric);
  }
}

/** Derive at a random point (sizes base or base + 1 per dimension, values by domain) and compare with FD. */
export function checkAgainstFD(c: Case, seed: number, base: number): Checked {
  const program = compile(c.expr, c.vars);
  const rand = seeded(seed);
  const sizes = sizesFor(program.shapes, base, rand);
  const at = pointFor(program.shapes, sizes, rand, c.domain, symmetricVars(program));
  // mode 'both': the symbolic numbers, and their agreement with dual numbers (an independent table)
  const answer = derive({ expr: c.expr, vars: { ...c.vars }, wrt: c.wrt, order: c.order, at, mode: 'both' });
  const kind = expectedKind(program, c.wrt, c.order);
  const { f, X, symmetric } = functionOf(program, c.wrt, at);
  const want = reference(kind, f, X, symmetric);
  const got = fromJson(answer.derivativeValue);
  return { program, answer, kind, at, sizes, got, want, err: relErr(got, want), dualErr: answer.agreement! };
}

/** The value of a text under declarations and values, by the API's evaluate. */
export const valueOfText = (text: string, vars: Readonly<Record<string, string>>, at: Record<string, Json>): Matrix =>
  fromJson(evaluateText({ expr: text, vars: { ...vars }, at }).value);

/** The declarations with every dimension written as the answer's `shapes` name it (CLI.md): the
 *  names an answer's text may use in eye(n), zeros(m,n), unvec(x,m). */
export function declaredByShapes(vars: Readonly<Record<string, string>>, shapes: Readonly<Record<string, readonly [string, string]>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, decl] of Object.entries(vars)) {
    const kind = /^\s*([a-z]+)/.exec(decl)![1]!;
    const s = shapes[name]!;
    out[name] = kind === 'scalar' ? 'scalar' : kind === 'vector' ? `vector(${s[0]})` : kind === 'symmetric' ? `symmetric(${s[0]})` : `matrix(${s[0]},${s[1]})`;
  }
  return out;
}

/**
 * The numbers of an answer's text, worked out by evaluating the text (src/api/evaluate.ts) with the
 * given declarations (pass them through declaredByShapes when the text names dimensions), plus the perturbations (dX; dX1, dX2) declared like X and bound to the
 * directions LANGUAGE.md numbers them at. Reproduces derivativeValue when the text means it.
 */
export function numbersOfText(text: string, kind: Kind, c: { vars: Readonly<Record<string, string>>; wrt: string }, at: Record<string, Json>, X: Matrix, symmetric: boolean): Matrix {
  const x = c.wrt;
  const column = X.cols === 1;
  const run = (extra: Record<string, Matrix>): Matrix => {
    const vars: Record<string, string> = { ...c.vars };
    const values: Record<string, Json> = { ...at };
    for (const [k, v] of Object.entries(extra)) { vars[k] = c.vars[x]!; values[k] = toJson(v); }
    return fromJson(evaluateText({ expr: text, vars, at: values }).value);
  };
  if (kind === 'differential') {
    const dirs = directions(X.rows, X.cols, symmetric);
    const cols = dirs.map((D) => run({ [`d${x}`]: D }).data);
    const J = new Matrix(cols[0]!.length, dirs.length);
    cols.forEach((col, k) => J.data.set(col, k * col.length));
    return J;
  }
  if (kind === 'hessian' && !column) {
    const dirs = directions(X.rows, X.cols, symmetric);
    const N = dirs.length;
    const H = new Matrix(N, N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
      H.data[i + j * N] = run({ [`d${x}1`]: dirs[j]!, [`d${x}2`]: dirs[i]! }).data[0]!;
    }
    return H;
  }
  return run({});
}
