"""Every public function, class and method of the workbench is documented the numpydoc way, checked
with numpydoc's own validator (``numpydoc.validate``): a docstring, every parameter named with its
type and a description, a Returns (or Yields) section where something is returned, a Raises section
where the code raises a named error itself (or checks its arguments with ``@checked``), and a runnable
Examples section on every module-level function and class (pytest runs them as doctests).

Run it on part of the package while writing docs::

    python tests/test_docs.py workbench.quantum.circuit   # every problem under that prefix
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import sys
import textwrap

import pytest

import workbench

numpydoc_validate = pytest.importorskip("numpydoc.validate") if __name__ != "__main__" else None

#: numpydoc's checks applied to every public definition (see ``numpydoc.validate.ERROR_MSGS``).
CHECKS = {
    "GL06": "unknown section",
    "GL07": "sections in the wrong order",
    "GL08": "no docstring",
    "PR01": "parameters not documented",
    "PR02": "unknown parameters documented",
    "PR03": "parameters documented in the wrong order",
    "PR04": "a parameter without a type",
    "PR07": "a parameter without a description",
    "PR10": "no space before a parameter's colon",
    "RT01": "no Returns section",
    "RT03": "a return value without a description",
    "YD01": "no Yields section",
}
#: ... and on module-level functions and classes (not methods).
TOP_LEVEL_CHECKS = {"EX01": "no Examples section"}


def _modules():
    for info in pkgutil.walk_packages(workbench.__path__, "workbench."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts[1:]) or parts[1] == "data":
            continue
        yield importlib.import_module(info.name)


def public_api() -> dict:
    """``{qualified name: object}`` for every public definition: the names in each public module's
    ``__all__`` (or, without one, its public functions and classes), and the public methods and
    properties that those classes define."""
    found: dict = {}
    for mod in _modules():
        names = getattr(mod, "__all__", None)
        if names is None:
            names = [
                n
                for n, v in vars(mod).items()
                if not n.startswith("_") and getattr(v, "__module__", "") == mod.__name__
            ]
        for name in names:
            obj = getattr(mod, name, None)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if not obj.__module__.startswith("workbench.") or "." in obj.__qualname__:
                continue
            qual = f"{obj.__module__}.{obj.__qualname__}"
            found.setdefault(qual, obj)
            if inspect.isclass(obj):
                for attr, value in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    if inspect.isfunction(value) or isinstance(value, (property, classmethod, staticmethod)):
                        found.setdefault(f"{qual}.{attr}", value)
    return found


def _raises_itself(obj) -> bool:
    """Whether a function raises a named error in its own body (a ``raise Name(...)`` or ``raise
    name(...)`` that is not a bare re-raise), or checks its arguments with ``@checked``."""
    fn = obj.fget if isinstance(obj, property) else getattr(obj, "__func__", obj)
    if not inspect.isfunction(fn):
        return False
    if getattr(fn, "__constraints__", None):
        return True
    fn = inspect.unwrap(fn)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):  # pragma: no cover - source unavailable
        return False
    body = tree.body[0]
    for node in ast.walk(body):
        if node is not body and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            if isinstance(node.exc.func, ast.Name) and node.exc.func.id in ("NotImplementedError", "StopIteration"):
                continue
            return True
    return False


def problems(qual: str, obj, validate) -> list:
    """numpydoc's problems of one public definition, as ``(code, message)`` pairs."""
    top = qual.count(".") and (inspect.isfunction(obj) or inspect.isclass(obj)) and "." not in obj.__qualname__
    wanted = CHECKS | (TOP_LEVEL_CHECKS if top else {})
    found = [(c, m) for c, m in validate(qual)["errors"] if c in wanted]
    if not inspect.isclass(obj) and _raises_itself(obj):
        from numpydoc.docscrape import FunctionDoc

        fn = obj.fget if isinstance(obj, property) else getattr(obj, "__func__", obj)
        if not FunctionDoc(fn)["Raises"]:
            found.append(("RS01", "raises a named error but has no Raises section"))
    return found


API = public_api()


def test_the_public_api_is_large_and_found():
    # the enumeration itself: every lab is in it, methods included
    for lab in ("ai", "edge", "cdn", "chain", "quantum", "net"):
        assert any(q.startswith(f"workbench.{lab}.") for q in API), lab
    assert "workbench.edge.scenario.build_scenario" in API and "workbench.quantum.circuit.Circuit.h" in API
    assert len(API) > 700


@pytest.mark.parametrize("lab", ["ai", "edge", "cdn", "chain", "quantum", "net", "report", "app", "shared"])
def test_every_public_definition_is_documented(lab):
    labs = ("ai", "edge", "cdn", "chain", "quantum", "net", "report", "app")
    mine = {
        q: o for q, o in API.items() if (q.split(".")[1] == lab if lab != "shared" else q.split(".")[1] not in labs)
    }
    assert mine
    bad = {q: p for q, o in sorted(mine.items()) if (p := problems(q, o, numpydoc_validate.validate))}
    lines = [f"{q}: " + "; ".join(f"{c} {m}" for c, m in p) for q, p in bad.items()]
    assert not bad, f"{len(bad)} of {len(mine)} definitions need docs:\n" + "\n".join(lines[:60])


if __name__ == "__main__":
    from numpydoc.validate import validate

    prefix = sys.argv[1] if len(sys.argv) > 1 else "workbench"
    n = 0
    for q, o in sorted(API.items()):
        if q.startswith(prefix):
            for code, msg in problems(q, o, validate):
                print(f"{q}: {code} {msg}")
                n += 1
    print(f"{n} problem(s) under {prefix}")
    sys.exit(1 if n else 0)
