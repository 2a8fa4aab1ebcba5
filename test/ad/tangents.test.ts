/** Every operator's tangent rule against central finite differences, through graphs compiled
 *  from the language: the Jacobian by dual numbers (one JVP per direction) equals the Jacobian by
 *  differences of the numeric evaluator, for every variable. */
import { describe, expect, it } from 'vitest';
import { topoOrder } from '../../src/ir/node.js';
import { gradientAD, jacobianAD, jvpGraph } from '../../src/ad/index.js';
import { evaluate } from '../../src/numeric/evaluate.js';
import { inv } from '../../src/numeric/linalg.js';
import { Matrix } from '../../src/numeric/matrix.js';
import { bind, direction, evalAt, expectNear, fdJacobian } from './helpers.js';
import { SPECS } from './specs.js';

const cases = Object.entries(SPECS).flatMap(([op, specs]) => specs.map((s, i) => ({ op, ...s, seed: 1000 + 17 * i + op.length })));

describe('tangent rules against central differences', () => {
  it.each(cases)('$op: $expr', ({ op, expr, vars, domain, seed }) => {
    const { root, env, symmetric } = bind(expr, vars, seed, domain);
    expect(topoOrder([root]).map((n) => n.op)).toContain(op);
    for (const name of Object.keys(vars)) {
      const x = env.values.get(name)!;
      const ad = jacobianAD(root, env, name);
      const fd = fdJacobian((y) => evalAt(root, env, name, y), x, symmetric.has(name));
      expectNear(ad, fd, 1e-6, `${expr} by ${name}`);
    }
  });
});

describe('jvpGraph', () => {
  it('gives the value of the numeric evaluator and a tangent linear in the seeds', () => {
    const { root, env } = bind('tr(inv(A) * X * B) + sum(exp(X) .* B)', { A: 'matrix(3,3)', X: 'matrix(3,3)', B: 'matrix(3,3)' }, 7);
    const dX = direction(env.values.get('X')!, 4, false);
    const dA = direction(env.values.get('A')!, 2, false);
    const both = jvpGraph(root, env, new Map([['X', dX], ['A', dA]]));
    const onlyX = jvpGraph(root, env, new Map([['X', dX]]));
    const onlyA = jvpGraph(root, env, new Map([['A', dA]]));
    expectNear(both.value, evaluate([root], env)[0]!, 1e-14, 'value');
    expectNear(both.tangent, Matrix.scalar(onlyX.tangent.data[0]! + onlyA.tangent.data[0]!), 1e-12, 'tangent');
    expect(jvpGraph(root, env, new Map()).tangent.data[0]).toBe(0);
  });

  it('gives zero for a variable the expression does not use', () => {
    const { root, env } = bind('sum(X)', { X: 'matrix(2,3)', y: 'vector(3)' }, 3);
    expectNear(gradientAD(root, env, 'y'), new Matrix(3, 1), 0, 'gradient');
    expectNear(jacobianAD(root, env, 'y'), new Matrix(1, 3), 0, 'jacobian');
  });
});

describe('symmetric variables', () => {
  it("the gradient of a'*S*b is (a*b' + b*a')/2", () => {
    const { root, env } = bind("a' * S * b", { a: 'vector(3)', S: 'symmetric(3)', b: 'vector(3)' }, 11);
    const a = env.values.get('a')!, b = env.values.get('b')!;
    const G = gradientAD(root, env, 'S');
    const want = new Matrix(3, 3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) want.data[i + 3 * j] = (a.data[i]! * b.data[j]! + b.data[i]! * a.data[j]!) / 2;
    expectNear(G, want, 1e-12, 'gradient');
    // and it agrees with differences along symmetric directions
    const S = env.values.get('S')!;
    const fd = fdJacobian((y) => evalAt(root, env, 'S', y), S, true);
    expectNear(new Matrix(1, 9, G.data), fd, 1e-6, 'fd');
    // unconstrained, it is a*b'
    const free = gradientAD(root, env, 'S', false);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(free.get(i, j)).toBeCloseTo(a.data[i]! * b.data[j]!, 12);
  });

  it('the gradient of logdet(S) is inv(S)', () => {
    const { root, env } = bind('logdet(S)', { S: 'symmetric(4)' }, 12);
    const S = env.values.get('S')!;
    const G = gradientAD(root, env, 'S');
    const fd = fdJacobian((y) => evalAt(root, env, 'S', y), S, true);
    expectNear(new Matrix(1, 16, G.data), fd, 1e-6, 'fd');
    expectNear(G, inv(S), 1e-10, 'inv');
  });
});
