/** The functional API over the user's own functions: jvp, grad, jacobian, hessian, hvp, with
 *  closed forms, finite differences, agreement with the graph API, and nesting. */
import { describe, expect, it } from 'vitest';
import * as ad from '../../src/ad/index.js';
import { DualMatrix, type Val } from '../../src/ad/index.js';
import { inv } from '../../src/numeric/linalg.js';
import { Matrix } from '../../src/numeric/matrix.js';
import { add, matmul, scale, transpose } from '../../src/numeric/ops.js';
import { bind, centralDiff, expectNear, fdJacobian, randomValue, seeded } from './helpers.js';

const rand = seeded(2024);
const A = randomValue(4, 4, rand);
const x0 = randomValue(4, 1, rand);
const X0 = randomValue(3, 3, rand);
const asMatrix = (v: Val): Matrix => { expect(v).toBeInstanceOf(Matrix); return v as Matrix; };

describe('grad, hessian, jvp', () => {
  const quad = (x: Val): Val => ad.matmul(ad.transpose(x), A, x);

  it("grad of x'*A*x is (A + A')x", () => {
    expectNear(ad.grad(quad)(x0), matmul(add(A, transpose(A)), x0), 1e-12, 'grad');
  });

  it("hessian of x'*A*x is A + A'", () => {
    expectNear(ad.hessian(quad)(x0), add(A, transpose(A)), 1e-12, 'hessian');
  });

  it('jvp of inv is -inv(X) dX inv(X)', () => {
    const dX = randomValue(3, 3, rand, 'away');
    const [value, tangent] = ad.jvp(ad.inv, [X0], [dX]);
    const Y = inv(X0);
    expectNear(value, Y, 1e-14, 'value');
    expectNear(tangent, scale(matmul(matmul(Y, dX), Y), -1), 1e-12, 'tangent');
  });

  it('hvp is the Hessian times the vector', () => {
    const f = (x: Val): Val => ad.add(ad.logsumexp(x), ad.sum(ad.elemPow(x, 4)), quad(x));
    const v = randomValue(4, 1, rand);
    expectNear(ad.hvp(f)(x0, v), matmul(ad.hessian(f)(x0), v), 1e-10, 'hvp');
  });

  it('a function of several matrices: jvp is linear in the tangents', () => {
    const f = (X: Val, Y: Val): Val => ad.logdet(ad.add(ad.matmul(X, Y), ad.scale(2, ad.transpose(Y))));
    const Y0 = randomValue(3, 3, rand);
    const dX = randomValue(3, 3, rand), dY = randomValue(3, 3, rand), zero = new Matrix(3, 3);
    const [, t] = ad.jvp(f, [X0, Y0], [dX, dY]);
    const [, tX] = ad.jvp(f, [X0, Y0], [dX, zero]);
    const [, tY] = ad.jvp(f, [X0, Y0], [zero, dY]);
    expect(t.data[0]).toBeCloseTo(tX.data[0]! + tY.data[0]!, 12);
    const g = (Z: Matrix): Matrix => asMatrix(f(Z, Y0));
    expectNear(t, Matrix.scalar(centralDiff(g, X0, dX).data[0]! + centralDiff((Z) => asMatrix(f(X0, Z)), Y0, dY).data[0]!), 1e-6, 'fd');
  });

  it('a function that does not use its argument has a zero derivative', () => {
    expectNear(ad.grad(() => ad.sum(A))(x0), new Matrix(4, 1), 0, 'grad');
    expectNear(ad.jvp(() => A, [x0], [x0])[1], new Matrix(4, 4), 0, 'jvp');
  });

  it('grad refuses a function that is not scalar', () => {
    expect(() => ad.grad((x) => x)(x0)).toThrow(/scalar/);
  });
});

describe('every operation agrees with the graph API and with differences', () => {
  it('jacobian of a function using all operations', () => {
    const B = randomValue(2, 3, rand);
    const f = (x: Val): Val => {
      const X = ad.unvec(ad.vec(ad.add(ad.diag(x), ad.scale(0.1, A))), 4); // 4 x 4, well conditioned
      const s = ad.add(ad.logdet(X), ad.det(X), ad.trace(ad.matPow(X, 3)), ad.trace(ad.matPow(X, -1)), ad.norm2(x), ad.logsumexp(x));
      const e = ad.sum(ad.hadamard(ad.exp(x), ad.sin(x), ad.cos(x), ad.tanh(x), ad.sigmoid(x), ad.tan(x)));
      const p = ad.add(ad.sum(ad.sqrt(ad.abs(x))), ad.sum(ad.hadamard(ad.sign(x), ad.log(ad.abs(x)))), ad.pow(ad.sum(ad.elemPow(x, 2)), 0.5));
      const k = ad.sum(ad.kron(ad.softmax(x), B));
      const d = ad.add(ad.diagPart(X), ad.hadamardDiv(x, ad.add(x, 3)), ad.div(ad.solve(X, x), ad.add(ad.sum(x), 10)));
      return ad.add(ad.scale(ad.add(s, e, p, k), ad.neg(d)), ad.sub(1, ad.softmax(x)));
    };
    const J = ad.jacobian(f)(x0);
    expectNear(J, fdJacobian((y) => asMatrix(f(y)), x0), 1e-6, 'J');
  });

  it('grad and hessian match gradientAD and hessianAD on the same function', () => {
    const c = bind('logdet(X) + tr(X^2) + sum(exp(X) .* W)', { X: 'matrix(3,3)', W: 'matrix(3,3)' }, 77);
    const W = c.env.values.get('W')!, X = c.env.values.get('X')!;
    const f = (Z: Val): Val => ad.add(ad.logdet(Z), ad.trace(ad.matPow(Z, 2)), ad.sum(ad.hadamard(ad.exp(Z), W)));
    expectNear(ad.grad(f)(X), ad.gradientAD(c.root, c.env, 'X'), 1e-12, 'grad');
    expectNear(ad.hessian(f)(X), ad.hessianAD(c.root, c.env, 'X'), 1e-10, 'hessian');
  });
});

describe('nesting', () => {
  it('keeps perturbations apart: d/dx [x * d/dy (x + y)] = 1', () => {
    const inner = (x: Val): Val => ad.jvp((y) => ad.add(x, y), [1], [1])[1];
    const [, t] = ad.jvp((x) => ad.matmul(x, inner(x)), [Matrix.scalar(1)], [Matrix.scalar(1)]);
    expect(t.data[0]).toBe(1);
  });

  it('a gradient closing over an outer variable is differentiable in it', () => {
    // g(a) = grad_x (a * sum(x.^2)) = 2 a x, so dg/da = 2 x
    const g = (a: Val): Val => ad.grad((x) => ad.scale(a, ad.sum(ad.elemPow(x, 2))))(x0);
    const [value, tangent] = ad.jvp(g, [Matrix.scalar(1.5)], [Matrix.scalar(1)]);
    expectNear(value as Matrix, scale(x0, 3), 1e-12, 'value');
    expectNear(tangent as Matrix, scale(x0, 2), 1e-12, 'tangent');
  });

  it('third derivatives by nesting three levels', () => {
    const cube = (x: Val): Val => ad.pow(x, 3);
    const d = (f: (x: Val) => Val) => (x: Val): Val => ad.jvp(f, [x], [Matrix.scalar(1)])[1];
    expect((d(d(d(cube)))(Matrix.scalar(2)) as Matrix).data[0]).toBeCloseTo(6, 12);
    expect((d(d(cube))(Matrix.scalar(2)) as Matrix).data[0]).toBeCloseTo(12, 12);
  });

  it('a dual matrix checks its tangent shape', () => {
    expect(() => new DualMatrix(1, A, x0)).toThrow(/tangent/);
  });
});
