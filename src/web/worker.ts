/** The engine, off the page's thread: a large expression never blocks typing. One request at a time;
 *  the page ends this worker and starts another when it has a newer problem while this one works. */
import { derive } from '../api/index.js';
import type { DeriveRequest } from '../api/index.js';
import { shownError, type CodeLang, type WorkerReply, type WorkerRequest } from './protocol.js';
import { verify } from './verify.js';

interface Scope { postMessage(m: WorkerReply): void; onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null }
const scope = self as unknown as Scope;

const LANGS: CodeLang[] = ['ts', 'js', 'numpy'];

scope.onmessage = (e) => {
  const { id, problem } = e.data;
  const base: DeriveRequest = { expr: problem.expr, vars: problem.vars, wrt: problem.wrt, order: problem.order };
  const t0 = performance.now();
  try {
    const answer = derive(base);
    scope.postMessage({ id, type: 'answer', answer, ms: performance.now() - t0 });
    let steps = null, stepsError = null;
    try {
      steps = derive({ ...base, steps: true }).steps ?? null;
    } catch (err) { stepsError = shownError(err); }
    scope.postMessage({ id, type: 'steps', steps, error: stepsError });
    const code: Partial<Record<CodeLang, string>> = {};
    for (const emit of LANGS) {
      try {
        const c = derive({ ...base, emit }).code;
        if (typeof c === 'string' && c.trim()) code[emit] = c;
      } catch { /* a language the engine cannot emit is left out */ }
    }
    scope.postMessage({ id, type: 'code', code });
    try {
      scope.postMessage({ id, type: 'verify', verification: verify(problem, answer.shapes, answer.kind), error: null });
    } catch (err) {
      scope.postMessage({ id, type: 'verify', verification: null, error: shownError(err) });
    }
  } catch (err) {
    scope.postMessage({ id, type: 'error', error: shownError(err) });
  }
  scope.postMessage({ id, type: 'done' });
};
