"""The offline HTML exporter: structure of the page, tags, parameters, index and CLI."""

import json
import re

import nbformat
import pytest

from workbench import report
from workbench.report import ReportError

pytestmark = pytest.mark.notebook


def test_fixture_report_is_self_contained(fixture_report):
    html = open(fixture_report.html, encoding="utf-8").read()
    # nothing is loaded from elsewhere: no remote script/link/img sources at all
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", html)
    # (Altair's chart snippet still names CDN URLs as a fallback it never takes when VEGA_DEBUG
    # matches; test_browser.py proves that no request leaves the page)
    assert "@jupyter-widgets/html-manager@" not in html  # nbconvert's CDN widget loader is gone
    assert "var VEGA_DEBUG" in html and "vegaEmbed" in html
    assert html.count("application/vnd.jupyter.widget-state+json") == 1
    assert 'src="data:text/javascript;base64,' in html or 'src="data:application/javascript;base64,' in html
    assert "window.MathJax" in html
    assert fixture_report.charts == 2 and fixture_report.widgets == 1 and fixture_report.math


def test_tags_and_parameters(fixture_report):
    html = open(fixture_report.html, encoding="utf-8").read()
    assert "SECRET-REMOVED-CELL" not in html
    assert "REMOVED-OUTPUT" in html  # its input stays...
    assert "REMOVED-OUTPUT</pre>" not in html and "\nREMOVED-OUTPUT\n" not in html  # ...its output does not
    hidden = html.index("HIDDEN-INPUT-MARKER")
    assert html.rfind("<details", 0, hidden) > html.rfind("</details>", 0, hidden)  # folded
    assert "visible output of hidden input" in html
    assert "report env: 1 N = 3" in html  # WORKBENCH_REPORT set, smoke value injected
    assert "Parameters injected by workbench.report" in html


def test_no_input_mode(fixture_report, tmp_path):
    out = report.export_html(fixture_report.nb, tmp_path / "x.html", no_input=True)
    html = out.read_text()
    assert "HIDDEN-INPUT-MARKER" not in html and "viz.setup()" not in html
    assert "report env: 1" in html


def test_charts_without_maths_or_widgets_skip_those_scripts(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Plain\n\nNo maths; costs $5 only once.")])
    html = report.export_html(nb, tmp_path / "p.html").read_text()
    assert "VEGA_DEBUG" not in html and "widgets-embed" not in html
    assert "window.MathJax" not in html


def test_inject_parameters_after_parameters_cell():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("a = 1"),
            nbformat.v4.new_code_cell("N = 10", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("print(N)"),
        ]
    )
    assert report.inject_parameters(nb, {"N": 2, "name": "x"}) == 2
    assert nb.cells[2].source.endswith("N = 2\nname = 'x'")
    assert nb.cells[2].metadata.tags == ["injected-parameters"]
    with pytest.raises(ReportError, match="not a Python identifier"):
        report.inject_parameters(nb, {"1x": 0})


def test_index_lists_reports_with_title_time_and_date(fixture_report):
    out = fixture_report.html.rsplit("/", 1)[0]
    index = open(f"{out}/index.html").read()
    assert "Fixture report" in index and "fixture.html" in index
    assert f"{fixture_report.seconds:.1f} s" in index and fixture_report.finished in index
    manifest = json.load(open(f"{out}/index.json"))
    assert manifest[0]["title"] == "Fixture report" and manifest[0]["charts"] == 2


def test_bad_notebook_paths(tmp_path):
    with pytest.raises(ReportError, match="notebook not found"):
        report.read_notebook(tmp_path / "missing.ipynb")
    with pytest.raises(ReportError, match="expected a .ipynb"):
        report.read_notebook(tmp_path / "x.py")
    assert report.main([str(tmp_path / "missing.ipynb"), "--out", str(tmp_path)]) == 1


def test_failing_notebook_names_the_cell(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise ValueError('boom-123')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ReportError, match="boom-123"):
        report.execute_notebook(path)


def test_cli_param_parsing():
    assert report.parse_param("N=3") == ("N", 3)
    assert report.parse_param("NAME=Abilene") == ("NAME", "Abilene")
    assert report.parse_param("X=[1, 2]") == ("X", [1, 2])


def test_charts_inside_output_widgets_are_counted():
    import nbformat

    from workbench.report import count_charts

    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "state": {
                "m1": {
                    "model_name": "OutputModel",
                    "state": {
                        "outputs": [{"output_type": "display_data", "data": {"application/vnd.vegalite.v5+json": {}}}]
                    },
                },
                "m2": {"model_name": "SliderModel", "state": {}},
            }
        }
    }
    assert count_charts(nb) == 1
