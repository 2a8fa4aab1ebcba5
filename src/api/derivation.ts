/** The symbolic derivative of a compiled program, read off its differential as LANGUAGE.md defines
 *  it for each kind (gradient, Jacobian, differential, Hessian), and its numbers. */
import * as B from '../ir/build.js';
import { fail, MatcalcError } from '../ir/errors.js';
import { isScalar, topoOrder, type Node } from '../ir/node.js';
import type { Program } from '../lang/elaborate.js';
import { differential } from '../diff/differential.js';
import { gradientOf } from '../diff/gradient.js';
import { jacobianOf } from '../diff/jacobian.js';
import { evaluate as evalGraph, evaluateInto, type Env } from '../numeric/evaluate.js';
import { Matrix } from '../numeric/matrix.js';
import { unitDirection } from '../numeric/directions.js';
import { expandAround, rewriteKron, simplify } from '../simplify/index.js';
import { gradientAD, hessianAD, jacobianAD } from '../ad/jvp.js';
import type { CodeDerivation } from '../print/code.js';
import type { Kind } from './types.js';

/** The symbolic derivative of a compiled program, before printing or numbers: what the code
 *  printer reads (CodeDerivation), with the whole program. */
export interface Derivation extends CodeDerivation {
  readonly program: Program;
}


const isVectorOrScalar = (n: Node): boolean => n.shape[1] === '1';

const leaf = (x: Node, suffix = ''): Node => B.variable(`d${x.attrs.name}${suffix}`, x.shape, x.attrs.symmetric === true);
const symmetrize = (G: Node): Node => B.mul(B.constant(0.5), B.add(G, B.transpose(G)));

/** What the derivative of f by x is, by shapes alone (LANGUAGE.md, "What a derivative is"). */
export function kindOf(f: Node, x: Node, order: 1 | 2): Kind {
  if (order === 2) return 'hessian';
  if (isScalar(f)) return 'gradient';
  return isVectorOrScalar(f) && isVectorOrScalar(x) ? 'jacobian' : 'differential';
}

/** The derivative's numbers by dual numbers, in the layout of the symbolic answer's. */
export function derivativeNumbersAD(kind: Kind, f: Node, env: Env, x: Node): Matrix {
  const name = x.attrs.name!, sym = x.attrs.symmetric === true;
  switch (kind) {
    case 'gradient': return gradientAD(f, env, name, sym);
    case 'jacobian': case 'differential': return jacobianAD(f, env, name, sym);
    case 'hessian': return hessianAD(f, env, name, sym);
  }
}

export function derivation(program: Program, x: Node, order: 1 | 2): Derivation {
  const f = program.root;
  const name = x.attrs.name!;
  const symmetric = x.attrs.symmetric === true;
  const base = { program, wrt: name, order, x, symmetric };
  const d = (g: Node, dX: Node): Node | null => differential(g, new Map([[name, dX]]));
  const expanded = (n: Node | null, ...leaves: Node[]): Node | null => n && expandAround(n, leaves.map((l) => l.attrs.name!));
  const gradient = (): Node => {
    const dX = leaf(x);
    const df = d(f, dX);
    const G = gradientOf(df && rewriteKron(df, dX.attrs.name!), dX);
    return simplify(symmetric ? symmetrize(G) : G);
  };
  const jacobian = (g: Node): Node => {
    const dx = leaf(x);
    return simplify(jacobianOf(expanded(d(g, dx), dx), dx, g.shape[0]));
  };
  if (order === 1) {
    if (isScalar(f)) return { ...base, kind: 'gradient', derivative: gradient(), perturbations: [] };
    if (isVectorOrScalar(f) && isVectorOrScalar(x)) return { ...base, kind: 'jacobian', derivative: jacobian(f), perturbations: [] };
    const dX = leaf(x);
    return { ...base, kind: 'differential', derivative: simplify(d(f, dX) ?? B.zeros(f.shape)), perturbations: [dX] };
  }
  if (!isScalar(f)) {
    fail('not-scalar', `a Hessian needs a scalar function; this one is ${f.shape[0]} x ${f.shape[1]}`, { start: 0, end: program.src.length });
  }
  if (isVectorOrScalar(x)) { const g = gradient(); return { ...base, kind: 'hessian', derivative: jacobian(g), perturbations: [], gradient: g }; }
  const dX1 = leaf(x, '1'), dX2 = leaf(x, '2');
  const d1 = d(f, dX1);
  const d2 = simplify(expanded(d1 && d(d1, dX2), dX1, dX2) ?? B.ZERO);
  return { ...base, kind: 'hessian', derivative: d2, perturbations: [dX1, dX2], hessianColumns: hessianColumns(d2, dX2) };
}

/** The gradient of d2f by dX2: d2f is linear in dX2, so this matrix, a linear function of dX1, holds
 *  a whole column of the Hessian by vec(X) for each dX1 = E_j. Null where it has no closed form. */
function hessianColumns(d2: Node, dX2: Node): Node | null {
  try {
    const G = simplify(gradientOf(d2, dX2));
    return G.vars.has(dX2.attrs.name!) ? null : G;
  } catch (e) {
    if (e instanceof MatcalcError && e.code === 'no-closed-form') return null;
    throw e;
  }
}

/** The unit direction k of X's shape (column-major), symmetrised for a symmetric variable. */
export const direction = unitDirection;

/** The derivative's numbers, as LANGUAGE.md lays them out for its kind. */
export function derivativeNumbers(d: Derivation, env: Env): Matrix {
  if (d.perturbations.length === 0) return evalGraph([d.derivative], env)[0]!;
  const X = env.values.get(d.wrt)!;
  const n = X.rows * X.cols;
  const names = d.perturbations.map((p) => p.attrs.name!);
  const E = (k: number): Matrix => direction(X.rows, X.cols, k, d.symmetric);
  // what does not move with the perturbations is evaluated once
  const still = (root: Node): Map<number, Matrix> => {
    const memo = new Map<number, Matrix>();
    evaluateInto(topoOrder([root]).filter((m) => !names.some((v) => m.vars.has(v))), env, memo);
    return memo;
  };
  const at = (root: Node, base: Map<number, Matrix>, dirs: Matrix[]): Matrix => {
    const values = new Map(env.values);
    names.forEach((v, i) => values.set(v, dirs[i]!));
    const memo = new Map(base);
    evaluateInto([root], { values, sizes: env.sizes }, memo);
    return memo.get(root.id)!;
  };
  const columns = (root: Node, dirsOf: (k: number) => Matrix[], each: (v: Matrix) => Matrix = (v) => v): Matrix => {
    const base = still(root);
    const cols = Array.from({ length: n }, (_, k) => each(at(root, base, dirsOf(k))));
    const m = cols[0]!.data.length;
    const J = Matrix.zeros(m, n);
    cols.forEach((c, k) => J.data.set(c.data, k * m));
    return J;
  };
  if (d.kind === 'differential') return columns(d.derivative, (k) => [E(k)]);
  // A Hessian by a matrix: d2f is linear in dX2, so its gradient by dX2, read off once, gives a whole
  // column per direction dX1 = E_j: n evaluations in place of n^2
  const Hx = d.hessianColumns ?? null;
  if (Hx) {
    const sym = (v: Matrix): Matrix => (d.symmetric ? symmetricPart(v) : v);
    return columns(Hx, (j) => [E(j), Matrix.zeros(X.rows, X.cols)], sym);
  }
  const base = still(d.derivative);
  const H = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H.data[i + j * n] = at(d.derivative, base, [E(j), E(i)]).data[0]!;
  return H;
}

const symmetricPart = (v: Matrix): Matrix => {
  const out = new Matrix(v.rows, v.cols);
  for (let i = 0; i < v.rows; i++) for (let j = 0; j < v.cols; j++) out.data[i + j * v.rows] = (v.data[i + j * v.rows]! + v.data[j + i * v.rows]!) / 2;
  return out;
};

