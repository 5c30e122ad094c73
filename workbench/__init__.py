"""workbench: a Jupyter-first research and teaching workbench.

Five labs (AI optimization, edge computing, blockchain, quantum computing, global CDN)
built on small numba kernels and driven from notebooks. Shared pieces live here:

* :mod:`workbench.net` -- graphs, geography, shortest-path routing kernels, real topologies;
* :mod:`workbench.viz` -- Altair helpers and the renderer policy for live vs. report runs;
* :mod:`workbench.report` -- headless notebook execution and offline HTML export;
* :func:`workbench.sweep` -- any lab function over a parameter grid and seeds, in-process or on Dask
  (:mod:`workbench.sweeps`);
* :mod:`workbench.records` -- experiment records (Parquet frames, JSON parameters, versions and hashes).

Sub-packages are imported on first use, so ``import workbench`` stays cheap.
"""

from __future__ import annotations

import importlib

from ._config import ensure_numba_cache as _ensure_numba_cache
from ._data import data_path

__version__ = "0.1.0"
__all__ = ["net", "viz", "report", "sweep", "data_path", "__version__"]

_ensure_numba_cache()

_SUBMODULES = {"net", "viz", "report"}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name == "sweep":
        return importlib.import_module(f"{__name__}.sweeps").sweep
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES | {"sweep"})
