/** The JSON requests of CLI.md, checked field by field before the API sees
 *  them: a missing field or one of the wrong type is a `bad-request` that names
 *  the field (`in`: "request", "vars.X", "at.X", "wrt" or "order"). Values are
 *  checked for their JSON type only; their shapes are the API's to judge. */
import { MatcalcError } from '../ir/errors.js';
import type { CheckRequest, DeriveRequest, EvalRequest, Mode, Value } from '../api/index.js';
import type { DuplicateKey } from './json-text.js';

export type CommandName = 'eval' | 'derive' | 'check';
export type Emit = NonNullable<DeriveRequest['emit']>;

export const MODES: readonly Mode[] = ['symbolic', 'ad', 'both'];
export const EMITS: readonly Emit[] = ['ts', 'js', 'numpy'];
export const MAX_POINTS = 1000;

export const FIELDS: Record<CommandName, readonly string[]> = {
  eval: ['expr', 'vars', 'at'],
  derive: ['expr', 'vars', 'wrt', 'order', 'at', 'steps', 'mode', 'emit'],
  check: ['expr', 'vars', 'wrt', 'order', 'at', 'points'],
};

const badRequest = (message: string, where = 'request'): never => {
  throw new MatcalcError('bad-request', message, where);
};

/** A JSON value in words: "a string", "the number 3", "null". */
export const describeJson = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string': return `the string ${JSON.stringify(v.length > 30 ? `${v.slice(0, 27)}...` : v)}`;
    case 'number': return `the number ${v}`;
    case 'boolean': return String(v);
    case 'object': return 'an object';
    default: return typeof v;
  }
};

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// a number, finite or not: the API says not-finite for Infinity (1e999 in JSON)
const isNumber = (v: unknown): v is number => typeof v === 'number';

/** A number, an array of numbers, or an array of arrays of numbers (the layouts of
 *  LANGUAGE.md, "Numbers in and out"); whether the layout fits the variable is the API's
 *  to say. Returns a reason when `v` is none of these. */
export const valueTypeFault = (v: unknown): { reason: string; at: number[] } | null => {
  if (isNumber(v)) return null;
  if (!Array.isArray(v)) return { reason: `got ${describeJson(v)}`, at: [] };
  if (v.every(isNumber)) return null;
  if (v.every((row) => Array.isArray(row))) {
    for (let i = 0; i < v.length; i++) {
      const row = v[i] as unknown[];
      const j = row.findIndex((x) => !isNumber(x));
      if (j >= 0) return { reason: `row ${i + 1}, entry ${j + 1} is ${describeJson(row[j])}`, at: [i, j] };
    }
    return null;
  }
  const k = v.findIndex((x) => !isNumber(x));
  const among = v.some(isNumber) ? 'among numbers' : 'among rows';
  return { reason: `entry ${k + 1} is ${describeJson(v[k])}, ${among}`, at: [k] };
};

export const VALUE_FORMS = 'a number, an array of numbers (a vector), or an array of rows (a matrix)';

export const checkValues = (at: unknown, label: string): Record<string, Value> => {
  if (!isPlainObject(at)) {
    return badRequest(`${label} is an object of values by variable name, such as {"X": [[2,1],[0,3]]}; got ${describeJson(at)}`);
  }
  for (const [name, v] of Object.entries(at)) {
    const fault = valueTypeFault(v);
    if (fault) badRequest(`the value of ${name} is ${VALUE_FORMS}; ${fault.reason}`, `at.${name}`);
  }
  return at as Record<string, Value>;
};

const checkVars = (vars: unknown): Record<string, string> => {
  if (!isPlainObject(vars)) {
    return badRequest(`"vars" is an object of kinds by variable name, such as {"X": "matrix", "a": "vector(n)"}; got ${describeJson(vars)}`);
  }
  for (const [name, kind] of Object.entries(vars)) {
    if (typeof kind !== 'string') {
      badRequest(`the kind of ${name} is a string, such as "matrix" or "vector(n)"; got ${describeJson(kind)}`, `vars.${name}`);
    }
  }
  return vars as Record<string, string>;
};

/** The order, 1 or 2: a number of another value is `bad-order`, anything else `bad-request`. */
export const checkOrder = (order: unknown): 1 | 2 => {
  if (typeof order !== 'number') return badRequest(`"order" is the number 1 or 2; got ${describeJson(order)}`, 'order');
  if (order !== 1 && order !== 2) {
    throw new MatcalcError('bad-order', `the order of a derivative is 1 or 2; got ${order}`, 'order');
  }
  return order;
};

const oneOf = <T extends string>(field: string, v: unknown, choices: readonly T[]): T => {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    return badRequest(`"${field}" is one of ${choices.map((c) => `"${c}"`).join(', ')}; got ${describeJson(v)}`);
  }
  return v as T;
};

export const checkPoints = (v: unknown): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_POINTS) {
    return badRequest(`"points" is a whole number from 1 to ${MAX_POINTS}; got ${describeJson(v)}`);
  }
  return v;
};

const where = (d: DuplicateKey): string =>
  d.path.length === 1 && (d.path[0] === 'vars' || d.path[0] === 'at') ? `${d.path[0]}.${d.key}` : 'request';

/** The request of `command`, checked; `duplicates` are the repeated keys the JSON text had. */
export function checkRequest(command: 'eval', raw: unknown, duplicates?: DuplicateKey[]): EvalRequest;
export function checkRequest(command: 'derive', raw: unknown, duplicates?: DuplicateKey[]): DeriveRequest;
export function checkRequest(command: 'check', raw: unknown, duplicates?: DuplicateKey[]): CheckRequest;
export function checkRequest(command: CommandName, raw: unknown, duplicates: DuplicateKey[] = []): EvalRequest | DeriveRequest | CheckRequest {
  const fields = FIELDS[command];
  const a = command === 'eval' ? 'an' : 'a';
  const list = fields.map((f) => `"${f}"`).join(', ');
  if (!isPlainObject(raw)) {
    return badRequest(`${a} ${command} request is a JSON object with the fields ${list}; got ${describeJson(raw)}`);
  }
  const dup = duplicates[0];
  if (dup) {
    const inside = dup.path.length ? ` in "${dup.path.join('.')}"` : '';
    badRequest(`the key "${dup.key}" occurs twice${inside}; give it once`, where(dup));
  }
  for (const key of Object.keys(raw)) {
    if (!fields.includes(key)) badRequest(`unknown field "${key}" in ${a} ${command} request; its fields are ${list}`);
  }
  // An optional field may be absent or null.
  const has = (k: string): boolean => raw[k] !== undefined && raw[k] !== null;

  if (!('expr' in raw)) badRequest('the request has no "expr": the expression, as a string');
  if (typeof raw.expr !== 'string') badRequest(`"expr" is the expression, as a string; got ${describeJson(raw.expr)}`);
  if (!('vars' in raw)) badRequest('the request has no "vars": the kinds of the variables, such as {"X": "matrix"}');
  const req: Record<string, unknown> = { expr: raw.expr, vars: checkVars(raw.vars) };

  if (command !== 'eval') {
    if (!('wrt' in raw)) badRequest('the request has no "wrt": the name of the variable to differentiate by', 'wrt');
    if (typeof raw.wrt !== 'string') badRequest(`"wrt" is the name of a variable, as a string; got ${describeJson(raw.wrt)}`, 'wrt');
    req.wrt = raw.wrt;
    if (has('order')) req.order = checkOrder(raw.order);
  }
  if (has('at')) req.at = checkValues(raw.at, '"at"');
  if (command === 'derive') {
    if (has('steps')) {
      if (typeof raw.steps !== 'boolean') badRequest(`"steps" is true or false; got ${describeJson(raw.steps)}`);
      req.steps = raw.steps;
    }
    if (has('mode')) req.mode = oneOf('mode', raw.mode, MODES);
    if (has('emit')) req.emit = oneOf('emit', raw.emit, EMITS);
  }
  if (command === 'check' && has('points')) req.points = checkPoints(raw.points);
  return req as unknown as EvalRequest | DeriveRequest | CheckRequest;
}
