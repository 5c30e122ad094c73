"""Routing kernels against tests/naive.py, scipy.sparse.csgraph and networkx."""

import math

import networkx as nx
import numpy as np
import pytest
import scipy.sparse.csgraph as cg
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench.net as wn
from workbench.errors import (
    GraphError,
    NegativeWeightError,
    UnknownNodeError,
    WeightTypeError,
    WorkbenchError,
)

from . import naive
from .conftest import random_graph

pytestmark = pytest.mark.kernel


def scipy_dist(csr, **kw):
    return cg.dijkstra(csr.to_scipy(), directed=True, **kw)


def assert_same_dist(ours, ref, integer):
    ours, ref = np.asarray(ours), np.asarray(ref)
    assert np.array_equal(np.isinf(ours), np.isinf(ref))
    fin = np.isfinite(ref)
    if integer:
        assert np.abs(ours[fin] - ref[fin]).max(initial=0) == 0
    else:
        np.testing.assert_allclose(ours[fin], ref[fin], rtol=1e-12, atol=0)


def assert_valid_predecessors(csr, source_idx, dist, pred):
    """Every reached node's predecessor chain leads to the source with matching length."""
    W = csr.to_scipy().tocsr()
    for v in np.flatnonzero(np.isfinite(dist)):
        if v == source_idx:
            assert pred[v] == -1
            continue
        u = pred[v]
        assert u >= 0
        w = W[u, v]
        assert W[[u], :].indices.tolist().count(v) == 1
        assert math.isclose(dist[u] + w, dist[v], rel_tol=1e-12, abs_tol=0)
    assert np.all(pred[~np.isfinite(dist)] == -1)


# --- known answers -------------------------------------------------------------------


def test_path_graph_known_answer():
    r = wn.Router(nx.path_graph(3))
    assert r.distances(0).tolist() == [0.0, 1.0, 2.0]
    assert r.distances(1).tolist() == [1.0, 0.0, 1.0]
    assert r.route(0, 2) == (2.0, [0, 1, 2])


def test_shortcut_is_taken_and_zero_weights_work():
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 5), ("a", "c", 1), ("c", "d", 0), ("d", "b", 1)])
    d, path = wn.shortest_path(G, "a", "b")
    assert d == 2.0 and path == ["a", "c", "d", "b"]
    assert wn.shortest_path(G, "b", "a") == (math.inf, [])  # directed: unreachable


def test_unreachable_is_inf():
    G = nx.Graph([(0, 1)])
    G.add_node(2)
    s = wn.shortest_path_lengths(G, 0)
    assert s[2] == math.inf and s[1] == 1.0
    assert wn.pairwise_distances(G, [(0, 2), (0, 1)]).distance.tolist() == [math.inf, 1.0]


def test_multigraph_keeps_min_parallel_edge_and_drops_self_loops():
    G = nx.MultiGraph()
    G.add_edge(0, 1, weight=5.0)
    G.add_edge(0, 1, weight=2.0)
    G.add_edge(1, 1, weight=0.0)
    csr = wn.to_csr(G)
    assert csr.weights.tolist() == [2.0, 2.0]
    assert wn.shortest_path(G, 0, 1)[0] == 2.0


def test_hop_count_when_weight_is_none():
    G = nx.Graph()
    G.add_edge(0, 1, weight=10)
    G.add_edge(1, 2, weight=10)
    assert wn.shortest_path_lengths(G, 0, weight=None).tolist() == [0.0, 1.0, 2.0]


def test_from_csr_round_trip():
    G = random_graph(3, n=20, directed=True)
    H = wn.from_csr(wn.to_csr(G))
    assert set(H.edges) == set(G.edges)
    assert all(H[u][v]["weight"] == G[u][v]["weight"] for u, v in G.edges)


def test_tree_matches_paths():
    G = wn.load_topology("Abilene")
    r = wn.Router(G, weight="length_km")
    T = r.tree(0)
    assert nx.is_arborescence(T)
    for v in G.nodes:
        assert nx.shortest_path(T, 0, v) == r.path(0, v)
        assert T.nodes[v]["distance"] == pytest.approx(r.route(0, v)[0], rel=1e-12)


# --- against naive and scipy on random graphs ----------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_sssp_matches_naive_and_scipy(seed):
    G = random_graph(seed)
    csr = wn.to_csr(G)
    integer = all(float(w).is_integer() for *_, w in G.edges(data="weight"))
    arcs = [
        (u, int(v), w)
        for u in range(csr.n_nodes)
        for v, w in zip(csr.indices[csr.indptr[u] : csr.indptr[u + 1]], csr.weights[csr.indptr[u] : csr.indptr[u + 1]])
    ]
    ref = scipy_dist(csr)
    r = wn.Router(csr)
    for s in range(min(csr.n_nodes, 6)):
        dist, pred = r.sssp(csr.nodes[s])
        assert_same_dist(dist, ref[s], integer)
        assert_same_dist(dist, naive.dijkstra(csr.n_nodes, arcs, s), integer)
        assert_valid_predecessors(csr, s, dist, pred)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**31 - 1), st.floats(0, 30))
def test_limit_matches_scipy(seed, limit):
    csr = wn.to_csr(random_graph(seed))
    ref = scipy_dist(csr, indices=0, limit=limit)
    assert_same_dist(wn.Router(csr).distances(csr.nodes[0], limit=limit), ref, integer=False)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_matrix_float64_float32_and_predecessors(seed):
    csr = wn.to_csr(random_graph(seed))
    ref, ref_pred = scipy_dist(csr, return_predecessors=True)
    r = wn.Router(csr)
    m64, p = r.matrix(predecessors=True)
    assert_same_dist(m64, ref, integer=False)
    assert np.array_equal(p == -1, ref_pred == -9999)  # same nodes without a predecessor
    for s in range(csr.n_nodes):
        assert_valid_predecessors(csr, s, m64[s], p[s])
    m32 = r.matrix(dtype=np.float32)
    assert m32.dtype == np.float32
    np.testing.assert_array_equal(m32, ref.astype(np.float32))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(1, 6))
def test_nearest_source_matches_scipy_min_only(seed, k):
    csr = wn.to_csr(random_graph(seed))
    src = np.unique(np.random.default_rng(seed).integers(0, csr.n_nodes, k)).astype(np.int32)
    ref, _, ref_src = cg.dijkstra(csr.to_scipy(), indices=src, min_only=True, return_predecessors=True)
    dist, origin, _ = wn.Router(csr).nearest([csr.nodes[i] for i in src])
    assert_same_dist(dist, ref, integer=False)
    reached = np.isfinite(ref)
    # ties may pick a different but equally near source
    full = scipy_dist(csr, indices=src)
    assert np.all(full[origin[reached], np.flatnonzero(reached)] == dist[reached])
    assert np.all(origin[~reached] == -1) and np.all(ref_src[~reached] == -9999)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(1, 70))
def test_k_nearest_is_prefix_of_sorted_distances(seed, k):
    csr = wn.to_csr(random_graph(seed))
    ref = scipy_dist(csr, indices=0)
    idx, dist, _ = wn.Router(csr).k_nearest(csr.nodes[0], k)
    reachable = np.sort(ref[np.isfinite(ref)])
    assert idx[0] == 0 and len(idx) == min(k, reachable.size)
    np.testing.assert_allclose(dist, reachable[: len(idx)], rtol=1e-12)
    assert np.all(np.diff(dist) >= 0)
    np.testing.assert_allclose(dist, ref[idx], rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_pairs_and_single_pair_match_scipy(seed):
    csr = wn.to_csr(random_graph(seed))
    rng = np.random.default_rng(seed)
    s = rng.integers(0, csr.n_nodes, 50).astype(np.int32)
    t = rng.integers(0, csr.n_nodes, 50).astype(np.int32)
    ref = scipy_dist(csr)
    r = wn.Router(csr)
    assert_same_dist(r.pairs_by_index(s, t), ref[s, t], integer=False)
    # one pair per source: bidirectional search; shared sources: one multi-target search
    assert_same_dist(
        r.pairs_by_index(np.unique(s), t[: np.unique(s).size]), ref[np.unique(s), t[: np.unique(s).size]], integer=False
    )
    for a, b in zip(s[:10], t[:10]):
        d, labels = r.route(csr.nodes[a], csr.nodes[b])
        path = np.array([csr.node_index(v) for v in labels], dtype=np.int64)
        assert_same_dist([d], [ref[a, b]], integer=False)
        if np.isfinite(d):
            assert path[0] == a and path[-1] == b
            W = csr.to_scipy().tocsr()
            assert math.isclose(sum(W[x, y] for x, y in zip(path[:-1], path[1:])), d, rel_tol=1e-12)
        else:
            assert path.size == 0


def test_random_graphs_match_networkx_paths():
    G = random_graph(7, n=80, p=0.08, directed=False)
    ref = nx.single_source_dijkstra_path_length(G, 0)
    got = wn.shortest_path_lengths(G, 0)
    for v, d in ref.items():
        assert got[v] == pytest.approx(d, rel=1e-12)


# --- all 14 Zoo graphs ------------------------------------------------------------------


@pytest.mark.parametrize("name", wn.available_topologies())
@pytest.mark.parametrize("weight", ["length_km", "hops_int"])
def test_zoo_all_pairs_identical_to_scipy(name, weight):
    G = wn.load_topology(name)
    if weight == "hops_int":
        rng = np.random.default_rng(len(name))
        for u, v in G.edges:
            G.edges[u, v]["hops_int"] = int(rng.integers(1, 100))
    r = wn.Router(G, weight=weight)
    ref = scipy_dist(r.csr)
    assert_same_dist(r.matrix(), ref, integer=weight == "hops_int")
    for s in list(G.nodes)[:5]:
        i = r.csr.node_index(s)
        dist, pred = r.sssp(s)
        assert_same_dist(dist, ref[i], integer=weight == "hops_int")
        assert_valid_predecessors(r.csr, i, dist, pred)


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_negative_nan_inf_weights_rejected(bad):
    G = nx.Graph([(0, 1, {"weight": 1.0}), (1, 2, {"weight": bad})])
    with pytest.raises(NegativeWeightError, match=r"edge \(1, 2\).*finite weights >= 0"):
        wn.Router(G)


@pytest.mark.parametrize("bad", ["3", None, True, [1]])
def test_non_numeric_weight_rejected(bad):
    G = nx.Graph([(0, 1, {"weight": bad})])
    with pytest.raises(WeightTypeError, match="weights must be real numbers"):
        wn.to_csr(G)


def test_unknown_node_named_error():
    r = wn.Router(nx.path_graph(3))
    with pytest.raises(UnknownNodeError, match="node 7 is not in the graph"):
        r.distances(7)
    with pytest.raises(UnknownNodeError):
        wn.shortest_path(nx.path_graph(3), 0, "x")
    with pytest.raises(KeyError):  # also a KeyError, as networkx users expect
        r.path(0, 9)


def test_other_bad_inputs():
    with pytest.raises(GraphError, match="no nodes"):
        wn.to_csr(nx.Graph())
    with pytest.raises(GraphError, match="expected a networkx graph"):
        wn.to_csr({0: [1]})
    r = wn.Router(nx.path_graph(3))
    with pytest.raises(WorkbenchError, match="limit must be >= 0"):
        r.distances(0, limit=-1)
    with pytest.raises(WorkbenchError, match="limit must be >= 0"):
        r.distances(0, limit=float("nan"))
    with pytest.raises(WorkbenchError, match="k must be an integer >= 1"):
        r.k_nearest(0, 0)
    with pytest.raises(WorkbenchError, match="dtype must be float64 or float32"):
        r.matrix(dtype=np.int64)
    with pytest.raises(WorkbenchError, match="differ in length"):
        r.pairs([0, 1], [2])
    with pytest.raises(WorkbenchError, match="at least one source"):
        r.nearest([])


def test_dataframe_outputs_are_tidy():
    G = wn.load_topology("Nsfnet")
    df = wn.nearest_source(G, [0, 5], weight="length_km")
    assert list(df.columns) == ["node", "source", "distance"] and len(df) == G.number_of_nodes()
    kn = wn.k_nearest(G, 0, 4, weight="length_km")
    assert kn["rank"].tolist() == [0, 1, 2, 3] and kn.node.iloc[0] == 0
    dm = wn.distance_matrix(G, [0, 1], weight="length_km")
    assert dm.shape == (2, G.number_of_nodes())


def test_reverse_graph_of_directed_graph():
    G = nx.DiGraph([(0, 1, {"weight": 2.0}), (1, 2, {"weight": 3.0}), (2, 0, {"weight": 1.0})])
    rc = wn.to_csr(G).reverse()
    assert sorted(wn.from_csr(rc).edges(data="weight")) == [(0, 2, 1.0), (1, 0, 2.0), (2, 1, 3.0)]
    und = wn.to_csr(nx.path_graph(3))
    assert und.reverse() is und


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31 - 1), st.floats(0, 20))
def test_matrix_with_limit_matches_scipy(seed, limit):
    csr = wn.to_csr(random_graph(seed))
    ref = scipy_dist(csr, limit=limit)
    assert_same_dist(wn.Router(csr).matrix(limit=limit), ref, integer=False)
    dist, origin, _ = wn.Router(csr).nearest([csr.nodes[0]], limit=limit)
    assert_same_dist(dist, ref[0], integer=False)
    assert np.all((origin == 0) == np.isfinite(ref[0]))


def test_float32_matrix_in_blocks_with_predecessors(monkeypatch):
    from workbench.net import routing

    csr = wn.to_csr(random_graph(11, n=50, p=0.1))
    r = wn.Router(csr)
    ref, ref_pred = r.matrix(predecessors=True)
    monkeypatch.setattr(routing, "_FLOAT32_BLOCK_BYTES", 8 * 50 * 3)  # three rows per block
    m32, p32 = r.matrix(dtype=np.float32, predecessors=True)
    np.testing.assert_array_equal(m32, ref.astype(np.float32))
    np.testing.assert_array_equal(p32, ref_pred)
