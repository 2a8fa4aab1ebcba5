/** The API: evaluate, derive, check. */
import type { CheckRequest, CheckAnswer } from './types.js';
import { MatcalcError } from '../ir/errors.js';
export type * from './types.js';
export { evaluate } from './evaluate.js';
export { derive } from './derive.js';

export function check(req: CheckRequest): CheckAnswer {
  throw new MatcalcError('bad-request', `not yet implemented: ${req.expr}`, 'request');
}
