"""Metaheuristics as *ask/tell* steps (differential evolution, particle swarm, a real-coded genetic algorithm,
simulated annealing) and the compiled loops that run them with a numba objective.

A Python objective drives the very same ask/tell steps from Python; with one seed both give identical
results. Randomness is numba's generator, seeded by :func:`workbench.ai._kernels.objectives.seed`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import float64, int64, njit, types

from ..._config import STRICT
from ..._kernels import argmin
from .objectives import OBJECTIVE

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
    b = argmin(fit, n)
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
    g = argmin(pbest_f, n)
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


#: Method codes of :func:`run`.
DE, PSO, GA, SA = 0, 1, 2, 3


@njit(
    types.Tuple((float64, int64))(
        int64,
        OBJECTIVE,
        float64[::1],
        float64[::1],
        int64,
        float64[::1],
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
def run(method, f, lo, hi, n, prm, budget, s, best_x, hist, gen_best, snaps, snap_every):
    """The one generation loop of every method, compiled with a numba objective ``f``: evaluate the
    first population, then ask / evaluate / tell until ``budget`` evaluations, recording the best so
    far after each evaluation (``hist``), after each generation (``gen_best``) and a population
    snapshot every ``snap_every`` generations. ``prm`` holds the method's parameters: DE (F, CR),
    PSO (chi, c1, c2, vfrac), GA (pc, eta_c, pm, eta_m, tournament size), SA (T0, alpha, p_local);
    simulated annealing is a population of one. Returns (best value, generations)."""
    np.random.seed(s)
    d = lo.size
    v = np.empty((0, d))
    vmax = np.empty(0)
    pbest = np.empty((0, d))
    bx = np.empty(d)
    bf = np.empty(1)
    T = np.empty(1)
    step = np.empty(d)
    stats = np.zeros(2, np.int64)
    if method == SA:
        n = 1
        pop, fit, bx, bf, T, step, stats = sa_init(lo, hi, prm[0])
    elif method == PSO:
        pop, v, vmax = pso_init(n, lo, hi, prm[3])
        pbest = pop.copy()
        fit = np.empty(n)
    else:
        pop = uniform_population(n, lo, hi)
        fit = np.empty(n)
    m = min(n, budget)
    _evaluate(f, pop, m, fit)
    fit[m:] = np.inf
    if method == SA:
        bf[0] = fit[0]
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
        if method == DE:
            de_ask(pop, fit, prm[0], prm[1], lo, hi, trials)
        elif method == PSO:
            pso_ask(pop, v, pbest, fit, prm[0], prm[1], prm[2], vmax, lo, hi, trials)
        elif method == GA:
            ga_ask(pop, fit, prm[0], prm[1], prm[2], prm[3], np.int64(prm[4]), lo, hi, trials)
        else:
            sa_ask(pop[0], bx, step, prm[2], lo, hi, trials)
        k = min(n, budget - evals)
        _evaluate(f, trials, k, tfit)
        best = record(tfit, k, best, hist, evals)
        evals += k
        if method == DE:
            de_tell(pop, fit, trials, tfit, k)
        elif method == PSO:
            pso_tell(pop, pbest, fit, tfit, k)
        elif method == GA:
            ga_tell(pop, fit, trials, tfit, k)
        else:
            sa_tell(pop[0], fit, bx, bf, T, step, stats, trials[0], tfit[0], prm[1], lo, hi)
    if method == SA:
        best_x[:] = bx
    elif method == PSO:
        best_x[:] = pbest[argmin(fit, n)]
    else:
        best_x[:] = pop[argmin(fit, n)]
    return best, gen
