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


def pauli_channel(channel) -> dict:
    """The Pauli probabilities of a channel whose Kraus operators are each proportional to a Pauli string.

    Parameters
    ----------
    channel : Channel
        A one- or two-qubit :class:`~workbench.quantum.noise.Channel`.

    Returns
    -------
    dict
        Pauli label (``"X"``, ``"XZ"``: the first letter on the channel's first qubit) -> probability, the
        identity left out.

    Raises
    ------
    NonCliffordError
        If a Kraus operator is not proportional to a Pauli string (amplitude damping, say): the stabilizer engine
        simulates Pauli noise only.

    Examples
    --------
    >>> from workbench.quantum import bit_flip, depolarizing
    >>> from workbench.quantum.stabilizer.convert import pauli_channel
    >>> pauli_channel(bit_flip(0.1))
    {'X': 0.1}
    >>> {k: round(v, 6) for k, v in pauli_channel(depolarizing(0.03)).items()}  # rho -> (1 - p) rho + p I / 2
    {'X': 0.0075, 'Y': 0.0075, 'Z': 0.0075}
    """
    import itertools

    import numpy as np

    mats = {
        "I": np.eye(2),
        "X": np.array([[0, 1], [1, 0]]),
        "Y": np.array([[0, -1j], [1j, 0]]),
        "Z": np.diag([1.0, -1.0]),
    }
    n = channel.n_qubits
    if n not in (1, 2):
        raise NonCliffordError(f"{channel.name}: the stabilizer engine takes one- and two-qubit Pauli channels")
    probs: dict = {}
    for k in channel.ops:
        k = np.asarray(k, dtype=complex)
        found = False
        for label in itertools.product("IXYZ", repeat=n):
            # little-endian: the channel's first qubit is the low bit, the right factor of the Kronecker product
            p = mats[label[0]] if n == 1 else np.kron(mats[label[1]], mats[label[0]])
            c = np.trace(p.conj().T @ k) / 2**n
            if abs(c) > 1e-12 and np.allclose(k, c * p, atol=1e-10):
                name = "".join(label)
                probs[name] = probs.get(name, 0.0) + float(abs(c) ** 2)
                found = True
                break
        if not found and np.abs(k).max() > 1e-12:
            raise NonCliffordError(
                f"{channel.name} is not a Pauli channel; the stabilizer engine simulates Pauli "
                "noise only (bit_flip, phase_flip, depolarizing, Pauli mixtures)"
            )
    probs.pop("I" * n, None)
    # |c|^2 of a Kraus weight sqrt(p) is p up to the last bit: 15 significant digits give p back
    return {k: float(f"{v:.15g}") for k, v in probs.items() if v > 0}


def _noise_instructions(channel, qubits):
    probs = pauli_channel(channel)
    if not probs:
        return []
    if len(qubits) == 1:
        if set(probs) == {"X"}:
            return [("X_ERROR", qubits, [probs["X"]])]
        if set(probs) == {"Z"}:
            return [("Z_ERROR", qubits, [probs["Z"]])]
        vals = [probs.get(p, 0.0) for p in "XYZ"]
        if len(probs) == 3 and max(vals) - min(vals) < 1e-15:
            return [("DEPOLARIZE1", qubits, [sum(vals)])]
        return [("PAULI_CHANNEL_1", qubits, vals)]
    from ._gates import PAIR_PAULIS

    vals = [probs.get(a + b, 0.0) for a, b in PAIR_PAULIS]
    if max(vals) - min(vals) < 1e-15:
        return [("DEPOLARIZE2", qubits, [sum(vals)])]
    return [("PAULI_CHANNEL_2", qubits, vals)]


def from_circuit(cls, circuit, noise=None):
    """A Clifford workbench :class:`~workbench.quantum.Circuit` or Qiskit ``QuantumCircuit`` as a stabilizer
    circuit (the work behind :meth:`StabilizerCircuit.from_circuit <.circuit.StabilizerCircuit.from_circuit>`).

    The first argument, ``cls``, is the class to build (:class:`~.circuit.StabilizerCircuit` or a subclass).

    Parameters
    ----------
    circuit : Circuit or qiskit.QuantumCircuit
        The Clifford circuit to convert: gates h, s, sdg, x, y, z, sx, sxdg, cx, cy, cz, swap, iswap, id,
        rotations rx, ry, rz, p, u1 at multiples of pi/2, measure, reset, barrier (as ``TICK``), delay (dropped).
    noise : NoiseModel, optional
        Pauli channels after the gates and symmetric readout errors, as Stim noise (workbench circuits only).

    Returns
    -------
    StabilizerCircuit
        A new ``cls`` with one instruction per converted operation, in order.

    Raises
    ------
    NonCliffordError
        If ``circuit`` is neither kind, or holds a gate not listed above, a rotation angle off the multiples of
        pi/2, an unbound parameter or a classically conditioned gate; or ``noise`` holds a channel that is not a
        Pauli channel or an asymmetric readout error.

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
    if noise is not None and not (hasattr(circuit, "ops") and hasattr(circuit, "n_qubits")):
        raise NonCliffordError("a noise model goes with a workbench Circuit (the model names its gates)")
    if hasattr(circuit, "ops") and hasattr(circuit, "n_qubits"):  # workbench Circuit
        for k, op in enumerate(circuit.ops):
            where = f"operation {k}"
            if getattr(op, "condition", None) is not None:
                raise NonCliffordError(f"{where}: classically conditioned gates are not converted")
            kind = op.kind
            name = op.name if kind == "gate" else kind
            if kind == "gate" and name in ("unitary", "mcx"):
                raise NonCliffordError(f"{where}: {name} is not a Clifford gate the stabilizer engine knows")
            if kind == "measure" and noise is not None:
                pair = noise.readout_errors.get(op.qubits[0], noise.readout_errors.get(None))
                if pair is not None:
                    if abs(pair[0] - pair[1]) > 1e-15:
                        raise NonCliffordError(
                            f"{where}: readout error {pair} is asymmetric; Stim's M(p) flips "
                            "0 and 1 with the same probability"
                        )
                    out.append("M", list(op.qubits), [pair[0]])
                    continue
            for gate, qs in _ops(name, op.qubits, op.params, where):
                out.append(gate, qs)
            if kind == "gate" and noise is not None:
                for ch, qs in noise.channels_after(op):
                    for gate, targets, args in _noise_instructions(ch, list(qs)):
                        out.append(gate, targets, args)
        return out
    if hasattr(circuit, "data") and hasattr(circuit, "find_bit"):  # Qiskit QuantumCircuit
        for k, inst in enumerate(circuit.data):
            op = inst.operation
            qs = [circuit.find_bit(q).index for q in inst.qubits]
            for gate, targets in _ops(op.name, qs, list(op.params), f"instruction {k}"):
                out.append(gate, targets)
        return out
    raise NonCliffordError(f"expected a workbench Circuit or a Qiskit QuantumCircuit, got {type(circuit).__name__}")
