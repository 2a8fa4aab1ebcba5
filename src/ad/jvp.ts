/** Forward mode on the expression graph: directional derivatives (JVPs) by evaluating the graph
 *  once on dual matrices, and from them the gradient, the Jacobian (one pass per direction
 *  E_k of the variable, column-major), and with duals nested the Hessian and Hessian-vector
 *  products (LANGUAGE.md, "What a derivative is"). Errors are those of numeric/evaluate.ts,
 *  at the node that raised them. */
import { dimSize, type Dim } from '../ir/dims.js';
import { fail } from '../ir/errors.js';
import { isScalar, originOf, topoOrder, type Node } from '../ir/node.js';
import { fnName, type OpName } from '../ir/ops.js';
import { SingularMatrixError } from '../numeric/errors.js';
import type { Env } from '../numeric/evaluate.js';
import { unitDirection } from '../numeric/directions.js';
import { Matrix } from '../numeric/matrix.js';
import type { Site } from './algebra.js';
import { applyOp, DualMatrix, split, type Val } from './dual.js';

/** Each node's value in one pass, by node id. */
type Values = Map<number, Val>;

const size = (d: Dim, env: Env, n: Node): number =>
  dimSize(d, env.sizes) ??
  fail('missing-value', `the size of dimension '${d}' is not known: no value fixes it (declare it as an integer, or give a value of that size)`, originOf(n));

const siteOf = (n: Node, env: Env): Site => ({
  scalar: n.args.map(isScalar),
  k: n.attrs.k,
  rows: n.attrs.rows === undefined ? undefined : size(n.attrs.rows, env, n),
});

function variable(env: Env, name: string): Matrix {
  return env.values.get(name) ?? fail('missing-value', `no value for '${name}': give it in 'at'`, null, `at.${name}`);
}

function leafOrApply(n: Node, args: Val[], env: Env, seeds: ReadonlyMap<string, Val>, known: Val | undefined): Val {
  switch (n.op) {
    case 'Var': return seeds.get(n.attrs.name!) ?? variable(env, n.attrs.name!);
    case 'Const': return Matrix.scalar(n.attrs.value!);
    case 'Identity': return Matrix.identity(size(n.shape[0], env, n));
    case 'Ones': return Matrix.ones(size(n.shape[0], env, n), size(n.shape[1], env, n));
    case 'Zeros': return Matrix.zeros(size(n.shape[0], env, n), size(n.shape[1], env, n));
    case 'Delta': throw new Error('internal: d(...) is not evaluated');
    default: return applyOp(n.op, args, siteOf(n, env), known);
  }
}

const WHAT: Partial<Record<OpName, string>> = { MatPow: 'a negative matrix power' };

/** The first entry that is not finite, and whether it is in the value itself or in a tangent. */
function nonFinite(v: Val, inTangent = false): { x: number; inTangent: boolean } | null {
  if (v instanceof DualMatrix) return nonFinite(v.value, inTangent) ?? (v.tangent === null ? null : nonFinite(v.tangent, true));
  for (const x of v.data) if (!Number.isFinite(x)) return { x, inTangent };
  return null;
}

/** One pass over the graph at the seeds' level. `below` holds the values one level down from an
 *  earlier pass: a node that no seed reaches keeps its value there, and the others take their
 *  value from it and compute only their tangent. */
function run(root: Node, env: Env, seeds: ReadonlyMap<string, Val>, below?: Values): Values {
  const memo: Values = new Map();
  const seeded = [...seeds.keys()];
  for (const n of topoOrder([root])) {
    const known = below?.get(n.id);
    if (known !== undefined && !seeded.some((s) => n.vars.has(s))) { memo.set(n.id, known); continue; }
    let v: Val;
    try {
      v = leafOrApply(n, n.args.map((a) => memo.get(a.id)!), env, seeds, known);
    } catch (e) {
      if (e instanceof SingularMatrixError) {
        return fail('singular', `the matrix under ${WHAT[n.op] ?? fnName(n.op) ?? n.op} is singular (reciprocal condition number ${e.rcond.toExponential(2)})`, originOf(n));
      }
      throw e;
    }
    const bad = nonFinite(v);
    if (bad) fail('not-finite', `a ${bad.inTangent ? 'derivative' : 'value'} is not finite (${bad.x}) here`, originOf(n));
    memo.set(n.id, v);
  }
  return memo;
}

/** The tangent at `level` of a value (null: zero), then of that at each lower level: the mixed
 *  derivative of the given order. */
function derivativeOf(v: Val, order: number): Matrix | null {
  let t: Val | null = v;
  for (let level = order; level >= 1 && t !== null; level--) t = split(t, level).tangent;
  return t as Matrix | null;
}

// ---------------------------------------------------------------- directions

/** The directions of a variable's entries, column-major: E_k, or (E_k + E_k')/2 for a symmetric
 *  one. `rep[k]` is the first entry with the same direction (k itself unless symmetric). */
function directions(x: Matrix, symmetric: boolean): { dir: (k: number) => Matrix; rep: number[] } {
  const { rows, cols } = x;
  const rep = Array.from({ length: rows * cols }, (_, k) => {
    const i = k % rows, j = Math.floor(k / rows);
    return symmetric && i < j ? j + i * rows : k;
  });
  const dir = (k: number): Matrix => unitDirection(rows, cols, k, symmetric);
  return { dir, rep };
}

const isSymmetricVar = (root: Node, name: string): boolean =>
  topoOrder([root]).some((n) => n.op === 'Var' && n.attrs.name === name && n.attrs.symmetric === true);

function requireScalar(root: Node, what: string): void {
  if (!isScalar(root)) fail('not-scalar', `${what} needs a scalar expression; this one is ${root.shape[0]} x ${root.shape[1]}`, originOf(root));
}

function requireShape(v: Matrix, x: Matrix, what: string): void {
  if (v.rows !== x.rows || v.cols !== x.cols) {
    fail('bad-value', `${what} is ${v.rows} x ${v.cols}, but the variable is ${x.rows} x ${x.cols}`, null, 'request');
  }
}

// ---------------------------------------------------------------- derivatives

/** f and its directional derivative along the given tangents (variables not given: zero). */
export function jvpGraph(root: Node, env: Env, tangents: ReadonlyMap<string, Matrix>): { value: Matrix; tangent: Matrix } {
  const seeds = new Map<string, Val>();
  for (const [name, t] of tangents) {
    const x = variable(env, name);
    requireShape(t, x, `the tangent of '${name}'`);
    seeds.set(name, new DualMatrix(1, x, t));
  }
  const out = run(root, env, seeds).get(root.id)!;
  const { value } = split(out, 1);
  const v = value as Matrix;
  return { value: v, tangent: derivativeOf(out, 1) ?? Matrix.zeros(v.rows, v.cols) };
}

/** The Jacobian of vec(f) by vec(X): column k is vec of the tangent along direction k. */
export function jacobianAD(root: Node, env: Env, wrt: string, symmetric?: boolean): Matrix {
  const x = variable(env, wrt);
  const { dir, rep } = directions(x, symmetric ?? isSymmetricVar(root, wrt));
  const base = run(root, env, new Map());
  const f = base.get(root.id) as Matrix;
  const m = f.rows * f.cols, n = rep.length;
  const J = new Matrix(m, n);
  if (!root.vars.has(wrt)) return J;
  for (let k = 0; k < n; k++) {
    if (rep[k] !== k) { J.data.copyWithin(k * m, rep[k]! * m, (rep[k]! + 1) * m); continue; }
    const t = derivativeOf(run(root, env, new Map([[wrt, new DualMatrix(1, x, dir(k))]]), base).get(root.id)!, 1);
    if (t) J.data.set(t.data, k * m);
  }
  return J;
}

/** The gradient G of a scalar f, shaped like X: df = tr(G' dX). By a symmetric X, the gradient
 *  in the space of symmetric matrices, (G + G')/2, read off along (E_k + E_k')/2. */
export function gradientAD(root: Node, env: Env, wrt: string, symmetric?: boolean): Matrix {
  requireScalar(root, 'a gradient');
  const x = variable(env, wrt);
  return new Matrix(x.rows, x.cols, jacobianAD(root, env, wrt, symmetric).data);
}

/** The Hessian of a scalar f by vec(X): H[i][j] is the second derivative along direction j
 *  (dX1), then direction i (dX2). Second derivatives commute, so each pair is computed once. */
export function hessianAD(root: Node, env: Env, wrt: string, symmetric?: boolean): Matrix {
  requireScalar(root, 'a Hessian');
  const x = variable(env, wrt);
  const { dir, rep } = directions(x, symmetric ?? isSymmetricVar(root, wrt));
  const n = rep.length;
  const H = new Matrix(n, n);
  if (!root.vars.has(wrt)) return H;
  const base = run(root, env, new Map());
  for (let j = 0; j < n; j++) {
    if (rep[j] !== j) continue;
    const seed1 = new DualMatrix(1, x, dir(j));
    const first = run(root, env, new Map([[wrt, seed1]]), base);
    for (let i = j; i < n; i++) {
      if (rep[i] !== i) continue;
      const out = run(root, env, new Map([[wrt, new DualMatrix(2, seed1, dir(i))]]), first).get(root.id)!;
      const h = derivativeOf(out, 2)?.data[0] ?? 0;
      H.data[i + j * n] = h;
      H.data[j + i * n] = h;
    }
  }
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) H.data[i + j * n] = H.data[rep[i]! + rep[j]! * n]!;
  return H;
}

/** The Hessian-vector product H vec(V), shaped like X: entry i is the second derivative along V
 *  (dX1), then direction i (dX2). */
export function hvpAD(root: Node, env: Env, wrt: string, v: Matrix, symmetric?: boolean): Matrix {
  requireScalar(root, 'a Hessian-vector product');
  const x = variable(env, wrt);
  requireShape(v, x, 'the vector of a Hessian-vector product');
  const { dir, rep } = directions(x, symmetric ?? isSymmetricVar(root, wrt));
  const out = new Matrix(x.rows, x.cols);
  if (!root.vars.has(wrt)) return out;
  const seed1 = new DualMatrix(1, x, v);
  const first = run(root, env, new Map([[wrt, seed1]]), run(root, env, new Map()));
  for (let i = 0; i < rep.length; i++) {
    if (rep[i] !== i) { out.data[i] = out.data[rep[i]!]!; continue; }
    const r = run(root, env, new Map([[wrt, new DualMatrix(2, seed1, dir(i))]]), first).get(root.id)!;
    out.data[i] = derivativeOf(r, 2)?.data[0] ?? 0;
  }
  return out;
}
