/** Evaluation of derivatives: the exported JavaScript (emitCode), matcalc's evaluate() of the
 *  symbolic derivative, matcalc's dual numbers, jax-js, TensorFlow.js and finite differences,
 *  each against a hand-written closed form, on the same data in one run. */
import { seeded } from './util.js';
import { loadJax, loadTf } from './baselines.js';
import { type EvalResults, type EvalRow, type MethodId, type ProblemId, type Task } from './eval-problems.js';
import { NotApplicable, adRunner, closedRunner, evaluateRunner, exportedRunner, fdRunner, jaxRunner, makeData, symbolic, tfRunner, type Data, type Runner, type Symbolic } from './eval-runners.js';
import { relErr, timeIt, timeItAsync, type TimeOptions } from './util.js';

export * from './eval-problems.js';

export interface EvalPlanItem { problem: ProblemId; task: Task; sizes: number[] }

export function evalPlan(quick: boolean): EvalPlanItem[] {
  return quick
    ? [
      { problem: 'logistic', task: 'gradient', sizes: [10, 30] },
      { problem: 'logistic', task: 'hessian', sizes: [10] },
      { problem: 'logistic', task: 'hvp', sizes: [30] },
      { problem: 'quad', task: 'gradient', sizes: [10, 30] },
      { problem: 'quad', task: 'hessian', sizes: [10] },
      { problem: 'quad', task: 'hvp', sizes: [30] },
      { problem: 'logdet', task: 'gradient', sizes: [5, 10] },
      { problem: 'logdet', task: 'hessian', sizes: [3] },
      { problem: 'trinv', task: 'gradient', sizes: [5, 10] },
      { problem: 'trinv', task: 'hessian', sizes: [3] },
    ]
    : [
      { problem: 'logistic', task: 'gradient', sizes: [100, 1000] },
      { problem: 'logistic', task: 'hessian', sizes: [100, 300] },
      { problem: 'logistic', task: 'hvp', sizes: [100, 1000] },
      { problem: 'quad', task: 'gradient', sizes: [100, 1000] },
      { problem: 'quad', task: 'hessian', sizes: [100, 300] },
      { problem: 'quad', task: 'hvp', sizes: [100, 1000] },
      { problem: 'logdet', task: 'gradient', sizes: [50, 200] },
      { problem: 'logdet', task: 'hessian', sizes: [8, 16] },
      { problem: 'trinv', task: 'gradient', sizes: [50, 200] },
      { problem: 'trinv', task: 'hessian', sizes: [8, 16] },
    ];
}

/** Sizes past which a method is not run (its cost would dominate the benchmark), with the
 *  exponent of its cost in n, used to estimate the time it would take. */
interface Cap { maxN: number; exponent: number; why: string }
const CAPS: Partial<Record<ProblemId, Partial<Record<Task, Partial<Record<MethodId, Cap>>>>>> = {
  logistic: {
    hessian: { ad: { maxN: 100, exponent: 4, why: 'n(n+1)/2 second-order passes, each O(n^2)' } },
  },
  quad: {
    hessian: { ad: { maxN: 100, exponent: 4, why: 'n(n+1)/2 second-order passes, each O(n^2)' } },
  },
  logdet: {
    gradient: {
      ad: { maxN: 50, exponent: 5, why: 'n^2 forward passes, each an O(n^3) LU' },
      fd: { maxN: 50, exponent: 5, why: '2n^2 evaluations of f, each an O(n^3) LU' },
    },
    hessian: {
      exported: { maxN: 16, exponent: 5, why: 'n^2 columns, each O(n^3)' },
      evaluate: { maxN: 16, exponent: 5, why: 'n^2 columns (the gradient of d2f by dX2), each O(n^3)' },
      ad: { maxN: 16, exponent: 7, why: 'n^2(n^2+1)/2 second-order passes, each O(n^3)' },
    },
  },
  trinv: {
    gradient: {
      ad: { maxN: 50, exponent: 5, why: 'n^2 forward passes, each an O(n^3) LU' },
      fd: { maxN: 50, exponent: 5, why: '2n^2 evaluations of f, each an O(n^3) LU' },
    },
    hessian: {
      exported: { maxN: 16, exponent: 5, why: 'n^2 columns, each O(n^3)' },
      evaluate: { maxN: 16, exponent: 5, why: 'n^2 columns (the gradient of d2f by dX2), each O(n^3)' },
      ad: { maxN: 16, exponent: 7, why: 'n^2(n^2+1)/2 second-order passes, each O(n^3)' },
    },
  },
};

// ------------------------------------------------------------------ the section


export interface EvalJob { label: string; run: () => Promise<void> }

/** The jobs of this section (one per problem, task and size), filling `out`. */
export function evaluationJobs(quick: boolean, out: EvalResults, timing: TimeOptions, slowTiming: TimeOptions): EvalJob[] {
  const jobs: EvalJob[] = [];

  for (const item of evalPlan(quick)) {
    for (const n of item.sizes) {
      jobs.push({
        label: `${item.problem} ${item.task} n=${n}`,
        run: async () => {
          const data = makeData(item.problem, n, seeded(1000 * n + item.problem.length));
          out.rows.push(...(await measureAll(item.problem, item.task, data, out, timing, slowTiming, quick)));
        },
      });
    }
  }
  return jobs;
}

async function measureAll(p: ProblemId, task: Task, d: Data, out: EvalResults, timing: TimeOptions, slowTiming: TimeOptions, quick: boolean): Promise<EvalRow[]> {
  const rows: EvalRow[] = [];
  const n = d.n;
  const base = { problem: p, task, n };
  let sym: Symbolic | null = null;
  let symError: string | null = null;
  try {
    sym = symbolic(p, d);
  } catch (e) {
    symError = e instanceof Error ? e.message : String(e);
  }
  const closed = closedRunner(p, task, d);
  const ref = closed.result(closed.run());
  const earlier = out.rows;
  const capOf = (m: MethodId): Cap | undefined => (quick ? undefined : CAPS[p]?.[task]?.[m]);

  const measure = async (method: MethodId, make: () => Runner | Promise<Runner>): Promise<void> => {
    const cap = capOf(method);
    if (cap && n > cap.maxN) {
      const prev = [...earlier, ...rows].filter((r) => r.problem === p && r.task === task && r.method === method && r.status === 'ok' && r.timing);
      const last = prev[prev.length - 1];
      const est = last ? last.timing!.median * (n / last.n) ** cap.exponent : null;
      rows.push({ ...base, method, status: 'skipped', note: `not run past n = ${cap.maxN}: ${cap.why}${est ? `; would take about ${formatEstimate(est)} (from n = ${last!.n})` : ''}` });
      return;
    }
    let runner: Runner;
    try {
      runner = await make();
    } catch (e) {
      const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
      rows.push({ ...base, method, status: e instanceof NotApplicable ? 'skipped' : 'failed', note: e instanceof NotApplicable ? why : `failed: ${why}` });
      return;
    }
    try {
      let outValue: unknown;
      const opts = method === 'closed' || method === 'jax' || method === 'tf' || method === 'exported' ? timing : slowTiming;
      const t = runner.async
        ? await timeItAsync(async () => { outValue = await runner.run(); }, opts)
        : timeIt(() => { outValue = runner.run(); }, opts);
      const got = runner.result(outValue);
      const err = relErr(got, ref);
      const tol = method === 'tf' ? 1e-3 : method === 'jax' ? 1e-4 : method === 'fd' ? 1e-4 : 1e-7;
      let note = runner.note;
      if (runner.alternative) {
        try {
          const e2 = relErr(runner.alternative.compute(), ref);
          note = `${note ? `${note}; ` : ''}${runner.alternative.label}: error ${e2.toExponential(1)}${e2 > tol ? ' (wrong, silently)' : ''}`;
        } catch (e) {
          note = `${note ? `${note}; ` : ''}${runner.alternative.label}: failed (${e instanceof Error ? e.message.slice(0, 80) : String(e)})`;
        }
      }
      rows.push({ ...base, method, status: err <= tol ? 'ok' : 'wrong', timing: t, err, note });
    } catch (e) {
      rows.push({ ...base, method, status: 'failed', note: e instanceof Error ? e.message.split('\n')[0] : String(e) });
    } finally {
      (runner as { dispose?: () => void }).dispose?.();
    }
  };

  await measure('closed', () => closed);
  const needSym = (): Symbolic => {
    if (!sym) throw new Error(`matcalc could not derive it: ${symError}`);
    return sym;
  };
  await measure('exported', () => exportedRunner(task, needSym()));
  await measure('evaluate', () => evaluateRunner(task, needSym()));
  await measure('ad', () => adRunner(p, task, needSym()));
  const jx = await loadJax();
  out.jax = { version: jx.version, reason: jx.reason };
  await measure('jax', () => {
    if (!jx.lib) throw new NotApplicable(jx.reason ?? 'jax-js did not load');
    return jaxRunner(jx.lib, p, task, d);
  });
  const tf = await loadTf();
  out.tf = { version: tf.version, reason: tf.reason };
  await measure('tf', () => {
    if (!tf.lib) throw new NotApplicable(tf.reason ?? 'TensorFlow.js did not load');
    return tfRunner(tf.lib, p, task, d);
  });
  if (task === 'gradient') await measure('fd', () => fdRunner(p, d));
  return rows;
}

function formatEstimate(ms: number): string {
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(0)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(0)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
