/** One or more expressions per operator that has a tangent rule, with the domains their values
 *  are drawn from. Typed over the operators: a new operator without a spec fails to compile. */
import type { OpName } from '../../src/ir/ops.js';
import type { Domain } from './helpers.js';

export interface Spec { expr: string; vars: Record<string, string>; domain?: Record<string, Domain> }

export const SPECS: Record<Exclude<OpName, 'Delta' | 'Var' | 'Const' | 'Identity' | 'Ones' | 'Zeros'>, Spec[]> = {
  Add: [{ expr: 'X + Y - Z', vars: { X: 'matrix(2,3)', Y: 'matrix(2,3)', Z: 'matrix(2,3)' } },
    { expr: 's + X', vars: { s: 'scalar', X: 'matrix(2,3)' } }],
  Mul: [{ expr: 's * A * X * B', vars: { s: 'scalar', A: 'matrix(2,3)', X: 'matrix(3,3)', B: 'matrix(3,4)' } },
    { expr: "x' * A * x", vars: { x: 'vector(3)', A: 'matrix(3,3)' } }],
  Hadamard: [{ expr: 'X .* Y .* Z', vars: { X: 'matrix(2,3)', Y: 'matrix(2,3)', Z: 'matrix(2,3)' } }],
  Transpose: [{ expr: "X' * Y", vars: { X: 'matrix(3,2)', Y: 'matrix(3,4)' } }],
  Pow: [{ expr: 'a^b', vars: { a: 'scalar', b: 'scalar' }, domain: { a: 'positive' } },
    { expr: 'x / s', vars: { x: 'vector(3)', s: 'scalar' }, domain: { s: 'positive' } }],
  ElemPow: [{ expr: 'X.^s', vars: { X: 'matrix(2,3)', s: 'scalar' }, domain: { X: 'positive' } },
    { expr: 'X ./ Y', vars: { X: 'matrix(2,3)', Y: 'matrix(2,3)' }, domain: { Y: 'positive' } }],
  MatPow: [{ expr: 'X^3', vars: { X: 'matrix(3,3)' } }, { expr: 'X^-2', vars: { X: 'matrix(2,2)' } }],
  Exp: [{ expr: 'exp(X)', vars: { X: 'matrix(2,3)' } }],
  Log: [{ expr: 'log(X)', vars: { X: 'matrix(2,3)' }, domain: { X: 'positive' } }],
  Sin: [{ expr: 'sin(X)', vars: { X: 'matrix(2,3)' } }],
  Cos: [{ expr: 'cos(X)', vars: { X: 'matrix(2,3)' } }],
  Tan: [{ expr: 'tan(X)', vars: { X: 'matrix(2,3)' } }],
  Tanh: [{ expr: 'tanh(X)', vars: { X: 'matrix(2,3)' } }],
  Sqrt: [{ expr: 'sqrt(X)', vars: { X: 'matrix(2,3)' }, domain: { X: 'positive' } }],
  Abs: [{ expr: 'abs(X)', vars: { X: 'matrix(2,3)' }, domain: { X: 'away' } }],
  Sign: [{ expr: 'sign(X) .* Y', vars: { X: 'matrix(2,3)', Y: 'matrix(2,3)' }, domain: { X: 'away' } }],
  Sigmoid: [{ expr: 'sigmoid(X)', vars: { X: 'matrix(2,3)' } }],
  Inv: [{ expr: 'inv(X)', vars: { X: 'matrix(3,3)' } }, { expr: 'inv(A * X)', vars: { A: 'matrix(4,4)', X: 'matrix(4,4)' } }],
  Det: [{ expr: 'det(X)', vars: { X: 'matrix(3,3)' } }],
  LogDet: [{ expr: 'logdet(X)', vars: { X: 'matrix(4,4)' } }],
  Trace: [{ expr: 'tr(A * X)', vars: { A: 'matrix(3,3)', X: 'matrix(3,3)' } }],
  Sum: [{ expr: 'sum(X .* X)', vars: { X: 'matrix(2,3)' } }],
  Norm2: [{ expr: 'norm2(X)', vars: { X: 'matrix(2,3)' } }, { expr: 'norm2(x)', vars: { x: 'vector(4)' } }],
  Diag: [{ expr: 'diag(x)', vars: { x: 'vector(3)' } }],
  DiagPart: [{ expr: 'diag(X)', vars: { X: 'matrix(3,3)' } }],
  Vec: [{ expr: 'vec(X)', vars: { X: 'matrix(2,3)' } }],
  Unvec: [{ expr: 'unvec(x, 2)', vars: { x: 'vector(6)' } }],
  Kron: [{ expr: 'kron(A, B)', vars: { A: 'matrix(2,2)', B: 'matrix(2,3)' } }],
  LogSumExp: [{ expr: 'logsumexp(x)', vars: { x: 'vector(4)' } }],
  Softmax: [{ expr: 'softmax(x)', vars: { x: 'vector(4)' } }],
};

