// Every differential rule against central finite differences, through every kind of answer:
// the rule-spec table (rule-specs.ts) derived at random points, two size settings and two seeds,
// at order 1 and, for a scalar f, order 2.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/api/compile.js';
import { derive } from '../../src/api/derive.js';
import { MatcalcError } from '../../src/ir/errors.js';
import { type Checked, checkAgainstFD, DUAL_TOL, declaredByShapes, expectedKind, functionOf, numbersOfText, valueOfText } from '../helpers/derive-check.js';
import { fromJson, relErr, show } from '../helpers/numeric.js';
import { ALL_SPECS, SPECS, type Check, type Spec } from './rule-specs.js';

/** [base size, seed]: dimensions are base or base + 1 (at random per name). */
const RUNS = [[2, 101], [2, 102], [3, 201], [3, 202]] as const;
const TOL = 1e-6;
/** SHOW_BUGS=1 runs the checks of known engine bugs as ordinary tests, to see how they fail. */
const SHOW_BUGS = Boolean(process.env.SHOW_BUGS);

const isScalarShape = (s: readonly string[]): boolean => s[0] === '1' && s[1] === '1';
const ordersOf = (spec: Spec): (1 | 2)[] => (isScalarShape(compile(spec.expr, spec.vars).root.shape) ? [1, 2] : [1]);

function thrownBy(spec: Spec, order: 1 | 2): MatcalcError {
  try {
    derive({ expr: spec.expr, vars: { ...spec.vars }, wrt: spec.wrt, order });
  } catch (e) {
    if (e instanceof MatcalcError) return e;
    throw e;
  }
  throw new Error(`${spec.expr} by ${spec.wrt}, order ${order}: answered, where the spec records an error`);
}

/** The recorded error: its code, in 'expr'. */
function expectError(spec: Spec, order: 1 | 2, code: string): void {
  const e = thrownBy(spec, order);
  expect(e.code, e.message).toBe(code);
  expect(e.where).toBe('expr');
}

/** The error names the operator at fault by a span into the expression (CLI.md: a fault in a
 *  derived expression points at the part of expr it came from). */
function expectErrorSpan(spec: Spec, order: 1 | 2): void {
  const e = thrownBy(spec, order);
  expect(e.span, e.message).not.toBeNull();
  expect(0 <= e.span!.start && e.span!.start < e.span!.end && e.span!.end <= spec.expr.length).toBe(true);
}

const where = (spec: Spec, order: 1 | 2, r: Checked): string =>
  `${spec.expr} by ${spec.wrt}, order ${order}, sizes ${JSON.stringify(r.sizes)}, at ${JSON.stringify(r.at)}\n` +
  `  derivative: ${r.answer.derivative?.text}\n  engine: ${show(r.got)}\n  FD:     ${show(r.want)}`;

/** derivativeValue against finite differences at every run; the kind and the printed shape as CLI.md says. */
function expectAgreement(spec: Spec, order: 1 | 2): void {
  const tol = spec.tol ?? TOL;
  for (const [base, seed] of RUNS) {
    const r = checkAgainstFD({ ...spec, order }, seed, base);
    expect(r.answer.kind, where(spec, order, r)).toBe(r.kind);
    expect(r.err, where(spec, order, r)).toBeLessThan(tol);
    expect(r.dualErr, `dual numbers: ${where(spec, order, r)}`).toBeLessThan(DUAL_TOL);
    const x = r.program.shapes[spec.wrt]!, f = r.program.root.shape;
    const shape = r.answer.derivative!.shape;
    if (r.kind === 'gradient') expect(shape).toEqual([...x]);
    if (r.kind === 'jacobian') expect(shape).toEqual([f[0], x[0]]);
    if (r.kind === 'differential') expect(shape).toEqual([...f]);
    if (r.kind === 'hessian') expect(shape).toEqual(x[1] === '1' ? [x[0], x[0]] : ['1', '1']);
  }
}

/** The function's and the derivative's text parse back, with the answer's dimension names, and
 *  evaluate (at the directions LANGUAGE.md numbers them at) to value and derivativeValue. */
function expectTextMeansNumbers(spec: Spec, order: 1 | 2): void {
  const [base, seed] = RUNS[0];
  const r = checkAgainstFD({ ...spec, order }, seed, base);
  const { X, symmetric } = functionOf(r.program, spec.wrt, r.at);
  const vars = declaredByShapes(spec.vars, r.answer.shapes);
  const text = r.answer.derivative!.text;
  expect(relErr(valueOfText(r.answer.function!.text, vars, r.at), fromJson(r.answer.value)), r.answer.function!.text).toBeLessThan(1e-12);
  expect(relErr(numbersOfText(text, r.kind, { vars, wrt: spec.wrt }, r.at, X, symmetric), r.got), text).toBeLessThan(1e-12);
}

describe('rule specs against finite differences', () => {
  for (const [op, specs] of Object.entries(SPECS) as [string, Spec[]][]) {
    describe(op, () => {
      for (const spec of specs) {
        for (const order of ordersOf(spec)) {
          const name = `${spec.expr} by ${spec.wrt}${order === 2 ? ', order 2' : ''}`;
          const code = spec.errors?.[order];
          const test = (check: Check) => (spec.bugs?.[check] && !SHOW_BUGS ? it.fails : it);
          if (code) {
            test(`fd${order}`)(`${name}: ${code}`, () => expectError(spec, order, code));
            test(`span${order}`)(`${name}: ${code} points into the expression`, () => expectErrorSpan(spec, order));
          } else {
            test(`fd${order}`)(name, () => expectAgreement(spec, order));
            test(`text${order}`)(`${name}: text`, () => expectTextMeansNumbers(spec, order));
          }
        }
      }
    });
  }
});

describe('every kind of answer is in the table', () => {
  const kindOf = (s: Spec, order: 1 | 2): string => {
    const p = compile(s.expr, s.vars);
    const x = p.shapes[s.wrt]!, f = p.root.shape;
    const sym = s.vars[s.wrt]!.startsWith('symmetric');
    const what = (sh: readonly string[], symmetric = false): string =>
      (isScalarShape(sh) ? 'scalar' : sh[1] === '1' ? 'vector' : symmetric ? 'symmetric' : 'matrix');
    return `${expectedKind(p, s.wrt, order)}: ${what(f)} by ${what(x, sym)}`;
  };
  const covered = new Set(ALL_SPECS.flatMap((s) => ordersOf(s).filter((o) => !s.errors?.[o]).map((o) => kindOf(s, o))));
  const wanted = [
    'gradient: scalar by scalar', 'gradient: scalar by vector', 'gradient: scalar by matrix', 'gradient: scalar by symmetric',
    'jacobian: vector by vector', 'jacobian: vector by scalar',
    'differential: matrix by matrix', 'differential: matrix by scalar', 'differential: matrix by vector', 'differential: vector by matrix',
    'differential: matrix by symmetric', 'differential: vector by symmetric',
    'hessian: scalar by scalar', 'hessian: scalar by vector', 'hessian: scalar by matrix', 'hessian: scalar by symmetric',
  ];
  it.each(wanted)('%s', (k) => expect([...covered]).toContain(k));
});
