/**
 * Scalar calculus of an expression of the language, independent of the engine: its own small
 * parser, every value a number (every dimension 1), and hyper-dual numbers
 * v + a e1 + b e2 + ab e1e2 (e1^2 = e2^2 = 0) that carry exact first and second derivatives.
 * At 1 x 1: transpose, tr, det, sum, diag, vec, unvec are the identity; inv(x) = 1/x,
 * logdet(x) = log|x|, norm2(x) = |x|, kron is the product, logsumexp(x) = x, softmax(x) = 1,
 * I, eye, ones are 1 and zeros 0 (LANGUAGE.md: "A 1 x 1 result is a scalar, everywhere").
 */

export class HyperDual {
  constructor(readonly v: number, readonly a = 0, readonly b = 0, readonly ab = 0) {}
  static constant(v: number): HyperDual { return new HyperDual(v); }
  get isConstant(): boolean { return this.a === 0 && this.b === 0 && this.ab === 0; }
  add(y: HyperDual): HyperDual { return new HyperDual(this.v + y.v, this.a + y.a, this.b + y.b, this.ab + y.ab); }
  neg(): HyperDual { return new HyperDual(-this.v, -this.a, -this.b, -this.ab); }
  sub(y: HyperDual): HyperDual { return this.add(y.neg()); }
  mul(y: HyperDual): HyperDual {
    return new HyperDual(this.v * y.v, this.v * y.a + this.a * y.v, this.v * y.b + this.b * y.v,
      this.v * y.ab + this.a * y.b + this.b * y.a + this.ab * y.v);
  }
  /** g(this) for a scalar g with derivatives g1 = g', g2 = g'' at this.v. */
  apply(g: number, g1: number, g2: number): HyperDual {
    return new HyperDual(g, g1 * this.a, g1 * this.b, g1 * this.ab + g2 * this.a * this.b);
  }
  recip(): HyperDual { const v = this.v; return this.apply(1 / v, -1 / (v * v), 2 / (v * v * v)); }
  div(y: HyperDual): HyperDual { return this.mul(y.recip()); }
  pow(y: HyperDual): HyperDual {
    if (y.isConstant) {
      const p = y.v, v = this.v;
      if (p === 0) return HyperDual.constant(1);
      return this.apply(Math.pow(v, p), p * Math.pow(v, p - 1), p === 1 ? 0 : p * (p - 1) * Math.pow(v, p - 2));
    }
    return y.mul(this.log()).exp();
  }
  exp(): HyperDual { const e = Math.exp(this.v); return this.apply(e, e, e); }
  log(): HyperDual { const v = this.v; return this.apply(Math.log(v), 1 / v, -1 / (v * v)); }
}

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

const UNARY: Record<string, (x: HyperDual) => HyperDual> = {
  exp: (x) => x.exp(),
  log: (x) => x.log(),
  sin: (x) => x.apply(Math.sin(x.v), Math.cos(x.v), -Math.sin(x.v)),
  cos: (x) => x.apply(Math.cos(x.v), -Math.sin(x.v), -Math.cos(x.v)),
  tan: (x) => { const t = Math.tan(x.v), s = 1 + t * t; return x.apply(t, s, 2 * t * s); },
  tanh: (x) => { const t = Math.tanh(x.v), s = 1 - t * t; return x.apply(t, s, -2 * t * s); },
  sqrt: (x) => { const r = Math.sqrt(x.v); return x.apply(r, 0.5 / r, -0.25 / (r * x.v)); },
  abs: (x) => x.apply(Math.abs(x.v), sign(x.v), 0),
  sign: (x) => x.apply(sign(x.v), 0, 0),
  sigmoid: (x) => { const s = sigmoid(x.v), d = s * (1 - s); return x.apply(s, d, d * (1 - 2 * s)); },
  inv: (x) => x.recip(),
  det: (x) => x,
  logdet: (x) => { const v = Math.abs(x.v); return x.apply(Math.log(v), 1 / x.v, -1 / (x.v * x.v)); },
  tr: (x) => x,
  sum: (x) => x,
  norm2: (x) => x.apply(Math.abs(x.v), sign(x.v), 0),
  diag: (x) => x,
  vec: (x) => x,
  logsumexp: (x) => x,
  softmax: () => HyperDual.constant(1),
};

// ---------------------------------------------------------------- parsing (LANGUAGE.md's grammar)

type Tok = { t: 'num'; v: number } | { t: 'name'; v: string } | { t: 'op'; v: string };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  const num = /^(?:\d+(?:\.(?![*/^])\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    const ws = /^\s+/.exec(rest);
    if (ws) { i += ws[0].length; continue; }
    const n = num.exec(rest);
    if (n) { out.push({ t: 'num', v: Number(n[0]) }); i += n[0].length; continue; }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (name) { out.push({ t: 'name', v: name[0] }); i += name[0].length; continue; }
    const op = ['.*', './', '.^'].find((o) => rest.startsWith(o)) ?? rest[0]!;
    if (!'+-*/^\'(),'.includes(op) && op.length === 1) throw new Error(`scalar: unexpected '${op}' in ${src}`);
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  return out;
}

/** The value of `src` with every dimension 1, the variables bound to hyper-duals. */
export function evalScalar(src: string, env: Readonly<Record<string, HyperDual>>): HyperDual {
  const toks = lex(src);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const isOp = (v: string): boolean => { const t = peek(); return t !== undefined && t.t === 'op' && t.v === v; };
  const expect = (v: string): void => { if (!isOp(v)) throw new Error(`scalar: expected '${v}' at token ${p} of ${src}`); p++; };

  const expr = (): HyperDual => {
    let x = term();
    while (isOp('+') || isOp('-')) { const o = toks[p++]!.v; const y = term(); x = o === '+' ? x.add(y) : x.sub(y); }
    return x;
  };
  const term = (): HyperDual => {
    let x = unary();
    while (isOp('*') || isOp('/') || isOp('.*') || isOp('./')) {
      const o = toks[p++]!.v;
      const y = unary();
      x = o === '*' || o === '.*' ? x.mul(y) : x.div(y);
    }
    return x;
  };
  const unary = (): HyperDual => { if (isOp('-')) { p++; return unary().neg(); } return power(); };
  const power = (): HyperDual => {
    const x = postfix();
    if (isOp('^') || isOp('.^')) { p++; return x.pow(unary()); }
    return x;
  };
  const postfix = (): HyperDual => { const x = atom(); while (isOp("'")) p++; return x; };
  /** A dimension argument (eye(n), unvec(x, m)): skipped, every dimension being 1. */
  const skipArg = (): void => {
    let depth = 0;
    while (p < toks.length && !(depth === 0 && (isOp(',') || isOp(')')))) {
      if (isOp('(')) depth++;
      if (isOp(')')) depth--;
      p++;
    }
  };
  const atom = (): HyperDual => {
    const t = toks[p++];
    if (!t) throw new Error(`scalar: unexpected end of ${src}`);
    if (t.t === 'num') return HyperDual.constant(t.v);
    if (t.t === 'op') {
      if (t.v !== '(') throw new Error(`scalar: unexpected '${t.v}' in ${src}`);
      const x = expr();
      expect(')');
      return x;
    }
    const name = t.v;
    if (!isOp('(')) {
      if (name === 'I' || name === 'ones') return HyperDual.constant(1);
      if (name === 'zeros') return HyperDual.constant(0);
      const v = env[name];
      if (!v) throw new Error(`scalar: no value for '${name}' in ${src}`);
      return v;
    }
    p++;
    let x: HyperDual;
    if (name === 'eye' || name === 'ones' || name === 'zeros') {
      skipArg();
      while (isOp(',')) { p++; skipArg(); }
      x = HyperDual.constant(name === 'zeros' ? 0 : 1);
    } else if (name === 'unvec') {
      x = expr(); expect(','); skipArg();
    } else if (name === 'kron') {
      const a = expr(); expect(','); x = a.mul(expr());
    } else {
      const f = UNARY[name];
      if (!f) throw new Error(`scalar: unknown function '${name}' in ${src}`);
      x = f(expr());
    }
    expect(')');
    return x;
  };
  const x = expr();
  if (p !== toks.length) throw new Error(`scalar: trailing input at token ${p} of ${src}`);
  return x;
}

/** f, df/dx and d2f/dx2 at the values, x the variable `wrt`, by hyper-duals seeded on x. */
export function scalarDerivatives(src: string, values: Readonly<Record<string, number>>, wrt: string): { f: number; d1: number; d2: number } {
  const env: Record<string, HyperDual> = {};
  for (const [k, v] of Object.entries(values)) env[k] = k === wrt ? new HyperDual(v, 1, 1, 0) : HyperDual.constant(v);
  const r = evalScalar(src, env);
  return { f: r.v, d1: r.a, d2: r.ab };
}
