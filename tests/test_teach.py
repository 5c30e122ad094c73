"""Student copies: solution cells blanked, outputs cleared, the report run in either version."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from workbench.errors import WorkbenchError
from workbench.nbio import lesson_notebooks
from workbench.report import default_notebooks
from workbench.teach import ANSWER_TAG, count_solutions, main, student_copy


def _teacher():
    solved = new_code_cell(
        "print('the secret answer', 6 * 7)",
        metadata={"tags": ["solution", "hide-input"]},
        outputs=[new_output("stream", name="stdout", text="the secret answer 42\n")],
        execution_count=3,
    )
    return new_notebook(
        cells=[
            new_markdown_cell("# Lab\n\n## Exercises\n\n1. What is six times seven?"),
            new_code_cell(
                "x = 6",
                outputs=[new_output("execute_result", data={"text/plain": "6"}, execution_count=1)],
                execution_count=1,
            ),
            solved,
            new_markdown_cell("Because **42**.", metadata={"tags": ["solution"]}),
        ],
        metadata={
            "widgets": {
                "application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2, "version_minor": 0}
            }
        },
    )


def test_a_student_copy_blanks_solutions_and_clears_outputs_without_touching_the_original():
    nb = _teacher()
    st = student_copy(nb)
    assert [c.source for c in st.cells][1:] == ["x = 6", "# Your solution here", "*Your answer here.*"]
    assert st.cells[2].metadata.tags == [ANSWER_TAG, "hide-input"] and count_solutions(st) == 0
    assert all(c.outputs == [] and c.execution_count is None for c in st.cells if c.cell_type == "code")
    assert "widgets" not in st.metadata and "secret" not in nbformat.writes(st)
    assert count_solutions(nb) == 2 and nb.cells[2].outputs  # the teacher's notebook is unchanged


def test_the_command_writes_student_copies_of_every_lab_notebook(tmp_path, capsys):
    assert main(["student", "--out", str(tmp_path)]) == 0
    for path in default_notebooks():
        teacher = nbformat.read(path, 4)
        student = nbformat.read(tmp_path / path.name, 4)
        teacher_only = sum("teacher" in c.metadata.get("tags", []) for c in teacher.cells)
        assert len(student.cells) == len(teacher.cells) - teacher_only and count_solutions(student) == 0
        assert "tagged `solution`" not in nbformat.writes(student)  # no leftover "solutions below" text
        assert sum(ANSWER_TAG in c.metadata.get("tags", []) for c in student.cells) == count_solutions(teacher)
    assert "answer cells" in capsys.readouterr().out
    for path in lesson_notebooks():  # every lesson's copy keeps its lab folder and blanks its 3-6 solutions
        student = nbformat.read(tmp_path / path.parent.name / path.name, 4)
        assert count_solutions(nbformat.read(path, 4)) >= 3 and count_solutions(student) == 0
    with pytest.raises(SystemExit):
        main([])


def test_student_copies_never_overwrite_the_originals(tmp_path):
    from workbench.teach import write_student_copies

    p = tmp_path / "lab.ipynb"
    nbformat.write(_teacher(), p)
    with pytest.raises(WorkbenchError, match="output folder"):
        write_student_copies([p], tmp_path)


@pytest.mark.notebook
def test_the_report_run_exports_the_student_version(tmp_path):
    from workbench.report import build_reports

    p = tmp_path / "lab.ipynb"
    nb = _teacher()
    nb.cells.insert(1, new_code_cell("from workbench import viz\nviz.setup()"))
    nbformat.write(nb, p)
    (teacher,) = build_reports([p], tmp_path / "teacher", log=None)
    (student,) = build_reports([p], tmp_path / "student", log=None, student=True)
    assert "the secret answer 42" in (tmp_path / "teacher" / "lab.html").read_text()
    page = (tmp_path / "student" / "lab.html").read_text()
    assert "secret" not in page and "Your solution here" in page and "student version" in page


DASHBOARDS = [p for p in default_notebooks() if p.stem != "00_tour"]


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.stem)
def test_each_lab_dashboard_links_its_lessons_and_holds_no_exercises(path):
    """The lessons teach; the lab's own notebook is its dashboard (app mode): it links every lesson of the lab."""
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].source.startswith("# ") and "dashboard" in nb.cells[0].source.splitlines()[0]
    lessons = sorted((path.parent / path.stem).glob("[0-9][0-9]-*.ipynb"))
    assert lessons, f"no lessons for {path.stem}"
    for lesson in lessons:
        assert f"({path.stem}/{lesson.name})" in nb.cells[0].source, f"{lesson.name} not linked"
    assert count_solutions(nb) == 0 and not any("## Exercises" in c.source for c in nb.cells)


def test_the_tour_has_a_solution_for_every_exercise():
    import re

    nb = nbformat.read(next(p for p in default_notebooks() if p.stem == "00_tour"), as_version=4)
    exercises = next(c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Exercises"))
    numbers = {int(n) for n in re.findall(r"^(\d+)\. ", exercises, flags=re.M)}
    solved = {
        int(m.group(1))
        for c in nb.cells
        if c.cell_type == "code" and "solution" in c.metadata.get("tags", [])
        for m in [re.match(r"# (\d+)\. ", c.source)]
        if m
    }
    assert numbers and numbers == solved, f"exercises {sorted(numbers)}, solution cells for {sorted(solved)}"
