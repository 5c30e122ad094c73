"""Edge computing lab: workflows and list scheduling (HEFT, CPOP), independent-task mapping heuristics,
and a compiled discrete-event simulator of devices, edge and cloud nodes over real topologies."""

from .dag import CycleError, Platform, SchedulingInputError, TaskGraph, load_heft_example, random_dag
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

__all__ = [
    "CycleError", "Platform", "SchedulingInputError", "TaskGraph", "load_heft_example", "random_dag",
    "BRAUN_INSTANCES", "MAPPING_METHODS", "Schedule", "compare_heuristics", "cpop", "heft", "load_braun",
    "map_independent", "ranks",
]
