r"""Noise: Kraus channels, readout error, noise models, density matrices and trajectories.

A channel is a set of Kraus operators with :math:`\sum_i K_i^\dagger K_i = I`, acting as
:math:`\rho \mapsto \sum_i K_i \rho K_i^\dagger`. A :class:`NoiseModel` attaches channels to gate
names (applied right after each such gate) and readout errors to measurements. Two ways to
simulate it, which agree within statistical error:

* **density matrix** (:func:`simulate_density`, up to 13 qubits): :math:`\rho` is stored as a
  vector of :math:`4^n` entries, index ``row | col << n``, so a gate is :math:`U` on the row
  qubits and :math:`\bar U` on the column qubits and a channel is the superoperator
  :math:`\sum_i \bar K_i \otimes K_i` on both; the state-vector kernels and fusion do the work.
* **trajectories** (:func:`run_trajectories`, Monte Carlo wave function, any size the state
  vector allows): after each noisy gate one Kraus operator is drawn with probability
  :math:`p_i = \lVert K_i\psi\rVert^2` (from the reduced density matrix of the gate's qubits)
  and the state renormalised. Averages over trajectories converge to the density matrix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import Int, check, check_real, make_rng
from ..results import Result, one_row
from . import _kernels
from .circuit import Circuit, Op, QuantumError
from .fusion import Block, fuse
from .gates import GATES
from .statevector import _Program, check_memory, condition_holds, measure_qubit, pauli_terms

__all__ = [
    "Channel",
    "NoiseModel",
    "depolarizing",
    "amplitude_damping",
    "phase_damping",
    "bit_flip",
    "phase_flip",
    "kraus",
    "DensityResult",
    "simulate_density",
    "TrajectoryResult",
    "run_trajectories",
    "MAX_DENSITY_QUBITS",
]

#: largest register for the density-matrix method (4**13 complex128 = 1 GiB)
MAX_DENSITY_QUBITS = 13

_I = np.eye(2, dtype=complex)
_X = np.array([[0, 1], [1, 0]], complex)
_Y = np.array([[0, -1j], [1j, 0]], complex)
_Z = np.array([[1, 0], [0, -1]], complex)


@dataclass(frozen=True)
class Channel:
    """A quantum channel given by Kraus operators on ``n_qubits`` (little-endian).

    Build one with :func:`kraus` (which checks the operators) or a named constructor such as
    :func:`depolarizing`; the class itself checks nothing.

    Parameters
    ----------
    name : str
        A label for the channel (e.g. ``"bit_flip(0.1)"``).
    ops : tuple of numpy.ndarray
        The Kraus operators :math:`K_i`, complex square matrices of size :math:`2^k`, with
        :math:`\\sum_i K_i^\\dagger K_i = I`.

    See Also
    --------
    kraus : A checked channel from Kraus operators.
    NoiseModel.add : Attach a channel to gate names.

    Examples
    --------
    >>> from workbench.quantum import bit_flip
    >>> ch = bit_flip(0.1)
    >>> ch.name, ch.n_qubits, len(ch.ops), ch.unitary_mixture
    ('bit_flip(0.1)', 1, 2, True)
    """

    name: str
    ops: tuple

    @property
    def n_qubits(self) -> int:
        """Qubits the channel acts on, from the size of its Kraus operators.

        Returns
        -------
        int
            :math:`k` for operators of size :math:`2^k \\times 2^k`.
        """
        return self.ops[0].shape[0].bit_length() - 1

    @property
    def unitary_mixture(self) -> bool:
        """True if every Kraus operator is a multiple of a unitary (Pauli channels).

        Returns
        -------
        bool
            Whether each :math:`K_i^\\dagger K_i` is a multiple of the identity (within 1e-12); the
            trajectory method then draws the operators with fixed probabilities.
        """
        return all(
            np.allclose(k.conj().T @ k, (k.conj().T @ k)[0, 0] * np.eye(k.shape[0]), rtol=0.0, atol=1e-12)
            for k in self.ops
        )

    def superoperator(self) -> np.ndarray:
        """:math:`\\sum_i \\bar K_i \\otimes K_i`, little-endian over (qubits, qubits + n).

        Returns
        -------
        numpy.ndarray
            A complex :math:`4^k \\times 4^k` matrix acting on the vectorised density matrix (row
            qubits low, column qubits high), as :func:`simulate_density` stores it.
        """
        return sum(np.kron(k.conj(), k) for k in self.ops)

    def apply_to_density(self, rho: np.ndarray) -> np.ndarray:
        """Apply the channel to a density matrix: :math:`\\sum_i K_i \\rho K_i^\\dagger`.

        Parameters
        ----------
        rho : numpy.ndarray
            A :math:`2^k \\times 2^k` density matrix on the channel's qubits.

        Returns
        -------
        numpy.ndarray
            The transformed density matrix, of the same shape.
        """
        return sum(k @ rho @ k.conj().T for k in self.ops)


def kraus(ops, name: str = "kraus", atol: float = 1e-10) -> Channel:
    """A channel from Kraus operators; checks shapes and completeness (sum K^dagger K = I).

    Parameters
    ----------
    ops : sequence of array_like
        The Kraus operators, at least one, all square :math:`2^k \\times 2^k` matrices of the same
        size (:math:`k \\geq 1`); converted to complex arrays.
    name : str, default "kraus"
        The channel's label.
    atol : float, default 1e-10
        Largest entry of :math:`|\\sum_i K_i^\\dagger K_i - I|` accepted as trace preserving.

    Returns
    -------
    Channel
        The channel, with ``ops`` the operators as a tuple of complex arrays.

    Raises
    ------
    QuantumError
        If ``ops`` is empty, the operators are not square matrices of one size :math:`2^k`, or they
        are not trace preserving within ``atol``.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.quantum import kraus
    >>> kraus([np.eye(2)]).n_qubits
    1
    >>> p = 0.2
    >>> kraus([np.sqrt(1 - p) * np.eye(2), np.sqrt(p) * np.diag([1, -1])], name="dephase").name
    'dephase'
    """
    ops = tuple(np.asarray(k, dtype=complex) for k in ops)
    if not ops:
        raise QuantumError("a channel needs at least one Kraus operator")
    d = ops[0].shape[0]
    if any(k.shape != (d, d) for k in ops) or d < 2 or d & (d - 1):
        raise QuantumError(f"Kraus operators must all be square 2**k x 2**k matrices, got {[k.shape for k in ops]}")
    err = np.abs(sum(k.conj().T @ k for k in ops) - np.eye(d)).max()
    if err > atol:
        raise QuantumError(f"Kraus operators are not trace preserving: max |sum K^dagger K - I| = {err:.3g}")
    return Channel(name, ops)


def _prob(p, what):
    return check_real(f"{what} (a probability)", p, minimum=0, maximum=1, error=QuantumError)


def depolarizing(p: float, n_qubits: int = 1) -> Channel:
    r"""Depolarizing channel :math:`\rho \mapsto (1-p)\rho + p\,\mathrm{Tr}(\rho) I/2^n` (Qiskit's
    ``depolarizing_error``); ``p`` may go up to :math:`4^n/(4^n-1)`.

    Parameters
    ----------
    p : float
        Depolarizing probability, in :math:`[0, 4^n/(4^n-1)]` (``p = 1`` gives the maximally mixed
        state, the upper end the uniform Pauli channel without the identity).
    n_qubits : {1, 2}, default 1
        Qubits the channel acts on.

    Returns
    -------
    Channel
        The channel, as :math:`4^n` Kraus operators (scaled Pauli strings) named ``"depolarizing(p)"``.

    Raises
    ------
    QuantumError
        If ``n_qubits`` is not 1 or 2, or ``p`` is not a number in the allowed range.

    Examples
    --------
    >>> from workbench.quantum import depolarizing
    >>> ch = depolarizing(0.05, 2)
    >>> ch.n_qubits, len(ch.ops)
    (2, 16)
    """
    if n_qubits not in (1, 2):
        raise QuantumError(f"depolarizing is defined here for 1 or 2 qubits, got {n_qubits}")
    dim4 = 4**n_qubits
    p = check_real("depolarizing p", p, minimum=0, maximum=dim4 / (dim4 - 1), error=QuantumError)
    paulis = [_I, _X, _Y, _Z]
    if n_qubits == 2:
        paulis = [np.kron(b, a) for b in paulis for a in paulis]
    ops = [np.sqrt(1 - p * (dim4 - 1) / dim4) * paulis[0]] + [np.sqrt(p / dim4) * P for P in paulis[1:]]
    return kraus(ops, f"depolarizing({p:g})")


def amplitude_damping(gamma: float) -> Channel:
    """Energy relaxation |1> -> |0> with probability ``gamma`` (T1 decay).

    Parameters
    ----------
    gamma : float
        Probability that |1> decays to |0>, in [0, 1].

    Returns
    -------
    Channel
        A one-qubit channel of two Kraus operators, named ``"amplitude_damping(gamma)"``.

    Raises
    ------
    QuantumError
        If ``gamma`` is not a number in [0, 1].

    Examples
    --------
    >>> from workbench.quantum import Circuit, NoiseModel, amplitude_damping, simulate_density
    >>> nm = NoiseModel().add(amplitude_damping(0.25), ["x"])
    >>> simulate_density(Circuit(1).x(0), nm).probabilities().round(3).tolist()
    [0.25, 0.75]
    """
    g = _prob(gamma, "gamma")
    return kraus(
        [np.array([[1, 0], [0, np.sqrt(1 - g)]]), np.array([[0, np.sqrt(g)], [0, 0]])], f"amplitude_damping({g:g})"
    )


def phase_damping(lam: float) -> Channel:
    """Loss of phase coherence without energy loss (T2 dephasing), Qiskit's ``phase_damping_error``.

    Parameters
    ----------
    lam : float
        Damping parameter :math:`\\lambda`, in [0, 1]: the off-diagonal entries of the density
        matrix are multiplied by :math:`\\sqrt{1-\\lambda}`.

    Returns
    -------
    Channel
        A one-qubit channel of two Kraus operators, named ``"phase_damping(lam)"``.

    Raises
    ------
    QuantumError
        If ``lam`` is not a number in [0, 1].

    Examples
    --------
    >>> from workbench.quantum import Circuit, NoiseModel, phase_damping, simulate_density
    >>> r = simulate_density(Circuit(1).h(0), NoiseModel().add(phase_damping(1.0), ["h"]))
    >>> round(r.purity(), 3)
    0.5
    """
    la = _prob(lam, "lambda")
    return kraus(
        [np.array([[1, 0], [0, np.sqrt(1 - la)]]), np.array([[0, 0], [0, np.sqrt(la)]])], f"phase_damping({la:g})"
    )


def bit_flip(p: float) -> Channel:
    """X with probability ``p``.

    Parameters
    ----------
    p : float
        Probability of the bit flip, in [0, 1].

    Returns
    -------
    Channel
        A one-qubit channel with Kraus operators :math:`\\sqrt{1-p}\\,I` and :math:`\\sqrt{p}\\,X`,
        named ``"bit_flip(p)"``.

    Raises
    ------
    QuantumError
        If ``p`` is not a number in [0, 1].

    Examples
    --------
    >>> from workbench.quantum import Circuit, NoiseModel, bit_flip, simulate_density
    >>> r = simulate_density(Circuit(1).x(0), NoiseModel().add(bit_flip(0.1), ["x"]))
    >>> r.probabilities().round(3).tolist()
    [0.1, 0.9]
    """
    p = _prob(p, "p")
    return kraus([np.sqrt(1 - p) * _I, np.sqrt(p) * _X], f"bit_flip({p:g})")


def phase_flip(p: float) -> Channel:
    """Z with probability ``p``.

    Parameters
    ----------
    p : float
        Probability of the phase flip, in [0, 1].

    Returns
    -------
    Channel
        A one-qubit channel with Kraus operators :math:`\\sqrt{1-p}\\,I` and :math:`\\sqrt{p}\\,Z`,
        named ``"phase_flip(p)"``.

    Raises
    ------
    QuantumError
        If ``p`` is not a number in [0, 1].

    Examples
    --------
    >>> from workbench.quantum import Circuit, NoiseModel, phase_flip, simulate_density
    >>> r = simulate_density(Circuit(1).h(0), NoiseModel().add(phase_flip(0.1), ["h"]))
    >>> round(r.expectation("X"), 3)
    0.8
    """
    p = _prob(p, "p")
    return kraus([np.sqrt(1 - p) * _I, np.sqrt(p) * _Z], f"phase_flip({p:g})")


@dataclass
class NoiseModel:
    """Channels after gates and readout errors on measurements.

    Fill it with the chainable :meth:`add` and :meth:`readout` rather than by hand: they check
    the names and probabilities.

    Parameters
    ----------
    gate_errors : dict, optional
        Gate name -> list of :class:`Channel` applied, in order, right after every such gate
        (default: an empty dict, no gate noise).
    readout_errors : dict, optional
        Qubit (or ``None`` for every qubit without an entry of its own) -> ``(p01, p10)``, the
        probabilities of reading 1 for a 0 and 0 for a 1 (default: an empty dict, exact readout).

    See Also
    --------
    simulate_density : Exact evolution of the density matrix under the model.
    run_trajectories : Monte Carlo trajectories under the model.

    Examples
    --------
    >>> nm = NoiseModel().add(depolarizing(0.01), ["h", "rx"]).add(depolarizing(0.05, 2), ["cx"]).readout(0.02)
    >>> sorted(nm.gate_errors)
    ['cx', 'h', 'rx']
    """

    gate_errors: dict = field(default_factory=dict)  # gate name -> list of Channel
    readout_errors: dict = field(default_factory=dict)  # qubit (or None = all) -> (p01, p10)

    def add(self, channel: Channel, gates, *, custom: bool = False) -> NoiseModel:
        """Apply ``channel`` after every gate named in ``gates``. A 1-qubit channel on a wider gate
        acts on each of its qubits; otherwise the channel must have the gate's width.

        Names must be gates of :data:`~workbench.quantum.gates.GATES` (or ``"unitary"``), so that
        a typo cannot leave a circuit silently noiseless; ``custom=True`` allows the names given to
        ``Circuit.unitary(..., name=...)``.

        Parameters
        ----------
        channel : Channel
            The channel to apply.
        gates : str or iterable of str
            A gate name or several.
        custom : bool, default False
            Accept names outside :data:`~workbench.quantum.gates.GATES` (custom unitaries).

        Returns
        -------
        NoiseModel
            This model (changed in place), so that calls chain.

        Raises
        ------
        QuantumError
            If ``channel`` is not a :class:`Channel`, ``gates`` is neither a name nor an iterable of
            names, or a name is empty, not a string, or (without ``custom``) not a known gate. A
            channel whose width does not fit a gate is refused later, when a circuit is simulated.
        """
        from .gates import GATES

        if not isinstance(channel, Channel):
            raise QuantumError(f"add() needs a Channel (depolarizing(...), kraus([...]), ...), got {channel!r}")
        names = [gates] if isinstance(gates, str) else gates
        try:
            names = list(names)
        except TypeError:
            raise QuantumError(f"gates must be a gate name or a list of them, got {gates!r}") from None
        for g in names:
            if not isinstance(g, str) or not g or (not custom and g not in GATES and g != "unitary"):
                raise QuantumError(
                    f"unknown gate name {g!r} for a noise model; known: {sorted(GATES)} and 'unitary' "
                    "(custom=True allows the names of Circuit.unitary(..., name=...))"
                )
        for g in names:
            self.gate_errors.setdefault(g, []).append(channel)
        return self

    def readout(self, p01: float, p10: float | None = None, qubits=None) -> NoiseModel:
        """Read 1 for a 0 with probability ``p01`` and 0 for a 1 with ``p10`` (default: same).

        Parameters
        ----------
        p01 : float
            Probability of reading 1 when the qubit is 0, in [0, 1].
        p10 : float or None, default None
            Probability of reading 0 when the qubit is 1, in [0, 1]; ``None`` uses ``p01``.
        qubits : int, iterable of int or None, default None
            The qubits with this error; ``None`` sets it for every qubit without an entry of its own.

        Returns
        -------
        NoiseModel
            This model (changed in place), so that calls chain.

        Raises
        ------
        QuantumError
            If ``p01`` or ``p10`` is not a number in [0, 1].
        """
        p10 = p01 if p10 is None else p10
        pair = (_prob(p01, "p01"), _prob(p10, "p10"))
        for q in [None] if qubits is None else ([qubits] if isinstance(qubits, int) else qubits):
            self.readout_errors[q] = pair
        return self

    def channels_after(self, op: Op) -> list[tuple[Channel, tuple]]:
        """(channel, qubits) pairs to apply after ``op``.

        Parameters
        ----------
        op : Op
            A gate of a circuit.

        Returns
        -------
        list of tuple
            ``(Channel, qubits)`` pairs in the order to apply them: a channel as wide as the gate
            acts on the gate's qubits, a one-qubit channel on each of them in turn. Empty when the
            gate's name has no channel.

        Raises
        ------
        QuantumError
            If a channel on more than one qubit does not have the gate's width.
        """
        out = []
        for ch in self.gate_errors.get(op.name, []):
            if ch.n_qubits == len(op.qubits):
                out.append((ch, op.qubits))
            elif ch.n_qubits == 1:
                out.extend((ch, (q,)) for q in op.qubits)
            else:
                raise QuantumError(
                    f"a {ch.n_qubits}-qubit channel cannot follow the {len(op.qubits)}-qubit gate {op.name}"
                )
        return out

    def confusion(self, q: int) -> np.ndarray | None:
        """The 2x2 matrix P(read | true) of qubit ``q``, or None without readout error.

        Parameters
        ----------
        q : int
            The qubit.

        Returns
        -------
        numpy.ndarray or None
            ``m[read, true]`` = ``[[1 - p01, p10], [p01, 1 - p10]]`` (columns sum to 1), from the
            qubit's own entry or else the entry for every qubit; ``None`` if neither exists.
        """
        pair = self.readout_errors.get(q, self.readout_errors.get(None))
        if pair is None:
            return None
        p01, p10 = pair
        return np.array([[1 - p01, p10], [p01, 1 - p10]])

    def to_qiskit(self):
        """The same model as a ``qiskit_aer.noise.NoiseModel`` (for cross-checks).

        Needs ``qiskit-aer``. A one-qubit channel is tensored to the width of each library gate
        it is attached to (:data:`~workbench.quantum.GATES`); other names are taken to act on one
        qubit.

        Returns
        -------
        qiskit_aer.noise.NoiseModel
            Kraus errors on every qubit for each gate name, and the readout errors.
        """
        from qiskit_aer.noise import NoiseModel as AerNoise
        from qiskit_aer.noise import ReadoutError, kraus_error

        nm = AerNoise()
        for g, chans in self.gate_errors.items():
            for ch in chans:
                err = kraus_error(list(ch.ops))
                width = GATES[g].n_qubits if g in GATES else 1
                while err.num_qubits < width:
                    err = err.tensor(kraus_error(list(ch.ops)))
                nm.add_all_qubit_quantum_error(err, [g])
        for q, (p01, p10) in self.readout_errors.items():
            ro = ReadoutError([[1 - p01, p01], [p10, 1 - p10]])
            if q is None:
                nm.add_all_qubit_readout_error(ro)
            else:
                nm.add_readout_error(ro, [q])
        return nm


def _apply_readout(probs: np.ndarray, n_bits: int, noise: NoiseModel | None, qubit_of_bit) -> np.ndarray:
    """Push a distribution over classical bit strings through each bit's confusion matrix."""
    if noise is None or not noise.readout_errors:
        return probs
    t = probs.reshape((2,) * n_bits)
    for b in range(n_bits):
        m = noise.confusion(qubit_of_bit[b])
        if m is None:
            continue
        axis = n_bits - 1 - b
        t = np.moveaxis(np.tensordot(m, t, axes=([1], [axis])), 0, axis)
    return t.reshape(-1)


# --- density matrices ------------------------------------------------------------------------


def _density_ops(circuit: Circuit, noise: NoiseModel | None) -> list[Op]:
    circuit.check()
    n = circuit.n_qubits
    out: list[Op] = []
    P0 = np.array([[1, 0], [0, 0]], complex)
    P1 = np.array([[0, 0], [0, 1]], complex)
    for op in circuit.ops:
        if op.kind == "barrier":
            continue
        if op.kind == "gate" and op.condition is not None:
            raise QuantumError(
                "classically conditioned gates need run_trajectories (the density-matrix "
                "method averages over measurement outcomes)"
            )
        if op.kind == "gate":
            m = op.matrix()
            out.append(Op("gate", "unitary", op.qubits, base=m))
            out.append(Op("gate", "unitary", tuple(q + n for q in op.qubits), base=m.conj()))
            for ch, qs in noise.channels_after(op) if noise else []:
                out.append(Op("gate", "unitary", tuple(qs) + tuple(q + n for q in qs), base=ch.superoperator()))
        elif op.kind == "measure":  # unrecorded projective measurement = full dephasing
            q = op.qubits[0]
            ch = Channel("measure", (P0, P1))
            out.append(Op("gate", "unitary", (q, q + n), base=ch.superoperator()))
        elif op.kind == "reset":
            q = op.qubits[0]
            ch = Channel("reset", (P0, np.array([[0, 1], [0, 0]], complex)))
            out.append(Op("gate", "unitary", (q, q + n), base=ch.superoperator()))
    return out


@dataclass
class DensityResult(Result):
    """A density matrix (``rho``, 2**n x 2**n) with helpers; ``summary()`` one row (qubits, purity), frame
    ``distribution()`` (the diagonal), ``params`` the inputs.

    Returned by :func:`simulate_density`.

    Parameters
    ----------
    vec : numpy.ndarray
        The density matrix as a complex vector of :math:`4^n` entries, index ``row | col << n``.
    n_qubits : int, default 0
        Qubits of the register.
    circuit : Circuit, default None
        The circuit that was simulated (its measurements define :meth:`measured_probabilities`).
    noise : NoiseModel or None, default None
        The noise model used (its readout errors enter :meth:`measured_probabilities`).
    params : dict, optional
        The inputs of the run: ``circuit``, ``noise`` and ``fusion`` (default: an empty dict).

    Examples
    --------
    >>> from workbench.quantum import Circuit, NoiseModel, depolarizing, simulate_density
    >>> r = simulate_density(Circuit(2).h(0).cx(0, 1), NoiseModel().add(depolarizing(0.1), ["h"]))
    >>> r.rho.shape, round(r.purity(), 3), round(r.expectation("ZZ"), 3)
    ((4, 4), 0.905, 1.0)
    """

    vec: np.ndarray = field(repr=False)
    n_qubits: int = 0
    circuit: Circuit = field(default=None, repr=False)
    noise: NoiseModel | None = field(default=None, repr=False)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("distribution",)

    def summary(self) -> pd.DataFrame:
        """One row: qubits and the purity Tr(rho^2).

        Returns
        -------
        pandas.DataFrame
            Columns ``n_qubits`` and ``purity``.
        """
        return one_row(n_qubits=self.n_qubits, purity=self.purity())

    def distribution(self) -> pd.DataFrame:
        """Probability of every basis state (the diagonal of rho).

        Returns
        -------
        pandas.DataFrame
            Columns ``state`` (the basis-state index, qubit 0 the least significant bit) and
            ``probability``, one row per basis state.
        """
        p = self.probabilities()
        return pd.DataFrame({"state": np.arange(p.size), "probability": p})

    @property
    def rho(self) -> np.ndarray:
        """The density matrix.

        Returns
        -------
        numpy.ndarray
            A complex :math:`2^n \\times 2^n` matrix (a view of ``vec``, not a copy).
        """
        d = 1 << self.n_qubits
        return self.vec.reshape(d, d).T  # vec index = row | col << n

    def probabilities(self) -> np.ndarray:
        """Probability of every basis state: the real diagonal of rho, negative rounding clipped to 0.

        Returns
        -------
        numpy.ndarray
            :math:`2^n` probabilities, indexed by basis state (qubit 0 the least significant bit).
        """
        d = 1 << self.n_qubits
        return np.clip(self.vec[:: d + 1].real, 0, None)

    def purity(self) -> float:
        """The purity :math:`\\mathrm{Tr}(\\rho^2)`.

        Returns
        -------
        float
            1 for a pure state, down to :math:`2^{-n}` for the maximally mixed state.
        """
        return float(np.vdot(self.vec, self.vec).real)

    def fidelity(self, psi: np.ndarray) -> float:
        """<psi|rho|psi> against a pure state.

        Parameters
        ----------
        psi : numpy.ndarray
            A normalised state vector of :math:`2^n` amplitudes.

        Returns
        -------
        float
            The fidelity, in [0, 1] for a normalised ``psi``.
        """
        return float(np.vdot(psi, self.rho @ psi).real)

    def expectation(self, observable) -> float:
        """:math:`\\mathrm{Tr}(\\rho O)` for a Pauli sum, without building its matrix.

        Parameters
        ----------
        observable : str, dict, list of tuple or qiskit.quantum_info.SparsePauliOp
            A Pauli label (``"XZ"``: leftmost = highest qubit), a dict label -> coefficient, a list
            of ``(label, coefficient)`` pairs, or a ``SparsePauliOp``; labels of ``n_qubits``
            characters from I, X, Y, Z.

        Returns
        -------
        float
            The real part of the expectation value.

        Raises
        ------
        QuantumError
            If a label does not have ``n_qubits`` characters from I, X, Y, Z.
        """
        total = 0.0
        for coeff, x, z, ny in pauli_terms(observable, self.n_qubits):
            total += (coeff * _kernels.expect_pauli_density(self.vec, self.n_qubits, np.int64(x), np.int64(z), ny)).real
        return float(total)

    def measured_probabilities(self) -> dict:
        """Distribution of the classical bits (terminal measurements), readout error included.

        Each classical bit takes the final value of the qubit last measured into it, so the
        measurements are assumed to be terminal.

        Returns
        -------
        dict
            Bit string (``n_clbits`` characters, classical bit 0 rightmost) -> probability; strings
            with a probability of at most 1e-15 are left out.

        Raises
        ------
        QuantumError
            If the circuit measures nothing.
        """
        pairs = [(op.qubits[0], op.clbits[0]) for op in self.circuit.ops if op.kind == "measure"]
        if not pairs:
            raise QuantumError("the circuit measures nothing")
        nc = self.circuit.n_clbits
        p = self.probabilities()
        idx = np.arange(p.size)
        key = np.zeros_like(idx)
        qubit_of_bit = {}
        for q, c in pairs:
            key = (key & ~(1 << c)) | (((idx >> q) & 1) << c)
            qubit_of_bit[c] = q
        dist = np.bincount(key, weights=p, minlength=1 << nc)
        dist = _apply_readout(dist, nc, self.noise, [qubit_of_bit.get(b, b) for b in range(nc)])
        return {format(i, f"0{nc}b"): float(v) for i, v in enumerate(dist) if v > 1e-15}


def simulate_density(circuit: Circuit, noise: NoiseModel | None = None, *, fusion: int = 4) -> DensityResult:
    """Evolve the density matrix of a (noisy) circuit exactly.

    Measurements act as dephasing (outcomes averaged; read them with
    :meth:`DensityResult.measured_probabilities`), resets as the reset channel.

    Parameters
    ----------
    circuit : Circuit
        Gates, measurements and resets on at most :data:`MAX_DENSITY_QUBITS` (13) qubits, every
        parameter bound, no classically conditioned gate.
    noise : NoiseModel or None, default None
        Channels applied after the gates (readout errors enter only
        :meth:`DensityResult.measured_probabilities`); ``None`` simulates the ideal circuit.
    fusion : int, default 4
        Largest fused block in qubits of the doubled register, in [0, 6] (0 or 1 turns fusion off).

    Returns
    -------
    DensityResult
        The final density matrix (``rho``, ``probabilities()``, ``purity()``, ``expectation()``,
        ``measured_probabilities()``).

    Raises
    ------
    QuantumError
        If ``circuit`` is not a :class:`Circuit` or has more than :data:`MAX_DENSITY_QUBITS` qubits,
        ``fusion`` is not an integer in [0, 6], a parameter is unbound, an operation is out of the
        circuit's registers, the circuit has a classically conditioned gate (use
        :func:`run_trajectories`), or a channel does not fit a gate's width.
    TooManyQubitsError
        If the :math:`4^n` entries would not fit in memory.

    See Also
    --------
    run_trajectories : The Monte Carlo method, for larger registers and conditioned gates.

    Examples
    --------
    >>> qc = Circuit(1).x(0)
    >>> r = simulate_density(qc, NoiseModel().add(amplitude_damping(0.25), ["x"]))
    >>> r.probabilities().round(3).tolist()
    [0.25, 0.75]
    """
    if not isinstance(circuit, Circuit):
        raise QuantumError(f"simulate_density needs a workbench Circuit, got {type(circuit).__name__}")
    fusion = check("fusion", fusion, Int(0, 6), QuantumError)
    n = circuit.n_qubits
    if n > MAX_DENSITY_QUBITS:
        raise QuantumError(
            f"the density-matrix method is limited to {MAX_DENSITY_QUBITS} qubits "
            f"(4**n entries); use run_trajectories for {n} qubits"
        )
    check_memory(2 * n)
    if any(not op.bound for op in circuit.ops):
        raise QuantumError(f"bind the circuit's parameters {circuit.parameters} first")
    vec = np.zeros(1 << (2 * n), complex)
    vec[0] = 1
    ops = _density_ops(circuit, noise)
    if ops:
        blocks = fuse(ops, fusion) if fusion >= 2 else [Block(tuple(sorted(o.qubits)), [o]) for o in ops]
        _Program(blocks, np.complex128).run(vec)
    if circuit.global_phase:
        pass  # rho is invariant under a global phase
    return DensityResult(vec, n, circuit, noise, {"circuit": circuit, "noise": noise, "fusion": fusion})


# --- trajectories ------------------------------------------------------------------------------


@dataclass
class TrajectoryResult(Result):
    """Outcome of :func:`run_trajectories`: counts, and the observable's mean and standard error;
    ``summary()`` one row, frame ``counts_frame()``, ``params`` the inputs.

    Parameters
    ----------
    counts : dict
        Measured bit string (classical bit 0 rightmost) -> trajectories that read it, sorted by bit
        string; empty when an observable was measured or the circuit has no classical bits.
    values : numpy.ndarray
        The observable's value in each trajectory (empty without an observable).
    n_trajectories : int, default 0
        Trajectories run.
    params : dict, optional
        The inputs of the run: ``circuit``, ``noise``, ``trajectories``, ``observable``, ``seed``
        and ``dtype`` (default: an empty dict).

    Examples
    --------
    >>> from workbench.quantum import Circuit, NoiseModel, bit_flip, run_trajectories
    >>> qc = Circuit(1).x(0).measure_all()
    >>> r = run_trajectories(qc, NoiseModel().add(bit_flip(0.1), ["x"]), trajectories=50, seed=0)
    >>> r.n_trajectories, sum(r.counts.values()), sorted(r.counts)
    (50, 50, ['0', '1'])
    """

    counts: dict
    values: np.ndarray = field(repr=False)
    n_trajectories: int = 0
    params: dict = field(default_factory=dict, repr=False)
    frames = ("counts_frame",)

    def summary(self) -> pd.DataFrame:
        """One row: trajectories, the observable's mean and its standard error (NaN without one).

        Returns
        -------
        pandas.DataFrame
            Columns ``trajectories``, ``mean`` and ``stderr``.
        """
        return one_row(trajectories=self.n_trajectories, mean=self.mean, stderr=self.stderr)

    def counts_frame(self) -> pd.DataFrame:
        """Measured bit strings and how many trajectories gave each.

        Returns
        -------
        pandas.DataFrame
            Columns ``bits`` (classical bit 0 rightmost) and ``count``, sorted by bit string.
        """
        return pd.DataFrame({"bits": list(self.counts), "count": list(self.counts.values())})

    @property
    def mean(self) -> float:
        """The observable's mean over the trajectories.

        Returns
        -------
        float
            The mean of ``values``; NaN without an observable.
        """
        return float(self.values.mean()) if self.values.size else float("nan")

    @property
    def stderr(self) -> float:
        """The standard error of :attr:`mean`.

        Returns
        -------
        float
            The sample standard deviation of ``values`` (``ddof=1``) over the square root of their
            number; NaN with fewer than two values.
        """
        v = self.values
        return float(v.std(ddof=1) / np.sqrt(v.size)) if v.size > 1 else float("nan")


def _program_for(m, qubits, dt):
    return _Program([Block(tuple(qubits), [Op("gate", "unitary", tuple(qubits), base=m)])], dt)


@dataclass
class _ChannelStep:
    channel: Channel
    qubits: tuple
    programs: list  # one per Kraus operator (None for a multiple of the identity)
    weights: np.ndarray | None  # fixed probabilities of a unitary mixture

    @classmethod
    def build(cls, ch: Channel, qubits, dt):
        mix = ch.unitary_mixture
        weights = np.array([(k.conj().T @ k)[0, 0].real for k in ch.ops]) if mix else None
        progs = []
        for i, k in enumerate(ch.ops):
            m = k / np.sqrt(weights[i]) if mix and weights[i] > 0 else k
            progs.append(
                None if np.allclose(m, np.eye(m.shape[0]), rtol=0.0, atol=1e-14) else _program_for(m, qubits, dt)
            )
        return cls(ch, tuple(qubits), progs, weights)

    def apply(self, psi, rng):
        w = self.weights
        if w is None:
            qs = np.array(self.qubits, np.int64)
            rho = _kernels.reduced_density(psi, qs, np.sort(qs))
            w = np.array([np.trace(k @ rho @ k.conj().T).real for k in self.channel.ops])
        w = np.clip(w, 0, None)
        i = min(int(np.searchsorted(np.cumsum(w), rng.random() * w.sum(), side="right")), len(w) - 1)
        if self.programs[i] is not None:
            self.programs[i].run(psi)
        if self.weights is None:
            psi /= np.sqrt(w[i])


def _trajectory_plan(circuit: Circuit, noise: NoiseModel | None, dt) -> list:
    circuit.check()
    plan: list = []
    run: list[Op] = []

    def flush():
        if run:
            plan.append(("gates", _Program(fuse(list(run), 4), dt)))
            run.clear()

    for op in circuit.ops:
        if op.kind == "gate" and op.condition is not None:
            flush()
            plan.append(("cond", (op, _Program([Block(tuple(sorted(op.qubits)), [op])], dt))))
            for ch, qs in noise.channels_after(op) if noise else []:
                plan.append(("cond_channel", (op, _ChannelStep.build(ch, qs, dt))))
        elif op.kind == "gate":
            run.append(op)
            chans = noise.channels_after(op) if noise else []
            if chans:
                flush()
                plan.extend(("channel", _ChannelStep.build(ch, qs, dt)) for ch, qs in chans)
        elif op.kind in ("measure", "reset"):
            flush()
            plan.append((op.kind, op))
    flush()
    return plan


def run_trajectories(
    circuit: Circuit,
    noise: NoiseModel | None = None,
    *,
    trajectories: int = 200,
    observable=None,
    seed=None,
    dtype="complex128",
    progress: bool = False,
) -> TrajectoryResult:
    """Monte Carlo wave-function simulation: ``trajectories`` noisy runs of the circuit.

    Each run samples one Kraus operator after every noisy gate, measures mid-circuit, and
    reads the classical bits at the end (readout error applied); with ``observable`` (a Pauli
    sum) each run also records <psi|O|psi> of its final state (measurements removed first).

    Parameters
    ----------
    circuit : Circuit
        Gates, measurements, resets and classically conditioned gates, every parameter bound.
    noise : NoiseModel or None, default None
        Channels after the gates and readout errors on each measurement (a misread bit is also
        what a later conditioned gate sees); ``None`` runs the ideal circuit.
    trajectories : int, default 200
        Runs of the circuit, in [1, 10**7].
    observable : str, dict, list of tuple, qiskit.quantum_info.SparsePauliOp or None, default None
        A Pauli sum (as :func:`~workbench.quantum.statevector.expectation` takes it) measured on each
        final state; the circuit's measurements are then removed and no counts are kept.
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream (Kraus draws and measurement outcomes); the same seed gives the
        same result.
    dtype : {"complex128", "complex64"}, default "complex128"
        Precision of the state vector.
    progress : bool, default False
        Show a ``tqdm`` progress bar over the trajectories.

    Returns
    -------
    TrajectoryResult
        ``counts`` (bit string -> trajectories), ``values`` with ``mean`` and ``stderr`` of the
        observable, ``summary()`` and ``counts_frame()``.

    Raises
    ------
    QuantumError
        If ``trajectories`` is not an integer in [1, 10**7], a parameter is unbound, ``dtype`` is
        not one of the two allowed, an operation is out of the circuit's registers, a channel does
        not fit a gate's width, or a label of ``observable`` is malformed.
    TooManyQubitsError
        If the state vector would not fit in memory.
    QuantumError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    See Also
    --------
    simulate_density : The exact density-matrix method (up to 13 qubits).

    Examples
    --------
    >>> qc = Circuit(1).x(0).measure_all()
    >>> r = run_trajectories(qc, NoiseModel().add(bit_flip(0.5), ["x"]), trajectories=400, seed=1)
    >>> 150 < r.counts["0"] < 250
    True
    >>> r = run_trajectories(Circuit(1).h(0), trajectories=20, observable="X", seed=0)
    >>> round(r.mean, 3), r.counts
    (1.0, {})
    """
    from tqdm.auto import tqdm

    if not isinstance(circuit, Circuit):
        raise QuantumError(f"run_trajectories needs a workbench Circuit, got {type(circuit).__name__}")
    trajectories = check("trajectories", trajectories, Int(1, 10**7), QuantumError)
    if any(not op.bound for op in circuit.ops):
        raise QuantumError(f"bind the circuit's parameters {circuit.parameters} first")
    from .statevector import _dtype

    dt = _dtype(dtype)
    n = circuit.n_qubits
    check_memory(n, dt)
    rng = make_rng(seed, error=QuantumError)
    base = circuit if observable is None else circuit.without_measurements()
    counts: dict = {}
    values = []
    nc = circuit.n_clbits
    it = range(trajectories)
    if progress:
        it = tqdm(it, desc="trajectories")
    plan = _trajectory_plan(base, noise, dt)
    for _ in it:
        psi = np.zeros(1 << n, dt)
        psi[0] = 1
        clbits = np.zeros(nc, np.int8)
        for kind, step in plan:
            if kind == "gates":
                step.run(psi)
            elif kind == "channel":
                step.apply(psi, rng)
            elif kind in ("cond", "cond_channel"):
                op, action = step
                if condition_holds(op, clbits):
                    action.run(psi) if kind == "cond" else action.apply(psi, rng)
            else:
                q = step.qubits[0]
                out = measure_qubit(psi, q, rng, reset=kind == "reset")
                if kind == "measure":
                    read = out
                    m = noise.confusion(q) if noise else None
                    if m is not None and rng.random() < m[1 - out, out]:
                        read = 1 - out
                    clbits[step.clbits[0]] = read
        if observable is not None:
            from .statevector import expectation

            values.append(expectation(psi, observable))
        if nc and observable is None:
            key = "".join(str(int(b)) for b in clbits[::-1])
            counts[key] = counts.get(key, 0) + 1
    return TrajectoryResult(
        dict(sorted(counts.items())),
        np.array(values),
        trajectories,
        {
            "circuit": circuit,
            "noise": noise,
            "trajectories": trajectories,
            "observable": observable,
            "seed": seed,
            "dtype": dtype,
        },
    )
