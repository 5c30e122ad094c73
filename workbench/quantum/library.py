r"""Standard circuits: the quantum Fourier transform, phase estimation, Grover's oracle and
diffuser, multi-controlled Z.

The QFT on :math:`n` qubits maps :math:`|x\rangle \mapsto 2^{-n/2}\sum_y e^{2\pi i xy/2^n}|y\rangle`
(qubit 0 is the least significant bit of :math:`x`, as in Qiskit's ``QFT``).
"""

from __future__ import annotations

import numpy as np

from ..errors import Bool, Int, Seed, check, checked, make_rng
from .circuit import MAX_GENERATED_QUBITS, Circuit, QuantumError

__all__ = ["qft", "mcz", "phase_oracle", "diffuser", "phase_estimation", "random_layered_circuit", "ghz"]


@checked(QuantumError, n=Int(1, MAX_GENERATED_QUBITS), inverse=Bool(), swaps=Bool())
def qft(n: int, *, inverse: bool = False, swaps: bool = True) -> Circuit:
    """The quantum Fourier transform (or its inverse) on ``n`` qubits, equal to Qiskit's ``QFT``.

    Parameters
    ----------
    n : int
        Qubits, in [1, ``MAX_GENERATED_QUBITS``] (1024).
    inverse : bool, default False
        Build the inverse transform (the adjoint circuit).
    swaps : bool, default True
        End with the swaps that reverse the qubit order; without them the output is bit-reversed.

    Returns
    -------
    Circuit
        H and controlled-phase (``cp``) gates, then ``n // 2`` swaps if ``swaps``.

    Raises
    ------
    QuantumError
        If ``n`` is not an integer in range or ``inverse`` or ``swaps`` is not a boolean.

    Examples
    --------
    >>> from workbench.quantum import qft
    >>> qft(3).count_ops()
    {'h': 3, 'cp': 3, 'swap': 1}
    """
    qc = Circuit(n, name="qft")  # inverse() names its result "qft_dg"; renamed "iqft" below
    for j in reversed(range(n)):
        qc.h(j)
        for k in reversed(range(j)):
            qc.cp(np.pi / 2 ** (j - k), k, j)
    if swaps:
        for q in range(n // 2):
            qc.swap(q, n - 1 - q)
    if not inverse:
        return qc
    inv = qc.inverse()
    inv.name = "iqft"
    return inv


def mcz(qc: Circuit, qubits) -> Circuit:
    """Append a multi-controlled Z on ``qubits`` (symmetric: -1 on |1...1>).

    One qubit gets a ``z``, two a ``cz``; more are done as H, a multi-controlled X onto the last
    qubit, H.

    Parameters
    ----------
    qc : Circuit
        The circuit to extend (changed in place).
    qubits : iterable of int
        At least one qubit of ``qc``, all distinct.

    Returns
    -------
    Circuit
        ``qc`` itself, so that calls chain.

    Raises
    ------
    QuantumError
        If ``qubits`` is empty (a ``QubitError`` if a qubit is out of range or repeated).

    Examples
    --------
    >>> from workbench.quantum import Circuit, mcz, statevector
    >>> qc = mcz(Circuit(3).h(0).h(1).h(2), [0, 1, 2])
    >>> qc.count_ops()
    {'h': 5, 'mcx': 1}
    >>> (statevector(qc).real * 8**0.5).round(3).tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0]
    """
    qubits = list(qubits)
    if not qubits:
        raise QuantumError("mcz needs at least one qubit")
    if len(qubits) == 1:
        return qc.z(qubits[0])
    if len(qubits) == 2:
        return qc.cz(*qubits)
    qc.h(qubits[-1])
    qc.mcx(qubits[:-1], qubits[-1])
    return qc.h(qubits[-1])


def phase_oracle(n: int, marked) -> Circuit:
    """Flip the sign of each marked basis state (integers, qubit 0 = least significant bit).

    Parameters
    ----------
    n : int
        Qubits.
    marked : iterable of int
        The marked basis states, integers each in [0, :math:`2^n - 1`]; at least one, duplicates
        ignored.

    Returns
    -------
    Circuit
        A circuit named ``"oracle"``: for each marked state, X on its 0 bits, a multi-controlled Z
        on all qubits (:func:`mcz`), X again.

    Raises
    ------
    QuantumError
        If no state is marked or a marked state is out of range.

    Examples
    --------
    >>> from workbench.quantum import Circuit, phase_oracle, statevector
    >>> qc = Circuit(2).h(0).h(1).compose(phase_oracle(2, [2]))
    >>> (2 * statevector(qc).real).round(3).tolist()
    [1.0, 1.0, -1.0, 1.0]
    """
    marked = sorted({check("a marked state", m, Int(0), QuantumError) for m in marked})
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
    r"""Inversion about the mean, :math:`2|s\rangle\langle s| - I` with :math:`|s\rangle = H^{\otimes n}|0\rangle`.

    Parameters
    ----------
    n : int
        Qubits, in [1, ``MAX_GENERATED_QUBITS``] (1024).

    Returns
    -------
    Circuit
        A circuit named ``"diffuser"`` (H and X on every qubit, :func:`mcz`, X and H), with a
        global phase of pi so that it equals the operator exactly.

    Raises
    ------
    QuantumError
        If ``n`` is not an integer in range.

    Examples
    --------
    >>> from workbench.quantum import diffuser
    >>> qc = diffuser(2)
    >>> qc.name, qc.count_ops()
    ('diffuser', {'h': 4, 'x': 4, 'cz': 1})
    """
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

    Parameters
    ----------
    unitary : array_like
        A :math:`2^m \times 2^m` unitary matrix (:math:`m \ge 1`).
    n_count : int
        Counting qubits :math:`t`, in [1, ``MAX_GENERATED_QUBITS``] (1024).
    eigenstate : Circuit or None, default None
        A circuit on the ``m`` targets that prepares the eigenvector; ``None`` leaves them in
        :math:`|0\rangle`.

    Returns
    -------
    Circuit
        A circuit named ``"qpe"`` on ``n_count + m`` qubits: H on the counting qubits, controlled
        powers :math:`U^{2^j}` (gates named ``"U^<2**j>"``), then the inverse QFT; no measurements.

    Raises
    ------
    NotUnitaryError
        If ``unitary`` is not a unitary matrix of side :math:`2^m`.
    QuantumError
        If ``n_count`` is not an integer in range, or ``eigenstate`` does not fit the targets.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.quantum import Circuit, phase_estimation, simulate
    >>> T = np.diag([1, np.exp(2j * np.pi / 8)])  # phase 1/8
    >>> p = simulate(phase_estimation(T, 3, Circuit(1).x(0))).probabilities()
    >>> int(p.argmax()) % 8, round(float(p.max()), 3)  # counting register = 2**3 / 8
    (1, 1.0)
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
    """Layers of random ``rx`` and ``rz`` on every qubit followed by a CNOT ladder (the benchmark circuit).

    Parameters
    ----------
    n : int
        Qubits, in [1, ``MAX_GENERATED_QUBITS``] (1024).
    layers : int, default 20
        Layers, in [0, 10**5].
    seed : int, numpy.random.Generator or None, default None
        Seed of the random angles (uniform in [0, 2 pi)); the same seed gives the same circuit.

    Returns
    -------
    Circuit
        A circuit named ``"random<n>x<layers>"`` with ``2 * n * layers`` rotations and
        ``(n - 1) * layers`` CNOTs.

    Raises
    ------
    QuantumError
        If ``n`` or ``layers`` is not an integer in range, or ``seed`` is not None, an integer
        >= 0, a SeedSequence or a Generator.

    Examples
    --------
    >>> from workbench.quantum import random_layered_circuit
    >>> qc = random_layered_circuit(3, 2, seed=0)
    >>> qc.name, qc.count_ops()
    ('random3x2', {'rx': 6, 'rz': 6, 'cx': 4})
    """
    rng = make_rng(seed, error=QuantumError)
    qc = Circuit(n, name=f"random{n}x{layers}")
    for _ in range(layers):
        for q in range(n):
            qc.rx(rng.uniform(0, 2 * np.pi), q).rz(rng.uniform(0, 2 * np.pi), q)
        for q in range(n - 1):
            qc.cx(q, q + 1)
    return qc


@checked(QuantumError, n=Int(1, MAX_GENERATED_QUBITS))
def ghz(n: int) -> Circuit:
    """(|0...0> + |1...1>)/sqrt(2): H then a CNOT chain.

    Parameters
    ----------
    n : int
        Qubits, in [1, ``MAX_GENERATED_QUBITS``] (1024).

    Returns
    -------
    Circuit
        A circuit named ``"ghz<n>"``: H on qubit 0, then CNOTs from each qubit to the next.

    Raises
    ------
    QuantumError
        If ``n`` is not an integer in range.

    Examples
    --------
    >>> from workbench.quantum import ghz, simulate
    >>> simulate(ghz(3)).probabilities().round(3).tolist()
    [0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5]
    """
    qc = Circuit(n, name=f"ghz{n}").h(0)
    for q in range(n - 1):
        qc.cx(q, q + 1)
    return qc
