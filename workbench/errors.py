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
