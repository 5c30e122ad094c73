"""Live panels for the quantum lab (ipywidgets; callbacks need a running kernel)."""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as W
import numpy as np

from .circuit import Circuit, QuantumError
from .gates import GATES
from .noise import NoiseModel, depolarizing, simulate_density
from .qkd import bb84
from .statevector import simulate

__all__ = ["circuit_builder", "bb84_panel", "noise_panel", "state_chart"]


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
