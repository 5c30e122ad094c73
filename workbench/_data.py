"""Where the shipped data lives (the repository's top-level ``data/`` folder)."""

from __future__ import annotations

import os
import pathlib

__all__ = ["data_path"]


def data_path(*parts: str) -> pathlib.Path:
    """Return the path of a shipped data file or folder.

    The data folder is ``$WORKBENCH_DATA`` when set, otherwise the ``data/`` folder next
    to the ``workbench`` package (the repository checkout, which ``pip install -e .``
    uses).

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
    base = pathlib.Path(root) if root else pathlib.Path(__file__).resolve().parent.parent / "data"
    if not base.is_dir():
        raise FileNotFoundError(
            f"workbench data folder not found at {base}; install the project from its checkout "
            "with `pip install -e .` or set WORKBENCH_DATA to the repository's data/ folder"
        )
    path = base.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"no shipped data at {path}")
    return path
