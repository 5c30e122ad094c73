"""Edge computing lab: workflows and list scheduling (HEFT, CPOP), independent-task mapping heuristics,
and a compiled discrete-event simulator of devices, edge and cloud nodes over real topologies."""

from .dag import CycleError, Platform, SchedulingInputError, TaskGraph, load_heft_example, random_dag
from .env import EdgeSchedulingEnv
from .queueing import availability, erlang_c, md1_wait, mg1_wait, mmc_wait, queue_table, replicate, simulate_queue
from .scheduling import (
    BRAUN_INSTANCES,
    MAPPING_METHODS,
    Schedule,
    compare_heuristics,
    cpop,
    heft,
    load_braun,
    map_independent,
    ranks,
)
from .sim import (
    FEATURES,
    SCHEDULERS,
    EdgeResult,
    EdgeSimError,
    Engine,
    Failures,
    Scenario,
    ScoreScheduler,
    build_scenario,
    queue_scenario,
    simulate,
)

__all__ = [
    "CycleError", "Platform", "SchedulingInputError", "TaskGraph", "load_heft_example", "random_dag",
    "BRAUN_INSTANCES", "MAPPING_METHODS", "Schedule", "compare_heuristics", "cpop", "heft", "load_braun",
    "map_independent", "ranks",
    "FEATURES", "SCHEDULERS", "EdgeResult", "EdgeSimError", "Engine", "Failures", "Scenario", "ScoreScheduler",
    "build_scenario", "queue_scenario", "simulate",
    "EdgeSchedulingEnv", "availability", "erlang_c", "md1_wait", "mg1_wait", "mmc_wait", "queue_table", "replicate", "simulate_queue",
]
