/** Turning answers into DOM: formulas typeset with KaTeX, shapes in words, the derivation's steps,
 *  the code tabs and the numeric check. Every function here builds from data and never throws on
 *  odd input: a formula KaTeX cannot typeset shows its source and a notice instead. */
import katex from 'katex';
import type { DeriveAnswer, ShapeText, Step } from '../api/index.js';
import type { CodeLang, Problem, Verification } from './protocol.js';

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/** Longer formulas are typeset only on request: KaTeX runs on the page's thread. */
export const MAX_TEX = 6000;

/** Typesets `latex` into `host`; on a KaTeX error, shows the source in red and says why. A formula
 *  longer than MAX_TEX waits behind a button, so that a huge answer never freezes the page. */
export function typeset(host: HTMLElement, latex: string, display = true, force = false): void {
  host.replaceChildren();
  if (latex.length > MAX_TEX && !force) {
    const b = h('button', { type: 'button', class: 'typeset' }, 'Typeset it');
    b.addEventListener('click', () => typeset(host, latex, display, true));
    host.append(h('p', { class: 'tex-notice' }, `A long formula (${latex.length.toLocaleString('en')} characters of LaTeX): its text form is below. `, b));
    return;
  }
  try {
    katex.render(latex, host, { displayMode: display, throwOnError: true, strict: 'ignore', output: 'htmlAndMathml' });
  } catch (e) {
    try {
      katex.render(latex, host, { displayMode: display, throwOnError: false, strict: 'ignore' });
    } catch {
      host.replaceChildren(h('code', {}, latex));
    }
    const why = e instanceof Error ? e.message : String(e);
    host.append(h('p', { class: 'tex-notice', role: 'note' }, `This formula could not be typeset (${why}); its text form is shown below.`));
  }
}

const GREEK = new Set(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'eta', 'kappa', 'lambda', 'mu', 'nu', 'rho', 'sigma', 'tau', 'omega', 'theta', 'phi', 'psi', 'Sigma', 'Lambda', 'Omega', 'Theta', 'Phi', 'Gamma', 'Delta']);

/** A variable's name as LaTeX: `W1` -> `W_{1}`, `alpha` -> `\alpha`, `x_old` -> `x_{\mathrm{old}}`. */
export function texName(name: string): string {
  const m = /^([A-Za-z]+)(\d*)$/.exec(name);
  if (m) {
    const base = GREEK.has(m[1]!) ? `\\${m[1]}` : m[1]!.length > 1 ? `\\mathrm{${m[1]}}` : m[1]!;
    return m[2] ? `${base}_{${m[2]}}` : base;
  }
  const [head, ...rest] = name.split('_');
  return `${head ? texName(head) : ''}_{\\mathrm{${rest.join('\\_')}}}`;
}

const isOne = (d: string): boolean => d === '1';
/** A shape in words: `scalar`, `vector (n)`, `n × m matrix`. */
export function shapeWords(s: ShapeText): string {
  if (isOne(s[0]) && isOne(s[1])) return 'scalar (1 × 1)';
  if (isOne(s[1])) return `column vector, ${s[0]} × 1`;
  if (isOne(s[0])) return `row vector, 1 × ${s[1]}`;
  return `${s[0]} × ${s[1]} matrix`;
}

/** What the answer is, in words, and the left-hand side it is typeset with. */
function lead(a: DeriveAnswer, p: Problem): { words: string; tex: string } {
  const x = texName(p.wrt);
  const byMatrix = !!a.shapes[p.wrt] && !isOne(a.shapes[p.wrt]![1]);
  switch (a.kind) {
    case 'gradient':
      return { words: `Gradient of f by ${p.wrt}`, tex: `\\nabla_{${x}} f =` };
    case 'jacobian':
      return { words: `Jacobian of f by ${p.wrt}`, tex: `\\frac{\\partial f}{\\partial ${x}} =` };
    case 'differential':
      return { words: `Differential of f, linear in d${p.wrt}`, tex: `\\mathrm{d}f =` };
    case 'hessian':
      return byMatrix
        ? { words: `Second differential of f, bilinear in d${p.wrt}1 and d${p.wrt}2 (the Hessian by ${p.wrt})`, tex: `\\mathrm{d}^2 f =` }
        : { words: `Hessian of f by ${p.wrt}`, tex: `\\nabla^2_{${x}} f =` };
  }
}

/** A formula with its text form and a line about its shape. */
function formula(cls: string, tex: string, text: string, meta: string): HTMLElement {
  const host = h('div', { class: 'katex-host' });
  typeset(host, tex);
  return h('div', { class: `formula ${cls}` }, host,
    h('p', { class: 'text-form' }, h('span', { class: 'sr-only' }, 'As text: '), h('code', { class: 'expr-text' }, text)),
    h('p', { class: 'meta' }, meta));
}

export function renderAnswer(host: HTMLElement, a: DeriveAnswer, p: Problem, ms: number): void {
  const parts: HTMLElement[] = [];
  const names = Object.keys(a.shapes);
  if (a.function) {
    const args = names.map(texName).join(', ');
    parts.push(formula('function', `f(${args}) = ${a.function.latex}`, a.function.text, `f is a ${shapeWords(a.function.shape)}`));
  }
  const l = lead(a, p);
  if (a.derivative) {
    const el = formula('derivative', `${l.tex} ${a.derivative.latex}`, a.derivative.text, `${l.words}: ${shapeWords(a.derivative.shape)}`);
    el.querySelector('.expr-text')!.id = 'answer-text';
    parts.push(el);
  } else {
    parts.push(h('p', { class: 'meta' }, `${l.words}: no symbolic form in this answer.`));
  }
  const shapes = h('p', { class: 'shapes' }, 'Shapes: ');
  names.forEach((n, i) => {
    if (i) shapes.append(' · ');
    shapes.append(h('code', {}, n), ` ${a.shapes[n]![0]} × ${a.shapes[n]![1]}`);
  });
  shapes.append(h('span', { class: 'timing' }, ` (derived in ${ms < 1 ? '<1' : Math.round(ms)} ms)`));
  parts.push(shapes);
  host.replaceChildren(...parts);
}

export function renderSteps(list: HTMLOListElement, steps: Step[]): void {
  list.replaceChildren(...steps.map((s) => {
    const host = h('div', { class: 'katex-host' });
    typeset(host, s.latex);
    return h('li', { 'data-rule': s.rule },
      h('p', { class: 'step-label' }, s.label, ' ', h('code', { class: 'rule-id' }, s.rule)),
      host,
      h('p', { class: 'text-form' }, h('code', {}, s.text)));
  }));
}

export const LANG_NAMES: Record<CodeLang, string> = { ts: 'TypeScript', js: 'JavaScript', numpy: 'NumPy' };

const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(4) : x.toExponential(2));

export function renderVerification(host: HTMLElement, v: Verification | null, error: { message: string } | null): void {
  const rows: HTMLElement[] = [];
  if (!v) {
    rows.push(h('p', { class: 'verdict warn' }, `The numeric check could not run: ${error?.message ?? 'no answer'}`));
    host.replaceChildren(...rows);
    return;
  }
  if (v.error === null) {
    rows.push(h('p', { class: 'verdict warn' }, v.note ?? 'The numeric check found no point to compare at.'));
  } else {
    rows.push(h('p', { class: `verdict ${v.ok ? 'pass' : 'fail'}`, 'data-verdict': v.ok ? 'pass' : 'fail' },
      h('span', { class: 'mark', 'aria-hidden': 'true' }, v.ok ? '✓ ' : '✗ '),
      v.ok ? 'Agrees with finite differences' : 'Does not agree with finite differences',
      `: largest relative error ${fmt(v.error)} over ${v.compared} number${v.compared === 1 ? '' : 's'} (tolerance ${fmt(v.tolerance)}).`));
    const dims = Object.entries(v.dims).map(([k, n]) => `${k} = ${n}`).join(', ');
    rows.push(h('p', { class: 'meta' }, `Symbolic derivative against central finite differences of f at a random point${dims ? ` with ${dims}` : ''}.`));
    if (v.agreement !== null) rows.push(h('p', { class: 'meta' }, `Dual numbers (forward-mode AD) against the symbolic numbers: ${fmt(v.agreement)}.`));
    const point = h('details', { class: 'point' }, h('summary', {}, 'The point'),
      h('pre', {}, Object.entries(v.point).map(([k, x]) => `${k} = ${JSON.stringify(x, (_, y: unknown) => (typeof y === 'number' ? Number(y.toPrecision(4)) : y))}`).join('\n')));
    rows.push(point);
  }
  if (v.check) {
    const e = v.check.errors;
    const part = (name: string, x: number | null): string => `${name} ${x === null ? 'skipped' : fmt(x)}`;
    rows.push(h('p', { class: `verdict ${v.check.verdict}`, 'data-check': v.check.verdict },
      `matcalc check (${v.check.points} point${v.check.points === 1 ? '' : 's'}): ${v.check.verdict}; `,
      [part('finite differences', e.finiteDifferences), part('dual numbers', e.dual), part('1 × 1 reduction', e.oneByOne)].join(', '), '.'));
  }
  host.replaceChildren(...rows);
}
