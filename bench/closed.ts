/** Hand-written closed forms in Float64Array loops: the physical limit the generated code is
 *  measured against. Matrices are column-major (entry (i, j) of an n x n matrix at i + j*n),
 *  like matcalc's own. Each gradient also returns the value, as the exported code does. */

// ------------------------------------------------------------------ logistic regression
// f(w) = sum_i log(1 + exp(-y_i (X w)_i)), X m x n.

/** log(1 + exp(t)) without overflow. */
const softplus = (t: number): number => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));
/** 1 / (1 + exp(-t)) without overflow. */
const sigmoid = (t: number): number => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

/** z = X w (X m x n column-major). */
function matvec(X: Float64Array, m: number, n: number, w: Float64Array, z: Float64Array): void {
  z.fill(0);
  for (let j = 0; j < n; j++) {
    const wj = w[j]!, o = j * m;
    if (wj === 0) continue;
    for (let i = 0; i < m; i++) z[i]! += X[o + i]! * wj;
  }
}

/** g = X' r. */
function matTvec(X: Float64Array, m: number, n: number, r: Float64Array, g: Float64Array): void {
  for (let j = 0; j < n; j++) {
    const o = j * m;
    let s = 0;
    for (let i = 0; i < m; i++) s += X[o + i]! * r[i]!;
    g[j] = s;
  }
}

export function logisticValue(X: Float64Array, y: Float64Array, w: Float64Array, m: number, n: number): number {
  const z = new Float64Array(m);
  matvec(X, m, n, w, z);
  let f = 0;
  for (let i = 0; i < m; i++) f += softplus(-y[i]! * z[i]!);
  return f;
}

export function logisticGrad(X: Float64Array, y: Float64Array, w: Float64Array, m: number, n: number): { f: number; g: Float64Array } {
  const z = new Float64Array(m);
  matvec(X, m, n, w, z);
  let f = 0;
  for (let i = 0; i < m; i++) {
    const t = -y[i]! * z[i]!;
    f += softplus(t);
    z[i] = -y[i]! * sigmoid(t); // the residual r_i = -y_i s(-y_i z_i)
  }
  const g = new Float64Array(n);
  matTvec(X, m, n, z, g);
  return { f, g };
}

/** The n x n Hessian X' diag(d) X with d_i = y_i^2 s(t_i)(1 - s(t_i)): symmetric, upper triangle computed. */
export function logisticHessian(X: Float64Array, y: Float64Array, w: Float64Array, m: number, n: number): Float64Array {
  const z = new Float64Array(m);
  matvec(X, m, n, w, z);
  const d = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const s = sigmoid(-y[i]! * z[i]!);
    d[i] = y[i]! * y[i]! * s * (1 - s);
  }
  const DX = new Float64Array(m * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) DX[i + j * m] = d[i]! * X[i + j * m]!;
  const H = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const oj = j * m;
    for (let k = 0; k <= j; k++) {
      const ok = k * m;
      let s = 0;
      for (let i = 0; i < m; i++) s += X[ok + i]! * DX[oj + i]!;
      H[k + j * n] = s;
      H[j + k * n] = s;
    }
  }
  return H;
}

/** H v = X' (d .* (X v)). */
export function logisticHvp(X: Float64Array, y: Float64Array, w: Float64Array, v: Float64Array, m: number, n: number): Float64Array {
  const z = new Float64Array(m), u = new Float64Array(m);
  matvec(X, m, n, w, z);
  matvec(X, m, n, v, u);
  for (let i = 0; i < m; i++) {
    const s = sigmoid(-y[i]! * z[i]!);
    u[i] = y[i]! * y[i]! * s * (1 - s) * u[i]!;
  }
  const out = new Float64Array(n);
  matTvec(X, m, n, u, out);
  return out;
}

// ------------------------------------------------------------------ quadratic form x' A x

export function quadValue(A: Float64Array, x: Float64Array, n: number): number {
  let f = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    const o = j * n;
    for (let i = 0; i < n; i++) s += x[i]! * A[o + i]!;
    f += s * x[j]!;
  }
  return f;
}

/** f and (A + A') x in one sweep over A. */
export function quadGrad(A: Float64Array, x: Float64Array, n: number): { f: number; g: Float64Array } {
  const g = new Float64Array(n); // A x accumulated column by column, A' x entry by entry
  let f = 0;
  for (let j = 0; j < n; j++) {
    const o = j * n, xj = x[j]!;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const a = A[o + i]!;
      s += a * x[i]!;
      g[i]! += a * xj;
    }
    f += s * xj;
    g[j]! += s;
  }
  return { f, g };
}

export function quadHessian(A: Float64Array, n: number): Float64Array {
  const H = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) H[i + j * n] = A[i + j * n]! + A[j + i * n]!;
  return H;
}

export function quadHvp(A: Float64Array, v: Float64Array, n: number): Float64Array {
  return quadGrad(A, v, n).g;
}

// ------------------------------------------------------------------ LU, inverse

/** In-place LU with partial pivoting of a column-major copy; returns the factors, pivots and sign. */
export function luFactor(X: Float64Array, n: number): { LU: Float64Array; piv: Int32Array; sign: number } {
  const LU = X.slice();
  const piv = new Int32Array(n);
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k, big = Math.abs(LU[k + k * n]!);
    for (let i = k + 1; i < n; i++) {
      const a = Math.abs(LU[i + k * n]!);
      if (a > big) { big = a; p = i; }
    }
    piv[k] = p;
    if (p !== k) {
      sign = -sign;
      for (let j = 0; j < n; j++) {
        const t = LU[k + j * n]!;
        LU[k + j * n] = LU[p + j * n]!;
        LU[p + j * n] = t;
      }
    }
    const d = LU[k + k * n]!;
    if (d === 0) throw new Error('singular');
    const ok = k * n;
    for (let i = k + 1; i < n; i++) LU[ok + i]! /= d;
    for (let j = k + 1; j < n; j++) {
      const oj = j * n, a = LU[k + oj]!;
      if (a === 0) continue;
      for (let i = k + 1; i < n; i++) LU[oj + i]! -= LU[ok + i]! * a;
    }
  }
  return { LU, piv, sign };
}

export function logAbsDet(X: Float64Array, n: number): number {
  const { LU } = luFactor(X, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(Math.abs(LU[i + i * n]!));
  return s;
}

/** inv(X) from the LU factors, column by column (forward then back substitution). */
export function inverse(X: Float64Array, n: number): { inv: Float64Array; logAbsDet: number } {
  const { LU, piv } = luFactor(X, n);
  const Y = new Float64Array(n * n);
  for (let j = 0; j < n; j++) Y[j + j * n] = 1;
  // apply the row swaps to the identity's rows
  for (let k = 0; k < n; k++) {
    const p = piv[k]!;
    if (p === k) continue;
    for (let j = 0; j < n; j++) {
      const t = Y[k + j * n]!;
      Y[k + j * n] = Y[p + j * n]!;
      Y[p + j * n] = t;
    }
  }
  for (let j = 0; j < n; j++) {
    const oj = j * n;
    for (let k = 0; k < n; k++) {
      const b = Y[oj + k]!;
      if (b === 0) continue;
      const ok = k * n;
      for (let i = k + 1; i < n; i++) Y[oj + i]! -= LU[ok + i]! * b;
    }
    for (let k = n - 1; k >= 0; k--) {
      const ok = k * n;
      const b = (Y[oj + k]! /= LU[ok + k]!);
      if (b === 0) continue;
      for (let i = 0; i < k; i++) Y[oj + i]! -= LU[ok + i]! * b;
    }
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(Math.abs(LU[i + i * n]!));
  return { inv: Y, logAbsDet: s };
}

/** C = A B, all n x n column-major (j, k, i loop order: unit stride inside). */
export function matmul(A: Float64Array, B: Float64Array, n: number): Float64Array {
  const C = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const oj = j * n;
    for (let k = 0; k < n; k++) {
      const b = B[k + oj]!;
      if (b === 0) continue;
      const ok = k * n;
      for (let i = 0; i < n; i++) C[oj + i]! += A[ok + i]! * b;
    }
  }
  return C;
}

export function transposed(A: Float64Array, n: number): Float64Array {
  const T = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) T[j + i * n] = A[i + j * n]!;
  return T;
}

// ------------------------------------------------------------------ logdet(X), tr(inv(X) A)

/** f = log|det X| and its gradient inv(X)'. */
export function logdetGrad(X: Float64Array, n: number): { f: number; g: Float64Array } {
  const { inv, logAbsDet: f } = inverse(X, n);
  return { f, g: transposed(inv, n) };
}

/** The Hessian by vec(X) (column-major): H[p][q] = -Y[j,k] Y[l,i], p = i + j n, q = k + l n, Y = inv(X). */
export function logdetHessian(X: Float64Array, n: number): Float64Array {
  const Y = inverse(X, n).inv;
  const N = n * n;
  const H = new Float64Array(N * N);
  for (let l = 0; l < n; l++) for (let k = 0; k < n; k++) {
    const q = k + l * n, col = q * N;
    for (let j = 0; j < n; j++) {
      const yjk = Y[j + k * n]!;
      for (let i = 0; i < n; i++) H[col + i + j * n] = -yjk * Y[l + i * n]!;
    }
  }
  return H;
}

export function trInvValue(X: Float64Array, A: Float64Array, n: number): number {
  const Y = inverse(X, n).inv;
  let s = 0;
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) s += Y[i + k * n]! * A[k + i * n]!;
  return s;
}

/** f = tr(inv(X) A) and its gradient -(Y A Y)'. */
export function trInvGrad(X: Float64Array, A: Float64Array, n: number): { f: number; g: Float64Array } {
  const Y = inverse(X, n).inv;
  const YA = matmul(Y, A, n);
  let f = 0;
  for (let i = 0; i < n; i++) f += YA[i + i * n]!;
  const Z = matmul(YA, Y, n);
  const g = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) g[i + j * n] = -Z[j + i * n]!;
  return { f, g };
}

/** H[p][q] = Y[j,k] Z[l,i] + Z[j,k] Y[l,i], Z = Y A Y. */
export function trInvHessian(X: Float64Array, A: Float64Array, n: number): Float64Array {
  const Y = inverse(X, n).inv;
  const Z = matmul(matmul(Y, A, n), Y, n);
  const N = n * n;
  const H = new Float64Array(N * N);
  for (let l = 0; l < n; l++) for (let k = 0; k < n; k++) {
    const col = (k + l * n) * N;
    for (let j = 0; j < n; j++) {
      const yjk = Y[j + k * n]!, zjk = Z[j + k * n]!;
      for (let i = 0; i < n; i++) H[col + i + j * n] = yjk * Z[l + i * n]! + zjk * Y[l + i * n]!;
    }
  }
  return H;
}

// ------------------------------------------------------------------ finite differences

/** Central differences of a scalar f along each coordinate of x (2 len(x) evaluations). */
export function centralDifferences(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  const xp = x.slice();
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!, step = h * Math.max(1, Math.abs(xi));
    xp[i] = xi + step;
    const a = f(xp);
    xp[i] = xi - step;
    const b = f(xp);
    xp[i] = xi;
    g[i] = (a - b) / (2 * step);
  }
  return g;
}
