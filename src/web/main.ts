/** The page: the problem's controls, the worker that answers it, the address that shares it.
 *  Everything the user sees of an error is drawn where the fault is; nothing here lets an
 *  exception reach the page (every handler is wrapped). */
import 'katex/dist/katex.min.css';
import './style.css';
import { guessKinds, guessWrt, type Guess } from './guess-kinds.js';
import type { Step } from '../api/index.js';
import type { CodeLang, Problem as EngineProblem, ShownError, WorkerReply } from './protocol.js';
import { h, LANG_NAMES, renderAnswer, renderSteps, renderVerification } from './render.js';
import { fromQuery, KINDS, kindText, toQuery, type Problem, type VarChoice } from './url-state.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const EXAMPLES: { label: string; problem: Problem }[] = [
  { label: 'det · log, by X', problem: { expr: "det(X+B)*log(a'*inv(X)*a) - tr(X)", vars: [v('X', 'matrix'), v('B', 'matrix'), v('a', 'vector')], wrt: 'X', order: 1 } },
  { label: "Hessian of det(I + x*x')", problem: { expr: "det(I + x*x')", vars: [v('x', 'vector')], wrt: 'x', order: 2 } },
  { label: 'Logistic regression loss', problem: { expr: 'sum(log(1 + exp(-y.*(X*w))))', vars: [v('y', 'vector'), v('X', 'matrix'), v('w', 'vector')], wrt: 'w', order: 1 } },
  { label: 'Gaussian log-likelihood, symmetric S', problem: { expr: "logdet(S) - x'*S*x", vars: [v('S', 'symmetric'), v('x', 'vector')], wrt: 'S', order: 1 } },
  { label: 'Two-layer network', problem: { expr: 'sum((W2*tanh(W1*x) - y).^2)', vars: [v('W2', 'matrix'), v('W1', 'matrix'), v('x', 'vector'), v('y', 'vector')], wrt: 'W1', order: 1 } },
];
function v(name: string, kind: VarChoice['kind'], dims = ''): VarChoice {
  return { name, kind, dims };
}

/** What the user has said; guesses fill in the rest. */
const state = {
  expr: '',
  /** Kinds the user picked (or a link gave), by name; they outlive the name's absence from the expression. */
  chosen: new Map<string, Pick<VarChoice, 'kind' | 'dims'>>(),
  guesses: [] as Guess[],
  wrt: '',
  order: 1 as 1 | 2,
};

const effective = (g: Guess): VarChoice => ({ name: g.name, ...(state.chosen.get(g.name) ?? { kind: g.kind, dims: '' }) });
const problem = (): Problem => ({ expr: state.expr, vars: state.guesses.map(effective), wrt: state.wrt, order: state.order });

/* ---------- the engine in a worker ---------- */

let worker: Worker | null = null;
let currentId = 0;
let busy = false;
let workingTimer: ReturnType<typeof setTimeout> | undefined;

function startWorker(): Worker | null {
  try {
    const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<WorkerReply>) => guard(() => onReply(e.data));
    w.onerror = (e) => guard(() => {
      e.preventDefault();
      busy = false;
      worker = null;
      showGeneralError({ code: 'internal', message: `the engine stopped: ${e.message || 'unknown error'}; edit the problem to try again`, where: 'request', span: null });
    });
    return w;
  } catch (e) {
    showGeneralError({ code: 'internal', message: `this page needs Web Workers over http (open it with \`matcalc serve\`): ${String(e)}`, where: 'request', span: null });
    return null;
  }
}

/** Problems a worker answers before it is replaced: the engine's graph is hash-consed in a table that
 *  only grows, so a fresh worker now and then keeps the page's memory bounded. */
const PROBLEMS_PER_WORKER = 200;
let served = 0;

function send(p: Problem): void {
  // A worker still busy with an older problem is ended rather than waited for.
  if (worker && (busy || served >= PROBLEMS_PER_WORKER)) { worker.terminate(); worker = null; }
  if (!worker) served = 0;
  worker ??= startWorker();
  served += 1;
  if (!worker) return;
  const engine: EngineProblem = { expr: p.expr, vars: Object.fromEntries(p.vars.map((x) => [x.name, kindText(x)])), wrt: p.wrt, order: p.order };
  currentId += 1;
  busy = true;
  worker.postMessage({ id: currentId, problem: engine });
  setState('working');
  clearTimeout(workingTimer);
  workingTimer = setTimeout(() => { if (result.dataset.state === 'working') status('Working…'); }, 200);
}

/* ---------- the result ---------- */

const result = $<HTMLElement>('result');
const answerHost = $<HTMLElement>('answer');
const stepsBox = $<HTMLDetailsElement>('steps');
const codeBox = $<HTMLElement>('code');
const verifyBox = $<HTMLElement>('verify');

const setState = (s: 'idle' | 'working' | 'done' | 'error'): void => { result.dataset.state = s; };
const status = (text: string): void => { $('status').textContent = text; };

let steps: Step[] = [];
let code: Partial<Record<CodeLang, string>> = {};

function showSteps(): void {
  const list = $<HTMLOListElement>('steps-list');
  if (!list.childElementCount && steps.length) renderSteps(list, steps);
}
let codeLang: CodeLang = 'ts';

function onReply(m: WorkerReply): void {
  if (m.id !== currentId) return;
  switch (m.type) {
    case 'answer': {
      clearErrors();
      renderAnswer(answerHost, m.answer, { expr: state.expr, vars: {}, wrt: state.wrt, order: state.order }, m.ms);
      result.classList.remove('stale');
      status('');
      for (const [box, s] of [[stepsBox, 'pending'], [codeBox, 'pending'], [verifyBox, 'pending']] as const) box.dataset.state = s;
      $('verify-body').replaceChildren(h('p', { class: 'meta' }, 'Checking against finite differences…'));
      verifyBox.hidden = false;
      setState('done');
      break;
    }
    case 'error':
      showError(m.error);
      stepsBox.dataset.state = codeBox.dataset.state = verifyBox.dataset.state = 'none';
      break;
    case 'steps':
      // Typeset when opened: a long derivation costs nothing until it is read.
      steps = m.steps ?? [];
      stepsBox.hidden = steps.length === 0;
      $('steps-list').replaceChildren();
      $('steps-count').textContent = `(${steps.length} step${steps.length === 1 ? '' : 's'})`;
      if (stepsBox.open) showSteps();
      stepsBox.dataset.state = steps.length ? 'shown' : 'none';
      break;
    case 'code':
      code = m.code;
      renderCode();
      codeBox.dataset.state = Object.keys(code).length ? 'shown' : 'none';
      break;
    case 'verify':
      renderVerification($('verify-body'), m.verification, m.error);
      verifyBox.dataset.state = 'shown';
      break;
    case 'done':
      busy = false;
      break;
  }
}

/* ---------- errors, where they are ---------- */

const exprInput = $<HTMLInputElement>('expr');
const mirror = $<HTMLElement>('expr-mirror');
const exprError = $<HTMLElement>('expr-error');

function clearErrors(): void {
  exprInput.removeAttribute('aria-invalid');
  mirror.replaceChildren();
  exprError.hidden = true;
  exprError.replaceChildren();
  for (const el of document.querySelectorAll('.field-error')) el.remove();
  for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** Underlines the span behind the input (a mirror with the same text and metrics) and writes the
 *  message under it; a fault elsewhere is shown beside its control. */
function showError(e: ShownError): void {
  clearErrors();
  setState('error');
  result.classList.add('stale');
  status(answerHost.childElementCount ? 'The result below is for the last problem that had one.' : '');
  const code = h('span', { class: 'error-code' }, e.code);
  if (e.where === 'expr' || (e.where === 'request' && e.span)) {
    exprInput.setAttribute('aria-invalid', 'true');
    if (e.span) {
      const text = state.expr;
      const start = Math.max(0, Math.min(e.span.start, text.length));
      const end = Math.max(start, Math.min(e.span.end, text.length));
      // An empty span (the end of the input) is marked as one blank cell after it.
      const marked = end > start ? text.slice(start, end) : '\u00a0';
      mirror.replaceChildren(text.slice(0, start), h('mark', { class: 'error-span' }, marked), text.slice(end));
      syncMirror();
    }
    exprError.replaceChildren(code, ' ', e.message);
    exprError.hidden = false;
    return;
  }
  const varMatch = /^(?:vars|at)\.(.+)$/.exec(e.where);
  const target = varMatch ? document.querySelector<HTMLElement>(`.var-row[data-name="${CSS.escape(varMatch[1]!)}"]`)
    : e.where === 'wrt' ? $('wrt-field') : e.where === 'order' ? $('order-field') : null;
  if (target) {
    target.querySelector('select, input')?.setAttribute('aria-invalid', 'true');
    target.append(h('p', { class: 'field-error', role: 'alert' }, code, ' ', e.message));
    return;
  }
  showGeneralError(e);
}

function showGeneralError(e: ShownError): void {
  setState('error');
  exprError.replaceChildren(h('span', { class: 'error-code' }, e.code), ' ', e.message);
  exprError.hidden = false;
}

function syncMirror(): void {
  mirror.scrollLeft = exprInput.scrollLeft;
}

/* ---------- the problem's controls ---------- */

const varsList = $<HTMLElement>('vars-list');
const wrtSelect = $<HTMLSelectElement>('wrt');

function varRow(name: string): HTMLElement {
  const id = `var-${name}`;
  const kind = h('select', { id: `${id}-kind`, 'aria-describedby': `${id}-why` },
    ...KINDS.map((k) => h('option', { value: k }, k)));
  const dims = h('input', { id: `${id}-dims`, type: 'text', class: 'dims', inputmode: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'dims', 'aria-describedby': `${id}-why` });
  const onChange = (): void => guard(() => {
    state.chosen.set(name, { kind: kind.value as VarChoice['kind'], dims: dims.value.trim() });
    update();
  });
  kind.addEventListener('change', onChange);
  dims.addEventListener('input', debounce(onChange, 400));
  return h('div', { class: 'var-row', 'data-name': name },
    h('label', { for: `${id}-kind`, class: 'var-name' }, h('code', {}, name)),
    kind,
    h('label', { for: `${id}-dims`, class: 'sr-only' }, `dimensions of ${name}, optional, such as n or m,n`),
    dims,
    h('span', { class: 'why', id: `${id}-why` }));
}

/** Brings the variable rows in line with the expression, keeping rows (and focus) that stay. */
function syncVars(): void {
  const rows = new Map([...varsList.querySelectorAll<HTMLElement>('.var-row')].map((r) => [r.dataset.name!, r]));
  const wanted = state.guesses.map((g) => g.name);
  for (const [name, row] of rows) if (!wanted.includes(name)) row.remove();
  let prev: Element | null = null;
  for (const g of state.guesses) {
    let row = rows.get(g.name);
    if (!row) row = varRow(g.name);
    const expected: Element | null = prev ? prev.nextElementSibling : varsList.firstElementChild;
    if (expected !== row) {
      if (prev) prev.after(row); else varsList.prepend(row);
    }
    prev = row;
    const c = effective(g);
    const kind = row.querySelector('select')!;
    const dims = row.querySelector<HTMLInputElement>('input.dims')!;
    if (kind.value !== c.kind) kind.value = c.kind;
    if (document.activeElement !== dims && dims.value !== c.dims) dims.value = c.dims;
    dims.disabled = c.kind === 'scalar';
    dims.placeholder = c.kind === 'matrix' ? 'm,n' : c.kind === 'scalar' ? '' : 'n';
    row.querySelector('.why')!.textContent = state.chosen.has(g.name) ? 'chosen' : `guess: ${g.reason}`;
  }
  $('vars-empty').hidden = state.guesses.length > 0;

  const names = state.guesses.map((g) => g.name);
  const options = [...wrtSelect.options].map((o) => o.value);
  if (options.join('\u0000') !== names.join('\u0000')) wrtSelect.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
  wrtSelect.value = state.wrt;
  wrtSelect.disabled = names.length === 0;
}

/** Reads the controls into the state, redraws them, updates the address and asks the engine. */
function update(): void {
  state.expr = exprInput.value;
  state.guesses = guessKinds(state.expr);
  state.wrt = guessWrt(state.guesses, state.wrt);
  syncVars();
  const p = problem();
  history.replaceState(null, '', `${location.pathname}${toQuery(p)}`);
  if (!state.expr.trim()) {
    clearErrors();
    status('Type a function of vectors and matrices above, or pick an example.');
    setState('idle');
    return;
  }
  if (!state.wrt) {
    clearErrors();
    showGeneralError({ code: 'unknown-name', message: 'the expression has no variable to differentiate by', where: 'wrt', span: null });
    return;
  }
  send(p);
}

function load(p: Partial<Problem>): void {
  state.chosen = new Map((p.vars ?? []).map((x) => [x.name, { kind: x.kind, dims: x.dims }]));
  state.wrt = p.wrt ?? '';
  state.order = p.order ?? 1;
  exprInput.value = p.expr ?? '';
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="order"]')) r.checked = Number(r.value) === state.order;
  update();
}

/* ---------- code tabs, copying ---------- */

function renderCode(): void {
  const langs = (Object.keys(LANG_NAMES) as CodeLang[]).filter((l) => code[l]);
  codeBox.hidden = langs.length === 0;
  if (!langs.length) return;
  if (!code[codeLang]) codeLang = langs[0]!;
  const tabs = $('code-tabs');
  tabs.replaceChildren(...langs.map((l) => {
    const b = h('button', { type: 'button', role: 'tab', id: `tab-${l}`, 'aria-controls': 'code-panel', 'aria-selected': String(l === codeLang), tabindex: l === codeLang ? '0' : '-1', 'data-lang': l }, LANG_NAMES[l]);
    b.addEventListener('click', () => guard(() => { codeLang = l; renderCode(); }));
    return b;
  }));
  $('code-panel').setAttribute('aria-labelledby', `tab-${codeLang}`);
  $('code-text').textContent = code[codeLang]!;
  $('code-text').dataset.lang = codeLang;
  $('copy-status').textContent = '';
}

function onTabKey(e: KeyboardEvent): void {
  const tabs = [...$('code-tabs').querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const i = tabs.findIndex((t) => t.dataset.lang === codeLang);
  const j = e.key === 'ArrowRight' ? (i + 1) % tabs.length : e.key === 'ArrowLeft' ? (i - 1 + tabs.length) % tabs.length
    : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -1;
  if (j < 0 || !tabs.length) return;
  e.preventDefault();
  codeLang = tabs[j]!.dataset.lang as CodeLang;
  renderCode();
  $(`tab-${codeLang}`).focus();
}

async function copy(text: string, statusId: string, what: string): Promise<void> {
  const out = $(statusId);
  try {
    await navigator.clipboard.writeText(text);
    out.textContent = `${what} copied.`;
  } catch {
    // Without clipboard permission: select the text in a scratch field and copy that.
    const ta = h('textarea', { class: 'sr-only', 'aria-hidden': 'true' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    out.textContent = ok ? `${what} copied.` : `Copying was refused; select the ${what.toLowerCase()} and copy it by hand.`;
  }
}

/* ---------- wiring ---------- */

function guard(f: () => void): void {
  try {
    f();
  } catch (e) {
    console.error(e);
    showGeneralError({ code: 'internal', message: `the page hit a bug: ${e instanceof Error ? e.message : String(e)}`, where: 'request', span: null });
  }
}

function debounce(f: () => void, ms: number): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return () => { clearTimeout(t); t = setTimeout(f, ms); };
}

function wire(): void {
  const later = debounce(() => guard(update), 250);
  exprInput.addEventListener('input', () => { mirror.replaceChildren(); later(); });
  exprInput.addEventListener('scroll', syncMirror);
  exprInput.addEventListener('keyup', syncMirror);
  exprInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') guard(update); });
  wrtSelect.addEventListener('change', () => guard(() => { state.wrt = wrtSelect.value; update(); }));
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="order"]')) {
    r.addEventListener('change', () => guard(() => { state.order = Number(r.value) as 1 | 2; update(); }));
  }
  stepsBox.addEventListener('toggle', () => guard(() => { if (stepsBox.open) showSteps(); }));
  $('code-tabs').addEventListener('keydown', (e) => guard(() => onTabKey(e)));
  $('copy-code').addEventListener('click', () => void copy(code[codeLang] ?? '', 'copy-status', 'Code'));
  $('share').addEventListener('click', () => void copy(location.href, 'share-status', 'Link'));
  $('examples').replaceChildren(...EXAMPLES.map((ex) => {
    const b = h('button', { type: 'button', title: `${ex.problem.expr}, by ${ex.problem.wrt}` }, ex.label);
    b.addEventListener('click', () => guard(() => { load(ex.problem); exprInput.focus(); }));
    return h('li', {}, b);
  }));
  window.addEventListener('error', (e) => { e.preventDefault(); });
  window.addEventListener('unhandledrejection', (e) => { e.preventDefault(); });
}

guard(() => {
  wire();
  const q = fromQuery(location.search);
  load(q.expr === undefined ? EXAMPLES[0]!.problem : q);
});
