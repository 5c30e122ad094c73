"""A stabilizer circuit flattened into arrays for the compiled simulators.

Every instruction becomes one row of ``ops`` (kind, a, b, target range, argument range, first measurement index);
REPEAT blocks are unrolled, ``rec[-k]`` look-backs become absolute measurement indices, coordinates are resolved.
Kinds (``ops[:, 0]``):

==========  ===================================================================================================
GATE1/2     unitary Clifford; ``a`` = index into ``_gates.TABLE_ARRAY``; targets are qubits (pairs for GATE2)
FEEDBACK    Pauli ``a`` (code x + 2z) on qubit ``t[1]`` when measurement ``t[0]`` flipped (CX rec[-k] q ...)
MEASURE     basis ``a`` (Pauli code), ``b`` = 1 also resets; targets are qubits (inversion in ``inverted``)
RESET       basis ``a``
MPP         Pauli products: targets ``[n, q1, p1, ..., qn, pn]`` per product
NOISE       channel ``a`` (see ``CHANNELS``), arguments are its probabilities
CORRELATED  E (``b`` = 0) or ELSE_CORRELATED_ERROR (``b`` = 1); targets ``[q1, p1, q2, p2, ...]``
DETECTOR    targets are absolute measurement indices; ``a`` = detector index
OBSERVABLE  ``a`` = observable index; targets are measurement indices
MPAD        targets are the padded results (0/1)
==========  ===================================================================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...errors import check_memory
from ..circuit import QuantumError
from . import _gates as G
from .circuit import _INV, _REC, _SWEEP, _VALUE, _X, _Z, TARGET_COMBINER, Instruction, StimFormatError

GATE1, GATE2, FEEDBACK, MEASURE, RESET, MPP, NOISE, CORRELATED, DETECTOR, OBSERVABLE, MPAD = range(11)
CHANNELS = {
    "X_ERROR": 0,
    "Y_ERROR": 1,
    "Z_ERROR": 2,
    "DEPOLARIZE1": 3,
    "DEPOLARIZE2": 4,
    "PAULI_CHANNEL_1": 5,
    "PAULI_CHANNEL_2": 6,
}
_BASIS = {"X": 1, "Y": 3, "Z": 2}


@dataclass
class Program:
    """The arrays the kernels run, and the counts and coordinates read from the circuit."""

    ops: np.ndarray  # [n_ops, 7] kind, a, b, t0, t1, a0, a1
    targets: np.ndarray
    args: np.ndarray
    meas_start: np.ndarray  # first measurement index of each op
    inverted: np.ndarray  # per measurement: reported flipped (!q)
    n_qubits: int
    n_measurements: int
    n_detectors: int
    n_observables: int
    detector_coords: dict = field(default_factory=dict)
    qubit_coords: dict = field(default_factory=dict)
    source: list = field(default_factory=list)  # the Instruction of each op (for messages)


def _pauli_code(t: int) -> int:
    return (1 if t & _X else 0) + (2 if t & _Z else 0)


def _flat_targets(circuit) -> int:
    """Targets of the flattened circuit, counted without flattening it."""
    from .circuit import Repeat

    n = 0
    for it in circuit.items:
        n += it.count * (1 + _flat_targets(it.body)) if isinstance(it, Repeat) else 1 + len(it.targets)
    return n


def compile_program(circuit) -> Program:
    check_memory(
        f"a flattened program of {_flat_targets(circuit)} targets", 64.0 * _flat_targets(circuit), error=QuantumError
    )
    rows, targets, args, meas_start, inverted, source = [], [], [], [], [], []
    det_coords, qubit_coords = {}, {}
    shift: list[float] = []
    n_meas = n_det = n_obs = 0
    n_qubits = 0

    def emit(kind, a, b, tg, ar, ins):
        rows.append((kind, a, b, len(targets), len(targets) + len(tg), len(args), len(args) + len(ar)))
        targets.extend(tg)
        args.extend(ar)
        meas_start.append(n_meas)
        source.append(ins)

    def resolve(ins: Instruction, t: int) -> int:
        k = t & _VALUE
        if k > n_meas:
            raise StimFormatError(
                f"{ins}: rec[-{k}] refers to a measurement before the first one "
                f"({n_meas} measurement{'s' * (n_meas != 1)} so far)"
            )
        return n_meas - k

    for ins in circuit.flattened():
        name = ins.name
        qubits = [t & _VALUE for t in ins.targets if not t & (_REC | _SWEEP) and t != TARGET_COMBINER]
        if qubits and name not in ("MPAD",):
            n_qubits = max(n_qubits, max(qubits) + 1)
        if name in G.TABLES:
            arity = G.ARITY[name]
            if arity == 1:
                emit(GATE1, G.GATE_INDEX[name], 0, qubits, (), ins)
                continue
            plain = []
            for c, t in zip(ins.targets[::2], ins.targets[1::2]):
                if c & _SWEEP or t & _SWEEP:
                    continue  # sweep bits are 0 unless given: no effect
                if c & _REC or t & _REC:
                    ctrl, tgt = (c, t) if c & _REC else (t, c)
                    pauli = {"CX": 1, "CY": 3, "CZ": 2, "XCZ": 1, "YCZ": 3}[name]
                    if name == "CZ":
                        pauli = 2
                    if plain:
                        emit(GATE2, G.GATE_INDEX[name], 0, plain, (), ins)
                        plain = []
                    emit(FEEDBACK, pauli, 0, [resolve(ins, ctrl), tgt & _VALUE], (), ins)
                else:
                    plain += [c & _VALUE, t & _VALUE]
            if plain:
                emit(GATE2, G.GATE_INDEX[name], 0, plain, (), ins)
        elif name in G.COLLAPSING:
            basis, measures, resets = G.COLLAPSING[name]
            if measures:
                emit(MEASURE, _BASIS[basis], int(resets), qubits, ins.args, ins)
                inverted.extend(bool(t & _INV) for t in ins.targets)
                n_meas += len(qubits)
            else:
                emit(RESET, _BASIS[basis], 0, qubits, (), ins)
        elif name in G.PAIR_MEASUREMENTS or name == "MPP":
            flat, inv = [], []
            if name == "MPP":
                groups, cur, join = [], [], False
                for t in ins.targets:
                    if t == TARGET_COMBINER:
                        join = True
                        continue
                    if cur and not join:
                        groups.append(cur)
                        cur = []
                    cur.append(t)
                    join = False
                if cur:
                    groups.append(cur)
            else:
                p = G.PAIR_MEASUREMENTS[name]
                flag = {"X": _X, "Y": _X | _Z, "Z": _Z}[p]
                groups = [[flag | a, flag | b] for a, b in zip(ins.targets[::2], ins.targets[1::2])]
            for g in groups:
                terms: dict[int, int] = {}
                sign = 0
                for t in g:
                    q = t & _VALUE
                    sign ^= 1 if t & _INV else 0
                    terms[q] = terms.get(q, 0) ^ _pauli_code(t)  # a repeated qubit multiplies (phase ignored)
                terms = {q: c for q, c in terms.items() if c}
                flat.append(len(terms))
                for q, c in terms.items():
                    flat += [q, c]
                inv.append(bool(sign))
            emit(MPP, 0, 0, flat, ins.args, ins)
            inverted.extend(inv)
            n_meas += len(groups)
        elif name in CHANNELS:
            emit(NOISE, CHANNELS[name], 0, qubits, ins.args, ins)
        elif name in ("E", "ELSE_CORRELATED_ERROR"):
            flat = []
            for t in ins.targets:
                flat += [t & _VALUE, _pauli_code(t)]
            emit(CORRELATED, 0, int(name != "E"), flat, ins.args, ins)
        elif name == "DETECTOR":
            idx = [resolve(ins, t) for t in ins.targets]
            coords = list(ins.args)
            for k in range(min(len(coords), len(shift))):
                coords[k] += shift[k]
            det_coords[n_det] = tuple(coords)
            emit(DETECTOR, n_det, 0, idx, (), ins)
            n_det += 1
        elif name == "OBSERVABLE_INCLUDE":
            obs = int(ins.args[0])
            idx = [resolve(ins, t) for t in ins.targets if t & _REC]
            emit(OBSERVABLE, obs, 0, idx, (), ins)
            n_obs = max(n_obs, obs + 1)
        elif name == "MPAD":
            emit(MPAD, 0, 0, [t & _VALUE for t in ins.targets], ins.args, ins)
            inverted.extend(False for _ in ins.targets)
            n_meas += len(ins.targets)
        elif name == "QUBIT_COORDS":
            coords = list(ins.args)
            for k in range(min(len(coords), len(shift))):
                coords[k] += shift[k]
            for q in qubits:
                qubit_coords[q] = tuple(coords)
        elif name == "SHIFT_COORDS":
            if len(shift) < len(ins.args):
                shift += [0.0] * (len(ins.args) - len(shift))
            for k, v in enumerate(ins.args):
                shift[k] += v
        elif name in ("TICK", "I_ERROR", "II_ERROR"):
            pass
    ops = np.array(rows, dtype=np.int64).reshape(-1, 7)
    return Program(
        ops=ops,
        targets=np.array(targets, dtype=np.int64),
        args=np.array(args, dtype=np.float64),
        meas_start=np.array(meas_start, dtype=np.int64),
        inverted=np.array(inverted, dtype=np.bool_),
        n_qubits=n_qubits,
        n_measurements=n_meas,
        n_detectors=n_det,
        n_observables=n_obs,
        detector_coords=det_coords,
        qubit_coords=qubit_coords,
        source=source,
    )
