/**
 * The rule-spec table: for every operator of the graph, expressions that exercise its
 * differential rule (and its adjoint or Jacobian read-off), with their variables, the variable
 * to differentiate by, and where values are drawn. Typed over OpName, so a new operator without
 * a spec fails to compile. Used by rules.test.ts (finite differences at random points) and
 * one-by-one.test.ts (every dimension set to 1, against scalar calculus).
 */
import type { ErrorCode } from '../../src/ir/errors.js';
import type { OpName } from '../../src/ir/ops.js';
import type { Domain } from '../helpers/numeric.js';

export interface Spec {
  readonly expr: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly wrt: string;
  /** Where each variable's values are drawn (default `any`: entries in [-1, 1]). */
  readonly domain?: Readonly<Record<string, Domain>>;
  /** Answers that are errors by the language (no closed form), by order: asserted, never skipped. */
  readonly errors?: Partial<Record<1 | 2, ErrorCode>>;
  /** Known engine bugs, by check: that test runs as `it.fails` until the engine is fixed. */
  readonly bugs?: Partial<Record<Check, string>>;
  /** Why the 1 x 1 check cannot run on this expression, when it cannot. */
  readonly noOneByOne?: string;
  /** Relative tolerance against finite differences (default 1e-6). */
  readonly tol?: number;
}

/** The checks run on a spec: finite differences and the answer's text at order 1 and 2 (or, where
 *  the answer is a recorded error, its code and its span), and the 1 x 1 check. */
export type Check = 'fd1' | 'fd2' | 'text1' | 'text2' | 'span1' | 'span2' | 'oneByOne';

type Tested = Exclude<OpName, 'Var' | 'Const' | 'Identity' | 'Ones' | 'Zeros' | 'Delta'>;

const M = 'matrix', V = 'vector', S = 'scalar', SYM = 'symmetric';
/** Engine bugs found by these specs (see `bugs`). */
const ONES_TEXT = "the derivative's text writes a bare 'ones' beside a column (diag(ones - tanh(x).^2)), which does not parse back: inference never makes a dimension 1, so it must be ones(n)";
const EMPTY_SUM = "derive throws a plain Error 'internal: empty sum' where the derivative is zero (d(sign(x)) = 0 inside a product), instead of answering zeros";
const NO_SPAN = 'the no-closed-form error of a Hessian has no span (start/end null): nodes derived from the gradient carry no origin in expr';
const STALE_SPAN = "an error's span depends on what was derived before: derive sum(kron(x, b)) by x points at kron(x, b) in a fresh process, and has no span once kron(x, b) by x was derived (a hash-consed derived node keeps the origin of its first making)";
const UNVEC_ONE = 'unvec(x, 1) of a 1-vector is refused: its column count would be a fresh dimension inferred as 1';

export const SPECS = {
  Add: [
    { expr: 'tr((X + A)*B)', vars: { X: M, A: M, B: M }, wrt: 'X' },
    { expr: 'sum(exp(X + s))', vars: { X: M, s: S }, wrt: 's' },
    { expr: 'sum(exp(X + s))', vars: { X: M, s: S }, wrt: 'X' },
    { expr: "a'*(x + b) + (x'*x - 1)^2", vars: { x: V, a: V, b: V }, wrt: 'x' },
    { expr: 'x + s*a', vars: { x: V, s: S, a: V }, wrt: 's' },
    { expr: 'X + A - 2*X', vars: { X: M, A: M }, wrt: 'X' },
  ],
  Mul: [
    { expr: "a'*X*b", vars: { X: 'matrix(m,n)', a: 'vector(m)', b: 'vector(n)' }, wrt: 'X' },
    { expr: "x'*A*x", vars: { x: V, A: M }, wrt: 'x' },
    { expr: 'tr(X*A*X)', vars: { X: M, A: M }, wrt: 'X' },
    { expr: 'A*x', vars: { x: 'vector(n)', A: 'matrix(m,n)' }, wrt: 'x' },
    { expr: 'X*A*X', vars: { X: M, A: M }, wrt: 'X' },
    { expr: 'X*a', vars: { X: 'matrix(m,n)', a: 'vector(n)' }, wrt: 'X' },
    { expr: 'S*a', vars: { S: SYM, a: V }, wrt: 'S' },
    { expr: 'sum(s*t*X*A)', vars: { X: M, A: M, s: S, t: S }, wrt: 's' },
    { expr: "s*t^2 + s*(x'*x)", vars: { s: S, t: S, x: V }, wrt: 't' },
    { expr: "(a'*X*b)*(b'*X'*a)", vars: { X: 'matrix(m,n)', a: 'vector(m)', b: 'vector(n)' }, wrt: 'X' },
  ],
  Hadamard: [
    { expr: 'sum(X .* A .* X)', vars: { X: M, A: M }, wrt: 'X' },
    { expr: "x'*(x .* a)", vars: { x: V, a: V }, wrt: 'x' },
    { expr: 'x .* a', vars: { x: V, a: V }, wrt: 'x' },
    { expr: 'sum(A ./ X)', vars: { X: M, A: M }, wrt: 'X', domain: { X: 'nonzero' } },
    { expr: 'X .* X', vars: { X: M }, wrt: 'X' },
    { expr: "a'*((A*x) .* x)", vars: { x: V, a: V, A: M }, wrt: 'x' },
  ],
  Transpose: [
    { expr: "tr(X'*A)", vars: { X: 'matrix(m,n)', A: 'matrix(m,n)' }, wrt: 'X' },
    { expr: "a'*X'*X*b", vars: { X: 'matrix(m,n)', a: 'vector(n)', b: 'vector(n)' }, wrt: 'X' },
    { expr: "X'", vars: { X: 'matrix(m,n)' }, wrt: 'X' },
    { expr: "sum(X'*A*X)", vars: { X: 'matrix(m,n)', A: 'matrix(m,m)' }, wrt: 'X' },
  ],
  Pow: [
    { expr: 's^3', vars: { s: S }, wrt: 's' },
    { expr: 's^t', vars: { s: S, t: S }, wrt: 't', domain: { s: 'positive' } },
    { expr: 's^t', vars: { s: S, t: S }, wrt: 's', domain: { s: 'positive' } },
    { expr: "(x'*x + 1)^0.5", vars: { x: V }, wrt: 'x' },
    { expr: 't/s', vars: { s: S, t: S }, wrt: 's', domain: { s: 'nonzero' } },
    { expr: "sum(X)/(a'*a)", vars: { X: M, a: V }, wrt: 'a' },
  ],
  ElemPow: [
    { expr: 'sum(X.^3)', vars: { X: M }, wrt: 'X' },
    { expr: 'sum(X.^s)', vars: { X: M, s: S }, wrt: 's', domain: { X: 'positive' } },
    { expr: 'sum(X.^s)', vars: { X: M, s: S }, wrt: 'X', domain: { X: 'positive' } },
    { expr: "a'*(x.^2)", vars: { x: V, a: V }, wrt: 'x' },
    { expr: 'sum(X.^0.5)', vars: { X: M }, wrt: 'X', domain: { X: 'positive' } },
    { expr: 'x.^3', vars: { x: V }, wrt: 'x' },
  ],
  MatPow: [
    { expr: 'tr(X^3*A)', vars: { X: M, A: M }, wrt: 'X' },
    { expr: 'sum(X^-2)', vars: { X: M }, wrt: 'X', domain: { X: 'wellcond' } },
    { expr: 'tr(X^2)', vars: { X: M }, wrt: 'X' },
    { expr: 'X^2', vars: { X: M }, wrt: 'X' },
    { expr: "a'*S^3*b", vars: { S: SYM, a: V, b: V }, wrt: 'S' },
  ],
  Exp: [
    { expr: 'sum(exp(X))', vars: { X: M }, wrt: 'X' },
    { expr: "a'*exp(x)", vars: { x: V, a: V }, wrt: 'x' },
    { expr: 'exp(s)*t', vars: { s: S, t: S }, wrt: 's' },
    { expr: 'exp(x)', vars: { x: V }, wrt: 'x' },
    { expr: 'exp(s*A)', vars: { s: S, A: M }, wrt: 's' },
    { expr: 'exp(s*a)', vars: { s: S, a: V }, wrt: 's' },
  ],
  Log: [
    { expr: 'sum(log(X))', vars: { X: M }, wrt: 'X', domain: { X: 'positive' } },
    { expr: "log(x'*x)", vars: { x: V }, wrt: 'x' },
    { expr: 'log(x)', vars: { x: V }, wrt: 'x', domain: { x: 'positive' } },
    { expr: 'log(s)', vars: { s: S }, wrt: 's', domain: { s: 'positive' } },
  ],
  Sin: [
    { expr: "a'*sin(x)", vars: { x: V, a: V }, wrt: 'x' },
    { expr: 'sum(sin(X*A))', vars: { X: M, A: M }, wrt: 'X' },
  ],
  Cos: [
    { expr: 'sum(cos(X))', vars: { X: M }, wrt: 'X' },
    { expr: "a'*cos(A*x)", vars: { x: V, a: V, A: M }, wrt: 'x' },
  ],
  Tan: [
    { expr: "a'*tan(x)", vars: { x: V, a: V }, wrt: 'x' },
    { expr: 'sum(tan(X))', vars: { X: M }, wrt: 'X' },
  ],
  Tanh: [
    { expr: 'sum(tanh(A*x))', vars: { x: V, A: M }, wrt: 'x' },
    { expr: 'tanh(x)', vars: { x: V }, wrt: 'x' },
  ],
  Sqrt: [
    { expr: 'sum(sqrt(X))', vars: { X: M }, wrt: 'X', domain: { X: 'positive' } },
    { expr: "sqrt(x'*x)", vars: { x: V }, wrt: 'x' },
  ],
  Abs: [
    { expr: 'sum(abs(X))', vars: { X: M }, wrt: 'X', domain: { X: 'nonzero' } },
    { expr: "a'*abs(x)", vars: { x: V, a: V }, wrt: 'x', domain: { x: 'nonzero' } },
    { expr: 'sum(abs(X).^3)', vars: { X: M }, wrt: 'X', domain: { X: 'nonzero' } },
  ],
  Sign: [
    { expr: 'sum(sign(X) .* X.^2)', vars: { X: M }, wrt: 'X', domain: { X: 'nonzero' } },
    { expr: "a'*sign(x)", vars: { x: V, a: V }, wrt: 'x', domain: { x: 'nonzero' } },
  ],
  Sigmoid: [
    { expr: "a'*sigmoid(x)", vars: { x: V, a: V }, wrt: 'x' },
    { expr: 'sum(sigmoid(X*a))', vars: { X: M, a: V }, wrt: 'X' },
  ],
  Inv: [
    { expr: 'tr(inv(X)*A)', vars: { X: M, A: M }, wrt: 'X', domain: { X: 'wellcond' } },
    { expr: "a'*inv(X)*b", vars: { X: M, a: V, b: V }, wrt: 'X', domain: { X: 'wellcond' } },
    { expr: 'inv(X)', vars: { X: M }, wrt: 'X', domain: { X: 'wellcond' } },
    { expr: "a'*inv(S)*a", vars: { S: SYM, a: V }, wrt: 'S', domain: { S: 'spd' } },
    { expr: 'inv(X)*a', vars: { X: M, a: V }, wrt: 'X', domain: { X: 'wellcond' } },
    { expr: 'inv(S)', vars: { S: SYM }, wrt: 'S', domain: { S: 'spd' } },
    { expr: "a'*inv(A + s*B)*a", vars: { A: M, B: M, a: V, s: S }, wrt: 's', domain: { A: 'wellcond', B: 'small' } },
  ],
  Det: [
    { expr: 'det(X)', vars: { X: M }, wrt: 'X', domain: { X: 'wellcond' } },
    { expr: 'det(X*A)', vars: { X: 'matrix(n,n)', A: M }, wrt: 'X', domain: { X: 'wellcond', A: 'wellcond' } },
    { expr: 'det(S)', vars: { S: SYM }, wrt: 'S', domain: { S: 'wellcond' } },
    { expr: 'det(A + s*B)', vars: { A: M, B: M, s: S }, wrt: 's', domain: { A: 'wellcond', B: 'small' } },
  ],
  LogDet: [
    { expr: 'logdet(X)', vars: { X: M }, wrt: 'X', domain: { X: 'wellcond' } },
    { expr: 'logdet(S)', vars: { S: SYM }, wrt: 'S', domain: { S: 'spd' } },
    { expr: "logdet(X'*X)", vars: { X: 'matrix(n,n)' }, wrt: 'X', domain: { X: 'wellcond' } },
  ],
  Trace: [
    { expr: 'tr(X)', vars: { X: M }, wrt: 'X' },
    { expr: "tr(A*X*B*X')", vars: { X: 'matrix(m,n)', A: 'matrix(m,m)', B: 'matrix(n,n)' }, wrt: 'X' },
    { expr: 'tr(S*A)', vars: { S: SYM, A: M }, wrt: 'S' },
  ],
  Sum: [
    { expr: 'sum(X*A)', vars: { X: M, A: M }, wrt: 'X' },
    { expr: 'sum(x)', vars: { x: V }, wrt: 'x' },
    { expr: 'sum(S .* S)', vars: { S: SYM }, wrt: 'S' },
  ],
  Norm2: [
    { expr: 'norm2(X)', vars: { X: M }, wrt: 'X' },
    { expr: 'norm2(x)', vars: { x: V }, wrt: 'x' },
    // at 1 x 1, norm2(A*x - b) is abs(A*x - b), whose Hessian is 0
    { expr: 'norm2(A*x - b)', vars: { x: V, A: M, b: V }, wrt: 'x' },
  ],
  Diag: [
    { expr: "a'*diag(x)*b", vars: { x: V, a: V, b: V }, wrt: 'x' },
    { expr: 'tr(diag(x)*A)', vars: { x: V, A: M }, wrt: 'x' },
    { expr: 'diag(x)', vars: { x: V }, wrt: 'x' },
    { expr: 'sum(diag(x)*X)', vars: { x: V, X: M }, wrt: 'X' },
  ],
  DiagPart: [
    { expr: "a'*diag(X)", vars: { X: M, a: V }, wrt: 'X' },
    { expr: 'sum(diag(X*A))', vars: { X: M, A: M }, wrt: 'X' },
    { expr: "diag(X)'*diag(X)", vars: { X: M }, wrt: 'X' },
    { expr: 'diag(X)', vars: { X: M }, wrt: 'X' },
    { expr: "diag(x*x')'*b", vars: { x: V, b: V }, wrt: 'x' },
  ],
  Vec: [
    { expr: "a'*vec(X)", vars: { X: 'matrix(m,n)', a: V }, wrt: 'X' },
    { expr: "vec(X)'*vec(X)", vars: { X: M }, wrt: 'X' },
    { expr: 'sum(exp(vec(X*A)))', vars: { X: M, A: M }, wrt: 'X' },
    { expr: 'vec(X)', vars: { X: 'matrix(m,n)' }, wrt: 'X' },
    // A is m x n: the Hessian is 4*(sum(A) + m*n*x'*x)*I + 8*m*n*x*x', but the Jacobian read-off meets dx inside a trace
    { expr: "vec(A + x'*x)'*vec(A + x'*x)", vars: { A: M, x: V }, wrt: 'x', errors: { 2: 'no-closed-form' } },
  ],
  Unvec: [
    { expr: "a'*unvec(x, m)*b", vars: { x: V, a: 'vector(m)', b: 'vector(n)' }, wrt: 'x', noOneByOne: UNVEC_ONE },
    { expr: 'tr(unvec(x, n)*A)', vars: { x: V, A: 'matrix(m,n)' }, wrt: 'x', noOneByOne: UNVEC_ONE },
    { expr: 'unvec(x, m)', vars: { x: V, B: 'matrix(m,n)' }, wrt: 'x', noOneByOne: UNVEC_ONE },
    // the Hessian is diag(exp(x)), but the Jacobian read-off does not take vec(K .* unvec(dx, m))
    { expr: 'sum(exp(unvec(x, m)))', vars: { x: V, B: 'matrix(m,n)' }, wrt: 'x', noOneByOne: UNVEC_ONE },
  ],
  Kron: [
    { expr: 'tr(kron(A, X))', vars: { A: 'matrix(m,m)', X: 'matrix(n,n)' }, wrt: 'X' },
    { expr: 'kron(x, b)', vars: { x: V, b: V }, wrt: 'x' },
    { expr: 'kron(b, x)', vars: { x: V, b: V }, wrt: 'x' },
    { expr: "a'*kron(x, b)", vars: { x: V, b: V, a: V }, wrt: 'x' },
    // sum(kron(x, b)) = sum(x)*sum(b), and kron(x, b) = vec(b*x'): closed forms exist, the read-off does not find them
    { expr: 'sum(kron(x, b))', vars: { x: V, b: V }, wrt: 'x', },
    { expr: 'kron(A, X)', vars: { A: M, X: M }, wrt: 'X' },
    { expr: 'sum(kron(A, X)*v)', vars: { A: M, X: M, v: V }, wrt: 'X' },
  ],
  LogSumExp: [
    { expr: 'logsumexp(x)', vars: { x: V }, wrt: 'x' },
    { expr: 'logsumexp(A*x)', vars: { x: V, A: M }, wrt: 'x' },
    { expr: 'logsumexp(X*a)', vars: { X: M, a: V }, wrt: 'X' },
  ],
  Softmax: [
    { expr: "a'*softmax(x)", vars: { x: V, a: V }, wrt: 'x' },
    { expr: 'softmax(x)', vars: { x: V }, wrt: 'x' },
    { expr: "a'*softmax(X*b)", vars: { X: M, a: V, b: V }, wrt: 'X' },
    { expr: 'softmax(X*b)', vars: { X: M, b: V }, wrt: 'X' },
  ],
} satisfies Record<Tested, Spec[]>;

export const ALL_SPECS: readonly (Spec & { op: Tested })[] =
  (Object.entries(SPECS) as [Tested, Spec[]][]).flatMap(([op, specs]) => specs.map((s) => ({ ...s, op })));
