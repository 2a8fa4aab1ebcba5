/** The differential of each operator: d(out) in terms of its arguments, their differentials
 *  (null where an argument does not depend on the variable: a symbolic zero the rules skip)
 *  and the node's own value `out`. Sources: the Matrix Cookbook (edition of 2012-11-15), eq. numbers. */
import * as B from '../ir/build.js';
import type { Node } from '../ir/node.js';
import type { OpName } from '../ir/ops.js';

export type DiffRule = (out: Node, dArgs: readonly (Node | null)[]) => Node;
/** Each rule also names itself, for the recorded derivation. */
export interface RuleEntry { id: string; label: string; rule: DiffRule }

const { add, mul, hadamard, transpose, trace, neg, constant, pow, elemPow } = B;
const c = constant;
const args = (n: Node): readonly Node[] => n.args;
const present = (ds: readonly (Node | null)[]): Node[] => ds.filter((d): d is Node => d !== null);

/** d of a linear operator is the operator of the d: d(f(A)) = f(dA). */
const linear = (f: (a: Node) => Node): DiffRule => (_out, [dA]) => f(dA!);
/** d(g(A)) = g'(A) .* dA for an elementwise g. */
const elementwise = (deriv: (a: Node, out: Node) => Node): DiffRule => (out, [dA]) => hadamard(deriv(out.args[0]!, out), dA!);
/** The product rule over any number of factors, in their order: d(A B C) = dA B C + A dB C + A B dC. */
const productRule = (build: (fs: Node[]) => Node): DiffRule => (out, ds) => {
  const terms: Node[] = [];
  ds.forEach((d, i) => { if (d) terms.push(build(args(out).map((a, j) => (j === i ? d : a)))); });
  return B.addAll(terms);
};
const entry = (id: string, label: string, rule: DiffRule): RuleEntry => ({ id, label, rule });
const leaf = entry('constant', 'the differential of a constant is zero', () => { throw new Error('internal: leaves have no rule'); });

export const DIFF_RULES = {
  Var: leaf,
  Const: leaf,
  Identity: leaf,
  Ones: leaf,
  Zeros: leaf,
  // d(A + B) = dA + dB  (Cookbook 34)
  Add: entry('linearity', 'linearity: d(A + B) = dA + dB', (_out, ds) => B.addAll(present(ds))),
  // d(AB) = dA B + A dB  (Cookbook 37)
  Mul: entry('product-rule', 'product rule: d(AB) = dA B + A dB', productRule(B.mulAll)),
  // d(A .* B) = dA .* B + A .* dB  (Cookbook 38)
  Hadamard: entry('hadamard-product-rule', 'product rule: d(A .* B) = dA .* B + A .* dB', productRule((fs) => hadamard(...fs))),
  // d(A') = (dA)'  (Cookbook 35)
  Transpose: entry('transpose', "d(A') = dA'", linear(transpose)),
  // d(b^e) = e b^(e-1) db + b^e log(b) de
  Pow: entry('chain-rule-power', 'power rule: d(b^e) = e*b^(e-1)*db + b^e*log(b)*de', (out, [db, de]) => {
    const [b, e] = out.args as [Node, Node];
    const terms: Node[] = [];
    if (db) terms.push(mul(e, pow(b, add(e, c(-1))), db));
    if (de) terms.push(mul(out, B.elementwise('Log', b), de));
    return B.addAll(terms);
  }),
  ElemPow: entry('chain-rule-power', 'power rule, elementwise: d(B.^e) = e*B.^(e-1) .* dB', (out, [dB, de]) => {
    const [b, e] = out.args as [Node, Node];
    const terms: Node[] = [];
    if (dB) terms.push(mul(e, hadamard(elemPow(b, add(e, c(-1))), dB)));
    if (de) terms.push(mul(de, hadamard(out, B.elementwise('Log', b))));
    return B.addAll(terms);
  }),
  // d(X^k) = sum_i X^i dX X^(k-1-i)  (Cookbook 39)
  MatPow: entry('product-rule', 'product rule: d(X^k) = sum of X^i dX X^(k-1-i)', (out, [dX]) => {
    const x = out.args[0]!, k = out.attrs.k!;
    const terms: Node[] = [];
    for (let i = 0; i < k; i++) terms.push(mul(B.matPow(x, i), dX!, B.matPow(x, k - 1 - i)));
    return B.addAll(terms);
  }),
  Exp: entry('chain-rule-exp', 'chain rule through exp: d(exp(A)) = exp(A) .* dA', elementwise((_a, out) => out)),
  Log: entry('chain-rule-log', 'chain rule through log: d(log(A)) = dA ./ A', elementwise((a) => elemPow(a, c(-1)))),
  Sin: entry('chain-rule-sin', 'chain rule through sin: d(sin(A)) = cos(A) .* dA', elementwise((a) => B.elementwise('Cos', a))),
  Cos: entry('chain-rule-cos', 'chain rule through cos: d(cos(A)) = -sin(A) .* dA', elementwise((a) => neg(B.elementwise('Sin', a)))),
  Tan: entry('chain-rule-tan', 'chain rule through tan: d(tan(A)) = dA ./ cos(A).^2', elementwise((a) => elemPow(B.elementwise('Cos', a), c(-2)))),
  Tanh: entry('chain-rule-tanh', 'chain rule through tanh: d(tanh(A)) = (1 - tanh(A).^2) .* dA',
    elementwise((a, out) => B.sub(B.ones(a.shape), elemPow(out, c(2))))),
  Sqrt: entry('chain-rule-sqrt', 'chain rule through sqrt: d(sqrt(A)) = dA ./ (2*sqrt(A))', elementwise((_a, out) => mul(c(0.5), elemPow(out, c(-1))))),
  Abs: entry('chain-rule-abs', 'chain rule through abs: d(abs(A)) = sign(A) .* dA', elementwise((a) => B.elementwise('Sign', a))),
  Sign: entry('constant', 'sign is piecewise constant: d(sign(A)) = 0', (out) => B.zeros(out.shape)),
  Sigmoid: entry('chain-rule-sigmoid', 'chain rule through sigmoid: d(sigmoid(A)) = sigmoid(A) .* (1 - sigmoid(A)) .* dA',
    elementwise((a, out) => hadamard(out, B.sub(B.ones(a.shape), out)))),
  // d(inv X) = -inv(X) dX inv(X)  (Cookbook 59)
  Inv: entry('d-inverse', 'd(inv(X)) = -inv(X)*dX*inv(X)', (out, [dX]) => neg(mul(out, dX!, out))),
  // d(det X) = det(X) tr(inv(X) dX)  (Cookbook 46)
  Det: entry('d-det', 'd(det(X)) = det(X)*tr(inv(X)*dX)', (out, [dX]) => mul(out, trace(mul(B.inv(out.args[0]!), dX!)))),
  // d(log|det X|) = tr(inv(X) dX)  (Cookbook 51)
  LogDet: entry('d-logdet', 'd(logdet(X)) = tr(inv(X)*dX)', (out, [dX]) => trace(mul(B.inv(out.args[0]!), dX!))),
  // d(tr X) = tr(dX)  (Cookbook 36)
  Trace: entry('d-trace', 'd(tr(X)) = tr(dX)', linear(trace)),
  Sum: entry('d-sum', 'd(sum(X)) = sum(dX)', linear(B.sum)),
  // d||x|| = x'dx/||x||; d||X||_F = tr(X'dX)/||X||_F
  Norm2: entry('d-norm2', "d(norm2(x)) = x'*dx/norm2(x)", (out, [dA]) => {
    const a = out.args[0]!;
    const inner = a.shape[1] === '1' ? mul(transpose(a), dA!) : trace(mul(transpose(a), dA!));
    return mul(inner, pow(out, c(-1)));
  }),
  Diag: entry('d-diag', 'd(diag(x)) = diag(dx)', linear(B.diag)),
  DiagPart: entry('d-diag', 'd(diag(X)) = diag(dX)', linear(B.diag)),
  Vec: entry('d-vec', 'd(vec(X)) = vec(dX)', linear(B.vec)),
  Unvec: entry('d-unvec', 'd(unvec(x)) = unvec(dx)', (out, [dA]) => B.unvec(dA!, out.attrs.rows!, out.shape[1])),
  // d(A ⊗ B) = dA ⊗ B + A ⊗ dB  (Cookbook 520)
  Kron: entry('kron-product-rule', 'product rule: d(kron(A, B)) = kron(dA, B) + kron(A, dB)', productRule(([a, b]) => B.kron(a!, b!))),
  // d logsumexp(x) = softmax(x)' dx
  LogSumExp: entry('d-logsumexp', "d(logsumexp(x)) = softmax(x)'*dx", (out, [dx]) => mul(transpose(B.softmax(out.args[0]!)), dx!)),
  // d softmax(x) = s .* dx - s (s' dx)
  Softmax: entry('d-softmax', "d(softmax(x)) = s .* dx - s*(s'*dx), s = softmax(x)", (out, [dx]) =>
    B.sub(hadamard(out, dx!), mul(out, mul(transpose(out), dx!)))),
  Delta: entry('delta', 'd(...)', () => { throw new Error('internal: d(d(...)) is not a rule'); }),
} satisfies Record<OpName, RuleEntry>;

