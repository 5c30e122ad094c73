"""Where the shipped data lives (the repository's top-level ``data/`` folder)."""

from __future__ import annotations

import os
import pathlib

__all__ = ["data_path"]


def _shipped() -> pathlib.Path:
    """The folder of the package ``workbench.data``: inside an installed wheel, or the checkout's
    ``data/`` (an editable install maps the package onto it; a bare checkout falls back to it)."""
    try:
        from importlib.resources import files

        base = files("workbench.data")
        if isinstance(base, pathlib.Path) and base.is_dir():
            return base
        return pathlib.Path(str(base))
    except ModuleNotFoundError:
        return pathlib.Path(__file__).resolve().parent.parent / "data"


def data_path(*parts: str) -> pathlib.Path:
    """Return the path of a shipped data file or folder.

    The data folder is ``$WORKBENCH_DATA`` when set, otherwise the package ``workbench.data``:
    the repository's top-level ``data/`` folder in a checkout (``pip install -e .``), or the copy a
    built wheel installs.

    Parameters
    ----------
    *parts : str
        Path components below the data folder, e.g. ``"topologies", "Abilene.graphml"``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    FileNotFoundError
        If the data folder or the requested file does not exist.

    Examples
    --------
    >>> data_path("topologies").name
    'topologies'
    """
    root = os.environ.get("WORKBENCH_DATA")
    base = pathlib.Path(root) if root else _shipped()
    if not base.is_dir():
        raise FileNotFoundError(
            f"workbench data folder not found at {base}; install the project (`pip install .` or a "
            "built wheel) or set WORKBENCH_DATA to the repository's data/ folder"
        )
    path = base.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"no shipped data at {path}")
    return path
