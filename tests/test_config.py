"""Numba conventions enforced in code: explicit fastmath and cache on every kernel, the cache guard."""

import ast
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import pytest

import workbench
from workbench._config import FAST, choose_numba_cache_dir

PKG = pathlib.Path(workbench.__file__).parent
KERNEL_FILES = sorted(p for p in PKG.rglob("*.py") if re.search(r"^@(njit|jit)", p.read_text(), re.M))


def _njit_decorators(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for dec in node.decorator_list:
                call = dec if isinstance(dec, ast.Call) else None
                name = call.func if call else dec
                name = getattr(name, "id", getattr(name, "attr", None))
                if name in ("njit", "jit", "vectorize", "guvectorize"):
                    yield node.name, call


def test_kernel_modules_exist():
    assert PKG / "net" / "_kernels.py" in KERNEL_FILES and PKG / "_kernels.py" in KERNEL_FILES


@pytest.mark.parametrize("path", KERNEL_FILES, ids=lambda p: str(p.relative_to(PKG)))
def test_every_kernel_is_cached_with_explicit_fastmath(path):
    found = list(_njit_decorators(path))
    assert found, f"no kernels in {path}"
    for fn, call in found:
        assert call is not None, f"{fn}: use @njit(cache=True, fastmath=...) with arguments"
        kw = {k.arg: k.value for k in call.keywords}
        assert "cache" in kw and getattr(kw["cache"], "value", None) is True, f"{fn}: cache=True missing"
        assert "fastmath" in kw, f"{fn}: fastmath policy must be explicit (STRICT or FAST from workbench._config)"
        assert isinstance(kw["fastmath"], ast.Name) and kw["fastmath"].id in ("STRICT", "FAST"), fn


def test_fast_flags_keep_nan_and_inf_semantics():
    assert "nnan" not in FAST and "ninf" not in FAST and "fast" not in FAST


def test_cache_dir_choice():
    deny = lambda p, m: False  # noqa: E731
    allow = lambda p, m: True  # noqa: E731
    only_home = lambda p, m: p == "/home/u"  # noqa: E731
    assert choose_numba_cache_dir("/pkg", "/home/u", env={}, access=allow) is None
    assert choose_numba_cache_dir("/pkg", "/home/u", env={}, access=only_home) is None
    assert choose_numba_cache_dir("/pkg", "/home/u", env={"NUMBA_CACHE_DIR": "/x"}, access=deny) is None
    assert choose_numba_cache_dir("/pkg", "/home/u", env={}, access=deny).endswith("workbench-numba-cache")


def test_guard_makes_import_work_without_any_writable_cache_location(tmp_path):
    """A read-only install with no home: numba's cache=True would raise at import time."""
    allowed = os.path.join(tempfile.gettempdir(), "workbench-numba-cache")
    code = (
        "import os, numba.core.caching as c\n"
        "orig_access, orig_ensure = os.access, c._CacheLocator.ensure_cache_path\n"
        "os.access = lambda p, m, *a, **k: False if m == os.W_OK else orig_access(p, m, *a, **k)\n"
        "def ensure(self):\n"
        f"    if not self.get_cache_path().startswith({allowed!r}):\n"
        "        raise OSError('read-only file system')\n"
        "    orig_ensure(self)\n"
        "c._CacheLocator.ensure_cache_path = ensure\n"
        "import workbench.net as wn\n"
        "from numba.core import config\n"
        "print(config.CACHE_DIR)\n"
        "print(wn.Router(__import__('networkx').path_graph(3)).distances(0).tolist())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["HOME"] = str(tmp_path / "nonexistent")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [allowed, "[0.0, 1.0, 2.0]"]


def test_no_kernel_body_is_written_twice():
    """Shared numba helpers (heap, argmin, ...) live once, in ``workbench/_kernels.py``."""
    bodies = {}
    for path in KERNEL_FILES:
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            body = node.body
            if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]  # the docstring
            if len(body) < 2 and not any(isinstance(b, (ast.For, ast.While)) for b in body):
                continue  # one-liners may coincide
            key = ast.dump(ast.Module(body=body, type_ignores=[]))
            where = f"{path.relative_to(PKG)}:{node.name}"
            assert key not in bodies, f"{where} repeats {bodies[key]}; move it to workbench/_kernels.py"
            bodies[key] = where
