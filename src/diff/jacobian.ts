/** Reading a Jacobian off df = J dx: dx is factored out to the right of a vector-shaped
 *  expression linear in it (u .* (A dx) = diag(u) A dx; x dx'a = x a' dx; vec(L dx R) = kron(R', L) dx). */
import * as B from '../ir/build.js';
import { fail } from '../ir/errors.js';
import { isScalar, originNear, type Node } from '../ir/node.js';

/** vec of a vector-shaped value: a column as it is, a row transposed. */
const asColumn = (n: Node): Node => (n.shape[1] === '1' ? n : B.transpose(n));
const isVectorShaped = (n: Node): boolean => n.shape[0] === '1' || n.shape[1] === '1';

export function jacobianOf(df: Node | null, dx: Node, rows: string): Node {
  const n = dx.shape[0];
  if (df === null) return B.zeros([rows, n]);
  const name = dx.attrs.name!;
  const holds = (a: Node): boolean => a.vars.has(name);
  const memo = new Map<number, Node>();
  const none = (m: Node, what: string): never =>
    fail('no-closed-form', `the Jacobian has no closed form in the language: dx appears inside ${what}`, originNear(m));

  // J with vec(m) = J dx, for m vector-shaped (or 1 x 1) and linear in dx
  const jac = (m: Node): Node => {
    const hit = memo.get(m.id);
    if (hit) return hit;
    let J: Node;
    if (m === dx) J = B.identity(n);
    else if (!isVectorShaped(m)) {
      J = none(m, `a ${m.shape[0]} x ${m.shape[1]} matrix (${m.op})`);
    } else switch (m.op) {
      case 'Add': J = B.addAll(m.args.filter(holds).map(jac)); break;
      case 'Transpose': J = jac(m.args[0]!); break;
      case 'Mul': J = product(m); break;
      case 'Hadamard': {
        const i = m.args.findIndex(holds);
        const u = B.hadamard(...m.args.filter((_, j) => j !== i));
        J = B.mul(B.diag(asColumn(u)), jac(m.args[i]!));
        break;
      }
      case 'Sum': {
        // sum(M) = ones'*vec(M)
        const a = m.args[0]!;
        const v = isVectorShaped(a) ? asColumn(a) : B.vec(a);
        J = B.mul(B.transpose(B.ones([v.shape[0], '1'])), vecOf(a));
        break;
      }
      // tr(M) = vec(I)'*vec(M)
      case 'Trace': J = B.mul(B.transpose(B.vec(B.identity(m.args[0]!.shape[0]))), vecOf(m.args[0]!)); break;
      case 'Vec': J = vecOf(m.args[0]!); break;
      case 'Kron': {
        const [a, b] = m.args as [Node, Node];
        if (a.shape[1] !== '1' || b.shape[1] !== '1') { J = none(m, 'kron'); break; }
        // kron(a, M) = vec(M a'), kron(M, b) = vec(b M'), for columns
        J = holds(b) ? B.mul(B.kron(a, B.identity(b.shape[0])), jac(b)) : B.mul(B.kron(B.identity(a.shape[0]), b), jac(a));
        break;
      }
      case 'Diag': case 'DiagPart':
        J = m.op === 'DiagPart' && m.args[0]!.op === 'Mul' ? none(m, 'diag of a product') : none(m, 'diag');
        break;
      default: J = none(m, m.op);
    }
    memo.set(m.id, J);
    return J;
  };

  // s L F R with F holding dx
  const product = (m: Node): Node => {
    const fs = m.args;
    const i = fs.findIndex(holds);
    const f = fs[i]!;
    const others = fs.filter((_, j) => j !== i);
    if (isScalar(f)) return B.mul(asColumn(B.mulAll(others)), jac(f));
    const scal = others.filter(isScalar);
    const chain = fs.filter((g) => !isScalar(g));
    const k = chain.indexOf(f);
    const L = B.mulAll(chain.slice(0, k));
    const R = B.mulAll(chain.slice(k + 1));
    if (f.shape[1] === '1') {
      // a column F: L F R with R a scalar chain, or L F a scalar times a row R
      return isScalar(R) ? B.mulAll([...scal, R, L, jac(f)]) : B.mulAll([...scal, B.transpose(R), L, jac(f)]);
    }
    if (f.shape[0] === '1') return B.mulAll([...scal, L, B.transpose(R), jac(f)]);
    // a matrix F inside a vector: vec(L F R) = kron(R', L) vec(F)
    return B.mulAll([...scal, B.kron(B.transpose(R.op === 'Const' ? B.identity(f.shape[1]) : R), L.op === 'Const' ? B.identity(f.shape[0]) : L), vecOf(f)]);
  };

  // J with vec(F) = J dx, for a matrix F linear in dx: only dx and dx' products are read
  const vecOf = (F: Node): Node => {
    if (isVectorShaped(F)) return jac(F);
    if (F.op === 'Add') return B.addAll(F.args.filter(holds).map(vecOf));
    if (F.op === 'Unvec') return jac(F.args[0]!);
    if (F.op === 'Hadamard') {
      // vec(K .* F) = diag(vec(K)) vec(F)
      const i = F.args.findIndex(holds);
      return B.mul(B.diag(B.vec(B.hadamard(...F.args.filter((_, j) => j !== i)))), vecOf(F.args[i]!));
    }
    if (F.op === 'Mul' && F.args.some((g) => isScalar(g) && holds(g))) {
      // vec(s K) = vec(K) s, for a scalar s holding dx
      const i = F.args.findIndex((g) => isScalar(g) && holds(g));
      return B.mul(B.vec(B.mulAll(F.args.filter((_, j) => j !== i))), jac(F.args[i]!));
    }
    if (F.op === 'Mul') {
      const i = F.args.findIndex(holds);
      const f = F.args[i]!;
      if (isVectorShaped(f) && !F.args.some((g, j) => j !== i && isScalar(g) && holds(g))) {
        const scal = F.args.filter((g, j) => j !== i && isScalar(g));
        const chain = F.args.filter((g) => !isScalar(g));
        const k = chain.indexOf(f);
        const L = chain.slice(0, k), R = chain.slice(k + 1);
        const Lm = L.length ? B.mulAll(L) : B.identity(f.shape[0]);
        const Rm = R.length ? B.mulAll(R) : B.identity(f.shape[1]);
        return B.mulAll([...scal, B.kron(B.transpose(Rm), Lm), jac(f)]);
      }
    }
    return none(F, `a ${F.shape[0]} x ${F.shape[1]} matrix (${F.op})`);
  };

  return jac(df);
}
