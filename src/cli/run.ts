/** The command line as a function: arguments and standard input in; standard
 *  output, standard error and the exit status out. main.ts connects it to the
 *  process; tests call it directly.
 *
 *  Exit status: 0 done (check: passed), 1 bad input, 2 check failed,
 *  70 an internal error (a bug: reported as one JSON object with --json, never
 *  as a stack trace). */
import { CommanderError } from 'commander';
import { check, derive, evaluate } from '../api/index.js';
import type { CheckRequest, DeriveRequest, EvalRequest, Value } from '../api/index.js';
import { MatcalcError, type Span } from '../ir/errors.js';
import { renderCaret } from '../lang/caret.js';
import { ArgFault, parseAt, parseEmit, parseMode, parseOrder, parsePoints, parseVars, protectDashExpressions, type ArgSource, type VarArg } from './args.js';
import { formatCheck, formatDerive, formatEval } from './format.js';
import { describePlace, scanJson } from './json-text.js';
import { buildProgram, type Invocation, type Options } from './program.js';
import { checkRequest } from './request.js';

export interface RunResult { stdout: string; stderr: string; code: number }

/** Standard input: its text, or a reader called only when a --json request needs it. */
export type Stdin = string | (() => Promise<string>);

export const EXIT = { ok: 0, badInput: 1, checkFailed: 2, internal: 70 } as const;

/** A fault of matcalc itself, not of its input. */
class InternalFault extends Error {}

/** Where the pieces of a plain (non --json) request came from, to place an error on them. */
interface ArgContext {
  expr: string;
  vars: Map<string, VarArg>;
  at?: { text: string; members: Map<string, Span> };
  wrt?: string;
  order?: string;
}

const jsonText = (answer: unknown): string =>
  JSON.stringify(answer, (key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new InternalFault(`the answer holds the non-finite number ${v}${key ? ` (in "${key}")` : ''}`);
    }
    return v;
  }) + '\n';

const errorJson = (code: string, message: string): string =>
  JSON.stringify({ error: { code, message, in: 'request', start: null, end: null } }) + '\n';

const internalMessage = (e: unknown): string => `internal error: ${e instanceof Error ? e.message : String(e)}`;

/** The options given besides --json (with --json the whole request is on standard input). */
const extraOptions = (o: Options): string[] =>
  (Object.keys(o) as (keyof Options)[]).filter((k) => k !== 'json' && o[k] !== undefined).map((k) => `--${k}`);

// ----------------------------------------------------------------- --json

const runJson = async (inv: Invocation, stdin: Stdin): Promise<RunResult> => {
  const given = [...(inv.expr !== undefined ? ['an expression argument'] : []), ...extraOptions(inv.options)];
  if (given.length) {
    throw new MatcalcError('bad-request',
      `with --json the whole request comes on standard input; remove ${given.join(', ')} from the command line`, 'request');
  }
  let text = typeof stdin === 'string' ? stdin : await stdin();
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const scan = scanJson(text);
  if (!scan.ok) {
    throw new MatcalcError('bad-json', `malformed JSON in the request on standard input at ${describePlace(text, scan)}: ${scan.reason}`, 'request');
  }
  switch (inv.command) {
    case 'eval':
      return { stdout: jsonText(evaluate(checkRequest('eval', scan.value, scan.duplicates))), stderr: '', code: EXIT.ok };
    case 'derive':
      return { stdout: jsonText(derive(checkRequest('derive', scan.value, scan.duplicates))), stderr: '', code: EXIT.ok };
    case 'check': {
      const answer = check(checkRequest('check', scan.value, scan.duplicates));
      return { stdout: jsonText(answer), stderr: '', code: answer.verdict === 'pass' ? EXIT.ok : EXIT.checkFailed };
    }
  }
};

// ----------------------------------------------------------------- plain arguments

/** The parts every command shares: the expression, --var and --at. */
const common = (inv: Invocation, ctx: ArgContext): { expr: string; vars: Record<string, string>; at?: Record<string, Value> } => {
  if (inv.expr === undefined) {
    const wrt = inv.command === 'eval' ? '' : ' --wrt X';
    throw new MatcalcError('bad-request',
      `no expression: write matcalc ${inv.command} "EXPR"${wrt} --var X=matrix ..., or use --json with the request on standard input`, 'request');
  }
  ctx.expr = inv.expr;
  const { vars, sources } = parseVars(inv.options.var ?? []);
  ctx.vars = sources;
  const req: { expr: string; vars: Record<string, string>; at?: Record<string, Value> } = { expr: inv.expr, vars };
  if (inv.options.at !== undefined) {
    const { at, members } = parseAt(inv.options.at);
    ctx.at = { text: inv.options.at, members };
    req.at = at;
  }
  return req;
};

const wrtOf = (inv: Invocation, ctx: ArgContext): string => {
  const wrt = inv.options.wrt;
  if (wrt === undefined) {
    throw new MatcalcError('bad-request', `${inv.command} needs --wrt NAME: the variable to differentiate by`, 'wrt');
  }
  ctx.wrt = wrt;
  return wrt.trim();
};

const orderOf = (inv: Invocation, ctx: ArgContext): 1 | 2 | undefined => {
  if (inv.options.order === undefined) return undefined;
  ctx.order = inv.options.order;
  return parseOrder(inv.options.order);
};

const runPlain = (inv: Invocation, ctx: ArgContext): RunResult => {
  const o = inv.options;
  switch (inv.command) {
    case 'eval': {
      const req: EvalRequest = common(inv, ctx);
      return { stdout: formatEval(evaluate(req)), stderr: '', code: EXIT.ok };
    }
    case 'derive': {
      const req: DeriveRequest = { ...common(inv, ctx), wrt: wrtOf(inv, ctx) };
      const order = orderOf(inv, ctx);
      if (order !== undefined) req.order = order;
      if (o.steps) req.steps = true;
      if (o.mode !== undefined) req.mode = parseMode(o.mode);
      if (o.emit !== undefined) req.emit = parseEmit(o.emit);
      const answer = derive(req);
      return { stdout: formatDerive(answer, { wrt: req.wrt, latex: o.latex === true, steps: o.steps === true }), stderr: '', code: EXIT.ok };
    }
    case 'check': {
      const req: CheckRequest = { ...common(inv, ctx), wrt: wrtOf(inv, ctx) };
      const order = orderOf(inv, ctx);
      if (order !== undefined) req.order = order;
      if (o.points !== undefined) req.points = parsePoints(o.points);
      const answer = check(req);
      return {
        stdout: formatCheck(answer, req.wrt, req.order ?? 1),
        stderr: '',
        code: answer.verdict === 'pass' ? EXIT.ok : EXIT.checkFailed,
      };
    }
  }
};

/** The argument an error of the API is about, from its `in`. */
const sourceOf = (e: MatcalcError, ctx: ArgContext): ArgSource | null => {
  if (e instanceof ArgFault) return e.source;
  const [field, ...rest] = e.where.split('.');
  const name = rest.join('.');
  if (field === 'vars') {
    const v = ctx.vars.get(name);
    if (!v) return null;
    return { option: '--var', text: v.text, span: e.code === 'reserved-name' ? v.nameSpan : v.kindSpan };
  }
  if (field === 'at' && ctx.at) return { option: '--at', text: ctx.at.text, span: ctx.at.members.get(name) ?? null };
  if (field === 'wrt' && ctx.wrt !== undefined) return { option: '--wrt', text: ctx.wrt, span: { start: 0, end: ctx.wrt.length } };
  if (field === 'order' && ctx.order !== undefined) return { option: '--order', text: ctx.order, span: { start: 0, end: ctx.order.length } };
  return null;
};

/** An error for people: `error[code]: message`, then the expression or the argument at
 *  fault with a caret under the place. */
const renderError = (e: MatcalcError, ctx: ArgContext): string => {
  const head = `error[${e.code}]: `;
  const source = sourceOf(e, ctx);
  let body: string;
  if (source) {
    const quoted = source.option === '--at' ? '' : ` '${source.text}'`;
    // the API's message names its field (at.S: ...); the caret line names the argument instead
    const message = e.message.startsWith(`${e.where}: `) ? e.message.slice(e.where.length + 2) : e.message;
    body = renderCaret(source.text, source.span, `in ${source.option}${quoted}: ${message}`);
  } else if (e.where === 'expr' && ctx.expr !== '') {
    body = renderCaret(ctx.expr, e.span, e.message);
  } else {
    body = e.message;
  }
  return `${head}${body}`.replace(/\n*$/, '\n');
};

// ----------------------------------------------------------------- run

export const run = async (argv: readonly string[], stdin: Stdin = ''): Promise<RunResult> => {
  const args = protectDashExpressions(argv);
  const dash = args.indexOf('--');
  const json = (dash < 0 ? args : args.slice(0, dash)).includes('--json');
  let stdout = '';
  let stderr = '';
  let invocation: Invocation | undefined;
  const program = buildProgram(
    { writeOut: (s) => { stdout += s; }, writeErr: (s) => { stderr += s; } },
    (inv) => { invocation = inv; },
  );

  try {
    program.parse(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return { stdout, stderr, code: EXIT.ok }; // --help, --version
      if (json && e.code !== 'commander.help') {
        return { stdout: errorJson('bad-request', e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')), stderr: '', code: EXIT.badInput };
      }
      return { stdout, stderr, code: EXIT.badInput };
    }
    return internal(e, json);
  }
  if (!invocation) return { stdout, stderr, code: EXIT.ok };

  const ctx: ArgContext = { expr: '', vars: new Map() };
  try {
    return json ? await runJson(invocation, stdin) : runPlain(invocation, ctx);
  } catch (e) {
    if (e instanceof MatcalcError) {
      return json
        ? { stdout: JSON.stringify(e.toJSON()) + '\n', stderr: '', code: EXIT.badInput }
        : { stdout: '', stderr: renderError(e, ctx), code: EXIT.badInput };
    }
    return internal(e, json);
  }
};

const internal = (e: unknown, json: boolean): RunResult => {
  const message = internalMessage(e);
  // The stack only on request (MATCALC_DEBUG=1), and then on standard error.
  const stack = process.env.MATCALC_DEBUG && e instanceof Error && e.stack ? `${e.stack}\n` : '';
  return json
    ? { stdout: errorJson('internal', message), stderr: stack, code: EXIT.internal }
    : { stdout: '', stderr: `error[internal]: ${message}\n(this is a bug in matcalc)\n${stack}`, code: EXIT.internal };
};
