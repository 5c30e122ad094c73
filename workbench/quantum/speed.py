"""Timing the simulator against other simulators on the same circuits (for charts and benchmarks).

Each contender runs single-threaded and is timed in CPU seconds; its final state must match ours
(fidelity > 1 - 1e-8) or the comparison is refused. qulacs and qiskit-aer are optional
(``pip install workbench[bench]``); Qiskit's reference ``Statevector`` is always there but slow,
so it runs only up to ``max_statevector_qubits``.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from ..timing import cpu_best
from .circuit import Circuit, QuantumError
from .interop import to_qiskit
from .library import qft, random_layered_circuit
from .statevector import statevector

__all__ = ["to_qulacs", "run_qulacs", "run_aer", "run_qiskit", "to_cirq", "run_qsim", "speed_table"]


def to_qulacs(qc: Circuit):
    """The same circuit for qulacs (dense matrices for anything without a native equivalent).

    Needs the optional ``qulacs`` (``pip install workbench[bench]``).

    Parameters
    ----------
    qc : Circuit
        A circuit of gates only, every parameter bound.

    Returns
    -------
    qulacs.QuantumCircuit
        ``h``, ``cx`` and ``swap`` as qulacs' own gates, every other gate as a ``DenseMatrix``
        (with control qubits for controlled gates).

    Raises
    ------
    QuantumError
        If the circuit has a measurement, reset or barrier.

    Examples
    --------
    The example checks the state against the workbench's when qulacs is installed:

    >>> import importlib.util
    >>> import numpy as np
    >>> from workbench.quantum import Circuit, statevector
    >>> from workbench.quantum.speed import run_qulacs, to_qulacs
    >>> qc = Circuit(2).h(0).cx(0, 1)
    >>> importlib.util.find_spec("qulacs") is None or np.allclose(run_qulacs(to_qulacs(qc), 2), statevector(qc))
    True
    """
    import qulacs
    from qulacs import gate as G

    c = qulacs.QuantumCircuit(qc.n_qubits)
    for op in qc.ops:
        if op.kind != "gate":
            raise QuantumError("to_qulacs converts gates only")
        if op.name == "h":
            c.add_gate(G.H(op.qubits[0]))
        elif op.name == "cx":
            c.add_gate(G.CNOT(*op.qubits))
        elif op.name == "swap":
            c.add_gate(G.SWAP(*op.qubits))
        elif op.n_controls:
            g = G.DenseMatrix(list(op.qubits[op.n_controls :]), op.target_matrix())
            for q in op.qubits[: op.n_controls]:
                g.add_control_qubit(q, 1)
            c.add_gate(g)
        else:  # qulacs' own rotation gates use the opposite sign convention: pass matrices
            c.add_gate(G.DenseMatrix(list(op.qubits), op.matrix()))
    return c


def run_qulacs(circ, n: int) -> np.ndarray:
    """Run a qulacs circuit from :math:`|0\\ldots0\\rangle` and return the final state.

    Needs the optional ``qulacs`` (``pip install workbench[bench]``).

    Parameters
    ----------
    circ : qulacs.QuantumCircuit
        The circuit, e.g. from :func:`to_qulacs`.
    n : int
        Qubits of the state.

    Returns
    -------
    numpy.ndarray
        The :math:`2^n` amplitudes (complex128), in the workbench's index order.

    Examples
    --------
    The example checks the state against the workbench's when qulacs is installed:

    >>> import importlib.util
    >>> import numpy as np
    >>> from workbench.quantum import Circuit, statevector
    >>> from workbench.quantum.speed import run_qulacs, to_qulacs
    >>> qc = Circuit(2).h(0).cx(0, 1)
    >>> importlib.util.find_spec("qulacs") is None or np.allclose(run_qulacs(to_qulacs(qc), 2), statevector(qc))
    True
    """
    import qulacs

    st = qulacs.QuantumState(n)
    circ.update_quantum_state(st)
    return st.get_vector()


def run_aer(qc: Circuit, simulator=None) -> np.ndarray:
    """Run a circuit on qiskit-aer's state-vector simulator and return the final state.

    Needs ``qiskit-aer``.

    Parameters
    ----------
    qc : Circuit
        The circuit, converted with :func:`~workbench.quantum.interop.to_qiskit`.
    simulator : qiskit_aer.AerSimulator or None, default None
        The simulator to use; ``None`` makes a one-thread state-vector ``AerSimulator`` with gate
        fusion.

    Returns
    -------
    numpy.ndarray
        The :math:`2^n` final amplitudes (one shot).

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.quantum import Circuit, statevector
    >>> from workbench.quantum.speed import run_aer
    >>> qc = Circuit(2).h(0).cx(0, 1)
    >>> bool(np.allclose(run_aer(qc), statevector(qc)))
    True
    """
    from qiskit_aer import AerSimulator

    sim = simulator or AerSimulator(method="statevector", max_parallel_threads=1, fusion_enable=True)
    q = to_qiskit(qc)
    q.save_statevector()
    return np.asarray(sim.run(q, shots=1).result().get_statevector())


def to_cirq(qc: Circuit):
    """The same circuit for Cirq/qsim: our qubit q is ``LineQubit(n-1-q)`` so that both state
    vectors use the same index order; every gate as a ``MatrixGate``.

    Needs the optional ``cirq`` (installed with ``qsimcirq``: ``pip install workbench[bench]``).

    Parameters
    ----------
    qc : Circuit
        A circuit of gates only, every parameter bound.

    Returns
    -------
    circuit : cirq.Circuit
        The gates as ``cirq.MatrixGate`` operations.
    qubits : list of cirq.LineQubit
        The qubits, sorted: the ``qubit_order`` that reproduces the workbench's index order.

    Raises
    ------
    QuantumError
        If the circuit has a measurement, reset or barrier.

    Examples
    --------
    The example checks the state against the workbench's when qsimcirq is installed:

    >>> import importlib.util
    >>> import numpy as np
    >>> from workbench.quantum import Circuit, statevector
    >>> from workbench.quantum.speed import run_qsim, to_cirq
    >>> qc = Circuit(2).h(0).cx(0, 1)
    >>> importlib.util.find_spec("qsimcirq") is None or np.allclose(run_qsim(to_cirq(qc)), statevector(qc), atol=1e-6)
    True
    """
    import cirq

    n = qc.n_qubits
    lq = [cirq.LineQubit(n - 1 - q) for q in range(n)]
    ops = []
    for op in qc.ops:
        if op.kind != "gate":
            raise QuantumError("to_cirq converts gates only")
        m = op.matrix()
        ops.append(cirq.MatrixGate(m).on(*[lq[q] for q in reversed(op.qubits)]))
    return cirq.Circuit(ops), sorted(lq)


def run_qsim(circ_qubits, max_fused: int = 4) -> np.ndarray:
    """Google's qsim (complex64, gate fusion), one thread.

    Needs the optional ``qsimcirq`` (``pip install workbench[bench]``).

    Parameters
    ----------
    circ_qubits : tuple
        ``(cirq.Circuit, qubits)`` as :func:`to_cirq` returns it.
    max_fused : int, default 4
        Largest fused gate, in qubits (qsim's ``max_fused_gate_size``).

    Returns
    -------
    numpy.ndarray
        The final state vector (complex64), in the workbench's index order.

    Examples
    --------
    The example checks the state against the workbench's when qsimcirq is installed:

    >>> import importlib.util
    >>> import numpy as np
    >>> from workbench.quantum import Circuit, statevector
    >>> from workbench.quantum.speed import run_qsim, to_cirq
    >>> qc = Circuit(2).h(0).cx(0, 1)
    >>> importlib.util.find_spec("qsimcirq") is None or np.allclose(run_qsim(to_cirq(qc)), statevector(qc), atol=1e-6)
    True
    """
    import qsimcirq

    circ, qubits = circ_qubits
    sim = qsimcirq.QSimSimulator(qsimcirq.QSimOptions(cpu_threads=1, max_fused_gate_size=max_fused))
    return sim.simulate(circ, qubit_order=qubits).final_state_vector


def run_qiskit(qc: Circuit) -> np.ndarray:
    """The final state from Qiskit's reference ``Statevector`` (exact, slow on large registers).

    Parameters
    ----------
    qc : Circuit
        The circuit, converted with :func:`~workbench.quantum.interop.to_qiskit`.

    Returns
    -------
    numpy.ndarray
        The :math:`2^n` final amplitudes.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.quantum import Circuit, statevector
    >>> from workbench.quantum.speed import run_qiskit
    >>> qc = Circuit(2).h(0).cx(0, 1)
    >>> bool(np.allclose(run_qiskit(qc), statevector(qc)))
    True
    """
    from qiskit.quantum_info import Statevector

    return Statevector(to_qiskit(qc)).data


def _available(module: str) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def speed_table(qubits, *, layers: int = 20, seed=None, max_statevector_qubits: int = 16) -> pd.DataFrame:
    """CPU seconds of each available simulator on the QFT and a layered random circuit (tidy frame).

    Each time is the fewest CPU seconds of three runs (:func:`~workbench.timing.cpu_best`);
    qulacs and qiskit-aer run when installed, and ``OMP_NUM_THREADS`` is set to 1 unless it is
    already set.

    Parameters
    ----------
    qubits : iterable of int
        Register sizes to time, each in [1, 1024] and small enough for a state vector.
    layers : int, default 20
        Layers of the random circuit (:func:`~workbench.quantum.library.random_layered_circuit`),
        in [0, 10**5].
    seed : int, numpy.random.Generator or None, default None
        Seed of the random circuit's angles.
    max_statevector_qubits : int, default 16
        Largest register on which Qiskit's ``Statevector`` is timed.

    Returns
    -------
    pandas.DataFrame
        Columns ``simulator``, ``circuit`` (``"qft"`` or ``"random"``), ``qubits`` and
        ``seconds`` (CPU seconds).

    Raises
    ------
    QuantumError
        If a contender's final state disagrees with the workbench's (fidelity below 1 - 1e-8), or
        a register size, ``layers`` or ``seed`` is invalid.

    Examples
    --------
    >>> from workbench.quantum import speed_table
    >>> df = speed_table([2], layers=2, seed=0)
    >>> df.columns.tolist(), {"workbench", "qiskit Statevector"} <= set(df.simulator)
    (['simulator', 'circuit', 'qubits', 'seconds'], True)
    """
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    rows = []
    statevector(qft(3))  # compile / load the kernels outside the timing
    for n in qubits:
        for name, qc in (("qft", qft(n)), ("random", random_layered_circuit(n, layers, seed))):
            t, ref = cpu_best(lambda: statevector(qc))
            rows.append({"simulator": "workbench", "circuit": name, "qubits": n, "seconds": t})
            others = [("qiskit Statevector", lambda: run_qiskit(qc), n <= max_statevector_qubits)]
            if _available("qulacs"):
                circ = to_qulacs(qc)
                others.append(("qulacs", lambda: run_qulacs(circ, n), True))
            if _available("qiskit_aer"):
                others.append(("qiskit-aer", lambda: run_aer(qc), True))
            for label, fn, ok in others:
                if not ok:
                    continue
                t, psi = cpu_best(fn)
                if abs(np.vdot(ref, psi)) ** 2 < 1 - 1e-8:
                    raise QuantumError(f"{label} disagrees with the workbench on {name}-{n}")
                rows.append({"simulator": label, "circuit": name, "qubits": n, "seconds": t})
    return pd.DataFrame(rows)
