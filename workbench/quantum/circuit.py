"""The circuit IR: a list of operations on qubits and classical bits, with named errors.

A :class:`Circuit` holds :class:`Op` records (gate, measure, reset, barrier) in program
order. Gates are named (see :data:`~workbench.quantum.gates.GATES`), multi-controlled X
(``mcx``) or arbitrary unitaries (``unitary``, with optional controls). Angles may be
numbers or :class:`Parameter` expressions, bound later with :meth:`Circuit.bind`. Every
method checks its input before anything is stored: qubit indices in range, no qubit used
twice in one gate, matrices of the right shape and unitary.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from numbers import Real

import numpy as np

from ..errors import Int, WorkbenchError, check, is_int, is_real, unknown_name
from ..errors import Real as RealNumber
from .gates import GATES, controlled

__all__ = [
    "QuantumError",
    "QubitError",
    "NotUnitaryError",
    "UnboundParameterError",
    "TooManyQubitsError",
    "Parameter",
    "Op",
    "Circuit",
]


#: Qubits a circuit generator builds gate by gate in Python (simulation is bounded by memory first).
MAX_GENERATED_QUBITS = 1024


class QuantumError(WorkbenchError):
    """Base class of the quantum lab's input errors.

    A :class:`~workbench.errors.WorkbenchError`, hence a :class:`ValueError`; every other error
    class of the lab derives from it.

    Examples
    --------
    >>> from workbench.quantum import Circuit, QuantumError
    >>> try:
    ...     Circuit(1).rx(float("nan"), 0)
    ... except QuantumError as e:
    ...     print(e)
    gate rx: angle must be a finite number, got nan
    """


class QubitError(QuantumError):
    """A qubit (or classical bit) index out of range, or a qubit used twice in one gate.

    Examples
    --------
    >>> from workbench.quantum import Circuit, QubitError
    >>> try:
    ...     Circuit(2).h(5)
    ... except QubitError as e:
    ...     print(e)
    h: qubit 5 is out of range for a 2-qubit circuit (valid: 0..1)
    """


class NotUnitaryError(QuantumError):
    """A matrix that is not square of size 2**k for k qubits, or not unitary.

    Examples
    --------
    >>> from workbench.quantum import Circuit, NotUnitaryError
    >>> try:
    ...     Circuit(1).unitary([[1, 1], [0, 1]], 0)
    ... except NotUnitaryError as e:
    ...     print(e)
    matrix is not unitary: max |U^dagger U - I| = 1 (tolerance 1e-10)
    """


class UnboundParameterError(QuantumError):
    """A circuit with symbolic parameters was simulated before they were bound.

    Examples
    --------
    >>> from workbench.quantum import Circuit, Parameter, UnboundParameterError, simulate
    >>> qc = Circuit(1).rx(Parameter("theta"), 0)
    >>> try:
    ...     simulate(qc)
    ... except UnboundParameterError:
    ...     print("bind first:", qc.parameters)
    bind first: ['theta']
    """


class TooManyQubitsError(QuantumError, MemoryError):
    """A state that would not fit in memory (checked before allocating).

    Also a :class:`MemoryError`. The simulators raise it for more than
    :data:`~workbench.quantum.statevector.MAX_QUBITS` qubits or a state larger than the memory
    available.

    Examples
    --------
    >>> from workbench.quantum import Circuit, TooManyQubitsError, simulate
    >>> try:
    ...     simulate(Circuit(40))
    ... except TooManyQubitsError as e:
    ...     print(e)
    40 qubits is beyond this simulator (at most 34)
    """


@dataclass(frozen=True)
class Parameter:
    """A symbolic angle ``scale * name + offset``; bind it with :meth:`Circuit.bind`.

    Multiplying by a number, adding or subtracting a number, dividing by a number and negating
    give a new :class:`Parameter` with the same ``name``. Frozen (hashable).

    Parameters
    ----------
    name : str
        Name of the symbol; the key of its value in :meth:`Circuit.bind`.
    scale : float, default 1.0
        Factor applied to the bound value.
    offset : float, default 0.0
        Added after scaling (radians when the parameter is an angle).

    Examples
    --------
    >>> g = Parameter("gamma")
    >>> (2 * g).value({"gamma": 0.5})
    1.0
    >>> 2 * g + 0.5
    2*gamma+0.5
    """

    name: str
    scale: float = 1.0
    offset: float = 0.0

    def value(self, values: dict) -> float:
        """The angle ``scale * values[name] + offset``.

        Parameters
        ----------
        values : dict
            Parameter name -> its value (a real number); other names are ignored.

        Returns
        -------
        float
            The value of the expression.

        Raises
        ------
        UnboundParameterError
            If ``values`` has no entry for this parameter's name.
        QuantumError
            If the value bound is not a finite real number, or the resulting angle is not finite.
        """
        if self.name not in values:
            raise UnboundParameterError(f"parameter {self.name!r} is not bound; got values for {sorted(values)}")
        v = values[self.name]
        v = check(f"the value bound to parameter {self.name!r}", v, _FINITE, QuantumError)
        out = self.scale * v + self.offset
        if not np.isfinite(out):
            raise QuantumError(f"parameter {self.name!r} = {v!r} gives the angle {out!r}; angles must be finite")
        return out

    def __mul__(self, k):
        if not isinstance(k, Real):
            return NotImplemented
        return Parameter(self.name, self.scale * float(k), self.offset * float(k))

    __rmul__ = __mul__

    def __neg__(self):
        return self * -1.0

    def __add__(self, k):
        if not isinstance(k, Real):
            return NotImplemented
        return Parameter(self.name, self.scale, self.offset + float(k))

    __radd__ = __add__

    def __sub__(self, k):
        return self + (-k)

    def __truediv__(self, k):
        return self * (1.0 / k)

    def __repr__(self):
        s = self.name if self.scale == 1 else f"{self.scale:g}*{self.name}"
        return s if self.offset == 0 else f"{s}{self.offset:+g}"


@dataclass(frozen=True)
class Op:
    """One operation. ``kind`` is "gate", "measure", "reset" or "barrier".

    For gates: ``name`` (a library gate, "mcx" or "unitary"), ``qubits`` (controls first),
    ``params`` (numbers or :class:`Parameter`), ``n_controls``, ``base`` (the target
    matrix of "unitary"/"mcx") and an optional classical ``condition`` ``(clbits, value)``.
    For measure: ``qubits=(q,)``, ``clbits=(c,)``.

    Usually made by :class:`Circuit`'s methods; an ``Op`` built by hand is checked the same way,
    except for the range of its qubits and bits, which :meth:`Circuit.check` checks. Frozen.

    Parameters
    ----------
    kind : {"gate", "measure", "reset", "barrier"}
        What the operation does.
    name : str
        For a gate: a name of :data:`~workbench.quantum.gates.GATES`, "mcx" or "unitary"; for the
        other kinds a label (the circuit's methods use the kind).
    qubits : tuple of int
        Qubit indices (>= 0, distinct), controls first. A measurement and a reset take one qubit.
    params : tuple of float or Parameter, default ()
        The gate's angles in radians, as many as the library gate takes ("mcx" and "unitary" take none).
    clbits : tuple of int, default ()
        Classical bits (>= 0) written by a measurement, which takes exactly one.
    n_controls : int, default 0
        Leading control qubits of a gate, at most ``len(qubits) - 1``; a library gate must give its own
        count (1 for "cx", 2 for "ccx").
    base : numpy.ndarray or None, default None
        The matrix on the target qubits of an "mcx" or "unitary" gate, ``2**k x 2**k`` for
        ``k = len(qubits) - n_controls >= 1`` targets (required for those two, not compared by ``==``).
    condition : tuple or None, default None
        ``(clbits, value)``: apply the gate only if the classical bits ``clbits`` (a non-empty tuple,
        the first the least significant) read the integer ``value``, ``0 <= value < 2**len(clbits)``.

    Raises
    ------
    QuantumError
        If ``kind`` is unknown, a gate name is unknown, an angle is not finite, the number of qubits,
        angles or controls does not match the gate, ``params`` is not a tuple, or ``condition`` is malformed.
    QubitError
        If ``qubits`` or ``clbits`` is not a tuple of integers >= 0, a qubit appears twice, or a
        measurement or reset does not act on exactly one qubit (and, for a measurement, one bit).
    NotUnitaryError
        If an "mcx" or "unitary" gate has no ``base`` matrix of the right shape.

    Examples
    --------
    >>> from workbench.quantum import Op
    >>> op = Op("gate", "cx", (0, 1), n_controls=1)
    >>> op.bound, op.diagonal, op.matrix().shape
    (True, False, (4, 4))
    """

    kind: str
    name: str
    qubits: tuple
    params: tuple = ()
    clbits: tuple = ()
    n_controls: int = 0
    base: np.ndarray | None = field(default=None, compare=False, repr=False)
    condition: tuple | None = None  # (clbits, value): apply only if those bits read value (clbits[0] = LSB)

    def __post_init__(self):
        # an Op built by hand (or with dataclasses.replace) gets the checks Circuit's methods make,
        # except the range of its qubits, which the circuit checks (Circuit.check)
        if self.kind not in _KINDS:
            raise QuantumError(f"Op kind must be one of {_KINDS}, got {self.kind!r}")
        if not isinstance(self.qubits, tuple) or not all(_is_index(q) for q in self.qubits):
            raise QubitError(f"{self.name}: qubits must be a tuple of integers >= 0, got {self.qubits!r}")
        if len(set(self.qubits)) != len(self.qubits):
            raise QubitError(f"{self.name}: a qubit appears twice in {self.qubits}")
        if not isinstance(self.clbits, tuple) or not all(_is_index(c) for c in self.clbits):
            raise QubitError(f"{self.name}: clbits must be a tuple of integers >= 0, got {self.clbits!r}")
        if not isinstance(self.params, tuple):
            raise QuantumError(f"{self.name}: params must be a tuple, got {type(self.params).__name__}")
        for p in self.params:
            if not isinstance(p, Parameter):
                check(f"{self.name}: an angle (or a Parameter)", p, _FINITE, QuantumError)
        if self.kind == "gate":
            n = len(self.qubits)
            if not _is_index(self.n_controls) or (n and self.n_controls > n - 1):
                raise QuantumError(f"{self.name}: n_controls must be in 0..{max(n - 1, 0)}, got {self.n_controls!r}")
            if self.name in GATES:
                spec = GATES[self.name]
                if n != spec.n_qubits or len(self.params) != spec.n_params or self.n_controls != spec.n_controls:
                    raise QuantumError(
                        f"gate {self.name} acts on {spec.n_qubits} qubit(s) with {spec.n_params} "
                        f"angle(s), got {n} qubit(s) {self.qubits} and {len(self.params)} angle(s)"
                    )
            elif self.name in ("unitary", "mcx"):
                m = self.base
                k = n - self.n_controls
                if not isinstance(m, np.ndarray) or m.shape != (1 << k, 1 << k) or k < 1:
                    raise NotUnitaryError(
                        f"{self.name} on {n} qubit(s) with {self.n_controls} control(s) needs a "
                        f"{1 << max(k, 0)}x{1 << max(k, 0)} base matrix, got "
                        f"{getattr(m, 'shape', type(m).__name__)}"
                    )
                if self.params:
                    raise QuantumError(f"{self.name} takes no angles, got {self.params}")
            else:
                raise unknown_name("gate", self.name, list(GATES) + ["mcx", "unitary"], QuantumError)
        elif self.kind == "measure" and (len(self.qubits) != 1 or len(self.clbits) != 1):
            raise QubitError(
                f"a measurement reads one qubit into one classical bit, got {self.qubits} -> {self.clbits}"
            )
        elif self.kind == "reset" and len(self.qubits) != 1:
            raise QubitError(f"a reset acts on one qubit, got {self.qubits}")
        if self.condition is not None:
            ok = (
                isinstance(self.condition, tuple)
                and len(self.condition) == 2
                and isinstance(self.condition[0], tuple)
                and self.condition[0]
                and all(_is_index(c) for c in self.condition[0])
                and _is_index(self.condition[1])
                and self.condition[1] < 1 << len(self.condition[0])
            )
            if not ok:
                raise QuantumError(
                    f"condition must be ((clbits...), value) with 0 <= value < 2**len(clbits), got {self.condition!r}"
                )

    @property
    def bound(self) -> bool:
        """Whether every angle is a number (no :class:`Parameter` left to bind).

        Returns
        -------
        bool
            ``True`` when ``params`` holds no :class:`Parameter`.
        """
        return not any(isinstance(p, Parameter) for p in self.params)

    @property
    def diagonal(self) -> bool:
        """Whether the gate's matrix is diagonal (a library gate's flag, else read from ``base``).

        Returns
        -------
        bool
            ``True`` for diagonal gates (z, s, t, rz, p, cz, cp, rzz, ...); ``False`` for
            measurements, resets and barriers.
        """
        if self.name in GATES:
            return GATES[self.name].diagonal
        return self.base is not None and _is_diagonal(self.base)

    def target_matrix(self) -> np.ndarray:
        """The matrix on the target qubits (without the controls).

        Returns
        -------
        numpy.ndarray
            A complex ``2**k x 2**k`` matrix for the ``k`` target qubits, little-endian (``base`` itself
            for "mcx" and "unitary").

        Raises
        ------
        QuantumError
            If the operation is not a gate.
        UnboundParameterError
            If an angle is still a :class:`Parameter`.
        """
        if self.kind != "gate":
            raise QuantumError(f"{self.kind} has no matrix")
        if not self.bound:
            raise UnboundParameterError(f"gate {self.name} on {self.qubits} has unbound parameters {self.params}")
        if self.base is not None:
            return self.base
        spec = GATES[self.name]
        if spec.n_controls and spec.base is not None:
            return spec.base(*self.params)
        return spec.matrix(*self.params)

    def matrix(self) -> np.ndarray:
        """The full matrix over ``qubits`` (controls included), little-endian.

        Returns
        -------
        numpy.ndarray
            A complex128 ``2**n x 2**n`` matrix for the gate's ``n`` qubits, controls as the low bits. For a
            library gate it is a cached, read-only array: copy it before writing to it.

        Raises
        ------
        QuantumError
            If the operation is not a gate (a measurement, reset or barrier has no matrix).
        UnboundParameterError
            If an angle is still a :class:`Parameter`.
        """
        if self.kind != "gate":
            raise QuantumError(f"{self.kind} has no matrix")
        if self.base is None and self.bound:
            return _library_matrix(self.name, self.params)
        t = self.target_matrix()
        return controlled(t, self.n_controls) if self.n_controls else t


_KINDS = ("gate", "measure", "reset", "barrier")


def _checked_gate(name: str, qubits: tuple, params: tuple, n_controls: int) -> Op:
    """A library gate whose qubits and angles the circuit has just checked: built without
    running the same checks again in ``Op.__post_init__`` (the hot path of circuit building)."""
    op = object.__new__(Op)
    op.__dict__.update(
        kind="gate",
        name=name,
        qubits=qubits,
        params=params,
        clbits=(),
        n_controls=n_controls,
        base=None,
        condition=None,
    )
    return op


_FINITE = RealNumber()  # an angle, a bound parameter value, the global phase


def _is_index(x) -> bool:
    return is_int(x) and x >= 0


_SELF_INVERSE = {"id", "x", "y", "z", "h", "cx", "cy", "cz", "ch", "swap", "ccx", "ccz", "cswap", "mcx"}
_NEGATE = {"rx", "ry", "rz", "p", "u1", "cp", "cu1", "crx", "cry", "crz", "rxx", "ryy", "rzz", "rzx"}
_PAIRS = {"s": "sdg", "sdg": "s", "t": "tdg", "tdg": "t", "sx": "sxdg", "sxdg": "sx"}


def _inverse_op(op: Op) -> Op:
    """The adjoint of a gate, as a named gate where one exists."""
    if op.name in _SELF_INVERSE:
        return op
    if op.name in _NEGATE:
        return replace(op, params=tuple(-p for p in op.params))
    if op.name in _PAIRS:
        return replace(op, name=_PAIRS[op.name])
    if op.name in ("u", "u3"):
        t, f, lam = op.params
        return replace(op, params=(-t, -lam, -f))
    return Op("gate", "unitary", op.qubits, n_controls=op.n_controls, base=op.target_matrix().conj().T)


@lru_cache(maxsize=4096)
def _library_matrix(name: str, params: tuple) -> np.ndarray:
    m = GATES[name].matrix(*params)
    m.setflags(write=False)
    return m


def _is_diagonal(m):
    return np.count_nonzero(m - np.diag(np.diag(m))) == 0


def check_unitary(m, n_qubits: int | None = None, atol: float = 1e-10) -> np.ndarray:
    """Return ``m`` as a complex128 array after checking it is a 2**k x 2**k unitary."""
    try:
        m = np.asarray(m, dtype=np.complex128)
    except (TypeError, ValueError) as exc:
        raise NotUnitaryError(f"matrix must be numeric; got {type(m).__name__}") from exc
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] < 2 or m.shape[0] & (m.shape[0] - 1):
        raise NotUnitaryError(f"matrix must be square with side 2**k (k >= 1); got shape {m.shape}")
    k = m.shape[0].bit_length() - 1
    if n_qubits is not None and k != n_qubits:
        raise NotUnitaryError(f"a {m.shape[0]}x{m.shape[0]} matrix acts on {k} qubits, but {n_qubits} were given")
    if not np.all(np.isfinite(m)):
        raise NotUnitaryError("matrix has NaN or infinite entries")
    err = np.abs(m.conj().T @ m - np.eye(m.shape[0])).max()
    if err > atol:
        raise NotUnitaryError(f"matrix is not unitary: max |U^dagger U - I| = {err:.3g} (tolerance {atol:g})")
    return m


class Circuit:
    """A quantum circuit on ``n_qubits`` qubits and ``n_clbits`` classical bits.

    Gate methods follow Qiskit's signatures (angles first, then qubits; controls first).
    There is one method per gate of :data:`~workbench.quantum.gates.GATES` (``h``, ``x``, ``cx``,
    ``rz``, ...; ``i`` is ``id``), and every building method returns the circuit, so calls chain.

    Parameters
    ----------
    n_qubits : int
        Number of qubits, 1 to 10**6.
    n_clbits : int, default 0
        Number of classical bits, 0 to 10**6.
    name : str, default "circuit"
        A label, kept by :meth:`copy` and :meth:`bind` and passed to :func:`~workbench.quantum.to_qiskit`.

    Attributes
    ----------
    ops : list of Op
        The operations in program order (a plain list: :meth:`check` validates hand edits).
    global_phase : float
        Global phase in radians (0.0 at first), applied by the simulators.

    Raises
    ------
    QubitError
        If ``n_qubits`` or ``n_clbits`` is not an integer in its range.

    Examples
    --------
    >>> qc = Circuit(2).h(0).cx(0, 1)
    >>> len(qc), qc.count_ops()
    (2, {'h': 1, 'cx': 1})
    """

    def __init__(self, n_qubits: int, n_clbits: int = 0, name: str = "circuit"):
        n_qubits = check("n_qubits", n_qubits, Int(1, 10**6), QubitError)
        n_clbits = check("n_clbits", n_clbits, Int(0, 10**6), QubitError)
        self.n_qubits = int(n_qubits)
        self.n_clbits = int(n_clbits)
        self.name = name
        self.ops: list[Op] = []
        self.global_phase = 0.0

    # --- building -------------------------------------------------------------------
    def _qubits(self, qubits, what="gate") -> tuple:
        out = []
        for q in qubits:
            if not is_int(q):
                raise QubitError(f"{what}: qubit indices must be integers, got {q!r}")
            if not 0 <= q < self.n_qubits:
                raise QubitError(
                    f"{what}: qubit {q} is out of range for a {self.n_qubits}-qubit circuit "
                    f"(valid: 0..{self.n_qubits - 1})"
                )
            out.append(int(q))
        if len(set(out)) != len(out):
            raise QubitError(f"{what}: a qubit appears twice in {tuple(out)}")
        return tuple(out)

    def _params(self, name, params, n):
        if len(params) != n:
            raise QuantumError(f"gate {name} takes {n} parameter(s), got {len(params)}")
        out = []
        for p in params:
            if isinstance(p, Parameter):
                out.append(p)
            elif is_real(p):
                out.append(check(f"gate {name}: angle", p, _FINITE, QuantumError))
            else:
                raise QuantumError(f"gate {name}: angles must be numbers or Parameter, got {p!r}")
        return tuple(out)

    def append(self, name: str, qubits, params=()) -> Circuit:
        """Append a library gate by name (see :data:`GATES`).

        Parameters
        ----------
        name : str
            A gate of :data:`~workbench.quantum.gates.GATES` ("h", "cx", "rz", ...).
        qubits : sequence of int
            The gate's qubits, controls first: as many as the gate acts on, each in
            ``0..n_qubits - 1``, all distinct.
        params : sequence of float or Parameter, default ()
            The gate's angles in radians (finite numbers or :class:`Parameter`), as many as it takes.

        Returns
        -------
        Circuit
            This circuit, for chaining.

        Raises
        ------
        QuantumError
            If ``name`` is not a library gate, or the angles are of the wrong number or not finite numbers.
        QubitError
            If a qubit is not an integer, out of range or repeated, or the number of qubits is wrong.
        """
        if name not in GATES:
            raise unknown_name("gate", name, list(GATES) + ["mcx", "unitary"], QuantumError)
        spec = GATES[name]
        qubits = self._qubits(qubits, name)
        if len(qubits) != spec.n_qubits:
            raise QubitError(f"gate {name} acts on {spec.n_qubits} qubit(s), got {len(qubits)}: {qubits}")
        params = self._params(name, tuple(params), spec.n_params)
        self.ops.append(_checked_gate(name, qubits, params, spec.n_controls))
        return self

    def unitary(self, matrix, qubits, controls=(), name="unitary") -> Circuit:
        """Append an arbitrary unitary on ``qubits`` (little-endian), optionally controlled.

        Parameters
        ----------
        matrix : array_like
            A ``2**k x 2**k`` unitary (within 1e-10) for the ``k`` target qubits; bit ``b`` of its index is
            the state of ``qubits[b]``.
        qubits : int or sequence of int
            The target qubit(s).
        controls : int or sequence of int, default ()
            Control qubits: the matrix applies when they all read 1.
        name : str, default "unitary"
            Used in error messages only: the operation is stored with the name "unitary".

        Returns
        -------
        Circuit
            This circuit, for chaining.

        Raises
        ------
        QubitError
            If a qubit or control is not an integer, out of range, or used twice.
        NotUnitaryError
            If ``matrix`` is not numeric, not square of side ``2**len(qubits)``, not finite or not unitary.
        """
        qubits = (qubits,) if isinstance(qubits, (int, np.integer)) else tuple(qubits)
        controls = (controls,) if isinstance(controls, (int, np.integer)) else tuple(controls)
        allq = self._qubits(controls + qubits, name)
        m = check_unitary(matrix, len(qubits))
        self.ops.append(Op("gate", "unitary", allq, n_controls=len(controls), base=m))
        return self

    def mcx(self, controls, target) -> Circuit:
        """Multi-controlled X (a Toffoli for two controls).

        Parameters
        ----------
        controls : int or sequence of int
            The control qubits, at least one.
        target : int
            The qubit flipped when every control reads 1.

        Returns
        -------
        Circuit
            This circuit, for chaining.

        Raises
        ------
        QubitError
            If there is no control, or a qubit is not an integer, out of range or used twice.
        """
        controls = (controls,) if isinstance(controls, (int, np.integer)) else tuple(controls)
        if not controls:
            raise QubitError("mcx needs at least one control")
        allq = self._qubits(controls + (target,), "mcx")
        self.ops.append(Op("gate", "mcx", allq, n_controls=len(controls), base=GATES["x"].matrix()))
        return self

    def measure(self, qubit, clbit) -> Circuit:
        """Measure ``qubit`` into classical bit ``clbit`` (mid-circuit allowed).

        Parameters
        ----------
        qubit : int
            The qubit measured, in ``0..n_qubits - 1``.
        clbit : int
            The classical bit written, in ``0..n_clbits - 1``.

        Returns
        -------
        Circuit
            This circuit, for chaining.

        Raises
        ------
        QubitError
            If ``qubit`` or ``clbit`` is not an integer in range.
        """
        (q,) = self._qubits((qubit,), "measure")
        if not is_int(clbit) or not 0 <= clbit < self.n_clbits:
            raise QubitError(f"measure: classical bit {clbit!r} out of range (this circuit has {self.n_clbits})")
        self.ops.append(Op("measure", "measure", (q,), clbits=(int(clbit),)))
        return self

    def measure_all(self) -> Circuit:
        """Measure every qubit q into classical bit q (adding classical bits if needed).

        Returns
        -------
        Circuit
            This circuit, for chaining, with at least ``n_qubits`` classical bits.
        """
        self.n_clbits = max(self.n_clbits, self.n_qubits)
        for q in range(self.n_qubits):
            self.measure(q, q)
        return self

    def if_test(self, clbits, value: int, body: Circuit, qubits=None) -> Circuit:
        """Append ``body``'s gates, each applied only if classical bits ``clbits`` (the first is the
        least significant) read ``value`` when it runs (OpenQASM 2's ``if(c==v)``).

        Parameters
        ----------
        clbits : int or sequence of int
            The classical bits tested (at least one), each in ``0..n_clbits - 1``.
        value : int
            The value they must read, in ``0..2**len(clbits) - 1``.
        body : Circuit
            A circuit of gates only (no measurement, reset or barrier); its global phase is not used.
        qubits : sequence of int or None, default None
            Qubit of this circuit for each of ``body``'s qubits (``None``: the same indices).

        Returns
        -------
        Circuit
            This circuit, for chaining.

        Raises
        ------
        QubitError
            If a classical bit is out of range, or ``qubits`` is invalid or not as long as ``body`` is wide.
        QuantumError
            If ``value`` is out of range, ``body`` holds anything but gates, or ``clbits`` is empty while
            ``body`` has gates.
        """
        clbits = (clbits,) if isinstance(clbits, (int, np.integer)) else tuple(clbits)
        for c in clbits:
            if not is_int(c) or not 0 <= c < self.n_clbits:
                raise QubitError(f"if_test: classical bit {c!r} out of range (this circuit has {self.n_clbits})")
        if not is_int(value) or not 0 <= value < 1 << len(clbits):
            raise QuantumError(f"if_test: value must be an integer in 0..{(1 << len(clbits)) - 1}, got {value!r}")
        qubits = tuple(range(body.n_qubits)) if qubits is None else self._qubits(qubits, "if_test")
        if len(qubits) != body.n_qubits:
            raise QubitError(f"if_test: the body has {body.n_qubits} qubits but {len(qubits)} were given")
        for op in body.ops:
            if op.kind != "gate":
                raise QuantumError(f"if_test bodies hold gates only, got {op.kind}")
            self.ops.append(
                replace(
                    op,
                    qubits=tuple(qubits[q] for q in op.qubits),
                    condition=(tuple(int(c) for c in clbits), int(value)),
                )
            )
        return self

    def reset(self, qubit) -> Circuit:
        """Reset ``qubit`` to |0> (a measurement followed by a conditional X).

        Parameters
        ----------
        qubit : int
            The qubit reset, in ``0..n_qubits - 1``.

        Returns
        -------
        Circuit
            This circuit, for chaining.

        Raises
        ------
        QubitError
            If ``qubit`` is not an integer in range.
        """
        (q,) = self._qubits((qubit,), "reset")
        self.ops.append(Op("reset", "reset", (q,)))
        return self

    def barrier(self, *qubits) -> Circuit:
        """Append a barrier (no effect on the state; ignored by :meth:`depth` and ``len``).

        Parameters
        ----------
        *qubits : int
            The qubits it spans; none given means every qubit.

        Returns
        -------
        Circuit
            This circuit, for chaining.

        Raises
        ------
        QubitError
            If a qubit is not an integer, out of range or repeated.
        """
        self.ops.append(Op("barrier", "barrier", self._qubits(qubits or range(self.n_qubits), "barrier")))
        return self

    def compose(self, other: Circuit, qubits=None) -> Circuit:
        """Append ``other``'s operations, mapping its qubit i to ``qubits[i]``.

        Classical bits keep their indices, and ``other``'s global phase is added to this one's.

        Parameters
        ----------
        other : Circuit
            The circuit appended.
        qubits : sequence of int or None, default None
            Qubit of this circuit for each of ``other``'s qubits (``None``: the same indices).

        Returns
        -------
        Circuit
            This circuit, for chaining.

        Raises
        ------
        QubitError
            If ``qubits`` is invalid or not as long as ``other`` is wide, or ``other`` uses classical bits
            this circuit lacks.
        """
        qubits = tuple(range(other.n_qubits)) if qubits is None else self._qubits(qubits, "compose")
        if len(qubits) != other.n_qubits:
            raise QubitError(f"compose: {other.n_qubits} qubits need a map of the same length, got {qubits}")
        self.global_phase += other.global_phase
        for op in other.ops:
            if op.clbits and max(op.clbits) >= self.n_clbits:
                raise QubitError("compose: the other circuit uses classical bits this one lacks")
            self.ops.append(replace(op, qubits=tuple(qubits[q] for q in op.qubits)))
        return self

    def inverse(self) -> Circuit:
        """The adjoint circuit (gates only).

        Gates are reversed and inverted (as a named gate where one exists, else as a "unitary"),
        barriers kept, the global phase negated.

        Returns
        -------
        Circuit
            A new circuit named ``name + "_dg"``.

        Raises
        ------
        QuantumError
            If the circuit holds a measurement or a reset.
        UnboundParameterError
            If a gate without a named inverse (u2, cu or cu3) has unbound angles.
        """
        out = Circuit(self.n_qubits, self.n_clbits, f"{self.name}_dg")
        out.global_phase = -self.global_phase
        for op in reversed(self.ops):
            if op.kind == "barrier":
                out.ops.append(op)
                continue
            if op.kind != "gate":
                raise QuantumError(f"cannot invert a circuit with {op.kind}")
            out.ops.append(_inverse_op(op))
        return out

    def copy(self) -> Circuit:
        """A copy with its own list of operations (the :class:`Op` records, immutable, are shared).

        Returns
        -------
        Circuit
            A new circuit with the same registers, name, operations and global phase.
        """
        out = Circuit(self.n_qubits, self.n_clbits, self.name)
        out.ops = list(self.ops)
        out.global_phase = self.global_phase
        return out

    def without_measurements(self) -> Circuit:
        """A copy with the measurements removed (the state before readout).

        Returns
        -------
        Circuit
            A new circuit without the "measure" operations (resets are kept).
        """
        out = self.copy()
        out.ops = [op for op in self.ops if op.kind != "measure"]
        return out

    def check(self) -> Circuit:
        """Check every operation against this circuit's registers (qubits and classical bits in
        range); the simulators call it before any kernel runs, since ``ops`` is a plain list that
        can be edited by hand. Returns the circuit.

        Returns
        -------
        Circuit
            This circuit, unchanged.

        Raises
        ------
        QubitError
            If the register sizes are invalid, or an operation uses a qubit or classical bit (a condition's
            included) out of range.
        QuantumError
            If ``global_phase`` is not a finite number or an entry of ``ops`` is not an :class:`Op`.
        """
        nq, nc = self.n_qubits, self.n_clbits
        if not _is_index(nq) or nq < 1 or not _is_index(nc):
            raise QubitError(f"a circuit needs n_qubits >= 1 and n_clbits >= 0, got {nq!r} and {nc!r}")
        check("global_phase", self.global_phase, _FINITE, QuantumError)
        for i, op in enumerate(self.ops):
            if not isinstance(op, Op):
                raise QuantumError(f"circuit.ops[{i}] is a {type(op).__name__}, not an Op")
            if op.qubits and max(op.qubits) >= nq:
                raise QubitError(
                    f"circuit.ops[{i}] ({op.name}) acts on qubit {max(op.qubits)}, out of range for a "
                    f"{nq}-qubit circuit (valid: 0..{nq - 1})"
                )
            bits = op.clbits + (op.condition[0] if op.condition else ())
            if bits and max(bits) >= nc:
                raise QubitError(
                    f"circuit.ops[{i}] ({op.name}) uses classical bit {max(bits)}, but the circuit has {nc}"
                )
        return self

    # --- parameters -----------------------------------------------------------------
    @property
    def parameters(self) -> list[str]:
        """Names of the unbound :class:`Parameter` objects in the circuit.

        Returns
        -------
        list of str
            The names, sorted, each once (empty once every angle is a number).
        """
        return sorted({p.name for op in self.ops for p in op.params if isinstance(p, Parameter)})

    def bind(self, values: dict | None = None, **kw) -> Circuit:
        """A copy with every :class:`Parameter` replaced by its value.

        Parameters
        ----------
        values : dict or None, default None
            Parameter name -> value (a real number). Names not in the circuit are ignored.
        **kw
            More values by name; they override those in ``values``.

        Returns
        -------
        Circuit
            A new circuit whose angles are all numbers.

        Raises
        ------
        UnboundParameterError
            If a parameter of the circuit has no value.
        QuantumError
            If a value is not a finite real number or gives an angle that is not finite.

        Examples
        --------
        >>> from workbench.quantum import Circuit, Parameter
        >>> qc = Circuit(1).rx(Parameter("theta"), 0)
        >>> qc.parameters, qc.bind(theta=0.5).parameters
        (['theta'], [])
        """
        values = {**(values or {}), **kw}
        out = self.copy()
        out.ops = [
            op
            if op.bound
            else replace(op, params=tuple(p.value(values) if isinstance(p, Parameter) else p for p in op.params))
            for op in self.ops
        ]
        return out

    # --- information ----------------------------------------------------------------
    def __len__(self):
        return sum(op.kind != "barrier" for op in self.ops)

    def count_ops(self) -> dict:
        """How many operations of each name the circuit holds (barriers excluded).

        Returns
        -------
        dict
            Name ("h", "cx", "measure", "reset", "unitary", ...) -> count, in order of first appearance.
        """
        out: dict = {}
        for op in self.ops:
            if op.kind != "barrier":
                out[op.name] = out.get(op.name, 0) + 1
        return out

    def depth(self) -> int:
        """Circuit depth (barriers ignored), as Qiskit counts it.

        Returns
        -------
        int
            The number of layers on the longest path through qubits and classical bits (0 for an
            empty circuit).
        """
        level = [0] * (self.n_qubits + self.n_clbits)
        for op in self.ops:
            if op.kind == "barrier":
                continue
            wires = list(op.qubits) + [self.n_qubits + c for c in op.clbits]
            d = max(level[w] for w in wires) + 1
            for w in wires:
                level[w] = d
        return max(level, default=0)

    def num_2q(self) -> int:
        """Number of gates on two or more qubits.

        Returns
        -------
        int
            Gates with two or more qubits, controls included (cx, swap, ccx, mcx, controlled unitaries...).
        """
        return sum(op.kind == "gate" and len(op.qubits) >= 2 for op in self.ops)

    def __repr__(self):
        return f"Circuit({self.n_qubits} qubits, {len(self)} ops, depth {self.depth()})"


def _gate_method(name):
    spec = GATES[name]

    def method(self, *args):
        if len(args) != spec.n_params + spec.n_qubits:
            raise QuantumError(
                f"{name} takes {spec.n_params} angle(s) and {spec.n_qubits} qubit(s), got {len(args)} arguments"
            )
        return self.append(name, args[spec.n_params :], args[: spec.n_params])

    method.__name__ = name
    method.__doc__ = f"""Append a ``{name}`` gate ({spec.n_params} angle(s), then {spec.n_qubits} qubit(s)).

    Parameters
    ----------
    *args : {"float, Parameter or int" if spec.n_params else "int"}
        {"The angles in radians (numbers or Parameter), then the qubits" if spec.n_params else "The qubits"},
        {f"the first {spec.n_controls} being control(s), " if spec.n_controls else ""}each in ``0..n_qubits - 1``,
        all distinct.

    Returns
    -------
    Circuit
        This circuit, for chaining.

    Raises
    ------
    QuantumError
        If not given exactly {spec.n_params + spec.n_qubits} argument(s), or an angle is not a finite
        number or a Parameter.
    QubitError
        If a qubit index is not an integer, is out of range or is repeated.
    """
    return method


for _name in GATES:
    setattr(Circuit, _name, _gate_method(_name))
Circuit.i = _gate_method("id")
