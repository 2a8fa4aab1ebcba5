/** Shared pieces of the benchmarks: a seeded generator, a timer that reports medians, the
 *  machine and versions, and Markdown formatting. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export { seeded } from '../src/numeric/random.js';

export interface Timing {
  /** Median over the timed runs, ms. */
  median: number;
  /** Fastest timed run, ms. */
  best: number;
  /** The first call, before any warm-up (JIT and caches cold), ms. */
  first: number;
  runs: number;
}

export interface TimeOptions {
  /** At least this many timed runs (after the first call), budget permitting... */
  minRuns: number;
  /** ...and at most this many. */
  maxRuns: number;
  /** Stop adding runs (beyond one) once this many ms have been spent in total. */
  budgetMs: number;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};

/** Times `f`: one first call (reported apart), then runs until maxRuns or the budget, at least
 *  minRuns unless a single run already exceeds the budget. Reports the median. */
export function timeIt(f: () => unknown, o: TimeOptions): Timing {
  const start = performance.now();
  let t0 = performance.now();
  f();
  const first = performance.now() - t0;
  const times: number[] = [];
  while (times.length < o.maxRuns) {
    const spent = performance.now() - start;
    if (times.length >= o.minRuns && spent > o.budgetMs) break;
    if (times.length >= 1 && spent + median(times) > o.budgetMs * 3) break;
    t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  if (times.length === 0) times.push(first);
  return { median: median(times), best: Math.min(...times), first, runs: times.length };
}

/** The same for an async function (jax-js's and TensorFlow.js's data reads can be async). */
export async function timeItAsync(f: () => Promise<unknown>, o: TimeOptions): Promise<Timing> {
  const start = performance.now();
  let t0 = performance.now();
  await f();
  const first = performance.now() - t0;
  const times: number[] = [];
  while (times.length < o.maxRuns) {
    const spent = performance.now() - start;
    if (times.length >= o.minRuns && spent > o.budgetMs) break;
    if (times.length >= 1 && spent + median(times) > o.budgetMs * 3) break;
    t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  if (times.length === 0) times.push(first);
  return { median: median(times), best: Math.min(...times), first, runs: times.length };
}

// ------------------------------------------------------------------ formatting

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 0.01) return `${(ms * 1000).toFixed(1)} µs`;
  return `${(ms * 1000).toFixed(2)} µs`;
}

export function fmtRatio(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '–';
  if (r >= 1000) return `${Math.round(r).toLocaleString('en-US')}x`;
  if (r >= 100) return `${r.toFixed(0)}x`;
  if (r >= 10) return `${r.toFixed(1)}x`;
  return `${r.toFixed(2)}x`;
}

export function fmtErr(e: number | null | undefined): string {
  if (e === null || e === undefined) return '–';
  if (!Number.isFinite(e)) return String(e);
  if (e === 0) return '0';
  return e.toExponential(1);
}

export function fmtNum(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function mdTable(headers: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const al = align ?? headers.map((_, i) => (i === 0 ? 'l' : 'r'));
  const lines = [
    `| ${headers.map(cell).join(' | ')} |`,
    `|${al.map((a) => (a === 'r' ? '---:' : ':---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** Inline code in a table cell (backticks, with long text cut). */
export function code(s: string, max = 70): string {
  const t = s.length > max ? `${s.slice(0, max - 1)}…` : s;
  return `\`${t}\``;
}

// ------------------------------------------------------------------ machine and versions

export interface Machine {
  os: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  date: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

export function packageVersion(name: string): string | null {
  try {
    const p = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string };
    return p.version ?? null;
  } catch {
    return null;
  }
}

export function matcalcVersion(): string {
  const p = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  let rev = '';
  try {
    rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    if (dirty) rev += ', src/ modified';
  } catch {
    /* not a git checkout */
  }
  return rev ? `${p.version} (${rev})` : p.version;
}

/** Relative error max|a - b| / max|b|, over equal-length arrays (Infinity if a length differs or a NaN appears). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= num)) num = Number.isNaN(d) ? Infinity : Math.max(num, d);
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / Math.max(1e-300, den);
}
