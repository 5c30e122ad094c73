"""Execute notebooks headless and export each as ONE self-contained, offline HTML file.

Stock ``nbconvert --to html`` pages load require.js, vega, the widget manager and MathJax
from CDNs and show nothing without a network. The ``workbench_offline`` template inlines
all of them instead: the vega bundle shipped inside ``vl-convert-python``, the standalone
``@jupyter-widgets/html-manager`` (which draws widgets from the state nbclient saves) and
MathJax 3 with SVG output. Jupyter Book cell tags are honoured: ``remove-cell``,
``remove-input``, ``remove-output`` drop parts; ``hide-input``, ``hide-output``,
``hide-cell`` fold them behind a toggle.

Command line::

    python -m workbench.report [NOTEBOOK ...] [--smoke] [--no-input] [--out DIR] [-p NAME=VALUE]

Without notebooks it runs every ``notebooks/*.ipynb`` and writes ``reports/<name>.html``
and ``reports/index.html``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import html
import json
import os
import pathlib
import re
import sys
import time
from dataclasses import asdict, dataclass, field

from ..nbio import NotebookError, default_notebooks, inject_parameters, parse_param, read_notebook, smoke_parameters
from ..teach import student_copy

__all__ = [
    "ReportResult",
    "read_notebook",
    "inject_parameters",
    "execute_notebook",
    "count_charts",
    "count_widgets",
    "has_math",
    "export_html",
    "build_reports",
    "write_index",
    "default_notebooks",
    "main",
]

TEMPLATES = pathlib.Path(__file__).resolve().parent / "templates"
VEGA_MIMES = (
    "application/vnd.vegalite.v6.json",
    "application/vnd.vegalite.v5+json",
    "application/vnd.vegalite.v6+json",
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$[^$\n]+\$|\\\(|\\\[|\\begin\{", re.S)


#: The error of notebook reading, execution and export (the same class as :class:`workbench.nbio.NotebookError`).
ReportError = NotebookError


@dataclass
class ReportResult:
    """What :func:`build_reports` produced for one notebook.

    Parameters
    ----------
    notebook : str
        The notebook's path, as given.
    html : str
        The path of the HTML report written.
    title : str
        The report's title (the notebook's first ``#`` heading, else its file name without ``.ipynb``).
    seconds : float
        Wall-clock seconds the execution took, rounded to 0.01.
    finished : str
        When the execution finished: local time in ISO 8601, to the second.
    charts : int
        Altair charts among the outputs (see :func:`count_charts`).
    widgets : int
        Widget views among the outputs (see :func:`count_widgets`).
    math : bool
        Whether the notebook holds TeX maths (see :func:`has_math`).
    size_bytes : int
        Size of the HTML file in bytes.
    smoke : bool
        Whether it was a smoke run (reduced sizes).
    nb : nbformat.NotebookNode, optional
        The executed notebook (left out of ``repr``, comparisons and :meth:`record`).

    Examples
    --------
    >>> from workbench.report import ReportResult
    >>> r = ReportResult("notebooks/cdn.ipynb", "reports/cdn.html", "CDN lab", 12.5,
    ...                  "2025-01-01T10:00:00+00:00", 3, 1, True, 2_000_000, False)
    >>> r.record()["charts"], "nb" in r.record()
    (3, False)
    """

    notebook: str
    html: str
    title: str
    seconds: float
    finished: str
    charts: int
    widgets: int
    math: bool
    size_bytes: int
    smoke: bool
    nb: object = field(default=None, repr=False, compare=False)

    def record(self) -> dict:
        """The fields as a plain dict, without the notebook (what ``index.json`` keeps).

        Returns
        -------
        dict
            Field name -> value for every field but ``nb``.
        """
        d = asdict(self)
        d.pop("nb")
        return d


@contextlib.contextmanager
def _environ(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def execute_notebook(
    path, parameters: dict | None = None, *, smoke: bool = False, timeout: int = 900, student: bool = False
):
    """Run a notebook top to bottom in a fresh kernel (cwd = the notebook's folder).

    The kernel sees ``WORKBENCH_REPORT=1`` (so :func:`workbench.viz.setup` picks the
    report renderer) and ``WORKBENCH_SMOKE=1`` in smoke runs. With ``smoke=True`` the
    notebook's own ``metadata.workbench.smoke`` values are injected after its
    ``parameters`` cell; explicit ``parameters`` are injected after those. With ``student=True``
    the student copy runs (solution cells blanked, see :mod:`workbench.teach`).

    Parameters
    ----------
    path : str or path-like
        The ``.ipynb`` file (not changed: the run works on a copy in memory).
    parameters : dict, optional
        Name -> value to inject after the ``parameters`` cell (see
        :func:`workbench.nbio.inject_parameters`); they override the smoke values.
    smoke : bool, default False
        Inject the notebook's own smoke-run sizes (:func:`workbench.nbio.smoke_parameters`).
    timeout : int, default 900
        Seconds one cell may run.
    student : bool, default False
        Run the student copy.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook (outputs and widget state included).

    Raises
    ------
    NotebookError
        If the file is missing or not a ``.ipynb`` file, a parameter name is not an identifier,
        a cell raises (the message holds the cell's traceback), a cell runs longer than
        ``timeout``, or the kernel dies.

    Examples
    --------
    A run starts a kernel and takes seconds to minutes, e.g.
    ``execute_notebook("notebooks/cdn.ipynb", smoke=True)``; a path that is not a notebook is
    refused before any kernel starts:

    >>> from workbench.nbio import NotebookError
    >>> from workbench.report import execute_notebook
    >>> try:
    ...     execute_notebook("notes.txt")
    ... except NotebookError as exc:
    ...     print(str(exc).endswith("notes.txt: expected a .ipynb notebook"))
    True
    """
    import nbclient

    path = pathlib.Path(path).resolve()
    nb = read_notebook(path)
    if student:
        nb = student_copy(nb)
    values = {**(smoke_parameters(nb) if smoke else {}), **(parameters or {})}
    inject_parameters(nb, values)
    client = nbclient.NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
    )
    with _environ(WORKBENCH_REPORT="1", WORKBENCH_SMOKE="1" if smoke else ""):
        try:
            client.execute()
        except nbclient.exceptions.CellExecutionError as exc:
            raise ReportError(f"{path.name} failed:\n{exc}") from None
        except nbclient.exceptions.CellTimeoutError:
            raise ReportError(
                f"{path.name}: a cell ran longer than the timeout of {timeout} s; raise timeout= (or run it smaller)"
            ) from None
        except nbclient.exceptions.DeadKernelError as exc:
            raise ReportError(f"{path.name}: the kernel died while running ({exc}); out of memory?") from None
    return nb


# --- what is in a notebook ------------------------------------------------------------


def _outputs(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            yield out.get("data", {})


def _widget_outputs(nb):
    """Display data held by Output widgets in the saved widget state (charts drawn inside a panel)."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for model in state.values():
        if model.get("model_name") == "OutputModel":
            for out in model.get("state", {}).get("outputs", []):
                yield out.get("data", {})


def count_charts(nb) -> int:
    """Altair/vega-lite charts among the notebook's outputs, including those inside Output widgets.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook (Output widgets are read from its saved widget state).

    Returns
    -------
    int
        Outputs holding a Vega-Lite v5 or v6 spec, or HTML that calls ``vegaEmbed``.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> from workbench.report import count_charts
    >>> chart = new_output("display_data", data={"application/vnd.vegalite.v5+json": {"mark": "point"}})
    >>> count_charts(new_notebook(cells=[new_code_cell("chart", outputs=[chart])]))
    1
    """
    n = 0
    for data in [*_outputs(nb), *_widget_outputs(nb)]:
        if any(m in data for m in VEGA_MIMES) or "vegaEmbed" in str(data.get("text/html", "")):
            n += 1
    return n


def count_widgets(nb) -> int:
    """Widget views among the notebook's outputs.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook.

    Returns
    -------
    int
        Outputs holding a ``application/vnd.jupyter.widget-view+json`` view.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> from workbench.report import count_widgets
    >>> view = {"model_id": "1", "version_major": 2, "version_minor": 0}
    >>> slider = new_output("display_data", data={"application/vnd.jupyter.widget-view+json": view})
    >>> count_widgets(new_notebook(cells=[new_code_cell("slider", outputs=[slider])]))
    1
    """
    return sum(WIDGET_VIEW in data for data in _outputs(nb))


def has_math(nb) -> bool:
    """Whether markdown cells or outputs contain TeX maths.

    Maths is ``$...$``, ``$$...$$``, ``\\(``, ``\\[`` or ``\\begin{`` in a markdown cell or a LaTeX or
    markdown output, or a ``$`` in a widget's text or saved widget state.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook.

    Returns
    -------
    bool
        True if the report needs MathJax.

    Examples
    --------
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> from workbench.report import has_math
    >>> has_math(new_notebook(cells=[new_markdown_cell("The hit ratio is $h = 1 - m$.")]))
    True
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown" and _MATH.search(cell.source):
            return True
    for data in _outputs(nb):
        for mime in ("text/latex", "text/markdown"):
            if mime in data and _MATH.search(str(data[mime])):
                return True
        if WIDGET_VIEW in data and "$" in str(data.get("text/plain", "")):
            return True
    return "widgets" in nb.metadata and "$" in json.dumps(nb.metadata["widgets"])


def notebook_title(nb, default: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return default


# --- export ----------------------------------------------------------------------------


def _vega_resources() -> dict:
    import altair as alt
    import vl_convert

    # vl-convert names Vega-Lite versions "v6_4" (major_minor) where Altair says "v6.4.1"
    vl_version = "_".join(alt.SCHEMA_VERSION.split(".")[:2])
    return {
        "wb_vega_bundle": vl_convert.javascript_bundle(vl_version=vl_version),
        "wb_vega_debug": {
            "vega_version": alt.VEGA_VERSION,
            "vegalite_version": alt.VEGALITE_VERSION,
            "vegaembed_version": alt.VEGAEMBED_VERSION,
        },
    }


def export_html(nb, out, *, no_input: bool = False, title: str | None = None, meta: str | None = None) -> pathlib.Path:
    """Write an executed notebook as one self-contained HTML file that needs no network.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook (see :func:`execute_notebook`).
    out : str or path-like
        The ``.html`` file to write (folders are created).
    no_input : bool, default False
        Leave out all code (a report for readers who do not program).
    title : str, optional
        Page title (default: the notebook's ``metadata.title`` if it has one, else the file
        name of ``out`` without ``.html``; :func:`build_reports` passes the first ``#`` heading).
    meta : str, optional
        A line shown under the page top (run date and time).

    Returns
    -------
    pathlib.Path
        ``out``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> from workbench.report import export_html
    >>> nb = new_notebook(cells=[new_markdown_cell("# Caches")])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     page = export_html(nb, pathlib.Path(d, "cdn.html"), title="CDN lab")
    ...     page.name, "<title>CDN lab</title>" in page.read_text()
    ('cdn.html', True)
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    out = pathlib.Path(out)
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # private copy
    if title:
        nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name="workbench_offline",
        extra_template_basedirs=[str(TEMPLATES)],
        embed_images=True,
        exclude_input=no_input,
        exclude_input_prompt=no_input,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags={"remove-cell"},
            remove_input_tags={"remove-input"},
            remove_all_outputs_tags={"remove-output"},
            enabled=True,
        ),
        enabled=True,
    )
    resources = {"wb_has_math": has_math(nb), "wb_meta": meta or ""}
    if count_charts(nb):
        resources.update(_vega_resources())
    resources["metadata"] = {"name": title or out.stem}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    return out


# --- many notebooks + index ------------------------------------------------------------


def build_reports(
    notebooks=None,
    out="reports",
    *,
    smoke=False,
    no_input=False,
    parameters=None,
    timeout=900,
    log=print,
    student=False,
):
    """Execute notebooks and export ``<out>/<name>.html`` plus ``<out>/index.html`` (the student
    versions, solutions blanked, with ``student=True``).

    Returns a list of :class:`ReportResult` (the executed notebooks in ``.nb``). Stops at
    the first notebook that fails, after writing the index of those that worked.

    Parameters
    ----------
    notebooks : list of str or path-like, optional
        The notebooks; None (or an empty list): :func:`workbench.nbio.default_notebooks`.
    out : str or path-like, default "reports"
        The output folder.
    smoke : bool, default False
        Smoke runs: each notebook's own reduced sizes (see :func:`execute_notebook`).
    no_input : bool, default False
        Leave out all code from the reports.
    parameters : dict, optional
        Name -> value injected into every notebook.
    timeout : int, default 900
        Seconds one cell may run.
    log : callable or None, default print
        Called with one progress line per notebook; None: silent.
    student : bool, default False
        Run and export the student copies.

    Returns
    -------
    list of ReportResult
        One per notebook, in order.

    Raises
    ------
    NotebookError
        If there are no notebooks, or a notebook is missing, not a ``.ipynb`` file, or fails
        (see :func:`execute_notebook`).

    Examples
    --------
    Building the lessons' reports executes them (minutes), e.g.
    ``build_reports(smoke=True)``; a missing notebook stops the build:

    >>> import tempfile
    >>> from workbench.nbio import NotebookError
    >>> from workbench.report import build_reports
    >>> with tempfile.TemporaryDirectory() as d:
    ...     try:
    ...         build_reports([f"{d}/missing.ipynb"], out=d)
    ...     except NotebookError as exc:
    ...         print(str(exc).startswith("notebook not found"))
    True
    """
    if notebooks is None:
        notebooks = default_notebooks()
    elif isinstance(notebooks, (str, bytes, pathlib.PurePath)) or not (notebooks := list(notebooks)):
        raise ReportError("notebooks must be a non-empty list of notebook paths (or None for every lesson)")
    paths = [pathlib.Path(p) for p in notebooks]
    if not paths:
        raise ReportError("no notebooks found")
    out = pathlib.Path(out)
    results = []
    try:
        for i, path in enumerate(paths, 1):
            t0 = time.perf_counter()
            nb = execute_notebook(path, parameters, smoke=smoke, timeout=timeout, student=student)
            seconds = time.perf_counter() - t0
            finished = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
            title = notebook_title(nb, path.stem)
            meta = (
                f"Executed {finished} in {seconds:.1f} s"
                + (" (smoke run: reduced sizes)" if smoke else "")
                + (" (student version: solutions left out)" if student else "")
            )
            target = export_html(nb, out / f"{path.stem}.html", no_input=no_input, title=title, meta=meta)
            res = ReportResult(
                notebook=str(path),
                html=str(target),
                title=title,
                seconds=round(seconds, 2),
                finished=finished,
                charts=count_charts(nb),
                widgets=count_widgets(nb),
                math=has_math(nb),
                size_bytes=target.stat().st_size,
                smoke=smoke,
                nb=nb,
            )
            results.append(res)
            if log:
                log(
                    f"[{i}/{len(paths)}] {path} -> {target} ({res.size_bytes / 1e6:.1f} MB, {seconds:.1f} s, "
                    f"{res.charts} charts, {res.widgets} widgets)"
                )
    finally:
        if results:
            write_index(results, out)
    return results


def write_index(results, out) -> pathlib.Path:
    """Write ``index.html`` linking every report in ``out`` with its title, run time and date.

    Entries are kept in ``index.json`` so that building one notebook keeps the others listed.

    Parameters
    ----------
    results : iterable of ReportResult or dict
        The new entries (a dict holds the fields of :meth:`ReportResult.record`); they replace
        entries of the same HTML file name. Entries whose HTML file is not in ``out`` are dropped.
    out : str or path-like
        The reports' folder, which must exist.

    Returns
    -------
    pathlib.Path
        The ``index.html`` written (beside ``index.json``).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from workbench.report import ReportResult, write_index
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = pathlib.Path(d, "cdn.html").write_text("<html></html>")
    ...     r = ReportResult("notebooks/cdn.ipynb", f"{d}/cdn.html", "CDN lab", 12.5,
    ...                      "2025-01-01T10:00:00+00:00", 3, 1, True, 13, True)
    ...     index = write_index([r], d)
    ...     index.name, sorted(p.name for p in pathlib.Path(d).iterdir())
    ('index.html', ['cdn.html', 'index.html', 'index.json'])
    """
    out = pathlib.Path(out)
    manifest = out / "index.json"
    entries = {}
    if manifest.is_file():
        with contextlib.suppress(ValueError):
            entries = {e["html_name"]: e for e in json.loads(manifest.read_text())}
    for r in results:
        rec = r.record() if isinstance(r, ReportResult) else dict(r)
        rec["html_name"] = pathlib.Path(rec["html"]).name
        entries[rec["html_name"]] = rec
    entries = {k: v for k, v in sorted(entries.items()) if (out / k).is_file()}
    manifest.write_text(json.dumps(list(entries.values()), indent=1))
    rows = "\n".join(
        f'<tr><td><a href="{html.escape(e["html_name"])}">{html.escape(e["title"])}</a></td>'
        f"<td>{html.escape(pathlib.Path(e['notebook']).name)}</td><td class=n>{e['seconds']:.1f} s</td>"
        f"<td>{html.escape(e['finished'])}</td><td class=n>{e['charts']}</td><td class=n>{e['widgets']}</td>"
        f"<td class=n>{e['size_bytes'] / 1e6:.1f} MB</td><td>{'smoke' if e['smoke'] else 'full'}</td></tr>"
        for e in entries.values()
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>workbench reports</title>
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: 4px 10px; border-bottom: 1px solid #ddd; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
</style></head>
<body>
<h1>workbench reports</h1>
<p>Each report is one self-contained HTML file: charts, widgets and formulas render without a network.</p>
<table>
<tr><th>Report</th><th>Notebook</th><th>Run time</th><th>Executed</th><th>Charts</th><th>Widgets</th><th>Size</th><th>Run</th></tr>
{rows}
</table>
</body></html>
"""
    target = out / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


# --- command line -----------------------------------------------------------------------


def main(argv=None) -> int:
    """The command line ``python -m workbench.report``.

    ``python -m workbench.report [NOTEBOOK ...] [--smoke] [--no-input] [--out DIR] [-p NAME=VALUE]
    [--timeout S] [--student]`` runs :func:`build_reports` and prints how many reports were
    written; an error is printed to stderr instead.

    Parameters
    ----------
    argv : list of str, optional
        The arguments; None: ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 on success, 1 after a :class:`~workbench.nbio.NotebookError`.

    Examples
    --------
    >>> import tempfile
    >>> from workbench.report import main
    >>> with tempfile.TemporaryDirectory() as d:
    ...     main([f"{d}/missing.ipynb", "--out", d])
    1
    """
    parser = argparse.ArgumentParser(
        prog="python -m workbench.report",
        description="Execute notebooks headless and write self-contained offline HTML reports.",
    )
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--out", default="reports", help="output folder (default: reports)")
    parser.add_argument("--no-input", action="store_true", help="leave out code cells' input")
    parser.add_argument("--smoke", action="store_true", help="use each notebook's small smoke-run sizes")
    parser.add_argument(
        "-p",
        "--param",
        action="append",
        type=parse_param,
        default=[],
        metavar="NAME=VALUE",
        help="override a notebook parameter (repeatable)",
    )
    parser.add_argument("--timeout", type=int, default=900, help="per-cell timeout in seconds")
    parser.add_argument("--student", action="store_true", help="run the student versions (solution cells blanked)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    try:
        results = build_reports(
            args.notebooks or None,
            args.out,
            smoke=args.smoke,
            no_input=args.no_input,
            parameters=dict(args.param),
            timeout=args.timeout,
            student=args.student,
        )
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{len(results)} report(s) and {pathlib.Path(args.out) / 'index.html'} in {time.perf_counter() - t0:.1f} s")
    return 0
