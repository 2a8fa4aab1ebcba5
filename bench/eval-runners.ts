/** The evaluation benchmark's data and its runners: one prepared computation per method, whose
 *  `run` is timed and whose `result` gives the derivative in the canonical (column-major) layout. */
import { compile, symmetricVars } from '../src/api/compile.js';
import { derivation, derivativeNumbers, type Derivation } from '../src/api/derive.js';
import { bindValues } from '../src/api/values.js';
import { gradientAD, hessianAD, hvpAD } from '../src/ad/jvp.js';
import * as B from '../src/ir/build.js';
import type { Env } from '../src/numeric/evaluate.js';
import { Matrix } from '../src/numeric/matrix.js';
import { emitCode } from '../src/print/code.js';
import * as C from './closed.js';
import type { Jax, Tf } from './baselines.js';
import { PROBLEMS, type ProblemId, type Task } from './eval-problems.js';

/** A method that does not apply (the library lacks the operation, or did not install): its row is
 *  'skipped' with the reason; any other error makes the row 'failed'. */
export class NotApplicable extends Error {}

// ------------------------------------------------------------------ data

export interface Data {
  n: number;
  /** Canonical (column-major) values by variable name, and v for Hessian-vector products. */
  values: Record<string, Float64Array>;
  shapes: Record<string, [number, number]>;
  v: Float64Array;
}

export function makeData(p: ProblemId, n: number, rand: () => number): Data {
  const gauss = (): number => {
    const u = Math.max(1e-12, rand()), w = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
  };
  const vec = (k: number, s = 1): Float64Array => Float64Array.from({ length: k }, () => s * gauss());
  const v = vec(p === 'logdet' || p === 'trinv' ? n * n : n);
  switch (p) {
    case 'logistic': {
      const X = vec(n * n, 1 / Math.sqrt(n));
      const y = Float64Array.from({ length: n }, () => (rand() < 0.5 ? -1 : 1));
      return { n, values: { X, y, w: vec(n) }, shapes: { X: [n, n], y: [n, 1], w: [n, 1] }, v };
    }
    case 'quad':
      return { n, values: { x: vec(n), A: vec(n * n, 1 / Math.sqrt(n)) }, shapes: { x: [n, 1], A: [n, n] }, v };
    case 'logdet':
    case 'trinv': {
      const X = vec(n * n, 0.5 / Math.sqrt(n));
      for (let i = 0; i < n; i++) X[i + i * n]! += 1.5; // well conditioned
      const values: Record<string, Float64Array> = { X };
      const shapes: Record<string, [number, number]> = { X: [n, n] };
      if (p === 'trinv') { values.A = vec(n * n, 1 / Math.sqrt(n)); shapes.A = [n, n]; }
      return { n, values, shapes, v };
    }
  }
}

const rowsOf = (a: Float64Array, r: number, c: number): number[][] =>
  Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => a[i + j * r]!));
/** Row-major copy of a column-major matrix (jax-js and TensorFlow.js are row-major). */
const rowMajor = (a: Float64Array, r: number, c: number): Float64Array => {
  const out = new Float64Array(r * c);
  for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) out[i * c + j] = a[i + j * r]!;
  return out;
};
const fromRows = (rows: number[][]): Float64Array => {
  const r = rows.length, c = rows[0]!.length, out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[i + j * r] = rows[i]![j]!;
  return out;
};
/** A Hessian by vec(X) in row-major vec order (jax-js's) to column-major vec order. */
function hessRowVecToColVec(H: ArrayLike<number>, n: number): Float64Array {
  const N = n * n, out = new Float64Array(N * N);
  const perm = new Int32Array(N); // column-major index p = i + j n  ->  row-major i n + j
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) perm[i + j * n] = i * n + j;
  for (let q = 0; q < N; q++) for (let p = 0; p < N; p++) out[p + q * N] = H[perm[p]! * N + perm[q]!]!;
  return out;
}

// ------------------------------------------------------------------ runners

/** A prepared computation: `run` is what is timed, `result` turns its output into the
 *  canonical layout (not timed). */
export interface Runner {
  run: () => unknown | Promise<unknown>;
  result: (out: unknown) => Float64Array;
  async?: boolean;
  note?: string;
  /** Another formulation, computed once (not timed) and reported by its error in the notes. */
  alternative?: { label: string; compute: () => Float64Array };
}

export function closedRunner(p: ProblemId, task: Task, d: Data): Runner {
  const n = d.n, V = d.values;
  switch (p) {
    case 'logistic':
      if (task === 'gradient') return { run: () => C.logisticGrad(V.X!, V.y!, V.w!, n, n), result: (o) => (o as { g: Float64Array }).g };
      if (task === 'hessian') return { run: () => C.logisticHessian(V.X!, V.y!, V.w!, n, n), result: (o) => o as Float64Array };
      return { run: () => C.logisticHvp(V.X!, V.y!, V.w!, d.v, n, n), result: (o) => o as Float64Array };
    case 'quad':
      if (task === 'gradient') return { run: () => C.quadGrad(V.A!, V.x!, n), result: (o) => (o as { g: Float64Array }).g };
      if (task === 'hessian') return { run: () => C.quadHessian(V.A!, n), result: (o) => o as Float64Array };
      return { run: () => C.quadHvp(V.A!, d.v, n), result: (o) => o as Float64Array };
    case 'logdet':
      if (task === 'gradient') return { run: () => C.logdetGrad(V.X!, n), result: (o) => (o as { g: Float64Array }).g };
      return { run: () => C.logdetHessian(V.X!, n), result: (o) => o as Float64Array };
    case 'trinv':
      if (task === 'gradient') return { run: () => C.trInvGrad(V.X!, V.A!, n), result: (o) => (o as { g: Float64Array }).g };
      return { run: () => C.trInvHessian(V.X!, V.A!, n), result: (o) => o as Float64Array };
  }
}

export function fdRunner(p: ProblemId, d: Data): Runner {
  const n = d.n, V = d.values;
  switch (p) {
    case 'logistic': return { run: () => C.centralDifferences((w) => C.logisticValue(V.X!, V.y!, w, n, n), V.w!), result: (o) => o as Float64Array };
    case 'quad': return { run: () => C.centralDifferences((x) => C.quadValue(V.A!, x, n), V.x!), result: (o) => o as Float64Array };
    case 'logdet': return { run: () => C.centralDifferences((X) => C.logAbsDet(X, n), V.X!), result: (o) => o as Float64Array };
    case 'trinv': return { run: () => C.centralDifferences((X) => C.trInvValue(X, V.A!, n), V.X!), result: (o) => o as Float64Array };
  }
}

/** The program, the derivations, and the values bound, for matcalc's rows. */
export interface Symbolic {
  grad: Derivation;
  hess: Derivation;
  /** The gradient of v'*grad(f): the Hessian-vector product, derived symbolically. */
  hvp: Derivation | null;
  env: Env;
  /** Argument values for the exported module, in declaration order (rows for matrices). */
  args: unknown[];
  hvpArgs: unknown[];
}

export function symbolic(p: ProblemId, d: Data): Symbolic {
  const def = PROBLEMS[p];
  const program = compile(def.expr, def.vars);
  const x = program.vars.get(def.wrt)!;
  const grad = derivation(program, x, 1);
  const hess = derivation(program, x, 2);
  let hvp: Derivation | null = null;
  let hvpProgram = null;
  if (x.shape[1] === '1') {
    // v'*g(x) as a new program over the same variables and v, built on the graph
    const v = B.variable('v', x.shape);
    hvpProgram = { ...program, root: B.mul(B.transpose(v), grad.derivative), vars: new Map([...program.vars, ['v', v]]), shapes: { ...program.shapes, v: x.shape } };
    hvp = derivation(hvpProgram, x, 1);
  }
  const at: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(d.values)) {
    const [r, c] = d.shapes[name]!;
    at[name] = c === 1 ? Array.from(a) : rowsOf(a, r, c);
  }
  const env0 = bindValues(program.shapes, at, symmetricVars(program));
  const values = new Map(env0.values);
  values.set('v', new Matrix(d.v.length, 1, d.v.slice()));
  const env: Env = { values, sizes: env0.sizes };
  const args = [...program.vars.keys()].map((k) => at[k]);
  const hvpArgs = hvpProgram ? [...hvpProgram.vars.keys()].map((k) => (k === 'v' ? Array.from(d.v) : at[k])) : [];
  return { grad, hess, hvp, env, args, hvpArgs };
}

const canonical = (o: unknown, rows: number): Float64Array => {
  if (o instanceof Matrix) return o.data;
  if (Array.isArray(o) && Array.isArray(o[0])) return fromRows(o as number[][]);
  if (Array.isArray(o)) return Float64Array.from(o as number[]);
  if (typeof o === 'number') return Float64Array.of(o);
  throw new Error(`unexpected output for ${rows} rows`);
};

async function importModule(code: string): Promise<{ derivative: (...a: unknown[]) => unknown[] }> {
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`) as Promise<{ derivative: (...a: unknown[]) => unknown[] }>;
}

export async function exportedRunner(task: Task, s: Symbolic): Promise<Runner> {
  if (task === 'gradient') {
    const mod = await importModule(emitCode(s.grad, 'js'));
    return { run: () => mod.derivative(...s.args), result: (o) => canonical((o as unknown[])[1], 0) };
  }
  if (task === 'hessian') {
    const mod = await importModule(emitCode([s.grad, s.hess], 'js'));
    return { run: () => mod.derivative(...s.args), result: (o) => canonical((o as unknown[])[2], 0), note: 'the module returns f, the gradient and the Hessian' };
  }
  if (!s.hvp) throw new NotApplicable('no symbolic Hessian-vector product for a matrix variable');
  const mod = await importModule(emitCode(s.hvp, 'js'));
  return { run: () => mod.derivative(...s.hvpArgs), result: (o) => canonical((o as unknown[])[1], 0), note: "code for the gradient of v'*grad f" };
}

export function evaluateRunner(task: Task, s: Symbolic): Runner {
  const d = task === 'gradient' ? s.grad : task === 'hessian' ? s.hess : s.hvp;
  if (!d) throw new NotApplicable('no symbolic Hessian-vector product for a matrix variable');
  return { run: () => derivativeNumbers(d, s.env), result: (o) => (o as Matrix).data, note: task === 'hvp' ? "the gradient of v'*grad f, derived" : undefined };
}

export function adRunner(p: ProblemId, task: Task, s: Symbolic): Runner {
  const def = PROBLEMS[p];
  const root = s.grad.program.root;
  if (task === 'gradient') return { run: () => gradientAD(root, s.env, def.wrt), result: (o) => (o as Matrix).data };
  if (task === 'hessian') return { run: () => hessianAD(root, s.env, def.wrt), result: (o) => (o as Matrix).data };
  const v = s.env.values.get('v')!;
  return { run: () => hvpAD(root, s.env, def.wrt, v), result: (o) => (o as Matrix).data, note: 'forward over forward: n second-order passes' };
}

/** jax-js: f written with its numpy, differentiated by grad, hessian, or jvp of grad; jitted. */
export function jaxRunner(jax: Jax, p: ProblemId, task: Task, d: Data): Runner & { dispose: () => void } {
  const { numpy: np, grad, hessian, jit, jvp } = jax;
  const n = d.n, V = d.values;
  const f64 = (a: Float64Array, shape: number[]): Jax => {
    const arr = np.array(a, { dtype: np.float64 });
    return shape.length > 1 ? arr.reshape(shape) : arr;
  };
  const keep: Jax[] = [];
  const held = (a: Jax): Jax => { keep.push(a); return a; };
  let f: (x: Jax) => Jax;
  let x0: Float64Array;
  let shape: number[];
  switch (p) {
    case 'logistic': {
      const X = held(f64(rowMajor(V.X!, n, n), [n, n])), y = held(f64(V.y!, [n]));
      f = (w) => np.log1p(np.exp(np.multiply(y.ref, np.matmul(X.ref, w)).neg())).sum();
      x0 = V.w!; shape = [n];
      break;
    }
    case 'quad': {
      const A = held(f64(rowMajor(V.A!, n, n), [n, n]));
      f = (x) => np.dot(x.ref, np.matmul(A.ref, x));
      x0 = V.x!; shape = [n];
      break;
    }
    case 'logdet': {
      f = (X) => { const [sign, l] = np.linalg.slogdet(X); sign.dispose(); return l; };
      x0 = rowMajor(V.X!, n, n); shape = [n, n];
      break;
    }
    case 'trinv': {
      const A = held(f64(rowMajor(V.A!, n, n), [n, n]));
      f = (X) => np.trace(np.matmul(np.linalg.inv(X), A.ref));
      x0 = rowMajor(V.X!, n, n); shape = [n, n];
      break;
    }
  }
  const matrixVar = shape.length === 2;
  const dispose = (): void => { for (const a of keep) a.dispose(); };
  // dataSync() takes ownership of the array: it is freed after the read
  const read = (r: Jax): Float64Array => Float64Array.from(r.dataSync() as ArrayLike<number>);
  // jit cannot trace jax-js's linalg routines (LU, triangular solves) in 0.1.25: those run eagerly
  const useJit = p === 'logistic' || p === 'quad';
  const maybeJit = <F>(fn: F): F => (useJit ? jit(fn) : fn);
  const mode = useJit ? 'jit' : "eager: jit fails on linalg routines ('triangular_solve input is not imm')";
  if (task === 'gradient') {
    const g = maybeJit(grad(f));
    const x = held(f64(x0, shape));
    return {
      run: () => read(g(x.ref)),
      result: (o) => (matrixVar ? fromRows(Array.from({ length: n }, (_, i) => Array.from((o as Float64Array).subarray(i * n, i * n + n)))) : (o as Float64Array)),
      dispose,
      note: useJit ? undefined : mode,
    };
  }
  if (task === 'hessian') {
    // hessian takes 1-D inputs: a matrix variable is flattened (row-major) and reshaped inside
    const flat = matrixVar ? (v: Jax) => f(v.reshape([n, n])) : f;
    const h = maybeJit(hessian(flat));
    const x = held(f64(x0, [x0.length]));
    return { run: () => read(h(x.ref)), result: (o) => (matrixVar ? hessRowVecToColVec(o as Float64Array, n) : (o as Float64Array)), dispose, note: useJit ? 'hessian (forward over reverse)' : `hessian; ${mode}` };
  }
  const gf = grad(f);
  const hv = maybeJit((x: Jax, v: Jax) => { const [g, t] = jvp(gf, [x], [v]); g.dispose(); return t; });
  const x = held(f64(x0, shape)), v = held(f64(d.v, shape));
  return { run: () => read(hv(x.ref, v.ref)), result: (o) => o as Float64Array, dispose, note: 'jvp of grad (forward over reverse)' };
}

/** TensorFlow.js: float32; Hessians by n nested tf.grad calls, Hessian-vector products by tf.grad of grad.v. */
export function tfRunner(tf: Tf, p: ProblemId, task: Task, d: Data): Runner & { dispose: () => void } {
  const n = d.n, V = d.values;
  const keep: Tf[] = [];
  const held = (a: Tf): Tf => { keep.push(a); return a; };
  let f: (x: Tf) => Tf;
  let x: Tf;
  switch (p) {
    case 'logistic': {
      const X = held(tf.tensor2d(Float32Array.from(rowMajor(V.X!, n, n)), [n, n])), y = held(tf.tensor1d(Float32Array.from(V.y!)));
      // softplus rather than log1p(exp(.)): nested tf.grad through exp gives a wrong Hessian
      f = (w) => tf.sum(tf.softplus(tf.neg(tf.mul(y, tf.squeeze(tf.matMul(X, tf.reshape(w, [n, 1])), [1])))));
      x = held(tf.tensor1d(Float32Array.from(V.w!)));
      break;
    }
    case 'quad': {
      const A = held(tf.tensor2d(Float32Array.from(rowMajor(V.A!, n, n)), [n, n]));
      f = (u) => tf.sum(tf.mul(u, tf.squeeze(tf.matMul(A, tf.reshape(u, [n, 1])), [1])));
      x = held(tf.tensor1d(Float32Array.from(V.x!)));
      break;
    }
    default:
      throw new NotApplicable('TensorFlow.js has no det, inverse or solve');
  }
  const dispose = (): void => { for (const a of keep) a.dispose(); };
  const g = tf.grad(f);
  if (task === 'gradient') return { run: () => tf.tidy(() => g(x).dataSync()), result: (o) => Float64Array.from(o as Float32Array), dispose };
  if (task === 'hessian') {
    const rows = Array.from({ length: n }, (_, i) => tf.grad((u: Tf) => tf.gather(g(u), i)));
    const alternative = p !== 'logistic' ? undefined : {
      label: 'with log1p(exp(.)) in place of softplus, nested tf.grad',
      compute: (): Float64Array => {
        const Xa = tf.tensor2d(Float32Array.from(rowMajor(V.X!, n, n)), [n, n]), ya = tf.tensor1d(Float32Array.from(V.y!));
        const fa = (w: Tf): Tf => tf.sum(tf.log1p(tf.exp(tf.neg(tf.mul(ya, tf.squeeze(tf.matMul(Xa, tf.reshape(w, [n, 1])), [1]))))));
        const ga = tf.grad(fa);
        const out = new Float64Array(n * n);
        for (let i = 0; i < n; i++) out.set(tf.tidy(() => tf.grad((u: Tf) => tf.gather(ga(u), i))(x).dataSync()), i * n);
        Xa.dispose();
        ya.dispose();
        return out;
      },
    };
    return {
      alternative,
      run: () => {
        const out = new Float32Array(n * n);
        for (let i = 0; i < n; i++) out.set(tf.tidy(() => rows[i]!(x).dataSync()), i * n);
        return out;
      },
      result: (o) => Float64Array.from(o as Float32Array),
      dispose,
      note: 'n nested tf.grad calls (reverse over reverse)',
    };
  }
  const v = held(tf.tensor1d(Float32Array.from(d.v)));
  const hv = tf.grad((u: Tf) => tf.sum(tf.mul(g(u), v)));
  return { run: () => tf.tidy(() => hv(x).dataSync()), result: (o) => Float64Array.from(o as Float32Array), dispose, note: 'tf.grad of grad(f).v' };
}
