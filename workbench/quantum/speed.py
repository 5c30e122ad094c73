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
    """The same circuit for qulacs (dense matrices for anything without a native equivalent)."""
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
    import qulacs

    st = qulacs.QuantumState(n)
    circ.update_quantum_state(st)
    return st.get_vector()


def run_aer(qc: Circuit, simulator=None) -> np.ndarray:
    from qiskit_aer import AerSimulator

    sim = simulator or AerSimulator(method="statevector", max_parallel_threads=1, fusion_enable=True)
    q = to_qiskit(qc)
    q.save_statevector()
    return np.asarray(sim.run(q, shots=1).result().get_statevector())


def to_cirq(qc: Circuit):
    """The same circuit for Cirq/qsim: our qubit q is ``LineQubit(n-1-q)`` so that both state
    vectors use the same index order; every gate as a ``MatrixGate``."""
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
    """Google's qsim (complex64, gate fusion), one thread."""
    import qsimcirq

    circ, qubits = circ_qubits
    sim = qsimcirq.QSimSimulator(qsimcirq.QSimOptions(cpu_threads=1, max_fused_gate_size=max_fused))
    return sim.simulate(circ, qubit_order=qubits).final_state_vector


def run_qiskit(qc: Circuit) -> np.ndarray:
    from qiskit.quantum_info import Statevector

    return Statevector(to_qiskit(qc)).data


def _available(module: str) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def speed_table(qubits, *, layers: int = 20, seed=None, max_statevector_qubits: int = 16) -> pd.DataFrame:
    """CPU seconds of each available simulator on the QFT and a layered random circuit (tidy frame)."""
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
