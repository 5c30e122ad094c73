"""The course: lessons, self-checked exercises and the shared bibliography.

Each lab is a sequence of lessons, ``notebooks/<lab>/NN-topic.ipynb``, whose notebook metadata
``workbench.lesson`` gives the lesson's ``id`` (``"<lab>.<NN>"``) and ``prerequisites`` (other lesson
ids). A lesson's exercises are checked by :func:`exercise`; its references are rendered from the one
bibliography (``data/bibliography.json``) by :func:`references`.

Examples
--------
>>> from workbench.course import exercise
>>> exercise("quantum.01", 1, None).verdict
'not answered'
"""

from __future__ import annotations

import functools
import html
import importlib
import json
import re

import pandas as pd

from .. import data_path
from ..errors import WorkbenchError
from .checks import Feedback, unanswered

__all__ = [
    "CourseError",
    "Feedback",
    "LABS",
    "exercise",
    "references",
    "bibliography",
    "format_reference",
    "lessons",
    "prerequisite_graph",
    "course_plan",
]

#: The labs in course order, with their titles.
LABS = {
    "quantum": "Quantum computing",
    "chain": "Blockchain",
    "edge": "Edge computing",
    "cdn": "Global CDN",
    "ai": "AI optimization",
}

_ID = re.compile(r"^([a-z]+)\.(\d\d)$")


class CourseError(WorkbenchError):
    """An unknown lesson, exercise or reference, or a malformed lesson catalogue.

    Examples
    --------
    >>> exercise("quantum.99", 1, 0)
    Traceback (most recent call last):
    ...
    workbench.course.CourseError: lesson 'quantum.99' has no exercises; lessons with exercises: ...
    """


def _checks(lesson: str):
    m = _ID.match(lesson) if isinstance(lesson, str) else None
    if not m or m.group(1) not in LABS:
        raise CourseError(f"a lesson id is '<lab>.<NN>' with lab one of {', '.join(LABS)}; got {lesson!r}")
    name = f"{__name__}._exercises.{m.group(1)}_{m.group(2)}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        known = ", ".join(sorted(_exercise_modules()))
        raise CourseError(f"lesson {lesson!r} has no exercises; lessons with exercises: {known}") from None


def _exercise_modules() -> list[str]:
    import pkgutil

    from . import _exercises as exercises

    return [m.name.replace("_", ".", 1) for m in pkgutil.iter_modules(exercises.__path__)]


def exercise(lesson: str, number: int, answer, **context) -> Feedback:
    """Check the answer to exercise ``number`` of ``lesson``: right, wrong (and what is off), or not answered.

    Parameters
    ----------
    lesson : str
        The lesson id, ``"<lab>.<NN>"`` (e.g. ``"quantum.03"``).
    number : int
        The exercise number in that lesson, from 1.
    answer : object
        The answer; ``None`` means not answered yet.
    **context
        What the answer depends on in the lesson (its sizes or seed), as the exercise's check cell passes them.

    Returns
    -------
    Feedback
        Shown as a coloured line in a notebook; ``bool(feedback)`` is True when right.

    Raises
    ------
    CourseError
        If the lesson or the exercise number is unknown.

    Examples
    --------
    >>> exercise("quantum.01", 1, None)
    … quantum.01 #1: not answered. Replace the None in the answer cell above with your answer, then run this cell.
    """
    mod = _checks(lesson)
    if number not in mod.CHECKS:
        raise CourseError(f"lesson {lesson!r} has exercises {sorted(mod.CHECKS)}, not {number!r}")
    where = f"{lesson} #{number}"
    if answer is None:
        fb = unanswered()
    else:
        try:
            fb = mod.CHECKS[number](answer, **context)
        except Exception as exc:  # a malformed answer is the student's error to read, not a traceback
            fb = Feedback(False, f"the answer could not be checked ({type(exc).__name__}: {exc})")
    return Feedback(fb.ok, fb.message, where)


@functools.lru_cache(maxsize=1)
def bibliography() -> dict:
    """Every reference the lessons cite, by key.

    Returns
    -------
    dict
        ``key -> entry``; an entry has ``authors``, ``year``, ``title``, ``venue`` and optionally ``url``
        (from ``data/bibliography.json``).

    Examples
    --------
    >>> bibliography()["grover1996"]["year"]
    1996
    """
    entries = json.loads(data_path("bibliography.json").read_text(encoding="utf-8"))
    return {e["key"]: e for e in entries}


def format_reference(key: str) -> str:
    """One reference as a Markdown line: authors (year). *Title*. Venue. URL.

    Parameters
    ----------
    key : str
        A key of :func:`bibliography`.

    Returns
    -------
    str
        The formatted entry.

    Raises
    ------
    CourseError
        If ``key`` is not in the bibliography.

    Examples
    --------
    >>> format_reference("grover1996")[:35]
    'L. K. Grover (1996). *A fast quantu'
    """
    bib = bibliography()
    if key not in bib:
        raise CourseError(f"no reference {key!r} in data/bibliography.json")
    e = bib[key]
    text = f"{e['authors']} ({e['year']}). *{e['title']}*. {e['venue']}."
    return text + (f" <{e['url']}>" if e.get("url") else "")


class _References:
    def __init__(self, keys):
        self.keys = keys

    def _repr_markdown_(self) -> str:
        return "\n".join(f'- <a id="ref-{k}"></a>**[{k}]** {format_reference(k)}' for k in self.keys)

    def _repr_html_(self) -> str:
        items = []
        for k in self.keys:
            e = bibliography()[k]
            url = f' <a href="{html.escape(e["url"])}">{html.escape(e["url"])}</a>' if e.get("url") else ""
            items.append(
                f'<li id="ref-{k}"><strong>[{k}]</strong> {html.escape(e["authors"])} ({e["year"]}). '
                f"<em>{html.escape(e['title'])}</em>. {html.escape(e['venue'])}.{url}</li>"
            )
        return '<ul class="wb-references">' + "".join(items) + "</ul>"

    def __repr__(self) -> str:
        return "\n".join(f"[{k}] {format_reference(k)}" for k in self.keys)


def references(*keys: str):
    """The references of a lesson, rendered from the shared bibliography (cite them in prose as
    ``[key](#ref-key)``).

    Parameters
    ----------
    *keys : str
        Keys of :func:`bibliography`, in the order to list them.

    Returns
    -------
    object
        Displays as a list in a notebook, each entry with the anchor ``ref-<key>``.

    Raises
    ------
    CourseError
        If no key is given or a key is not in the bibliography.

    Examples
    --------
    >>> print(repr(references("grover1996"))[:25])
    [grover1996] L. K. Grover
    """
    if not keys:
        raise CourseError("references needs at least one key")
    for k in keys:
        format_reference(k)
    return _References(keys)


def lessons(notebooks=None) -> pd.DataFrame:
    """The lesson catalogue, read from the lessons' notebook metadata.

    Parameters
    ----------
    notebooks : list of path-like, optional
        Lesson notebooks; None: every ``notebooks/<lab>/NN-*.ipynb`` of the checkout.

    Returns
    -------
    pandas.DataFrame
        One row per lesson in course order (labs in :data:`LABS` order, then number): ``id``, ``lab``,
        ``number``, ``title``, ``path``, ``prerequisites`` (a tuple of ids).

    Raises
    ------
    CourseError
        If a lesson has no ``workbench.lesson`` metadata, its id does not match its file, an id repeats
        or a prerequisite is not a lesson.

    Examples
    --------
    >>> cat = lessons()
    >>> cat.columns.tolist()[:4]
    ['id', 'lab', 'number', 'title']
    """
    from ..nbio import lesson_notebooks, read_notebook

    paths = lesson_notebooks() if notebooks is None else [__import__("pathlib").Path(p) for p in notebooks]
    rows = []
    for p in paths:
        nb = read_notebook(p)
        meta = nb.metadata.get("workbench", {}).get("lesson")
        if not meta or "id" not in meta:
            raise CourseError(f"{p}: no metadata.workbench.lesson.id")
        m = _ID.match(meta["id"])
        if not m or m.group(1) != p.parent.name or not p.name.startswith(m.group(2) + "-"):
            raise CourseError(f"{p}: lesson id {meta['id']!r} does not match the file (notebooks/<lab>/NN-topic.ipynb)")
        title = next(
            (
                c.source.splitlines()[0][2:].strip()
                for c in nb.cells
                if c.cell_type == "markdown" and c.source[:2] == "# "
            ),
            p.stem,
        )
        rows.append(
            {
                "id": meta["id"],
                "lab": m.group(1),
                "number": int(m.group(2)),
                "title": title,
                "path": str(p),
                "prerequisites": tuple(meta.get("prerequisites", ())),
            }
        )
    cat = pd.DataFrame(rows, columns=["id", "lab", "number", "title", "path", "prerequisites"])
    if cat.id.duplicated().any():
        raise CourseError(f"lesson ids repeat: {sorted(cat.id[cat.id.duplicated()])}")
    known = set(cat.id)
    for lid, pre in zip(cat.id, cat.prerequisites):
        bad = [q for q in pre if q not in known]
        if bad:
            raise CourseError(f"lesson {lid}: prerequisites {bad} are not lessons")
    order = {lab: i for i, lab in enumerate(LABS)}
    cat["_o"] = cat.lab.map(order)
    return cat.sort_values(["_o", "number"]).drop(columns="_o").reset_index(drop=True)


def prerequisite_graph(catalogue: pd.DataFrame | None = None):
    """The lessons as a directed graph: an edge ``a -> b`` when ``a`` is a prerequisite of ``b``.

    Parameters
    ----------
    catalogue : pandas.DataFrame, optional
        As from :func:`lessons` (default: the checkout's lessons).

    Returns
    -------
    networkx.DiGraph
        Nodes are lesson ids with ``title`` and ``lab`` attributes.

    Raises
    ------
    CourseError
        If the prerequisites form a cycle.

    Examples
    --------
    >>> import networkx as nx
    >>> nx.is_directed_acyclic_graph(prerequisite_graph())
    True
    """
    import networkx as nx

    cat = lessons() if catalogue is None else catalogue
    g = nx.DiGraph()
    for row in cat.itertuples():
        g.add_node(row.id, title=row.title, lab=row.lab)
        for q in row.prerequisites:
            g.add_edge(q, row.id)
    if not nx.is_directed_acyclic_graph(g):
        raise CourseError(f"the prerequisites form a cycle: {nx.find_cycle(g)}")
    return g


def course_plan(weeks: int = 13, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """A semester plan: the lessons in course order spread over ``weeks - 1`` teaching weeks (every lesson
    after its prerequisites), and a last week for projects and review.

    Parameters
    ----------
    weeks : int, default 13
        Weeks in the semester, 2 to 52.
    catalogue : pandas.DataFrame, optional
        As from :func:`lessons` (default: the checkout's lessons).

    Returns
    -------
    pandas.DataFrame
        ``week``, ``lab``, ``id``, ``title``, ``prerequisites``; the last week's row has ``id`` "project".

    Raises
    ------
    CourseError
        If ``weeks`` is not an integer in [2, 52] or the prerequisites form a cycle.

    Examples
    --------
    >>> plan = course_plan(13)
    >>> int(plan.week.max())
    13
    """
    import networkx as nx

    from ..errors import Int, check

    weeks = check("weeks", weeks, Int(2, 52), CourseError)
    cat = lessons() if catalogue is None else catalogue
    g = prerequisite_graph(cat)
    rank = {lid: i for i, lid in enumerate(cat.id)}
    order = list(nx.lexicographical_topological_sort(g, key=rank.get))
    per_week = max(1, -(-len(order) // (weeks - 1)))
    by_id = cat.set_index("id")
    rows = [
        {
            "week": 1 + i // per_week,
            "lab": by_id.lab[lid],
            "id": lid,
            "title": by_id.title[lid],
            "prerequisites": ", ".join(by_id.prerequisites[lid]),
        }
        for i, lid in enumerate(order)
    ]
    rows.append({"week": weeks, "lab": "", "id": "project", "title": "Projects and review", "prerequisites": ""})
    return pd.DataFrame(rows)
