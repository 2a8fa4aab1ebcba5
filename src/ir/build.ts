/** Smart constructors: the only way nodes are made outside `intern`. They keep the graph in
 *  canonical form as they build: constants folded; 0, 1 and I dropped; n-ary sums and products
 *  flattened; like terms collected; scalars gathered in front of a product; transposes pushed
 *  toward the leaves and stopped at inv. MatMul is never treated as commutative. */
import { dimSize, isScalarShape, ONE, SCALAR, type Dim, type Shape } from './dims.js';
import { intern, isScalar, make, shapeOf, type Node } from './node.js';
import type { ElementwiseOp, OpName } from './ops.js';

// ---------------------------------------------------------------- leaves
export const variable = (name: string, shape: Shape, symmetric = false): Node =>
  intern('Var', [], symmetric ? { name, symmetric } : { name }, shape);
export const constant = (value: number): Node => intern('Const', [], { value: value === 0 ? 0 : value }, SCALAR);
export const ZERO = constant(0);
export const ONE_NODE = constant(1);
export const identity = (n: Dim): Node => (n === ONE ? ONE_NODE : intern('Identity', [], {}, [n, n]));
export const ones = (shape: Shape): Node => (isScalarShape(shape) ? ONE_NODE : intern('Ones', [], {}, shape));
export const zeros = (shape: Shape): Node => (isScalarShape(shape) ? ZERO : intern('Zeros', [], {}, shape));

export const isConst = (n: Node, v?: number): boolean => n.op === 'Const' && (v === undefined || n.attrs.value === v);
export const isZero = (n: Node): boolean => n.op === 'Zeros' || isConst(n, 0);
const constValue = (n: Node): number => n.attrs.value!;

// ---------------------------------------------------------------- sums
/** coefficient * rest, with the coefficient the product's constant factor. */
export function splitCoefficient(n: Node): [number, Node] {
  if (n.op === 'Const') return [constValue(n), ONE_NODE];
  if (n.op === 'Mul' && isConst(n.args[0]!)) {
    const rest = n.args.slice(1);
    return [constValue(n.args[0]!), rest.length === 1 ? rest[0]! : intern('Mul', rest, {}, n.shape)];
  }
  return [1, n];
}

export const add = (...terms: Node[]): Node => addAll(terms);
/** A sum of any length (an array, not spread arguments: sums may have 10^5 terms). */
export function addAll(terms: readonly Node[]): Node {
  if (terms.length === 0) throw new Error('internal: empty sum');
  const shape = terms[0]!.shape;
  const coef = new Map<number, [number, Node]>();
  const pending = [...terms];
  for (let i = 0; i < pending.length; i++) {
    const t = pending[i]!;
    if (t.shape[0] !== shape[0] || t.shape[1] !== shape[1]) shapeOf('Add', [terms[0]!, t]); // throws the shape error
    if (t.op === 'Add') { pending.push(...t.args); continue; }
    if (isZero(t)) continue;
    // a scaled sum joins the sum term by term, so that like terms meet: x - (x - y) = y
    if (t.op === 'Mul' && t.args.length === 2 && t.args[0]!.op === 'Const' && t.args[1]!.op === 'Add') {
      pending.push(...t.args[1]!.args.map((a) => mul(t.args[0]!, a)));
      continue;
    }
    const [c, rest] = splitCoefficient(t);
    const entry = coef.get(rest.id);
    if (entry) entry[0] += c; else coef.set(rest.id, [c, rest]);
  }
  const out: Node[] = [];
  for (const [c, rest] of coef.values()) if (c !== 0) out.push(c === 1 ? rest : mul(constant(c), rest));
  if (out.length === 0) return zeros(shape);
  if (out.length === 1) return out[0]!;
  out.sort((a, b) => a.id - b.id);
  return intern('Add', out, {}, shape);
}
export const neg = (a: Node): Node => mul(constant(-1), a);
export const sub = (a: Node, b: Node): Node => add(a, neg(b));

// ---------------------------------------------------------------- products
/** A product with no scalar factors whose chain multiplies out to 1 x 1 (a'*b): a scalar atom. */
const isScalarChain = (n: Node): boolean => n.op === 'Mul' && isScalar(n) && !n.args.some(isScalar);

/** (base, exponent) of a scalar factor, for gathering x*x into x^2. */
function powerParts(n: Node): [Node, number] {
  if (n.op === 'Pow' && isConst(n.args[1]!)) return [n.args[0]!, constValue(n.args[1]!)];
  return [n, 1];
}

const transposeCount = (ns: readonly Node[]): number => ns.reduce((k, n) => k + (n.op === 'Transpose' ? 1 : 0), 0);
const lexLess = (a: readonly Node[], b: readonly Node[]): boolean => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i]!.id !== b[i]!.id) return a[i]!.id < b[i]!.id;
  return a.length < b.length;
};
/** Of equal alternatives, the one with fewer transposes, then the smaller ids: a canonical pick. */
function preferred(cands: readonly (readonly Node[])[]): readonly Node[] {
  let best = cands[0]!;
  for (const c of cands.slice(1)) {
    const dt = transposeCount(c) - transposeCount(best);
    if (dt < 0 || (dt === 0 && lexLess(c, best))) best = c;
  }
  return best;
}
const reversedTransposed = (chain: readonly Node[]): Node[] => chain.map(transpose).reverse();

function chainProduct(chain: Node[]): Node {
  if (chain.length === 1) return chain[0]!;
  const node = make('Mul', chain);
  if (!isScalar(node)) return node;
  // a scalar equals its transpose: a'*b and b'*a are one node
  const alt = reversedTransposed(chain);
  const pick = preferred([chain, alt]);
  return pick === chain ? node : make('Mul', pick as Node[]);
}

export const mul = (...factors: Node[]): Node => mulAll(factors);
/** A product of any length. */
export function mulAll(factors: readonly Node[]): Node {
  let c = 1;
  const scalars: Node[] = [];
  const chain: Node[] = [];
  for (const f of factors) {
    if (f.op === 'Mul' && !isScalarChain(f)) {
      for (const g of f.args) {
        if (g.op === 'Const') c *= constValue(g);
        else if (isScalar(g)) scalars.push(g);
        else chain.push(g);
      }
    } else if (f.op === 'Const') c *= constValue(f);
    else if (isScalar(f)) scalars.push(f);
    else chain.push(f);
  }
  // the product's shape (checks the chain)
  const outShape: Shape = chain.length === 0 ? SCALAR : chain.length === 1 ? chain[0]!.shape : shapeOf('Mul', chain);
  if (c === 0 || scalars.some(isZero) || chain.some(isZero)) return zeros(outShape);
  // identities vanish from a chain of more than one factor; neighbours merge (X*X^2 = X^3, inv(X)*X = I)
  const merged = mergeChain(chain.filter((f) => f.op !== 'Identity'));
  // a chain read left to right becomes a scalar wherever its running product is 1 x 1 (a'*y*y'*b is
  // (a'*y)*(y'*b)): split it there, so that its text reads back as the same node
  // and wherever a stretch of it multiplies out to 1 x 1 (u*v'*y*x' is (v'*y)*u*x'): a scalar is a scalar factor
  const kept: Node[] = [];
  for (let i = 0; i < merged.length;) {
    const j = merged[i]!.shape[0] === ONE ? merged.findIndex((f, k) => k >= i && f.shape[1] === ONE) : -1;
    if (j >= 0 && !(i === 0 && j === merged.length - 1 && scalars.length === 0 && c === 1)) {
      scalars.push(chainProduct(merged.slice(i, j + 1)));
      i = j + 1;
    } else kept.push(merged[i++]!);
  }
  const chainKept = kept.length ? kept : merged.length ? [] : chain.length ? [identity(outShape[0])] : [];
  // gather equal scalar bases into powers
  const powers = new Map<number, [Node, number]>();
  const order: Node[] = [];
  for (const s of scalars) {
    const [b, e] = powerParts(s);
    if (b.op === 'Const' && Number.isFinite(Math.pow(constValue(b), e))) { c *= Math.pow(constValue(b), e); continue; }
    const p = powers.get(b.id);
    if (p) p[1] += e; else { powers.set(b.id, [b, e]); order.push(b); }
  }
  const gathered: Node[] = [];
  for (const b of order) {
    const [, e] = powers.get(b.id)!;
    const p = pow(b, constant(e));
    if (p.op === 'Const') c *= constValue(p); else gathered.push(p);
  }
  if (c === 0) return zeros(outShape);
  const chainNode = chainKept.length ? chainProduct(chainKept) : null;
  const atoms: Node[] = [];
  for (const g of gathered) {
    if (g.op === 'Mul' && !isScalarChain(g)) atoms.push(...g.args); else atoms.push(g);
  }
  let tail: Node[] = [];
  if (chainNode) {
    if (isScalar(chainNode) && (atoms.length > 0 || c !== 1)) atoms.push(chainNode);
    else if (chainNode.op === 'Mul' && !isScalar(chainNode)) tail = [...chainNode.args];
    else tail = [chainNode];
  }
  atoms.sort((a, b) => a.id - b.id);
  // a number distributes over a sum among the factors, so that like terms meet: 2*(A + B)*x = (2*A + 2*B)*x;
  // always into the first sum, whatever the order the product was built in
  const rest = [...atoms, ...tail];
  // (not -1: a negated product keeps its sums, -(X + B)*(X - B))
  if (c !== 1 && c !== -1) {
    const s = rest.findIndex((f) => f.op === 'Add');
    if (s >= 0) {
      rest[s] = addAll(rest[s]!.args.map((t) => mul(constant(c), t)));
      return mulAll(rest);
    }
    // or into a sum inside a scalar chain: 2*y'*(A + B)*y reads as y'*(2*A + 2*B)*y
    const k = rest.findIndex((f) => isScalarChain(f) && f.args.some((g) => g.op === 'Add'));
    if (k >= 0) {
      const fs = [...rest[k]!.args];
      const i = fs.findIndex((g) => g.op === 'Add');
      fs[i] = addAll(fs[i]!.args.map((t) => mul(constant(c), t)));
      rest[k] = mulAll(fs);
      return mulAll(rest);
    }
  }
  const all = [...(c !== 1 ? [constant(c)] : []), ...rest];
  if (all.length === 0) return ONE_NODE;
  if (all.length === 1) return all[0]!;
  return make('Mul', all);
}

/** (base, exponent) of a chain factor: X^k is (X, k), inv(X)^k is (X, -k), inv(X) is (X, -1). */
function chainPower(f: Node): [Node, number] {
  if (f.op === 'MatPow') { const [b, k] = chainPower(f.args[0]!); return [b, k * f.attrs.k!]; }
  if (f.op === 'Inv') return [f.args[0]!, -1];
  return [f, 1];
}

/** Adjacent factors of one base gather into a power; diag(a)*diag(b) = diag(a .* b). */
function mergeChain(chain: readonly Node[]): Node[] {
  const out: Node[] = [];
  for (const f of chain) {
    const prev = out[out.length - 1];
    if (prev && prev.shape[0] === prev.shape[1] && f.shape[0] === f.shape[1]) {
      const [b1, k1] = chainPower(prev), [b2, k2] = chainPower(f);
      if (b1 === b2) {
        out.pop();
        const k = k1 + k2;
        if (k !== 0) out.push(matPow(b1, k));
        continue;
      }
      if (prev.op === 'Diag' && f.op === 'Diag') { out.pop(); out.push(diag(hadamard(prev.args[0]!, f.args[0]!))); continue; }
    }
    // diag(u)*v = u .* v, and v'*diag(u) = (u .* v)', for a column v
    if (prev && prev.op === 'Diag' && f.shape[1] === ONE) { out.pop(); out.push(hadamard(prev.args[0]!, f)); continue; }
    if (prev && f.op === 'Diag' && prev.shape[0] === ONE) { out.pop(); out.push(transpose(hadamard(f.args[0]!, transpose(prev)))); continue; }
    out.push(f);
  }
  return out;
}

const symmetricMemo = new Map<number, boolean>();
/** Whether a node is symmetric by construction (S, I, diag(x), inv(S), A*S*A', x*x', ...): then S' is S. */
export function isSymmetric(n: Node): boolean {
  const hit = symmetricMemo.get(n.id);
  if (hit !== undefined) return hit;
  let r: boolean;
  if (n.shape[0] !== n.shape[1]) r = false;
  else switch (n.op) {
    case 'Var': r = n.attrs.symmetric === true; break;
    case 'Identity': case 'Diag': case 'Ones': case 'Zeros': r = true; break;
    case 'Add': case 'Hadamard': r = n.args.every(isSymmetric); break;
    case 'Inv': case 'MatPow': r = isSymmetric(n.args[0]!); break;
    case 'Exp': case 'Log': case 'Sin': case 'Cos': case 'Tan': case 'Tanh': case 'Sqrt': case 'Abs': case 'Sign': case 'Sigmoid':
      r = isSymmetric(n.args[0]!); break;
    case 'Kron': r = isSymmetric(n.args[0]!) && isSymmetric(n.args[1]!); break;
    case 'Mul': {
      const chain = n.args.filter((a) => !isScalar(a));
      const k = chain.length;
      r = chain.every((f, i) => {
        const g = chain[k - 1 - i]!;
        return i === k - 1 - i ? isSymmetric(f) : (f.op === 'Transpose' && f.args[0] === g) || (g.op === 'Transpose' && g.args[0] === f) || (f === g && isSymmetric(f));
      });
      break;
    }
    default: r = false;
  }
  symmetricMemo.set(n.id, r);
  return r;
}

export const div = (a: Node, s: Node): Node => mul(a, pow(s, constant(-1)));

export function hadamard(...factors: Node[]): Node {
  const flat: Node[] = [];
  const scalars: Node[] = [];
  for (const f of factors) {
    if (f.op === 'Hadamard') flat.push(...f.args);
    else if (isScalar(f)) scalars.push(f);
    else if (f.op === 'Mul' && f.args.some(isScalar) && f.args.filter((a) => !isScalar(a)).length === 1) {
      // a scaled factor: (c*A) .* B = c*(A .* B)
      for (const a of f.args) (isScalar(a) ? scalars : flat).push(a);
    } else flat.push(f);
  }
  if (flat.length === 0) return mulAll(scalars);
  const shape = flat[0]!.shape;
  if (flat.length > 1) shapeOf('Hadamard', flat); // checks the shapes
  if (flat.some(isZero) || scalars.some(isZero)) return zeros(shape);
  const powers = new Map<number, [Node, Node[]]>();
  const order: Node[] = [];
  for (const f of flat) {
    if (f.op === 'Ones') continue;
    const [b, e] = f.op === 'ElemPow' ? [f.args[0]!, f.args[1]!] : [f, ONE_NODE];
    const p = powers.get(b.id);
    if (p) p[1].push(e); else { powers.set(b.id, [b, [e]]); order.push(b); }
  }
  const parts = order.map((b) => { const [, es] = powers.get(b.id)!; return elemPow(b, addAll(es)); }).filter((p) => p.op !== 'Ones');
  let core: Node;
  if (parts.length === 0) core = ones(shape);
  else if (parts.length === 1) core = parts[0]!;
  else { parts.sort((a, b) => a.id - b.id); core = make('Hadamard', parts); }
  return scalars.length ? mul(...scalars, core) : core;
}

// ---------------------------------------------------------------- transpose
export function transpose(a: Node): Node {
  if (isScalar(a) || isSymmetric(a)) return a;
  switch (a.op) {
    case 'Var': return a.attrs.symmetric ? a : make('Transpose', [a]);
    case 'Transpose': return a.args[0]!;
    case 'Identity': case 'Diag': return a;
    case 'Ones': return ones([a.shape[1], a.shape[0]]);
    case 'Zeros': return zeros([a.shape[1], a.shape[0]]);
    case 'Add': return addAll(a.args.map(transpose));
    case 'Hadamard': return hadamard(...a.args.map(transpose));
    case 'Mul': {
      const scal = a.args.filter(isScalar);
      const chain = a.args.filter((x) => !isScalar(x));
      return mul(...scal, ...reversedTransposed(chain));
    }
    case 'Kron': return kron(transpose(a.args[0]!), transpose(a.args[1]!));
    case 'ElemPow': return elemPow(transpose(a.args[0]!), a.args[1]!);
    case 'MatPow': return matPow(transpose(a.args[0]!), a.attrs.k!);
    case 'Exp': case 'Log': case 'Sin': case 'Cos': case 'Tan': case 'Tanh': case 'Sqrt': case 'Abs': case 'Sign': case 'Sigmoid':
      return elementwise(a.op, transpose(a.args[0]!));
    default: return make('Transpose', [a]);
  }
}

// ---------------------------------------------------------------- powers
export function pow(b: Node, e: Node): Node {
  if (isConst(e, 1)) return b;
  if (isConst(e, 0)) return ONE_NODE;
  if (b.op === 'Const' && e.op === 'Const') {
    const v = Math.pow(constValue(b), constValue(e));
    if (Number.isFinite(v)) return constant(v);
  }
  if (isConst(b, 1)) return ONE_NODE;
  if (b.op === 'Pow' && e.op === 'Const' && Number.isInteger(constValue(e)) && b.args[1]!.op === 'Const') {
    return pow(b.args[0]!, constant(constValue(b.args[1]!) * constValue(e)));
  }
  // (a*b)^k = a^k * b^k for an integer k, so that powers gather across products
  if (b.op === 'Mul' && e.op === 'Const' && Number.isInteger(constValue(e)) && b.args.every(isScalar)) {
    return mulAll(b.args.map((f) => pow(f, e)));
  }
  return make('Pow', [b, e]);
}

export function elemPow(b: Node, e: Node): Node {
  if (isScalar(b)) return pow(b, e);
  if (isConst(e, 1)) return b;
  if (isConst(e, 0)) return ones(b.shape);
  // (-b).^k = b.^k for an even k
  if (b.op === 'Mul' && isConst(b.args[0]!, -1) && e.op === 'Const' && constValue(e) % 2 === 0) return elemPow(neg(b), e);
  if (b.op === 'ElemPow' && e.op === 'Const' && Number.isInteger(constValue(e))) return elemPow(b.args[0]!, mul(b.args[1]!, e));
  return make('ElemPow', [b, e]);
}

export function matPow(x: Node, k: number): Node {
  if (isScalar(x)) return pow(x, constant(k));
  if (k === 0) return identity(x.shape[0]);
  if (k === 1) return x;
  if (k < 0) return matPow(inv(x), -k);
  if (x.op === 'Identity') return x;
  if (x.op === 'MatPow') return matPow(x.args[0]!, x.attrs.k! * k);
  return make('MatPow', [x], { k });
}

// ---------------------------------------------------------------- elementwise functions
const EXACT: Partial<Record<ElementwiseOp, (v: number) => number | undefined>> = {
  Exp: (v) => (v === 0 ? 1 : undefined),
  Log: (v) => (v === 1 ? 0 : undefined),
  Sin: (v) => (v === 0 ? 0 : undefined),
  Cos: (v) => (v === 0 ? 1 : undefined),
  Tan: (v) => (v === 0 ? 0 : undefined),
  Tanh: (v) => (v === 0 ? 0 : undefined),
  Sqrt: (v) => (v === 0 || v === 1 ? v : undefined),
  Abs: (v) => Math.abs(v),
  Sign: (v) => Math.sign(v),
  Sigmoid: () => undefined,
};
const ZERO_AT_ZERO = new Set<ElementwiseOp>(['Sin', 'Tan', 'Tanh', 'Sqrt', 'Abs', 'Sign']);

export function elementwise(op: ElementwiseOp, a: Node): Node {
  if (a.op === 'Const') {
    const v = EXACT[op]?.(constValue(a));
    if (v !== undefined) return constant(v);
  }
  if (a.op === 'Zeros' && ZERO_AT_ZERO.has(op)) return a;
  if (op === 'Log' && a.op === 'Exp') return a.args[0]!;
  if (op === 'Exp' && a.op === 'Log') return a.args[0]!;
  if (op === 'Abs' && (a.op === 'Abs' || a.op === 'Exp')) return a;
  return make(op, [a]);
}

// ---------------------------------------------------------------- matrix functions
export function inv(a: Node): Node {
  if (isScalar(a)) return pow(a, constant(-1));
  if (a.op === 'Inv') return a.args[0]!;
  if (a.op === 'Identity') return a;
  if (a.op === 'Transpose') return transpose(inv(a.args[0]!));
  return make('Inv', [a]);
}

/** I + u*v' with u, v columns: the rank-one update of the determinant lemma. */
function rankOneUpdate(a: Node): [Node, Node] | null {
  if (a.op !== 'Add' || a.args.length !== 2) return null;
  const id = a.args.find((t) => t.op === 'Identity');
  const uv = a.args.find((t) => t !== id);
  if (!id || !uv || uv.op !== 'Mul') return null;
  const chain = uv.args.filter((f) => !isScalar(f));
  const scal = uv.args.filter(isScalar);
  if (chain.length !== 2 || chain[0]!.shape[1] !== ONE || chain[1]!.shape[0] !== ONE) return null;
  return [mulAll([...scal, chain[0]!]), transpose(chain[1]!)];
}

export function det(a: Node): Node {
  if (isScalar(a)) return a;
  // det(I + u*v') = 1 + v'*u  (the matrix determinant lemma; Cookbook 24)
  const uv = rankOneUpdate(a);
  if (uv) return add(ONE_NODE, mul(transpose(uv[1]), uv[0]));
  if (a.op === 'Identity') return ONE_NODE;
  if (a.op === 'Transpose') return det(a.args[0]!);
  if (a.op === 'Inv') return pow(det(a.args[0]!), constant(-1));
  return make('Det', [a]);
}

export function logdet(a: Node): Node {
  if (isScalar(a)) return elementwise('Log', elementwise('Abs', a));
  const uv = rankOneUpdate(a);
  if (uv) return logdet(add(ONE_NODE, mul(transpose(uv[1]), uv[0])));
  if (a.op === 'Identity') return ZERO;
  if (a.op === 'Transpose') return logdet(a.args[0]!);
  if (a.op === 'Inv') return neg(logdet(a.args[0]!));
  return make('LogDet', [a]);
}

/** Scalar factors of a product pulled out in front of a linear function of it. */
function pullScalars(a: Node, f: (m: Node) => Node): Node | null {
  if (a.op !== 'Mul') return null;
  const scal = a.args.filter(isScalar);
  if (scal.length === 0) return null;
  const rest = a.args.filter((x) => !isScalar(x));
  return mul(...scal, f(rest.length === 1 ? rest[0]! : make('Mul', rest)));
}

/** The rotations of a chain under a trace; one whose product is 1 x 1 needs no trace at all. */
function traceOfChain(chain: readonly Node[]): Node {
  const n = chain.length;
  const cands: Node[][] = [];
  for (const base of [chain, reversedTransposed(chain)]) {
    for (let i = 0; i < n; i++) {
      const rot = [...base.slice(i), ...base.slice(0, i)];
      if (rot[0]!.shape[0] === '1' && rot[n - 1]!.shape[1] === '1') return mulAll(rot);
      // a rotation brings the ends together: tr(X*A*X) = tr(X^2*A), tr(inv(X)*A*X) = tr(A)
      cands.push(mergeChain(rot));
    }
  }
  const shortest = Math.min(...cands.map((c) => c.length));
  const best = preferred(cands.filter((c) => c.length === shortest));
  if (best.length === 0) return trace(identity(chain[0]!.shape[0]));
  if (best.length === 1) return trace(best[0]!);
  return make('Trace', [make('Mul', best as Node[])]);
}

export function trace(a: Node): Node {
  if (isScalar(a)) return a;
  if (isZero(a)) return ZERO;
  if (a.op === 'Add') return addAll(a.args.map(trace));
  if (a.op === 'Transpose') return trace(a.args[0]!);
  if (a.op === 'Identity') { const n = Number(a.shape[0]); return Number.isInteger(n) ? constant(n) : make('Trace', [a]); }
  const pulled = pullScalars(a, trace);
  if (pulled) return pulled;
  if (a.op === 'Mul') return traceOfChain(a.args);
  if (a.op === 'Kron' && a.args[0]!.shape[0] === a.args[0]!.shape[1]) return mul(trace(a.args[0]!), trace(a.args[1]!));
  return make('Trace', [a]);
}

export function sum(a: Node): Node {
  if (isScalar(a)) return a;
  if (isZero(a)) return ZERO;
  if (a.op === 'Add') return addAll(a.args.map(sum));
  if (a.op === 'Transpose') return sum(a.args[0]!);
  const pulled = pullScalars(a, sum);
  if (pulled) return pulled;
  if (a.op === 'Ones') {
    const n = dimSize(a.shape[0], {}), m = dimSize(a.shape[1], {});
    if (n !== undefined && m !== undefined) return constant(n * m);
  }
  // sum(x .* y) = x'*y for vectors
  if (a.op === 'Hadamard' && a.args.length === 2 && a.shape[1] === ONE) return mul(transpose(a.args[0]!), a.args[1]!);
  if (a.op === 'Diag') return sum(a.args[0]!);
  if (a.op === 'Vec' || a.op === 'Unvec') return sum(a.args[0]!);
  if (a.op === 'Kron') return mul(sum(a.args[0]!), sum(a.args[1]!));
  return make('Sum', [a]);
}

export function norm2(a: Node): Node {
  if (isScalar(a)) return elementwise('Abs', a);
  return make('Norm2', [a]);
}

/** diag of a column vector makes a matrix; of a square matrix, takes its diagonal. */
export function diag(a: Node): Node {
  if (isScalar(a)) return a;
  if (a.shape[1] === ONE) {
    if (isZero(a)) return zeros([a.shape[0], a.shape[0]]);
    if (a.op === 'Ones') return identity(a.shape[0]);
    return make('Diag', [a]);
  }
  if (a.op === 'Diag') return a.args[0]!;
  if (isZero(a)) return zeros([a.shape[0], ONE]);
  if (a.op === 'Identity') return ones([a.shape[0], ONE]);
  if (a.op === 'Transpose') return diag(a.args[0]!);
  return make('DiagPart', [a]);
}

export function vec(a: Node): Node {
  if (a.shape[1] === ONE) return a;
  if (a.op === 'Unvec') return a.args[0]!;
  if (isZero(a)) return zeros(shapeOf('Vec', [a]));
  return make('Vec', [a]);
}

export function unvec(x: Node, rows: Dim, cols: Dim): Node {
  if (cols === ONE) return x;
  if (x.op === 'Vec' && x.args[0]!.shape[0] === rows) return x.args[0]!;
  if (isZero(x)) return zeros([rows, cols]);
  return intern('Unvec', [x], { rows }, [rows, cols]);
}

export function kron(a: Node, b: Node): Node {
  if (isScalar(a) || isScalar(b)) return mul(a, b);
  // kron(u, v) = vec(v*u') for columns
  if (a.shape[1] === ONE && b.shape[1] === ONE) return vec(mul(b, transpose(a)));
  if (isZero(a) || isZero(b)) return zeros(shapeOf('Kron', [a, b]));
  return make('Kron', [a, b]);
}

export function logsumexp(x: Node): Node {
  if (isScalar(x)) return x;
  return make('LogSumExp', [x]);
}

export function softmax(x: Node): Node {
  if (isScalar(x)) return ONE_NODE;
  return make('Softmax', [x]);
}

export const delta = (a: Node): Node => make('Delta', [a]);

/** The node with new arguments, through the smart constructors: how a pass rebuilds what it changes. */
export const REBUILD = {
  Var: (n) => n, Const: (n) => n, Identity: (n) => n, Ones: (n) => n, Zeros: (n) => n,
  Add: (_n, a) => addAll(a),
  Mul: (_n, a) => mulAll(a),
  Hadamard: (_n, a) => hadamard(...a),
  Transpose: (_n, [a]) => transpose(a!),
  Pow: (_n, [b, e]) => pow(b!, e!),
  ElemPow: (_n, [b, e]) => elemPow(b!, e!),
  MatPow: (n, [a]) => matPow(a!, n.attrs.k!),
  Exp: (_n, [a]) => elementwise('Exp', a!), Log: (_n, [a]) => elementwise('Log', a!),
  Sin: (_n, [a]) => elementwise('Sin', a!), Cos: (_n, [a]) => elementwise('Cos', a!),
  Tan: (_n, [a]) => elementwise('Tan', a!), Tanh: (_n, [a]) => elementwise('Tanh', a!),
  Sqrt: (_n, [a]) => elementwise('Sqrt', a!), Abs: (_n, [a]) => elementwise('Abs', a!),
  Sign: (_n, [a]) => elementwise('Sign', a!), Sigmoid: (_n, [a]) => elementwise('Sigmoid', a!),
  Inv: (_n, [a]) => inv(a!), Det: (_n, [a]) => det(a!), LogDet: (_n, [a]) => logdet(a!),
  Trace: (_n, [a]) => trace(a!), Sum: (_n, [a]) => sum(a!), Norm2: (_n, [a]) => norm2(a!),
  Diag: (_n, [a]) => diag(a!), DiagPart: (_n, [a]) => diag(a!), Vec: (_n, [a]) => vec(a!),
  Unvec: (n, [a]) => unvec(a!, n.attrs.rows!, n.shape[1]),
  Kron: (_n, [a, b]) => kron(a!, b!),
  LogSumExp: (_n, [a]) => logsumexp(a!), Softmax: (_n, [a]) => softmax(a!),
  Delta: (_n, [a]) => delta(a!),
} satisfies Record<OpName, (n: Node, args: Node[]) => Node>;

export const rebuild = (n: Node, args: Node[]): Node =>
  args.every((a, i) => a === n.args[i]) ? n : (REBUILD[n.op] as (n: Node, args: Node[]) => Node)(n, args);
