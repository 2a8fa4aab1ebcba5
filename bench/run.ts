/**
 * `npm run bench`: every benchmark, then BENCHMARKS.md (and the families' plot as an SVG).
 *
 *   npm run bench                      full run (about 10 minutes on 2 cores), writes BENCHMARKS.md
 *   npm run bench -- --quick           tiny sizes and 1-3 repeats (well under a minute)
 *   npm run bench -- --out FILE        write the Markdown to FILE (the SVG goes beside it)
 *   npm run bench -- --only derivation,evaluation,kernels   some sections only
 *   npm run bench -- --no-sympy        skip the SymPy baseline
 *
 * Progress goes to stderr (cli-progress); the path written goes to stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { familyCases, measureDerivation, suiteCases, sympyFamilyCases, type DerivResult } from './derivation.js';
import { evaluationJobs, type EvalResults } from './evaluation.js';
import { kernelJobs, type KernelResults } from './kernels.js';
import { renderMarkdown, renderSvg, type Report } from './report.js';
import { runSympy, type SympyCaseSpec, type SympyRun } from './sympy.js';
import { machine, matcalcVersion, packageVersion, ROOT, type TimeOptions } from './util.js';

interface Args { quick: boolean; out: string; only: Set<string>; sympy: boolean }

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, out: path.join(ROOT, 'BENCHMARKS.md'), only: new Set(['derivation', 'evaluation', 'kernels']), sympy: true };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (x === '--quick') a.quick = true;
    else if (x === '--no-sympy') a.sympy = false;
    else if (x === '--out' || x.startsWith('--out=')) {
      const v = x === '--out' ? argv[++i] : x.slice(6);
      if (!v) throw new Error('--out needs a file name');
      a.out = path.resolve(v);
    } else if (x === '--only' || x.startsWith('--only=')) {
      const v = x === '--only' ? argv[++i] : x.slice(7);
      a.only = new Set((v ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    } else if (x === '--help' || x === '-h') {
      process.stdout.write('usage: npm run bench -- [--quick] [--out FILE] [--only derivation,evaluation,kernels] [--no-sympy]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${x}`);
  }
  return a;
}

interface Job { label: string; units: number; run: (tick: (label?: string) => void) => Promise<void> }

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const loadStart = os.loadavg();
  const quick = args.quick;
  const derivTiming: TimeOptions = quick ? { minRuns: 1, maxRuns: 3, budgetMs: 30 } : { minRuns: 5, maxRuns: 25, budgetMs: 400 };
  const evalTiming: TimeOptions = quick ? { minRuns: 1, maxRuns: 3, budgetMs: 30 } : { minRuns: 5, maxRuns: 25, budgetMs: 1200 };
  const slowTiming: TimeOptions = quick ? { minRuns: 1, maxRuns: 2, budgetMs: 30 } : { minRuns: 3, maxRuns: 11, budgetMs: 1500 };
  const sympyConfig = quick ? { timeoutS: 5, checkTimeoutS: 10, repeats: 1, budgetMs: 500 } : { timeoutS: 20, checkTimeoutS: 20, repeats: 4, budgetMs: 3000 };

  const suite: DerivResult[] = [];
  const families: DerivResult[] = [];
  let sympy: SympyRun | null = null;
  let sympySkipped: string | undefined;
  const evaluation: EvalResults = { rows: [], jax: { version: null }, tf: { version: null } };
  const kernels: KernelResults = { rows: [], numpy: {} };
  const jobs: Job[] = [];

  if (args.only.has('derivation')) {
    for (const c of suiteCases(quick)) {
      for (const order of c.orders) {
        jobs.push({ label: `derive ${c.id} (${order === 1 ? 'gradient' : 'Hessian'})`, units: 1, run: async () => { suite.push(measureDerivation(c, order, derivTiming, true)); } });
      }
    }
    for (const c of familyCases(quick)) {
      for (const order of c.orders) {
        const k = c.family!.k;
        jobs.push({ label: `derive ${c.id} (${order === 1 ? 'gradient' : 'Hessian'})`, units: 1, run: async () => { families.push(measureDerivation(c, order, derivTiming, quick || k <= 20)); } });
      }
    }
    if (args.sympy) {
      const specs: SympyCaseSpec[] = [
        ...suiteCases(quick).flatMap((c) => c.orders.map((order) => ({ case: c, order, check: true }))),
        ...sympyFamilyCases(quick).flatMap((c) => c.orders.map((order) => ({ case: c, order, check: true }))),
      ];
      jobs.push({
        label: 'SymPy', units: specs.length,
        run: async (tick) => {
          sympy = await runSympy(specs, sympyConfig, (r) => tick(`SymPy ${r.id} (${r.order === 1 ? 'gradient' : 'Hessian'}): ${r.status}`));
        },
      });
    } else sympySkipped = 'skipped by --no-sympy';
  }
  if (args.only.has('evaluation')) {
    for (const j of evaluationJobs(quick, evaluation, evalTiming, slowTiming)) jobs.push({ label: j.label, units: 1, run: () => j.run() });
  }
  if (args.only.has('kernels')) {
    for (const j of kernelJobs(quick, kernels)) jobs.push({ label: j.label, units: 1, run: () => j.run() });
  }

  const total = jobs.reduce((s, j) => s + j.units, 0);
  const bar = new cliProgress.SingleBar({
    format: 'bench [{bar}] {value}/{total} | {duration_formatted} | {task}',
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 3000,
    hideCursor: true,
    etaBuffer: 20,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { task: 'starting' });
  for (const job of jobs) {
    let used = 0;
    bar.update({ task: job.label });
    const tick = (label?: string): void => {
      if (used < job.units) { used++; bar.increment(1, { task: label ?? job.label }); }
    };
    try {
      await job.run(tick);
    } catch (e) {
      process.stderr.write(`\n${job.label} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    }
    if (used < job.units) bar.increment(job.units - used, { task: job.label });
  }
  bar.update({ task: 'writing' });
  bar.stop();

  const m = machine();
  const sy = sympy as SympyRun | null;
  const npRow = kernels.numpy;
  const versions: Record<string, string> = {
    node: m.node,
    matcalc: matcalcVersion(),
    '@jax-js/jax': packageVersion('@jax-js/jax') ?? 'not installed',
    '@tensorflow/tfjs': packageVersion('@tensorflow/tfjs') ?? 'not installed',
    'ml-matrix': packageVersion('ml-matrix') ?? 'not installed',
    python: sy?.versions.python ?? (sy ? 'not run' : '–'),
    sympy: sy ? (sy.available ? sy.versions.sympy ?? '?' : `missing: ${sy.reason ?? ''}`) : sympySkipped ?? '–',
    numpy: npRow.version ? `${npRow.version} (OpenBLAS kernel ${npRow.corename ?? '?'})` : npRow.reason ?? (args.only.has('kernels') ? 'missing' : '–'),
  };
  const outDir = path.dirname(args.out);
  const isDefault = args.out === path.join(ROOT, 'BENCHMARKS.md');
  const svgPath = isDefault ? path.join(ROOT, 'bench', 'derivation-families.svg') : args.out.replace(/\.md$/i, '') + '-families.svg';
  const report: Report = {
    quick, machine: m, load: { start: loadStart, end: os.loadavg() }, versions, totalMs: performance.now() - t0,
    suite, families, sympy: sy, sympySkipped, evaluation, kernels,
    svgLink: path.relative(outDir, svgPath).split(path.sep).join('/'),
    sympyConfig: { timeoutS: sympyConfig.timeoutS, repeats: sympyConfig.repeats },
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(svgPath, renderSvg(report));
  writeFileSync(args.out, renderMarkdown(report));
  process.stdout.write(`wrote ${args.out} and ${svgPath} in ${(report.totalMs / 1000).toFixed(1)} s\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
