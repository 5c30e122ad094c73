"""The state-vector simulator against qulacs, qiskit-aer, qsim and qiskit's Statevector, same run.

    python benchmarks/bench_quantum.py [--qubits 20 22 24] [--layers 20]

Circuits (issue: quantum lab): the QFT, and a layered random circuit (rx and rz on every
qubit, then a CNOT ladder; 20 layers). Single thread for everyone (OMP_NUM_THREADS=1,
qiskit-aer max_parallel_threads=1), CPU time, best of ``--repeat`` for every contender; each contender's final state
is checked against ours (fidelity). Goals: complex128 <= 0.5x qulacs and <= 0.5x Aer on the
random circuits, <= 1.0x on the QFT; our complex64 within 1.5x of qsim's time (qsimcirq, complex64,
fusion up to 4 qubits, one thread). Also printed: the memory-bandwidth multiple of one
1-qubit gate (its time over one numpy copy of the state), cold compile and warm start-up, and the
optional two-thread path's wall time against one thread (goal: <= 0.7x on the random circuits from 22 qubits).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402
from harness import check, header, summary  # noqa: E402

from workbench import quantum as wq  # noqa: E402
from workbench.quantum.speed import run_aer, run_qsim, run_qulacs, to_cirq, to_qulacs  # noqa: E402
from workbench.timing import cpu_best as cpu  # noqa: E402


def qft(n):
    qc = wq.qft(n)
    qc.name = f"qft{n}"
    return qc


def layered(n, layers, seed=0):
    return wq.random_layered_circuit(n, layers, seed)


def fidelity(a, b):
    return abs(np.vdot(a, b)) ** 2


STARTUP = r"""
import json, time
t0 = time.perf_counter()
from workbench import quantum as wq
t_import = time.perf_counter() - t0
t1 = time.perf_counter()
wq.statevector(wq.Circuit(3).h(0).cx(0, 1).rz(0.1, 2).ccx(0, 1, 2))
print(json.dumps({"import": t_import, "first": time.perf_counter() - t1, "total": time.perf_counter() - t0}))
"""


def startup():
    out = {}
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, NUMBA_CACHE_DIR=d)
        for label in ("cold", "warm"):
            r = subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True, check=True)
            out[label] = json.loads(r.stdout.strip().splitlines()[-1])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qubits", type=int, nargs="+", default=[20, 22, 24])
    ap.add_argument("--layers", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--fusion", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2, help="also time simulate(threads=N) against one thread (1: skip)")
    args = ap.parse_args()
    header("workbench.quantum state-vector benchmark")
    try:
        import qulacs  # noqa: F401

        have_qulacs = True
    except ImportError:
        have_qulacs = False
    try:
        from qiskit_aer import AerSimulator

        aer = AerSimulator(method="statevector", max_parallel_threads=1, fusion_enable=True)
    except ImportError:
        aer = None
    from qiskit.quantum_info import Statevector

    try:
        import qsimcirq  # noqa: F401

        have_qsim = True
    except ImportError:
        have_qsim = False

    st = startup()
    print(
        f"start-up: cold (compile) import + first circuit {st['cold']['total']:.1f} s; "
        f"warm {st['warm']['total']:.2f} s (import {st['warm']['import']:.2f} s)\n"
    )

    print(
        "| circuit | qubits | gates | ours s | ours c64 s | qulacs s | aer s | qsim (c64) s | qiskit Statevector s | "
        "ours/qulacs | ours/aer | ours c64/qsim |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    ratios = {}
    wq.statevector(qft(4), fusion=args.fusion)
    wq.statevector(qft(4), fusion=args.fusion, dtype="complex64")
    for n in args.qubits:
        for qc in (qft(n), layered(n, args.layers)):
            kind = "qft" if qc.name.startswith("qft") else "random"
            t_ours, psi = cpu(lambda: wq.statevector(qc, fusion=args.fusion), args.repeat)
            t_c64, psi64 = cpu(lambda: wq.statevector(qc, fusion=args.fusion, dtype="complex64"), args.repeat)
            assert fidelity(psi, psi64.astype(complex)) > 1 - 1e-3
            del psi64
            row = {"ours": t_ours, "c64": t_c64}
            if have_qulacs:
                circ = to_qulacs(qc)
                row["qulacs"], v = cpu(lambda: run_qulacs(circ, n), args.repeat)
                assert fidelity(psi, v) > 1 - 1e-8, "qulacs state differs"
                del v
            if aer is not None:
                row["aer"], v = cpu(lambda: run_aer(qc, aer), args.repeat)
                assert fidelity(psi, v) > 1 - 1e-8, "aer state differs"
                del v
            if have_qsim:
                cc = to_cirq(qc)
                row["qsim"], v = cpu(lambda: run_qsim(cc), args.repeat)
                assert fidelity(psi, v.astype(complex)) > 1 - 1e-4, "qsim state differs"
                del v
            if n <= 20:
                qq = wq.to_qiskit(qc)
                row["qiskit"], v = cpu(lambda: Statevector(qq).data, 1)
                assert fidelity(psi, v) > 1 - 1e-8
                del v
            del psi
            rq = row["ours"] / row["qulacs"] if "qulacs" in row else np.nan
            ra = row["ours"] / row["aer"] if "aer" in row else np.nan
            rs = row["c64"] / row["qsim"] if "qsim" in row else np.nan
            ratios[(kind, n)] = (rq, ra, rs)
            f = lambda k: f"{row[k]:.2f}" if k in row else "-"  # noqa: E731
            print(
                f"| {kind} | {n} | {len(qc)} | {f('ours')} | {f('c64')} | {f('qulacs')} | {f('aer')} | "
                f"{f('qsim')} | {f('qiskit')} | {rq:.2f} | {ra:.2f} | {rs:.2f} |"
            )
            sys.stdout.flush()
    # memory-bandwidth multiple of one 1-qubit gate at the largest size
    n = max(args.qubits)
    psi = np.full(1 << n, (1 << n) ** -0.5, complex)  # every page touched before timing
    other = np.zeros_like(psi)
    other[:] = 1
    t_copy, _ = cpu(lambda: np.copyto(other, psi), 3)
    other = None  # free it before the gate timings
    m = wq.gate_matrix("u", 0.3, 0.2, 0.1)
    from workbench.quantum import _kernels

    res = {}
    for q in (0, n // 2, n - 1):
        t, _ = cpu(lambda: _kernels.apply_dense(psi, m, np.array([q]), np.array([q]), 0), 3)
        res[q] = t / t_copy
    print(
        f"\none 1-qubit gate at {n} qubits, in sweeps (numpy copy of the state = 1): "
        + ", ".join(f"qubit {q}: {v:.2f}" for q, v in res.items())
        + "\n"
    )
    # the optional two-thread path: wall time of ours with threads=2 against threads=1, interleaved
    if args.threads > 1:
        from workbench.timing import race

        print(
            f"\n{args.threads} threads (simulate(threads={args.threads})), wall seconds, best of "
            f"{args.repeat + 1} interleaved rounds, both dtypes:\n"
        )
        print("| circuit | qubits | dtype | 1 thread s | 2 threads s | ratio |")
        print("|---|---:|---|---:|---:|---:|")
        wall = {}
        for n in args.qubits:
            for qc in (qft(n), layered(n, args.layers)):
                kind = "qft" if qc.name.startswith("qft") else "random"
                for dt in ("complex128", "complex64"):
                    df = race(
                        {
                            "1": lambda: wq.statevector(qc, dtype=dt),
                            "2": lambda: wq.statevector(qc, dtype=dt, threads=args.threads),
                        },
                        repeat=args.repeat + 1,
                        warmup=False,
                    ).set_index("name")
                    r = df.loc["2", "min_s"] / df.loc["1", "min_s"]
                    wall[(kind, n, dt)] = r
                    print(
                        f"| {kind} | {n} | {dt} | {df.loc['1', 'min_s']:.2f} | {df.loc['2', 'min_s']:.2f} | {r:.2f} |"
                    )
                    sys.stdout.flush()
        for (kind, n, dt), r in wall.items():
            if kind == "random" and n >= 22:
                check(
                    f"{kind}-{n} {dt}: {args.threads} threads <= 0.7x one thread's wall time (got {r:.2f}x)", r <= 0.7
                )
    for (kind, n), (rq, ra, rs) in ratios.items():
        goal = 1.0 if kind == "qft" else 0.5
        if not np.isnan(rs):
            check(f"{kind}-{n} ours complex64 <= 1.5x qsim (got {rs:.2f}x)", rs <= 1.5)
        if not np.isnan(rq):
            check(f"{kind}-{n} ours <= {goal}x qulacs (got {rq:.2f}x)", rq <= goal)
        if not np.isnan(ra):
            check(f"{kind}-{n} ours <= {goal}x aer (got {ra:.2f}x)", ra <= goal)
    return summary()


if __name__ == "__main__":
    raise SystemExit(main())
