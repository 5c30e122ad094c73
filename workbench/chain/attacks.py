r"""Attacks against their published closed forms: double spending and selfish mining.

Double spend (Nakamoto 2008, section 11). An attacker with a fraction :math:`q` of the hash
power (honest :math:`p = 1 - q`) tries to replace a payment that has :math:`z` confirmations.
Nakamoto approximates the attacker's progress while the merchant waits by a Poisson variable
of mean :math:`\lambda = z q / p` and gets

.. math:: P_N(z) = 1 - \sum_{k=0}^{z} \frac{\lambda^k e^{-\lambda}}{k!}\left(1 - (q/p)^{z-k}\right).

Grunspan and Perez-Marco (2018) count the attacker's blocks exactly (a negative binomial) and
find the closed form :math:`P(z) = I_{4pq}(z, 1/2)` (regularized incomplete beta). The Poisson
approximation has too thin a tail: for :math:`q \le 0.3` the exact value is larger from
:math:`z = 3` on and the gap grows with :math:`z` (at q = 0.1, z = 10: 7.9e-6 against 1.2e-6,
so a merchant needs more confirmations than the whitepaper's table says).

Selfish mining (Eyal and Sirer 2014). A pool with fraction :math:`\alpha` withholds blocks; when
the honest network finds one, the pool races, and a fraction :math:`\gamma` of honest miners
build on the pool's block. The pool's share of the main chain is

.. math:: R = \frac{\alpha(1-\alpha)^2(4\alpha + \gamma(1-2\alpha)) - \alpha^3}{1 - \alpha(1 + (2-\alpha)\alpha)},

which beats honest mining (:math:`R > \alpha`) above :math:`\alpha^* = (1-\gamma)/(3-2\gamma)`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import betainc, gammainc, gammaincc

from ..errors import MAX_COUNT, Int, KernelSeed, WorkbenchError, check, check_memory, check_real, make_rng

__all__ = [
    "nakamoto_probability",
    "exact_double_spend_probability",
    "double_spend_table",
    "selfish_revenue",
    "selfish_threshold",
    "simulate_selfish_mining",
    "simulate_double_spend",
]


def _check_q(q) -> float:
    return check_real("attacker share q", q, minimum=0.0, maximum=1.0)


def _check_z(z) -> int:
    return check("confirmations z", z, Int(0, MAX_COUNT), WorkbenchError)


def nakamoto_probability(q: float, z: int) -> float:
    r"""The whitepaper's ``AttackerSuccessProbability(q, z)``, evaluated stably.

    Nakamoto's sum :math:`1 - \sum_{k=0}^{z} \frac{\lambda^k e^{-\lambda}}{k!}(1 - (q/p)^{z-k})`
    with :math:`\lambda = zq/p` cancels catastrophically once it is small (the C loop of the
    paper returns 1 or a negative number for large z). Splitting it into the Poisson tail and the
    sum of :math:`(q/p)^{z-k}` terms, which is :math:`(q/p)^z e^{z-\lambda} P(\mathrm{Pois}(z) \le z)`,
    gives two positive terms, each a regularised incomplete gamma function:

    .. math:: P = P(z + 1, \lambda) + (q/p)^z e^{z - \lambda} Q(z + 1, z)

    (exact to a few ulps, O(1) in z; values below 1e-308 underflow to 0).

    Parameters
    ----------
    q : float
        The attacker's share of the hash power, a number in [0, 1].
    z : int
        Confirmations the merchant waits for, an integer >= 0.

    Returns
    -------
    float
        Nakamoto's probability that the attacker ever catches up: 1 when ``q >= 0.5`` or
        ``z == 0``, else 0 when ``q == 0``.

    Raises
    ------
    WorkbenchError
        If ``q`` is not a number in [0, 1] or ``z`` is not an integer >= 0.

    See Also
    --------
    exact_double_spend_probability : The exact value, larger from z = 3 on for q <= 0.3.

    Examples
    --------
    >>> from workbench.chain import nakamoto_probability
    >>> round(nakamoto_probability(0.1, 1), 7), round(nakamoto_probability(0.3, 5), 7)
    (0.2045873, 0.1773523)
    """
    q, z = _check_q(q), _check_z(z)
    p = 1.0 - q
    if q >= p or z == 0:
        return 1.0
    if q == 0.0:
        return 0.0
    lam = z * (q / p)
    log_second = z * (math.log(q) - math.log(p)) + z - lam
    return float(min(gammainc(z + 1, lam) + math.exp(log_second) * gammaincc(z + 1, z), 1.0))


def exact_double_spend_probability(q: float, z: int) -> float:
    """Grunspan and Perez-Marco's exact probability ``I_{4pq}(z, 1/2)`` (1 when q >= 1/2).

    Parameters
    ----------
    q : float
        The attacker's share of the hash power, a number in [0, 1].
    z : int
        Confirmations the merchant waits for, an integer >= 0.

    Returns
    -------
    float
        The probability that the attacker's chain ever overtakes the honest one: 1 when
        ``q >= 0.5`` or ``z == 0``.

    Raises
    ------
    WorkbenchError
        If ``q`` is not a number in [0, 1] or ``z`` is not an integer >= 0.

    Examples
    --------
    >>> from workbench.chain import exact_double_spend_probability, nakamoto_probability
    >>> round(exact_double_spend_probability(0.1, 1), 7)   # 1 - (p - q)
    0.2
    >>> exact_double_spend_probability(0.1, 5) > nakamoto_probability(0.1, 5)
    True
    """
    q, z = _check_q(q), _check_z(z)
    p = 1.0 - q
    if q >= p:
        return 1.0
    if z == 0:
        return 1.0
    return float(betainc(z, 0.5, 4.0 * p * q))


def double_spend_table(qs=(0.1, 0.3), zs=range(11)) -> pd.DataFrame:
    """Tidy table: q, z, nakamoto, exact (chart with ``color="q:N"``).

    Parameters
    ----------
    qs : iterable of float, default (0.1, 0.3)
        Attacker shares, each in [0, 1].
    zs : iterable of int, default range(11)
        Confirmations, each an integer >= 0.

    Returns
    -------
    pandas.DataFrame
        One row per (q, z), q varying slowest: ``q``, ``z``, ``nakamoto``
        (:func:`nakamoto_probability`) and ``exact`` (:func:`exact_double_spend_probability`).

    Raises
    ------
    WorkbenchError
        If a ``q`` is not a number in [0, 1] or a ``z`` is not an integer >= 0.

    Examples
    --------
    >>> from workbench.chain import double_spend_table
    >>> df = double_spend_table(qs=[0.1], zs=[1, 2])
    >>> df.round(4).values.tolist()
    [[0.1, 1.0, 0.2046, 0.2], [0.1, 2.0, 0.051, 0.056]]
    """
    rows = [
        {"q": q, "z": z, "nakamoto": nakamoto_probability(q, z), "exact": exact_double_spend_probability(q, z)}
        for q in qs
        for z in zs
    ]
    return pd.DataFrame(rows)


def simulate_double_spend(q, z, trials: int = 100_000, seed: int = 0) -> pd.DataFrame:
    """Monte Carlo of the double-spend race beside both closed forms, one row per (q, z).

    Returns columns q, z, trials, wins, simulated, stderr, nakamoto, exact. The simulated
    probability sits on the exact curve, not on Nakamoto's.

    Parameters
    ----------
    q : float or sequence of float
        Attacker share(s), each in [0, 0.5).
    z : int or sequence of int
        Confirmations, each an integer in [0, 10000] (whole floats such as 3.0 are accepted);
        every (q, z) pair is run.
    trials : int, default 100_000
        Races per pair, an integer in [1, 10**9].
    seed : int, default 0
        Seed of the compiled kernel, an integer in [0, 2**32); the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        One row per (q, z): ``q``, ``z``, ``trials``, ``wins``, ``simulated`` (wins / trials),
        ``stderr`` (its binomial standard error, at least 1 / trials), ``nakamoto`` and ``exact``.

    Raises
    ------
    WorkbenchError
        If ``trials`` or ``seed`` is out of range, a ``q`` is not a number in [0, 0.5), or a
        ``z`` is not an integer in [0, 10000].

    Examples
    --------
    >>> df = simulate_double_spend(0.3, 8, trials=50_000, seed=1)
    >>> abs(df.simulated.item() - df.exact.item()) < 4 * df.stderr.item()
    True
    """
    from ._kernels import double_spend_race

    trials = check("trials", trials, Int(1, 10**9))
    seed = check("seed", seed, KernelSeed())
    rows = []
    for i, qq in enumerate(np.atleast_1d(q)):
        qq = _check_q(qq)
        if qq >= 0.5:
            raise WorkbenchError(f"with q = {qq} >= 0.5 the attacker always wins; simulate q < 0.5")
        for j, zz in enumerate(np.atleast_1d(z)):
            if isinstance(zz, (float, np.floating)) and np.isfinite(zz) and float(zz).is_integer():
                zz = int(zz)  # z from a float array: 3.0 confirmations is 3
            zz = check("confirmations z", zz, Int(0, 10_000))
            wins = int(double_spend_race(qq, zz, int(trials), (int(seed) + 7919 * i + 104729 * j) % 2**32, 200))
            p_hat = wins / trials
            rows.append(
                {
                    "q": qq,
                    "z": zz,
                    "trials": int(trials),
                    "wins": wins,
                    "simulated": p_hat,
                    "stderr": max(np.sqrt(p_hat * (1 - p_hat) / trials), 1 / trials),
                    "nakamoto": nakamoto_probability(qq, zz),
                    "exact": exact_double_spend_probability(qq, zz),
                }
            )
    return pd.DataFrame(rows)


def _check_share(alpha, gamma):
    alpha = check_real("pool share alpha", alpha, minimum=0.0, maximum=0.5, exclusive_max=True)
    gamma = check_real("gamma (honest share mining on the pool's block in a tie)", gamma, minimum=0.0, maximum=1.0)
    return alpha, gamma


def selfish_revenue(alpha: float, gamma: float) -> float:
    """Eyal and Sirer's relative revenue of a selfish pool.

    Parameters
    ----------
    alpha : float
        The pool's share of the hash power, a number in [0, 0.5).
    gamma : float
        Share of the honest miners that build on the pool's block in a tie, in [0, 1].

    Returns
    -------
    float
        The pool's expected share of the main chain's blocks (the formula in the module docstring).

    Raises
    ------
    WorkbenchError
        If ``alpha`` is not in [0, 0.5) or ``gamma`` is not in [0, 1].

    Examples
    --------
    >>> from workbench.chain import selfish_revenue
    >>> round(selfish_revenue(1/3, 0.0), 6)   # the threshold at gamma = 0: exactly fair
    0.333333
    """
    a, g = _check_share(alpha, gamma)
    return (a * (1 - a) ** 2 * (4 * a + g * (1 - 2 * a)) - a**3) / (1 - a * (1 + (2 - a) * a))


def selfish_threshold(gamma: float) -> float:
    """The share above which selfish mining pays: ``(1 - gamma) / (3 - 2 gamma)``.

    Parameters
    ----------
    gamma : float
        Share of the honest miners that build on the pool's block in a tie, in [0, 1].

    Returns
    -------
    float
        The threshold share ``alpha*``: 1/3 at ``gamma = 0``, 0 at ``gamma = 1``.

    Raises
    ------
    WorkbenchError
        If ``gamma`` is not a number in [0, 1].

    Examples
    --------
    >>> from workbench.chain import selfish_threshold
    >>> round(selfish_threshold(0.0), 6), selfish_threshold(0.5)
    (0.333333, 0.25)
    """
    _, g = _check_share(0.0, gamma)
    return (1 - g) / (3 - 2 * g)


def simulate_selfish_mining(alpha, gamma, events: int = 1_000_000, seed=0) -> pd.DataFrame:
    """Monte Carlo of Eyal and Sirer's state machine, one row per (alpha, gamma).

    Parameters
    ----------
    alpha, gamma : float or sequence of float
        Pool share(s) in [0, 0.5) and tie-breaking share(s) in [0, 1]; every pair is run.
    events : int, default 1_000_000
        Blocks found per point (>= 1).
    seed : int, numpy.random.Generator or None, default 0
        Seed of the random stream shared by the points; the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        alpha, gamma, events, pool_blocks, honest_blocks, orphaned, revenue (simulated share of
        the main chain), closed_form (:func:`selfish_revenue`), honest_share (= alpha).

    Raises
    ------
    WorkbenchError
        If ``alpha`` or ``gamma`` is not a number or a non-empty flat sequence of numbers, a
        value is out of its range, or ``events`` is not an integer >= 1.
    OutOfMemoryError
        If ``events`` random draws would not fit in memory.

    Examples
    --------
    >>> df = simulate_selfish_mining(0.4, 0.5, events=200_000, seed=1)
    >>> abs(df.revenue.item() - df.closed_form.item()) < 0.01
    True
    """
    from ._kernels import selfish_mining_run

    try:
        alphas = np.atleast_1d(np.asarray(alpha, dtype=float))
        gammas = np.atleast_1d(np.asarray(gamma, dtype=float))
    except (TypeError, ValueError):
        raise WorkbenchError(
            f"alpha and gamma must be numbers or sequences of numbers, got {alpha!r}, {gamma!r}"
        ) from None
    if alphas.ndim != 1 or gammas.ndim != 1 or alphas.size == 0 or gammas.size == 0:
        raise WorkbenchError("alpha and gamma must be numbers or non-empty flat sequences of numbers")
    events = check("events", events, Int(1, MAX_COUNT))
    check_memory(f"{events:,} events", 16.0 * events)
    rng = make_rng(seed)
    rows = []
    for a in alphas:
        for g in gammas:
            a_, g_ = _check_share(a, g)
            pool, honest, orphans = selfish_mining_run(rng.random(events), rng.random(events), a_, g_)
            rows.append(
                {
                    "alpha": a_,
                    "gamma": g_,
                    "events": int(events),
                    "pool_blocks": int(pool),
                    "honest_blocks": int(honest),
                    "orphaned": int(orphans),
                    "revenue": pool / max(pool + honest, 1),
                    "closed_form": selfish_revenue(a_, g_),
                    "honest_share": a_,
                }
            )
    return pd.DataFrame(rows)
