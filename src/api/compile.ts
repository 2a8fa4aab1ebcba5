/** A request's expression and declarations, checked and compiled to a typed graph. */
import { fail } from '../ir/errors.js';
import { elaborate, type Program } from '../lang/elaborate.js';
import { parseDeclaration } from '../lang/kinds.js';
import type { ShapeText } from './types.js';

const MAX_EXPR = 4_000_000;

export function requireFields(req: unknown, fields: Record<string, 'string' | 'object' | 'number' | 'boolean'>, optional: string[] = []): Record<string, unknown> {
  if (typeof req !== 'object' || req === null || Array.isArray(req)) fail('bad-request', 'the request must be a JSON object', null, 'request');
  const r = req as Record<string, unknown>;
  for (const [k, t] of Object.entries(fields)) {
    if (!(k in r) || r[k] === undefined || r[k] === null) {
      if (optional.includes(k)) continue;
      fail('bad-request', `the request needs '${k}' (${t === 'object' ? 'an object' : `a ${t}`})`, null, k === 'expr' || k === 'wrt' || k === 'order' ? k : 'request');
    }
    const ok = t === 'object' ? typeof r[k] === 'object' && !Array.isArray(r[k]) : typeof r[k] === t;
    if (!ok) fail(k === 'order' ? 'bad-order' : 'bad-request', `'${k}' must be ${t === 'object' ? 'an object' : `a ${t}`}, got ${JSON.stringify(r[k])}`, null, ['expr', 'wrt', 'order'].includes(k) ? k : 'request');
  }
  return r;
}

export function compile(expr: string, vars: Record<string, unknown>): Program {
  if (expr.length > MAX_EXPR) fail('too-large', `the expression is ${expr.length} characters; the limit is ${MAX_EXPR}`, null);
  const decls = Object.entries(vars).map(([name, kind]) => parseDeclaration(name, kind));
  return elaborate(expr, decls);
}

export const shapesText = (p: Program): Record<string, ShapeText> =>
  Object.fromEntries(Object.entries(p.shapes).map(([k, s]) => [k, [s[0], s[1]] as ShapeText]));

export const symmetricVars = (p: Program): Set<string> => new Set(p.decls.filter((d) => d.kind === 'symmetric').map((d) => d.name));
