/** The evaluation section of BENCHMARKS.md, with the note on forward mode. */
import { METHOD_LABEL, METHODS, PROBLEMS, evalPlan, type EvalResults, type EvalRow, type MethodId, type ProblemId, type Task } from './evaluation.js';
import type { Report, TargetLine } from './report-common.js';
import { code, fmtErr, fmtMs, fmtRatio, mdTable } from './util.js';

function rowsFor(e: EvalResults, p: ProblemId, task: Task, n: number): EvalRow[] {
  return e.rows.filter((r) => r.problem === p && r.task === task && r.n === n);
}

const TASK_TITLE: Record<Task, string> = { gradient: 'gradient', hessian: 'Hessian', hvp: 'Hessian-vector product' };

export function evaluationSection(r: Report, targets: TargetLine[]): string {
  const e = r.evaluation;
  const out: string[] = [];
  out.push('## 2. Evaluation of derivatives');
  out.push('');
  out.push(
    'Each row computes the same derivative on the same data (seeded), in its own input format prepared beforehand (arrays of rows ' +
      'for the exported code, `Matrix` for matcalc, jax-js and TensorFlow.js arrays on their devices); the time includes reading the ' +
      'result back (`dataSync`). Median over repeats after a first call (which includes jit compilation for jax-js). Error: max ' +
      'absolute difference from the closed form over its largest entry. "x closed" is the time over the closed form\'s, in the same run. ' +
      `jax-js ${e.jax.version ?? '(missing)'}${e.jax.reason ? ` — ${e.jax.reason}` : ''}; TensorFlow.js ${e.tf.version ?? '(missing)'}${e.tf.reason ? ` — ${e.tf.reason}` : ''}.`,
  );
  out.push('');
  const plan = evalPlan(r.quick);
  for (const item of plan) {
    const def = PROBLEMS[item.problem];
    out.push(`### ${def.label} ${code(def.expr)}: ${TASK_TITLE[item.task]} by ${item.task === 'hessian' ? def.by : def.wrt}`);
    out.push('');
    const headers = ['method'];
    for (const n of item.sizes) headers.push(`n = ${n}`, 'x closed', 'error');
    headers.push('notes');
    const align = headers.map((h, i) => (i === 0 || h === 'notes' ? 'l' : 'r') as 'l' | 'r');
    const trows: string[][] = [];
    for (const m of METHODS) {
      const cells: string[] = [METHOD_LABEL[m]];
      const notes = new Set<string>();
      let any = false;
      for (const n of item.sizes) {
        const rr = rowsFor(e, item.problem, item.task, n);
        const row = rr.find((x) => x.method === m);
        const closed = rr.find((x) => x.method === 'closed');
        if (!row) { cells.push('–', '–', '–'); continue; }
        any = true;
        if (row.status === 'skipped' || row.status === 'failed') {
          cells.push(row.status, '–', '–');
          if (row.note) notes.add(`n = ${n}: ${row.note}`);
          continue;
        }
        const ratio = closed?.timing && row.timing ? row.timing.median / closed.timing.median : null;
        cells.push(`${fmtMs(row.timing?.median)}${row.timing && row.timing.runs < 3 ? ` (${row.timing.runs} run${row.timing.runs > 1 ? 's' : ''})` : ''}`, m === 'closed' ? '1' : fmtRatio(ratio), row.status === 'wrong' ? `**${fmtErr(row.err)} wrong**` : fmtErr(row.err));
        if (row.note) notes.add(row.note);
      }
      cells.push([...notes].join('; '));
      if (any) trows.push(cells);
    }
    out.push(mdTable(headers, trows, align));
    out.push('');
  }

  // target 2: exported gradient within 1.5x of the closed form
  const gradRows = e.rows.filter((x) => x.task === 'gradient' && x.method === 'exported' && x.status === 'ok');
  const g2 = gradRows.map((x) => {
    const c = e.rows.find((y) => y.problem === x.problem && y.task === x.task && y.n === x.n && y.method === 'closed');
    return { p: x.problem, n: x.n, ratio: c?.timing && x.timing ? x.timing.median / c.timing.median : NaN };
  }).filter((x) => Number.isFinite(x.ratio));
  if (g2.length) {
    const worst = g2.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    const within = g2.filter((x) => x.ratio <= 1.5).length;
    targets.push({
      target: 'exported gradient code within 1.5x of the hand-written closed form',
      measured: `${within} of ${g2.length} within 1.5x; ${g2.map((x) => `${x.p} n=${x.n}: ${fmtRatio(x.ratio)}`).join(', ')}`,
      met: within === g2.length,
      note: `worst: ${worst.p} at n = ${worst.n}`,
    });
  } else targets.push({ target: 'exported gradient code within 1.5x of the hand-written closed form', measured: 'no exported gradient ran', met: null, note: '' });

  // target 3: symbolic Hessians vs the fastest JS autodiff, at the largest n both ran
  const hessProblems = [...new Set(plan.filter((x) => x.task === 'hessian').map((x) => x.problem))];
  const h3: string[] = [];
  const h3r: { problem: ProblemId; n: number; ratio: number }[] = [];
  let allMet = true, anyH = false;
  for (const p of hessProblems) {
    const sizes = [...new Set(e.rows.filter((x) => x.problem === p && x.task === 'hessian').map((x) => x.n))].sort((a, b) => b - a);
    for (const n of sizes) {
      const rr = rowsFor(e, p, 'hessian', n).filter((x) => x.status === 'ok' && x.timing);
      const symb = rr.filter((x) => x.method === 'exported' || x.method === 'evaluate').sort((a, b) => a.timing!.median - b.timing!.median)[0];
      const ad = rr.filter((x) => x.method === 'jax' || x.method === 'tf' || x.method === 'ad').sort((a, b) => a.timing!.median - b.timing!.median)[0];
      if (!symb || !ad) continue;
      const ratio = ad.timing!.median / symb.timing!.median;
      anyH = true;
      h3r.push({ problem: p, n, ratio });
      if (ratio < 10) allMet = false;
      h3.push(`${p} n=${n}: ${fmtRatio(ratio)} (${symb.method === 'exported' ? 'exported code' : 'evaluate()'} ${fmtMs(symb.timing!.median)} vs ${ad.method === 'jax' ? 'jax-js' : ad.method === 'tf' ? 'TensorFlow.js' : 'matcalc AD'} ${fmtMs(ad.timing!.median)})`);
      break;
    }
  }
  targets.push({
    target: 'symbolic Hessians at least 10x faster than the fastest JS autodiff Hessian (largest n both ran)',
    measured: anyH ? h3.join('; ') : 'no size where both ran',
    met: anyH ? allMet : null,
    note: 'autodiff: the fastest correct of jax-js, TensorFlow.js and matcalc\'s dual numbers',
    ratios: h3r,
  });

  out.push('### Forward mode: why a gradient costs n passes, and where it is the right tool');
  out.push('');
  out.push(FORWARD_MODE_TEXT(e));
  out.push('');
  return out.join('\n');
}

function FORWARD_MODE_TEXT(e: EvalResults): string {
  const t = (p: ProblemId, task: Task, n: number, m: MethodId): number | undefined => e.rows.find((x) => x.problem === p && x.task === task && x.n === n && x.method === m && x.status === 'ok')?.timing?.median;
  const sizes = [...new Set(e.rows.filter((x) => x.problem === 'logistic' && x.task === 'gradient').map((x) => x.n))].sort((a, b) => a - b);
  const nBig = sizes[sizes.length - 1];
  const adG = nBig ? t('logistic', 'gradient', nBig, 'ad') : undefined;
  const exG = nBig ? t('logistic', 'gradient', nBig, 'exported') : undefined;
  const measured = adG && exG && nBig
    ? ` Here, for the logistic loss at n = ${nBig}, matcalc's dual numbers take ${fmtMs(adG)} against ${fmtMs(exG)} for the exported symbolic gradient (${fmtRatio(adG / exG)}).`
    : '';
  return [
    'matcalc\'s `ad/` is forward mode: it pushes one tangent (a direction dX) through the graph with the values, and what comes out is the ' +
      'directional derivative df[dX] = tr(G\' dX), one number of the gradient G. The gradient of f by an n-vector (or an m x n matrix) ' +
      'therefore takes n (or mn) passes, one per unit direction E_k, each costing about as much as evaluating f: O(n) evaluations of f ' +
      'in all, where reverse mode (and the symbolic gradient, which is reverse mode done once on the graph and simplified) costs a ' +
      'small constant times one evaluation.' + measured + ' A full Hessian by forward-over-forward is n(n+1)/2 second-order passes.',
    '',
    'Forward mode is the right tool when the inputs are few and the outputs many, or when only a directional derivative is wanted:',
    '',
    '- a Jacobian of a function with few inputs (k inputs, any number of outputs: k passes, against one reverse pass per output);',
    '- a directional derivative df[V] or a Jacobian-vector product J v: one pass, whatever the size;',
    '- a Hessian-vector product H v: forward over a reverse-mode (or symbolic) gradient costs a small constant times one gradient. ' +
      'jax-js\'s `jvp(grad(f))` is that, and so is matcalc\'s symbolic route in the tables above (the gradient of v\'*grad f, derived ' +
      'once, then evaluated or exported). matcalc\'s `hvpAD` instead nests two forward passes, so it still takes n second-order passes ' +
      '(one per entry of the result): O(n) times a gradient rather than O(1). It is a cross-check, not the fast path.',
    '- checking: a dual-number pass shares no code with the symbolic derivation, so it is an independent check of it (the `check` ' +
      'column above uses it).',
  ].join('\n');
}
