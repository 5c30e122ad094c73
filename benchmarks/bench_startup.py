"""Start-up cost of the routing kernels: cold compile vs warm numba cache, in fresh processes.

    python benchmarks/bench_startup.py

Each measurement is a new Python process with its own empty (cold) or filled (warm)
``NUMBA_CACHE_DIR``. Goal (issue: foundation): warm import + first call <= 1 s.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile

from harness import check, header, summary

SCRIPT = r"""
import json, time
t0 = time.perf_counter()
import networkx as nx
import workbench.net as wn
t_import = time.perf_counter() - t0
G = wn.load_topology("Abilene")
r = wn.Router(G, weight="length_km")
t1 = time.perf_counter()
r.sssp(0)
t_first = time.perf_counter() - t1
t2 = time.perf_counter()
r.route(0, 5); r.pairs([0, 1], [5, 6]); r.matrix([0, 1]); r.nearest([0, 3]); r.k_nearest(0, 3)
t_rest = time.perf_counter() - t2
print(json.dumps({"import": t_import, "first_sssp": t_first, "other_kernels": t_rest,
                  "import_plus_first": time.perf_counter() - t0 - t_rest - (t1 - t0 - t_import)}))
"""


def run(cache_dir):
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    header("workbench.net start-up: cold compile vs warm cache")
    rows = {"cold": [], "warm": []}
    for _ in range(3):
        with tempfile.TemporaryDirectory() as d:
            rows["cold"].append(run(d))
            for _ in range(2):
                rows["warm"].append(run(d))
    print(
        "| case | runs | import workbench.net (s) | first SSSP call (s) | import + first call (s) | 5 more kernels' first calls (s) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    med = {}
    for case, rs in rows.items():
        m = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
        med[case] = m
        print(
            f"| {case} | {len(rs)} | {m['import']:.2f} | {m['first_sssp']:.3f} | {m['import_plus_first']:.2f} | {m['other_kernels']:.2f} |"
        )
    print()
    print("Our own share of the warm first call is ~10 ms (cache load + run); the rest is numba itself:")
    print("importing numba, and on the first dispatch in a process loading its typing registries (which")
    print("import scipy.linalg to look for BLAS), 0.4-0.7 s here depending on machine load.\n")
    check(
        f"warm import + first call <= 1 s (median {med['warm']['import_plus_first']:.2f} s)",
        med["warm"]["import_plus_first"] <= 1.0,
    )
    return summary()


if __name__ == "__main__":
    raise SystemExit(main())
