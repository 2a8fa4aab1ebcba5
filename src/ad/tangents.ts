/** The tangent of each operator (forward mode, dual numbers): given the arguments' values and
 *  tangents (null where zero) and the operator's own value `out`, the tangent of `out`.
 *  Written on their own, not generated from the symbolic rules in diff/: each checks the other.
 *  Rules only use the algebra, so nesting dual numbers gives second derivatives from the same
 *  table (the derivative of `cos` in `sin`'s rule is `cos`'s own rule one level down).
 *  Sources: the Matrix Cookbook (edition of 2012-11-15), eq. numbers. */
import type { OpName } from '../ir/ops.js';
import { Matrix } from '../numeric/matrix.js';
import type { Algebra, TangentRule } from './algebra.js';

// ---------------------------------------------------------------- the algebra, spelled out
const num = <V>(M: Algebra<V>, x: number): V => M.constant(Matrix.scalar(x));
const ones = <V>(M: Algebra<V>, like: V): V => { const [r, c] = M.shape(like); return M.constant(Matrix.ones(r, c)); };
/** A matrix product of non-scalar factors. */
const mm = <V>(M: Algebra<V>, ...fs: V[]): V => M.apply('Mul', fs, { scalar: fs.map(() => false) });
/** s * A, s 1 x 1. */
const times = <V>(M: Algebra<V>, s: V, a: V): V => M.apply('Mul', [s, a], { scalar: [true, false] });
const scale = <V>(M: Algebra<V>, c: number, a: V): V => times(M, num(M, c), a);
const had = <V>(M: Algebra<V>, ...fs: V[]): V => M.apply('Hadamard', fs);
const sub = <V>(M: Algebra<V>, a: V, b: V): V => M.apply('Add', [a, scale(M, -1, b)]);
const fn = <V>(M: Algebra<V>, op: 'Cos' | 'Sin' | 'Sign' | 'Log' | 'Inv' | 'Trace' | 'Sum' | 'Softmax', a: V): V => M.apply(op, [a]);
/** A.^p for a number p. */
const powc = <V>(M: Algebra<V>, a: V, p: number): V => M.apply('ElemPow', [a, num(M, p)]);
/** The sum of the terms present; null if none. */
function plus<V>(M: Algebra<V>, terms: readonly (V | null)[]): V | null {
  const present = terms.filter((t): t is V => t !== null);
  return present.length === 0 ? null : present.length === 1 ? present[0]! : M.apply('Add', present);
}

// ---------------------------------------------------------------- rule shapes
/** A linear operator's tangent is the operator of the tangent: t(f(A)) = f(dA). */
const linear = (op: 'Transpose' | 'Trace' | 'Sum' | 'Diag' | 'DiagPart' | 'Vec' | 'Unvec'): TangentRule =>
  (M, { dArgs: [dA], site }) => M.apply(op, [dA!], site);
/** t(g(A)) = g'(A) .* dA for an elementwise g, with g' given by A and out = g(A). */
const elementwise = (deriv: <V>(M: Algebra<V>, a: V, out: V) => V): TangentRule =>
  (M, { args: [a], dArgs: [dA], out }) => had(M, deriv(M, a!, out), dA!);
/** The product rule over any number of factors, in their order: t(A B C) = dA B C + A dB C + A B dC. */
const productRule = (op: 'Mul' | 'Hadamard' | 'Kron'): TangentRule => (M, { args, dArgs, site }) =>
  plus(M, dArgs.map((d, i) => (d === null ? null : M.apply(op, args.map((a, j) => (j === i ? d : a)), site))));
const zero: TangentRule = () => null;

export const TANGENT_RULES = {
  // a constant's tangent is zero; a variable's is seeded by the caller
  Var: zero, Const: zero, Identity: zero, Ones: zero, Zeros: zero,
  // d(A + B) = dA + dB  (Cookbook 34)
  Add: (M, { dArgs }) => plus(M, dArgs),
  // d(AB) = dA B + A dB  (Cookbook 37); scalar factors stay scalars
  Mul: productRule('Mul'),
  // d(A .* B) = dA .* B + A .* dB  (Cookbook 38)
  Hadamard: productRule('Hadamard'),
  // d(A') = dA'  (Cookbook 35)
  Transpose: linear('Transpose'),
  // d(b^e) = e b^(e-1) db + b^e log(b) de
  Pow: (M, { args: [b, e], dArgs: [db, de], out }) => plus(M, [
    db === null ? null : times(M, times(M, e!, M.apply('Pow', [b!, M.apply('Add', [e!, num(M, -1)])])), db),
    de === null ? null : times(M, times(M, out, fn(M, 'Log', b!)), de),
  ]),
  // d(B.^e) = e B.^(e-1) .* dB + de (B.^e .* log(B))
  ElemPow: (M, { args: [b, e], dArgs: [db, de], out }) => plus(M, [
    db === null ? null : times(M, e!, had(M, M.apply('ElemPow', [b!, M.apply('Add', [e!, num(M, -1)])]), db)),
    de === null ? null : times(M, de, had(M, out, fn(M, 'Log', b!))),
  ]),
  // d(X^k) = sum_i X^i dX X^(k-1-i)  (Cookbook 39)
  MatPow: (M, { args: [x], dArgs: [dX], site }) => matPowTangent(M, x!, dX!, site.k!),
  // d exp(A) = exp(A) .* dA
  Exp: elementwise((_M, _a, out) => out),
  // d log(A) = dA ./ A
  Log: elementwise((M, a) => powc(M, a, -1)),
  // d sin(A) = cos(A) .* dA
  Sin: elementwise((M, a) => fn(M, 'Cos', a)),
  // d cos(A) = -sin(A) .* dA
  Cos: elementwise((M, a) => scale(M, -1, fn(M, 'Sin', a))),
  // d tan(A) = (1 + tan(A).^2) .* dA
  Tan: elementwise((M, a, out) => M.apply('Add', [ones(M, a), powc(M, out, 2)])),
  // d tanh(A) = (1 - tanh(A).^2) .* dA
  Tanh: elementwise((M, a, out) => sub(M, ones(M, a), powc(M, out, 2))),
  // d sqrt(A) = dA ./ (2 sqrt(A))
  Sqrt: elementwise((M, _a, out) => scale(M, 0.5, powc(M, out, -1))),
  // d abs(A) = sign(A) .* dA
  Abs: elementwise((M, a) => fn(M, 'Sign', a)),
  // sign is piecewise constant
  Sign: zero,
  // d sigmoid(A) = sigmoid(A) .* (1 - sigmoid(A)) .* dA
  Sigmoid: elementwise((M, a, out) => had(M, out, sub(M, ones(M, a), out))),
  // d inv(X) = -inv(X) dX inv(X)  (Cookbook 59)
  Inv: (M, { dArgs: [dX], out }) => scale(M, -1, mm(M, out, dX!, out)),
  // d det(X) = det(X) tr(inv(X) dX)  (Cookbook 46)
  Det: (M, { args: [x], dArgs: [dX], out }) => times(M, out, fn(M, 'Trace', mm(M, fn(M, 'Inv', x!), dX!))),
  // d log|det X| = tr(inv(X) dX)  (Cookbook 51)
  LogDet: (M, { args: [x], dArgs: [dX] }) => fn(M, 'Trace', mm(M, fn(M, 'Inv', x!), dX!)),
  // d tr(X) = tr(dX)  (Cookbook 36)
  Trace: linear('Trace'),
  Sum: linear('Sum'),
  // d ||A||_F = sum(A .* dA) / ||A||_F  (Cookbook 52, via tr(A' dA))
  Norm2: (M, { args: [a], dArgs: [dA], out }) => times(M, M.apply('Pow', [out, num(M, -1)]), fn(M, 'Sum', had(M, a!, dA!))),
  Diag: linear('Diag'),
  DiagPart: linear('DiagPart'),
  Vec: linear('Vec'),
  Unvec: linear('Unvec'),
  // d(A ⊗ B) = dA ⊗ B + A ⊗ dB  (Cookbook 520)
  Kron: productRule('Kron'),
  // d logsumexp(x) = sum(softmax(x) .* dx)
  LogSumExp: (M, { args: [x], dArgs: [dx] }) => fn(M, 'Sum', had(M, fn(M, 'Softmax', x!), dx!)),
  // d softmax(x) = s .* dx - s (s' dx), s = softmax(x)
  Softmax: (M, { dArgs: [dx], out }) => {
    const sdx = had(M, out, dx!);
    return sub(M, sdx, times(M, fn(M, 'Sum', sdx), out));
  },
  Delta: () => { throw new Error('internal: d(...) has no tangent'); },
} satisfies Record<OpName, TangentRule>;

/** sum_{i<k} X^i dX X^(k-1-i), the powers X^1 .. X^(k-1) formed once (X^0 = I left out). */
function matPowTangent<V>(M: Algebra<V>, x: V, dX: V, k: number): V | null {
  const powers: (V | null)[] = [null];
  for (let i = 1; i < k; i++) powers.push(i === 1 ? x : mm(M, powers[i - 1]!, x));
  const present = (fs: (V | null)[]): V[] => fs.filter((f): f is V => f !== null);
  return plus(M, powers.map((p, i) => {
    const fs = present([p, dX, powers[k - 1 - i]]);
    return fs.length === 1 ? fs[0]! : mm(M, ...fs);
  }));
}
