"""Queueing theory next to the simulator: Erlang C, Pollaczek-Khinchine, availability, replications."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from ..errors import MAX_COUNT, Int, Real, check, check_real
from ..results import Result, one_row
from .sim import EdgeSimError, queue_scenario, simulate

__all__ = ["erlang_c", "mmc_wait", "mg1_wait", "md1_wait", "availability", "simulate_queue", "replicate", "queue_table"]


def _rates(lam, mu, c=1):
    lam = check_real("the arrival rate lam", lam, minimum=0, exclusive_min=True, error=EdgeSimError)
    mu = check_real("the service rate mu", mu, minimum=0, exclusive_min=True, error=EdgeSimError)
    c = check("c", c, Int(1, 2**31 - 1), EdgeSimError)
    if lam >= c * mu:
        raise EdgeSimError(
            f"unstable queue: utilisation lam / (c mu) = {lam / (c * mu):.3f} >= 1, waits grow without bound"
        )
    return lam, mu, c


def erlang_c(lam: float, mu: float, c: int) -> float:
    """Probability that an arriving customer waits in an M/M/c queue (Erlang's C formula).

    .. math::
        C(c, a) = \\frac{\\frac{a^c}{c!} \\frac{c}{c - a}}{\\sum_{k=0}^{c-1} \\frac{a^k}{k!} + \\frac{a^c}{c!} \\frac{c}{c - a}},
        \\quad a = \\lambda / \\mu

    Computed through the numerically stable Erlang B recursion.

    Parameters
    ----------
    lam : float
        Arrival rate (per second), > 0.
    mu : float
        Service rate of one server (per second), > 0.
    c : int
        Servers, in [1, 2**31 - 1].

    Returns
    -------
    float
        The probability of waiting, in [0, 1).

    Raises
    ------
    EdgeSimError
        If a rate is not a finite number > 0, ``c`` is not an integer >= 1, or the queue is unstable
        (``lam >= c * mu``).

    Examples
    --------
    >>> round(erlang_c(0.5, 1.0, 1), 6)  # M/M/1: P(wait) = rho
    0.5
    """
    lam, mu, c = _rates(lam, mu, c)
    a = lam / mu
    b = _erlang_b(c, a)
    rho = a / c
    return b / (1 - rho + rho * b)


def _erlang_b(c: int, a: float) -> float:
    """Erlang B, P(all c servers busy) with offered load a: the recursion for small c, and the
    equal ratio of Poisson probabilities ``pmf(c; a) / cdf(c; a)`` in log space beyond (O(1))."""
    if c <= 1000:
        b = 1.0
        for k in range(1, c + 1):
            b = a * b / (k + a * b)
        return b
    from scipy.stats import poisson

    return float(math.exp(poisson.logpmf(c, a) - poisson.logcdf(c, a)))


def mmc_wait(lam: float, mu: float, c: int = 1) -> float:
    """Mean time in queue of M/M/c: ``C(c, a) / (c mu - lam)``.

    Parameters
    ----------
    lam : float
        Arrival rate (per second), > 0.
    mu : float
        Service rate of one server (per second), > 0.
    c : int, default 1
        Servers, in [1, 2**31 - 1].

    Returns
    -------
    float
        The mean wait before service (s), excluding the service itself.

    Raises
    ------
    EdgeSimError
        If a rate is not a finite number > 0, ``c`` is not an integer >= 1, or the queue is unstable
        (``lam >= c * mu``).

    Examples
    --------
    >>> mmc_wait(0.8, 1.0)  # rho / (mu - lam)
    4.000000000000001
    """
    lam, mu, c = _rates(lam, mu, c)
    return erlang_c(lam, mu, c) / (c * mu - lam)


def mg1_wait(lam: float, mean_s: float, second_moment_s2: float) -> float:
    """Pollaczek-Khinchine mean wait of M/G/1: ``lam E[S^2] / (2 (1 - rho))``.

    Parameters
    ----------
    lam : float
        Arrival rate (per second), > 0.
    mean_s : float
        Mean service time ``E[S]`` (s), > 0.
    second_moment_s2 : float
        Second moment of the service time ``E[S^2]`` (s^2), at least ``mean_s ** 2``.

    Returns
    -------
    float
        The mean wait before service (s).

    Raises
    ------
    EdgeSimError
        If a value is out of range (``second_moment_s2 < mean_s ** 2``) or the queue is unstable
        (``rho = lam * mean_s >= 1``).

    Examples
    --------
    >>> mg1_wait(0.5, 1.0, 2.0)  # exponential service: E[S^2] = 2 E[S]^2 -> M/M/1
    1.0
    """
    mean_s = check("mean_s", mean_s, Real(0, lo_open=True), EdgeSimError)
    lam, _, _ = _rates(lam, 1.0 / mean_s)
    second_moment_s2 = check("second_moment_s2", second_moment_s2, Real(mean_s * mean_s * (1 - 1e-12)), EdgeSimError)
    return lam * second_moment_s2 / (2 * (1 - lam * mean_s))


def md1_wait(lam: float, mu: float) -> float:
    """M/D/1 mean wait, P-K with deterministic service: ``rho / (2 mu (1 - rho))``.

    Parameters
    ----------
    lam : float
        Arrival rate (per second), > 0.
    mu : float
        Service rate of one server (per second), > 0.

    Returns
    -------
    float
        The mean wait before service (s).

    Raises
    ------
    EdgeSimError
        If a rate is not a finite number > 0, or the queue is unstable (``lam >= mu``).

    Examples
    --------
    >>> md1_wait(0.5, 1.0)
    0.5
    """
    lam, mu, _ = _rates(lam, mu)
    return mg1_wait(lam, 1.0 / mu, (1.0 / mu) ** 2)


def availability(mtbf: float, mttr: float) -> float:
    """Steady-state availability of an alternating up/down process: ``MTBF / (MTBF + MTTR)``.

    Parameters
    ----------
    mtbf : float
        Mean time between failures (mean up time), > 0.
    mttr : float
        Mean time to repair (mean down time), >= 0, in the unit of ``mtbf``.

    Returns
    -------
    float
        The long-run fraction of time up, in (0, 1].

    Raises
    ------
    EdgeSimError
        If ``mtbf`` is not a finite number > 0 or ``mttr`` not a finite number >= 0.

    Examples
    --------
    >>> availability(99.0, 1.0)
    0.99
    """
    mtbf = check("mtbf", mtbf, Real(0, lo_open=True), EdgeSimError)
    mttr = check("mttr", mttr, Real(0), EdgeSimError)
    return mtbf / (mtbf + mttr)


_SECOND = {"exp": 2.0, "det": 1.0, "uniform": 13.0 / 12.0}  # E[S^2] / E[S]^2


@dataclass
class QueueResult(Result):
    """One simulated queue next to its theory: measured and predicted mean wait in the queue (s),
    utilisation and the customers measured; ``params`` holds the inputs.

    Parameters
    ----------
    arrival_rate : float
        Arrivals per second.
    service_rate : float
        Services per second per server.
    servers : int
        Servers of the queue.
    service : str
        Service-time distribution: ``"exp"``, ``"det"`` or ``"uniform"``.
    wait_mean_s : float
        Measured mean time waiting in the queue (s).
    wait_theory_s : float
        The mean wait queueing theory predicts (s): Erlang C for ``"exp"``, Pollaczek-Khinchine for one
        server, else NaN.
    utilisation : float
        Measured busy core-seconds / available core-seconds.
    customers : int
        Customers measured (completed after the warm-up).
    params : dict, optional
        The inputs of :func:`simulate_queue`. Default: an empty dict.

    Examples
    --------
    >>> from workbench.edge import simulate_queue
    >>> r = simulate_queue(0.5, 1.0, 2, n_customers=2_000, seed=0)
    >>> r.servers, round(r.wait_theory_s, 4), r.summary().columns.tolist()[:4]
    (2, 0.0667, ['arrival_rate', 'service_rate', 'servers', 'service'])
    """

    arrival_rate: float
    service_rate: float
    servers: int
    service: str
    wait_mean_s: float
    wait_theory_s: float
    utilisation: float
    customers: int
    params: dict = field(default_factory=dict, repr=False)

    def summary(self) -> pd.DataFrame:
        """One row: rates, servers, service distribution, measured and theoretical mean wait, utilisation.

        Returns
        -------
        pandas.DataFrame
            One row with columns arrival_rate, service_rate, servers, service, wait_mean_s, wait_theory_s,
            utilisation, customers.
        """
        return one_row(
            arrival_rate=self.arrival_rate,
            service_rate=self.service_rate,
            servers=self.servers,
            service=self.service,
            wait_mean_s=self.wait_mean_s,
            wait_theory_s=self.wait_theory_s,
            utilisation=self.utilisation,
            customers=self.customers,
        )


def simulate_queue(
    lam: float,
    mu: float,
    c: int = 1,
    service: str = "exp",
    *,
    n_customers: int = 200_000,
    warmup: float = 0.1,
    seed=None,
) -> QueueResult:
    """Simulate a single FCFS queue on the discrete-event engine; return measured and theoretical waits.

    Parameters
    ----------
    lam : float
        Arrival rate (per second), > 0.
    mu : float
        Service rate of one server (per second), > 0.
    c : int, default 1
        Servers, in [1, 2**31 - 1].
    service : {"exp", "det", "uniform"}, default "exp"
        Service-time distribution (mean ``1/mu``; ``"uniform"`` on 0.5-1.5 times the mean).
    n_customers : int, default 200_000
        Customers to simulate, >= 1.
    warmup : float, default 0.1
        Fraction of the expected run time whose customers are not measured, in [0, 1).
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the simulation; the same seed gives the same result. An integer must be >= 0.

    Returns
    -------
    QueueResult
        ``wait_mean_s`` (measured mean time in queue), ``wait_theory_s`` (Erlang C for exp, P-K for
        c = 1, else NaN), ``utilisation``, ``customers``.

    Raises
    ------
    EdgeSimError
        If a rate, ``c``, ``n_customers``, ``warmup`` or ``seed`` is out of range, ``service`` is unknown,
        or the queue is unstable (``lam >= c * mu``).

    Examples
    --------
    >>> r = simulate_queue(0.5, 1.0, n_customers=50_000, seed=1)
    >>> bool(abs(r.wait_mean_s - r.wait_theory_s) / r.wait_theory_s < 0.1)
    True
    """
    lam, mu, c = _rates(lam, mu, c)
    if service not in _SECOND:
        raise EdgeSimError(f"service must be one of {list(_SECOND)}, got {service!r}")
    n_customers = check("n_customers", n_customers, Int(1, MAX_COUNT), EdgeSimError)
    warmup = check("warmup", warmup, Real(0, 1, hi_open=True), EdgeSimError)
    res = simulate(
        queue_scenario(lam, mu, c, service),
        "nearest",
        n_tasks=n_customers,
        seed=seed,
        warmup_s=warmup * n_customers / lam,
    )
    s = res.summary().iloc[0]
    if service == "exp":
        theory = mmc_wait(lam, mu, c)
    elif c == 1:
        theory = mg1_wait(lam, 1 / mu, _SECOND[service] / mu**2)
    else:
        theory = float("nan")
    return QueueResult(
        lam,
        mu,
        c,
        service,
        s.wait_mean_ms / 1e3,
        theory,
        float(s.utilisation),
        int(s.measured),
        {"lam": lam, "mu": mu, "c": c, "service": service, "n_customers": n_customers, "warmup": warmup, "seed": seed},
    )


def replicate(fn, seeds=range(10), *, confidence: float = 0.95, **kwargs) -> pd.DataFrame:
    """Run ``fn(seed=s, **kwargs)`` (returning a result, or a dict of numbers) for each seed; summarise.

    Parameters
    ----------
    fn : callable
        Called as ``fn(seed=s, **kwargs)``; returns a :class:`~workbench.results.Result` (its ``summary()``
        row is used) or a dict of numbers.
    seeds : iterable of int, default range(10)
        One replication per seed, at least 2.
    confidence : float, default 0.95
        Level of the confidence interval, in (0, 1).
    **kwargs
        Passed to every call of ``fn``.

    Returns
    -------
    pandas.DataFrame
        One row per numeric output (metric), with its mean, standard deviation (sd), the Student-t
        confidence interval of the mean (ci_low, ci_high), and the number of replications (n).

    Raises
    ------
    EdgeSimError
        If there are fewer than 2 seeds or ``confidence`` is not in (0, 1).

    Examples
    --------
    >>> df = replicate(simulate_queue, range(3), lam=0.5, mu=1.0, n_customers=20_000)
    >>> list(df.columns)
    ['metric', 'mean', 'sd', 'ci_low', 'ci_high', 'n']
    """
    from scipy import stats

    seeds = list(seeds)
    if len(seeds) < 2:
        raise EdgeSimError("replicate needs at least 2 seeds for a confidence interval")
    if not 0 < confidence < 1:
        raise EdgeSimError(f"confidence must be in (0, 1), got {confidence!r}")
    outs = [fn(seed=s, **kwargs) for s in seeds]
    rows = pd.concat([o.summary() if isinstance(o, Result) else pd.DataFrame([o]) for o in outs], ignore_index=True)
    num = rows.select_dtypes("number")
    n = len(rows)
    t = stats.t.ppf(0.5 + confidence / 2, n - 1)
    mean, sd = num.mean(), num.std(ddof=1)
    half = t * sd / math.sqrt(n)
    return pd.DataFrame(
        {
            "metric": num.columns,
            "mean": mean.to_numpy(),
            "sd": sd.to_numpy(),
            "ci_low": (mean - half).to_numpy(),
            "ci_high": (mean + half).to_numpy(),
            "n": n,
        }
    )


def queue_table(
    rhos=(0.5, 0.7, 0.8, 0.9, 0.95), c: int = 1, service: str = "exp", *, n_customers: int = 100_000, seed=0
) -> pd.DataFrame:
    """Theory vs simulation of the mean wait across utilisations (a tidy frame for charts).

    Each utilisation ``rho`` is simulated with :func:`simulate_queue` at service rate 1 and arrival rate
    ``rho * c``.

    Parameters
    ----------
    rhos : iterable of float, default (0.5, 0.7, 0.8, 0.9, 0.95)
        Utilisations, each in (0, 1).
    c : int, default 1
        Servers, in [1, 2**31 - 1].
    service : {"exp", "det", "uniform"}, default "exp"
        Service-time distribution.
    n_customers : int, default 100_000
        Customers simulated per utilisation, >= 1.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None, default 0
        Seed of every simulation. An integer must be >= 0.

    Returns
    -------
    pandas.DataFrame
        Two rows per utilisation: rho, source (``"theory"`` or ``"simulation"``) and wait_mean_s (theory:
        NaN for ``"det"`` and ``"uniform"`` with several servers).

    Raises
    ------
    EdgeSimError
        If a utilisation is not in (0, 1) or another parameter is out of range (as in
        :func:`simulate_queue`).

    Examples
    --------
    >>> queue_table((0.5,), n_customers=10_000).columns.tolist()
    ['rho', 'source', 'wait_mean_s']
    """
    rows = []
    for rho in rhos:
        r = simulate_queue(rho * c, 1.0, c, service, n_customers=n_customers, seed=seed)
        rows += [
            {"rho": rho, "source": "theory", "wait_mean_s": r.wait_theory_s},
            {"rho": rho, "source": "simulation", "wait_mean_s": r.wait_mean_s},
        ]
    return pd.DataFrame(rows)
