/** The TypeScript and JavaScript targets: plain arrays of rows, numbers for scalars, and the
 *  few small helpers the code calls written into the module (only those it calls). One source
 *  serves both: a type annotation is written «: T» in the helpers and dropped for JavaScript. */
import { isScalar } from '../ir/node.js';
import {
  atom, call, literal, power, productOf, sumOf, wrap, P,
  type Direction, type Expr, type Layout, type LoopLevel, type Plan, type RuleCtx, type Rules, type Target,
} from './code-expr.js';

const JS_WORDS = [
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await', 'arguments',
  'eval', 'undefined', 'NaN', 'Infinity', 'Math', 'Array', 'Number', 'Object', 'Error', 'globalThis', 'Mat', 'derivative',
];

interface Helper { readonly name: string; readonly deps: readonly string[]; readonly text: string }
const h = (name: string, deps: string[], ...lines: string[]): Helper => ({ name, deps, text: lines.join('\n') });

/** In the order they are written; each names the helpers it calls. */
const HELPERS: readonly Helper[] = [
  h('zeros', [], 'function zeros(r«: number», c«: number»)«: Mat» {', '  return Array.from({ length: r }, () => new Array«<number>»(c).fill(0));', '}'),
  h('ones', [], 'function ones(r«: number», c«: number»)«: Mat» {', '  return Array.from({ length: r }, () => new Array«<number>»(c).fill(1));', '}'),
  h('eye', ['zeros'], 'function eye(n«: number»)«: Mat» {', '  const I = zeros(n, n);', '  for (let i = 0; i < n; i++) I[i][i] = 1;', '  return I;', '}'),
  h('col', [], '/** A vector as an n x 1 matrix. */', 'function col(v«: number[]»)«: Mat» {', '  return v.map((x) => [x]);', '}'),
  h('flat', [], '/** An n x 1 matrix as a vector. */', 'function flat(A«: Mat»)«: number[]» {', '  return A.map((r) => r[0]);', '}'),
  h('transpose', [], 'function transpose(A«: Mat»)«: Mat» {', '  return A[0].map((_, j) => A.map((r) => r[j]));', '}'),
  h('mul', ['zeros'], '/** The matrix product A1 * A2 * ... */', 'function mul(...As«: Mat[]»)«: Mat» {', '  return As.reduce((A, B) => {',
    '    const C = zeros(A.length, B[0].length);', '    for (let i = 0; i < A.length; i++) {', '      for (let k = 0; k < B.length; k++) {',
    '        const a = A[i][k];', '        for (let j = 0; j < B[0].length; j++) C[i][j] += a * B[k][j];', '      }', '    }', '    return C;', '  });', '}'),
  h('add', [], 'function add(...As«: Mat[]»)«: Mat» {', '  return As.reduce((S, A) => S.map((r, i) => r.map((x, j) => x + A[i][j])));', '}'),
  h('hadamard', [], '/** The elementwise product. */', 'function hadamard(...As«: Mat[]»)«: Mat» {', '  return As.reduce((S, A) => S.map((r, i) => r.map((x, j) => x * A[i][j])));', '}'),
  h('scale', [], 'function scale(A«: Mat», s«: number»)«: Mat» {', '  return A.map((r) => r.map((x) => s * x));', '}'),
  h('map', [], '/** f applied to every entry. */', 'function map(A«: Mat», f«: (x: number) => number»)«: Mat» {', '  return A.map((r) => r.map((x) => f(x)));', '}'),
  h('epow', [], '/** The elementwise power. */', 'function epow(A«: Mat», p«: number»)«: Mat» {', '  return A.map((r) => r.map((x) => x ** p));', '}'),
  h('mpow', ['mul'], '/** A^k for an integer k >= 1. */', 'function mpow(A«: Mat», k«: number»)«: Mat» {', '  let P = A;', '  for (let i = 1; i < k; i++) P = mul(P, A);', '  return P;', '}'),
  h('trace', [], 'function trace(A«: Mat»)«: number» {', '  return A.reduce((s, r, i) => s + r[i], 0);', '}'),
  h('sum', [], 'function sum(A«: Mat»)«: number» {', '  return A.reduce((s, r) => r.reduce((t, x) => t + x, s), 0);', '}'),
  h('norm2', ['sum', 'map'], '/** The Euclidean (Frobenius) norm. */', 'function norm2(A«: Mat»)«: number» {', '  return Math.sqrt(sum(map(A, (x) => x * x)));', '}'),
  h('diag', ['zeros'], '/** An n x 1 matrix as a diagonal matrix. */', 'function diag(v«: Mat»)«: Mat» {', '  const D = zeros(v.length, v.length);', '  v.forEach((r, i) => { D[i][i] = r[0]; });', '  return D;', '}'),
  h('diagPart', [], '/** The diagonal of a square matrix, n x 1. */', 'function diagPart(A«: Mat»)«: Mat» {', '  return A.map((r, i) => [r[i]]);', '}'),
  h('vec', [], '/** The columns stacked into one n x 1 matrix. */', 'function vec(A«: Mat»)«: Mat» {', '  const v«: Mat» = [];',
    '  for (let j = 0; j < A[0].length; j++) for (const r of A) v.push([r[j]]);', '  return v;', '}'),
  h('unvec', [], '/** The inverse of vec: an n x 1 matrix as a matrix of `rows` rows, filled column by column. */', 'function unvec(v«: Mat», rows«: number»)«: Mat» {',
    '  const cols = v.length / rows;', '  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => v[i + j * rows][0]));', '}'),
  h('kron', [], '/** The Kronecker product. */', 'function kron(A«: Mat», B«: Mat»)«: Mat» {', '  const p = B.length, q = B[0].length;',
    '  return Array.from({ length: A.length * p }, (_, i) =>', '    Array.from({ length: A[0].length * q }, (_, j) => A[Math.floor(i / p)][Math.floor(j / q)] * B[i % p][j % q]));', '}'),
  h('logsumexp', [], '/** log(sum(exp(x))) of an n x 1 matrix, shifted by the largest entry. */', 'function logsumexp(v«: Mat»)«: number» {',
    '  const m = v.reduce((a, r) => Math.max(a, r[0]), -Infinity);', '  return m + Math.log(v.reduce((s, r) => s + Math.exp(r[0] - m), 0));', '}'),
  h('softmax', [], '/** exp(x)/sum(exp(x)) of an n x 1 matrix, shifted by the largest entry. */', 'function softmax(v«: Mat»)«: Mat» {',
    '  const m = v.reduce((a, r) => Math.max(a, r[0]), -Infinity);', '  const e = v.map((r) => Math.exp(r[0] - m));',
    '  const s = e.reduce((a, x) => a + x, 0);', '  return e.map((x) => [x / s]);', '}'),
  h('sigmoid', [], 'function sigmoid(x«: number»)«: number» {', '  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));', '}'),
  h('lu', [], '/** P*A = L*U with partial pivoting, L and U in one matrix; row i of P*A is row perm[i] of A. */',
    'function lu(A«: Mat»)«: { LU: Mat; perm: number[]; sign: number }» {', '  const n = A.length, LU = A.map((r) => r.slice()), perm = A.map((_, i) => i);',
    '  let sign = 1;', '  for (let k = 0; k < n; k++) {', '    let p = k;', '    for (let i = k + 1; i < n; i++) if (Math.abs(LU[i][k]) > Math.abs(LU[p][k])) p = i;',
    '    if (p !== k) {', '      [LU[p], LU[k]] = [LU[k], LU[p]];', '      [perm[p], perm[k]] = [perm[k], perm[p]];', '      sign = -sign;', '    }',
    '    if (LU[k][k] === 0) continue;', '    for (let i = k + 1; i < n; i++) {', '      const l = (LU[i][k] /= LU[k][k]);',
    '      for (let j = k + 1; j < n; j++) LU[i][j] -= l * LU[k][j];', '    }', '  }', '  return { LU, perm, sign };', '}'),
  h('solve', ['lu'], '/** inv(A)*B, by the LU factors of A. */', 'function solve(A«: Mat», B«: Mat»)«: Mat» {', '  const { LU, perm } = lu(A);',
    '  const n = LU.length, m = B[0].length, X = perm.map((p) => B[p].slice());', "  if (LU.some((r, i) => r[i] === 0)) throw new Error('derivative: a matrix to invert is singular');",
    '  for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) for (let j = 0; j < m; j++) X[i][j] -= LU[i][k] * X[k][j];',
    '  for (let i = n - 1; i >= 0; i--) {', '    for (let k = i + 1; k < n; k++) for (let j = 0; j < m; j++) X[i][j] -= LU[i][k] * X[k][j];',
    '    for (let j = 0; j < m; j++) X[i][j] /= LU[i][i];', '  }', '  return X;', '}'),
  h('rsolve', ['solve', 'transpose'], '/** B*inv(A) = (inv(A\')*B\')\'. */', 'function rsolve(B«: Mat», A«: Mat»)«: Mat» {', '  return transpose(solve(transpose(A), transpose(B)));', '}'),
  h('inv', ['solve', 'eye'], 'function inv(A«: Mat»)«: Mat» {', '  return solve(A, eye(A.length));', '}'),
  h('det', ['lu'], 'function det(A«: Mat»)«: number» {', '  const { LU, sign } = lu(A);', '  return LU.reduce((d, r, i) => d * r[i], sign);', '}'),
  h('logdet', ['lu'], '/** log(abs(det(A))), from the LU diagonal. */', 'function logdet(A«: Mat»)«: number» {', '  const { LU } = lu(A);',
    "  if (LU.some((r, i) => r[i] === 0)) throw new Error('derivative: logdet of a singular matrix');", '  return LU.reduce((s, r, i) => s + Math.log(Math.abs(r[i])), 0);', '}'),
  h('unit', ['zeros'], '/** The k-th unit matrix of a rows x cols shape, in column-major order. */', 'function unit(rows«: number», cols«: number», k«: number»)«: Mat» {',
    '  const E = zeros(rows, cols);', '  E[k % rows][Math.floor(k / rows)] = 1;', '  return E;', '}'),
  h('symUnit', ['zeros'], "/** (E + E')/2 for E the k-th unit matrix of a square shape, in column-major order. */", 'function symUnit(rows«: number», cols«: number», k«: number»)«: Mat» {',
    '  const E = zeros(rows, cols), i = k % rows, j = Math.floor(k / rows);', '  E[i][j] += 0.5;', '  E[j][i] += 0.5;', '  return E;', '}'),
  h('setColumn', ['vec'], '/** Column k of J set to vec(A). */', 'function setColumn(J«: Mat», k«: number», A«: Mat»)«: void» {', '  vec(A).forEach((r, i) => { J[i][k] = r[0]; });', '}'),
];

const unary = (c: RuleCtx, fn: string): Expr => call(fn, c.mat(0));
const elementwise = (fn: string) => (c: RuleCtx): Expr => (isScalar(c.node) ? call(fn, c.args[0]!) : call('map', c.args[0]!, fn));
const noDelta = (): never => { throw new Error('internal: d(...) has no code'); };
const matmul = (fs: readonly Expr[]): Expr => (fs.length === 1 ? fs[0]! : call('mul', ...fs));
const toScalar = (m: Expr): Expr => atom(`${wrap(m, P.Atom)}[0][0]`);

const RULES = {
  Var: (c) => atom(c.name),
  Const: (c) => literal(c.node.attrs.value!),
  Identity: (c) => call('eye', c.dim(c.node.shape[0])),
  Ones: (c) => call('ones', c.dim(c.node.shape[0]), c.dim(c.node.shape[1])),
  Zeros: (c) => call('zeros', c.dim(c.node.shape[0]), c.dim(c.node.shape[1])),
  Add: (c) => (isScalar(c.node) ? sumOf(c.args) : call('add', ...c.args)),
  Mul: (c) => {
    if (isScalar(c.node)) return productOf([...c.scalars, ...(c.chain ? [toScalar(c.chain)] : [])], P.Atom);
    return c.scalars.length ? call('scale', c.chain!, productOf(c.scalars, P.Atom)) : c.chain!;
  },
  Hadamard: (c) => (isScalar(c.node) ? productOf(c.args, P.Atom) : call('hadamard', ...c.args)),
  Transpose: (c) => (isScalar(c.node) ? c.args[0]! : call('transpose', c.args[0]!)),
  Pow: (c) => power(c.args[0]!, c.args[1]!),
  ElemPow: (c) => (isScalar(c.node) ? power(c.args[0]!, c.args[1]!) : call('epow', c.args[0]!, c.args[1]!)),
  MatPow: (c) => call('mpow', c.mat(0), literal(c.node.attrs.k!)),
  Exp: elementwise('Math.exp'), Log: elementwise('Math.log'), Sin: elementwise('Math.sin'), Cos: elementwise('Math.cos'),
  Tan: elementwise('Math.tan'), Tanh: elementwise('Math.tanh'), Sqrt: elementwise('Math.sqrt'), Abs: elementwise('Math.abs'),
  Sign: elementwise('Math.sign'), Sigmoid: elementwise('sigmoid'),
  Inv: (c) => unary(c, 'inv'),
  Det: (c) => unary(c, 'det'),
  LogDet: (c) => unary(c, 'logdet'),
  Trace: (c) => unary(c, 'trace'),
  Sum: (c) => unary(c, 'sum'),
  Norm2: (c) => unary(c, 'norm2'),
  Diag: (c) => unary(c, 'diag'),
  DiagPart: (c) => unary(c, 'diagPart'),
  Vec: (c) => unary(c, 'vec'),
  Unvec: (c) => call('unvec', c.mat(0), c.dim(c.node.attrs.rows!)),
  Kron: (c) => call('kron', c.mat(0), c.mat(1)),
  LogSumExp: (c) => unary(c, 'logsumexp'),
  Softmax: (c) => unary(c, 'softmax'),
  Delta: noDelta,
} satisfies Rules;

const TYPE: Record<Layout, string> = { scalar: 'number', vector: 'number[]', matrix: 'number[][]' };

/** The helpers the body calls, with the helpers they call, in HELPERS order. */
function helpersFor(body: string): Helper[] {
  const need = new Set<string>();
  const add = (name: string): void => {
    if (need.has(name)) return;
    need.add(name);
    for (const d of HELPERS.find((x) => x.name === name)!.deps) add(d);
  };
  for (const x of HELPERS) if (new RegExp(`\\b${x.name}\\b`).test(body)) add(x.name);
  return HELPERS.filter((x) => need.has(x.name));
}

function make(typed: boolean): Target {
  const ty = (s: string): string => (typed ? s : '');
  const direction = (d: Direction, index: string): Expr =>
    d.scalar ? literal(1) : call(d.symmetric ? 'symUnit' : 'unit', d.rows, d.cols, index);
  const loopLines = (l: LoopLevel, indent: string, inner: string[]): string[] => [
    `${indent}for (let ${l.index} = 0; ${l.index} < ${l.count.text}; ${l.index}++) {`,
    ...(l.dir ? [`${indent}  const ${l.dir.name} = ${direction(l.dir, l.index).text};`] : []),
    ...l.body.map((s) => `${indent}  const ${s.name} = ${s.expr.text};`),
    ...inner,
    `${indent}}`,
  ];
  const print = (plan: Plan): string => {
    const body: string[] = [];
    for (const p of plan.params) if (p.internal !== p.name) body.push(`const ${p.internal} = col(${p.name});`);
    for (const s of plan.sizes) {
      const length = s.param.layout === 'matrix' && s.axis === 1 ? `${s.param.name}[0].length` : `${s.param.name}.length`;
      body.push(`const ${s.name} = ${s.divisor ? `${length} / ${wrap(s.divisor, P.Mul + 1)}` : length};`);
    }
    for (const s of plan.top) body.push(`const ${s.name} = ${s.expr.text};`);
    const L = plan.loop;
    if (L) {
      body.push(`const ${L.out} = zeros(${L.rows.text}, ${L.cols.text});`);
      const store = L.inner
        ? `${L.out}[${L.inner.index}][${L.outer.index}] = ${L.value.text};`
        : L.valueScalar ? `${L.out}[0][${L.outer.index}] = ${L.value.text};` : `setColumn(${L.out}, ${L.outer.index}, ${L.value.text});`;
      if (!L.zero) body.push(...(L.inner ? loopLines(L.outer, '', loopLines(L.inner, '  ', [`    ${store}`])) : loopLines(L.outer, '', [`  ${store}`])));
    }
    const out = plan.results.map((r) => (r.layout === 'vector' ? call('flat', r.expr).text : r.expr.text));
    body.push(`return [${out.join(', ')}];`);
    const text = body.map((l) => `  ${l}`).join('\n');
    const helpers = helpersFor(text).map((x) => x.text.replace(/«([^»]*)»/g, typed ? '$1' : ''));
    const params = plan.params.map((p) => `${p.name}${ty(`: ${TYPE[p.layout]}`)}`).join(', ');
    return [
      ...plan.header.map((l) => (l ? `// ${l}` : '//')),
      '',
      ...(typed && helpers.length ? ['type Mat = number[][];', ''] : []),
      ...helpers.flatMap((x) => [x, '']),
      `export function derivative(${params})${ty(`: [${plan.results.map((r) => TYPE[r.layout]).join(', ')}]`)} {`,
      text,
      '}',
      '',
    ].join('\n');
  };
  return {
    reserved: [...JS_WORDS, ...HELPERS.map((x) => x.name)],
    unaryMin: P.Atom,
    rules: RULES,
    separateInternal: (l) => l === 'vector',
    toScalar,
    toMatrix: (s) => atom(`[[${s.text}]]`),
    transpose: (a) => call('transpose', a),
    matmul,
    solve: (a, b) => call('solve', a, b),
    rsolve: (b, a) => call('rsolve', b, a),
    inv: (a) => call('inv', a),
    words: {
      depends: 'Self-contained: it depends on nothing.',
      tuple: (names) => `[${names.join(', ')}]`,
      layout: TYPE,
      conventions: 'Scalars are numbers, vectors number[], matrices number[][] (arrays of rows).',
    },
    print,
  };
}

export const typescript = (): Target => make(true);
export const javascript = (): Target => make(false);
