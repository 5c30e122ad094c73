"""Package-wide numeric settings: numba's fastmath policy and its on-disk cache.

Every kernel module imports :data:`STRICT` or :data:`FAST` from here and passes it to
``@njit(cache=True, fastmath=...)`` explicitly, so the policy of each kernel is visible
where it is defined and checked by ``tests/test_config.py``.
"""

from __future__ import annotations

import os
import pathlib
import sys
import tempfile

__all__ = ["STRICT", "FAST", "choose_numba_cache_dir", "ensure_numba_cache"]

#: No fastmath: bit-for-bit IEEE semantics. Use for every kernel compared to a reference.
STRICT: bool = False

#: Fastmath without ``nnan``/``ninf`` (those silently break NaN/inf checks). Allowed only in
#: kernels whose results are not compared exactly to a reference.
FAST: frozenset[str] = frozenset({"nsz", "arcp", "contract", "afn", "reassoc"})

PACKAGE_DIR = pathlib.Path(__file__).resolve().parent


def choose_numba_cache_dir(
    package_dir: os.PathLike | str = PACKAGE_DIR,
    home: os.PathLike | str | None = None,
    *,
    env: dict | None = None,
    access=os.access,
) -> str | None:
    """Return a cache folder for numba, or ``None`` when numba's own choice works.

    numba writes ``cache=True`` artefacts to ``NUMBA_CACHE_DIR`` if set, else to
    ``__pycache__`` next to the source if writable, else to ``~/.cache/numba``. When none
    of these is writable (a read-only install with no home folder, as in some containers)
    the ``@njit(cache=True)`` decorator raises at import time. This function detects that
    case and returns a folder under the system temp dir instead.

    Parameters
    ----------
    package_dir : path
        The folder holding the kernel sources.
    home : path, optional
        The user's home folder (defaults to :func:`pathlib.Path.home`).
    env : dict, optional
        Environment to consult (defaults to :data:`os.environ`).
    access : callable
        ``os.access``-like predicate (injectable for tests).

    Returns
    -------
    str or None

    Examples
    --------
    >>> choose_numba_cache_dir("/pkg", "/home/u", env={}, access=lambda p, m: False).endswith("workbench-numba-cache")
    True
    >>> choose_numba_cache_dir("/pkg", "/home/u", env={}, access=lambda p, m: True) is None
    True
    """
    env = os.environ if env is None else env
    if env.get("NUMBA_CACHE_DIR"):
        return None
    package_dir = pathlib.Path(package_dir)
    try:
        home = pathlib.Path.home() if home is None else pathlib.Path(home)
    except RuntimeError:  # no home directory can be determined
        home = None
    if access(str(package_dir), os.W_OK):
        return None
    if home is not None and access(str(home), os.W_OK):
        return None
    return os.path.join(tempfile.gettempdir(), "workbench-numba-cache")


def ensure_numba_cache() -> str | None:
    """Point numba's cache at a writable folder when its defaults are not writable.

    Called once when :mod:`workbench` is imported, before any kernel module is loaded.
    Returns the folder it set, or ``None`` when it left numba's choice alone.
    """
    folder = choose_numba_cache_dir()
    if folder is not None:
        os.makedirs(folder, exist_ok=True)
        # numba's documented switch; read when numba is first imported, which this precedes
        os.environ["NUMBA_CACHE_DIR"] = folder
        if "numba" in sys.modules:  # numba was imported first: set its public config namespace too
            import numba

            numba.config.CACHE_DIR = folder
    return folder
