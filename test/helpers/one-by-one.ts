/**
 * The 1 x 1 check (DESIGN.md): an expression with every dimension set to 1 (variables declared
 * scalar, vector(1), matrix(1,1), symmetric(1); dimension names written in the expression
 * replaced by 1), derived by the engine, against scalar calculus of the same expression
 * computed independently (test/helpers/scalar.ts: its own parser, hyper-dual numbers).
 */
import { expect } from 'vitest';
import { derive } from '../../src/api/derive.js';
import { randomValue, seeded, type Domain } from './numeric.js';
import { scalarDerivatives } from './scalar.js';

const TOL = 1e-9;

export interface OneByOneCase {
  readonly expr: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly wrt: string;
  readonly domain?: Readonly<Record<string, Domain>>;
}

/** The spec with every dimension 1, or why it cannot be (a fixed integer dimension other than 1). */
export function oneByOne(expr: string, vars: Readonly<Record<string, string>>): { expr: string; vars: Record<string, string> } | string {
  const out: Record<string, string> = {};
  const names = new Set<string>();
  for (const [name, decl] of Object.entries(vars)) {
    const m = /^\s*([a-z]+)\s*(?:\((.*)\))?\s*$/.exec(decl);
    if (!m) throw new Error(`bad declaration ${decl}`);
    for (const d of m[2]?.split(',') ?? []) for (const part of d.split('*').map((s) => s.trim())) {
      if (/^\d+$/.test(part)) { if (part !== '1') return `${name} has the fixed dimension ${part}`; } else names.add(part);
    }
    out[name] = { scalar: 'scalar', vector: 'vector(1)', matrix: 'matrix(1,1)', symmetric: 'symmetric(1)' }[m[1]!]!;
  }
  const e = names.size === 0 ? expr : expr.replace(new RegExp(`\\b(?:${[...names].join('|')})\\b`, 'g'), '1');
  return { expr: e, vars: out };
}

/** The 1 x 1 reduction agrees with scalar calculus at these values, at order 1 and 2 (at 1 x 1
 *  every f is scalar: a gradient and a Hessian). */
export function expectOneByOneAt(one: { expr: string; vars: Record<string, string> }, wrt: string, values: Record<string, number>): void {
  const ref = scalarDerivatives(one.expr, values, wrt);
  for (const order of [1, 2] as const) {
    const a = derive({ expr: one.expr, vars: one.vars, wrt, order, at: values });
    const want = order === 1 ? ref.d1 : ref.d2;
    const what = `${one.expr} by ${wrt}, order ${order}, at ${JSON.stringify(values)}: ${a.derivative?.text} = ${a.derivativeValue}, scalar calculus ${want}`;
    expect(a.kind, what).toBe(order === 1 ? 'gradient' : 'hessian');
    expect(typeof a.derivativeValue, what).toBe('number');
    expect(Math.abs((a.value as number) - ref.f) / Math.max(1, Math.abs(ref.f)), `value of ${what}`).toBeLessThan(TOL);
    expect(Math.abs((a.derivativeValue as number) - want) / Math.max(1, Math.abs(want)), what).toBeLessThan(TOL);
  }
}

/** Values for the 1 x 1 variables, by domain. */
export function oneByOneValues(one: { vars: Record<string, string> }, seed: number, domain: Readonly<Record<string, Domain>> = {}): Record<string, number> {
  const rand = seeded(seed);
  const values: Record<string, number> = {};
  for (const name of Object.keys(one.vars)) {
    values[name] = randomValue(1, 1, domain[name] ?? 'any', rand, one.vars[name]!.startsWith('symmetric')).data[0]!;
  }
  return values;
}

/** The 1 x 1 reduction of (expr, vars, wrt) agrees with scalar calculus at random points. */
export function expectScalarCalculus(spec: OneByOneCase, seeds: readonly number[]): void {
  const one = oneByOne(spec.expr, spec.vars);
  if (typeof one === 'string') throw new Error(one);
  for (const seed of seeds) expectOneByOneAt(one, spec.wrt, oneByOneValues(one, seed, spec.domain));
}
