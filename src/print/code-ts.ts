/** The TypeScript and JavaScript targets. Inside the function a matrix is a `Mat`: its numbers in
 *  one Float64Array, row by row, with its size (a vector is n x 1, a number stays a number). The
 *  arguments are copied in once (a matrix only multiplied with vectors is read in place, as the
 *  caller's rows) and the results out once, as plain arrays. Entrywise work is fused into one loop
 *  per value, products with vectors are matrix-vector loops, a transpose in a product is read in
 *  place, and each matrix inverted, solved with or whose determinant is taken is factorised once.
 *  The few helpers the code calls are written into the module (only those it calls). One source
 *  serves both languages: a type annotation is written «: T» in the helpers and dropped for
 *  JavaScript. */
import { isScalarShape, mulDims, type Shape } from '../ir/dims.js';
import { isScalar, type Node } from '../ir/node.js';
import { ELEMENTWISE } from '../ir/ops.js';
import {
  atom, call, literal, power, productOf, sumOf, wrap, P,
  type Direction, type Elem, type Expr, type Layout, type LoopLevel, type Plan, type RuleCtx, type Rules, type Stmt, type Target,
} from './code-expr.js';

const JS_WORDS = [
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await', 'arguments',
  'eval', 'undefined', 'NaN', 'Infinity', 'Math', 'Array', 'Number', 'Object', 'Error', 'globalThis',
  'Float64Array', 'Int32Array', 'Uint8Array', 'Mat', 'LU', 'derivative', 'idx',
];

interface Helper { readonly name: string; readonly deps: readonly string[]; readonly text: string }
const h = (name: string, deps: string[], text: string): Helper => ({ name, deps, text: text.trim() });

/** In the order they are written; each names the helpers it calls. */
const HELPERS: readonly Helper[] = [
  h('Mat', [], `
/** A matrix: r x c numbers, row by row (entry (i, j) at d[i * c + j]). Its numbers are not
 *  changed once computed (a vector and its transpose share them). */
class Mat {
  «readonly r: number;»
  «readonly c: number;»
  «readonly d: Float64Array;»
  constructor(r«: number», c«: number», d«: Float64Array» = new Float64Array(r * c)) {
    this.r = r;
    this.c = c;
    this.d = d;
  }
}`),
  h('fromRows', ['Mat'], `
/** An argument's rows as a Mat. */
function fromRows(A«: number[][]»)«: Mat» {
  const r = A.length, c = A[0].length, M = new Mat(r, c);
  for (let i = 0; i < r; i++) M.d.set(A[i], i * c);
  return M;
}`),
  h('fromArray', ['Mat'], `
/** An argument vector as an n x 1 Mat. */
function fromArray(v«: number[]»)«: Mat» {
  return new Mat(v.length, 1, Float64Array.from(v));
}`),
  h('toRows', [], `
/** A Mat as an array of rows. */
function toRows(A«: Mat»)«: number[][]» {
  const out = new Array«<number[]>»(A.r);
  for (let i = 0; i < A.r; i++) {
    const row = (out[i] = new Array«<number>»(A.c));
    for (let j = 0, p = i * A.c; j < A.c; j++, p++) row[j] = A.d[p];
  }
  return out;
}`),
  h('toArray', [], `
/** A vector's numbers as an array. */
function toArray(A«: Mat»)«: number[]» {
  const out = new Array«<number>»(A.d.length);
  for (let i = 0; i < A.d.length; i++) out[i] = A.d[i];
  return out;
}`),
  h('ew', ['Mat'], `
/** The r x c matrix of entries f(0), f(1), ... */
function ew(r«: number», c«: number», f«: (idx: number) => number»)«: Mat» {
  const A = new Mat(r, c);
  for (let idx = 0; idx < A.d.length; idx++) A.d[idx] = f(idx);
  return A;
}`),
  h('zeros', ['Mat'], `
function zeros(r«: number», c«: number»)«: Mat» {
  return new Mat(r, c);
}`),
  h('ones', ['Mat'], `
function ones(r«: number», c«: number»)«: Mat» {
  return new Mat(r, c, new Float64Array(r * c).fill(1));
}`),
  h('eye', ['Mat'], `
function eye(n«: number»)«: Mat» {
  const I = new Mat(n, n);
  for (let i = 0; i < n; i++) I.d[i * n + i] = 1;
  return I;
}`),
  h('transpose', ['Mat'], `
/** A'. A vector's transpose shares its numbers. */
function transpose(A«: Mat»)«: Mat» {
  if (A.r === 1 || A.c === 1) return new Mat(A.c, A.r, A.d);
  const T = new Mat(A.c, A.r), a = A.d, t = T.d;
  for (let i = 0; i < A.r; i++) for (let j = 0; j < A.c; j++) t[j * A.r + i] = a[i * A.c + j];
  return T;
}`),
  h('mv', ['Mat'], `
/** A*x for a vector x. */
function mv(A«: Mat», x«: Mat»)«: Mat» {
  const r = A.r, c = A.c, a = A.d, v = x.d, y = new Mat(r, 1), o = y.d;
  for (let i = 0; i < r; i++) {
    let s = 0;
    for (let k = 0, p = i * c; k < c; k++, p++) s += a[p] * v[k];
    o[i] = s;
  }
  return y;
}`),
  h('tmv', ['Mat'], `
/** A'*x for a vector x, reading A in place. */
function tmv(A«: Mat», x«: Mat»)«: Mat» {
  const r = A.r, c = A.c, a = A.d, v = x.d, y = new Mat(c, 1), o = y.d;
  for (let i = 0; i < r; i++) {
    const s = v[i];
    if (s === 0) continue;
    for (let j = 0, p = i * c; j < c; j++, p++) o[j] += a[p] * s;
  }
  return y;
}`),
  h('mvRows', ['Mat'], `
/** A*x for a vector x and an argument A, read in place as the caller's rows. */
function mvRows(A«: number[][]», x«: Mat»)«: Mat» {
  const r = A.length, v = x.d, y = new Mat(r, 1), o = y.d;
  for (let i = 0; i < r; i++) {
    const row = A[i];
    let s = 0;
    for (let k = 0; k < row.length; k++) s += row[k] * v[k];
    o[i] = s;
  }
  return y;
}`),
  h('tmvRows', ['Mat'], `
/** A'*x for a vector x and an argument A, read in place as the caller's rows. */
function tmvRows(A«: number[][]», x«: Mat»)«: Mat» {
  const v = x.d, y = new Mat(A[0].length, 1), o = y.d;
  for (let i = 0; i < A.length; i++) {
    const row = A[i], s = v[i];
    if (s === 0) continue;
    for (let j = 0; j < row.length; j++) o[j] += row[j] * s;
  }
  return y;
}`),
  h('mvBoth', ['Mat'], `
/** [A*u, A'*v] for vectors u and v, in one pass over A. */
function mvBoth(A«: Mat», u«: Mat», v«: Mat»)«: [Mat, Mat]» {
  const r = A.r, c = A.c, a = A.d, x = u.d, y = v.d, P = new Mat(r, 1), Q = new Mat(c, 1), p = P.d, q = Q.d;
  for (let i = 0; i < r; i++) {
    const s = y[i];
    let t = 0;
    for (let j = 0, o = i * c; j < c; j++) {
      const e = a[o + j];
      t += e * x[j];
      q[j] += e * s;
    }
    p[i] = t;
  }
  return [P, Q];
}`),
  h('mvBothRows', ['Mat'], `
/** [A*u, A'*v] for vectors u and v and an argument A, read in place as the caller's rows, in one pass. */
function mvBothRows(A«: number[][]», u«: Mat», v«: Mat»)«: [Mat, Mat]» {
  const r = A.length, c = A[0].length, x = u.d, y = v.d, P = new Mat(r, 1), Q = new Mat(c, 1), p = P.d, q = Q.d;
  for (let i = 0; i < r; i++) {
    const row = A[i], s = y[i];
    let t = 0;
    for (let j = 0; j < c; j++) {
      const e = row[j];
      t += e * x[j];
      q[j] += e * s;
    }
    p[i] = t;
  }
  return [P, Q];
}`),
  h('nonzeroRows', [], `
/** Which rows of A have a nonzero entry (a unit direction has one). */
function nonzeroRows(A«: Mat»)«: Uint8Array» {
  const live = new Uint8Array(A.r);
  for (let i = 0; i < A.r; i++) {
    for (let p = i * A.c, end = p + A.c; p < end; p++) if (A.d[p] !== 0) { live[i] = 1; break; }
  }
  return live;
}`),
  h('mul', ['Mat', 'nonzeroRows'], `
/** A*B, row by row (C[i, :] += A[i, k] * B[k, :]), skipping the zero entries of A and the zero
 *  rows of B: a product with a unit direction costs a copy. */
function mul(A«: Mat», B«: Mat»)«: Mat» {
  const n = A.c, m = B.c, a = A.d, b = B.d, C = new Mat(A.r, m), c = C.d, live = nonzeroRows(B);
  for (let i = 0; i < A.r; i++) {
    for (let k = 0; k < n; k++) {
      const s = a[i * n + k];
      if (s === 0 || !live[k]) continue;
      for (let j = 0, p = k * m, q = i * m; j < m; j++) c[q + j] += s * b[p + j];
    }
  }
  return C;
}`),
  h('tmul', ['Mat', 'nonzeroRows'], `
/** A'*B, reading A in place, as mul does. */
function tmul(A«: Mat», B«: Mat»)«: Mat» {
  const r = A.c, n = A.r, m = B.c, a = A.d, b = B.d, C = new Mat(r, m), c = C.d, live = nonzeroRows(B);
  for (let i = 0; i < r; i++) {
    for (let k = 0; k < n; k++) {
      const s = a[k * r + i];
      if (s === 0 || !live[k]) continue;
      for (let j = 0, p = k * m, q = i * m; j < m; j++) c[q + j] += s * b[p + j];
    }
  }
  return C;
}`),
  h('mult', ['Mat', 'nonzeroRows'], `
/** A*B', reading B in place: a dot product of rows per entry, none for a zero row. */
function mult(A«: Mat», B«: Mat»)«: Mat» {
  const n = A.c, m = B.r, a = A.d, b = B.d, C = new Mat(A.r, m), c = C.d, liveA = nonzeroRows(A), liveB = nonzeroRows(B);
  for (let i = 0; i < A.r; i++) {
    if (!liveA[i]) continue;
    for (let j = 0; j < m; j++) {
      if (!liveB[j]) continue;
      let s = 0;
      for (let k = 0, p = i * n, q = j * n; k < n; k++) s += a[p + k] * b[q + k];
      c[i * m + j] = s;
    }
  }
  return C;
}`),
  h('dot', [], `
/** The sum of the products of entries: u'*v for vectors, tr(A'*B) for matrices. */
function dot(A«: Mat», B«: Mat»)«: number» {
  const a = A.d, b = B.d;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}`),
  h('trmul', [], `
/** tr(A*B) without the product. */
function trmul(A«: Mat», B«: Mat»)«: number» {
  const a = A.d, b = B.d, r = A.r, c = A.c;
  let s = 0;
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) s += a[i * c + j] * b[j * r + i];
  return s;
}`),
  h('mpow', ['mul'], `
/** A^k for an integer k >= 1. */
function mpow(A«: Mat», k«: number»)«: Mat» {
  let P = A;
  for (let i = 1; i < k; i++) P = mul(P, A);
  return P;
}`),
  h('LU', [], `
«type LU = { n: number; f: Float64Array; perm: Int32Array; sign: number };»`),
  h('lu', ['LU'], `
/** The LU factors of A, with partial pivoting: P*A = L*U with L (unit lower) and U in one n x n
 *  matrix f, row by row; row i of P*A is row perm[i] of A, and sign is det(P). */
function lu(A«: Mat»)«: LU» {
  const n = A.r, f = A.d.slice(), perm = new Int32Array(n);
  let sign = 1;
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(f[i * n + k]) > Math.abs(f[p * n + k])) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) { const t = f[k * n + j]; f[k * n + j] = f[p * n + j]; f[p * n + j] = t; }
      const t = perm[k]; perm[k] = perm[p]; perm[p] = t;
      sign = -sign;
    }
    const d = f[k * n + k];
    if (d === 0) continue;
    for (let i = k + 1; i < n; i++) {
      const l = (f[i * n + k] /= d);
      if (l === 0) continue;
      for (let j = k + 1; j < n; j++) f[i * n + j] -= l * f[k * n + j];
    }
  }
  return { n, f, perm, sign };
}`),
  h('nonsingular', ['LU'], `
function nonsingular(F«: LU»)«: void» {
  for (let i = 0; i < F.n; i++) if (F.f[i * F.n + i] === 0) throw new Error('derivative: a matrix to invert is singular');
}`),
  h('solve', ['Mat', 'LU', 'nonsingular'], `
/** inv(A)*B from the LU factors of A: L y = P b, then U x = y, on whole rows. */
function solve(F«: LU», B«: Mat»)«: Mat» {
  const { n, f, perm } = F, m = B.c, X = new Mat(n, m), x = X.d;
  nonsingular(F);
  for (let i = 0; i < n; i++) x.set(B.d.subarray(perm[i] * m, perm[i] * m + m), i * m);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const l = f[i * n + k];
      if (l !== 0) for (let j = 0; j < m; j++) x[i * m + j] -= l * x[k * m + j];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const u = f[i * n + k];
      if (u !== 0) for (let j = 0; j < m; j++) x[i * m + j] -= u * x[k * m + j];
    }
    const d = f[i * n + i];
    for (let j = 0; j < m; j++) x[i * m + j] /= d;
  }
  return X;
}`),
  h('solveT', ['Mat', 'LU', 'nonsingular'], `
/** inv(A)'*B from the LU factors of A: A' = U'*L'*P, so U' z = b, then L' w = z, then x = P'*w. */
function solveT(F«: LU», B«: Mat»)«: Mat» {
  const { n, f, perm } = F, m = B.c, w = B.d.slice(), X = new Mat(n, m);
  nonsingular(F);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const u = f[k * n + i];
      if (u !== 0) for (let j = 0; j < m; j++) w[i * m + j] -= u * w[k * m + j];
    }
    const d = f[i * n + i];
    for (let j = 0; j < m; j++) w[i * m + j] /= d;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const l = f[k * n + i];
      if (l !== 0) for (let j = 0; j < m; j++) w[i * m + j] -= l * w[k * m + j];
    }
  }
  for (let i = 0; i < n; i++) X.d.set(w.subarray(i * m, i * m + m), perm[i] * m);
  return X;
}`),
  h('inv', ['solve', 'eye'], `
/** inv(A) from the LU factors of A. */
function inv(F«: LU»)«: Mat» {
  return solve(F, eye(F.n));
}`),
  h('det', ['LU'], `
/** det(A) from the LU factors of A. */
function det(F«: LU»)«: number» {
  let d = F.sign;
  for (let i = 0; i < F.n; i++) d *= F.f[i * F.n + i];
  return d;
}`),
  h('logdet', ['LU'], `
/** log(abs(det(A))) from the LU factors of A. */
function logdet(F«: LU»)«: number» {
  let s = 0;
  for (let i = 0; i < F.n; i++) {
    const u = F.f[i * F.n + i];
    if (u === 0) throw new Error('derivative: logdet of a singular matrix');
    s += Math.log(Math.abs(u));
  }
  return s;
}`),
  h('trace', [], `
function trace(A«: Mat»)«: number» {
  let s = 0;
  for (let i = 0; i < A.r; i++) s += A.d[i * A.c + i];
  return s;
}`),
  h('sum', [], `
function sum(A«: Mat»)«: number» {
  let s = 0;
  for (let i = 0; i < A.d.length; i++) s += A.d[i];
  return s;
}`),
  h('norm2', [], `
/** The Euclidean (Frobenius) norm. */
function norm2(A«: Mat»)«: number» {
  let s = 0;
  for (let i = 0; i < A.d.length; i++) s += A.d[i] * A.d[i];
  return Math.sqrt(s);
}`),
  h('diag', ['Mat'], `
/** A vector as a diagonal matrix. */
function diag(v«: Mat»)«: Mat» {
  const n = v.d.length, D = new Mat(n, n);
  for (let i = 0; i < n; i++) D.d[i * n + i] = v.d[i];
  return D;
}`),
  h('diagPart', ['Mat'], `
/** The diagonal of a square matrix, n x 1. */
function diagPart(A«: Mat»)«: Mat» {
  const D = new Mat(A.r, 1);
  for (let i = 0; i < A.r; i++) D.d[i] = A.d[i * A.c + i];
  return D;
}`),
  h('vec', ['Mat'], `
/** The columns stacked into one vector. */
function vec(A«: Mat»)«: Mat» {
  const v = new Mat(A.r * A.c, 1);
  for (let i = 0; i < A.r; i++) for (let j = 0; j < A.c; j++) v.d[j * A.r + i] = A.d[i * A.c + j];
  return v;
}`),
  h('unvec', ['Mat'], `
/** The inverse of vec: a vector as a matrix of \`rows\` rows, filled column by column. */
function unvec(v«: Mat», rows«: number»)«: Mat» {
  const cols = v.d.length / rows, A = new Mat(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) A.d[i * cols + j] = v.d[j * rows + i];
  return A;
}`),
  h('kron', ['Mat'], `
/** The Kronecker product. */
function kron(A«: Mat», B«: Mat»)«: Mat» {
  const K = new Mat(A.r * B.r, A.c * B.c);
  for (let i = 0; i < K.r; i++) {
    for (let j = 0; j < K.c; j++) {
      K.d[i * K.c + j] = A.d[Math.floor(i / B.r) * A.c + Math.floor(j / B.c)] * B.d[(i % B.r) * B.c + (j % B.c)];
    }
  }
  return K;
}`),
  h('logsumexp', [], `
/** log(sum(exp(x))), shifted by the largest entry. */
function logsumexp(v«: Mat»)«: number» {
  let m = -Infinity, s = 0;
  for (const x of v.d) m = Math.max(m, x);
  for (const x of v.d) s += Math.exp(x - m);
  return m + Math.log(s);
}`),
  h('softmax', ['Mat'], `
/** exp(x)/sum(exp(x)), shifted by the largest entry. */
function softmax(v«: Mat»)«: Mat» {
  let m = -Infinity, s = 0;
  for (const x of v.d) m = Math.max(m, x);
  const e = new Mat(v.r, v.c, v.d.map((x) => Math.exp(x - m)));
  for (const x of e.d) s += x;
  for (let i = 0; i < e.d.length; i++) e.d[i] /= s;
  return e;
}`),
  h('sigmoid', [], `
function sigmoid(x«: number»)«: number» {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}`),
  h('unit', ['Mat'], `
/** The k-th unit matrix of a rows x cols shape, in column-major order. */
function unit(rows«: number», cols«: number», k«: number»)«: Mat» {
  const E = new Mat(rows, cols);
  E.d[(k % rows) * cols + Math.floor(k / rows)] = 1;
  return E;
}`),
  h('symUnit', ['Mat'], `
/** (E + E')/2 for E the k-th unit matrix of a square shape, in column-major order. */
function symUnit(rows«: number», cols«: number», k«: number»)«: Mat» {
  const E = new Mat(rows, cols), i = k % rows, j = Math.floor(k / rows);
  E.d[i * cols + j] += 0.5;
  E.d[j * cols + i] += 0.5;
  return E;
}`),
  h('setColumn', [], `
/** Column k of J set to vec(A). */
function setColumn(J«: Mat», k«: number», A«: Mat»)«: void» {
  for (let i = 0; i < A.r; i++) for (let j = 0; j < A.c; j++) J.d[(j * A.r + i) * J.c + k] = A.d[i * A.c + j];
}`),
  h('setColumnSym', [], `
/** Column k of J set to vec((A + A')/2). */
function setColumnSym(J«: Mat», k«: number», A«: Mat»)«: void» {
  const n = A.r;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) J.d[(j * n + i) * J.c + k] = (A.d[i * n + j] + A.d[j * n + i]) / 2;
}`),
];

// ---------------------------------------------------------------- reading values
const isVector = (s?: Shape): boolean => s !== undefined && s[1] === '1' && s[0] !== '1';
const isRow = (s?: Shape): boolean => s !== undefined && s[0] === '1' && s[1] !== '1';
const isNumber = (e: Expr): boolean => e.shape !== undefined && isScalarShape(e.shape);
const isName = (e: Expr): boolean => e.prec === P.Atom && /^[A-Za-z_]\w*$/.test(e.text);
/** Code cheap enough to repeat for every entry: a name, a literal, an entry of a named matrix. */
const isCheap = (e: Expr): boolean => e.value !== undefined || isName(e) || /^[A-Za-z_]\w*\.d\[\w+\]$/.test(e.text);
/** A vector's numbers, whichever way it stands: a transposed vector's are its operand's. */
const numbersOf = (e: Expr): Expr => (e.tOf && (isVector(e.shape) || isRow(e.shape)) ? numbersOf(e.tOf) : e);

/** Entry i of an argument of an entrywise computation, for the loop that computes it: a number
 *  as itself, an entrywise value by its own entry code, a named matrix by its entries; anything
 *  else is bound to a name first (at the consumer's level). */
function reader(c: RuleCtx, e: Expr): (i: string) => Expr {
  if (isNumber(e)) {
    const s = isCheap(e) ? e : c.bind(e);
    return () => s;
  }
  if (e.elem) return (i) => e.elem!.at(i);
  const m = numbersOf(e);
  if (m !== e && (m.elem || isName(m))) return reader(c, m);
  const a = isName(e) ? e : c.bind(e);
  return (i) => atom(`${a.text}.d[${i}]`);
}

/** The node's value computed entry by entry, from the code of entry i. */
function entrywise(c: RuleCtx, at: (i: string) => Expr): Expr {
  const [r, k] = c.node.shape;
  const rows = c.dim(r), cols = c.dim(k), count = c.dim(mulDims(r, k));
  const elem: Elem = { rows, cols, count, at, loop: true };
  return { text: `ew(${rows.text}, ${cols.text}, (idx) => ${at('idx').text})`, prec: P.Atom, elem };
}

/** A reduction over the entries of an entrywise value, as a loop of its own. */
function reduction(c: RuleCtx, e: Expr, fn: string, term: (x: Expr) => string, finish?: (s: string) => string): Expr {
  const at = reader(c, e);
  const count = c.dim(mulDims(c.node.args[0]!.shape[0], c.node.args[0]!.shape[1]));
  return {
    ...call(fn, e),
    stmt: (name, i) => [
      `let ${name} = 0;`,
      `for (let ${i} = 0; ${i} < ${count.text}; ${i}++) ${name} += ${term(at(i))};`,
      ...(finish ? [`${name} = ${finish(name)};`] : []),
    ],
  };
}

/** e', as a view where e is a vector, naming its operand. */
const transposed = (e: Expr): Expr => ({ ...call('transpose', e), tOf: e, ...(e.shape ? { shape: [e.shape[1], e.shape[0]] as const } : {}) });
/** e' for code that wants the transpose's numbers: a transposed vector's operand as it stands. */
const untransposed = (e: Expr): Expr => (e.tOf ? e.tOf : transposed(e));

/** a*b, by the shapes: a matrix-vector loop where one side is a vector (reading a transposed
 *  matrix, or an argument's rows, in place), else a matrix product reading transposes in place. */
function matmul(a: Expr, b: Expr): Expr {
  const shape = a.shape && b.shape ? ([a.shape[0], b.shape[1]] as const) : undefined;
  const pair = [a, b] as const;
  const A = a.tOf, Bt = b.tOf;
  const mvOf = (m: Expr, v: Expr): string => (m.raw ? `mvRows(${m.raw}, ${v.text})` : `mv(${m.text}, ${v.text})`);
  const tmvOf = (m: Expr, v: Expr): string => (m.raw ? `tmvRows(${m.raw}, ${v.text})` : `tmv(${m.text}, ${v.text})`);
  let text: string;
  if (isVector(b.shape) && !isRow(a.shape)) {
    const v = numbersOf(b);
    text = A && !isVector(A.shape) && !isRow(A.shape) ? tmvOf(A, v) : mvOf(a, v);
  } else if (isRow(a.shape) && !isVector(b.shape)) {
    // u'*B = (B'*u)'
    const u = numbersOf(a);
    const inner = atom(Bt && !isVector(Bt.shape) && !isRow(Bt.shape) ? mvOf(Bt, u) : tmvOf(b, u));
    return { ...transposed(inner), pair, ...(shape ? { shape } : {}) };
  } else if (A && Bt && !isRow(A.shape) && !isVector(A.shape)) {
    return { ...transposed(call('mul', Bt, A)), pair, ...(shape ? { shape } : {}) };
  } else if (A && !isRow(A.shape) && !isVector(A.shape)) {
    text = `tmul(${A.text}, ${b.text})`;
  } else if (Bt && !isRow(Bt.shape) && !isVector(Bt.shape)) {
    text = `mult(${a.text}, ${Bt.text})`;
  } else {
    text = `mul(${a.text}, ${b.text})`;
  }
  return { text, prec: P.Atom, pair, ...(shape ? { shape } : {}) };
}

/** A 1 x 1 matrix's entry: a product of a row and a column as their dot product. */
function toScalar(m: Expr): Expr {
  if (m.pair) return call('dot', numbersOf(m.pair[0]), numbersOf(m.pair[1]));
  return atom(`${wrap(m, P.Atom)}.d[0]`);
}

const noDelta = (): never => { throw new Error('internal: d(...) has no code'); };
const unary = (c: RuleCtx, fn: string): Expr => call(fn, c.mat(0));
const elementwise = (fn: string) => (c: RuleCtx): Expr => {
  if (isScalar(c.node)) return call(fn, c.args[0]!);
  const at = reader(c, c.args[0]!);
  return entrywise(c, (i) => call(fn, at(i)));
};
const constant = (fn: string, v: number) => (c: RuleCtx): Expr => {
  const e = entrywise(c, () => literal(v));
  return { ...call(fn, c.dim(c.node.shape[0]), c.dim(c.node.shape[1])), elem: { ...e.elem!, loop: false } };
};

const RULES = {
  Var: (c) => (c.node.shape[0] !== '1' && c.node.shape[1] !== '1' ? { ...atom(c.name), raw: c.raw } : atom(c.name)),
  Const: (c) => literal(c.node.attrs.value!),
  Identity: (c) => call('eye', c.dim(c.node.shape[0])),
  Ones: constant('ones', 1),
  Zeros: constant('zeros', 0),
  Add: (c) => {
    if (isScalar(c.node)) return sumOf(c.args);
    const ats = c.args.map((a) => reader(c, a));
    return entrywise(c, (i) => sumOf(ats.map((at) => at(i))));
  },
  Mul: (c) => {
    if (isScalar(c.node)) return productOf([...c.scalars, ...(c.chain ? [toScalar(c.chain)] : [])], P.Atom);
    if (!c.scalars.length) return c.chain!;
    const ats = [...c.scalars, c.chain!].map((a) => reader(c, isNumber(a) || a.shape ? a : { ...a, shape: c.node.shape }));
    return entrywise(c, (i) => productOf(ats.map((at) => at(i)), P.Atom));
  },
  Hadamard: (c) => {
    if (isScalar(c.node)) return productOf(c.args, P.Atom);
    const ats = c.args.map((a) => reader(c, a));
    return entrywise(c, (i) => productOf(ats.map((at) => at(i)), P.Atom));
  },
  Transpose: (c) => {
    const a = c.args[0]!;
    if (isScalar(c.node)) return a;
    const t = transposed(a);
    // a vector's transpose has its numbers: computed entry by entry, it stays so
    if (a.elem && (isVector(c.node.shape) || isRow(c.node.shape))) {
      return { ...t, elem: { ...a.elem, rows: c.dim(c.node.shape[0]), cols: c.dim(c.node.shape[1]) } };
    }
    return t;
  },
  Pow: (c) => power(c.args[0]!, c.args[1]!),
  ElemPow: (c) => {
    if (isScalar(c.node)) return power(c.args[0]!, c.args[1]!);
    const base = reader(c, c.args[0]!), exp = reader(c, c.args[1]!);
    return entrywise(c, (i) => power(base(i), exp(i)));
  },
  MatPow: (c) => call('mpow', c.mat(0), literal(c.node.attrs.k!)),
  Exp: elementwise('Math.exp'), Log: elementwise('Math.log'), Sin: elementwise('Math.sin'), Cos: elementwise('Math.cos'),
  Tan: elementwise('Math.tan'), Tanh: elementwise('Math.tanh'), Sqrt: elementwise('Math.sqrt'), Abs: elementwise('Math.abs'),
  Sign: elementwise('Math.sign'), Sigmoid: elementwise('sigmoid'),
  Inv: (c) => call('inv', c.factor(0)),
  Det: (c) => call('det', c.factor(0)),
  LogDet: (c) => call('logdet', c.factor(0)),
  Trace: (c) => {
    const a = c.args[0]!;
    if (isScalar(c.node.args[0]!)) return a;
    if (a.pair) {
      const [l, r] = a.pair;
      const tl = l.tOf !== undefined, tr = r.tOf !== undefined;
      // tr(A'*B) = tr(A*B') = sum(A.*B); tr(A'*B') = tr(B*A)
      if (tl !== tr) return call('dot', tl ? l.tOf! : l, tr ? r.tOf! : r);
      return tl ? call('trmul', r.tOf!, l.tOf!) : call('trmul', l, r);
    }
    return unary(c, 'trace');
  },
  Sum: (c) => {
    const a = c.args[0]!;
    if (isScalar(c.node.args[0]!)) return a;
    return a.elem && a.elem.loop ? reduction(c, a, 'sum', (x) => wrap(x, P.Add)) : unary(c, 'sum');
  },
  Norm2: (c) => {
    const a = c.args[0]!;
    if (isScalar(c.node.args[0]!)) return call('Math.abs', a);
    return a.elem && a.elem.loop ? reduction(c, a, 'norm2', (x) => `${wrap(x, P.Pow + 1)} ** 2`, (s) => `Math.sqrt(${s})`) : unary(c, 'norm2');
  },
  Diag: (c) => unary(c, 'diag'),
  DiagPart: (c) => unary(c, 'diagPart'),
  Vec: (c) => unary(c, 'vec'),
  Unvec: (c) => call('unvec', c.mat(0), c.dim(c.node.attrs.rows!)),
  Kron: (c) => call('kron', c.mat(0), c.mat(1)),
  LogSumExp: (c) => unary(c, 'logsumexp'),
  Softmax: (c) => unary(c, 'softmax'),
  Delta: noDelta,
} satisfies Rules;

/** Whether `m` reads its argument `a` entry by entry (so that an entrywise argument fuses into its loop). */
function readsEntrywise(m: Node, a: Node): boolean {
  if (isScalar(m)) return (m.op === 'Sum' || m.op === 'Norm2') && !isScalar(a);
  switch (m.op) {
    case 'Add': case 'Hadamard': case 'ElemPow': return true;
    case 'Mul': return isScalar(a) || m.args.filter((x) => !isScalar(x)).length === 1;
    case 'Transpose': return m.shape[0] === '1' || m.shape[1] === '1';
    default: return (ELEMENTWISE as readonly string[]).includes(m.op);
  }
}

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

/** A block's statements with two matrix-vector products over one matrix, A*u and A'*v, the
 *  second's vector known before the first: both computed in one pass over A (mvBoth), where the
 *  first was. Each statement is its name and its lines. */
function fuseMatvecs(block: { name: string; lines: string[] }[], fresh: () => string): { name: string; lines: string[] }[] {
  const out = block.map((s) => ({ name: s.name, lines: [...s.lines] }));
  const MV = /\b(mvRows|tmvRows|mv|tmv)\((\w+), (\w+)\)/;
  const find = (lines: string[], re: RegExp): RegExpExecArray | null => {
    for (const l of lines) { const m = re.exec(l); if (m) return m; }
    return null;
  };
  const replace = (lines: string[], what: string, by: string): void => {
    const i = lines.findIndex((l) => l.includes(what));
    lines[i] = lines[i]!.replace(what, by);
  };
  for (let a = 0; a < out.length; a++) {
    const m = find(out[a]!.lines, MV);
    if (!m) continue;
    const [whole, fn, M, u] = m as unknown as [string, string, string, string];
    const rows = fn.endsWith('Rows'), tr = fn.startsWith('t');
    const want = `${tr ? 'mv' : 'tmv'}${rows ? 'Rows' : ''}`;
    const later = new Set(out.slice(a).map((s) => s.name));
    for (let b = a + 1; b < out.length; b++) {
      const n = find(out[b]!.lines, new RegExp(`\\b${want}\\(${M}, (\\w+)\\)`));
      if (!n || later.has(n[1]!)) continue;
      const name = fresh();
      const [x, y] = tr ? [n[1]!, u] : [u, n[1]!];
      replace(out[a]!.lines, whole, `${name}[${tr ? 1 : 0}]`);
      replace(out[b]!.lines, n[0], `${name}[${tr ? 0 : 1}]`);
      out.splice(a, 0, { name, lines: [`const ${name} = mvBoth${rows ? 'Rows' : ''}(${M}, ${x}, ${y});`] });
      a++;
      break;
    }
  }
  return out;
}

function make(typed: boolean): Target {
  const ty = (s: string): string => (typed ? s : '');
  /** A helper's text in the language: «...» kept for TypeScript, dropped for JavaScript (with a line that held nothing else). */
  const helperText = (text: string): string => text.split('\n')
    .filter((l) => typed || !l.includes('«') || l.replace(/«[^»]*»/g, '').trim() !== '')
    .map((l) => l.replace(/«([^»]*)»/g, typed ? '$1' : ''))
    .join('\n');
  const direction = (d: Direction, index: string): Expr =>
    d.scalar ? literal(1) : call(d.symmetric ? 'symUnit' : 'unit', d.rows, d.cols, index);
  const statement = (s: Stmt, index: string): string[] => {
    const e = s.expr;
    if (e.stmt) return e.stmt(s.name, index);
    if (e.elem?.loop) {
      return [
        `const ${s.name} = new Mat(${e.elem.rows.text}, ${e.elem.cols.text});`,
        `for (let ${index} = 0; ${index} < ${e.elem.count.text}; ${index}++) ${s.name}.d[${index}] = ${e.elem.at(index).text};`,
      ];
    }
    return [`const ${s.name} = ${e.text};`];
  };
  const print = (plan: Plan): string => {
    const block = (stmts: readonly Stmt[]): string[] =>
      fuseMatvecs(stmts.map((s) => ({ name: s.name, lines: statement(s, plan.index) })), () => plan.fresh()).flatMap((s) => s.lines);
    const loopLines = (l: LoopLevel, indent: string, inner: string[]): string[] => [
      `${indent}for (let ${l.index} = 0; ${l.index} < ${l.count.text}; ${l.index}++) {`,
      ...(l.dir ? [`${indent}  const ${l.dir.name} = ${direction(l.dir, l.index).text};`] : []),
      ...block(l.body).map((x) => `${indent}  ${x}`),
      ...inner,
      `${indent}}`,
    ];
    const body: string[] = [];
    for (const s of plan.sizes) {
      const length = s.param.layout === 'matrix' && s.axis === 1 ? `${s.param.name}[0].length` : `${s.param.name}.length`;
      body.push(`const ${s.name} = ${s.divisor ? `${length} / ${wrap(s.divisor, P.Mul + 1)}` : length};`);
    }
    body.push(...block(plan.top));
    const L = plan.loop;
    if (L) {
      body.push(`const ${L.out} = new Mat(${L.rows.text}, ${L.cols.text});`);
      const v = L.value.text;
      const store = L.inner
        ? `${L.out}.d[${L.inner.index} * ${L.out}.c + ${L.outer.index}] = ${v};`
        : L.valueScalar ? `${L.out}.d[${L.outer.index}] = ${v};` : `${L.symmetrize ? 'setColumnSym' : 'setColumn'}(${L.out}, ${L.outer.index}, ${v});`;
      if (!L.zero) {
        body.push(...(L.inner ? loopLines(L.outer, '', loopLines(L.inner, '  ', [`    ${store}`])) : loopLines(L.outer, '', [`  ${store}`])));
      }
    }
    const out = plan.results.map((r) => (r.layout === 'vector' ? call('toArray', r.expr).text : r.layout === 'matrix' ? call('toRows', r.expr).text : r.expr.text));
    body.push(`return [${out.join(', ')}];`);
    // the arguments, copied in where the code reads them as Mats
    const text0 = body.join('\n');
    const entry: string[] = [];
    for (const p of plan.params) {
      if (p.internal !== p.name && new RegExp(`\\b${p.internal}\\b`).test(text0)) {
        entry.push(`const ${p.internal} = ${p.layout === 'vector' ? 'fromArray' : 'fromRows'}(${p.name});`);
      }
    }
    const text = [...entry, ...body].map((l) => `  ${l}`).join('\n');
    const helpers = helpersFor(text).map((x) => helperText(x.text)).filter((x) => x !== '');
    const params = plan.params.map((p) => `${p.name}${ty(`: ${TYPE[p.layout]}`)}`).join(', ');
    return [
      ...plan.header.map((l) => (l ? `// ${l}` : '//')),
      '',
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
    separateInternal: (l) => l !== 'scalar',
    toScalar,
    toMatrix: (s) => atom(`new Mat(1, 1, Float64Array.of(${s.text}))`),
    transpose: transposed,
    matmul,
    solve: (F, b, t) => call(t ? 'solveT' : 'solve', F, b),
    rsolve: (b, F, t) => transposed(call(t ? 'solve' : 'solveT', F, untransposed(b))),
    inv: (F, t) => (t ? transposed(call('inv', F)) : call('inv', F)),
    entrywise: readsEntrywise,
    factor: (m) => call('lu', m),
    shareVectorProducts: true,
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
