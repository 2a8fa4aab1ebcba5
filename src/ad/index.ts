/** Forward-mode automatic differentiation: dual matrices, their tangent rules, derivatives of
 *  expression graphs (jvpGraph, gradientAD, jacobianAD, hessianAD, hvpAD), and the functional
 *  API over the user's own functions (jvp, grad, jacobian, hessian, hvp, with the operations). */
export type { Algebra, AppliedOp, At, Site, TangentRule } from './algebra.js';
export { TANGENT_RULES } from './tangents.js';
export { DualMatrix, DUAL, applyOp, levelOf, primalOf, shapeOf, type Val } from './dual.js';
export { jvpGraph, gradientAD, jacobianAD, hessianAD, hvpAD } from './jvp.js';
export * from './api.js';
