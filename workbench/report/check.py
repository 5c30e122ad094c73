"""Open a report in headless Chromium with the network cut off, and count what rendered.

Needs the ``playwright`` Python package (the ``test`` extra) and a Chromium binary; no
browser is downloaded: pass ``executable`` or install Debian's ``chromium`` package.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import shutil
from dataclasses import dataclass, field

__all__ = ["RenderCheck", "BookCheck", "find_chromium", "render_offline", "walk_book"]

_CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
_LOCAL = ("file:", "data:", "blob:", "about:")


@dataclass
class RenderCheck:
    """What a report showed in the browser.

    Parameters
    ----------
    charts : int
        Vega views that drew their SVG marks.
    chart_containers : int
        ``.vega-embed`` elements (a chart that failed still has one).
    widgets : int
        Widget views that rendered (one per widget output).
    math : int
        MathJax containers.
    raw_math : bool
        Whether unrendered ``$$`` is left in the text.
    blocked : list, optional
        Non-local requests (aborted). Empty by default.
    errors : list, optional
        Uncaught page errors. Empty by default.
    console_errors : list, optional
        Messages the page logged as console errors. Empty by default.

    Examples
    --------
    >>> from workbench.report.check import RenderCheck
    >>> check = RenderCheck(charts=3, chart_containers=3, widgets=1, math=2, raw_math=False)
    >>> check.charts == check.chart_containers and not (check.raw_math or check.blocked or check.errors)
    True
    """

    charts: int  # vega views that drew their SVG marks
    chart_containers: int  # .vega-embed elements
    widgets: int  # widget views that rendered (one per widget output)
    math: int  # MathJax containers
    raw_math: bool  # unrendered $$ left in the text
    blocked: list = field(default_factory=list)  # non-local requests (aborted)
    errors: list = field(default_factory=list)  # uncaught page errors
    console_errors: list = field(default_factory=list)


def find_chromium() -> str | None:
    """Path of a Chromium binary: ``$WORKBENCH_CHROMIUM``, else ``chromium`` on PATH.

    ``chromium-browser`` and ``google-chrome`` on PATH are tried after ``chromium``.

    Returns
    -------
    str or None
        The path, or None when none is found.

    Examples
    --------
    >>> from workbench.report.check import find_chromium
    >>> exe = find_chromium()
    >>> exe is None or isinstance(exe, str)
    True
    """
    exe = os.environ.get("WORKBENCH_CHROMIUM")
    if exe:
        return exe
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _settle_and_count(page, settle_ms: int) -> dict:
    """Wait for MathJax, charts and widgets on a loaded page, then count what rendered."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.evaluate(
        "async () => { if (window.MathJax && MathJax.startup && MathJax.startup.promise)"
        " { await MathJax.startup.promise; } }"
    )
    with contextlib.suppress(PlaywrightTimeout):  # a mismatch is reported in the counts
        page.wait_for_function(
            "() => document.querySelectorAll('.vega-embed svg.marks').length"
            " >= document.querySelectorAll('.vega-embed').length",
            timeout=20_000,
        )
    with contextlib.suppress(PlaywrightTimeout):  # widgets render asynchronously from their saved state
        page.wait_for_function(
            "() => [...document.querySelectorAll('script[type=\"application/vnd.jupyter.widget-view+json\"]')]"
            ".every(s => s.parentElement.querySelector('.widget-subarea > .jupyter-widgets'))",
            timeout=20_000,
        )
    page.wait_for_timeout(settle_ms)
    counts = page.evaluate(
        """() => ({
            charts: document.querySelectorAll('.vega-embed svg.marks').length,
            containers: document.querySelectorAll('.vega-embed').length,
            widgets: [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
                .filter(s => s.parentElement.querySelector('.widget-subarea > .jupyter-widgets')).length,
            views: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
            math: document.querySelectorAll('mjx-container').length,
            raw: /\\$\\$/.test(document.body.innerText),
        })"""
    )
    return counts


def render_offline(path, *, executable: str | None = None, settle_ms: int = 4000, screenshot=None) -> RenderCheck:
    """Load ``path`` (an HTML report) with every non-``file:``/``data:`` request aborted.

    Waits until MathJax (if present) has finished and the page has settled, then counts
    rendered charts, widgets and maths.

    Parameters
    ----------
    path : str or path-like
        The HTML file.
    executable : str, optional
        The Chromium binary; by default :func:`find_chromium`.
    settle_ms : int, default 4000
        Milliseconds to wait after charts and widgets have rendered (or after 20 s each of waiting
        for them) before counting.
    screenshot : str or path-like, optional
        Also save a full-page PNG screenshot there.

    Returns
    -------
    RenderCheck
        The counts, the blocked requests and the page's errors.

    Raises
    ------
    FileNotFoundError
        If no Chromium binary is given or found.
    ImportError
        If the ``playwright`` package is not installed.

    Examples
    --------
    Opening a page starts a browser (seconds), so this is not run here::

        check = render_offline("reports/cdn.html")
        assert check.charts == check.chart_containers and not check.blocked

    A check of a report that rendered fully reads:

    >>> from workbench.report.check import RenderCheck
    >>> check = RenderCheck(charts=3, chart_containers=3, widgets=1, math=2, raw_math=False)
    >>> check.charts == check.chart_containers, check.blocked
    (True, [])
    """
    from playwright.sync_api import sync_playwright

    exe = executable or find_chromium()
    if exe is None:
        raise FileNotFoundError("no Chromium found: install Debian's 'chromium' package or set WORKBENCH_CHROMIUM")
    path = pathlib.Path(path).resolve()
    blocked, errors, console = [], [], []

    def route(r):
        url = r.request.url
        if url.startswith(_LOCAL):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=_CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            page.route("**/*", route)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
            page.goto(path.as_uri(), wait_until="load")
            counts = _settle_and_count(page, settle_ms)
            if screenshot:
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return RenderCheck(
        counts["charts"],
        counts["containers"],
        counts["widgets"],
        counts["math"],
        counts["raw"],
        blocked,
        errors,
        console,
    )


@dataclass
class BookCheck:
    """What a walk through the book showed in the browser.

    Parameters
    ----------
    toc : list of str
        Pages linked from the index's table of contents, in order (paths relative to the book).
    next_chain : list of str
        Pages reached from the index by following "next" links until the last page.
    prev_chain : list of str
        Pages reached back from the last page by following "previous" links.
    pages : dict
        Page -> counts (``charts``, ``containers``, ``widgets``, ``views``, ``math``, ``raw``) of each page visited.
    search_hits : list of str
        Pages the search page listed for the query.
    blocked : list of str
        Requests that tried to leave the machine (aborted).
    errors : list of str
        Page errors (uncaught exceptions), prefixed with the page.

    Examples
    --------
    >>> BookCheck(toc=["a.html"], next_chain=["a.html"], prev_chain=[], pages={}, search_hits=[]).blocked
    []
    """

    toc: list
    next_chain: list
    prev_chain: list
    pages: dict
    search_hits: list
    blocked: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def walk_book(index, query: str, *, executable: str | None = None, settle_ms: int = 500) -> BookCheck:
    """Open a book's ``index.html`` from ``file://`` with every other request aborted, follow its table of
    contents and its next/previous links through every page, count what rendered on each, and search it.

    Parameters
    ----------
    index : str or path-like
        The book's ``index.html``.
    query : str
        A word to search for with the book's search page.
    executable : str, optional
        The Chromium binary; by default :func:`find_chromium`.
    settle_ms : int, default 500
        Milliseconds to wait on each page after charts and widgets have rendered.

    Returns
    -------
    BookCheck
        The pages in each order, what rendered on each, the search hits, blocked requests and page errors.

    Raises
    ------
    FileNotFoundError
        If no Chromium binary is given or found.

    Examples
    --------
    Walking a book starts a browser (a minute for a whole book), e.g.
    ``walk_book("book/index.html", "Grover")``; a finished walk reads:

    >>> check = BookCheck(toc=["tour.html"], next_chain=["tour.html"], prev_chain=["index.html"], pages={}, search_hits=[])
    >>> check.toc == check.next_chain
    True
    """
    from playwright.sync_api import sync_playwright

    exe = executable or find_chromium()
    if exe is None:
        raise FileNotFoundError("no Chromium found: install Debian's 'chromium' package or set WORKBENCH_CHROMIUM")
    root = pathlib.Path(index).resolve().parent
    blocked, errors = [], []
    here = {"page": ""}

    def route(r):
        url = r.request.url
        if url.startswith(_LOCAL):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    def rel(url: str) -> str:
        path = url.split("#")[0].split("?")[0]
        return pathlib.Path(path.removeprefix("file://")).resolve().relative_to(root).as_posix()

    pages = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=_CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.route("**/*", route)
            page.on("pageerror", lambda e: errors.append(f"{here['page']}: {e}"))

            def visit(url):
                here["page"] = rel(url)
                page.goto(url, wait_until="load")
                if here["page"] not in pages:
                    pages[here["page"]] = _settle_and_count(page, settle_ms)

            start = pathlib.Path(index).resolve().as_uri()
            visit(start)
            toc = page.eval_on_selector_all(
                "nav.bd-docs-nav a.reference.internal, .bd-sidenav a.reference.internal", "els => els.map(e => e.href)"
            )
            toc = list(dict.fromkeys(rel(u) for u in toc))
            chain = []
            while True:
                nxt = page.query_selector("a.right-next")
                if nxt is None or len(chain) > 500:
                    break
                visit(nxt.evaluate("e => e.href"))
                chain.append(here["page"])
            back = []
            while True:
                prv = page.query_selector("a.left-prev")
                if prv is None or len(back) > 500:
                    break
                visit(prv.evaluate("e => e.href"))
                back.append(here["page"])
            for target in toc:
                if target not in pages:
                    visit((root / target).as_uri())
            here["page"] = "search.html"
            page.goto((root / "search.html").as_uri() + f"?q={query}", wait_until="load")
            try:
                page.wait_for_selector("#search-results ul.search li", timeout=20_000)
            except Exception:  # no results: reported as an empty list
                pass
            hits = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
        finally:
            browser.close()
    return BookCheck(
        toc=toc,
        next_chain=chain,
        prev_chain=back,
        pages=pages,
        search_hits=list(dict.fromkeys(rel(u) for u in hits)),
        blocked=blocked,
        errors=errors,
    )
