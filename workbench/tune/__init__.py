"""Design-space search over any lab function: one or more objectives, on Optuna (TPE, CMA-ES,
NSGA-II/III, random) and on the AI lab's own metaheuristics, with studies kept in a database and
trials run on Dask.

:func:`tune` runs a study; :mod:`workbench.tune.designs` holds a design space per lab with real
objectives; :mod:`workbench.tune.pareto` the dominance and hypervolume tools. Optuna is the
``tune`` extra (``pip install -e '.[tune]'``).
"""

from .pareto import ParetoError, dominates, hypervolume, hypervolume_history, pareto_mask
from .samplers import SAMPLER_METHODS, MetaheuristicSampler, SamplerError
from .space import Categorical, Integer, Ordinal, Real, SpaceError, grid_of, parse_space, space_size
from .study import SAMPLERS, StudyResult, TuneError, objective_values, tune

__all__ = [
    "ParetoError",
    "dominates",
    "hypervolume",
    "hypervolume_history",
    "pareto_mask",
    "SAMPLER_METHODS",
    "MetaheuristicSampler",
    "SamplerError",
    "Categorical",
    "Integer",
    "Ordinal",
    "Real",
    "SpaceError",
    "grid_of",
    "parse_space",
    "space_size",
    "SAMPLERS",
    "StudyResult",
    "TuneError",
    "objective_values",
    "tune",
]
