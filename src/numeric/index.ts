/** Dense Float64 kernels: matrices (column-major), products, LU and what it gives. */
export { Matrix } from './matrix.js';
export { SingularMatrixError } from './errors.js';
export {
  matmul, transpose, add, sub, scale, hadamard, hadamardDiv, map, kron, vec, unvec,
  diagFromVector, diagOfMatrix,
} from './ops.js';
export { trace, sum, norm2, logsumexp, softmax } from './reductions.js';
export { lu, luLower, luUpper, luPermutation, type LUDecomposition } from './lu.js';
export {
  luSolve, luInverse, luDet, luLogAbsDet, inv, solve, det, logAbsDet, matPow,
} from './linalg.js';
export { gemm } from './gemm.js';
