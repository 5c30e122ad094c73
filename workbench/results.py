"""The one result contract of every lab.

Every function that runs an experiment (a simulation, a search, a training run) returns a
:class:`Result`:

* ``summary()`` -- a one-row tidy :class:`pandas.DataFrame` of the headline numbers;
* named tidy frames for the detail, listed in ``frames`` (each a method returning a DataFrame, e.g.
  ``EdgeResult.by_node()``, or a DataFrame attribute, e.g. ``Schedule.table``);
* ``params`` -- every input of the run, the seed included;
* ``to_frames()`` -- the summary and every frame by name (what :func:`workbench.records.save_record`
  writes), and an HTML view in notebooks.

Functions that compute a table (a distance matrix, a miss-ratio curve, a sweep) still return a
DataFrame. Nothing is carried in ``DataFrame.attrs`` (which many pandas operations drop).

Column names follow one vocabulary, :data:`COLUMNS`, with the unit in the name where there is one
(``latency_p95_ms``, ``makespan_s``, ``hit_ratio``, ``bytes``); ``tests/test_results.py`` runs every
lab's entry points through the contract and checks every summary column against it.

Examples
--------
>>> from workbench.edge import queue_scenario, simulate
>>> r = simulate(queue_scenario(0.5, 1.0), n_tasks=1000, seed=0)
>>> isinstance(r, Result), len(r.summary()), r.params["seed"], "by_node" in r.frames
(True, 1, 0, True)
"""

from __future__ import annotations

import html
import json
import math

import pandas as pd

__all__ = ["Result", "COLUMNS", "one_row", "json_params", "unknown_columns"]

#: The column vocabulary of every summary: name -> meaning (unit). Suffixes carry units: ``_ms``, ``_s``,
#: ``_j``/``_kj`` (energy), ``_bytes``/``bytes``, ``_ratio`` (a fraction in [0, 1]), ``_mha`` (milli-hartree).
COLUMNS: dict[str, str] = {
    # what ran
    "method": "the algorithm, policy or scheduler that ran",
    "policy": "the cache replacement policy",
    "scheduler": "the edge scheduler",
    "seed": "the seed of the run",
    "n_qubits": "qubits in the register",
    "capacity": "cache size (objects for unit-size traces, else bytes)",
    "horizon": "steps forecast ahead",
    "arrival_rate": "arrivals per second",
    "service_rate": "services per second per server",
    "servers": "servers of the queue",
    "service": "service-time distribution (exponential, deterministic, ...)",
    # counts
    "requests": "requests replayed",
    "customers": "customers served by a queue",
    "misses": "requests that missed",
    "generated": "tasks generated",
    "completed": "tasks completed",
    "local": "tasks run on their device",
    "dropped": "tasks dropped (full queue, no usable node, too many tries)",
    "retried": "task re-dispatches after a failure",
    "measured": "completed tasks after the warm-up",
    "failures": "node failures",
    "link_failures": "backbone link failures",
    "handovers": "mobile-device handovers",
    "events": "simulated events",
    "evaluations": "objective or energy evaluations",
    "episodes": "training episodes",
    "epochs": "training epochs",
    "iterations": "iterations of the method",
    "blocks": "blocks mined",
    "stale_blocks": "blocks mined off the main chain",
    "shots": "circuit executions sampled",
    "trajectories": "Monte Carlo trajectories",
    "swaps": "SWAP gates inserted by routing",
    "tasks": "tasks scheduled",
    "makespan": "finish time of the last task (in the cost matrix's time unit)",
    "flowtime": "sum of the tasks' finish times (in the cost matrix's time unit)",
    "processors": "processors of the platform",
    "prefetch_fetches": "objects fetched from the origin by prefetching",
    "key_bits": "bits of the final secret key",
    "sifted_bits": "bits kept after basis sifting",
    "order": "the multiplicative order found",
    "success_iteration": "the episode at which the task counted as solved (NaN: never)",
    # ratios
    "miss_ratio": "misses / requests",
    "byte_miss_ratio": "bytes missed / bytes requested",
    "hit_ratio": "requests served by a cache / requests",
    "l1_hit_ratio": "edge-tier hits / requests reaching it",
    "l2_hit_ratio": "regional-tier hits / requests reaching it",
    "l3_hit_ratio": "shield-tier hits / requests reaching it",
    "origin_offload_byte_ratio": "bytes not fetched from the origin / bytes requested",
    "deadline_miss_ratio": "measured tasks that missed their deadline / measured tasks",
    "utilisation": "busy core-seconds / available core-seconds",
    "stale_ratio": "stale blocks / blocks",
    "stale_ratio_closed_form": "1 - exp(-D/T): the stale ratio predicted from the mean delay D and interval T",
    "interval_s": "mean block interval (s)",
    "mean_delay_ms": "hash-weighted mean propagation delay between distinct miners (ms)",
    "mined_during_cut": "blocks mined while the network was split",
    "kept_on_main": "of those, blocks the final main chain kept",
    "orphaned": "of those, blocks the final main chain dropped",
    "victim_height": "height of the eclipsed victim's chain when the eclipse ends",
    "honest_height": "height of the honest chain when the eclipse ends",
    "victim_blocks_dropped": "blocks of the victim's chain that the honest chain erases",
    "attacker_blocks": "blocks the attacker mined during the eclipse",
    "double_spend": "whether the attacker reached the confirmations the victim waits for",
    "expected_attacker_blocks": "the attacker's expected blocks (share x duration / interval)",
    "success_probability": "probability that one run succeeds",
    "accuracy": "correctly classified / samples",
    "train_accuracy": "accuracy on the training split",
    "test_accuracy": "accuracy on the test split",
    "qber": "quantum bit error rate estimated on the disclosed sample",
    "approximation_ratio": "expected cut / maximum cut",
    "percent_of_optimal": "the learned policy's exact value as a percentage of the optimum",
    # values
    "latency_mean_ms": "mean latency (ms)",
    "latency_sd_ms": "standard deviation of latency (ms)",
    "latency_p50_ms": "median latency (ms)",
    "latency_p95_ms": "95th percentile of latency (ms)",
    "latency_p99_ms": "99th percentile of latency (ms)",
    "wait_mean_ms": "mean time waiting in a queue (ms)",
    "wait_mean_s": "mean time waiting in a queue (s)",
    "wait_theory_s": "mean time waiting in a queue predicted by queueing theory (s)",
    "duration_s": "simulated time (s)",
    "makespan_s": "finish time of the last task (s)",
    "node_energy_kj": "energy of the nodes (kJ)",
    "device_energy_j": "energy of the devices (J)",
    "origin_bytes": "bytes fetched from the origin",
    "prefetch_bytes": "bytes pushed by prefetching",
    "bytes": "bytes",
    "best_value": "the best objective value found",
    "value": "the value reached (exact, for the policy learned)",
    "optimum": "the best value possible",
    "energy": "energy of the state (hartree)",
    "exact_energy": "the exact ground-state energy (hartree)",
    "error_mha": "energy - exact energy (milli-hartree)",
    "expected_cut": "expected cut value of the state",
    "max_cut": "maximum cut value",
    "fidelity": "overlap with the ideal state",
    "marked_states": "basis states the oracle marks",
    "success_probability_formula": "the textbook sin^2((2k+1) theta)",
    "layers": "layers (QAOA depth p, circuit layers)",
    "optimal_probability": "probability that one sample is optimal",
    "weights": "trainable weights",
    "keys_match": "whether the two final keys are equal",
    "secure": "whether the protocol kept the key (estimated error below the threshold)",
    "N": "the number factored",
    "base": "the base a of the modular exponentiation",
    "factors": "the factors found",
    "fused_blocks": "gate blocks after fusion",
    "measurements": "mid-circuit measurements",
    "mean": "mean of the observable",
    "stderr": "standard error of the mean",
    "purity": "Tr(rho^2)",
    "norm": "norm of the state",
    "seconds": "wall-clock time of the run (s)",
    "final_return": "mean return over the last 100 episodes",
    "final_cost": "cost per decision in the last training iteration",
    "generations": "generations of a population method",
    "trials": "trials of a study that finished (complete, failed or pruned)",
    "failed": "trials that failed (an error or a NaN objective)",
    "pruned": "trials stopped early by the pruner",
    "pareto_points": "designs on the Pareto front",
    "hypervolume": "hypervolume the front dominates up to the reference point (objective units multiplied)",
    "rmse": "root mean squared error",
    "errors": "logical errors counted (decoded prediction differs from the true observable flips)",
    "logical_error_rate": "logical errors / shots",
    "logical_error_rate_per_round": "logical error per round of syndrome extraction: (1 - (1 - 2P)^(1/r)) / 2",
    "ci_low": "lower end of the 95% confidence interval",
    "ci_high": "upper end of the 95% confidence interval",
    "rounds": "rounds of syndrome extraction",
    "detectors": "detectors of the circuit",
    "detection_ratio": "detection events / (shots x detectors)",
    "distance": "code distance",
    "p": "physical error rate of every noise channel",
}


class Result:
    """Base class of every experiment's result (see the module docstring for the contract).

    Subclasses set ``frames`` (the names of their frame methods), keep ``params`` and implement
    :meth:`summary`. The base class takes no constructor parameters.

    Attributes
    ----------
    frames : tuple of str
        Names of the methods (or DataFrame attributes) that hold the result's detail frames.
    params : dict
        Every input of the run, the seed included.

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.results import Result, one_row
    >>> class Coins(Result):
    ...     frames = ("flips",)
    ...     def __init__(self, heads):
    ...         self.heads, self.params = heads, {"n": len(heads), "seed": 0}
    ...     def flips(self):
    ...         return pd.DataFrame({"heads": self.heads})
    ...     def summary(self):
    ...         return one_row(seed=0, accuracy=sum(self.heads) / len(self.heads))
    >>> r = Coins([True, False, True, True])
    >>> float(r.summary().accuracy[0]), sorted(r.to_frames()), len(r.frame("flips"))
    (0.75, ['flips', 'summary'], 4)
    """

    #: Names of the methods that return the result's detail frames.
    frames: tuple = ()
    params: dict

    def summary(self) -> pd.DataFrame:  # pragma: no cover - every subclass implements it
        """A one-row tidy DataFrame of the headline numbers."""
        raise NotImplementedError

    def frame(self, name: str) -> pd.DataFrame:
        """One of the detail frames by name (see ``frames``).

        Parameters
        ----------
        name : str
            One of ``frames``.

        Returns
        -------
        pandas.DataFrame
            The frame: the method of that name called, or the attribute of that name.

        Raises
        ------
        UnknownNameError
            If ``name`` is not one of ``frames`` (the message lists them).
        """
        if name not in self.frames:
            from .errors import unknown_name

            raise unknown_name("frame", name, self.frames)
        value = getattr(self, name)
        return value() if callable(value) else value

    def to_frames(self) -> dict:
        """``{"summary": ..., <frame name>: ...}``: everything the result holds, as tidy frames.

        Returns
        -------
        dict of str to pandas.DataFrame
            ``"summary"`` (:meth:`summary`) and every name of ``frames`` with its frame, in that order.
        """
        return {"summary": self.summary(), **{name: self.frame(name) for name in self.frames}}

    def _repr_html_(self) -> str:
        params = ", ".join(f"{k}={_short(v)}" for k, v in getattr(self, "params", {}).items())
        frames = ", ".join(f"<code>{n}()</code>" for n in self.frames) or "none"
        return (
            f"<div><b>{html.escape(type(self).__name__)}</b> <small>{html.escape(params)}</small>"
            f"{self.summary().to_html(index=False)}<small>frames: {frames}</small></div>"
        )


def _short(v) -> str:
    r = repr(v)
    return r if len(r) <= 40 else r[:37] + "..."


def one_row(**values) -> pd.DataFrame:
    """A one-row DataFrame of ``values`` (in the order given).

    Parameters
    ----------
    **values : object
        Column name -> the row's value.

    Returns
    -------
    pandas.DataFrame
        One row, one column per keyword.

    Examples
    --------
    >>> from workbench.results import one_row
    >>> one_row(requests=100, hit_ratio=0.25)
       requests  hit_ratio
    0       100       0.25
    """
    return pd.DataFrame([values])


def unknown_columns(frame: pd.DataFrame) -> list:
    """The columns of ``frame`` that are not in the vocabulary :data:`COLUMNS`.

    Parameters
    ----------
    frame : pandas.DataFrame
        A summary (or any frame) whose column names to check.

    Returns
    -------
    list
        The unknown column names, in the frame's order (empty when every column is known).

    Examples
    --------
    >>> from workbench.results import one_row, unknown_columns
    >>> unknown_columns(one_row(hit_ratio=0.5, hits_percent=50))
    ['hits_percent']
    """
    return [c for c in frame.columns if c not in COLUMNS]


def json_params(params: dict) -> dict:
    """A result's parameters as JSON holds them exactly: numbers, strings, booleans, None, lists and
    dicts with string keys stay; anything else (a scenario, a circuit, an array) is described by its
    ``repr`` in a ``{"repr": ...}`` object, which is what a record stores.

    Tuples become lists, numpy scalars their Python value, and NaN or infinite floats a
    ``{"repr": ...}`` object.

    Parameters
    ----------
    params : dict
        A result's ``params``.

    Returns
    -------
    dict
        The same keys with JSON-safe values.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.results import json_params
    >>> json_params({"n": 3, "shape": (2, 3), "x": np.float64(0.5), "f": float("nan")})
    {'n': 3, 'shape': [2, 3], 'x': 0.5, 'f': {'repr': 'nan'}}
    """

    def conv(v):
        if v is None or type(v) in (bool, str, int):
            return v
        if type(v) is float:
            return v if math.isfinite(v) else {"repr": repr(v)}
        if hasattr(v, "item") and getattr(v, "ndim", None) == 0:  # numpy scalars
            return conv(v.item())
        if isinstance(v, (list, tuple)):
            return [conv(x) for x in v]
        if isinstance(v, dict) and all(type(k) is str for k in v):
            return {k: conv(x) for k, x in v.items()}
        return {"repr": repr(v)}

    out = {k: conv(v) for k, v in params.items()}
    json.dumps(out)  # sanity: everything is JSON now
    return out
