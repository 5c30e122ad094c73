"""Logical error rates, threshold sweeps and error-suppression factors of memory experiments.

:func:`logical_error_rate` samples a circuit in batches with the frame sampler, decodes every batch and counts
the shots whose predicted observable flips differ from the true ones, with a Wilson confidence interval and the
per-round rate. :func:`threshold_sweep` runs it over distances x physical error rates on
:func:`workbench.sweeps.sweep` (so on a Dask cluster with ``client=``); :func:`threshold` finds where the curves
of successive distances cross and :func:`suppression_factor` the factor Lambda by which each step of two in
distance divides the logical error rate.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd

from ...results import Result, one_row
from ..circuit import QuantumError
from . import _uf
from .decoders import DECODERS, compile_decoder
from .dem import detector_error_model
from .generate import TASKS, generated
from .sampler import _circuit, _seed, _shots, packed_samples, unpack

__all__ = [
    "LogicalErrorResult",
    "logical_error_rate",
    "threshold_sweep",
    "threshold",
    "suppression_factor",
    "wilson_interval",
    "per_round",
]


def wilson_interval(errors: int, shots: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion (95% by default).

    Parameters
    ----------
    errors : int
        Failures counted.
    shots : int
        Trials; ``0`` gives the whole interval ``(0, 1)``.
    z : float, default 1.959963984540054
        Standard-normal quantile of the confidence level (the default is 95%).

    Returns
    -------
    tuple of float
        ``(low, high)``, clipped to [0, 1].

    Examples
    --------
    >>> from workbench.quantum.stabilizer.experiments import wilson_interval
    >>> [round(x, 4) for x in wilson_interval(10, 1000)]
    [0.0054, 0.0183]
    """
    if shots == 0:
        return 0.0, 1.0
    p = errors / shots
    den = 1 + z * z / shots
    centre = (p + z * z / (2 * shots)) / den
    half = z * math.sqrt(p * (1 - p) / shots + z * z / (4 * shots * shots)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


def per_round(p_shot, rounds: int):
    """Logical error per round from the error per shot: ``(1 - (1 - 2 P)^(1/r)) / 2``.

    Parameters
    ----------
    p_shot : float or array_like
        Logical error rate per shot (of the whole experiment).
    rounds : int
        Rounds of syndrome extraction in the experiment.

    Returns
    -------
    numpy.ndarray
        The per-round rate, of the shape of ``p_shot`` (a 0-d array for a number).

    Examples
    --------
    >>> from workbench.quantum.stabilizer.experiments import per_round
    >>> round(float(per_round(0.1, 5)), 4), per_round([0.0, 0.5], 3).tolist()
    (0.0218, [0.0, 0.5])
    """
    p = np.asarray(p_shot, dtype=float)
    return 0.5 - 0.5 * np.sign(1 - 2 * p) * np.abs(1 - 2 * p) ** (1.0 / rounds)


class LogicalErrorResult(Result):
    """Logical errors of a decoded memory experiment: ``summary()`` and ``batches()``.

    Returned by :func:`logical_error_rate`.

    Parameters
    ----------
    params : dict
        The inputs: ``decoder``, ``shots``, ``seed``, ``rounds``, ``batch_shots``, ``max_errors`` and ``qubits``
        (``summary()`` reads ``decoder``, ``seed`` and ``rounds``).
    errors : int
        Shots whose predicted observable flips differ from the true ones.
    shots : int
        Shots sampled and decoded.
    seconds : float
        Wall time of the run (model, decoder, sampling and decoding).
    batch_rows : list of tuple
        ``(shots, errors)`` of each batch, in order.
    n_detectors : int
        Detectors of the circuit.
    detection_fraction : float
        Fraction of all detector results (over every shot) that fired.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import logical_error_rate, repetition_memory
    >>> r = logical_error_rate(repetition_memory(3, 1), 1000, seed=1)
    >>> r.errors, r.shots, r.rate, r.batches().shape
    (0, 1000, 0.0, (1, 2))
    """

    frames = ("batches",)

    def __init__(self, params, errors, shots, seconds, batch_rows, n_detectors, detection_fraction):
        self.params = params
        self.errors, self.shots, self.seconds = int(errors), int(shots), float(seconds)
        self._batches = batch_rows
        self.n_detectors = n_detectors
        self.detection_fraction = detection_fraction

    def batches(self) -> pd.DataFrame:
        """Errors per batch of shots (for convergence checks).

        Returns
        -------
        pandas.DataFrame
            Columns ``shots`` and ``errors``, one row per batch in sampling order.
        """
        return pd.DataFrame(self._batches, columns=["shots", "errors"])

    @property
    def rate(self) -> float:
        """Logical error rate per shot.

        Returns
        -------
        float
            ``errors / shots`` (NaN when no shot was run).
        """
        return self.errors / self.shots if self.shots else float("nan")

    def summary(self) -> pd.DataFrame:
        """One row: decoder, seed, shots, errors, the rate and its 95% Wilson interval, the per-round rate.

        Returns
        -------
        pandas.DataFrame
            Columns ``method`` (the decoder), ``seed``, ``shots``, ``errors``, ``logical_error_rate``, ``ci_low``,
            ``ci_high``, then ``rounds`` and ``logical_error_rate_per_round`` when the rounds are known, then
            ``detectors``, ``detection_ratio`` and ``seconds``.
        """
        lo, hi = wilson_interval(self.errors, self.shots)
        rounds = self.params.get("rounds")
        row = {
            "method": self.params["decoder"],
            "seed": self.params["seed"],
            "shots": self.shots,
            "errors": self.errors,
            "logical_error_rate": self.rate,
            "ci_low": lo,
            "ci_high": hi,
        }
        if rounds:
            row["rounds"] = rounds
            row["logical_error_rate_per_round"] = float(per_round(self.rate, rounds))
        row["detectors"] = self.n_detectors
        row["detection_ratio"] = self.detection_fraction
        row["seconds"] = self.seconds
        return one_row(**row)


def logical_error_rate(
    circuit,
    shots: int = 100_000,
    *,
    decoder: str = "union_find",
    seed=None,
    rounds: int | None = None,
    batch_shots: int = 65_536,
    max_errors: int | None = None,
    dem=None,
) -> LogicalErrorResult:
    """Sample, decode and count logical errors of a circuit with detectors and observables.

    Parameters
    ----------
    circuit : StabilizerCircuit or str
        A noisy circuit with ``DETECTOR`` and ``OBSERVABLE_INCLUDE`` annotations (Stim text is read).
    shots : int
        Shots at most (fewer if ``max_errors`` is reached first).
    decoder : {"union_find", "pymatching", "lookup"}
        The decoder (see :func:`~.decoders.compile_decoder`).
    seed : int, numpy.random.Generator or None
        Same seed, same batches and result (``None`` draws a fresh seed, recorded in ``params``).
    rounds : int, optional
        Rounds of syndrome extraction, for the per-round rate (read from a generated circuit's ``REPEAT``).
    batch_shots : int
        Shots sampled and decoded together.
    max_errors : int, optional
        Stop after the batch in which this many logical errors have been counted (as sinter's ``max_errors``).
    dem : DetectorErrorModel, optional
        A model already built for the circuit (built with ``decompose=True`` otherwise).

    Returns
    -------
    LogicalErrorResult
        The errors and shots counted, per batch too; ``summary()`` gives the rate with its Wilson interval.

    Raises
    ------
    QuantumError
        If ``decoder`` is unknown, ``shots``, ``seed`` or ``batch_shots`` (a whole number >= 64) is invalid, or the
        circuit has no ``OBSERVABLE_INCLUDE``.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import logical_error_rate, repetition_memory
    >>> c = repetition_memory(5, 5, before_measure_flip_probability=0.02, before_round_data_depolarization=0.02)
    >>> r = logical_error_rate(c, 20_000, seed=1)
    >>> s = r.summary()
    >>> bool(s.ci_low[0] <= s.logical_error_rate[0] <= s.ci_high[0]), int(s.rounds[0])
    (True, 5)
    """
    c = _circuit(circuit)
    shots = _shots(shots)
    if not isinstance(decoder, str) or decoder not in DECODERS:
        raise QuantumError(f"unknown decoder {decoder!r}; known: {', '.join(DECODERS)}")
    if isinstance(batch_shots, bool) or not isinstance(batch_shots, int) or batch_shots < 64:
        raise QuantumError(f"batch_shots must be a whole number >= 64, got {batch_shots!r}")
    prog = c.program()
    if prog.n_observables == 0:
        raise QuantumError("the circuit has no OBSERVABLE_INCLUDE: there is no logical error to count")
    for name, v in (("rounds", rounds), ("max_errors", max_errors)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1):
            raise QuantumError(f"{name} must be a whole number >= 1 or None, got {v!r}")
    if rounds is None:
        reps = [it.count for it in c.items if hasattr(it, "count")]
        rounds = reps[0] + 1 if len(reps) == 1 else (1 if not reps else None)
    seed_value = _seed(seed)
    t0 = time.perf_counter()
    model = dem if dem is not None else detector_error_model(c, decompose=True)
    dec = compile_decoder(model, decoder)
    rng = np.random.default_rng(seed_value)
    done = errors = 0
    fired = 0
    batches = []
    while done < shots:
        n = min(batch_shots, shots - done)
        det_w, obs_w, _ = packed_samples(prog, n, int(rng.integers(0, 2**63 - 1)))
        actual = _obs_masks(obs_w, n)
        if decoder == "union_find":
            ptr, flat = _uf.shot_defects(det_w, n)
            fired += len(flat)
            pred = dec.decode_sparse(ptr, flat, n)
        else:
            det = unpack(det_w, n)
            fired += int(det.sum())
            pb = dec.decode_batch(det)
            pred = (pb.astype(np.uint64) << np.arange(pb.shape[1], dtype=np.uint64)[None, :]).sum(axis=1)
            pred = pred.astype(np.uint64)
        e = int(np.count_nonzero(pred != actual))
        errors += e
        done += n
        batches.append((n, e))
        if max_errors is not None and errors >= max_errors:
            break
    params = {
        "circuit": str(c),
        "dem": None if dem is None else repr(dem),
        "decoder": decoder,
        "shots": shots,
        "seed": seed_value,
        "rounds": rounds,
        "batch_shots": batch_shots,
        "max_errors": max_errors,
        "qubits": prog.n_qubits,
    }
    frac = fired / (done * prog.n_detectors) if prog.n_detectors and done else 0.0
    return LogicalErrorResult(params, errors, done, time.perf_counter() - t0, batches, prog.n_detectors, frac)


def _obs_masks(obs_w, n):
    n_obs = obs_w.shape[0]
    out = np.zeros(n, dtype=np.uint64)
    bits = unpack(obs_w, n)
    for k in range(n_obs):
        out |= bits[:, k].astype(np.uint64) << np.uint64(k)
    return out


def memory_point(
    distance: int,
    p: float,
    *,
    shots: int,
    task: str = "surface_code:rotated_memory_z",
    rounds: int | None = None,
    decoder: str = "union_find",
    max_errors: int | None = None,
    seed=None,
) -> pd.DataFrame:
    """One point of a threshold sweep: the memory experiment of ``task`` with all four noise knobs at ``p``."""
    r = distance if rounds is None else rounds
    c = generated(
        task,
        distance=distance,
        rounds=r,
        after_clifford_depolarization=p,
        before_round_data_depolarization=p,
        before_measure_flip_probability=p,
        after_reset_flip_probability=p,
    )
    return logical_error_rate(c, shots, decoder=decoder, seed=seed, rounds=r, max_errors=max_errors).summary()


def threshold_sweep(
    distances=(3, 5, 7),
    rates=None,
    *,
    shots: int = 100_000,
    task: str = "surface_code:rotated_memory_z",
    rounds: int | None = None,
    decoder: str = "union_find",
    max_errors: int | None = None,
    seeds=(0,),
    client=None,
    progress: bool = True,
) -> pd.DataFrame:
    """Logical error rates over distances x physical error rates (uniform circuit noise), one row per point.

    Runs on :func:`workbench.sweeps.sweep`: a progress bar here, or the points spread over a Dask cluster
    with ``client``. Rounds default to the distance.

    Parameters
    ----------
    distances : sequence of int, default (3, 5, 7)
        Code distances.
    rates : sequence of float, optional
        Physical error rates, each set on all four noise knobs of the generator (default: eight rates
        log-spaced from 0.002 to 0.012).
    shots : int, default 100_000
        Shots per point at most.
    task : str, default "surface_code:rotated_memory_z"
        A memory experiment of :data:`~.generate.TASKS`.
    rounds : int, optional
        Rounds of syndrome extraction (default: the distance).
    decoder : {"union_find", "pymatching", "lookup"}, default "union_find"
        The decoder.
    max_errors : int, optional
        Stop a point after the batch in which this many logical errors have been counted.
    seeds : sequence of int, default (0,)
        Seeds; every point runs once per seed.
    client : dask.distributed.Client, optional
        Run the points on this Dask cluster (default: here).
    progress : bool, default True
        Show a progress bar.

    Returns
    -------
    pandas.DataFrame
        One row per distance, rate and seed, in grid order: columns ``distance``, ``p``, ``seed`` and the columns
        of :meth:`LogicalErrorResult.summary`.

    Raises
    ------
    QuantumError
        If ``task`` is unknown, or ``distances`` or ``rates`` is empty.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import threshold_sweep
    >>> df = threshold_sweep((3, 5), (0.002, 0.02), shots=5_000, progress=False)
    >>> list(df.columns[:3]), len(df)
    (['distance', 'p', 'seed'], 4)
    """
    from ...sweeps import sweep

    if task not in TASKS:
        raise QuantumError(f"unknown task {task!r}; known: {', '.join(TASKS)}")
    if rates is None:
        rates = np.geomspace(0.002, 0.012, 8)
    rates = [float(p) for p in rates]
    distances = [int(d) for d in distances]
    if not distances or not rates:
        raise QuantumError("threshold_sweep needs at least one distance and one rate")
    fn = _SweepPoint(shots, task, rounds, decoder, max_errors)
    return sweep(fn, {"distance": distances, "p": rates}, seeds=seeds, client=client, progress=progress)


class _SweepPoint:
    """A picklable memory_point with the fixed options bound (for Dask workers)."""

    __name__ = "memory_point"

    def __init__(self, shots, task, rounds, decoder, max_errors):
        self.kw = dict(shots=shots, task=task, rounds=rounds, decoder=decoder, max_errors=max_errors)

    def __call__(self, distance, p, seed=None):
        return memory_point(distance, p, seed=seed, **self.kw)


def threshold(frame: pd.DataFrame, *, rate_column: str = "logical_error_rate") -> pd.DataFrame:
    """Where the curves of successive distances cross: one row per pair, and its mean as the estimate.

    Between the two grid rates where ``rate(d_small) - rate(d_large)`` changes sign, the crossing is
    interpolated linearly in log-log coordinates. Pairs whose curves do not cross give NaN.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``distance``, ``p`` and ``rate_column`` (as :func:`threshold_sweep` returns); rows of the same
        distance and rate (several seeds) are averaged.
    rate_column : str, default "logical_error_rate"
        The column of logical error rates compared.

    Returns
    -------
    pandas.DataFrame
        Columns ``distance``, ``distance_next`` and ``threshold``: one row per pair of successive distances,
        then a row ``"all"`` with their mean (NaN if no pair crosses).

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.quantum.stabilizer import threshold
    >>> df = pd.DataFrame({"distance": [3, 3, 5, 5], "p": [0.001, 0.01, 0.001, 0.01],
    ...                    "logical_error_rate": [1e-3, 1e-1, 1e-4, 2e-1]})
    >>> round(float(threshold(df).threshold.iloc[-1]), 5)
    0.00587
    """
    g = frame.groupby(["distance", "p"])[rate_column].mean().unstack("p")
    ds = sorted(g.index)
    rows = []
    for d1, d2 in zip(ds[:-1], ds[1:]):
        a, b = g.loc[d1], g.loc[d2]
        ps = np.array(sorted(set(a.index) & set(b.index)))
        diff = np.log(np.clip(a[ps].to_numpy(float), 1e-300, None)) - np.log(
            np.clip(b[ps].to_numpy(float), 1e-300, None)
        )
        cross = float("nan")
        for k in range(len(ps) - 1):
            if diff[k] * diff[k + 1] <= 0 and diff[k] != diff[k + 1]:
                t = diff[k] / (diff[k] - diff[k + 1])
                cross = float(np.exp(np.log(ps[k]) + t * (np.log(ps[k + 1]) - np.log(ps[k]))))
                break
        rows.append({"distance": d1, "distance_next": d2, "threshold": cross})
    out = pd.DataFrame(rows)
    est = float(np.nanmean(out.threshold)) if out.threshold.notna().any() else float("nan")
    return pd.concat(
        [out, pd.DataFrame([{"distance": "all", "distance_next": "all", "threshold": est}])], ignore_index=True
    )


def suppression_factor(frame: pd.DataFrame, *, rate_column: str = "logical_error_rate_per_round") -> pd.DataFrame:
    """Lambda per physical rate: the factor by which each distance step of two divides the logical error rate.

    Fits ``log(rate) = a - (d / 2) log(Lambda)`` over the distances (least squares); Lambda > 1 below threshold.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``distance``, ``p`` and the rate column (as :func:`threshold_sweep` returns); rows of the same
        distance and rate are averaged and zero rates left out.
    rate_column : str, default "logical_error_rate_per_round"
        The rate fitted; ``logical_error_rate`` is used when the frame has no such column.

    Returns
    -------
    pandas.DataFrame
        Columns ``p``, ``lambda`` (NaN with fewer than two distances of nonzero rate) and ``distances`` (the
        number fitted), one row per physical rate.

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.quantum.stabilizer import suppression_factor
    >>> df = pd.DataFrame({"distance": [3, 5, 3, 5], "p": [0.001, 0.001, 0.002, 0.002],
    ...                    "logical_error_rate": [1e-3, 1e-4, 4e-3, 8e-4]})
    >>> [round(x, 6) for x in suppression_factor(df)["lambda"]]
    [10.0, 5.0]
    """
    col = rate_column if rate_column in frame else "logical_error_rate"
    rows = []
    for p, sub in frame.groupby("p"):
        m = sub.groupby("distance")[col].mean()
        m = m[m > 0]
        if len(m) < 2:
            rows.append({"p": p, "lambda": float("nan"), "distances": len(m)})
            continue
        slope = np.polyfit(m.index.to_numpy(float), np.log(m.to_numpy(float)), 1)[0]
        rows.append({"p": p, "lambda": float(np.exp(-2 * slope)), "distances": len(m)})
    return pd.DataFrame(rows)
