"""The course: every lesson has the structure a teacher relies on (objectives, prerequisites, mechanism first,
summary, references, checked exercises), every check accepts the solution and refuses typical wrong answers, and
the book builds from the lessons, opens offline and is walked through in a browser (teacher and student editions).

Every test that needs the smoke-size book lives in this module, so that `pytest -n 2 --dist loadfile` builds it
once, on one worker."""

from __future__ import annotations

import ast
import importlib
import json
import re

import nbformat
import pytest

from workbench.course import (
    LABS,
    CourseError,
    bibliography,
    course_plan,
    exercise,
    lessons,
    prerequisite_graph,
    references,
)
from workbench.nbio import lesson_notebooks
from workbench.teach import student_copy

LESSONS = lesson_notebooks()
SECTIONS = ["Objectives", "Prerequisites", "Summary", "References", "Exercises"]
EXERCISE = re.compile(r"^### Exercise (\d+) \((★{1,3}) (basic|intermediate|advanced)\): \S", re.M)
LEVEL = {"★": "basic", "★★": "intermediate", "★★★": "advanced"}
ALIASES = {"Q": "quantum", "C": "chain", "E": "edge", "N": "cdn", "A": "ai"}


def _nb(path):
    return nbformat.read(path, 4)


def _tags(cell):
    return cell.metadata.get("tags", [])


def _prose(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown" and "solution" not in _tags(c))


def _words(text: str) -> int:
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", " x ", text, flags=re.S)  # a formula counts as one word
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’.-]*", text))


def test_there_are_lessons_and_a_catalogue():
    cat = lessons()
    assert len(cat) == len(LESSONS) >= 1
    assert set(cat.lab) <= set(LABS)
    g = prerequisite_graph(cat)
    assert set(g.nodes) == set(cat.id)
    plan = course_plan(13, cat)
    assert plan.week.max() == 13 and set(cat.id) <= set(plan.id)
    week = dict(zip(plan.id, plan.week))
    for a, b in g.edges:  # every lesson comes after its prerequisites
        assert week[a] <= week[b]
    with pytest.raises(CourseError, match="weeks"):
        course_plan(1, cat)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_lesson_structure(path):
    nb = _nb(path)
    meta = nb.metadata.get("workbench", {})
    lid = meta["lesson"]["id"]
    assert lid == f"{path.parent.name}.{path.name[:2]}"
    assert meta.get("smoke"), "declare smoke sizes in metadata.workbench.smoke"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "strip outputs"
    assert sum("parameters" in _tags(c) for c in code) == 1
    assert any("viz.setup()" in c.source for c in code[:2]), "an early code cell calls viz.setup()"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")

    # the sections, in order, each once
    headings = [
        m.group(1) for c in nb.cells if c.cell_type == "markdown" for m in re.finditer(r"^## (.+)$", c.source, re.M)
    ]
    found = [h for h in headings if h in SECTIONS]
    assert found == SECTIONS, f"sections {found}, expected {SECTIONS} in that order"
    body = [h for h in headings if h not in SECTIONS]
    assert len(body) >= 3, "the mechanism and the package call take several numbered sections"
    objectives = next(c.source for c in nb.cells if c.cell_type == "markdown" and "## Objectives" in c.source)
    objectives = objectives.split("## Objectives")[1].split("\n## ")[0]
    assert len(re.findall(r"^\d+\. \S", objectives, re.M)) >= 3, "at least three numbered, checkable objectives"

    # 1,500-3,500 words of prose
    words = _words(_prose(nb))
    assert 1500 <= words <= 3500, f"{words} words of prose"

    # every output is interpreted: a code cell that displays something is followed by prose
    for i, c in enumerate(nb.cells[:-1]):
        if c.cell_type != "code" or {"solution", "parameters"} & set(_tags(c)) or "exercise(" in c.source:
            continue
        tree = ast.parse(c.source)
        shows = tree.body and isinstance(tree.body[-1], ast.Expr) and not c.source.rstrip().endswith(";")
        if shows:
            assert nb.cells[i + 1].cell_type == "markdown", f"cell {i} shows an output but no sentence follows it"

    # exercises: 3-6, numbered, labelled, each with a solution that assigns answer_N and a check cell
    ex_md = [m for c in nb.cells if c.cell_type == "markdown" for m in EXERCISE.finditer(c.source)]
    numbers = [int(m.group(1)) for m in ex_md]
    assert 3 <= len(numbers) <= 6 and numbers == list(range(1, len(numbers) + 1)), numbers
    assert all(LEVEL[m.group(2)] == m.group(3) for m in ex_md)
    assert len({m.group(3) for m in ex_md}) >= 2, "exercises at more than one level"
    solutions = "\n".join(c.source for c in code if "solution" in _tags(c))
    checks = "\n".join(c.source for c in code if "solution" not in _tags(c))
    for n in numbers:
        assert re.search(rf"^answer_{n}\s*=", solutions, re.M), f"exercise {n}: no solution assigning answer_{n}"
        assert re.search(rf'exercise\("{lid}", {n}, answer_{n}\b', checks), f"exercise {n}: no check cell"
    mod = importlib.import_module(f"workbench.course._exercises.{lid.replace('.', '_')}")
    assert sorted(mod.CHECKS) == numbers

    # exercises use only what the lesson introduced: package attributes in solutions appear outside them
    taught = set(re.findall(r"\b([A-Z])\.([a-z_]\w*)", checks))
    used = set(re.findall(r"\b([A-Z])\.([a-z_]\w*)", solutions))
    new = {f"{a}.{n}" for a, n in used - taught if a in ALIASES}
    assert not new, f"solutions use {sorted(new)}, which the lesson never introduced"

    # references: rendered from the bibliography, every cited key listed
    refs = [c.source for c in code if "references(" in c.source]
    assert len(refs) == 1, "one references(...) cell"
    keys = re.findall(r"[\"']([A-Za-z0-9_-]+)[\"']", refs[0])
    assert keys and all(k in bibliography() for k in keys)
    cited = set(re.findall(r"\[([a-z]+\d{4}[a-z0-9]*)\]", _prose(nb))) & set(bibliography())
    assert cited <= set(keys), f"cited but not listed: {sorted(cited - set(keys))}"
    assert cited, "the prose cites its references"


def test_every_check_refuses_typical_wrong_answers_and_waits_for_an_answer():
    cat = lessons()
    for lid in cat.id:
        mod = importlib.import_module(f"workbench.course._exercises.{lid.replace('.', '_')}")
        wrong = mod.WRONG()
        assert sorted(wrong) == sorted(mod.CHECKS), lid
        for n, cases in wrong.items():
            assert len(cases) >= 2, f"{lid} #{n}: at least two typical wrong answers"
            for answer, context in cases:
                fb = exercise(lid, n, answer, **context)
                assert fb.ok is False and fb.message, f"{lid} #{n} accepted {answer!r}"
                assert fb._repr_html_().count("wb-feedback-wrong") == 1
            assert exercise(lid, n, None).ok is None
    with pytest.raises(CourseError, match="exercises"):
        exercise(cat.id[0], 99, 1)
    with pytest.raises(CourseError, match="lesson id"):
        exercise("nope", 1, 1)
    with pytest.raises(CourseError, match="no reference"):
        references("nobody1900")


def test_student_copies_number_answer_cells_and_keep_checks():
    for path in LESSONS:
        nb = _nb(path)
        st = student_copy(nb)
        text = nbformat.writes(st)
        n = len([c for c in nb.cells if "solution" in _tags(c) and c.cell_type == "code"])
        answers = [c.source for c in st.cells if "answer" in _tags(c) and c.cell_type == "code"]
        assert len(answers) == n
        for a in answers:
            assert re.match(r"^answer_(\d+) = None  # Exercise \1: your answer here$", a), a
        assert text.count("exercise(") == nbformat.writes(nb).count("exercise(")
        assert "solution" not in json.dumps([_tags(c) for c in st.cells])


# ---------------------------------------------------------------------------------------------- the book


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The smoke-size book, teacher's and student editions (each lesson executed once per edition)."""
    from workbench.report.book import build_book

    d = tmp_path_factory.mktemp("book")
    teacher = build_book(d / "book", smoke=True, reports=True, log=None)
    student = build_book(d / "student", smoke=True, student=True, reports=False, log=None)
    return teacher, student


@pytest.mark.notebook
def test_the_book_builds_with_every_lesson_and_its_checks_pass(books):
    import pathlib

    teacher, _ = books
    out = pathlib.Path(teacher.out)
    assert (out / "index.html").is_file() and (out / "bibliography.html").is_file() and (out / "teacher.html").is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == ["book", "student"], "nothing else left beside the books"
    assert len(teacher.pages) == len(LESSONS)
    assert teacher.warnings == [], teacher.warnings
    for lid, seconds in teacher.seconds.items():
        assert seconds < 60, f"{lid} took {seconds} s at smoke size"
    for page in teacher.pages:
        html = (out / page).read_text()
        assert html.count("wb-feedback-right") >= 3, f"{page}: the solutions do not all pass their checks"
        assert "wb-feedback-wrong" not in html and "wb-feedback-not-answered" not in html, page
    # one copy of the big scripts, in _static, not inlined per page
    assert (out / "_static" / "vega-bundle.js").stat().st_size > 500_000
    assert all((out / p).stat().st_size < 3_000_000 for p in teacher.pages)
    # the shareable single-file reports
    assert len(teacher.reports) == len(LESSONS)
    bib = (out / "bibliography.html").read_text()
    assert all(f'id="ref-{k}"' in bib for k in bibliography())


@pytest.mark.notebook
def test_the_student_edition_builds_without_solutions_and_its_checks_answer(books):
    import pathlib

    teacher, student = books
    out = pathlib.Path(student.out)
    for page in student.pages:
        html = (out / page).read_text()
        assert "wb-feedback-not-answered" in html and "wb-feedback-right" not in html, page
        assert "Your answer here" in html or "your answer here" in html
    assert "student edition" in (out / "index.html").read_text()


@pytest.mark.notebook
@pytest.mark.browser
def test_the_book_opens_offline_and_is_walked_through(books, chromium):
    import pathlib

    from workbench.report.check import walk_book

    teacher, _ = books
    out = pathlib.Path(teacher.out)
    got = walk_book(out / "index.html", "entangled", executable=chromium)
    assert got.blocked == [], f"requests left the machine: {got.blocked}"
    assert got.errors == [], f"page errors: {got.errors}"
    assert got.next_chain == got.toc, "next links follow the table of contents"
    assert got.prev_chain == list(reversed(["index.html"] + got.toc[:-1]))
    for page in teacher.pages:
        assert page in got.toc
        c = got.pages[page]
        assert c["charts"] == c["containers"] >= 1, (page, c)
        assert c["widgets"] == c["views"], (page, c)
        assert c["math"] > 0 and not c["raw"], (page, c)
    assert any(h.startswith("quantum/") for h in got.search_hits), got.search_hits
