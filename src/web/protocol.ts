/** The messages between the page and its worker. The worker answers a request in parts, first the
 *  answer, then what costs more (steps, code, the numeric check), each tagged with the request's id
 *  so that the page drops answers to a problem it no longer shows. */
import type { DeriveAnswer, Step } from '../api/index.js';
import type { Problem, Verification } from './verify.js';

export type { Problem, Verification };
export type CodeLang = 'ts' | 'js' | 'numpy';

/** An error as the page shows it: MatcalcError's fields, or 'internal' for a bug. */
export interface ShownError { code: string; message: string; where: string; span: { start: number; end: number } | null }

export interface WorkerRequest { id: number; problem: Problem }

export type WorkerReply =
  | { id: number; type: 'answer'; answer: DeriveAnswer; ms: number }
  | { id: number; type: 'error'; error: ShownError }
  | { id: number; type: 'steps'; steps: Step[] | null; error: ShownError | null }
  | { id: number; type: 'code'; code: Partial<Record<CodeLang, string>> }
  | { id: number; type: 'verify'; verification: Verification | null; error: ShownError | null }
  | { id: number; type: 'done' };

export function shownError(e: unknown): ShownError {
  if (e instanceof Error && 'code' in e && 'where' in e) {
    const m = e as Error & { code: string; where: string; span: { start: number; end: number } | null };
    return { code: m.code, message: m.message, where: m.where, span: m.span ?? null };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: `internal error (a bug in matcalc, please report it): ${message}`, where: 'request', span: null };
}
