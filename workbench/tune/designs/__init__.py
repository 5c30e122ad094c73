"""A design space per lab, with real objectives computed by the labs, ready for :func:`workbench.tune.tune`.

==========  ======================================================  ===============================================
design      parameters                                              objectives
==========  ======================================================  ===============================================
cdn         PoP count and placement on Cloudflare's real PoP list,  p95 latency (overall and by region), origin
            tier sizes, replacement policy, TTL, prefetching         egress bytes, cache memory
edge        edge node count and placement on a Topology Zoo         deadline-miss ratio, node energy, servers
            backbone, scheduler and its score weights
chain       block interval, block size, peer degree                 throughput, stale rate, selfish-mining threshold
compiler    fusion, layout candidates, routing trials               CNOT count, depth, compile time
qaoa        QAOA depth and shots                                    approximation ratio vs simulation cost
==========  ======================================================  ===============================================

Each design is a :class:`Design`: a module-level function (so Dask workers can import it), its
search space, objectives and directions, a small enumerable grid of a few hundred points (for
checking a search against the exhaustive front) and keyword sizes for quick runs. The functions
average ``replications`` independent simulations (seeds ``seed, seed + 1, ...``) and call
``report(value, step)`` after each one with the running mean of their first objective, so a pruner
can stop a hopeless design early.

Examples
--------
>>> from workbench.tune.designs import DESIGNS
>>> sorted(DESIGNS)
['cdn', 'chain', 'compiler', 'edge', 'qaoa']
>>> DESIGNS["edge"].objectives
{'deadline_miss_ratio': 'minimize', 'node_energy_kj': 'minimize', 'servers': 'minimize'}
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..space import Categorical, Integer, Ordinal, Real
from ._cdn import (
    CDN_GRID,
    CDN_PLACEMENTS,
    CDN_POLICIES,
    CDN_SMALL,
    cdn_design,
    cdn_regions,
    pop_placement,
)
from ._chain import CHAIN_GRID, CHAIN_OBJECTIVES, CHAIN_SMALL, chain_design
from ._edge import EDGE_GRID, EDGE_PLACEMENTS, EDGE_SCHEDULERS, EDGE_SMALL, edge_design
from ._quantum import (
    COMPILER_GRID,
    COMPILER_GRID_OBJECTIVES,
    COMPILER_OBJECTIVES,
    COMPILER_SMALL,
    QAOA_OBJECTIVES,
    QAOA_SMALL,
    compiler_design,
    qaoa_design,
)
from ._shared import DesignError

__all__ = [
    "Design",
    "DesignError",
    "DESIGNS",
    "design",
    "TableObjective",
    "grid_race",
    "cdn_design",
    "edge_design",
    "chain_design",
    "compiler_design",
    "qaoa_design",
    "pop_placement",
    "cdn_regions",
    "CDN_PLACEMENTS",
    "CDN_POLICIES",
    "EDGE_PLACEMENTS",
    "EDGE_SCHEDULERS",
]


# ============================================================================================
# The registry
# ============================================================================================


def _grid_space(grid: dict) -> dict:
    """A grid as a search space: ordered numeric lists become :class:`Ordinal`, others :class:`Categorical`."""
    return {
        k: (Ordinal(v) if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v) else Categorical(v))
        for k, v in grid.items()
    }


class TableObjective:
    """An enumerated design space as a function: looks a design up in a table of evaluated designs.

    Searching the table costs no simulation, so many searches (samplers, seeds, budgets) can be
    compared with the exhaustive front of the same designs.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per design: the parameter columns and the result columns.
    params : list of str
        The parameter columns (together they identify a row).

    Raises
    ------
    DesignError
        If the parameter columns do not identify the rows uniquely.

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.tune.designs import TableObjective
    >>> f = TableObjective(pd.DataFrame({"k": [1, 2], "cost": [5.0, 3.0]}), ["k"])
    >>> f(k=2)
    {'k': 2, 'cost': 3.0}
    """

    def __init__(self, table: pd.DataFrame, params):
        self.params = list(params)
        rows = table.to_dict("records")
        self._rows = {tuple(r[p] for p in self.params): r for r in rows}
        if len(self._rows) != len(rows):
            raise DesignError(f"the columns {self.params} do not identify the table's rows uniquely")
        self.__name__ = "table_objective"

    def __call__(self, **params) -> dict:
        """The row of a design.

        Parameters
        ----------
        **params
            One value per parameter column.

        Returns
        -------
        dict
            The design's row.

        Raises
        ------
        DesignError
            If the design is not in the table.
        """
        key = tuple(params.get(p) for p in self.params)
        if key not in self._rows:
            raise DesignError(f"the design {params} is not in the table")
        return dict(self._rows[key])


@dataclass(frozen=True)
class Design:
    """A lab's design space: the function, its search space and objectives, and an enumerable grid.

    Parameters
    ----------
    name : str
        Short name (the key in :data:`DESIGNS`).
    fn : callable
        The module-level design function (parameters -> dict of results).
    space : dict
        The full search space (parameter -> dimension).
    objectives : dict
        Objective column -> "minimize" or "maximize".
    grid : dict
        A small grid (parameter -> list of values) of a few hundred designs.
    grid_objectives : dict
        The objectives to compare searches on the grid (deterministic ones: a measured time is
        replaced by its deterministic proxy).
    small : dict
        Keyword sizes for quick runs (tests, smoke lessons).
    population_size : int, optional
        Population for NSGA-II and the workbench's methods (default: :func:`~workbench.tune.tune`'s, a
        tenth of the budget between 8 and 50).
    description : str, default ""
        One line on what is being designed.

    Examples
    --------
    >>> from workbench.tune.designs import DESIGNS
    >>> d = DESIGNS["chain"]
    >>> sorted(d.space), len(d.grid_points())
    (['block_size_kb', 'interval_s', 'peer_degree'], 224)
    """

    name: str
    fn: object
    space: dict
    objectives: dict
    grid: dict
    grid_objectives: dict
    small: dict = field(default_factory=dict)
    population_size: int | None = None
    description: str = ""

    def grid_space(self) -> dict:
        """The grid as a search space (ordered numbers as :class:`Ordinal`, the rest :class:`Categorical`).

        Returns
        -------
        dict
            Parameter -> dimension.
        """
        return _grid_space(self.grid)

    def grid_points(self) -> list:
        """Every design of the grid.

        Returns
        -------
        list of dict
            Parameter -> value, in grid order (the last parameter varies fastest).
        """
        from ...sweeps import grid_cells

        return grid_cells(self.grid)

    def evaluate(self, *, small: bool = False, **params) -> dict:
        """Evaluate one design.

        Parameters
        ----------
        small : bool, default False
            Use the quick sizes (:attr:`small`).
        **params
            Design parameters and sizes (they override the quick sizes; others keep the function's defaults).

        Returns
        -------
        dict
            The design function's results.
        """
        return self.fn(**{**(self.small if small else {}), **params})

    def enumerate(self, *, small: bool = True, client=None, progress: bool = False) -> pd.DataFrame:
        """Evaluate every design of the grid (with :func:`workbench.sweep`, so on Dask with ``client``).

        Parameters
        ----------
        small : bool, default True
            Use the quick sizes.
        client : dask.distributed.Client, optional
            Run the evaluations on this cluster.
        progress : bool, default False
            A progress bar.

        Returns
        -------
        pandas.DataFrame
            One row per design: the parameters, then every result column.
        """
        from ...sweeps import sweep

        fn = functools.partial(self.fn, **self.small) if small else self.fn
        fn.__name__ = getattr(self.fn, "__name__", "design")  # type: ignore[attr-defined]
        return sweep(fn, self.grid, seeds=None, client=client, progress=progress)

    def tune(self, *, small: bool = False, **kwargs):
        """Search the design space with :func:`workbench.tune.tune`.

        Parameters
        ----------
        small : bool, default False
            Use the quick sizes.
        **kwargs
            Passed on to :func:`~workbench.tune.tune` (``n_trials``, ``sampler``, ``seed``,
            ``storage``, ``client``, ``pruner``, ...); ``space``, ``objectives`` and ``fixed`` may
            be overridden.

        Returns
        -------
        StudyResult
            The study.
        """
        from ..study import tune

        space = kwargs.pop("space", self.space)
        objectives = kwargs.pop("objectives", self.objectives)
        fixed = {**(self.small if small else {}), **kwargs.pop("fixed", {})}
        kwargs.setdefault("study_name", f"{self.name}-small" if small else self.name)
        if self.population_size is not None:
            kwargs.setdefault("population_size", self.population_size)
        return tune(self.fn, space, objectives, fixed=fixed, **kwargs)


DESIGNS: dict = {
    "cdn": Design(
        name="cdn",
        fn=cdn_design,
        space={
            "n_pops": Integer(2, 96, log=True),
            "placement": Categorical(list(CDN_PLACEMENTS)),
            "edge_frac": Real(1e-3, 0.2, log=True),
            "regional_frac": Real(1e-3, 0.5, log=True),
            "shield_frac": Real(1e-3, 1.0, log=True),
            "policy": Categorical(["lru", "fifo", "sieve", "s3fifo", "arc", "wtinylfu", "2q", "lirs"]),
            "ttl_s": Real(60.0, 86_400.0, log=True),
            "prefetch_top": Integer(0, 200),
        },
        objectives={"latency_p95_ms": "minimize", "origin_bytes": "minimize", "cache_bytes": "minimize"},
        grid=CDN_GRID,
        grid_objectives={"latency_p95_ms": "minimize", "origin_bytes": "minimize", "cache_bytes": "minimize"},
        small=CDN_SMALL,
        description="PoPs on Cloudflare's real list and a three-tier cache: latency vs origin egress vs memory",
    ),
    "edge": Design(
        name="edge",
        fn=edge_design,
        space={
            "n_nodes": Integer(1, 48),
            "placement": Categorical(list(EDGE_PLACEMENTS)),
            "scheduler": Categorical(list(EDGE_SCHEDULERS)),
            "cores_per_node": Integer(1, 16),
            "w_latency": Real(0.0, 3.0),
            "w_load": Real(0.0, 3.0),
            "w_wait": Real(0.0, 3.0),
            "w_exec": Real(0.0, 3.0),
            "w_cloud": Real(0.0, 3.0),
            "w_transfer": Real(0.0, 3.0),
        },
        objectives={"deadline_miss_ratio": "minimize", "node_energy_kj": "minimize", "servers": "minimize"},
        grid=EDGE_GRID,
        grid_objectives={"deadline_miss_ratio": "minimize", "node_energy_kj": "minimize", "servers": "minimize"},
        small=EDGE_SMALL,
        description="edge servers on Cogent's backbone and their scheduler: deadline misses vs energy vs servers",
    ),
    "chain": Design(
        name="chain",
        fn=chain_design,
        space={
            "interval_s": Real(2.0, 600.0, log=True),
            "block_size_kb": Real(50.0, 8000.0, log=True),
            "peer_degree": Integer(2, 16),
        },
        objectives=dict(CHAIN_OBJECTIVES),
        grid=CHAIN_GRID,
        grid_objectives=dict(CHAIN_OBJECTIVES),
        small=CHAIN_SMALL,
        description="block interval, size and peering: throughput vs stale blocks vs the selfish-mining threshold",
    ),
    "compiler": Design(
        name="compiler",
        fn=compiler_design,
        space={
            "fusion": Categorical(["u", "rz_sx"]),
            "layout_candidates": Integer(1, 6),
            "routing_trials": Integer(1, 32),
        },
        objectives=dict(COMPILER_OBJECTIVES),
        grid=COMPILER_GRID,
        grid_objectives=dict(COMPILER_GRID_OBJECTIVES),
        small=COMPILER_SMALL,
        description="compiler options for a QASMBench circuit on IBM's heavy-hex lattice: CNOTs vs depth vs time",
    ),
    "qaoa": Design(
        name="qaoa",
        fn=qaoa_design,
        space={"p": Integer(1, 3), "shots": Integer(8, 1024, log=True)},
        objectives=dict(QAOA_OBJECTIVES),
        grid={"p": [1, 2, 3], "shots": [8, 16, 32, 64, 128, 256, 512, 1024]},
        grid_objectives=dict(QAOA_OBJECTIVES),
        small=QAOA_SMALL,
        description="QAOA depth and shots on MaxCut: approximation ratio vs shots spent",
    ),
}


def design(name: str) -> Design:
    """The design space of a lab.

    Parameters
    ----------
    name : {"cdn", "edge", "chain", "compiler", "qaoa"}
        The design.

    Returns
    -------
    Design
        Its function, space, objectives and grid.

    Raises
    ------
    DesignError
        If there is no such design.

    Examples
    --------
    >>> from workbench.tune.designs import design
    >>> design("qaoa").objectives
    {'approximation_ratio': 'maximize', 'shot_cost': 'minimize'}
    """
    if name not in DESIGNS:
        raise DesignError(f"unknown design {name!r}; choose one of {sorted(DESIGNS)}")
    return DESIGNS[name]


def grid_race(
    design: Design,
    table: pd.DataFrame | None = None,
    *,
    samplers=("tpe", "nsga2", "random"),
    fractions=(0.15, 0.30),
    seeds=(0, 1, 2),
    progress: bool = False,
) -> pd.DataFrame:
    """How close each sampler gets to the exhaustive front of a design's grid, by budget.

    The grid is enumerated once (or ``table`` is used), then each sampler searches the same table
    (:class:`TableObjective`) for ``fraction x grid size`` evaluations; its hypervolume is divided
    by the exhaustive front's (objectives scaled to [0, 1] over the grid, reference point 1.1 in
    each). A ratio of 1 means the search found the whole front's hypervolume.

    Parameters
    ----------
    design : Design
        The design whose :attr:`Design.grid` is searched (on :attr:`Design.grid_objectives`).
    table : pandas.DataFrame, optional
        The enumerated grid (:meth:`Design.enumerate`); enumerated at the small sizes if None.
    samplers : sequence of str, default ("tpe", "nsga2", "random")
        Samplers of :func:`workbench.tune.tune`.
    fractions : sequence of float, default (0.15, 0.30)
        Budgets as fractions of the grid's size.
    seeds : sequence of int, default (0, 1, 2)
        Seeds of each search.
    progress : bool, default False
        A progress bar over the searches.

    Returns
    -------
    pandas.DataFrame
        Columns ``method``, ``seed``, ``fraction``, ``evaluations``, ``hypervolume_ratio`` and
        ``front_points`` (exhaustive front points found).

    Examples
    --------
    >>> from workbench.tune.designs import DESIGNS, grid_race
    >>> df = grid_race(DESIGNS["qaoa"], samplers=("random",), fractions=(0.5,), seeds=(0,))
    >>> df.columns.tolist()
    ['method', 'seed', 'fraction', 'evaluations', 'hypervolume_ratio', 'front_points']
    """
    from ..pareto import hypervolume, pareto_mask
    from ..study import tune

    if table is None:
        table = design.enumerate(small=True)
    objs = design.grid_objectives
    params = list(design.grid)
    signs = np.array([1.0 if d == "minimize" else -1.0 for d in objs.values()])
    F = table[list(objs)].to_numpy(dtype=np.float64) * signs
    lo, hi = F.min(axis=0), F.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    ref = np.full(len(objs), 1.1)
    full = hypervolume((F - lo) / span, ref)
    front_keys = {tuple(r) for r in table[params][pareto_mask(F)].itertuples(index=False)}
    fn = TableObjective(table, params)
    rows = []
    jobs = [(s, f, seed) for s in samplers for f in fractions for seed in seeds]
    if progress:
        from tqdm.auto import tqdm

        jobs = tqdm(jobs, desc=f"{design.name} race")
    for s, frac, seed in jobs:
        budget = max(1, int(frac * len(table)))
        r = tune(
            fn,
            design.grid_space(),
            dict(objs),
            n_trials=None,
            max_evaluations=budget,
            sampler=s,
            seed=int(seed),
            population_size=design.population_size,
            progress=False,
        )
        df = r.trials()
        df = df[(df.state == "complete") & ~df.cached]
        G = (df[list(objs)].to_numpy(dtype=np.float64) * signs - lo) / span
        found = {tuple(x) for x in df[params].itertuples(index=False)}
        rows.append(
            {
                "method": s,
                "seed": int(seed),
                "fraction": float(frac),
                "evaluations": int(len(df)),
                "hypervolume_ratio": hypervolume(G, ref) / full if full > 0 else 1.0,
                "front_points": len(front_keys & found),
            }
        )
    return pd.DataFrame(rows)
