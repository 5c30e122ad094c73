"""Named exceptions shared by every lab.

Each error says what was wrong and what is allowed, and is raised by the public API
before any numba kernel runs.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "is_int",
    "is_real",
    "WorkbenchError",
    "OutOfMemoryError",
    "GraphError",
    "NegativeWeightError",
    "WeightTypeError",
    "UnknownNodeError",
    "UnknownNameError",
    "UnknownTopologyError",
    "check_int",
    "check_real",
    "check_memory",
    "make_rng",
    "validate_params",
    "Constraint",
    "Int",
    "Real",
    "Options",
    "Seed",
    "KernelSeed",
    "Array",
    "Instance",
    "Bool",
    "Text",
    "Optional",
    "checked",
    "check",
    "MAX_COUNT",
]


class WorkbenchError(ValueError):
    """Base class of the workbench's input errors (a :class:`ValueError`).

    Examples
    --------
    >>> from workbench.errors import WorkbenchError, check_int
    >>> issubclass(WorkbenchError, ValueError)
    True
    >>> check_int("n_tasks", 0, minimum=1)
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: n_tasks must be an integer >= 1, got 0
    """


class GraphError(WorkbenchError):
    """A graph cannot be used as given (empty, malformed, wrong kind).

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.errors import GraphError
    >>> from workbench.net import to_csr
    >>> try:
    ...     to_csr(nx.Graph())
    ... except GraphError as exc:
    ...     print(exc)
    the graph has no nodes
    """


class NegativeWeightError(GraphError):
    """An edge weight is negative, NaN or infinite; shortest paths need finite weights >= 0.

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.errors import NegativeWeightError
    >>> from workbench.net import to_csr
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight=-1.0)
    >>> try:
    ...     to_csr(G)
    ... except NegativeWeightError as exc:
    ...     print(type(exc).__name__)
    NegativeWeightError
    """


class WeightTypeError(GraphError, TypeError):
    """An edge weight attribute holds something that is not a real number.

    It is also a :class:`TypeError`.

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.net import to_csr
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight="far")
    >>> try:
    ...     to_csr(G)
    ... except TypeError as exc:
    ...     print(type(exc).__name__)
    WeightTypeError
    """


class UnknownNodeError(WorkbenchError, KeyError):
    """A node label that is not in the graph.

    It is also a :class:`KeyError`, whose message prints without quotes.

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.errors import UnknownNodeError
    >>> from workbench.net import to_csr
    >>> try:
    ...     to_csr(nx.path_graph(3)).node_index(7)
    ... except UnknownNodeError as exc:
    ...     print(exc)
    node 7 is not in the graph (3 nodes: 0, 1, 2)
    """

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0]) if self.args else ""


class UnknownNameError(WorkbenchError, KeyError):
    """A name (method, preset, policy...) that is not one of the allowed choices.

    It is also a :class:`KeyError`, whose message prints without quotes.

    Examples
    --------
    >>> from workbench.errors import Options, UnknownNameError, check
    >>> try:
    ...     check("policy", "lfu", Options("lru", "fifo"))
    ... except UnknownNameError as exc:
    ...     print(exc)
    unknown policy 'lfu'; choose one of: lru, fifo
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class OutOfMemoryError(WorkbenchError, MemoryError):
    """A size whose arrays would not fit in memory, refused before anything is allocated.

    It is also a :class:`MemoryError`.

    Examples
    --------
    >>> from workbench.errors import check_memory
    >>> try:
    ...     check_memory("a table of 10**30 bytes", 1e30)
    ... except MemoryError as exc:
    ...     print(type(exc).__name__)
    OutOfMemoryError
    """


class UnknownTopologyError(UnknownNameError):
    """A topology name that is not shipped in ``data/topologies``.

    Examples
    --------
    >>> from workbench.errors import UnknownTopologyError
    >>> from workbench.net import load_topology
    >>> try:
    ...     load_topology("Atlantis")
    ... except UnknownTopologyError as exc:
    ...     print(str(exc).split(";")[0])
    unknown topology 'Atlantis'
    """


def unknown_name(kind: str, name, allowed, error=UnknownNameError):
    """Build an error that lists the allowed names (helper for all labs)."""
    allowed = sorted(allowed, key=str)
    return error(f"unknown {kind} {name!r}; choose one of: {', '.join(map(str, allowed))}")


# --------------------------------------------------------------------------- declarative constraints
#
# One line per parameter, the same message everywhere (scikit-learn's ``_parameter_constraints``):
#
#     @checked(EdgeSimError, n_tasks=Optional(Int(1, MAX_COUNT)), warmup_s=Real(0))
#     def simulate(scenario, scheduler="mct", *, n_tasks=None, ..., warmup_s=0.0): ...
#
# A constraint converts the value it accepts (numpy scalars become Python ints and floats, arrays get
# their dtype), so that what reaches a numba kernel always has one type.

#: The largest count (tasks, episodes, shots, requests...) any function accepts: 2**62.
MAX_COUNT = 2**62


def _fmt(x) -> str:
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e7:
        return str(int(x))
    if isinstance(x, int) and abs(x) >= 2**20 and (x & (x - 1)) == 0:
        return f"2**{x.bit_length() - 1}"
    if isinstance(x, int) and x >= 2**20 and (x & (x + 1)) == 0:
        return f"2**{x.bit_length()} - 1"
    return f"{x:g}" if isinstance(x, float) else str(x)


class _Said(str):
    """A description standing in for a value in a message (printed without quotes)."""

    def __repr__(self) -> str:
        return str(self)


def _short(value) -> str:
    if type(value).__module__ == "numpy" and hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()  # np.float64(0.5) reads as 0.5
    r = repr(value)
    return r if len(r) <= 80 else r[:77] + "..."


class Constraint:
    """A rule a parameter's value must satisfy; ``check(name, value, error)`` returns the value
    converted to its canonical type or raises ``error`` with a message naming ``name``.

    The base class takes no parameters; a subclass implements :meth:`describe` and :meth:`check`
    and calls :meth:`fail` to raise the error. Its ``repr`` is ``<description>``.

    See Also
    --------
    checked : Check a function's arguments with one constraint per parameter.
    check : Check one value against a constraint.

    Examples
    --------
    >>> from workbench.errors import Constraint, WorkbenchError, is_int
    >>> class Even(Constraint):
    ...     def describe(self):
    ...         return "an even integer"
    ...     def check(self, name, value, error=WorkbenchError):
    ...         if not is_int(value) or value % 2:
    ...             self.fail(name, value, error)
    ...         return int(value)
    >>> Even().check("n", 4), Even()
    (4, <an even integer>)
    >>> Even().check("n", 3)
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: n must be an even integer, got 3
    """

    def describe(self) -> str:  # pragma: no cover - overridden
        """What the constraint accepts, as it reads after "must be" in an error message.

        Returns
        -------
        str
            The description, e.g. ``"an integer >= 1"``.
        """
        raise NotImplementedError

    def check(self, name: str, value, error=WorkbenchError):  # pragma: no cover - overridden
        """Check ``value`` and return it converted to the constraint's canonical type.

        Parameters
        ----------
        name : str
            The parameter's name, used in the error message.
        value : object
            The value to check.
        error : type, default WorkbenchError
            The error class to raise (a :class:`WorkbenchError` subclass).

        Returns
        -------
        object
            The accepted value, converted.

        Raises
        ------
        WorkbenchError
            ``error``, if ``value`` does not satisfy the constraint.
        """
        raise NotImplementedError

    def fail(self, name, value, error, why=""):
        """Raise ``error`` saying that ``name`` must be :meth:`describe`, and what it got.

        Parameters
        ----------
        name : str
            The parameter's name.
        value : object
            The value refused (shown by its ``repr``, cut at 80 characters).
        error : type
            The error class to raise.
        why : str, default ""
            Appended to the message, e.g. ``" (shape (3,))"``.

        Raises
        ------
        WorkbenchError
            Always: ``error("<name> must be <description>, got <value><why>")``.
        """
        raise error(f"{name} must be {self.describe()}, got {_short(value)}{why}")

    def __repr__(self) -> str:
        return f"<{self.describe()}>"


def is_int(value) -> bool:
    """Whether ``value`` is an integer (Python or numpy; booleans are not integers here).

    Parameters
    ----------
    value : object
        Anything.

    Returns
    -------
    bool
        True for an :class:`int` or any :class:`numbers.Integral` (numpy integers included) that is
        not a Python or numpy boolean; False otherwise (floats such as ``3.0`` included).

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.errors import is_int
    >>> is_int(3), is_int(np.int8(3)), is_int(True), is_int(3.0)
    (True, True, False, False)
    """
    if type(value) is int:  # the common case, without the ABC check
        return True
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def is_real(value) -> bool:
    """Whether ``value`` is a real number (int, float or numpy; booleans are not numbers here).

    Parameters
    ----------
    value : object
        Anything.

    Returns
    -------
    bool
        True for an :class:`int`, a :class:`float` or any :class:`numbers.Real` (numpy numbers
        included; NaN and infinities too) that is not a boolean; False otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.errors import is_real
    >>> is_real(2.5), is_real(np.float32(1)), is_real(False), is_real("1")
    (True, True, False, False)
    """
    if type(value) is float or type(value) is int:  # the common cases, without the ABC check
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


class Int(Constraint):
    """An integer in ``[lo, hi]`` (numpy integers accepted; booleans, floats and strings refused).

    Parameters
    ----------
    lo : int or None, default None
        The smallest value allowed (inclusive); None: no lower bound.
    hi : int or None, default None
        The largest value allowed (inclusive); None: no upper bound.

    Examples
    --------
    >>> from workbench.errors import Int
    >>> Int(1, 10).check("n", 3), Int(1)
    (3, <an integer >= 1>)
    >>> Int(1, 10).check("n", 11)
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: n must be an integer in [1, 10], got 11
    """

    def __init__(self, lo: int | None = None, hi: int | None = None):
        self.lo, self.hi = lo, hi

    def describe(self) -> str:
        """What the constraint accepts, e.g. ``"an integer in [1, 10]"``.

        Returns
        -------
        str
            The description used in error messages (a ceiling >= 10**6 is given in parentheses).
        """
        if self.lo is not None and self.hi is not None:
            if self.hi >= 10**6:  # a technical ceiling, not part of the rule a reader needs first
                return f"an integer >= {_fmt(self.lo)} (at most {_fmt(self.hi)})"
            return f"an integer in [{_fmt(self.lo)}, {_fmt(self.hi)}]"
        if self.lo is not None:
            return f"an integer >= {_fmt(self.lo)}"
        if self.hi is not None:
            return f"an integer <= {_fmt(self.hi)}"
        return "an integer"

    def check(self, name, value, error=WorkbenchError):
        """``value`` as a Python int if it is an integer within the bounds.

        Parameters
        ----------
        name : str
            The parameter's name, used in the error message.
        value : object
            The value to check.
        error : type, default WorkbenchError
            The error class to raise (a :class:`WorkbenchError` subclass).

        Returns
        -------
        int
            ``int(value)``.

        Raises
        ------
        WorkbenchError
            ``error``, if ``value`` is not an integer (booleans included) or is out of bounds.
        """
        if not is_int(value):
            self.fail(name, value, error)
        v = int(value)
        if (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
            self.fail(name, value, error)
        return v


class Real(Constraint):
    """A real number in a range (open or closed at each end); NaN is always refused, infinities
    unless ``allow_inf`` (and then only where the range admits them).

    Integers (Python or numpy) are accepted and converted to float; booleans and strings are refused.

    Parameters
    ----------
    lo : float or None, default None
        The lower bound; None: no lower bound.
    hi : float or None, default None
        The upper bound; None: no upper bound.
    lo_open : bool, default False
        Exclude ``lo`` itself (``> lo`` rather than ``>= lo``).
    hi_open : bool, default False
        Exclude ``hi`` itself (``< hi`` rather than ``<= hi``).
    allow_inf : bool, default False
        Accept ``inf`` and ``-inf`` (still subject to the bounds).

    Examples
    --------
    >>> from workbench.errors import Real
    >>> Real(0, lo_open=True).check("rate", 2), Real(0, 1)
    (2.0, <a finite number >= 0 and <= 1>)
    >>> Real(0, 1).check("p", float("nan"))
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: p must be a finite number >= 0 and <= 1, got nan
    """

    def __init__(
        self,
        lo: float | None = None,
        hi: float | None = None,
        *,
        lo_open: bool = False,
        hi_open: bool = False,
        allow_inf: bool = False,
    ):
        self.lo, self.hi, self.lo_open, self.hi_open, self.allow_inf = lo, hi, lo_open, hi_open, allow_inf

    def describe(self) -> str:
        """What the constraint accepts, e.g. ``"a finite number > 0 and <= 1"``.

        Returns
        -------
        str
            The description used in error messages.
        """
        parts = []
        if self.lo is not None:
            parts.append(f"{'>' if self.lo_open else '>='} {_fmt(self.lo)}")
        if self.hi is not None:
            parts.append(f"{'<' if self.hi_open else '<='} {_fmt(self.hi)}")
        kind = "a number (inf allowed)" if self.allow_inf else "a finite number"
        return kind + (" " + " and ".join(parts) if parts else "")

    def check(self, name, value, error=WorkbenchError):
        """``value`` as a Python float if it is a real number within the range.

        Parameters
        ----------
        name : str
            The parameter's name, used in the error message.
        value : object
            The value to check.
        error : type, default WorkbenchError
            The error class to raise (a :class:`WorkbenchError` subclass).

        Returns
        -------
        float
            ``float(value)``.

        Raises
        ------
        WorkbenchError
            ``error``, if ``value`` is not a real number (booleans included), is NaN, is infinite without
            ``allow_inf``, or is out of range.
        """
        import math

        if not is_real(value):
            self.fail(name, value, error)
        try:
            v = float(value)
        except (OverflowError, ValueError):  # an int too large for a float
            self.fail(name, value, error)
        if math.isnan(v) or (math.isinf(v) and not self.allow_inf):
            self.fail(name, value, error)
        if self.lo is not None and (v <= self.lo if self.lo_open else v < self.lo):
            self.fail(name, value, error)
        if self.hi is not None and (v >= self.hi if self.hi_open else v > self.hi):
            self.fail(name, value, error)
        return v


class Options(Constraint):
    """One of a fixed set of values (names); an unknown one gives :class:`UnknownNameError` listing them.

    Parameters
    ----------
    *values : object
        The allowed values (compared with ``==``; a boolean matches only a boolean).
    kind : str, default "value"
        What the values are; kept as the attribute ``kind`` (messages name the parameter instead).

    Examples
    --------
    >>> from workbench.errors import Options
    >>> Options("lru", "fifo").check("policy", "lru"), Options("lru", "fifo")
    ('lru', <one of 'lru', 'fifo'>)
    >>> Options("lru", "fifo").check("policy", "lfu")
    Traceback (most recent call last):
    ...
    workbench.errors.UnknownNameError: unknown policy 'lfu'; choose one of: lru, fifo
    """

    def __init__(self, *values, kind: str = "value"):
        self.values, self.kind = tuple(values), kind

    def describe(self) -> str:
        """What the constraint accepts, e.g. ``"one of 'lru', 'fifo'"``.

        Returns
        -------
        str
            The description.
        """
        return "one of " + ", ".join(map(repr, self.values))

    def check(self, name, value, error=WorkbenchError):
        """``value`` as given if it is one of the allowed values.

        Parameters
        ----------
        name : str
            The parameter's name, used in the error message.
        value : object
            The value to check.
        error : type, default WorkbenchError
            The error class to raise; with the default, :class:`UnknownNameError` is raised instead.

        Returns
        -------
        object
            ``value``, unchanged.

        Raises
        ------
        UnknownNameError
            If ``value`` is not one of the values and ``error`` is :class:`WorkbenchError`; the
            message lists the values.
        WorkbenchError
            ``error`` itself, in the same case, when ``error`` is another class.
        """
        try:  # True == 1, so a boolean matches only a boolean option
            ok = any(v == value and isinstance(v, bool) == isinstance(value, bool) for v in self.values)
        except (TypeError, ValueError):  # incomparable (an array, say)
            ok = False
        if not ok:  # the lab's own error when it names one (as unknown_name does), else UnknownNameError
            raise (UnknownNameError if error is WorkbenchError else error)(
                f"unknown {name} {_short(value)}; choose one of: {', '.join(map(str, self.values))}"
            )
        return value


class Bool(Constraint):
    """``True`` or ``False`` (numpy booleans accepted).

    The constructor takes no parameters. Integers such as 0 and 1 are refused.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.errors import Bool
    >>> Bool().check("flag", np.bool_(True))
    True
    >>> Bool().check("flag", 1)
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: flag must be True or False, got 1
    """

    def describe(self) -> str:
        """What the constraint accepts.

        Returns
        -------
        str
            ``"True or False"``.
        """
        return "True or False"

    def check(self, name, value, error=WorkbenchError):
        """``value`` as a Python bool if it is a Python or numpy boolean.

        Parameters
        ----------
        name : str
            The parameter's name, used in the error message.
        value : object
            The value to check.
        error : type, default WorkbenchError
            The error class to raise (a :class:`WorkbenchError` subclass).

        Returns
        -------
        bool
            ``bool(value)``.

        Raises
        ------
        WorkbenchError
            ``error``, if ``value`` is not a boolean.
        """

        if not isinstance(value, (bool, np.bool_)):
            self.fail(name, value, error)
        return bool(value)


class Text(Constraint):
    """A string (optionally non-empty).

    Parameters
    ----------
    nonempty : bool, default False
        Refuse the empty string too.

    Examples
    --------
    >>> from workbench.errors import Text
    >>> Text(nonempty=True).check("name", "edge-1")
    'edge-1'
    >>> Text(nonempty=True).check("name", "")
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: name must be a non-empty string, got ''
    """

    def __init__(self, nonempty: bool = False):
        self.nonempty = nonempty

    def describe(self) -> str:
        """What the constraint accepts.

        Returns
        -------
        str
            ``"a non-empty string"`` or ``"a string"``.
        """
        return "a non-empty string" if self.nonempty else "a string"

    def check(self, name, value, error=WorkbenchError):
        """``value`` if it is a string (non-empty, where required).

        Parameters
        ----------
        name : str
            The parameter's name, used in the error message.
        value : object
            The value to check.
        error : type, default WorkbenchError
            The error class to raise (a :class:`WorkbenchError` subclass).

        Returns
        -------
        str
            ``value``, unchanged.

        Raises
        ------
        WorkbenchError
            ``error``, if ``value`` is not a :class:`str`, or is empty with ``nonempty``.
        """
        if not isinstance(value, str) or (self.nonempty and not value):
            self.fail(name, value, error)
        return value


class Instance(Constraint):
    """An instance of one of the given types.

    Parameters
    ----------
    *types : type
        The accepted classes (checked with :func:`isinstance`, so subclasses are accepted).
    what : str or None, default None
        How messages describe what is accepted; None: ``"a <type> or <type>"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.errors import Instance
    >>> Instance(pd.DataFrame, what="a DataFrame").check("df", [1, 2])
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: df must be a DataFrame, got list
    """

    def __init__(self, *types, what: str | None = None):
        self.types, self.what = types, what

    def describe(self) -> str:
        """What the constraint accepts: ``what``, or the types' names.

        Returns
        -------
        str
            The description, e.g. ``"a int or str"`` without ``what``.
        """
        return self.what or "a " + " or ".join(t.__name__ for t in self.types)

    def check(self, name, value, error=WorkbenchError):
        """``value`` if it is an instance of one of the types.

        Parameters
        ----------
        name : str
            The parameter's name, used in the error message.
        value : object
            The value to check.
        error : type, default WorkbenchError
            The error class to raise (a :class:`WorkbenchError` subclass).

        Returns
        -------
        object
            ``value``, unchanged.

        Raises
        ------
        WorkbenchError
            ``error``, if ``value`` is not an instance of the types (the message names its type).
        """
        if not isinstance(value, self.types):
            raise error(f"{name} must be {self.describe()}, got {type(value).__name__}")
        return value


class Seed(Constraint):
    """A seed for :func:`numpy.random.default_rng`: ``None``, an integer >= 0, a ``SeedSequence``
    or a ``Generator`` (returned as given).

    The constructor takes no parameters.

    See Also
    --------
    make_rng : A Generator from a seed checked with this constraint.
    KernelSeed : The seed of a compiled kernel.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.errors import Seed
    >>> Seed().check("seed", np.int64(5)), Seed().check("seed", None)
    (5, None)
    >>> Seed().check("seed", -1)
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: seed must be None, an integer >= 0, a numpy SeedSequence or Generator, got -1
    """

    def describe(self) -> str:
        """What the constraint accepts.

        Returns
        -------
        str
            ``"None, an integer >= 0, a numpy SeedSequence or Generator"``.
        """
        return "None, an integer >= 0, a numpy SeedSequence or Generator"

    def check(self, name, value, error=WorkbenchError):
        """``value`` if it is a valid seed (integers as Python ints).

        Parameters
        ----------
        name : str
            The parameter's name, used in the error message.
        value : object
            The value to check.
        error : type, default WorkbenchError
            The error class to raise (a :class:`WorkbenchError` subclass).

        Returns
        -------
        int, numpy.random.SeedSequence, numpy.random.Generator or None
            ``int(value)`` for an integer, else ``value`` as given.

        Raises
        ------
        WorkbenchError
            ``error``, if ``value`` is none of those (booleans and negative integers included).
        """

        if value is None or isinstance(value, (np.random.Generator, np.random.SeedSequence)):
            return value
        if not is_int(value) or value < 0:
            self.fail(name, value, error)
        return int(value)


class KernelSeed(Constraint):
    """An integer seed for a compiled kernel's ``np.random.seed``, which numba keeps 32 bits of:
    in ``[0, 2**32)`` (larger seeds would silently collide).

    The constructor takes no parameters.

    Examples
    --------
    >>> from workbench.errors import KernelSeed
    >>> KernelSeed().check("seed", 7)
    7
    >>> KernelSeed().check("seed", 2**32)
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: seed must be an integer in [0, 2**32), got 4294967296
    """

    def describe(self) -> str:
        """What the constraint accepts.

        Returns
        -------
        str
            ``"an integer in [0, 2**32)"``.
        """
        return "an integer in [0, 2**32)"

    def check(self, name, value, error=WorkbenchError):
        """``value`` as a Python int if it is an integer in ``[0, 2**32)``.

        Parameters
        ----------
        name : str
            The parameter's name, used in the error message.
        value : object
            The value to check.
        error : type, default WorkbenchError
            The error class to raise (a :class:`WorkbenchError` subclass).

        Returns
        -------
        int
            ``int(value)``.

        Raises
        ------
        WorkbenchError
            ``error``, if ``value`` is not an integer (booleans included) or is out of range.
        """
        if not is_int(value) or not 0 <= value < 2**32:
            self.fail(name, value, error)
        return int(value)


class Optional(Constraint):
    """``None`` or a value that satisfies ``inner``.

    Parameters
    ----------
    inner : Constraint
        The constraint that any value other than None must satisfy.

    Examples
    --------
    >>> from workbench.errors import Int, Optional
    >>> Optional(Int(1)).check("n", None), Optional(Int(1)).check("n", 3)
    (None, 3)
    >>> Optional(Int(1)).check("n", 0)
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: n must be None or an integer >= 1, got 0
    """

    def __init__(self, inner: Constraint):
        self.inner = inner

    def describe(self) -> str:
        """What the constraint accepts: ``"None or "`` and the inner description.

        Returns
        -------
        str
            The description, e.g. ``"None or an integer >= 1"``.
        """
        return f"None or {self.inner.describe()}"

    def check(self, name, value, error=WorkbenchError):
        """None, or ``value`` as ``inner`` converts it.

        Parameters
        ----------
        name : str
            The parameter's name, used in the error message.
        value : object
            The value to check.
        error : type, default WorkbenchError
            The error class to raise (a :class:`WorkbenchError` subclass).

        Returns
        -------
        object
            None, or what ``inner.check`` returns.

        Raises
        ------
        WorkbenchError
            ``error``, if ``value`` is not None and ``inner`` refuses it (the message names both options).
        """
        if value is None:
            return None
        try:
            return self.inner.check(name, value, error)
        except WorkbenchError:
            pass
        self.fail(name, value, error)


class Array(Constraint):
    """An array of ``dtype`` with ``ndim`` dimensions (or exact ``shape``, ``-1`` for any length),
    at least ``min_size`` elements, entries finite (unless ``allow_inf``) and within ``[lo, hi]``;
    ``integer=True`` also demands whole numbers (floats such as 3.0 are accepted and converted).

    Anything :func:`numpy.asarray` converts is accepted as input (lists included); boolean,
    complex, string and object arrays are refused.

    Parameters
    ----------
    dtype : str or numpy.dtype, default "float64"
        The dtype of the returned array; an integer dtype also demands whole numbers that fit it.
    ndim : int or None, default None
        The number of dimensions required; None: any (ignored when ``shape`` is given).
    shape : tuple of int or None, default None
        The exact shape required, ``-1`` for any length along that axis; None: any shape.
    min_size : int, default 0
        The fewest elements allowed.
    lo : float or None, default None
        The smallest entry allowed (inclusive unless ``lo_open``); None: no lower bound.
    hi : float or None, default None
        The largest entry allowed (inclusive); None: no upper bound.
    lo_open : bool, default False
        Exclude ``lo`` itself.
    allow_inf : bool, default False
        Accept infinite entries in a float array (NaN is always refused).
    integer : bool, default False
        Demand whole numbers even for a float ``dtype``.

    Examples
    --------
    >>> from workbench.errors import Array
    >>> Array("int64", ndim=1).check("x", [1.0, 2.0])
    array([1, 2])
    >>> Array(ndim=1, lo=0).check("x", [1, -2])
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: x must be a 1-D array of numbers (finite, >= 0), got an array with an entry -2
    """

    def __init__(
        self,
        dtype="float64",
        *,
        ndim: int | None = None,
        shape: tuple | None = None,
        min_size: int = 0,
        lo=None,
        hi=None,
        lo_open: bool = False,
        allow_inf: bool = False,
        integer: bool = False,
    ):

        self.dtype = np.dtype(dtype)
        self.ndim = len(shape) if shape is not None else ndim
        self.shape, self.min_size, self.lo, self.hi = shape, min_size, lo, hi
        self.lo_open, self.allow_inf, self.integer = lo_open, allow_inf, integer

    def describe(self) -> str:
        """What the constraint accepts, e.g. ``"a 1-D array of numbers (finite, >= 0)"``.

        Returns
        -------
        str
            The description used in error messages.
        """
        what = f"a {self.ndim}-D array" if self.ndim is not None else "an array"
        if self.shape is not None:
            what += " of shape (" + ", ".join("n" if s == -1 else str(s) for s in self.shape) + ")"
        what += " of integers" if self.integer or self.dtype.kind in "iu" else " of numbers"
        rules = []
        if self.dtype.kind == "f" and not self.allow_inf:
            rules.append("finite")
        if self.lo is not None:
            rules.append(f"{'>' if self.lo_open else '>='} {_fmt(self.lo)}")
        if self.hi is not None:
            rules.append(f"<= {_fmt(self.hi)}")
        if self.min_size:
            rules.append(f"at least {self.min_size} element{'s' if self.min_size > 1 else ''}")
        return what + (" (" + ", ".join(rules) + ")" if rules else "")

    def check(self, name, value, error=WorkbenchError):
        """``value`` as a C-contiguous array of ``dtype`` if it meets every rule.

        Parameters
        ----------
        name : str
            The parameter's name, used in the error message.
        value : object
            The value to check.
        error : type, default WorkbenchError
            The error class to raise (a :class:`WorkbenchError` subclass).

        Returns
        -------
        numpy.ndarray
            The array, converted to ``dtype`` (a copy only where needed).

        Raises
        ------
        WorkbenchError
            ``error``, if ``value`` is not a numeric array, has the wrong dimensions, shape or size, or
            has an entry that is non-finite, out of range, not whole (where required) or does
            not fit an integer ``dtype``.
        """

        try:
            raw = np.asarray(value)
        except (TypeError, ValueError):
            self.fail(name, value, error)
        if raw.dtype.kind not in "biuf" or raw.dtype.kind == "b":
            self.fail(name, value, error, f" (dtype {raw.dtype})")
        if self.ndim is not None and raw.ndim != self.ndim:
            self.fail(name, value, error, f" (shape {raw.shape})")
        if self.shape is not None and any(w != -1 and s != w for s, w in zip(raw.shape, self.shape)):
            self.fail(name, value, error, f" (shape {raw.shape})")
        if raw.size < self.min_size:
            self.fail(name, value, error, f" ({raw.size} elements)")
        if raw.size:
            f = raw.astype(np.float64) if raw.dtype.kind == "f" else raw
            if raw.dtype.kind == "f":
                bad = np.isnan(f) if self.allow_inf else ~np.isfinite(f)
                if bad.any():
                    self.fail(name, _Said(f"an array with {int(bad.sum())} non-finite entries"), error)
            if self.lo is not None:
                low = f <= self.lo if self.lo_open else f < self.lo
                if low.any():
                    self.fail(name, _Said(f"an array with an entry {_fmt(f[low].flat[0].item())}"), error)
            if self.hi is not None and (f > self.hi).any():
                self.fail(name, _Said(f"an array with an entry {_fmt(f[f > self.hi].flat[0].item())}"), error)
            if (self.integer or self.dtype.kind in "iu") and raw.dtype.kind == "f":
                if (f != np.floor(f)).any() or np.abs(f).max() >= 2.0**63:
                    self.fail(name, _Said("an array with a non-integer entry"), error)
        if self.dtype.kind in "iu" and raw.dtype.kind in "iu" and raw.size:
            info = np.iinfo(self.dtype)
            if raw.min() < info.min or raw.max() > info.max:
                self.fail(name, _Said(f"an array with entries outside {self.dtype}"), error)
        return np.ascontiguousarray(raw, dtype=self.dtype)


def check(name: str, value, constraint: Constraint, error=WorkbenchError):
    """Check one value against a constraint (the inline form of :func:`checked`).

    Parameters
    ----------
    name : str
        The parameter's name, used in the error message.
    value : object
        The value to check.
    constraint : Constraint
        The rule, e.g. ``Int(1)`` or ``Options("lru", "fifo")``.
    error : type, default WorkbenchError
        The error class to raise (a :class:`WorkbenchError` subclass).

    Returns
    -------
    object
        ``value`` converted by the constraint (e.g. a numpy integer becomes an int).

    Raises
    ------
    WorkbenchError
        ``error`` (or :class:`UnknownNameError` from :class:`Options`), if ``value`` does not satisfy
        ``constraint``.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.errors import Int, check
    >>> check("n", np.int64(4), Int(1))
    4
    """
    return constraint.check(name, value, error)


def checked(error=WorkbenchError, **constraints):
    """Decorate a public function with one constraint per parameter; arguments are checked and
    converted (in the order given) before the body runs, defaults are trusted.

    Parameters
    ----------
    error : type, default WorkbenchError
        The error class the decorated function raises (a :class:`WorkbenchError` subclass), for
        a refused argument and for a call that does not match the signature.
    **constraints : Constraint
        One constraint per parameter name of the decorated function.

    Returns
    -------
    callable
        The decorator; the function it returns has the same signature and keeps the constraints
        in its ``__constraints__`` attribute.

    Raises
    ------
    TypeError
        If ``error`` is not a :class:`WorkbenchError` subclass (for example when a constraint is
        passed first), or, at decoration, if the function has no parameter of a constraint's name.
    WorkbenchError
        When the decorated function is called: ``error`` for a refused argument (or
        :class:`UnknownNameError` from :class:`Options`), or arguments that do not fit the signature.

    Examples
    --------
    >>> @checked(n=Int(1), rate=Real(0, lo_open=True))
    ... def f(n, rate=1.0):
    ...     return n * rate
    >>> f(3, rate=0.5)
    1.5
    >>> f(0)
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: n must be an integer >= 1, got 0
    """
    import functools
    import inspect

    if isinstance(error, type) and not issubclass(error, WorkbenchError):  # pragma: no cover
        raise TypeError("error must be a WorkbenchError subclass")
    if not isinstance(error, type):  # used as @checked(n=Int(1)) without an error class
        raise TypeError("pass the error class first: @checked(MyError, name=Int(1))")

    def deco(fn):
        sig = inspect.signature(fn)
        unknown = set(constraints) - set(sig.parameters)
        if unknown:  # pragma: no cover - programming error
            raise TypeError(f"{fn.__qualname__} has no parameter(s) {sorted(unknown)}")
        items = tuple(constraints.items())

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                bound = sig.bind(*args, **kwargs)
            except TypeError as exc:
                raise error(f"{fn.__name__}(): {exc}") from None
            arguments = bound.arguments
            for name, c in items:
                if name in arguments:
                    arguments[name] = c.check(name, arguments[name], error)
            return fn(*bound.args, **bound.kwargs)

        wrapper.__constraints__ = dict(constraints)
        return wrapper

    return deco


def check_int(name: str, value, *, minimum: int = 0, maximum: int | None = None, error=WorkbenchError) -> int:
    """``value`` as an int in ``[minimum, maximum]``, or a named error (booleans, floats and strings
    are refused).

    Parameters
    ----------
    name : str
        The parameter's name, used in the error message.
    value : object
        The value to check.
    minimum : int, default 0
        The smallest value allowed (inclusive).
    maximum : int or None, default None
        The largest value allowed (inclusive); None: no upper bound.
    error : type, default WorkbenchError
        The error class to raise.

    Returns
    -------
    int
        ``value`` as a Python int.

    Raises
    ------
    WorkbenchError
        ``error``, if ``value`` is not an integer or is out of bounds.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.errors import check_int
    >>> check_int("n", np.int64(3), minimum=1)
    3
    """
    return Int(minimum, maximum).check(name, value, error)


def check_real(
    name: str,
    value,
    *,
    minimum=None,
    maximum=None,
    exclusive_min: bool = False,
    exclusive_max: bool = False,
    error=WorkbenchError,
) -> float:
    """``value`` as a finite float within the bounds, or a named error saying what is allowed
    (booleans, strings, None, NaN and infinities are refused).

    Parameters
    ----------
    name : str
        The parameter's name, used in the error message.
    value : object
        The value to check (an int or float, Python or numpy).
    minimum : float or None, default None
        The lower bound; None: no lower bound.
    maximum : float or None, default None
        The upper bound; None: no upper bound.
    exclusive_min : bool, default False
        Exclude ``minimum`` itself.
    exclusive_max : bool, default False
        Exclude ``maximum`` itself.
    error : type, default WorkbenchError
        The error class to raise.

    Returns
    -------
    float
        ``value`` as a Python float.

    Raises
    ------
    WorkbenchError
        ``error``, if ``value`` is not a finite real number within the bounds.

    Examples
    --------
    >>> from workbench.errors import check_real
    >>> check_real("rate", 2, minimum=0, exclusive_min=True)
    2.0
    >>> check_real("p", 1.5, maximum=1)
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: p must be a finite number <= 1, got 1.5
    """
    return Real(minimum, maximum, lo_open=exclusive_min, hi_open=exclusive_max).check(name, value, error)


def available_memory() -> int:
    """Bytes of memory this process may still allocate (MemAvailable on Linux, else 8 GiB).

    Elsewhere than Linux the operating system's count of available physical pages is tried
    before the 8 GiB fallback.

    Returns
    -------
    int
        Available memory in bytes.

    Examples
    --------
    >>> from workbench.errors import available_memory
    >>> available_memory() > 0
    True
    """
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    import os

    try:  # pragma: no cover - not Linux
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover
        return 8 << 30


def _bytes(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if n < 1024 or unit == "EiB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:.3g} EiB"  # pragma: no cover


def check_memory(what: str, n_bytes: float, *, error=None, fraction: float = 0.8) -> int:
    """Refuse an allocation of ``n_bytes`` before it happens if it exceeds ``fraction`` of the
    memory this process may still use, with a named error saying how much it needs.

    Parameters
    ----------
    what : str
        What would be allocated, as the message names it (e.g. ``"a 30-qubit state"``).
    n_bytes : float
        The size of the allocation in bytes.
    error : type or None, default None
        The error class to raise; None: :class:`OutOfMemoryError`.
    fraction : float, default 0.8
        The share of :func:`available_memory` that one allocation may take.

    Returns
    -------
    int
        ``n_bytes`` as an int, when it fits.

    Raises
    ------
    OutOfMemoryError
        ``error`` (by default this class), if ``n_bytes`` exceeds ``fraction`` of the available
        memory or is NaN.

    Examples
    --------
    >>> from workbench.errors import check_memory
    >>> check_memory("a 1 KiB buffer", 1024)
    1024
    """
    err = error or OutOfMemoryError
    if not (n_bytes <= fraction * available_memory()):
        raise err(f"{what} needs {_bytes(float(n_bytes))} of memory; about {_bytes(available_memory())} is available")
    return int(n_bytes)


def make_rng(seed=None, name: str = "seed", error=WorkbenchError):
    """A :class:`numpy.random.Generator` from a checked seed (``None``, an integer >= 0, a
    ``SeedSequence``, or a ``Generator``, returned as it is): the one way every lab turns a seed
    into random numbers, so that a bad seed is a named error everywhere.

    Parameters
    ----------
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None, default None
        The seed; None draws fresh entropy from the operating system.
    name : str, default "seed"
        The parameter's name, used in the error message.
    error : type, default WorkbenchError
        The error class to raise.

    Returns
    -------
    numpy.random.Generator
        ``seed`` itself if it is a Generator, else ``numpy.random.default_rng(seed)``.

    Raises
    ------
    WorkbenchError
        ``error``, if ``seed`` is not a valid seed (see :class:`Seed`).

    Examples
    --------
    >>> from workbench.errors import make_rng
    >>> make_rng(0).integers(10, size=3).tolist()
    [8, 6, 5]
    """

    seed = Seed().check(name, seed, error)
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def validate_params(obj, constraints: dict, error=WorkbenchError) -> dict:
    """Check an estimator's hyper-parameters against ``constraints`` (scikit-learn's
    ``_parameter_constraints`` pattern: one declaration per class, checked when ``fit`` runs);
    returns the converted values by name, the attributes themselves are left as the user set them.

    Parameters
    ----------
    obj : object
        The estimator; each name in ``constraints`` is read as an attribute of it.
    constraints : dict of str to Constraint
        Attribute name -> constraint.
    error : type, default WorkbenchError
        The error class to raise.

    Returns
    -------
    dict
        Attribute name -> the value as the constraint converted it.

    Raises
    ------
    WorkbenchError
        ``error``, if an attribute does not satisfy its constraint.

    Examples
    --------
    >>> from workbench.errors import Int, Real, validate_params
    >>> class Model:
    ...     n_layers, rate = 3, 1
    >>> validate_params(Model(), {"n_layers": Int(1), "rate": Real(0, 1)})
    {'n_layers': 3, 'rate': 1.0}
    """
    return {name: c.check(name, getattr(obj, name), error) for name, c in constraints.items()}
