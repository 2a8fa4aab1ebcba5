// The 1 x 1 check (DESIGN.md, "What checks it"): every spec expression with every dimension set
// to 1 (variables declared scalar, vector(1), matrix(1,1), symmetric(1); dimension names written
// in the expression replaced by 1) must agree with scalar calculus of the same expression,
// computed independently by test/helpers/scalar.ts (its own parser, hyper-dual numbers).
import { describe, expect, it } from 'vitest';
import { derive } from '../../src/api/derive.js';
import { MatcalcError } from '../../src/ir/errors.js';
import { expectScalarCalculus, oneByOne } from '../helpers/one-by-one.js';
import { ALL_SPECS } from './rule-specs.js';

const SEEDS = [7, 8, 9];

describe('the 1 x 1 check on every spec expression', () => {
  for (const spec of ALL_SPECS) {
    const name = `${spec.op}: ${spec.expr} by ${spec.wrt}`;
    if (spec.noOneByOne) {
      // recorded, not skipped: the reduction is refused, and this says so until it is not
      it(`${name}: no 1 x 1 form (${spec.noOneByOne})`, () => {
        const one = oneByOne(spec.expr, spec.vars);
        if (typeof one === 'string') return;
        expect(() => derive({ expr: one.expr, vars: one.vars, wrt: spec.wrt })).toThrow(MatcalcError);
      });
      continue;
    }
    (spec.bugs?.oneByOne && !process.env.SHOW_BUGS ? it.fails : it)(name, () => expectScalarCalculus(spec, SEEDS));
  }
});
