r"""Standard circuits: the quantum Fourier transform, phase estimation, Grover's oracle and
diffuser, multi-controlled Z.

The QFT on :math:`n` qubits maps :math:`|x\rangle \mapsto 2^{-n/2}\sum_y e^{2\pi i xy/2^n}|y\rangle`
(qubit 0 is the least significant bit of :math:`x`, as in Qiskit's ``QFT``).
"""

from __future__ import annotations

import numpy as np

from ..errors import Bool, Int, Seed, checked, make_rng
from .circuit import MAX_GENERATED_QUBITS, Circuit, QuantumError

__all__ = ["qft", "mcz", "phase_oracle", "diffuser", "phase_estimation", "random_layered_circuit", "ghz"]


@checked(QuantumError, n=Int(1, MAX_GENERATED_QUBITS), inverse=Bool(), swaps=Bool())
def qft(n: int, *, inverse: bool = False, swaps: bool = True) -> Circuit:
    """The quantum Fourier transform (or its inverse) on ``n`` qubits, equal to Qiskit's ``QFT``.

    Examples
    --------
    >>> qft(3).count_ops()
    {'h': 3, 'cp': 3, 'swap': 1}
    """
    qc = Circuit(n, name="iqft" if inverse else "qft")
    for j in reversed(range(n)):
        qc.h(j)
        for k in reversed(range(j)):
            qc.cp(np.pi / 2 ** (j - k), k, j)
    if swaps:
        for q in range(n // 2):
            qc.swap(q, n - 1 - q)
    return qc.inverse() if inverse else qc


def mcz(qc: Circuit, qubits) -> Circuit:
    """Append a multi-controlled Z on ``qubits`` (symmetric: -1 on |1...1>)."""
    qubits = list(qubits)
    if len(qubits) == 1:
        return qc.z(qubits[0])
    if len(qubits) == 2:
        return qc.cz(*qubits)
    qc.h(qubits[-1])
    qc.mcx(qubits[:-1], qubits[-1])
    return qc.h(qubits[-1])


def phase_oracle(n: int, marked) -> Circuit:
    """Flip the sign of each marked basis state (integers, qubit 0 = least significant bit)."""
    marked = sorted({int(m) for m in marked})
    if not marked or min(marked) < 0 or max(marked) >= 1 << n:
        raise QuantumError(f"marked states must be integers in 0..{(1 << n) - 1}, got {marked}")
    qc = Circuit(n, name="oracle")
    for m in marked:
        zeros = [q for q in range(n) if not (m >> q) & 1]
        for q in zeros:
            qc.x(q)
        mcz(qc, range(n))
        for q in zeros:
            qc.x(q)
    return qc


@checked(QuantumError, n=Int(1, MAX_GENERATED_QUBITS))
def diffuser(n: int) -> Circuit:
    r"""Inversion about the mean, :math:`2|s\rangle\langle s| - I` with :math:`|s\rangle = H^{\otimes n}|0\rangle`."""
    qc = Circuit(n, name="diffuser")
    for q in range(n):
        qc.h(q).x(q)
    mcz(qc, range(n))
    for q in range(n):
        qc.x(q).h(q)
    qc.global_phase += np.pi  # mcz gives I - 2|1..1><1..1|; the textbook operator is its negative
    return qc


def phase_estimation(unitary, n_count: int, eigenstate=None) -> Circuit:
    r"""Phase estimation of a unitary on ``m`` target qubits with ``n_count`` counting qubits.

    Counting qubits are 0..n_count-1 (qubit 0 least significant), targets follow. If the
    target starts in an eigenvector with eigenvalue :math:`e^{2\pi i\varphi}`, reading the
    counting register gives :math:`\lfloor 2^t\varphi \rceil` with high probability.
    ``eigenstate`` is a :class:`Circuit` on the targets that prepares it.
    """
    from .circuit import check_unitary

    u = check_unitary(unitary)
    m = u.shape[0].bit_length() - 1
    qc = Circuit(n_count + m, name="qpe")
    targets = list(range(n_count, n_count + m))
    if eigenstate is not None:
        qc.compose(eigenstate, targets)
    for j in range(n_count):
        qc.h(j)
    power = u
    for j in range(n_count):
        qc.unitary(power, targets, controls=[j], name=f"U^{2**j}")
        power = power @ power
    qc.compose(qft(n_count, inverse=True), list(range(n_count)))
    return qc


@checked(QuantumError, n=Int(1, MAX_GENERATED_QUBITS), layers=Int(0, 10**5), seed=Seed())
def random_layered_circuit(n: int, layers: int = 20, seed=None) -> Circuit:
    """Layers of random ``rx`` and ``rz`` on every qubit followed by a CNOT ladder (the benchmark circuit)."""
    rng = make_rng(seed)
    qc = Circuit(n, name=f"random{n}x{layers}")
    for _ in range(layers):
        for q in range(n):
            qc.rx(rng.uniform(0, 2 * np.pi), q).rz(rng.uniform(0, 2 * np.pi), q)
        for q in range(n - 1):
            qc.cx(q, q + 1)
    return qc


@checked(QuantumError, n=Int(1, MAX_GENERATED_QUBITS))
def ghz(n: int) -> Circuit:
    """(|0...0> + |1...1>)/sqrt(2): H then a CNOT chain."""
    qc = Circuit(n, name=f"ghz{n}").h(0)
    for q in range(n - 1):
        qc.cx(q, q + 1)
    return qc
