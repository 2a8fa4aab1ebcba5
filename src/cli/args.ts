/** The plain (non --json) arguments: --var NAME=KIND, --at JSON, --order,
 *  --points, --mode, --emit. A fault in one of them is an ArgFault, which
 *  carries the argument's text and the place in it, so that the error is shown
 *  with a caret under the argument rather than under the expression. */
import { MatcalcError, type ErrorCode, type Span } from '../ir/errors.js';
import type { Value } from '../api/index.js';
import { describePlace, pathKey, scanJson } from './json-text.js';
import { EMITS, MAX_POINTS, MODES, VALUE_FORMS, describeJson, isPlainObject, valueTypeFault, type Emit } from './request.js';
import type { Mode } from '../api/index.js';

/** An argument as written, and a place in it. */
export interface ArgSource { option: string; text: string; span: Span | null }

export class ArgFault extends MatcalcError {
  constructor(code: ErrorCode, message: string, where: string, readonly source: ArgSource) {
    super(code, message, where, null);
  }
}

/** One --var, with the place of its kind (for errors the API finds in the kind). */
export interface VarArg { name: string; kind: string; text: string; kindSpan: Span; nameSpan: Span }

const VAR_USAGE = 'write NAME=KIND, such as --var X=matrix or --var \'a=vector(n)\'';

/** --var arguments, split at the first '='; a name declared twice is an error. */
export const parseVars = (args: readonly string[]): { vars: Record<string, string>; sources: Map<string, VarArg> } => {
  const vars: Record<string, string> = {};
  const sources = new Map<string, VarArg>();
  for (const text of args) {
    const fault = (code: ErrorCode, message: string, span: Span, where = 'request'): never => {
      throw new ArgFault(code, message, where, { option: '--var', text, span });
    };
    const eq = text.indexOf('=');
    if (eq < 0) fault('bad-request', `no '=' in it: ${VAR_USAGE}`, { start: 0, end: text.length });
    const trimmed = (from: number, to: number): Span => {
      while (from < to && /\s/.test(text[from]!)) from++;
      while (to > from && /\s/.test(text[to - 1]!)) to--;
      return { start: from, end: to };
    };
    const nameSpan = trimmed(0, eq);
    const kindSpan = trimmed(eq + 1, text.length);
    const name = text.slice(nameSpan.start, nameSpan.end);
    const kind = text.slice(kindSpan.start, kindSpan.end);
    if (!name) fault('bad-request', `no name before '=': ${VAR_USAGE}`, { start: eq, end: eq + 1 });
    if (!kind) fault('bad-request', `no kind after '=': ${VAR_USAGE}`, { start: eq, end: eq + 1 }, `vars.${name}`);
    const before = sources.get(name);
    if (before) {
      fault('bad-request', `${name} is declared twice, here and in --var '${before.text}'; declare it once`, nameSpan, `vars.${name}`);
    }
    vars[name] = kind;
    sources.set(name, { name, kind, text, kindSpan, nameSpan });
  }
  return { vars, sources };
};

/** --at: JSON of values by name, with the places of the values in the text. */
export const parseAt = (text: string): { at: Record<string, Value>; members: Map<string, Span> } => {
  const source = (span: Span | null): ArgSource => ({ option: '--at', text, span });
  const scan = scanJson(text, true);
  if (!scan.ok) {
    throw new ArgFault('bad-json', `malformed JSON at ${describePlace(text, scan)}: ${scan.reason}`, 'request',
      source({ start: scan.offset, end: scan.offset + 1 }));
  }
  const dup = scan.duplicates.find((d) => d.path.length === 0);
  if (dup) {
    throw new ArgFault('bad-request', `a value for ${dup.key} is given twice; give it once`, `at.${dup.key}`, source(dup.span));
  }
  if (!isPlainObject(scan.value)) {
    throw new ArgFault('bad-request', `--at is a JSON object of values by name, such as '{"X": [[2,1],[0,3]]}'; got ${describeJson(scan.value)}`,
      'request', source({ start: 0, end: text.length }));
  }
  for (const [name, v] of Object.entries(scan.value)) {
    const fault = valueTypeFault(v);
    if (fault) {
      throw new ArgFault('bad-request', `the value of ${name} is ${VALUE_FORMS}; ${fault.reason}`, `at.${name}`,
        source(scan.spans.get(pathKey([name, ...fault.at])) ?? scan.members.get(name) ?? null));
    }
  }
  return { at: scan.value as Record<string, Value>, members: scan.members };
};

const whole = (option: string, text: string): ArgSource => ({ option, text, span: { start: 0, end: text.length } });

export const parseOrder = (text: string): 1 | 2 => {
  const t = text.trim();
  if (t === '1' || t === '2') return Number(t) as 1 | 2;
  throw new ArgFault('bad-order', 'the order of a derivative is 1 or 2', 'order', whole('--order', text));
};

export const parsePoints = (text: string): number => {
  const t = text.trim();
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (n >= 1 && n <= MAX_POINTS) return n;
  throw new ArgFault('bad-request', `the number of points is a whole number from 1 to ${MAX_POINTS}`, 'request', whole('--points', text));
};

const oneOf = <T extends string>(option: string, text: string, choices: readonly T[]): T => {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new ArgFault('bad-request', `expected one of ${choices.join(', ')}`, 'request', whole(option, text));
};
export const parseMode = (text: string): Mode => oneOf('--mode', text, MODES);
export const parseEmit = (text: string): Emit => oneOf('--emit', text, EMITS);

/** The options that take a value, across all commands. */
const VALUE_OPTIONS = new Set(['--var', '--at', '--wrt', '--order', '--mode', '--emit', '--points']);
/** What reads as an option: `--name`, `--name=value`, and the short ones there are. */
const OPTION_LIKE = /^--[A-Za-z][A-Za-z0-9-]*(=[^]*)?$|^-[hV]$/;

/** An expression may start with '-' ("-logdet(X)"): moved behind '--', so that the
 *  option parser takes it as the expression and not as an unknown option. The value of
 *  an option (`--order -1`) stays where it is. */
export const protectDashExpressions = (argv: readonly string[]): string[] => {
  const kept: string[] = [];
  const moved: string[] = [];
  let rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest = argv.slice(i + 1);
      break;
    }
    if (VALUE_OPTIONS.has(a)) {
      kept.push(a);
      if (i + 1 < argv.length) kept.push(argv[++i]!);
    } else if (a.length > 1 && a.startsWith('-') && !OPTION_LIKE.test(a)) {
      moved.push(a);
    } else {
      kept.push(a);
    }
  }
  if (moved.length === 0 && rest.length === 0) return [...argv];
  return [...kept, '--', ...moved, ...rest];
};
