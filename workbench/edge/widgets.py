"""Live dashboard for the edge lab (ipywidgets; callbacks need a running kernel)."""

from __future__ import annotations

import html

import ipywidgets as W

from .sim import SCHEDULERS, Failures, Scenario, simulate

__all__ = ["edge_panel"]


def edge_panel(scenario: Scenario, n_tasks: int = 20_000, seed: int = 1) -> W.VBox:
    """Scheduler, arrival-rate scale, deadline and node failure rate for one scenario; see the outcome.

    Every change of a control re-runs :func:`~workbench.edge.simulate` with random edge-node failures
    (the chosen MTBF, 30 s to repair, 3 s to detect) and shows the summary's headline columns.

    Parameters
    ----------
    scenario : Scenario
        The scenario whose devices' rates and deadlines the controls scale and set.
    n_tasks : int, default 20_000
        Tasks per simulation.
    seed : int, default 1
        Seed of every simulation.

    Returns
    -------
    ipywidgets.VBox
        The controls (scheduler, load factor, deadline, edge MTBF) and, last, an ``HTML`` widget with the
        outcome (latency mean and percentiles, deadline-miss ratio, drops, retries, utilisation, failures).

    Raises
    ------
    EdgeSimError
        If the first simulation refuses its inputs (e.g. ``n_tasks`` or ``seed`` out of range).

    Examples
    --------
    >>> from workbench.edge import build_scenario
    >>> panel = edge_panel(build_scenario("Abilene", 20, 3, 1, seed=0), n_tasks=200)
    >>> "latency_mean_ms" in panel.children[-1].value
    True
    """
    base_rate = scenario.devices.rate.copy()
    base_deadline = scenario.devices.deadline_s.copy()
    sched = W.Dropdown(options=list(SCHEDULERS), value="mct", description="Scheduler")
    load = W.FloatSlider(value=1.0, min=0.25, max=3.0, step=0.25, description="Load x")
    deadline = W.FloatLogSlider(
        value=float(base_deadline.iloc[0]), base=10, min=-2, max=1, step=0.1, description="Deadline s"
    )
    mtbf = W.FloatLogSlider(value=1e4, base=10, min=1, max=5, step=0.25, description="Edge MTBF s")
    out = W.HTML()

    def update(*_):
        sc = Scenario(
            scenario.devices.assign(rate=base_rate * load.value, deadline_s=deadline.value),
            scenario.nodes,
            scenario.latency_ms,
            scenario.graph,
            scenario.name,
        )
        f = Failures(mtbf_s=mtbf.value, mttr_s=30.0, detect_s=3.0)
        s = simulate(sc, sched.value, n_tasks=n_tasks, seed=seed, failures=f).summary()
        cols = [
            "latency_mean_ms",
            "latency_p95_ms",
            "latency_p99_ms",
            "deadline_miss_ratio",
            "dropped",
            "retried",
            "utilisation",
            "failures",
        ]
        out.value = f"<b>{html.escape(sched.value)}</b>" + s[cols].to_html(
            index=False, float_format=lambda v: f"{v:.3f}", border=0
        )

    for w in (sched, load, deadline, mtbf):
        w.observe(update, names="value")
    update()
    return W.VBox([W.HBox([sched, load]), deadline, mtbf, out])
