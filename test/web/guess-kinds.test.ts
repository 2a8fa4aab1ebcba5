import { describe, expect, it } from 'vitest';
import { guessKinds, guessWrt } from '../../src/web/guess-kinds.js';

const kinds = (expr: string): Record<string, string> => Object.fromEntries(guessKinds(expr).map((g) => [g.name, g.kind]));

describe('guessKinds', () => {
  it('reads a quadratic form: x a vector, A a matrix', () => {
    expect(kinds("x'*A*x")).toEqual({ x: 'vector', A: 'matrix' });
  });

  it('lists names in order of first appearance, without functions, I or dimension names', () => {
    expect(guessKinds("det(X+B)*log(a'*inv(X)*a) - tr(X) + sum(eye(n)) + sum(unvec(v, k)) + sum(ones(m, p))").map((g) => g.name))
      .toEqual(['X', 'B', 'a', 'v']);
  });

  it('follows conventions where usage says nothing', () => {
    expect(kinds('sum(log(1 + exp(-y.*(X*w))))')).toEqual({ y: 'vector', X: 'matrix', w: 'vector' });
    expect(kinds('alpha + lambda + t + sigma2')).toEqual({ alpha: 'scalar', lambda: 'scalar', t: 'scalar', sigma2: 'scalar' });
  });

  it('lets usage override conventions', () => {
    // a lowercase base of '^', an exponent, a divisor: numbers
    expect(kinds('x^2 + exp(a*b) ./ c + y.^p / N')).toMatchObject({ x: 'scalar', p: 'scalar', N: 'scalar' });
    // a lowercase name standing left of a matrix product: a scalar (a vector cannot)
    expect(kinds("c*A*x + u*v'")).toEqual({ c: 'scalar', A: 'matrix', x: 'vector', u: 'vector', v: 'vector' });
    // a conventional scalar that is transposed is a vector
    expect(kinds("s'*A*s")).toEqual({ s: 'vector', A: 'matrix' });
    // the argument of det, inv, tr or logdet is a square matrix, even lowercase
    expect(kinds('det(m) + tr(X)')).toEqual({ m: 'matrix', X: 'matrix' });
    expect(kinds('logsumexp(z) + softmax(Z)')).toEqual({ z: 'vector', Z: 'vector' });
    // a capital base of '^' stays a matrix
    expect(kinds('tr(A^2)')).toEqual({ A: 'matrix' });
  });

  it('reads the README examples as their authors declared them', () => {
    expect(kinds('sum((W2*tanh(W1*x) - y).^2)')).toEqual({ W2: 'matrix', W1: 'matrix', x: 'vector', y: 'vector' });
    expect(kinds("det(I + x*x')")).toEqual({ x: 'vector' });
    expect(kinds("logdet(S) - x'*S*x")).toEqual({ S: 'matrix', x: 'vector' });
    expect(kinds('sin(x).*x')).toEqual({ x: 'vector' });
    expect(kinds("t*x'*x")).toEqual({ t: 'scalar', x: 'vector' });
  });

  it('still lists the names of an expression that does not parse yet', () => {
    expect(kinds("x'*A*")).toEqual({ x: 'vector', A: 'matrix' });
    expect(kinds('inv(X) +* 2.5e-3*y + exp(')).toEqual({ X: 'matrix', y: 'vector' });
    expect(guessKinds('')).toEqual([]);
  });

  it('survives deep nesting without recursion', () => {
    const deep = `${'('.repeat(900)}x${')'.repeat(900)}`;
    expect(kinds(deep)).toEqual({ x: 'vector' });
  });
});

describe('guessWrt', () => {
  it('keeps the current choice while the name is there', () => {
    expect(guessWrt(guessKinds("x'*A*x"), 'A')).toBe('A');
    expect(guessWrt(guessKinds("x'*A*x"), 'B')).toBe('x');
  });
  it('prefers conventional names, then a non-scalar', () => {
    expect(guessWrt(guessKinds('sum(log(1 + exp(-y.*(X*w))))'))).toBe('w');
    expect(guessWrt(guessKinds("t*u'*u"))).toBe('u');
    expect(guessWrt(guessKinds('t^2'))).toBe('t');
    expect(guessWrt([])).toBe('');
  });
});
