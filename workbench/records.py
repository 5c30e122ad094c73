"""Experiment records: the frames a run produced, its parameters, seed and versions, on disk.

A record is a folder: one Parquet file per frame and ``record.json`` with the parameters, the
seed, the package and library versions, each file's SHA-256 and a content hash over all of it,
so a report can cite exactly what it ran. :func:`save_record` writes into a temporary folder
beside the target and renames it into place only when everything is written (a crash leaves a
``.partial`` folder that :func:`load_record` never takes for a record); :func:`load_record`
checks every hash and gives back bit-identical frames.

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
import os
import pathlib
import platform
import shutil
import uuid
from dataclasses import dataclass, field

import pandas as pd

from .errors import WorkbenchError

__all__ = ["Record", "RecordError", "save_record", "load_record"]

_FORMAT = 1


class RecordError(WorkbenchError):
    """A record that cannot be written or read as asked (exists, incomplete, altered, bad names)."""


@dataclass
class Record:
    frames: dict[str, pd.DataFrame]
    params: dict
    seed: object = None
    meta: dict = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return self.meta.get("content_hash", "")


def _versions() -> dict:
    import numba
    import numpy

    from . import __version__

    return {"workbench": __version__, "python": platform.python_version(), "numpy": numpy.__version__,
            "numba": numba.__version__, "pandas": pd.__version__}


def _sha256(path: pathlib.Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _content_hash(files: dict, params: dict, seed) -> str:
    doc = json.dumps({"files": files, "params": params, "seed": seed}, sort_keys=True, default=str)
    return hashlib.sha256(doc.encode()).hexdigest()


def save_record(path, frames, *, params: dict | None = None, seed=None, overwrite: bool = False) -> Record:
    """Write ``frames`` (a DataFrame, or a dict of name -> DataFrame) with ``params`` (JSON-able)
    and ``seed`` as a record folder at ``path``; returns the :class:`Record` with its metadata."""
    path = pathlib.Path(path)
    if isinstance(frames, pd.DataFrame):
        frames = {"results": frames}
    if not isinstance(frames, dict) or not frames:
        raise RecordError("frames must be a DataFrame or a non-empty dict of name -> DataFrame")
    for name, df in frames.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise RecordError(f"frame names must be identifiers (they become file names), got {name!r}")
        if not isinstance(df, pd.DataFrame):
            raise RecordError(f"frame {name!r} is a {type(df).__name__}, not a DataFrame")
    params = dict(params or {})
    try:
        json.dumps(params)
        json.dumps(seed)
    except TypeError as exc:
        raise RecordError(f"params and seed must be JSON-serializable: {exc}") from None
    if path.exists() and not overwrite:
        raise RecordError(f"{path} exists; pass overwrite=True to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.partial"
    tmp.mkdir()
    try:
        files = {}
        for name, df in frames.items():
            f = tmp / f"{name}.parquet"
            df.to_parquet(f, engine="pyarrow", index=True)
            files[f.name] = _sha256(f)
        meta = {"format": _FORMAT, "complete": True, "created": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                "versions": _versions(), "files": files, "content_hash": _content_hash(files, params, seed)}
        doc = {"params": params, "seed": seed, **meta}
        with open(tmp / "record.json", "w") as f:
            json.dump(doc, f, indent=2, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            old = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.old"
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Record({k: v for k, v in frames.items()}, params, seed, meta)


def load_record(path) -> Record:
    """Read a record folder written by :func:`save_record`, checking that it is complete and that
    every file still has the hash it was written with."""
    path = pathlib.Path(path)
    if path.name.endswith(".partial"):
        raise RecordError(f"{path} is a partially written record")
    index = path / "record.json"
    if not index.is_file():
        raise RecordError(f"{path} is not a record (no record.json)")
    try:
        doc = json.loads(index.read_text())
    except json.JSONDecodeError as exc:
        raise RecordError(f"{index} is not valid JSON ({exc}): an incomplete or damaged record") from None
    if doc.get("complete") is not True or doc.get("format") != _FORMAT or "files" not in doc:
        raise RecordError(f"{path} is not a complete record of format {_FORMAT}")
    frames = {}
    for fname, digest in doc["files"].items():
        f = path / fname
        if not f.is_file():
            raise RecordError(f"{path} lacks {fname}: an incomplete record")
        if _sha256(f) != digest:
            raise RecordError(f"{f} does not match the hash it was written with: the record was altered")
        frames[fname.removesuffix(".parquet")] = pd.read_parquet(f, engine="pyarrow")
    if _content_hash(doc["files"], doc["params"], doc["seed"]) != doc.get("content_hash"):
        raise RecordError(f"{index}: the parameters do not match the content hash; the record was altered")
    meta = {k: v for k, v in doc.items() if k not in ("params", "seed")}
    return Record(frames, doc["params"], doc["seed"], meta)
