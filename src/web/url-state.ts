/** The whole problem in the page's address, so that a link reopens it:
 *  `?expr=x'*A*x&vars=x:vector;A:matrix(n,n)&wrt=x&order=1`. Kinds are written as LANGUAGE.md writes
 *  them (`matrix(m,n)`), declarations joined by ';'. */
import type { KindName } from '../lang/kinds.js';

export const KINDS: readonly KindName[] = ['scalar', 'vector', 'matrix', 'symmetric'];

/** One variable as the page holds it: a kind and its dimensions as typed ('' for none, or `n,n`). */
export interface VarChoice { name: string; kind: KindName; dims: string }
export interface Problem { expr: string; vars: VarChoice[]; wrt: string; order: 1 | 2 }

/** The kind as the API reads it: `matrix`, `matrix(n,n)`; a scalar takes no dimensions. */
export const kindText = (v: Pick<VarChoice, 'kind' | 'dims'>): string =>
  v.kind === 'scalar' || v.dims.trim() === '' ? v.kind : `${v.kind}(${v.dims.split(',').map((d) => d.trim()).join(',')})`;

/** `matrix(n, n)` -> { kind: 'matrix', dims: 'n,n' }; null when it is not a kind. */
export function parseKindText(text: string): Pick<VarChoice, 'kind' | 'dims'> | null {
  const m = /^\s*([a-z]+)\s*(?:\(([^()]*)\))?\s*$/.exec(text);
  if (!m || !(KINDS as readonly string[]).includes(m[1]!)) return null;
  return { kind: m[1] as KindName, dims: (m[2] ?? '').split(',').map((d) => d.trim()).filter(Boolean).join(',') };
}

/** `X:matrix(n,n);a:vector` -> choices, skipping what does not read as `name:kind`. */
export function parseVars(text: string): VarChoice[] {
  const out: VarChoice[] = [];
  for (const part of text.split(';')) {
    const i = part.indexOf(':');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    const k = parseKindText(part.slice(i + 1));
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && k && !out.some((v) => v.name === name)) out.push({ name, ...k });
  }
  return out;
}

export const formatVars = (vars: readonly VarChoice[]): string => vars.map((v) => `${v.name}:${kindText(v)}`).join(';');

/** encodeURIComponent, keeping the characters a query value may hold as they are, for a readable link. */
const encode = (s: string): string =>
  encodeURIComponent(s).replace(/%(3A|3B|2C|2F|40)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** The query string (with its '?') for a problem. */
export function toQuery(p: Problem): string {
  const parts = [`expr=${encode(p.expr)}`];
  if (p.vars.length) parts.push(`vars=${encode(formatVars(p.vars))}`);
  if (p.wrt) parts.push(`wrt=${encode(p.wrt)}`);
  parts.push(`order=${p.order}`);
  return `?${parts.join('&')}`;
}

/** What a query string says of the problem; absent fields stay absent. */
export function fromQuery(search: string): Partial<Problem> {
  const q = new URLSearchParams(search);
  const out: Partial<Problem> = {};
  const expr = q.get('expr');
  if (expr !== null) out.expr = expr;
  const vars = q.get('vars');
  if (vars !== null) out.vars = parseVars(vars);
  const wrt = q.get('wrt');
  if (wrt) out.wrt = wrt.trim();
  const order = q.get('order');
  if (order === '1' || order === '2') out.order = Number(order) as 1 | 2;
  return out;
}
