"""Numba kernels of the AI lab: pure functions over arrays (no validation here).

Metaheuristics are written as *ask/tell* steps (``*_ask`` proposes a generation of
candidates, ``*_tell`` takes their objective values), so a numba objective runs the whole
loop compiled (``*_run``, the objective passed as a first-class function of type
:data:`OBJECTIVE`) while a Python objective drives the very same steps from Python; with one
seed both give identical results. Randomness is numba's generator, seeded by :func:`seed`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import float64, int64, njit, types

from .._config import STRICT

#: Type of an objective the compiled loops accept: ``float64(float64[::1])``.
OBJECTIVE = types.FunctionType(float64(float64[::1]))


@njit(cache=True, fastmath=STRICT)
def seed(s):
    np.random.seed(s)


# --------------------------------------------------------------------------- test functions


@njit(float64(float64[::1]), cache=True, fastmath=STRICT)
def sphere(x):
    s = 0.0
    for v in x:
        s += v * v
    return s


@njit(float64(float64[::1]), cache=True, fastmath=STRICT)
def rastrigin(x):
    s = 10.0 * x.size
    for v in x:
        s += v * v - 10.0 * math.cos(2.0 * math.pi * v)
    return s


@njit(float64(float64[::1]), cache=True, fastmath=STRICT)
def rosenbrock(x):
    s = 0.0
    for i in range(x.size - 1):
        a = x[i + 1] - x[i] * x[i]
        b = 1.0 - x[i]
        s += 100.0 * a * a + b * b
    return s


@njit(float64(float64[::1]), cache=True, fastmath=STRICT)
def ackley(x):
    n = x.size
    s1 = 0.0
    s2 = 0.0
    for v in x:
        s1 += v * v
        s2 += math.cos(2.0 * math.pi * v)
    val = -20.0 * math.exp(-0.2 * math.sqrt(s1 / n)) - math.exp(s2 / n) + 20.0 + math.e
    return val if val > 0.0 else 0.0  # exp rounding can leave -4e-16 at the optimum


@njit(float64(float64[::1]), cache=True, fastmath=STRICT)
def griewank(x):
    s = 0.0
    p = 1.0
    for i in range(x.size):
        s += x[i] * x[i] / 4000.0
        p *= math.cos(x[i] / math.sqrt(i + 1.0))
    return 1.0 + s - p


# --------------------------------------------------------------------------- shared pieces


@njit(cache=True, fastmath=STRICT)
def uniform_population(n, lo, hi):
    d = lo.size
    pop = np.empty((n, d))
    for i in range(n):
        for j in range(d):
            pop[i, j] = lo[j] + np.random.random() * (hi[j] - lo[j])
    return pop


@njit(cache=True, fastmath=STRICT)
def _argmin(a, n):
    b = 0
    for i in range(1, n):
        if a[i] < a[b]:
            b = i
    return b


@njit(cache=True, fastmath=STRICT)
def record(values, n, best, hist, evals):
    """Fold ``n`` new objective values into the best-so-far history; returns the new best."""
    for i in range(n):
        v = values[i]
        if v < best:
            best = v
        if evals + i < hist.size:
            hist[evals + i] = best
    return best


@njit(cache=True, fastmath=STRICT)
def sbx_pair(p1, p2, u, lo, hi, eta, c1, c2):
    """Simulated binary crossover (Deb & Agrawal 1995), unbounded form then clipped.

    ``u`` has three uniform draws per gene: whether the gene crosses (probability 0.5, as in
    Deb's reference code and pymoo), the spread factor, and whether the children swap it.
    Children are written to ``c1`` and ``c2``.
    """
    d = p1.size
    for j in range(d):
        if u[j] >= 0.5:
            c1[j] = p1[j]
            c2[j] = p2[j]
            continue
        w = u[d + j]
        if w <= 0.5:
            beta = (2.0 * w) ** (1.0 / (eta + 1.0))
        else:
            beta = (1.0 / (2.0 * (1.0 - w))) ** (1.0 / (eta + 1.0))
        a = 0.5 * ((1.0 + beta) * p1[j] + (1.0 - beta) * p2[j])
        b = 0.5 * ((1.0 - beta) * p1[j] + (1.0 + beta) * p2[j])
        if u[2 * d + j] < 0.5:
            a, b = b, a
        c1[j] = min(max(a, lo[j]), hi[j])
        c2[j] = min(max(b, lo[j]), hi[j])


@njit(cache=True, fastmath=STRICT)
def polynomial_mutation(xj, u, lo, hi, eta):
    """Deb's bounded polynomial mutation of one gene ``xj`` in ``[lo, hi]`` with uniform draw ``u``."""
    span = hi - lo
    d1 = (xj - lo) / span
    d2 = (hi - xj) / span
    p = 1.0 / (eta + 1.0)
    if u < 0.5:
        val = 2.0 * u + (1.0 - 2.0 * u) * (1.0 - d1) ** (eta + 1.0)
        dq = val**p - 1.0
    else:
        val = 2.0 * (1.0 - u) + 2.0 * (u - 0.5) * (1.0 - d2) ** (eta + 1.0)
        dq = 1.0 - val**p
    return min(max(xj + dq * span, lo), hi)


# --------------------------------------------------------------------------- differential evolution


@njit(cache=True, fastmath=STRICT)
def de_ask(pop, fit, F, CR, lo, hi, out):
    """DE/best/1/bin: mutant ``best + F (x_r1 - x_r2)``, binomial crossover, bounce-back bounds."""
    n, d = pop.shape
    b = _argmin(fit, n)
    for i in range(n):
        r1 = i
        while r1 == i:
            r1 = np.random.randint(n)
        r2 = i
        while r2 == i or r2 == r1:
            r2 = np.random.randint(n)
        jr = np.random.randint(d)
        for j in range(d):
            if j == jr or np.random.random() < CR:
                v = pop[b, j] + F * (pop[r1, j] - pop[r2, j])
                if v < lo[j]:
                    v = lo[j] + np.random.random() * (pop[i, j] - lo[j])
                elif v > hi[j]:
                    v = hi[j] - np.random.random() * (hi[j] - pop[i, j])
                out[i, j] = v
            else:
                out[i, j] = pop[i, j]


@njit(cache=True, fastmath=STRICT)
def de_tell(pop, fit, trials, tfit, n):
    for i in range(n):
        if tfit[i] <= fit[i]:
            fit[i] = tfit[i]
            pop[i, :] = trials[i]


# --------------------------------------------------------------------------- particle swarm


@njit(cache=True, fastmath=STRICT)
def pso_ask(x, v, pbest, pbest_f, chi, c1, c2, vmax, lo, hi, out):
    """Constriction PSO (Clerc & Kennedy 2002), global-best topology, velocity clamp."""
    n, d = x.shape
    g = _argmin(pbest_f, n)
    for i in range(n):
        for j in range(d):
            vel = chi * (
                v[i, j]
                + c1 * np.random.random() * (pbest[i, j] - x[i, j])
                + c2 * np.random.random() * (pbest[g, j] - x[i, j])
            )
            if vel > vmax[j]:
                vel = vmax[j]
            elif vel < -vmax[j]:
                vel = -vmax[j]
            pos = x[i, j] + vel
            if pos < lo[j]:
                pos = lo[j]
                vel = 0.0
            elif pos > hi[j]:
                pos = hi[j]
                vel = 0.0
            v[i, j] = vel
            x[i, j] = pos
            out[i, j] = pos


@njit(cache=True, fastmath=STRICT)
def pso_tell(x, pbest, pbest_f, tfit, n):
    for i in range(n):
        if tfit[i] < pbest_f[i]:
            pbest_f[i] = tfit[i]
            pbest[i, :] = x[i]


# --------------------------------------------------------------------------- genetic algorithm


@njit(cache=True, fastmath=STRICT)
def _tournament(fit, n, k):
    best = np.random.randint(n)
    for _ in range(k - 1):
        c = np.random.randint(n)
        if fit[c] < fit[best]:
            best = c
    return best


@njit(cache=True, fastmath=STRICT)
def ga_ask(pop, fit, pc, eta_c, pm, eta_m, k, lo, hi, out):
    """Real-coded GA: tournament selection, SBX crossover, polynomial mutation."""
    n, d = pop.shape
    u = np.empty(3 * d)
    for i in range(0, n, 2):
        a = _tournament(fit, n, k)
        b = _tournament(fit, n, k)
        c2 = np.empty(d)
        if np.random.random() < pc:
            for j in range(3 * d):
                u[j] = np.random.random()
            sbx_pair(pop[a], pop[b], u, lo, hi, eta_c, out[i], c2)
        else:
            out[i, :] = pop[a]
            c2[:] = pop[b]
        if i + 1 < n:
            out[i + 1, :] = c2
        for r in range(i, min(i + 2, n)):
            for j in range(d):
                if np.random.random() < pm:
                    out[r, j] = polynomial_mutation(out[r, j], np.random.random(), lo[j], hi[j], eta_m)


@njit(cache=True, fastmath=STRICT)
def ga_tell(pop, fit, trials, tfit, n):
    """(mu + lambda) survival: the best of parents and the ``n`` evaluated children stay."""
    m = pop.shape[0]
    allf = np.empty(m + n)
    allf[:m] = fit
    allf[m:] = tfit[:n]
    order = np.argsort(allf, kind="mergesort")[:m]
    newpop = np.empty_like(pop)
    for r in range(m):
        k = order[r]
        newpop[r, :] = pop[k] if k < m else trials[k - m]
        fit[r] = allf[k]
    pop[:, :] = newpop


# --------------------------------------------------------------------------- simulated annealing


@njit(cache=True, fastmath=STRICT)
def sa_ask(x, best_x, step, p_local, lo, hi, out):
    """One proposal: a Gaussian move of one coordinate of the current point, or (with
    probability ``p_local``) a small local-search move around the best point so far."""
    d = x.size
    local = np.random.random() < p_local
    if local:
        out[0, :] = best_x
    else:
        out[0, :] = x
    scale = 0.1 if local else 1.0
    j = np.random.randint(d)
    v = out[0, j] + scale * step[j] * np.random.standard_normal()
    if v < lo[j] or v > hi[j]:
        v = lo[j] + np.random.random() * (hi[j] - lo[j])
    out[0, j] = v


@njit(cache=True, fastmath=STRICT)
def sa_tell(x, fx, best_x, best_f, T, step, stats, trial, ft, alpha, lo, hi):
    # x: current point (1-D), fx/best_f: 1-element arrays
    """Metropolis acceptance at temperature ``T[0]``; geometric cooling; the step adapts
    every 100 proposals towards a 0.44 acceptance rate. ``stats`` = (proposals, accepted)."""
    accept = ft <= fx[0] or np.random.random() < math.exp(-(ft - fx[0]) / max(T[0], 1e-300))
    if accept:
        x[:] = trial
        fx[0] = ft
        stats[1] += 1
    if ft < best_f[0]:
        best_f[0] = ft
        best_x[:] = trial
    stats[0] += 1
    T[0] *= alpha
    if stats[0] % 100 == 0:
        rate = stats[1] / 100.0
        factor = 1.2 if rate > 0.44 else 0.8
        for j in range(step.size):
            step[j] = min(max(step[j] * factor, 1e-12 * (hi[j] - lo[j])), hi[j] - lo[j])
        stats[1] = 0


@njit(cache=True, fastmath=STRICT)
def sa_init(lo, hi, T0):
    x = uniform_population(1, lo, hi)
    return (x, np.empty(1), x[0].copy(), np.empty(1), np.array([T0]), 0.1 * (hi - lo), np.zeros(2, np.int64))


@njit(cache=True, fastmath=STRICT)
def pso_init(n, lo, hi, vfrac):
    x = uniform_population(n, lo, hi)
    vmax = vfrac * (hi - lo)
    v = np.empty_like(x)
    for i in range(n):
        for j in range(lo.size):
            v[i, j] = (2.0 * np.random.random() - 1.0) * vmax[j]
    return x, v, vmax


# --------------------------------------------------------------------------- compiled loops


@njit(cache=True, fastmath=STRICT)
def _evaluate(f, X, n, out):
    for i in range(n):
        v = f(X[i])
        out[i] = v if v == v else np.inf  # NaN counts as +inf
    return n


_SIG = types.Tuple((float64, int64))


@njit(
    _SIG(
        OBJECTIVE,
        float64[::1],
        float64[::1],
        int64,
        float64,
        float64,
        int64,
        int64,
        float64[::1],
        float64[::1],
        float64[::1],
        float64[:, :, ::1],
        int64,
    ),
    cache=True,
    fastmath=STRICT,
)
def de_run(f, lo, hi, n, F, CR, budget, s, best_x, hist, gen_best, snaps, snap_every):
    np.random.seed(s)
    pop = uniform_population(n, lo, hi)
    fit = np.empty(n)
    m = min(n, budget)
    _evaluate(f, pop, m, fit)
    fit[m:] = np.inf
    best = record(fit, m, np.inf, hist, 0)
    evals = m
    gen = 0
    trials = np.empty_like(pop)
    tfit = np.empty(n)
    while True:
        if gen < gen_best.size:
            gen_best[gen] = best
        if snap_every > 0 and gen % snap_every == 0 and gen // snap_every < snaps.shape[0]:
            snaps[gen // snap_every] = pop
        gen += 1
        if evals >= budget:
            break
        de_ask(pop, fit, F, CR, lo, hi, trials)
        k = min(n, budget - evals)
        _evaluate(f, trials, k, tfit)
        best = record(tfit, k, best, hist, evals)
        evals += k
        de_tell(pop, fit, trials, tfit, k)
    best_x[:] = pop[_argmin(fit, n)]
    return best, gen


@njit(
    _SIG(
        OBJECTIVE,
        float64[::1],
        float64[::1],
        int64,
        float64,
        float64,
        float64,
        float64,
        int64,
        int64,
        float64[::1],
        float64[::1],
        float64[::1],
        float64[:, :, ::1],
        int64,
    ),
    cache=True,
    fastmath=STRICT,
)
def pso_run(f, lo, hi, n, chi, c1, c2, vfrac, budget, s, best_x, hist, gen_best, snaps, snap_every):
    np.random.seed(s)
    x, v, vmax = pso_init(n, lo, hi, vfrac)
    pbest = x.copy()
    pf = np.empty(n)
    m = min(n, budget)
    _evaluate(f, x, m, pf)
    pf[m:] = np.inf
    best = record(pf, m, np.inf, hist, 0)
    evals = m
    gen = 0
    trials = np.empty_like(x)
    tfit = np.empty(n)
    while True:
        if gen < gen_best.size:
            gen_best[gen] = best
        if snap_every > 0 and gen % snap_every == 0 and gen // snap_every < snaps.shape[0]:
            snaps[gen // snap_every] = x
        gen += 1
        if evals >= budget:
            break
        pso_ask(x, v, pbest, pf, chi, c1, c2, vmax, lo, hi, trials)
        k = min(n, budget - evals)
        _evaluate(f, trials, k, tfit)
        best = record(tfit, k, best, hist, evals)
        evals += k
        pso_tell(x, pbest, pf, tfit, k)
    best_x[:] = pbest[_argmin(pf, n)]
    return best, gen


@njit(
    _SIG(
        OBJECTIVE,
        float64[::1],
        float64[::1],
        int64,
        float64,
        float64,
        float64,
        float64,
        int64,
        int64,
        int64,
        float64[::1],
        float64[::1],
        float64[::1],
        float64[:, :, ::1],
        int64,
    ),
    cache=True,
    fastmath=STRICT,
)
def ga_run(f, lo, hi, n, pc, eta_c, pm, eta_m, k_tour, budget, s, best_x, hist, gen_best, snaps, snap_every):
    np.random.seed(s)
    pop = uniform_population(n, lo, hi)
    fit = np.empty(n)
    m = min(n, budget)
    _evaluate(f, pop, m, fit)
    fit[m:] = np.inf
    best = record(fit, m, np.inf, hist, 0)
    evals = m
    gen = 0
    trials = np.empty_like(pop)
    tfit = np.empty(n)
    while True:
        if gen < gen_best.size:
            gen_best[gen] = best
        if snap_every > 0 and gen % snap_every == 0 and gen // snap_every < snaps.shape[0]:
            snaps[gen // snap_every] = pop
        gen += 1
        if evals >= budget:
            break
        ga_ask(pop, fit, pc, eta_c, pm, eta_m, k_tour, lo, hi, trials)
        k = min(n, budget - evals)
        _evaluate(f, trials, k, tfit)
        best = record(tfit, k, best, hist, evals)
        evals += k
        ga_tell(pop, fit, trials, tfit, k)
    best_x[:] = pop[_argmin(fit, n)]
    return best, gen


@njit(
    _SIG(
        OBJECTIVE,
        float64[::1],
        float64[::1],
        float64,
        float64,
        float64,
        int64,
        int64,
        float64[::1],
        float64[::1],
        float64[::1],
        float64[:, :, ::1],
        int64,
    ),
    cache=True,
    fastmath=STRICT,
)
def sa_run(f, lo, hi, T0, alpha, p_local, budget, s, best_x, hist, gen_best, snaps, snap_every):
    np.random.seed(s)
    x, fx, bx, bf, T, step, stats = sa_init(lo, hi, T0)
    _evaluate(f, x, 1, fx)
    bf[0] = fx[0]
    best = record(fx, 1, np.inf, hist, 0)
    evals = 1
    gen = 0
    trial = np.empty((1, lo.size))
    tfit = np.empty(1)
    while True:
        if gen < gen_best.size:
            gen_best[gen] = best
        if snap_every > 0 and gen % snap_every == 0 and gen // snap_every < snaps.shape[0]:
            snaps[gen // snap_every] = x
        gen += 1
        if evals >= budget:
            break
        sa_ask(x[0], bx, step, p_local, lo, hi, trial)
        _evaluate(f, trial, 1, tfit)
        best = record(tfit, 1, best, hist, evals)
        evals += 1
        sa_tell(x[0], fx, bx, bf, T, step, stats, trial[0], tfit[0], alpha, lo, hi)
    best_x[:] = bx
    return best, gen


# --------------------------------------------------------------------------- neural networks
# Parameters live in one flat float64 vector ``theta``: for each dense layer l the weights
# (sizes[l] x sizes[l+1], row-major) then the biases. Activations: 0 relu, 1 tanh,
# 2 sigmoid, 3 gelu (exact, with erf), 4 identity. Tasks: 0 softmax cross-entropy, 1 MSE.

RELU, TANH, SIGMOID, GELU, IDENTITY = 0, 1, 2, 3, 4
_SQRT1_2 = 0.7071067811865476
_INV_SQRT_2PI = 0.3989422804014327


@njit(cache=True, fastmath=STRICT)
def param_offsets(sizes):
    n = sizes.size - 1
    off = np.empty(n + 1, np.int64)
    off[0] = 0
    for l in range(n):
        off[l + 1] = off[l] + sizes[l] * sizes[l + 1] + sizes[l + 1]
    return off


@njit(cache=True, fastmath=STRICT)
def _activate(z, a, act):
    r, c = z.shape
    for i in range(r):
        for j in range(c):
            v = z[i, j]
            if act == RELU:
                a[i, j] = v if v > 0.0 else 0.0
            elif act == TANH:
                a[i, j] = math.tanh(v)
            elif act == SIGMOID:
                a[i, j] = 1.0 / (1.0 + math.exp(-v)) if v >= 0.0 else math.exp(v) / (1.0 + math.exp(v))
            elif act == GELU:
                a[i, j] = 0.5 * v * (1.0 + math.erf(v * _SQRT1_2))
            else:
                a[i, j] = v


@njit(cache=True, fastmath=STRICT)
def _act_grad(z, a, g, act):
    """g *= act'(z) in place."""
    r, c = z.shape
    for i in range(r):
        for j in range(c):
            if act == RELU:
                if z[i, j] <= 0.0:
                    g[i, j] = 0.0
            elif act == TANH:
                g[i, j] *= 1.0 - a[i, j] * a[i, j]
            elif act == SIGMOID:
                g[i, j] *= a[i, j] * (1.0 - a[i, j])
            elif act == GELU:
                v = z[i, j]
                g[i, j] *= 0.5 * (1.0 + math.erf(v * _SQRT1_2)) + v * _INV_SQRT_2PI * math.exp(-0.5 * v * v)


@njit(cache=True, fastmath=STRICT)
def mlp_forward(theta, sizes, act, X, Z, A, masks, keep):
    """Forward pass. ``Z[l]``/``A[l]`` are (batch, sizes[l+1]) buffers; ``A`` of the last layer
    holds the raw outputs (logits or predictions). ``keep`` < 1 applies inverted dropout to the
    hidden activations with the masks drawn into ``masks[l]``."""
    off = param_offsets(sizes)
    n = sizes.size - 1
    inp = X
    for l in range(n):
        W = theta[off[l] : off[l] + sizes[l] * sizes[l + 1]].reshape((sizes[l], sizes[l + 1]))
        b = theta[off[l] + sizes[l] * sizes[l + 1] : off[l + 1]]
        z = Z[l]
        np.dot(inp, W, z)
        for i in range(z.shape[0]):
            for j in range(z.shape[1]):
                z[i, j] += b[j]
        a = A[l]
        if l < n - 1:
            _activate(z, a, act)
            if keep < 1.0:
                m = masks[l]
                for i in range(a.shape[0]):
                    for j in range(a.shape[1]):
                        m[i, j] = (1.0 / keep) if np.random.random() < keep else 0.0
                        a[i, j] *= m[i, j]
        else:
            a[:, :] = z
        inp = a


@njit(cache=True, fastmath=STRICT)
def output_loss(out, Y, task, G):
    """Mean loss over the batch and its gradient w.r.t. the raw outputs (into ``G``).

    Softmax cross-entropy uses log-sum-exp (no overflow for any logits); ``Y`` holds class
    indices (as float) for task 0 and targets for task 1.
    """
    B, k = out.shape
    loss = 0.0
    if task == 0:
        for i in range(B):
            m = out[i, 0]
            for j in range(1, k):
                if out[i, j] > m:
                    m = out[i, j]
            s = 0.0
            for j in range(k):
                s += math.exp(out[i, j] - m)
            lse = m + math.log(s)
            c = int(Y[i, 0])
            loss += lse - out[i, c]
            for j in range(k):
                G[i, j] = math.exp(out[i, j] - lse) / B
            G[i, c] -= 1.0 / B
    else:
        for i in range(B):
            for j in range(k):
                d = out[i, j] - Y[i, j]
                loss += d * d
                G[i, j] = 2.0 * d / (B * k)
        loss /= k
    return loss / B


@njit(cache=True, fastmath=STRICT)
def mlp_backward(theta, sizes, act, X, Z, A, masks, keep, G, grad, wd):
    """Backpropagate ``G`` (d loss / d outputs); writes the full gradient (plus ``wd * W``) to ``grad``."""
    off = param_offsets(sizes)
    n = sizes.size - 1
    delta = G
    for l in range(n - 1, -1, -1):
        W = theta[off[l] : off[l] + sizes[l] * sizes[l + 1]].reshape((sizes[l], sizes[l + 1]))
        gW = grad[off[l] : off[l] + sizes[l] * sizes[l + 1]].reshape((sizes[l], sizes[l + 1]))
        gb = grad[off[l] + sizes[l] * sizes[l + 1] : off[l + 1]]
        inp = X if l == 0 else A[l - 1]
        np.dot(inp.T, delta, gW)
        if wd > 0.0:
            gW += wd * W
        for j in range(delta.shape[1]):
            s = 0.0
            for i in range(delta.shape[0]):
                s += delta[i, j]
            gb[j] = s
        if l > 0:
            prev = np.dot(delta, W.T)
            if keep < 1.0:
                prev *= masks[l - 1]
            _act_grad(Z[l - 1], A[l - 1], prev, act)
            delta = prev


@njit(cache=True, fastmath=STRICT)
def _buffers(sizes, B):
    n = sizes.size - 1
    Z = [np.empty((B, sizes[l + 1])) for l in range(n)]
    A = [np.empty((B, sizes[l + 1])) for l in range(n)]
    M = [np.ones((B, sizes[l + 1])) for l in range(n)]
    return Z, A, M


@njit(cache=True, fastmath=STRICT)
def mlp_loss_grad(theta, sizes, act, task, X, Y, wd):
    """Loss (with ``0.5 * wd * |W|^2``) and gradient on the whole of X, no dropout (for gradcheck)."""
    Z, A, M = _buffers(sizes, X.shape[0])
    mlp_forward(theta, sizes, act, X, Z, A, M, 1.0)
    G = np.empty_like(A[-1])
    loss = output_loss(A[-1], Y, task, G)
    grad = np.empty_like(theta)
    mlp_backward(theta, sizes, act, X, Z, A, M, 1.0, G, grad, wd)
    if wd > 0.0:
        off = param_offsets(sizes)
        for l in range(sizes.size - 1):
            for i in range(off[l], off[l] + sizes[l] * sizes[l + 1]):
                loss += 0.5 * wd * theta[i] * theta[i]
    return loss, grad


@njit(cache=True, fastmath=STRICT)
def mlp_predict(theta, sizes, act, X):
    """Raw outputs for X and whether every input was finite (no dropout, no buffers kept)."""
    ok = True
    for v in X.ravel():
        if not np.isfinite(v):
            ok = False
    off = param_offsets(sizes)
    n = sizes.size - 1
    h = np.ascontiguousarray(X)
    for l in range(n):
        W = theta[off[l] : off[l] + sizes[l] * sizes[l + 1]].reshape((sizes[l], sizes[l + 1]))
        b = theta[off[l] + sizes[l] * sizes[l + 1] : off[l + 1]]
        if h.shape[0] <= 8:  # a few rows: plain loops beat a BLAS call's overhead
            z = np.empty((h.shape[0], sizes[l + 1]))
            for r in range(h.shape[0]):
                z[r, :] = b
                for i in range(sizes[l]):
                    xi = h[r, i]
                    for j in range(sizes[l + 1]):
                        z[r, j] += xi * W[i, j]
        else:
            z = np.dot(h, W)
            for i in range(z.shape[0]):
                for j in range(z.shape[1]):
                    z[i, j] += b[j]
        if l < n - 1:
            _activate(z, z, act)
        h = z
    return h, ok


@njit(cache=True, fastmath=STRICT)
def mlp_classify(theta, sizes, act, X):
    """Index of the largest output per row (the predicted class) and the finite-input flag."""
    out, ok = mlp_predict(theta, sizes, act, X)
    idx = np.empty(out.shape[0], np.int64)
    for i in range(out.shape[0]):
        b = 0
        for j in range(1, out.shape[1]):
            if out[i, j] > out[i, b]:
                b = j
        idx[i] = b
    return idx, ok


@njit(cache=True, fastmath=STRICT)
def optimizer_step(theta, grad, m, v, t, lr, opt, beta1, beta2, eps):
    """SGD with momentum (``opt`` 0: m = beta1 m + g; theta -= lr m) or Adam (``opt`` 1)."""
    if opt == 0:
        for i in range(theta.size):
            m[i] = beta1 * m[i] + grad[i]
            theta[i] -= lr * m[i]
    else:
        c1 = 1.0 - beta1**t
        c2 = 1.0 - beta2**t
        for i in range(theta.size):
            m[i] = beta1 * m[i] + (1.0 - beta1) * grad[i]
            v[i] = beta2 * v[i] + (1.0 - beta2) * grad[i] * grad[i]
            theta[i] -= lr * (m[i] / c1) / (math.sqrt(v[i] / c2) + eps)


@njit(cache=True, fastmath=STRICT)
def mlp_epoch(theta, sizes, act, task, X, Y, batch, lr, opt, beta1, beta2, eps, wd, keep, m, v, t):
    """One epoch of minibatch training over a random permutation; returns (mean loss, steps taken)."""
    N = X.shape[0]
    order = np.random.permutation(N)
    Z, A, M = _buffers(sizes, batch)
    grad = np.empty_like(theta)
    G = np.empty((batch, sizes[-1]))
    Xb = np.empty((batch, X.shape[1]))
    Yb = np.empty((batch, Y.shape[1]))
    total = 0.0
    for start in range(0, N, batch):
        B = min(batch, N - start)
        for i in range(B):
            Xb[i] = X[order[start + i]]
            Yb[i] = Y[order[start + i]]
        if B < batch:
            Zs, As, Ms = _buffers(sizes, B)
            mlp_forward(theta, sizes, act, Xb[:B], Zs, As, Ms, keep)
            loss = output_loss(As[-1], Yb[:B], task, G[:B])
            mlp_backward(theta, sizes, act, Xb[:B], Zs, As, Ms, keep, G[:B], grad, wd)
        else:
            mlp_forward(theta, sizes, act, Xb, Z, A, M, keep)
            loss = output_loss(A[-1], Yb, task, G)
            mlp_backward(theta, sizes, act, Xb, Z, A, M, keep, G, grad, wd)
        total += loss * B
        t += 1
        optimizer_step(theta, grad, m, v, t, lr, opt, beta1, beta2, eps)
    return total / N, t


# --------------------------------------------------------------------------- tabular reinforcement learning
# An environment is a table: probs[s, a, k], nxt[s, a, k], rew[s, a, k], done[s, a, k] for the k-th outcome
# of action a in state s (unused outcomes have probability 0), and the start distribution isd.


@njit(cache=True, fastmath=STRICT)
def _sample(p, u):
    c = 0.0
    for k in range(p.size):
        c += p[k]
        if u < c:
            return k
    for k in range(p.size - 1, -1, -1):  # rounding: the last outcome with probability > 0
        if p[k] > 0.0:
            return k
    return 0


@njit(cache=True, fastmath=STRICT)
def table_step(probs, nxt, rew, done, s, a):
    k = _sample(probs[s, a], np.random.random())
    return nxt[s, a, k], rew[s, a, k], done[s, a, k]


@njit(cache=True, fastmath=STRICT)
def _egreedy(Q, s, eps):
    if np.random.random() < eps:
        return np.random.randint(Q.shape[1])
    b = 0
    for a in range(1, Q.shape[1]):
        if Q[s, a] > Q[s, b]:
            b = a
    return b


@njit(cache=True, fastmath=STRICT)
def td_control(
    probs,
    nxt,
    rew,
    done,
    isd,
    Q,
    episodes,
    max_steps,
    alpha0,
    alpha_min,
    gamma,
    eps0,
    eps_min,
    decay_episodes,
    sarsa,
    seed,
    returns,
):
    """Q-learning (``sarsa`` False) or SARSA on a tabular environment, in place on ``Q``.

    Epsilon and the step size decay linearly from ``eps0``/``alpha0`` to their minimum over
    ``decay_episodes``. ``returns[e]`` receives episode e's undiscounted return.
    """
    np.random.seed(seed)
    for e in range(episodes):
        frac = min(1.0, e / max(decay_episodes, 1))
        eps = eps0 + (eps_min - eps0) * frac
        alpha = alpha0 + (alpha_min - alpha0) * frac
        s = _sample(isd, np.random.random())
        a = _egreedy(Q, s, eps)
        total = 0.0
        for _ in range(max_steps):
            s2, r, d = table_step(probs, nxt, rew, done, s, a)
            total += r
            a2 = _egreedy(Q, s2, eps)
            if d:
                target = r
            elif sarsa:
                target = r + gamma * Q[s2, a2]
            else:
                best = Q[s2, 0]
                for b in range(1, Q.shape[1]):
                    if Q[s2, b] > best:
                        best = Q[s2, b]
                target = r + gamma * best
            Q[s, a] += alpha * (target - Q[s, a])
            s, a = s2, a2
            if d:
                break
        returns[e] = total


@njit(cache=True, fastmath=STRICT)
def finite_horizon(probs, nxt, rew, done, horizon, policy):
    """Expected undiscounted return within ``horizon`` steps from every state: optimal
    (``policy`` empty) or of a fixed deterministic ``policy``. Returns (V, greedy policy at the first step)."""
    S, A, Kk = probs.shape
    V = np.zeros(S)
    act = np.zeros(S, np.int64)
    for _ in range(horizon):
        V2 = np.empty(S)
        for s in range(S):
            best = -np.inf
            for a in range(A):
                if policy.size and a != policy[s]:
                    continue
                q = 0.0
                for k in range(Kk):
                    p = probs[s, a, k]
                    if p > 0.0:
                        q += p * (rew[s, a, k] + (0.0 if done[s, a, k] else V[nxt[s, a, k]]))
                if q > best:
                    best = q
                    act[s] = a
            V2[s] = best
        V = V2
    return V, act


@njit(cache=True, fastmath=STRICT)
def rollouts(probs, nxt, rew, done, isd, policy, episodes, max_steps, seed):
    """Undiscounted returns of ``episodes`` episodes under a deterministic policy (steps counted too)."""
    np.random.seed(seed)
    out = np.empty(episodes)
    steps = 0
    for e in range(episodes):
        s = _sample(isd, np.random.random())
        total = 0.0
        for _ in range(max_steps):
            s, r, d = table_step(probs, nxt, rew, done, s, policy[s])
            total += r
            steps += 1
            if d:
                break
        out[e] = total
    return out, steps


# --------------------------------------------------------------------------- exponential smoothing


@njit(cache=True, fastmath=STRICT)
def holt_winters(y, m, alpha, beta, gamma, phi, trend, seasonal, l0, b0, s0, fitted):
    """Holt-Winters recursions (error-correction form). ``trend``: 0 none, 1 additive (damped by
    ``phi``); ``seasonal``: 0 none, 1 additive, 2 multiplicative (period ``m``, initial ``s0``).
    Writes one-step fitted values and returns (SSE, level, trend, last m seasonal states)."""
    level = l0
    slope = b0 if trend else 0.0
    s = s0.copy()
    sse = 0.0
    for t in range(y.size):
        si = s[t % m] if seasonal else 0.0
        base = level + (phi * slope if trend else 0.0)
        if seasonal == 2:
            f = base * s[t % m]
        elif seasonal == 1:
            f = base + si
        else:
            f = base
        fitted[t] = f
        e = y[t] - f
        sse += e * e
        if seasonal == 2:
            new_level = alpha * (y[t] / s[t % m]) + (1.0 - alpha) * base
        elif seasonal == 1:
            new_level = alpha * (y[t] - si) + (1.0 - alpha) * base
        else:
            new_level = alpha * y[t] + (1.0 - alpha) * base
        if trend:
            slope = beta * (new_level - level) + (1.0 - beta) * phi * slope
        if seasonal == 2:
            s[t % m] = gamma * (y[t] / new_level) + (1.0 - gamma) * s[t % m]
        elif seasonal == 1:
            s[t % m] = gamma * (y[t] - new_level) + (1.0 - gamma) * s[t % m]
        level = new_level
    out = np.empty(m)
    for i in range(m):
        out[i] = s[(y.size + i) % m]
    return sse, level, slope, out


# --------------------------------------------------------------------------- CartPole and policy gradients
# CartPole-v1 exactly as gymnasium's classic-control CartPoleEnv (Barto, Sutton & Anderson 1983;
# Euler integration, tau = 0.02 s, failure beyond 12 degrees or 2.4 m, 500-step limit).

_THETA_LIMIT = 12.0 * 2.0 * math.pi / 360.0


@njit(cache=True, fastmath=STRICT)
def cartpole_step(state, action):
    """Advance ``state`` (x, x_dot, theta, theta_dot) in place by one step; returns terminated."""
    x, x_dot, theta, theta_dot = state[0], state[1], state[2], state[3]
    force = 10.0 if action == 1 else -10.0
    costheta = math.cos(theta)
    sintheta = math.sin(theta)
    temp = (force + 0.05 * theta_dot * theta_dot * sintheta) / 1.1
    thetaacc = (9.8 * sintheta - costheta * temp) / (0.5 * (4.0 / 3.0 - 0.1 * costheta * costheta / 1.1))
    xacc = temp - 0.05 * thetaacc * costheta / 1.1
    state[0] = x + 0.02 * x_dot
    state[1] = x_dot + 0.02 * xacc
    state[2] = theta + 0.02 * theta_dot
    state[3] = theta_dot + 0.02 * thetaacc
    return state[0] < -2.4 or state[0] > 2.4 or state[2] < -_THETA_LIMIT or state[2] > _THETA_LIMIT


@njit(cache=True, fastmath=STRICT)
def _adam(theta, grad, m, v, t, lr):
    optimizer_step(theta, grad, m, v, t, lr, 1, 0.9, 0.999, 1e-8)


@njit(cache=True, fastmath=STRICT)
def _softmax_row(out, t, p):
    """Softmax of row ``t`` of ``out`` into ``p`` (shifted by the row maximum)."""
    K = out.shape[1]
    mx = out[t, 0]
    for k in range(1, K):
        if out[t, k] > mx:
            mx = out[t, k]
    tot = 0.0
    for k in range(K):
        p[k] = math.exp(out[t, k] - mx)
        tot += p[k]
    for k in range(K):
        p[k] /= tot


@njit(cache=True, fastmath=STRICT)
def policy_probs(theta, sizes, act, s, Z, A, M, p):
    """Action probabilities of the softmax policy network for one state ``s`` (into ``p``)."""
    mlp_forward(theta, sizes, act, s.reshape((1, s.size)), Z, A, M, 1.0)
    _softmax_row(A[-1], 0, p)


@njit(cache=True, fastmath=STRICT)
def reinforce_update(th_pi, sizes_pi, th_v, sizes_v, act, X, acts, rewards, gamma, lr_pi, lr_v, opt, t):
    """One REINFORCE step with a learned value baseline (Williams 1992; Sutton & Barto 2018, 13.4)
    from one episode (states X, actions, rewards): Adam on the normalized advantages
    ``G_t - V(s_t)``, and the value network regressed on the returns-to-go. ``opt`` holds the
    Adam moments (m_pi, v_pi, m_v, v_v); returns the new step count."""
    T = X.shape[0]
    K = sizes_pi[sizes_pi.size - 1]
    G = np.empty((T, 1))
    run = 0.0
    for i in range(T - 1, -1, -1):
        run = rewards[i] + gamma * run
        G[i, 0] = run
    Zv, Av, Mv = _buffers(sizes_v, T)
    mlp_forward(th_v, sizes_v, act, X, Zv, Av, Mv, 1.0)
    adv = np.empty(T)
    for i in range(T):
        adv[i] = G[i, 0] - Av[-1][i, 0]
    mu = adv.mean()
    sd = adv.std() + 1e-8
    Zp, Ap, Mp = _buffers(sizes_pi, T)
    mlp_forward(th_pi, sizes_pi, act, X, Zp, Ap, Mp, 1.0)
    Gp = np.empty((T, K))
    p = np.empty(K)
    for i in range(T):
        _softmax_row(Ap[-1], i, p)
        w = (adv[i] - mu) / sd / T
        for k in range(K):
            Gp[i, k] = (p[k] - (1.0 if acts[i] == k else 0.0)) * w
    g_pi, g_v = np.empty_like(th_pi), np.empty_like(th_v)
    mlp_backward(th_pi, sizes_pi, act, X, Zp, Ap, Mp, 1.0, Gp, g_pi, 0.0)
    t += 1
    _adam(th_pi, g_pi, opt[0], opt[1], t, lr_pi)
    Gv = np.empty((T, 1))
    output_loss(Av[-1], G, 1, Gv)
    mlp_backward(th_v, sizes_v, act, X, Zv, Av, Mv, 1.0, Gv, g_v, 0.0)
    _adam(th_v, g_v, opt[2], opt[3], t, lr_v)
    return t


@njit(cache=True, fastmath=STRICT)
def actor_critic_update(th_pi, sizes_pi, th_v, sizes_v, act, s, a, r, s_next, terminal, gamma, lr_pi, lr_v, opt, t):
    """One-step actor-critic (Sutton & Barto 2018, 13.5) after one transition: the TD error
    ``delta = r + gamma V(s') - V(s)`` (no bootstrap from a terminal state) updates the critic by
    ``-delta`` and the actor by ``delta * grad log pi(a | s)``; returns the new step count."""
    K = sizes_pi[sizes_pi.size - 1]
    Zv, Av, Mv = _buffers(sizes_v, 1)
    v_next = 0.0
    if not terminal:
        mlp_forward(th_v, sizes_v, act, s_next.reshape((1, s_next.size)), Zv, Av, Mv, 1.0)
        v_next = Av[-1][0, 0]
    x = s.reshape((1, s.size))
    mlp_forward(th_v, sizes_v, act, x, Zv, Av, Mv, 1.0)
    delta = r + gamma * v_next - Av[-1][0, 0]
    Gv = np.empty((1, 1))
    Gv[0, 0] = -delta
    g_pi, g_v = np.empty_like(th_pi), np.empty_like(th_v)
    mlp_backward(th_v, sizes_v, act, x, Zv, Av, Mv, 1.0, Gv, g_v, 0.0)
    t += 1
    _adam(th_v, g_v, opt[2], opt[3], t, lr_v)
    Zp, Ap, Mp = _buffers(sizes_pi, 1)
    mlp_forward(th_pi, sizes_pi, act, x, Zp, Ap, Mp, 1.0)
    p = np.empty(K)
    _softmax_row(Ap[-1], 0, p)
    Gp = np.empty((1, K))
    for k in range(K):
        Gp[0, k] = (p[k] - (1.0 if a == k else 0.0)) * delta
    mlp_backward(th_pi, sizes_pi, act, x, Zp, Ap, Mp, 1.0, Gp, g_pi, 0.0)
    _adam(th_pi, g_pi, opt[0], opt[1], t, lr_pi)
    return t


@njit(cache=True, fastmath=STRICT)
def _solved(returns, e, target):
    if target <= 0.0 or e < 99:
        return False
    s = 0.0
    for k in range(e - 99, e + 1):
        s += returns[k]
    return s / 100.0 >= target


@njit(cache=True, fastmath=STRICT)
def _moments(th_pi, th_v):
    return [np.zeros_like(th_pi), np.zeros_like(th_pi), np.zeros_like(th_v), np.zeros_like(th_v)]


@njit(cache=True, fastmath=STRICT)
def reinforce_cartpole(th_pi, sizes_pi, th_v, sizes_v, act, episodes, gamma, lr_pi, lr_v, seed, returns, target):
    """REINFORCE with a value baseline on the compiled CartPole-v1, one :func:`reinforce_update`
    per episode. ``returns[e]`` is episode e's length (= return). Stops once the mean of the last
    100 returns reaches ``target`` (> 0); returns the episodes run."""
    np.random.seed(seed)
    T_MAX = 500
    S = np.empty((T_MAX, 4))
    acts = np.empty(T_MAX, np.int64)
    ones = np.ones(T_MAX)
    Z1, A1, M1 = _buffers(sizes_pi, 1)
    p = np.empty(2)
    opt = _moments(th_pi, th_v)
    t = 0
    state = np.empty(4)
    for e in range(episodes):
        for j in range(4):
            state[j] = np.random.uniform(-0.05, 0.05)
        T = 0
        while T < T_MAX:
            S[T] = state
            policy_probs(th_pi, sizes_pi, act, state, Z1, A1, M1, p)
            a = _sample(p, np.random.random())
            acts[T] = a
            T += 1
            if cartpole_step(state, a):
                break
        returns[e] = T
        t = reinforce_update(
            th_pi, sizes_pi, th_v, sizes_v, act, S[:T].copy(), acts[:T], ones[:T], gamma, lr_pi, lr_v, opt, t
        )
        if _solved(returns, e, target):
            return e + 1
    return episodes


@njit(cache=True, fastmath=STRICT)
def actor_critic_cartpole(th_pi, sizes_pi, th_v, sizes_v, act, episodes, gamma, lr_pi, lr_v, seed, returns, target):
    """One-step actor-critic on the compiled CartPole-v1, one :func:`actor_critic_update` per step
    (a failure is terminal; the 500-step cut is not)."""
    np.random.seed(seed)
    Z1, A1, M1 = _buffers(sizes_pi, 1)
    p = np.empty(2)
    opt = _moments(th_pi, th_v)
    t = 0
    state = np.empty(4)
    nxt = np.empty(4)
    for e in range(episodes):
        for j in range(4):
            state[j] = np.random.uniform(-0.05, 0.05)
        T = 0
        while T < 500:
            policy_probs(th_pi, sizes_pi, act, state, Z1, A1, M1, p)
            a = _sample(p, np.random.random())
            nxt[:] = state
            term = cartpole_step(nxt, a)
            T += 1
            t = actor_critic_update(
                th_pi, sizes_pi, th_v, sizes_v, act, state, a, 1.0, nxt, term, gamma, lr_pi, lr_v, opt, t
            )
            state[:] = nxt
            if term:
                break
        returns[e] = T
        if _solved(returns, e, target):
            return e + 1
    return episodes


# --------------------------------------------------------------------------- recurrent layers
# cell 0, GRU (Cho et al. 2014): z = s(x Wz + h Uz + bz), r = s(x Wr + h Ur + br),
# n = tanh(x Wn + (r*h) Un + bn), h' = (1 - z) n + z h.
# cell 1, plain (Elman) RNN: h' = tanh(x W + h U + b).
# The last hidden state feeds a dense output layer. Flat parameters: the gates' W (D x H each),
# then their U (H x H each), then their b (H each), then Wo (H x K), bo (K).
CELL_GRU = 0
CELL_ELMAN = 1


@njit(cache=True, fastmath=STRICT)
def _gates(cell):
    return 3 if cell == CELL_GRU else 1


@njit(cache=True, fastmath=STRICT)
def rnn_size(D, H, K, cell):
    g = _gates(cell)
    return g * D * H + g * H * H + g * H + H * K + K


@njit(cache=True, fastmath=STRICT)
def _rnn_views(theta, D, H, K, cell):
    g = _gates(cell)
    o = 0
    W = []
    for _ in range(g):
        W.append(theta[o : o + D * H].reshape((D, H)))
        o += D * H
    U = []
    for _ in range(g):
        U.append(theta[o : o + H * H].reshape((H, H)))
        o += H * H
    b = []
    for _ in range(g):
        b.append(theta[o : o + H])
        o += H
    Wo = theta[o : o + H * K].reshape((H, K))
    o += H * K
    bo = theta[o : o + K]
    return W, U, b, Wo, bo


@njit(cache=True, fastmath=STRICT)
def _sigmoid_inplace(a):
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            v = a[i, j]
            a[i, j] = 1.0 / (1.0 + math.exp(-v)) if v >= 0.0 else math.exp(v) / (1.0 + math.exp(v))


@njit(cache=True, fastmath=STRICT)
def rnn_forward(theta, D, H, K, X, Hs, Zs, Rs, Ns, cell):
    """X: (B, T, D). Fills hidden states Hs (T+1, B, H) and gates (T, B, H); returns outputs (B, K)."""
    W, U, b, Wo, bo = _rnn_views(theta, D, H, K, cell)
    T = X.shape[1]
    Hs[0] = 0.0
    for t in range(T):
        x = np.ascontiguousarray(X[:, t, :])
        h = Hs[t]
        if cell == CELL_ELMAN:
            n = np.tanh(np.dot(x, W[0]) + np.dot(h, U[0]) + b[0])
            Ns[t] = n
            Hs[t + 1] = n
            continue
        z = np.dot(x, W[0]) + np.dot(h, U[0]) + b[0]
        r = np.dot(x, W[1]) + np.dot(h, U[1]) + b[1]
        _sigmoid_inplace(z)
        _sigmoid_inplace(r)
        n = np.tanh(np.dot(x, W[2]) + np.dot(r * h, U[2]) + b[2])
        Zs[t] = z
        Rs[t] = r
        Ns[t] = n
        Hs[t + 1] = (1.0 - z) * n + z * h
    return np.dot(Hs[T], Wo) + bo


@njit(cache=True, fastmath=STRICT)
def _add_colsum(dst, a):
    for j in range(a.shape[1]):
        s = 0.0
        for i in range(a.shape[0]):
            s += a[i, j]
        dst[j] += s


@njit(cache=True, fastmath=STRICT)
def rnn_backward(theta, D, H, K, X, Hs, Zs, Rs, Ns, G, grad, cell):
    """Backpropagation through time of ``G`` = d loss / d outputs; writes the gradient to ``grad``."""
    W, U, b, Wo, bo = _rnn_views(theta, D, H, K, cell)
    gW, gU, gb, gWo, gbo = _rnn_views(grad, D, H, K, cell)
    grad[:] = 0.0
    T = X.shape[1]
    gWo[:, :] = np.dot(Hs[T].T, G)
    _add_colsum(gbo, G)
    dh = np.dot(G, Wo.T)
    for t in range(T - 1, -1, -1):
        x = np.ascontiguousarray(X[:, t, :])
        h = Hs[t]
        n = Ns[t]
        if cell == CELL_ELMAN:
            dan = dh * (1.0 - n * n)
            gW[0][:, :] += np.dot(x.T, dan)
            gU[0][:, :] += np.dot(h.T, dan)
            _add_colsum(gb[0], dan)
            dh = np.dot(dan, U[0].T)
            continue
        z, r = Zs[t], Rs[t]
        dn = dh * (1.0 - z)
        dz = dh * (h - n)
        dprev = dh * z
        dan = dn * (1.0 - n * n)
        rh = r * h
        gW[2][:, :] += np.dot(x.T, dan)
        gU[2][:, :] += np.dot(rh.T, dan)
        drh = np.dot(dan, U[2].T)
        dr = drh * h
        dprev += drh * r
        daz = dz * z * (1.0 - z)
        dar = dr * r * (1.0 - r)
        gW[0][:, :] += np.dot(x.T, daz)
        gU[0][:, :] += np.dot(h.T, daz)
        gW[1][:, :] += np.dot(x.T, dar)
        gU[1][:, :] += np.dot(h.T, dar)
        dprev += np.dot(daz, U[0].T) + np.dot(dar, U[1].T)
        _add_colsum(gb[0], daz)
        _add_colsum(gb[1], dar)
        _add_colsum(gb[2], dan)
        dh = dprev


@njit(cache=True, fastmath=STRICT)
def _rnn_buffers(B, T, H):
    return np.empty((T + 1, B, H)), np.empty((T, B, H)), np.empty((T, B, H)), np.empty((T, B, H))


@njit(cache=True, fastmath=STRICT)
def rnn_loss_grad(theta, D, H, K, task, X, Y, cell):
    Hs, Zs, Rs, Ns = _rnn_buffers(X.shape[0], X.shape[1], H)
    out = rnn_forward(theta, D, H, K, X, Hs, Zs, Rs, Ns, cell)
    G = np.empty_like(out)
    loss = output_loss(out, Y, task, G)
    grad = np.empty_like(theta)
    rnn_backward(theta, D, H, K, X, Hs, Zs, Rs, Ns, G, grad, cell)
    return loss, grad


@njit(cache=True, fastmath=STRICT)
def rnn_predict(theta, D, H, K, X, cell):
    Hs, Zs, Rs, Ns = _rnn_buffers(X.shape[0], X.shape[1], H)
    return rnn_forward(theta, D, H, K, X, Hs, Zs, Rs, Ns, cell)


@njit(cache=True, fastmath=STRICT)
def rnn_epoch(theta, D, H, K, task, X, Y, batch, lr, m, v, t, clip, cell):
    """One epoch of minibatch Adam with global gradient-norm clipping at ``clip`` (0: none)."""
    N = X.shape[0]
    order = np.random.permutation(N)
    total = 0.0
    for start in range(0, N, batch):
        B = min(batch, N - start)
        Xb = np.empty((B, X.shape[1], X.shape[2]))
        Yb = np.empty((B, Y.shape[1]))
        for i in range(B):
            Xb[i] = X[order[start + i]]
            Yb[i] = Y[order[start + i]]
        loss, grad = rnn_loss_grad(theta, D, H, K, task, Xb, Yb, cell)
        if clip > 0.0:
            nrm = math.sqrt(np.sum(grad * grad))
            if nrm > clip:
                grad *= clip / nrm
        total += loss * B
        t += 1
        optimizer_step(theta, grad, m, v, t, lr, 1, 0.9, 0.999, 1e-8)
    return total / N, t


# --------------------------------------------------------------------------- convolution
# Blocks of conv (valid, stride 1) -> ReLU -> max pool, then a dense softmax/linear layer, on
# inputs (B, C, H, W); a 1-D signal is an image of height 1 with kernels (1, k) and pools (1, p).
# Flat parameters: W1 (C1, C0, kh, kw), b1 (C1), [W2 (C2, C1, kh, kw), b2 (C2)], Wd (F, K), bd (K).


@njit(cache=True, fastmath=STRICT)
def _im2col(x, kh, kw):
    """Rows (n, i, j) of the valid windows: cols[(n Ho + i) Wo + j, (c kh + a) kw + b] = x[n, c, i + a, j + b]."""
    B, Ci, Hh, Ww = x.shape
    Ho, Wo = Hh - kh + 1, Ww - kw + 1
    cols = np.empty((B * Ho * Wo, Ci * kh * kw))
    for n in range(B):
        for c in range(Ci):
            for i in range(Ho):
                for j in range(Wo):
                    r = (n * Ho + i) * Wo + j
                    for a in range(kh):
                        for b in range(kw):
                            cols[r, (c * kh + a) * kw + b] = x[n, c, i + a, j + b]
    return cols


@njit(cache=True, fastmath=STRICT)
def conv2d_forward(x, W, b):
    """Valid, stride-1 convolution (cross-correlation) of x (B, Ci, H, W) with W (Co, Ci, kh, kw) plus
    b: (B, Co, H - kh + 1, W - kw + 1), as one matrix product over the im2col windows."""
    B, Ci, Hh, Ww = x.shape
    Co, _, kh, kw = W.shape
    Ho, Wo = Hh - kh + 1, Ww - kw + 1
    yf = np.dot(_im2col(x, kh, kw), np.ascontiguousarray(W.reshape((Co, Ci * kh * kw)).T))
    y = np.empty((B, Co, Ho, Wo))
    for n in range(B):
        for o in range(Co):
            for i in range(Ho):
                for j in range(Wo):
                    y[n, o, i, j] = yf[(n * Ho + i) * Wo + j, o] + b[o]
    return y


@njit(cache=True, fastmath=STRICT)
def _conv2d_backward(x, W, dy, dW, db, need_dx):
    B, Ci, Hh, Ww = x.shape
    Co, _, kh, kw = W.shape
    Ho, Wo = dy.shape[2], dy.shape[3]
    g = np.empty((B * Ho * Wo, Co))
    for n in range(B):
        for o in range(Co):
            for i in range(Ho):
                for j in range(Wo):
                    v = dy[n, o, i, j]
                    g[(n * Ho + i) * Wo + j, o] = v
                    db[o] += v
    dWf = dW.reshape((Co, Ci * kh * kw))
    dWf += np.dot(g.T, _im2col(x, kh, kw))
    dx = np.zeros_like(x)
    if need_dx:
        dcols = np.dot(g, np.ascontiguousarray(W.reshape((Co, Ci * kh * kw))))
        for n in range(B):
            for c in range(Ci):
                for i in range(Ho):
                    for j in range(Wo):
                        r = (n * Ho + i) * Wo + j
                        for a in range(kh):
                            for b in range(kw):
                                dx[n, c, i + a, j + b] += dcols[r, (c * kh + a) * kw + b]
    return dx


@njit(cache=True, fastmath=STRICT)
def conv2d_backward(x, W, dy, dW, db):
    """Accumulates dW, db and returns dx for y = conv2d(x, W) + b."""
    return _conv2d_backward(x, W, dy, dW, db, True)


@njit(cache=True, fastmath=STRICT)
def conv1d_forward(x, W, b):
    """Valid convolution of signals x (B, Ci, L) with W (Co, Ci, k): a height-1 image."""
    B, Ci, L = x.shape
    Co, _, k = W.shape
    y = conv2d_forward(
        np.ascontiguousarray(x).reshape((B, Ci, 1, L)), np.ascontiguousarray(W).reshape((Co, Ci, 1, k)), b
    )
    return y.reshape((B, Co, L - k + 1))


@njit(cache=True, fastmath=STRICT)
def relu_pool2d_forward(y, ph, pw):
    """ReLU then non-overlapping (ph, pw) max pooling; returns the pooled output and each window's
    argmax as a flat index ``i * W + j`` into the input plane."""
    B, C, Hh, Ww = y.shape
    Hp, Wp = Hh // ph, Ww // pw
    out = np.empty((B, C, Hp, Wp))
    idx = np.empty((B, C, Hp, Wp), np.int64)
    for n in range(B):
        for c in range(C):
            for i in range(Hp):
                for j in range(Wp):
                    bi, bj = i * ph, j * pw
                    for a in range(i * ph, i * ph + ph):
                        for b in range(j * pw, j * pw + pw):
                            if y[n, c, a, b] > y[n, c, bi, bj]:
                                bi, bj = a, b
                    v = y[n, c, bi, bj]
                    out[n, c, i, j] = v if v > 0.0 else 0.0
                    idx[n, c, i, j] = bi * Ww + bj
    return out, idx


@njit(cache=True, fastmath=STRICT)
def relu_pool2d_backward(dout, idx, y):
    B, C, Hp, Wp = dout.shape
    Ww = y.shape[3]
    dy = np.zeros_like(y)
    for n in range(B):
        for c in range(C):
            for i in range(Hp):
                for j in range(Wp):
                    f = idx[n, c, i, j]
                    a, b = f // Ww, f % Ww
                    if y[n, c, a, b] > 0.0:
                        dy[n, c, a, b] += dout[n, c, i, j]
    return dy


@njit(cache=True, fastmath=STRICT)
def relu_pool_forward(y, p):
    """ReLU then max pooling of width ``p`` over signals (B, C, L); argmax positions along L."""
    B, C, L = y.shape
    out, idx = relu_pool2d_forward(np.ascontiguousarray(y).reshape((B, C, 1, L)), 1, p)
    return out.reshape((B, C, L // p)), idx.reshape((B, C, L // p))


@njit(cache=True, fastmath=STRICT)
def cnn_sizes(C0, H0, W0, C1, C2, kh, kw, ph, pw, K):
    """Plane sizes after each block and the parameter count; ``C2 = 0`` means one block."""
    H1, W1 = (H0 - kh + 1) // ph, (W0 - kw + 1) // pw
    if C2 > 0:
        H2, W2 = (H1 - kh + 1) // ph, (W1 - kw + 1) // pw
        F = C2 * H2 * W2
        n = C1 * C0 * kh * kw + C1 + C2 * C1 * kh * kw + C2 + F * K + K
    else:
        H2, W2 = H1, W1
        F = C1 * H1 * W1
        n = C1 * C0 * kh * kw + C1 + F * K + K
    return H1, W1, H2, W2, F, n


@njit(cache=True, fastmath=STRICT)
def _cnn_views(theta, C0, C1, C2, kh, kw, F, K):
    o = 0
    W1 = theta[o : o + C1 * C0 * kh * kw].reshape((C1, C0, kh, kw))
    o += C1 * C0 * kh * kw
    b1 = theta[o : o + C1]
    o += C1
    W2 = theta[o : o + C2 * C1 * kh * kw].reshape((C2, C1, kh, kw))
    o += C2 * C1 * kh * kw
    b2 = theta[o : o + C2]
    o += C2
    Wd = theta[o : o + F * K].reshape((F, K))
    o += F * K
    bd = theta[o : o + K]
    return W1, b1, W2, b2, Wd, bd


@njit(cache=True, fastmath=STRICT)
def cnn_loss_grad(theta, C0, H0, W0, C1, C2, kh, kw, ph, pw, K, task, X, Y, want_grad):
    """Loss (and gradient when ``want_grad``) of the one- or two-block CNN on X (B, C0, H0, W0)."""
    H1, W1_, H2, W2_, F, n = cnn_sizes(C0, H0, W0, C1, C2, kh, kw, ph, pw, K)
    W1, b1, W2, b2, Wd, bd = _cnn_views(theta, C0, C1, C2, kh, kw, F, K)
    B = X.shape[0]
    y1 = conv2d_forward(X, W1, b1)
    h1, i1 = relu_pool2d_forward(y1, ph, pw)
    if C2 > 0:
        y2 = conv2d_forward(h1, W2, b2)
        h2, i2 = relu_pool2d_forward(y2, ph, pw)
    else:
        y2, h2, i2 = y1, h1, i1
    flat = np.ascontiguousarray(h2).reshape((B, F))
    out = np.dot(flat, Wd)
    for i in range(B):
        for j in range(K):
            out[i, j] += bd[j]
    G = np.empty_like(out)
    loss = output_loss(out, Y, task, G)
    grad = np.zeros_like(theta)
    if want_grad:
        gW1, gb1, gW2, gb2, gWd, gbd = _cnn_views(grad, C0, C1, C2, kh, kw, F, K)
        gWd[:, :] = np.dot(flat.T, G)
        for j in range(K):
            s = 0.0
            for i in range(B):
                s += G[i, j]
            gbd[j] = s
        dh = np.dot(G, Wd.T).reshape(h2.shape)
        if C2 > 0:
            dy2 = relu_pool2d_backward(dh, i2, y2)
            dh = _conv2d_backward(h1, W2, dy2, gW2, gb2, True)
        dy1 = relu_pool2d_backward(dh, i1, y1)
        _conv2d_backward(X, W1, dy1, gW1, gb1, False)  # no gradient for the input
    return loss, grad, out


@njit(cache=True, fastmath=STRICT)
def cnn_epoch(theta, C0, H0, W0, C1, C2, kh, kw, ph, pw, K, task, X, Y, batch, lr, m, v, t):
    N = X.shape[0]
    order = np.random.permutation(N)
    total = 0.0
    for start in range(0, N, batch):
        B = min(batch, N - start)
        Xb = np.empty((B, C0, H0, W0))
        Yb = np.empty((B, Y.shape[1]))
        for i in range(B):
            Xb[i] = X[order[start + i]]
            Yb[i] = Y[order[start + i]]
        loss, grad, _ = cnn_loss_grad(theta, C0, H0, W0, C1, C2, kh, kw, ph, pw, K, task, Xb, Yb, True)
        total += loss * B
        t += 1
        optimizer_step(theta, grad, m, v, t, lr, 1, 0.9, 0.999, 1e-8)
    return total / N, t
