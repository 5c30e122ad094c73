"""Gradients of expectation values with respect to every circuit parameter: adjoint differentiation,
with the parameter-shift rule and central differences as references.

For a circuit :math:`U = U_N \\cdots U_1` and a Pauli sum :math:`H`, the energy is
:math:`E = \\langle\\psi|H|\\psi\\rangle` with :math:`|\\psi\\rangle = U|0\\rangle`. Adjoint differentiation
(Jones & Gacon 2020) runs the circuit once forward, sets :math:`|\\lambda\\rangle = H|\\psi\\rangle`, then
walks the gates backwards, undoing each on both vectors; at gate :math:`k`, for each of its angles,

.. math:: \\frac{\\partial E}{\\partial \\theta} = 2\\,\\mathrm{Re}\\,\\langle\\lambda_k|\\,\\partial_\\theta U_k\\,|\\psi_{k-1}\\rangle,

so the whole gradient costs about three circuit runs however many parameters there are, against two
runs per angle for the parameter-shift rule. The derivative of a gate's matrix is exact: every angle of
the library's rotation and phase gates enters its matrix at a single frequency :math:`\\omega`
(:math:`\\tfrac12` for rotations, 1 for phases), so
:math:`\\partial_\\theta M = \\omega\\,(M(\\theta + s) - M(\\theta - s))/2` with :math:`s = \\pi / (2\\omega)`.
A :class:`~workbench.quantum.Parameter` shared by several gates (or scaled, ``2 * theta``) collects the
contributions of all of them by the chain rule.

Examples
--------
>>> from workbench.quantum import Circuit, Parameter
>>> t = Parameter("t")
>>> qc = Circuit(1).ry(t, 0)
>>> e, g = gradient(qc, {"Z": 1.0}, {"t": 0.3})
>>> round(e, 12), round(float(g[0]), 12)  # <Z> = cos t, d/dt = -sin t
(0.955336489126, -0.295520206661)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..errors import Options, Real, check
from . import _kernels
from .circuit import Circuit, Parameter, QuantumError
from .statevector import pauli_terms, statevector

__all__ = ["gradient", "GRADIENT_METHODS", "DIFFERENTIABLE_GATES"]

#: Methods of :func:`gradient`.
GRADIENT_METHODS = ("adjoint", "parameter_shift", "finite_difference")

#: Gates whose angles can be differentiated, with the frequency of each angle in the gate's matrix.
DIFFERENTIABLE_GATES = {
    "rx": (0.5,),
    "ry": (0.5,),
    "rz": (0.5,),
    "p": (1.0,),
    "u1": (1.0,),
    "u2": (1.0, 1.0),
    "u": (0.5, 1.0, 1.0),
    "u3": (0.5, 1.0, 1.0),
    "crx": (0.5,),
    "cry": (0.5,),
    "crz": (0.5,),
    "cp": (1.0,),
    "cu1": (1.0,),
    "cu3": (0.5, 1.0, 1.0),
    "cu": (0.5, 1.0, 1.0, 1.0),
    "rxx": (0.5,),
    "ryy": (0.5,),
    "rzz": (0.5,),
    "rzx": (0.5,),
}


#: Angles of controlled rotations: their generator has three eigenvalues (0 and +-1/2), so the
#: parameter-shift rule needs four terms (Anselmetti et al. 2021).
_FOUR_TERM = {("crx", 0), ("cry", 0), ("crz", 0), ("cu3", 0), ("cu", 0)}


def _values(circuit: Circuit, values) -> dict:
    names = circuit.parameters
    if values is None:
        values = {}
    if isinstance(values, dict):
        missing = [n for n in names if n not in values]
        if missing:
            raise QuantumError(f"no value for the parameter(s) {missing}; the circuit's parameters are {names}")
        return {n: check(f"values[{n!r}]", values[n], Real(), QuantumError) for n in names}
    try:
        x = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise QuantumError(
            f"values must be a dict name -> number or numbers in the order of {names}, got {values!r}"
        ) from None
    if x.size != len(names):
        raise QuantumError(f"values has {x.size} entries but the circuit has {len(names)} parameters {names}")
    if not np.isfinite(x).all():
        raise QuantumError("values must be finite")
    return dict(zip(names, x.tolist()))


def _check_circuit(circuit: Circuit):
    if not isinstance(circuit, Circuit):
        raise QuantumError(f"circuit must be a Circuit, got {type(circuit).__name__}")
    for i, op in enumerate(circuit.ops):
        if op.kind == "barrier":
            continue
        if op.kind != "gate" or op.condition:
            raise QuantumError(
                f"circuit.ops[{i}] is a {op.kind if op.kind != 'gate' else 'classically conditioned gate'}; "
                "gradients need a circuit of gates only (take measurements off with without_measurements())"
            )
        if not op.bound and op.name not in DIFFERENTIABLE_GATES:
            raise QuantumError(
                f"circuit.ops[{i}] ({op.name}) has a parameter but cannot be differentiated; "
                f"parameterised gates allowed: {sorted(DIFFERENTIABLE_GATES)}"
            )


def _apply(psi, op, matrix=None, inverse=False):
    """Apply a gate (or a given full matrix on its qubits) in place."""
    if matrix is None:
        m = op.target_matrix()
        if inverse:
            m = m.conj().T
        targets = op.qubits[op.n_controls :]
        cval = sum(1 << q for q in op.qubits[: op.n_controls])
    else:  # a full (controls included) matrix, which need not be unitary: every amplitude it touches
        m, targets, cval = matrix, op.qubits, 0
    _kernels.apply_dense(
        psi,
        np.ascontiguousarray(m, dtype=psi.dtype),
        np.array(targets, np.int64),
        np.array(sorted(op.qubits), np.int64),
        np.int64(cval),
    )


def _energy_and_lambda(psi, terms):
    lam = np.zeros_like(psi)
    coeffs = np.array([c * (1j**ny) for c, _, _, ny in terms], dtype=np.complex128)
    xm = np.array([x for _, x, _, _ in terms], np.int64)
    zm = np.array([z for _, _, z, _ in terms], np.int64)
    _kernels.apply_pauli_sum(psi, coeffs, xm, zm, lam)
    return float(np.vdot(psi, lam).real), lam


def _derivatives(sym, op):
    """(parameter, scale, 2 x 2 derivative of the target matrix) for each parameterised angle of ``op``."""
    out = []
    for j, p in enumerate(sym.params):
        if not isinstance(p, Parameter):
            continue
        w = DIFFERENTIABLE_GATES[sym.name][j]
        s = np.pi / (2 * w)
        plus, minus = list(op.params), list(op.params)
        plus[j] += s
        minus[j] -= s
        dm = (
            w * (replace(op, params=tuple(plus)).target_matrix() - replace(op, params=tuple(minus)).target_matrix()) / 2
        )
        out.append((p, dm))
    return out


def _adjoint(circuit, terms, vals):
    names = circuit.parameters
    index = {n: i for i, n in enumerate(names)}
    bound = circuit.bind(vals)
    psi = np.ascontiguousarray(statevector(bound), dtype=np.complex128)
    energy, lam = _energy_and_lambda(psi, terms)
    grad = np.zeros(len(names))
    buf = np.empty_like(psi)
    ops = [(sym, op) for sym, op in zip(circuit.ops, bound.ops) if op.kind != "barrier"]
    k = len(ops) - 1
    while k >= 0:
        sym, op = ops[k]
        if len(op.qubits) - op.n_controls == 1:
            # a run of one-target gates on the same target and controls: one compiled sweep over the pairs
            key = (op.qubits[op.n_controls :], op.qubits[: op.n_controls])
            run = []
            while (
                k >= 0
                and len(ops[k][1].qubits) - ops[k][1].n_controls == 1
                and (ops[k][1].qubits[ops[k][1].n_controls :], ops[k][1].qubits[: ops[k][1].n_controls]) == key
            ):
                run.append(ops[k])
                k -= 1
            minv = np.array([o.target_matrix().conj().T for _, o in run], dtype=np.complex128)
            ders, dstart = [], [0]
            for s_, o in run:
                ders.extend(_derivatives(s_, o) if not s_.bound else [])
                dstart.append(len(ders))
            dms = np.array([d for _, d in ders], dtype=np.complex128).reshape(-1, 2, 2)
            out = np.zeros(len(ders))
            _kernels.adjoint_pass(
                psi,
                lam,
                np.int64(key[0][0]),
                np.int64(sum(1 << c for c in key[1])),
                minv,
                dms,
                np.array(dstart, np.int64),
                out,
            )
            for (p, _), v in zip(ders, out):
                grad[index[p.name]] += v * p.scale
            continue
        _apply(psi, op, inverse=True)  # psi is now U_{k-1} ... U_1 |0>
        if not sym.bound:
            for j, p in enumerate(sym.params):
                if not isinstance(p, Parameter):
                    continue
                w = DIFFERENTIABLE_GATES[sym.name][j]
                s = np.pi / (2 * w)
                plus = list(op.params)
                minus = list(op.params)
                plus[j] += s
                minus[j] -= s
                dm = w * (replace(op, params=tuple(plus)).matrix() - replace(op, params=tuple(minus)).matrix()) / 2
                np.copyto(buf, psi)
                _apply(buf, op, matrix=dm)
                grad[index[p.name]] += 2.0 * np.vdot(lam, buf).real * p.scale
        _apply(lam, op, inverse=True)
        k -= 1
    return energy, grad


def _energy(circuit, terms, vals):
    psi = np.ascontiguousarray(statevector(circuit.bind(vals)), dtype=np.complex128)
    return _energy_and_lambda(psi, terms)[0]


def _parameter_shift(circuit, terms, vals):
    names = circuit.parameters
    index = {n: i for i, n in enumerate(names)}
    grad = np.zeros(len(names))
    bound = circuit.bind(vals)
    for k, sym in enumerate(circuit.ops):
        if sym.kind == "barrier" or sym.bound:
            continue
        for j, p in enumerate(sym.params):
            if not isinstance(p, Parameter):
                continue

            def shifted(delta, k=k, j=j):
                ps = list(bound.ops[k].params)
                ps[j] += delta
                qc = bound.copy()
                qc.ops = list(bound.ops)
                qc.ops[k] = replace(bound.ops[k], params=tuple(ps))
                psi = np.ascontiguousarray(statevector(qc), dtype=np.complex128)
                return _energy_and_lambda(psi, terms)[0]

            if (sym.name, j) in _FOUR_TERM:  # generator eigenvalues 0, +-1/2: the four-term rule
                d1, d2 = (np.sqrt(2) + 1) / (4 * np.sqrt(2)), (np.sqrt(2) - 1) / (4 * np.sqrt(2))
                a = np.pi / 2
                d = d1 * (shifted(a) - shifted(-a)) - d2 * (shifted(3 * a) - shifted(-3 * a))
            else:  # generator eigenvalues 1 apart: the two-term rule
                d = 0.5 * (shifted(np.pi / 2) - shifted(-np.pi / 2))
            grad[index[p.name]] += d * p.scale
    return _energy(circuit, terms, vals), grad


def _finite_difference(circuit, terms, vals, h=1e-6):
    names = circuit.parameters
    grad = np.zeros(len(names))
    for i, n in enumerate(names):
        up, down = dict(vals), dict(vals)
        up[n] += h
        down[n] -= h
        grad[i] = (_energy(circuit, terms, up) - _energy(circuit, terms, down)) / (2 * h)
    return _energy(circuit, terms, vals), grad


def gradient(circuit: Circuit, observable, values=None, *, method: str = "adjoint") -> tuple[float, np.ndarray]:
    """The expectation value of a Pauli sum after a parameterised circuit, and its gradient.

    Parameters
    ----------
    circuit : Circuit
        Gates only (no measurements, resets or conditions), starting from :math:`|0\\dots0\\rangle`; its
        parameterised gates among :data:`DIFFERENTIABLE_GATES` (a parameter may appear in several gates
        and with a scale).
    observable : str, dict, list of tuple or qiskit.quantum_info.SparsePauliOp
        The Pauli sum, in any form :func:`~workbench.quantum.pauli_terms` reads (real coefficients make
        a Hermitian observable).
    values : dict or array_like, optional
        The parameters' values: by name, or in the order of ``circuit.parameters``.
    method : {"adjoint", "parameter_shift", "finite_difference"}, default "adjoint"
        Adjoint differentiation (three circuit runs), the parameter-shift rule (exact; two runs per gate
        angle, four for the angle of a controlled rotation) or central differences (two runs per
        parameter, step 1e-6; for checking).

    Returns
    -------
    energy : float
        :math:`\\langle\\psi|H|\\psi\\rangle` (real part).
    grad : numpy.ndarray
        :math:`\\partial E / \\partial x_i` for each parameter, in the order of ``circuit.parameters``.

    Raises
    ------
    QuantumError
        If the circuit holds measurements, resets, conditions or a parameterised gate that cannot be
        differentiated, a value is missing or not finite, the observable does not fit the circuit, or
        the method is unknown.

    Examples
    --------
    >>> from workbench.quantum import Circuit, Parameter
    >>> a, b = Parameter("a"), Parameter("b")
    >>> qc = Circuit(2).rx(a, 0).cry(2 * b, 0, 1).rzz(a, 0, 1)
    >>> e1, g1 = gradient(qc, {"ZZ": 1.0, "XI": 0.5}, [0.4, 0.7])
    >>> e2, g2 = gradient(qc, {"ZZ": 1.0, "XI": 0.5}, [0.4, 0.7], method="parameter_shift")
    >>> bool(abs(e1 - e2) < 1e-12 and abs(g1 - g2).max() < 1e-12)
    True
    """
    method = check("method", method, Options(*GRADIENT_METHODS), QuantumError)
    _check_circuit(circuit)
    vals = _values(circuit, values)
    try:
        terms = pauli_terms(observable, circuit.n_qubits)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, QuantumError):
            raise
        raise QuantumError(
            f"observable must be a Pauli label, a dict label -> coefficient, a list of (label, coefficient) or a "
            f"SparsePauliOp, got {observable!r}"
        ) from None
    if method == "adjoint":
        return _adjoint(circuit, terms, vals)
    if method == "parameter_shift":
        return _parameter_shift(circuit, terms, vals)
    return _finite_difference(circuit, terms, vals)
