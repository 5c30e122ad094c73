"""Request traces: a compact in-memory form, readers and writers for real trace formats.

A :class:`Trace` holds the requested object of every request as a dense id (``0..n-1`` in
order of first appearance), the original keys, and optionally object sizes and timestamps.
The cache kernels work on the dense ids; converting once lets every policy and cache size
reuse the same arrays.
"""

from __future__ import annotations

import lzma
import os
import pathlib
from dataclasses import dataclass

import numpy as np

from ..errors import Array, Real, WorkbenchError, check
from . import _kernels

__all__ = [
    "Trace",
    "TraceFormatError",
    "read_cache2k",
    "read_oracle_general",
    "write_oracle_general",
    "read_csv",
    "ORACLE_GENERAL_DTYPE",
]

#: libCacheSim's oracleGeneral binary record: timestamp, object id, size, next access (vtime).
ORACLE_GENERAL_DTYPE = np.dtype([("time", "<u4"), ("id", "<u8"), ("size", "<u4"), ("next", "<i8")])


#: The largest object a trace may hold (256 TiB): sums of sizes stay exact in int64.
MAX_OBJECT_BYTES = 2**48


class TraceFormatError(WorkbenchError):
    """A trace file is malformed; the message names the file and the byte offset or line."""


def _as_keys(keys) -> np.ndarray:
    a = np.asarray(keys)
    if a.ndim != 1:
        raise WorkbenchError(f"requests must be a 1-D sequence of object ids, got shape {a.shape}")
    if a.size and not np.issubdtype(a.dtype, np.integer):
        if np.issubdtype(a.dtype, np.floating) and np.all(np.isfinite(a)) and np.all(a == np.round(a)):
            a = a.astype(np.int64)
        else:
            raise WorkbenchError(f"object ids must be integers, got dtype {a.dtype}")
    return a.astype(np.int64, copy=False)


@dataclass(frozen=True, eq=False)
class Trace:
    """A request trace ready for the cache kernels.

    Attributes
    ----------
    ids : ndarray of int32
        Dense object id of each request (``0..n_objects-1``, in order of first appearance).
    keys : ndarray of int64
        The original object key of each dense id (``keys[ids]`` is the raw trace).
    sizes : ndarray of int64 or None
        Object size of each request in bytes; ``None`` means unit-size objects.
    times : ndarray of float64 or None
        Timestamp of each request in seconds, if the source has them.
    name : str
    """

    ids: np.ndarray
    keys: np.ndarray
    sizes: np.ndarray | None = None
    times: np.ndarray | None = None
    name: str = ""

    def __post_init__(self):
        # the cache kernels index per-object arrays by these ids without bounds checks
        keys = check("keys", self.keys, Array("int64", ndim=1), WorkbenchError)
        ids = check("ids", self.ids, Array("int32", ndim=1, lo=0, hi=max(keys.shape[0] - 1, 0)), WorkbenchError)
        if ids.size and not keys.size:
            raise WorkbenchError("a trace with requests needs the keys of its objects")
        object.__setattr__(self, "ids", ids)
        object.__setattr__(self, "keys", keys)
        if self.sizes is not None:
            sizes = check(
                "sizes",
                self.sizes,
                Array("int64", shape=ids.shape, lo=1, hi=MAX_OBJECT_BYTES, integer=True),
                WorkbenchError,
            )
            object.__setattr__(self, "sizes", sizes)
            if sizes.size and float(sizes.astype(np.float64).sum()) >= 2.0**62:
                raise WorkbenchError("the trace's sizes add up past 2**62 bytes; cache sizes and footprints are int64")
        if self.times is not None:
            object.__setattr__(self, "times", check("times", self.times, Array(shape=ids.shape), WorkbenchError))
        if not isinstance(self.name, str):
            raise WorkbenchError(f"a trace's name must be a string, got {type(self.name).__name__}")

    def check_ids(self) -> None:
        """Check again, just before a kernel runs, that every id indexes an object (the arrays of a
        frozen dataclass can still be edited in place)."""
        if self.ids.size and (self.ids.min() < 0 or self.ids.max() >= self.keys.shape[0]):
            raise WorkbenchError(
                f"the trace's ids must lie in [0, {self.keys.shape[0]}) (its objects); "
                "they were changed after the trace was built"
            )
        if self.sizes is not None and (
            self.sizes.shape != self.ids.shape or (self.sizes.size and self.sizes.min() < 1)
        ):
            raise WorkbenchError("the trace's sizes were changed after it was built: one integer >= 1 per request")

    @classmethod
    def from_keys(cls, keys, sizes=None, times=None, name: str = "") -> Trace:
        """Build a trace from raw object keys (any int64 values), with optional sizes and times.

        Examples
        --------
        >>> t = Trace.from_keys([7, 9, 7, 3])
        >>> t.ids.tolist(), t.keys.tolist(), t.n_objects
        ([0, 1, 0, 2], [7, 9, 3], 3)
        """
        k = _as_keys(keys)
        if k.size >= 2**31:
            raise WorkbenchError(f"traces are limited to 2**31 - 1 requests, got {k.size:,}; split the trace")
        ids, uniques = _kernels.densify(k)
        if sizes is not None:
            sizes = check(
                "sizes (object sizes in bytes, one per request)",
                sizes,
                Array("int64", shape=k.shape, lo=1, hi=MAX_OBJECT_BYTES, integer=True),
                WorkbenchError,
            )
        if times is not None:
            times = check("times (one per request)", times, Array(shape=k.shape), WorkbenchError)
        return cls(ids, uniques, sizes, times, name)

    # -- basic facts ---------------------------------------------------------------------
    @property
    def n_requests(self) -> int:
        return int(self.ids.shape[0])

    @property
    def n_objects(self) -> int:
        return int(self.keys.shape[0])

    @property
    def unit_size(self) -> bool:
        return self.sizes is None

    def request_sizes(self) -> np.ndarray:
        """Size of every request (ones for a unit-size trace)."""
        return np.ones(self.n_requests, np.int64) if self.sizes is None else self.sizes

    def object_sizes(self) -> np.ndarray:
        """Size of each object when first requested (int64, indexed by dense id)."""
        if self.sizes is None:
            return np.ones(self.n_objects, np.int64)
        first = np.full(self.n_objects, -1, np.int64)
        first[self.ids[::-1]] = np.arange(self.n_requests)[::-1]
        return self.sizes[first]

    @property
    def footprint(self) -> int:
        """Objects (unit size) or bytes (sized) needed to hold every object at once."""
        return int(self.object_sizes().sum())

    def raw(self) -> np.ndarray:
        """The original key of every request."""
        return self.keys[self.ids]

    def head(self, n: int) -> Trace:
        """The first ``n`` requests (ids renumbered)."""
        return Trace.from_keys(
            self.raw()[:n],
            None if self.sizes is None else self.sizes[:n],
            None if self.times is None else self.times[:n],
            self.name,
        )

    def with_ttl(self, ttl_seconds: float) -> Trace:
        """The same requests with objects that expire ``ttl_seconds`` after they were fetched.

        A request arriving more than ``ttl_seconds`` after the first request of its object's
        current version asks for a new version (a new object key), so it misses in every
        policy and the stale copy ages out of the cache like any unused object. The expiry
        clock starts at a version's first request; a copy evicted and re-fetched before it
        expires keeps that clock (libCacheSim restarts it on re-insertion, a small difference).
        Needs timestamps.

        Examples
        --------
        >>> t = Trace.from_keys([1, 1, 1], times=[0.0, 5.0, 20.0]).with_ttl(10)
        >>> t.n_objects, t.ids.tolist(), t.raw().tolist()
        (2, [0, 0, 1], [1, 1, 2])
        """
        if self.times is None:
            raise WorkbenchError("TTL expiry needs request timestamps; this trace has none")
        ttl_seconds = check("ttl_seconds", ttl_seconds, Real(0, lo_open=True), WorkbenchError)
        if not ttl_seconds > 0:
            raise WorkbenchError(f"ttl_seconds must be > 0, got {ttl_seconds!r}")
        if np.any(np.diff(self.times) < 0):
            raise WorkbenchError("TTL expiry needs timestamps in non-decreasing order")
        version = _kernels.ttl_versions(self.ids, self.times, self.n_objects, float(ttl_seconds))
        raw = self.raw()
        keys = raw.copy()  # version 0 keeps its key; later versions get fresh keys above the largest
        newer = version > 0
        if newer.any():
            pairs = self.ids[newer].astype(np.int64) * (int(version.max()) + 1) + version[newer]
            _, inverse = np.unique(pairs, return_inverse=True)
            keys[newer] = int(raw.max()) + 1 + inverse
        return Trace.from_keys(keys, self.sizes, self.times, f"{self.name} (TTL {ttl_seconds:g} s)")

    def summary(self) -> dict:
        """Requests, objects, one-hit wonders and footprint, as a dict."""
        counts = np.bincount(self.ids, minlength=self.n_objects)
        return {
            "name": self.name,
            "requests": self.n_requests,
            "objects": self.n_objects,
            "one_hit_wonders": int((counts == 1).sum()),
            "footprint": self.footprint,
            "unit_size": self.unit_size,
        }

    def __repr__(self) -> str:
        kind = "unit-size" if self.unit_size else f"{self.footprint:,} bytes footprint"
        return f"Trace({self.name!r}: {self.n_requests:,} requests, {self.n_objects:,} objects, {kind})"


def fresh_keys(used: np.ndarray, n: int) -> np.ndarray:
    """``n`` int64 keys that are not in ``used``: above its largest key where they fit, else below its
    smallest, else the unused values in between (traces may use any int64 key, 2**63 - 1 included)."""
    n = int(n)
    if n == 0:
        return np.zeros(0, np.int64)
    if used.size == 0:
        return np.arange(n, dtype=np.int64)
    hi, lo = int(used.max()), int(used.min())
    if hi + n <= 2**63 - 1:
        return np.arange(hi + 1, hi + 1 + n, dtype=np.int64)
    if lo - n >= -(2**63):
        return np.arange(lo - n, lo, dtype=np.int64)
    taken = np.unique(used)  # fewer than 2**64 - n keys are used, so enough gaps exist among small values
    cand = np.arange(-n - taken.size, n + taken.size, dtype=np.int64)
    return cand[~np.isin(cand, taken)][:n]


# ---------------------------------------------------------------------------------------
# readers and writers


def _read_bytes(path) -> tuple[pathlib.Path, bytes]:
    path = pathlib.Path(path)
    if not path.is_file():
        raise TraceFormatError(f"trace file not found: {path}")
    try:
        if path.suffix == ".xz":
            with lzma.open(path) as f:
                return path, f.read()
        return path, path.read_bytes()
    except lzma.LZMAError as exc:
        raise TraceFormatError(f"{path}: not a valid xz file ({exc})") from None


def read_cache2k(path, name: str | None = None) -> Trace:
    """Read a cache2k trace: a flat array of big-endian int32 keys (optionally ``.xz``).

    Examples
    --------
    >>> from workbench import data_path
    >>> read_cache2k(data_path("traces", "web07.trace.xz")).n_requests
    76118
    """
    path, raw = _read_bytes(path)
    if len(raw) % 4:
        raise TraceFormatError(
            f"{path}: {len(raw)} bytes is not a whole number of 4-byte keys; "
            f"the last record starts at byte offset {len(raw) - len(raw) % 4}"
        )
    keys = np.frombuffer(raw, dtype=">i4").astype(np.int64)
    return Trace.from_keys(keys, name=name or path.name.split(".")[0])


def read_oracle_general(path, name: str | None = None, *, unit_size: bool = False) -> Trace:
    """Read libCacheSim's oracleGeneral binary format (24-byte records, optionally ``.xz``/``.zst`` not supported).

    Records are ``<time u32, id u64, size u32, next i64>``; the next-access field is
    ignored (the kernels compute it). ``unit_size=True`` drops the sizes.
    """
    path, raw = _read_bytes(path)
    rec = ORACLE_GENERAL_DTYPE.itemsize
    if len(raw) % rec:
        raise TraceFormatError(
            f"{path}: {len(raw)} bytes is not a whole number of {rec}-byte oracleGeneral records; "
            f"a partial record starts at byte offset {len(raw) - len(raw) % rec}"
        )
    a = np.frombuffer(raw, dtype=ORACLE_GENERAL_DTYPE)
    if a.size and (a["size"] == 0).any():
        bad = int(np.flatnonzero(a["size"] == 0)[0])
        raise TraceFormatError(f"{path}: record {bad} (byte offset {bad * rec}) has object size 0")
    return Trace.from_keys(
        a["id"].astype(np.int64),
        None if unit_size else a["size"].astype(np.int64),
        a["time"].astype(np.float64),
        name or path.name.split(".")[0],
    )


def write_oracle_general(trace: Trace, path) -> pathlib.Path:
    """Write a trace in libCacheSim's oracleGeneral format (with next-access times).

    The format holds times as whole seconds and sizes as unsigned 32-bit integers; a trace whose
    values do not fit is refused (:class:`TraceFormatError`) rather than written altered.
    """
    if not isinstance(trace, Trace):
        raise TraceFormatError(f"write_oracle_general takes a Trace, got {type(trace).__name__}")
    trace.check_ids()
    sizes = trace.request_sizes()
    if sizes.size and sizes.max() > 2**32 - 1:
        i = int(np.argmax(sizes > 2**32 - 1))
        raise TraceFormatError(
            f"request {i} has size {int(sizes[i]):,} bytes; oracleGeneral stores sizes as "
            f"uint32 (at most {2**32 - 1:,})"
        )
    if trace.times is not None and trace.times.size:
        t = trace.times
        bad = (t < 0) | (t > 2**32 - 1) | (t != np.floor(t))
        if bad.any():
            i = int(np.argmax(bad))
            raise TraceFormatError(
                f"request {i} has time {float(t[i])!r}; oracleGeneral stores whole seconds as uint32 "
                f"(integers in [0, {2**32 - 1}])"
            )
    n = trace.n_requests
    nu = _kernels.next_use(trace.ids, trace.n_objects)
    a = np.zeros(n, ORACLE_GENERAL_DTYPE)
    a["time"] = np.arange(n) if trace.times is None else trace.times.astype(np.uint32)
    a["id"] = trace.raw().astype(np.uint64)
    a["size"] = trace.request_sizes().astype(np.uint32)
    a["next"] = np.where(nu >= n, -1, nu)
    path = pathlib.Path(path)
    a.tofile(path)
    return path


def read_csv(
    path,
    key: str | int = 0,
    size: str | int | None = None,
    time: str | int | None = None,
    name: str | None = None,
    **read_csv_kwargs,
) -> Trace:
    """Read a CSV trace with pandas; ``key``/``size``/``time`` name or number the columns.

    Keys that are not integers (e.g. URLs) are mapped to integers in order of appearance.
    """
    import pandas as pd

    path = pathlib.Path(path)
    if not path.is_file():
        raise TraceFormatError(f"trace file not found: {path}")
    try:
        df = pd.read_csv(path, **read_csv_kwargs)
    except (ValueError, pd.errors.ParserError) as exc:
        raise TraceFormatError(f"{path}: cannot parse as CSV ({exc})") from None

    def col(c):
        if c is None:
            return None
        try:
            return df[c] if not isinstance(c, int) else df.iloc[:, c]
        except (KeyError, IndexError):
            raise TraceFormatError(f"{path}: no column {c!r}; columns are {list(df.columns)}") from None

    k = col(key)
    if not pd.api.types.is_integer_dtype(k):
        k = pd.Series(pd.factorize(k)[0])
    s = col(size)
    if s is not None and (not pd.api.types.is_numeric_dtype(s) or s.isna().any()):
        bad = int(np.flatnonzero(pd.to_numeric(s, errors="coerce").isna())[0])
        raise TraceFormatError(f"{path}: line {bad + 2}: size {s.iloc[bad]!r} is not a number")
    t = col(time)
    return Trace.from_keys(
        k.to_numpy(np.int64),
        None if s is None else s.to_numpy(np.int64),
        None if t is None else pd.to_numeric(t).to_numpy(np.float64),
        name or os.path.splitext(path.name)[0],
    )
