"""The workbench's shipped data, installed as the package ``workbench.data`` (this folder is mapped onto it
in ``pyproject.toml``), so that a wheel carries it; :func:`workbench.data_path` finds it. Sources and
licenses: ``README.md`` in this folder."""
