"""Named exceptions shared by every lab.

Each error says what was wrong and what is allowed, and is raised by the public API
before any numba kernel runs.
"""

from __future__ import annotations

__all__ = [
    "WorkbenchError",
    "GraphError",
    "NegativeWeightError",
    "WeightTypeError",
    "UnknownNodeError",
    "UnknownNameError",
    "UnknownTopologyError",
    "check_real",
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


class UnknownTopologyError(UnknownNameError):
    """A topology name that is not shipped in ``data/topologies``."""


def unknown_name(kind: str, name, allowed, error=UnknownNameError):
    """Build an error that lists the allowed names (helper for all labs)."""
    allowed = sorted(allowed, key=str)
    return error(f"unknown {kind} {name!r}; choose one of: {', '.join(map(str, allowed))}")


def check_int(name: str, value, *, minimum: int = 0, error=WorkbenchError) -> int:
    """``value`` as an int >= ``minimum``, or a named error (booleans, floats and strings are refused)."""
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise error(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_real(name: str, value, *, minimum=None, maximum=None, exclusive_min: bool = False,
               exclusive_max: bool = False, error=WorkbenchError) -> float:
    """``value`` as a finite float within the bounds, or a named error saying what is allowed
    (helper for all labs; booleans, strings, None, NaN and infinities are refused)."""
    import numbers
    import math

    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(float(value))
    if ok:
        v = float(value)
        ok = not ((minimum is not None and (v <= minimum if exclusive_min else v < minimum))
                  or (maximum is not None and (v >= maximum if exclusive_max else v > maximum)))
    if not ok:
        lo = "" if minimum is None else f"{'>' if exclusive_min else '>='} {minimum:g}"
        hi = "" if maximum is None else f"{'<' if exclusive_max else '<='} {maximum:g}"
        rule = " and ".join(p for p in (lo, hi) if p)
        raise error(f"{name} must be a finite number{' ' + rule if rule else ''}, got {value!r}")
    return v
