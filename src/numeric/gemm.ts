/**
 * The matrix-multiply kernel: C += alpha * A * B on column-major strided
 * operands (BLAS dgemm without transposes), GotoBLAS style.
 *
 * B is packed into KC x NC slabs of NR-wide row panels, A into MC x KC
 * blocks of MR-tall column panels (zero-padded to full tiles), and a
 * register-tiled MR x NR micro-kernel runs over the packed buffers with
 * all accumulators in locals. Packing buffers are module-level and reused:
 * nothing is allocated per call once they have grown.
 */

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 2048;

let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * 256);
/** The accumulators of a partial edge tile, for the clipped write-back. */
const edge = new Float64Array(MR * NR);

/** Below this many multiply-adds the packing overhead is not worth it. */
const SMALL = 64;

/**
 * C[cOff + i + j*ldc] += alpha * sum_p A[aOff + i + p*lda] * B[bOff + p + j*ldb]
 * for 0 <= i < m, 0 <= j < n, 0 <= p < k.
 */
export function gemm(
  m: number, n: number, k: number, alpha: number,
  A: Float64Array, aOff: number, lda: number,
  B: Float64Array, bOff: number, ldb: number,
  C: Float64Array, cOff: number, ldc: number,
): void {
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return;
  if (m * n * k <= SMALL || m < MR || n < NR) {
    gemmSimple(m, n, k, alpha, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanelB(kc, nc, B, bOff + pc + jc * ldb, ldb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanelA(mc, kc, A, aOff + ic + pc * lda, lda);
        macroKernel(mc, nc, kc, alpha, C, cOff + ic + jc * ldc, ldc);
      }
    }
  }
}

/** The plain j-p-i loop (unit stride on A and C), for small products. */
function gemmSimple(
  m: number, n: number, k: number, alpha: number,
  A: Float64Array, aOff: number, lda: number,
  B: Float64Array, bOff: number, ldb: number,
  C: Float64Array, cOff: number, ldc: number,
): void {
  for (let j = 0; j < n; j++) {
    const c0 = cOff + j * ldc;
    const b0 = bOff + j * ldb;
    for (let p = 0; p < k; p++) {
      const b = alpha * B[b0 + p]!;
      const a0 = aOff + p * lda;
      for (let i = 0; i < m; i++) C[c0 + i]! += A[a0 + i]! * b;
    }
  }
}

/** Pack a kc x nc block of B into NR-wide panels: panel q holds B[p, q*NR..q*NR+NR) for each p. */
function packPanelB(kc: number, nc: number, B: Float64Array, off: number, ldb: number): void {
  const panels = Math.ceil(nc / NR);
  const need = panels * NR * kc;
  if (packB.length < need) packB = new Float64Array(need);
  const dst = packB;
  let d = 0;
  for (let q = 0; q < panels; q++) {
    const j0 = q * NR;
    const w = Math.min(NR, nc - j0);
    if (w === NR) {
      const s0 = off + j0 * ldb;
      const s1 = s0 + ldb;
      const s2 = s1 + ldb;
      const s3 = s2 + ldb;
      for (let p = 0; p < kc; p++) {
        dst[d] = B[s0 + p]!;
        dst[d + 1] = B[s1 + p]!;
        dst[d + 2] = B[s2 + p]!;
        dst[d + 3] = B[s3 + p]!;
        d += NR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let jj = 0; jj < NR; jj++) dst[d + jj] = jj < w ? B[off + p + (j0 + jj) * ldb]! : 0;
        d += NR;
      }
    }
  }
}

/** Pack an mc x kc block of A into MR-tall panels: panel q holds A[q*MR..q*MR+MR), p] for each p. */
function packPanelA(mc: number, kc: number, A: Float64Array, off: number, lda: number): void {
  const panels = Math.ceil(mc / MR);
  const need = panels * MR * kc;
  if (packA.length < need) packA = new Float64Array(need);
  const dst = packA;
  let d = 0;
  for (let q = 0; q < panels; q++) {
    const i0 = q * MR;
    const h = Math.min(MR, mc - i0);
    if (h === MR) {
      for (let p = 0; p < kc; p++) {
        const s = off + i0 + p * lda;
        dst[d] = A[s]!;
        dst[d + 1] = A[s + 1]!;
        dst[d + 2] = A[s + 2]!;
        dst[d + 3] = A[s + 3]!;
        d += MR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = off + i0 + p * lda;
        for (let ii = 0; ii < MR; ii++) dst[d + ii] = ii < h ? A[s + ii]! : 0;
        d += MR;
      }
    }
  }
}

/** Run the micro-kernel over every MR x NR tile of the packed mc x nc block. */
function macroKernel(mc: number, nc: number, kc: number, alpha: number, C: Float64Array, cOff: number, ldc: number): void {
  const pa = packA;
  const pb = packB;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = Math.min(NR, nc - j0);
    const bBase = (j0 / NR) * NR * kc;
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const h = Math.min(MR, mc - i0);
      const aBase = (i0 / MR) * MR * kc;
      let c00 = 0, c10 = 0, c20 = 0, c30 = 0;
      let c01 = 0, c11 = 0, c21 = 0, c31 = 0;
      let c02 = 0, c12 = 0, c22 = 0, c32 = 0;
      let c03 = 0, c13 = 0, c23 = 0, c33 = 0;
      let a = aBase;
      let b = bBase;
      const aEnd = aBase + kc * MR;
      while (a < aEnd) {
        const a0 = pa[a]!, a1 = pa[a + 1]!, a2 = pa[a + 2]!, a3 = pa[a + 3]!;
        const b0 = pb[b]!, b1 = pb[b + 1]!, b2 = pb[b + 2]!, b3 = pb[b + 3]!;
        c00 += a0 * b0; c10 += a1 * b0; c20 += a2 * b0; c30 += a3 * b0;
        c01 += a0 * b1; c11 += a1 * b1; c21 += a2 * b1; c31 += a3 * b1;
        c02 += a0 * b2; c12 += a1 * b2; c22 += a2 * b2; c32 += a3 * b2;
        c03 += a0 * b3; c13 += a1 * b3; c23 += a2 * b3; c33 += a3 * b3;
        a += MR;
        b += NR;
      }
      const c = cOff + i0 + j0 * ldc;
      if (h === MR && w === NR) {
        let q = c;
        C[q] += alpha * c00; C[q + 1] += alpha * c10; C[q + 2] += alpha * c20; C[q + 3] += alpha * c30;
        q += ldc;
        C[q] += alpha * c01; C[q + 1] += alpha * c11; C[q + 2] += alpha * c21; C[q + 3] += alpha * c31;
        q += ldc;
        C[q] += alpha * c02; C[q + 1] += alpha * c12; C[q + 2] += alpha * c22; C[q + 3] += alpha * c32;
        q += ldc;
        C[q] += alpha * c03; C[q + 1] += alpha * c13; C[q + 2] += alpha * c23; C[q + 3] += alpha * c33;
      } else {
        const t = edge;
        t[0] = c00; t[1] = c10; t[2] = c20; t[3] = c30;
        t[4] = c01; t[5] = c11; t[6] = c21; t[7] = c31;
        t[8] = c02; t[9] = c12; t[10] = c22; t[11] = c32;
        t[12] = c03; t[13] = c13; t[14] = c23; t[15] = c33;
        for (let jj = 0; jj < w; jj++) {
          for (let ii = 0; ii < h; ii++) C[c + ii + jj * ldc]! += alpha * t[ii + jj * MR]!;
        }
      }
    }
  }
}
