"""Every notebook: committed without outputs, follows the conventions, runs top to bottom (smoke size).

Every test of the shared smoke reports lives in this module, so that `pytest -n 2 --dist loadfile` builds them
once, on one worker."""

import json
import re

import pytest

from workbench.report import default_notebooks

from .test_browser import assert_renders
from .test_chain_widgets import leaked_secrets

NOTEBOOKS = default_notebooks()


def test_there_are_notebooks():
    assert any(p.name == "00_tour.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs_and_follows_conventions(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "strip outputs"
    assert "widgets" not in nb["metadata"]
    assert "viz.setup()" in "".join(code[0]["source"]), "the first code cell calls viz.setup()"
    assert sum("parameters" in c.get("metadata", {}).get("tags", []) for c in code) == 1
    assert nb["metadata"].get("workbench", {}).get("smoke"), "declare smoke sizes in metadata.workbench.smoke"
    assert nb["cells"][0]["cell_type"] == "markdown" and "".join(nb["cells"][0]["source"]).startswith("# ")


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_smoke_mode(path, smoke_reports):
    out, results, failures = smoke_reports
    if path.stem in failures:
        raise failures[path.stem]
    res = results[path.stem]
    assert (out / f"{path.stem}.html").is_file()
    assert res.charts >= 1
    noisy = [
        o.get("text", "")
        for c in res.nb.cells
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    ]
    assert not noisy, f"warnings or errors printed while running: {noisy}"


@pytest.mark.notebook
def test_index_written(smoke_reports):
    out, results, _ = smoke_reports
    index = (out / "index.html").read_text()
    for res in results.values():
        assert res.title in index


@pytest.mark.notebook
@pytest.mark.browser
def test_every_smoke_report_renders_offline(smoke_reports, chromium):
    out, results, failures = smoke_reports
    assert not failures, f"notebooks failed: {sorted(failures)}"
    assert "00_tour" in results
    for name, r in results.items():
        got = assert_renders(r.html, r.charts, r.widgets, r.math, chromium)
        assert got.charts >= 1, name


@pytest.mark.notebook
def test_chain_report_shows_no_private_key(smoke_reports):
    out, results, failures = smoke_reports
    if "chain" in failures:
        raise failures["chain"]
    html = (out / "chain.html").read_text()
    assert re.search(r"0x[0-9a-fA-F]{40}", html), "the report shows addresses"
    assert leaked_secrets(html) == []
    assert "PrivateKey(&lt;secret&gt;" in html  # the key printed in section 2 shows no secret
