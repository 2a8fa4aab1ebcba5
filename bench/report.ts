/** BENCHMARKS.md from the measurements: tables, targets met or not with their ratios, the
 *  diagnoses where matcalc falls short, and the families' plot (an SVG written beside it). */
import type { DerivResult } from './derivation.js';
import { METHOD_LABEL, METHODS, PROBLEMS, evalPlan, type EvalResults, type EvalRow, type MethodId, type ProblemId, type Task } from './evaluation.js';
import { KERNELS, KERNEL_LIBS, JS_LIBS, kernelSizes, type KernelLib, type KernelResults, type KernelRow } from './kernels.js';
import { chart, type Panel } from './svg.js';
import { FAMILIES } from './suite.js';
import { sympyKey, type SympyResult, type SympyRun } from './sympy.js';
import { code, fmtErr, fmtMs, fmtRatio, mdTable, type Machine } from './util.js';

export interface Report {
  quick: boolean;
  machine: Machine;
  load: { start: number[]; end: number[] };
  versions: Record<string, string>;
  totalMs: number;
  suite: DerivResult[];
  families: DerivResult[];
  sympy: SympyRun | null;
  sympySkipped?: string;
  evaluation: EvalResults;
  kernels: KernelResults;
  svgLink: string;
  sympyConfig: { timeoutS: number; repeats: number };
}

interface TargetLine { target: string; measured: string; met: boolean | null; note: string; ratios?: { problem: ProblemId; n: number; ratio: number }[] }

const geomean = (xs: number[]): number => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const yesNo = (b: boolean | null): string => (b === null ? 'not measured' : b ? '**met**' : '**not met**');
const answered = (s: SympyResult | undefined): boolean => s !== undefined && (s.status === 'ok' || s.status === 'unchecked');

const SYMPY_STATUS: Record<string, string> = {
  ok: 'answered (checked)',
  unchecked: 'answered (not checked)',
  wrong: 'wrong answer',
  'no-eval': 'answer does not evaluate',
  unevaluated: 'no answer (unevaluated)',
  error: 'error',
  timeout: 'timeout',
};

// ------------------------------------------------------------------ derivation

function derivationSection(r: Report, targets: TargetLine[]): string {
  const out: string[] = [];
  const sym = r.sympy;
  const sy = (d: DerivResult): SympyResult | undefined => sym?.results.get(sympyKey(d.id, d.order));
  out.push('## 1. Derivation');
  out.push('');
  out.push(
    'Time to derive (matcalc: `derivation(program, x, order)` on a compiled program; SymPy: the derivative call on a built ' +
      'expression: parsing is excluded on both sides), median over repeats with the first call shown apart (matcalc\'s nodes are ' +
      'hash-consed in a process-wide table and SymPy caches, so repeats find their subexpressions made: both are warm in the median). ' +
      'Answer size: matcalc\'s distinct graph nodes and printed length (`toText`); SymPy\'s `count_ops` and `len(str(answer))`. ' +
      "A Hessian by a matrix is matcalc's second differential (a scalar in dX1, dX2); SymPy's is a 4-index array expression. " +
      'Every matcalc answer is checked on numbers (`check`: finite differences and dual numbers at a random point); every SymPy ' +
      'answer is checked against central differences of f at sizes 2-4 in 30-digit arithmetic.',
  );
  out.push('');
  if (!sym || !sym.available) {
    out.push(`> **SymPy did not run**: ${r.sympySkipped ?? sym?.reason ?? 'unknown reason'}. Its columns are empty and its target is not measured.`);
    out.push('');
  } else {
    out.push(
      `SymPy ${sym.versions.sympy} on Python ${sym.versions.python}, one subprocess, ${r.sympyConfig.timeoutS} s limit per attempt; ` +
        'each case tries `Derivative(f, x).doit()` and then `f.diff(x)` (the latter answers 0 for a scalar function of a trace), ' +
        'and each listed formulation of f, keeping the first answer that checks.',
    );
    out.push('');
  }
  out.push('### The suite');
  out.push('');
  const rows = r.suite.map((d) => {
    const s = sy(d);
    const ok = answered(s);
    const speed = ok && d.timing && s!.median_ms ? s!.median_ms / d.timing.median : null;
    const size = ok && d.textLen && s!.str_len ? d.textLen / s!.str_len : null;
    return [
      code(d.label, 44), d.wrt, d.order === 1 ? 'gradient' : 'Hessian',
      d.error ? `error: ${d.error.slice(0, 60)}` : fmtMs(d.timing?.median), fmtMs(d.timing?.first),
      d.nodes === undefined ? '–' : String(d.nodes), d.textLen === undefined ? '–' : String(d.textLen),
      d.check ? (d.check.verdict === 'pass' ? 'pass' : `**${d.check.verdict}**`) : '–',
      s ? SYMPY_STATUS[s.status] ?? s.status : '–',
      ok ? fmtMs(s!.median_ms) : '–',
      ok ? `${s!.count_ops ?? '–'} / ${s!.str_len ?? '–'}` : '–',
      fmtRatio(speed), size === null ? '–' : size.toFixed(2),
    ];
  });
  out.push(mdTable(
    ['f', 'by', 'derivative', 'matcalc', 'first call', 'nodes', 'chars', 'check', 'SymPy', 'SymPy time', 'SymPy ops / chars', 'SymPy time / matcalc', 'chars matcalc / SymPy'],
    rows,
    ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'l', 'l', 'r', 'r', 'r', 'r'],
  ));
  out.push('');
  // target 1
  const both = r.suite.filter((d) => d.timing && answered(sy(d)) && sy(d)!.median_ms);
  const speeds = both.map((d) => sy(d)!.median_ms! / d.timing!.median);
  const smaller = both.filter((d) => (d.textLen ?? Infinity) <= (sy(d)!.str_len ?? 0));
  const total = r.suite.length;
  if (!sym || !sym.available) {
    targets.push({ target: 'derivation at least 100x faster than SymPy on the suite, answers no larger', measured: 'SymPy missing', met: null, note: r.sympySkipped ?? sym?.reason ?? '' });
  } else if (both.length === 0) {
    targets.push({ target: 'derivation at least 100x faster than SymPy on the suite, answers no larger', measured: `SymPy answered none of the ${total} cases`, met: null, note: 'no case to compare' });
  } else {
    const fast = speeds.filter((x) => x >= 100).length;
    const met = fast === both.length && smaller.length === both.length;
    targets.push({
      target: 'derivation at least 100x faster than SymPy on the suite, answers no larger',
      measured: `SymPy answered ${both.length} of ${total}; on those, SymPy time / matcalc time: geometric mean ${fmtRatio(geomean(speeds))}, ` +
        `min ${fmtRatio(Math.min(...speeds))}, max ${fmtRatio(Math.max(...speeds))} (${fast} of ${both.length} at 100x or more); ` +
        `matcalc's printed answer no longer than SymPy's in ${smaller.length} of ${both.length}`,
      met,
      note: met ? '' : 'see "Where matcalc falls short"',
    });
  }
  // SymPy details
  if (sym?.available) {
    const failed = r.suite.filter((d) => !answered(sy(d)));
    if (failed.length) {
      out.push('What SymPy answered where it did not answer right (its best attempt; every attempt is in the list):');
      out.push('');
      for (const d of failed) {
        const s = sy(d);
        if (!s) continue;
        const tries = s.attempts.map((a) => `${a.method}${s.attempts.some((b) => (b.formulation ?? 0) > 0) ? ` (formulation ${(a.formulation ?? 0) + 1})` : ''}: ${a.status}`).join('; ');
        out.push(`- ${code(d.label, 60)} ${d.order === 1 ? 'gradient' : 'Hessian'}: **${SYMPY_STATUS[s.status]}**${s.detail ? ` — ${s.detail}` : ''}${s.text ? `; answer ${code(s.text, 80)}` : ''}. Tried: ${tries}.`);
      }
      out.push('');
    }
  }

  // families
  out.push('### Growing families');
  out.push('');
  out.push(
    'Answer size against k: the ratio of the gradient\'s graph to the function\'s (the target is at most about 4x, the cheap-gradient ' +
      'principle), and the Hessian\'s size. Printed lengths grow faster than graphs because text has no sharing.',
  );
  out.push('');
  const ratios: { fam: string; k: number; ratio: number }[] = [];
  for (const fam of FAMILIES) {
    const members = r.families.filter((d) => d.family?.name === fam.name);
    const ks = [...new Set(members.map((d) => d.family!.k))].sort((a, b) => a - b);
    out.push(`**${fam.label}**`);
    out.push('');
    const frows = ks.map((k) => {
      const g = members.find((d) => d.family!.k === k && d.order === 1);
      const h = members.find((d) => d.family!.k === k && d.order === 2);
      const ratio = g?.nodes && g.fNodes ? g.nodes / g.fNodes : null;
      if (ratio !== null) ratios.push({ fam: fam.name, k, ratio });
      const sg = g ? sy(g) : undefined, sh = h ? sy(h) : undefined;
      const symCell = (s: SympyResult | undefined, m: DerivResult | undefined): string => {
        if (!sym?.available || !s) return '–';
        if (!answered(s)) return SYMPY_STATUS[s.status] ?? s.status;
        return `${fmtMs(s.median_ms)} (${m?.timing ? fmtRatio(s.median_ms! / m.timing.median) : '–'}), ${s.str_len} chars`;
      };
      return [
        String(k), String(g?.fNodes ?? '–'), String(g?.nodes ?? '–'), ratio === null ? '–' : ratio.toFixed(2), String(h?.nodes ?? '–'),
        String(g?.textLen ?? '–'), String(h?.textLen ?? '–'), fmtMs(g?.timing?.median), fmtMs(h?.timing?.median),
        g?.check ? g.check.verdict : '–', h?.check ? h.check.verdict : '–', symCell(sg, g), symCell(sh, h),
      ];
    });
    out.push(mdTable(['k', 'f nodes', 'gradient nodes', 'gradient / f', 'Hessian nodes', 'gradient chars', 'Hessian chars', 'gradient time', 'Hessian time', 'check (g)', 'check (H)', 'SymPy gradient (x matcalc)', 'SymPy Hessian (x matcalc)'], frows));
    out.push('');
  }
  out.push(`![answer sizes and derivation times of the families](${r.svgLink})`);
  out.push('');
  if (ratios.length) {
    const worst = ratios.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    targets.push({
      target: 'gradient graph at most ~4x the function\'s (families)',
      measured: `largest ratio ${worst.ratio.toFixed(2)}x (${worst.fam}, k = ${worst.k})`,
      met: worst.ratio <= 4.5,
      note: '',
    });
  }
  return out.join('\n');
}

// ------------------------------------------------------------------ evaluation

function rowsFor(e: EvalResults, p: ProblemId, task: Task, n: number): EvalRow[] {
  return e.rows.filter((r) => r.problem === p && r.task === task && r.n === n);
}

const TASK_TITLE: Record<Task, string> = { gradient: 'gradient', hessian: 'Hessian', hvp: 'Hessian-vector product' };

function evaluationSection(r: Report, targets: TargetLine[]): string {
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

// ------------------------------------------------------------------ kernels

const LIB_LABEL: Record<KernelLib, string> = {
  matcalc: 'matcalc', 'ml-matrix': 'ml-matrix', tfjs: 'TensorFlow.js (f32)', jax: 'jax-js (wasm)', 'numpy-1': 'NumPy 1 thread', 'numpy-all': 'NumPy all threads',
};

function kernelsSection(r: Report, targets: TargetLine[]): string {
  const k = r.kernels;
  const out: string[] = [];
  out.push('## 3. Numeric kernels');
  out.push('');
  out.push(
    'GFLOP/s (median time in parentheses) of a product (2n^3 flops), an LU with partial pivoting (2n^3/3), an inverse (2n^3) and a ' +
      'determinant (2n^3/3: an LU), on well-conditioned random Float64 matrices (TensorFlow.js: float32). NumPy ' +
      `${k.numpy.version ?? ''} (OpenBLAS${k.numpy.corename ? `, kernel ${k.numpy.corename}` : ''}) is the reference, run in a subprocess ` +
      'with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, on one thread and on all cores; its LU is `scipy.linalg.lu_factor`.' +
      (k.numpy.reason ? ` **NumPy: ${k.numpy.reason}.**` : ''),
  );
  out.push('');
  const get = (lib: KernelLib, kernel: string, n: number): KernelRow | undefined => k.rows.find((x) => x.lib === lib && x.kernel === kernel && x.n === n);
  const sizes = kernelSizes(r.quick);
  const trows: string[][] = [];
  for (const kernel of KERNELS) {
    for (const n of sizes) {
      const cells = [kernel, String(n)];
      for (const lib of KERNEL_LIBS) {
        const x = get(lib, kernel, n);
        cells.push(x?.gflops !== undefined ? `${x.gflops.toFixed(2)} (${fmtMs(x.ms)})` : '–');
      }
      const mc = get('matcalc', kernel, n)?.gflops;
      const js = JS_LIBS.map((l) => get(l, kernel, n)?.gflops).filter((x): x is number => x !== undefined);
      cells.push(mc !== undefined && js.length ? fmtRatio(mc / Math.max(...js)) : '–');
      const np1 = get('numpy-1', kernel, n)?.gflops;
      cells.push(mc !== undefined && np1 !== undefined ? fmtRatio(mc / np1) : '–');
      trows.push(cells);
    }
  }
  out.push(mdTable(['kernel', 'n', ...KERNEL_LIBS.map((l) => LIB_LABEL[l]), 'matcalc / fastest JS', 'matcalc / NumPy 1 thread'], trows));
  out.push('');
  const notes = [...new Set(k.rows.filter((x) => x.gflops === undefined && x.note).map((x) => `${LIB_LABEL[x.lib]}: ${x.note}`))];
  if (notes.length) {
    for (const n of notes) out.push(`- ${n}`);
    out.push('');
  }
  // target 4
  const mm = sizes.map((n) => {
    const mc = get('matcalc', 'matmul', n)?.gflops;
    const js = JS_LIBS.map((l) => ({ l, g: get(l, 'matmul', n)?.gflops })).filter((x): x is { l: KernelLib; g: number } => x.g !== undefined);
    const best = js.sort((a, b) => b.g - a.g)[0];
    return { n, mc, best };
  }).filter((x) => x.mc !== undefined && x.best);
  if (mm.length) {
    const met = mm.every((x) => x.mc! >= x.best!.g);
    targets.push({
      target: 'matrix product at least as fast as the fastest JS library measured',
      measured: mm.map((x) => `n=${x.n}: ${x.mc!.toFixed(2)} vs ${x.best!.g.toFixed(2)} GFLOP/s ${LIB_LABEL[x.best!.l]} (${fmtRatio(x.mc! / x.best!.g)})`).join('; '),
      met,
      note: '',
    });
  }
  return out.join('\n');
}

// ------------------------------------------------------------------ diagnoses

function diagnoses(r: Report, targets: TargetLine[]): string {
  const out: string[] = ['## Where matcalc falls short, and why', ''];
  const missed = targets.filter((t) => t.met === false);
  if (missed.length === 0) out.push('Every measured target is met in this run.', '');
  const e = r.evaluation;
  const find = (p: ProblemId, task: Task, m: MethodId): EvalRow[] => e.rows.filter((x) => x.problem === p && x.task === task && x.method === m && x.status === 'ok');
  for (const t of missed) {
    if (t.target.startsWith('derivation')) {
      out.push(
        `- **Derivation vs SymPy.** ${t.measured}. Where the ratio is under 100x, both sides are fast in absolute terms (milliseconds): matcalc's time ` +
          'is dominated by simplification (rewriting to a fixed point over the hash-consed graph) rather than by differentiation, and SymPy answers ' +
          'the linear and quadratic trace forms by pattern rules in tens of ms. Where matcalc\'s text is longer, it is because it prints a Hessian ' +
          'by a matrix as a full second differential (both orders of dX1, dX2) while SymPy prints a compact 4-index tensor expression, or ' +
          'because matcalc writes the transposes out (inv(X)\' rather than X.T**(-1)).',
      );
    } else if (t.target.startsWith('exported')) {
      const ratio = (p: ProblemId, m: MethodId): string => {
        const rows = find(p, 'gradient', m);
        const last = rows[rows.length - 1];
        const c = last && find(p, 'gradient', 'closed').find((x) => x.n === last.n);
        return last && c ? `${fmtRatio(last.timing!.median / c.timing!.median)} at n = ${last.n}` : '–';
      };
      out.push(
        `- **Exported gradient vs the closed form.** ${t.measured}. The generated JavaScript is written to be read and to run anywhere, ` +
          'not for speed: matrices are arrays of rows (`number[][]`), a vector argument is copied into an n x 1 matrix (`col`) and back ' +
          '(`flat`), every operation allocates a fresh array (`map`, `hadamard`, `scale`, `epow(t, -1)` for a division), a product with a ' +
          'vector goes through the general `mul` whose inner loop has length 1, and `transpose(X)` is materialised (an n^2 strided copy) ' +
          'before `X\'*r`. The simplified form can add work too: the gradient of x\'*A*x is emitted as `mul(add(A, transpose(A)), x)`, ' +
          'two n x n temporaries before the product, where A*x + A\'*x needs none. For the matrix functions, `solve` refactorises the same ' +
          'matrix at each use (the gradient of tr(inv(X)*A) factors X\' twice, and f factors X once more). The closed form is one or two ' +
          'fused passes over Float64Arrays. matcalc\'s own `evaluate()` of the same derivative, on Float64Array kernels, is ' +
          `${ratio('logistic', 'evaluate')} (logistic) and ${ratio('quad', 'evaluate')} (quadratic) of the closed form, and faster than ` +
          'the naive-loop closed form on the O(n^3) matrix functions (tiled kernels): the gap is the emitter\'s, not the derivative\'s. ' +
          'Fixes, in order of effect: Float64Array storage with a matrix-vector kernel and X\'*v without the transpose, fused elementwise ' +
          'loops, one LU per distinct matrix, and distributing (A + A\')*x when x is a vector.',
      );
    } else if (t.target.startsWith('symbolic Hessians')) {
      const vec = (t.ratios ?? []).filter((x) => x.problem === 'logistic' || x.problem === 'quad');
      const metVec = vec.length > 0 && vec.every((x) => x.ratio >= 10);
      out.push(
        `- **Symbolic Hessians vs autodiff.** ${t.measured}. ` +
          (metVec ? 'By a vector (logistic, quadratic) the symbolic Hessian is a closed matrix expression (X\'*(diag(...) - diag(...))*X, A + A\') evaluated with a few products, and it is well ahead. ' : 'By a vector the symbolic Hessian is a closed matrix expression evaluated with a few products; where it is not 10x ahead, the cost is in matcalc\'s kernels (a dense `diag` times a matrix is an n^3 product where a row scaling is n^2). ') +
          'By a matrix (logdet, tr(inv(X)*A)) matcalc derives the second differential, a scalar bilinear form in dX1, dX2, and produces ' +
          'the n^2 x n^2 matrix by evaluating it on every pair of unit directions: n^4 evaluations, each with dense n x n products (the ' +
          'exported code multiplies full `unit()` matrices; `evaluate()` re-runs the whole graph, inv(X) included, for each pair), ' +
          'O(n^7) in all, the same order as forward-over-forward AD, while jax-js\'s `hessian` is forward over reverse, n^2 batched ' +
          'passes of O(n^3). Reading each entry off as a product of two matrix entries (-Y[j,k]*Y[l,i] for logdet, Y = inv(X): the ' +
          'closed form here, O(n^4)) or emitting the Kronecker form -(inv(X)\' ⊗ inv(X)) with the commutation matrix would remove a ' +
          'factor of n^3; short of that, hoisting the nodes that do not depend on dX2 out of the inner loop and exploiting that ' +
          'tr(M*E_i) is one entry of M would remove a factor of n^2.',
      );
    } else if (t.target.startsWith('matrix product')) {
      out.push(
        `- **Matrix product.** ${t.measured}. matcalc's gemm is register-tiled plain TypeScript on Float64Array; the JS libraries it is ` +
          'compared with run naive loops (ml-matrix, TensorFlow.js\'s CPU backend) or wasm (jax-js). A shortfall at small n is call overhead ' +
          '(allocation of the result, shape checks); at large n, cache blocking.',
      );
    } else if (t.target.startsWith('gradient graph')) {
      out.push(`- **Gradient size.** ${t.measured}: the gradient graph grows faster than the function's in that family; see the table.`);
    }
  }
  out.push('');
  return out.join('\n');
}

// ------------------------------------------------------------------ the document

const NOTES = [
  '## How it is measured, and caveats',
  '',
  '- Sources: `bench/run.ts` (driver), `bench/suite.ts` (the derivation suite and families, in both languages), `bench/sympy-driver.py` ' +
    '(the SymPy side), `bench/evaluation.ts` and `bench/closed.ts` (evaluation, closed forms), `bench/kernels.ts`. ' +
    '`npm run bench -- --quick --out FILE` is the small version the tests run.',
  '- Times are medians of repeated runs after one first call (reported apart for derivations); a computation slower than its time ' +
    'budget runs once or twice, which the tables mark "(1 run)". Input conversion to each library\'s format is done before timing.',
  '- The hand-written closed forms use plain loops (no blocking): they are the limit for the O(n^2) problems; for the O(n^3) matrix ' +
    'functions, matcalc\'s tiled kernels beat them, so "x closed" under 1 is possible there.',
  '- TensorFlow.js computes in float32 (errors near 1e-7 are its rounding). Its logistic loss is written with `softplus`: with ' +
    '`log1p(exp(.))`, nested `tf.grad` returns a wrong Hessian without an error (the notes of that table give the measured error) ' +
    'because the gradient of `exp` reuses its saved output, which the outer `tf.grad` does not differentiate through.',
  '- jax-js runs on its wasm device in float64 and is jit-compiled for the logistic and quadratic problems; `jit` cannot trace its ' +
    'linalg routines in 0.1.25 (`triangular_solve input is not imm`), so logdet and tr(inv(X)*A) run eagerly. Its exp and log are about ' +
    'float32-accurate on wasm (errors near 1e-8 on the logistic loss). `hessian` takes 1-D inputs: a matrix variable is flattened. ' +
    '`jacrev` of a scalar function is wrong in 0.1.25 and is not used.',
  '- The symbolic Hessian-vector product is the gradient of v\'*g, g the symbolic gradient, built on the graph (a program over the ' +
    'same variables and v). It is not built from the printed gradient because that text does not always parse back: `toText` prints ' +
    'an n x 1 vector of ones as `ones`, which the parser cannot size (`ones + exp(...)` is a shape error).',
  '- SymPy answers are checked numerically in 30-digit arithmetic against central differences of f; a Hessian counts as right if some ' +
    'order of its four indices matches. A timeout, an exception, an unevaluated `Derivative`, an answer that does not evaluate, or a ' +
    'wrong one, counts as no answer; only checked answers enter the ratios.',
  '- The machine has 2 cores and was shared with other work while this ran (see the load average): single-threaded numbers move by a ' +
    'few per cent between runs; NumPy on all threads can lose its second core entirely.',
  '',
].join('\n');

export function renderMarkdown(r: Report): string {
  const targets: TargetLine[] = [];
  const deriv = derivationSection(r, targets);
  const evals = evaluationSection(r, targets);
  const kern = kernelsSection(r, targets);
  const diag = diagnoses(r, targets);
  const m = r.machine;
  const head: string[] = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench${r.quick ? ' -- --quick' : ''}\` on ${m.date} in ${(r.totalMs / 1000).toFixed(0)} s` +
      (r.quick ? ' — **quick mode**: tiny sizes and few repeats, to check that the benchmark runs; its numbers say little.' : '.') +
      ' Every ratio is measured side by side in this one run; times are medians over repeated runs. Do not edit: rerun.',
    '',
    '## Machine and versions',
    '',
    mdTable(['', ''], [
      ['OS', m.os],
      ['CPU', `${m.cpu}, ${m.cores} cores`],
      ['memory', `${m.memoryGiB} GiB`],
      ['load average at start / end', `${r.load.start.map((x) => x.toFixed(2)).join(' ')} / ${r.load.end.map((x) => x.toFixed(2)).join(' ')}`],
      ...Object.entries(r.versions).map(([k, v]) => [k, v]),
    ], ['l', 'l']),
    '',
    'A load average above zero at the start means other processes shared the cores: single-threaded times are then a little noisy, and ' +
      'NumPy on all threads is the most affected.',
    '',
    '## Targets',
    '',
    mdTable(['target', 'measured', 'verdict', 'note'], targets.map((t) => [t.target, t.measured, yesNo(t.met), t.note]), ['l', 'l', 'l', 'l']),
    '',
  ];
  return [...head, deriv, '', evals, '', kern, '', diag, NOTES].join('\n');
}

export function renderSvg(r: Report): string {
  const panels: Panel[] = [];
  const sym = r.sympy;
  for (const fam of FAMILIES) {
    const members = r.families.filter((d) => d.family?.name === fam.name);
    const pts = (order: 1 | 2, f: (d: DerivResult) => number | undefined): [number, number][] =>
      members.filter((d) => d.order === order).map((d) => [d.family!.k, f(d) ?? NaN] as [number, number]);
    panels.push({
      title: `${fam.short}: graph size`,
      xLabel: 'k', yLabel: 'distinct nodes',
      series: [
        { name: 'f', color: '#888888', points: pts(1, (d) => d.fNodes) },
        { name: 'gradient', color: '#1f77b4', points: pts(1, (d) => d.nodes) },
        { name: 'Hessian', color: '#d62728', points: pts(2, (d) => d.nodes) },
        { name: '4 x f', color: '#2ca02c', dash: true, points: pts(1, (d) => (d.fNodes ? 4 * d.fNodes : undefined)) },
      ],
    });
  }
  for (const fam of FAMILIES) {
    const members = r.families.filter((d) => d.family?.name === fam.name);
    const pts = (order: 1 | 2): [number, number][] => members.filter((d) => d.order === order && d.timing).map((d) => [d.family!.k, d.timing!.median]);
    const spts = (order: 1 | 2): [number, number][] => members.filter((d) => d.order === order).flatMap((d) => {
      const s = sym?.results.get(sympyKey(d.id, order));
      return answered(s) && s!.median_ms ? [[d.family!.k, s!.median_ms] as [number, number]] : [];
    });
    panels.push({
      title: `${fam.short}: time to derive`,
      xLabel: 'k', yLabel: 'ms (median)',
      series: [
        { name: 'matcalc gradient', color: '#1f77b4', points: pts(1) },
        { name: 'matcalc Hessian', color: '#d62728', points: pts(2) },
        { name: 'SymPy gradient (right answers)', color: '#1f77b4', dash: true, points: spts(1) },
        { name: 'SymPy Hessian (right answers)', color: '#d62728', dash: true, points: spts(2) },
      ],
    });
  }
  return chart(`matcalc derivation families (${r.machine.date.slice(0, 10)}${r.quick ? ', quick mode' : ''})`, panels);
}
