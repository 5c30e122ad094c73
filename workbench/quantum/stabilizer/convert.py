"""Clifford circuits of the workbench and of Qiskit as stabilizer circuits."""

from __future__ import annotations

import math

from .circuit import NonCliffordError

_FIXED = {"id": "I", "i": "I", "x": "X", "y": "Y", "z": "Z", "h": "H", "s": "S", "sdg": "S_DAG", "sx": "SQRT_X",
          "sxdg": "SQRT_X_DAG", "cx": "CX", "cnot": "CX", "cy": "CY", "cz": "CZ", "swap": "SWAP", "iswap": "ISWAP"}
# rotations by k quarter turns (global phase dropped)
_QUARTER = {"rz": ("I", "S", "Z", "S_DAG"), "p": ("I", "S", "Z", "S_DAG"), "u1": ("I", "S", "Z", "S_DAG"),
            "rx": ("I", "SQRT_X", "X", "SQRT_X_DAG"), "ry": ("I", "SQRT_Y", "Y", "SQRT_Y_DAG")}


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
    raise NonCliffordError(f"{where}: {name} is not a Clifford gate the stabilizer engine knows (allowed: "
                           f"{', '.join(sorted(set(_FIXED) | set(_QUARTER)))}, measure, reset, barrier)")


def from_circuit(cls, circuit):
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
