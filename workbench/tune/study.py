"""Studies: search a lab function's design space for one or more objectives, on Optuna.

:func:`tune` calls ``fn(**params, **fixed)`` for the parameters a sampler proposes, reads the
objectives (and constraint columns) from what ``fn`` returns -- a result (its ``summary()`` row), a
dict, a Series or a number -- and tells the study. What a researcher tuning a simulator expects:

* **samplers**: Optuna's TPE, CMA-ES, NSGA-II, NSGA-III, GP and random, and the workbench's own DE,
  PSO and GA (:class:`~workbench.tune.MetaheuristicSampler`), all seeded;
* **constraints**: ``{"column": ("<=", bound)}``; infeasible trials are kept but never on the front;
* **pruning** (one objective): if ``fn`` takes a ``report`` argument it is handed a callable
  ``report(value, step)`` to call as the simulation goes (a running mean over replications, say);
  the pruner stops hopeless trials there;
* **no repeated simulations**: a point already evaluated in the study is not simulated again
  (``cache=True``); ``evaluations`` counts the simulations that ran;
* **failures**: an exception or a NaN objective marks the trial failed (with the reason) and the
  study goes on;
* **persistence**: ``storage=`` a SQLite file (or any SQLAlchemy URL); every finished trial is
  committed as it finishes, so a crash or Ctrl-C loses none, and calling :func:`tune` again with
  the same storage and study name resumes it. ``record=`` also saves the frames as an experiment
  record, with the study's SQLite file next to it by default;
* **Dask**: ``client=`` keeps one trial per worker thread in flight on a cluster; the sampler runs
  here and the cluster only simulates, so serial and distributed studies evaluate the same
  function the same way. Results come back in the order they finish, so a seeded study on a
  cluster need not propose the same designs twice over, and a design proposed again while its
  first simulation is still running is simulated again.

Examples
--------
>>> def f(x, y):
...     return {"cost": (x - 1) ** 2 + y, "size": x + y}
>>> r = tune(f, {"x": (0.0, 3.0), "y": (0, 2)}, {"cost": "minimize", "size": "minimize"},
...          n_trials=30, sampler="nsga2", seed=0, progress=False)
>>> r.summary()[["trials", "evaluations", "failed"]].iloc[0].tolist()  # 4 designs proposed twice
[30, 26, 0]
>>> bool((r.pareto().y == 0).all())
True
"""

from __future__ import annotations

import inspect
import json
import math
import pathlib
import time
import warnings
from dataclasses import dataclass

import numpy as np
import optuna
import pandas as pd
from optuna.trial import TrialState

from ..errors import WorkbenchError, is_real
from ..results import Result, json_params, one_row
from .pareto import hypervolume_history, pareto_mask
from .samplers import SAMPLER_METHODS, MetaheuristicSampler
from .space import decode, parse_space

__all__ = ["tune", "StudyResult", "TuneError", "SAMPLERS", "objective_values"]

#: Sampler names :func:`tune` accepts (or pass any ``optuna.samplers.BaseSampler``).
SAMPLERS = ("auto", "tpe", "cmaes", "nsga2", "nsga3", "gp", "random", *SAMPLER_METHODS)
_STATE = {
    TrialState.COMPLETE: "complete",
    TrialState.FAIL: "failed",
    TrialState.PRUNED: "pruned",
    TrialState.RUNNING: "running",
    TrialState.WAITING: "waiting",
}
_PRUNERS = ("median", "percentile", "successive_halving", "hyperband")


class TuneError(WorkbenchError):
    """A study that cannot run: a bad objective, parameter name, sampler, pruner or storage.

    Examples
    --------
    >>> from workbench.tune import TuneError, tune
    >>> try:
    ...     tune(lambda x: x, {"x": (0, 1)}, {"cost": "smaller"}, progress=False)
    ... except TuneError as exc:
    ...     print(exc)
    objective 'cost': direction must be 'minimize' or 'maximize', got 'smaller'
    """


class _Failed(Exception):
    """A trial that failed for a reason recorded with it."""


def _objectives(objectives) -> dict:
    if isinstance(objectives, str):
        objectives = {objectives: "minimize"}
    elif isinstance(objectives, (list, tuple)):
        objectives = {o: "minimize" for o in objectives}
    if not isinstance(objectives, dict) or not objectives:
        raise TuneError("objectives must be a column name, a list of names, or a dict name -> 'minimize'|'maximize'")
    out = {}
    for name, d in objectives.items():
        if not isinstance(name, str) or not name:
            raise TuneError(f"objective names must be non-empty strings, got {name!r}")
        if d not in ("minimize", "maximize"):
            raise TuneError(f"objective {name!r}: direction must be 'minimize' or 'maximize', got {d!r}")
        out[name] = d
    return out


def _constraints(constraints) -> dict:
    if constraints is None:
        return {}
    if not isinstance(constraints, dict):
        raise TuneError("constraints must be a dict column -> ('<=' or '>=', bound)")
    out = {}
    for col, rule in constraints.items():
        if not (isinstance(rule, tuple) and len(rule) == 2 and rule[0] in ("<=", ">=") and is_real(rule[1])):
            raise TuneError(f"constraint {col!r}: give ('<=', bound) or ('>=', bound), got {rule!r}")
        out[col] = (rule[0], float(rule[1]))
    return out


def objective_values(out, objectives) -> dict:
    """The named values of one evaluation: from a result's summary row, a dict, a Series or a number.

    Parameters
    ----------
    out : Result, dict, pandas.Series, pandas.DataFrame (one row) or number
        What the tuned function returned (a bare number is the column ``value``).
    objectives : iterable of str
        Column names that must be present.

    Returns
    -------
    dict
        Every scalar column (numbers as floats), the objectives among them.

    Raises
    ------
    TuneError
        If the type is not one of these, a frame has more than one row, or an objective column
        is missing.

    Examples
    --------
    >>> from workbench.tune import objective_values
    >>> objective_values({"latency_ms": 3, "policy": "lru"}, ["latency_ms"])
    {'latency_ms': 3.0, 'policy': 'lru'}
    """
    if isinstance(out, Result):
        out = out.summary()
    if isinstance(out, pd.DataFrame):
        if len(out) != 1:
            raise TuneError(f"the tuned function returned a frame of {len(out)} rows; return one row")
        out = out.iloc[0]
    if isinstance(out, pd.Series):
        out = out.to_dict()
    elif isinstance(out, (int, float, np.integer, np.floating)) and not isinstance(out, bool):
        out = {"value": out}
    if not isinstance(out, dict):
        raise TuneError(
            f"the tuned function returned {type(out).__name__}; return a result, a dict, a Series or a number"
        )
    row = {}
    for k, v in out.items():
        if isinstance(v, (bool, np.bool_)):
            row[str(k)] = bool(v)
        elif isinstance(v, (int, float, np.integer, np.floating)):
            row[str(k)] = float(v)
        elif isinstance(v, str) or v is None:
            row[str(k)] = v
    missing = [o for o in objectives if o not in row or isinstance(row[o], (str, bool)) or row[o] is None]
    if missing:
        raise TuneError(
            f"the result has no numeric column {missing[0]!r}; its numeric columns are "
            f"{[k for k, v in row.items() if isinstance(v, float)]}"
        )
    return row


def _storage(storage, record):
    """An Optuna storage (or None: in memory) and a printable description."""
    if storage is None and record is not None:
        rec = pathlib.Path(record)
        storage = rec.parent / f"{rec.name}.study.db"
    if storage is None:
        return None, "memory"
    if isinstance(storage, optuna.storages.BaseStorage):
        return storage, type(storage).__name__
    if isinstance(storage, pathlib.Path) or (isinstance(storage, str) and "://" not in storage):
        path = pathlib.Path(storage).expanduser().resolve()
        if not path.parent.is_dir():
            raise TuneError(f"cannot open the study file {str(path)!r}: the folder {str(path.parent)!r} does not exist")
        url = f"sqlite:///{path}"
    elif isinstance(storage, str):
        url = storage
    else:
        raise TuneError(f"storage must be a file path, a SQLAlchemy URL or an Optuna storage, got {storage!r}")
    try:
        return optuna.storages.RDBStorage(
            url, engine_kwargs={"connect_args": {"timeout": 60}} if url.startswith("sqlite") else None
        ), url
    except Exception as exc:  # SQLAlchemy's many errors: a bad URL, a missing driver, an unreachable server
        raise TuneError(f"cannot open the storage {url!r}: {type(exc).__name__}: {exc}") from None


def _sampler(sampler, *, n_obj: int, seed: int, population_size):
    with warnings.catch_warnings():  # NSGA-III, GP and multivariate TPE are marked experimental by Optuna
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return _make_sampler(sampler, n_obj=n_obj, seed=seed, population_size=population_size)


def _make_sampler(sampler, *, n_obj: int, seed: int, population_size):
    if isinstance(sampler, optuna.samplers.BaseSampler):
        return sampler
    if sampler not in SAMPLERS:
        raise TuneError(f"unknown sampler {sampler!r}; choose one of {SAMPLERS} or pass an Optuna sampler")
    if sampler == "auto":
        sampler = "tpe" if n_obj == 1 else "nsga2"
    S = optuna.samplers
    if sampler == "tpe":
        # Endpoint-aware Parzen bandwidths find the edges of small bounded grids sooner (measured on
        # the labs' design grids, benchmarks/RESULTS.md); Optuna deprecates the switch for 6.0.
        try:
            warnings.simplefilter("ignore", FutureWarning)
            return S.TPESampler(seed=seed, multivariate=True, n_startup_trials=5, consider_endpoints=True)
        except TypeError:  # pragma: no cover - an Optuna without the switch
            return S.TPESampler(seed=seed, multivariate=True, n_startup_trials=5)
    if sampler == "random":
        return S.RandomSampler(seed=seed)
    if sampler == "nsga2":
        kw = {"population_size": population_size} if population_size else {}
        return S.NSGAIISampler(seed=seed, **kw)
    if sampler == "nsga3":
        kw = {"population_size": population_size} if population_size else {}
        return S.NSGAIIISampler(seed=seed, **kw)
    if sampler == "gp":
        return S.GPSampler(seed=seed)
    if sampler == "cmaes":
        if n_obj > 1:
            raise TuneError("CMA-ES optimises one objective; use 'nsga2', 'nsga3', 'tpe' or a workbench method")
        return S.CmaEsSampler(seed=seed)
    return MetaheuristicSampler(sampler, seed=seed, population_size=population_size)


def _pruner(pruner, n_obj: int):
    if pruner is None:
        return optuna.pruners.NopPruner()
    if n_obj > 1:
        raise TuneError("pruning needs a single objective (Optuna cannot prune multi-objective studies)")
    if isinstance(pruner, optuna.pruners.BasePruner):
        return pruner
    P = optuna.pruners
    table = {
        "median": lambda: P.MedianPruner(n_startup_trials=5, n_warmup_steps=0),
        "percentile": lambda: P.PercentilePruner(25.0, n_startup_trials=5, n_warmup_steps=0),
        "successive_halving": lambda: P.SuccessiveHalvingPruner(),
        "hyperband": lambda: P.HyperbandPruner(),
    }
    if pruner not in table:
        raise TuneError(f"unknown pruner {pruner!r}; choose one of {_PRUNERS}, or pass an Optuna pruner")
    return table[pruner]()


def _key(params: dict) -> str:
    return json.dumps(params, sort_keys=True, default=repr)


def _violations(row: dict, constraints: dict) -> list:
    out = []
    for col, (op, bound) in constraints.items():
        v = row.get(col)
        if not isinstance(v, float):
            raise TuneError(f"constraint column {col!r} is not a numeric column of the result")
        if not math.isfinite(v):
            raise _Failed(f"constraint column {col!r} is {v}")
        out.append(v - bound if op == "<=" else bound - v)
    return out


_REMOTE_STUDIES: dict = {}


class _Report:
    """``report(value, step)`` handed to a function that can be pruned."""

    def __init__(self, trial):
        self.trial, self.steps = trial, 0

    def __call__(self, value, step=None):
        step = self.steps if step is None else int(step)
        self.steps += 1
        if self.trial is None:
            return
        self.trial.report(float(value), step)
        if self.trial.should_prune():
            raise optuna.TrialPruned(f"pruned at step {step}")


def _evaluate(fn, params: dict, fixed: dict, objectives, constraints, prune_ctx):
    """Run one trial's simulation (here or on a Dask worker): ('ok'|'failed'|'pruned', payload, steps, seconds)."""
    trial = None
    if prune_ctx is not None:
        kind, ctx = prune_ctx
        if kind == "trial":
            trial = ctx
        else:  # on a worker: the trial through the shared storage
            url, name, trial_id, pruner = ctx
            study = _REMOTE_STUDIES.get((url, name))
            if study is None:  # one connection per worker process, kept between tasks
                study = _REMOTE_STUDIES[url, name] = optuna.load_study(study_name=name, storage=url)
            study.pruner = pruner
            trial = optuna.trial.Trial(study, trial_id)
    report = _Report(trial) if prune_ctx is not None else None
    t0 = time.perf_counter()
    try:
        out = fn(**params, **fixed, **({"report": report} if report is not None else {}))
        row = objective_values(out, objectives)
        vals = [row[o] for o in objectives]
        if any(not math.isfinite(v) for v in vals):
            bad = [o for o, v in zip(objectives, vals) if not math.isfinite(v)]
            raise _Failed(f"objective {bad[0]!r} is {row[bad[0]]}")
        viol = _violations(row, constraints) if constraints else []
        return "ok", (vals, row, viol), (report.steps if report else 0), time.perf_counter() - t0
    except TuneError:
        raise
    except _Failed as exc:
        return "failed", str(exc), (report.steps if report else 0), time.perf_counter() - t0
    except optuna.TrialPruned as exc:
        return "pruned", str(exc), (report.steps if report else 0), time.perf_counter() - t0
    except Exception as exc:  # the simulation's own error: the trial fails, the study goes on
        return "failed", f"{type(exc).__name__}: {exc}", (report.steps if report else 0), time.perf_counter() - t0


@dataclass
class StudyResult(Result):
    """A finished (or interrupted) study: every trial, the Pareto front, importances, progress.

    The frames are read from the study's storage when asked for: after the same study is resumed (or
    run on by another process), an earlier result shows the new trials too.

    Parameters
    ----------
    study : optuna.Study
        The Optuna study (its storage keeps every finished trial).
    objectives : dict
        Objective column -> "minimize" or "maximize".
    space : dict
        The search space (names -> dimensions).
    reference : numpy.ndarray or None
        The hypervolume reference point in objective units (None: from the trials).
    params : dict
        How the study ran (sampler, seed, budget, storage, versions).
    seconds : float
        Wall-clock time of this call.

    Examples
    --------
    >>> from workbench.tune import tune
    >>> r = tune(lambda x: {"y": (x - 2) ** 2}, {"x": (0, 5)}, "y", n_trials=12, seed=0, progress=False)
    >>> int(r.pareto().x.iloc[0]), sorted(r.frames)
    (2, ['hypervolume_history', 'importances', 'pareto', 'trials'])
    """

    study: object
    objectives: dict
    space: dict
    reference: object
    params: dict
    seconds: float
    frames = ("trials", "pareto", "importances", "hypervolume_history")

    def trials(self) -> pd.DataFrame:
        """One row per trial: number, state, parameters, objectives, feasibility, cache use, time.

        Returns
        -------
        pandas.DataFrame
            Columns ``trial``, ``state`` (complete, pruned, failed, running), the parameters, the
            objectives (NaN unless complete), ``feasible``, ``cached`` (values reused from an
            earlier identical trial), ``evaluation`` (the count of simulations run up to and
            including this trial), ``steps`` (reports made), ``seconds`` and ``error``.
        """
        rows, ev = [], 0
        for t in self.study.get_trials(deepcopy=False):
            cached = bool(t.user_attrs.get("cached", False))
            if t.state.is_finished() and not cached:
                ev += 1
            row = {"trial": t.number, "state": _STATE[t.state]}
            row.update(decode(self.space, {p: t.params.get(p) for p in self.space if p in t.params}))
            row.update({p: None for p in self.space if p not in t.params})
            for k, o in enumerate(self.objectives):
                row[o] = t.values[k] if t.values is not None else np.nan
            row["feasible"] = t.state == TrialState.COMPLETE and all(
                c <= 0 for c in t.user_attrs.get("constraints", [])
            )
            row.update(
                cached=cached,
                evaluation=ev,
                steps=int(t.user_attrs.get("steps", 0)),
                seconds=float(t.user_attrs.get("seconds", np.nan)),
                error=t.user_attrs.get("error"),
            )
            rows.append(row)
        cols = [
            "trial",
            "state",
            *self.space,
            *self.objectives,
            "feasible",
            "cached",
            "evaluation",
            "steps",
            "seconds",
            "error",
        ]
        return pd.DataFrame(rows, columns=cols)

    def _minimised(self, df: pd.DataFrame) -> np.ndarray:
        signs = np.array([1.0 if d == "minimize" else -1.0 for d in self.objectives.values()])
        return df[list(self.objectives)].to_numpy(dtype=np.float64) * signs

    def pareto(self) -> pd.DataFrame:
        """The non-dominated feasible trials: one row per distinct point in objective space (the first
        trial that reached it; designs that differ only in parameters without effect, such as the weights
        of a scheduler that ignores them, share a point); with one objective, the best.

        Returns
        -------
        pandas.DataFrame
            The :meth:`trials` rows on the front, sorted by the first objective (best first).
        """
        df = self.trials()
        df = df[df.feasible & ~df.cached].drop_duplicates(subset=list(self.objectives))
        if df.empty:
            return df
        df = df[pareto_mask(self._minimised(df))]
        first = next(iter(self.objectives))
        return df.sort_values(first, ascending=self.objectives[first] == "minimize", kind="mergesort").reset_index(
            drop=True
        )

    def reference_point(self) -> np.ndarray:
        """The hypervolume reference point (minimised units): the given one, or the worst feasible
        value of each objective plus 10% of its range.

        Returns
        -------
        numpy.ndarray
            One coordinate per objective, in the minimised orientation (maximised objectives negated).
        """
        signs = np.array([1.0 if d == "minimize" else -1.0 for d in self.objectives.values()])
        if self.reference is not None:
            return np.asarray(self.reference, dtype=np.float64) * signs
        df = self.trials()
        F = self._minimised(df[df.feasible])
        if len(F) == 0:
            return np.zeros(len(signs))
        lo, hi = F.min(axis=0), F.max(axis=0)
        return hi + 0.1 * np.where(hi > lo, hi - lo, np.maximum(np.abs(hi), 1.0))

    def hypervolume_history(self) -> pd.DataFrame:
        """The hypervolume of the feasible points found after each simulation.

        Returns
        -------
        pandas.DataFrame
            Columns ``evaluation``, ``trial`` and ``hypervolume`` (objective units multiplied
            together; with one objective, the distance from the reference to the best value).
        """
        df = self.trials()
        df = df[df.state.isin(["complete", "failed", "pruned"]) & ~df.cached]
        F = self._minimised(df).copy()
        F[~df.feasible.to_numpy()] = np.inf
        ref = self.reference_point()
        F = np.where(np.isfinite(F), F, ref + 1.0)
        hv = hypervolume_history(F, ref) if len(F) else np.array([])
        return pd.DataFrame({"evaluation": df.evaluation.to_numpy(), "trial": df.trial.to_numpy(), "hypervolume": hv})

    def importances(self) -> pd.DataFrame:
        """How much each parameter explains of each objective (fANOVA over the simulated complete trials).

        Returns
        -------
        pandas.DataFrame
            Columns ``objective``, ``parameter`` and ``importance`` (each objective's importances
            sum to 1); empty if fewer than two distinct complete trials.
        """
        done = [
            t
            for t in self.study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
            if not t.user_attrs.get("cached", False)
        ]
        rows = []
        varying = [p for p in self.space if len({repr(t.params.get(p)) for t in done}) > 1]
        if len(done) >= 2 and varying:
            ev = optuna.importance.FanovaImportanceEvaluator(seed=int(self.params.get("seed", 0)))
            prev = optuna.logging.get_verbosity()
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            try:
                sub = optuna.create_study(directions=self.study.directions)  # the simulated trials only
                sub.add_trials(done)
            finally:
                optuna.logging.set_verbosity(prev)
            for k, o in enumerate(self.objectives):
                imp = optuna.importance.get_param_importances(
                    sub, evaluator=ev, params=varying, target=lambda t, k=k: t.values[k]
                )
                rows += [{"objective": o, "parameter": p, "importance": float(v)} for p, v in imp.items()]
        return pd.DataFrame(rows, columns=["objective", "parameter", "importance"])

    def summary(self) -> pd.DataFrame:
        """The study in one row.

        Returns
        -------
        pandas.DataFrame
            ``method`` (the sampler), ``trials``, ``evaluations``, ``failed``, ``pruned``,
            ``pareto_points``, ``best_value`` (one objective) or ``hypervolume`` (several), ``seconds``.
        """
        df = self.trials()
        front = self.pareto()
        hv = self.hypervolume_history()
        extra = {}
        if len(self.objectives) == 1:
            extra["best_value"] = float(front.iloc[0][next(iter(self.objectives))]) if len(front) else np.nan
        else:
            extra["hypervolume"] = float(hv.hypervolume.iloc[-1]) if len(hv) else 0.0
        return one_row(
            method=self.params["sampler"],
            trials=int(df.state.isin(["complete", "failed", "pruned"]).sum()),
            evaluations=int(df.evaluation.max()) if len(df) else 0,
            failed=int((df.state == "failed").sum()),
            pruned=int((df.state == "pruned").sum()),
            pareto_points=len(front),
            **extra,
            seconds=self.seconds,
        )


def _accepts(fn, name: str) -> bool:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    return name in sig.parameters or any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values())


def _check_names(fn, names):
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return
    ps = sig.parameters
    if any(p.kind == p.VAR_KEYWORD for p in ps.values()):
        return
    known = [n for n, p in ps.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    for n in names:
        if n not in known:
            raise TuneError(f"{getattr(fn, '__name__', 'fn')} has no parameter {n!r}; its parameters are {known}")


def tune(
    fn,
    space,
    objectives="value",
    *,
    n_trials: int | None = 100,
    max_evaluations: int | None = None,
    sampler="auto",
    seed: int = 0,
    population_size: int | None = None,
    constraints=None,
    fixed=None,
    pruner=None,
    storage=None,
    study_name: str | None = None,
    record=None,
    reference=None,
    client=None,
    cache: bool = True,
    progress: bool = True,
) -> StudyResult:
    """Search ``fn``'s design space for the best trade-offs between ``objectives``.

    Parameters
    ----------
    fn : callable
        ``fn(**params, **fixed)`` returning a result, dict, Series or number (column ``value``). If
        it takes ``report``, it gets ``report(value, step)`` for pruning. With ``client`` it must
        be importable by the workers (a module-level function).
    space : dict
        ``{name: Integer | Real | Categorical | (low, high) | [choices]}`` (see
        :func:`~workbench.tune.parse_space`); every name must be a parameter of ``fn``.
    objectives : str, list of str or dict, default "value"
        Result columns to optimise: a dict gives each ``"minimize"`` or ``"maximize"``; names alone
        are minimised.
    n_trials : int or None, default 100
        Trials in the study in all (a resumed study counts its earlier trials); None: until
        ``max_evaluations``.
    max_evaluations : int, optional
        Stop once this many simulations have run (trials answered from the cache do not count).
    sampler : str or optuna.samplers.BaseSampler, default "auto"
        One of :data:`SAMPLERS` ("auto": TPE for one objective, NSGA-II for several) or a sampler.
    seed : int, default 0
        The sampler's seed (a resumed study offsets it by its trial count).
    population_size : int, optional
        Population of NSGA-II/III and of the workbench methods (default: a tenth of the budget, between
        8 and 50, so that the budget holds several generations).
    constraints : dict, optional
        ``{column: ("<=" | ">=", bound)}`` on result columns; infeasible trials never make the front.
    fixed : dict, optional
        Keyword arguments passed to every call (sizes, seeds, a topology).
    pruner : str or optuna.pruners.BasePruner, optional
        "median", "percentile", "successive_halving", "hyperband" or a pruner (one objective only).
    storage : str, path or optuna.storages.BaseStorage, optional
        A SQLite file path or a SQLAlchemy URL: trials persist there and a rerun resumes.
    study_name : str, optional
        The study's name in the storage (default: the function's name).
    record : str or path, optional
        Save the frames as an experiment record there (with the study file next to it by default).
    reference : sequence of float, optional
        Hypervolume reference point in objective units (default: the worst values seen + 10%).
    client : dask.distributed.Client, optional
        Run the simulations on this cluster, one per worker thread at a time.
    cache : bool, default True
        Answer a point already evaluated in the study from its earlier values.
    progress : bool, default True
        A progress bar.

    Returns
    -------
    StudyResult
        The trials, Pareto front, importances and hypervolume history.

    Raises
    ------
    TuneError
        On bad objectives, parameter names, sampler, pruner, budgets, constraints or storage, a
        resumed study with other objectives, or a result without an objective column.
    SpaceError
        If the search space is malformed.

    Examples
    --------
    >>> from workbench.tune import tune
    >>> r = tune(lambda x, y: (x - 1) ** 2 + (y - 2) ** 2, {"x": (-5.0, 5.0), "y": (-5.0, 5.0)},
    ...          n_trials=60, sampler="cmaes", seed=1, progress=False)
    >>> bool(r.summary().best_value[0] < 0.05)
    True
    """
    t_start = time.perf_counter()
    if not callable(fn):
        raise TuneError(f"fn must be callable, got {type(fn).__name__}")
    dims = parse_space(space)
    objs = _objectives(objectives)
    cons = _constraints(constraints)
    fixed = dict(fixed or {})
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or not 0 <= seed < 2**31:
        raise TuneError(f"seed must be an integer in [0, 2**31), got {seed!r}")
    if population_size is not None and (
        not isinstance(population_size, (int, np.integer)) or isinstance(population_size, bool) or population_size < 4
    ):
        raise TuneError(f"population_size must be an integer >= 4 (or None), got {population_size!r}")
    if reference is not None:
        try:
            ref = np.asarray(reference, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            ref = np.array([np.nan])
        if ref.size != len(_objectives(objectives)) or not np.isfinite(ref).all():
            raise TuneError(
                f"reference must give one finite value per objective ({len(_objectives(objectives))}), got {reference!r}"
            )
    for name, v in (("n_trials", n_trials), ("max_evaluations", max_evaluations)):
        if v is not None and (not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 1):
            raise TuneError(f"{name} must be an integer >= 1 (or None), got {v!r}")
    if n_trials is None and max_evaluations is None:
        raise TuneError("give n_trials or max_evaluations (or both)")
    clash = set(dims) & set(fixed)
    if clash:
        raise TuneError(f"{sorted(clash)[0]!r} is both searched and fixed")
    _check_names(fn, [*dims, *fixed])
    prunable = _accepts(fn, "report")
    pr = _pruner(pruner, len(objs))
    if pruner is not None and not prunable:
        raise TuneError(
            f"a pruner needs intermediate values: {getattr(fn, '__name__', 'fn')} must take a report argument "
            "and call report(value, step)"
        )
    store, store_desc = _storage(storage, record)
    if pruner is not None and client is not None and not isinstance(store, optuna.storages.RDBStorage):
        raise TuneError("pruning on a cluster needs a storage the workers share: give storage= a SQLite file or URL")
    name = study_name or (getattr(fn, "__qualname__", None) or "study").replace("<", "").replace(">", "")

    directions = list(objs.values())
    if sampler == "auto":
        sampler = "tpe" if len(objs) == 1 else "nsga2"
    auto_population = population_size is None and sampler in ("nsga2", "nsga3", *SAMPLER_METHODS)
    if auto_population:
        budget = n_trials if n_trials is not None else max_evaluations
        population_size = int(min(50, max(8, budget // 10)))  # several generations within the budget

    search = json_params(
        {
            "space": {k: repr(v) for k, v in dims.items()},
            "fixed": {k: repr(v) for k, v in fixed.items()},
            "constraints": {k: list(v) for k, v in cons.items()},
        }
    )
    prev = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        try:
            existing = optuna.load_study(study_name=name, storage=store) if store is not None else None
        except KeyError:
            existing = None
        offset = 0
        if existing is not None:
            if [d.name.lower() for d in existing.directions] != directions or existing.user_attrs.get(
                "objectives", list(objs)
            ) != list(objs):
                raise TuneError(
                    f"the stored study {name!r} optimises {existing.user_attrs.get('objectives')} "
                    f"{[d.name.lower() for d in existing.directions]}; give another study_name or storage"
                )
            stored = existing.user_attrs.get("search")
            if stored is not None and stored != search:
                raise TuneError(
                    f"the stored study {name!r} searched another space, fixed arguments or constraints ({stored}); "
                    "its stored values would not match this call's: give another study_name or storage"
                )
            # a study has one process driving it: trials left running were cut off with their process
            for t in existing.get_trials(deepcopy=False, states=(TrialState.RUNNING, TrialState.WAITING)):
                existing._storage.set_trial_user_attr(t._trial_id, "error", "interrupted (the run stopped)")
                existing._storage.set_trial_state_values(t._trial_id, TrialState.FAIL)
            offset = len(existing.get_trials(deepcopy=False))
            if auto_population and existing.user_attrs.get("population_size"):
                # NSGA-II reads its generations from the stored trials and goes on; the workbench's samplers keep
                # their population in memory and start a new one
                population_size = int(existing.user_attrs["population_size"])
        smp = _sampler(sampler, n_obj=len(objs), seed=int(seed) + offset, population_size=population_size)
        study = optuna.create_study(
            storage=store, sampler=smp, pruner=pr, study_name=name, directions=directions, load_if_exists=True
        )
        if existing is None:
            from ..records import _versions

            study.set_user_attr("objectives", list(objs))
            study.set_user_attr("population_size", population_size)
            study.set_user_attr("search", search)
            study.set_user_attr(
                "workbench",
                json_params(
                    {
                        "versions": _versions(),
                        "space": {k: repr(v) for k, v in dims.items()},
                        "fixed": {k: repr(v) for k, v in fixed.items()},
                    }
                ),
            )
        params = {
            "fn": f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', repr(fn))}",
            "objectives": dict(objs),
            "space": {k: repr(v) for k, v in dims.items()},
            "fixed": {k: repr(v) for k, v in fixed.items()},
            "constraints": {k: list(v) for k, v in cons.items()},
            "sampler": sampler if isinstance(sampler, str) else type(sampler).__name__,
            "seed": int(seed),
            "n_trials": n_trials,
            "max_evaluations": max_evaluations,
            "pruner": pruner if pruner is None or isinstance(pruner, str) else type(pruner).__name__,
            "storage": store_desc,
            "study_name": name,
            "population_size": population_size,
            "record": None if record is None else str(record),
            "reference": None if reference is None else [float(v) for v in reference],
            "client": None if client is None else repr(client),
            "cache": bool(cache),
        }
        _run(
            study,
            fn,
            dims,
            objs,
            cons,
            fixed,
            n_trials,
            max_evaluations,
            cache,
            prunable,
            client,
            progress,
            store_desc,
            pr,
        )
    finally:
        optuna.logging.set_verbosity(prev)
    res = StudyResult(
        study=study,
        objectives=objs,
        space=dims,
        reference=reference,
        params=params,
        seconds=time.perf_counter() - t_start,
    )
    if record is not None:
        from ..records import save_record

        save_record(record, res.to_frames(), params=json_params(params), seed=int(seed), overwrite=True)
    return res


def _run(study, fn, dims, objs, cons, fixed, n_trials, max_evaluations, cache, prunable, client, progress, url, pruner):
    dists = {k: d.distribution() for k, d in dims.items()}
    trials = study.get_trials(deepcopy=False)
    done = sum(t.state.is_finished() for t in trials)
    evals = sum(t.state.is_finished() and not t.user_attrs.get("cached", False) for t in trials)
    seen = {}
    for t in trials:
        if t.state == TrialState.COMPLETE and not t.user_attrs.get("cached", False):
            seen[_key(t.params)] = (t.values, t.user_attrs.get("constraints", []))
    cap = n_trials if n_trials is not None else 20 * max_evaluations
    limit = max_evaluations if max_evaluations is not None else math.inf
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=cap, initial=done, desc=getattr(fn, "__name__", "study"), unit="trial")

    def finish(trial, status, payload, steps, secs, cached=False):
        nonlocal done, evals
        st = study._storage
        st.set_trial_user_attr(trial._trial_id, "steps", steps)
        st.set_trial_user_attr(trial._trial_id, "seconds", secs)
        if cached:
            st.set_trial_user_attr(trial._trial_id, "cached", True)
        if status == "ok":
            vals, row, viol = payload
            st.set_trial_user_attr(trial._trial_id, "row", json_params({k: v for k, v in row.items()}))
            if cons:
                st.set_trial_user_attr(trial._trial_id, "constraints", [float(v) for v in viol])
                for col, v in zip(cons, viol):  # what Optuna's constrained samplers read
                    trial.set_constraint(col, float(v))
            study.tell(trial, vals)
            seen.setdefault(_key(trial.params), (vals, [float(v) for v in viol]))
        elif status == "pruned":
            st.set_trial_user_attr(trial._trial_id, "error", payload)
            study.tell(trial, state=TrialState.PRUNED)
        else:
            st.set_trial_user_attr(trial._trial_id, "error", payload)
            study.tell(trial, state=TrialState.FAIL)
        done += 1
        evals += 0 if cached else 1
        if bar is not None:
            bar.update(1)
            bar.set_postfix(evaluations=evals)

    def ask():
        trial = study.ask(dists)
        k = _key(trial.params)
        if cache and k in seen:
            vals, viol = seen[k]
            row = dict(zip(objs, vals))
            finish(trial, "ok", (list(vals), row, viol), 0, 0.0, cached=True)
            return None
        return trial

    mine = []  # the trials this call is running (the ones to mark if it is interrupted)
    running = {}
    try:
        if client is None:
            while done < cap and evals < limit:
                trial = ask()
                if trial is None:
                    continue
                mine[:] = [trial]
                # intermediate values go to the study for one objective (Optuna keeps none for several)
                ctx = ("trial", trial if len(objs) == 1 else None) if prunable else None
                finish(trial, *_evaluate(fn, decode(dims, trial.params), fixed, list(objs), cons, ctx))
        else:
            from distributed import wait

            slots = max(1, sum(client.nthreads().values()))
            remote_prune = (
                prunable
                and len(objs) == 1
                and url.startswith(("sqlite", "postgresql", "mysql"))
                and not isinstance(pruner, optuna.pruners.NopPruner)
            )
            while running or (done + len(running) < cap and evals + len(running) < limit):
                while len(running) < slots and done + len(running) < cap and evals + len(running) < limit:
                    trial = ask()
                    if trial is None:
                        continue
                    ctx = None
                    if prunable:
                        ctx = (
                            ("remote", (url, study.study_name, trial._trial_id, pruner))
                            if remote_prune
                            else ("none", None)
                        )
                    fut = client.submit(
                        _evaluate_remote, fn, decode(dims, trial.params), fixed, list(objs), cons, ctx, pure=False
                    )
                    running[fut] = trial
                if not running:
                    break
                finished, _ = wait(list(running), return_when="FIRST_COMPLETED")
                for fut in finished:
                    trial = running.pop(fut)
                    try:
                        out = fut.result()
                    except TuneError:
                        raise
                    except Exception as exc:
                        out = ("failed", f"{type(exc).__name__}: {exc}", 0, 0.0)
                    finish(trial, *out)
    except BaseException:  # Ctrl-C or an error of the study itself: finished trials are stored, ours are marked
        if running:
            client.cancel(list(running))
        for t in [*mine, *running.values()]:
            if study._storage.get_trial(t._trial_id).state == TrialState.RUNNING:
                study._storage.set_trial_user_attr(t._trial_id, "error", "interrupted")
                study._storage.set_trial_state_values(t._trial_id, TrialState.FAIL)
        raise
    finally:
        if bar is not None:
            bar.close()


def _evaluate_remote(fn, params, fixed, objectives, constraints, ctx):
    """The Dask task: one simulation, on a worker."""
    if ctx is not None and ctx[0] == "none":
        ctx = ("trial", None)
    return _evaluate(fn, params, fixed, objectives, constraints, ctx)
