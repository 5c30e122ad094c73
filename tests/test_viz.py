"""Renderer policy and map charts."""

import json

import altair as alt
import networkx as nx
import pytest

import workbench.net as wn
from workbench import viz
from workbench.net.widgets import route_panel
from workbench.timing import race


def test_setup_picks_renderer(monkeypatch):
    monkeypatch.setenv("WORKBENCH_REPORT", "1")
    assert viz.setup() == "report" and alt.renderers.active == "default"
    monkeypatch.delenv("WORKBENCH_REPORT")
    assert viz.setup() == "live" and alt.renderers.active == "jupyter"
    assert viz.setup(report=True) == "report" and alt.renderers.active == "default"


def test_network_map_layers_and_valid_spec():
    G = wn.load_topology("Nsfnet")
    _, path = wn.shortest_path(G, 0, 12, weight="length_km")
    chart = viz.network_map(G, path=path, title="NSF")
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    assert len(spec["layer"]) == 4
    assert spec["projection"]["fit"]["geometry"]["type"] == "MultiPoint"
    assert len(viz.network_map(G, land=False).layer) == 2


def test_route_explorer_holds_every_route_and_binds_params():
    G = wn.load_topology("Abilene")
    spec = viz.route_explorer(G, source=0, target=5).to_dict()
    names = {p["name"] for p in spec["params"]}
    assert names == {"src", "dst", "stretch"}
    text = json.dumps(spec)
    assert "New York" in text and "Los Angeles" in text
    n = G.number_of_nodes()
    summaries = [d for d in spec["datasets"].values() if isinstance(d, list) and d and "via" in d[0]]
    assert len(summaries) == 1 and len(summaries[0]) == n * (n - 1)


def test_node_names_are_unique():
    G = nx.Graph()
    G.add_node(1, label="Paris")
    G.add_node(2, label="Paris")
    G.add_node(3, label="Lyon")
    assert viz.node_names(G) == {1: "Paris (1)", 2: "Paris (2)", 3: "Lyon"}


def test_map_errors():
    G = wn.load_topology("Esnet")
    for v in G.graph["estimated_nodes"][:1]:
        G.nodes[v]["lat"] = float("nan")
    with pytest.raises(ValueError, match="every node needs lat/lon"):
        viz.network_map(G)
    with pytest.raises(ValueError, match="too many"):
        viz.route_explorer(wn.load_topology("Kdl"))


def test_route_panel_updates_on_change():
    G = wn.load_topology("Abilene")
    panel = route_panel(G, source=0, target=5)
    (_src, dst), stretch, _access, out = panel.children[0].children, *panel.children[1:]
    before = out.value
    stretch.value = 2.1
    assert out.value != before and "RTT" in out.value
    d, path = wn.shortest_path(G, 0, 5, weight="length_km")
    assert f"{wn.LatencyModel(2.1).rtt_ms(d, len(path) - 1):.2f} ms" in out.value
    dst.value = 0
    assert "0 km" in out.value


def test_race_ratios():
    df = race({"a": lambda: sum(range(1000)), "b": lambda: sum(range(10))}, repeat=3, number=5)
    assert df.ratio_min[0] == 1.0 and df.ratio_min[1] < 1.0
    with pytest.raises(ValueError, match="baseline"):
        race({"a": lambda: 0}, baseline="z")
    with pytest.raises(ValueError, match="at least one"):
        race({})
