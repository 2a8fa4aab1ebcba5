import { describe, expect, it } from 'vitest';
import { derive } from '../../src/api/index.js';
import { fromValue, toValue, verify, type Problem } from '../../src/web/verify.js';

const run = (p: Problem) => {
  const a = derive(p);
  return verify(p, a.shapes, a.kind);
};

describe('the page\'s numeric check', () => {
  it.each<Problem>([
    { expr: "x'*A*x", vars: { x: 'vector', A: 'matrix' }, wrt: 'x', order: 1 },
    { expr: "x'*A*x", vars: { x: 'vector', A: 'symmetric' }, wrt: 'A', order: 1 },
    { expr: 'sin(x).*x', vars: { x: 'vector' }, wrt: 'x', order: 1 },
    { expr: "X'*X", vars: { X: 'matrix(m,n)' }, wrt: 'X', order: 1 },
    { expr: "det(I + x*x')", vars: { x: 'vector' }, wrt: 'x', order: 2 },
    { expr: 'tr(X*X)', vars: { X: 'matrix' }, wrt: 'X', order: 2 },
    { expr: "logdet(S) - x'*S*x", vars: { S: 'symmetric', x: 'vector' }, wrt: 'S', order: 1 },
    { expr: 'sum(log(x))', vars: { x: 'vector' }, wrt: 'x', order: 1 },
    { expr: 't^3', vars: { t: 'scalar' }, wrt: 't', order: 2 },
  ])('$expr by $wrt (order $order) agrees with finite differences', (p) => {
    const v = run(p);
    expect(v.note).toBeNull();
    expect(v.error).not.toBeNull();
    expect(v.error!).toBeLessThan(v.tolerance);
    expect(v.ok).toBe(true);
    expect(v.compared).toBeGreaterThan(0);
  });

  it('finds a point where f is finite (logs need positive entries)', () => {
    const v = run({ expr: 'sum(log(x)) + log(t)', vars: { x: 'vector', t: 'scalar' }, wrt: 'x', order: 1 });
    expect(v.ok).toBe(true);
    expect((v.point.x as number[]).every((e) => e > 0)).toBe(true);
  });

  it('says so when no point works', () => {
    const v = run({ expr: 'sum(log(-exp(x)))', vars: { x: 'vector' }, wrt: 'x', order: 1 });
    expect(v.ok).toBe(false);
    expect(v.error).toBeNull();
    expect(v.note).toMatch(/no point/);
  });

  it('lays values out as the API does', () => {
    for (const v of [3, [1, 2], [[1, 2], [3, 4]], [[1, 2, 3]]]) expect(toValue(fromValue(v))).toEqual(v);
    expect(fromValue([[1, 2], [3, 4]]).data).toEqual([1, 3, 2, 4]);
  });
});
