"""The AI lab applied to the other labs, each study a tidy comparison with its baseline.

* :func:`qaoa_angle_study` and :func:`vqe_angle_study`: our metaheuristics against scipy
  (multi-start L-BFGS-B and dual annealing) at the same budget of circuit simulations, tuning
  QAOA's 2p angles for MaxCut and the VQE ansatz angles for the H2 ground energy, exact or
  from shots (quantum lab).
* :func:`edge_scheduler_study`: scheduling policies learned by reinforcement learning through the
  edge lab's gymnasium :class:`~workbench.edge.EdgeSchedulingEnv` and by direct policy search (differential
  evolution over the weights of the edge lab's :class:`~workbench.edge.ScoreScheduler`, the same
  six features :class:`~workbench.edge.EdgeSchedulingEnv` observes), trained on some simulation
  seeds and tested on others against the built-in schedulers (edge lab).
* :func:`cdn_tier_study`: split a fixed cache budget between the CDN's edge, regional and shield
  tiers with GA/PSO/DE, against an exhaustive grid over the same split (CDN lab).
* :func:`cdn_capacity_study`: forecast each PoP's hourly request rate a day ahead (GRU, Holt-Winters,
  ridge, seasonal naive) and provision servers from the forecast, against static peak provisioning
  and a perfect-foresight oracle (CDN lab).

Examples
--------
>>> import networkx as nx
>>> df = qaoa_angle_study(nx.cycle_graph(6), p=1, budget=60, seeds=(0,), methods=("de",))
>>> sorted(df.method)
['de', 'scipy L-BFGS-B (multi-start)', 'scipy dual_annealing']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import MAX_COUNT, Int, KernelSeed, Optional, Real, WorkbenchError, check, checked, make_rng
from ..results import Result, one_row
from .optimize import METHODS, minimize

__all__ = [
    "qaoa_angle_study",
    "vqe_angle_study",
    "edge_scheduler_study",
    "cdn_tier_study",
    "cdn_capacity_study",
    "LEARNERS",
]


def _angle_race(objective, bounds, *, budget: int, seeds, methods):
    """Minimize ``objective`` with each of our methods and with scipy (multi-start L-BFGS-B and dual
    annealing), ``budget`` evaluations each; rows of (method, seed, best point, evaluations)."""
    from scipy.optimize import dual_annealing
    from scipy.optimize import minimize as sp_minimize

    rows = []
    for seed in seeds:
        for m in methods:
            r = minimize(objective, bounds, method=m, seed=int(seed), budget=budget)
            rows.append({"method": m, "seed": seed, "x": r.x, "evaluations": r.nfev})
        rng = make_rng(seed)
        used, best = 0, None
        while used < budget:  # restarts until the budget is spent
            x0 = np.array([rng.uniform(lo, hi) for lo, hi in bounds])
            res = sp_minimize(
                objective, x0, method="L-BFGS-B", bounds=bounds, options={"maxfun": max(1, budget - used)}
            )
            used += res.nfev
            if best is None or res.fun < best.fun:
                best = res
        rows.append({"method": "scipy L-BFGS-B (multi-start)", "seed": seed, "x": best.x, "evaluations": used})
        res = dual_annealing(objective, bounds, maxfun=budget, seed=int(seed))
        rows.append({"method": "scipy dual_annealing", "seed": seed, "x": res.x, "evaluations": res.nfev})
    return rows


@checked(WorkbenchError, p=Int(1), budget=Int(1))
def qaoa_angle_study(G, p: int = 2, *, budget: int = 2_000, seeds=(0, 1, 2), methods=METHODS) -> pd.DataFrame:
    """Maximize QAOA's expected cut on ``G`` over (gamma, beta) in [0, pi]^p x [0, pi/2]^p with each
    method and with scipy, ``budget`` expectation evaluations each; one row per method and seed:
    the best expected cut, its ratio to the maximum cut, and evaluations used.

    Parameters
    ----------
    G : networkx.Graph
        The MaxCut instance (1 to 24 nodes; an edge's ``"weight"`` is its weight, default 1.0).
    p : int, default 2
        QAOA depth (layers), >= 1: the search has ``2 p`` angles.
    budget : int, default 2_000
        Expectation evaluations per optimizer and seed, >= 1 (scipy's L-BFGS-B restarts and dual annealing
        may overshoot it slightly; ``evaluations`` reports what each used).
    seeds : iterable of int, default (0, 1, 2)
        Seeds of the runs (each of our methods and scipy's optimizers run once per seed; our methods need
        integers in [0, 2**32)).
    methods : iterable of str, default METHODS
        Our metaheuristics to race (names from :data:`workbench.ai.METHODS`).

    Returns
    -------
    pandas.DataFrame
        One row per optimizer and seed: method, seed, expected_cut, evaluations, ratio_to_max_cut. The scipy
        rows are labelled ``"scipy L-BFGS-B (multi-start)"`` and ``"scipy dual_annealing"``.

    Raises
    ------
    WorkbenchError
        If ``p`` or ``budget`` is out of range, or a method or seed is refused by :func:`~workbench.ai.minimize`
        (an ``OptimizationError``).
    QuantumError
        If ``G`` is not a usable graph (see :func:`workbench.quantum.cut_values`).

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.ai.studies import qaoa_angle_study
    >>> df = qaoa_angle_study(nx.cycle_graph(4), p=1, budget=40, seeds=(0,), methods=("de",))
    >>> df.method.tolist(), bool((df.ratio_to_max_cut <= 1).all())
    (['de', 'scipy L-BFGS-B (multi-start)', 'scipy dual_annealing'], True)
    """
    from ..quantum import qaoa

    cuts = qaoa.cut_values(G)
    bounds = [(0.0, np.pi)] * p + [(0.0, np.pi / 2)] * p

    def expected_cut(x):
        return qaoa.qaoa_expectation(G, x[:p], x[p:], cuts)

    df = pd.DataFrame(_angle_race(lambda x: -expected_cut(x), bounds, budget=budget, seeds=seeds, methods=methods))
    df.insert(2, "expected_cut", [expected_cut(x) for x in df.x])
    df["ratio_to_max_cut"] = df.expected_cut / float(cuts.max())
    return df.drop(columns="x")


@checked(WorkbenchError, budget=Int(1), shots=Optional(Int(1)))
def vqe_angle_study(
    hamiltonian: dict,
    *,
    offset: float = 0.0,
    ansatz=None,
    budget: int = 2_000,
    seeds=(0, 1, 2),
    methods=METHODS,
    shots: int | None = None,
) -> pd.DataFrame:
    """Minimize the VQE energy of ``hamiltonian`` over the ansatz angles in [-pi, pi] with each method
    and with scipy, ``budget`` energy evaluations each.

    With ``shots`` every evaluation the optimizers see is estimated from that many samples per Pauli
    term (the noise of a real device); the reported energy is always the exact energy at the
    returned angles. One row per method and seed: energy (plus ``offset``), its error against
    exact diagonalisation in mHa, and whether it is within chemical accuracy (1.6 mHa).

    Parameters
    ----------
    hamiltonian : dict
        Pauli label (a string such as ``"XZ"``, one letter per qubit) -> real coefficient, non-empty (see
        :func:`workbench.quantum.vqe.load_h2`).
    offset : float, default 0.0
        Constant added to the reported energies (e.g. the nuclear repulsion), hartree.
    ansatz : Circuit or None, default None
        The parametrized circuit whose parameters are optimized; None:
        :func:`~workbench.quantum.vqe.ry_ansatz` on the Hamiltonian's qubits.
    budget : int, default 2_000
        Energy evaluations per optimizer and seed, >= 1 (scipy's optimizers may overshoot it slightly).
    seeds : iterable of int, default (0, 1, 2)
        Seeds of the runs (each of our methods and scipy's optimizers run once per seed; our methods need
        integers in [0, 2**32)).
    methods : iterable of str, default METHODS
        Our metaheuristics to race (names from :data:`workbench.ai.METHODS`).
    shots : int or None, default None
        Samples per Pauli term behind every energy the optimizers see, >= 1; None: exact energies. The
        sampling is seeded with the first seed.

    Returns
    -------
    pandas.DataFrame
        One row per optimizer and seed: method, seed, energy (hartree, plus ``offset``), evaluations,
        error_mha (against the exact ground energy), chemical_accuracy (error <= 1.6 mHa).

    Raises
    ------
    WorkbenchError
        If ``hamiltonian`` is not a non-empty dict, ``budget`` or ``shots`` is out of range, or a method or
        seed is refused by :func:`~workbench.ai.minimize` (an ``OptimizationError``).

    Examples
    --------
    >>> from workbench.quantum.vqe import load_h2
    >>> h = load_h2()
    >>> df = vqe_angle_study(h["hamiltonian"], offset=h["nuclear_repulsion"], budget=200, seeds=(0,), methods=("sa",))
    >>> bool(df.chemical_accuracy.all())
    True
    """
    from ..quantum.statevector import expectation, simulate
    from ..quantum.vqe import CHEMICAL_ACCURACY, _sampled_pauli, ground_energy, ry_ansatz

    if not isinstance(hamiltonian, dict) or not hamiltonian:
        raise WorkbenchError("hamiltonian must be a non-empty dict of Pauli label -> coefficient (see quantum.load_h2)")
    n = len(next(iter(hamiltonian)))
    ansatz = ry_ansatz(n) if ansatz is None else ansatz
    names = ansatz.parameters
    bounds = [(-np.pi, np.pi)] * len(names)
    rng = np.random.default_rng(0 if not seeds else seeds[0])

    def state(x):
        return simulate(ansatz.bind(dict(zip(names, x)))).state

    def energy(x):
        psi = state(x)
        if shots is None:
            return expectation(psi, hamiltonian)
        return sum(c * _sampled_pauli(psi, label, int(shots), rng) for label, c in hamiltonian.items())

    df = pd.DataFrame(_angle_race(energy, bounds, budget=budget, seeds=seeds, methods=methods))
    exact = ground_energy(hamiltonian)
    e = np.array([expectation(state(x), hamiltonian) for x in df.x])
    df.insert(2, "energy", e + offset)
    df["error_mha"] = 1000 * (e - exact)
    df["chemical_accuracy"] = df.error_mha <= 1000 * CHEMICAL_ACCURACY
    return df.drop(columns="x")


LEARNERS = {
    "reinforce": "RL: REINFORCE through EdgeSchedulingEnv",
    "de": "DE policy search",
}
MCT_LABEL = "mct (online Min-Min / HEFT rule)"


@dataclass
class SchedulerStudy(Result):
    """Learned edge schedulers against the rules on unseen seeds: ``comparison`` (one row per scheduler and
    test seed), each learner's ``weights`` per feature, training ``history`` and ``seconds``."""

    comparison: pd.DataFrame
    weights: dict
    history: dict = field(repr=False)
    seconds: dict
    params: dict = field(default_factory=dict, repr=False)
    frames = ("comparison", "weights_frame")

    def summary(self) -> pd.DataFrame:
        """One row: the scheduler with the lowest mean latency over the test seeds, and that latency."""
        mean = self.comparison.groupby("scheduler").latency_mean_ms.mean()
        return one_row(method=str(mean.idxmin()), latency_mean_ms=float(mean.min()))

    def weights_frame(self) -> pd.DataFrame:
        """Each learner's weight per feature (tidy: learner, feature, weight)."""
        return pd.DataFrame(
            [{"learner": k, "feature": f, "weight": w} for k, ws in self.weights.items() for f, w in ws.items()]
        )


@checked(
    WorkbenchError,
    n_tasks=Int(1, MAX_COUNT),
    budget=Int(1),
    rl_iterations=Int(1),
    rl_rollouts=Int(2),
    rl_tasks=Int(1, MAX_COUNT),
    miss_penalty_ms=Real(0),
    seed=KernelSeed(),
)
def edge_scheduler_study(
    scenario,
    *,
    learners=("reinforce", "de"),
    n_tasks: int = 5_000,
    train_seeds=(1, 2, 3),
    test_seeds=(11, 12, 13, 14, 15),
    budget: int = 300,
    rl_iterations: int = 40,
    rl_rollouts: int = 8,
    rl_tasks: int = 400,
    miss_penalty_ms: float = 1_000.0,
    failures=None,
    seed: int = 0,
    baselines=("round_robin", "least_loaded", "nearest", "mct"),
) -> SchedulerStudy:
    """Learn schedulers for an edge scenario and compare them with the built-in ones on unseen seeds.

    Both learners produce a :class:`~workbench.edge.ScoreScheduler` (send each task to the node with
    the lowest weighted sum of the six features :class:`~workbench.edge.EdgeSchedulingEnv` observes)
    and both minimize the mean response time plus ``miss_penalty_ms`` per missed deadline:

    * ``"reinforce"``: reinforcement learning through the gymnasium env, decision by decision
      (:func:`~workbench.ai.pg.reinforce_scorer`: a softmax policy over nodes, ``rl_iterations``
      iterations of ``rl_rollouts`` episodes of ``rl_tasks`` tasks); the greedy policy is deployed.
    * ``"de"``: direct policy search, differential evolution over the weights with ``budget``
      evaluations, each a full simulation of ``n_tasks`` tasks per training seed.

    For tasks that arrive one at a time, Min-Min (a batch of one) and HEFT's earliest-finish-time
    rule both pick the node with the minimum estimated completion time: the ``mct`` scheduler,
    labelled as such in the frame. Offline batches and DAGs are the edge lab's ``map_independent``
    and ``heft``.

    Parameters
    ----------
    scenario : Scenario
        The edge scenario (:func:`workbench.edge.build_scenario`).
    learners : iterable of {"reinforce", "de"}, default ("reinforce", "de")
        The learners to train (:data:`LEARNERS`).
    n_tasks : int, default 5_000
        Tasks per simulation, for the DE learner's training runs and every test run, >= 1.
    train_seeds : iterable of int, default (1, 2, 3)
        Simulation seeds the DE learner's objective averages over.
    test_seeds : iterable of int, default (11, 12, 13, 14, 15)
        Unseen simulation seeds on which every scheduler is compared.
    budget : int, default 300
        Simulated evaluations of the DE learner (each ``len(train_seeds)`` simulations), >= 1.
    rl_iterations : int, default 40
        Iterations of the REINFORCE learner, >= 1.
    rl_rollouts : int, default 8
        Episodes per REINFORCE iteration, >= 2.
    rl_tasks : int, default 400
        Tasks per REINFORCE episode, >= 1.
    miss_penalty_ms : float, default 1_000.0
        Cost of a missed deadline added to the response time (ms) that both learners minimize, >= 0.
    failures : Failures or None, default None
        Node and link failures applied in training and test runs.
    seed : int, default 0
        Seed of both learners, an integer in [0, 2**32) (the DE learner needs one).
    baselines : iterable of str, default ("round_robin", "least_loaded", "nearest", "mct")
        Built-in schedulers to compare against (names from :data:`workbench.edge.SCHEDULERS`).

    Returns
    -------
    SchedulerStudy
        ``comparison`` has one row per scheduler and test seed (scheduler, seed, latency_mean_ms,
        latency_p95_ms, deadline_miss_ratio, dropped); ``weights`` each learner's weights per feature
        (also as the ``weights_frame()`` frame), ``history`` its training curve, ``seconds`` its
        training time; ``summary()`` names the scheduler with the lowest mean latency.

    Raises
    ------
    WorkbenchError
        If ``scenario`` is not a Scenario, a learner or baseline is unknown, a parameter is out of range,
        or a simulation refuses its inputs (an ``EdgeSimError``, e.g. for bad ``failures``).

    Examples
    --------
    >>> from workbench.edge import build_scenario
    >>> sc = build_scenario("Abilene", 50, 3, 1, rate=2.0, seed=0)
    >>> df = edge_scheduler_study(sc, learners=("reinforce",), n_tasks=300, test_seeds=(11,),
    ...                           rl_iterations=2, rl_rollouts=2, rl_tasks=50)
    >>> sorted(df.comparison.scheduler)[:2]
    ['RL: REINFORCE through EdgeSchedulingEnv', 'least_loaded']
    """
    import time

    from ..edge import FEATURES, SCHEDULERS, EdgeSchedulingEnv, Scenario, ScoreScheduler, simulate
    from .pg import reinforce_scorer

    if not isinstance(scenario, Scenario):
        raise WorkbenchError("edge_scheduler_study needs a workbench.edge Scenario")
    bad = [x for x in learners if x not in LEARNERS]
    if bad:
        raise WorkbenchError(f"unknown learner {bad[0]!r}; choose from {list(LEARNERS)}")
    bad = [x for x in baselines if x not in SCHEDULERS]
    if bad:
        raise WorkbenchError(f"unknown baseline scheduler {bad[0]!r}; choose from {list(SCHEDULERS)}")

    def run(sched, s, tasks):
        return simulate(scenario, sched, n_tasks=tasks, seed=s, failures=failures).summary().iloc[0]

    def score(w):
        rows = [run(ScoreScheduler(w), s, n_tasks) for s in train_seeds]
        return float(np.mean([r.latency_mean_ms + miss_penalty_ms * r.deadline_miss_ratio for r in rows]))

    learned, weights, history, seconds = [], {}, {}, {}
    for name in learners:
        t0 = time.perf_counter()
        if name == "reinforce":
            env = EdgeSchedulingEnv(
                scenario, n_tasks=rl_tasks, failures=failures, miss_penalty=miss_penalty_ms / 1000.0
            )
            r = reinforce_scorer(env, iterations=rl_iterations, rollouts=rl_rollouts, seed=seed)
            w, history[name] = r.weights, r.history
        else:
            r = minimize(
                score, [(0.0, 3.0)] * len(FEATURES), method="de", seed=seed, budget=budget, pop_size=12, CR=0.9
            )
            w, history[name] = r.x, r.generations
        seconds[name] = time.perf_counter() - t0
        weights[name] = dict(zip(FEATURES, np.asarray(w, dtype=float)))
        learned.append((LEARNERS[name], ScoreScheduler(w)))
    rows = []
    for label, sched in learned + [(MCT_LABEL if b == "mct" else b, b) for b in baselines]:
        for s in test_seeds:
            row = run(sched, s, n_tasks)
            rows.append(
                {
                    "scheduler": label,
                    "seed": s,
                    "latency_mean_ms": row.latency_mean_ms,
                    "latency_p95_ms": row.latency_p95_ms,
                    "deadline_miss_ratio": row.deadline_miss_ratio,
                    "dropped": int(row.dropped),
                }
            )
    return SchedulerStudy(
        pd.DataFrame(rows),
        weights,
        history,
        seconds,
        {
            "scenario": scenario,
            "learners": learners,
            "baselines": baselines,
            "n_tasks": n_tasks,
            "train_seeds": train_seeds,
            "test_seeds": test_seeds,
            "budget": budget,
            "rl_iterations": rl_iterations,
            "rl_rollouts": rl_rollouts,
            "rl_tasks": rl_tasks,
            "seed": seed,
            "failures": failures,
            "miss_penalty_ms": miss_penalty_ms,
        },
    )


@checked(WorkbenchError, tune_steps=Int(2), budget=Int(1), grid_step=Real(0, 1, lo_open=True))
def cdn_tier_study(
    trace,
    request_pop,
    pops,
    client_km,
    *,
    total_objects: int,
    model=None,
    policy: str = "s3fifo",
    tune: tuple | None = None,
    tune_steps: int = 5,
    grid_step: float = 0.05,
    budget: int = 60,
    seeds=(0, 1, 2),
    methods=("de", "pso", "ga"),
) -> pd.DataFrame:
    """Split a cache budget between the L1 caches (shared equally by the PoPs that serve traffic),
    the L2 caches (one per region with traffic) and the shield, to minimize the mean latency;
    optionally tune one policy parameter with it.

    ``total_objects`` is the budget in the trace's unit: objects, or bytes for a trace with object
    sizes (a byte budget). The split is ``(a, b)``: a share ``a`` to L1, ``b`` to L2 and the rest to
    L3 (``a + b > 1`` is scaled back onto the simplex). ``tune=(name, low, high)`` adds a policy
    parameter (the same value in every tier, e.g. ``("small_ratio", 0.02, 0.5)`` for S3-FIFO) as a
    third dimension, searched on ``tune_steps`` evenly spaced values by the grid. Every point of the
    grid is simulated (the exhaustive baseline); each optimizer gets ``budget`` simulations per seed.
    One row per run: evaluations, the sizes (and parameter) chosen, mean latency and the gap to the
    grid's best.

    Parameters
    ----------
    trace : Trace
        The requests (:mod:`workbench.cdn`), unit-size or with object sizes.
    request_pop : array-like of int
        PoP index (row of ``pops``) serving each request.
    pops : pandas.DataFrame
        The PoPs (:func:`workbench.cdn.load_pops`); its ``region`` column groups them for L2.
    client_km : array-like of float
        Distance in km from each request's client to its PoP.
    total_objects : int
        The cache budget in the trace's unit (objects, or bytes for sized objects), at least 3 per serving
        PoP (keyword only, required).
    model : LatencyModel or None, default None
        Latency model of :func:`workbench.cdn.simulate_cdn` (None: its default).
    policy : str, default "s3fifo"
        Replacement policy of every tier.
    tune : tuple or None, default None
        ``(parameter name, low, high)`` with ``low < high``: a policy parameter searched with the split.
    tune_steps : int, default 5
        Values of the tuned parameter on the grid, >= 2.
    grid_step : float, default 0.05
        Step of the exhaustive grid over the shares, in (0, 1].
    budget : int, default 60
        Simulations per optimizer and seed, >= 1.
    seeds : iterable of int, default (0, 1, 2)
        Seeds of the optimizers (integers in [0, 2**32)).
    methods : iterable of str, default ("de", "pso", "ga")
        Our metaheuristics (names from :data:`workbench.ai.METHODS`).

    Returns
    -------
    pandas.DataFrame
        The grid's best first, then one row per optimizer and seed: method, seed (NaN for the grid),
        evaluations, l1, l2, l3 (the size of each L1, each L2 and the shield), the tuned parameter's
        value (with ``tune``), mean_latency_ms and gap_percent (against the grid's best).

    Raises
    ------
    WorkbenchError
        If ``total_objects``, ``tune``, ``tune_steps``, ``grid_step`` or ``budget`` is invalid, or a
        simulation or optimizer refuses its inputs.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench import cdn
    >>> from workbench.ai.studies import cdn_tier_study
    >>> pops = cdn.load_pops("aws")
    >>> trace = cdn.zipf_trace(2_000, 300, 0.9, seed=0)
    >>> clients = cdn.sample_clients(100, seed=0)
    >>> pop, km = cdn.nearest_pop(clients.lat, clients.lon, pops)
    >>> who = np.random.default_rng(0).integers(0, 100, trace.n_requests)
    >>> df = cdn_tier_study(trace, pop[who], pops, km[who], total_objects=300, grid_step=0.25, budget=10,
    ...                     seeds=(0,), methods=("de",))
    >>> df.method.tolist(), df.evaluations.tolist()
    (['exhaustive grid (step 0.25)', 'de'], [15, 10])
    """
    from ..cdn import Tier, simulate_cdn

    request_pop = np.asarray(request_pop)
    n_l1 = int(np.unique(request_pop).size)
    n_l2 = int(pops.region.iloc[np.unique(request_pop)].nunique())
    total_objects = check("total_objects (at least 3 per serving PoP)", total_objects, Int(3 * n_l1), WorkbenchError)
    if tune is not None:
        if not (isinstance(tune, tuple) and len(tune) == 3 and isinstance(tune[0], str) and tune[1] < tune[2]):
            raise WorkbenchError(f"tune must be (parameter name, low, high) with low < high, got {tune!r}")
    cache: dict = {}

    def sizes(a, b):
        if a + b > 1.0:
            a, b = a / (a + b), b / (a + b)
        return (
            max(1, int(a * total_objects / n_l1)),
            max(1, int(b * total_objects / n_l2)),
            max(1, int((1.0 - a - b) * total_objects)),
        )

    def value(x):
        return None if tune is None else float(tune[1] + x[2] * (tune[2] - tune[1]))

    def latency(x):
        key = sizes(x[0], x[1]) + (value(x),)
        if key not in cache:
            params = {} if tune is None else {tune[0]: key[3]}
            r = simulate_cdn(
                trace,
                request_pop,
                pops,
                client_km=client_km,
                model=model,
                l1=Tier(policy, key[0], params),
                l2=Tier(policy, key[1], params),
                l3=Tier(policy, key[2], params),
            )
            cache[key] = float(r.summary().latency_mean_ms.iloc[0])
        return cache[key]

    def row(method, seed, evaluations, x, lat, best):
        l1, l2, l3 = sizes(x[0], x[1])
        r = {"method": method, "seed": seed, "evaluations": evaluations, "l1": l1, "l2": l2, "l3": l3}
        if tune is not None:
            r[tune[0]] = value(x)
        return {**r, "mean_latency_ms": lat, "gap_percent": 100 * (lat / best - 1) if best else 0.0}

    steps = np.round(np.arange(0.0, 1.0 + 1e-9, grid_step), 10)
    grid = [(a, b) for a in steps for b in steps if a + b <= 1.0 + 1e-9]
    if tune is not None:
        grid = [(a, b, t) for a, b in grid for t in np.linspace(0.0, 1.0, int(tune_steps))]
    grid_vals = [latency(np.array(p)) for p in grid]
    k = int(np.argmin(grid_vals))
    best_grid = grid_vals[k]
    rows = [row(f"exhaustive grid (step {grid_step})", None, len(grid), grid[k], best_grid, None)]
    bounds = [(0.0, 1.0)] * (2 if tune is None else 3)
    for seed in seeds:
        for m in methods:
            r = minimize(latency, bounds, method=m, seed=int(seed), budget=budget, pop_size=min(10, budget))
            rows.append(row(m, seed, budget, r.x, r.fun, best_grid))
    return pd.DataFrame(rows)


CAPACITY_METHODS = {
    "seasonal naive (same hour last week)": ("seasonal_naive", {"m": 168}),
    "Holt-Winters (daily season, log)": ("holt_winters", {"m": 24}),
    "ridge (168 lags, log)": ("ridge", {"lags": 168, "ridge_lambda": 10.0}),
    "GRU (24 lags of daily changes, log)": ("gru", {"m": 24, "lags": 24, "epochs": 30}),
}


@checked(WorkbenchError, test_days=Int(1), per_server_rps=Real(0, lo_open=True), headroom=Real(0))
def cdn_capacity_study(
    traffic,
    *,
    test_days: int = 7,
    per_server_rps: float = 100.0,
    headroom: float = 0.15,
    methods=tuple(CAPACITY_METHODS),
    seed: int = 0,
    progress: bool = False,
) -> pd.DataFrame:
    """Day-ahead capacity planning per PoP from forecasts of its hourly request rate.

    ``traffic`` is a tidy frame with columns ``pop``, ``hour`` and ``rps`` (such as
    :func:`workbench.cdn.diurnal_traffic`). At each midnight of the last ``test_days`` days, every
    method forecasts the next 24 hours of ``log(rps)`` from all earlier hours; the PoP then runs
    ``ceil(forecast * (1 + headroom) / per_server_rps)`` servers in each hour. Two references:
    *static peak* (every hour, the servers for the previous week's peak times ``1 + headroom``:
    provisioning without a forecast) and the *oracle* (exactly the servers each hour's actual
    rate needs, no headroom).

    Parameters
    ----------
    traffic : pandas.DataFrame
        Columns ``pop``, ``hour`` and ``rps``; each PoP needs ``24 * test_days + 336`` positive, finite
        hourly rates (two weeks before the test days).
    test_days : int, default 7
        Days at the end of each PoP's series that are forecast and provisioned, >= 1.
    per_server_rps : float, default 100.0
        Requests per second one server handles, > 0.
    headroom : float, default 0.15
        Extra capacity on top of the forecast (0.15: 15%), >= 0.
    methods : iterable of str, default tuple(CAPACITY_METHODS)
        Forecasting methods, keys of :data:`CAPACITY_METHODS` (the GRU is the slowest).
    seed : int, default 0
        Seed of the forecasters (differential evolution, GRU training), in [0, 2**32).
    progress : bool, default False
        Show a tqdm progress bar.

    Returns
    -------
    pandas.DataFrame
        One row per PoP and method, then the two references: pop, method, mape (%), rmse_rps,
        server_hours, overloaded_hours_pct, unserved_pct (requests beyond capacity, %) and
        saved_vs_static_pct (server-hours saved against static peak, %). The references have no forecast
        (NaN mape and rmse_rps).

    Raises
    ------
    WorkbenchError
        If ``traffic`` lacks the columns, a method is unknown, a PoP's series is too short or not positive,
        a parameter is out of range, or a forecast fails (a ``ForecastError``).

    Examples
    --------
    >>> from workbench.cdn import diurnal_traffic, load_pops
    >>> t = diurnal_traffic(load_pops("aws").iloc[:1], hours=24 * 16, seed=0)
    >>> df = cdn_capacity_study(t, test_days=1, methods=["seasonal naive (same hour last week)"])
    >>> df.method.tolist()
    ['seasonal naive (same hour last week)', 'static peak (no forecast)', 'oracle (perfect foresight)']
    """
    from .forecast import forecast, mape, rmse

    if not isinstance(traffic, pd.DataFrame) or not {"pop", "hour", "rps"} <= set(traffic.columns):
        raise WorkbenchError(
            "traffic must be a DataFrame with columns 'pop', 'hour' and 'rps' (see cdn.diurnal_traffic)"
        )
    bad = [m for m in methods if m not in CAPACITY_METHODS]
    if bad:
        raise WorkbenchError(f"unknown method {bad[0]!r}; choose from {list(CAPACITY_METHODS)}")
    test_h = 24 * int(test_days)
    jobs = [
        (code, g.sort_values("hour").rps.to_numpy(dtype=np.float64)) for code, g in traffic.groupby("pop", sort=False)
    ]
    for code, y in jobs:
        if y.size < test_h + 2 * 168 or not (np.isfinite(y).all() and (y > 0).all()):
            raise WorkbenchError(
                f"PoP {code!r}: need {test_h + 2 * 168} positive hourly rates (two weeks before the "
                f"{test_days} test days), got {y.size}"
            )
    steps = [(code, y, m) for code, y in jobs for m in methods]
    if progress:
        from tqdm.auto import tqdm

        steps = tqdm(steps, desc="cdn_capacity_study")
    rows = []

    def row(code, name, y_test, servers, pred=None):
        cap = servers * per_server_rps
        return {
            "pop": code,
            "method": name,
            "mape": mape(y_test, pred) if pred is not None else np.nan,
            "rmse_rps": rmse(y_test, pred) if pred is not None else np.nan,
            "server_hours": float(servers.sum()),
            "overloaded_hours_pct": 100 * float((y_test > cap).mean()),
            "unserved_pct": 100 * float(np.clip(y_test - cap, 0, None).sum() / y_test.sum()),
        }

    last = None
    for code, y, name in steps:
        kind, kw = CAPACITY_METHODS[name]
        start = y.size - test_h
        pred = np.concatenate(
            [
                np.exp(forecast(np.log(y[:o]), 24, method=kind, seed=seed, **kw).forecast.to_numpy())
                for o in range(start, y.size, 24)
            ]
        )
        servers = np.ceil(pred * (1 + headroom) / per_server_rps)
        rows.append(row(code, name, y[start:], servers, pred))
        if last != code and name == methods[-1]:
            peak = np.concatenate([np.full(24, y[o - 168 : o].max()) for o in range(start, y.size, 24)])
            rows.append(
                row(code, "static peak (no forecast)", y[start:], np.ceil(peak * (1 + headroom) / per_server_rps))
            )
            rows.append(row(code, "oracle (perfect foresight)", y[start:], np.ceil(y[start:] / per_server_rps)))
            last = code
    df = pd.DataFrame(rows)
    static = df[df.method == "static peak (no forecast)"].set_index("pop").server_hours
    df["saved_vs_static_pct"] = 100 * (1 - df.server_hours / df["pop"].map(static))
    return df
