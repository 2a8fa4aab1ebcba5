/** Dimensions during inference: union-find classes over integers, declared names, fresh
 *  unknowns and products. Only a fresh dimension is ever solved (it may become a product);
 *  declared names and integers are fixed; two products meet only when they are the same
 *  product once the fresh dimensions are solved. */
import { dimOf, factorsOf, type Dim } from './dims.js';

export type DimRef = number;
type Val =
  | { t: 'int'; n: number }
  | { t: 'name'; name: string }
  | { t: 'fresh'; hint?: string }
  | { t: 'prod'; factors: DimRef[] };

export class DimStore {
  private parent: number[] = [];
  private vals: Val[] = [];
  private names = new Map<string, DimRef>();
  private hints = new Map<string, DimRef>();

  private add(v: Val): DimRef { this.parent.push(this.parent.length); this.vals.push(v); return this.parent.length - 1; }
  int(n: number): DimRef { return this.add({ t: 'int', n }); }
  fresh(): DimRef { return this.add({ t: 'fresh' }); }
  /** A declared (fixed) name: one class per name. */
  named(name: string): DimRef {
    let r = this.names.get(name);
    if (r === undefined) { r = this.add({ t: 'name', name }); this.names.set(name, r); }
    return r;
  }
  isDeclared(name: string): boolean { return this.names.has(name); }
  /** A name written in the expression but not declared: a fresh dimension that keeps the name if nothing else fixes it. */
  hinted(name: string): DimRef {
    if (this.names.has(name)) return this.names.get(name)!;
    let r = this.hints.get(name);
    if (r === undefined) { r = this.add({ t: 'fresh', hint: name }); this.hints.set(name, r); }
    return r;
  }
  /** Whether a class is still an unsolved fresh dimension carrying a written name. */
  isHinted(a: DimRef): boolean { const v = this.vals[this.find(a)]!; return v.t === 'fresh' && v.hint !== undefined; }
  isFresh(a: DimRef): boolean { return this.vals[this.find(a)]!.t === 'fresh'; }
  hintedClasses(): [string, DimRef][] { return [...this.hints]; }
  product(a: DimRef, b: DimRef): DimRef { return this.add({ t: 'prod', factors: [a, b] }); }
  get size(): number { return this.parent.length; }

  find(a: DimRef): DimRef {
    while (this.parent[a] !== a) { this.parent[a] = this.parent[this.parent[a]!]!; a = this.parent[a]!; }
    return a;
  }

  /** The canonical text of a class; unsolved fresh classes appear as `?k` (or their final names). */
  canon(a: DimRef, naming?: ReadonlyMap<DimRef, string>): Dim {
    const r = this.find(a);
    const v = this.vals[r]!;
    switch (v.t) {
      case 'int': return String(v.n);
      case 'name': return v.name;
      case 'fresh': return naming?.get(r) ?? `?${r}`;
      case 'prod': {
        let coef = 1;
        const names: string[] = [];
        for (const f of v.factors) {
          const c = factorsOf(this.canon(f, naming));
          coef *= c.coef;
          names.push(...c.names);
        }
        return dimOf(coef, names);
      }
    }
  }

  isOne(a: DimRef): boolean { return this.canon(a) === '1'; }

  /** Unify two classes; false when they cannot be equal. */
  unify(a: DimRef, b: DimRef): boolean {
    const ra = this.find(a), rb = this.find(b);
    if (ra === rb) return true;
    const va = this.vals[ra]!, vb = this.vals[rb]!;
    if (va.t === 'fresh') return this.bind(ra, rb);
    if (vb.t === 'fresh') return this.bind(rb, ra);
    const ca = this.canon(ra), cb = this.canon(rb);
    if (ca === cb) { this.parent[ra] = rb; return true; }
    return this.solve(ra, rb) || this.solve(rb, ra);
  }

  /** A fresh class takes another's value; never 1 (inference never makes a dimension 1), never itself inside a product. */
  private bind(fresh: DimRef, other: DimRef): boolean {
    const c = this.canon(other);
    if (c === '1') return false;
    if (factorsOf(c).names.includes(`?${fresh}`)) return false;
    // a hint survives as the name of what it joins, if that is still unsolved
    const hv = this.vals[fresh]!;
    const ov = this.vals[other]!;
    if (hv.t === 'fresh' && hv.hint && ov.t === 'fresh' && !ov.hint) this.vals[other] = { t: 'fresh', hint: hv.hint };
    this.parent[fresh] = other;
    return true;
  }

  /** p (a product with one unsolved fresh factor) against q: solve that factor by division. */
  private solve(p: DimRef, q: DimRef): boolean {
    const fp = factorsOf(this.canon(p)), fq = factorsOf(this.canon(q));
    const unknown = fp.names.filter((n) => n.startsWith('?'));
    if (unknown.length !== 1 || fq.coef % fp.coef !== 0) return false;
    const rest = [...fq.names];
    for (const n of fp.names) {
      if (n === unknown[0]) continue;
      const i = rest.indexOf(n);
      if (i < 0) return false;
      rest.splice(i, 1);
    }
    const quotient = dimOf(fq.coef / fp.coef, rest);
    if (quotient === '1') return false;
    const target = this.fromCanon(quotient);
    return this.unify(Number(unknown[0]!.slice(1)), target) && this.unify(p, q);
  }

  /** A class for a canonical text made of integers, declared names and `?k` unknowns. */
  private fromCanon(d: Dim): DimRef {
    const { coef, names } = factorsOf(d);
    let r: DimRef | null = coef === 1 ? null : this.int(coef);
    for (const n of names) {
      const f = n.startsWith('?') ? Number(n.slice(1)) : this.named(n);
      r = r === null ? f : this.product(r, f);
    }
    return r ?? this.int(1);
  }

  /** Final names for unsolved fresh classes, in the order given (first occurrence first):
   *  a hint if it is free, else n, m, p, q, r, s, t, u, v, w, then n1, n2, ... */
  nameFresh(order: readonly DimRef[], taken: ReadonlySet<string>): Map<DimRef, string> {
    const naming = new Map<DimRef, string>();
    const used = new Set(taken);
    const pool = ['n', 'm', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w'];
    let k = 0, i = 1;
    const next = (): string => {
      for (;;) {
        const name = k < pool.length ? pool[k++]! : `n${i++}`;
        if (!used.has(name)) return name;
      }
    };
    const visit = (a: DimRef): void => {
      const r = this.find(a);
      const v = this.vals[r]!;
      if (v.t === 'prod') { v.factors.forEach(visit); return; }
      if (v.t !== 'fresh' || naming.has(r)) return;
      const name = v.hint && !used.has(v.hint) ? v.hint : next();
      used.add(name);
      naming.set(r, name);
    };
    order.forEach(visit);
    return naming;
  }
}
