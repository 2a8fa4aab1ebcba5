import { describe, expect, it } from 'vitest';
import { formatVars, fromQuery, kindText, parseKindText, parseVars, toQuery, type Problem } from '../../src/web/url-state.js';

describe('url-state', () => {
  it('writes the problem as a readable query and reads it back', () => {
    const p: Problem = {
      expr: "det(X+B)*log(a'*inv(X)*a) - tr(X)",
      vars: [{ name: 'X', kind: 'matrix', dims: 'n,n' }, { name: 'B', kind: 'matrix', dims: '' }, { name: 'a', kind: 'vector', dims: '' }],
      wrt: 'X',
      order: 1,
    };
    const q = toQuery(p);
    expect(q).toBe("?expr=det(X%2BB)*log(a'*inv(X)*a)%20-%20tr(X)&vars=X:matrix(n,n);B:matrix;a:vector&wrt=X&order=1");
    expect(fromQuery(q)).toEqual(p);
  });

  it('round-trips awkward expressions (&, =, +, #, spaces, unicode)', () => {
    const p: Problem = { expr: 'x + y & z = #1 ./ 2 ^ 3 × é', vars: [{ name: 's', kind: 'scalar', dims: '' }], wrt: 's', order: 2 };
    expect(fromQuery(toQuery(p))).toEqual(p);
    expect(new URL(`http://h/${toQuery(p)}`).searchParams.get('expr')).toBe(p.expr);
  });

  it('reads links written by hand, with + for spaces and encoded separators', () => {
    expect(fromQuery('?expr=x%27*A*x+%2B+1&vars=x%3Avector%3BA%3Amatrix(n%2C+n)&wrt=x&order=2')).toEqual({
      expr: "x'*A*x + 1",
      vars: [{ name: 'x', kind: 'vector', dims: '' }, { name: 'A', kind: 'matrix', dims: 'n,n' }],
      wrt: 'x',
      order: 2,
    });
  });

  it('ignores what it cannot read', () => {
    expect(fromQuery('?order=3&vars=x:tensor;:vector;1x:vector;y;z:symmetric(n)')).toEqual({ vars: [{ name: 'z', kind: 'symmetric', dims: 'n' }] });
    expect(fromQuery('')).toEqual({});
  });

  it('writes kinds as LANGUAGE.md does', () => {
    expect(kindText({ kind: 'matrix', dims: 'm, n' })).toBe('matrix(m,n)');
    expect(kindText({ kind: 'scalar', dims: 'n' })).toBe('scalar');
    expect(kindText({ kind: 'symmetric', dims: ' ' })).toBe('symmetric');
    expect(parseKindText(' vector( 3 ) ')).toEqual({ kind: 'vector', dims: '3' });
    expect(parseKindText('tensor')).toBeNull();
    expect(formatVars(parseVars('a:vector(m*n);S:symmetric'))).toBe('a:vector(m*n);S:symmetric');
  });
});
