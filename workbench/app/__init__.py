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
from ..nbio import inject_parameters, parse_param, read_notebook, smoke_parameters

__all__ = ["TEMPLATE_ROOT", "voila_command", "parameterised_copy", "free_port", "main"]

#: a folder on JUPYTER_PATH that holds ``voila/templates/workbench``
TEMPLATE_ROOT = pathlib.Path(__file__).resolve().parent


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def parameterised_copy(notebook, parameters: dict, folder) -> pathlib.Path:
    """A copy of ``notebook`` in ``folder`` with ``parameters`` injected after its parameters cell."""
    import nbformat

    nb = read_notebook(pathlib.Path(notebook))
    inject_parameters(nb, parameters)
    out = pathlib.Path(folder) / pathlib.Path(notebook).name
    nbformat.write(nb, out)
    return out


def voila_command(notebook, port: int | None = None) -> tuple[list[str], dict]:
    """The command line and environment that serve ``notebook`` with Voila on 127.0.0.1."""
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
