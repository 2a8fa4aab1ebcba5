/**
 * GFLOP/s of the dense kernels: matmul (2n^3 flops), LU (2n^3/3), inverse (2n^3) and det (2n^3/3,
 * an LU), matcalc's own against ml-matrix, TensorFlow.js (CPU, float32; matmul only), jax-js
 * (wasm, float64) and NumPy/OpenBLAS (on one thread and on all) as the reference. Medians after a
 * warm-up. Part of `npm run bench`; on its own: npx tsx bench/kernels.ts [--quick]
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { det, inv, lu, matmul, Matrix } from '../src/numeric/index.js';
import { loadJax, loadMl, loadTf } from './baselines.js';
import { seeded, timeIt, type TimeOptions } from './util.js';

export type Kernel = 'matmul' | 'lu' | 'inv' | 'det';
export const KERNELS: Kernel[] = ['matmul', 'lu', 'inv', 'det'];
export type KernelLib = 'matcalc' | 'ml-matrix' | 'tfjs' | 'jax' | 'numpy-1' | 'numpy-all';
export const KERNEL_LIBS: KernelLib[] = ['matcalc', 'ml-matrix', 'tfjs', 'jax', 'numpy-1', 'numpy-all'];
export const JS_LIBS: KernelLib[] = ['ml-matrix', 'tfjs', 'jax'];

export const flops = (k: Kernel, n: number): number => (k === 'matmul' || k === 'inv' ? 2 * n ** 3 : (2 / 3) * n ** 3);

export interface KernelRow { lib: KernelLib; kernel: Kernel; n: number; ms?: number; gflops?: number; runs?: number; note?: string }

export interface KernelResults {
  rows: KernelRow[];
  numpy: { version?: string; corename?: string; threads?: Record<string, number>; reason?: string };
}

export const kernelSizes = (quick: boolean): number[] => (quick ? [32, 64] : [64, 256, 512]);

function randomMatrix(n: number, rand: () => number): Matrix {
  const m = new Matrix(n, n);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rand() * 2 - 1;
  for (let i = 0; i < n; i++) m.data[i + i * n]! += Math.sqrt(n); // well conditioned
  return m;
}

const toRows = (m: Matrix): number[][] => Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => m.data[i + j * m.rows]!));
const rowMajor = (m: Matrix): Float64Array => Float64Array.from(toRows(m).flat());

const timingFor = (n: number, quick: boolean): TimeOptions =>
  quick ? { minRuns: 1, maxRuns: 3, budgetMs: 100 } : { minRuns: n >= 512 ? 3 : 5, maxRuns: n <= 64 ? 41 : 11, budgetMs: n >= 512 ? 2500 : 1000 };

const row = (lib: KernelLib, kernel: Kernel, n: number, t: { median: number; runs: number }, note?: string): KernelRow =>
  ({ lib, kernel, n, ms: t.median, gflops: flops(kernel, n) / (t.median * 1e6), runs: t.runs, note });

/** matcalc's kernels at one size. */
export function matcalcKernels(n: number, quick: boolean): KernelRow[] {
  const rand = seeded(42 + n);
  const A = randomMatrix(n, rand), B = randomMatrix(n, rand);
  const o = timingFor(n, quick);
  return [
    row('matcalc', 'matmul', n, timeIt(() => matmul(A, B), o)),
    row('matcalc', 'lu', n, timeIt(() => lu(A), o)),
    row('matcalc', 'inv', n, timeIt(() => inv(A), o)),
    row('matcalc', 'det', n, timeIt(() => det(A), o)),
  ];
}

export async function mlKernels(n: number, quick: boolean): Promise<KernelRow[]> {
  const ml = await loadMl();
  if (!ml.lib) return KERNELS.map((kernel) => ({ lib: 'ml-matrix', kernel, n, note: ml.reason }));
  const { Matrix: M, LuDecomposition, inverse, determinant } = ml.lib;
  const rand = seeded(42 + n);
  const A0 = randomMatrix(n, rand), B0 = randomMatrix(n, rand);
  const A = new M(toRows(A0)), B = new M(toRows(B0));
  const o = timingFor(n, quick);
  return [
    row('ml-matrix', 'matmul', n, timeIt(() => A.mmul(B), o)),
    row('ml-matrix', 'lu', n, timeIt(() => new LuDecomposition(A), o)),
    row('ml-matrix', 'inv', n, timeIt(() => inverse(A), o)),
    row('ml-matrix', 'det', n, timeIt(() => determinant(A), o)),
  ];
}

export async function tfKernels(n: number, quick: boolean): Promise<KernelRow[]> {
  const tf = await loadTf();
  const none = (why: string): KernelRow[] => (['lu', 'inv', 'det'] as Kernel[]).map((kernel) => ({ lib: 'tfjs', kernel, n, note: why }));
  if (!tf.lib) return [{ lib: 'tfjs', kernel: 'matmul', n, note: tf.reason }, ...none(tf.reason ?? '')];
  const t = tf.lib;
  const rand = seeded(42 + n);
  const A0 = randomMatrix(n, rand), B0 = randomMatrix(n, rand);
  const A = t.tensor2d(Float32Array.from(rowMajor(A0)), [n, n]), B = t.tensor2d(Float32Array.from(rowMajor(B0)), [n, n]);
  const o = timingFor(n, quick);
  const r = row('tfjs', 'matmul', n, timeIt(() => t.tidy(() => t.matMul(A, B).dataSync()), o), 'float32');
  A.dispose();
  B.dispose();
  return [r, ...none('TensorFlow.js has no LU, inverse or det')];
}

export async function jaxKernels(n: number, quick: boolean): Promise<KernelRow[]> {
  const jx = await loadJax();
  if (!jx.lib) return KERNELS.map((kernel) => ({ lib: 'jax', kernel, n, note: jx.reason }));
  const { numpy: np, lax } = jx.lib;
  const rand = seeded(42 + n);
  const A0 = randomMatrix(n, rand), B0 = randomMatrix(n, rand);
  const A = np.array(rowMajor(A0), { dtype: np.float64 }).reshape([n, n]);
  const B = np.array(rowMajor(B0), { dtype: np.float64 }).reshape([n, n]);
  const o = timingFor(n, quick);
  const out: KernelRow[] = [];
  const attempt = (kernel: Kernel, f: () => unknown): void => {
    try {
      out.push(row('jax', kernel, n, timeIt(f, o), 'float64, wasm'));
    } catch (e) {
      out.push({ lib: 'jax', kernel, n, note: `failed: ${(e instanceof Error ? e.message : String(e)).slice(0, 100)}` });
    }
  };
  // each result is read back (dataSync frees it), so the time includes the computation
  attempt('matmul', () => np.matmul(A.ref, B.ref).dataSync());
  attempt('lu', () => { const [f, piv, perm] = lax.linalg.lu(A.ref); piv.dispose(); perm.dispose(); return f.dataSync(); });
  attempt('inv', () => np.linalg.inv(A.ref).dataSync());
  attempt('det', () => np.linalg.det(A.ref).dataSync());
  A.dispose();
  B.dispose();
  return out;
}

const NUMPY_SCRIPT = String.raw`
import json, sys, time, os, ctypes, glob
try:
    import numpy as np
except Exception as e:
    print(json.dumps({'error': 'numpy missing: %r' % (e,)})); sys.exit(0)
try:
    import scipy.linalg as sla
except Exception:
    sla = None
cfg = json.loads(sys.argv[1])
core = None
for lib in glob.glob(os.path.join(os.path.dirname(np.__file__), '..', 'numpy.libs', '*openblas*')):
    try:
        h = ctypes.CDLL(lib)
        for name in ('scipy_openblas_get_corename64_', 'openblas_get_corename64_', 'openblas_get_corename'):
            if hasattr(h, name):
                fn = getattr(h, name); fn.restype = ctypes.c_char_p; core = fn().decode(); break
    except Exception:
        pass
rng = np.random.default_rng(42)
rows = []
def med(f, n):
    f()
    runs = 41 if n <= 64 else 11 if n <= 256 else 5
    if cfg.get('quick'): runs = 3
    ts = []
    start = time.perf_counter()
    for _ in range(runs):
        t0 = time.perf_counter(); f(); ts.append((time.perf_counter() - t0) * 1000)
        if len(ts) >= 3 and time.perf_counter() - start > 2: break
    ts.sort(); return ts[len(ts) // 2], len(ts)
for n in cfg['sizes']:
    A = rng.uniform(-1, 1, (n, n)) + np.sqrt(n) * np.eye(n); B = rng.uniform(-1, 1, (n, n))
    for kernel, f in (('matmul', lambda: A @ B), ('lu', (lambda: sla.lu_factor(A)) if sla else None), ('inv', lambda: np.linalg.inv(A)), ('det', lambda: np.linalg.det(A))):
        if f is None:
            rows.append({'kernel': kernel, 'n': n, 'note': 'scipy missing: no LU'}); continue
        ms, runs = med(f, n)
        rows.append({'kernel': kernel, 'n': n, 'ms': ms, 'runs': runs})
print(json.dumps({'version': np.__version__, 'corename': core, 'threads_env': os.environ.get('OPENBLAS_NUM_THREADS'), 'rows': rows}))
`;

/** NumPy in a subprocess, OPENBLAS_NUM_THREADS fixed; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are
 *  unset in that subprocess only (they slow a current OpenBLAS down; see the env notes). */
export function numpyKernels(sizes: number[], threads: number, quick: boolean): Promise<{ rows: KernelRow[]; version?: string; corename?: string; reason?: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const lib: KernelLib = threads === 1 ? 'numpy-1' : 'numpy-all';
  return new Promise((resolve) => {
    const child = spawn('python3', ['-c', NUMPY_SCRIPT, JSON.stringify({ sizes, quick })], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('error', (e) => resolve({ rows: [], reason: `python3 could not be started: ${e.message}` }));
    child.on('close', () => {
      try {
        const r = JSON.parse(out.trim().split('\n').pop() ?? '') as { error?: string; version: string; corename: string | null; rows: { kernel: Kernel; n: number; ms?: number; runs?: number; note?: string }[] };
        if (r.error) return resolve({ rows: [], reason: r.error });
        resolve({
          version: r.version, corename: r.corename ?? undefined,
          rows: r.rows.map((x) => (x.ms === undefined ? { lib, kernel: x.kernel, n: x.n, note: x.note } : { lib, kernel: x.kernel, n: x.n, ms: x.ms, gflops: flops(x.kernel, x.n) / (x.ms * 1e6), runs: x.runs })),
        });
      } catch {
        resolve({ rows: [], reason: `the NumPy script failed${err ? `: ${err.trim().split('\n').pop()}` : ''}` });
      }
    });
  });
}

export interface KernelJob { label: string; run: () => Promise<void> }

export function kernelJobs(quick: boolean, out: KernelResults): KernelJob[] {
  const sizes = kernelSizes(quick);
  const jobs: KernelJob[] = [];
  for (const n of sizes) {
    jobs.push({ label: `kernels matcalc n=${n}`, run: async () => { out.rows.push(...matcalcKernels(n, quick)); } });
    jobs.push({ label: `kernels ml-matrix n=${n}`, run: async () => { out.rows.push(...(await mlKernels(n, quick))); } });
    jobs.push({ label: `kernels tfjs n=${n}`, run: async () => { out.rows.push(...(await tfKernels(n, quick))); } });
    jobs.push({ label: `kernels jax-js n=${n}`, run: async () => { out.rows.push(...(await jaxKernels(n, quick))); } });
  }
  const all = Math.max(1, os.cpus().length);
  for (const threads of [1, all]) {
    jobs.push({
      label: `kernels numpy ${threads} thread${threads > 1 ? 's' : ''}`,
      run: async () => {
        const r = await numpyKernels(sizes, threads, quick);
        if (r.reason) out.numpy.reason = r.reason;
        if (r.version) out.numpy.version = r.version;
        if (r.corename) out.numpy.corename = r.corename;
        out.numpy.threads = { ...(out.numpy.threads ?? {}), [threads === 1 ? 'numpy-1' : 'numpy-all']: threads };
        out.rows.push(...r.rows);
      },
    });
  }
  return jobs;
}

// run on its own: a plain listing
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const out: KernelResults = { rows: [], numpy: {} };
  for (const job of kernelJobs(quick, out)) await job.run();
  for (const r of out.rows) {
    console.log(`${r.lib.padEnd(10)} ${r.kernel.padEnd(7)} n=${String(r.n).padStart(4)}  ${r.ms === undefined ? `– ${r.note ?? ''}` : `${r.ms.toFixed(2).padStart(9)} ms ${r.gflops!.toFixed(2).padStart(7)} GFLOP/s`}`);
  }
  if (out.numpy.reason) console.log(`NumPy: ${out.numpy.reason}`);
  else console.log(`NumPy ${out.numpy.version}, OpenBLAS core ${out.numpy.corename}`);
}
