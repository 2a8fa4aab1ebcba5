/** `derive`: the derivative of an expression, printed and evaluated (CLI.md). */
import { fail } from '../ir/errors.js';
import { graphSize, isScalar, type Node } from '../ir/node.js';
import type { Program } from '../lang/elaborate.js';
import { evaluate as evalGraph } from '../numeric/evaluate.js';
import { relativeError } from '../numeric/finite-differences.js';
import { toLatex } from '../print/latex.js';
import { emitCode } from '../print/code.js';
import { printedLength, toText } from '../print/text.js';
import { compile, requireFields, shapesText, symmetricVars } from './compile.js';
import { derivation, derivativeNumbers, derivativeNumbersAD, kindOf } from './derivation.js';
import { derivationSteps } from './steps.js';
import type { DeriveAnswer, DeriveRequest, Printed } from './types.js';
import { bindValues, toValue } from './values.js';

export type { Derivation } from './derivation.js';
export { derivation, derivativeNumbers, derivativeNumbersAD, direction, kindOf } from './derivation.js';

export function checkRequest(req: unknown): DeriveRequest {
  const r = requireFields(req, { expr: 'string', vars: 'object', wrt: 'string', order: 'number', at: 'object', steps: 'boolean', mode: 'string' }, ['order', 'at', 'steps', 'mode']);
  if (r.order !== undefined && r.order !== null && r.order !== 1 && r.order !== 2) fail('bad-order', `order must be 1 or 2, got ${JSON.stringify(r.order)}`, null, 'order');
  if (r.mode !== undefined && r.mode !== null && !['symbolic', 'ad', 'both'].includes(r.mode as string)) {
    fail('bad-request', `mode must be "symbolic", "ad" or "both", got ${JSON.stringify(r.mode)}`, null, 'request');
  }
  if (r.emit !== undefined && r.emit !== null && !['ts', 'js', 'numpy'].includes(r.emit as string)) {
    fail('bad-request', `emit must be "ts", "js" or "numpy", got ${JSON.stringify(r.emit)}`, null, 'request');
  }
  return r as unknown as DeriveRequest;
}

/** The program, its variable `wrt`, and the perturbation names checked. */
export function compileForDerivative(req: DeriveRequest): { program: Program; x: Node; symmetric: boolean } {
  for (const v of Object.keys(req.vars)) {
    for (const w of Object.keys(req.vars)) {
      if (w === `d${v}` || w === `d${v}1` || w === `d${v}2`) {
        fail('reserved-name', `'${w}' would name a perturbation of '${v}' (d${v}); rename it`, null, `vars.${w}`);
      }
    }
  }
  const program = compile(req.expr, req.vars);
  const x = program.vars.get(req.wrt);
  if (!x) fail('unknown-name', `wrt: '${req.wrt}' is not a declared variable (declared: ${[...program.vars.keys()].join(', ') || 'none'})`, null, 'wrt');
  return { program, x: x!, symmetric: x!.attrs.symmetric === true };
}

/** The longest text an answer prints (per formula); past it, an answer is refused rather than printed. */
export const MAX_TEXT = 4_000_000;

function printed(n: Node, what: string): Printed {
  const estimate = printedLength(n);
  if (estimate > MAX_TEXT) {
    fail('too-large', `the ${what} would print to about ${estimate.toExponential(1)} characters (its shared graph has ${graphSize(n)} nodes), over the limit of ${MAX_TEXT}: ask for its numbers alone with mode "ad", or derive a smaller expression`, null, 'request');
  }
  return { text: toText(n), latex: toLatex(n), shape: [n.shape[0], n.shape[1]] };
}

export function derive(request: DeriveRequest): DeriveAnswer {
  const req = checkRequest(request);
  const { program, x } = compileForDerivative(req);
  const order = req.order ?? 1;
  const mode = req.mode ?? 'symbolic';
  const f = program.root;
  if (order === 2 && !isScalar(f)) {
    fail('not-scalar', `a Hessian needs a scalar function; this one is ${f.shape[0]} x ${f.shape[1]}`, { start: 0, end: program.src.length });
  }
  const env = req.at ? bindValues(program.shapes, req.at, symmetricVars(program)) : null;
  if (mode === 'ad') {
    if (!env) fail('bad-request', "mode 'ad' computes numbers: it needs 'at', the values to differentiate at", null, 'request');
    const kind = kindOf(f, x, order);
    return {
      kind, shapes: shapesText(program), dims: { ...env!.sizes },
      value: toValue(evalGraph([f], env!)[0]!),
      derivativeValue: toValue(derivativeNumbersAD(kind, f, env!, x)),
    };
  }
  const d = derivation(program, x, order);
  const answer: DeriveAnswer = {
    kind: d.kind,
    shapes: shapesText(program),
    dims: {},
    function: printed(f, 'function'),
    derivative: printed(d.derivative, 'derivative'),
  };
  if (req.steps) answer.steps = derivationSteps(d, d.gradient);
  if (req.emit) {
    // a module returns the gradient with a Hessian: by a matrix, from the first-order derivation
    answer.code = emitCode(order === 2 && !d.gradient ? [derivation(program, x, 1), d] : d, req.emit);
  }
  if (env) {
    answer.dims = { ...env.sizes };
    answer.value = toValue(evalGraph([f], env)[0]!);
    const symbolic = derivativeNumbers(d, env);
    answer.derivativeValue = toValue(symbolic);
    if (mode === 'both') answer.agreement = relativeError(derivativeNumbersAD(d.kind, f, env, x), symbolic);
  } else if (mode === 'both') {
    fail('bad-request', "mode 'both' compares numbers: it needs 'at', the values to differentiate at", null, 'request');
  }
  return answer;
}
