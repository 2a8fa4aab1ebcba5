/** Declarations: `scalar`, `vector(n)`, `matrix(m,n)`, `symmetric(n)`, with dimensions that are
 *  positive integers, names, or products of these (`m*n`). */
import { fail } from '../ir/errors.js';
import { fnName, OP_NAMES } from '../ir/ops.js';

export type KindName = 'scalar' | 'vector' | 'matrix' | 'symmetric';
/** A written dimension: an integer, or a product of an integer and names (`2*m*n`). */
export interface DimSpec { coef: number; names: string[] }
export interface Declaration { name: string; kind: KindName; dims: DimSpec[] | null; text: string }

const FUNCTION_NAMES = new Set<string>(OP_NAMES.flatMap((op) => fnName(op) ?? []));
export const RESERVED = new Set<string>(['I', 'ones', 'zeros', 'eye', ...FUNCTION_NAMES]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ARITY: Record<KindName, number[]> = { scalar: [0], vector: [0, 1], matrix: [0, 2], symmetric: [0, 1] };

export function parseDimText(text: string, where: string): DimSpec {
  const parts = text.split('*').map((p) => p.trim());
  const spec: DimSpec = { coef: 1, names: [] };
  for (const p of parts) {
    if (/^\d+$/.test(p)) {
      const n = Number(p);
      if (n < 1 || !Number.isSafeInteger(n)) fail('bad-request', `${where}: a dimension must be a positive integer, got ${p}`, null, where);
      spec.coef *= n;
    } else if (NAME.test(p)) {
      if (RESERVED.has(p)) fail('reserved-name', `${where}: '${p}' is reserved and cannot name a dimension`, null, where);
      spec.names.push(p);
    } else fail('bad-request', `${where}: '${text}' is not a dimension (a positive integer, a name, or a product such as m*n)`, null, where);
  }
  return spec;
}

export function parseDeclaration(name: string, text: unknown): Declaration {
  const where = `vars.${name}`;
  if (!NAME.test(name)) fail('bad-request', `'${name}' is not a valid variable name (letters, digits, _; not starting with a digit)`, null, where);
  if (RESERVED.has(name)) fail('reserved-name', `'${name}' is reserved (a function or constant of the language) and cannot name a variable`, null, where);
  if (typeof text !== 'string') fail('bad-request', `${where}: the kind must be a string such as "matrix" or "vector(n)"`, null, where);
  const m = /^\s*([a-z]+)\s*(?:\(([^()]*)\))?\s*$/.exec(text as string);
  if (!m || !(m[1]! in ARITY)) {
    fail('bad-request', `${where}: unknown kind '${text}' (want scalar, vector, matrix or symmetric, optionally with dimensions: matrix(m,n))`, null, where);
  }
  const kind = m![1] as KindName;
  const dims = m![2] === undefined ? null : m![2]!.split(',').map((d) => parseDimText(d, where));
  const count = dims ? dims.length : 0;
  if (!ARITY[kind].includes(count)) {
    fail('bad-request', `${where}: ${kind} takes ${ARITY[kind].filter((k) => k > 0).join(' or ') || 'no'} dimension${kind === 'matrix' ? 's' : ''}, got ${count}`, null, where);
  }
  return { name, kind, dims, text: text as string };
}
