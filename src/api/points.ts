/** Random points for checks: sizes for the free dimensions and well-conditioned values for each
 *  variable (square matrices near 1.5 I, symmetric ones positive definite), seeded. */
import { dimSize, factorsOf } from '../ir/dims.js';
import type { Program } from '../lang/elaborate.js';
import type { Env } from '../numeric/evaluate.js';
import { Matrix } from '../numeric/matrix.js';

export { seeded as rng } from '../numeric/random.js';

export const seedOf = (s: string): number => {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
};

/** Every dimension name of the program's variables. */
export const dimensionNames = (p: Program): string[] =>
  [...new Set(Object.values(p.shapes).flatMap((s) => s.flatMap((d) => factorsOf(d).names)))];

/** Whether some variable has a fixed integer dimension other than 1 (the 1 x 1 reduction does not apply). */
export const hasFixedSize = (p: Program): boolean =>
  Object.values(p.shapes).some((s) => s.some((d) => factorsOf(d).coef !== 1));

export function randomPoint(p: Program, rand: () => number, sizes: Record<string, number>, positive: boolean): Env {
  const values = new Map<string, Matrix>();
  const u = (lo: number, hi: number): number => lo + (hi - lo) * rand();
  for (const decl of p.decls) {
    const s = p.shapes[decl.name]!;
    const r = dimSize(s[0], sizes)!, c = dimSize(s[1], sizes)!;
    const M = new Matrix(r, c);
    const entry = (): number => (positive ? u(0.5, 1.5) : u(-1, 1));
    if (r === 1 && c === 1) M.data[0] = positive || rand() < 0.5 ? u(0.5, 1.5) : u(-1.5, -0.5);
    else if (decl.kind === 'symmetric') {
      for (let i = 0; i < r; i++) for (let j = 0; j <= i; j++) {
        const v = (positive ? u(0, 0.5) : u(-0.5, 0.5)) / Math.sqrt(r);
        M.data[i + j * r] = v;
        M.data[j + i * r] = v;
      }
      for (let i = 0; i < r; i++) M.data[i + i * r]! += 1.5;
    } else if (r === c) {
      for (let k = 0; k < r * c; k++) M.data[k] = (positive ? u(0, 0.5) : u(-0.5, 0.5)) / Math.sqrt(r);
      for (let i = 0; i < r; i++) M.data[i + i * r]! += 1.5;
    } else for (let k = 0; k < r * c; k++) M.data[k] = entry();
    values.set(decl.name, M);
  }
  return { values, sizes };
}
