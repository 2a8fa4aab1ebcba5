/** Derivation: matcalc's time and answer size on the suite and the growing families, each
 *  answer checked on numbers (api/check: finite differences and dual numbers). */
import { check } from '../src/api/check.js';
import { compile } from '../src/api/compile.js';
import { derivation } from '../src/api/derive.js';
import { graphSize } from '../src/ir/node.js';
import { toText } from '../src/print/text.js';
import { FAMILIES, FAMILY_K, FAMILY_K_QUICK, SUITE, SYMPY_FAMILY_K, SYMPY_FAMILY_K_QUICK, type SuiteCase } from './suite.js';
import { timeIt, type TimeOptions, type Timing } from './util.js';

export interface DerivResult {
  id: string;
  label: string;
  expr: string;
  wrt: string;
  order: 1 | 2;
  family?: { name: string; k: number };
  kind?: string;
  /** Distinct nodes of f's graph, and of the derivative's. */
  fNodes?: number;
  nodes?: number;
  fTextLen?: number;
  textLen?: number;
  text?: string;
  timing?: Timing;
  check?: { verdict: string; fd: number | null; dual: number | null };
  error?: string;
}

export function suiteCases(quick: boolean): SuiteCase[] {
  return quick ? SUITE.filter((c) => ['intro', 'logdet', 'xAx', 'logistic', 'two-layer'].includes(c.id)) : SUITE;
}

export function familyCases(quick: boolean): SuiteCase[] {
  const ks = quick ? FAMILY_K_QUICK : FAMILY_K;
  return FAMILIES.flatMap((f) => ks.map((k) => f.make(k)));
}

export function sympyFamilyCases(quick: boolean): SuiteCase[] {
  const ks = quick ? SYMPY_FAMILY_K_QUICK : SYMPY_FAMILY_K;
  return FAMILIES.flatMap((f) => ks.map((k) => f.make(k)));
}

export function measureDerivation(c: SuiteCase, order: 1 | 2, opts: TimeOptions, withCheck: boolean): DerivResult {
  const r: DerivResult = { id: c.id, label: c.label, expr: c.expr, wrt: c.wrt, order, family: c.family };
  try {
    const program = compile(c.expr, c.vars);
    const x = program.vars.get(c.wrt)!;
    let d = derivation(program, x, order);
    // the derivation alone is timed (parsing excluded, as SymPy's expression is built beforehand)
    r.timing = timeIt(() => { d = derivation(program, x, order); }, opts);
    r.kind = d.kind;
    r.fNodes = graphSize(program.root);
    r.nodes = graphSize(d.derivative);
    r.fTextLen = toText(program.root).length;
    const text = toText(d.derivative);
    r.textLen = text.length;
    r.text = text.length > 400 ? `${text.slice(0, 399)}…` : text;
  } catch (e) {
    r.error = e instanceof Error ? e.message : String(e);
    return r;
  }
  if (withCheck) {
    try {
      const a = check({ expr: c.expr, vars: c.vars, wrt: c.wrt, order, points: 1 } as Parameters<typeof check>[0]);
      r.check = { verdict: a.verdict, fd: a.errors.finiteDifferences, dual: a.errors.dual };
    } catch (e) {
      r.check = { verdict: `error: ${e instanceof Error ? e.message : String(e)}`, fd: null, dual: null };
    }
  }
  return r;
}
