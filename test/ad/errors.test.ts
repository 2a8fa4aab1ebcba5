/** Errors as the numeric evaluator raises them (same codes, same spans), at the node at fault. */
import { describe, expect, it } from 'vitest';
import { compile, symmetricVars } from '../../src/api/compile.js';
import { bindValues } from '../../src/api/values.js';
import { gradientAD, hessianAD, hvpAD, jvpGraph } from '../../src/ad/index.js';
import { MatcalcError } from '../../src/ir/errors.js';
import { evaluate } from '../../src/numeric/evaluate.js';
import { Matrix } from '../../src/numeric/matrix.js';

function at(expr: string, vars: Record<string, string>, values: Record<string, unknown>) {
  const p = compile(expr, vars);
  return { root: p.root, env: bindValues(p.shapes, values, symmetricVars(p)) };
}

function caught(f: () => unknown): MatcalcError {
  try { f(); } catch (e) { if (e instanceof MatcalcError) return e; throw e; }
  throw new Error('no error');
}

const SINGULAR = [[1, 2], [2, 4]];

describe('errors', () => {
  it('a singular matrix under inv is an error at inv', () => {
    const expr = 'sum(X) + sum(inv(X))';
    const { root, env } = at(expr, { X: 'matrix(2,2)' }, { X: SINGULAR });
    const e = caught(() => gradientAD(root, env, 'X'));
    expect(e.code).toBe('singular');
    expect(e.message).toMatch(/under inv/);
    expect(e.span).toEqual(caught(() => evaluate([root], env)).span);
  });

  it("det of a singular matrix is a number, but its derivative needs the inverse: an error at det", () => {
    const expr = '2 * det(X)';
    const { root, env } = at(expr, { X: 'matrix(2,2)' }, { X: SINGULAR });
    expect(jvpGraph(root, env, new Map()).value.data[0]).toBeCloseTo(0, 12);
    const e = caught(() => gradientAD(root, env, 'X'));
    expect(e.code).toBe('singular');
    expect(e.message).toMatch(/under det/);
    expect(e.span).not.toBeNull();
  });

  it('a value that is not finite is an error at its node', () => {
    const expr = 'sum(log(x))';
    const { root, env } = at(expr, { x: 'vector(2)' }, { x: [1, 0] });
    const e = caught(() => gradientAD(root, env, 'x'));
    expect(e.code).toBe('not-finite');
    expect(e.span).toEqual(caught(() => evaluate([root], env)).span);
  });

  it('a derivative that is not finite is an error at its node', () => {
    const expr = 'sum(sqrt(x))';
    const { root, env } = at(expr, { x: 'vector(2)' }, { x: [1, 0] });
    const e = caught(() => hessianAD(root, env, 'x'));
    expect(e.code).toBe('not-finite');
    expect(e.message).toMatch(/derivative/);
  });

  it('a gradient or Hessian needs a scalar expression', () => {
    const { root, env } = at('X * X', { X: 'matrix(2,2)' }, { X: [[1, 2], [3, 4]] });
    expect(caught(() => gradientAD(root, env, 'X')).code).toBe('not-scalar');
    expect(caught(() => hessianAD(root, env, 'X')).code).toBe('not-scalar');
  });

  it('a missing value, or a tangent of the wrong shape, is an error', () => {
    const { root, env } = at('sum(X)', { X: 'matrix(2,2)' }, { X: [[1, 2], [3, 4]] });
    expect(caught(() => gradientAD(root, { values: new Map(), sizes: env.sizes }, 'X')).code).toBe('missing-value');
    expect(caught(() => jvpGraph(root, env, new Map([['X', new Matrix(2, 1)]]))).code).toBe('bad-value');
    expect(caught(() => hvpAD(root, env, 'X', new Matrix(1, 4))).code).toBe('bad-value');
  });
});
