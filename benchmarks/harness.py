"""Shared helpers for the benchmark scripts: same-run races and a uniform printout.

Every script times our kernel and its anchors interleaved in one process (see
:func:`workbench.timing.race`) and prints min/median ratios; absolute times on shared
machines are noise, ratios are the result.
"""

from __future__ import annotations

import datetime
import os
import platform
import sys

from workbench.timing import race  # noqa: F401  (re-exported for the scripts)

_checks: list[tuple[str, bool]] = []


def header(title: str) -> None:
    import networkx
    import numba
    import numpy
    import scipy

    print(f"# {title}")
    print(
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; Python {platform.python_version()}, "
        f"numpy {numpy.__version__}, numba {numba.__version__}, scipy {scipy.__version__}, "
        f"networkx {networkx.__version__}; {os.cpu_count()} CPUs ({platform.processor() or platform.machine()})"
    )
    print()


def show(title: str, df, unit: float = 1e3, unit_name: str = "ms") -> None:
    """Print a race result: per-contender min/median time and ratios to the baseline (first row)."""
    print(f"## {title}")
    print(f"| contender | min {unit_name} | median {unit_name} | ratio (min) | ratio (median) |")
    print("|---|---:|---:|---:|---:|")
    for r in df.itertuples():
        print(
            f"| {r.name} | {r.min_s * unit:.3f} | {r.median_s * unit:.3f} | {r.ratio_min:.2f} | {r.ratio_median:.2f} |"
        )
    print()


def check(label: str, ok: bool) -> None:
    """Record a target (printed again in the summary)."""
    _checks.append((label, bool(ok)))
    print(f"- target: {label}: {'met' if ok else 'MISSED'}")


def summary() -> int:
    print("\n## Targets")
    for label, ok in _checks:
        print(f"- [{'x' if ok else ' '}] {label}")
    missed = sum(not ok for _, ok in _checks)
    print(f"\n{len(_checks) - missed}/{len(_checks)} targets met")
    sys.stdout.flush()
    return 0
