"""Live panels for the quantum lab (ipywidgets; callbacks need a running kernel)."""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as W
import numpy as np
import pandas as pd

from .circuit import Circuit, QuantumError
from .gates import GATES
from .noise import NoiseModel, depolarizing, simulate_density
from .qkd import bb84
from .statevector import simulate

__all__ = [
    "circuit_builder",
    "bb84_panel",
    "noise_panel",
    "state_chart",
    "threshold_chart",
    "syndrome_chart",
    "decoder_panel",
]


def state_chart(result, title: str = "") -> alt.HConcatChart:
    """Probability bars (coloured by phase) next to each qubit's Bloch-vector components.

    Parameters
    ----------
    result : SimResult
        A state-vector result (:func:`~workbench.quantum.statevector.simulate`); basis states of
        probability at most 1e-12 are left out of the bars.
    title : str, default ""
        Title of the amplitude chart; empty means ``"amplitudes"``.

    Returns
    -------
    altair.HConcatChart
        The probability bars of the basis states and, beside them, the x, y, z Bloch components of
        every qubit.

    Examples
    --------
    >>> from workbench.quantum import Circuit, simulate
    >>> from workbench.quantum.widgets import state_chart
    >>> chart = state_chart(simulate(Circuit(2).h(0).cx(0, 1)), "Bell state")
    >>> type(chart).__name__, len(chart.hconcat)
    ('HConcatChart', 2)
    """
    amp = result.probability_frame(threshold=1e-12)
    amp["phase"] = np.angle(amp.amplitude_re + 1j * amp.amplitude_im)
    bars = (
        alt.Chart(amp)
        .mark_bar()
        .encode(
            x=alt.X("bits:N", title="basis state |q_{n-1} ... q_0>", sort=None),
            y=alt.Y("probability:Q", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("phase:Q", scale=alt.Scale(scheme="rainbow", domain=[-np.pi, np.pi]), title="phase"),
            tooltip=["bits", alt.Tooltip("probability:Q", format=".4f"), alt.Tooltip("phase:Q", format=".3f")],
        )
        .properties(width=320, height=200, title=title or "amplitudes")
    )
    bl = result.bloch().melt(id_vars=["qubit"], value_vars=["x", "y", "z"], var_name="axis", value_name="value")
    bloch = (
        alt.Chart(bl)
        .mark_bar()
        .encode(
            x=alt.X("axis:N", title=None),
            y=alt.Y("value:Q", scale=alt.Scale(domain=[-1, 1])),
            color=alt.Color("axis:N", legend=None),
            column=alt.Column("qubit:N", title="Bloch vector of qubit"),
            tooltip=["qubit", "axis", alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(width=60, height=200)
    )
    return alt.hconcat(bars, bloch)


def circuit_builder(n_qubits: int = 3) -> W.VBox:
    """Pick a gate, its qubits and angle, press *add*: the state's amplitudes and Bloch vectors update.

    The gates offered are those of :data:`~workbench.quantum.gates.GATES` on at most ``n_qubits``
    qubits with at most one angle; *undo* removes the last gate and *clear* all of them.

    Parameters
    ----------
    n_qubits : int, default 3
        Qubits of the circuit, 1 to 6.

    Returns
    -------
    ipywidgets.VBox
        The panel: the gate and angle pickers, the qubit pickers, the buttons, the circuit as text
        and the :func:`state_chart` of its state.

    Raises
    ------
    QuantumError
        If ``n_qubits`` is not between 1 and 6.

    Examples
    --------
    >>> from workbench.quantum.widgets import circuit_builder
    >>> panel = circuit_builder(2)
    >>> len(panel.children) >= 3
    True
    """
    if not 1 <= n_qubits <= 6:
        raise QuantumError(f"the builder shows 1 to 6 qubits, got {n_qubits}")
    names = [g for g in GATES if GATES[g].n_qubits <= n_qubits and GATES[g].n_params <= 1]
    gate = W.Dropdown(options=names, value="h", description="gate")
    q0 = W.Dropdown(options=list(range(n_qubits)), value=0, description="qubit")
    q1 = W.Dropdown(options=list(range(n_qubits)), value=min(1, n_qubits - 1), description="2nd qubit")
    q2 = W.Dropdown(options=list(range(n_qubits)), value=min(2, n_qubits - 1), description="3rd qubit")
    angle = W.FloatSlider(value=np.pi / 2, min=-np.pi, max=np.pi, step=np.pi / 16, description="angle")
    add, undo, clear = W.Button(description="add"), W.Button(description="undo"), W.Button(description="clear")
    text = W.HTML()
    out = W.Output()
    ops: list = []

    def redraw():
        qc = Circuit(n_qubits)
        for name, qs, params in ops:
            qc.append(name, qs, params)
        text.value = (
            "<code>"
            + html.escape(
                " ; ".join(f"{n}{f'({p[0]:.3g})' if p else ''} {','.join(map(str, q))}" for n, q, p in ops) or "(empty)"
            )
            + "</code>"
        )
        out.outputs = ()
        out.append_display_data(state_chart(simulate(qc)))

    def on_add(_):
        spec = GATES[gate.value]
        qs = [q0.value, q1.value, q2.value][: spec.n_qubits]
        if len(set(qs)) != len(qs):
            text.value = "<b>choose different qubits for a multi-qubit gate</b>"
            return
        ops.append((gate.value, qs, [angle.value][: spec.n_params]))
        redraw()

    add.on_click(on_add)
    undo.on_click(lambda _: (ops.pop() if ops else None, redraw()))
    clear.on_click(lambda _: (ops.clear(), redraw()))
    redraw()
    return W.VBox([W.HBox([gate, angle]), W.HBox([q0, q1, q2]), W.HBox([add, undo, clear]), text, out])


def bb84_panel(n_bits: int = 4000, seed: int = 1) -> W.VBox:
    """Eve on/off, the share she intercepts and the channel noise; see the protocol's steps.

    Every change reruns :func:`~workbench.quantum.qkd.bb84` with the same seed (default
    threshold 0.11).

    Parameters
    ----------
    n_bits : int, default 4000
        Qubits sent in each run, in [16, 10**8].
    seed : int, default 1
        Seed of every run, so that only the controls change the outcome.

    Returns
    -------
    ipywidgets.VBox
        The panel: the Eve checkbox and intercepted-share slider, the channel-noise slider, and
        the estimated QBER with the verdict and the protocol's steps.

    Raises
    ------
    QuantumError
        If ``n_bits`` or ``seed`` is invalid (checked by the first run, when the panel is built).

    Examples
    --------
    >>> from workbench.quantum.widgets import bb84_panel
    >>> panel = bb84_panel(200, seed=0)
    >>> panel.children[-1].value.startswith("<b>QBER 0.000: key accepted</b>")
    True
    """
    eve = W.Checkbox(value=False, description="Eve listens")
    frac = W.FloatSlider(value=1.0, min=0.0, max=1.0, step=0.05, description="intercepted")
    noise = W.FloatSlider(value=0.0, min=0.0, max=0.15, step=0.01, description="channel noise")
    out = W.HTML()

    def update(*_):
        r = bb84(n_bits, eve=frac.value if eve.value else 0.0, noise=noise.value, seed=seed)
        verdict = "key accepted" if r.secure else "ABORT: error rate above 11%"
        out.value = f"<b>QBER {r.qber:.3f}: {verdict}</b>" + r.steps.to_html(index=False, border=0)

    for w in (eve, frac, noise):
        w.observe(update, names="value")
    update()
    return W.VBox([W.HBox([eve, frac]), noise, out])


def noise_panel(circuit: Circuit, gates_1q=("h", "x", "rx", "ry", "rz"), gates_2q=("cx",)) -> W.VBox:
    """Depolarizing rates on 1- and 2-qubit gates: fidelity with the ideal state and purity.

    The circuit's measurements are removed and its density matrix simulated
    (:func:`~workbench.quantum.noise.simulate_density`) each time a slider moves; the 1-qubit
    rate starts at 1e-3, the 2-qubit rate at 1e-2.

    Parameters
    ----------
    circuit : Circuit
        The circuit, at most 13 qubits (``MAX_DENSITY_QUBITS``), every parameter bound, no
        classically conditioned gate.
    gates_1q : tuple of str, default ("h", "x", "rx", "ry", "rz")
        Gate names that get the 1-qubit depolarizing channel.
    gates_2q : tuple of str, default ("cx",)
        Gate names that get the 2-qubit depolarizing channel.

    Returns
    -------
    ipywidgets.VBox
        The panel: the two rate sliders and the fidelity and purity of the noisy state.

    Raises
    ------
    QuantumError
        If a gate name is unknown or does not fit its channel, or the circuit cannot be simulated
        as a density matrix (checked when the panel is built).

    Examples
    --------
    >>> from workbench.quantum import Circuit
    >>> from workbench.quantum.widgets import noise_panel
    >>> noise_panel(Circuit(2).h(0).cx(0, 1)).children[-1].value
    'fidelity <b>0.9920</b>, purity 0.9841'
    """
    p1 = W.FloatLogSlider(value=1e-3, base=10, min=-4, max=-0.5, step=0.1, description="1q error")
    p2 = W.FloatLogSlider(value=1e-2, base=10, min=-4, max=-0.3, step=0.1, description="2q error")
    out = W.HTML()
    ideal = simulate(circuit.without_measurements()).state

    def update(*_):
        nm = NoiseModel().add(depolarizing(p1.value), list(gates_1q)).add(depolarizing(p2.value, 2), list(gates_2q))
        r = simulate_density(circuit.without_measurements(), nm)
        out.value = f"fidelity <b>{r.fidelity(ideal):.4f}</b>, purity {r.purity():.4f}"

    for w in (p1, p2):
        w.observe(update, names="value")
    update()
    return W.VBox([p1, p2, out])


def threshold_chart(frame, *, per_round: bool = False, title: str = "") -> alt.LayerChart:
    """Logical against physical error rate, one line per distance, log-log, with 95% intervals.

    A grey dashed line marks where the curves of successive distances cross
    (:func:`~workbench.quantum.stabilizer.threshold`): below it a larger code is better.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of :func:`~workbench.quantum.stabilizer.threshold_sweep` (columns ``distance``, ``p``,
        ``logical_error_rate``, ``ci_low``, ``ci_high``; ``logical_error_rate_per_round`` for ``per_round``).
    per_round : bool, default False
        Plot the error per round of syndrome extraction instead of per shot.
    title : str, default ""
        The chart's title; empty: one naming the estimated threshold.

    Returns
    -------
    altair.LayerChart
        Lines and points per distance, interval bars, and the crossing rule.

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.quantum.widgets import threshold_chart
    >>> df = pd.DataFrame({"distance": [3, 3, 5, 5], "p": [0.001, 0.01, 0.001, 0.01],
    ...                    "logical_error_rate": [1e-3, 1e-1, 1e-4, 2e-1], "ci_low": [8e-4, 0.09, 5e-5, 0.19],
    ...                    "ci_high": [1.2e-3, 0.11, 2e-4, 0.21]})
    >>> type(threshold_chart(df)).__name__
    'LayerChart'
    """
    from .stabilizer import threshold
    from .stabilizer.experiments import per_round as _per_round

    df = frame.copy()
    col = "logical_error_rate"
    if per_round:
        col = "logical_error_rate_per_round"
        for c in ("ci_low", "ci_high"):
            df[c] = _per_round(df[c], df["rounds"]) if "rounds" in df else df[c]
    df = df[df[col] > 0]
    df["distance"] = df["distance"].astype(str)
    est = threshold(frame, rate_column=col).threshold.iloc[-1] if frame["distance"].nunique() > 1 else float("nan")
    x = alt.X("p:Q", scale=alt.Scale(type="log"), title="physical error rate p")
    y = alt.Y(
        f"{col}:Q", scale=alt.Scale(type="log"), title="logical error " + ("per round" if per_round else "per shot")
    )
    color = alt.Color("distance:N", title="distance", sort=sorted(df["distance"].unique(), key=int))
    base = alt.Chart(df)
    lines = base.mark_line(point=True).encode(
        x=x,
        y=y,
        color=color,
        tooltip=["distance", alt.Tooltip("p:Q", format=".4f"), alt.Tooltip(f"{col}:Q", format=".2e")],
    )
    layers = [lines]
    if "ci_low" in df and "ci_high" in df:
        low = df[["distance", "p", "ci_low", "ci_high"]].copy()
        low = low[low.ci_low > 0]
        layers.append(alt.Chart(low).mark_rule().encode(x="p:Q", y="ci_low:Q", y2="ci_high:Q", color=color))
    if np.isfinite(est):
        layers.append(alt.Chart(pd.DataFrame({"p": [est]})).mark_rule(color="grey", strokeDash=[4, 4]).encode(x="p:Q"))
    name = title or (f"threshold about p = {est:.4f}" if np.isfinite(est) else "logical error rates")
    return alt.layer(*layers).properties(width=420, height=300, title=name)


def _syndrome_frame(graph, coords, detections, edges):
    rows = []
    fired = set(np.flatnonzero(np.asarray(detections, bool)).tolist())
    for d in range(graph.num_detectors):
        c = coords.get(d, ())
        x, y, t = (list(c) + [0.0, 0.0, 0.0])[:3] if len(c) >= 2 else (d, 0.0, 0.0)
        rows.append({"kind": "fired" if d in fired else "detector", "x": x, "y": y, "t": t, "edge": -1, "order": 0})
    pos = {k: (r["x"], r["y"], r["t"]) for k, r in enumerate(rows)}
    for e in np.asarray(edges if edges is not None else [], dtype=np.int64):
        u, v = int(graph.u[e]), int(graph.v[e])
        if v >= graph.num_detectors:
            x, y, t = pos[u]
            rows.append({"kind": "boundary", "x": x, "y": y, "t": t, "edge": int(e), "order": 0})
            continue
        if pos[u][:2] == pos[v][:2]:  # the same stabilizer in two rounds: a ring on both
            for a in (u, v):
                x, y, t = pos[a]
                rows.append({"kind": "between rounds", "x": x, "y": y, "t": t, "edge": int(e), "order": 0})
            continue
        for a, b in ((u, v), (v, u)):
            xa, ya, ta = pos[a]
            xb, yb, _ = pos[b]
            rows.append({"kind": "correction", "x": xa, "y": ya, "t": ta, "edge": int(e) * 2 + (a == v), "order": 0})
            rows.append({"kind": "correction", "x": xb, "y": yb, "t": ta, "edge": int(e) * 2 + (a == v), "order": 1})
    return pd.DataFrame(rows)


def syndrome_chart(decoder, detections, edges=None, *, coords=None, size: int = 130) -> alt.FacetChart:
    """Detection events on the lattice, one panel per round, with the edges a decoder matched.

    Detectors sit at their ``DETECTOR`` coordinates (x, y; the third coordinate is the round). Fired detectors
    are red; a correction edge between two detectors is a blue line (an edge between rounds shows in both
    rounds' panels, as a ring where it joins one stabilizer's two rounds); a detector matched to the boundary is a
    blue diamond.

    Parameters
    ----------
    decoder : UnionFindDecoder or PyMatchingDecoder
        The decoder (its ``graph`` places the edges).
    detections : array_like of bool
        One shot's detection events.
    edges : array_like of int, optional
        Edge indices of the correction (``decoder.explain(detections)[1]``); None draws only the events.
    coords : dict, optional
        Detector -> coordinates; by default those of the decoder's detector error model.
    size : int, default 130
        Width and height of one panel in pixels.

    Returns
    -------
    altair.FacetChart
        The panels, one per round.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import UnionFindDecoder, detector_error_model, surface_code_memory
    >>> from workbench.quantum.widgets import syndrome_chart
    >>> dec = UnionFindDecoder(detector_error_model(surface_code_memory(3, 2, after_clifford_depolarization=0.01)))
    >>> det = [0] * dec.graph.num_detectors
    >>> det[2] = det[6] = 1
    >>> type(syndrome_chart(dec, det, dec.explain(det)[1])).__name__
    'FacetChart'
    """
    g = decoder.graph
    df = _syndrome_frame(g, coords if coords is not None else getattr(decoder, "coords", None) or {}, detections, edges)
    scale = alt.Scale(
        domain=["detector", "fired", "correction", "boundary", "between rounds"],
        range=["#bbbbbb", "#d62728", "#1f77b4", "#1f77b4", "#1f77b4"],
    )
    x = alt.X("x:Q", axis=None)
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(reverse=True))
    dots = (
        alt.Chart()
        .mark_circle()
        .encode(
            x=x,
            y=y,
            color=alt.Color("kind:N", scale=scale, title=None),
            size=alt.condition("datum.kind == 'fired'", alt.value(160), alt.value(40)),
        )
        .transform_filter("datum.kind == 'detector' || datum.kind == 'fired'")
    )
    lines = (
        alt.Chart()
        .mark_line(strokeWidth=3)
        .encode(x=x, y=y, detail="edge:N", order="order:Q", color=alt.Color("kind:N", scale=scale))
        .transform_filter("datum.kind == 'correction'")
    )
    diamonds = (
        alt.Chart()
        .mark_point(shape="diamond", size=220, filled=False, strokeWidth=2)
        .encode(x=x, y=y, color=alt.Color("kind:N", scale=scale))
        .transform_filter("datum.kind == 'boundary'")
    )
    rings = (
        alt.Chart()
        .mark_point(shape="circle", size=420, filled=False, strokeWidth=2)
        .encode(x=x, y=y, color=alt.Color("kind:N", scale=scale))
        .transform_filter("datum.kind == 'between rounds'")
    )
    return (
        alt.layer(lines, dots, diamonds, rings, data=df)
        .properties(width=size, height=size)
        .facet(column=alt.Column("t:O", title="round"))
    )


def decoder_panel(
    distance: int = 3, rounds: int = 3, p: float = 0.006, decoder: str = "union_find", seed: int = 0
) -> W.VBox:
    """Watch a decoder work: one noisy shot of a surface-code memory, its syndrome and the correction chosen.

    Controls: the distance, the physical error rate (all four noise knobs), the decoder and a button for the
    next shot with at least one detection event. Below: the syndrome chart and whether the decoder's
    prediction matched the logical flip that actually happened.

    Parameters
    ----------
    distance : int, default 3
        Starting distance (3, 5 or 7).
    rounds : int, default 3
        Rounds of syndrome extraction.
    p : float, default 0.006
        Starting physical error rate.
    decoder : {"union_find", "pymatching"}, default "union_find"
        Starting decoder.
    seed : int, default 0
        Seed of the shots.

    Returns
    -------
    ipywidgets.VBox
        The controls, a one-line verdict and the chart.

    Raises
    ------
    QuantumError
        If ``distance`` is not 3, 5 or 7, or ``decoder`` is not one of the two.

    Examples
    --------
    >>> from workbench.quantum.widgets import decoder_panel
    >>> panel = decoder_panel(seed=1)
    >>> "detection events" in panel.children[1].value
    True
    """
    from .stabilizer import compile_decoder, detector_error_model, sample_detectors, surface_code_memory

    if distance not in (3, 5, 7):
        raise QuantumError(f"distance must be 3, 5 or 7, got {distance!r}")
    if decoder not in ("union_find", "pymatching"):
        raise QuantumError(f"decoder must be 'union_find' or 'pymatching', got {decoder!r}")
    d_w = W.Dropdown(options=[3, 5, 7], value=distance, description="distance")
    p_w = W.FloatLogSlider(value=p, base=10, min=-3.3, max=-1.5, step=0.05, description="p")
    dec_w = W.Dropdown(options=["union_find", "pymatching"], value=decoder, description="decoder")
    nxt = W.Button(description="next shot")
    verdict = W.HTML()
    out = W.Output()
    state = {"shot": 0, "rng": np.random.default_rng(seed)}
    cache: dict = {}

    def setup():
        key = (d_w.value, round(p_w.value, 6), dec_w.value)
        if key not in cache:
            q = p_w.value
            c = surface_code_memory(
                d_w.value,
                rounds,
                after_clifford_depolarization=q,
                before_round_data_depolarization=q,
                before_measure_flip_probability=q,
                after_reset_flip_probability=q,
            )
            dem = detector_error_model(c, decompose=True)
            dec = compile_decoder(dem, dec_w.value)
            cache[key] = (c, dec)
        return cache[key]

    def draw(*_):
        c, dec = setup()
        det, obs = sample_detectors(c, 256, seed=int(state["rng"].integers(2**62)))
        hits = np.flatnonzero(det.any(axis=1))
        k = int(hits[0]) if len(hits) else 0
        flips, edges = dec.explain(det[k])
        ok = bool((flips == obs[k]).all())
        verdict.value = (
            f"{int(det[k].sum())} detection events; the decoder predicts the logical observable "
            f"{'flipped' if flips[0] else 'kept'}, it actually {'flipped' if obs[k][0] else 'stayed'}: "
            f"<b>{'corrected' if ok else 'logical error'}</b>"
        )
        out.outputs = ()
        out.append_display_data(syndrome_chart(dec, det[k], edges))

    for w in (d_w, p_w, dec_w):
        w.observe(draw, names="value")
    nxt.on_click(draw)
    draw()
    return W.VBox([W.HBox([d_w, p_w, dec_w, nxt]), verdict, out])
