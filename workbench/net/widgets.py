"""A live route panel for notebooks (ipywidgets; callbacks run in a live kernel only)."""

from __future__ import annotations

import html

import ipywidgets as W

from .geo import STRETCH_PRESETS, LatencyModel
from .routing import Router

__all__ = ["route_panel"]


def route_panel(G, weight: str = "length_km", *, source=None, target=None) -> W.VBox:
    """Dropdowns for source and destination, a stretch preset and an access delay; shows the
    shortest route, its length and its round-trip latency.

    In an exported report the panel shows the state it had when the notebook ran; use
    :func:`workbench.viz.route_explorer` for a map that stays interactive offline.

    Parameters
    ----------
    G : networkx.Graph
        The network (e.g. from :func:`workbench.net.load_topology`); nodes are listed by their
        ``label`` attribute where they have one.
    weight : str, default "length_km"
        Edge attribute used as the route length, read as km by the latency model.
    source : hashable, optional
        Node selected as the source at start; ``None`` takes the first node in name order.
    target : hashable, optional
        Node selected as the destination at start; ``None`` takes the last node in name order.

    Returns
    -------
    ipywidgets.VBox
        The panel: the two dropdowns, the stretch buttons, the access-delay slider and an HTML
        readout (its last child) with the route's length, hops, one-way latency and RTT.

    Examples
    --------
    >>> from workbench.net import load_topology
    >>> panel = route_panel(load_topology("Abilene"), source=0, target=5)
    >>> "RTT" in panel.children[-1].value
    True
    """
    from ..viz import node_names

    router = Router(G, weight=weight)
    names = node_names(G)
    options = sorted(((names[v], v) for v in G.nodes), key=lambda t: t[0])
    src = W.Dropdown(options=options, value=source if source is not None else options[0][1], description="From")
    dst = W.Dropdown(options=options, value=target if target is not None else options[-1][1], description="To")
    stretch = W.ToggleButtons(
        options=[(f"{k} ({v})", v) for k, v in STRETCH_PRESETS.items()],
        value=STRETCH_PRESETS["good"],
        description="Stretch",
    )
    access = W.FloatSlider(value=0.0, min=0.0, max=10.0, step=0.5, description="Access ms", readout_format=".1f")
    out = W.HTML()

    def update(*_):
        km, path = router.route(src.value, dst.value)
        model = LatencyModel(stretch.value, access_ms=access.value)
        if not path:
            out.value = "<b>No route</b> between these nodes."
            return
        hops = len(path) - 1
        via = " → ".join(html.escape(names[v]) for v in path)
        out.value = (
            f"<b>{km:,.0f} km</b> over {hops} hop(s); one-way {model.one_way_ms(km, hops):.2f} ms, "
            f"<b>RTT {model.rtt_ms(km, hops):.2f} ms</b><br><small>{via}</small>"
        )

    for w in (src, dst, stretch, access):
        w.observe(update, names="value")
    update()
    return W.VBox([W.HBox([src, dst]), stretch, access, out])
