"""Altair helpers shared by the labs, and the renderer policy for live vs. report runs.

Every notebook's first code cell calls :func:`setup`. In JupyterLab and Voila it enables
Altair's ``jupyter`` renderer in offline mode (the vega bundle travels inside the widget,
so charts render without a network); in report runs (``WORKBENCH_REPORT=1``, set by
:mod:`workbench.report`) it keeps the ``default`` renderer, whose output the offline report
template renders from the inlined vega bundle.

Interactivity that must survive export uses Altair parameters (dropdowns, sliders,
selections bound in the chart itself); ipywidgets callbacks only run in a live kernel.
"""

from __future__ import annotations

import functools
import json
import os

import altair as alt
import numpy as np
import pandas as pd

__all__ = [
    "setup",
    "network_map",
    "route_explorer",
    "node_names",
    "world_points",
    "PALETTE",
    "LiveCurve",
    "pareto_chart",
    "front_projections",
    "history_chart",
    "importance_chart",
    "parallel_coordinates",
]

PALETTE = [
    "#4c78a8",
    "#f58518",
    "#e45756",
    "#72b7b2",
    "#54a24b",
    "#eeca3b",
    "#b279a2",
    "#ff9da6",
    "#9d755d",
    "#bab0ac",
]  # tableau10
MAX_ROWS = 50_000


def _theme() -> dict:
    return {
        "config": {
            "view": {"continuousWidth": 520, "continuousHeight": 320, "stroke": None},
            "range": {"category": PALETTE},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "gridColor": "#eee"},
            "legend": {"labelFontSize": 12, "titleFontSize": 13},
            "title": {"fontSize": 15, "anchor": "start"},
        }
    }


def _register_theme():
    theme_api = getattr(alt, "theme", None)
    if theme_api is not None and hasattr(theme_api, "register"):
        theme_api.register("workbench", enable=True)(_theme)
    else:  # Altair 5.4
        alt.themes.register("workbench", _theme)
        alt.themes.enable("workbench")


def setup(report: bool | None = None) -> str:
    """Choose the Altair renderer and theme for this notebook; returns ``"report"`` or ``"live"``.

    Parameters
    ----------
    report : bool, optional
        Force report mode (``True``) or live mode (``False``); by default report mode
        when the environment variable ``WORKBENCH_REPORT`` is set.

    Returns
    -------
    str
        ``"report"`` (the ``default`` renderer) or ``"live"`` (the offline ``jupyter`` renderer).
        Either way the data transformer allows up to ``MAX_ROWS`` rows and the ``workbench``
        theme is enabled.

    Examples
    --------
    >>> setup(report=True)
    'report'
    """
    if report is None:
        report = bool(os.environ.get("WORKBENCH_REPORT"))
    if report:
        alt.renderers.enable("default")
    else:
        alt.renderers.enable("jupyter", offline=True)
    alt.data_transformers.enable("default", max_rows=MAX_ROWS)
    _register_theme()
    return "report" if report else "live"


# --- maps -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _world_topojson() -> dict:
    from ._data import data_path

    return json.loads(data_path("geo", "world-110m.json").read_text())


def node_names(G) -> dict:
    """A unique display name per node: its ``label`` (``"label (id)"`` where labels repeat).

    Parameters
    ----------
    G : networkx.Graph
        Any graph; a node without a ``label`` attribute is named by its id.

    Returns
    -------
    dict
        Node -> display name (str).

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.viz import node_names
    >>> G = nx.Graph()
    >>> G.add_nodes_from([(0, {"label": "Paris"}), (1, {"label": "Paris"}), (2, {})])
    >>> node_names(G)
    {0: 'Paris (0)', 1: 'Paris (1)', 2: '2'}
    """
    labels = {v: str(G.nodes[v].get("label", v)) for v in G.nodes}
    counts = pd.Series(list(labels.values())).value_counts()
    return {v: (f"{lab} ({v})" if counts[lab] > 1 else lab) for v, lab in labels.items()}


def _nodes_frame(G) -> pd.DataFrame:
    names = node_names(G)
    return pd.DataFrame(
        {
            "node": list(G.nodes),
            "name": [names[v] for v in G.nodes],
            "lat": [G.nodes[v]["lat"] for v in G.nodes],
            "lon": [G.nodes[v]["lon"] for v in G.nodes],
            "estimated": [bool(G.nodes[v].get("coords_estimated", False)) for v in G.nodes],
            "degree": [G.degree(v) for v in G.nodes],
        }
    )


def _edges_frame(G, pairs=None) -> pd.DataFrame:
    pairs = G.edges() if pairs is None else pairs
    rows = [
        {
            "u": u,
            "v": v,
            "lat": G.nodes[u]["lat"],
            "lon": G.nodes[u]["lon"],
            "lat2": G.nodes[v]["lat"],
            "lon2": G.nodes[v]["lon"],
            "length_km": G.edges[u, v].get("length_km", np.nan),
        }
        for u, v in pairs
    ]
    return pd.DataFrame(rows, columns=["u", "v", "lat", "lon", "lat2", "lon2", "length_km"])


def _projection(nodes: pd.DataFrame, kind: str = "mercator") -> alt.Projection:
    lat0, lat1 = nodes.lat.min(), nodes.lat.max()
    lon0, lon1 = nodes.lon.min(), nodes.lon.max()
    pad_lat = max(1.0, 0.08 * (lat1 - lat0))
    pad_lon = max(1.0, 0.08 * (lon1 - lon0))
    box = [
        [max(-179.9, lon0 - pad_lon), max(-85.0, lat0 - pad_lat)],
        [min(179.9, lon1 + pad_lon), min(85.0, lat1 + pad_lat)],
    ]
    fit = {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": box}, "properties": {}}
    return alt.Projection(type=kind, fit=fit)


def _base_map(G, width, height, title, land):
    nodes = _nodes_frame(G)
    if nodes[["lat", "lon"]].isna().any().any():
        raise ValueError(
            "every node needs lat/lon for a map; load the topology with missing_coords='estimate' or 'drop'"
        )
    proj = _projection(nodes)
    layers = []
    if land:
        world = alt.InlineData(values=_world_topojson(), format=alt.DataFormat(type="topojson", feature="land"))
        layers.append(alt.Chart(world).mark_geoshape(fill="#f1efe9", stroke="#d6d2c8", strokeWidth=0.5, clip=True))
    edges = _edges_frame(G)
    layers.append(
        alt.Chart(edges)
        .mark_rule(color="#9aa5b1", strokeWidth=1.2, clip=True)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            longitude2="lon2:Q",
            latitude2="lat2:Q",
            tooltip=[alt.Tooltip("length_km:Q", format=",.0f", title="link km")],
        )
    )
    props = {"width": width, "height": height, "projection": proj}
    if title:
        props["title"] = title
    return nodes, layers, props


def _node_layer(nodes):
    return (
        alt.Chart(nodes)
        .mark_circle(size=55, opacity=1, stroke="white", strokeWidth=0.8, clip=True)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color(
                "estimated:N",
                scale=alt.Scale(domain=[False, True], range=["#4c78a8", "#bbbbbb"]),
                legend=alt.Legend(title="position estimated"),
            ),
            tooltip=[
                "name:N",
                "node:N",
                "degree:Q",
                alt.Tooltip("lat:Q", format=".2f"),
                alt.Tooltip("lon:Q", format=".2f"),
            ],
        )
    )


def network_map(
    G,
    path=None,
    *,
    width: int = 680,
    height: int = 400,
    title: str | None = None,
    land: bool = True,
    points: pd.DataFrame | None = None,
    color=None,
    size=None,
    tooltip=None,
) -> alt.LayerChart:
    """Map of a geographic network: nodes at their lat/lon, links as great-circle-free straight segments.

    Parameters
    ----------
    G : networkx.Graph
        Nodes with ``lat`` and ``lon`` (as from :func:`workbench.net.load_topology`).
    path : list, optional
        Node sequence to highlight (e.g. from :func:`workbench.net.shortest_path`).
    width : int, default 680
        Chart width in pixels.
    height : int, default 400
        Chart height in pixels.
    title : str, optional
        Chart title.
    land : bool, default True
        Draw the world's land outline underneath (shipped with the package, no download).
    points : pandas.DataFrame, optional
        Extra markers with ``lat``/``lon`` (e.g. servers placed at the network's nodes), drawn on top
        and encoded with ``color``, ``size`` and ``tooltip`` (Altair shorthands).
    color : str or altair channel, optional
        Colour encoding of ``points`` (ignored without ``points``).
    size : str or altair channel, optional
        Size encoding of ``points``; a column shorthand gets marker areas from 20 to 500.
    tooltip : str, list or altair channel, optional
        Tooltip encoding of ``points``.

    Returns
    -------
    altair.LayerChart
        Layers, bottom to top: land (if ``land``), links, the path (if it has two nodes or more),
        nodes (grey where the position is estimated), then ``points``.

    Raises
    ------
    ValueError
        If a node has no ``lat``/``lon``.

    Examples
    --------
    >>> from workbench.net import load_topology
    >>> from workbench.viz import network_map
    >>> chart = network_map(load_topology("Abilene"), path=[0, 1, 10], land=False)
    >>> len(chart.layer)
    3
    """
    nodes, layers, props = _base_map(G, width, height, title, land)
    if path is not None and len(path) > 1:
        hops = _edges_frame(G, list(zip(path[:-1], path[1:])))
        layers.append(
            alt.Chart(hops)
            .mark_rule(color="#e45756", strokeWidth=4, clip=True)
            .encode(longitude="lon:Q", latitude="lat:Q", longitude2="lon2:Q", latitude2="lat2:Q")
        )
    layers.append(_node_layer(nodes))
    if points is not None:
        enc = {"longitude": "lon:Q", "latitude": "lat:Q"}
        if color:
            enc["color"] = color
        if size:
            enc["size"] = alt.Size(size, scale=alt.Scale(range=[20, 500])) if isinstance(size, str) else size
        if tooltip:
            enc["tooltip"] = tooltip
        layers.append(
            alt.Chart(points).mark_circle(opacity=0.75, stroke="black", strokeWidth=0.5, clip=True).encode(**enc)
        )
        return alt.layer(*layers).properties(**props).resolve_scale(color="independent", size="independent")
    return alt.layer(*layers).properties(**props)


def route_explorer(
    G, weight: str = "length_km", *, source=None, target=None, width: int = 680, height: int = 400, land: bool = True
) -> alt.LayerChart:
    """An interactive map: pick source, destination and path stretch; see the shortest route and its latency.

    All routes are precomputed (:func:`workbench.net.route_table`) and chosen with Altair
    parameters, so the dropdowns keep working in an exported offline report. The latency is
    the fiber propagation RTT of the route's great-circle length times the stretch factor
    (4.9 us/km one way, see :mod:`workbench.net.geo`). Meant for graphs of up to ~100 nodes.

    Parameters
    ----------
    G : networkx.Graph
        Nodes with ``lat`` and ``lon`` (as from :func:`workbench.net.load_topology`), at most 150.
    weight : str, default "length_km"
        Edge attribute the routes minimise (passed to :func:`workbench.net.route_table`); the
        displayed km are those route lengths.
    source : hashable, optional
        Node selected as the source at first; by default the first in the dropdown (names sorted).
    target : hashable, optional
        Node selected as the destination at first; by default the last in the dropdown.
    width : int, default 680
        Chart width in pixels.
    height : int, default 400
        Chart height in pixels.
    land : bool, default True
        Draw the world's land outline underneath.

    Returns
    -------
    altair.LayerChart
        The map with the parameters ``src``, ``dst`` (dropdowns) and ``stretch`` (radio buttons
        of :data:`workbench.net.STRETCH_PRESETS`).

    Raises
    ------
    ValueError
        If ``G`` has more than 150 nodes, or a node has no ``lat``/``lon``.
    UnknownNodeError
        If ``source`` or ``target`` is not a node of ``G``.

    Examples
    --------
    >>> from workbench.net import load_topology
    >>> from workbench.viz import route_explorer
    >>> chart = route_explorer(load_topology("Abilene"), land=False)
    >>> sorted(p.name for p in chart.params)
    ['dst', 'src', 'stretch']
    """
    from .net import FIBER_US_PER_KM, STRETCH_PRESETS, route_table

    if G.number_of_nodes() > 150:
        raise ValueError(f"route_explorer precomputes every route; {G.number_of_nodes()} nodes is too many (max 150)")
    nodes, layers, props = _base_map(G, width, height, None, land)
    names = node_names(G)
    code = {v: i for i, v in enumerate(sorted(G.nodes, key=lambda v: names[v]))}  # dropdown order
    routes = route_table(G, weight=weight)
    hop_rows, summary = [], []
    for s, t, d, h, path in routes.itertuples(index=False):
        summary.append({"s": code[s], "t": code[t], "km": d, "hops": h, "via": " → ".join(names[v] for v in path)})
        hop_rows += [{"s": code[s], "t": code[t], "a": code[a], "b": code[b]} for a, b in zip(path[:-1], path[1:])]
    coords = pd.DataFrame({"id": [code[v] for v in G.nodes], "lat": nodes.lat, "lon": nodes.lon})
    order = sorted(code.values())
    labels = [names[v] for v in sorted(G.nodes, key=lambda v: code[v])]
    for what, node in (("source", source), ("target", target)):
        if node is not None and node not in code:
            from .errors import UnknownNodeError

            raise UnknownNodeError(f"{what} {node!r} is not a node of the graph")
    source = code[source] if source is not None else order[0]
    target = code[target] if target is not None else order[-1]
    src = alt.param(name="src", value=source, bind=alt.binding_select(options=order, labels=labels, name="From "))
    dst = alt.param(name="dst", value=target, bind=alt.binding_select(options=order, labels=labels, name="To "))
    presets = list(STRETCH_PRESETS.items())
    stretch = alt.param(
        name="stretch",
        value=STRETCH_PRESETS["good"],
        bind=alt.binding_radio(
            options=[v for _, v in presets], labels=[f"{k} ({v})" for k, v in presets], name="Path stretch "
        ),
    )
    chosen = (alt.datum.s == src) & (alt.datum.t == dst)
    lookup = alt.LookupData(coords, key="id", fields=["lat", "lon"])
    layers.append(
        alt.Chart(pd.DataFrame(hop_rows, columns=["s", "t", "a", "b"]))
        .transform_filter(chosen)
        .transform_lookup(lookup="a", from_=lookup)
        .transform_lookup(lookup="b", from_=lookup, as_=["lat2", "lon2"])
        .mark_rule(color="#e45756", strokeWidth=4, clip=True)
        .encode(longitude="lon:Q", latitude="lat:Q", longitude2="lon2:Q", latitude2="lat2:Q")
    )
    layers.append(_node_layer(nodes))
    ms_per_km = FIBER_US_PER_KM / 1000.0
    text = (
        alt.Chart(pd.DataFrame(summary))
        .transform_filter(chosen)
        .transform_calculate(
            rtt=f"2 * datum.km * stretch * {ms_per_km}",
            line="datum.km == null || !isFinite(datum.km) ? 'no route' : "
            "format(datum.km, ',.0f') + ' km over ' + datum.hops + ' hops; RTT ' + format(datum.rtt, '.1f') + ' ms'",
        )
        .mark_text(align="left", baseline="top", fontSize=13, fontWeight="bold", color="#333")
        .encode(x=alt.value(8), y=alt.value(8), text="line:N")
    )
    via = (
        alt.Chart(pd.DataFrame(summary))
        .transform_filter(chosen)
        .mark_text(align="left", baseline="top", fontSize=11, color="#555", limit=width - 16)
        .encode(x=alt.value(8), y=alt.value(26), text="via:N")
    )
    layers += [text, via]
    return alt.layer(*layers).add_params(src, dst, stretch).properties(**props)


def world_points(
    df,
    *,
    color=None,
    size=None,
    tooltip=None,
    lat: str = "lat",
    lon: str = "lon",
    width: int = 720,
    height: int = 360,
    title: str | None = None,
    scheme: str | None = None,
    projection: str = "equalEarth",
) -> alt.LayerChart:
    """Points on a world map (land outline shipped with the package; renders offline).

    Parameters
    ----------
    df : pandas.DataFrame
        One row per point with latitude and longitude columns (named by ``lat`` and ``lon``).
    color, size : str, optional
        Column names (Altair shorthand such as ``"region:N"`` or ``"hit_ratio:Q"``); marker areas
        range from 10 to 400.
    tooltip : list of str, optional
        Columns shown on hover.
    lat : str, default "lat"
        Latitude column (degrees).
    lon : str, default "lon"
        Longitude column (degrees).
    width : int, default 720
        Chart width in pixels.
    height : int, default 360
        Chart height in pixels.
    title : str, optional
        Chart title.
    scheme : str, optional
        Vega colour scheme of the ``color`` scale (e.g. ``"viridis"``); Altair's default without it.
    projection : str, default "equalEarth"
        Vega projection type.

    Returns
    -------
    altair.LayerChart
        Two layers: the land outline and the points.

    Examples
    --------
    >>> import pandas as pd
    >>> chart = world_points(pd.DataFrame({"lat": [48.9], "lon": [2.35], "city": ["Paris"]}), tooltip=["city"])
    >>> len(chart.layer)
    2
    """
    world = alt.InlineData(values=_world_topojson(), format=alt.DataFormat(type="topojson", feature="land"))
    land = alt.Chart(world).mark_geoshape(fill="#f1efe9", stroke="#d6d2c8", strokeWidth=0.5)
    enc = {"longitude": f"{lon}:Q", "latitude": f"{lat}:Q"}
    if color:
        enc["color"] = alt.Color(color, scale=alt.Scale(scheme=scheme) if scheme else alt.Undefined)
    if size:
        enc["size"] = alt.Size(size, scale=alt.Scale(range=[10, 400]))
    if tooltip:
        enc["tooltip"] = tooltip
    points = alt.Chart(df).mark_circle(opacity=0.8, stroke="white", strokeWidth=0.4).encode(**enc)
    props = {"width": width, "height": height, "projection": alt.Projection(type=projection)}
    if title:
        props["title"] = title
    return alt.layer(land, points).properties(**props)


class LiveCurve:
    """A training curve that redraws itself while a model trains (pass it as ``callback``).

    Called after every epoch as ``curve(epoch, loss, model)``; it records the loss and, when
    validation data are given, ``model.score(X_val, y_val)``, and updates one Altair chart in place
    (a display handle: in JupyterLab it moves while training runs; an exported report keeps the
    final curve). The records are in :attr:`frame`.

    Parameters
    ----------
    X_val : array-like, optional
        Validation inputs; with them each epoch also records ``model.score(X_val, y_val)``.
    y_val : array-like, optional
        Validation targets.
    every : int, default 1
        Redraw the chart every ``every`` epochs (and after the first); values below 1 count as 1.
    title : str, default "training"
        Chart title.
    show : bool, default True
        Display and update the chart; False only records the rows.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from workbench.ai import MLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> curve = LiveCurve(X, y, show=False)
    >>> _ = MLPClassifier(hidden=(8,), epochs=3, random_state=0, callback=curve).fit(X, y)
    >>> list(curve.frame.epoch)
    [1, 2, 3]
    """

    def __init__(self, X_val=None, y_val=None, *, every: int = 1, title: str = "training", show: bool = True):
        self.X_val, self.y_val, self.every, self.title, self.show = X_val, y_val, max(1, int(every)), title, show
        self.rows: list[dict] = []
        self._handle = None

    @property
    def frame(self) -> pd.DataFrame:
        """The recorded epochs as a frame.

        Returns
        -------
        pandas.DataFrame
            One row per epoch: ``epoch``, ``loss`` and, with validation data, ``validation score``.
        """
        return pd.DataFrame(self.rows)

    def chart(self) -> alt.Chart:
        """The curve as it stands: one panel per series (loss, validation score) against epoch.

        Returns
        -------
        altair.Chart
            A line chart faceted by series, each with its own y scale (empty before the first
            epoch).
        """
        frame = (
            self.frame if self.rows else pd.DataFrame({"epoch": pd.Series(dtype=int), "loss": pd.Series(dtype=float)})
        )
        df = frame.melt("epoch", var_name="series", value_name="value")
        return (
            alt.Chart(df)
            .mark_line(point=True)
            .encode(
                x=alt.X("epoch:Q"),
                y=alt.Y("value:Q", title=None),
                color=alt.Color("series:N", title=None),
                row=alt.Row("series:N", title=None, header=alt.Header(labelOrient="top")),
            )
            .resolve_scale(y="independent")
            .properties(width=420, height=120, title=self.title)
        )

    def __call__(self, epoch, loss, model):
        row = {"epoch": int(epoch), "loss": float(loss)}
        if self.X_val is not None:
            row["validation score"] = float(model.score(self.X_val, self.y_val))
        self.rows.append(row)
        if self.show and (epoch % self.every == 0 or epoch == 1):
            from IPython.display import display

            if self._handle is None:
                self._handle = display(self.chart(), display_id=True)
            else:
                self._handle.update(self.chart())


# --- design-space search (workbench.tune) -----------------------------------------------------------------


def _study_frames(result):
    """(trials of complete feasible points with an ``on_front`` column, objectives dict) of a StudyResult."""
    objs = dict(result.objectives)
    df = result.trials()
    df = df[df.state.eq("complete") & ~df.cached].copy()
    front = result.pareto()
    df["on_front"] = df.trial.isin(front.trial)
    df["feasible"] = df.feasible.astype(bool)
    return df, objs


def pareto_chart(
    result,
    x: str | None = None,
    y: str | None = None,
    *,
    color: str | None = None,
    title: str | None = None,
    width: int = 460,
    height: int = 320,
) -> alt.LayerChart:
    """Every evaluated design of a study in two objectives, the Pareto front drawn as a staircase.

    The staircase bounds the region the designs dominate in the two objectives shown (with more
    objectives, the front of that projection); the coloured points are the study's whole front.

    Parameters
    ----------
    result : workbench.tune.StudyResult
        A finished study.
    x, y : str, optional
        The two objectives (default: the first two; with one objective, ``y`` is the trial number).
    color : str, optional
        A parameter (or third objective) colouring the points; default: on the front or not.
    title : str, optional
        Chart title.
    width, height : int, default 460, 320
        Size in pixels.

    Returns
    -------
    altair.LayerChart
        Points (hover for the parameters) and the front's staircase.

    Examples
    --------
    >>> from workbench.tune import tune
    >>> r = tune(lambda a: {"cost": a, "risk": 1 / a}, {"a": (0.1, 2.0)}, ["cost", "risk"], n_trials=20,
    ...          progress=False)
    >>> type(pareto_chart(r)).__name__
    'LayerChart'
    """
    df, objs = _study_frames(result)
    names = list(objs)
    x = x or names[0]
    y = y or (names[1] if len(names) > 1 else "trial")
    params = list(result.space)
    tips = [*params, *names, "trial"]
    enc_color = (
        alt.Color(
            color, type="nominal" if df[color].dtype == object or df[color].dtype.kind in "bO" else "quantitative"
        )
        if color
        else alt.Color(
            "on_front:N", title="on the front", scale=alt.Scale(domain=[True, False], range=[PALETTE[1], "#bbb"])
        )
    )
    pts = (
        alt.Chart(df)
        .mark_circle(size=55, opacity=0.8)
        .encode(
            x=alt.X(f"{x}:Q", scale=alt.Scale(zero=False)),
            y=alt.Y(f"{y}:Q", scale=alt.Scale(zero=False)),
            color=enc_color,
            tooltip=tips,
        )
    )
    from .tune.pareto import pareto_mask

    signs = [objs.get(v, "minimize") for v in (x, y)]
    # the staircase bounds what the designs dominate in these two objectives: with more objectives, the front
    # of this projection (the coloured points are the whole front, which also wins on the other objectives)
    P = df[[x, y]].to_numpy(dtype=float) * np.array([1.0 if d == "minimize" else -1.0 for d in signs])
    front = (df[pareto_mask(P)] if len(df) else df).sort_values([x, y])
    step = "step-after" if signs[0] == "minimize" else "step-before"
    line = alt.Chart(front).mark_line(interpolate=step, color=PALETTE[1], strokeWidth=2).encode(x=f"{x}:Q", y=f"{y}:Q")
    return (line + pts).properties(
        width=width,
        height=height,
        title=title
        or f"{int(df.on_front.sum())} Pareto-optimal of {len(df)} designs ({x}: {signs[0]}, {y}: {signs[1]})",
    )


def front_projections(result, objectives=None, *, size: int = 200) -> alt.RepeatChart:
    """Pairwise projections of a study with three or more objectives (front points highlighted).

    Parameters
    ----------
    result : workbench.tune.StudyResult
        A finished study.
    objectives : list of str, optional
        The objectives to show (default: all).
    size : int, default 200
        Width and height of each panel in pixels.

    Returns
    -------
    altair.RepeatChart
        A scatter-plot matrix; every point carries its parameters in the tooltip.

    Examples
    --------
    >>> from workbench.tune import tune
    >>> r = tune(lambda a, b: {"f": a, "g": b, "h": 2 - a - b}, {"a": (0.0, 1.0), "b": (0.0, 1.0)},
    ...          ["f", "g", "h"], n_trials=20, progress=False)
    >>> type(front_projections(r)).__name__
    'RepeatChart'
    """
    df, objs = _study_frames(result)
    names = list(objectives or objs)
    return (
        alt.Chart(df)
        .mark_circle(size=35, opacity=0.8)
        .encode(
            x=alt.X(alt.repeat("column"), type="quantitative", scale=alt.Scale(zero=False)),
            y=alt.Y(alt.repeat("row"), type="quantitative", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "on_front:N", title="on the front", scale=alt.Scale(domain=[True, False], range=[PALETTE[1], "#bbb"])
            ),
            tooltip=[*result.space, *names],
        )
        .properties(width=size, height=size)
        .repeat(row=names, column=names)
    )


def history_chart(results, *, title: str | None = None, width: int = 520, height: int = 300) -> alt.Chart:
    """Progress of one or more studies: hypervolume (several objectives) or best value (one) by evaluation.

    Parameters
    ----------
    results : StudyResult or dict of name -> StudyResult
        Studies to compare (give them the same ``reference`` to compare hypervolumes).
    title : str, optional
        Chart title.
    width, height : int, default 520, 300
        Size in pixels.

    Returns
    -------
    altair.Chart
        One line per study.

    Examples
    --------
    >>> from workbench.tune import tune
    >>> r = tune(lambda a: (a - 1) ** 2, {"a": (0.0, 3.0)}, n_trials=15, progress=False)
    >>> type(history_chart({"tpe": r})).__name__
    'Chart'
    """
    if not isinstance(results, dict):
        results = {results.params["sampler"]: results}
    parts = []
    single = False
    for name, r in results.items():
        objs = dict(r.objectives)
        if len(objs) == 1:
            single = True
            o, d = next(iter(objs.items()))
            df = r.trials()
            df = df[~df.cached & df.state.isin(["complete", "failed", "pruned"])]
            v = df[o].where(df.feasible)
            best = (v.cummin() if d == "minimize" else v.cummax()).ffill()  # failed/pruned: the best so far
            parts.append(pd.DataFrame({"evaluation": df.evaluation, "value": best, "study": name}))
        else:
            h = r.hypervolume_history()
            parts.append(pd.DataFrame({"evaluation": h.evaluation, "value": h.hypervolume, "study": name}))
    df = pd.concat(parts, ignore_index=True)
    ytitle = "best value so far" if single else "hypervolume"
    return (
        alt.Chart(df)
        .mark_line(interpolate="step-after")
        .encode(
            x="evaluation:Q",
            y=alt.Y("value:Q", title=ytitle, scale=alt.Scale(zero=False)),
            color=alt.Color("study:N", title="study"),
            tooltip=["study", "evaluation", "value"],
        )
        .properties(width=width, height=height, title=title or f"{ytitle} by simulations run")
    )


def importance_chart(result, *, width: int = 360) -> alt.Chart:
    """Parameter importances (fANOVA) of each objective as bars.

    Parameters
    ----------
    result : workbench.tune.StudyResult or pandas.DataFrame
        A study, or its ``importances()`` frame.
    width : int, default 360
        Width of each objective's panel in pixels.

    Returns
    -------
    altair.Chart
        One bar per parameter, a panel per objective.

    Examples
    --------
    >>> import pandas as pd
    >>> imp = pd.DataFrame({"objective": ["cost"] * 2, "parameter": ["a", "b"], "importance": [0.8, 0.2]})
    >>> type(importance_chart(imp)).__name__
    'Chart'
    """
    imp = result if isinstance(result, pd.DataFrame) else result.importances()
    return (
        alt.Chart(imp)
        .mark_bar(color=PALETTE[0])
        .encode(
            x=alt.X("importance:Q", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("parameter:N", sort="-x"),
            row=alt.Row("objective:N", title=None),
            tooltip=["objective", "parameter", alt.Tooltip("importance:Q", format=".3f")],
        )
        .properties(width=width, title="parameter importance (fANOVA)")
    )


def parallel_coordinates(result, columns=None, *, width: int = 640, height: int = 300) -> alt.Chart:
    """Parallel coordinates of a study's designs: every parameter and objective scaled to [0, 1].

    Parameters
    ----------
    result : workbench.tune.StudyResult
        A finished study.
    columns : list of str, optional
        Axes to draw (default: the parameters, then the objectives); categorical and ordinal parameters
        are placed by the order of their choices, logarithmic ones on a log scale.
    width, height : int, default 640, 300
        Size in pixels.

    Returns
    -------
    altair.Chart
        One line per design, Pareto-optimal ones in colour.

    Examples
    --------
    >>> from workbench.tune import tune
    >>> r = tune(lambda a, k: {"f": a * k, "g": 1 / (a + k)}, {"a": (0.1, 1.0), "k": [1, 2]},
    ...          ["f", "g"], n_trials=12, progress=False)
    >>> type(parallel_coordinates(r)).__name__
    'Chart'
    """
    from .tune.space import Categorical, Ordinal

    df, objs = _study_frames(result)
    cols = list(columns or [*result.space, *objs])
    scaled = pd.DataFrame({"trial": df.trial.to_numpy(), "on_front": df.on_front.to_numpy()})
    for c in cols:
        dim = result.space.get(c)
        v = df[c]
        if isinstance(dim, (Categorical, Ordinal)):
            v = v.map({ch: i for i, ch in enumerate(dim.values())}).astype(float)
        v = v.astype(float).to_numpy()
        if getattr(dim, "log", False):  # a log-scaled dimension on its own scale
            v = np.log(v)
        lo, hi = (np.nanmin(v), np.nanmax(v)) if np.isfinite(v).any() else (0.0, 0.0)
        scaled[c] = (v - lo) / (hi - lo) if hi > lo else 0.5
    long = scaled.melt(id_vars=["trial", "on_front"], var_name="axis", value_name="scaled")
    return (
        alt.Chart(long)
        .mark_line(opacity=0.5)
        .encode(
            x=alt.X("axis:N", sort=cols, title=None),
            y=alt.Y("scaled:Q", title="scaled to [0, 1]"),
            detail="trial:N",
            color=alt.Color(
                "on_front:N", title="on the front", scale=alt.Scale(domain=[True, False], range=[PALETTE[1], "#ccc"])
            ),
            tooltip=["trial", "axis", "scaled"],
        )
        .properties(width=width, height=height, title="designs across parameters and objectives")
    )
