/** `check`: the symbolic derivative against central finite differences, dual numbers and the
 *  1 x 1 reduction (every free dimension 1: scalar calculus by dual numbers), at random
 *  well-conditioned points where f is finite, or at the given values. */
import { fail, MatcalcError } from '../ir/errors.js';
import { evaluate as evalGraph, type Env } from '../numeric/evaluate.js';
import { hessianFD, jacobianFD, relativeError } from '../numeric/finite-differences.js';
import { Matrix } from '../numeric/matrix.js';
import { requireFields } from './compile.js';
import { derivation, derivativeNumbers, derivativeNumbersAD, direction, type Derivation } from './derivation.js';
import { checkRequest, compileForDerivative } from './derive.js';
import { dimensionNames, hasFixedSize, randomPoint, rng, seedOf } from './points.js';
import type { CheckAnswer, CheckRequest } from './types.js';
import { bindValues } from './values.js';

/** Relative errors at or below these pass: FD is approximate, dual numbers are exact up to rounding. */
export const TOLERANCE = { firstOrderFD: 1e-5, secondOrderFD: 1e-4, dual: 1e-8 };

/** The finite-difference reference of the derivative, from evaluating f alone. */
export function finiteDifferences(d: Derivation, env: Env): Matrix {
  const f = d.program.root, name = d.wrt;
  const X = env.values.get(name)!;
  const fAt = (V: Matrix): Matrix => {
    const values = new Map(env.values);
    values.set(name, V);
    return evalGraph([f], { values, sizes: env.sizes })[0]!;
  };
  const dirs = Array.from({ length: X.rows * X.cols }, (_, k) => direction(X.rows, X.cols, k, d.symmetric));
  if (d.kind === 'hessian') return hessianFD(fAt, X, dirs);
  const J = jacobianFD(fAt, X, dirs);
  return d.kind === 'gradient' ? new Matrix(X.rows, X.cols, J.data) : J;
}

interface PointErrors { fd: number; dual: number }
function errorsAt(d: Derivation, env: Env): PointErrors {
  const s = derivativeNumbers(d, env);
  return { fd: relativeError(s, finiteDifferences(d, env)), dual: relativeError(s, derivativeNumbersAD(d.kind, d.program.root, env, d.x)) };
}

/** A point where f and its derivative are finite and no matrix is singular; null if none was found. */
function findPoint(d: Derivation, draw: (positive: boolean) => Env): Env | null {
  for (let attempt = 0; attempt < 40; attempt++) {
    const env = draw(attempt % 2 === 1);
    try {
      evalGraph([d.program.root], env);
      derivativeNumbers(d, env);
      return env;
    } catch (e) {
      if (!(e instanceof MatcalcError) || !['not-finite', 'singular'].includes(e.code)) throw e;
    }
  }
  return null;
}

export function check(request: CheckRequest): CheckAnswer {
  const r = requireFields(request, { points: 'number' }, ['points']);
  const points = (r.points as number | undefined) ?? 5;
  if (!Number.isInteger(points) || points < 1 || points > 1000) fail('bad-request', `points must be a whole number from 1 to 1000, got ${points}`, null, 'request');
  const req = checkRequest({ ...request, points: undefined } as unknown);
  const { program, x } = compileForDerivative(req);
  const d = derivation(program, x, req.order ?? 1);
  const rand = rng(seedOf(`${req.expr}|${req.wrt}|${req.order ?? 1}`));
  const names = dimensionNames(program);
  const fdTol = d.kind === 'hessian' ? TOLERANCE.secondOrderFD : TOLERANCE.firstOrderFD;
  let fd = 0, dual = 0, checked = 0;
  const envs: Env[] = [];
  if (req.at) envs.push(bindValues(program.shapes, req.at, new Set(program.decls.filter((v) => v.kind === 'symmetric').map((v) => v.name))));
  else {
    for (let k = 0; k < points; k++) {
      const sizes = Object.fromEntries(names.map((n) => [n, 2 + Math.floor(rand() * 3)]));
      const env = findPoint(d, (positive) => randomPoint(program, rand, sizes, positive));
      if (env) envs.push(env);
    }
    if (envs.length === 0) fail('not-finite', 'no point was found where the function and its derivative are finite (tried 40 random points): give one with --at', null, 'request');
  }
  for (const env of envs) {
    const e = errorsAt(d, env);
    fd = Math.max(fd, e.fd);
    dual = Math.max(dual, e.dual);
    checked++;
  }
  // the 1 x 1 reduction: the matrix formula at sizes 1 against scalar calculus by dual numbers
  let oneByOne: number | null = null;
  if (!hasFixedSize(program)) {
    const ones = Object.fromEntries(names.map((n) => [n, 1]));
    const env = findPoint(d, (positive) => randomPoint(program, rand, ones, positive));
    if (env) oneByOne = relativeError(derivativeNumbers(d, env), derivativeNumbersAD(d.kind, program.root, env, x));
  }
  const pass = fd <= fdTol && dual <= TOLERANCE.dual && (oneByOne === null || oneByOne <= TOLERANCE.dual);
  return { verdict: pass ? 'pass' : 'fail', points: checked, errors: { finiteDifferences: fd, dual, oneByOne } };
}

