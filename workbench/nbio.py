"""Notebook input and output shared by the report builder, the teaching tools and the app.

Reading ``.ipynb`` files, finding the repository's lessons, the ``parameters`` cell convention
(papermill's: a cell tagged ``parameters``, values injected right after it) and the smoke sizes a
notebook declares in ``metadata.workbench.smoke``. Nothing here executes or exports a notebook;
:mod:`workbench.report`, :mod:`workbench.teach` and :mod:`workbench.app` build on it, and it
imports none of them.

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("N = 10", metadata={"tags": ["parameters"]})])
>>> inject_parameters(nb, {"N": 2}), nb.cells[1].source.splitlines()[-1]
(1, 'N = 2')
"""

from __future__ import annotations

import argparse
import ast
import pathlib

from .errors import WorkbenchError

__all__ = [
    "NotebookError",
    "REPO",
    "default_notebooks",
    "lesson_notebooks",
    "read_notebook",
    "inject_parameters",
    "smoke_parameters",
    "cell_tags",
    "parse_param",
]

#: The repository checkout this package sits in (its ``notebooks/`` folder holds the lessons).
REPO = pathlib.Path(__file__).resolve().parents[1]


class NotebookError(WorkbenchError, RuntimeError):
    """A notebook could not be found, read, executed or exported.

    It is also a :class:`RuntimeError`; :mod:`workbench.report` calls it ``ReportError``.

    Examples
    --------
    >>> from workbench.nbio import read_notebook
    >>> read_notebook("notes.txt")
    Traceback (most recent call last):
    ...
    workbench.nbio.NotebookError: notes.txt: expected a .ipynb notebook
    """


def default_notebooks() -> list[pathlib.Path]:
    """Every ``notebooks/*.ipynb`` of the repository checkout, in name order.

    Returns
    -------
    list of pathlib.Path
        Empty when the package is installed without its checkout.

    Examples
    --------
    >>> from workbench.nbio import default_notebooks
    >>> all(p.suffix == ".ipynb" and p.parent.name == "notebooks" for p in default_notebooks())
    True
    """
    return sorted((REPO / "notebooks").glob("*.ipynb"))


def lesson_notebooks() -> list[pathlib.Path]:
    """Every lesson of the course, ``notebooks/<lab>/NN-topic.ipynb``, in folder and name order.

    Returns
    -------
    list of pathlib.Path
        Empty when the package is installed without its checkout.

    Examples
    --------
    >>> from workbench.nbio import lesson_notebooks
    >>> all(p.name[:2].isdigit() and p.parent.parent.name == "notebooks" for p in lesson_notebooks())
    True
    """
    return sorted(p for p in (REPO / "notebooks").glob("*/[0-9][0-9]-*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def read_notebook(path):
    """Read a ``.ipynb`` file as an nbformat v4 notebook.

    Parameters
    ----------
    path : str or path-like
        The notebook file (its name must end in ``.ipynb``).

    Returns
    -------
    nbformat.NotebookNode
        The notebook, converted to nbformat version 4 if it was older.

    Raises
    ------
    NotebookError
        The file is missing or not a ``.ipynb`` file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import nbformat
    >>> from workbench.nbio import read_notebook
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = pathlib.Path(d, "lab.ipynb")
    ...     nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), path)
    ...     nb = read_notebook(path)
    >>> nb.nbformat, nb.cells[0].source
    (4, 'x = 1')
    """
    import nbformat

    path = pathlib.Path(path)
    if path.suffix != ".ipynb":
        raise NotebookError(f"{path}: expected a .ipynb notebook")
    if not path.is_file():
        raise NotebookError(f"notebook not found: {path}")
    return nbformat.read(path, as_version=4)


def cell_tags(cell) -> list:
    """The tags of a cell (``metadata.tags``), as a list.

    Parameters
    ----------
    cell : dict or nbformat.NotebookNode
        A notebook cell.

    Returns
    -------
    list
        Its tags (a new list; empty when it has none).

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell
    >>> from workbench.nbio import cell_tags
    >>> cell_tags(new_code_cell("N = 10", metadata={"tags": ["parameters"]})), cell_tags(new_code_cell("x"))
    (['parameters'], [])
    """
    return list(cell.get("metadata", {}).get("tags", []))


def inject_parameters(nb, parameters: dict) -> int:
    """Insert a cell assigning ``parameters`` after the cell tagged ``parameters``.

    Same convention as papermill: the new cell is tagged ``injected-parameters``. Without a
    ``parameters`` cell the values go first.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        Changed in place.
    parameters : dict
        Name -> value; names must be Python identifiers, values are written with ``repr``.

    Returns
    -------
    int
        The index of the new cell (-1 when ``parameters`` is empty).

    Raises
    ------
    NotebookError
        A name that is not an identifier.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> from workbench.nbio import inject_parameters
    >>> params = new_code_cell("N = 10", metadata={"tags": ["parameters"]})
    >>> nb = new_notebook(cells=[new_code_cell("import math"), params])
    >>> inject_parameters(nb, {"N": 2, "TOPOLOGY": "Abilene"})
    2
    >>> nb.cells[2].source.splitlines()[1:]
    ['N = 2', "TOPOLOGY = 'Abilene'"]
    """
    import nbformat

    if not parameters:
        return -1
    for name in parameters:
        if not str(name).isidentifier():
            raise NotebookError(f"parameter name {name!r} is not a Python identifier")
    src = "# Parameters injected by workbench.report\n" + "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
    cell = nbformat.v4.new_code_cell(src, metadata={"tags": ["injected-parameters"]})
    where = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in cell_tags(c)), 0)
    nb.cells.insert(where, cell)
    return where


def smoke_parameters(nb) -> dict:
    """The small sizes a notebook declares for smoke runs (``metadata.workbench.smoke``).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook.

    Returns
    -------
    dict
        Parameter name -> value (a copy; empty when the notebook declares none).

    Examples
    --------
    >>> from nbformat.v4 import new_notebook
    >>> from workbench.nbio import smoke_parameters
    >>> nb = new_notebook(metadata={"workbench": {"smoke": {"N_REQUESTS": 200}}})
    >>> smoke_parameters(nb), smoke_parameters(new_notebook())
    ({'N_REQUESTS': 200}, {})
    """
    return dict(nb.metadata.get("workbench", {}).get("smoke", {}))


def parse_param(text: str):
    """``NAME=VALUE`` from a command line: the value as a Python literal when it is one, else the string.

    Used as the ``type`` of the ``-p`` option of ``python -m workbench.report`` and
    ``python -m workbench.app``.

    Parameters
    ----------
    text : str
        ``NAME=VALUE``; ``NAME`` (stripped of spaces) must be a Python identifier.

    Returns
    -------
    tuple of (str, object)
        The name, and the value parsed with :func:`ast.literal_eval` (or the text after ``=``
        as it is).

    Raises
    ------
    argparse.ArgumentTypeError
        If there is no ``=`` or the name is not an identifier.

    Examples
    --------
    >>> parse_param("N=3"), parse_param("TOPOLOGY=Abilene")
    (('N', 3), ('TOPOLOGY', 'Abilene'))
    """
    name, sep, value = text.partition("=")
    if not sep or not name.strip().isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        return name.strip(), ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return name.strip(), value
