/** matcalc: matrix calculus by differentials. The public API.
 *
 *  - `derive`, `evaluate`, `check`: the JSON contract of CLI.md, as functions.
 *  - `derivation`, `compile`: the typed graph and the symbolic derivative, for programs that go further.
 *  - `ad`: forward-mode automatic differentiation by dual numbers (jvp, grad, jacobian, hessian, hvp).
 *  - `Matrix` and the numeric kernels: `matcalc/numeric`. */
export { derive, evaluate, check } from './api/index.js';
export type * from './api/types.js';
export { derivation, derivativeNumbers, derivativeNumbersAD, type Derivation } from './api/derive.js';
export { compile } from './api/compile.js';
export { bindValues, toValue, fromValue } from './api/values.js';
export type { Program } from './lang/elaborate.js';
export type { Node } from './ir/node.js';
export { MatcalcError, type ErrorCode, type Span } from './ir/errors.js';
export { toText } from './print/text.js';
export { toLatex } from './print/latex.js';
export { emitCode } from './print/code.js';
export { Matrix } from './numeric/matrix.js';
export * as ad from './ad/index.js';
