/** The recorded derivation, as the steps of CLI.md: `lhs = rhs` in text and LaTeX, each with the
 *  rule applied. The stages come from the engine's own trace (diff/steps.ts); the last step is
 *  the form the answer is read from. */
import * as B from '../ir/build.js';
import type { Node } from '../ir/node.js';
import { fail } from '../ir/errors.js';
import { printedLength } from '../print/text.js';
import { traceDifferential } from '../diff/steps.js';
import { toLatex } from '../print/latex.js';
import { toText } from '../print/text.js';
import type { Derivation } from './derivation.js';
import type { Step } from './types.js';

interface Side { text: string; latex: string }
const LHS = {
  df: { text: 'df', latex: '\\mathrm{d}f' },
  dg: { text: 'dg', latex: '\\mathrm{d}g' },
  g: { text: 'g', latex: 'g' },
  d2f: { text: 'd2f', latex: '\\mathrm{d}^2 f' },
};
const step = (lhs: Side, rhs: Side, rule: string, label: string): Step =>
  ({ text: `${lhs.text} = ${rhs.text}`, latex: `${lhs.latex} = ${rhs.latex}`, rule, label });
const side = (n: Node): Side => {
  if (printedLength(n) > MAX_STEPS_TEXT) fail('too-large', `a step of the derivation would print about ${printedLength(n)} characters, over the limit of ${MAX_STEPS_TEXT}: ask without steps`, null, 'request');
  return { text: toText(n), latex: toLatex(n) };
};
const dLeaf = (x: Node, suffix = ''): Node => B.variable(`d${x.attrs.name}${suffix}`, x.shape, x.attrs.symmetric === true);
const dName = (x: Node, suffix = ''): Side => {
  const name = x.attrs.name!;
  return { text: `d${name}${suffix}`, latex: `\\mathrm{d}${name.length > 1 ? `\\mathit{${name}}` : name}${suffix ? `_{${suffix}}` : ''}` };
};

function expansion(lhs: Side, f: Node, by: Node, x: Node): Step[] {
  return traceDifferential(f, new Map([[x.attrs.name!, by]])).map((s) => step(lhs, side(s.expr), s.rule, s.label));
}

/** df = tr(G' dX), dx form g'*dx, or g*dt: the form a gradient is read from. */
function gradientForm(G: Node, x: Node): Side {
  const g = side(G), dx = dName(x);
  if (x.shape[0] === '1' && x.shape[1] === '1') return { text: `(${g.text})*${dx.text}`, latex: `\\left(${g.latex}\\right) ${dx.latex}` };
  if (x.shape[1] === '1') return { text: `(${g.text})'*${dx.text}`, latex: `\\left(${g.latex}\\right)^\\top ${dx.latex}` };
  return { text: `tr((${g.text})'*${dx.text})`, latex: `\\operatorname{tr}\\left(\\left(${g.latex}\\right)^\\top ${dx.latex}\\right)` };
}
const linearForm = (J: Node, x: Node): Side => {
  const j = side(J), dx = dName(x);
  return { text: `(${j.text})*${dx.text}`, latex: `\\left(${j.latex}\\right) ${dx.latex}` };
};

/** The most text all the steps together may print. */
export const MAX_STEPS_TEXT = 4_000_000;

export function derivationSteps(d: Derivation, gradient?: Node): Step[] {
  const steps = collectSteps(d, gradient);
  const total = steps.reduce((k, s) => k + s.text.length + s.latex.length, 0);
  if (total > MAX_STEPS_TEXT) {
    fail('too-large', `the steps would print ${total} characters, over the limit of ${MAX_STEPS_TEXT}: ask without steps`, null, 'request');
  }
  return steps;
}

function collectSteps(d: Derivation, gradient?: Node): Step[] {
  const f = d.program.root, x = d.x;
  const readGradient = (G: Node): Step => step(LHS.df, gradientForm(G, x), 'read-off-gradient',
    d.symmetric
      ? "gradient read off df = tr(G'*dX), terms gathered under one trace by tr(AB) = tr(BA), and symmetrised, (G + G')/2"
      : "gradient read off df = tr(G'*dX), terms gathered under one trace by tr(AB) = tr(BA)");
  switch (d.kind) {
    case 'gradient':
      return [...expansion(LHS.df, f, dLeaf(x), x), readGradient(d.derivative)];
    case 'jacobian':
      return [...expansion(LHS.df, f, dLeaf(x), x), step(LHS.df, linearForm(d.derivative, x), 'read-off-jacobian', 'Jacobian read off df = J*dx, dx factored out to the right')];
    case 'differential': {
      const steps = expansion(LHS.df, f, dLeaf(x), x);
      const answer = side(d.derivative);
      if (steps.length === 0 || steps[steps.length - 1]!.text !== `df = ${answer.text}`) {
        steps.push(step(LHS.df, answer, 'simplify', 'like terms collected and common factors taken out'));
      }
      return steps;
    }
    case 'hessian': {
      if (d.perturbations.length === 0) {
        const g = gradient!;
        return [
          ...expansion(LHS.df, f, dLeaf(x), x), readGradient(g),
          step(LHS.g, side(g), 'gradient', 'the gradient g, from the lines above'),
          ...expansion(LHS.dg, g, dLeaf(x), x),
          step(LHS.dg, linearForm(d.derivative, x), 'read-off-hessian', 'Hessian read off dg = H*dx'),
        ];
      }
      const [dX1, dX2] = d.perturbations as [Node, Node];
      const first = traceDifferential(f, new Map([[x.attrs.name!, dX1]]));
      const df1 = first.length ? first[first.length - 1]!.expr : B.ZERO;
      return [
        ...first.map((s) => step(LHS.df, side(s.expr), s.rule, s.label)),
        ...expansion(LHS.d2f, df1, dX2, x),
        step(LHS.d2f, side(d.derivative), 'second-differential', 'the second differential, bilinear in dX1 and dX2: products expanded, like terms collected'),
      ];
    }
  }
}
