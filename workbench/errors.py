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
    """Base class of the workbench's input errors (a :class:`ValueError`)."""


class GraphError(WorkbenchError):
    """A graph cannot be used as given (empty, malformed, wrong kind)."""


class NegativeWeightError(GraphError):
    """An edge weight is negative, NaN or infinite; shortest paths need finite weights >= 0."""


class WeightTypeError(GraphError, TypeError):
    """An edge weight attribute holds something that is not a real number."""


class UnknownNodeError(WorkbenchError, KeyError):
    """A node label that is not in the graph."""

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0]) if self.args else ""


class UnknownNameError(WorkbenchError, KeyError):
    """A name (method, preset, policy...) that is not one of the allowed choices."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class OutOfMemoryError(WorkbenchError, MemoryError):
    """A size whose arrays would not fit in memory, refused before anything is allocated."""


class UnknownTopologyError(UnknownNameError):
    """A topology name that is not shipped in ``data/topologies``."""


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
    converted to its canonical type or raises ``error`` with a message naming ``name``."""

    def describe(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def check(self, name: str, value, error=WorkbenchError):  # pragma: no cover - overridden
        raise NotImplementedError

    def fail(self, name, value, error, why=""):
        raise error(f"{name} must be {self.describe()}, got {_short(value)}{why}")

    def __repr__(self) -> str:
        return f"<{self.describe()}>"


def is_int(value) -> bool:
    """Whether ``value`` is an integer (Python or numpy; booleans are not integers here)."""
    if type(value) is int:  # the common case, without the ABC check
        return True
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def is_real(value) -> bool:
    """Whether ``value`` is a real number (int, float or numpy; booleans are not numbers here)."""
    if type(value) is float or type(value) is int:  # the common cases, without the ABC check
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


class Int(Constraint):
    """An integer in ``[lo, hi]`` (numpy integers accepted; booleans, floats and strings refused)."""

    def __init__(self, lo: int | None = None, hi: int | None = None):
        self.lo, self.hi = lo, hi

    def describe(self) -> str:
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
        if not is_int(value):
            self.fail(name, value, error)
        v = int(value)
        if (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
            self.fail(name, value, error)
        return v


class Real(Constraint):
    """A real number in a range (open or closed at each end); NaN is always refused, infinities
    unless ``allow_inf`` (and then only where the range admits them)."""

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
        parts = []
        if self.lo is not None:
            parts.append(f"{'>' if self.lo_open else '>='} {_fmt(self.lo)}")
        if self.hi is not None:
            parts.append(f"{'<' if self.hi_open else '<='} {_fmt(self.hi)}")
        kind = "a number (inf allowed)" if self.allow_inf else "a finite number"
        return kind + (" " + " and ".join(parts) if parts else "")

    def check(self, name, value, error=WorkbenchError):
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
    """One of a fixed set of values (names); an unknown one gives :class:`UnknownNameError` listing them."""

    def __init__(self, *values, kind: str = "value"):
        self.values, self.kind = tuple(values), kind

    def describe(self) -> str:
        return "one of " + ", ".join(map(repr, self.values))

    def check(self, name, value, error=WorkbenchError):
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
    """``True`` or ``False`` (numpy booleans accepted)."""

    def describe(self) -> str:
        return "True or False"

    def check(self, name, value, error=WorkbenchError):

        if not isinstance(value, (bool, np.bool_)):
            self.fail(name, value, error)
        return bool(value)


class Text(Constraint):
    """A string (optionally non-empty)."""

    def __init__(self, nonempty: bool = False):
        self.nonempty = nonempty

    def describe(self) -> str:
        return "a non-empty string" if self.nonempty else "a string"

    def check(self, name, value, error=WorkbenchError):
        if not isinstance(value, str) or (self.nonempty and not value):
            self.fail(name, value, error)
        return value


class Instance(Constraint):
    """An instance of one of the given types."""

    def __init__(self, *types, what: str | None = None):
        self.types, self.what = types, what

    def describe(self) -> str:
        return self.what or "a " + " or ".join(t.__name__ for t in self.types)

    def check(self, name, value, error=WorkbenchError):
        if not isinstance(value, self.types):
            raise error(f"{name} must be {self.describe()}, got {type(value).__name__}")
        return value


class Seed(Constraint):
    """A seed for :func:`numpy.random.default_rng`: ``None``, an integer >= 0, a ``SeedSequence``
    or a ``Generator`` (returned as given)."""

    def describe(self) -> str:
        return "None, an integer >= 0, a numpy SeedSequence or Generator"

    def check(self, name, value, error=WorkbenchError):

        if value is None or isinstance(value, (np.random.Generator, np.random.SeedSequence)):
            return value
        if not is_int(value) or value < 0:
            self.fail(name, value, error)
        return int(value)


class KernelSeed(Constraint):
    """An integer seed for a compiled kernel's ``np.random.seed``, which numba keeps 32 bits of:
    in ``[0, 2**32)`` (larger seeds would silently collide)."""

    def describe(self) -> str:
        return "an integer in [0, 2**32)"

    def check(self, name, value, error=WorkbenchError):
        if not is_int(value) or not 0 <= value < 2**32:
            self.fail(name, value, error)
        return int(value)


class Optional(Constraint):
    """``None`` or a value that satisfies ``inner``."""

    def __init__(self, inner: Constraint):
        self.inner = inner

    def describe(self) -> str:
        return f"None or {self.inner.describe()}"

    def check(self, name, value, error=WorkbenchError):
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
    ``integer=True`` also demands whole numbers (floats such as 3.0 are accepted and converted)."""

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
    """Check one value against a constraint (the inline form of :func:`checked`)."""
    return constraint.check(name, value, error)


def checked(error=WorkbenchError, **constraints):
    """Decorate a public function with one constraint per parameter; arguments are checked and
    converted (in the order given) before the body runs, defaults are trusted.

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
    are refused)."""
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
    (booleans, strings, None, NaN and infinities are refused)."""
    return Real(minimum, maximum, lo_open=exclusive_min, hi_open=exclusive_max).check(name, value, error)


def available_memory() -> int:
    """Bytes of memory this process may still allocate (MemAvailable on Linux, else 8 GiB)."""
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
    memory this process may still use, with a named error saying how much it needs."""
    err = error or OutOfMemoryError
    if not (n_bytes <= fraction * available_memory()):
        raise err(f"{what} needs {_bytes(float(n_bytes))} of memory; about {_bytes(available_memory())} is available")
    return int(n_bytes)


def make_rng(seed=None, name: str = "seed", error=WorkbenchError):
    """A :class:`numpy.random.Generator` from a checked seed (``None``, an integer >= 0, a
    ``SeedSequence``, or a ``Generator``, returned as it is): the one way every lab turns a seed
    into random numbers, so that a bad seed is a named error everywhere."""

    seed = Seed().check(name, seed, error)
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def validate_params(obj, constraints: dict, error=WorkbenchError) -> dict:
    """Check an estimator's hyper-parameters against ``constraints`` (scikit-learn's
    ``_parameter_constraints`` pattern: one declaration per class, checked when ``fit`` runs);
    returns the converted values by name, the attributes themselves are left as the user set them."""
    return {name: c.check(name, getattr(obj, name), error) for name, c in constraints.items()}
