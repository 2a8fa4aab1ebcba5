/** The derivation section of BENCHMARKS.md, and the families' plot. */
import type { DerivResult } from './derivation.js';
import { answered, geomean, SYMPY_STATUS, type Report, type TargetLine } from './report-common.js';
import { chart, type Panel } from './svg.js';
import { FAMILIES } from './suite.js';
import { sympyKey, type SympyResult } from './sympy.js';
import { code, fmtMs, fmtRatio, mdTable } from './util.js';

export function derivationSection(r: Report, targets: TargetLine[]): string {
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
      ok ? `${fmtMs(s!.median_ms)} (${fmtMs(s!.first_ms)})` : '–',
      ok ? `${s!.count_ops ?? '–'} / ${s!.str_len ?? '–'}` : '–',
      fmtRatio(speed), size === null ? '–' : size.toFixed(2),
    ];
  });
  out.push(mdTable(
    ['f', 'by', 'derivative', 'matcalc', 'first call', 'nodes', 'chars', 'check', 'SymPy', 'SymPy time (first call)', 'SymPy ops / chars', 'SymPy time / matcalc', 'chars matcalc / SymPy'],
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
    const slow = both.filter((d) => sy(d)!.median_ms! / d.timing!.median < 100)
      .map((d) => `${code(d.label)} ${d.order === 1 ? 'gradient' : 'Hessian'}: SymPy ${fmtMs(sy(d)!.median_ms)}, matcalc ${fmtMs(d.timing!.median)} (${fmtRatio(sy(d)!.median_ms! / d.timing!.median)})`);
    const longer = both.filter((d) => (d.textLen ?? Infinity) > (sy(d)!.str_len ?? 0))
      .map((d) => `${code(d.label)} ${d.order === 1 ? 'gradient' : 'Hessian'}: matcalc ${code(d.text ?? '')} (${d.textLen} chars) against SymPy ${code(sy(d)!.text ?? '')} (${sy(d)!.str_len})`);
    targets.push({
      target: 'derivation at least 100x faster than SymPy on the suite, answers no larger',
      measured: `SymPy answered ${both.length} of ${total}; on those, SymPy time / matcalc time (medians): geometric mean ${fmtRatio(geomean(speeds))}, ` +
        `min ${fmtRatio(Math.min(...speeds))}, max ${fmtRatio(Math.max(...speeds))} (${fast} of ${both.length} at 100x or more); ` +
        `first calls (cold caches): geometric mean ${fmtRatio(geomean(both.map((d) => sy(d)!.first_ms! / d.timing!.first)))}; ` +
        `matcalc's printed answer no longer than SymPy's in ${smaller.length} of ${both.length}`,
      met,
      note: met ? '' : 'see "Where matcalc falls short"',
      extra: [slow.length ? `Under 100x: ${slow.join('; ')}.` : '', longer.length ? `Longer than SymPy's: ${longer.join('; ')}; the simplifier leaves a scalar factor distributed over a difference, or a minus outside a product, where pulling it out would be shorter.` : ''].filter(Boolean).join(' '),
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
