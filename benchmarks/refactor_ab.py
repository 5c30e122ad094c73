"""One round of the one-house refactor's before/after timings in one source tree.

Run it for the tree before the refactor and the tree after, alternating, and keep each one's best CPU time per item
(the figures in RESULTS.md are the best of four alternating rounds):

    git worktree add /tmp/orig 51f7f81
    for r in 1 2 3 4; do python refactor_ab.py /tmp/orig; python refactor_ab.py ..; done

Prints one JSON line: item -> CPU seconds.
"""

import json
import sys
import time

tree = sys.argv[1]
sys.path.insert(0, tree)

from threadpoolctl import threadpool_limits  # noqa: E402

import workbench  # noqa: E402

assert workbench.__file__.startswith(tree), workbench.__file__
out = {}


def cpu(fn, k=1):
    best = 1e9
    for _ in range(k):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


# edge engine
import workbench.edge as E  # noqa: E402

s = E.queue_scenario(3.6, 1.0, 4)
E.simulate(s, "nearest", n_tasks=1000, seed=0)
out["edge M/M/4, 1M customers (s)"] = cpu(lambda: E.simulate(s, "nearest", n_tasks=1_000_000, seed=1), 2)
sc = E.build_scenario("Kdl", 2000, 200, 10, seed=0)
E.simulate(sc, "mct", n_tasks=1000, seed=0)
out["edge Kdl 2,000 devices, mct, 100k tasks (s)"] = cpu(lambda: E.simulate(sc, "mct", n_tasks=100_000, seed=1), 2)

# cdn policies
import workbench.cdn as C  # noqa: E402

tr = C.zipf_trace(2_000_000, 200_000, 1.0, seed=1)
for pol in ["fifo", "lru", "clock", "sieve", "s3fifo", "lfu", "2q", "arc", "wtinylfu", "lirs", "opt"]:
    C.cache_hits(tr.head(1000), 10, pol)
    out[f"cdn {pol}, 2M requests (s)"] = cpu(lambda pol=pol: C.cache_hits(tr, 20_000, pol), 3)

# MLP epoch, metaheuristics
from sklearn.datasets import load_digits  # noqa: E402

from workbench.ai import MLPClassifier, benchmark_function, minimize  # noqa: E402

X, y = load_digits(return_X_y=True)
X = X / 16
with threadpool_limits(1):
    MLPClassifier(hidden=(128,), epochs=1, random_state=0).fit(X, y)
    out["ai MLP 64-128-10, 5 epochs on digits (s)"] = cpu(
        lambda: MLPClassifier(hidden=(128,), epochs=5, random_state=0).fit(X, y), 5
    )
sphere = benchmark_function("sphere")
for m in ("de", "pso", "ga", "sa"):
    minimize(sphere, [(-5.12, 5.12)] * 10, method=m, budget=1000)
    out[f"ai {m}, 200k sphere evaluations (s)"] = cpu(
        lambda m=m: minimize(sphere, [(-5.12, 5.12)] * 10, method=m, budget=200_000, seed=0), 2
    )

# quantum
import workbench.quantum as Q  # noqa: E402

circ = Q.random_layered_circuit(20, 20, seed=1)
Q.simulate(Q.random_layered_circuit(4, 2, seed=0))
out["quantum random 20 qubits x 20 layers (s)"] = cpu(lambda: Q.simulate(circ), 2)
qft = Q.qft(20)
out["quantum QFT 20 qubits (s)"] = cpu(lambda: Q.simulate(qft), 2)
print(json.dumps(out))
