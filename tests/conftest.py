import pathlib

import networkx as nx
import numpy as np
import pytest
from hypothesis import settings

# CI must be reproducible: every property test draws the same examples on every run (a fresh seed per run
# found a real compiler defect once; run ``pytest --hypothesis-seed=N`` by hand to explore further)
settings.register_profile("workbench", derandomize=True)
settings.load_profile("workbench")

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def random_graph(seed, n=None, p=None, directed=None, integer=None, zero_frac=0.05):
    """A random weighted graph with some zero weights and possibly unreachable parts."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60)) if n is None else n
    p = float(rng.uniform(0.01, 0.2)) if p is None else p
    directed = bool(rng.integers(2)) if directed is None else directed
    integer = bool(rng.integers(2)) if integer is None else integer
    G = nx.gnp_random_graph(n, p, seed=int(rng.integers(2**31)), directed=directed)
    for u, v in G.edges:
        w = float(rng.integers(0, 20)) if integer else float(rng.exponential(3.0))
        if rng.random() < zero_frac:
            w = 0.0
        G[u][v]["weight"] = w
    return G


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


def pytest_addoption(parser):
    parser.addoption("--keep-reports", default=None, help="write the smoke reports to this folder")


@pytest.fixture(scope="session")
def smoke_reports(tmp_path_factory, request):
    """Every notebook executed once in smoke mode and exported (shared by notebook and browser tests)."""
    from workbench.report import build_reports, default_notebooks

    keep = request.config.getoption("--keep-reports")
    out = pathlib.Path(keep) if keep else tmp_path_factory.mktemp("reports")
    failures = {}
    results = {}
    for path in default_notebooks():
        try:
            (res,) = build_reports([path], out, smoke=True, log=None)
            results[path.stem] = res
        except Exception as exc:  # reported per notebook by the tests
            failures[path.stem] = exc
    return out, results, failures


@pytest.fixture(scope="session")
def fixture_report(tmp_path_factory):
    """A small notebook with charts, a jslinked widget, maths and Jupyter Book tags, executed and exported."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from workbench.report import build_reports

    d = tmp_path_factory.mktemp("fixture")
    nb = new_notebook(
        cells=[
            new_markdown_cell(
                "# Fixture report\n\nInline $e^{i\\pi} + 1 = 0$ and display\n\n$$\\int_0^1 x\\,dx = \\tfrac12$$"
            ),
            new_code_cell(
                "from workbench import viz\nimport altair as alt, pandas as pd, ipywidgets as W\nviz.setup()"
            ),
            new_code_cell("N = 5", metadata={"tags": ["parameters"]}),
            new_code_cell(
                "df = pd.DataFrame({'x': range(N), 'y': [i * i for i in range(N)]})\n"
                "alt.Chart(df).mark_line().encode(x='x', y='y')"
            ),
            new_code_cell(
                "k = alt.param(value=2, bind=alt.binding_range(min=0, max=N))\n"
                "alt.Chart(df).mark_point().encode(x='x', y='y', size=alt.value(80)).add_params(k)"
            ),
            new_code_cell(
                "s = W.IntSlider(value=7, description='slider')\nt = W.IntText()\n"
                "W.jslink((s, 'value'), (t, 'value'))\nW.VBox([s, t])"
            ),
            new_code_cell("print('SECRET-REMOVED-CELL')", metadata={"tags": ["remove-cell"]}),
            new_code_cell(
                "print('visible output of hidden input')  # HIDDEN-INPUT-MARKER", metadata={"tags": ["hide-input"]}
            ),
            new_code_cell("print('REMOVED-OUTPUT')", metadata={"tags": ["remove-output"]}),
            new_code_cell("import os\nprint('report env:', os.environ.get('WORKBENCH_REPORT'), 'N =', N)"),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["workbench"] = {"smoke": {"N": 3}}
    path = d / "fixture.ipynb"
    nbformat.write(nb, path)
    (res,) = build_reports([path], d / "out", smoke=True, log=None)
    return res


_WORKER_COUNTS: dict = {}


def _robustness_module():
    import sys

    return next((m for name, m in sys.modules.items() if name.endswith("test_robustness")), None)


def pytest_sessionfinish(session):
    """Under pytest-xdist, each worker hands its robustness counts to the controller."""
    mod = _robustness_module()
    if hasattr(session.config, "workeroutput") and mod is not None:
        session.config.workeroutput["robustness"] = dict(mod.TRIED)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    for lab, n in getattr(node, "workeroutput", {}).get("robustness", {}).items():
        _WORKER_COUNTS[lab] = _WORKER_COUNTS.get(lab, 0) + n


def pytest_terminal_summary(terminalreporter):
    """The robustness sweep's count of malformed inputs per lab (see tests/test_robustness.py)."""
    import collections

    mod = _robustness_module()
    counts = collections.Counter(_WORKER_COUNTS)
    if mod is not None:
        counts.update(mod.TRIED)
    if counts:
        total = sum(counts.values())
        per_lab = ", ".join(f"{lab} {n}" for lab, n in sorted(counts.items()))
        terminalreporter.write_sep("-", "robustness")
        terminalreporter.write_line(f"robustness sweep: malformed inputs tried per lab: {per_lab} (total {total})")


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium for the offline-render tests (a failure instead of a skip under WORKBENCH_REQUIRE_BROWSER)."""
    import os

    from workbench.report.check import find_chromium

    pytest.importorskip("playwright")
    exe = find_chromium()
    if exe is None:
        if os.environ.get("WORKBENCH_REQUIRE_BROWSER"):
            pytest.fail("WORKBENCH_REQUIRE_BROWSER is set but no Chromium was found (apt install chromium)")
        pytest.skip("no Chromium on this machine")
    return exe
