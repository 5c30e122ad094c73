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
import sys

from .errors import WorkbenchError
from .nbio import cell_tags, default_notebooks, read_notebook

__all__ = ["SOLUTION_TAG", "ANSWER_TAG", "student_copy", "write_student_copies", "count_solutions", "main"]

SOLUTION_TAG = "solution"
ANSWER_TAG = "answer"
CODE_PLACEHOLDER = "# Your solution here"
TEXT_PLACEHOLDER = "*Your answer here.*"


def count_solutions(nb) -> int:
    """Cells tagged ``solution``."""
    return sum(SOLUTION_TAG in cell_tags(c) for c in nb.cells)


def student_copy(nb):
    """A copy of ``nb`` with every ``solution`` cell replaced by an empty ``answer`` cell and all
    outputs, execution counts and saved widget state cleared (the original is not changed)."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        tags = cell_tags(cell)
        if SOLUTION_TAG in tags:
            cell.source = CODE_PLACEHOLDER if cell.cell_type == "code" else TEXT_PLACEHOLDER
            cell.metadata["tags"] = [ANSWER_TAG if t == SOLUTION_TAG else t for t in tags]
            cell.metadata.pop("jupyter", None)
            cell.pop("attachments", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    out.metadata.pop("widgets", None)
    return out


def write_student_copies(notebooks=None, out="student") -> list[pathlib.Path]:
    """Write a student copy of each notebook (default: every notebook in ``notebooks/``) to ``out``."""
    import nbformat

    paths = [pathlib.Path(p) for p in (notebooks or default_notebooks())]
    if not paths:
        raise WorkbenchError("no notebooks found")
    out = pathlib.Path(out).resolve()
    written = []
    for p in paths:
        if p.resolve().parent == out:
            raise WorkbenchError(f"{p} is in the output folder {out}: write the student copies somewhere else")
        nb = read_notebook(p)
        out.mkdir(parents=True, exist_ok=True)
        target = out / p.name
        nbformat.write(student_copy(nb), target)
        written.append(target)
    return written


def main(argv=None) -> int:
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
