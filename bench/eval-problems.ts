/** The evaluation benchmark's problems, methods and result rows. */
import type { Timing } from './util.js';

export type Task = 'gradient' | 'hessian' | 'hvp';
export type MethodId = 'closed' | 'exported' | 'evaluate' | 'ad' | 'jax' | 'tf' | 'fd';
export type ProblemId = 'logistic' | 'quad' | 'logdet' | 'trinv';

export const METHOD_LABEL: Record<MethodId, string> = {
  closed: 'hand-written closed form (Float64Array loops)',
  exported: 'matcalc: exported JS (emitCode)',
  evaluate: 'matcalc: evaluate() of the symbolic derivative',
  ad: 'matcalc: dual-number AD (forward mode)',
  jax: 'jax-js (wasm, float64, jit)',
  tf: 'TensorFlow.js (CPU, float32)',
  fd: 'finite differences of f (central)',
};
export const METHODS: MethodId[] = ['closed', 'exported', 'evaluate', 'ad', 'jax', 'tf', 'fd'];

export interface EvalRow {
  problem: ProblemId;
  task: Task;
  n: number;
  method: MethodId;
  status: 'ok' | 'skipped' | 'failed' | 'wrong';
  timing?: Timing;
  /** Relative error against the closed form. */
  err?: number;
  note?: string;
}

export interface ProblemDef {
  id: ProblemId;
  label: string;
  expr: string;
  vars: Record<string, string>;
  wrt: string;
  /** What the Hessian is taken by (for the table titles). */
  by: string;
}

export const PROBLEMS: Record<ProblemId, ProblemDef> = {
  logistic: { id: 'logistic', label: 'logistic regression loss', expr: 'sum(log(1 + exp(-y.*(X*w))))', vars: { X: 'matrix', y: 'vector', w: 'vector' }, wrt: 'w', by: 'w (X n x n)' },
  quad: { id: 'quad', label: 'quadratic form', expr: "x'*A*x", vars: { x: 'vector', A: 'matrix' }, wrt: 'x', by: 'x' },
  logdet: { id: 'logdet', label: 'log determinant', expr: 'logdet(X)', vars: { X: 'matrix' }, wrt: 'X', by: 'vec(X)' },
  trinv: { id: 'trinv', label: 'trace of inverse times A', expr: 'tr(inv(X)*A)', vars: { X: 'matrix', A: 'matrix' }, wrt: 'X', by: 'vec(X)' },
};

export interface EvalResults { rows: EvalRow[]; jax: { version: string | null; reason?: string }; tf: { version: string | null; reason?: string } }
