"""Course material from the lab notebooks: student copies without the solutions.

Exercise solutions live in the notebooks as cells tagged ``solution`` (code or markdown). A
student copy keeps every other cell, replaces each solution with an empty answer cell (tagged
``answer``) and clears all outputs, the pattern of *Think Bayes 2*: the teacher keeps one notebook,
students get a copy that runs top to bottom.

    python -m workbench.teach student [NOTEBOOK ...] [--out student]

The report run exports either version: ``python -m workbench.report --student`` executes the
student copies.

Examples
--------
>>> import nbformat
>>> from nbformat.v4 import new_code_cell, new_notebook
>>> nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("x + 1", metadata={"tags": ["solution"]})])
>>> [c.source for c in student_copy(nb).cells]
['x = 1', '# Your solution here']
"""

from __future__ import annotations

import argparse
import copy
import pathlib
import re
import sys

from .errors import WorkbenchError
from .nbio import REPO, NotebookError, cell_tags, default_notebooks, lesson_notebooks, read_notebook

__all__ = [
    "SOLUTION_TAG",
    "ANSWER_TAG",
    "TEACHER_TAG",
    "student_copy",
    "write_student_copies",
    "count_solutions",
    "main",
]

SOLUTION_TAG = "solution"
ANSWER_TAG = "answer"
TEACHER_TAG = "teacher"
_EXERCISE_HEADING = re.compile(r"^#{2,4}\s+Exercise\s+(\d+)", re.M)
_SOLUTION_COMMENT = re.compile(r"\A#\s*(\d+)\.")
_ANSWER_VAR = re.compile(r"^(answer_\d+)\s*=", re.M)


def count_solutions(nb) -> int:
    """Cells tagged ``solution``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook (as from :func:`workbench.nbio.read_notebook`).

    Returns
    -------
    int
        The number of cells (code or markdown) tagged ``solution``.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> from workbench.teach import count_solutions
    >>> nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("x + 1", metadata={"tags": ["solution"]})])
    >>> count_solutions(nb)
    1
    """
    return sum(SOLUTION_TAG in cell_tags(c) for c in nb.cells)


def _exercise_number(text: str):
    m = _EXERCISE_HEADING.search(text) or _SOLUTION_COMMENT.search(text)
    return int(m.group(1)) if m else None


def student_copy(nb):
    """A copy of ``nb`` with every ``solution`` cell replaced by an empty, numbered ``answer`` cell, every
    ``teacher`` cell removed, and all outputs, execution counts and saved widget state cleared (the
    original is not changed).

    The number is the exercise's: from the latest ``### Exercise N`` heading above the cell, or a
    solution that starts with ``# N.``. A code solution that assigns ``answer_N`` becomes
    ``answer_N = None  # Exercise N: your answer here`` (so that the exercise's check cell runs and
    says "not answered"); another code solution becomes ``# Exercise N: your solution here``, a
    markdown one ``*Exercise N: your answer here.*`` (without a number when none is found). The cell
    keeps its other tags and loses its attachments and ``jupyter`` metadata (such as a collapsed source).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The teacher's notebook.

    Returns
    -------
    nbformat.NotebookNode
        The student copy (a deep copy).

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> from workbench.teach import student_copy
    >>> nb = new_notebook(cells=[new_code_cell("x + 1", metadata={"tags": ["solution"]})])
    >>> cell = student_copy(nb).cells[0]
    >>> cell.source, cell.metadata["tags"], nb.cells[0].source
    ('# Your solution here', ['answer'], 'x + 1')
    >>> nb.cells.insert(0, new_markdown_cell("### Exercise 2 (basic): the next value"))
    >>> nb.cells[1].source = "answer_2 = x + 1"
    >>> student_copy(nb).cells[1].source
    'answer_2 = None  # Exercise 2: your answer here'
    """
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if TEACHER_TAG not in cell_tags(c)]
    number = None
    for cell in out.cells:
        tags = cell_tags(cell)
        if SOLUTION_TAG not in tags and cell.cell_type == "markdown":
            number = _exercise_number(cell.source) or number
        if SOLUTION_TAG in tags:
            n = _exercise_number(cell.source) if cell.cell_type == "code" else None
            n = n or number
            label = f"Exercise {n}: your" if n else "Your"
            answer = _ANSWER_VAR.search(cell.source) if cell.cell_type == "code" else None
            if answer:
                cell.source = f"{answer.group(1)} = None  # {label} answer here"
            elif cell.cell_type == "code":
                cell.source = f"# {label} solution here"
            else:
                cell.source = f"*{label} answer here.*"
            cell.metadata["tags"] = [ANSWER_TAG if t == SOLUTION_TAG else t for t in tags]
            cell.metadata.pop("jupyter", None)
            cell.pop("attachments", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    out.metadata.pop("widgets", None)
    return out


def write_student_copies(notebooks=None, out="student") -> list[pathlib.Path]:
    """Write a student copy of each notebook (default: every notebook in ``notebooks/``) to ``out``.

    Parameters
    ----------
    notebooks : list of str or path-like, optional
        The teacher's notebooks; None (or an empty list): :func:`workbench.nbio.default_notebooks` and
        :func:`workbench.nbio.lesson_notebooks`.
    out : str or path-like, default "student"
        The output folder (created); each copy keeps its notebook's file name, a lesson its lab folder too.

    Returns
    -------
    list of pathlib.Path
        The files written (absolute paths), in the order of ``notebooks``.

    Raises
    ------
    WorkbenchError
        If there are no notebooks, or a notebook is in ``out`` itself (it would be overwritten).
    NotebookError
        If a notebook is missing or not a ``.ipynb`` file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import nbformat
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> from workbench.teach import write_student_copies
    >>> nb = new_notebook(cells=[new_code_cell("x + 1", metadata={"tags": ["solution"]})])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     nbformat.write(nb, pathlib.Path(d, "lab.ipynb"))
    ...     written = write_student_copies([pathlib.Path(d, "lab.ipynb")], out=pathlib.Path(d, "student"))
    ...     [(p.parent.name, p.name) for p in written]
    [('student', 'lab.ipynb')]
    """
    import nbformat

    if notebooks is None:
        notebooks = default_notebooks() + lesson_notebooks()
    elif isinstance(notebooks, (str, bytes, pathlib.PurePath)) or not (notebooks := list(notebooks)):
        raise NotebookError("notebooks must be a non-empty list of notebook paths (or None for every lesson)")
    paths = [pathlib.Path(p) for p in notebooks]
    if not paths:
        raise WorkbenchError("no notebooks found")
    out = pathlib.Path(out).resolve()
    written = []
    for p in paths:
        if p.resolve().parent == out:
            raise WorkbenchError(f"{p} is in the output folder {out}: write the student copies somewhere else")
        nb = read_notebook(p)
        out.mkdir(parents=True, exist_ok=True)
        # a lesson keeps its lab folder (notebooks/<lab>/NN-topic.ipynb -> <out>/<lab>/NN-topic.ipynb)
        lesson = p.resolve().parent.parent == (REPO / "notebooks").resolve()
        target = out / p.parent.name / p.name if lesson else out / p.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(student_copy(nb), target)
        written.append(target)
    return written


def main(argv=None) -> int:
    """The command line ``python -m workbench.teach student [NOTEBOOK ...] [--out student]``.

    Writes the student copies with :func:`write_student_copies` and prints each file written
    with its number of answer cells; an error is printed to stderr instead.

    Parameters
    ----------
    argv : list of str, optional
        The arguments; None: ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 on success, 1 after a :class:`WorkbenchError`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import nbformat
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> from workbench.teach import main
    >>> nb = new_notebook(cells=[new_code_cell("x + 1", metadata={"tags": ["solution"]})])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     src = pathlib.Path(d, "lab.ipynb")
    ...     nbformat.write(nb, src)
    ...     main(["student", str(src), "--out", f"{d}/student"])  # doctest: +ELLIPSIS
    /.../student/lab.ipynb: 1 answer cells
    0
    """
    parser = argparse.ArgumentParser(
        prog="python -m workbench.teach", description="Course material from the lab notebooks."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    st = sub.add_parser("student", help="write student copies: solutions blanked, outputs cleared")
    st.add_argument("notebooks", nargs="*", help="notebooks (default: notebooks/*.ipynb)")
    st.add_argument("--out", default="student", help="output folder (default: student)")
    args = parser.parse_args(argv)
    try:
        written = write_student_copies(args.notebooks or None, args.out)
    except WorkbenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    import nbformat

    for p in written:
        print(f"{p}: {sum(ANSWER_TAG in cell_tags(c) for c in nbformat.read(p, 4).cells)} answer cells")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
