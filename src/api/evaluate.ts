/** `eval`: an expression's value at given values. */
import { evaluate as evalGraph } from '../numeric/evaluate.js';
import { compile, requireFields, shapesText, symmetricVars } from './compile.js';
import type { EvalAnswer, EvalRequest } from './types.js';
import { bindValues, toValue } from './values.js';

export function evaluate(req: EvalRequest): EvalAnswer {
  requireFields(req, { expr: 'string', vars: 'object', at: 'object' }, ['at']);
  const program = compile(req.expr, req.vars);
  const env = bindValues(program.shapes, req.at ?? {}, symmetricVars(program));
  const [value] = evalGraph([program.root], env);
  return {
    shapes: shapesText(program),
    dims: { ...env.sizes },
    shape: [program.root.shape[0], program.root.shape[1]],
    value: toValue(value!),
  };
}
