"""Design-space search (workbench.tune): hypervolume reached against the exhaustive fronts of the labs'
grids, sampler overhead against the cheapest lab objective, pruning's saved work, Dask's throughput.

    python benchmarks/bench_tune.py [--trials 1000] [--quick] [--only fronts|overhead|pruning|dask]

Goals (issue: AI-driven design): on each lab's enumerable grid, TPE and NSGA-II reach >= 90% of the
exhaustive front's hypervolume within 15% of the evaluations and >= 98% within 30%, and beat random
search at the same budget (three seeds); sampler overhead per trial below 5% of the cheapest lab
objective at 1,000 trials; pruning finds the same best design at <= 60% of the simulated work on the
edge and CDN studies; a 2-worker Dask study >= 1.7x the serial trial throughput on an objective of
>= 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from harness import check, header, summary

from workbench.tune import tune
from workbench.tune.designs import DESIGNS, grid_race


def hypervolume_table(seeds, fractions):
    print("## Hypervolume reached / exhaustive front's, by budget (objectives scaled to [0, 1] over the grid)")
    print("min and mean over seeds " + ", ".join(map(str, seeds)) + "; evaluations = fraction x grid size")
    print()
    rows = {}
    for name in ("cdn", "edge", "chain", "compiler"):
        d = DESIGNS[name]
        t = time.perf_counter()
        table = d.enumerate(small=True)
        t_enum = time.perf_counter() - t
        df = grid_race(d, table, samplers=("tpe", "nsga2", "random", "de"), fractions=fractions, seeds=seeds)
        print(
            f"### {name}: {len(table)} designs ({' x '.join(str(len(v)) for v in d.grid.values())}), "
            f"{len(d.grid_objectives)} objectives, enumerated in {t_enum:.1f} s"
        )
        print("| method | " + " | ".join(f"{f:.0%} min / mean" for f in fractions) + " |")
        print("|---|" + "---:|" * len(fractions))
        for m, g in df.groupby("method", sort=False):
            cells = []
            for f in fractions:
                v = g[g.fraction == f].hypervolume_ratio
                cells.append(f"{v.min():.3f} / {v.mean():.3f}")
            print(f"| {m} | " + " | ".join(cells) + " |")
        print()
        rows[name] = df
    for name, df in rows.items():
        for m in ("tpe", "nsga2"):
            g, r = df[df.method == m], df[df.method == "random"]
            ok15 = (g[g.fraction == 0.15].hypervolume_ratio >= 0.90).all()
            ok30 = (g[g.fraction == 0.30].hypervolume_ratio >= 0.98).all()
            beat = all(
                g[g.fraction == f].hypervolume_ratio.mean() > r[r.fraction == f].hypervolume_ratio.mean()
                for f in (0.15, 0.30)
            )
            check(f"{name} grid, {m}: >= 90% at 15% and >= 98% at 30% on every seed", ok15 and ok30)
            check(f"{name} grid, {m}: beats random search at 15% and 30% (mean of seeds)", beat)


def _cost(**params):
    """A free objective over the CDN design space (the sampler's own cost is what is timed)."""
    x = sum(float(v) for v in params.values() if isinstance(v, (int, float)))
    return {"latency_p95_ms": x % 7.0, "origin_bytes": (x * 1.618) % 5.0, "cache_bytes": (x * 2.718) % 3.0}


def overhead(n_trials):
    print(f"## Sampler overhead per trial over {n_trials} trials (CDN design space: 8 parameters, 3 objectives)")
    evals = {}
    for name, d in DESIGNS.items():
        d.evaluate()  # compile and cache
        ts = []
        for _ in range(5):
            t = time.perf_counter()
            d.evaluate()
            ts.append(time.perf_counter() - t)
        evals[name] = statistics.median(ts)
    cheapest = min(evals, key=evals.get)
    print(
        "one evaluation at default size (median of 5): " + ", ".join(f"{k} {v * 1e3:.0f} ms" for k, v in evals.items())
    )
    print()
    print(
        "| sampler | mean ms / trial | last 100 trials, ms / trial | % of the cheapest objective (" + cheapest + ") |"
    )
    print("|---|---:|---:|---:|")
    space = DESIGNS["cdn"].space
    res = {}
    for s in ("random", "nsga2", "de", "tpe"):
        stamps = []

        def timed(**p):
            stamps.append(time.perf_counter())
            return _cost(**p)

        t = time.perf_counter()
        tune(
            timed,
            space,
            list(DESIGNS["cdn"].objectives),
            n_trials=n_trials,
            sampler=s,
            seed=0,
            progress=False,
            cache=False,
            population_size=50,
        )
        total = time.perf_counter() - t
        last = (stamps[-1] - stamps[-101]) / 100 if len(stamps) > 101 else total / n_trials
        res[s] = (total / n_trials, last)
        print(f"| {s} | {1e3 * total / n_trials:.2f} | {1e3 * last:.2f} | {100 * last / evals[cheapest]:.1f}% |")
    print()
    for s in ("nsga2", "random", "de"):
        check(
            f"{s}: overhead per trial at {n_trials} trials < 5% of the cheapest objective",
            res[s][1] < 0.05 * evals[cheapest],
        )
    check(
        f"tpe: overhead per trial at {n_trials} trials < 5% of the cheapest objective",
        res["tpe"][1] < 0.05 * evals[cheapest],
    )


def pruning(n_trials):
    print(f"## Pruning (4 replications per design, TPE, {n_trials} trials, same seed; the grid's designs)")
    print("work = replications simulated (each a full simulation of the design at that seed)")
    print()
    print("| study | pruner | best without | best with | replications without | with | work ratio |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, obj in (("edge", "deadline_miss_ratio"), ("cdn", "latency_p95_ms")):
        d = DESIGNS[name]
        space = d.grid_space()
        fixed = {**d.small, "replications": 4}
        base = tune(d.fn, space, obj, n_trials=n_trials, seed=0, fixed=fixed, progress=False)
        b0, w0 = base.summary().best_value[0], int(base.trials().steps.sum())
        for pruner in ("median", "percentile"):
            r = tune(d.fn, space, obj, n_trials=n_trials, seed=0, fixed=fixed, pruner=pruner, progress=False)
            b1, w1 = r.summary().best_value[0], int(r.trials().steps.sum())
            print(f"| {name}: {obj} | {pruner} | {b0:.4g} | {b1:.4g} | {w0} | {w1} | {w1 / w0:.2f} |")
            check(f"{name}, {pruner} pruner: the same best value", b1 == b0)
            check(f"{name}, {pruner} pruner: simulated work <= 60% (got {w1 / w0:.0%})", w1 / w0 <= 0.60)
    print()


def dask_throughput(n_trials):
    from workbench.sweeps import local_cluster

    d = DESIGNS["edge"]
    fixed = {"n_tasks": 800_000, "replications": 2}
    d.evaluate(**fixed)  # build and cache the scenarios
    ts = []
    for _ in range(3):
        t = time.perf_counter()
        d.evaluate(**fixed)
        ts.append(time.perf_counter() - t)
    one = statistics.median(ts)
    print(
        f"## Dask: {n_trials} trials of the edge design (800,000 tasks x 2 replications: {one:.2f} s at the "
        "defaults), random sampler"
    )
    t = time.perf_counter()
    tune(d.fn, d.space, d.objectives, n_trials=n_trials, sampler="random", seed=0, fixed=fixed, progress=False)
    serial = time.perf_counter() - t
    with local_cluster(2) as client:
        client.run(d.fn, **fixed)  # each worker builds its scenarios and loads the compiled engine once
        t = time.perf_counter()
        tune(
            d.fn,
            d.space,
            d.objectives,
            n_trials=n_trials,
            sampler="random",
            seed=0,
            fixed=fixed,
            progress=False,
            client=client,
        )
        dist = time.perf_counter() - t
    print(
        f"serial {serial:.1f} s ({n_trials / serial:.2f} trials/s); 2 workers {dist:.1f} s "
        f"({n_trials / dist:.2f} trials/s): {serial / dist:.2f}x"
    )
    print()
    check(f"objective >= 0.5 s (got {one:.2f} s)", one >= 0.5)
    check(f"2-worker Dask >= 1.7x serial throughput (got {serial / dist:.2f}x)", serial / dist >= 1.7)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=1000)
    ap.add_argument("--quick", action="store_true", help="fewer seeds, trials and budgets")
    ap.add_argument("--only", choices=("fronts", "overhead", "pruning", "dask"), help="one section")
    a = ap.parse_args()
    header("workbench.tune: design-space search")
    seeds = (0, 1) if a.quick else (0, 1, 2)
    if a.only in (None, "fronts"):
        hypervolume_table(seeds, (0.05, 0.15, 0.30, 0.50))
    if a.only in (None, "overhead"):
        overhead(200 if a.quick else a.trials)
    if a.only in (None, "pruning"):
        pruning(30 if a.quick else 60)
    if a.only in (None, "dask"):
        dask_throughput(8 if a.quick else 20)
    return summary()


if __name__ == "__main__":
    np.seterr(all="ignore")
    raise SystemExit(main())
