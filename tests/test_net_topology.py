"""Geography, latency model, shipped Zoo topologies and graph generators."""

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench.net as wn
from workbench.errors import GraphError, UnknownNameError, UnknownTopologyError, WorkbenchError

from . import naive

# Nodes, simple undirected edges and located nodes per file, from the Zoo README table
# (counted independently of this package when the data was collected).
ZOO = {
    "Nsfnet": (13, 15, 13),
    "Abilene": (11, 14, 11),
    "Sprint": (11, 18, 11),
    "Aarnet": (19, 24, 19),
    "AttMpls": (25, 56, 25),
    "Geant2012": (40, 61, 37),
    "Surfnet": (50, 68, 50),
    "Esnet": (68, 79, 17),
    "Deltacom": (113, 161, 101),
    "TataNld": (145, 186, 143),
    "UsCarrier": (158, 189, 152),
    "GtsCe": (149, 193, 141),
    "Cogentco": (197, 243, 186),
    "Kdl": (754, 895, 726),
}


# --- geography ------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.floats(-90, 90), st.floats(-180, 180), st.floats(-90, 90), st.floats(-180, 180))
def test_great_circle_matches_naive(a, b, c, d):
    assert wn.great_circle_km(a, b, c, d) == pytest.approx(naive.haversine_km(a, b, c, d), rel=1e-9, abs=1e-6)


def test_great_circle_known_values():
    assert wn.great_circle_km(0, 0, 0, 1) == pytest.approx(111.195, abs=1e-3)
    # London Heathrow - New York JFK, about 5,540 km
    assert wn.great_circle_km(51.4700, -0.4543, 40.6413, -73.7781) == pytest.approx(5540, rel=0.01)
    assert wn.great_circle_km(0, 0, 0, 180) == pytest.approx(math.pi * wn.geo.EARTH_RADIUS_KM)
    out = wn.great_circle_km(np.zeros(3), np.zeros(3), np.zeros(3), np.array([0, 1, 2]))
    assert out.shape == (3,) and out[0] == 0


def test_latency_model_rule_of_thumb():
    # about 1 ms of RTT per 100 km of fiber at stretch 1
    assert 2 * wn.propagation_delay_ms(100.0) == pytest.approx(0.98)
    assert wn.STRETCH_PRESETS == {"floor": 1.0, "good": 1.3, "internet": 2.1}
    m = wn.LatencyModel("internet", access_ms=2.0, per_hop_ms=0.5)
    assert m.one_way_ms(1000.0, hops=3) == pytest.approx(1000 * 2.1 * 0.0049 + 4.0 + 1.5)
    assert m.rtt_ms(1000.0, hops=3) == pytest.approx(2 * m.one_way_ms(1000.0, hops=3))
    assert wn.LatencyModel(1.5).stretch == 1.5


def test_geo_bad_input():
    with pytest.raises(UnknownNameError, match="choose one of: floor, good, internet"):
        wn.LatencyModel("fast")
    with pytest.raises(WorkbenchError, match="stretch must be"):
        wn.LatencyModel(0.5)
    with pytest.raises(WorkbenchError, match="access_ms"):
        wn.LatencyModel(access_ms=-1)
    with pytest.raises(WorkbenchError, match=r"lat1 must lie in \[-90, 90\]"):
        wn.great_circle_km(91, 0, 0, 0)
    with pytest.raises(WorkbenchError, match="NaN"):
        wn.great_circle_km(0, float("nan"), 0, 0)
    with pytest.raises(WorkbenchError, match="distance_km must be >= 0"):
        wn.propagation_delay_ms(-1)


# --- Zoo topologies -------------------------------------------------------------------


def test_fourteen_topologies_shipped():
    assert sorted(wn.available_topologies()) == sorted(ZOO)


@pytest.mark.parametrize("name", sorted(ZOO))
def test_topology_loads_with_expected_shape(name):
    n, m, located = ZOO[name]
    G = wn.load_topology(name)
    assert (G.number_of_nodes(), G.number_of_edges()) == (n, m)
    assert len(G.graph["estimated_nodes"]) == n - located and G.graph["dropped_nodes"] == []
    assert nx.is_connected(G)
    for v, a in G.nodes(data=True):
        assert -90 <= a["lat"] <= 90 and -180 <= a["lon"] <= 180
        assert a["coords_estimated"] == (v in G.graph["estimated_nodes"])
    for u, v, a in G.edges(data=True):
        km = naive.haversine_km(G.nodes[u]["lat"], G.nodes[u]["lon"], G.nodes[v]["lat"], G.nodes[v]["lon"])
        assert a["length_km"] == pytest.approx(km, rel=1e-9, abs=1e-9)
        assert a["delay_ms"] == pytest.approx(km * 4.9e-3)
    assert "Topology Zoo" in G.graph["citation"]


@pytest.mark.parametrize("name", ["Geant2012", "Esnet", "Kdl"])
def test_missing_coordinate_modes(name):
    n, m, located = ZOO[name]
    dropped = wn.load_topology(name, missing_coords="drop")
    assert dropped.number_of_nodes() == located
    assert not any(a["coords_estimated"] for _, a in dropped.nodes(data=True))
    with pytest.raises(GraphError, match="have no coordinates"):
        wn.load_topology(name, missing_coords="raise")


def test_estimated_node_sits_between_its_neighbours():
    G = wn.load_topology("Geant2012")
    for v in G.graph["estimated_nodes"]:
        nbrs = list(G.neighbors(v))
        lats = [G.nodes[u]["lat"] for u in nbrs]
        assert min(lats) - 1e-9 <= G.nodes[v]["lat"] <= max(lats) + 1e-9 or len(nbrs) == 0


@pytest.mark.parametrize("name", wn.available_topologies())
def test_no_node_sits_far_from_all_its_clustered_neighbours(name):
    # a node over 1,500 km from each of its neighbours while they sit ten times closer to each other
    # is almost surely a same-named town on another continent: this caught Worcester, MA placed in
    # England (legitimate outliers pass: Hobart's two Melbourne links, Cyprus's links to DE and UK)
    G = wn.load_topology(name)
    for v in G:
        nbrs = list(G.neighbors(v))
        if len(nbrs) < 2:
            continue
        spread = max(
            wn.great_circle_km(G.nodes[a]["lat"], G.nodes[a]["lon"], G.nodes[b]["lat"], G.nodes[b]["lon"])
            for i, a in enumerate(nbrs)
            for b in nbrs[i + 1 :]
        )
        nearest = min(G.edges[v, u]["length_km"] for u in nbrs)
        assert not (nearest > 1500 and nearest > 10 * spread), (name, v, G.nodes[v]["label"])


def test_corrected_position():
    G = wn.load_topology("Cogentco")
    assert G.graph["corrected_nodes"] == [195] and G.nodes[195]["label"] == "Worcester"
    assert G.edges[195, 155]["length_km"] < 100  # Worcester - Boston, about 60 km
    assert wn.load_topology("Abilene").graph["corrected_nodes"] == []


def test_complete_topology_raise_mode_is_fine():
    assert wn.load_topology("Abilene", missing_coords="raise").number_of_nodes() == 11


def test_topology_names_and_errors():
    assert wn.load_topology("abilene").graph["name"] == "Abilene"
    assert wn.load_topology("Abilene.graphml").graph["name"] == "Abilene"
    with pytest.raises(UnknownTopologyError, match="unknown topology 'Arpanet'; choose one of: Aarnet, Abilene"):
        wn.load_topology("Arpanet")
    with pytest.raises(UnknownTopologyError):
        wn.load_topology(3)
    with pytest.raises(UnknownNameError, match="missing_coords"):
        wn.load_topology("Abilene", missing_coords="ignore")


def test_topology_summary_table():
    df = wn.topology_summary()
    assert len(df) == 14 and set(df.name) == set(ZOO)
    t = df.set_index("name")
    assert all(t.loc[k, "nodes"] == v[0] and t.loc[k, "edges"] == v[1] for k, v in ZOO.items())
    # Abilene spans the continental US: its routed diameter is several thousand km
    assert 4000 < t.loc["Abilene", "diameter_km"] < 8000


# --- generators -----------------------------------------------------------------------


def test_grid_graph_shape_and_weights():
    G = wn.grid_graph(100, 100, seed=1)
    assert G.number_of_nodes() == 10_000 and G.number_of_edges() == 2 * 100 * 99
    w = np.array([d for *_, d in G.edges(data="weight")])
    assert 1 <= w.min() and w.max() < 10
    Gi = wn.grid_graph(4, 5, weights="integer", low=1, high=3, seed=2)
    assert {d for *_, d in Gi.edges(data="weight")} <= {1.0, 2.0, 3.0}
    assert nx.utils.graphs_equal(wn.grid_graph(4, 4, seed=3), wn.grid_graph(4, 4, seed=3))
    H = nx.grid_2d_graph(4, 5)
    assert nx.is_isomorphic(wn.grid_graph(4, 5, weights="unit"), H)


def test_random_geometric_matches_networkx_on_same_points():
    G = wn.random_geometric_graph(400, 0.08, seed=5)
    pos = {v: G.nodes[v]["pos"] for v in G}
    H = nx.random_geometric_graph(400, 0.08, pos=pos)
    assert {frozenset(e) for e in G.edges} == {frozenset(e) for e in H.edges}


def test_waxman_edge_count_matches_its_expectation():
    alpha, beta, n = 0.1, 0.5, 300
    counts, expected = [], []
    for seed in range(10):
        G = wn.waxman_graph(n, alpha, beta, seed=seed)
        pos = np.array([G.nodes[v]["pos"] for v in range(n)])
        d = np.sqrt(((pos[:, None] - pos[None]) ** 2).sum(-1))
        p = beta * np.exp(-d / (alpha * math.sqrt(2)))[np.triu_indices(n, 1)]
        counts.append(G.number_of_edges())
        expected.append(p.sum())
        sd = math.sqrt((p * (1 - p)).sum())
        assert abs(counts[-1] - expected[-1]) < 5 * sd
    for u, v, w in G.edges(data="weight"):
        assert w == pytest.approx(math.dist(G.nodes[u]["pos"], G.nodes[v]["pos"]))
    assert nx.utils.graphs_equal(wn.waxman_graph(50, seed=9), wn.waxman_graph(50, seed=9))


def test_generator_bad_input():
    with pytest.raises(WorkbenchError, match="rows must be an integer >= 1"):
        wn.grid_graph(0, 3)
    with pytest.raises(UnknownNameError, match="weights mode"):
        wn.grid_graph(2, 2, weights="gaussian")
    with pytest.raises(WorkbenchError, match="alpha must be a finite number > 0"):
        wn.waxman_graph(10, alpha=0)
    with pytest.raises(WorkbenchError, match="radius must be a finite number > 0"):
        wn.random_geometric_graph(10, 0)
