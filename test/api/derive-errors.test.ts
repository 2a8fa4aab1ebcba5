// The errors `derive` can meet (CLI.md, "Errors"), each with its code, where it is (`in`) and its
// span into the expression; and the cases that look like errors but are not (a variable the
// expression does not use, abs at 0).
import { describe, expect, it } from 'vitest';
import { derive } from '../../src/api/derive.js';
import { evaluate } from '../../src/api/evaluate.js';
import type { DeriveRequest } from '../../src/api/types.js';
import { MatcalcError } from '../../src/ir/errors.js';

interface ErrorJson { code: string; message: string; in: string; start: number | null; end: number | null }

function errorOf(req: unknown): ErrorJson {
  try {
    derive(req as DeriveRequest);
  } catch (e) {
    if (!(e instanceof MatcalcError)) throw e;
    const j = e.toJSON().error;
    expect(j.message.length).toBeGreaterThan(10);
    return j;
  }
  throw new Error(`no error for ${JSON.stringify(req).slice(0, 200)}`);
}

/** The error, and the part of expr its span covers (null without a span). */
function expectError(req: DeriveRequest, code: string, where: string, covers: string | null): ErrorJson {
  const e = errorOf(req);
  expect(e.code, e.message).toBe(code);
  expect(e.in, e.message).toBe(where);
  if (covers === null) {
    expect(e.start).toBeNull();
    expect(e.end).toBeNull();
  } else {
    expect(e.start, e.message).not.toBeNull();
    expect(req.expr.slice(e.start!, e.end!), e.message).toBe(covers);
  }
  return e;
}

const X2 = [[2, 1], [0, 3]];
const SINGULAR = [[1, 2], [2, 4]];

describe('derive errors of CLI.md', () => {
  it('wrt not declared: unknown-name in wrt', () => {
    expectError({ expr: 'tr(X)', vars: { X: 'matrix' }, wrt: 'Y' }, 'unknown-name', 'wrt', null);
  });

  it('order 3 (or 0, or not a number): bad-order in order', () => {
    for (const order of [3, 0, -1, 1.5, '2'] as unknown[]) {
      expectError({ expr: 'tr(X)', vars: { X: 'matrix' }, wrt: 'X', order } as DeriveRequest, 'bad-order', 'order', null);
    }
  });

  it('the Hessian of a non-scalar: not-scalar', () => {
    const e = errorOf({ expr: 'X*a', vars: { X: 'matrix', a: 'vector' }, wrt: 'X', order: 2 });
    expect(e.code).toBe('not-scalar');
    expect(e.in).toBe('expr');
    const v = errorOf({ expr: 'exp(x)', vars: { x: 'vector' }, wrt: 'x', order: 2 });
    expect(v.code).toBe('not-scalar');
  });

  it('a variable named like a perturbation of another: reserved-name at its declaration', () => {
    for (const d of ['dX', 'dX1', 'dX2']) {
      expectError({ expr: 'tr(X)', vars: { X: 'matrix', [d]: 'matrix' }, wrt: 'X' }, 'reserved-name', `vars.${d}`, null);
    }
    expectError({ expr: "x'*x", vars: { x: 'vector', dx: 'vector' }, wrt: 'x' }, 'reserved-name', 'vars.dx', null);
    // eval takes such names as ordinary variables
    expect(evaluate({ expr: 'tr(X + dX)', vars: { X: 'matrix', dX: 'matrix' }, at: { X: X2, dX: X2 } }).value).toBe(10);
  });

  it('a variable named like a reserved word: reserved-name', () => {
    expectError({ expr: 'tr(I)', vars: { tr: 'scalar' }, wrt: 'tr' }, 'reserved-name', 'vars.tr', null);
  });

  it('a singular matrix under inv at `at`: singular, pointing at the inverse', () => {
    expectError({ expr: "a'*inv(X)*a", vars: { X: 'matrix', a: 'vector' }, wrt: 'X', at: { X: SINGULAR, a: [1, 1] } }, 'singular', 'expr', 'inv(X)');
    expectError({ expr: "a'*a + tr(inv(X))", vars: { X: 'matrix', a: 'vector' }, wrt: 'a', at: { X: SINGULAR, a: [1, 1] } }, 'singular', 'expr', 'inv(X)');
  });

  it('a singular matrix where only the derivative needs an inverse: singular, pointing at the part of expr it came from', () => {
    // det of a singular matrix is a number; its gradient det(Q)*inv(Q)' needs the inverse
    // (a name of its own: spans of derived nodes depend on what was derived before, a bug below)
    expectError({ expr: 'det(Q) + 1', vars: { Q: 'matrix' }, wrt: 'Q', at: { Q: SINGULAR } }, 'singular', 'expr', 'det(Q)');
  });

  it('logdet of a singular matrix: singular', () => {
    expectError({ expr: 'logdet(X)', vars: { X: 'matrix' }, wrt: 'X', at: { X: SINGULAR } }, 'singular', 'expr', 'logdet(X)');
  });

  it('an asymmetric value for a symmetric variable: bad-value in at.S', () => {
    expectError({ expr: 'tr(S*A)', vars: { S: 'symmetric', A: 'matrix' }, wrt: 'S', at: { S: [[1, 2], [3, 4]], A: X2 } }, 'bad-value', 'at.S', null);
    // within 1e-12 relative it is symmetric
    const a = derive({ expr: 'tr(S*A)', vars: { S: 'symmetric', A: 'matrix' }, wrt: 'S', at: { S: [[1, 2], [2 + 1e-14, 4]], A: X2 } });
    expect(a.derivativeValue).toEqual([[2, 0.5], [0.5, 3]]);
  });

  it('a value of the wrong shape: bad-value in at.X', () => {
    expectError({ expr: 'tr(X)', vars: { X: 'matrix(2,2)' }, wrt: 'X', at: { X: [[1, 2, 3], [4, 5, 6], [7, 8, 9]] } }, 'bad-value', 'at.X', null);
    expectError({ expr: 'X*a', vars: { X: 'matrix', a: 'vector' }, wrt: 'X', at: { X: X2, a: [1, 2, 3] } }, 'bad-value', 'at.a', null);
  });

  it('a value missing from `at`: missing-value', () => {
    const e = errorOf({ expr: 'tr(X*A)', vars: { X: 'matrix', A: 'matrix' }, wrt: 'X', at: { X: X2 } });
    expect(e.code).toBe('missing-value');
    expect(e.in).toBe('at.A');
  });

  it('a value that is not finite: not-finite, at the node that made it', () => {
    expectError({ expr: '1 + sum(log(x))', vars: { x: 'vector' }, wrt: 'x', at: { x: [-1, 1] } }, 'not-finite', 'expr', 'log(x)');
    expectError({ expr: 'sum(x)', vars: { x: 'vector' }, wrt: 'x', at: { x: [Infinity, 1] } }, 'not-finite', 'at.x', null);
  });

  it('errors of the expression: parse-error, unknown-name, unknown-function, arity, shape-mismatch, not-square', () => {
    expect(errorOf({ expr: 'tr(X', vars: { X: 'matrix' }, wrt: 'X' }).code).toBe('parse-error');
    expectError({ expr: 'tr(X*Y)', vars: { X: 'matrix' }, wrt: 'X' }, 'unknown-name', 'expr', 'Y');
    expectError({ expr: 'foo(X)', vars: { X: 'matrix' }, wrt: 'X' }, 'unknown-function', 'expr', 'foo');
    expect(errorOf({ expr: 'tr(X, X)', vars: { X: 'matrix' }, wrt: 'X' })).toMatchObject({ code: 'arity', in: 'expr' });
    expect(errorOf({ expr: 'sum(a*b)', vars: { a: 'vector', b: 'vector' }, wrt: 'a' })).toMatchObject({ code: 'shape-mismatch', in: 'expr' });
    expect(errorOf({ expr: 'tr(X)', vars: { X: 'matrix(m,n)' }, wrt: 'X' })).toMatchObject({ code: 'not-square', in: 'expr' });
  });

  it('too deep and too large: too-deep, too-large', () => {
    const deep = `${'('.repeat(1500)}x${')'.repeat(1500)}`;
    expect(errorOf({ expr: deep, vars: { x: 'scalar' }, wrt: 'x' }).code).toBe('too-deep');
    const large = `x${' + x'.repeat(1_000_001)}`;
    expect(errorOf({ expr: large, vars: { x: 'scalar' }, wrt: 'x' }).code).toBe('too-large');
  });

  it('a request missing a field, or with a bad mode: bad-request', () => {
    expect(errorOf({ vars: { X: 'matrix' }, wrt: 'X' })).toMatchObject({ code: 'bad-request', in: 'expr' });
    expect(errorOf({ expr: 'tr(X)', vars: { X: 'matrix' } })).toMatchObject({ code: 'bad-request', in: 'wrt' });
    expect(errorOf({ expr: 'tr(X)', wrt: 'X' })).toMatchObject({ code: 'bad-request', in: 'request' });
    expect(errorOf({ expr: 'tr(X)', vars: { X: 'matrix' }, wrt: 'X', mode: 'fast' })).toMatchObject({ code: 'bad-request', in: 'request' });
    expect(errorOf({ expr: 'tr(X)', vars: { X: 'tensor' }, wrt: 'X' })).toMatchObject({ code: 'bad-request', in: 'vars.X' });
  });

  it('no closed form: no-closed-form, naming the operator at fault', () => {
    const e = expectError({ expr: '1 + tr(kron(A, X)*C)', vars: { A: 'matrix', X: 'matrix', C: 'matrix' }, wrt: 'X' }, 'no-closed-form', 'expr', 'kron(A, X)');
    expect(e.message).toMatch(/kron/);
  });

  it("an error's span does not depend on what was derived before", () => {
    const vars = { A: 'matrix', X: 'matrix', C: 'matrix' };
    const req: DeriveRequest = { expr: 'tr(kron(A, X)*C)', vars, wrt: 'X' };
    const fresh = errorOf(req);
    expect(fresh.start).toBe(3);
    derive({ expr: 'kron(A, X)', vars, wrt: 'X' });
    expect(errorOf(req)).toEqual(fresh); // start: null
  });

  it('a singular matrix met in a derivative points into expr whatever was derived before', () => {
    const first = errorOf({ expr: 'det(Z) + 1', vars: { Z: 'matrix' }, wrt: 'Z', at: { Z: SINGULAR } });
    expect([first.code, first.start, first.end]).toEqual(['singular', 0, 6]);
    const again = errorOf({ expr: 'det(Z)', vars: { Z: 'matrix' }, wrt: 'Z', at: { Z: SINGULAR } });
    expect([again.code, again.start, again.end]).toEqual(['singular', 0, 6]); // start: null
  });
});

describe('not errors', () => {
  it('a declared variable the expression does not use: zero of its shape', () => {
    const at = { X: [[1, 2, 3], [4, 5, 6]], A: X2, a: [1, 2], s: 3 };
    const vars = { X: 'matrix(m,n)', A: 'matrix', a: 'vector', s: 'scalar' };
    const byMatrix = derive({ expr: 'tr(A)', vars, wrt: 'X', at });
    expect(byMatrix.kind).toBe('gradient');
    expect(byMatrix.derivative!.text.replace(/\s/g, '')).toBe('zeros(m,n)');
    expect(byMatrix.derivative!.shape).toEqual(['m', 'n']);
    expect(byMatrix.derivativeValue).toEqual([[0, 0, 0], [0, 0, 0]]);
    const byVector = derive({ expr: 'tr(A)', vars, wrt: 'a', at });
    expect(byVector.derivative!.text).toMatch(/^zeros\(\w+\)$/);
    expect(byVector.derivativeValue).toEqual([0, 0]);
    const byScalar = derive({ expr: 'tr(A)', vars, wrt: 's', at });
    expect(byScalar.derivative!.text).toBe('0');
    expect(byScalar.derivativeValue).toBe(0);
  });

  it('unused variables through every kind: Jacobian, differential, Hessian', () => {
    const vars = { A: 'matrix(m,n)', x: 'vector(n)', y: 'vector(p)', X: 'matrix(p,q)', s: 'scalar' };
    const at = { A: [[1, 2], [3, 4], [5, 6]], x: [1, 2], y: [1, 2, 3, 4], X: [[1, 2], [3, 4], [5, 6], [7, 8]], s: 2 };
    const jac = derive({ expr: 'A*x', vars, wrt: 'y', at });
    expect(jac.kind).toBe('jacobian');
    expect(jac.derivative!.shape).toEqual(['m', 'p']);
    expect(jac.derivativeValue).toEqual([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    const byScalar = derive({ expr: 'A*x', vars, wrt: 's', at });
    expect(byScalar.kind).toBe('jacobian');
    expect(byScalar.derivativeValue).toEqual([0, 0, 0]);
    const diff = derive({ expr: "A'*A", vars, wrt: 'X', at });
    expect(diff.kind).toBe('differential');
    expect(diff.derivative!.shape).toEqual(['n', 'n']);
    expect(diff.derivativeValue).toEqual(Array.from({ length: 4 }, () => Array(8).fill(0)));
    const hessVec = derive({ expr: "x'*x", vars, wrt: 'y', order: 2, at });
    expect(hessVec.kind).toBe('hessian');
    expect(hessVec.derivativeValue).toEqual(Array.from({ length: 4 }, () => Array(4).fill(0)));
    const hessMat = derive({ expr: "x'*x", vars, wrt: 'X', order: 2, at });
    expect(hessMat.derivative!.text).toBe('0');
    expect(hessMat.derivativeValue).toEqual(Array.from({ length: 8 }, () => Array(8).fill(0)));
  });

  it('abs at 0: the derivative is sign, which is 0 there', () => {
    const a = derive({ expr: 'sum(abs(x))', vars: { x: 'vector' }, wrt: 'x', at: { x: [0, 2, -3] } });
    expect(a.value).toBe(5);
    expect(a.derivativeValue).toEqual([0, 1, -1]);
    const s = derive({ expr: 'abs(s)', vars: { s: 'scalar' }, wrt: 's', at: { s: 0 } });
    expect(s.derivativeValue).toBe(0);
    const m = derive({ expr: 'sum(abs(X))', vars: { X: 'matrix' }, wrt: 'X', at: { X: [[0, -1], [2, 0]] } });
    expect(m.derivativeValue).toEqual([[0, -1], [1, 0]]);
  });
});
