"""The workbench as a package: every package listed in pyproject.toml, the shipped data inside the wheel, and a
built wheel that runs the tour notebook from a fresh virtual environment outside the checkout."""

from __future__ import annotations

import json
import os
import pathlib
import site
import subprocess
import sys
import tomllib

import pytest

from .conftest import ROOT


def test_every_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "workbench").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert listed == found | {"workbench.data"}, (
        f"missing: {found - listed}, stale: {listed - found - {'workbench.data'}}"
    )


def test_the_data_package_is_the_top_level_data_folder():
    import importlib.util

    from workbench import data_path

    spec = importlib.util.find_spec("workbench.data")
    assert spec is not None and pathlib.Path(spec.origin).parent == ROOT / "data"
    assert data_path("topologies", "Abilene.graphml").is_file()


@pytest.mark.notebook
def test_a_built_wheel_runs_the_tour_outside_the_checkout(tmp_path):
    """python -m build, a fresh venv in a temporary folder, the wheel installed without the checkout on any path
    (the dependencies come from this environment's site-packages through a .pth file), the tour executed there."""
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    (wheel,) = dist.glob("workbench-*.whl")
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "workbench/data/topologies/Abilene.graphml" in names
    assert any(n.startswith("workbench/report/templates/") for n in names)
    assert not any("__pycache__" in n or n.endswith((".nbi", ".nbc")) for n in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    py = venv / "bin" / "python"
    vsite = subprocess.run(
        [str(py), "-c", "import site; print(site.getsitepackages()[0])"], capture_output=True, text=True, check=True
    ).stdout.strip()
    (pathlib.Path(vsite) / "deps.pth").write_text(site.getsitepackages()[0] + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True, timeout=600)

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "WORKBENCH_DATA")}
    env["JUPYTER_PATH"] = str(pathlib.Path(sys.prefix) / "share" / "jupyter")  # nbconvert's templates (data files)
    where = subprocess.run(
        [
            str(py),
            "-c",
            "import workbench, json; print(json.dumps([workbench.__file__, str(workbench.data_path('topologies'))]))",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    module, data = json.loads(where.stdout)
    assert module.startswith(str(venv)) and data.startswith(str(venv)), (module, data)

    import nbformat

    probe = work / "probe.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell("import workbench\nprint('MODULE', workbench.__file__)")],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        ),
        probe,
    )
    run = subprocess.run(
        [
            str(py),
            "-m",
            "workbench.report",
            str(ROOT / "notebooks" / "00_tour.ipynb"),
            str(probe),
            "--smoke",
            "--out",
            str(work / "out"),
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    index = json.loads((work / "out" / "index.json").read_text())
    tour = next(r for r in index if r["notebook"].endswith("00_tour.ipynb"))
    assert tour["charts"] >= 1
    assert f"MODULE {venv}" in (work / "out" / "probe.html").read_text()
