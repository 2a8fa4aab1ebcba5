// Shape inference and naming (LANGUAGE.md, "Variables and kinds"): fresh dimensions unified from the
// expression and named n, m, p, ... in order of first occurrence; declared names and integers fixed;
// I, ones and zeros sized from context; kron and vec multiply dimensions; 1 x 1 results are scalars.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/api/compile.js';
import { MatcalcError, type ErrorCode } from '../../src/ir/errors.js';
import type { Program } from '../../src/lang/elaborate.js';
import { toText } from '../../src/print/text.js';

type Vars = Record<string, string>;
const shapes = (p: Program): Record<string, string> => Object.fromEntries(Object.entries(p.shapes).map(([k, s]) => [k, `${s[0]} x ${s[1]}`]));
const shapeOf = (p: Program): string => `${p.root.shape[0]} x ${p.root.shape[1]}`;

const errorOf = (expr: string, vars: Vars): MatcalcError => {
  try {
    compile(expr, vars);
  } catch (e) {
    if (e instanceof MatcalcError) return e;
    throw e;
  }
  throw new Error(`${expr} compiled`);
};
/** The error's code, its span's text in expr, and its message. */
const fault = (expr: string, vars: Vars): { code: ErrorCode; at: string | null; message: string; where: string } => {
  const e = errorOf(expr, vars);
  return { code: e.code, at: e.span ? expr.slice(e.span.start, e.span.end) : null, message: e.message, where: e.where };
};

// ---------------------------------------------------------------- fresh dimensions and their names

describe('fresh dimensions are named n, m, p, ... in order of first occurrence', () => {
  it('declarations first, in order, each one rows before columns', () => {
    expect(shapes(compile('x', { A: 'matrix', x: 'vector', y: 'vector' }))).toEqual({ A: 'n x m', x: 'p x 1', y: 'q x 1' });
    expect(shapes(compile('A', { A: 'matrix', B: 'matrix' }))).toEqual({ A: 'n x m', B: 'p x q' });
    expect(shapes(compile('S', { S: 'symmetric', X: 'matrix' }))).toEqual({ S: 'n x n', X: 'm x p' });
  });

  it('one name for each class of equal dimensions, after unification', () => {
    const p = compile('X*a', { X: 'matrix', a: 'vector' });
    expect(shapes(p)).toEqual({ X: 'n x m', a: 'm x 1' });
    expect(shapeOf(p)).toBe('n x 1');
    // the declaration order decides, not the expression's
    expect(shapes(compile('X*a', { a: 'vector', X: 'matrix' }))).toEqual({ a: 'n x 1', X: 'm x n' });
    const chain = compile('A*B*C', { A: 'matrix', B: 'matrix', C: 'matrix' });
    expect(shapes(chain)).toEqual({ A: 'n x m', B: 'm x p', C: 'p x q' });
    expect(shapeOf(chain)).toBe('n x q');
    // a square use makes one class: X^2, det, inv, tr
    for (const e of ['X^2', 'det(X)', 'inv(X)', 'tr(X)', 'X + X\'']) expect(shapes(compile(e, { X: 'matrix' }))).toEqual({ X: 'n x n' });
    expect(shapes(compile("x'*A*y", { A: 'matrix', x: 'vector', y: 'vector' }))).toEqual({ A: 'n x m', x: 'n x 1', y: 'm x 1' });
  });

  it('then the expression, left to right', () => {
    const p = compile("x'*ones", { x: 'vector' });
    expect(shapes(p)).toEqual({ x: 'n x 1' });
    expect(shapeOf(p)).toBe('1 x m');
    expect(toText(p.root)).toBe("x'*ones(n, m)");
    expect(shapeOf(compile('X*ones', { X: 'matrix(m,n)' }))).toBe('m x p');
  });

  it('after w come n1, n2, ...', () => {
    const vars = Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`x${i + 1}`, 'vector']));
    expect(Object.values(compile('x1', vars).shapes).map((s) => s[0]))
      .toEqual(['n', 'm', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'n1', 'n2', 'n3']);
  });

  it('skip any name in use: a declared dimension or a variable', () => {
    expect(shapes(compile('x', { A: 'matrix(n,k)', x: 'vector' }))).toEqual({ A: 'n x k', x: 'm x 1' });
    expect(shapes(compile('x', { A: 'matrix(m,k)', x: 'vector' }))).toEqual({ A: 'm x k', x: 'n x 1' });
    expect(shapes(compile('n*x', { n: 'scalar', x: 'vector' }))).toEqual({ n: '1 x 1', x: 'm x 1' });
    expect(compile('n*x', { n: 'scalar', x: 'vector' }).dimNames).toEqual(new Set(['m']));
  });

  it('report every dimension name in use', () => {
    expect(compile('A*x', { A: 'matrix(k,l)', x: 'vector' }).dimNames).toEqual(new Set(['k', 'l']));
    expect(compile('x', { x: 'vector(3)' }).dimNames).toEqual(new Set());
  });
});

// ---------------------------------------------------------------- declared dimensions

describe('declared dimensions are fixed', () => {
  it('keep their names and integers, products written sorted', () => {
    expect(shapes(compile('x', { x: 'vector(n*m)' }))).toEqual({ x: 'm*n x 1' });
    expect(shapes(compile('x', { x: 'vector(2*n*3)' }))).toEqual({ x: '6*n x 1' });
    expect(shapes(compile('S', { S: 'symmetric(3)' }))).toEqual({ S: '3 x 3' });
    expect(shapes(compile('X', { X: 'matrix(k, 2)' }))).toEqual({ X: 'k x 2' });
  });

  it('unify a fresh dimension with a declared one', () => {
    expect(shapes(compile('A*x', { A: 'matrix(m,n)', x: 'vector' }))).toEqual({ A: 'm x n', x: 'n x 1' });
    expect(shapes(compile('x + A*y', { A: 'matrix(k,l)', x: 'vector', y: 'vector' }))).toEqual({ A: 'k x l', x: 'k x 1', y: 'l x 1' });
  });

  it('two different declared names meeting is an error that names both shapes, at the operator', () => {
    const cases: [string, Vars, string, string[]][] = [
      ['A*x', { A: 'matrix(m,n)', x: 'vector(k)' }, '*', ['m x n', 'k x 1']],
      ['A + B', { A: 'matrix(m,n)', B: 'matrix(n,m)' }, '+', ['m x n', 'n x m']],
      ['A - B', { A: 'matrix(m,n)', B: 'matrix(n,m)' }, '-', ['m x n', 'n x m']],
      ['A .* B', { A: 'matrix(m,n)', B: 'matrix(n,m)' }, '.*', ['m x n', 'n x m']],
      ['x - y', { x: 'vector(2)', y: 'vector(3)' }, '-', ['2 x 1', '3 x 1']],
      ['X*Y', { X: 'matrix(m,n)', Y: 'matrix(p,q)' }, '*', ['m x n', 'p x q']],
      ['kron(A, B) + C', { A: 'matrix(m,n)', B: 'matrix(p,q)', C: 'matrix(k,l)' }, '+', ['m*p x n*q', 'k x l']],
    ];
    for (const [expr, vars, op, parts] of cases) {
      const f = fault(expr, vars);
      expect(f.code, expr).toBe('shape-mismatch');
      expect(f.at, expr).toBe(op);
      for (const p of parts) expect(f.message, expr).toContain(p);
      expect(f.message).toContain(`'${op}'`);
    }
  });

  it('a shape error deep in an expression points at its own operator', () => {
    const expr = "tr(X) + a'*(A*x)";
    const e = errorOf(expr, { X: 'matrix', a: 'vector(k)', A: 'matrix(m,n)', x: 'vector(l)' });
    expect(e.code).toBe('shape-mismatch');
    expect(e.span).toEqual({ start: 13, end: 14 });
  });
});

// ---------------------------------------------------------------- what inference never does

describe('inference never makes a dimension 1', () => {
  it("a*b of two vectors is an error, not a scaling", () => {
    const f = fault('a*b', { a: 'vector', b: 'vector' });
    expect(f).toMatchObject({ code: 'shape-mismatch', at: '*' });
    expect(f.message).toMatch(/'a' is n x 1, 'b' is m x 1/);
  });

  it('a dimension declared 1 is a scalar, and scales', () => {
    const p = compile('a*b', { a: 'vector(1)', b: 'vector' });
    expect(shapes(p)).toEqual({ a: '1 x 1', b: 'n x 1' });
    expect(shapeOf(p)).toBe('n x 1');
  });

  it('x^2 of a vector is an error that suggests .^', () => {
    const f = fault('x^2', { x: 'vector' });
    expect(f).toMatchObject({ code: 'not-square', at: '^' });
    expect(f.message).toContain('.^');
    expect(shapeOf(compile('x.^2', { x: 'vector' }))).toBe('n x 1');
    expect(fault('X^2', { X: 'matrix(m,n)' })).toMatchObject({ code: 'not-square', at: '^' });
  });

  it('the bare I, ones and zeros take fresh dimensions, never 1', () => {
    const p = compile("x'*ones", { x: 'vector' });
    expect(p.root.shape[1]).not.toBe('1');
    // so a bare ones is never a column: beside a vector, its size is written
    expect(fault('x + ones', { x: 'vector(k)' })).toMatchObject({ code: 'shape-mismatch', at: '+' });
    expect(fault('x .* zeros', { x: 'vector' }).code).toBe('shape-mismatch');
    expect(shapeOf(compile('I', {}))).toBe('n x n');
    expect(shapeOf(compile('a + I', { a: 'scalar' }))).toBe('n x n');
  });
});

// ---------------------------------------------------------------- sized constants

describe('I, ones and zeros', () => {
  it('are sized from where they stand', () => {
    const cases: [string, Vars, string, string][] = [
      ['X + I', { X: 'matrix' }, 'n x n', 'X + eye(n)'],
      ['I + X', { X: 'matrix(m,m)' }, 'm x m', 'X + eye(m)'],
      ["x'*I*x", { x: 'vector' }, '1 x 1', "x'*x"],
      ['A*ones', { A: 'matrix(m,n)' }, 'm x p', 'A*ones(n, p)'],
      ["ones'*A", { A: 'matrix(m,n)' }, 'p x n', 'ones(p, m)*A'],
      ['X + zeros', { X: 'matrix(m,n)' }, 'm x n', 'X'],
      ['x + ones(k)', { x: 'vector(k)' }, 'k x 1', 'x + ones(k)'],
    ];
    for (const [expr, vars, shape, sized] of cases) {
      const p = compile(expr, vars);
      expect(shapeOf(p), expr).toBe(shape);
      expect(p.root, `${expr}: ${toText(p.root)}`).toBe(compile(sized, vars).root);
    }
  });

  it('take written sizes: eye(k), ones(k), zeros(k,l), integers and products', () => {
    const cases: [string, Vars, string][] = [
      ['eye(3)', {}, '3 x 3'], ['eye(k)', {}, 'k x k'], ['ones(k)', {}, 'k x 1'], ['ones(2, 3)', {}, '2 x 3'],
      ['zeros(k, l)', {}, 'k x l'], ['eye(m*n)', {}, 'm*n x m*n'], ['ones(m*n)', { X: 'matrix(m,n)' }, 'm*n x 1'],
      ['zeros(2,3) + X', { X: 'matrix' }, '2 x 3'],
    ];
    for (const [expr, vars, shape] of cases) expect(shapeOf(compile(expr, vars)), expr).toBe(shape);
    // a written name joins the declared dimension of that name, or names a fresh one
    expect(shapes(compile('eye(k)*x', { x: 'vector' }))).toEqual({ x: 'k x 1' });
    expect(shapes(compile('eye(n)*x', { x: 'vector(n)' }))).toEqual({ x: 'n x 1' });
    expect(shapes(compile('X + eye(n)', { X: 'matrix' }))).toEqual({ X: 'n x n' });
  });

  it('refuse what is not a dimension', () => {
    expect(fault('eye(x)', { x: 'vector' })).toMatchObject({ code: 'bad-value', at: 'x' });
    expect(fault('eye(0)', {})).toMatchObject({ code: 'bad-value', at: '0' });
    expect(fault('eye(1.5)', {})).toMatchObject({ code: 'bad-value', at: '1.5' });
    expect(fault('ones(k + 1)', {}).code).toBe('bad-value');
    expect(fault('eye', {}).code).toBe('arity');
    expect(fault('I(3)', {}).code).toBe('unknown-function');
  });
});

// ---------------------------------------------------------------- kron, vec, unvec

describe('kron and vec multiply dimensions', () => {
  it('vec of an m x n matrix has length m*n', () => {
    expect(shapeOf(compile('vec(X)', { X: 'matrix(m,n)' }))).toBe('m*n x 1');
    expect(shapeOf(compile('vec(X)', { X: 'matrix' }))).toBe('m*n x 1');
    expect(shapeOf(compile('vec(X)', { X: 'matrix(2,3)' }))).toBe('6 x 1');
  });

  it('kron multiplies rows by rows and columns by columns', () => {
    const p = compile('kron(A, B)', { A: 'matrix', B: 'matrix' });
    expect(shapes(p)).toEqual({ A: 'n x m', B: 'p x q' });
    expect(shapeOf(p)).toBe('n*p x m*q');
    expect(shapeOf(compile('kron(A, B)', { A: 'matrix(2,k)', B: 'matrix(3,l)' }))).toBe('6 x k*l');
  });

  it('a fresh name is solved to a product, never the other way round', () => {
    expect(shapes(compile('vec(X) + y', { X: 'matrix(m,n)', y: 'vector' }))).toEqual({ X: 'm x n', y: 'm*n x 1' });
    // the same product in another order is the same dimension
    expect(shapeOf(compile('vec(X) + kron(a, b)', { X: 'matrix(m,n)', a: 'vector(n)', b: 'vector(m)' }))).toBe('m*n x 1');
    // a declared name is not a product
    expect(fault('vec(X) + y', { X: 'matrix', y: 'vector(k)' })).toMatchObject({ code: 'shape-mismatch', at: '+' });
    expect(fault('vec(X) + y', { X: 'matrix', y: 'vector(6)' })).toMatchObject({ code: 'shape-mismatch', at: '+' });
  });

  it('m*n against a fresh p*q is an error', () => {
    const f = fault('vec(X) + vec(Y)', { X: 'matrix(m,n)', Y: 'matrix' });
    expect(f).toMatchObject({ code: 'shape-mismatch', at: '+' });
    expect(f.message).toContain('m*n x 1');
    expect(f.message).toContain('p*q x 1');
  });

  // BUG: LANGUAGE.md says m*n against a fresh p*q "is an error that asks for the dimensions to be
  // declared"; the message only says "shapes do not fit in '+': 'vec(X)' is m*n x 1, 'vec(Y)' is p*q x 1".
  it('m*n against a fresh p*q asks for the dimensions to be declared', () => {
    expect(fault('vec(X) + vec(Y)', { X: 'matrix(m,n)', Y: 'matrix' }).message).toMatch(/declare/);
  });

  it('unvec(x, k) has k rows and a fresh column dimension c with k*c the length of x', () => {
    let p = compile('unvec(x, m)', { x: 'vector' });
    expect(shapes(p)).toEqual({ x: 'm*n x 1' });
    expect(shapeOf(p)).toBe('m x n');
    p = compile('unvec(x, 2)', { x: 'vector' });
    expect(shapes(p)).toEqual({ x: '2*n x 1' });
    expect(shapeOf(p)).toBe('2 x n');
    expect(shapeOf(compile('unvec(x, 2)', { x: 'vector(6)' }))).toBe('2 x 3');
    expect(shapeOf(compile('unvec(x, m)', { x: 'vector(m*n)' }))).toBe('m x n');
    expect(shapeOf(compile('unvec(x, n)', { x: 'vector(m*n)' }))).toBe('n x m');
    expect(toText(compile('unvec(vec(X), m)', { X: 'matrix(m,n)' }).root)).toBe('X');
    expect(fault('unvec(x, 4)', { x: 'vector(6)' }).code).toBe('shape-mismatch');
    expect(fault('unvec(X, 2)', { X: 'matrix(m,n)' }).code).toBe('shape-mismatch');
  });
});

// ---------------------------------------------------------------- names

describe('variables, dimensions and reserved words share one namespace', () => {
  it.each(['tr', 'I', 'eye', 'ones', 'zeros', 'inv', 'det', 'logdet', 'sum', 'norm2', 'diag', 'vec', 'unvec', 'kron', 'exp', 'sigmoid', 'softmax'])(
    'a variable named %s is a reserved-name error at its declaration', (name) => {
      const f = fault('1', { [name]: 'vector' });
      expect(f.code).toBe('reserved-name');
      expect(f.where).toBe(`vars.${name}`);
      expect(f.message).toContain(`'${name}'`);
    });

  it('a dimension named like a reserved word is an error', () => {
    expect(fault('x', { x: 'matrix(tr, n)' })).toMatchObject({ code: 'reserved-name', where: 'vars.x' });
    expect(fault('eye(I)', {}).code).toBe('reserved-name');
  });

  it('a variable named like a declared dimension is an error', () => {
    expect(fault('x', { n: 'scalar', x: 'vector(n)' })).toMatchObject({ code: 'reserved-name', where: 'vars.n' });
  });

  it('a dimension is not a variable, and a variable not a dimension or a function', () => {
    expect(fault('n', { x: 'vector(n)' })).toMatchObject({ code: 'unknown-name', at: 'n' });
    expect(fault('eye(x)', { x: 'vector' })).toMatchObject({ code: 'bad-value', at: 'x' });
    expect(fault('x(2)', { x: 'vector' })).toMatchObject({ code: 'unknown-function', at: 'x' });
    expect(fault('y', { x: 'vector' })).toMatchObject({ code: 'unknown-name', at: 'y' });
    expect(fault('tr', { x: 'vector' }).code).toBe('arity');
  });

  it('eval takes names like perturbations (dX beside X) as ordinary variables', () => {
    expect(shapes(compile("tr(X'*dX)", { X: 'matrix', dX: 'matrix' }))).toEqual({ X: 'n x m', dX: 'n x m' });
  });
});

// ---------------------------------------------------------------- kinds

describe('kinds are about shape', () => {
  it("a symmetric variable is square, and S' is S", () => {
    const p = compile("S'", { S: 'symmetric' });
    expect(shapes(p)).toEqual({ S: 'n x n' });
    expect(p.root).toBe(p.vars.get('S'));
    expect(p.root.attrs.symmetric).toBe(true);
    expect(toText(compile("S - S'", { S: 'symmetric' }).root)).toBe('zeros(n, n)');
    expect(toText(compile("A*S*A' - (A*S*A')'", { S: 'symmetric', A: 'matrix' }).root)).toBe('zeros(m, m)');
    expect(shapes(compile('S*X', { S: 'symmetric', X: 'matrix' }))).toEqual({ S: 'n x n', X: 'n x m' });
    // a matrix that is not declared symmetric keeps its transpose
    expect(toText(compile("X - X'", { X: 'matrix' }).root)).toBe("X - X'");
  });

  it('a matrix(n,1) is a vector and a matrix(1,1) a scalar', () => {
    expect(shapes(compile('x', { x: 'matrix(n,1)' }))).toEqual({ x: 'n x 1' });
    const s = compile('X*A', { X: 'matrix(1,1)', A: 'matrix' });
    expect(shapes(s)).toEqual({ X: '1 x 1', A: 'n x m' });
    expect(shapeOf(s)).toBe('n x m');
    expect(shapeOf(compile('x^2', { x: 'vector(1)' }))).toBe('1 x 1');
  });

  it('a 1 x 1 result is a scalar everywhere', () => {
    const v = { a: 'vector', b: 'vector', s: 'scalar', A: 'matrix' };
    const cases: [string, string][] = [
      ["tr(a'*b)", "a'*b"], ["det(a'*b)", "a'*b"], ["diag(a'*b)", "a'*b"], ['inv(s)', '1/s'], ["inv(a'*b)", "1/(a'*b)"],
      ['det(s)', 's'], ['tr(s)', 's'], ['logdet(s)', 'log(abs(s))'], ['s^-1', '1/s'],
    ];
    for (const [expr, text] of cases) {
      const p = compile(expr, v);
      expect(shapeOf(p), expr).toBe('1 x 1');
      expect(toText(p.root), expr).toBe(text);
    }
    // a 1 x 1 product scales whatever it stands beside
    expect(shapeOf(compile("a'*b*A", v))).toBe('m x p');
    expect(shapeOf(compile("A*(a'*b)", v))).toBe('m x p');
    expect(shapeOf(compile("(a'*b)*a", v))).toBe('n x 1');
  });

  it('a scalar beside a matrix in a sum is broadcast', () => {
    expect(shapeOf(compile('x + 1', { x: 'vector' }))).toBe('n x 1');
    expect(toText(compile('x + 1', { x: 'vector' }).root)).toBe('x + ones(n)');
    expect(shapeOf(compile('s - X', { s: 'scalar', X: 'matrix' }))).toBe('n x m');
  });

  it('the functions check their shapes', () => {
    expect(fault('tr(X)', { X: 'matrix(m,n)' })).toMatchObject({ code: 'not-square', at: 'tr(X)' });
    expect(fault('inv(X)', { X: 'matrix(2,3)' }).code).toBe('not-square');
    expect(fault('logsumexp(X)', { X: 'matrix(m,n)' }).code).toBe('shape-mismatch');
    expect(fault("diag(x')", { x: 'vector' }).code).toBe('shape-mismatch');
    expect(fault('A/B', { A: 'matrix', B: 'matrix' })).toMatchObject({ code: 'shape-mismatch', at: '/' });
    expect(fault('x.^y', { x: 'vector', y: 'vector' }).code).toBe('shape-mismatch');
    expect(fault('X^a', { X: 'matrix', a: 'scalar' }).code).toBe('bad-value');
    expect(shapeOf(compile('diag(X)', { X: 'matrix' }))).toBe('n x 1');
    expect(shapeOf(compile('diag(x)', { x: 'vector' }))).toBe('n x n');
  });
});
