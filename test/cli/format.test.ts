import { describe, expect, it } from 'vitest';
import { formatCheck, formatDerive, formatEval, formatNumber, formatShape, formatSteps, formatStepsLatex, formatValue } from '../../src/cli/format.js';
import type { DeriveAnswer } from '../../src/api/index.js';

describe('numbers', () => {
  it.each([
    [0, '0'], [-0, '0'], [1, '1'], [-2.5, '-2.5'], [1 / 3, '0.333333'], [2 / 3, '0.666667'],
    [123456.7, '123457'], [0.000123456789, '0.000123457'], [1e-7, '1e-7'], [-1.234567e-9, '-1.23457e-9'],
    [1234567, '1.23457e6'], [1e21, '1e21'], [0.1 + 0.2, '0.3'],
  ])('%d -> %s', (x, text) => {
    expect(formatNumber(x)).toBe(text);
  });
});

describe('values', () => {
  it('writes a scalar alone, a vector as a column, a matrix as rows aligned on the point', () => {
    expect(formatValue(2.5)).toEqual(['2.5']);
    expect(formatValue([1, -2.25])).toEqual(['[  1    ]', '[ -2.25 ]']);
    expect(formatValue([[0.6, -0.2], [10, 1 / 3]])).toEqual([
      '[  0.6  -0.2      ]',
      '[ 10     0.333333 ]',
    ]);
  });
});

describe('shapes', () => {
  it('gives the sizes of named dimensions when known', () => {
    expect(formatShape(['n', 'n'], { n: 2 })).toBe('n x n = 2 x 2');
    expect(formatShape(['m*n', '1'], { m: 2, n: 3 })).toBe('m*n x 1 = 6 x 1');
    expect(formatShape(['2', '3'], {})).toBe('2 x 3');
    expect(formatShape(['n', 'm'], { n: 2 })).toBe('n x m');
  });
});

describe('eval', () => {
  it('prints the value and the shape line', () => {
    expect(formatEval({ shapes: { X: ['n', 'n'] }, dims: { n: 2 }, shape: ['n', 'n'], value: [[1, 2], [3, 4]] }))
      .toBe('[ 1  2 ]\n[ 3  4 ]\nshape: n x n = 2 x 2\n');
    expect(formatEval({ shapes: {}, dims: {}, shape: ['1', '1'], value: 5 })).toBe('5\nshape: 1 x 1\n');
  });
});

describe('steps', () => {
  const steps = [
    { text: "df = d(x'*x)", latex: 'df = d(x^T x)', rule: 'start', label: 'the differential' },
    { text: "df = dx'*x + x'*dx", latex: 'df = dx^T x + x^T dx', rule: 'product-rule', label: 'product rule' },
    { text: "df = tr((2*x)'*dx)", latex: 'df = \\operatorname{tr}((2x)^T dx)', rule: 'read-off', label: 'read off the gradient' },
  ];

  it('aligns the = signs and the labels, writing a repeated left side once', () => {
    expect(formatSteps(steps)).toEqual([
      "df = d(x'*x)          [the differential]",
      "   = dx'*x + x'*dx    [product rule]",
      "   = tr((2*x)'*dx)    [read off the gradient]",
    ]);
  });

  it('makes one aligned LaTeX block with an & before the first =', () => {
    expect(formatStepsLatex(steps)).toEqual([
      '\\begin{aligned}',
      '  df &= d(x^T x) && \\text{the differential} \\\\\n' +
      '   &= dx^T x + x^T dx && \\text{product rule} \\\\\n' +
      '   &= \\operatorname{tr}((2x)^T dx) && \\text{read off the gradient}',
      '\\end{aligned}',
    ]);
  });
});

describe('derive', () => {
  const answer: DeriveAnswer = {
    kind: 'gradient',
    shapes: { X: ['n', 'n'], a: ['n', '1'] },
    dims: { n: 2 },
    function: { text: "a'*inv(X)*a", latex: 'a^T X^{-1} a', shape: ['1', '1'] },
    derivative: { text: "-inv(X)'*a*a'*inv(X)'", latex: '-X^{-T} a a^T X^{-T}', shape: ['n', 'n'] },
    value: 0.5,
    derivativeValue: [[-0.25, 0.125], [0.5, -1]],
  };

  it('prints the function, the derivative under a heading, the shapes and the numbers', () => {
    expect(formatDerive(answer, { wrt: 'X', latex: false, steps: false })).toBe([
      "f = a'*inv(X)*a",
      'gradient by X (n x n = 2 x 2):',
      "  -inv(X)'*a*a'*inv(X)'",
      '',
      'variables: X: n x n, a: n x 1',
      'dimensions: n = 2',
      '',
      'at the given point:',
      '  f = 0.5',
      '  gradient =',
      '    [ -0.25   0.125 ]',
      '    [  0.5   -1     ]',
      '',
    ].join('\n'));
  });

  it('prints LaTeX with --latex', () => {
    const out = formatDerive(answer, { wrt: 'X', latex: true, steps: false });
    expect(out).toContain('f = a^T X^{-1} a\n');
    expect(out).toContain('  -X^{-T} a a^T X^{-T}\n');
  });

  it('names the numbers of a differential and of a Hessian by a matrix by vec', () => {
    const d: DeriveAnswer = { ...answer, kind: 'differential', derivative: { text: '-inv(X)*dX*inv(X)', latex: '', shape: ['n', 'n'] }, derivativeValue: [[1]] };
    const out = formatDerive(d, { wrt: 'X', latex: false, steps: false });
    expect(out).toContain('differential by X (n x n = 2 x 2):\n  -inv(X)*dX*inv(X)\n  (linear in dX)\n');
    expect(out).toContain('  jacobian of vec(f) by vec(X) = [ 1 ]\n');
  });

  it('prints only the code when there is code', () => {
    expect(formatDerive({ ...answer, code: 'def grad(X, a):\n    return X' }, { wrt: 'X', latex: false, steps: true }))
      .toBe('def grad(X, a):\n    return X\n');
  });

  it('prints the agreement of mode both', () => {
    expect(formatDerive({ ...answer, agreement: 1.5e-16 }, { wrt: 'X', latex: false, steps: false }))
      .toContain('\nagreement of symbolic and dual numbers: 1.50e-16 (relative)\n');
  });
});

describe('check', () => {
  it('prints the verdict and each error, or skipped', () => {
    expect(formatCheck({ verdict: 'pass', points: 5, errors: { finiteDifferences: 1.234e-9, dual: 0, oneByOne: null } }, 'X', 1)).toBe([
      'pass: the derivative by X agrees at 5 points',
      '  largest relative error against',
      '    finite differences    1.23e-9',
      '    dual numbers          0',
      '    the 1 x 1 reduction   skipped',
      '',
    ].join('\n'));
    expect(formatCheck({ verdict: 'fail', points: 1, errors: { finiteDifferences: 0.5, dual: 0.5, oneByOne: 0.5 } }, 'x', 2))
      .toMatch(/^FAIL: the second derivative by x disagrees \(1 point tried\)\n/);
  });
});
