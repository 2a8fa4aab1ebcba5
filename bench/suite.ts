/** The derivation suite: each case in matcalc's language and in SymPy's matrix expressions
 *  (a list of formulations, tried in order; the first whose answer checks on numbers counts). */

export interface SuiteCase {
  id: string;
  label: string;
  expr: string;
  vars: Record<string, string>;
  wrt: string;
  orders: readonly (1 | 2)[];
  sympy: {
    /** name, rows, cols: dimensions are n, m, k or integers. */
    vars: [string, string, string][];
    f: string[];
    symmetric?: string[];
  };
  /** A family member: its family and k. */
  family?: { name: string; k: number };
}

const sq = (...names: string[]): [string, string, string][] => names.map((v) => [v, 'n', 'n']);
const col = (name: string, d = 'n'): [string, string, string] => [name, d, '1'];

export const SUITE: SuiteCase[] = [
  {
    id: 'intro', label: "det(X+B)*log(a'*inv(X)*a) - tr(X)", expr: "det(X+B)*log(a'*inv(X)*a) - tr(X)",
    vars: { X: 'matrix', B: 'matrix', a: 'vector' }, wrt: 'X', orders: [1, 2],
    sympy: { vars: [...sq('X', 'B'), col('a')], f: ['Determinant(X+B)*log(Trace(a.T*Inverse(X)*a)) - Trace(X)'] },
  },
  {
    id: 'det-lemma', label: "det(I + x*x')", expr: "det(I + x*x')", vars: { x: 'vector' }, wrt: 'x', orders: [1, 2],
    sympy: { vars: [col('x')], f: ['Determinant(Identity(n) + x*x.T)'] },
  },
  {
    id: 'trAXB', label: 'tr(A*X*B)', expr: 'tr(A*X*B)', vars: { A: 'matrix', X: 'matrix', B: 'matrix' }, wrt: 'X', orders: [1, 2],
    sympy: { vars: sq('A', 'X', 'B'), f: ['Trace(A*X*B)'] },
  },
  {
    id: 'trXtAX', label: "tr(X'*A*X)", expr: "tr(X'*A*X)", vars: { X: 'matrix', A: 'matrix' }, wrt: 'X', orders: [1, 2],
    sympy: { vars: sq('X', 'A'), f: ['Trace(X.T*A*X)'] },
  },
  {
    id: 'aXb', label: "a'*X*b", expr: "a'*X*b", vars: { a: 'vector', X: 'matrix', b: 'vector' }, wrt: 'X', orders: [1, 2],
    sympy: { vars: [col('a'), ...sq('X'), col('b')], f: ['Trace(a.T*X*b)', '(a.T*X*b)'] },
  },
  {
    id: 'logdet', label: 'logdet(X)', expr: 'logdet(X)', vars: { X: 'matrix' }, wrt: 'X', orders: [1, 2],
    sympy: { vars: sq('X'), f: ['log(Determinant(X))'] },
  },
  {
    id: 'trinvXA', label: 'tr(inv(X)*A)', expr: 'tr(inv(X)*A)', vars: { X: 'matrix', A: 'matrix' }, wrt: 'X', orders: [1, 2],
    sympy: { vars: sq('X', 'A'), f: ['Trace(Inverse(X)*A)'] },
  },
  {
    id: 'det', label: 'det(X)', expr: 'det(X)', vars: { X: 'matrix' }, wrt: 'X', orders: [1, 2],
    sympy: { vars: sq('X'), f: ['Determinant(X)'] },
  },
  {
    id: 'xAx', label: "x'*A*x", expr: "x'*A*x", vars: { x: 'vector', A: 'matrix' }, wrt: 'x', orders: [1, 2],
    sympy: { vars: [col('x'), ...sq('A')], f: ['Trace(x.T*A*x)', '(x.T*A*x)'] },
  },
  {
    id: 'norm2', label: 'norm2(A*x-b)', expr: 'norm2(A*x-b)', vars: { A: 'matrix', x: 'vector', b: 'vector' }, wrt: 'x', orders: [1, 2],
    sympy: { vars: [...sq('A'), col('x'), col('b')], f: ['sqrt(Trace((A*x-b).T*(A*x-b)))', 'sqrt((A*x-b).T*(A*x-b))'] },
  },
  {
    id: 'logistic', label: 'sum(log(1 + exp(-y.*(X*w))))', expr: 'sum(log(1 + exp(-y.*(X*w))))',
    vars: { X: 'matrix', y: 'vector', w: 'vector' }, wrt: 'w', orders: [1, 2],
    sympy: {
      vars: [['X', 'm', 'n'], col('y', 'm'), col('w')],
      f: [
        "Trace(ones(1, 'm')*ew(log, ones('m', 1) + ew(exp, -HadamardProduct(y, X*w))))",
        "(ones(1, 'm')*ew(log, ones('m', 1) + ew(exp, -HadamardProduct(y, X*w))))",
      ],
    },
  },
  {
    id: 'gauss-prec', label: "logdet(S) - x'*S*x (S symmetric)", expr: "logdet(S) - x'*S*x", vars: { S: 'symmetric', x: 'vector' }, wrt: 'S', orders: [1, 2],
    sympy: { vars: [...sq('S'), col('x')], f: ['log(Determinant(S)) - Trace(x.T*S*x)'], symmetric: ['S'] },
  },
  {
    id: 'gauss-cov', label: "-logdet(S) - x'*inv(S)*x (S symmetric)", expr: "-logdet(S) - x'*inv(S)*x", vars: { S: 'symmetric', x: 'vector' }, wrt: 'S', orders: [1, 2],
    sympy: { vars: [...sq('S'), col('x')], f: ['-log(Determinant(S)) - Trace(x.T*Inverse(S)*x)'], symmetric: ['S'] },
  },
  {
    id: 'factorization', label: "sum((A - U*V').^2)", expr: "sum((A - U*V').^2)", vars: { A: 'matrix', U: 'matrix', V: 'matrix' }, wrt: 'U', orders: [1, 2],
    sympy: {
      vars: [['A', 'm', 'n'], ['U', 'm', 'k'], ['V', 'n', 'k']],
      f: ["Trace(ones(1, 'm')*HadamardPower(A - U*V.T, 2)*ones('n', 1))", 'Trace((A - U*V.T).T*(A - U*V.T))'],
    },
  },
  {
    id: 'two-layer', label: 'sum((W2*tanh(W1*x) - y).^2)', expr: 'sum((W2*tanh(W1*x) - y).^2)',
    vars: { W1: 'matrix', W2: 'matrix', x: 'vector', y: 'vector' }, wrt: 'W1', orders: [1, 2],
    sympy: {
      vars: [['W1', 'k', 'n'], ['W2', 'm', 'k'], col('x'), col('y', 'm')],
      f: [
        "Trace(ones(1, 'm')*HadamardPower(W2*ew(tanh, W1*x) - y, 2))",
        'Trace((W2*ew(tanh, W1*x) - y).T*(W2*ew(tanh, W1*x) - y))',
      ],
    },
  },
];

export const FAMILY_K = [1, 2, 3, 5, 10, 20, 30, 40, 50];
export const FAMILY_K_QUICK = [1, 2, 5];
/** SymPy's families use fewer k: each step can take seconds. */
export const SYMPY_FAMILY_K = [1, 2, 5, 10, 20, 50];
export const SYMPY_FAMILY_K_QUICK = [2];

export const FAMILIES: { name: string; label: string; short: string; make: (k: number) => SuiteCase }[] = [
  {
    name: 'trpow', label: 'tr(X^k) by X', short: 'tr(X^k)',
    make: (k) => ({
      id: `trpow-${k}`, label: `tr(X^${k})`, expr: `tr(X^${k})`, vars: { X: 'matrix' }, wrt: 'X', orders: [1, 2],
      sympy: { vars: sq('X'), f: [`Trace(X**${k})`] }, family: { name: 'trpow', k },
    }),
  },
  {
    name: 'nest', label: "sin(sin(...sin(x'*x))), k deep, by x", short: "sin(...sin(x'*x)), k deep",
    make: (k) => {
      let e = "x'*x", s = 'Trace(x.T*x)';
      for (let i = 0; i < k; i++) { e = `sin(${e})`; s = `sin(${s})`; }
      return {
        id: `nest-${k}`, label: k <= 2 ? e : `sin^${k}(x'*x)`, expr: e, vars: { x: 'vector' }, wrt: 'x', orders: [1, 2],
        sympy: { vars: [col('x')], f: [s] }, family: { name: 'nest', k },
      };
    },
  },
  {
    name: 'sum', label: "log(1 + exp(c1'*x)) + ... + log(1 + exp(ck'*x)), by x", short: 'sum of k softplus terms',
    make: (k) => {
      const idx = Array.from({ length: k }, (_, i) => i + 1);
      const expr = idx.map((i) => `log(1 + exp(c${i}'*x))`).join(' + ');
      const vars: Record<string, string> = { x: 'vector' };
      for (const i of idx) vars[`c${i}`] = 'vector';
      return {
        id: `sum-${k}`, label: k <= 2 ? expr : `sum of ${k} terms log(1 + exp(ci'*x))`, expr, vars, wrt: 'x', orders: [1, 2],
        sympy: { vars: [col('x'), ...idx.map((i) => col(`c${i}`))], f: [idx.map((i) => `log(1 + exp(Trace(c${i}.T*x)))`).join(' + ')] },
        family: { name: 'sum', k },
      };
    },
  },
];
