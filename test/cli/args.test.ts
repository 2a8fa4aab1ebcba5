import { describe, expect, it } from 'vitest';
import { ArgFault, parseAt, parseEmit, parseMode, parseOrder, parsePoints, parseVars, protectDashExpressions } from '../../src/cli/args.js';

/** The fault `f` throws, as {code, where, message, the underlined part of its argument}. */
const faultOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ArgFault)) throw e;
    const { text, span } = e.source;
    return { code: e.code, where: e.where, message: e.message, option: e.source.option, under: span ? text.slice(span.start, span.end) : null };
  }
  throw new Error('no fault');
};

describe('parseVars', () => {
  it('splits at the first = and keeps the places of name and kind', () => {
    const { vars, sources } = parseVars(['X=matrix(n,n)', ' a = vector(n) ', 'k=matrix(2,3)']);
    expect(vars).toEqual({ X: 'matrix(n,n)', a: 'vector(n)', k: 'matrix(2,3)' });
    const a = sources.get('a')!;
    expect(a.text.slice(a.kindSpan.start, a.kindSpan.end)).toBe('vector(n)');
    expect(a.text.slice(a.nameSpan.start, a.nameSpan.end)).toBe('a');
  });

  it('keeps everything after the first = in the kind', () => {
    expect(parseVars(['X=matrix=oops']).vars).toEqual({ X: 'matrix=oops' });
  });

  it('refuses an argument without =', () => {
    expect(faultOf(() => parseVars(['X']))).toEqual({
      code: 'bad-request', where: 'request', option: '--var', under: 'X',
      message: "no '=' in it: write NAME=KIND, such as --var X=matrix or --var 'a=vector(n)'",
    });
  });

  it('refuses an empty name or kind, pointing at the =', () => {
    expect(faultOf(() => parseVars(['=matrix']))).toMatchObject({ code: 'bad-request', under: '=', message: expect.stringContaining('no name') });
    expect(faultOf(() => parseVars(['X= ']))).toMatchObject({ code: 'bad-request', where: 'vars.X', under: '=', message: expect.stringContaining('no kind') });
  });

  it('refuses a name declared twice, pointing at the second', () => {
    expect(faultOf(() => parseVars(['X=matrix', 'a=vector', 'X=vector']))).toEqual({
      code: 'bad-request', where: 'vars.X', option: '--var', under: 'X',
      message: "X is declared twice, here and in --var 'X=matrix'; declare it once",
    });
  });
});

describe('parseAt', () => {
  it('reads the values and the places of the members', () => {
    const text = '{"X": [[2,1],[0,3]], "a": [1,2], "s": 3}';
    const { at, members } = parseAt(text);
    expect(at).toEqual({ X: [[2, 1], [0, 3]], a: [1, 2], s: 3 });
    const a = members.get('a')!;
    expect(text.slice(a.start, a.end)).toBe('[1,2]');
  });

  it('says where malformed JSON fails, as bad-json about --at', () => {
    expect(faultOf(() => parseAt('{"X": [[2,1],[0 3]]}'))).toEqual({
      code: 'bad-json', where: 'request', option: '--at', under: '3',
      message: "malformed JSON at column 17: expected ',' or ']' in an array, found '3'",
    });
  });

  it('refuses what is not an object', () => {
    expect(faultOf(() => parseAt('[1,2]'))).toMatchObject({ code: 'bad-request', where: 'request', under: '[1,2]' });
  });

  it('points at the entry of a value that is not a number', () => {
    expect(faultOf(() => parseAt('{"X": [[2,1],[0,"3"]]}'))).toEqual({
      code: 'bad-request', where: 'at.X', option: '--at', under: '"3"',
      message: 'the value of X is a number, an array of numbers (a vector), or an array of rows (a matrix); row 2, entry 2 is the string "3"',
    });
    expect(faultOf(() => parseAt('{"a": [1, null]}'))).toMatchObject({ where: 'at.a', under: 'null' });
    expect(faultOf(() => parseAt('{"s": "2"}'))).toMatchObject({ where: 'at.s', under: '"2"', message: expect.stringContaining('got the string "2"') });
    expect(faultOf(() => parseAt('{"X": [[1],[[2]]]}'))).toMatchObject({ where: 'at.X', under: '[2]' });
  });

  it('refuses a value given twice', () => {
    expect(faultOf(() => parseAt('{"a": [1], "a": [2]}'))).toMatchObject({ code: 'bad-request', where: 'at.a', under: '"a"' });
  });
});

describe('order, points, mode, emit', () => {
  it('takes 1 or 2 as the order', () => {
    expect(parseOrder('1')).toBe(1);
    expect(parseOrder(' 2 ')).toBe(2);
    for (const bad of ['3', '0', '-1', '1.5', 'two', '']) {
      expect(faultOf(() => parseOrder(bad))).toMatchObject({ code: 'bad-order', where: 'order', option: '--order', under: bad });
    }
  });

  it('takes a whole number of points from 1 to 1000', () => {
    expect(parsePoints('5')).toBe(5);
    for (const bad of ['0', '-2', '2.5', '1e3', 'many', '1001']) {
      expect(faultOf(() => parsePoints(bad))).toMatchObject({ code: 'bad-request', option: '--points', under: bad });
    }
  });

  it('takes the modes and the code languages there are', () => {
    expect(parseMode('both')).toBe('both');
    expect(parseEmit('numpy')).toBe('numpy');
    expect(faultOf(() => parseMode('fast'))).toMatchObject({ code: 'bad-request', message: 'expected one of symbolic, ad, both' });
    expect(faultOf(() => parseEmit('python'))).toMatchObject({ code: 'bad-request', message: 'expected one of ts, js, numpy' });
  });
});

describe('protectDashExpressions', () => {
  it('leaves arguments without a leading-dash expression as they are', () => {
    const argv = ['derive', 'tr(X)', '--wrt', 'X', '--var', 'X=matrix', '--json', '--var=a=vector', '-h'];
    expect(protectDashExpressions(argv)).toEqual(argv);
  });

  it('moves an expression that starts with - behind --', () => {
    expect(protectDashExpressions(['derive', '-tr(X)', '--wrt', 'X'])).toEqual(['derive', '--wrt', 'X', '--', '-tr(X)']);
    expect(protectDashExpressions(['eval', '-x', '--var', 'x=scalar'])).toEqual(['eval', '--var', 'x=scalar', '--', '-x']);
    expect(protectDashExpressions(['eval', '--at', '{}', '--', 'y'])).toEqual(['eval', '--at', '{}', '--', 'y']);
  });

  it('leaves the value of an option where it is, even when it starts with -', () => {
    expect(protectDashExpressions(['derive', 'x', '--order', '-1', '--var', '-x=matrix'])).toEqual(['derive', 'x', '--order', '-1', '--var', '-x=matrix']);
  });
});
