/** Human output: numbers to about six significant digits, matrices as rows
 *  aligned on the decimal point, shapes in dimension names with their sizes,
 *  derivation steps aligned on '='. */
import type { CheckAnswer, DeriveAnswer, EvalAnswer, ShapeText, Step, Value } from '../api/index.js';

/** Up to six significant digits; exponent form for very large or very small magnitudes. */
export const formatNumber = (x: number): string => {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const ax = Math.abs(x);
  if (ax >= 1e6 || ax < 1e-4) {
    const [mantissa, exponent] = x.toExponential(5).split('e') as [string, string];
    return `${mantissa.replace(/\.?0+$/, '')}e${exponent.replace(/^\+/, '')}`;
  }
  return String(Number(x.toPrecision(6)));
};

/** A relative error, to three digits. */
export const formatError = (e: number): string => (e === 0 ? '0' : e.toExponential(2).replace(/e\+?/, 'e'));

/** Rows of cells, each column aligned on the decimal point (or the exponent, or the end). */
const alignRows = (rows: string[][]): string[] => {
  const split = (s: string): [string, string] => {
    let i = s.indexOf('.');
    if (i < 0) i = s.indexOf('e');
    if (i < 0) i = s.length;
    return [s.slice(0, i), s.slice(i)];
  };
  const parts = rows.map((r) => r.map(split));
  const cols = Math.max(0, ...rows.map((r) => r.length));
  const left: number[] = [];
  const right: number[] = [];
  for (let j = 0; j < cols; j++) {
    left.push(Math.max(0, ...parts.map((r) => r[j]?.[0].length ?? 0)));
    right.push(Math.max(0, ...parts.map((r) => r[j]?.[1].length ?? 0)));
  }
  return parts.map((r) =>
    `[ ${r.map(([a, b], j) => a.padStart(left[j]!) + b.padEnd(right[j]!)).join('  ')} ]`);
};

/** A value as lines: a number alone, a vector as a column, a matrix as rows. */
export const formatValue = (v: Value): string[] => {
  if (typeof v === 'number') return [formatNumber(v)];
  if (v.length === 0) return ['[ ]'];
  const rows = v.map((row) => (Array.isArray(row) ? row : [row]));
  return alignRows(rows.map((row) => row.map(formatNumber)));
};

/** The size of a dimension text ("n", "3", "m*n") under `dims`, or null if not known. */
const sizeOf = (dim: string, dims: Record<string, number>): number | null => {
  let size = 1;
  for (const factor of dim.split('*')) {
    const f = factor.trim();
    const n = /^\d+$/.test(f) ? Number(f) : dims[f];
    if (n === undefined) return null;
    size *= n;
  }
  return size;
};

/** "n x n = 2 x 2", or "2 x 3" when the shape is in numbers already. */
export const formatShape = (shape: ShapeText, dims: Record<string, number> = {}): string => {
  const text = `${shape[0]} x ${shape[1]}`;
  const sizes = shape.map((d) => sizeOf(d, dims));
  if (sizes.some((s) => s === null)) return text;
  const numeric = `${sizes[0]} x ${sizes[1]}`;
  return numeric === text ? text : `${text} = ${numeric}`;
};

const indent = (lines: string[], by = '  '): string[] => lines.map((l) => by + l);

/** "X: n x n, a: n x 1", and the sizes of the dimensions once known. */
const formatShapes = (shapes: Record<string, ShapeText>, dims: Record<string, number>): string[] => {
  const lines = [`variables: ${Object.entries(shapes).map(([k, s]) => `${k}: ${s[0]} x ${s[1]}`).join(', ')}`];
  const known = Object.entries(dims);
  if (known.length) lines.push(`dimensions: ${known.map(([k, n]) => `${k} = ${n}`).join(', ')}`);
  return lines;
};

export const formatEval = (a: EvalAnswer): string => {
  const lines = formatValue(a.value);
  lines.push(`shape: ${formatShape(a.shape, a.dims)}`);
  return lines.join('\n') + '\n';
};

/** The first '=' of a step, outside any brackets or braces: lhs and rhs. */
const splitStep = (text: string): [string, string] => {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === '=' && depth === 0) return [text.slice(0, i).trim(), text.slice(i + 1).trim()];
  }
  return ['', text.trim()];
};

/** Steps as text, one per line, the '=' signs in a column and the labels in another:
 *    df = rhs1    [label]
 *       = rhs2    [label] */
export const formatSteps = (steps: Step[]): string[] => {
  const split = steps.map((s) => splitStep(s.text));
  const lhsWidth = Math.max(0, ...split.map(([l]) => l.length));
  const rhsWidth = Math.min(72, Math.max(0, ...split.map(([, r]) => r.length)));
  let previous: string | null = null;
  return split.map(([lhs, rhs], i) => {
    const shown = lhs === previous ? '' : lhs;
    previous = lhs;
    return `${shown.padEnd(lhsWidth)} = ${rhs.padEnd(rhsWidth)}    [${steps[i]!.label}]`.trimEnd();
  });
};

const latexText = (s: string): string => s.replace(/[\\{}&%$#_^~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : `\\${c}`));

/** Steps as one LaTeX aligned block: '&' before each first top-level '='. */
export const formatStepsLatex = (steps: Step[]): string[] => {
  const rows = steps.map((s, i) => {
    const [lhs, rhs] = splitStep(s.latex);
    const previous = i > 0 ? splitStep(steps[i - 1]!.latex)[0] : null;
    const left = lhs === previous ? '' : lhs;
    return `  ${left} &= ${rhs} && \\text{${latexText(s.label)}}`;
  });
  return ['\\begin{aligned}', rows.join(' \\\\\n'), '\\end{aligned}'];
};

export interface DeriveView { wrt: string; latex: boolean; steps: boolean }

const BY_VEC = { differential: 'jacobian of vec(f) by vec', hessian: 'hessian by vec' } as const;

export const formatDerive = (a: DeriveAnswer, view: DeriveView): string => {
  if (a.code !== undefined) return a.code.endsWith('\n') ? a.code : `${a.code}\n`;
  const pick = (p: { text: string; latex: string }): string => (view.latex ? p.latex : p.text);
  const out: string[] = [];
  const wrtShape = a.shapes[view.wrt];
  const byMatrix = wrtShape !== undefined && wrtShape[1] !== '1';
  if (a.function) out.push(`f = ${pick(a.function)}`);
  if (view.steps && a.steps?.length) {
    out.push('', 'steps:', ...indent(view.latex ? formatStepsLatex(a.steps) : formatSteps(a.steps)));
  }
  if (a.derivative) {
    if (a.function && view.steps && a.steps?.length) out.push('');
    out.push(`${a.kind} by ${view.wrt} (${formatShape(a.derivative.shape, a.dims)}):`);
    out.push(`  ${pick(a.derivative)}`);
    if (a.kind === 'differential') out.push(`  (linear in d${view.wrt})`);
    if (a.kind === 'hessian' && byMatrix) out.push(`  (the second differential, bilinear in d${view.wrt}1 and d${view.wrt}2)`);
  } else {
    out.push(`${a.kind} by ${view.wrt}, by dual numbers`);
  }
  out.push('', ...formatShapes(a.shapes, a.dims));
  if (a.value !== undefined || a.derivativeValue !== undefined) {
    out.push('', 'at the given point:');
    if (a.value !== undefined) {
      const v = formatValue(a.value);
      out.push(...(v.length === 1 ? [`  f = ${v[0]}`] : ['  f =', ...indent(v, '    ')]));
    }
    if (a.derivativeValue !== undefined) {
      const label = a.kind === 'differential' || (a.kind === 'hessian' && byMatrix)
        ? `${BY_VEC[a.kind]}(${view.wrt})` : a.kind;
      const v = formatValue(a.derivativeValue);
      out.push(...(v.length === 1 ? [`  ${label} = ${v[0]}`] : [`  ${label} =`, ...indent(v, '    ')]));
    }
  }
  if (a.agreement !== undefined) out.push('', `agreement of symbolic and dual numbers: ${formatError(a.agreement)} (relative)`);
  return out.join('\n') + '\n';
};

export const formatCheck = (a: CheckAnswer, wrt: string, order: 1 | 2): string => {
  const what = order === 2 ? 'second derivative' : 'derivative';
  const verdict = a.verdict === 'pass'
    ? `pass: the ${what} by ${wrt} agrees at ${a.points} point${a.points === 1 ? '' : 's'}`
    : `FAIL: the ${what} by ${wrt} disagrees (${a.points} point${a.points === 1 ? '' : 's'} tried)`;
  const row = (label: string, e: number | null): string => `    ${label.padEnd(22)}${e === null ? 'skipped' : formatError(e)}`;
  return [
    verdict,
    '  largest relative error against',
    row('finite differences', a.errors.finiteDifferences),
    row('dual numbers', a.errors.dual),
    row('the 1 x 1 reduction', a.errors.oneByOne),
  ].join('\n') + '\n';
};
