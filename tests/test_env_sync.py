"""pyproject.toml is the source of truth; environment.yml must list the same packages and bounds."""

import re
import tomllib

from .conftest import ROOT


def _spec(line):
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(\[[^\]]*\])?\s*([<>=!~].*)?$", line)
    return m.group(1).lower().replace("_", "-"), (m.group(3) or "").replace(" ", "")


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(
        _spec(d)
        for d in project["dependencies"]
        + project["optional-dependencies"]["test"]
        + project["optional-dependencies"]["evm"]
        + project["optional-dependencies"]["dask"]
        + project["optional-dependencies"]["app"]
        + project["optional-dependencies"]["book"]
        + project["optional-dependencies"]["tune"]
    )
    env = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.match(r"^\s*-\s+([A-Za-z0-9].*)$", line)
        if m and not m.group(1).startswith(("-e", "pip:")) and ":" not in m.group(1):
            name, bound = _spec(m.group(1))
            env[name] = bound
    missing = {k: v for k, v in wanted.items() if k not in env}
    assert not missing, f"environment.yml lacks {missing}"
    differ = {k: (v, env[k]) for k, v in wanted.items() if env[k] != v}
    assert not differ, f"bounds differ (pyproject, environment.yml): {differ}"
    assert env["python"] == "=3.11"
    text = (ROOT / "environment.yml").read_text()
    assert text.rstrip().endswith("- -e ."), "environment.yml ends with a pip '-e .'"


def test_ci_runs_exactly_the_readme_test_command():
    ci = [
        ln.strip()
        for ln in (ROOT / ".ci" / "run").read_text().splitlines()
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    command = ci[-1].removeprefix("exec ")
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", readme, re.S)
    assert any(command == b.strip() for b in blocks), f"README has no code block with exactly {command!r}"
    assert "make report" in readme and "make test" in readme
    assert readme.index("make report") < readme.index("make test") < readme.index("## Open the notebooks in JupyterLab")
