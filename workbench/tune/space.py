"""Search spaces: integers, reals (linear or logarithmic, optionally stepped) and categories.

A space is a dict ``{parameter name: dimension}``. Each dimension is one of :class:`Integer`,
:class:`Real` or :class:`Categorical`, or a shorthand: a ``(low, high)`` pair of ints is an
:class:`Integer`, a pair with a float is a :class:`Real`, and a list is a :class:`Categorical`.
Each dimension becomes the matching Optuna distribution, and maps a coordinate ``u`` in
``[0, 1]`` to a value (what the workbench's own metaheuristic samplers search over).

Examples
--------
>>> space = parse_space({"servers": (1, 8), "rate": Real(0.1, 10, log=True), "policy": ["lru", "lfu"]})
>>> [type(d).__name__ for d in space.values()]
['Integer', 'Real', 'Categorical']
>>> round(space["rate"].from_unit(0.5), 9)
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import WorkbenchError, is_int, is_real

__all__ = ["Integer", "Real", "Categorical", "Ordinal", "decode", "parse_space", "SpaceError", "space_size", "grid_of"]


class SpaceError(WorkbenchError):
    """A search space that cannot be searched: an empty or inverted range, a bad step, a bad name.

    Examples
    --------
    >>> from workbench.tune import Integer, SpaceError
    >>> try:
    ...     Integer(5, 1)
    ... except SpaceError as exc:
    ...     print(exc)
    an integer range needs low <= high, got low=5, high=1
    """


def _options(values, name: str, what: str, item: str) -> tuple:
    """A checked tuple of the choices of a categorical or ordinal dimension."""
    if isinstance(values, (str, bytes)) or not np.iterable(values):
        raise SpaceError(f"{name} must be a list, got {values!r}")
    vs = tuple(values)
    if not vs:
        raise SpaceError(f"{what} needs at least one {item}")
    for v in vs:
        if not (v is None or isinstance(v, (str, bool, int, float))):
            raise SpaceError(f"{name} must be strings, numbers, booleans or None, got {v!r}")
    if len(set(map(repr, vs))) != len(vs):
        raise SpaceError(f"{name} repeat: {list(vs)}")
    return vs


def _pick(values: tuple, u: float):
    """The value whose equal share of [0, 1] holds ``u`` (clipped)."""
    u = min(max(float(u), 0.0), 1.0)
    return values[min(len(values) - 1, int(u * len(values)))]


@dataclass(frozen=True)
class Integer:
    """Integers from ``low`` to ``high`` inclusive, every ``step``-th, or log-uniform.

    Parameters
    ----------
    low, high : int
        The range (``low <= high``; ``low >= 1`` with ``log``).
    log : bool, default False
        Sample on a logarithmic scale (for sizes and counts that span decades).
    step : int, default 1
        Spacing of the allowed values (1 with ``log``).

    Examples
    --------
    >>> from workbench.tune import Integer
    >>> d = Integer(0, 10, step=5)
    >>> d.values(), d.from_unit(0.99)
    ([0, 5, 10], 10)
    """

    low: int
    high: int
    log: bool = False
    step: int = 1

    def __post_init__(self):
        if not (is_int(self.low) and is_int(self.high)):
            raise SpaceError(f"an integer range needs integer bounds, got low={self.low!r}, high={self.high!r}")
        if self.low > self.high:
            raise SpaceError(f"an integer range needs low <= high, got low={self.low}, high={self.high}")
        if not is_int(self.step) or self.step < 1:
            raise SpaceError(f"step must be an integer >= 1, got {self.step!r}")
        if self.log and (self.low < 1 or self.step != 1):
            raise SpaceError(f"a logarithmic integer range needs low >= 1 and step 1, got low={self.low}")
        object.__setattr__(self, "low", int(self.low))
        object.__setattr__(self, "high", int(self.high))

    def distribution(self):
        """The Optuna distribution of this dimension.

        Returns
        -------
        optuna.distributions.IntDistribution
            The same range, scale and step.
        """
        from optuna.distributions import IntDistribution

        return IntDistribution(self.low, self.high, log=self.log, step=self.step)

    def values(self) -> list:
        """Every allowed value, in order.

        Returns
        -------
        list of int
            ``low, low + step, ...`` up to ``high``.
        """
        return list(range(self.low, self.high + 1, self.step))

    def from_unit(self, u: float) -> int:
        """The value at coordinate ``u`` in ``[0, 1]`` (equal shares of ``[0, 1]`` per value).

        Parameters
        ----------
        u : float
            The coordinate (clipped to ``[0, 1]``).

        Returns
        -------
        int
            An allowed value.
        """
        u = min(max(float(u), 0.0), 1.0)
        if self.log:
            v = math.exp(math.log(self.low) + u * (math.log(self.high + 1) - math.log(self.low)))
            return int(min(self.high, max(self.low, math.floor(v))))
        n = (self.high - self.low) // self.step + 1
        return self.low + self.step * min(n - 1, int(u * n))


@dataclass(frozen=True)
class Real:
    """Real numbers in ``[low, high]``, uniform or log-uniform, optionally on a grid of ``step``.

    Parameters
    ----------
    low, high : float
        The range (``low <= high``, finite; ``low > 0`` with ``log``).
    log : bool, default False
        Sample on a logarithmic scale.
    step : float, optional
        Only multiples of ``step`` above ``low`` (not with ``log``).

    Examples
    --------
    >>> from workbench.tune import Real
    >>> Real(0.0, 1.0).from_unit(0.25), round(Real(1.0, 100.0, log=True).from_unit(0.5), 9)
    (0.25, 10.0)
    """

    low: float
    high: float
    log: bool = False
    step: float | None = None

    def __post_init__(self):
        if not (is_real(self.low) and is_real(self.high)) or not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise SpaceError(f"a real range needs finite bounds, got low={self.low!r}, high={self.high!r}")
        if self.low > self.high:
            raise SpaceError(f"a real range needs low <= high, got low={self.low}, high={self.high}")
        if self.log and self.low <= 0:
            raise SpaceError(f"a logarithmic range needs low > 0, got low={self.low}")
        if self.step is not None:
            if self.log:
                raise SpaceError("a logarithmic range cannot have a step")
            if not is_real(self.step) or not self.step > 0:
                raise SpaceError(f"step must be a number > 0, got {self.step!r}")
        object.__setattr__(self, "low", float(self.low))
        object.__setattr__(self, "high", float(self.high))

    def distribution(self):
        """The Optuna distribution of this dimension.

        Returns
        -------
        optuna.distributions.FloatDistribution
            The same range, scale and step.
        """
        from optuna.distributions import FloatDistribution

        return FloatDistribution(self.low, self.high, log=self.log, step=self.step)

    def values(self) -> list:
        """The allowed values of a stepped range.

        Returns
        -------
        list of float
            ``low, low + step, ...`` up to ``high``.

        Raises
        ------
        SpaceError
            If the range has no step (it is continuous).
        """
        if self.step is None:
            raise SpaceError(f"Real({self.low}, {self.high}) is continuous; give it a step to enumerate it")
        n = int(math.floor((self.high - self.low) / self.step + 1e-9)) + 1
        return [self.low + i * self.step for i in range(n)]

    def from_unit(self, u: float) -> float:
        """The value at coordinate ``u`` in ``[0, 1]``.

        Parameters
        ----------
        u : float
            The coordinate (clipped to ``[0, 1]``).

        Returns
        -------
        float
            A value in the range (on the step grid if there is one).
        """
        u = min(max(float(u), 0.0), 1.0)
        if self.log:
            return float(math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low))))
        if self.step is not None:
            vals = self.values()
            return vals[min(len(vals) - 1, int(u * len(vals)))]
        return self.low + u * (self.high - self.low)


@dataclass(frozen=True)
class Categorical:
    """One of a list of choices (strings, numbers, booleans or None).

    Parameters
    ----------
    choices : sequence
        At least one choice, no repeats.

    Examples
    --------
    >>> from workbench.tune import Categorical
    >>> Categorical(["lru", "lfu", "arc"]).from_unit(0.5)
    'lfu'
    """

    choices: tuple

    def __post_init__(self):
        object.__setattr__(self, "choices", _options(self.choices, "choices", "a categorical dimension", "choice"))

    def distribution(self):
        """The Optuna distribution of this dimension.

        Returns
        -------
        optuna.distributions.CategoricalDistribution
            The same choices.
        """
        from optuna.distributions import CategoricalDistribution

        return CategoricalDistribution(self.choices)

    def values(self) -> list:
        """Every choice.

        Returns
        -------
        list
            The choices, in order.
        """
        return list(self.choices)

    def from_unit(self, u: float):
        """The choice at coordinate ``u`` in ``[0, 1]`` (equal shares per choice).

        Parameters
        ----------
        u : float
            The coordinate (clipped to ``[0, 1]``).

        Returns
        -------
        object
            One of the choices.
        """
        return _pick(self.choices, u)


@dataclass(frozen=True)
class Ordinal:
    """One of an ordered list of values (e.g. cache sizes 1, 2, 4, 8 MB): searched by position, so
    samplers know that neighbours are alike (a :class:`Categorical` forgets the order).

    Parameters
    ----------
    values_ : sequence
        At least one value, no repeats, in their order (numbers or strings).

    Examples
    --------
    >>> from workbench.tune import Ordinal
    >>> d = Ordinal([4, 8, 16, 32])
    >>> d.from_unit(0.6), d.decode(1), d.encode(32)
    (16, 8, 3)
    """

    values_: tuple

    def __post_init__(self):
        object.__setattr__(self, "values_", _options(self.values_, "values", "an ordinal dimension", "value"))

    def distribution(self):
        """The Optuna distribution of this dimension: the positions ``0 .. len(values) - 1``.

        Returns
        -------
        optuna.distributions.IntDistribution
            Positions, which :meth:`decode` turns into values.
        """
        from optuna.distributions import IntDistribution

        return IntDistribution(0, len(self.values_) - 1)

    def values(self) -> list:
        """Every value, in order.

        Returns
        -------
        list
            The values.
        """
        return list(self.values_)

    def decode(self, position: int):
        """The value at a position.

        Parameters
        ----------
        position : int
            An index into the values.

        Returns
        -------
        object
            The value.
        """
        return self.values_[int(position)]

    def encode(self, value) -> int:
        """The position of a value.

        Parameters
        ----------
        value : object
            One of the values.

        Returns
        -------
        int
            Its index.

        Raises
        ------
        SpaceError
            If ``value`` is not one of the values.
        """
        for i, v in enumerate(self.values_):
            if v == value and type(v) is type(value):
                return i
        raise SpaceError(f"{value!r} is not one of {list(self.values_)}")

    def from_unit(self, u: float):
        """The value at coordinate ``u`` in ``[0, 1]`` (equal shares per value).

        Parameters
        ----------
        u : float
            The coordinate (clipped to ``[0, 1]``).

        Returns
        -------
        object
            One of the values.
        """
        return _pick(self.values_, u)


def decode(dims: dict, params: dict) -> dict:
    """Parameter values as the tuned function receives them (ordinal positions become values).

    Parameters
    ----------
    dims : dict
        A parsed space (:func:`parse_space`).
    params : dict
        Values as Optuna stores them.

    Returns
    -------
    dict
        The same names with ordinal positions replaced by their values.

    Examples
    --------
    >>> from workbench.tune import Ordinal, parse_space
    >>> from workbench.tune.space import decode
    >>> decode(parse_space({"mb": Ordinal([1, 2, 4])}), {"mb": 2})
    {'mb': 4}
    """
    return {k: (dims[k].decode(v) if isinstance(dims.get(k), Ordinal) else v) for k, v in params.items()}


_DIMS = (Integer, Real, Categorical, Ordinal)


def parse_space(space) -> dict:
    """A checked search space: ``{name: Integer | Real | Categorical}``.

    Parameters
    ----------
    space : dict
        ``{name: dimension}``, a dimension being an :class:`Integer`, :class:`Real` or
        :class:`Categorical`, a ``(low, high)`` pair (ints: :class:`Integer`; a float:
        :class:`Real`) or a list (:class:`Categorical`). Names are Python identifiers.

    Returns
    -------
    dict
        The same names, each with its dimension object.

    Raises
    ------
    SpaceError
        If the space is empty or not a dict, a name is not an identifier, or a dimension is
        malformed (empty or inverted range, bad step, no choices).

    Examples
    --------
    >>> from workbench.tune import parse_space
    >>> parse_space({"k": (1, 3), "x": (0, 1.0)})
    {'k': Integer(low=1, high=3, log=False, step=1), 'x': Real(low=0.0, high=1.0, log=False, step=None)}
    """
    if not isinstance(space, dict) or not space:
        raise SpaceError("the search space must be a non-empty dict of parameter name -> range or choices")
    out = {}
    for name, dim in space.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise SpaceError(f"parameter names must be identifiers, got {name!r}")
        if isinstance(dim, _DIMS):
            out[name] = dim
        elif isinstance(dim, tuple) and len(dim) == 2:
            lo, hi = dim
            if is_int(lo) and is_int(hi):
                out[name] = Integer(lo, hi)
            elif is_real(lo) and is_real(hi):
                out[name] = Real(lo, hi)
            else:
                raise SpaceError(f"{name}: a (low, high) range needs numbers, got {dim!r}")
        elif isinstance(dim, list):
            out[name] = Categorical(dim)
        else:
            raise SpaceError(
                f"{name}: give Integer(...), Real(...), Categorical([...]), a (low, high) pair or a list of "
                f"choices, got {dim!r}"
            )
    return out


def space_size(space) -> float:
    """How many points a space holds (``inf`` if a dimension is continuous).

    Parameters
    ----------
    space : dict
        A search space (see :func:`parse_space`).

    Returns
    -------
    float
        The product of the dimensions' sizes.

    Examples
    --------
    >>> from workbench.tune import space_size
    >>> space_size({"k": (1, 3), "policy": ["lru", "lfu"]})
    6.0
    """
    n = 1.0
    for d in parse_space(space).values():
        if isinstance(d, Real) and d.step is None:
            return math.inf
        n *= len(d.values())
    return n


def grid_of(space) -> dict:
    """Every value of every dimension: a grid for :func:`workbench.sweep` (exhaustive search).

    Parameters
    ----------
    space : dict
        A search space without continuous dimensions.

    Returns
    -------
    dict
        ``{name: [values...]}``.

    Raises
    ------
    SpaceError
        If a dimension is continuous.

    Examples
    --------
    >>> from workbench.tune import grid_of
    >>> grid_of({"k": (1, 3), "policy": ["lru", "lfu"]})
    {'k': [1, 2, 3], 'policy': ['lru', 'lfu']}
    """
    return {name: d.values() for name, d in parse_space(space).items()}
