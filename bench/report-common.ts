/** What the report's sections share: the measurements, a target's line, small helpers. */
import type { DerivResult } from './derivation.js';
import type { EvalResults, ProblemId } from './evaluation.js';
import type { KernelResults } from './kernels.js';
import type { SympyResult, SympyRun } from './sympy.js';
import type { Machine } from './util.js';

export interface Report {
  quick: boolean;
  machine: Machine;
  load: { start: number[]; end: number[] };
  versions: Record<string, string>;
  totalMs: number;
  suite: DerivResult[];
  families: DerivResult[];
  sympy: SympyRun | null;
  sympySkipped?: string;
  evaluation: EvalResults;
  kernels: KernelResults;
  svgLink: string;
  sympyConfig: { timeoutS: number; repeats: number };
}

export interface TargetLine {
  target: string;
  measured: string;
  met: boolean | null;
  note: string;
  ratios?: { problem: ProblemId; n: number; ratio: number }[];
  /** Details for the diagnosis. */
  extra?: string;
}

export const geomean = (xs: number[]): number => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
export const yesNo = (b: boolean | null): string => (b === null ? 'not measured' : b ? '**met**' : '**not met**');
export const answered = (s: SympyResult | undefined): boolean => s !== undefined && (s.status === 'ok' || s.status === 'unchecked');

export const SYMPY_STATUS: Record<string, string> = {
  ok: 'answered (checked)',
  unchecked: 'answered (not checked)',
  wrong: 'wrong answer',
  'no-eval': 'answer does not evaluate',
  unevaluated: 'no answer (unevaluated)',
  error: 'error',
  timeout: 'timeout',
};
