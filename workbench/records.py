"""Experiment records: the frames a run produced, its parameters, seed and versions, on disk.

A record is a folder: one Parquet file per frame and ``record.json`` with the parameters, the
seed, the package and library versions and each file's SHA-256, so a report can cite exactly
what it ran. What a record protects against:

* **Partial writes.** :func:`save_record` writes into a temporary folder beside the target and
  renames it into place only when everything is on disk (a crash leaves a ``.partial`` folder,
  never a record; leftovers of an interrupted save are removed by the next save to that path).
* **Losing other files.** ``overwrite=True`` replaces only a folder that *is* a record (its
  ``record.json`` says so and it holds nothing but the record's files); any other folder or file
  is refused.
* **Silent change.** Every byte is covered: each frame file by its SHA-256, and ``record.json``
  by a hash of its whole content written in one canonical form, so a flipped bit, an edited
  value or a truncated file is refused by :func:`load_record` with a :class:`RecordError`. (The
  hashes detect accidents and edits, not a forger who recomputes them.)
* **Lossy parameters.** Parameters and the seed must survive JSON exactly: dicts with string
  keys, lists, strings, booleans, integers, finite floats and ``None``. Tuples (which would come
  back as lists), numpy scalars, NaN and other objects are refused when saving.

``content_hash`` identifies the content (frames, parameters, seed): the same run saved twice has
the same content hash, whatever the time or versions.

Examples
--------
>>> import tempfile, pandas as pd
>>> d = tempfile.mkdtemp()
>>> rec = save_record(f"{d}/run", {"results": pd.DataFrame({"x": [1, 2]})}, params={"n": 2}, seed=0)
>>> back = load_record(f"{d}/run")
>>> back.frames["results"].equals(rec.frames["results"]), back.content_hash == rec.content_hash
(True, True)
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import os
import pathlib
import platform
import re
import shutil
import uuid
from dataclasses import dataclass, field

import pandas as pd

from .errors import WorkbenchError
from .results import Result, json_params

__all__ = ["Record", "RecordError", "RecordWriteError", "save_record", "load_record"]

_FORMAT = 2
_INDEX = "record.json"


class RecordError(WorkbenchError):
    """A record that cannot be written or read as asked (exists, incomplete, altered, bad names).

    Examples
    --------
    >>> import tempfile
    >>> from workbench.records import RecordError, load_record
    >>> with tempfile.TemporaryDirectory() as d:
    ...     try:
    ...         load_record(d)
    ...     except RecordError as exc:
    ...         print(str(exc).endswith("is not a record (no record.json)"))
    True
    """


class RecordWriteError(RecordError, OSError):
    """The file system refused a write (read-only folder, disk full...); also an :class:`OSError`.

    Examples
    --------
    >>> from workbench.records import RecordError, RecordWriteError
    >>> issubclass(RecordWriteError, RecordError), issubclass(RecordWriteError, OSError)
    (True, True)
    """


@dataclass
class Record:
    """The frames of a record with its parameters, seed and metadata (versions, hashes, time).

    :func:`save_record` and :func:`load_record` return one.

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        The frames by name (a frame is stored as ``<name>.parquet``).
    params : dict
        The run's parameters.
    seed : object, default None
        The run's seed (an int, or anything JSON holds exactly).
    meta : dict, optional
        The rest of ``record.json``: ``format``, ``complete``, ``created``, ``versions``, ``files``
        (file name -> SHA-256), ``content_hash`` and ``record_hash``. Empty by default.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from workbench.records import save_record
    >>> with tempfile.TemporaryDirectory() as d:
    ...     rec = save_record(f"{d}/run", pd.DataFrame({"x": [1, 2]}), params={"n": 2}, seed=0)
    >>> list(rec.frames), rec.params, rec.seed, sorted(rec.meta["files"])
    (['results'], {'n': 2}, 0, ['results.parquet'])
    """

    frames: dict[str, pd.DataFrame]
    params: dict
    seed: object = None
    meta: dict = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the frames' files, the parameters and the seed (not of the time or versions)."""
        return self.meta.get("content_hash", "")


def _versions() -> dict:
    import numba
    import numpy

    from . import __version__

    return {
        "workbench": __version__,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "numba": numba.__version__,
        "pandas": pd.__version__,
    }


def _sha256(path: pathlib.Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _canonical(doc) -> str:
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=True, allow_nan=False) + "\n"


def _content_hash(files: dict, params: dict, seed) -> str:
    doc = json.dumps({"files": files, "params": params, "seed": seed}, sort_keys=True, allow_nan=False)
    return hashlib.sha256(doc.encode()).hexdigest()


def _record_hash(doc: dict) -> str:
    body = {k: v for k, v in doc.items() if k != "record_hash"}
    return hashlib.sha256(_canonical(body).encode()).hexdigest()


def _exact_json(value, where: str) -> None:
    """Refuse what JSON would not give back exactly (type for type, value for value)."""
    if value is None or type(value) in (bool, str, int):
        return
    if type(value) is float:
        if not math.isfinite(value):
            raise RecordError(f"{where} is {value!r}; JSON has no NaN or infinity (store it as a string or None)")
        return
    if type(value) is list:
        for i, v in enumerate(value):
            _exact_json(v, f"{where}[{i}]")
        return
    if type(value) is dict:
        for k, v in value.items():
            if type(k) is not str:
                raise RecordError(
                    f"{where} has the key {k!r} ({type(k).__name__}); keys must be strings "
                    "(JSON would turn it into a string)"
                )
            _exact_json(v, f"{where}[{k!r}]")
        return
    hint = (
        " (use a list)"
        if isinstance(value, tuple)
        else (" (convert numpy values with .item() or .tolist())" if type(value).__module__ == "numpy" else "")
    )
    raise RecordError(
        f"{where} is a {type(value).__name__}, which would not load back as saved{hint}; "
        "use dicts with string keys, lists, strings, booleans, integers, finite floats or None"
    )


def _is_record_folder(path: pathlib.Path) -> tuple[bool, str]:
    """Whether ``path`` is a record folder that may be replaced, and why not."""
    if not path.is_dir():
        return False, "is not a folder"
    index = path / _INDEX
    try:
        doc = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, f"has no readable {_INDEX}"
    if not isinstance(doc, dict) or doc.get("format") not in (1, _FORMAT) or not isinstance(doc.get("files"), dict):
        return False, f"has a {_INDEX} that does not describe a record"
    extra = sorted(p.name for p in path.iterdir() if p.name != _INDEX and p.name not in doc["files"])
    if extra:
        return False, f"holds files that are not part of the record ({', '.join(extra[:5])})"
    return True, ""


def _leftovers(path: pathlib.Path) -> list[pathlib.Path]:
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.[0-9a-f]{{8}}\.(partial|old)$")
    try:
        return [p for p in path.parent.iterdir() if pattern.match(p.name) and p.is_dir()]
    except OSError:
        return []


def save_record(path, frames, *, params: dict | None = None, seed=None, overwrite: bool = False) -> Record:
    """Write ``frames`` with their parameters and seed as a record folder at ``path``.

    Parameters
    ----------
    path : str or path-like
        The record folder to create.
    frames : DataFrame, dict of str to DataFrame, or Result
        One frame (saved as ``results``), several by name (identifiers: they become file names), or
        any lab's result (:class:`workbench.results.Result`): its summary and every frame, with its
        inputs as parameters (objects JSON cannot hold are described by their ``repr``).
    params : dict, optional
        The run's parameters; must survive a JSON round trip exactly (see the module docstring).
    seed : int or None, optional
        The run's seed (same rule).
    overwrite : bool, default False
        Replace an existing record at ``path``. A folder that is not a record, or a record folder
        holding other files, is never replaced.

    Returns
    -------
    Record
        The frames and the metadata written (versions, file hashes, ``content_hash``).

    Raises
    ------
    RecordError
        Bad names, parameters that would not round-trip, an existing target.
    RecordWriteError
        The file system refused the write (also an ``OSError``).

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from workbench.records import save_record
    >>> with tempfile.TemporaryDirectory() as d:
    ...     rec = save_record(f"{d}/run", {"results": pd.DataFrame({"x": [1, 2]})}, params={"n": 2}, seed=0)
    >>> len(rec.content_hash), rec.meta["format"]
    (64, 2)
    """
    path = pathlib.Path(path)
    if isinstance(frames, Result):  # any lab's result: its summary and frames, its inputs as parameters
        described = json_params(frames.params)
        params = {"result": type(frames).__name__, **described, **(params or {})}
        seed = described.get("seed") if seed is None else seed
        frames = frames.to_frames()
    if isinstance(frames, pd.DataFrame):
        frames = {"results": frames}
    if not isinstance(frames, dict) or not frames:
        raise RecordError("frames must be a DataFrame or a non-empty dict of name -> DataFrame")
    for name, df in frames.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise RecordError(f"frame names must be identifiers (they become file names), got {name!r}")
        if not isinstance(df, pd.DataFrame):
            raise RecordError(f"frame {name!r} is a {type(df).__name__}, not a DataFrame")
    params = {} if params is None else params
    if type(params) is not dict:
        raise RecordError(f"params must be a dict, got {type(params).__name__}")
    _exact_json(params, "params")
    _exact_json(seed, "seed")
    if path.exists() or path.is_symlink():
        if not overwrite:
            raise RecordError(f"{path} exists; pass overwrite=True to replace it")
        ok, why = _is_record_folder(path)
        if not ok or path.is_symlink():
            raise RecordError(f"{path} {why or 'is a link'}: refusing to replace something that is not a record")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in _leftovers(path):  # an interrupted earlier save of this record
            shutil.rmtree(old, ignore_errors=True)
        tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.partial"
        tmp.mkdir()
    except OSError as exc:
        raise RecordWriteError(f"cannot write a record at {path}: {exc.strerror or exc}") from None
    try:
        files = {}
        for name, df in frames.items():
            f = tmp / f"{name}.parquet"
            df.to_parquet(f, engine="pyarrow", index=True)
            files[f.name] = _sha256(f)
        doc = {
            "format": _FORMAT,
            "complete": True,
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "versions": _versions(),
            "files": files,
            "params": params,
            "seed": seed,
            "content_hash": _content_hash(files, params, seed),
        }
        doc["record_hash"] = _record_hash(doc)
        with open(tmp / _INDEX, "w", encoding="utf-8") as f:
            f.write(_canonical(doc))
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            old = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.old"
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, PermissionError):
            raise RecordWriteError(f"cannot write a record at {path}: {exc.strerror or exc}") from None
        raise
    meta = {k: v for k, v in doc.items() if k not in ("params", "seed")}
    return Record(dict(frames), params, seed, meta)


def load_record(path) -> Record:
    """Read a record folder written by :func:`save_record`, checking every byte.

    Parameters
    ----------
    path : str or path-like
        The record folder.

    Returns
    -------
    Record
        Bit-identical frames, the parameters, the seed and the metadata.

    Raises
    ------
    RecordError
        Not a record, incomplete, written by an older format, or altered in any byte.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from workbench.records import load_record, save_record
    >>> with tempfile.TemporaryDirectory() as d:
    ...     saved = save_record(f"{d}/run", pd.DataFrame({"x": [1, 2]}), params={"n": 2}, seed=0)
    ...     back = load_record(f"{d}/run")
    >>> back.frames["results"].x.tolist(), back.params, back.content_hash == saved.content_hash
    ([1, 2], {'n': 2}, True)
    """
    path = pathlib.Path(path)
    if path.name.endswith(".partial"):
        raise RecordError(f"{path} is a partially written record")
    index = path / _INDEX
    if not index.is_file():
        hint = ""
        if _leftovers(path):
            hint = "; an interrupted save left a hidden .partial/.old folder beside it"
        raise RecordError(f"{path} is not a record (no {_INDEX}){hint}")
    try:
        text = index.read_bytes().decode("utf-8")
        doc = json.loads(text)
    except UnicodeDecodeError:
        raise RecordError(f"{index} is not UTF-8 text: the record was altered or damaged") from None
    except json.JSONDecodeError as exc:
        raise RecordError(f"{index} is not valid JSON ({exc}): an incomplete or damaged record") from None
    except OSError as exc:
        raise RecordError(f"cannot read {index}: {exc.strerror or exc}") from None
    if not isinstance(doc, dict):
        raise RecordError(f"{index} holds a JSON {type(doc).__name__}, not a record's object")
    if doc.get("format") == 1:
        raise RecordError(
            f"{path} is a format-1 record (an older workbench), whose metadata is not fully hashed; "
            "run it again to write a format-2 record"
        )
    if doc.get("complete") is not True or doc.get("format") != _FORMAT or not isinstance(doc.get("files"), dict):
        raise RecordError(f"{path} is not a complete record of format {_FORMAT}")
    try:
        canonical = _canonical(doc)
    except ValueError:
        canonical = None
    if canonical != text:
        raise RecordError(f"{index} is not byte for byte what save_record wrote: the record was altered")
    if doc.get("record_hash") != _record_hash(doc):
        raise RecordError(f"{index} does not match its record hash: the record was altered")
    try:
        content = _content_hash(doc["files"], doc["params"], doc["seed"])
    except (KeyError, TypeError, ValueError):
        content = None
    if content is None or content != doc.get("content_hash"):
        raise RecordError(f"{index}: the parameters do not match the content hash; the record was altered")
    listed = set(doc["files"])
    extra = sorted(p.name for p in path.iterdir() if p.name != _INDEX and p.name not in listed)
    if extra:
        raise RecordError(f"{path} holds files that the record does not list ({', '.join(extra[:5])}): it was altered")
    frames = {}
    for fname, digest in doc["files"].items():
        if not (isinstance(fname, str) and fname.endswith(".parquet") and fname[:-8].isidentifier()):
            raise RecordError(f"{index} lists a file named {fname!r}, which save_record never writes")
        f = path / fname
        if not f.is_file():
            raise RecordError(f"{path} lacks {fname}: an incomplete record")
        if _sha256(f) != digest:
            raise RecordError(f"{f} does not match the hash it was written with: the record was altered")
        frames[fname.removesuffix(".parquet")] = pd.read_parquet(f, engine="pyarrow")
    meta = {k: v for k, v in doc.items() if k not in ("params", "seed")}
    return Record(frames, doc["params"], doc["seed"], meta)
