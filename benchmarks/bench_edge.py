"""Edge lab: the discrete-event engine against SimPy, HEFT against a plain-Python HEFT, the
million-task scenario. Same-run ratios, CPU time (``time.process_time``), single thread.

    python benchmarks/bench_edge.py [--customers N] [--tasks N]

Goals (issue: edge lab): >= 50x SimPy on an M/M/c model; HEFT on 1,000 tasks x 16 processors
<= 50 ms; the gymnasium environment >= 100k decisions/s; 10,000 devices + 1,000 edge + 100 cloud nodes on Kdl, 1M deadline tasks <= 60 s
(stretch 10 s) on one core.
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np
from harness import check, header, summary

import workbench.edge as E
from workbench.timing import cpu_best as cpu


def simpy_mmc(lam, mu, c, n, seed=1):
    """The textbook SimPy M/M/c: a source process and one process per customer on a Resource."""
    import simpy

    rnd = random.Random(seed)
    env = simpy.Environment()
    srv = simpy.Resource(env, capacity=c)
    waits = []

    def customer(env):
        t0 = env.now
        with srv.request() as req:
            yield req
            waits.append(env.now - t0)
            yield env.timeout(rnd.expovariate(mu))

    def source(env):
        for _ in range(n):
            yield env.timeout(rnd.expovariate(lam))
            env.process(customer(env))

    env.process(source(env))
    env.run()
    return sum(waits) / len(waits)


def python_heft(comp, edges):
    """HEFT in plain Python (dicts and lists, insertion policy): the anchor for our kernel."""
    n, p = len(comp), len(comp[0])
    succ = [[] for _ in range(n)]
    pred = [[] for _ in range(n)]
    for a, b, d in edges:
        succ[a].append((b, d))
        pred[b].append((a, d))
    wbar = [sum(r) / p for r in comp]
    rank = [0.0] * n
    for i in range(n - 1, -1, -1):  # random_dag's edges go from lower to higher index
        rank[i] = wbar[i] + max((d + rank[j] for j, d in succ[i]), default=0.0)
    order = sorted(range(n), key=lambda i: (-rank[i], i))
    slots = [[] for _ in range(p)]
    proc, fin = [0] * n, [0.0] * n
    for i in order:
        best = None
        for q in range(p):
            drt = max((fin[a] + (0.0 if proc[a] == q else d) for a, d in pred[i]), default=0.0)
            prev, start = 0.0, None
            for s, f in slots[q]:
                if max(drt, prev) + comp[i][q] <= s:
                    start = max(drt, prev)
                    break
                prev = max(prev, f)
            if start is None:
                start = max(drt, prev)
            if best is None or start + comp[i][q] < best[0]:
                best = (start + comp[i][q], start, q)
        f, s, q = best
        slots[q].append((s, f))
        slots[q].sort()
        proc[i], fin[i] = q, f
    return max(fin)


def saga_heft(g0):
    """SAGA (PyPI anrg-saga) models related machines: time = task cost / node speed. Same DAG shape."""
    try:
        import logging

        from saga import Network
        from saga import TaskGraph as SagaGraph
        from saga.schedulers import HeftScheduler
    except ImportError:
        print("(SAGA not installed: pip install anrg-saga)\n")
        return
    logging.getLogger().setLevel(logging.ERROR)
    rng = np.random.default_rng(0)
    n, p = g0.n_tasks, g0.n_processors
    cost, speed = rng.uniform(1, 40, n), rng.uniform(0.5, 2.0, p)
    edges = list(zip(g0.src.tolist(), g0.dst.tolist(), g0.data.tolist()))
    g = E.TaskGraph(cost[:, None] / speed[None, :], edges)
    net = Network.create(
        nodes=[(f"P{q}", float(speed[q])) for q in range(p)],
        edges=[(f"P{a}", f"P{b}", 1.0) for a in range(p) for b in range(a + 1, p)],
    )
    tg = SagaGraph.create(
        tasks=[(f"t{i}", float(cost[i])) for i in range(n)],
        dependencies=[(f"t{a}", f"t{b}", float(d)) for a, b, d in edges],
    )
    t_saga, s_saga = cpu(lambda: HeftScheduler().schedule(net, tg), 1)
    t_ours, s_ours = cpu(lambda: E.heft(g), 5)
    print(
        f"## HEFT vs SAGA {__import__('importlib.metadata').metadata.version('anrg-saga')} (related machines, "
        f"{n} tasks x {p} nodes)"
    )
    print(
        f"SAGA {t_saga:.2f} s, makespan {s_saga.makespan:.2f}; workbench {t_ours * 1e3:.1f} ms, makespan "
        f"{s_ours.makespan:.2f} ({100 * (s_ours.makespan / s_saga.makespan - 1):+.2f}%); {t_saga / t_ours:.0f}x faster\n"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=2_000_000)
    ap.add_argument("--tasks", type=int, default=1_000_000)
    args = ap.parse_args()
    header("workbench.edge benchmark")

    # --- DES vs SimPy on M/M/4 at rho = 0.8 -------------------------------------------------------
    lam, mu, c = 3.2, 1.0, 4
    n_simpy = 200_000
    E.simulate(E.queue_scenario(lam, mu, c), "nearest", n_tasks=100, seed=1)  # load the compiled engine
    t_simpy, w_simpy = cpu(lambda: simpy_mmc(lam, mu, c, n_simpy), 2)
    t_ours, r = cpu(lambda: E.simulate(E.queue_scenario(lam, mu, c), "nearest", n_tasks=args.customers, seed=1), 3)
    rate_simpy, rate_ours = n_simpy / t_simpy, args.customers / t_ours
    w_ours = r.summary().wait_mean_ms.item() / 1e3
    print(f"## M/M/4, rho = 0.8 (Erlang C mean wait {E.mmc_wait(lam, mu, c):.4f})")
    print("| engine | customers | CPU s | customers/s | mean wait |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| SimPy {__import__('simpy').__version__} | {n_simpy:,} | {t_simpy:.2f} | {rate_simpy:,.0f} | {w_simpy:.4f} |"
    )
    print(f"| workbench.edge | {args.customers:,} | {t_ours:.2f} | {rate_ours:,.0f} | {w_ours:.4f} |")
    print()
    check(f"DES >= 50x SimPy on M/M/c (got {rate_ours / rate_simpy:.1f}x)", rate_ours >= 50 * rate_simpy)

    # --- HEFT --------------------------------------------------------------------------------------
    g = E.random_dag(1000, 16, edge_prob=0.01, seed=1)
    E.heft(E.random_dag(20, 16, seed=0))
    t_heft, s = cpu(lambda: E.heft(g), 5)
    edges = list(zip(g.src.tolist(), g.dst.tolist(), g.data.tolist()))
    t_py, mk = cpu(lambda: python_heft(g.comp.tolist(), edges), 1)
    print(f"## HEFT, {g}")
    print(
        f"workbench {t_heft * 1e3:.1f} ms (makespan {s.makespan:.2f}); plain Python {t_py * 1e3:.0f} ms "
        f"(makespan {mk:.2f}); {t_py / t_heft:.0f}x\n"
    )
    check(f"HEFT 1000 tasks x 16 processors <= 50 ms (got {t_heft * 1e3:.1f} ms)", t_heft <= 0.05)
    check("plain-Python HEFT gives the same makespan", abs(mk - s.makespan) < 1e-6)
    saga_heft(g)

    # --- gymnasium environment: decisions per second with a trivial agent --------------------------
    sc = E.build_scenario("Abilene", 100, 10, 2, rate=1.0, seed=0)
    env = E.EdgeSchedulingEnv(sc, n_tasks=200_000)
    env.reset(seed=1)
    t0, n, done = time.perf_counter(), 0, False
    while not done:
        done = env.step(n % 12)[2]
        n += 1
    steps = n / (time.perf_counter() - t0)
    print(f"## EdgeSchedulingEnv on {sc}: {steps:,.0f} steps/s (wall, agent = round robin)\n")
    check(f"env >= 100k decisions/s (got {steps / 1e3:.0f}k)", steps >= 100_000)

    # --- the million-task scenario --------------------------------------------------------------------
    t_build, sc = cpu(
        lambda: E.build_scenario("Kdl", 10_000, 1_000, 100, rate=0.5, size_mi=1000.0, deadline_s=1.0, seed=0), 1
    )
    print(f"## {sc}: built in {t_build:.1f} s")
    print("| scheduler | CPU s | mean ms | p99 ms | deadline misses | utilisation |")
    print("|---|---:|---:|---:|---:|---:|")
    times = {}
    for sched in ("random", "least_loaded", "nearest", "mct"):
        t, r = cpu(lambda: E.simulate(sc, sched, n_tasks=args.tasks, seed=1), 1)
        x = r.summary().iloc[0]
        times[sched] = t
        print(
            f"| {sched} | {t:.1f} | {x.latency_mean_ms:,.0f} | {x.latency_p99_ms:,.0f} | {x.deadline_miss_ratio:.3f} | {x.utilisation:.3f} |"
        )
    print()
    worst = max(times.values())
    check(f"1M tasks, 10k devices, 1.1k nodes <= 60 s per scheduler (slowest {worst:.1f} s)", worst <= 60)
    check(f"stretch: <= 10 s (slowest {worst:.1f} s)", worst <= 10)
    return summary()


if __name__ == "__main__":
    raise SystemExit(main())
