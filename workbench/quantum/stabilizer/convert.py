"""Clifford circuits of the workbench and of Qiskit as stabilizer circuits."""

from __future__ import annotations

import math

from .circuit import NonCliffordError

_FIXED = {
    "id": "I",
    "i": "I",
    "x": "X",
    "y": "Y",
    "z": "Z",
    "h": "H",
    "s": "S",
    "sdg": "S_DAG",
    "sx": "SQRT_X",
    "sxdg": "SQRT_X_DAG",
    "cx": "CX",
    "cnot": "CX",
    "cy": "CY",
    "cz": "CZ",
    "swap": "SWAP",
    "iswap": "ISWAP",
}
# rotations by k quarter turns (global phase dropped)
_QUARTER = {
    "rz": ("I", "S", "Z", "S_DAG"),
    "p": ("I", "S", "Z", "S_DAG"),
    "u1": ("I", "S", "Z", "S_DAG"),
    "rx": ("I", "SQRT_X", "X", "SQRT_X_DAG"),
    "ry": ("I", "SQRT_Y", "Y", "SQRT_Y_DAG"),
}


def _quarter_turns(name, angle, where):
    try:
        a = float(angle)
    except (TypeError, ValueError):
        raise NonCliffordError(f"{where}: {name} has an unbound parameter; bind it first") from None
    k = a / (math.pi / 2)
    if abs(k - round(k)) > 1e-9:
        raise NonCliffordError(f"{where}: {name}({a:g}) is not a Clifford gate (angles must be multiples of pi/2)")
    return int(round(k)) % 4


def _ops(name, qubits, params, where):
    name = name.lower()
    if name in _FIXED:
        return [(_FIXED[name], list(qubits))]
    if name in _QUARTER:
        gate = _QUARTER[name][_quarter_turns(name, params[0], where)]
        return [(gate, list(qubits))]
    if name == "measure":
        return [("M", list(qubits))]
    if name == "reset":
        return [("R", list(qubits))]
    if name == "barrier":
        return [("TICK", [])]
    if name == "delay":
        return []
    raise NonCliffordError(
        f"{where}: {name} is not a Clifford gate the stabilizer engine knows (allowed: "
        f"{', '.join(sorted(set(_FIXED) | set(_QUARTER)))}, measure, reset, barrier)"
    )


def from_circuit(cls, circuit):
    """A Clifford workbench :class:`~workbench.quantum.Circuit` or Qiskit ``QuantumCircuit`` as a stabilizer
    circuit (the work behind :meth:`StabilizerCircuit.from_circuit <.circuit.StabilizerCircuit.from_circuit>`).

    The first argument, ``cls``, is the class to build (:class:`~.circuit.StabilizerCircuit` or a subclass).

    Parameters
    ----------
    circuit : Circuit or qiskit.QuantumCircuit
        The Clifford circuit to convert: gates h, s, sdg, x, y, z, sx, sxdg, cx, cy, cz, swap, iswap, id,
        rotations rx, ry, rz, p, u1 at multiples of pi/2, measure, reset, barrier (as ``TICK``), delay (dropped).

    Returns
    -------
    StabilizerCircuit
        A new ``cls`` with one instruction per converted operation, in order.

    Raises
    ------
    NonCliffordError
        If ``circuit`` is neither kind, or holds a gate not listed above, a rotation angle off the multiples of
        pi/2, an unbound parameter or a classically conditioned gate.

    Examples
    --------
    >>> from workbench.quantum import Circuit
    >>> from workbench.quantum.stabilizer import StabilizerCircuit
    >>> from workbench.quantum.stabilizer.convert import from_circuit
    >>> print(from_circuit(StabilizerCircuit, Circuit(2).h(0).cx(0, 1)))
    H 0
    CX 0 1
    """
    out = cls()
    if hasattr(circuit, "ops") and hasattr(circuit, "n_qubits"):  # workbench Circuit
        for k, op in enumerate(circuit.ops):
            where = f"operation {k}"
            if getattr(op, "condition", None) is not None:
                raise NonCliffordError(f"{where}: classically conditioned gates are not converted")
            kind = op.kind
            name = op.name if kind == "gate" else kind
            if kind == "gate" and name in ("unitary", "mcx"):
                raise NonCliffordError(f"{where}: {name} is not a Clifford gate the stabilizer engine knows")
            for gate, qs in _ops(name, op.qubits, op.params, where):
                out.append(gate, qs)
        return out
    if hasattr(circuit, "data") and hasattr(circuit, "find_bit"):  # Qiskit QuantumCircuit
        for k, inst in enumerate(circuit.data):
            op = inst.operation
            qs = [circuit.find_bit(q).index for q in inst.qubits]
            for gate, targets in _ops(op.name, qs, list(op.params), f"instruction {k}"):
                out.append(gate, targets)
        return out
    raise NonCliffordError(f"expected a workbench Circuit or a Qiskit QuantumCircuit, got {type(circuit).__name__}")
