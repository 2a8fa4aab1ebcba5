/**
 * The web page in a real browser: Debian's Chromium driven by playwright-core, the page built by
 * Vite and served by `serve()` on 127.0.0.1. The page's answers are compared with the library's
 * own `derive` for the same request, and its numeric check must pass.
 *
 * Chromium must be installed (scripts/install-browser.sh): without it this test fails, never skips.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derive } from '../../src/api/index.js';
import type { DeriveRequest, Value } from '../../src/api/index.js';
import { serve, type Served } from '../../src/cli/serve.js';
import { toQuery, parseVars } from '../../src/web/url-state.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(ROOT, 'docs', 'screenshots');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

let server: Served;
let ctx: BrowserContext;
let page: Page;
let profile: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with scripts/install-browser.sh (apt-get install chromium)`);
  }
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'pipe' });
  server = await serve(join(ROOT, 'web-dist'), 0);
  profile = mkdtempSync(join(tmpdir(), 'matcalc-chromium-'));
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: DESKTOP,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
  page = ctx.pages()[0] ?? await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await ctx?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

interface Case { expr: string; vars: string; wrt: string; order: 1 | 2 }
const request = (c: Case): DeriveRequest => ({
  expr: c.expr, wrt: c.wrt, order: c.order,
  vars: Object.fromEntries(parseVars(c.vars).map((v) => [v.name, v.dims ? `${v.kind}(${v.dims})` : v.kind])),
});
const faultOf = (req: DeriveRequest): { code: string; message: string; span: { start: number; end: number } | null } | null => {
  try {
    derive(req);
    return null;
  } catch (e) {
    return e as { code: string; message: string; span: { start: number; end: number } | null };
  }
};
const link = (c: Case): string => `${server.url}${toQuery({ expr: c.expr, vars: parseVars(c.vars), wrt: c.wrt, order: c.order })}`;

/** Waits for the answer to the problem now in the page, and for its numeric check. */
async function settled(): Promise<void> {
  await page.waitForSelector('#result[data-state="done"], #result[data-state="error"]', { timeout: 15_000 });
  if (await page.getAttribute('#result', 'data-state') === 'done') {
    await page.waitForSelector('#verify[data-state="shown"]', { timeout: 20_000 });
  }
}
async function open(url: string): Promise<void> {
  await page.goto(url);
  await settled();
}
const text = async (sel: string): Promise<string> => (await page.textContent(sel))?.trim() ?? '';

/** The problem in the page's address, which the page writes as it sends a problem to its worker. */
const problemInUrl = (): Record<string, string> => Object.fromEntries(new URL(page.url()).searchParams);

async function typeExpr(expr: string, keyByKey = true): Promise<void> {
  await page.fill('#expr', keyByKey ? '' : expr);
  if (keyByKey) await page.locator('#expr').pressSequentially(expr, { delay: 5 });
  // The page sends a problem after a pause (250 ms) and writes it in the address as it does.
  await expect.poll(() => problemInUrl().expr, { timeout: 3000 }).toBe(expr);
  await settled();
}

const README: Case[] = [
  { expr: "det(X+B)*log(a'*inv(X)*a) - tr(X)", vars: 'X:matrix;B:matrix;a:vector', wrt: 'X', order: 1 },
  { expr: "a'*inv(X)*a", vars: 'X:matrix;a:vector', wrt: 'a', order: 1 },
  { expr: "x'*A*x", vars: 'x:vector;A:matrix', wrt: 'x', order: 1 },
  { expr: "det(I + x*x')", vars: 'x:vector', wrt: 'x', order: 2 },
  { expr: 'tr(X*X)', vars: 'X:matrix', wrt: 'X', order: 2 },
  { expr: 'sin(x).*x', vars: 'x:vector', wrt: 'x', order: 1 },
  { expr: "X'*X", vars: 'X:matrix(m,n)', wrt: 'X', order: 1 },
  { expr: 'logdet(X)', vars: 'X:matrix', wrt: 'X', order: 1 },
  { expr: 'sum(log(1 + exp(-y.*(X*w))))', vars: 'y:vector;X:matrix;w:vector', wrt: 'w', order: 1 },
  { expr: "logdet(S) - x'*S*x", vars: 'S:symmetric;x:vector', wrt: 'S', order: 1 },
  { expr: 'sum((W2*tanh(W1*x) - y).^2)', vars: 'W2:matrix;W1:matrix;x:vector;y:vector', wrt: 'W1', order: 1 },
];

describe('the web page', () => {
  it('answers what one types, with kinds guessed and then picked', async () => {
    await page.setViewportSize(DESKTOP);
    await open(server.url);
    // With no problem in the address, the page opens on the first example.
    expect(await page.inputValue('#expr')).toContain('det(X+B)');
    expect(await page.locator('#answer .katex').count()).toBeGreaterThanOrEqual(2);

    await typeExpr("x'*A*x");
    expect(await page.locator('.var-row').evaluateAll((rows) => rows.map((r) => `${(r as HTMLElement).dataset.name}:${r.querySelector('select')!.value}`)))
      .toEqual(['x:vector', 'A:matrix']);
    expect(await page.inputValue('#wrt')).toBe('x');
    const expected = derive({ expr: "x'*A*x", vars: { x: 'vector', A: 'matrix' }, wrt: 'x' });
    expect(await text('#answer-text')).toBe(expected.derivative!.text);
    expect(await page.locator('#answer .derivative .katex').count()).toBe(1);
    expect(await text('#answer .derivative .katex-host')).toMatch(/∇/);
    expect(problemInUrl()).toEqual({ expr: "x'*A*x", vars: 'x:vector;A:matrix', wrt: 'x', order: '1' });
    await page.click('#share');
    await expect.poll(() => text('#share-status')).toBe('Link copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());

    // Pick a kind: A symmetric changes the answer.
    await page.selectOption('.var-row[data-name="A"] select', 'symmetric');
    await page.waitForURL(/A:symmetric/);
    await settled();
    const sym = derive({ expr: "x'*A*x", vars: { x: 'vector', A: 'symmetric' }, wrt: 'x' });
    await expect.poll(() => text('#answer-text')).toBe(sym.derivative!.text);
    expect(await page.getAttribute('[data-verdict]', 'data-verdict')).toBe('pass');

    // The Hessian, by the order control.
    await page.check('input[name="order"][value="2"]');
    await page.waitForURL(/order=2/);
    await settled();
    const hess = derive({ expr: "x'*A*x", vars: { x: 'vector', A: 'symmetric' }, wrt: 'x', order: 2 });
    await expect.poll(() => text('#answer-text')).toBe(hess.derivative!.text);
    expect(await text('#answer .derivative .meta')).toContain('Hessian');
    expect(pageErrors).toEqual([]);
  });

  it('shows the derivation step by step, collapsed until opened', async () => {
    const c = README[0]!;
    await open(link(c));
    const steps = derive({ ...request(c), steps: true }).steps ?? [];
    await page.waitForSelector('#steps[data-state]:not([data-state="pending"])', { state: 'attached' });
    if (steps.length === 0) {
      expect(await page.isHidden('#steps')).toBe(true);
      return;
    }
    expect(await page.isVisible('#steps')).toBe(true);
    expect(await page.getAttribute('#steps', 'open')).toBeNull();
    // Opened from the keyboard.
    await page.focus('#steps summary');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#steps-list li .katex');
    expect(await page.locator('#steps-list > li').count()).toBe(steps.length);
    expect(await page.locator('#steps-list > li').first().getAttribute('data-rule')).toBe(steps[0]!.rule);
    expect(await page.locator('#steps-list .tex-notice').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'desktop-steps.png'), fullPage: true });
  });

  it('underlines the fault in the expression and says what it is', async () => {
    await open(link(README[2]!));
    await typeExpr('x +* x');
    expect(await page.getAttribute('#result', 'data-state')).toBe('error');
    const fault = faultOf({ expr: 'x +* x', vars: { x: 'vector' }, wrt: 'x' });
    expect(fault?.code).toBe('parse-error');
    expect(await page.isVisible('#expr-error')).toBe(true);
    expect(await text('#expr-error')).toContain(fault!.message);
    expect(await text('#expr-error .error-code')).toBe('parse-error');
    expect(await page.getAttribute('#expr', 'aria-invalid')).toBe('true');
    expect(await text('#expr-mirror mark.error-span')).toBe('x +* x'.slice(fault!.span!.start, fault!.span!.end));
    // The underline sits under the characters it names: the mark starts where the input shows '+'.
    const mark = (await page.locator('#expr-mirror mark').boundingBox())!;
    const input = (await page.locator('#expr').boundingBox())!;
    expect(mark.x).toBeGreaterThan(input.x);
    expect(mark.x + mark.width).toBeLessThan(input.x + input.width);
    expect(Math.abs(mark.y + mark.height / 2 - (input.y + input.height / 2))).toBeLessThan(6);
    // The last answer stays, marked out of date: the page never goes blank.
    expect(await page.locator('#answer .katex').count()).toBeGreaterThan(0);
    expect(await page.getAttribute('#result', 'class')).toContain('stale');
    await page.screenshot({ path: join(SHOTS, 'desktop-error.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(SHOTS, 'phone-error.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);

    // A shape fault points at the operator.
    await typeExpr("x'*A + x");
    expect(await text('#expr-error .error-code')).toBe('shape-mismatch');
    expect((await text('#expr-mirror mark')).length).toBeGreaterThan(0);

    // A fault in a declaration is shown beside that variable.
    await typeExpr("x'*A*x");
    await page.fill('.var-row[data-name="x"] input.dims', '0');
    await page.waitForSelector('.var-row[data-name="x"] .field-error');
    expect(await text('.var-row[data-name="x"] .field-error')).toMatch(/positive integer/);
    await page.fill('.var-row[data-name="x"] input.dims', '');
    await page.waitForSelector('#result[data-state="done"]');
    expect(await page.locator('.field-error').count()).toBe(0);

    // Nothing the user types throws in the page.
    for (const bad of ['(', ')', "'", 'inv(', 'x.^', 'zz(x)', 'I', '1e999*x', 'exp', '#']) await typeExpr(bad, false);
    expect(pageErrors).toEqual([]);
  });

  it('opens every README example from its link with the right answer, and the check passes', async () => {
    for (const c of README) {
      await open(link(c));
      const expected = derive(request(c));
      expect(await page.getAttribute('#result', 'data-state'), c.expr).toBe('done');
      expect(await page.inputValue('#expr')).toBe(c.expr);
      expect(await page.inputValue('#wrt')).toBe(c.wrt);
      expect(await text('#answer-text'), c.expr).toBe(expected.derivative!.text);
      expect(await page.locator('#answer .katex').count(), c.expr).toBe(2);
      expect(await page.locator('#answer .tex-notice').count(), c.expr).toBe(0);
      expect(await page.getAttribute('[data-verdict]', 'data-verdict'), `${c.expr}: ${await text('#verify-body')}`).toBe('pass');
      // The address keeps the problem as given (the variables in the order they appear).
      const inUrl = problemInUrl();
      expect([inUrl.expr, inUrl.wrt, inUrl.order]).toEqual([c.expr, c.wrt, String(c.order)]);
      expect(parseVars(inUrl.vars!).sort((a, b) => a.name.localeCompare(b.name))).toEqual(parseVars(c.vars).sort((a, b) => a.name.localeCompare(b.name)));
    }
    await open(link(README[0]!));
    await page.screenshot({ path: join(SHOTS, 'desktop-result.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(SHOTS, 'phone-result.png'), fullPage: true });
    // Nothing wider than the phone's screen but the formulas' own scroll boxes.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);
  });

  it('loads each example from the menu', async () => {
    await open(server.url);
    const labels = await page.locator('#examples button').allTextContents();
    expect(labels.length).toBe(5);
    for (let i = 0; i < labels.length; i++) {
      const before = await page.inputValue('#expr');
      await page.locator('#examples button').nth(i).click();
      if (i > 0) await page.waitForFunction((b) => (document.getElementById('expr') as HTMLInputElement).value !== b, before);
      await settled();
      expect(await page.getAttribute('#result', 'data-state'), labels[i]).toBe('done');
      expect(await page.getAttribute('[data-verdict]', 'data-verdict'), `${labels[i]}: ${await text('#verify-body')}`).toBe('pass');
    }
    expect(await page.inputValue('#wrt')).toBe('W1');
  });

  it('works from the keyboard alone, with a visible focus', async () => {
    await open(link(README[2]!));
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Tab'); // the skip link
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('expr');
    await page.keyboard.press('End');
    await page.keyboard.type(' + t*sum(x)');
    await page.waitForSelector('.var-row[data-name="t"]');
    await settled();
    expect(await page.locator('.var-row[data-name="t"] select').inputValue()).toBe('scalar');
    // Tab on to x's kind and change it with the arrow keys.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('var-x-kind');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('ArrowDown'); // vector -> matrix: f is now a matrix, its answer a differential
    await page.waitForURL(/x:matrix/);
    await settled();
    await expect.poll(() => text('#answer .derivative .meta')).toMatch(/^Differential/);
    await page.keyboard.press('ArrowUp');
    await page.waitForURL(/x:vector/);
    await settled();
    expect(await page.getAttribute('#result', 'data-state')).toBe('done');
  });

  it('stays responsive while the worker derives a large expression', async () => {
    await open(link(README[2]!));
    // The page's own thread, watched for long tasks while the engine works.
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.longTasks.push(e.duration); }).observe({ type: 'longtask' });
    });
    const big = Array.from({ length: 1200 }, (_, i) => `log(x'*A*x + ${i + 1})`).join(' + ');
    await page.fill('#expr', big);
    await expect.poll(() => problemInUrl().expr === big, { timeout: 3000 }).toBe(true);
    await settled();
    expect(await page.getAttribute('#result', 'data-state')).toBe('done');
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    expect(Math.max(0, ...longTasks)).toBeLessThan(250);
    // A formula this long waits behind a button instead of being typeset on the page's thread.
    expect(await page.locator('#answer .derivative button.typeset').count()).toBe(1);
    expect((await text('#answer-text')).length).toBeGreaterThan(1000);
  });

  it('copies code that runs', async () => {
    const c = README[2]!;
    const js = derive({ ...request(c), emit: 'js' }).code!;
    await open(link(c));
    await page.waitForSelector('#code[data-state]:not([data-state="pending"])', { state: 'attached' });
    expect(js).toBeDefined();
    expect(await page.isVisible('#code')).toBe(true);
    expect(await page.locator('#code-tabs [role="tab"]').allTextContents()).toEqual(expect.arrayContaining(['JavaScript']));
    await page.click('#tab-js');
    const shown = await text('#code-text');
    expect(shown).toBe(js.trim());
    await page.click('#copy-code');
    await expect.poll(() => text('#copy-status')).toMatch(/copied/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied.trim()).toBe(js.trim());
    // The copied code runs in the page and gives the value and the derivative's numbers at a point.
    const at: Record<string, Value> = { x: [1, -2, 0.5], A: [[2, 1, 0], [0, 3, 1], [1, 0, 4]] };
    const answer = derive({ ...request(c), at });
    const want = [answer.value!, answer.derivativeValue!];
    const got = await page.evaluate(`(${RUN_CODE})(${JSON.stringify({ code: copied, at, names: ['x', 'A'] })})`) as { value: unknown; error: string | null };
    expect(got.error, got.error ?? '').toBeNull();
    const flat = (v: unknown): number[] => (typeof v === 'number' ? [v] : Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<unknown>).flatMap(flat) : []);
    expect(flat(got.value).map((v) => Number(v.toFixed(9)))).toEqual(flat(want).map((v) => Number(v.toFixed(9))));
  });
});

/** In the page: the code as an ES module, its exported functions called with the values by name (an
 *  object) or in declaration order; the first call that answers wins. A string, so that no test-side
 *  transform touches its dynamic import. */
const RUN_CODE = `async ({ code, at, names }) => {
  let fns = [];
  try {
    const mod = await import('data:text/javascript;charset=utf-8,' + encodeURIComponent(code));
    fns = Object.values(mod).filter((f) => typeof f === 'function');
  } catch (e) {
    return { value: null, error: 'the code does not load as a module: ' + String(e) };
  }
  if (!fns.length) return { value: null, error: 'the code exports no function' };
  const errors = [];
  for (const f of fns) {
    for (const args of [[at], names.map((n) => at[n])]) {
      try {
        const value = f(...args);
        if (value !== undefined && value !== null) return { value: ArrayBuffer.isView(value) ? [...value] : value, error: null };
      } catch (e) { errors.push(String(e)); }
    }
  }
  return { value: null, error: 'no exported function answered: ' + errors.join('; ') };
}`;
