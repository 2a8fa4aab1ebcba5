/**
 * GFLOP/s of the dense kernels: matmul (2n^3 flops), LU (2n^3/3), inverse
 * (2n^3, counted from the LU factors on) and solve with one right-hand side.
 * Medians (and bests) of a few runs after a warm-up. Run: npx tsx bench/kernels.ts
 */
import { Matrix, inv, lu, matmul, solve } from '../src/numeric/index.js';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomMatrix(n: number, rand: () => number): Matrix {
  const m = new Matrix(n, n);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rand() * 2 - 1;
  return m;
}

/** Median and best time in ms over `runs` runs, after warm-up runs for the JIT. */
function timeMs(runs: number, f: () => void): { median: number; best: number } {
  for (let w = 0; w < 3; w++) f();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1]!, best: times[0]! };
}

function report(name: string, n: number, flops: number, t: { median: number; best: number }): void {
  const g = (ms: number): string => (flops / (ms * 1e6)).toFixed(2).padStart(6);
  console.log(
    `${name.padEnd(7)} n=${String(n).padStart(4)}  median ${t.median.toFixed(2).padStart(8)} ms ${g(t.median)} GFLOP/s` +
      `   (best ${g(t.best)})`,
  );
}

const rand = seeded(42);
for (const n of [64, 256, 512]) {
  const runs = n <= 64 ? 41 : n <= 256 ? 11 : 5;
  const A = randomMatrix(n, rand);
  const B = randomMatrix(n, rand);
  const b = Matrix.fromColumn(Array.from({ length: n }, () => rand()));
  report('matmul', n, 2 * n ** 3, timeMs(runs, () => matmul(A, B)));
  report('lu', n, (2 / 3) * n ** 3, timeMs(runs, () => lu(A)));
  report('inv', n, 2 * n ** 3, timeMs(runs, () => inv(A)));
  report('solve', n, (2 / 3) * n ** 3, timeMs(runs, () => solve(A, b)));
}
