"""The AI lab's metaheuristics (differential evolution, particle swarm, a real-coded GA) as Optuna
samplers, so that they search a design space on the same terms as TPE, CMA-ES and NSGA-II.

Each sampler keeps a population in the unit cube ``[0, 1]^d`` (one coordinate per parameter,
mapped to the parameter's values as :mod:`workbench.tune.space` describes) and moves it with the
compiled ask steps of :mod:`workbench.ai.optimize`, one generation of trials at a time:

* one objective: the objective itself (feasible points before infeasible ones, failed last);
* several: differential evolution and the swarm give each population slot its own weights and
  compare a trial with its slot by the augmented Tchebycheff scalarisation of the normalised
  objectives (the decomposition of MOEA/D, Zhang & Li 2007); the GA ranks parents and children
  together by non-domination and crowding distance (NSGA-II's survival, Deb et al. 2002).

Trials asked while a generation is still running elsewhere (parallel workers) get a uniform
random point, which does not join the population. In a discrete space, a move onto a design the
sampler has already proposed is replaced by a random immigrant (up to 16 draws), so a converged
population keeps exploring instead of repeating itself. With a seed, a serial study is reproducible.

Examples
--------
>>> import optuna
>>> optuna.logging.set_verbosity(optuna.logging.WARNING)
>>> study = optuna.create_study(sampler=MetaheuristicSampler("de", seed=0, population_size=8))
>>> study.optimize(lambda t: (t.suggest_float("x", -2, 2) - 1) ** 2, n_trials=80)
>>> round(study.best_params["x"], 1)
1.0
"""

from __future__ import annotations

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers import BaseSampler
from optuna.search_space import IntersectionSearchSpace
from optuna.trial import TrialState

from ..ai import _kernels as K
from ..ai.optimize import _DEFAULTS
from ..errors import WorkbenchError
from .space import Categorical, Integer, Real

__all__ = ["MetaheuristicSampler", "SAMPLER_METHODS", "SamplerError"]

#: The workbench's population methods available as samplers.
SAMPLER_METHODS = ("de", "pso", "ga")

_BIG = 1e12


class SamplerError(WorkbenchError):
    """A metaheuristic sampler asked for an unknown method, a population below 4 or an unknown option.

    Examples
    --------
    >>> from workbench.tune import MetaheuristicSampler, SamplerError
    >>> try:
    ...     MetaheuristicSampler("sa")
    ... except SamplerError as exc:
    ...     print(exc)
    unknown method 'sa'; choose one of ('de', 'pso', 'ga')
    """


def _dimension(dist):
    """The workbench dimension of an Optuna distribution (for the unit-cube mapping)."""
    if isinstance(dist, CategoricalDistribution):
        return Categorical(list(dist.choices))
    if isinstance(dist, IntDistribution):
        return Integer(dist.low, dist.high, log=dist.log, step=dist.step)
    if isinstance(dist, FloatDistribution):
        return Real(dist.low, dist.high, log=dist.log, step=dist.step)
    raise WorkbenchError(f"unsupported distribution {dist!r}")  # pragma: no cover - Optuna has no other


def _nondominated_ranks(F: np.ndarray) -> np.ndarray:
    """Non-domination rank of each row (0: the front), by peeling fronts."""
    n = len(F)
    rank = np.full(n, -1)
    left = np.arange(n)
    r = 0
    while left.size:
        S = F[left]
        le = np.all(S[None, :, :] <= S[:, None, :], axis=2)
        lt = np.any(S[None, :, :] < S[:, None, :], axis=2)
        front = ~np.any(le & lt, axis=1)
        rank[left[front]] = r
        left = left[~front]
        r += 1
    return rank


def _crowding(F: np.ndarray) -> np.ndarray:
    n, m = F.shape
    d = np.zeros(n)
    if n <= 2:
        return np.full(n, np.inf)
    for k in range(m):
        o = np.argsort(F[:, k], kind="mergesort")
        span = F[o[-1], k] - F[o[0], k]
        d[o[0]] = d[o[-1]] = np.inf
        if span > 0:
            d[o[1:-1]] += (F[o[2:], k] - F[o[:-2], k]) / span
    return d


class MetaheuristicSampler(BaseSampler):
    """Differential evolution, particle swarm or a real-coded GA as an Optuna sampler.

    Parameters
    ----------
    method : {"de", "pso", "ga"}, default "de"
        The population method (the same compiled steps and defaults as
        :func:`workbench.ai.minimize`).
    seed : int, default 0
        Seed of the population's random numbers (same seed, same serial study).
    population_size : int, optional
        Individuals per generation (default: 20, at least 4).
    **options
        The method's options as :func:`workbench.ai.minimize` takes them (``F``, ``CR`` for DE;
        ``chi``, ``c1``, ``c2``, ``vmax`` for PSO; ``pc``, ``eta_c``, ``pm``, ``eta_m``,
        ``tournament`` for the GA).

    Raises
    ------
    SamplerError
        If the method is unknown, the population smaller than 4 or an option unknown.

    Examples
    --------
    >>> import optuna
    >>> from workbench.tune import MetaheuristicSampler
    >>> optuna.logging.set_verbosity(optuna.logging.WARNING)
    >>> s = MetaheuristicSampler("ga", seed=1, population_size=10)
    >>> study = optuna.create_study(directions=["minimize", "minimize"], sampler=s)
    >>> study.optimize(lambda t: (t.suggest_float("x", 0, 1), 1 - t.suggest_float("x", 0, 1) ** 0.5), n_trials=40)
    >>> len(study.best_trials) > 5
    True
    """

    def __init__(self, method: str = "de", *, seed: int = 0, population_size: int | None = None, **options):
        if method not in SAMPLER_METHODS:
            raise SamplerError(f"unknown method {method!r}; choose one of {SAMPLER_METHODS}")
        n = 20 if population_size is None else population_size
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 4:
            raise SamplerError(f"population_size must be an integer >= 4, got {population_size!r}")
        p = dict(_DEFAULTS[method])
        p.pop("pop_size", None)
        unknown = set(options) - set(p)
        if unknown:
            raise SamplerError(f"unknown option(s) {sorted(unknown)} for {method!r}; allowed: {sorted(p)}")
        p.update({k: v for k, v in options.items() if v is not None})
        self.method, self.seed, self.n, self.options = method, int(seed), int(n), p
        self._space = None  # name -> distribution, fixed at the first relative sample
        self._search_space = IntersectionSearchSpace()
        self._rng = np.random.default_rng(self.seed)
        self._reset()

    def reseed_rng(self) -> None:
        """Draw the immigrants' and parallel trials' random points from fresh entropy (Optuna calls this
        for copies of the sampler in threads); the population is kept."""
        self._rng = np.random.default_rng()

    def _reset(self) -> None:
        self._gen = 0
        self._pop = self._vals = self._trials = None
        self._queue = []  # slots of the current batch not yet handed out
        self._inflight = {}  # trial number -> slot
        self._batch_vals = {}  # slot -> (objective vector (minimised), violation) of the batch
        self._v = self._pbest = None
        self._weights = None
        self._proposed = set()  # designs handed out (their repr), to avoid proposing one twice

    # -- Optuna's interface --------------------------------------------------------------------------------

    def infer_relative_search_space(self, study, trial) -> dict:
        """The parameters searched jointly: those of the first trial, then fixed.

        Parameters
        ----------
        study : optuna.Study
            The study.
        trial : optuna.trial.FrozenTrial
            The trial being sampled.

        Returns
        -------
        dict
            ``{name: distribution}`` (empty until a trial has completed).
        """
        if self._space is not None:
            return dict(self._space)
        return {k: v for k, v in self._search_space.calculate(study).items() if not v.single()}

    def sample_relative(self, study, trial, search_space) -> dict:
        """The next point of the current generation, mapped to parameter values.

        Parameters
        ----------
        study : optuna.Study
            The study.
        trial : optuna.trial.FrozenTrial
            The trial being sampled.
        search_space : dict
            From :meth:`infer_relative_search_space`.

        Returns
        -------
        dict
            ``{name: value}``.
        """
        if not search_space:
            return {}
        if self._space is None:
            self._space = dict(sorted(search_space.items()))
            self._dims = [_dimension(d) for d in self._space.values()]
            self._m = len(study.directions)
            self._signs = np.array(
                [1.0 if d == optuna.study.StudyDirection.MINIMIZE else -1.0 for d in study.directions]
            )
            self._start()
        if self._queue:
            slot = self._queue.pop(0)
            self._inflight[trial.number] = slot
            u = self._trials[slot]
            point = self._point(u)
            for _ in range(16):  # a design already proposed (discrete spaces): a random immigrant instead
                if repr(point) not in self._proposed:
                    break
                u = self._trials[slot] = self._rng.random(len(self._dims))
                if self.method == "pso" and self._pop is not None:
                    self._x[slot] = u  # the particle moves where it is evaluated
                point = self._point(u)
        else:  # the generation is still running elsewhere: a random point outside the population
            point = self._point(self._rng.random(len(self._dims)))
        self._proposed.add(repr(point))
        return point

    def _point(self, u) -> dict:
        return {name: dim.from_unit(x) for (name, dim), x in zip(zip(self._space, self._dims), u)}

    def sample_independent(self, study, trial, param_name, param_distribution):
        """A uniform random value for a parameter outside the joint space.

        Parameters
        ----------
        study : optuna.Study
            The study.
        trial : optuna.trial.FrozenTrial
            The trial being sampled.
        param_name : str
            The parameter.
        param_distribution : optuna.distributions.BaseDistribution
            Its distribution.

        Returns
        -------
        object
            A value of the distribution.
        """
        return _dimension(param_distribution).from_unit(self._rng.random())

    def after_trial(self, study, trial, state, values) -> None:
        """Record a finished trial of the current generation; start the next one when all are in.

        Parameters
        ----------
        study : optuna.Study
            The study.
        trial : optuna.trial.FrozenTrial
            The finished trial (its ``user_attrs["constraints"]``, if any, are constraint values
            that are feasible when <= 0).
        state : optuna.trial.TrialState
            How it finished.
        values : sequence of float or None
            Its objective values.
        """
        slot = self._inflight.pop(trial.number, None)
        if slot is None:
            return
        if state == TrialState.COMPLETE and values is not None:
            f = np.asarray(values, dtype=np.float64) * self._signs
            cons = trial.user_attrs.get("constraints") or []
            viol = float(sum(max(0.0, float(c)) for c in cons))
        else:
            f, viol = np.full(self._m, np.inf), np.inf
        self._batch_vals[slot] = (f, viol)
        if not self._queue and not self._inflight and len(self._batch_vals) == len(self._trials):
            self._advance()

    # -- the population -----------------------------------------------------------------------------------

    def _seed_kernels(self):
        K.seed((self.seed * 1_000_003 + self._gen) % (2**32))

    def _start(self):
        d = len(self._dims)
        self._lo, self._hi = np.zeros(d), np.ones(d)
        self._seed_kernels()
        if self.method == "pso":
            x, self._v, self._vmax = K.pso_init(self.n, self._lo, self._hi, self.options["vmax"])
            self._trials = x
        else:
            self._trials = K.uniform_population(self.n, self._lo, self._hi)
        if self._m > 1:
            if self._m == 2:
                w1 = np.linspace(0.0, 1.0, self.n)
                self._weights = np.column_stack([w1, 1.0 - w1])
            else:
                self._weights = self._rng.dirichlet(np.ones(self._m), size=self.n)
            self._weights = np.maximum(self._weights, 1e-6)
        self._queue = list(range(self.n))
        self._batch_vals = {}

    def _bounds(self, *sets):
        """Ideal and nadir points of the finite rows of the objective sets (one scale for every comparison)."""
        seen = np.vstack(sets)
        seen = seen[np.isfinite(seen).all(axis=1)]
        if len(seen) == 0:
            return np.zeros(self._m), np.ones(self._m)
        return seen.min(axis=0), seen.max(axis=0)

    def _fitness(self, F: np.ndarray, V: np.ndarray, slots: np.ndarray, bounds) -> np.ndarray:
        """Scalar fitness of objective rows ``F`` (violations ``V``) judged with the weights of ``slots``,
        objectives scaled by ``bounds`` (ideal, nadir)."""
        out = np.full(len(F), np.inf)
        ok = np.isfinite(F).all(axis=1) & np.isfinite(V)
        if self._m == 1:
            out[ok] = F[ok, 0]
        elif ok.any():
            ideal, nadir = bounds
            Z = (F[ok] - ideal) / np.where(nadir > ideal, nadir - ideal, 1.0)
            W = self._weights[slots[ok]]
            out[ok] = np.max(W * Z, axis=1) + 0.05 * Z.sum(axis=1)
        if ok.any():  # infeasible after every feasible point, ordered by violation
            scale = np.abs(out[ok & (V <= 0)]).max() if (ok & (V <= 0)).any() else 0.0
            bad = ok & (V > 0)
            out[bad] = scale + _BIG * (1.0 + V[bad])
        return out

    def _advance(self):
        n = self.n
        F = np.array([self._batch_vals[i][0] for i in range(n)])
        V = np.array([self._batch_vals[i][1] for i in range(n)])
        slots = np.arange(n)
        if self._pop is None:  # the first generation becomes the population
            self._pop = self._trials.copy()
            self._vals, self._viol = F, V
            if self.method == "pso":
                self._x = self._trials.copy()
        elif self.method == "de":
            b = self._bounds(F, self._vals)
            keep = self._fitness(F, V, slots, b) <= self._fitness(self._vals, self._viol, slots, b)
            self._pop[keep], self._vals[keep], self._viol[keep] = self._trials[keep], F[keep], V[keep]
        elif self.method == "pso":
            b = self._bounds(F, self._vals)
            keep = self._fitness(F, V, slots, b) < self._fitness(self._vals, self._viol, slots, b)
            self._pop[keep], self._vals[keep], self._viol[keep] = self._x[keep], F[keep], V[keep]
        else:  # GA: (mu + lambda) survival by rank and crowding (one objective: by value)
            allF, allV = np.vstack([self._vals, F]), np.concatenate([self._viol, V])
            allX = np.vstack([self._pop, self._trials])
            order = self._survivors(allF, allV)
            self._pop, self._vals, self._viol = allX[order], allF[order], allV[order]
        self._gen += 1
        self._seed_kernels()
        fit = self._fitness(self._vals, self._viol, slots, self._bounds(self._vals))
        out = np.empty_like(self._pop)
        p, lo, hi = self.options, self._lo, self._hi
        if self.method == "de":
            K.de_ask(self._pop, fit, p["F"], p["CR"], lo, hi, out)
        elif self.method == "pso":
            K.pso_ask(self._x, self._v, self._pop, fit, p["chi"], p["c1"], p["c2"], self._vmax, lo, hi, out)
        else:
            pm = p["pm"] if p["pm"] is not None else 1.0 / len(lo)
            K.ga_ask(self._pop, fit, p["pc"], p["eta_c"], pm, p["eta_m"], p["tournament"], lo, hi, out)
        self._trials = out
        self._queue = list(range(n))
        self._batch_vals = {}

    def _survivors(self, F: np.ndarray, V: np.ndarray) -> np.ndarray:
        n = self.n
        ok = np.isfinite(F).all(axis=1) & np.isfinite(V)
        key = np.zeros((len(F), 3))
        key[:, 0] = np.where(ok, np.where(V > 0, 1.0, 0.0), 2.0)  # feasible, infeasible, failed
        key[:, 1] = np.where(ok & (V > 0), V, 0.0)
        feas = np.flatnonzero(ok & (V <= 0))
        if feas.size:
            if self._m == 1:
                key[feas, 2] = F[feas, 0]
            else:
                r = _nondominated_ranks(F[feas])
                cd = np.zeros(feas.size)
                for k in np.unique(r):
                    idx = np.flatnonzero(r == k)
                    cd[idx] = _crowding(F[feas][idx])
                key[feas, 1] = r
                key[feas, 2] = -np.minimum(cd, 1e300)
        return np.lexsort((key[:, 2], key[:, 1], key[:, 0]))[:n]
