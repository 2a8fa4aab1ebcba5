/** The command line's core, with the API replaced by canned answers and errors. */
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../src/api/index.js', () => ({ evaluate: vi.fn(), derive: vi.fn(), check: vi.fn() }));

import { check, derive, evaluate } from '../../src/api/index.js';
import type { CheckAnswer, DeriveAnswer, EvalAnswer } from '../../src/api/index.js';
import { MatcalcError } from '../../src/ir/errors.js';
import { run } from '../../src/cli/run.js';

const mEvaluate = vi.mocked(evaluate);
const mDerive = vi.mocked(derive);
const mCheck = vi.mocked(check);

beforeEach(() => {
  vi.resetAllMocks();
});

const EVAL: EvalAnswer = { shapes: { X: ['n', 'n'], a: ['n', '1'] }, dims: { n: 2 }, shape: ['1', '1'], value: 0.5 };
const GRADIENT: DeriveAnswer = {
  kind: 'gradient',
  shapes: { X: ['n', 'n'] },
  dims: { n: 2 },
  function: { text: 'logdet(X)', latex: '\\log\\left|\\det X\\right|', shape: ['1', '1'] },
  derivative: { text: "inv(X)'", latex: 'X^{-T}', shape: ['n', 'n'] },
  value: 1.791759469228055,
  derivativeValue: [[0.5, 0], [-0.16666666666666666, 0.3333333333333333]],
};
const PASS: CheckAnswer = { verdict: 'pass', points: 5, errors: { finiteDifferences: 1e-9, dual: 0, oneByOne: null } };
const FAIL: CheckAnswer = { verdict: 'fail', points: 5, errors: { finiteDifferences: 0.5, dual: 0.5, oneByOne: 0.5 } };

const json = (s: string): unknown => JSON.parse(s);

/** The part of the argument or expression the caret line underlines in `stderr`. */
const underlined = (stderr: string): string => {
  const lines = stderr.split('\n');
  const i = lines.findIndex((l) => /^ *\^+$/.test(l));
  if (i < 1) throw new Error(`no caret line in:\n${stderr}`);
  const shown = lines[i - 1]!;
  const from = lines[i]!.indexOf('^');
  return shown.slice(from, lines[i]!.lastIndexOf('^') + 1);
};

describe('--json', () => {
  it('passes the request to the API and answers with exactly its JSON', async () => {
    mEvaluate.mockReturnValue(EVAL);
    const req = { expr: "a'*inv(X)*a", vars: { X: 'matrix', a: 'vector' }, at: { X: [[2, 1], [0, 3]], a: [1, 2] } };
    const r = await run(['eval', '--json'], JSON.stringify(req));
    expect(mEvaluate).toHaveBeenCalledWith(req);
    expect(r).toEqual({ stdout: JSON.stringify(EVAL) + '\n', stderr: '', code: 0 });
  });

  it('passes every field of derive, emit included, and leaves out null ones', async () => {
    mDerive.mockReturnValue({ ...GRADIENT, code: 'def f(X): ...' });
    const req = { expr: 'logdet(X)', vars: { X: 'matrix' }, wrt: 'X', order: 2, at: { X: [[2, 1], [0, 3]] }, steps: true, mode: 'both', emit: 'numpy' };
    const r = await run(['derive', '--json'], JSON.stringify(req));
    expect(mDerive).toHaveBeenCalledWith(req);
    expect(json(r.stdout)).toEqual({ ...GRADIENT, code: 'def f(X): ...' });
    expect(r.code).toBe(0);

    await run(['derive', '--json'], '{"expr": "tr(X)", "vars": {"X": "matrix"}, "wrt": "X", "order": null, "at": null, "mode": null}');
    expect(mDerive).toHaveBeenLastCalledWith({ expr: 'tr(X)', vars: { X: 'matrix' }, wrt: 'X' });
  });

  it('reads standard input only for --json, and reads it whole', async () => {
    mEvaluate.mockReturnValue(EVAL);
    const reader = vi.fn(async () => '\uFEFF{"expr": "1", "vars": {}}\n');
    expect((await run(['eval', '--json'], reader)).code).toBe(0);
    expect(reader).toHaveBeenCalledTimes(1);
    expect(mEvaluate).toHaveBeenCalledWith({ expr: '1', vars: {} });

    const never = vi.fn(async () => { throw new Error('read'); });
    expect((await run(['eval', '2', '--var', 'x=scalar'], never)).code).toBe(0);
    expect(never).not.toHaveBeenCalled();
  });

  it('answers malformed JSON with bad-json and its place', async () => {
    const r = await run(['derive', '--json'], '{"expr": "x\'*x", "vars": ');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(json(r.stdout)).toEqual({
      error: {
        code: 'bad-json',
        message: 'malformed JSON in the request on standard input at column 26: expected a value, found the end of the input',
        in: 'request', start: null, end: null,
      },
    });
    expect(mDerive).not.toHaveBeenCalled();
  });

  it('answers empty input and a multi-line fault with their places', async () => {
    expect(json((await run(['eval', '--json'], '')).stdout)).toMatchObject({ error: { code: 'bad-json', message: expect.stringContaining('found nothing') } });
    const r = await run(['eval', '--json'], '{\n  "expr": "x",\n  "vars": {"x": "scalar",}\n}');
    expect(json(r.stdout)).toMatchObject({ error: { code: 'bad-json', message: expect.stringContaining('at line 3, column 26') } });
  });

  const base = { expr: "x'*x", vars: { x: 'vector' }, wrt: 'x' };
  it.each([
    ['derive', [1, 2], 'bad-request', 'request', 'a derive request is a JSON object with the fields "expr", "vars", "wrt", "order", "at", "steps", "mode", "emit"; got an array'],
    ['derive', { vars: base.vars, wrt: 'x' }, 'bad-request', 'request', 'the request has no "expr": the expression, as a string'],
    ['derive', { ...base, expr: 3 }, 'bad-request', 'request', '"expr" is the expression, as a string; got the number 3'],
    ['eval', { expr: 'x' }, 'bad-request', 'request', 'the request has no "vars": the kinds of the variables, such as {"X": "matrix"}'],
    ['derive', { ...base, vars: ['x'] }, 'bad-request', 'request', expect.stringContaining('"vars" is an object of kinds by variable name')],
    ['derive', { ...base, vars: { x: 'vector', A: 2 } }, 'bad-request', 'vars.A', 'the kind of A is a string, such as "matrix" or "vector(n)"; got the number 2'],
    ['derive', { expr: 'x', vars: base.vars }, 'bad-request', 'wrt', 'the request has no "wrt": the name of the variable to differentiate by'],
    ['check', { ...base, wrt: ['x'] }, 'bad-request', 'wrt', '"wrt" is the name of a variable, as a string; got an array'],
    ['derive', { ...base, order: 3 }, 'bad-order', 'order', 'the order of a derivative is 1 or 2; got 3'],
    ['derive', { ...base, order: 1.5 }, 'bad-order', 'order', 'the order of a derivative is 1 or 2; got 1.5'],
    ['check', { ...base, order: '2' }, 'bad-request', 'order', '"order" is the number 1 or 2; got the string "2"'],
    ['derive', { ...base, at: [1] }, 'bad-request', 'request', expect.stringContaining('"at" is an object of values by variable name')],
    ['derive', { ...base, at: { x: [1, '2'] } }, 'bad-request', 'at.x', 'the value of x is a number, an array of numbers (a vector), or an array of rows (a matrix); entry 2 is the string "2", among numbers'],
    ['eval', { expr: 'X', vars: { X: 'matrix' }, at: { X: [[1, 2], [3, null]] } }, 'bad-request', 'at.X', expect.stringContaining('row 2, entry 2 is null')],
    ['derive', { ...base, steps: 'yes' }, 'bad-request', 'request', '"steps" is true or false; got the string "yes"'],
    ['derive', { ...base, mode: 'fast' }, 'bad-request', 'request', '"mode" is one of "symbolic", "ad", "both"; got the string "fast"'],
    ['derive', { ...base, emit: 'c' }, 'bad-request', 'request', '"emit" is one of "ts", "js", "numpy"; got the string "c"'],
    ['check', { ...base, points: 0 }, 'bad-request', 'request', '"points" is a whole number from 1 to 1000; got the number 0'],
    ['derive', { ...base, wtr: 'x' }, 'bad-request', 'request', 'unknown field "wtr" in a derive request; its fields are "expr", "vars", "wrt", "order", "at", "steps", "mode", "emit"'],
    ['eval', { ...base }, 'bad-request', 'request', 'unknown field "wrt" in an eval request; its fields are "expr", "vars", "at"'],
  ] as const)('%s %j: %s in %s', async (command, request, code, where, message) => {
    const r = await run([command, '--json'], JSON.stringify(request));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(json(r.stdout)).toEqual({ error: { code, message, in: where, start: null, end: null } });
    expect(mEvaluate).not.toHaveBeenCalled();
    expect(mDerive).not.toHaveBeenCalled();
    expect(mCheck).not.toHaveBeenCalled();
  });

  it('refuses a key given twice, naming it', async () => {
    const r = await run(['derive', '--json'], '{"expr": "x", "vars": {"x": "vector", "x": "matrix"}, "wrt": "x"}');
    expect(json(r.stdout)).toEqual({
      error: { code: 'bad-request', message: 'the key "x" occurs twice in "vars"; give it once', in: 'vars.x', start: null, end: null },
    });
  });

  it('answers an error of the API with its JSON, span included', async () => {
    mDerive.mockImplementation(() => { throw new MatcalcError('shape-mismatch', 'A is 2 x 3 and B is 2 x 2: + needs equal shapes', 'expr', { start: 4, end: 9 }); });
    const r = await run(['derive', '--json'], JSON.stringify({ expr: 'sum(A + B)', vars: { A: 'matrix(2,3)', B: 'matrix(2,2)' }, wrt: 'A' }));
    expect(r).toEqual({
      stdout: '{"error":{"code":"shape-mismatch","message":"A is 2 x 3 and B is 2 x 2: + needs equal shapes","in":"expr","start":4,"end":9}}\n',
      stderr: '',
      code: 1,
    });
  });

  it('answers a bug as one JSON object with exit 70 and no stack trace', async () => {
    mDerive.mockImplementation(() => { throw new TypeError("Cannot read properties of undefined (reading 'id')"); });
    const r = await run(['derive', '--json'], JSON.stringify(base));
    expect(r.code).toBe(70);
    expect(r.stderr).toBe('');
    expect(json(r.stdout)).toEqual({
      error: { code: 'internal', message: "internal error: Cannot read properties of undefined (reading 'id')", in: 'request', start: null, end: null },
    });
    expect(r.stdout).not.toMatch(/\n\s+at /);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('treats a non-finite number in an answer as a bug, never as a silent null', async () => {
    mEvaluate.mockReturnValue({ ...EVAL, value: Number.NaN });
    const r = await run(['eval', '--json'], '{"expr": "x", "vars": {}}');
    expect(r.code).toBe(70);
    expect(json(r.stdout)).toMatchObject({ error: { code: 'internal', message: 'internal error: the answer holds the non-finite number NaN (in "value")' } });
  });

  it('exits 0 when check passes, 2 when it fails, 1 on bad input', async () => {
    mCheck.mockReturnValueOnce(PASS).mockReturnValueOnce(FAIL)
      .mockImplementationOnce(() => { throw new MatcalcError('unknown-name', 'y is not declared', 'expr', { start: 3, end: 4 }); });
    const req = JSON.stringify({ ...base, points: 5 });
    const pass = await run(['check', '--json'], req);
    expect(pass).toEqual({ stdout: JSON.stringify(PASS) + '\n', stderr: '', code: 0 });
    expect(mCheck).toHaveBeenCalledWith({ ...base, points: 5 });
    const fail = await run(['check', '--json'], req);
    expect(fail).toEqual({ stdout: JSON.stringify(FAIL) + '\n', stderr: '', code: 2 });
    const bad = await run(['check', '--json'], req);
    expect(bad.code).toBe(1);
    expect(json(bad.stdout)).toEqual({ error: { code: 'unknown-name', message: 'y is not declared', in: 'expr', start: 3, end: 4 } });
  });

  it('refuses command-line parts of the request beside --json', async () => {
    const r = await run(['derive', 'tr(X)', '--json', '--wrt', 'X'], JSON.stringify(base));
    expect(json(r.stdout)).toEqual({
      error: {
        code: 'bad-request',
        message: 'with --json the whole request comes on standard input; remove an expression argument, --wrt from the command line',
        in: 'request', start: null, end: null,
      },
    });
    expect(r.code).toBe(1);
  });

  it('answers an unknown option with a JSON error too', async () => {
    const r = await run(['derive', '--json', '--wtr', 'x'], JSON.stringify(base));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(json(r.stdout)).toEqual({ error: { code: 'bad-request', message: "unknown option '--wtr' (Did you mean --wrt?)", in: 'request', start: null, end: null } });
  });
});

describe('plain arguments', () => {
  it('eval builds the request from --var and --at and prints the value and shape', async () => {
    mEvaluate.mockReturnValue({ shapes: { X: ['n', 'n'] }, dims: { n: 2 }, shape: ['n', 'n'], value: [[0.5, -1 / 6], [0, 1 / 3]] });
    const r = await run(['eval', 'inv(X)', '--var', 'X=matrix', '--at', '{"X": [[2,1],[0,3]]}']);
    expect(mEvaluate).toHaveBeenCalledWith({ expr: 'inv(X)', vars: { X: 'matrix' }, at: { X: [[2, 1], [0, 3]] } });
    expect(r).toEqual({
      stdout: '[ 0.5  -0.166667 ]\n[ 0     0.333333 ]\nshape: n x n = 2 x 2\n',
      stderr: '',
      code: 0,
    });
  });

  it('derive passes its options and prints the function, the derivative and the numbers', async () => {
    mDerive.mockReturnValue(GRADIENT);
    const r = await run(['derive', 'logdet(X)', '--wrt', 'X', '--var', 'X=matrix(n,n)', '--order', '1', '--at', '{"X": [[2,1],[0,3]]}', '--mode', 'symbolic']);
    expect(mDerive).toHaveBeenCalledWith({ expr: 'logdet(X)', vars: { X: 'matrix(n,n)' }, wrt: 'X', order: 1, at: { X: [[2, 1], [0, 3]] }, mode: 'symbolic' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      'f = logdet(X)',
      'gradient by X (n x n = 2 x 2):',
      "  inv(X)'",
      '',
      'variables: X: n x n',
      'dimensions: n = 2',
      '',
      'at the given point:',
      '  f = 1.79176',
      '  gradient =',
      '    [  0.5       0        ]',
      '    [ -0.166667  0.333333 ]',
      '',
    ].join('\n'));
  });

  it('derive --steps asks for steps and prints them aligned; --latex prints LaTeX', async () => {
    mDerive.mockReturnValue({
      ...GRADIENT,
      steps: [
        { text: 'df = d(logdet(X))', latex: 'df = d \\log|\\det X|', rule: 'start', label: 'the differential' },
        { text: 'df = tr(inv(X)*dX)', latex: 'df = \\operatorname{tr}(X^{-1} dX)', rule: 'logdet', label: 'd logdet(X) = tr(inv(X) dX)' },
      ],
    });
    const r = await run(['derive', 'logdet(X)', '--wrt', 'X', '--var', 'X=matrix', '--steps']);
    expect(mDerive).toHaveBeenCalledWith({ expr: 'logdet(X)', vars: { X: 'matrix' }, wrt: 'X', steps: true });
    expect(r.stdout).toContain([
      'steps:',
      '  df = d(logdet(X))     [the differential]',
      '     = tr(inv(X)*dX)    [d logdet(X) = tr(inv(X) dX)]',
    ].join('\n'));
    const latex = await run(['derive', 'logdet(X)', '--wrt', 'X', '--var', 'X=matrix', '--latex']);
    expect(latex.stdout).toMatch(/^f = \\log\\left\|\\det X\\right\|\ngradient by X \(n x n = 2 x 2\):\n {2}X\^\{-T\}\n/);
  });

  it('derive --emit puts emit on the request and prints only the code', async () => {
    mDerive.mockReturnValue({ ...GRADIENT, code: 'export const grad = (X) => X;' });
    const r = await run(['derive', 'logdet(X)', '--wrt', 'X', '--var', 'X=matrix', '--emit', 'ts']);
    expect(mDerive).toHaveBeenCalledWith({ expr: 'logdet(X)', vars: { X: 'matrix' }, wrt: 'X', emit: 'ts' });
    expect(r).toEqual({ stdout: 'export const grad = (X) => X;\n', stderr: '', code: 0 });
  });

  it('takes an expression that starts with -', async () => {
    mDerive.mockReturnValue(GRADIENT);
    await run(['derive', '-logdet(X)', '--wrt', 'X', '--var', 'X=matrix']);
    expect(mDerive).toHaveBeenCalledWith({ expr: '-logdet(X)', vars: { X: 'matrix' }, wrt: 'X' });
  });

  it('shows an error in the expression with a caret under its place', async () => {
    mDerive.mockImplementation(() => { throw new MatcalcError('unknown-function', "unknown function 'foo'", 'expr', { start: 4, end: 7 }); });
    const r = await run(['derive', 'sum(foo(x))', '--wrt', 'x', '--var', 'x=vector']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error[unknown-function]: unknown function 'foo'\n  sum(foo(x))\n      ^^^\n");
    expect(underlined(r.stderr)).toBe('foo');
  });

  it('places an error the API finds in a kind under that --var', async () => {
    mEvaluate.mockImplementation(() => { throw new MatcalcError('bad-request', "unknown kind 'matrx'", 'vars.X'); });
    const r = await run(['eval', 'X', '--var', 'a=vector', '--var', 'X=matrx']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("error[bad-request]: in --var 'X=matrx': unknown kind 'matrx'");
    expect(underlined(r.stderr)).toBe('matrx');
  });

  it('places a reserved name under the name of its --var', async () => {
    mDerive.mockImplementation(() => { throw new MatcalcError('reserved-name', 'dX is the perturbation of X', 'vars.dX'); });
    const r = await run(['derive', 'tr(X)', '--wrt', 'X', '--var', 'X=matrix', '--var', 'dX=matrix']);
    expect(r.stderr.split('\n')[0]).toBe("error[reserved-name]: in --var 'dX=matrix': dX is the perturbation of X");
    expect(underlined(r.stderr)).toBe('dX');
  });

  it('places a value error under that member of --at', async () => {
    mEvaluate.mockImplementation(() => { throw new MatcalcError('bad-value', 'X is declared 2 x 2 but its value is 2 x 3', 'at.X'); });
    const r = await run(['eval', 'X', '--var', 'X=matrix(2,2)', '--at', '{"a": 1, "X": [[1,2,3],[4,5,6]]}']);
    expect(r.stderr.split('\n')[0]).toBe('error[bad-value]: in --at: X is declared 2 x 2 but its value is 2 x 3');
    expect(underlined(r.stderr)).toBe('[[1,2,3],[4,5,6]]');
  });

  it('places a --wrt error under --wrt', async () => {
    mDerive.mockImplementation(() => { throw new MatcalcError('unknown-name', 'Y is not a declared variable', 'wrt'); });
    const r = await run(['derive', 'tr(X)', '--wrt', 'Y', '--var', 'X=matrix']);
    expect(r.stderr).toBe("error[unknown-name]: in --wrt 'Y': Y is not a declared variable\n  Y\n  ^\n");
  });

  it('refuses a malformed --var, naming it and pointing into it, before calling the API', async () => {
    const r = await run(['eval', 'X', '--var', 'X:matrix']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("error[bad-request]: in --var 'X:matrix': no '=' in it: write NAME=KIND, such as --var X=matrix or --var 'a=vector(n)'");
    expect(underlined(r.stderr)).toBe('X:matrix');
    expect(mEvaluate).not.toHaveBeenCalled();
  });

  it('refuses a variable declared twice', async () => {
    const r = await run(['derive', 'tr(X)', '--wrt', 'X', '--var', 'X=matrix', '--var', 'X=vector']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("error[bad-request]: in --var 'X=vector': X is declared twice, here and in --var 'X=matrix'; declare it once");
    expect(underlined(r.stderr)).toBe('X');
    expect(mDerive).not.toHaveBeenCalled();
  });

  it('refuses malformed --at JSON as bad-json about --at, with a caret at the fault', async () => {
    const r = await run(['eval', 'X', '--var', 'X=matrix', '--at', "{'X': [[1]]}"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe([
      "error[bad-json]: in --at: malformed JSON at column 2: expected a key in double quotes, found '''",
      "  {'X': [[1]]}",
      '   ^',
      '',
    ].join('\n'));
  });

  it('refuses --order other than 1 or 2, and a bad --points, --mode or --emit', async () => {
    const order = await run(['derive', 'tr(X)', '--wrt', 'X', '--var', 'X=matrix', '--order', '3']);
    expect(order).toEqual({ stdout: '', stderr: "error[bad-order]: in --order '3': the order of a derivative is 1 or 2\n  3\n  ^\n", code: 1 });
    const points = await run(['check', 'tr(X)', '--wrt', 'X', '--var', 'X=matrix', '--points', 'five']);
    expect(points.stderr.split('\n')[0]).toBe("error[bad-request]: in --points 'five': the number of points is a whole number from 1 to 1000");
    const mode = await run(['derive', 'tr(X)', '--wrt', 'X', '--var', 'X=matrix', '--mode', 'fast']);
    expect(mode.stderr.split('\n')[0]).toBe("error[bad-request]: in --mode 'fast': expected one of symbolic, ad, both");
    const emit = await run(['derive', 'tr(X)', '--wrt', 'X', '--var', 'X=matrix', '--emit', 'c']);
    expect(emit.code).toBe(1);
    expect(mDerive).not.toHaveBeenCalled();
    expect(mCheck).not.toHaveBeenCalled();
  });

  it('asks for the expression and for --wrt when they are missing', async () => {
    const noExpr = await run(['derive', '--wrt', 'X', '--var', 'X=matrix']);
    expect(noExpr).toEqual({
      stdout: '',
      stderr: 'error[bad-request]: no expression: write matcalc derive "EXPR" --wrt X --var X=matrix ..., or use --json with the request on standard input\n',
      code: 1,
    });
    const noWrt = await run(['check', 'tr(X)', '--var', 'X=matrix']);
    expect(noWrt).toEqual({ stdout: '', stderr: 'error[bad-request]: check needs --wrt NAME: the variable to differentiate by\n', code: 1 });
  });

  it('check exits 0 on pass, 2 on fail, 1 on bad input', async () => {
    mCheck.mockReturnValueOnce(PASS).mockReturnValueOnce(FAIL)
      .mockImplementationOnce(() => { throw new MatcalcError('not-square', 'det needs a square matrix; X is 2 x 3', 'expr', { start: 0, end: 6 }); });
    const args = ['check', 'logdet(X)', '--wrt', 'X', '--var', 'X=matrix', '--order', '2', '--points', '5'];
    const pass = await run(args);
    expect(mCheck).toHaveBeenCalledWith({ expr: 'logdet(X)', vars: { X: 'matrix' }, wrt: 'X', order: 2, points: 5 });
    expect(pass.code).toBe(0);
    expect(pass.stdout.split('\n')[0]).toBe('pass: the second derivative by X agrees at 5 points');
    const fail = await run(args);
    expect(fail.code).toBe(2);
    expect(fail.stdout.split('\n')[0]).toBe('FAIL: the second derivative by X disagrees (5 points tried)');
    const bad = await run(args);
    expect(bad.code).toBe(1);
    expect(underlined(bad.stderr)).toBe('logdet');
  });

  it('reports a bug with exit 70 and no stack trace', async () => {
    mEvaluate.mockImplementation(() => { throw new RangeError('Maximum call stack size exceeded'); });
    const r = await run(['eval', 'x', '--var', 'x=scalar']);
    expect(r).toEqual({ stdout: '', stderr: 'error[internal]: internal error: Maximum call stack size exceeded\n(this is a bug in matcalc)\n', code: 70 });
  });
});

describe('help and usage', () => {
  it('prints the help with examples, exit 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: matcalc [options] [command]');
    expect(r.stdout).toMatch(/eval \[options\] \[expr\]\s+evaluate an expression/);
    expect(r.stdout).toContain('Examples:\n  matcalc eval "a\'*inv(X)*a" --var X=matrix --var a=vector');
  });

  it.each(['eval', 'derive', 'check'])('prints the help of %s with examples and its --json request', async (command) => {
    const r = await run([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: matcalc ${command} [options] [expr]`);
    expect(r.stdout).toContain(`Examples:\n  matcalc ${command} `);
    expect(r.stdout).toContain(`matcalc ${command} --json`);
    expect(r.stdout).toContain('--var <NAME=KIND>');
    expect((await run(['help', command])).stdout).toBe(r.stdout);
  });

  it('gives the exit statuses of check in its help', async () => {
    expect((await run(['check', '--help'])).stdout).toContain('Exit status: 0 on pass, 2 on fail, 1 on bad input.');
  });

  it('prints the version', async () => {
    const r = await run(['--version']);
    expect(r).toEqual({ stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/), stderr: '', code: 0 });
  });

  it('refuses an unknown command or option with exit 1', async () => {
    const cmd = await run(['derivate', 'x']);
    expect(cmd.code).toBe(1);
    expect(cmd.stderr).toContain("error: unknown command 'derivate'");
    expect(cmd.stderr).toContain("(Did you mean derive?)");
    const opt = await run(['derive', 'x', '--wtr', 'x']);
    expect(opt.code).toBe(1);
    expect(opt.stderr).toContain("error: unknown option '--wtr'");
    expect(opt.stdout).toBe('');
  });
});
