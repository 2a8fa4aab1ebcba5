/** The graph in standard mathematical notation (LaTeX, KaTeX-safe), with minimal parentheses.
 *  Precedence: sum < product (juxtaposition, odot, oslash, otimes) < leading minus < fraction
 *  < superscripted < atom. A superscript base is always an atom, so no double superscript arises. */
import { factorsOf, isScalarShape, type Dim, type Shape } from '../ir/dims.js';
import { isScalar, topoOrder, type Node } from '../ir/node.js';
import type { OpName } from '../ir/ops.js';
import { inPrintOrder } from './terms.js';

const enum P { Sum = 1, Product = 2, Unary = 3, Frac = 4, Power = 5, Atom = 6 }
/** `word`: the text begins or ends with a multi-letter symbol (\mathit{name}, \mathrm{d}X), which
 *  needs a thin space beside another factor to stay readable. */
interface Out { tex: string; prec: P; word?: boolean }
interface Ctx {
  /** A child's text; constants (I, ones, zeros) show their size here, and the parent that
   *  fixes the size (a sum, a Hadamard product) writes them bare. */
  print: (n: Node) => Out;
  /** Names of variables in the graph, for reading `dfoo` as the differential of `foo`. */
  vars: ReadonlySet<string>;
}

const atom = (tex: string, word = false): Out => ({ tex, prec: P.Atom, word });
/** Grouping parentheses. */
const paren = (tex: string): string => `\\left(${tex}\\right)`;
const wrap = (o: Out, min: P): string => (o.prec < min ? paren(o.tex) : o.tex);
/** Parentheses that grow only around tall contents, so `\det(X)` keeps an operator's spacing. */
const tall = (tex: string): boolean => tex.includes('\\frac');
const delimit = (l: string, r: string, tex: string): string => (tall(tex) ? `\\left${l}${tex}\\right${r}` : `${l}${tex}${r}`);
const call = (name: string, arg: Out): Out => atom(`${name}${delimit('(', ')', arg.tex)}`);
const isNegConst = (n: Node): boolean => n.op === 'Const' && n.attrs.value! < 0;

// ---------------------------------------------------------------- names and numbers
/** Greek names print as letters; not sigma, which is the sigmoid's symbol. */
const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi',
  'pi', 'rho', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega',
  'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
]);
const escape = (s: string): string => s.replace(/_/g, '\\_');

/** x -> x, x1 -> x_{1}, X_train -> X_{\mathrm{train}}, alpha -> \alpha, rate -> \mathit{rate}. */
function nameTex(name: string): { tex: string; word: boolean } {
  const cut = name.indexOf('_');
  const head = cut > 0 ? name.slice(0, cut) : name;
  const tail = cut > 0 ? name.slice(cut + 1) : '';
  const m = /^([A-Za-z]+)(\d*)$/.exec(head);
  if (!m || (m[2] && tail) || (cut > 0 && !tail)) return { tex: `\\mathit{${escape(name)}}`, word: true };
  const [, letters, digits] = m as unknown as [string, string, string];
  const word = letters.length > 1 && !GREEK.has(letters);
  let tex = letters.length === 1 ? letters : GREEK.has(letters) ? `\\${letters}` : `\\mathit{${letters}}`;
  const sub = digits || tail;
  if (sub) tex += `_{${/^(\d+|[A-Za-z])$/.test(sub) ? sub : `\\mathrm{${escape(sub)}}`}}`;
  return { tex, word };
}

/** dX, dx1, dX2 (and dfoo beside a variable foo): a perturbation, written \mathrm{d}X. */
function differentialOf(name: string, vars: ReadonlySet<string>): string | null {
  const m = /^d([A-Za-z][A-Za-z0-9_]*)$/.exec(name);
  if (!m) return null;
  const rest = m[1]!;
  return /^[A-Za-z]\d*$/.test(rest) || vars.has(rest.replace(/\d+$/, '')) ? rest : null;
}

function numberTex(v: number): string {
  if (Number.isNaN(v)) return '\\mathrm{NaN}';
  if (!Number.isFinite(v)) return v > 0 ? '\\infty' : '-\\infty';
  const m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(String(v));
  return m ? `${m[1]} \\times 10^{${Number(m[2])}}` : String(v);
}
const numberOut = (v: number): Out => {
  const tex = numberTex(v);
  return { tex, prec: v < 0 ? P.Unary : tex.includes('\\times') ? P.Product : P.Atom };
};

/** A dimension: 3, n, n_{1}, m n, 2 n; factors with multi-letter names are joined by \cdot. */
function dimTex(d: Dim): string {
  const { coef, names } = factorsOf(d);
  const parts = [...(coef !== 1 || names.length === 0 ? [String(coef)] : []), ...names.map((n) => nameTex(n))
    .map((t) => t.tex)];
  const plain = names.every((n) => !nameTex(n).word);
  return parts.join(plain ? ' ' : ' \\cdot ');
}
const sizeTex = (s: Shape): string => (s[1] === '1' ? dimTex(s[0]) : `${dimTex(s[0])}\\times ${dimTex(s[1])}`);

// ---------------------------------------------------------------- products
/** Factors side by side: a \cdot before a number, a thin space beside a multi-letter symbol.
 *  `braced`: the factors stand alone in braces (a numerator), so a single one needs no parentheses. */
function juxtapose(parts: readonly Out[], braced = false): string {
  if (braced && parts.length === 1) return parts[0]!.tex;
  let tex = '';
  parts.forEach((p, i) => {
    const t = p.prec < P.Frac ? paren(p.tex) : p.tex;
    if (i > 0) tex += /^[\d.]/.test(t) ? ' \\cdot ' : p.word || parts[i - 1]!.word ? '\\,' : ' ';
    tex += t;
  });
  return tex;
}
const joined = (parts: readonly Out[]): Out => ({
  tex: juxtapose(parts), prec: parts.length > 1 ? P.Product : parts[0]!.prec < P.Frac ? P.Atom : parts[0]!.prec,
  word: parts[0]!.word || parts[parts.length - 1]!.word,
});

/** A scalar chain (a'*X*b) as a factor: juxtaposition is associative, so it needs no parentheses. */
const factor = (f: Node, c: Ctx): Out => {
  const o = c.print(f);
  return f.op === 'Mul' ? { ...o, prec: P.Atom } : o;
};

/** The base of a Pow/ElemPow with a negative constant exponent, raised to the positive one. */
function reciprocal(n: Node, c: Ctx, elementwise: boolean): Out {
  const e = -n.args[1]!.attrs.value!;
  const base = c.print(n.args[0]!);
  if (e === 1) return base;
  return { tex: `${wrap(base, P.Atom)}^{${elementwise ? '\\circ ' : ''}${numberTex(e)}}`, prec: P.Power, word: base.word };
}

/** [coefficient] scalars... chain...: the scalar denominators (Pow with a negative constant
 *  exponent) make one \frac of the scalar factors, and the matrix chain follows it. */
function productTex(n: Node, c: Ctx): Out {
  let coef = 1;
  const num: Out[] = [];
  const den: Out[] = [];
  const chain: Out[] = [];
  for (const f of n.args) {
    if (f.op === 'Const') coef *= f.attrs.value!;
    else if (f.op === 'Pow' && isNegConst(f.args[1]!)) den.push(reciprocal(f, c, false));
    else (isScalar(f) ? num : chain).push(factor(f, c));
  }
  const mag = Math.abs(coef);
  // a leading coefficient needs no parentheses, even as 1 \times 10^{-7}
  if (mag !== 1 || (num.length === 0 && chain.length === 0 && den.length === 0)) num.unshift({ tex: numberTex(mag), prec: P.Frac });
  const parts = den.length
    ? [{ tex: `\\frac{${num.length ? juxtapose(num, true) : '1'}}{${juxtapose(den, true)}}`, prec: P.Frac }, ...chain]
    : [...num, ...chain];
  const out = joined(parts);
  return coef < 0 ? { tex: `-${out.tex}`, prec: P.Unary, word: out.word } : out;
}

/** a \odot b \oslash c: elementwise inverses (ElemPow with a negative constant) divide. */
function hadamardTex(n: Node, c: Ctx): Out {
  const isDen = (f: Node): boolean => f.op === 'ElemPow' && isNegConst(f.args[1]!);
  const outs = siblings(n, c);
  const num = n.args.flatMap((f, i) => (isDen(f) ? [] : [wrap(outs[i]!, P.Frac)]));
  let tex = num.length ? num.join(' \\odot ') : '\\mathbf{1}';
  for (const d of n.args.filter(isDen)) tex += ` \\oslash ${wrap(reciprocal(d, c, true), P.Frac)}`;
  return { tex, prec: P.Product };
}

function sumTex(n: Node, c: Ctx): Out {
  const outs = siblings(n, c);
  const terms = inPrintOrder(n.args, outs);
  let tex = '';
  terms.forEach(([, o], i) => {
    if (i > 0 && o.prec === P.Unary && o.tex.startsWith('-')) tex += ` - ${o.tex.slice(1)}`;
    else tex += (i > 0 ? ' + ' : '') + wrap(o, i === 0 ? P.Sum : P.Product);
  });
  return { tex, prec: P.Sum };
}

// ---------------------------------------------------------------- sized constants
const BARE: Partial<Record<OpName, string>> = { Identity: 'I', Ones: '\\mathbf{1}', Zeros: '\\mathbf{0}' };
const isSizedConst = (n: Node): boolean => BARE[n.op] !== undefined;
/** The sized constant of a term that is one, possibly scaled (2 I, -b I); else null. */
function scaledConst(n: Node): Node | null {
  if (isSizedConst(n)) return n;
  if (n.op !== 'Mul') return null;
  const chain = n.args.filter((f) => !isScalarShape(f.shape));
  return chain.length === 1 && isSizedConst(chain[0]!) ? chain[0]! : null;
}
/** The operands of a sum or Hadamard product. A sibling that is not a (scaled) constant fixes
 *  the shape, so the constants are written bare here: X + I, X + 2 I, but I_{n} - b I_{n}. Decided
 *  per occurrence: a shared constant keeps its size where nothing else fixes it. */
function siblings(n: Node, c: Ctx): Out[] {
  const fixes = n.args.some((a) => scaledConst(a) === null);
  return n.args.map((a) => {
    const k = fixes ? scaledConst(a) : null;
    if (k === null) return c.print(a);
    const bare = atom(BARE[k.op]!);
    return a === k ? bare : productTex(a, { ...c, print: (f) => (f === k ? bare : c.print(f)) });
  });
}

// ---------------------------------------------------------------- the table
type Print = (n: Node, c: Ctx) => Out;
const fn = (name: string): Print => (n, c) => call(name, c.print(n.args[0]!));
const arg = (n: Node, c: Ctx): Out => c.print(n.args[0]!);
const sup = (n: Node, c: Ctx, s: string): Out => {
  const base = arg(n, c);
  return { tex: `${wrap(base, P.Atom)}^{${s}}`, prec: P.Power, word: base.word && base.prec === P.Atom };
};
/** ones and zeros with their size (a row as the transpose of a column: \mathbf{1}_{n}^\top). */
const sized = (symbol: string): Print => (n) => (n.shape[0] === '1'
  ? { tex: `${symbol}_{${dimTex(n.shape[1])}}^\\top`, prec: P.Power }
  : atom(`${symbol}_{${sizeTex(n.shape)}}`));

export const LATEX = {
  Var: (n, c) => {
    const d = differentialOf(n.attrs.name!, c.vars);
    if (d !== null) return atom(`\\mathrm{d}${nameTex(d).tex}`, true);
    const { tex, word } = nameTex(n.attrs.name!);
    return atom(tex, word);
  },
  Const: (n) => numberOut(n.attrs.value!),
  Identity: (n) => atom(`I_{${dimTex(n.shape[0])}}`),
  Ones: sized('\\mathbf{1}'),
  Zeros: sized('\\mathbf{0}'),
  Add: sumTex,
  Mul: productTex,
  Hadamard: hadamardTex,
  Transpose: (n, c) => {
    const a = n.args[0]!;
    if (a.op === 'Inv') return sup(a, c, '-\\top');
    const base = arg(n, c);
    return { tex: `${wrap(base, P.Atom)}^\\top`, prec: P.Power, word: base.word && base.prec === P.Atom };
  },
  Pow: (n, c) => (isNegConst(n.args[1]!)
    ? { tex: `\\frac{1}{${reciprocal(n, c, false).tex}}`, prec: P.Frac }
    : sup(n, c, c.print(n.args[1]!).tex)),
  ElemPow: (n, c) => sup(n, c, `\\circ ${c.print(n.args[1]!).tex}`),
  MatPow: (n, c) => sup(n, c, String(n.attrs.k)),
  Exp: fn('\\exp'), Log: fn('\\log'), Sin: fn('\\sin'), Cos: fn('\\cos'), Tan: fn('\\tan'), Tanh: fn('\\tanh'),
  Sqrt: (n, c) => atom(`\\sqrt{${arg(n, c).tex}}`),
  Abs: (n, c) => atom(delimit('\\lvert ', '\\rvert ', arg(n, c).tex).trimEnd()),
  Sign: fn('\\operatorname{sign}'),
  Sigmoid: fn('\\sigma'),
  Inv: (n, c) => sup(n, c, '-1'),
  Det: fn('\\det'),
  LogDet: (n, c) => ({ tex: `\\log${delimit('\\lvert ', '\\rvert ', call('\\det', arg(n, c)).tex).trimEnd()}`, prec: P.Frac }),
  Trace: fn('\\operatorname{tr}'),
  Sum: fn('\\operatorname{sum}'),
  Norm2: (n, c) => {
    const s = n.args[0]!.shape;
    return atom(`${delimit('\\lVert ', '\\rVert', arg(n, c).tex)}_{${s[0] === '1' || s[1] === '1' ? '2' : 'F'}}`);
  },
  Diag: fn('\\operatorname{diag}'),
  DiagPart: fn('\\operatorname{diag}'),
  Vec: fn('\\operatorname{vec}'),
  Unvec: (n, c) => call(`\\operatorname{unvec}_{${dimTex(n.attrs.rows!)}}`, arg(n, c)),
  Kron: (n, c) => ({ tex: `${wrap(arg(n, c), P.Frac)} \\otimes ${wrap(c.print(n.args[1]!), P.Frac)}`, prec: P.Product }),
  LogSumExp: fn('\\operatorname{logsumexp}'),
  Softmax: fn('\\operatorname{softmax}'),
  Delta: (n, c) => {
    const a = n.args[0]!;
    if (a.op === 'Var') return atom(`\\mathrm{d}${nameTex(a.attrs.name!).tex}`, true);
    return atom(`\\mathrm{d}${paren(arg(n, c).tex)}`, true);
  },
} satisfies Record<OpName, Print>;

// ---------------------------------------------------------------- driver
/** The LaTeX of a node (math mode, no delimiters). Iterative over the graph, children first. */
export function toLatex(root: Node): string {
  const memo = new Map<number, Out>();
  const ctx: Ctx = { print: (n) => memo.get(n.id)!, vars: root.vars };
  for (const n of topoOrder([root])) memo.set(n.id, (LATEX[n.op] as Print)(n, ctx));
  return memo.get(root.id)!.tex;
}
