# The SymPy side of the derivation benchmark. bench/sympy.ts writes a script made of a CONFIG
# line (the cases, as JSON) followed by this file, runs it with python3, and reads one JSON object
# per line from its standard output.
#
# For each case: the derivative by each method below in turn (SymPy's matrix-expression
# derivatives; `f.diff(x)` answers 0 for a scalar function of a trace, where
# `Derivative(f, x).doit()` answers right), each run under a time limit; the answer is checked on
# numbers (sizes 3 or 2, entries as 30-digit Floats) against central differences of f, and the
# first method whose answer checks is kept. Timing is of the derivative call alone (the
# expression is built beforehand), a first call then the median of repeats.
import json
import signal
import sys
import time
import random
import itertools


def _finite(v):
    if isinstance(v, float) and v != v:
        return 'NaN'
    if isinstance(v, float) and v in (float('inf'), float('-inf')):
        return 'Infinity' if v > 0 else '-Infinity'
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_finite(x) for x in v]
    return v


def emit(obj):
    sys.stdout.write(json.dumps(_finite(obj)) + '\n')
    sys.stdout.flush()


try:
    import sympy as sp
    from sympy import (MatrixSymbol, Identity, OneMatrix, ZeroMatrix, Trace, Determinant, Inverse,
                       HadamardProduct, HadamardPower, Derivative, log, exp, sin, cos, tanh, sqrt,
                       count_ops, ImmutableMatrix, Float, Symbol, N)
except Exception as e:  # noqa: BLE001
    emit({'type': 'missing', 'error': repr(e)})
    sys.exit(0)

try:
    import numpy as np
except Exception:  # noqa: BLE001
    np = None

emit({'type': 'version', 'sympy': sp.__version__, 'python': sys.version.split()[0],
      'numpy': (np.__version__ if np is not None else None)})

DIM = {name: Symbol(name, integer=True, positive=True) for name in ('n', 'm', 'k')}
CHECK_SIZES = {'gradient': {'n': 3, 'm': 4, 'k': 2}, 'hessian': {'n': 2, 'm': 3, 'k': 2}}
PREC = 30


def dim(d):
    if d == '1':
        return 1
    if d.isdigit():
        return int(d)
    return DIM[d]


class Timeout(BaseException):
    """A BaseException, so that SymPy's own `except Exception` does not swallow it."""


def _alarm(signum, frame):
    raise Timeout()


signal.signal(signal.SIGALRM, _alarm)


def limited(seconds, fn):
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def ew(f, M):
    """f applied to every entry of M."""
    return M.applyfunc(f)


def ones(r, c):
    return OneMatrix(dim(r) if isinstance(r, str) else r, dim(c) if isinstance(c, str) else c)


METHODS = [
    ('Derivative(f, x).doit()',
     lambda f, x, order: Derivative(f, x).doit() if order == 1 else Derivative(Derivative(f, x).doit(), x).doit()),
    ('f.diff(x)', lambda f, x, order: f.diff(x) if order == 1 else f.diff(x).diff(x)),
]

# ---------------------------------------------------------------- numbers


def to_numbers(e):
    """(shape, flat list of floats) of a concrete SymPy value, row-major."""
    if isinstance(e, sp.MatrixBase):
        return (e.rows, e.cols), [N(v, PREC) for v in e]
    if isinstance(e, sp.NDimArray):
        return tuple(e.shape), [N(v, PREC) for v in sp.flatten(e.tolist())] if len(e.shape) else [N(e[()], PREC)]
    if isinstance(e, sp.MatrixExpr):
        return to_numbers(e.as_explicit())
    if hasattr(e, 'shape') and getattr(e, 'shape', None):
        try:
            return to_numbers(sp.Array(e.doit()))
        except Exception:  # noqa: BLE001
            pass
        from sympy.tensor.array.expressions import convert_array_to_matrix  # noqa: F401
        return to_numbers(e.doit().as_explicit())
    return (), [N(e, PREC)]


def concrete(expr, sizes, values):
    e = expr.xreplace(sizes) if sizes else expr
    rep = {s: values[s.name] for s in e.atoms(MatrixSymbol) if s.name in values}
    e = e.xreplace(rep).doit()
    return to_numbers(e)


def random_values(spec, sizes, rnd, symmetric):
    vals = {}
    for name, r, c in spec:
        rr, cc = (sizes.get(r, 1) if not r.isdigit() else int(r)), (sizes.get(c, 1) if not c.isdigit() else int(c))
        data = [[rnd.uniform(-0.5, 0.5) for _ in range(cc)] for _ in range(rr)]
        if rr == cc and rr > 1:  # square: well conditioned, positive determinant
            for i in range(rr):
                data[i][i] += 2.0
            if name in symmetric:
                data = [[(data[i][j] + data[j][i]) / 2 for j in range(cc)] for i in range(rr)]
        vals[name] = ImmutableMatrix(rr, cc, [Float(data[i][j], PREC) for i in range(rr) for j in range(cc)])
    return vals


def scalar_of(shape, xs):
    if len(xs) != 1:
        raise ValueError('f is not a scalar: shape %s' % (shape,))
    return xs[0]


def check(case, f, g, order):
    """The relative error of SymPy's answer g against central differences of f, and a note."""
    kind = 'gradient' if order == 1 else 'hessian'
    size_names = CHECK_SIZES[kind]
    sizes = {DIM[k]: v for k, v in size_names.items()}
    rnd = random.Random(hash(case['id']) & 0xffff)
    values = random_values(case['vars'], size_names, rnd, set(case.get('symmetric', [])))
    wrt = case['wrt']
    X = values[wrt]
    r, c = X.shape
    idx = [(i, j) for i in range(r) for j in range(c)]

    def f_at(V):
        vals = dict(values)
        vals[wrt] = V
        return scalar_of(*concrete(f, sizes, vals))

    def bump(pairs):
        M = X.as_mutable()
        for (i, j), h in pairs:
            M[i, j] += h
        return ImmutableMatrix(M)

    shape, got = concrete(g, sizes, values)
    if order == 1:
        h = Float('1e-12', PREC)
        ref = [float((f_at(bump([(p, h)])) - f_at(bump([(p, -h)]))) / (2 * h)) for p in idx]
        if np is None:
            return None, 'numpy missing: not checked'
        G = np.array([float(v) for v in got], dtype=float)
        R = np.array(ref, dtype=float)
        if not G.any() and np.abs(R).max() < 1e-9:
            return 0.0, 'zero'
        if not G.any():
            return float('inf'), 'the answer is 0; the derivative is not'
        if G.size != R.size:
            return float('inf'), 'shape %s, want %dx%d' % (shape, r, c)
        scale = max(1e-300, np.abs(R).max())
        err = np.abs(G - R).max() / scale
        if err > 1e-6 and r > 1 and c > 1:
            errT = np.abs(G.reshape(r, c).T.reshape(-1) - R).max() / scale
            if errT <= 1e-6:
                return float(errT), 'transposed'
        return float(err), ''
    # order 2: four-point differences of f
    h = Float('1e-8', PREC)
    n_ = len(idx)
    H = [[0.0] * n_ for _ in range(n_)]
    for a in range(n_):
        for b in range(a, n_):
            pa, pb = idx[a], idx[b]
            v = (f_at(bump([(pa, h), (pb, h)])) - f_at(bump([(pa, h), (pb, -h)]))
                 - f_at(bump([(pa, -h), (pb, h)])) + f_at(bump([(pa, -h), (pb, -h)]))) / (4 * h * h)
            H[a][b] = H[b][a] = float(v)
    if np is None:
        return None, 'numpy missing: not checked'
    R = np.array(H, dtype=float)
    G = np.array([float(v) for v in got], dtype=float)
    if not G.any() and np.abs(R).max() < 1e-9:
        return 0.0, 'zero'
    if not G.any():
        return float('inf'), 'the answer is 0; the Hessian is not'
    if G.size != R.size:
        return float('inf'), 'shape %s, want %d entries' % (shape, R.size)
    scale = max(1e-300, np.abs(R).max())
    best = float('inf')
    G4 = G.reshape(r, c, r, c)
    for perm in itertools.permutations(range(4)):
        cand = np.transpose(G4, perm).reshape(n_, n_)
        best = min(best, float(np.abs(cand - R).max() / scale))
    return best, ''


# ---------------------------------------------------------------- cases

RANK = {'ok': 0, 'unchecked': 1, 'wrong': 2, 'no-eval': 3, 'unevaluated': 4, 'error': 5, 'timeout': 6}


def build(case, formulation):
    env = {'ew': ew, 'ones': ones, 'sp': sp}
    env.update({k: getattr(sp, k) for k in ('Identity', 'OneMatrix', 'ZeroMatrix', 'Trace', 'Determinant', 'Inverse',
                                            'HadamardProduct', 'HadamardPower', 'log', 'exp', 'sin', 'cos', 'tanh', 'sqrt')})
    env.update(DIM)
    for name, r, c in case['vars']:
        env[name] = MatrixSymbol(name, dim(r), dim(c))
    f = eval(formulation, env)  # noqa: S307 (the cases are the benchmark's own)
    return f, env[case['wrt']]


def better(a, b):
    return b if a is None or RANK[b['status']] < RANK[a['status']] else a


def attempt(case, cfg, f, x, order, name, method):
    att = {'method': name}
    t0 = time.perf_counter()
    try:
        g = limited(cfg['timeout'], lambda: method(f, x, order))
        att['first_ms'] = (time.perf_counter() - t0) * 1000
    except Timeout:
        att.update(status='timeout', detail='no answer within %g s' % cfg['timeout'])
        return att
    except RecursionError:
        att.update(status='error', detail='RecursionError')
        return att
    except Exception as e:  # noqa: BLE001
        att.update(status='error', detail='%s: %s' % (type(e).__name__, str(e)[:160]))
        return att
    try:
        text = limited(cfg['timeout'], lambda: str(g))
        att['str_len'] = len(text)
        att['text'] = text[:400]
        att['count_ops'] = int(limited(cfg['timeout'], lambda: count_ops(g)))
    except BaseException as e:  # noqa: BLE001
        att.setdefault('str_len', None)
        att['count_ops'] = None
        att['size_note'] = type(e).__name__
    # timed repeats right after the first call (the cache as the call left it), before the check
    # on numbers fills SymPy's cache with other expressions
    if not g.has(Derivative):
        times = []
        spent = att['first_ms']
        for _ in range(cfg['repeats']):
            if times and spent > cfg['budget_ms']:
                break
            t0 = time.perf_counter()
            try:
                limited(cfg['timeout'], lambda: method(f, x, order))
            except BaseException:  # noqa: BLE001
                break
            dt = (time.perf_counter() - t0) * 1000
            times.append(dt)
            spent += dt
        times = sorted(times) or [att['first_ms']]
        mid = len(times) // 2
        att['median_ms'] = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
        att['runs'] = len(times)
    if g.has(Derivative):
        att.update(status='unevaluated', detail='the answer keeps an unevaluated Derivative')
    elif not case.get('check', True):
        att.update(status='unchecked', detail='not checked on numbers')
    else:
        try:
            err, note = limited(cfg['check_timeout'], lambda: check(case, f, g, order))
            att['check_error'] = err
            if err is None:
                att.update(status='unchecked', detail=note)
            elif err <= 1e-5:
                att.update(status='ok', detail=note)
            else:
                att.update(status='wrong', detail=note if err == float('inf') and note else ('relative error %.1e against differences of f' % err) + (' (%s)' % note if note else ''))
        except Timeout:
            att.update(status='unchecked', detail='numeric check over %g s' % cfg['check_timeout'])
        except RecursionError:
            att.update(status='no-eval', detail='the answer does not evaluate on numbers: RecursionError')
        except Exception as e:  # noqa: BLE001
            att.update(status='no-eval', detail='the answer does not evaluate on numbers: %s: %s' % (type(e).__name__, str(e)[:120]))
    return att


def run_case(case, cfg):
    order = case['order']
    out = {'type': 'case', 'id': case['id'], 'order': order, 'attempts': []}
    best = None
    for fi, formulation in enumerate(case['f']):
        try:
            f, x = build(case, formulation)
        except Exception as e:  # noqa: BLE001
            att = {'method': '-', 'formulation': fi, 'status': 'error', 'detail': 'building f: %s: %s' % (type(e).__name__, str(e)[:200])}
            out['attempts'].append(att)
            best = better(best, att)
            continue
        for name, method in METHODS:
            sp.core.cache.clear_cache()
            att = attempt(case, cfg, f, x, order, name, method)
            att['formulation'] = fi
            out['attempts'].append({k: v for k, v in att.items() if k != 'text'})
            best = better(best, att)
            if att['status'] == 'ok':
                break
        if best is not None and best['status'] == 'ok':
            break
    out.update(best)
    out['f'] = case['f'][best.get('formulation', 0)]
    return out


def main():
    cfg = CONFIG  # noqa: F821 (defined by the generated header)
    for case in cfg['cases']:
        try:
            res = run_case(case, cfg)
        except BaseException as e:  # noqa: BLE001
            res = {'type': 'case', 'id': case['id'], 'order': case['order'], 'status': 'error', 'detail': repr(e)[:200], 'attempts': []}
        emit(res)
    emit({'type': 'done'})


main()
