"""App mode: a lab notebook served as a web dashboard by Voila, offline, on loopback.

    python -m workbench.app notebooks/cdn.ipynb [--port 8866] [--smoke] [-p NAME=VALUE ...]

runs ``voila`` with the ``workbench`` template (Voila's lab template without the stylesheets it
would fetch from a CDN) and the live Altair renderer, whose vega bundle ships inside the page:
charts and widgets render with no network. Voila is the ``app`` extra
(``pip install -e '.[app]'``); the cells execute when a page is opened. ``--smoke`` (the
notebook's own small sizes, as in ``python -m workbench.report --smoke``) and ``-p NAME=VALUE``
serve a copy with those parameters injected after the ``parameters`` cell, so a class can open a
dashboard in seconds instead of minutes.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile

from ..errors import WorkbenchError
from ..nbio import NotebookError, inject_parameters, parse_param, read_notebook, smoke_parameters

__all__ = ["TEMPLATE_ROOT", "voila_command", "parameterised_copy", "free_port", "main"]

#: a folder on JUPYTER_PATH that holds ``voila/templates/workbench``
TEMPLATE_ROOT = pathlib.Path(__file__).resolve().parent


def free_port() -> int:
    """A free TCP port on loopback.

    The port is free when the function returns; another process may take it before it is used.

    Returns
    -------
    int
        A port number the operating system picked on 127.0.0.1.

    Examples
    --------
    >>> from workbench.app import free_port
    >>> 0 < free_port() < 65536
    True
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def parameterised_copy(notebook, parameters: dict, folder) -> pathlib.Path:
    """A copy of ``notebook`` in ``folder`` with ``parameters`` injected after its parameters cell.

    Parameters
    ----------
    notebook : str or path-like
        The ``.ipynb`` file (not changed).
    parameters : dict
        Name -> value (see :func:`workbench.nbio.inject_parameters`).
    folder : str or path-like
        An existing folder; the copy has the notebook's file name (a file there of that name is
        replaced).

    Returns
    -------
    pathlib.Path
        The copy.

    Raises
    ------
    NotebookError
        If ``notebook`` is missing or not a ``.ipynb`` file, a parameter name is not an identifier,
        or ``folder`` is the notebook's own folder (the copy would replace it).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import nbformat
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> from workbench.app import parameterised_copy
    >>> nb = new_notebook(cells=[new_code_cell("N = 10", metadata={"tags": ["parameters"]})])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     pathlib.Path(d, "src").mkdir()
    ...     nbformat.write(nb, pathlib.Path(d, "src", "cdn.ipynb"))
    ...     copy = parameterised_copy(pathlib.Path(d, "src", "cdn.ipynb"), {"N": 2}, d)
    ...     copy.name, nbformat.read(copy, 4).cells[1].source.splitlines()[-1]
    ('cdn.ipynb', 'N = 2')
    """
    import nbformat

    nb = read_notebook(pathlib.Path(notebook))
    inject_parameters(nb, parameters)
    out = pathlib.Path(folder) / pathlib.Path(notebook).name
    if out.resolve() == pathlib.Path(notebook).resolve():
        raise NotebookError(f"{out}: the copy would replace the notebook itself; give another folder")
    nbformat.write(nb, out)
    return out


def voila_command(notebook, port: int | None = None) -> tuple[list[str], dict]:
    """The command line and environment that serve ``notebook`` with Voila on 127.0.0.1.

    The environment is this process's, with :data:`TEMPLATE_ROOT` put first on ``JUPYTER_PATH``
    (for the ``workbench`` template) and ``WORKBENCH_REPORT`` removed (the live renderer).

    Parameters
    ----------
    notebook : str or path-like
        An existing ``.ipynb`` file.
    port : int or None, default None
        The port to serve on; None: :func:`free_port`.

    Returns
    -------
    tuple of (list of str, dict)
        The ``voila`` command (for :func:`subprocess.Popen`) and its environment.

    Raises
    ------
    WorkbenchError
        If ``notebook`` is not an existing ``.ipynb`` file, or Voila is not installed.

    Examples
    --------
    With Voila installed, ``cmd, env = voila_command("notebooks/cdn.ipynb", port=8866)`` gives
    what ``subprocess.Popen(cmd, env=env)`` serves. The notebook is checked first:

    >>> from workbench.app import voila_command
    >>> voila_command("lab.txt")
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: expected an existing .ipynb notebook, got 'lab.txt'
    """
    nb = pathlib.Path(notebook)
    if nb.suffix != ".ipynb" or not nb.is_file():
        raise WorkbenchError(f"expected an existing .ipynb notebook, got {notebook!r}")
    voila = shutil.which("voila", path=str(pathlib.Path(sys.executable).parent)) or shutil.which("voila")
    if voila is None:
        raise WorkbenchError("Voila is not installed: pip install -e '.[app]'")
    port = free_port() if port is None else int(port)
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(TEMPLATE_ROOT), env.get("JUPYTER_PATH", "")) if p)
    env.pop("WORKBENCH_REPORT", None)  # the live renderer: interactive charts, offline bundle
    cmd = [
        voila,
        str(nb),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--template=workbench",
        "--show_tracebacks=True",
    ]
    return cmd, env


def main(argv=None) -> int:
    """The command line ``python -m workbench.app NOTEBOOK [--port 8866] [--smoke] [-p NAME=VALUE ...]``.

    Serves the notebook (or, with ``--smoke`` or ``-p``, a :func:`parameterised_copy` of it in a
    temporary folder) with Voila until Voila exits; an error is printed to stderr instead.

    Parameters
    ----------
    argv : list of str, optional
        The arguments; None: ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: Voila's, or 1 after a :class:`WorkbenchError` (no notebook, no Voila).

    Examples
    --------
    >>> from workbench.app import main
    >>> main(["missing.ipynb"])
    1
    """
    parser = argparse.ArgumentParser(prog="python -m workbench.app", description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--smoke", action="store_true", help="the notebook's small smoke-run sizes")
    parser.add_argument(
        "-p",
        "--param",
        action="append",
        type=parse_param,
        default=[],
        metavar="NAME=VALUE",
        help="override a notebook parameter (repeatable)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="workbench-app-") as tmp:
        try:
            notebook = args.notebook
            if args.smoke or args.param:
                values = {
                    **(smoke_parameters(read_notebook(pathlib.Path(notebook))) if args.smoke else {}),
                    **dict(args.param),
                }
                notebook = parameterised_copy(notebook, values, tmp)
            cmd, env = voila_command(notebook, args.port)
        except WorkbenchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"serving {args.notebook} at http://127.0.0.1:{args.port}/ (Ctrl-C stops it)")
        return subprocess.call(cmd, env=env)
