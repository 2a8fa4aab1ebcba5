/** The unit direction k of a rows x cols variable, in column-major order (E_k), or for a symmetric
 *  variable the symmetric direction (E_k + E_k')/2: the directions derivatives are numbered at. */
import { Matrix } from './matrix.js';

export function unitDirection(rows: number, cols: number, k: number, symmetric: boolean): Matrix {
  const E = Matrix.zeros(rows, cols);
  if (symmetric) {
    const i = k % rows, j = Math.floor(k / rows);
    E.data[i + j * rows]! += 0.5;
    E.data[j + i * rows]! += 0.5;
  } else E.data[k] = 1;
  return E;
}
