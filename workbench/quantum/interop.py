"""Qiskit and OpenQASM 2 interoperability.

:func:`from_qiskit` reads a ``qiskit.QuantumCircuit`` (gates by name, anything else with a
matrix as a unitary, measurements, resets, barriers, the global phase); :func:`to_qiskit`
writes one back. OpenQASM 2 goes through Qiskit's own parser and exporter
(:func:`from_qasm`, :func:`to_qasm`).
"""

from __future__ import annotations

import os

from .circuit import Circuit, Parameter, QuantumError
from .gates import GATES

__all__ = ["from_qiskit", "to_qiskit", "from_qasm", "to_qasm", "QasmError"]


class QasmError(QuantumError):
    """OpenQASM text that cannot be read (unknown gate, syntax error), with the parser's message.

    Also raised by :func:`to_qasm` for a circuit OpenQASM 2 cannot express. A :class:`QuantumError`.

    Examples
    --------
    >>> from workbench.quantum import QasmError, from_qasm
    >>> try:
    ...     from_qasm("OPENQASM 2.0; qreg q[1]; foo q[0];")
    ... except QasmError as e:
    ...     print("not read:", "foo" in str(e))
    not read: True
    """


def _param(p):
    from qiskit.circuit import ParameterExpression

    if isinstance(p, ParameterExpression):
        if not p.parameters:
            return float(p)
        if len(p.parameters) == 1:
            (sym,) = p.parameters
            # linear expressions a*x + b: read them from two evaluations
            b = float(p.bind({sym: 0.0}))
            a = float(p.bind({sym: 1.0})) - b
            if abs(float(p.bind({sym: 2.0})) - (2 * a + b)) < 1e-12:
                return Parameter(sym.name, a, b)
        raise QuantumError(f"parameter expression {p} is not linear in one parameter; bind it first")
    return float(p)


def from_qiskit(qc) -> Circuit:
    """A :class:`Circuit` from a ``qiskit.QuantumCircuit``.

    Library gates are read by name, multi-controlled X gates as "mcx", any other instruction with a
    matrix as a "unitary"; measurements, resets, barriers, OpenQASM 2 style conditions (``if_test`` on a
    bit or a register, without an else branch) and the global phase are kept, delays are skipped. Angles
    linear in one qiskit parameter become :class:`Parameter` expressions (a global phase that depends on
    parameters is read as 0).

    Parameters
    ----------
    qc : qiskit.QuantumCircuit
        The circuit to read (its qubits and classical bits are numbered in order, across registers).

    Returns
    -------
    Circuit
        A circuit with the same qubits, classical bits, name, operations and global phase.

    Raises
    ------
    QuantumError
        If ``qc`` is not a ``QuantumCircuit``, an instruction has no matrix, an angle is not linear in one
        parameter, or a condition is not of the OpenQASM 2 kind (an else branch, another target).

    Examples
    --------
    >>> from qiskit import QuantumCircuit
    >>> q = QuantumCircuit(2); _ = q.h(0); _ = q.cx(0, 1)
    >>> from_qiskit(q).count_ops()
    {'h': 1, 'cx': 1}
    """
    from qiskit import QuantumCircuit

    if not isinstance(qc, QuantumCircuit):
        raise QuantumError(f"from_qiskit needs a qiskit QuantumCircuit, got {type(qc).__name__}")
    out = Circuit(qc.num_qubits, qc.num_clbits, qc.name)
    out.global_phase = (
        float(_param(qc.global_phase))
        if not hasattr(qc.global_phase, "parameters") or not qc.global_phase.parameters
        else 0.0
    )
    for inst in qc.data:
        op = inst.operation
        qubits = [qc.find_bit(q).index for q in inst.qubits]
        clbits = [qc.find_bit(c).index for c in inst.clbits]
        name = op.name
        if name == "barrier":
            out.barrier(*qubits)
        elif name == "measure":
            out.measure(qubits[0], clbits[0])
        elif name == "reset":
            out.reset(qubits[0])
        elif name == "delay":
            continue
        elif name == "if_else":
            _read_if_else(qc, op, qubits, out)
        elif name in GATES and len(op.params) == GATES[name].n_params and len(qubits) == GATES[name].n_qubits:
            out.append(name, qubits, [_param(p) for p in op.params])
        elif name.startswith("mcx") or name in ("c3x", "c4x"):
            out.mcx(qubits[:-1], qubits[-1])
        else:
            try:
                m = op.to_matrix()
            except Exception as exc:  # noqa: BLE001 - qiskit raises several kinds here
                raise QuantumError(f"cannot read qiskit instruction {name!r}: no matrix ({exc})") from exc
            out.unitary(m, qubits, name=name if name != "unitary" else "unitary")
    return out


def _read_if_else(qc, op, qubits, out: Circuit):
    from qiskit.circuit import ClassicalRegister, Clbit

    if len(op.blocks) > 1 and len(op.blocks[1].data):
        raise QuantumError("if/else with an else branch is not supported")
    cond = op.condition
    if not isinstance(cond, tuple):
        raise QuantumError(f"only register or bit conditions (OpenQASM 2 style) are supported, got {cond}")
    target, value = cond
    bits = (
        [qc.find_bit(target).index]
        if isinstance(target, Clbit)
        else [qc.find_bit(b).index for b in target]
        if isinstance(target, ClassicalRegister)
        else None
    )
    if bits is None:
        raise QuantumError(f"unsupported condition target {target!r}")
    body = op.blocks[0]
    inner = from_qiskit(body)
    out.if_test(bits, int(value), inner, qubits)


def _qiskit_gate(name, params):
    """A qiskit gate object for a library gate name (standard and legacy u1/u2/u3/cu1/cu3)."""
    from qiskit.circuit import library as lib

    legacy = {"u1": lib.U1Gate, "u2": lib.U2Gate, "u3": lib.U3Gate, "cu1": lib.CU1Gate, "cu3": lib.CU3Gate}
    if name in legacy:
        return legacy[name](*params)
    gate = lib.get_standard_gate_name_mapping()[name]
    return type(gate)(*params) if params else gate


def to_qiskit(circuit: Circuit):
    """A ``qiskit.QuantumCircuit`` with the same operations.

    Parameters
    ----------
    circuit : Circuit
        The circuit to convert.

    Returns
    -------
    qiskit.QuantumCircuit
        One quantum and one classical register of the circuit's sizes, its name and global phase; each
        :class:`Parameter` becomes a qiskit ``Parameter`` expression, classically conditioned gates
        ``if_test`` blocks.

    Raises
    ------
    QuantumError
        If ``circuit`` is not a :class:`Circuit` or holds an invalid operation.
    QubitError
        If an operation uses a qubit or classical bit out of range.

    Examples
    --------
    >>> from workbench.quantum import Circuit, to_qiskit
    >>> qc = to_qiskit(Circuit(2).h(0).cx(0, 1))
    >>> qc.num_qubits, dict(qc.count_ops())
    (2, {'h': 1, 'cx': 1})
    """
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter as QParameter

    if not isinstance(circuit, Circuit):
        raise QuantumError(f"to_qiskit needs a workbench Circuit, got {type(circuit).__name__}")
    circuit.check()
    qc = QuantumCircuit(circuit.n_qubits, circuit.n_clbits, name=circuit.name)
    qc.global_phase = circuit.global_phase
    syms: dict = {}

    def par(p):
        if isinstance(p, Parameter):
            s = syms.setdefault(p.name, QParameter(p.name))
            return p.scale * s + p.offset
        return p

    for op in circuit.ops:
        if op.kind == "barrier":
            qc.barrier(*op.qubits)
        elif op.kind == "measure":
            qc.measure(op.qubits[0], op.clbits[0])
        elif op.kind == "reset":
            qc.reset(op.qubits[0])
        elif op.condition is not None:
            from qiskit.circuit import ClassicalRegister

            bits, value = op.condition
            if tuple(bits) == tuple(range(len(qc.clbits))) and qc.cregs and list(qc.cregs[0]) == list(qc.clbits):
                target = qc.cregs[0]  # the whole register: no alias register needed
            elif len(bits) == 1:
                target = qc.clbits[bits[0]]
            else:
                target = ClassicalRegister(bits=[qc.clbits[b] for b in bits])
                if target not in qc.cregs:
                    qc.add_register(target)
            with qc.if_test((target, value)):
                _append_gate(qc, op, par)
        else:
            _append_gate(qc, op, par)
    return qc


def _append_gate(qc, op, par):
    from qiskit.circuit.library import UnitaryGate

    if op.name == "mcx":
        qc.mcx(list(op.qubits[:-1]), op.qubits[-1])
    elif op.name == "unitary":
        gate = UnitaryGate(op.base)
        qc.append(gate.control(op.n_controls) if op.n_controls else gate, list(op.qubits))
    else:
        qc.append(_qiskit_gate(op.name, [par(p) for p in op.params]), list(op.qubits))


def from_qasm(source: str | os.PathLike) -> Circuit:
    """Read OpenQASM 2 (a file path or the program text) with Qiskit's parser.

    Raises :class:`QasmError` naming the problem (e.g. an unknown gate) and the line.

    Parameters
    ----------
    source : str or os.PathLike
        The program text, or the path of a file holding it (a string starting with "OPENQASM", or naming
        no existing file, is read as text). Qiskit's legacy gates are known without a declaration
        (``qasm2.LEGACY_CUSTOM_INSTRUCTIONS``: ``p``, ``sx``, ``swap``, ``cp``, ``rzz``, ``c3x``, ...); the
        gates of ``qelib1.inc`` need its ``include``.

    Returns
    -------
    Circuit
        The program as a circuit (see :func:`from_qiskit`).

    Raises
    ------
    QasmError
        If the parser refuses the program (the message names the problem and where; the path too, for a file).
    QuantumError
        If the program holds something :func:`from_qiskit` cannot read.

    Examples
    --------
    >>> from workbench.quantum import from_qasm
    >>> qc = from_qasm('OPENQASM 2.0; include "qelib1.inc"; qreg q[2]; h q[0]; cx q[0], q[1];')
    >>> qc.n_qubits, qc.count_ops()
    (2, {'h': 1, 'cx': 1})
    """
    from qiskit import qasm2

    text = str(source)
    is_path = isinstance(source, os.PathLike) or (not text.lstrip().startswith("OPENQASM") and os.path.exists(text))
    try:
        qc = (
            qasm2.load(text, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
            if is_path
            else qasm2.loads(text, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
        )
    except qasm2.QASM2ParseError as exc:
        where = f"{text}: " if is_path else ""
        raise QasmError(f"{where}{exc}") from exc
    return from_qiskit(qc)


def to_qasm(circuit: Circuit) -> str:
    """OpenQASM 2 text of a circuit (through Qiskit's exporter).

    Parameters
    ----------
    circuit : Circuit
        The circuit, every parameter bound.

    Returns
    -------
    str
        The OpenQASM 2 program (header, ``include "qelib1.inc";``, registers, one statement per line).

    Raises
    ------
    QasmError
        If OpenQASM 2 cannot express the circuit (unbound parameters, a condition on anything but
        the whole classical register, ...).
    QuantumError
        If ``circuit`` is not a :class:`Circuit` or holds an invalid operation.
    QubitError
        If an operation uses a qubit or classical bit out of range.

    Examples
    --------
    >>> from workbench.quantum import Circuit, to_qasm
    >>> print(to_qasm(Circuit(2).h(0).cx(0, 1)))
    OPENQASM 2.0;
    include "qelib1.inc";
    qreg q[2];
    h q[0];
    cx q[0],q[1];
    """
    from qiskit import qasm2

    if isinstance(circuit, Circuit):
        whole = tuple(range(circuit.n_clbits))
        for i, op in enumerate(circuit.ops):
            if op.condition is not None and tuple(op.condition[0]) != whole:
                raise QasmError(
                    f"operation {i} ({op.name}) tests classical bit(s) {op.condition[0]}; an OpenQASM 2 condition "
                    f"tests the whole register (bits {whole})"
                )
    qc = to_qiskit(circuit)
    try:
        return qasm2.dumps(qc)
    except (qasm2.QASM2ExportError, TypeError, ValueError) as exc:
        hint = (
            "bind its parameters first"
            if any(not op.bound for op in circuit.ops)
            else "gates outside qelib1.inc need workbench.quantum.decompose(circuit) first"
        )
        raise QasmError(f"OpenQASM 2 cannot express this circuit ({type(exc).__name__}: {exc}); {hint}") from None
