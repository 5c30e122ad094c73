"""Live dashboards for the CDN lab (ipywidgets; callbacks need a running kernel)."""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np

from ..net.geo import STRETCH_PRESETS, LatencyModel
from .attacks import cache_busting_flood
from .caches import POLICIES, simulate
from .tiers import Tier, simulate_cdn
from .workloads import zipf_trace

__all__ = ["cache_panel", "cdn_panel"]


def _table(df) -> str:
    return df.to_html(index=False, float_format=lambda v: f"{v:.3f}", border=0)


def cache_panel(n_requests: int = 200_000, n_objects: int = 20_000, seed: int = 1) -> W.VBox:
    """Pick a policy, a cache size and the Zipf skew; see the miss ratio next to OPT's.

    Every change regenerates a Zipf trace (:func:`workbench.cdn.zipf_trace`) and replays it
    through the chosen policy, LRU and OPT.

    Parameters
    ----------
    n_requests : int, default 200_000
        Requests of the generated trace.
    n_objects : int, default 20_000
        Objects of the generated trace.
    seed : int, default 1
        Seed of the trace; every setting of the sliders replays the same random stream.

    Returns
    -------
    ipywidgets.VBox
        The policy dropdown, the Zipf-alpha and cache-size sliders and an HTML table (its last
        child) of ``policy``, ``capacity`` and ``miss_ratio``.

    Examples
    --------
    >>> panel = cache_panel(5_000, 500)
    >>> "opt" in panel.children[-1].value
    True
    """
    policy = W.Dropdown(options=sorted(p for p in POLICIES if p != "opt"), value="lru", description="Policy")
    size = W.FloatLogSlider(value=0.05, base=10, min=-3, max=-0.3, step=0.1, description="Cache / objects")
    alpha = W.FloatSlider(value=0.9, min=0.5, max=1.4, step=0.1, description="Zipf alpha")
    out = W.HTML()

    def update(*_):
        trace = zipf_trace(n_requests, n_objects, alpha.value, seed=seed)
        cap = max(1, int(size.value * trace.n_objects))
        rows = [simulate(trace, cap, p).summary() for p in dict.fromkeys([policy.value, "lru", "opt"])]
        import pandas as pd

        df = pd.concat(rows)[["policy", "capacity", "miss_ratio"]]
        out.value = _table(df)

    for w in (policy, size, alpha):
        w.observe(update, names="value")
    update()
    return W.VBox([W.HBox([policy, alpha]), size, out])


def cdn_panel(trace, request_client, client_pop, client_km, pops, n_clients: int) -> W.VBox:
    """Tier sizes, policy, stretch preset and a cache-busting attack toggle for a full CDN run.

    Every change reruns :func:`workbench.cdn.simulate_cdn` with the chosen policy in all three
    tiers (L1 and L2 sizes from the sliders as fractions of the footprint, L3 at 0.1) and a
    :class:`~workbench.net.LatencyModel` with the chosen stretch and 2 ms access delay. The
    attack toggle adds a :func:`workbench.cdn.cache_busting_flood` of 30% extra requests from
    5 attackers, who use the PoPs of clients 0 to 4.

    Parameters
    ----------
    trace : Trace
        The requests.
    request_client : array_like of int
        Client index of every request.
    client_pop : array_like of int
        PoP index (row of ``pops``) of every client, e.g. from :func:`workbench.cdn.nearest_pop`.
    client_km : array_like of float
        Great-circle distance in km from every client to its PoP.
    pops : pandas.DataFrame
        The PoPs (from :func:`workbench.cdn.load_pops`).
    n_clients : int
        Number of clients, ``len(client_pop)`` (the attackers are numbered from it).

    Returns
    -------
    ipywidgets.VBox
        The policy dropdown and attack toggle, the L1 and L2 size sliders, the stretch buttons
        and an HTML table (its last child) of the hit ratios and latency mean/p95/p99.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.cdn import load_pops, nearest_pop, sample_clients, zipf_trace
    >>> from workbench.cdn.widgets import cdn_panel
    >>> pops = load_pops("aws")
    >>> clients = sample_clients(20, seed=0)
    >>> pop, km = nearest_pop(clients.lat, clients.lon, pops)
    >>> trace = zipf_trace(2000, 1000, 0.8, seed=1)
    >>> panel = cdn_panel(trace, np.arange(2000) % 20, pop, km, pops, n_clients=20)
    >>> "latency_p95_ms" in panel.children[-1].value
    True
    """
    policy = W.Dropdown(
        options=sorted(p for p in POLICIES if p not in ("opt", "belady")), value="s3fifo", description="Policy"
    )
    l1 = W.FloatLogSlider(value=0.002, base=10, min=-4, max=-1, step=0.25, description="L1 / objects")
    l2 = W.FloatLogSlider(value=0.02, base=10, min=-3, max=-0.5, step=0.25, description="L2 / objects")
    stretch = W.ToggleButtons(
        options=[(f"{k} ({v})", v) for k, v in STRETCH_PRESETS.items()],
        value=STRETCH_PRESETS["good"],
        description="Stretch",
    )
    attack = W.Checkbox(value=False, description="cache-busting flood (30% extra requests)")
    out = W.HTML()

    def update(*_):
        t, who = trace, np.asarray(request_client)
        pop_of, km_of = np.asarray(client_pop), np.asarray(client_km)
        if attack.value:
            f = cache_busting_flood(trace, who, n_clients, share=0.3, attackers=5, seed=1)
            t, who = f.trace, f.client
            pop_of = np.concatenate([pop_of, pop_of[:5]])
            km_of = np.concatenate([km_of, km_of[:5]])
        res = simulate_cdn(
            t,
            pop_of[who],
            pops,
            client_km=km_of[who],
            l1=Tier(policy.value, l1.value),
            l2=Tier(policy.value, l2.value),
            l3=Tier(policy.value, 0.1),
            model=LatencyModel(stretch.value, access_ms=2.0),
        )
        s = res.summary()[["hit_ratio", "l1_hit_ratio", "latency_mean_ms", "latency_p95_ms", "latency_p99_ms"]]
        out.value = f"<b>{html.escape(policy.value)}</b>" + _table(s)

    for w in (policy, l1, l2, stretch, attack):
        w.observe(update, names="value")
    update()
    return W.VBox([W.HBox([policy, attack]), l1, l2, stretch, out])
