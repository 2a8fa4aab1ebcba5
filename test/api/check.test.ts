// check({expr, vars, wrt, order?, at?, points?}): the symbolic derivative against finite differences,
// dual numbers and the 1 x 1 reduction (CLI.md, "check"). It passes on correct derivatives of every
// kind, and it catches a wrong one: a differential rule broken on purpose makes it fail.
import { describe, expect, it } from 'vitest';
import { check, TOLERANCE } from '../../src/api/check.js';
import { derive } from '../../src/api/derive.js';
import type { CheckRequest } from '../../src/api/types.js';
import { DIFF_RULES, type DiffRule } from '../../src/diff/rules.js';
import * as B from '../../src/ir/build.js';
import { MatcalcError, type ErrorCode } from '../../src/ir/errors.js';
import type { Node } from '../../src/ir/node.js';

const errorOf = (f: () => unknown): MatcalcError => {
  try {
    f();
  } catch (e) {
    if (e instanceof MatcalcError) return e;
    throw e;
  }
  throw new Error('no error');
};

const PASSING: (CheckRequest & { kind: string })[] = [
  { kind: 'gradient by a vector', expr: "x'*A*x", vars: { x: 'vector', A: 'matrix' }, wrt: 'x' },
  { kind: 'gradient by a matrix', expr: "logdet(X'*X)", vars: { X: 'matrix' }, wrt: 'X' },
  { kind: 'gradient through inv', expr: "a'*inv(X)*a", vars: { a: 'vector', X: 'matrix' }, wrt: 'X' },
  { kind: 'gradient of the README example', expr: "det(X+B)*log(a'*inv(X)*a) - tr(X)", vars: { X: 'matrix', B: 'matrix', a: 'vector' }, wrt: 'X', points: 3 },
  { kind: 'gradient by a scalar', expr: 'sin(t)*exp(t) + t^3', vars: { t: 'scalar' }, wrt: 't' },
  { kind: 'jacobian', expr: 'sin(x).*x', vars: { x: 'vector' }, wrt: 'x' },
  { kind: 'jacobian through softmax', expr: 'softmax(A*x)', vars: { A: 'matrix', x: 'vector' }, wrt: 'x' },
  { kind: 'differential of inv', expr: 'inv(X)', vars: { X: 'matrix' }, wrt: 'X' },
  { kind: "differential of X'*X", expr: "X'*X", vars: { X: 'matrix(m,n)' }, wrt: 'X' },
  { kind: 'hessian by a vector', expr: "det(I + x*x')", vars: { x: 'vector' }, wrt: 'x', order: 2 },
  { kind: 'hessian by a vector through logsumexp', expr: 'logsumexp(A*x)', vars: { A: 'matrix', x: 'vector' }, wrt: 'x', order: 2 },
  { kind: 'hessian by a matrix', expr: 'tr(X*X)', vars: { X: 'matrix' }, wrt: 'X', order: 2, points: 2 },
  { kind: 'hessian by a matrix through logdet', expr: 'logdet(X)', vars: { X: 'matrix' }, wrt: 'X', order: 2, points: 2 },
  { kind: 'gradient by a symmetric matrix', expr: "a'*S*b", vars: { a: 'vector', S: 'symmetric', b: 'vector' }, wrt: 'S' },
  { kind: 'hessian by a symmetric matrix', expr: "logdet(S) + x'*inv(S)*x", vars: { S: 'symmetric', x: 'vector' }, wrt: 'S', order: 2, points: 2 },
];

describe('check passes on correct derivatives', () => {
  it.each(PASSING.map((c) => [c.kind, c] as const))('%s', (_kind, { kind: _k, ...req }) => {
    const r = check(req);
    expect(r.verdict, JSON.stringify(r)).toBe('pass');
    expect(r.points).toBeGreaterThan(0);
    expect(r.points).toBeLessThanOrEqual(req.points ?? 5);
    const fdTol = req.order === 2 ? TOLERANCE.secondOrderFD : TOLERANCE.firstOrderFD;
    expect(r.errors.finiteDifferences).not.toBeNull();
    expect(r.errors.finiteDifferences!).toBeLessThanOrEqual(fdTol);
    expect(r.errors.dual!).toBeLessThanOrEqual(TOLERANCE.dual);
    // every dimension is free: the 1 x 1 reduction runs
    expect(r.errors.oneByOne).not.toBeNull();
    expect(r.errors.oneByOne!).toBeLessThanOrEqual(TOLERANCE.dual);
  });

  it('checks the number of points asked for, where f is finite', () => {
    expect(check({ expr: "x'*A*x", vars: { x: 'vector', A: 'matrix' }, wrt: 'x', points: 7 }).points).toBe(7);
    expect(check({ expr: "x'*A*x", vars: { x: 'vector', A: 'matrix' }, wrt: 'x' }).points).toBe(5);
  });

  it('is deterministic: the same request gives the same errors', () => {
    const req = { expr: "a'*inv(X)*a", vars: { a: 'vector', X: 'matrix' }, wrt: 'X' };
    expect(check(req)).toEqual(check(req));
  });
});

describe('the 1 x 1 reduction', () => {
  it('is skipped (null) where a dimension is a fixed integer other than 1', () => {
    for (const vars of [{ x: 'vector(3)', A: 'matrix(3,3)' }, { x: 'vector(2*n)', A: 'matrix(2*n,2*n)' }]) {
      const r = check({ expr: "x'*A*x", vars, wrt: 'x' });
      expect(r.verdict).toBe('pass');
      expect(r.errors.oneByOne).toBeNull();
      expect(r.errors.finiteDifferences).not.toBeNull();
      expect(r.errors.dual).not.toBeNull();
    }
  });

  it('runs where the fixed dimensions are 1 or names', () => {
    expect(check({ expr: "x'*A*x", vars: { x: 'vector(n)', A: 'matrix(n,n)' }, wrt: 'x' }).errors.oneByOne).not.toBeNull();
    expect(check({ expr: "x'*A*y", vars: { x: 'vector(n)', A: 'matrix(n,1)', y: 'vector(1)' }, wrt: 'x' }).errors.oneByOne).not.toBeNull();
  });
});

describe('check at a given point', () => {
  const req = { expr: 'logdet(X)', vars: { X: 'matrix' }, wrt: 'X' };

  it('uses that point alone', () => {
    const r = check({ ...req, at: { X: [[2, 1], [0, 3]] } });
    expect(r).toMatchObject({ verdict: 'pass', points: 1 });
    expect(check({ ...req, at: { X: [[2, 1], [0, 3]] }, points: 9 }).points).toBe(1);
  });

  it('reports what is wrong at that point: a singular matrix there', () => {
    // a random point is always well-conditioned; this one is not, so the error shows the point was used
    expect(errorOf(() => check({ ...req, at: { X: [[1, 2], [2, 4]] } })).code).toBe('singular');
  });

  it('checks the value against the declarations', () => {
    expect(errorOf(() => check({ ...req, at: { X: [[1, 2, 3], [4, 5, 6]] } })).code).toBe('bad-value');
    expect(errorOf(() => check({ expr: 'tr(S)', vars: { S: 'symmetric' }, wrt: 'S', at: { S: [[1, 2], [3, 4]] } })).code).toBe('bad-value');
  });
});

describe('check refuses bad input', () => {
  const base = { expr: "x'*A*x", vars: { x: 'vector', A: 'matrix' }, wrt: 'x' };
  const cases: [string, Record<string, unknown>, ErrorCode][] = [
    ['no points', { ...base, points: 0 }, 'bad-request'],
    ['negative points', { ...base, points: -3 }, 'bad-request'],
    ['a fraction of a point', { ...base, points: 1.5 }, 'bad-request'],
    ['too many points', { ...base, points: 1001 }, 'bad-request'],
    ['points as a string', { ...base, points: '5' }, 'bad-request'],
    ['an order of 3', { ...base, order: 3 }, 'bad-order'],
    ['an unknown wrt', { ...base, wrt: 'y' }, 'unknown-name'],
    ['no expr', { vars: base.vars, wrt: 'x' }, 'bad-request'],
    ['a Hessian of a vector', { ...base, expr: 'A*x', order: 2 }, 'not-scalar'],
    ['a perturbation name beside its variable', { ...base, vars: { ...base.vars, dx: 'vector' } }, 'reserved-name'],
    ['shapes that do not fit', { ...base, expr: 'x*A' }, 'shape-mismatch'],
    ['a parse error', { ...base, expr: 'x +' }, 'parse-error'],
  ];
  it.each(cases)('%s', (_what, req, code) => {
    expect(errorOf(() => check(req as unknown as CheckRequest)).code).toBe(code);
  });
});

// ---------------------------------------------------------------- a wrong derivative is caught

/** Run `body` with DIFF_RULES[op].rule replaced, restoring it whatever happens. */
function withRule(op: 'Inv' | 'Sin', rule: DiffRule, body: () => void): void {
  const entry = DIFF_RULES[op];
  const saved = entry.rule;
  entry.rule = rule;
  try {
    body();
  } finally {
    entry.rule = saved;
  }
}

// d(inv X) with the wrong sign: +inv(X)*dX*inv(X)
const wrongInverse: DiffRule = (out, [dX]) => B.mul(out, dX!, out);
// d(sin A) as sin(A) .* dA, in place of cos(A) .* dA
const wrongSin: DiffRule = (out, [dA]) => B.hadamard(B.elementwise('Sin', out.args[0] as Node), dA!);

describe('check catches a wrong derivative', () => {
  const large = 1e-2;

  it.each([
    ['gradient', "a'*inv(X)*a", { a: 'vector', X: 'matrix' }, 'X', 1],
    ['differential', 'inv(X)', { X: 'matrix' }, 'X', 1],
    ['hessian', 'logdet(X)', { X: 'matrix' }, 'X', 2],
  ] as const)('inv with the wrong sign: the %s fails', (_kind, expr, vars, wrt, order) => {
    const req: CheckRequest = { expr, vars: { ...vars }, wrt, order, points: 2 };
    expect(check(req).verdict).toBe('pass');
    withRule('Inv', wrongInverse, () => {
      const r = check(req);
      expect(r.verdict).toBe('fail');
      expect(r.errors.finiteDifferences!).toBeGreaterThan(large);
      expect(r.errors.dual!).toBeGreaterThan(large);
      expect(r.errors.oneByOne!).toBeGreaterThan(large);
    });
    // restored
    expect(check(req).verdict).toBe('pass');
  });

  it.each([
    ['gradient', 'sum(sin(x))', { x: 'vector' }, 'x', 1],
    ['jacobian', 'sin(x).*x', { x: 'vector' }, 'x', 1],
    ['hessian', "sin(x'*x)", { x: 'vector' }, 'x', 2],
    ['gradient by a scalar', 'sin(t)', { t: 'scalar' }, 't', 1],
  ] as const)('sin differentiated to sin: the %s fails', (_kind, expr, vars, wrt, order) => {
    const req: CheckRequest = { expr, vars: { ...vars }, wrt, order, points: 2 };
    expect(check(req).verdict).toBe('pass');
    withRule('Sin', wrongSin, () => {
      const r = check(req);
      expect(r.verdict).toBe('fail');
      expect(r.errors.finiteDifferences!).toBeGreaterThan(large);
      expect(r.errors.dual!).toBeGreaterThan(large);
    });
    expect(check(req).verdict).toBe('pass');
  });

  it("and derive's mode 'both' reports a large disagreement", () => {
    const inverse = { expr: "a'*inv(X)*a", vars: { a: 'vector', X: 'matrix' }, wrt: 'X', at: { a: [1, 2], X: [[2, 1], [0, 3]] }, mode: 'both' as const };
    const sine = { expr: 'sum(sin(x))', vars: { x: 'vector' }, wrt: 'x', at: { x: [1, 2, 0.5] }, mode: 'both' as const };
    const good = derive(inverse);
    expect(good.agreement!).toBeLessThan(1e-12);
    expect(derive(sine).agreement!).toBeLessThan(1e-12);
    withRule('Inv', wrongInverse, () => {
      const d = derive(inverse);
      expect(d.agreement!).toBeGreaterThan(large);
      expect(d.derivativeValue).not.toEqual(good.derivativeValue);
      // dual numbers do not go through DIFF_RULES: mode 'ad' still gives the right numbers
      const ad = derive({ ...inverse, mode: 'ad' }).derivativeValue as number[][];
      (good.derivativeValue as number[][]).forEach((row, i) => row.forEach((v, j) => expect(ad[i]![j]!).toBeCloseTo(v, 12)));
    });
    withRule('Sin', wrongSin, () => {
      const d = derive(sine);
      expect(d.agreement!).toBeGreaterThan(large);
      expect(d.derivative!.text).toBe('sin(x)');
    });
    expect(derive(sine).derivative!.text).toBe('cos(x)');
  });
});
