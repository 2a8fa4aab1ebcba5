/** Values in and out, laid out by shape (LANGUAGE.md): a number, a flat array (a column), or rows.
 *  Binding values to a program fixes the sizes of its dimensions, checked against every declaration. */
import { factorsOf, type Shape } from '../ir/dims.js';
import { fail } from '../ir/errors.js';
import { Matrix } from '../numeric/matrix.js';
import type { Env } from '../numeric/evaluate.js';
import type { Value } from './types.js';

export function toValue(m: Matrix): Value {
  if (m.rows === 1 && m.cols === 1) return m.data[0]!;
  if (m.cols === 1) return Array.from(m.data);
  return m.toRows();
}

const isNum = (x: unknown): x is number => typeof x === 'number';

export function fromValue(v: unknown, name: string): Matrix {
  const where = `at.${name}`;
  const check = (x: unknown): number => {
    if (!isNum(x)) return fail('bad-value', `${where}: ${JSON.stringify(x) ?? String(x)} is not a number`, null, where);
    if (!Number.isFinite(x)) return fail('not-finite', `${where}: the value ${x} is not finite`, null, where);
    return x;
  };
  if (isNum(v)) return Matrix.scalar(check(v));
  if (Array.isArray(v) && v.length > 0) {
    if (v.every((x) => !Array.isArray(x))) return Matrix.fromColumn(v.map(check));
    if (v.every((x) => Array.isArray(x))) {
      const rows = v as unknown[][];
      const c = rows[0]!.length;
      if (c === 0) fail('bad-value', `${where}: a row is empty`, null, where);
      rows.forEach((r, i) => {
        if (r.length !== c) fail('bad-value', `${where}: row ${i + 1} has ${r.length} entries, row 1 has ${c}`, null, where);
      });
      return Matrix.fromRows(rows.map((r) => r.map(check)));
    }
  }
  return fail('bad-value', `${where}: want a number, an array of numbers (a column), or an array of rows`, null, where);
}

/** Values bound to declared shapes: every dimension's size, each consistent with every value. */
export function bindValues(shapes: Readonly<Record<string, Shape>>, at: Readonly<Record<string, unknown>>, symmetric: ReadonlySet<string>): Env {
  const values = new Map<string, Matrix>();
  const sizes: Record<string, number> = {};
  const from: Record<string, string> = {};
  for (const name of Object.keys(at)) {
    if (!(name in shapes)) fail('bad-value', `at.${name}: '${name}' is not a declared variable`, null, `at.${name}`);
  }
  // constraints "dimension d has size k", solved by division where one name is unknown
  const pending: { dim: string; size: number; name: string; axis: string }[] = [];
  for (const [name, shape] of Object.entries(shapes)) {
    if (!(name in at)) continue;
    let m = fromValue(at[name], name);
    // a scalar declared as a vector of unknown length, or a vector given as one-number rows, is laid out by declaration
    if (m.cols !== 1 && m.rows !== 1 && shape[1] === '1' && m.cols === 1) m = new Matrix(m.rows, 1, m.data);
    pending.push({ dim: shape[0], size: m.rows, name, axis: 'rows' }, { dim: shape[1], size: m.cols, name, axis: 'columns' });
    values.set(name, m);
  }
  let progress = true;
  while (pending.length && progress) {
    progress = false;
    for (let i = 0; i < pending.length; i++) {
      const c = pending[i]!;
      const { coef, names } = factorsOf(c.dim);
      const unknown = names.filter((n) => sizes[n] === undefined);
      const known = names.filter((n) => sizes[n] !== undefined).reduce((p, n) => p * sizes[n]!, coef);
      const decl = `${shapes[c.name]![0]} x ${shapes[c.name]![1]}`;
      const got = `${values.get(c.name)!.rows} x ${values.get(c.name)!.cols}`;
      if (unknown.length === 0) {
        if (known !== c.size) {
          const other = names.map((n) => from[n]).find((f) => f && f !== c.name);
          fail('bad-value', `at.${c.name}: the value is ${got}, but ${c.name} is ${decl}${other ? ` and ${other} fixes ${names.map((n) => `${n} = ${sizes[n]}`).join(', ')}` : ''}`, null, `at.${c.name}`);
        }
      } else if (unknown.length === 1) {
        const s = c.size / known;
        if (!Number.isInteger(s) || s < 1) fail('bad-value', `at.${c.name}: the value is ${got}, which does not fit ${decl}`, null, `at.${c.name}`);
        sizes[unknown[0]!] = s;
        from[unknown[0]!] = c.name;
      } else continue;
      pending.splice(i--, 1);
      progress = true;
    }
  }
  for (const name of symmetric) {
    const m = values.get(name);
    if (!m) continue;
    let scaleMax = 0;
    for (const x of m.data) scaleMax = Math.max(scaleMax, Math.abs(x));
    for (let i = 0; i < m.rows; i++) for (let j = 0; j < i; j++) {
      if (Math.abs(m.get(i, j) - m.get(j, i)) > 1e-12 * Math.max(1, scaleMax)) {
        fail('bad-value', `at.${name}: ${name} is declared symmetric, but entries (${i + 1},${j + 1}) and (${j + 1},${i + 1}) differ: ${m.get(i, j)} vs ${m.get(j, i)}`, null, `at.${name}`);
      }
    }
  }
  return { values, sizes };
}
