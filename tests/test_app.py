"""App mode: Voila serves a lab notebook on loopback; headless Chromium with the network cut off
sees its charts render."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.notebook]


def _wait_for_port(port, proc, timeout=90.0):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited: {proc.stdout.read()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise TimeoutError(f"voila did not listen on {port}")


def test_voila_serves_the_tour_with_charts_and_no_network(chromium):
    pytest.importorskip("voila")
    from playwright.sync_api import sync_playwright

    from workbench.app import voila_command
    from workbench.report.check import _CHROMIUM_ARGS

    exe = chromium
    cmd, env = voila_command("notebooks/00_tour.ipynb")
    port = int(next(a for a in cmd if a.startswith("--port=")).split("=")[1])
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    blocked, errors = [], []
    try:
        _wait_for_port(port, proc)
        local = (f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}", "data:", "blob:")

        def route(r):
            if r.request.url.startswith(local):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, args=_CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            page.route("**/*", route)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"http://127.0.0.1:{port}/", timeout=300_000)
            rendered = (
                "() => [...document.querySelectorAll('.vega-embed')].filter(e => e.querySelector('canvas, svg')).length"
            )
            page.wait_for_function(f"() => ({rendered})() >= 3", timeout=300_000)  # cold numba caches compile
            page.wait_for_function("() => document.body.innerText.includes('Fourteen real networks')", timeout=60_000)
            page.wait_for_function("() => document.querySelectorAll('mjx-container').length > 0", timeout=60_000)
            charts = page.evaluate(rendered)
            text = page.evaluate("() => document.body.innerText")
            formulas = page.evaluate("() => document.querySelectorAll('mjx-container').length")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert blocked == [], f"requests left the machine: {blocked}"
    assert errors == [], errors
    assert charts >= 3 and "Fourteen real networks" in text
    assert formulas >= 2  # MathJax typeset the latency and Dijkstra formulas, offline
    assert "Loading widget" not in text  # the route panel's widgets rendered


def test_app_serves_a_parameterised_copy(tmp_path):
    import nbformat

    from workbench.app import parameterised_copy
    from workbench.report import read_notebook, smoke_parameters

    src = "notebooks/edge.ipynb"
    out = parameterised_copy(src, {**smoke_parameters(read_notebook(src)), "SEED": 3}, tmp_path)
    nb = nbformat.read(out, as_version=4)
    i = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    injected = nb.cells[i + 1]
    assert "injected-parameters" in injected.metadata["tags"]
    assert "TOPOLOGY = 'Abilene'" in injected.source and "SEED = 3" in injected.source
    assert read_notebook(src).cells[i + 1].source != injected.source  # the original is untouched
