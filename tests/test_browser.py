"""Reports render in headless Chromium with the network cut off: charts, widgets, maths, no errors."""

import pytest

from workbench.report.check import render_offline

pytestmark = [pytest.mark.browser, pytest.mark.notebook]


def assert_renders(html, charts, widgets, math, exe):
    got = render_offline(html, executable=exe)
    assert got.blocked == [], f"requests left the machine: {got.blocked}"
    assert got.errors == [], f"page errors: {got.errors}"
    assert got.chart_containers == charts and got.charts == charts, got
    assert got.widgets == widgets, got
    if math:
        assert got.math > 0 and not got.raw_math, got
    return got


def test_fixture_report_renders_offline(fixture_report, chromium):
    r = fixture_report
    assert_renders(r.html, r.charts, r.widgets, r.math, chromium)
