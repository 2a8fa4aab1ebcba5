/** The NumPy target: 2-D arrays inside (a vector as an n x 1 column), np.float64 for scalars
 *  (so that arithmetic follows numpy's rules, never Python's complex powers or ZeroDivisionError);
 *  vectors enter and leave as 1-D arrays, scalars leave as floats. `@` for products,
 *  np.linalg.solve for inverses. */
import { isScalar } from '../ir/node.js';
import {
  atom, call, literal, power, productOf, sumOf, wrap, P,
  type Direction, type Expr, type LoopLevel, type Plan, type RuleCtx, type Rules, type Target,
} from './code-expr.js';

const PY_WORDS = [
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'np', 'float', 'range', 'derivative',
];

interface Helper { readonly name: string; readonly deps: readonly string[]; readonly text: string }
const HELPERS: readonly Helper[] = [
  { name: '_sigmoid', deps: [], text: 'def _sigmoid(x):\n    return np.exp(-np.logaddexp(0.0, -x))' },
  { name: '_logsumexp', deps: [], text: 'def _logsumexp(x):\n    m = np.max(x)\n    return m + np.log(np.sum(np.exp(x - m)))' },
  { name: '_softmax', deps: [], text: 'def _softmax(x):\n    e = np.exp(x - np.max(x))\n    return e / np.sum(e)' },
  { name: '_unit', deps: [], text: 'def _unit(rows, cols, k):\n    """The k-th unit matrix of a rows x cols shape, in column-major order."""\n    E = np.zeros((rows, cols))\n    E[k % rows, k // rows] = 1.0\n    return E' },
  { name: '_sym_unit', deps: ['_unit'], text: 'def _sym_unit(rows, cols, k):\n    """(E + E\')/2 for E the k-th unit matrix."""\n    E = _unit(rows, cols, k)\n    return (E + E.T) / 2' },
];

const transpose = (a: Expr): Expr => (a.prec === P.Atom && a.text.endsWith('.T') ? atom(a.text.slice(0, -2)) : atom(`${wrap(a, P.Atom)}.T`));
const fn = (name: string) => (c: RuleCtx): Expr => call(name, c.mat(0));
const elementwise = (name: string) => (c: RuleCtx): Expr => call(name, c.args[0]!);
const method = (c: RuleCtx, m: string): Expr => atom(`${wrap(c.mat(0), P.Atom)}.${m}`);
const toScalar = (m: Expr): Expr => atom(`${wrap(m, P.Atom)}[0, 0]`);
const shape = (r: Expr, c: Expr): string => `(${r.text}, ${c.text})`;

const RULES = {
  Var: (c) => atom(c.name),
  Const: (c) => literal(c.node.attrs.value!),
  Identity: (c) => call('np.eye', c.dim(c.node.shape[0])),
  Ones: (c) => atom(`np.ones(${shape(c.dim(c.node.shape[0]), c.dim(c.node.shape[1]))})`),
  Zeros: (c) => atom(`np.zeros(${shape(c.dim(c.node.shape[0]), c.dim(c.node.shape[1]))})`),
  Add: (c) => sumOf(c.args),
  Mul: (c) => {
    const chain = c.chain ? [isScalar(c.node) ? toScalar(c.chain) : c.chain] : [];
    return productOf([...c.scalars, ...chain], P.Pow);
  },
  Hadamard: (c) => productOf(c.args, P.Pow),
  Transpose: (c) => (isScalar(c.node) ? c.args[0]! : transpose(c.args[0]!)),
  Pow: (c) => power(c.args[0]!, c.args[1]!),
  ElemPow: (c) => power(c.args[0]!, c.args[1]!),
  MatPow: (c) => call('np.linalg.matrix_power', c.mat(0), literal(c.node.attrs.k!)),
  Exp: elementwise('np.exp'), Log: elementwise('np.log'), Sin: elementwise('np.sin'), Cos: elementwise('np.cos'),
  Tan: elementwise('np.tan'), Tanh: elementwise('np.tanh'), Sqrt: elementwise('np.sqrt'), Abs: elementwise('np.abs'),
  Sign: elementwise('np.sign'), Sigmoid: elementwise('_sigmoid'),
  Inv: fn('np.linalg.inv'),
  Det: fn('np.linalg.det'),
  LogDet: (c) => atom(`np.linalg.slogdet(${c.mat(0).text})[1]`),
  Trace: fn('np.trace'),
  Sum: fn('np.sum'),
  Norm2: fn('np.linalg.norm'),
  Diag: fn('np.diagflat'),
  DiagPart: (c) => atom(`np.diag(${c.mat(0).text})[:, None]`),
  Vec: (c) => method(c, "reshape(-1, 1, order='F')"),
  Unvec: (c) => method(c, `reshape(${c.dim(c.node.attrs.rows!).text}, -1, order='F')`),
  Kron: (c) => call('np.kron', c.mat(0), c.mat(1)),
  LogSumExp: fn('_logsumexp'),
  Softmax: fn('_softmax'),
  Delta: () => { throw new Error('internal: d(...) has no code'); },
} satisfies Rules;

const direction = (d: Direction, index: string): Expr =>
  d.scalar ? literal(1) : call(d.symmetric ? '_sym_unit' : '_unit', d.rows, d.cols, index);

function loopLines(l: LoopLevel, indent: string, inner: string[]): string[] {
  return [
    `${indent}for ${l.index} in range(${l.count.text}):`,
    ...(l.dir ? [`${indent}    ${l.dir.name} = ${direction(l.dir, l.index).text}`] : []),
    ...l.body.map((s) => `${indent}    ${s.name} = ${s.expr.text}`),
    ...inner,
  ];
}

function print(plan: Plan): string {
  const body: string[] = [];
  for (const p of plan.params) {
    body.push(p.layout === 'scalar' ? `${p.internal} = np.float64(${p.name})`
      : `${p.internal} = np.asarray(${p.name}, dtype=float)${p.layout === 'vector' ? '.reshape(-1, 1)' : ''}`);
  }
  for (const s of plan.sizes) {
    const length = `${s.param.internal}.shape[${s.axis}]`;
    body.push(`${s.name} = ${s.divisor ? `${length} // ${wrap(s.divisor, P.Mul + 1)}` : length}`);
  }
  for (const s of plan.top) body.push(`${s.name} = ${s.expr.text}`);
  const L = plan.loop;
  if (L) {
    body.push(`${L.out} = np.zeros(${shape(L.rows, L.cols)})`);
    const column = L.symmetrize ? `(${L.value.text} + ${transpose(L.value).text}) / 2` : L.value.text;
    const store = L.inner ? `${L.out}[${L.inner.index}, ${L.outer.index}] = ${L.value.text}` : `${L.out}[:, ${L.outer.index}] = np.reshape(${column}, -1, order='F')`;
    if (!L.zero) body.push(...(L.inner ? loopLines(L.outer, '', loopLines(L.inner, '    ', [`        ${store}`])) : loopLines(L.outer, '', [`    ${store}`])));
  }
  const out = plan.results.map((r) => (r.layout === 'scalar' ? `float(${r.expr.text})` : r.layout === 'vector' ? `${wrap(r.expr, P.Atom)}.reshape(-1)` : r.expr.text));
  body.push(`return ${out.join(', ')}`);
  const text = body.map((l) => `    ${l}`).join('\n');
  const need = new Set<string>();
  const add = (name: string): void => { need.add(name); for (const d of HELPERS.find((x) => x.name === name)!.deps) add(d); };
  for (const x of HELPERS) if (new RegExp(`\\b${x.name}\\b`).test(text)) add(x.name);
  const helpers = HELPERS.filter((x) => need.has(x.name));
  return [
    ...plan.header.map((l) => (l ? `# ${l}` : '#')),
    'import numpy as np',
    '',
    ...helpers.flatMap((x) => ['', x.text, '']),
    '',
    `def derivative(${plan.params.map((p) => p.name).join(', ')}):`,
    `    """The value of f and its derivatives at the arguments: see the comment at the top."""`,
    text,
    '',
  ].join('\n');
}

export const NUMPY: Target = {
  reserved: [...PY_WORDS, ...HELPERS.map((x) => x.name)],
  unaryMin: P.Pow,
  rules: RULES,
  separateInternal: () => false,
  toScalar,
  toMatrix: (s) => atom(`np.array([[${s.text}]])`),
  transpose,
  matmul: (a, b) => ({ text: `${wrap(a, P.Mul)} @ ${wrap(b, P.Mul + 1)}`, prec: P.Mul }),
  solve: (a, b, t) => call('np.linalg.solve', t ? transpose(a) : a, b),
  rsolve: (b, a, t) => atom(`np.linalg.solve(${(t ? a : transpose(a)).text}, ${transpose(b).text}).T`),
  inv: (a, t) => (t ? transpose(call('np.linalg.inv', a)) : call('np.linalg.inv', a)),
  words: {
    depends: 'It depends only on numpy.',
    tuple: (names) => `(${names.join(', ')})`,
    layout: { scalar: 'float', vector: '1-D array', matrix: '2-D array' },
    conventions: 'Scalars are floats, vectors 1-D arrays, matrices 2-D arrays; any array-like is accepted.',
  },
  print,
};
