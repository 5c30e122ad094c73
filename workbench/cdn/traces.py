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
    """A trace file is malformed; the message names the file and the byte offset or line.

    A :class:`~workbench.errors.WorkbenchError` (hence a :class:`ValueError`).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from workbench.cdn import TraceFormatError, read_cache2k
    >>> with tempfile.TemporaryDirectory() as d:
    ...     bad = pathlib.Path(d) / "bad.trace"
    ...     _ = bad.write_bytes(b"abc")   # 3 bytes: not a whole 4-byte key
    ...     try:
    ...         read_cache2k(bad)
    ...     except TraceFormatError as err:
    ...         print(str(err).split(": ", 1)[1])
    3 bytes is not a whole number of 4-byte keys; the last record starts at byte offset 0
    """


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

    Usually built with :meth:`from_keys` or a reader; the constructor takes the dense form and
    checks it (the arrays are stored converted to the dtypes below).

    Parameters
    ----------
    ids : array_like of int
        Dense object id of each request (``0..n_objects-1``, in order of first appearance),
        stored as int32.
    keys : array_like of int
        The original object key of each dense id (``keys[ids]`` is the raw trace), stored as
        int64; at least one when there are requests.
    sizes : array_like of int, optional
        Object size of each request in bytes, one per request, each in [1, 2**48] and summing
        to less than 2**62; ``None`` (the default) means unit-size objects.
    times : array_like of float, optional
        Timestamp of each request in seconds (finite), one per request; ``None`` (the
        default) if the source has none.
    name : str, default ""
        A name for tables and plots.

    Attributes
    ----------
    n_requests : int
        Number of requests.
    n_objects : int
        Number of distinct objects.
    unit_size : bool
        Whether every object has size 1 (``sizes`` is None).
    footprint : int
        Objects (unit size) or bytes needed to hold every object at once.

    Raises
    ------
    WorkbenchError
        If an array has the wrong shape, dtype or range (an id outside ``0..len(keys)-1``, a
        size outside [1, 2**48]), there are requests but no keys, or ``name`` is not a string.

    Examples
    --------
    >>> from workbench.cdn import Trace
    >>> t = Trace([0, 1, 0], [7, 9])
    >>> t.n_requests, t.n_objects, t.raw().tolist()
    (3, 2, [7, 9, 7])
    """

    ids: np.ndarray
    keys: np.ndarray
    sizes: np.ndarray | None = None
    times: np.ndarray | None = None
    name: str = ""

    def __post_init__(self):
        # the cache kernels index per-object arrays by these ids without bounds checks
        given_ids, given_sizes = self.ids, self.sizes
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
        # what was checked is what the kernels see: the ids and sizes are private and read-only
        for name, given in (("ids", given_ids), ("sizes", given_sizes)):
            arr = getattr(self, name)
            if arr is not None and arr.flags.writeable:
                if isinstance(given, np.ndarray) and np.may_share_memory(arr, given):
                    arr = arr.copy()
                arr.setflags(write=False)
                object.__setattr__(self, name, arr)
        if not isinstance(self.name, str):
            raise WorkbenchError(f"a trace's name must be a string, got {type(self.name).__name__}")

    def check_ids(self) -> None:
        """Check again, just before a kernel runs, that every id indexes an object: a no-op while
        the ids and sizes are the read-only arrays checked when the trace was built, a full check
        if someone made them writeable again to edit them.

        Raises
        ------
        WorkbenchError
            If an id lies outside ``0..n_objects-1``, or the sizes no longer hold one integer
            >= 1 per request.
        """
        if not self.ids.flags.writeable and (self.sizes is None or not self.sizes.flags.writeable):
            return  # still the read-only arrays checked when the trace was built
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

        Parameters
        ----------
        keys : array_like of int
            The object key of every request, 1-D (whole-valued floats are accepted), fewer
            than 2**31.
        sizes : array_like of int, optional
            Object size of every request in bytes, each in [1, 2**48]; ``None`` (the default)
            means unit-size objects.
        times : array_like of float, optional
            Timestamp of every request in seconds (finite); ``None`` (the default) for none.
        name : str, default ""
            A name for tables and plots.

        Returns
        -------
        Trace
            Dense ids numbered in order of first appearance, ``keys`` holding each object's key.

        Raises
        ------
        WorkbenchError
            If ``keys`` is not a 1-D sequence of integers or has 2**31 or more entries, or
            ``sizes`` or ``times`` is not one valid value per request.

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
        """Number of requests."""
        return int(self.ids.shape[0])

    @property
    def n_objects(self) -> int:
        """Number of distinct objects."""
        return int(self.keys.shape[0])

    @property
    def unit_size(self) -> bool:
        """Whether every object has size 1 (the trace has no sizes)."""
        return self.sizes is None

    def request_sizes(self) -> np.ndarray:
        """Size of every request (ones for a unit-size trace).

        Returns
        -------
        numpy.ndarray of int64
            Bytes of each request, shape ``(n_requests,)``; the stored array itself when the
            trace has sizes.
        """
        return np.ones(self.n_requests, np.int64) if self.sizes is None else self.sizes

    def object_sizes(self) -> np.ndarray:
        """Size of each object when first requested (int64, indexed by dense id).

        Returns
        -------
        numpy.ndarray of int64
            Shape ``(n_objects,)``; ones for a unit-size trace.
        """
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
        """The original key of every request.

        Returns
        -------
        numpy.ndarray of int64
            ``keys[ids]``, shape ``(n_requests,)``.
        """
        return self.keys[self.ids]

    def head(self, n: int) -> Trace:
        """The first ``n`` requests (ids renumbered).

        Parameters
        ----------
        n : int
            Number of requests to keep (all of them if ``n`` exceeds :attr:`n_requests`).

        Returns
        -------
        Trace
            A new trace with the same name, sizes and times cut to those requests.
        """
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

        Parameters
        ----------
        ttl_seconds : float
            Time to live in seconds, a finite number > 0.

        Returns
        -------
        Trace
            A new trace with the same sizes and times, named ``"<name> (TTL <ttl_seconds> s)"``.

        Raises
        ------
        WorkbenchError
            If the trace has no timestamps or they decrease, or ``ttl_seconds`` is not a
            finite number > 0.

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
        """Requests, objects, one-hit wonders and footprint, as a dict.

        Returns
        -------
        dict
            Keys ``name``, ``requests``, ``objects``, ``one_hit_wonders`` (objects requested
            once), ``footprint`` and ``unit_size``.
        """
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

    Parameters
    ----------
    path : str or os.PathLike
        The file to read; a ``.xz`` suffix means xz-compressed.
    name : str, optional
        Name of the trace; ``None`` (the default) takes the file name up to its first dot.

    Returns
    -------
    Trace
        A unit-size trace without timestamps.

    Raises
    ------
    TraceFormatError
        If the file does not exist, is not valid xz, or its length is not a multiple of 4 bytes.

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
    """Read libCacheSim's oracleGeneral binary format (24-byte records, optionally ``.xz``; ``.zst`` is not supported).

    Records are ``<time u32, id u64, size u32, next i64>``; the next-access field is
    ignored (the kernels compute it). ``unit_size=True`` drops the sizes.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read; a ``.xz`` suffix means xz-compressed.
    name : str, optional
        Name of the trace; ``None`` (the default) takes the file name up to its first dot.
    unit_size : bool, default False
        Drop the sizes and treat every object as size 1.

    Returns
    -------
    Trace
        Keys from the ``id`` field (read as int64), sizes in bytes (unless ``unit_size``) and
        timestamps in seconds.

    Raises
    ------
    TraceFormatError
        If the file does not exist, is not valid xz, ends in a partial record, or a record
        has size 0.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from workbench.cdn import Trace, read_oracle_general, write_oracle_general
    >>> t = Trace.from_keys([7, 9, 7, 3], sizes=[10, 20, 10, 5], times=[0, 1, 2, 3])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     back = read_oracle_general(write_oracle_general(t, pathlib.Path(d) / "demo.bin"))
    >>> back.raw().tolist(), back.sizes.tolist(), back.name
    ([7, 9, 7, 3], [10, 20, 10, 5], 'demo')
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
    A trace without timestamps is written with the request index as its time, a unit-size
    trace with size 1.

    Parameters
    ----------
    trace : Trace
        The trace to write.
    path : str or os.PathLike
        The file to write (overwritten if it exists; written uncompressed).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    TraceFormatError
        If ``trace`` is not a Trace, a size exceeds 2**32 - 1, or a time is not a whole
        number of seconds in [0, 2**32 - 1].
    WorkbenchError
        If the trace's arrays were edited into an invalid state.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from workbench.cdn import Trace, write_oracle_general
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = write_oracle_general(Trace.from_keys([1, 2, 1]), pathlib.Path(d) / "t.bin")
    ...     print(path.name, path.stat().st_size)   # 3 records of 24 bytes
    t.bin 72
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

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.
    key : str or int, default 0
        Column (name, or position if an int) of the object key.
    size : str or int, optional
        Column of the object size in bytes (numbers, each >= 1); ``None`` (the default) gives a
        unit-size trace.
    time : str or int, optional
        Column of the timestamp in seconds; ``None`` (the default) for none.
    name : str, optional
        Name of the trace; ``None`` (the default) takes the file name without its extension.
    **read_csv_kwargs
        Passed to :func:`pandas.read_csv` (e.g. ``sep``, ``header``, ``usecols``).

    Returns
    -------
    Trace
        One request per CSV row.

    Raises
    ------
    TraceFormatError
        If the file does not exist or cannot be parsed, a column is missing, a size is not a
        whole number, or a time is not a number.
    WorkbenchError
        If a size is out of range or a time is not finite.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from workbench.cdn import read_csv
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = pathlib.Path(d) / "log.csv"
    ...     _ = path.write_text("url,bytes,ts\\n/a,100,0.5\\n/b,200,1.0\\n/a,100,2.5\\n")
    ...     t = read_csv(path, key="url", size="bytes", time="ts")
    >>> t.ids.tolist(), t.footprint, t.name
    ([0, 1, 0], 300, 'log')
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
    if s is not None and not (np.isfinite(s) & (s == np.floor(s))).all():
        bad = int(np.flatnonzero(~(np.isfinite(s) & (s == np.floor(s))))[0])
        raise TraceFormatError(f"{path}: line {bad + 2}: size {s.iloc[bad]!r} is not a whole number of bytes")
    t = col(time)
    if t is not None:
        tn = pd.to_numeric(t, errors="coerce")
        if tn.isna().any():
            bad = int(np.flatnonzero(tn.isna())[0])
            raise TraceFormatError(f"{path}: line {bad + 2}: time {t.iloc[bad]!r} is not a number")
        t = tn
    return Trace.from_keys(
        k.to_numpy(np.int64),
        None if s is None else s.to_numpy(np.int64),
        None if t is None else t.to_numpy(np.float64),
        name or os.path.splitext(path.name)[0],
    )
