"""Stabilizer circuits in Stim's text format: read, write, build, flatten.

A :class:`StabilizerCircuit` holds Stim instructions (unitary Cliffords, measurements and resets in three bases,
Pauli-product measurements, noise channels, ``DETECTOR``, ``OBSERVABLE_INCLUDE``, coordinates, ``TICK``) and
``REPEAT`` blocks. :meth:`StabilizerCircuit.from_stim` reads Stim's circuit text (a malformed line is a
:class:`StimFormatError` naming the line and column) and ``str(circuit)`` writes it back in Stim's own layout, so
a circuit Stim generated round-trips unchanged. The simulators work on :meth:`StabilizerCircuit.program`, the
flattened and index-resolved form.

Targets are stored as integers in Stim's encoding: the qubit (or look-back) in the low bits and flags above it.

Examples
--------
>>> from workbench.quantum.stabilizer import StabilizerCircuit
>>> c = StabilizerCircuit.from_stim('''
... R 0 1
... H 0
... CX 0 1
... M 0 1
... DETECTOR rec[-1] rec[-2]
... ''')
>>> c.num_qubits, c.num_measurements, c.num_detectors
(2, 2, 1)
>>> print(c)
R 0 1
H 0
CX 0 1
M 0 1
DETECTOR rec[-1] rec[-2]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from ..circuit import QuantumError
from . import _gates as G

__all__ = [
    "StimFormatError",
    "NonCliffordError",
    "Instruction",
    "Repeat",
    "StabilizerCircuit",
    "target_rec",
    "target_inv",
    "target_pauli",
    "TARGET_COMBINER",
]

# target encoding (as Stim's GateTarget): value bits + flags
_VALUE = (1 << 24) - 1
_INV = 1 << 31
_X = 1 << 30
_Z = 1 << 29
_REC = 1 << 28
_SWEEP = 1 << 26
TARGET_COMBINER = 1 << 27


class StimFormatError(QuantumError):
    """Circuit text that is not valid Stim: the message names the line and column and what is allowed.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import StabilizerCircuit, StimFormatError
    >>> try:
    ...     StabilizerCircuit.from_stim("H 0\\nCX 0")
    ... except StimFormatError as e:
    ...     print(e)
    line 2, column 1: CX takes qubits in pairs, got 1 target
    """


class NonCliffordError(QuantumError):
    """A gate the stabilizer engine cannot simulate (not a Clifford, or a rotation angle off the quarter turns).

    Examples
    --------
    >>> from workbench.quantum import Circuit
    >>> from workbench.quantum.stabilizer import NonCliffordError, StabilizerCircuit
    >>> try:
    ...     StabilizerCircuit.from_circuit(Circuit(1).rx(0.3, 0))
    ... except NonCliffordError as e:
    ...     print(e)
    operation 0: rx(0.3) is not a Clifford gate (angles must be multiples of pi/2)
    """


def target_rec(k: int) -> int:
    """The target ``rec[-k]`` (the k-th most recent measurement), ``k >= 1``.

    Parameters
    ----------
    k : int
        How far back to look in the measurement record (1 is the latest measurement).

    Returns
    -------
    int
        The target in Stim's encoding (the look-back flag and ``k``).

    Examples
    --------
    >>> from workbench.quantum.stabilizer import StabilizerCircuit, target_rec
    >>> print(StabilizerCircuit().append("M", [0, 1]).append("DETECTOR", [target_rec(1), target_rec(2)]))
    M 0 1
    DETECTOR rec[-1] rec[-2]
    """
    return _REC | int(k)


def target_inv(q: int) -> int:
    """The inverted target ``!q`` (a measurement whose result is reported flipped).

    Parameters
    ----------
    q : int
        The qubit measured.

    Returns
    -------
    int
        The target in Stim's encoding (the inversion flag and ``q``).

    Examples
    --------
    >>> from workbench.quantum.stabilizer import StabilizerCircuit, target_inv
    >>> print(StabilizerCircuit().append("M", [target_inv(0), 1]))
    M !0 1
    """
    return _INV | int(q)


def target_pauli(q: int, pauli: str, inverted: bool = False) -> int:
    """The Pauli target ``X q``/``Y q``/``Z q`` of ``MPP`` and ``E``.

    Parameters
    ----------
    q : int
        The qubit the Pauli acts on.
    pauli : {"X", "Y", "Z"}
        The Pauli (either case).
    inverted : bool, default False
        Set the inversion flag (``!X q``, a product measurement reported flipped).

    Returns
    -------
    int
        The target in Stim's encoding (the Pauli flags and ``q``).

    Raises
    ------
    KeyError
        If ``pauli`` is not X, Y or Z.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import StabilizerCircuit, target_pauli
    >>> print(StabilizerCircuit().append("E", [target_pauli(0, "X"), target_pauli(1, "z")], [0.1]))
    E(0.1) X0 Z1
    """
    flag = {"X": _X, "Y": _X | _Z, "Z": _Z}[pauli.upper()]
    return flag | int(q) | (_INV if inverted else 0)


def _fmt_target(t: int) -> str:
    v = t & _VALUE
    if t & _REC:
        return f"rec[-{v}]"
    if t & _SWEEP:
        return f"sweep[{v}]"
    inv = "!" if t & _INV else ""
    if t & (_X | _Z):
        p = "Y" if (t & _X and t & _Z) else ("X" if t & _X else "Z")
        return f"{inv}{p}{v}"
    return f"{inv}{v}"


def _fmt_arg(x: float) -> str:
    if float(x).is_integer() and abs(x) < 1e16:
        return str(int(x))
    short = f"{x:g}"
    return short if float(short) == x else repr(float(x))


@dataclass(frozen=True)
class Instruction:
    """One Stim instruction: canonical name, parenthesised arguments, targets (encoded), optional tag.

    Frozen. Nothing is checked here: :meth:`StabilizerCircuit.append` and :meth:`StabilizerCircuit.from_stim`
    check an instruction before storing it. ``str()`` writes it as a line of Stim text.

    Parameters
    ----------
    name : str
        Canonical Stim name (``"CX"``, ``"M"``, ``"DETECTOR"``, ...).
    targets : tuple of int, default ()
        Targets in Stim's encoding (see :func:`target_rec`, :func:`target_inv`, :func:`target_pauli`).
    args : tuple of float, default ()
        The parenthesised arguments (probabilities, coordinates, an observable index).
    tag : str, default ""
        Stim's optional ``NAME[tag]`` annotation, kept and written back.

    Examples
    --------
    >>> from workbench.quantum.stabilizer.circuit import Instruction
    >>> print(Instruction("X_ERROR", (0, 2), (0.1,)))
    X_ERROR(0.1) 0 2
    """

    name: str
    targets: tuple = ()
    args: tuple = ()
    tag: str = ""

    @property
    def qubits(self) -> list:
        """The qubits of the plain, inverted and Pauli targets, in order (look-backs and ``*`` left out).

        Returns
        -------
        list of int

        Examples
        --------
        >>> from workbench.quantum.stabilizer import StabilizerCircuit
        >>> StabilizerCircuit.from_stim("CX 0 1 rec[-1] 2").items[0].qubits
        [0, 1, 2]
        """
        return [t & _VALUE for t in self.targets if not t & (_REC | _SWEEP) and t != TARGET_COMBINER]

    @property
    def lookbacks(self) -> list:
        """The ``k`` of every ``rec[-k]`` target, in order.

        Returns
        -------
        list of int

        Examples
        --------
        >>> from workbench.quantum.stabilizer import StabilizerCircuit
        >>> StabilizerCircuit.from_stim("M 0 1\\nDETECTOR rec[-1] rec[-2]").items[1].lookbacks
        [1, 2]
        """
        return [t & _VALUE for t in self.targets if t & _REC]

    def __str__(self) -> str:
        out = self.name + (f"[{self.tag}]" if self.tag else "")
        if self.args:
            out += "(" + ", ".join(_fmt_arg(a) for a in self.args) + ")"
        parts = []
        for t in self.targets:
            if t == TARGET_COMBINER:
                parts.append("*")
            else:
                parts.append(_fmt_target(t))
        text = " ".join(parts).replace(" * ", "*")
        return out + (" " + text if text else "")


@dataclass
class Repeat:
    """A ``REPEAT count { body }`` block.

    Parameters
    ----------
    count : int
        Number of repetitions (at least 1 when made by :meth:`StabilizerCircuit.append_repeat` or read from text).
    body : StabilizerCircuit
        The repeated instructions.
    tag : str, default ""
        Stim's optional ``REPEAT[tag]`` annotation.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import StabilizerCircuit
    >>> c = StabilizerCircuit().append_repeat(3, StabilizerCircuit().append("H", [0]))
    >>> block = c.items[0]
    >>> block.count, len(block.body), len(c.flattened())
    (3, 1, 3)
    """

    count: int
    body: StabilizerCircuit
    tag: str = ""


_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)(\[[^\]]*\])?\s*(\(([^)]*)\))?(.*)$")
_TARGET = re.compile(r"^(!?)([XYZxyz]?)(\d+)$")
_REC_T = re.compile(r"^rec\[-(\d+)\]$")
_SWEEP_T = re.compile(r"^sweep\[(\d+)\]$")


def _error(lineno: int, col: int, msg: str) -> StimFormatError:
    return StimFormatError(f"line {lineno}, column {col}: {msg}")


def _check_instruction(name, args, targets, lineno, col):
    """Arity, argument ranges and target kinds of one instruction (Stim's own rules)."""
    err = lambda m: _error(lineno, col, m)  # noqa: E731
    is_rec = [bool(t & _REC) for t in targets]
    is_sweep = [bool(t & _SWEEP) for t in targets]
    is_pauli = [bool(t & (_X | _Z)) and not (t & (_REC | _SWEEP)) for t in targets if t != TARGET_COMBINER]
    for a in args:
        if not math.isfinite(a):
            raise err(f"{name}: arguments must be finite numbers, got {a}")
    if name in G.TABLES:
        if args:
            raise err(f"{name} takes no arguments, got {len(args)}")
        arity = G.ARITY[name]
        if arity == 2:
            if len(targets) % 2:
                raise err(f"{name} takes qubits in pairs, got {len(targets)} target{'s' * (len(targets) != 1)}")
            for a, b in zip(targets[::2], targets[1::2]):
                if a == b:
                    raise err(f"{name}: a pair needs two different qubits, got {_fmt_target(a)} twice")
                feedback = name in ("CX", "CY", "CZ", "XCZ", "YCZ")
                for k, t in enumerate((a, b)):
                    if t & (_REC | _SWEEP):
                        ok = feedback and (
                            (name in ("CX", "CY", "CZ") and k == 0) or (name in ("XCZ", "YCZ") and k == 1)
                        )
                        if not ok and not (name == "CZ"):
                            raise err(f"{name}: {_fmt_target(t)} can only control a CX, CY or CZ")
                    elif t & (_X | _Z | _INV):
                        raise err(f"{name} takes plain qubit targets, got {_fmt_target(t)}")
                if (a & (_REC | _SWEEP)) and (b & (_REC | _SWEEP)):
                    raise err(f"{name}: two classical controls {_fmt_target(a)} {_fmt_target(b)}")
        else:
            for t in targets:
                if t & (_REC | _SWEEP | _X | _Z | _INV):
                    raise err(f"{name} takes plain qubit targets, got {_fmt_target(t)}")
        return
    if name in G.COLLAPSING or name in G.PAIR_MEASUREMENTS or name == "MPP":
        if len(args) > 1:
            raise err(f"{name} takes at most one argument (the result flip probability), got {len(args)}")
        if args and not 0 <= args[0] <= 1:
            raise err(f"{name}: flip probability must lie in [0, 1], got {args[0]}")
        if name == "MPP":
            if any(is_rec) or any(is_sweep) or not targets:
                raise err("MPP takes Pauli products such as X0*Z1")
            if not all(is_pauli):
                raise err("MPP takes Pauli targets such as X0, Y1, Z2 joined by *")
            return
        if name in G.PAIR_MEASUREMENTS and len(targets) % 2:
            raise err(f"{name} takes qubits in pairs, got {len(targets)} targets")
        for t in targets:
            if t & (_REC | _SWEEP | _X | _Z):
                raise err(f"{name} takes qubit targets (optionally !q), got {_fmt_target(t)}")
            if (t & _INV) and G.COLLAPSING.get(name, ("", True))[1] is False:
                raise err(f"{name} is a reset and takes plain qubits, got {_fmt_target(t)}")
        return
    if name in G.NOISE:
        group, nargs = G.NOISE[name]
        if name in ("I_ERROR", "II_ERROR"):
            pass
        elif len(args) != nargs:
            raise err(f"{name} takes {nargs} argument{'s' * (nargs > 1)}, got {len(args)}")
        for a in args:
            if not 0 <= a <= 1:
                raise err(f"{name}: probabilities must lie in [0, 1], got {a}")
        if name.startswith("PAULI_CHANNEL") and sum(args) > 1 + 1e-12:
            raise err(f"{name}: the probabilities sum to {sum(args):g}, more than 1")
        if name == "DEPOLARIZE1" and args[0] > 0.75:
            raise err(f"DEPOLARIZE1: p must lie in [0, 3/4], got {args[0]}")
        if name == "DEPOLARIZE2" and args[0] > 15 / 16:
            raise err(f"DEPOLARIZE2: p must lie in [0, 15/16], got {args[0]}")
        if name in ("E", "ELSE_CORRELATED_ERROR"):
            if not targets or not all(is_pauli) or any(t & _INV for t in targets):
                raise err(f"{name} takes Pauli targets such as X0 Z1")
            return
        if group == 2 and len(targets) % 2:
            raise err(f"{name} takes qubits in pairs, got {len(targets)} targets")
        for t in targets:
            if t & (_REC | _SWEEP | _X | _Z | _INV):
                raise err(f"{name} takes plain qubit targets, got {_fmt_target(t)}")
        if group == 2:
            for a, b in zip(targets[::2], targets[1::2]):
                if a == b:
                    raise err(f"{name}: a pair needs two different qubits, got {a} twice")
        return
    if name in ("DETECTOR", "OBSERVABLE_INCLUDE"):
        if name == "OBSERVABLE_INCLUDE":
            if len(args) != 1 or args[0] < 0 or not float(args[0]).is_integer():
                raise err("OBSERVABLE_INCLUDE takes one argument, the observable's index (an integer >= 0)")
        for t in targets:
            if not t & _REC:
                raise err(f"{name} takes measurement-record targets rec[-k], got {_fmt_target(t)}")
        return
    if name == "QUBIT_COORDS":
        for t in targets:
            if t & (_REC | _SWEEP | _X | _Z | _INV):
                raise err(f"QUBIT_COORDS takes plain qubit targets, got {_fmt_target(t)}")
        return
    if name in ("SHIFT_COORDS", "TICK"):
        if targets:
            raise err(f"{name} takes no targets")
        if name == "TICK" and args:
            raise err("TICK takes no arguments")
        return
    if name == "MPAD":
        if len(args) > 1:
            raise err("MPAD takes at most one argument (the flip probability)")
        for t in targets:
            if t & ~_VALUE or (t & _VALUE) > 1:
                raise err(f"MPAD takes the results 0 or 1, got {_fmt_target(t)}")
        return


def _parse_targets(text: str, lineno: int, col0: int) -> list[int]:
    text = re.sub(r"\s*\*\s*", "*", text.strip())
    out = []
    for tok in text.split():
        col = col0 + 1
        for k, part in enumerate(tok.split("*")):
            if k:
                out.append(TARGET_COMBINER)
            m = _REC_T.match(part)
            if m:
                if int(m.group(1)) == 0:
                    raise _error(lineno, col, "rec[-0] is not a measurement; look-backs start at rec[-1]")
                out.append(_REC | int(m.group(1)))
                continue
            m = _SWEEP_T.match(part)
            if m:
                out.append(_SWEEP | int(m.group(1)))
                continue
            m = _TARGET.match(part)
            if not m:
                raise _error(lineno, col, f"cannot read the target {part!r} (allowed: q, !q, X q, rec[-k], sweep[k])")
            v = int(m.group(3))
            if v > _VALUE:
                raise _error(lineno, col, f"qubit index {v} is too large (at most {_VALUE})")
            flag = {"": 0, "X": _X, "Y": _X | _Z, "Z": _Z}[m.group(2).upper()]
            out.append(flag | v | (_INV if m.group(1) else 0))
    return out


class StabilizerCircuit:
    """A Clifford circuit with noise, detectors and observables, in Stim's instruction set.

    Build it from Stim text (:meth:`from_stim`), from a generator (:mod:`.generate`), from a Clifford
    :class:`~workbench.quantum.Circuit` or Qiskit circuit (:meth:`from_circuit`), or with :meth:`append`.

    Parameters
    ----------
    items : list of Instruction or Repeat, optional
        Initial instructions and ``REPEAT`` blocks, taken as given (not checked); none by default.

    Examples
    --------
    >>> c = StabilizerCircuit().append("H", [0]).append("CX", [0, 1]).append("M", [0, 1])
    >>> print(c)
    H 0
    CX 0 1
    M 0 1
    """

    def __init__(self, items=None):
        self.items: list = list(items or [])
        self._program = None

    # ------------------------------------------------------------------ building
    def append(self, name: str, targets=(), args=(), tag: str = "") -> StabilizerCircuit:
        """Append one instruction, checked as a line of Stim text would be.

        Parameters
        ----------
        name : str
            The instruction's Stim name or an alias (``"CNOT"`` for ``CX``), in any case.
        targets : int or sequence of int, default ()
            Qubits, or targets in Stim's encoding (:func:`target_rec`, :func:`target_inv`, :func:`target_pauli`).
        args : float or sequence of float, default ()
            The parenthesised arguments (probabilities, coordinates, an observable index).
        tag : str, default ""
            Stim's optional ``NAME[tag]`` annotation.

        Returns
        -------
        StabilizerCircuit
            This circuit (so calls chain).

        Raises
        ------
        StimFormatError
            If the instruction is unknown or is ``REPEAT`` (see :meth:`append_repeat`), or its arguments or
            targets break Stim's rules for it (their number, range or kind).
        """
        cname = G.canonical(name)
        if cname not in G.KNOWN or cname == "REPEAT":
            raise StimFormatError(
                f"unknown instruction {name!r}; the stabilizer engine knows Stim's gate set: "
                f"{', '.join(sorted(G.KNOWN - {'REPEAT'}))}"
            )
        targets = tuple(int(t) for t in np.atleast_1d(np.asarray(targets, dtype=np.int64)))
        args = tuple(float(a) for a in np.atleast_1d(np.asarray(args, dtype=float)))
        _check_instruction(cname, args, targets, len(self.items) + 1, 1)
        self.items.append(Instruction(cname, targets, args, tag))
        self._program = None
        return self

    def append_repeat(self, count: int, body: StabilizerCircuit) -> StabilizerCircuit:
        """Append the block ``REPEAT count { body }``.

        Parameters
        ----------
        count : int
            Number of repetitions, at least 1.
        body : StabilizerCircuit
            The repeated instructions (kept as given, not copied).

        Returns
        -------
        StabilizerCircuit
            This circuit (so calls chain).

        Raises
        ------
        StimFormatError
            If ``count`` is less than 1.
        """
        if int(count) < 1:
            raise StimFormatError(f"REPEAT count must be at least 1, got {count}")
        self.items.append(Repeat(int(count), body))
        self._program = None
        return self

    def __add__(self, other: StabilizerCircuit) -> StabilizerCircuit:
        return StabilizerCircuit(self.items + other.items)

    def __mul__(self, n: int) -> StabilizerCircuit:
        return (
            StabilizerCircuit([Repeat(int(n), StabilizerCircuit(self.items))])
            if n > 1
            else StabilizerCircuit(self.items)
        )

    def __eq__(self, other) -> bool:
        return isinstance(other, StabilizerCircuit) and str(self) == str(other)

    def __len__(self) -> int:
        return len(self.items)

    def copy(self) -> StabilizerCircuit:
        """An independent copy (the circuit written as Stim text and read back).

        Returns
        -------
        StabilizerCircuit
            A new circuit equal to this one that shares no blocks with it.
        """
        return StabilizerCircuit.from_stim(str(self))

    # ------------------------------------------------------------------ text
    @classmethod
    def from_stim(cls, text: str) -> StabilizerCircuit:
        """Read Stim's circuit text (``# comments``, ``REPEAT n { ... }`` blocks, tags, every target form).

        Parameters
        ----------
        text : str
            Stim circuit text, one instruction per line.

        Returns
        -------
        StabilizerCircuit
            The circuit, with its ``REPEAT`` blocks kept as :class:`Repeat` items.

        Raises
        ------
        StimFormatError
            If ``text`` is not a str, or a line is not valid Stim (unknown instruction, unreadable target or
            argument, targets or arguments against the instruction's rules, unbalanced braces), or uses Stim's
            heralded or Pauli-product rotation channels, which the engine does not simulate. The message names
            the line and column.
        """
        if not isinstance(text, str):
            raise StimFormatError(f"from_stim reads Stim circuit text (a str), got {type(text).__name__}")
        root = cls()
        stack = [(root, None, 0)]
        for lineno, raw in enumerate(text.splitlines(), start=1):
            line = raw.split("#", 1)[0]
            stripped = line.strip()
            if not stripped:
                continue
            col = len(line) - len(line.lstrip()) + 1
            if stripped == "}":
                if len(stack) == 1:
                    raise _error(lineno, col, "'}' closes no REPEAT block")
                body, rep, _ = stack.pop()
                stack[-1][0].items.append(Repeat(rep[0], body, rep[1]))
                continue
            m = _LINE.match(stripped)
            if not m:
                raise _error(lineno, col, f"cannot read {stripped!r}; a line is NAME(args) targets")
            name_raw, tag, _, argtext, rest = m.groups()
            name = G.canonical(name_raw)
            tag = tag[1:-1] if tag else ""
            if name == "REPEAT":
                rm = re.match(r"^\s*(\d+)\s*\{\s*$", rest)
                if not rm or argtext is not None:
                    raise _error(lineno, col, "a block is written REPEAT count {")
                count = int(rm.group(1))
                if count < 1:
                    raise _error(lineno, col, f"REPEAT count must be at least 1, got {count}")
                stack.append((cls(), (count, tag), lineno))
                continue
            if name in G.UNSUPPORTED:
                raise _error(
                    lineno,
                    col,
                    f"{name} is valid Stim that the workbench's stabilizer engine does not "
                    "simulate (heralded and Pauli-product rotation channels)",
                )
            if name not in G.KNOWN:
                raise _error(lineno, col, f"unknown instruction {name_raw!r}")
            args = ()
            if argtext is not None:
                try:
                    args = tuple(float(a) for a in argtext.split(",")) if argtext.strip() else ()
                except ValueError:
                    raise _error(lineno, col + len(name_raw) + 1, f"cannot read the arguments ({argtext})") from None
            targets = tuple(_parse_targets(rest, lineno, col + len(stripped) - len(rest)))
            _check_instruction(name, args, targets, lineno, col)
            stack[-1][0].items.append(Instruction(name, targets, args, tag))
        if len(stack) > 1:
            raise _error(stack[-1][2], 1, "REPEAT block is never closed with '}'")
        return root

    def _lines(self, indent: str = "") -> list[str]:
        out = []
        for it in self.items:
            if isinstance(it, Repeat):
                out.append(f"{indent}REPEAT{'[' + it.tag + ']' if it.tag else ''} {it.count} {{")
                out.extend(it.body._lines(indent + "    "))
                out.append(f"{indent}}}")
            else:
                out.append(indent + str(it))
        return out

    def __str__(self) -> str:
        return "\n".join(self._lines())

    def __repr__(self) -> str:
        return (
            f"StabilizerCircuit({self.num_qubits} qubits, {self.num_measurements} measurements, "
            f"{self.num_detectors} detectors, {self.num_observables} observables)"
        )

    # ------------------------------------------------------------------ flattening
    def flattened(self) -> list[Instruction]:
        """The instructions with every REPEAT block unrolled (``SHIFT_COORDS`` kept in place).

        Returns
        -------
        list of Instruction
            The instructions in execution order.
        """
        out = []
        for it in self.items:
            if isinstance(it, Repeat):
                body = it.body.flattened()
                for _ in range(it.count):
                    out.extend(body)
            else:
                out.append(it)
        return out

    def program(self):
        """The flattened, index-resolved program the simulators run (cached until the circuit changes).

        Returns
        -------
        Program
            Arrays of operations, targets and arguments with ``rec[-k]`` look-backs resolved to measurement
            indices, and the counts and coordinates read from the circuit.

        Raises
        ------
        StimFormatError
            If a look-back reaches before the first measurement.
        """
        if self._program is None:
            from ._program import compile_program

            self._program = compile_program(self)
        return self._program

    @property
    def num_qubits(self) -> int:
        """Number of qubits the circuit uses.

        Returns
        -------
        int
            One more than the largest qubit index (0 for a circuit without qubits).
        """
        return self.program().n_qubits

    @property
    def num_measurements(self) -> int:
        """Number of measurement results the circuit records.

        Returns
        -------
        int
            The length of the measurement record, ``REPEAT`` blocks unrolled.
        """
        return self.program().n_measurements

    @property
    def num_detectors(self) -> int:
        """Number of detectors the circuit declares.

        Returns
        -------
        int
            ``DETECTOR`` instructions executed, ``REPEAT`` blocks unrolled.
        """
        return self.program().n_detectors

    @property
    def num_observables(self) -> int:
        """Number of logical observables the circuit declares.

        Returns
        -------
        int
            One more than the largest ``OBSERVABLE_INCLUDE`` index (0 without one).
        """
        return self.program().n_observables

    def detector_coordinates(self) -> dict:
        """Detector index -> coordinates (``SHIFT_COORDS`` applied), as Stim's ``get_detector_coordinates``.

        Returns
        -------
        dict
            Detector index -> tuple of float, for every detector (empty for one declared without coordinates).
        """
        return dict(self.program().detector_coords)

    def qubit_coordinates(self) -> dict:
        """Qubit -> coordinates from ``QUBIT_COORDS``.

        Returns
        -------
        dict
            Qubit index -> tuple of float, for the qubits given coordinates.
        """
        return dict(self.program().qubit_coords)

    # ------------------------------------------------------------------ conversions
    @classmethod
    def from_circuit(cls, circuit, noise=None) -> StabilizerCircuit:
        """A Clifford :class:`~workbench.quantum.Circuit` or Qiskit ``QuantumCircuit`` as a stabilizer circuit.

        Gates: h, s, sdg, x, y, z, sx, sxdg, cx, cy, cz, swap, iswap, id, rotations (rx, ry, rz, p at multiples
        of pi/2), measure, reset, barrier (as ``TICK``). Measurements keep their order (the record's order; the
        classical bits they write are not tracked). With a :class:`~workbench.quantum.NoiseModel`, each gate is
        followed by its channels as Stim noise (``X_ERROR``, ``Z_ERROR``, ``DEPOLARIZE1/2``,
        ``PAULI_CHANNEL_1/2``) and symmetric readout error becomes ``M(p)``: the same noise the density-matrix
        and trajectory simulators apply.

        Parameters
        ----------
        circuit : Circuit or qiskit.QuantumCircuit
            The Clifford circuit to convert.
        noise : NoiseModel, optional
            Pauli channels after gates and readout errors (workbench circuits only).

        Returns
        -------
        StabilizerCircuit
            One instruction per gate, measurement, reset or barrier (and noise channel), in order.

        Raises
        ------
        NonCliffordError
            If ``circuit`` is neither kind, or holds a gate that is not one of those above (a rotation angle
            off the multiples of pi/2, an unbound parameter, a classically conditioned gate), or the noise model
            has a channel that is not a Pauli channel or an asymmetric readout error.

        Examples
        --------
        >>> from workbench.quantum import Circuit, NoiseModel, bit_flip
        >>> from workbench.quantum.stabilizer import StabilizerCircuit
        >>> nm = NoiseModel().add(bit_flip(0.01), ["id"])
        >>> print(StabilizerCircuit.from_circuit(Circuit(1, 1).id(0).measure(0, 0), noise=nm))
        I 0
        X_ERROR(0.01) 0
        M 0
        """
        from .convert import from_circuit as _from

        return _from(cls, circuit, noise)
