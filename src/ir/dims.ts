/** Resolved dimensions: a positive integer, a name, or a product of these,
 *  written canonically as a string (integers first, then names sorted, joined by '*').
 *  Two resolved dimensions are equal exactly when their strings are. */
export type Dim = string;
export type Shape = readonly [Dim, Dim];

export const ONE: Dim = '1';
export const SCALAR: Shape = [ONE, ONE];

/** The factors of a canonical dimension: its integer coefficient and its names. */
export function factorsOf(d: Dim): { coef: number; names: string[] } {
  let coef = 1;
  const names: string[] = [];
  for (const part of d.split('*')) {
    if (/^\d+$/.test(part)) coef *= Number(part);
    else names.push(part);
  }
  return { coef, names };
}

export function dimOf(coef: number, names: readonly string[]): Dim {
  const sorted = [...names].sort();
  if (sorted.length === 0) return String(coef);
  return coef === 1 ? sorted.join('*') : `${coef}*${sorted.join('*')}`;
}

export function mulDims(a: Dim, b: Dim): Dim {
  const fa = factorsOf(a), fb = factorsOf(b);
  return dimOf(fa.coef * fb.coef, [...fa.names, ...fb.names]);
}

export const isScalarShape = (s: Shape): boolean => s[0] === ONE && s[1] === ONE;
export const isSquare = (s: Shape): boolean => s[0] === s[1];
export const shapeText = (s: Shape): string => `${s[0]} x ${s[1]}`;

/** The size of a dimension under a binding of names to sizes; undefined if a name is unbound. */
export function dimSize(d: Dim, sizes: Readonly<Record<string, number>>): number | undefined {
  const { coef, names } = factorsOf(d);
  let n = coef;
  for (const name of names) {
    const s = sizes[name];
    if (s === undefined) return undefined;
    n *= s;
  }
  return n;
}
