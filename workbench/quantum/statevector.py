r"""State-vector simulation: fused gate programs, measurement, sampling and Pauli expectations.

The state of ``n`` qubits is a vector of :math:`2^n` complex amplitudes (complex128 by
default, complex64 on request: half the memory and bandwidth, about 7 significant digits).
A circuit is cut at its measurements and resets; each stretch of gates is fused
(:mod:`~workbench.quantum.fusion`) and run as one compiled program.

Expectation values of Pauli strings never build a matrix:

.. math::

    \langle\psi|P|\psi\rangle = i^{n_Y} \sum_j (-1)^{|j \wedge z|}\, \overline{\psi_{j \oplus x}}\, \psi_j

where ``x`` marks the qubits with X or Y and ``z`` those with Z or Y.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import Int, available_memory, check, make_rng
from ..errors import check_memory as check_memory_bytes
from ..results import Result, one_row
from . import _kernels
from .circuit import Circuit, Op, QuantumError, TooManyQubitsError, UnboundParameterError
from .fusion import Block, block_diagonal, block_matrix, fuse

__all__ = [
    "simulate",
    "SimResult",
    "statevector",
    "bloch_vectors",
    "sample_counts",
    "expectation",
    "pauli_terms",
    "available_memory",
    "MAX_QUBITS",
]

#: the largest register the simulator will try (2**34 complex64 amplitudes = 128 GiB)
MAX_QUBITS = 34
_DTYPES = {"complex128": np.complex128, "complex64": np.complex64}


def _threads(threads) -> int:
    import numba

    from ..errors import check_int

    most = numba.config.NUMBA_NUM_THREADS
    t = check_int("threads", threads, minimum=1, error=QuantumError)
    if t > most:
        raise QuantumError(f"threads must be between 1 and {most} (numba's thread count on this machine), got {t}")
    return t


def _dtype(dtype):
    try:
        key = np.dtype(dtype).name if not isinstance(dtype, str) else dtype
    except TypeError:
        key = None
    if key not in _DTYPES:
        raise QuantumError(f"dtype must be one of {sorted(_DTYPES)}, got {dtype!r}")
    return _DTYPES[key]


def check_memory(n_qubits: int, dtype=np.complex128, copies: int = 1) -> int:
    """Bytes a state of ``n_qubits`` needs; raises :class:`TooManyQubitsError` if it would not fit."""
    item = np.dtype(dtype).itemsize
    if n_qubits > MAX_QUBITS:
        raise TooManyQubitsError(f"{n_qubits} qubits is beyond this simulator (at most {MAX_QUBITS})")
    need = copies * (item << n_qubits)
    avail = available_memory()
    if need > 0.9 * avail:
        gib = need / 2**30
        raise TooManyQubitsError(
            f"a {n_qubits}-qubit {np.dtype(dtype).name} state needs {gib:.1f} GiB but only "
            f"{avail / 2**30:.1f} GiB is available; use fewer qubits or dtype='complex64'"
        )
    return need


class _Program:
    """Flat arrays for :func:`_kernels.run_program`."""

    def __init__(self, blocks: list[Block], dtype):
        kinds, mats, mat_off, tq, tq_off, gaps, gap_off, cvals, cmasks = [], [], [0], [], [0], [], [0], [], []
        pos = 0
        for blk in blocks:
            if len(blk.ops) == 1:
                op = blk.ops[0]
                ctrl, targ = op.qubits[: op.n_controls], op.qubits[op.n_controls :]
                cmask = sum(1 << q for q in ctrl)
                if op.name == "swap" or (op.name == "cswap"):
                    data = np.zeros(1, dtype)  # no matrix: the kernel exchanges the two qubits
                    kind = 2
                elif op.diagonal:
                    data = np.diag(op.target_matrix())
                    kind = 1
                else:
                    data = op.target_matrix().ravel()
                    kind = 0
                touched = sorted(op.qubits)
            else:
                targ, cmask = blk.qubits, 0
                touched = list(blk.qubits)
                if blk.diagonal:
                    data, kind = block_diagonal(blk), 1
                else:
                    data, kind = block_matrix(blk).ravel(), 0
            kinds.append(kind)
            mats.append(np.asarray(data, dtype=dtype))
            pos += data.size
            mat_off.append(pos)
            tq.extend(targ)
            tq_off.append(len(tq))
            gaps.extend(touched)
            gap_off.append(len(gaps))
            cvals.append(cmask)
            cmasks.append(cmask)
        self.n = len(kinds)
        flat = np.concatenate(mats) if mats else np.zeros(0, dtype)
        self.args = (
            np.array(kinds, np.int64),
            flat,
            np.ascontiguousarray(flat.real),
            np.ascontiguousarray(flat.imag),
            np.array(mat_off[:-1], np.int64),
            np.array(tq, np.int64),
            np.array(tq_off, np.int64),
            np.array(gaps, np.int64),
            np.array(gap_off, np.int64),
            np.array(cvals, np.int64),
            np.array(cmasks, np.int64),
        )

    def run(self, psi, threads: int = 1):
        if self.n:
            if threads > 1:
                _kernels.run_program_threads(psi, psi.view(psi.real.dtype), *self.args, threads)
            else:
                _kernels.run_program(psi, psi.view(psi.real.dtype), *self.args)


def _segments(circuit: Circuit):
    """Split the circuit at measurements and resets; yield ("gates", program-blocks) or the op."""
    run: list[Op] = []
    circuit.check()
    for op in circuit.ops:
        if op.kind == "gate" and op.condition is not None:
            if run:
                yield "gates", run
                run = []
            yield "cond", op
        elif op.kind == "gate":
            if not op.bound:
                raise UnboundParameterError(
                    f"gate {op.name} on {op.qubits} has unbound parameters {op.params}; "
                    f"call circuit.bind({{...}}) with values for {circuit.parameters}"
                )
            run.append(op)
        elif op.kind in ("measure", "reset"):
            if run:
                yield "gates", run
                run = []
            yield op.kind, op
    if run:
        yield "gates", run


def measure_qubit(psi: np.ndarray, q: int, rng, reset: bool = False) -> int:
    """Measure qubit ``q`` of ``psi`` in place (Born rule, renormalised); with ``reset`` the qubit is
    then flipped back to |0>. Returns the outcome."""
    p1 = min(max(_kernels.prob_one(psi, q), 0.0), 1.0)
    outcome = int(rng.random() < p1)
    _kernels.collapse(psi, q, outcome, psi.dtype.type(1.0 / np.sqrt(p1 if outcome else 1.0 - p1)))
    if reset and outcome:
        _kernels.flip_to_zero(psi, q)
    return outcome


def condition_holds(op: Op, clbits: np.ndarray) -> bool:
    """Whether a classically conditioned op's bits (first = least significant) read its value."""
    bits, value = op.condition
    return sum(int(clbits[c]) << i for i, c in enumerate(bits)) == value


@dataclass
class SimResult(Result):
    """The final state, the classical bits and what was measured along the way.

    Returned by :func:`simulate`; its frames are :meth:`probability_frame` and :meth:`bloch`.

    Parameters
    ----------
    state : numpy.ndarray
        The final state vector, ``2**n_qubits`` amplitudes (complex128 or complex64), little-endian: bit
        ``q`` of an index is qubit ``q``.
    clbits : numpy.ndarray
        The final classical bits (int8, 0 or 1), bit ``c`` at index ``c``.
    n_qubits : int
        Qubits of the register.
    n_blocks : int, default 0
        Fused gate blocks that ran.
    measurements : list, default []
        ``(qubit, clbit, outcome)`` of every measurement, in the order they ran.
    params : dict, default {}
        The inputs of the run (circuit, dtype, fusion, seed, initial_state, threads).

    Examples
    --------
    >>> from workbench.quantum import Circuit, simulate
    >>> r = simulate(Circuit(2, 1).h(0).cx(0, 1).measure(0, 0), seed=1)
    >>> r.measurements, r.clbits.tolist(), round(r.expectation("ZZ"), 6)
    ([(0, 0, 0)], [0], 1.0)
    """

    state: np.ndarray
    clbits: np.ndarray
    n_qubits: int
    n_blocks: int = 0
    measurements: list = field(default_factory=list)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("probability_frame", "bloch")

    def summary(self) -> pd.DataFrame:
        """One row: qubits, fused blocks run, mid-circuit measurements, the norm of the final state.

        Returns
        -------
        pandas.DataFrame
            Columns ``n_qubits``, ``fused_blocks``, ``measurements`` (how many ran) and ``norm``.
        """
        return one_row(
            n_qubits=self.n_qubits,
            fused_blocks=self.n_blocks,
            measurements=len(self.measurements),
            norm=float(np.linalg.norm(self.state)),
        )

    def probabilities(self, qubits=None) -> np.ndarray:
        """Probabilities of the basis states (over ``qubits`` if given, bit b = qubits[b]).

        Parameters
        ----------
        qubits : sequence of int or None, default None
            Qubits to keep (the others are summed over), distinct, each in ``0..n_qubits - 1``;
            ``None`` keeps them all, in order.

        Returns
        -------
        numpy.ndarray
            float64 probabilities, ``2**n_qubits`` of them (``2**len(qubits)`` with ``qubits``), indexed
            little-endian.

        Raises
        ------
        QubitError
            If a qubit is not an integer in range or appears twice.
        """
        p = np.abs(self.state) ** 2
        if qubits is None:
            return p
        qubits = list(Circuit(self.n_qubits)._qubits(qubits, "probabilities"))
        idx = np.arange(p.size)
        sub = np.zeros_like(idx)
        for b, q in enumerate(qubits):
            sub |= ((idx >> q) & 1) << b
        return np.bincount(sub, weights=p, minlength=1 << len(qubits))

    def probability_frame(self, qubits=None, threshold: float = 0.0) -> pd.DataFrame:
        """Tidy frame: basis state as a bit string (Qiskit order), index, probability, amplitude.

        Parameters
        ----------
        qubits : sequence of int or None, default None
            Qubits to keep, as in :meth:`probabilities`; ``None`` keeps them all and adds the amplitudes.
        threshold : float, default 0.0
            Only basis states with a probability above this are listed.

        Returns
        -------
        pandas.DataFrame
            One row per basis state kept: ``index``, ``bits`` (the last listed qubit leftmost) and
            ``probability``; without ``qubits`` also ``amplitude_re`` and ``amplitude_im``.
        """
        qs = list(range(self.n_qubits)) if qubits is None else list(qubits)
        p = self.probabilities(qs)
        keep = np.flatnonzero(p > threshold)
        frame = pd.DataFrame({"index": keep, "bits": [format(i, f"0{len(qs)}b") for i in keep], "probability": p[keep]})
        if qubits is None:
            frame["amplitude_re"] = self.state.real[keep]
            frame["amplitude_im"] = self.state.imag[keep]
        return frame

    def expectation(self, observable) -> float:
        """<psi|O|psi> for a Pauli sum (dict label -> coefficient, SparsePauliOp, or label).

        Parameters
        ----------
        observable : str, dict, list of tuple or qiskit.quantum_info.SparsePauliOp
            The Pauli sum, in any form :func:`pauli_terms` reads (labels of ``n_qubits`` letters).

        Returns
        -------
        float
            The real part of the expectation value.
        """
        return expectation(self.state, observable)

    def bloch(self) -> pd.DataFrame:
        """Bloch vector (x, y, z) = (<X>, <Y>, <Z>) of every qubit, and its length (1 = pure).

        Returns
        -------
        pandas.DataFrame
            Columns ``qubit``, ``x``, ``y``, ``z`` and ``length``, one row per qubit (see :func:`bloch_vectors`).
        """
        return bloch_vectors(self.state)


def simulate(
    circuit: Circuit, *, dtype="complex128", fusion: int = 4, seed=None, initial_state=None, threads: int = 1
) -> SimResult:
    """Run a circuit on a state vector.

    Parameters
    ----------
    circuit : Circuit
        Gates, measurements and resets; every parameter bound.
    dtype : {"complex128", "complex64"}, default "complex128"
        Precision of the state (a numpy dtype of those names is accepted too); complex64 halves the memory.
    fusion : int, default 4
        Largest fused block in qubits, 0 to 6 (0 or 1 turns fusion off: gates run one by one).
    seed : int, numpy.random.Generator or None, default None
        For mid-circuit measurement and reset outcomes; the same seed gives the same result.
    initial_state : array_like or None, default None
        A normalised vector (within 1e-6) of length 2**n; ``None`` starts from |0...0>.
    threads : int, default 1
        Threads for the fused dense blocks (at most numba's thread count). Two threads
        pay on large registers: see ``benchmarks/RESULTS.md``.

    Returns
    -------
    SimResult
        The final ``state`` (global phase applied), the classical bits ``clbits``, the ``measurements``
        made and ``n_blocks``; frames :meth:`~SimResult.probability_frame` and :meth:`~SimResult.bloch`.

    Raises
    ------
    QuantumError
        If ``circuit`` is not a :class:`Circuit`, or ``dtype``, ``fusion``, ``threads`` or
        ``initial_state`` is invalid.
    TooManyQubitsError
        If the state would have more than :data:`MAX_QUBITS` qubits or not fit in the memory available.
    UnboundParameterError
        If a gate still has a :class:`~workbench.quantum.Parameter` angle.
    QubitError
        If an operation uses a qubit or classical bit out of range.
    QuantumError
        If ``seed`` is not a valid seed.

    Examples
    --------
    >>> from workbench.quantum import Circuit
    >>> r = simulate(Circuit(2).h(0).cx(0, 1))
    >>> r.probabilities().round(3).tolist()
    [0.5, 0.0, 0.0, 0.5]
    """
    if not isinstance(circuit, Circuit):
        raise QuantumError(
            f"simulate needs a workbench.quantum.Circuit, got {type(circuit).__name__} "
            "(use from_qiskit for a qiskit QuantumCircuit)"
        )
    dt = _dtype(dtype)
    fusion = check("fusion (the largest fused block, in qubits)", fusion, Int(0, 6), QuantumError)
    threads = _threads(threads)
    n = circuit.n_qubits
    check_memory(n, dt)
    rng = make_rng(seed, error=QuantumError)
    if initial_state is None:
        psi = np.zeros(1 << n, dt)
        psi[0] = 1
    else:
        psi = np.array(as_state(initial_state, normalised=False), dtype=dt)
        if psi.size != 1 << n:
            raise QuantumError(f"initial_state must have 2**{n} = {1 << n} amplitudes, got {psi.size}")
        norm = np.vdot(psi, psi).real
        if not abs(norm - 1) < 1e-6:
            raise QuantumError(f"initial_state must be normalised, |psi|^2 = {norm:.6g}")
    clbits = np.zeros(circuit.n_clbits, np.int8)
    measured = []
    n_blocks = 0
    for kind, item in _segments(circuit):
        if kind == "gates":
            blocks = fuse(item, fusion) if fusion >= 2 else [Block(tuple(sorted(op.qubits)), [op]) for op in item]
            n_blocks += len(blocks)
            _Program(blocks, dt).run(psi, threads)
            continue
        if kind == "cond":
            if condition_holds(item, clbits):
                _Program([Block(tuple(sorted(item.qubits)), [item])], dt).run(psi)
                n_blocks += 1
            continue
        q = item.qubits[0]
        outcome = measure_qubit(psi, q, rng, reset=kind == "reset")
        if kind == "measure":
            clbits[item.clbits[0]] = outcome
            measured.append((q, item.clbits[0], outcome))
    if circuit.global_phase:
        psi *= dt(np.exp(1j * circuit.global_phase))
    return SimResult(
        psi,
        clbits,
        n,
        n_blocks,
        measured,
        {
            "circuit": circuit,
            "dtype": dtype,
            "fusion": fusion,
            "seed": seed,
            "initial_state": initial_state,
            "threads": threads,
        },
    )


def statevector(circuit: Circuit, **kw) -> np.ndarray:
    """The final state vector of a circuit without measurements (see :func:`simulate`).

    A measurement or reset in the circuit would collapse the state at random (``seed``).

    Parameters
    ----------
    circuit : Circuit
        The circuit, every parameter bound.
    **kw
        Keyword arguments of :func:`simulate`: ``dtype``, ``fusion``, ``seed``, ``initial_state``, ``threads``.

    Returns
    -------
    numpy.ndarray
        The ``2**n_qubits`` amplitudes (complex128, or complex64 with that ``dtype``), little-endian.

    Raises
    ------
    QuantumError
        For the same reasons as :func:`simulate` (and its subclasses, e.g. :class:`TooManyQubitsError`).

    Examples
    --------
    >>> from workbench.quantum import Circuit, statevector
    >>> statevector(Circuit(2).h(0).cx(0, 1)).round(3).tolist()
    [(0.707+0j), 0j, 0j, (0.707+0j)]
    """
    return simulate(circuit, **kw).state


def as_state(state, *, normalised: bool = True) -> np.ndarray:
    """A state vector checked for the kernels: 1-D, length 2**n (n >= 1), finite complex entries and
    (with ``normalised``) unit norm within 1e-6; complex64 stays complex64, anything else becomes
    complex128."""
    try:
        psi = np.asarray(state)
    except (TypeError, ValueError):
        raise QuantumError(f"a state must be an array of amplitudes, got {type(state).__name__}") from None
    if psi.dtype.kind not in "biufc" or psi.dtype.kind == "b":
        raise QuantumError(f"a state must hold numbers, got dtype {psi.dtype}")
    n = psi.size.bit_length() - 1
    if psi.ndim != 1 or psi.size < 2 or psi.size != 1 << n:
        raise QuantumError(f"a state must be a 1-D vector of length 2**n (n >= 1), got shape {psi.shape}")
    psi = np.ascontiguousarray(psi, dtype=np.complex64 if psi.dtype == np.complex64 else np.complex128)
    if not np.isfinite(psi).all():
        raise QuantumError("a state must have finite amplitudes (it holds NaN or inf)")
    if normalised:
        norm = float(np.vdot(psi, psi).real)
        if not abs(norm - 1.0) < 1e-6:
            raise QuantumError(f"a state must be normalised, |psi|^2 = {norm:.6g}")
    return psi


def bloch_vectors(state: np.ndarray) -> pd.DataFrame:
    """Each qubit's Bloch vector from its reduced state (tidy frame: qubit, x, y, z, length).

    Parameters
    ----------
    state : array_like
        A normalised (within 1e-6) state vector of length ``2**n``, ``n >= 1``, little-endian.

    Returns
    -------
    pandas.DataFrame
        One row per qubit: ``qubit``, ``x``, ``y``, ``z`` (the expectations of X, Y and Z) and ``length``
        (1 for a qubit in a pure state, less when it is entangled).

    Raises
    ------
    QuantumError
        If ``state`` is not a finite, normalised vector of length ``2**n``.

    Examples
    --------
    >>> from workbench.quantum import Circuit
    >>> bloch_vectors(statevector(Circuit(2).h(0))).round(6)[["qubit", "x", "z"]].values.tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]]
    """
    state = as_state(state)
    n = state.size.bit_length() - 1
    rows = []
    for q in range(n):
        rho = _kernels.reduced_density(state.astype(np.complex128), np.array([q], np.int64), np.array([q], np.int64))
        x, y, z = 2 * rho[1, 0].real, 2 * rho[1, 0].imag, (rho[0, 0] - rho[1, 1]).real
        rows.append({"qubit": q, "x": x, "y": y, "z": z, "length": float(np.sqrt(x * x + y * y + z * z))})
    return pd.DataFrame(rows)


def _terminal_measurements(circuit: Circuit):
    """(qubit, clbit) pairs if every measurement is final (no gate or reset after it on that qubit)
    and the circuit before them is unitary (no reset: a reset collapses the state differently in
    each run, so one state cannot be sampled for every shot)."""
    done, pairs = set(), []
    for op in circuit.ops:
        if (op.kind == "gate" and op.condition is not None) or op.kind == "reset":
            return None
        if op.kind == "measure":
            done.add(op.qubits[0])
            pairs.append((op.qubits[0], op.clbits[0]))
        elif op.kind in ("gate", "reset") and done & set(op.qubits):
            return None
    return pairs


def sample_counts(circuit: Circuit, shots: int = 1024, *, seed=None, dtype="complex128", fusion: int = 4) -> dict:
    """Counts of classical-bit strings over ``shots`` runs (Qiskit's key order: clbit 0 rightmost).

    When every measurement is terminal the state is computed once and sampled; otherwise
    each shot runs the circuit (mid-circuit measurement, resets).

    Parameters
    ----------
    circuit : Circuit
        A circuit with at least one classical bit, every parameter bound.
    shots : int, default 1024
        Runs sampled, 1 to 10**12 (24 bytes each must fit in memory).
    seed : int, numpy.random.Generator or None, default None
        Seed of the samples and of the mid-circuit outcomes; the same seed gives the same counts.
    dtype : {"complex128", "complex64"}, default "complex128"
        Precision of the state (see :func:`simulate`).
    fusion : int, default 4
        Largest fused block in qubits, 0 to 6 (see :func:`simulate`).

    Returns
    -------
    dict
        Bit string (``n_clbits`` characters, classical bit 0 rightmost) -> count, for the strings seen,
        sorted; the counts sum to ``shots``.

    Raises
    ------
    QuantumError
        If ``circuit`` is not a :class:`Circuit`, ``shots`` is out of range, the circuit has no classical
        bit, or :func:`simulate` refuses it.
    OutOfMemoryError
        If the samples of ``shots`` runs would not fit in memory.
    QuantumError
        If ``seed`` is not a valid seed.

    Examples
    --------
    >>> from workbench.quantum import Circuit
    >>> qc = Circuit(2).h(0).cx(0, 1).measure_all()
    >>> sorted(sample_counts(qc, 1000, seed=1))
    ['00', '11']
    """
    if not isinstance(circuit, Circuit):
        raise QuantumError(f"sample_counts needs a workbench Circuit, got {type(circuit).__name__}")
    shots = check("shots", shots, Int(1, 10**12), QuantumError)
    check_memory_bytes(f"{shots:,} shots", 24.0 * shots)
    rng = make_rng(seed, error=QuantumError)
    nc = circuit.n_clbits
    if nc == 0:
        raise QuantumError("the circuit measures nothing; add measure()/measure_all()")
    pairs = _terminal_measurements(circuit)
    if pairs is not None:
        res = simulate(circuit.without_measurements(), dtype=dtype, fusion=fusion)
        p = np.abs(res.state.astype(np.complex128)) ** 2
        cdf = np.cumsum(p)
        samples = np.searchsorted(cdf, rng.random(shots) * cdf[-1], side="right")
        samples = np.minimum(samples, p.size - 1).astype(np.int64)
        out = np.zeros(shots, np.int64)
        for q, c in pairs:
            bit = (samples >> q) & 1
            out = (out & ~(1 << c)) | (bit << c)
        keys, cnt = np.unique(out, return_counts=True)
        return {format(int(k), f"0{nc}b"): int(v) for k, v in zip(keys, cnt)}
    counts: dict = {}
    for _ in range(shots):
        r = simulate(circuit, dtype=dtype, fusion=fusion, seed=rng)
        key = "".join(str(int(b)) for b in r.clbits[::-1])
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def pauli_terms(observable, n_qubits: int) -> list[tuple[complex, int, int, int]]:
    """Normalise an observable into (coefficient, xmask, zmask, n_y) terms.

    Accepts a label ("XZI", leftmost = highest qubit, Qiskit's order), a dict label -> coefficient,
    a list of (label, coefficient), or a ``qiskit.quantum_info.SparsePauliOp``.

    Parameters
    ----------
    observable : str, dict, list of tuple or qiskit.quantum_info.SparsePauliOp
        The Pauli sum; each label has ``n_qubits`` letters from I, X, Y, Z.
    n_qubits : int
        Qubits the labels must cover.

    Returns
    -------
    list of tuple
        One ``(coefficient, xmask, zmask, n_y)`` per term: the complex coefficient, the bit masks of the
        qubits with X or Y and with Z or Y, and the number of Y.

    Raises
    ------
    QuantumError
        If a label does not have ``n_qubits`` letters from I, X, Y, Z.

    Examples
    --------
    >>> from workbench.quantum import pauli_terms
    >>> pauli_terms({"XZ": 0.5, "YI": 1.0}, 2)
    [((0.5+0j), 2, 1, 0), ((1+0j), 2, 2, 1)]
    """
    if isinstance(observable, str):
        items = [(observable, 1.0)]
    elif isinstance(observable, dict):
        items = list(observable.items())
    elif hasattr(observable, "to_list"):
        items = observable.to_list()
    else:
        items = list(observable)
    out = []
    for label, coeff in items:
        label = str(label)
        if len(label) != n_qubits or set(label) - set("IXYZ"):
            raise QuantumError(f"Pauli label {label!r} must be {n_qubits} characters from I, X, Y, Z")
        x = z = ny = 0
        for q, ch in enumerate(reversed(label)):
            if ch in "XY":
                x |= 1 << q
            if ch in "ZY":
                z |= 1 << q
            ny += ch == "Y"
        out.append((complex(coeff), x, z, ny))
    return out


def expectation(state: np.ndarray, observable) -> float:
    """<psi|O|psi> for a Pauli sum, without building its matrix.

    Parameters
    ----------
    state : array_like
        A state vector of length ``2**n``, ``n >= 1``, little-endian (not renormalised).
    observable : str, dict, list of tuple or qiskit.quantum_info.SparsePauliOp
        The Pauli sum, in any form :func:`pauli_terms` reads (labels of ``n`` letters, leftmost = highest
        qubit).

    Returns
    -------
    float
        The real part of ``<psi|O|psi>``.

    Raises
    ------
    QuantumError
        If ``state`` is not a finite vector of length ``2**n`` or a label does not fit it.

    Examples
    --------
    >>> from workbench.quantum import Circuit
    >>> psi = statevector(Circuit(2).h(0).cx(0, 1))
    >>> round(expectation(psi, {"ZZ": 1.0, "XX": 0.5}), 12)
    1.5
    """
    state = as_state(state, normalised=False)
    n = state.size.bit_length() - 1
    total = 0.0
    for coeff, x, z, ny in pauli_terms(observable, n):
        v = _kernels.expect_pauli(state, np.int64(x), np.int64(z), ny)
        total += (coeff * v).real
    return float(total)
