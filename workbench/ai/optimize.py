"""Metaheuristics behind one ``minimize``: differential evolution, particle swarm, a real-coded
genetic algorithm and simulated annealing, with full convergence histories.

An objective compiled with numba (``@njit``, taking a float64 vector and returning a float)
runs the whole search compiled, at a few nanoseconds of overhead per evaluation; any other
Python callable drives the same ask/tell steps from Python. With one seed both paths give
identical results.

==========  =====================================================================================
method      algorithm (defaults)
==========  =====================================================================================
``de``      DE/best/1/bin (Storn & Price 1997): population 40, F = 0.5, CR = 0.2 (low CR suits
            separable functions; use 0.9 for rotated ones), bounce-back at the bounds
``pso``     constriction PSO (Clerc & Kennedy 2002): 40 particles, chi = 0.7298, c1 = c2 = 2.05,
            global best, velocity clamp 20% of the range
``ga``      real-coded GA (Deb): tournament of 2, SBX crossover (p 0.9, eta 15), polynomial
            mutation (p 1/d, eta 20), (mu + lambda) survival, population 100
``sa``      simulated annealing: one-coordinate Gaussian moves with an adaptive step (acceptance
            towards 0.44), geometric cooling, and local-search moves around the best point
==========  =====================================================================================

Examples
--------
>>> res = minimize("rastrigin", [(-5.12, 5.12)] * 3, method="de", seed=0, budget=6_000)
>>> bool(res.fun < 1e-6), res.nfev
(True, 6000)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numba
import numpy as np
import pandas as pd
from numba import float64
from numba.extending import is_jitted

from ..errors import Int, KernelSeed, WorkbenchError, check
from ..results import Result, one_row
from . import _kernels as K

__all__ = ["minimize", "OptimizeResult", "OptimizationError", "METHODS", "TEST_FUNCTIONS", "benchmark_function"]

METHODS = ("de", "pso", "ga", "sa")
_VEC = float64[::1]

#: Benchmark functions (all with minimum 0) and their usual search domains.
TEST_FUNCTIONS = {
    "sphere": (K.sphere, (-5.12, 5.12), "zeros"),
    "rastrigin": (K.rastrigin, (-5.12, 5.12), "zeros"),
    "rosenbrock": (K.rosenbrock, (-5.0, 10.0), "ones"),
    "ackley": (K.ackley, (-32.768, 32.768), "zeros"),
    "griewank": (K.griewank, (-600.0, 600.0), "zeros"),
}

_DEFAULTS = {
    "de": {"pop_size": 40, "F": 0.5, "CR": 0.2},
    "pso": {"pop_size": 40, "chi": 0.7298, "c1": 2.05, "c2": 2.05, "vmax": 0.2},
    "ga": {"pop_size": 100, "pc": 0.9, "eta_c": 15.0, "pm": None, "eta_m": 20.0, "tournament": 2},
    "sa": {"T0": 10.0, "alpha": None, "p_local": 0.2},
}


class OptimizationError(WorkbenchError):
    """Bad input to :func:`minimize` (unknown method, bad bounds or budget, a broken objective).

    A :class:`~workbench.errors.WorkbenchError` (so a :class:`ValueError`) whose message says what is allowed.

    Examples
    --------
    >>> from workbench.ai import OptimizationError, minimize
    >>> try:
    ...     minimize("sphere", [(-1.0, 1.0)], method="nelder-mead")
    ... except OptimizationError as err:
    ...     print(err)
    unknown method 'nelder-mead'; choose one of ('de', 'pso', 'ga', 'sa')
    """


def benchmark_function(name: str):
    """The compiled benchmark function ``name`` (one of :data:`TEST_FUNCTIONS`).

    Parameters
    ----------
    name : {"sphere", "rastrigin", "rosenbrock", "ackley", "griewank"}
        The benchmark (:data:`TEST_FUNCTIONS` also lists its usual search domain).

    Returns
    -------
    numba.core.registry.CPUDispatcher
        A numba ``@njit`` function ``f(x) -> float`` of a float64 vector of any length, with minimum 0
        (at the origin, or at all ones for ``rosenbrock``); :func:`minimize` runs it compiled.

    Raises
    ------
    OptimizationError
        If ``name`` is not a benchmark function.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.ai import benchmark_function
    >>> f = benchmark_function("rastrigin")
    >>> f(np.zeros(3)), f(np.ones(2))
    (0.0, 2.0)
    """
    try:
        return TEST_FUNCTIONS[name][0]
    except KeyError:
        raise OptimizationError(f"unknown test function {name!r}; available: {sorted(TEST_FUNCTIONS)}") from None


@dataclass
class OptimizeResult(Result):
    """Best point ``x`` and value ``fun`` after ``nfev`` evaluations, with the histories.

    ``history``: best-so-far after every evaluation; ``generations``: best-so-far per
    generation; ``snapshots``: population positions every ``snapshot_every`` generations
    (tidy: generation, individual, x0, x1, ... ), empty unless requested.

    Parameters
    ----------
    x : numpy.ndarray
        The best point found.
    fun : float
        The objective at ``x``.
    nfev : int
        Objective evaluations spent (the budget).
    method : str
        The metaheuristic that ran (one of :data:`METHODS`).
    seed : int
        The seed of the run.
    history : pandas.DataFrame
        Best-so-far value after every evaluation: columns evaluation, best.
    generations : pandas.DataFrame
        Best-so-far value per generation: columns generation, evaluations, best.
    snapshots : pandas.DataFrame
        Population positions (generation, individual, x0, x1, ...); no rows unless requested.
    compiled : bool, default True
        Whether the search ran as one compiled loop (a numba objective) rather than from Python.
    params : dict, optional
        The inputs of :func:`minimize`. Default: an empty dict.

    Examples
    --------
    >>> from workbench.ai import minimize
    >>> res = minimize("sphere", [(-5.12, 5.12)] * 2, method="pso", seed=0, budget=400)
    >>> res.nfev, res.x.shape, len(res.history), bool(res.fun < 1e-2)
    (400, (2,), 400, True)
    """

    x: np.ndarray
    fun: float
    nfev: int
    method: str
    seed: int
    history: pd.DataFrame
    generations: pd.DataFrame
    snapshots: pd.DataFrame = field(repr=False)
    compiled: bool = True
    params: dict = field(default_factory=dict, repr=False)
    frames = ("history", "generations", "snapshots")

    def summary(self) -> pd.DataFrame:
        """One row: method, seed, evaluations, generations, the best value found.

        Returns
        -------
        pandas.DataFrame
            One row with columns method, seed, evaluations, generations, best_value.
        """
        return one_row(
            method=self.method,
            seed=self.seed,
            evaluations=self.nfev,
            generations=len(self.generations),
            best_value=self.fun,
        )

    def evaluations_to(self, tol: float) -> int | None:
        """Evaluations needed for the best value to reach ``tol`` (None if it never did).

        Parameters
        ----------
        tol : float
            The target: the first evaluation whose best-so-far value is <= ``tol`` counts.

        Returns
        -------
        int or None
            The number of evaluations (1-based), or None if the run never reached ``tol``.
        """
        hit = np.flatnonzero(self.history.best.to_numpy() <= tol)
        return int(hit[0]) + 1 if hit.size else None


def _bounds(bounds):
    try:
        b = np.asarray(bounds, dtype=np.float64)
    except (TypeError, ValueError):
        raise OptimizationError("bounds must be a sequence of (low, high) pairs") from None
    if b.ndim != 2 or b.shape[1] != 2 or b.shape[0] < 1:
        raise OptimizationError(f"bounds must have shape (d, 2) with d >= 1, got {b.shape}")
    if not np.isfinite(b).all():
        raise OptimizationError("bounds must be finite")
    bad = np.flatnonzero(b[:, 0] >= b[:, 1])
    if bad.size:
        raise OptimizationError(f"bound {int(bad[0])} has low >= high: {tuple(b[bad[0]])}")
    return np.ascontiguousarray(b[:, 0]), np.ascontiguousarray(b[:, 1])


def _params(method, d, overrides):
    p = dict(_DEFAULTS[method])
    unknown = set(overrides) - set(p)
    if unknown:
        raise OptimizationError(f"unknown option(s) {sorted(unknown)} for {method!r}; allowed: {sorted(p)}")
    p.update({k: v for k, v in overrides.items() if v is not None})
    if "pop_size" in p and (not isinstance(p["pop_size"], (int, np.integer)) or p["pop_size"] < 4):
        raise OptimizationError(f"pop_size must be an int >= 4, got {p['pop_size']!r}")
    if method == "ga" and p["pm"] is None:
        p["pm"] = 1.0 / d
    return p


class _Python:
    """The ask/tell steps driven from Python for an arbitrary callable."""

    def __init__(self, method, f, lo, hi, p, budget):
        self.method, self.f, self.lo, self.hi, self.p = method, f, lo, hi, p
        if method == "pso":
            self.pop, self.v, self.vmax = K.pso_init(p["pop_size"], lo, hi, p["vmax"])
        elif method == "sa":
            self.pop, self.fit, self.bx, self.bf, self.T, self.sigma, self.stats = K.sa_init(lo, hi, p["T0"])
        else:
            self.pop = K.uniform_population(p["pop_size"], lo, hi)
        if method != "sa":
            self.fit = np.full(len(self.pop), np.inf)
        self.trials = np.empty_like(self.pop)

    def evaluate(self, X, k, out):
        for i in range(k):
            try:
                v = float(self.f(X[i].copy()))
            except (TypeError, ValueError) as exc:
                raise OptimizationError(f"the objective must return a real number: {exc}") from None
            out[i] = v if v == v else np.inf
        return out

    def first(self, hist):
        k = min(len(self.pop), hist.size)
        self.evaluate(self.pop, k, self.fit)
        if self.method == "pso":
            self.pbest = self.pop.copy()
        if self.method == "sa":
            self.bf[0] = self.fit[0]
        return K.record(self.fit, k, np.inf, hist, 0), k

    def step(self, k, hist, evals, best):
        p, lo, hi = self.p, self.lo, self.hi
        if self.method == "de":
            K.de_ask(self.pop, self.fit, p["F"], p["CR"], lo, hi, self.trials)
        elif self.method == "pso":
            K.pso_ask(
                self.pop, self.v, self.pbest, self.fit, p["chi"], p["c1"], p["c2"], self.vmax, lo, hi, self.trials
            )
        elif self.method == "ga":
            K.ga_ask(self.pop, self.fit, p["pc"], p["eta_c"], p["pm"], p["eta_m"], p["tournament"], lo, hi, self.trials)
        else:
            K.sa_ask(self.pop[0], self.bx, self.sigma, p["p_local"], lo, hi, self.trials)
        tfit = self.evaluate(self.trials, k, np.empty(len(self.trials)))
        best = K.record(tfit, k, best, hist, evals)
        if self.method == "de":
            K.de_tell(self.pop, self.fit, self.trials, tfit, k)
        elif self.method == "pso":
            K.pso_tell(self.pop, self.pbest, self.fit, tfit, k)
        elif self.method == "ga":
            K.ga_tell(self.pop, self.fit, self.trials, tfit, k)
        else:
            K.sa_tell(
                self.pop[0],
                self.fit,
                self.bx,
                self.bf,
                self.T,
                self.sigma,
                self.stats,
                self.trials[0],
                tfit[0],
                p["alpha"],
                lo,
                hi,
            )
        return best

    def best_x(self):
        if self.method == "sa":
            return self.bx.copy()
        src = self.pbest if self.method == "pso" else self.pop
        return src[int(np.argmin(self.fit))].copy()


def _run_python(method, f, lo, hi, p, budget, s, hist, gen_best, snaps, snap_every):
    K.seed(s)
    alg = _Python(method, f, lo, hi, p, budget)
    best, evals = alg.first(hist)
    n = len(alg.pop)
    gen = 0
    while True:
        if gen < gen_best.size:
            gen_best[gen] = best
        if snap_every > 0 and gen % snap_every == 0 and gen // snap_every < snaps.shape[0]:
            snaps[gen // snap_every] = alg.pop
        gen += 1
        if evals >= budget:
            break
        k = min(n, budget - evals)
        best = alg.step(k, hist, evals, best)
        evals += k
    return alg.best_x(), best, gen


def minimize(
    f,
    bounds,
    *,
    method: str = "de",
    seed: int = 0,
    budget: int = 10_000,
    snapshot_every: int = 0,
    max_snapshots: int = 200,
    **options,
) -> OptimizeResult:
    """Minimize ``f`` over a box with a metaheuristic; returns an :class:`OptimizeResult`.

    Parameters
    ----------
    f : callable or str
        ``f(x) -> float`` for a float64 vector ``x``; a numba ``@njit`` function runs the
        compiled loop. A name from :data:`TEST_FUNCTIONS` picks a benchmark function.
    bounds : sequence of (low, high)
        One pair per dimension, ``low < high``.
    method : {"de", "pso", "ga", "sa"}, default "de"
        The metaheuristic (:data:`METHODS`; see the module docstring).
    seed : int, default 0
        Same seed, same result (numba's generator is seeded; compiled and Python paths agree); in
        [0, 2**32).
    budget : int, default 10_000
        Objective evaluations, in [1, 10**9].
    snapshot_every : int, default 0
        Record the population every this many generations (0: never), at most ``max_snapshots``; in
        [0, 10**9].
    max_snapshots : int, default 200
        The most population snapshots kept, in [0, 10**6].
    **options
        Method parameters overriding the defaults listed in the module docstring: ``pop_size`` (an int
        >= 4), ``F`` and ``CR`` (de); ``chi``, ``c1``, ``c2``, ``vmax`` (pso); ``pc``, ``eta_c``, ``pm``,
        ``eta_m``, ``tournament`` (ga); ``T0``, ``alpha``, ``p_local`` (sa). A None value keeps the default.

    Returns
    -------
    OptimizeResult
        ``x`` and ``fun`` (the best point and value), ``nfev``, and the ``history``, ``generations`` and
        ``snapshots`` frames.

    Raises
    ------
    OptimizationError
        If ``method`` or an option is unknown, ``f`` is neither callable nor a benchmark name, the bounds
        are not finite ``(low, high)`` pairs with ``low < high``, ``budget``, ``seed``, ``snapshot_every``,
        ``max_snapshots`` or ``pop_size`` is out of range, or the objective does not return a real number
        (a numba objective: does not compile for a float64 vector).

    Examples
    --------
    >>> from workbench.ai import minimize
    >>> res = minimize(lambda x: float((x**2).sum()), [(-1.0, 1.0)] * 2, method="de", seed=0, budget=200)
    >>> res.nfev, bool(res.fun < 1e-3), res.generations.columns.tolist()
    (200, True, ['generation', 'evaluations', 'best'])
    """
    if method not in METHODS:
        raise OptimizationError(f"unknown method {method!r}; choose one of {METHODS}")
    if isinstance(f, str):
        f = benchmark_function(f)
    if not callable(f):
        raise OptimizationError(f"f must be callable or a test function name, got {type(f).__name__}")
    lo, hi = _bounds(bounds)
    budget = check("budget (objective evaluations)", budget, Int(1, 10**9), OptimizationError)
    seed = check("seed", seed, KernelSeed(), OptimizationError)
    snapshot_every = check("snapshot_every", snapshot_every, Int(0, 10**9), OptimizationError)
    max_snapshots = check("max_snapshots", max_snapshots, Int(0, 10**6), OptimizationError)
    p = _params(method, lo.size, options)
    if method == "sa" and p["alpha"] is None:
        p["alpha"] = float(1e-6 ** (1.0 / max(budget, 2)))  # cool by 1e6 over the budget
    n = 1 if method == "sa" else int(p["pop_size"])
    budget, seed = int(budget), int(seed)
    hist = np.full(budget, np.nan)
    max_gen = 2 + (budget - min(n, budget) + n - 1) // n
    gen_best = np.full(max_gen, np.nan)
    snaps = np.zeros((max_snapshots if snapshot_every else 0, n, lo.size))
    best_x = np.empty(lo.size)
    # with NUMBA_DISABLE_JIT (the kernel coverage pass) the shipped test functions still take the
    # "compiled" loops, which then run as plain Python
    shipped = any(f is t[0] for t in TEST_FUNCTIONS.values())
    compiled = bool(is_jitted(f) or (numba.config.DISABLE_JIT and shipped))
    if is_jitted(f):
        try:
            if (_VEC,) not in f.signatures:
                f.compile("float64(float64[::1])")
        except Exception as exc:  # numba typing errors are long; keep the first line
            raise OptimizationError(
                f"the numba objective must take a float64 vector and return a float: {str(exc).splitlines()[0]}"
            ) from None
    if compiled:
        code, prm = {
            "de": lambda: (K.DE, (p["F"], p["CR"])),
            "pso": lambda: (K.PSO, (p["chi"], p["c1"], p["c2"], p["vmax"])),
            "ga": lambda: (K.GA, (p["pc"], p["eta_c"], p["pm"], p["eta_m"], int(p["tournament"]))),
            "sa": lambda: (K.SA, (p["T0"], p["alpha"], p["p_local"])),
        }[method]()
        best, gens = K.run(
            code,
            f,
            lo,
            hi,
            n,
            np.array(prm, np.float64),
            budget,
            seed,
            best_x,
            hist,
            gen_best,
            snaps,
            int(snapshot_every),
        )
    else:
        best_x, best, gens = _run_python(method, f, lo, hi, p, budget, seed, hist, gen_best, snaps, int(snapshot_every))
    history = pd.DataFrame({"evaluation": np.arange(1, budget + 1), "best": hist})
    per_gen = np.minimum(np.arange(gens) * n + min(n, budget), budget)
    generations = pd.DataFrame({"generation": np.arange(gens), "evaluations": per_gen, "best": gen_best[:gens]})
    snapshots = _snapshot_frame(snaps, gens, int(snapshot_every))
    return OptimizeResult(
        best_x,
        float(best),
        budget,
        method,
        seed,
        history,
        generations,
        snapshots,
        compiled,
        {
            "f": f,
            "bounds": bounds,
            "method": method,
            "seed": seed,
            "budget": budget,
            "snapshot_every": snapshot_every,
            "max_snapshots": max_snapshots,
            **options,
        },
    )


def _snapshot_frame(snaps, gens, every) -> pd.DataFrame:
    if not every or not snaps.size:
        return pd.DataFrame(columns=["generation", "individual"])
    k = min(snaps.shape[0], (gens - 1) // every + 1)
    s = snaps[:k]
    frame = pd.DataFrame(s.reshape(-1, s.shape[2]), columns=[f"x{j}" for j in range(s.shape[2])])
    frame.insert(0, "individual", np.tile(np.arange(s.shape[1]), k))
    frame.insert(0, "generation", np.repeat(np.arange(k) * every, s.shape[1]))
    return frame
