"""Graphs, geography and shortest-path routing shared by the edge, CDN and blockchain labs."""

from .geo import (
    FIBER_US_PER_KM,
    STRETCH_PRESETS,
    LatencyModel,
    great_circle_km,
    propagation_delay_ms,
)
from .graph import CSRGraph, from_csr, predecessor_tree, to_csr
from .routing import (
    Router,
    distance_matrix,
    k_nearest,
    nearest_source,
    pairwise_distances,
    route_stretch,
    route_table,
    shortest_path,
    shortest_path_lengths,
)
from .topology import (
    available_topologies,
    grid_graph,
    load_topology,
    random_geometric_graph,
    topology_summary,
    waxman_graph,
)

__all__ = [
    "FIBER_US_PER_KM",
    "STRETCH_PRESETS",
    "LatencyModel",
    "great_circle_km",
    "propagation_delay_ms",
    "CSRGraph",
    "to_csr",
    "from_csr",
    "predecessor_tree",
    "Router",
    "shortest_path",
    "shortest_path_lengths",
    "pairwise_distances",
    "distance_matrix",
    "nearest_source",
    "k_nearest",
    "route_table",
    "route_stretch",
    "available_topologies",
    "load_topology",
    "topology_summary",
    "grid_graph",
    "waxman_graph",
    "random_geometric_graph",
]
