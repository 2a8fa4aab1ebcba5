/** The exported code, run: TypeScript (transpiled) and JavaScript under node, NumPy under
 *  python3, each batch in one process, against the engine's own numbers from `derive`. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileForDerivative, derivation, derive } from '../../src/api/derive.js';
import type { DeriveRequest, Value } from '../../src/api/types.js';
import { emitCode, type CodeTarget } from '../../src/print/code.js';
import { seeded } from '../numeric/helpers.js';

// ---------------------------------------------------------------- points
const rand = seeded(20240611);
const r = (): number => Math.round((2 * rand() - 1) * 1000) / 1000;
const vec = (n: number, shift = 0): number[] => Array.from({ length: n }, () => r() + shift);
/** rows x cols, with `shift` added on the diagonal (well-conditioned when square and shifted). */
const mat = (rows: number, cols: number, shift = 0): number[][] =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => r() + (i === j ? shift : 0)));
const sym = (n: number, shift = 0): number[][] => {
  const A = mat(n, n);
  return A.map((row, i) => row.map((_, j) => (A[i]![j]! + A[j]![i]!) / 2 + (i === j ? shift : 0)));
};

/** `entries`: a Hessian by a matrix emitted without its columns' closed form (the fallback: d2f entry by entry). */
interface Case { expr: string; vars: Record<string, string>; wrt: string; order?: 1 | 2; at: Record<string, Value>; entries?: boolean }
const c = (expr: string, vars: Record<string, string>, wrt: string, at: Record<string, Value>, order: 1 | 2 = 1): Case => ({ expr, vars, wrt, order, at });
const entryByEntry = (k: Case): Case => ({ ...k, entries: true });

const CASES: Case[] = [
  // gradients by a scalar
  c('x^2*sin(x) + exp(-x)/x', { x: 'scalar' }, 'x', { x: 0.7 }),
  c("s*a'*A*a + log(s)", { s: 'scalar', A: 'matrix', a: 'vector' }, 's', { s: 1.3, A: mat(3, 3), a: vec(3) }),
  // gradients by a vector
  c("x'*A*x", { A: 'matrix', x: 'vector' }, 'x', { A: mat(3, 3), x: vec(3) }),
  c('logsumexp(A*x)', { A: 'matrix(m,n)', x: 'vector(n)' }, 'x', { A: mat(2, 3), x: vec(3) }),
  c('norm2(A*x - b)^2', { A: 'matrix(m,n)', x: 'vector(n)', b: 'vector(m)' }, 'x', { A: mat(2, 3), x: vec(3), b: vec(2) }),
  c("sum(sigmoid(x) .* y) + sqrt(x'*x)", { x: 'vector', y: 'vector' }, 'x', { x: vec(4), y: vec(4) }),
  c("a'*inv(X)*a", { X: 'matrix', a: 'vector' }, 'a', { X: mat(3, 3, 3), a: vec(3) }),
  c("sum(tanh(x)) + sum(abs(x).^1.5) + ones(n)'*cos(x)", { x: 'vector(n)' }, 'x', { x: vec(3, 0.1) }),
  c("softmax(x)'*y + sum(log(x.^2 + 1))", { x: 'vector', y: 'vector' }, 'x', { x: vec(3), y: vec(3) }),
  c("a'*unvec(v, m)*b", { a: 'vector(m)', b: 'vector(n)', v: 'vector(m*n)' }, 'v', { a: vec(2), b: vec(3), v: vec(6) }),
  // gradients by a matrix
  c("a'*inv(X)*a", { X: 'matrix', a: 'vector' }, 'X', { X: mat(3, 3, 3), a: vec(3) }),
  c('logdet(X)', { X: 'matrix' }, 'X', { X: mat(3, 3, 3) }),
  c('det(X)', { X: 'matrix' }, 'X', { X: mat(3, 3, 2) }),
  c('tr(A*X*B)', { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, 'X', { A: mat(4, 3), X: mat(3, 2), B: mat(2, 4) }),
  c('norm2(X*a - b)', { X: 'matrix(m,n)', a: 'vector(n)', b: 'vector(m)' }, 'X', { X: mat(2, 3), a: vec(3), b: vec(2) }),
  c("det(X+B)*log(a'*inv(X)*a) - tr(X)", { X: 'matrix', B: 'matrix', a: 'vector' }, 'X', { X: mat(3, 3, 3), B: mat(3, 3, 2), a: vec(3, 2) }),
  c('tr(X^3) + sum(exp(X).*A)', { X: 'matrix', A: 'matrix' }, 'X', { X: mat(3, 3), A: mat(3, 3) }),
  c('tr(inv(X)*A) + sum(diag(X).^2)', { X: 'matrix', A: 'matrix' }, 'X', { X: mat(3, 3, 3), A: mat(3, 3) }),
  c("sum(vec(X).^3) + sum(exp(X')) + sum(X*ones(n))", { X: 'matrix(m,n)' }, 'X', { X: mat(3, 2) }),
  c("tr(inv(eye(n) + X'*X))", { X: 'matrix(m,n)' }, 'X', { X: mat(3, 2) }),
  c("x'*x", { x: 'vector', A: 'matrix' }, 'A', { x: vec(3), A: mat(2, 2) }),
  // gradients by a symmetric matrix
  c("a'*S*b", { S: 'symmetric', a: 'vector', b: 'vector' }, 'S', { S: sym(3), a: vec(3), b: vec(3) }),
  c('logdet(S) + tr(S*A)', { S: 'symmetric', A: 'matrix' }, 'S', { S: sym(3, 3), A: mat(3, 3) }),
  c('tr(S*S*A)', { S: 'symmetric', A: 'matrix' }, 'S', { S: sym(3), A: mat(3, 3) }),
  // Jacobians
  c('A*x', { A: 'matrix(m,n)', x: 'vector(n)' }, 'x', { A: mat(2, 3), x: vec(3) }),
  c('exp(x) .* y', { x: 'vector', y: 'vector' }, 'x', { x: vec(3), y: vec(3) }),
  c('softmax(x)', { x: 'vector' }, 'x', { x: vec(4) }),
  c('x*s^2 + sin(s)*y', { x: 'vector', y: 'vector', s: 'scalar' }, 's', { x: vec(3), y: vec(3), s: 0.4 }),
  c('tanh(A*x + b)', { A: 'matrix(m,n)', x: 'vector(n)', b: 'vector(m)' }, 'x', { A: mat(2, 3), x: vec(3), b: vec(2) }),
  // differentials, as the Jacobian of vec(f) by vec(X)
  c('inv(X)', { X: 'matrix' }, 'X', { X: mat(3, 3, 3) }),
  c("X*X'", { X: 'matrix(m,n)' }, 'X', { X: mat(2, 3) }),
  c('inv(X)*b', { X: 'matrix', b: 'vector' }, 'X', { X: mat(3, 3, 3), b: vec(3) }),
  c('S*A*S', { S: 'symmetric', A: 'matrix' }, 'S', { S: sym(3), A: mat(3, 3) }),
  c("x*x'", { x: 'vector' }, 'x', { x: vec(3) }),
  c('exp(s*A)', { s: 'scalar', A: 'matrix' }, 's', { s: 0.3, A: mat(2, 3) }),
  c('kron(X, A)', { X: 'matrix', A: 'matrix' }, 'X', { X: mat(2, 3), A: mat(2, 2) }),
  // Hessians by a scalar or a vector
  c("x'*A*x", { A: 'matrix', x: 'vector' }, 'x', { A: mat(3, 3), x: vec(3) }, 2),
  c('logsumexp(x)', { x: 'vector' }, 'x', { x: vec(4) }, 2),
  c('sum(exp(A*x)) + norm2(x)^2', { A: 'matrix(m,n)', x: 'vector(n)' }, 'x', { A: mat(2, 3), x: vec(3) }, 2),
  c('s^3 + exp(s)*t', { s: 'scalar', t: 'scalar' }, 's', { s: 0.9, t: -1.2 }, 2),
  c("a'*inv(X)*a", { X: 'matrix', a: 'vector' }, 'a', { X: mat(3, 3, 3), a: vec(3) }, 2),
  c("sum(sigmoid(x)) + sum(x.^3) + x'*diag(y)*x", { x: 'vector', y: 'vector' }, 'x', { x: vec(3), y: vec(3) }, 2),
  // Hessians by a matrix, by vec(X)
  c('logdet(X)', { X: 'matrix' }, 'X', { X: mat(3, 3, 3) }, 2),
  c("tr(X*A*X')", { X: 'matrix(m,n)', A: 'matrix(n,n)' }, 'X', { X: mat(2, 3), A: mat(3, 3) }, 2),
  c("a'*inv(X)*a", { X: 'matrix', a: 'vector' }, 'X', { X: mat(3, 3, 3), a: vec(3) }, 2),
  c('det(X)', { X: 'matrix' }, 'X', { X: mat(3, 3, 2) }, 2),
  c('logdet(S)', { S: 'symmetric' }, 'S', { S: sym(3, 3) }, 2),
  c('tr(S*A*S*B)', { S: 'symmetric', A: 'matrix', B: 'matrix' }, 'S', { S: sym(3), A: mat(3, 3), B: mat(3, 3) }, 2),
  // leaves as answers, constants, integer dimensions, inverses meeting, negative powers
  c('x', { x: 'vector' }, 'x', { x: vec(3) }),
  c('tr(X) + 2*sum(x)', { X: 'matrix', x: 'vector' }, 'X', { X: mat(3, 3), x: vec(3) }),
  c('sum(X*a)', { X: 'matrix(2,3)', a: 'vector(3)' }, 'X', { X: mat(2, 3), a: vec(3) }),
  c('inv(X)*inv(B)', { X: 'matrix', B: 'matrix' }, 'B', { X: mat(3, 3, 3), B: mat(3, 3, 3) }),
  c('tr(X^-2) + sum(X^2)', { X: 'matrix' }, 'X', { X: mat(3, 3, 3) }),
  c('sum(2*inv(X))', { X: 'matrix' }, 'X', { X: mat(3, 3, 3) }),
  c('tr(A*X) + 3', { A: 'matrix', X: 'matrix' }, 'X', { A: mat(3, 3), X: mat(3, 3) }, 2),
  c("b'*x", { b: 'vector', x: 'vector' }, 'x', { b: vec(3), x: vec(3) }, 2),
  // the benchmarks' problems
  c('sum(log(1 + exp(-y.*(X*w))))', { X: 'matrix(m,n)', y: 'vector(m)', w: 'vector(n)' }, 'w', { X: mat(4, 3), y: vec(4), w: vec(3) }),
  c('sum(log(1 + exp(-y.*(X*w))))', { X: 'matrix(m,n)', y: 'vector(m)', w: 'vector(n)' }, 'w', { X: mat(4, 3), y: vec(4), w: vec(3) }, 2),
  c('tr(inv(X)*A)', { X: 'matrix', A: 'matrix' }, 'X', { X: mat(3, 3, 3), A: mat(3, 3) }),
  c('tr(inv(X)*A)', { X: 'matrix', A: 'matrix' }, 'X', { X: mat(3, 3, 3), A: mat(3, 3) }, 2),
  // Hessians by a matrix entry by entry, where the columns have no closed form
  entryByEntry(c('logdet(X)', { X: 'matrix' }, 'X', { X: mat(3, 3, 3) }, 2)),
  entryByEntry(c('tr(S*A*S*B)', { S: 'symmetric', A: 'matrix', B: 'matrix' }, 'S', { S: sym(3), A: mat(3, 3), B: mat(3, 3) }, 2)),
  entryByEntry(c("a'*inv(X)*a", { X: 'matrix', a: 'vector' }, 'X', { X: mat(3, 3, 3), a: vec(3) }, 2)),
  // names the target languages keep for themselves
  c("in'*np*in*t1 + Math*float", { in: 'vector', np: 'matrix', t1: 'scalar', Math: 'scalar', float: 'scalar' }, 'in',
    { in: vec(3), np: mat(3, 3), t1: 0.5, Math: 2, float: 3 }, 2),
];

const TARGETS: CodeTarget[] = ['ts', 'js', 'numpy'];

// ---------------------------------------------------------------- running the code
interface Ran { ok?: unknown[]; ndims?: number[]; error?: string }
const request = (k: Case): DeriveRequest => ({ expr: k.expr, vars: k.vars, wrt: k.wrt, order: k.order ?? 1, at: k.at });
const argsOf = (k: Case): Value[] => Object.keys(k.vars).map((v) => k.at[v]!);

function codeOf(k: Case, target: CodeTarget): string {
  const { program, x } = compileForDerivative(request(k));
  const ds = k.order === 2 ? [derivation(program, x, 1), derivation(program, x, 2)] : [derivation(program, x, 1)];
  if (k.entries) ds[1] = { ...ds[1]!, hessianColumns: null };
  return emitCode(ds, target);
}

/** The engine's numbers: the value, then each derivative in order. */
function expected(k: Case): Value[] {
  const first = derive({ ...request(k), order: 1 });
  const out = [first.value!, first.derivativeValue!];
  if (k.order === 2) out.push(derive(request(k)).derivativeValue!);
  return out;
}

const NODE_RUNNER = `
import { readFileSync } from 'node:fs';
const jobs = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = [];
for (const job of jobs) {
  try { out.push({ ok: (await import(job.file)).derivative(...job.args) }); }
  catch (e) { out.push({ error: String(e && e.stack || e) }); }
}
process.stdout.write(JSON.stringify(out));
`;

const PY_RUNNER = `
import importlib.util, json, sys
import numpy as np
jobs = json.load(open(sys.argv[1]))
out = []
for job in jobs:
    try:
        spec = importlib.util.spec_from_file_location(job['name'], job['file'])
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        res = mod.derivative(*job['args'])
        out.append({'ok': [v.tolist() if isinstance(v, np.ndarray) else v for v in res],
                    'ndims': [v.ndim if isinstance(v, np.ndarray) else (0 if isinstance(v, float) else -1) for v in res]})
    except Exception as e:
        out.append({'error': repr(e)})
print(json.dumps(out))
`;

let dir = '';
const codes = new Map<CodeTarget, string[]>();
const ran = new Map<CodeTarget, Ran[]>();

function runNode(files: string[]): Ran[] {
  const jobs = files.map((file, i) => ({ file, args: argsOf(CASES[i % CASES.length]!) }));
  writeFileSync(join(dir, 'jobs.json'), JSON.stringify(jobs));
  writeFileSync(join(dir, 'runner.mjs'), NODE_RUNNER);
  return JSON.parse(execFileSync(process.execPath, [join(dir, 'runner.mjs'), join(dir, 'jobs.json')], { encoding: 'utf8' })) as Ran[];
}

function requireNumpy(): void {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`the NumPy code tests need python3 with numpy (apt-get install python3-numpy): ${String(e)}`);
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'matcalc-code-'));
  for (const t of TARGETS) codes.set(t, CASES.map((k) => codeOf(k, t)));
  const tsFiles = codes.get('ts')!.map((code, i) => {
    const file = join(dir, `case${i}.ts.mjs`);
    writeFileSync(file, ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText);
    return file;
  });
  const jsFiles = codes.get('js')!.map((code, i) => {
    const file = join(dir, `case${i}.js.mjs`);
    writeFileSync(file, code);
    return file;
  });
  const results = runNode([...tsFiles, ...jsFiles]);
  ran.set('ts', results.slice(0, CASES.length));
  ran.set('js', results.slice(CASES.length));
  requireNumpy();
  const pyJobs = codes.get('numpy')!.map((code, i) => {
    const file = join(dir, `case${i}.py`);
    writeFileSync(file, code);
    return { name: `case${i}`, file, args: argsOf(CASES[i]!) };
  });
  writeFileSync(join(dir, 'pyjobs.json'), JSON.stringify(pyJobs));
  writeFileSync(join(dir, 'runner.py'), PY_RUNNER);
  ran.set('numpy', JSON.parse(execFileSync('python3', [join(dir, 'runner.py'), join(dir, 'pyjobs.json')], { encoding: 'utf8' })) as Ran[]);
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

// ---------------------------------------------------------------- comparing
const body = (code: string): string => code.slice(code.indexOf('export function derivative'));
const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
const layout = (v: unknown): string => (Array.isArray(v) ? `[${v.length}${Array.isArray(v[0]) ? `x${(v[0] as unknown[]).length}` : ''}]` : typeof v);
const ndim = (v: unknown): number => (Array.isArray(v) ? 1 + (Array.isArray(v[0]) ? 1 : 0) : 0);

function expectClose(actual: unknown, want: Value, what: string): void {
  expect(layout(actual), `${what}: layout`).toBe(layout(want));
  const a = flat(actual), e = flat(want);
  const scale = Math.max(1, ...e.map(Math.abs));
  const err = Math.max(0, ...a.map((x, i) => Math.abs(x - e[i]!)));
  expect(err / scale, `${what}: relative error`).toBeLessThan(1e-10);
}

const title = (k: Case): string => `${k.order === 2 ? 'Hessian' : 'derivative'} of ${k.expr} by ${k.wrt}${k.entries ? ', entry by entry' : ''}`;

describe('exported code gives the engine\'s numbers', () => {
  it('covers at least 30 expressions, with every kind of answer', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    const byMatrix = (k: Case): boolean => /matrix|symmetric/.test(k.vars[k.wrt]!);
    const kinds = new Set(CASES.map((k) => `${derive(request(k)).kind}${k.order === 2 && byMatrix(k) ? ' by a matrix' : ''}`));
    expect([...kinds].sort()).toEqual(['differential', 'gradient', 'hessian', 'hessian by a matrix', 'jacobian']);
  });

  CASES.forEach((k, i) => {
    it(title(k), () => {
      const want = expected(k);
      for (const t of TARGETS) {
        const got = ran.get(t)![i]!;
        expect(got.error, `${t}: ${got.error}\n${codes.get(t)![i]}`).toBeUndefined();
        expect(got.ok!.length, t).toBe(want.length);
        want.forEach((w, j) => expectClose(got.ok![j], w, `${t}, result ${j}`));
        if (t === 'numpy') expect(got.ndims, 'numpy: scalars are floats, vectors 1-D, matrices 2-D').toEqual(want.map(ndim));
      }
    });
  });
});

describe('the generated modules', () => {
  it('type-check as strict TypeScript', () => {
    const files = codes.get('ts')!.map((code, i) => {
      const file = join(dir, `typed${i}.ts`);
      writeFileSync(file, code);
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
      lib: ['lib.es2022.d.ts'], types: [], skipLibCheck: true,
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diags).toEqual([]);
  });

  it('depend on nothing (TS, JS) or only on numpy', () => {
    for (const code of [...codes.get('ts')!, ...codes.get('js')!]) {
      expect(code).not.toMatch(/^\s*import\b|\brequire\(/m);
      expect(code.match(/^export /gm)).toHaveLength(1);
    }
    for (const code of codes.get('numpy')!) expect(code.match(/^(import|from) .*/gm)).toEqual(['import numpy as np']);
  });

  it('document the layout and the order of the arguments in a header', () => {
    const i = CASES.findIndex((k) => k.expr === "a'*inv(X)*a" && k.wrt === 'X' && k.order === 1);
    const ts_ = codes.get('ts')![i]!;
    expect(ts_).toContain('// derivative(X, a) returns [f, grad]:');
    expect(ts_).toContain('Scalars are numbers, vectors number[], matrices number[][] (arrays of rows).');
    expect(ts_).toContain('export function derivative(X: number[][], a: number[]): [number, number[][]] {');
    expect(codes.get('js')![i]).toContain('export function derivative(X, a) {');
    const py = codes.get('numpy')![i]!;
    expect(py).toContain('# derivative(X, a) returns (f, grad):');
    expect(py).toContain('def derivative(X, a):');
  });

  it('solve rather than invert where the formula allows, and compute each shared node once', () => {
    const i = CASES.findIndex((k) => k.expr === "a'*inv(X)*a" && k.wrt === 'X' && k.order === 1);
    expect(codes.get('numpy')![i]).toContain('np.linalg.solve(X, a)');
    expect(codes.get('numpy')![i]).not.toContain('np.linalg.inv');
    const ts_ = body(codes.get('ts')![i]!);
    expect(ts_).not.toMatch(/\binv\(/);
    // one LU of X, for both solves
    expect(ts_.match(/\blu\(/g)).toEqual(['lu(']);
    expect(ts_).toMatch(/\bsolve\(\w+, ac\)/);
    expect(ts_).toMatch(/\bsolveT\(\w+, ac\)/);
    // inv(X) is f itself in the differential of inv(X): computed once, used in every direction
    const j = CASES.findIndex((k) => k.expr === 'inv(X)');
    expect(codes.get('numpy')![j]!.match(/np\.linalg\.inv/g)).toHaveLength(1);
    expect(codes.get('numpy')![j]).toContain('df = -(f @ dX @ f)');
    // each matrix factorised once, however many inverses, solves and determinants it meets
    const l = CASES.findIndex((k) => k.expr.startsWith('det(X+B)'));
    expect(body(codes.get('ts')![l]!).match(/\blu\(/g)).toHaveLength(2);
  });

  it('computes a Hessian by a matrix a column at a time, what does not depend on the direction outside the loop', () => {
    const i = CASES.findIndex((k) => k.expr === 'logdet(X)' && k.order === 2 && !k.entries);
    const py = codes.get('numpy')![i]!;
    expect(py).toContain('for j in range(n * n):');
    expect(py).not.toContain('for i in range');
    const loop = py.slice(py.indexOf('for j in range'));
    expect(loop).not.toContain('np.linalg.inv');
    expect(loop.match(/@/g)).toHaveLength(2);
    const ts_ = body(codes.get('ts')![i]!);
    expect(ts_).toContain('setColumn(hess, j, Hj);');
    expect(ts_).not.toContain('unit(n, n, i)');
    expect(ts_.slice(ts_.indexOf('for (let j'))).not.toMatch(/\b(inv|lu)\(/);
    // by a symmetric matrix, column j is vec of the symmetric part
    const s = CASES.findIndex((k) => k.expr === 'logdet(S)' && k.order === 2);
    expect(codes.get('numpy')![s]).toContain("hess[:, j] = np.reshape((Hj + Hj.T) / 2, -1, order='F')");
    expect(codes.get('js')![s]).toContain('setColumnSym(hess, j, Hj);');
  });

  it('falls back to d2f entry by entry where the columns have no closed form, hoisting out of the inner loop', () => {
    const i = CASES.findIndex((k) => k.expr === 'logdet(X)' && k.entries);
    const py = codes.get('numpy')![i]!;
    const inner = py.slice(py.indexOf('for i in range'));
    expect(inner).not.toContain('np.linalg.inv');
    expect(inner.match(/@/g)).toHaveLength(1);
    const ts_ = body(codes.get('ts')![i]!);
    expect(ts_).toContain('const dX2 = unit(n, n, i);');
    expect(ts_).toContain('hess.d[i * hess.c + j] = d2f;');
  });

  it('multiplies with vectors in matrix-vector loops, reading matrix arguments and transposes in place', () => {
    const i = CASES.findIndex((k) => k.expr.startsWith('sum(log(1 + exp(') && k.order === 1);
    for (const t of ['ts', 'js'] as const) {
      const code = body(codes.get(t)![i]!);
      // X is never copied nor transposed: X*w and X'*r read the caller's rows
      expect(code).toMatch(/\bmvRows\(X, wc\)/);
      expect(code).toMatch(/\btmvRows\(X, \w+\)/);
      expect(code).not.toMatch(/fromRows\(X\)|transpose\(X/);
      // entrywise work in loops of its own, the sum of logs fused into one
      expect(code).toMatch(/for \(let i = 0; i < m; i\+\+\) f \+= Math\.log\(1 \+ \w+\.d\[i\]\);/);
    }
    // x'*A*x: A*x and A'*x in one pass over A (not A + A' formed); NumPy multiplies the sum out too
    const q = CASES.findIndex((k) => k.expr === "x'*A*x" && k.order === 1);
    expect(body(codes.get('ts')![q]!)).toContain('mvBothRows(A, xc, xc)');
    expect(body(codes.get('ts')![q]!)).not.toMatch(/fromRows\(A\)|transpose\(A/);
    expect(codes.get('numpy')![q]).toContain('grad = A @ x + A.T @ x');
  });

  it('builds identities, ones and zeros at the sizes of the arguments', () => {
    const i = CASES.findIndex((k) => k.expr === 'tr(X) + 2*sum(x)');
    expect(codes.get('numpy')![i]).toContain('grad = np.eye(n)');
    const j = CASES.findIndex((k) => k.expr === "b'*x");
    expect(codes.get('ts')![j]).toContain('zeros(n, n)');
    const l = CASES.findIndex((k) => k.expr === 'sum(X*a)');
    expect(codes.get('numpy')![l]).toContain('np.ones((2, 1))');
  });

  it('binds dimension sizes from the arguments, dividing out known factors of a product', () => {
    const i = CASES.findIndex((k) => k.expr === "a'*unvec(v, m)*b");
    expect(codes.get('ts')![i]).toContain('const m = a.length;');
    expect(codes.get('numpy')![i]).toContain("reshape(m, -1, order='F')");
  });

  it('renames variables the target keeps for itself', () => {
    const py = codes.get('numpy')!.at(-1)!;
    expect(py).toContain('def derivative(in_, np_, t1, Math, float_):');
    expect(codes.get('js')!.at(-1)!).toContain('export function derivative(in_, np, t1, Math_, float) {');
  });

  it('takes a Hessian by a vector alone, with the gradient it carries', () => {
    const k = CASES.find((x) => x.order === 2 && x.expr === "x'*A*x")!;
    const { program, x } = compileForDerivative(request(k));
    expect(emitCode(derivation(program, x, 2), 'numpy')).toBe(codeOf(k, 'numpy'));
  });

  it('asks for the gradient with a Hessian by a matrix', () => {
    const k = CASES.find((x) => x.order === 2 && x.expr === 'logdet(X)')!;
    const { program, x } = compileForDerivative(request(k));
    expect(() => emitCode(derivation(program, x, 2), 'ts')).toThrow(/first- and second-order/);
  });
});
