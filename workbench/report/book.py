"""The course as an offline book: every lesson executed, then built into a static site by Sphinx with
myst-nb and the Sphinx Book Theme (the engine of Jupyter Book 1, configured here directly so that
nothing loads from a CDN).

The site has a table of contents by lab, previous/next links, Sphinx's client-side search, the
bibliography, a teacher's page (a semester plan, the prerequisite graph, how to make student copies)
and one copy of its scripts (vega, MathJax 3, the widget manager) in ``_static/``. It opens from
``file://`` with no network. Next to it, ``reports/`` keeps each lesson as one self-contained HTML file
for sharing.

Command line::

    python -m workbench.report.book [--out book] [--smoke] [--student] [--no-reports] [LESSON ...]

Examples
--------
>>> from workbench.report.book import lab_pages
>>> sorted(lab_pages())[:2]
['ai', 'cdn']
"""

from __future__ import annotations

import argparse
import concurrent.futures
import html
import json
import os
import pathlib
import shutil
import sys
import time
from dataclasses import dataclass, field

from ..nbio import REPO, NotebookError

__all__ = ["BookResult", "build_book", "lab_pages", "main"]

STATIC = pathlib.Path(__file__).resolve().parent / "templates" / "workbench_offline" / "static"

#: One paragraph per lab for its page in the book.
LAB_INTROS = {
    "quantum": "Qubits as vectors of amplitudes, gates as matrices, and what that buys: Grover's search, the "
    "Fourier transform behind Shor's factoring, variational algorithms, noise and error correction, key "
    "distribution and compiling for real chips. Every circuit is checked against Qiskit.",
    "chain": "From keys and hashes to blocks, Merkle proofs, consensus, a mempool and fork choice, then the "
    "network that propagates blocks, the attacks on it, and contracts on a real EVM.",
    "edge": "Devices offload tasks to edge and cloud nodes over real backbones. Queueing theory first, then a "
    "discrete-event simulator, schedulers from round-robin to HEFT, and faults.",
    "cdn": "Points of presence around the world, requests routed to them, and caches that decide what to keep: "
    "from LRU to SIEVE and S3-FIFO against Belady's optimum, load balancing and attacks.",
    "ai": "Neural networks written from their equations, metaheuristics, forecasting and reinforcement learning, "
    "then used to tune the other four labs.",
}


def lab_pages() -> dict:
    """The labs of the book with their titles and introductions.

    Returns
    -------
    dict
        ``lab -> (title, introduction)``.

    Examples
    --------
    >>> lab_pages()["quantum"][0]
    'Quantum computing'
    """
    from ..course import LABS

    return {lab: (title, LAB_INTROS[lab]) for lab, title in LABS.items()}


@dataclass
class BookResult:
    """What :func:`build_book` wrote.

    Parameters
    ----------
    out : str
        The site's folder (open ``index.html``).
    pages : list of str
        The lesson pages, relative to ``out``, in book order.
    seconds : dict
        Execution seconds of each lesson, by lesson id.
    reports : list of str
        The single-file HTML reports written (empty with ``reports=False``).
    student : bool
        Whether this is the student edition.
    smoke : bool
        Whether the lessons ran at smoke size.
    failures : dict
        Lesson id -> error message, for lessons that failed (the book is built without them).
    warnings : list of str
        Sphinx's warnings (a broken link, a malformed cell); empty for a clean build.

    Examples
    --------
    >>> r = BookResult(out="book", pages=["quantum/01-states-and-gates.html"], seconds={"quantum.01": 4.2})
    >>> r.pages[0], r.failures
    ('quantum/01-states-and-gates.html', {})
    """

    out: str
    pages: list = field(default_factory=list)
    seconds: dict = field(default_factory=dict)
    reports: list = field(default_factory=list)
    student: bool = False
    smoke: bool = False
    failures: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)


def _execute(path: str, smoke: bool, student: bool, timeout: int):
    """Run one lesson (in a worker process); return the executed notebook as JSON text and the seconds."""
    import nbformat

    from . import execute_notebook

    t0 = time.perf_counter()
    nb = execute_notebook(path, smoke=smoke, student=student, timeout=timeout)
    return nbformat.writes(nb), time.perf_counter() - t0


def _static(dst: pathlib.Path) -> None:
    from . import _vega_resources

    dst.mkdir(parents=True, exist_ok=True)
    res = _vega_resources()
    # wrapped: the bundle's top-level names (_, ...) must not collide with the theme's scripts; it ends by
    # setting window.vegaEmbed, window.vega and window.vegaLite, which Altair's output snippets use
    (dst / "vega-bundle.js").write_text("(function () {\n" + res["wb_vega_bundle"] + "\n})();\n", encoding="utf-8")
    (dst / "wb-vega-debug.js").write_text(f"var VEGA_DEBUG = {json.dumps(res['wb_vega_debug'])};\n")
    # the widget manager typesets labels through MathJax 2's Hub.Queue; map it onto MathJax 3
    (dst / "wb-mathjax-hub.js").write_text(
        "window.MathJax = window.MathJax || {};\n"
        "if (!window.MathJax.Hub) { window.MathJax.Hub = {Queue: function (a) {"
        " if (window.MathJax.typesetPromise && a && a[2]) { window.MathJax.typesetPromise([a[2]]); } }}; }\n"
    )
    for name in ("mathjax-tex-svg-full.js", "widgets-embed.js", "LICENSE-mathjax.txt", "LICENSE-widgets-embed.txt"):
        shutil.copy(STATIC / name, dst / name)
    (dst / "wb-book.css").write_text(
        ".wb-feedback { font-size: 0.95em; }\n"
        "ul.wb-references { list-style: none; padding-left: 0; }\n"
        "ul.wb-references li { margin: 0.4em 0; }\n"
    )


_CONF = """# Sphinx configuration of the workbench book (written by workbench.report.book; do not edit)
project = {project!r}
author = "workbench"
copyright = "workbench contributors"
extensions = ["myst_nb"]
html_theme = "sphinx_book_theme"
html_title = {project!r}
html_static_path = ["_static"]
html_css_files = ["wb-book.css"]
html_js_files = ["wb-vega-debug.js", "vega-bundle.js", ("wb-mathjax-hub.js", {{"defer": "defer", "priority": 900}})]
html_theme_options = {{
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_sidenotes": False,
    "navigation_with_keys": False,
}}
html_show_sourcelink = False
html_show_search_summary = False  # the summaries are fetched, which file:// pages cannot do
html_copy_source = False
html_last_updated_fmt = None
mathjax_path = "mathjax-tex-svg-full.js"
mathjax3_config = {{"tex": {{"tags": "ams"}}, "svg": {{"fontCache": "global"}}, "options": {{"enableMenu": False}}}}
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
nb_execution_mode = "off"
nb_ipywidgets_js = {{"widgets-embed.js": {{}}}}
nb_output_stderr = "remove"
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header", "myst.xref_missing", "misc.highlighting_failure"]
"""


def _bibliography_page(lessons_citing: dict) -> str:
    from ..course import bibliography, format_reference

    lines = [
        "# Bibliography",
        "",
        "Every paper, book, standard and RFC the lessons cite, with the lessons that cite it.",
        "",
    ]
    for topic in ("quantum", "chain", "edge", "cdn", "ai"):
        from ..course import LABS

        lines += [f"## {LABS[topic]}", ""]
        for key, e in bibliography().items():
            if e.get("topic") != topic:
                continue
            cited = ", ".join(f"[{lid}]({lid.replace('.', '/', 1)})" for lid in sorted(lessons_citing.get(key, ())))
            lines.append(f'- <span id="ref-{key}"></span>**[{key}]** {format_reference(key)}')
            if cited:
                lines.append(f"  Cited in {cited}.")
        lines.append("")
    return "\n".join(lines)


def _teacher_page(catalogue, plan, graph_svg: str) -> str:
    most = int(plan[plan.id != "project"].groupby("week").size().max())
    per_week = "One lesson a week" if most == 1 else f"Up to {most} lessons a week"
    teaching = int(plan[plan.id != "project"].week.max())
    rows = "\n".join(
        f"| {w} | {html.escape(t)} | {lid} | {pre or '-'} |"
        for w, t, lid, pre in zip(plan.week, plan.title, plan.id, plan.prerequisites)
    )
    return f"""# For teachers

This book is a course: {len(catalogue)} lessons in {catalogue.lab.nunique()} labs, each a notebook with
learning objectives, prerequisites, the mechanism built by hand before the fast package call, a summary,
references and three to six exercises at three levels of difficulty (★ basic, ★★ intermediate,
★★★ advanced) that students check themselves.

## A semester plan

{per_week} over {teaching} teaching weeks and a last week for projects and review, one lab after the
other in course order (the order respects every prerequisite; `workbench.course.course_plan(weeks)` prints a
plan for another length).

| week | lesson | id | prerequisites |
|---:|---|---|---|
{rows}

## Prerequisites between lessons

An arrow from one lesson to another means the second builds on the first. Lessons without arrows
into them need only Python, NumPy and the tour.

```{{raw}} html
<div class="wb-prereq-graph">{graph_svg}</div>
```

## Student copies

Each lesson keeps its solutions in cells tagged `solution`. A student copy replaces every solution with a
numbered answer cell (`answer_2 = None  # Exercise 2: your answer here`) and keeps the check cells, so that
students run `exercise("quantum.03", 2, answer_2)` and read whether they are right, wrong or what is off
without seeing the solution:

```bash
python -m workbench.teach student --out student      # every lesson, solutions blanked
python -m workbench.report.book --student --out book-student   # this book without solutions
```

Teachers can add tags of their own: cells tagged `teacher` are left out of student copies.
"""


def _graph_svg(catalogue) -> str:
    """The prerequisite graph drawn by Altair (lessons by lab in columns, arrows as rules), as SVG."""
    import altair as alt
    import pandas as pd
    import vl_convert

    from ..course import LABS, prerequisite_graph

    g = prerequisite_graph(catalogue)
    labs = list(LABS)
    pos = {r.id: (labs.index(r.lab), r.number) for r in catalogue.itertuples()}
    nodes = pd.DataFrame(
        [
            {"id": r.id, "title": r.title, "lab": LABS[r.lab], "x": pos[r.id][0], "y": pos[r.id][1]}
            for r in catalogue.itertuples()
        ]
    )
    edges = pd.DataFrame(
        [{"x": pos[a][0], "y": pos[a][1], "x2": pos[b][0], "y2": pos[b][1]} for a, b in g.edges],
        columns=["x", "y", "x2", "y2"],
    )
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.5, len(labs) - 0.5]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(reverse=True, domain=[0, max(7, int(nodes.y.max()) + 1)]))
    chart = (
        alt.Chart(edges).mark_rule(color="#999", strokeWidth=1).encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
        + alt.Chart(nodes).mark_circle(size=160, opacity=1).encode(x=x, y=y, color=alt.Color("lab:N", legend=None))
        + alt.Chart(nodes).mark_text(dx=0, dy=-12, fontSize=10).encode(x=x, y=y, text="id:N")
        + alt.Chart(pd.DataFrame({"x": range(len(labs)), "lab": [LABS[lab] for lab in labs]}))
        .mark_text(fontWeight="bold", fontSize=12)
        .encode(x=x, y=alt.value(8), text="lab:N")
    ).properties(width=150 * len(labs), height=60 * max(7, int(nodes.y.max()) + 1))
    return vl_convert.vegalite_to_svg(chart.to_json())


def _cited(nb) -> list:
    import re

    keys = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            for m in re.finditer(r"references\(([^)]*)\)", cell.source):
                keys += re.findall(r"[\"']([A-Za-z0-9_-]+)[\"']", m.group(1))
    return keys


def build_book(
    out="book",
    *,
    lessons=None,
    smoke: bool = False,
    student: bool = False,
    reports: bool = True,
    workers: int = 2,
    timeout: int = 900,
    log=print,
) -> BookResult:
    """Execute the lessons and build the offline book (and, with ``reports``, one HTML file per lesson).

    Parameters
    ----------
    out : str or path-like, default "book"
        Folder of the site (emptied first); open ``<out>/index.html``.
    lessons : list of str, optional
        Lesson ids to include (default: every lesson of :func:`workbench.course.lessons`); the tour is
        always included.
    smoke : bool, default False
        Run every lesson at its smoke sizes (a quick check of the build).
    student : bool, default False
        The student edition: solutions replaced by numbered answer cells, checks kept.
    reports : bool, default True
        Also write ``<out>/reports/<lab>-<NN>-<topic>.html``, each lesson as one self-contained file.
    workers : int, default 2
        Lessons executed at once (each in its own kernel).
    timeout : int, default 900
        Seconds one cell may run.
    log : callable or None, default print
        Called with one line per lesson executed and per build step.

    Returns
    -------
    BookResult
        The pages, execution times and failures.

    Raises
    ------
    NotebookError
        If a lesson fails to run (after the others have run; the message names every failure), an id
        is unknown, or Sphinx fails to build the site.

    Examples
    --------
    Building runs every lesson (minutes); an unknown lesson is refused before anything runs:

    >>> from workbench.report.book import build_book
    >>> try:
    ...     build_book("/tmp/book-doctest", lessons=["quantum.99"], log=None)
    ... except NotebookError as exc:
    ...     print(str(exc)[:30])
    unknown lessons ['quantum.99']
    """
    import nbformat

    from ..course import course_plan
    from ..course import lessons as catalogue_of
    from . import export_html, notebook_title

    say = log or (lambda *_: None)
    cat = catalogue_of()
    if lessons is not None:
        lessons = list(lessons)
        unknown = [lid for lid in lessons if lid not in set(cat.id)]
        if unknown:
            raise NotebookError(f"unknown lessons {unknown}; the course has {', '.join(cat.id)}")
        cat = cat[cat.id.isin(lessons)].reset_index(drop=True)
    out = pathlib.Path(out).resolve()
    src = out.parent / f".{out.name}-source"
    for d in (out, src):
        if d.exists():
            shutil.rmtree(d)
    src.mkdir(parents=True)
    result = BookResult(out=str(out), student=student, smoke=smoke)

    jobs = {"tour": str(REPO / "notebooks" / "00_tour.ipynb")}
    jobs.update(dict(zip(cat.id, cat.path)))
    executed = {}
    t_all = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, int(workers))) as pool:
        futures = {pool.submit(_execute, p, smoke, student, timeout): lid for lid, p in jobs.items()}
        for fut in concurrent.futures.as_completed(futures):
            lid = futures[fut]
            try:
                text, seconds = fut.result()
            except Exception as exc:  # reported together below
                result.failures[lid] = str(exc)
                say(f"FAILED {lid}: {str(exc).splitlines()[0]}")
                continue
            executed[lid] = nbformat.reads(text, 4)
            result.seconds[lid] = round(seconds, 2)
            say(f"ran {lid} in {seconds:.1f} s")
    if result.failures:
        raise NotebookError(
            f"{len(result.failures)} lesson(s) failed: "
            + "; ".join(f"{k}: {v.splitlines()[0] if v else ''}" for k, v in result.failures.items())
            + "\n\n"
            + "\n\n".join(result.failures.values())
        )
    say(f"executed {len(executed)} notebooks in {time.perf_counter() - t_all:.0f} s")

    # the Sphinx source: the executed notebooks, an index page per lab, the bibliography, the teacher's page
    _static(src / "_static")
    edition = "student edition" if student else "teacher's edition"
    project = "workbench: a course in five labs" + (" (student edition)" if student else "")
    (src / "conf.py").write_text(_CONF.format(project=project))
    nbformat.write(executed["tour"], src / "tour.ipynb")
    citing: dict = {}
    for lab, (title, intro) in lab_pages().items():
        rows = cat[cat.lab == lab]
        if rows.empty:
            continue
        (src / lab).mkdir()
        names = []
        for r in rows.itertuples():
            nb = executed[r.id]
            name = pathlib.Path(r.path).stem
            nbformat.write(nb, src / lab / f"{name}.ipynb")
            names.append(name)
            result.pages.append(f"{lab}/{name}.html")
            for key in _cited(nb):
                citing.setdefault(key, set()).add(f"{lab}.{name[:2]}")
        listing = "\n".join(f"{i}. [{t}]({n}.ipynb)" for i, (t, n) in enumerate(zip(rows.title, names), 1))
        (src / lab / "index.md").write_text(
            f"# {title}\n\n{intro}\n\n{listing}\n\n```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n"
            + "\n".join(names)
            + "\n```\n"
        )
    (src / "bibliography.md").write_text(_bibliography_page(citing))
    plan = course_plan(13, cat) if len(cat) else None
    (src / "teacher.md").write_text(
        _teacher_page(cat, plan, _graph_svg(cat)) if plan is not None else "# For teachers\n"
    )
    labs_present = [lab for lab in lab_pages() if (src / lab).exists()]
    toc = "\n".join(["tour"] + [f"{lab}/index" for lab in labs_present] + ["bibliography", "teacher"])
    labs_list = "\n".join(
        f"- [{lab_pages()[lab][0]}]({lab}/index.md): {int((cat.lab == lab).sum())} lessons" for lab in labs_present
    )
    (src / "index.md").write_text(
        f"""# workbench: a course in five labs

Five labs, each a measured simulator you turn with widgets: quantum computing, blockchain, edge
computing, a global CDN and AI optimization. Every lesson builds its mechanism by hand in small cells,
then runs the fast, checked package call and compares the two. This is the {edition}
{"(smoke-size run: small sizes, quick to build)" if smoke else ""}.

Start with [the tour](tour.ipynb), then any lab:

{labs_list}

The [bibliography](bibliography.md) lists every reference; teachers find a semester plan and the
prerequisites between lessons on [the teacher's page](teacher.md).

```{{toctree}}
:hidden:
:maxdepth: 2

{toc}
```
"""
    )
    say("building the site with Sphinx")
    from sphinx.cmd.build import build_main

    with open(os.devnull, "w") as quiet:
        old = sys.stdout
        sys.stdout = quiet if log is None else sys.stdout
        try:
            # built inside the source folder, then moved: myst-nb writes a jupyter_execute/ folder next to the
            # output folder, which must not land beside the user's book
            html_dir = src / "_build" / "html"
            status = build_main(
                ["-b", "html", "-q", "-j", "1", "-w", str(src / "warnings.txt"), str(src), str(html_dir)]
            )
        finally:
            sys.stdout = old
    result.warnings = [w for w in (src / "warnings.txt").read_text().splitlines() if w.strip()]
    if status != 0:
        raise NotebookError(f"Sphinx failed to build the book (status {status}); source kept in {src}")
    shutil.rmtree(html_dir / ".doctrees", ignore_errors=True)
    shutil.move(str(html_dir), str(out))

    if reports:
        for lid, nb in executed.items():
            if lid == "tour":
                continue
            r = cat[cat.id == lid].iloc[0]
            path = pathlib.Path(r.path)
            target = out / "reports" / f"{r.lab}-{path.stem}.html"
            export_html(nb, target, title=notebook_title(nb, path.stem), meta=f"{r.id} ({edition})")
            result.reports.append(str(target))
    shutil.rmtree(src, ignore_errors=True)
    for w in result.warnings:
        say(f"Sphinx warning: {w}")
    say(f"book written to {out / 'index.html'}")
    return result


def main(argv=None) -> int:
    """The command line ``python -m workbench.report.book``.

    Parameters
    ----------
    argv : list of str, optional
        The arguments; None: ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 1 after a :class:`~workbench.nbio.NotebookError`.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     main(["quantum.99", "--out", d])  # the error goes to stderr
    1
    """
    ap = argparse.ArgumentParser(prog="python -m workbench.report.book", description=__doc__.split("\n\n")[0])
    ap.add_argument("lessons", nargs="*", help="lesson ids (default: all)")
    ap.add_argument("--out", default="book")
    ap.add_argument("--smoke", action="store_true", help="run the lessons at their smoke sizes")
    ap.add_argument("--student", action="store_true", help="the student edition (solutions removed, checks kept)")
    ap.add_argument("--no-reports", action="store_true", help="skip the single-file HTML report of each lesson")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    try:
        build_book(
            args.out,
            lessons=args.lessons or None,
            smoke=args.smoke,
            student=args.student,
            reports=not args.no_reports,
            workers=args.workers,
        )
    except NotebookError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
