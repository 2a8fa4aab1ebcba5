// derive({..., steps: true}): the derivation step by step (CLI.md, "derive"). The last step's
// right-hand side is the answer in the form it is read from, and parses; every stage with no d(...)
// left is the differential itself, checked on numbers against finite differences of f; the rules
// are stable kebab-case ids, the labels words, and every LaTeX string renders in KaTeX.
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { compile, symmetricVars } from '../../src/api/compile.js';
import { derive } from '../../src/api/derive.js';
import { evaluate as evaluateText } from '../../src/api/evaluate.js';
import type { DeriveAnswer, Kind, Step } from '../../src/api/types.js';
import { bindValues } from '../../src/api/values.js';
import { evaluate } from '../../src/numeric/evaluate.js';
import { Matrix } from '../../src/numeric/matrix.js';
import { matmul } from '../../src/numeric/ops.js';
import { declaredByShapes } from '../helpers/derive-check.js';
import {
  directional, fromJson, pointFor, randomValue, relErr, secondDirectional, seeded, show, sizesFor, toJson, type Domain, type Json,
} from '../helpers/numeric.js';

interface Case {
  name: string;
  expr: string;
  vars: Record<string, string>;
  wrt: string;
  order: 1 | 2;
  kind: Kind;
  domain?: Record<string, Domain>;
}

const README_GRADIENT: Case = {
  name: 'README: a gradient by a matrix', expr: "det(X+B)*log(a'*inv(X)*a) - tr(X)", vars: { X: 'matrix', B: 'matrix', a: 'vector' },
  wrt: 'X', order: 1, kind: 'gradient', domain: { X: 'spd', B: 'small' },
};
const README_HESSIAN: Case = { name: 'README: a Hessian by a vector', expr: "det(I + x*x')", vars: { x: 'vector' }, wrt: 'x', order: 2, kind: 'hessian' };

const CASES: Case[] = [
  README_GRADIENT,
  README_HESSIAN,
  { name: 'a gradient by a vector', expr: "x'*A*x", vars: { x: 'vector', A: 'matrix' }, wrt: 'x', order: 1, kind: 'gradient' },
  { name: 'a gradient by a scalar', expr: 'sin(t)*t + t^3', vars: { t: 'scalar' }, wrt: 't', order: 1, kind: 'gradient' },
  { name: 'a gradient by a matrix through a bilinear form', expr: "a'*X*b", vars: { a: 'vector', X: 'matrix', b: 'vector' }, wrt: 'X', order: 1, kind: 'gradient' },
  { name: 'a gradient by a symmetric matrix', expr: "a'*S*b + logdet(S)", vars: { a: 'vector', S: 'symmetric', b: 'vector' }, wrt: 'S', order: 1, kind: 'gradient', domain: { S: 'spd' } },
  { name: 'a gradient through inv and a trace', expr: 'tr(A*inv(X)*B)', vars: { A: 'matrix', X: 'matrix', B: 'matrix' }, wrt: 'X', order: 1, kind: 'gradient', domain: { X: 'wellcond' } },
  { name: 'a Jacobian', expr: 'sin(x).*x', vars: { x: 'vector' }, wrt: 'x', order: 1, kind: 'jacobian' },
  { name: 'a Jacobian through softmax', expr: 'softmax(A*x)', vars: { A: 'matrix', x: 'vector' }, wrt: 'x', order: 1, kind: 'jacobian' },
  { name: 'a Jacobian by a scalar', expr: 'exp(t*x)', vars: { t: 'scalar', x: 'vector' }, wrt: 't', order: 1, kind: 'jacobian' },
  { name: 'a differential of a matrix function', expr: "X'*X", vars: { X: 'matrix(m,n)' }, wrt: 'X', order: 1, kind: 'differential' },
  { name: 'a differential of the inverse', expr: 'inv(X)*A', vars: { X: 'matrix', A: 'matrix' }, wrt: 'X', order: 1, kind: 'differential', domain: { X: 'wellcond' } },
  { name: 'a differential of a vector by a matrix', expr: 'X*a', vars: { X: 'matrix', a: 'vector' }, wrt: 'X', order: 1, kind: 'differential' },
  { name: 'a Hessian by a vector', expr: "x'*A*x + sum(exp(x))", vars: { x: 'vector', A: 'matrix' }, wrt: 'x', order: 2, kind: 'hessian' },
  { name: 'a Hessian by a matrix', expr: 'tr(X*X)', vars: { X: 'matrix' }, wrt: 'X', order: 2, kind: 'hessian' },
  { name: 'a Hessian by a matrix through logdet', expr: 'logdet(X)', vars: { X: 'matrix' }, wrt: 'X', order: 2, kind: 'hessian', domain: { X: 'wellcond' } },
];

// ---------------------------------------------------------------- the point, and the texts on numbers

interface Setup {
  c: Case;
  answer: DeriveAnswer;
  steps: Step[];
  /** Declarations with the answer's dimension names, plus dX (dX1, dX2) declared like X. */
  decl: Record<string, string>;
  at: Record<string, Json>;
  X: Matrix;
  symmetric: boolean;
  /** f as a function of X alone. */
  f: (Y: Matrix) => Matrix;
  /** Random perturbations of X's shape (symmetric for a symmetric X). */
  D1: Matrix;
  D2: Matrix;
  /** The value of a text at the point, dX (or dX1, dX2) bound to D1 (and D2). */
  value: (text: string) => Matrix;
}

function setUp(c: Case, seed = 5): Setup {
  const program = compile(c.expr, c.vars);
  const rand = seeded(seed);
  const sizes = sizesFor(program.shapes, 2, rand);
  const sym = symmetricVars(program);
  const at = pointFor(program.shapes, sizes, rand, c.domain, sym);
  const answer = derive({ expr: c.expr, vars: c.vars, wrt: c.wrt, order: c.order, at, steps: true });
  const env = bindValues(program.shapes, at, sym);
  const X = env.values.get(c.wrt)!;
  const symmetric = sym.has(c.wrt);
  const f = (Y: Matrix): Matrix => {
    const values = new Map(env.values);
    values.set(c.wrt, Y);
    return evaluate([program.root], { values, sizes: env.sizes })[0]!;
  };
  const D1 = randomValue(X.rows, X.cols, 'any', rand, symmetric), D2 = randomValue(X.rows, X.cols, 'any', rand, symmetric);
  const base = declaredByShapes(c.vars, answer.shapes);
  const d = `d${c.wrt}`;
  const decl = { ...base, [d]: base[c.wrt]!, [`${d}1`]: base[c.wrt]!, [`${d}2`]: base[c.wrt]! };
  const bound = { ...at, [d]: toJson(D1), [`${d}1`]: toJson(D1), [`${d}2`]: toJson(D2) };
  const value = (text: string): Matrix => fromJson(evaluateText({ expr: text, vars: decl, at: bound }).value);
  return { c, answer, steps: answer.steps!, decl, at, X, symmetric, f, D1, D2, value };
}

const SETUPS = CASES.map((c) => setUp(c));
const byName = (name: string): Setup => SETUPS.find((s) => s.c.name === name)!;

/** lhs and rhs of a step's text. */
const sides = (s: Step): [string, string] => {
  const i = s.text.indexOf(' = ');
  expect(i, s.text).toBeGreaterThan(0);
  return [s.text.slice(0, i), s.text.slice(i + 3)];
};

const scalarOf = (m: Matrix): number => m.data[0]!;
const TOL_FD = 1e-6;

// ---------------------------------------------------------------- the last step

describe('the last step is the answer, in the form it is read from', () => {
  it.each(SETUPS.map((s) => [s.c.name, s] as const))('%s', (_name, s) => {
    const { answer, c } = s;
    expect(answer.kind).toBe(c.kind);
    const a = answer.derivative!.text;
    const last = s.steps[s.steps.length - 1]!;
    const X = s.X, d = `d${c.wrt}`;
    const scalarX = X.rows === 1 && X.cols === 1, columnX = X.cols === 1;
    switch (c.kind) {
      case 'gradient':
        expect(last.text).toBe(scalarX ? `df = (${a})*${d}` : columnX ? `df = (${a})'*${d}` : `df = tr((${a})'*${d})`);
        expect(last.rule).toBe('read-off-gradient');
        break;
      case 'jacobian':
        expect(last.text).toBe(`df = (${a})*${d}`);
        expect(last.rule).toBe('read-off-jacobian');
        break;
      case 'differential':
        expect(last.text).toBe(`df = ${a}`);
        break;
      case 'hessian':
        expect(last.text).toBe(columnX ? `dg = (${a})*${d}` : `d2f = ${a}`);
        break;
    }
  });

  it.each(SETUPS.map((s) => [s.c.name, s] as const))('%s: its right-hand side parses, and is the linear (bilinear) map of the answer', (_name, s) => {
    const [, rhs] = sides(s.steps[s.steps.length - 1]!);
    const got = s.value(rhs);
    const A = fromJson(s.answer.derivativeValue);
    const vecD = (D: Matrix): Matrix => new Matrix(D.rows * D.cols, 1, D.data.slice());
    let want: Matrix;
    switch (s.c.kind) {
      case 'gradient': {
        // tr(G'*dX) = <G, dX>, and it is the directional derivative of f along dX
        let ip = 0;
        for (let k = 0; k < A.data.length; k++) ip += A.data[k]! * s.D1.data[k]!;
        want = Matrix.scalar(ip);
        const fd = directional(s.f, s.X, s.D1);
        expect(Math.abs(scalarOf(got) - fd[0]!) / Math.max(1, Math.abs(fd[0]!)), `${rhs} vs FD`).toBeLessThan(TOL_FD);
        break;
      }
      case 'jacobian': case 'differential':
        // J * vec(dX); its shape is f's
        want = matmul(A, vecD(s.D1));
        expect(relErr(new Matrix(got.rows * got.cols, 1, got.data.slice()), new Matrix(want.rows, 1, Float64Array.from(directional(s.f, s.X, s.D1)))), 'vs FD').toBeLessThan(TOL_FD);
        break;
      case 'hessian':
        if (s.X.cols === 1) want = matmul(A, s.D1);
        else {
          // d2f at dX1, dX2 is vec(dX2)' * H * vec(dX1), and the second directional derivative of f
          want = Matrix.scalar(scalarOf(matmul(matmul(new Matrix(1, s.D2.data.length, s.D2.data.slice()), A), vecD(s.D1))));
          const fd = secondDirectional((Y) => scalarOf(s.f(Y)), s.X, s.D1, s.D2);
          expect(Math.abs(scalarOf(got) - fd) / Math.max(1, Math.abs(fd)), `${rhs} vs FD`).toBeLessThan(1e-4);
        }
        break;
    }
    expect(relErr(new Matrix(got.rows * got.cols, 1, got.data.slice()), new Matrix(want!.rows * want!.cols, 1, want!.data.slice())),
      `${rhs}: ${show(got)} vs ${show(want!)}`).toBeLessThan(1e-10);
  });
});

// ---------------------------------------------------------------- every stage

describe('every step', () => {
  it.each(SETUPS.map((s) => [s.c.name, s] as const))('%s: has a kebab-case rule, a label, lhs = rhs, and LaTeX that renders', (_name, s) => {
    expect(s.steps.length).toBeGreaterThan(1);
    for (const step of s.steps) {
      expect(step.rule).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(step.label.trim().length, step.rule).toBeGreaterThan(0);
      const [lhs] = sides(step);
      expect(['df', 'dg', 'g', 'd2f']).toContain(lhs);
      expect(step.latex).not.toContain('&');
      expect(() => katex.renderToString(step.latex, { throwOnError: true }), step.latex).not.toThrow();
    }
    // the first step takes the differential of f
    expect(s.steps[0]!.rule).toBe('differential');
    expect(s.steps[0]!.text).toBe(`df = d(${s.answer.function!.text})`);
  });

  it.each(SETUPS.map((s) => [s.c.name, s] as const))('%s: each stage with no d(...) left is the differential, on numbers', (_name, s) => {
    let checked = 0;
    // for a Hessian by a vector, g is the gradient the dg stages differentiate
    let g: ((Y: Matrix) => Matrix) | null = null;
    for (const step of s.steps) {
      const [lhs, rhs] = sides(step);
      if (/\bd\(/.test(rhs)) continue;
      const got = s.value(rhs);
      const flat = (m: Matrix | Float64Array): Float64Array => (m instanceof Matrix ? m.data : m);
      const close = (want: Matrix | Float64Array, tol: number): void => {
        const w = flat(want);
        expect(relErr(new Matrix(got.data.length, 1, got.data.slice()), new Matrix(w.length, 1, Float64Array.from(w))),
          `${step.rule}: ${step.text} = ${show(got)}, want ${Array.from(w).map((v) => v.toPrecision(6)).join(', ')}`).toBeLessThan(tol);
      };
      switch (lhs) {
        case 'df': close(directional(s.f, s.X, s.D1), TOL_FD); break;
        case 'g': {
          // the gradient itself: against finite differences of f along each direction
          const text = rhs;
          g = (Y: Matrix): Matrix => fromJson(evaluateText({ expr: text, vars: s.decl, at: { ...s.at, [s.c.wrt]: toJson(Y) } }).value);
          const G = g(s.X);
          let ip = 0;
          for (let k = 0; k < G.data.length; k++) ip += G.data[k]! * s.D1.data[k]!;
          expect(Math.abs(ip - directional(s.f, s.X, s.D1)[0]!), `${step.text}: <g, dx> vs FD`).toBeLessThan(TOL_FD);
          break;
        }
        case 'dg': expect(g, 'a dg stage after the g step').not.toBeNull(); close(directional(g!, s.X, s.D1), TOL_FD); break;
        case 'd2f': close(Float64Array.of(secondDirectional((Y) => scalarOf(s.f(Y)), s.X, s.D1, s.D2)), 1e-4); break;
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- the README's examples

describe("the README's examples apply the rules one applies by hand", () => {
  it("det(X+B)*log(a'*inv(X)*a) - tr(X) by X", () => {
    const rules = byName(README_GRADIENT.name).steps.map((s) => s.rule);
    for (const r of ['differential', 'linearity', 'product-rule', 'chain-rule-log', 'd-det', 'd-inverse', 'd-trace', 'read-off-gradient']) {
      expect(rules, r).toContain(r);
    }
    // outermost first: the product rule before the rules of its factors, d(inv X) after log and det
    expect(rules.indexOf('product-rule')).toBeLessThan(rules.indexOf('chain-rule-log'));
    expect(rules.indexOf('chain-rule-log')).toBeLessThan(rules.indexOf('d-inverse'));
    expect(rules.indexOf('d-det')).toBeLessThan(rules.indexOf('d-inverse'));
    expect(rules[rules.length - 1]).toBe('read-off-gradient');
  });

  it("det(I + x*x') by x, twice: the gradient first, then its differential", () => {
    const s = byName(README_HESSIAN.name);
    const rules = s.steps.map((t) => t.rule);
    for (const r of ['differential', 'product-rule', 'read-off-gradient', 'gradient', 'read-off-hessian']) expect(rules, r).toContain(r);
    expect(rules.indexOf('read-off-gradient')).toBeLessThan(rules.indexOf('gradient'));
    expect(rules[rules.length - 1]).toBe('read-off-hessian');
    // the determinant lemma: det(I + x*x') = 1 + x'*x before any differential is taken
    expect(s.steps[0]!.text).toBe("df = d(1 + x'*x)");
    expect(s.steps.find((t) => t.rule === 'gradient')!.text).toBe('g = 2*x');
    expect(s.steps[s.steps.length - 1]!.text).toBe('dg = (2*eye(n))*dx');
  });

  it('are the same with and without steps', () => {
    for (const s of SETUPS) {
      const plain = derive({ expr: s.c.expr, vars: s.c.vars, wrt: s.c.wrt, order: s.c.order });
      expect(plain.steps).toBeUndefined();
      expect(plain.derivative!.text).toBe(s.answer.derivative!.text);
    }
  });
});
