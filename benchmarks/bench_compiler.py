"""The compiler against qiskit.transpile(optimization_level=2): CNOT count and depth, same circuits and maps.

    python benchmarks/bench_compiler.py

Circuits: QFT, Grover, QAOA (p=2 on a 3-regular graph), a layered random circuit and QASMBench
circuits from data/qasm; maps: none, line, ring, 3x4 grid, heavy-hex (d=3); basis {rz, sx, x, cx}.
Every result of ours is checked by simulation (same action up to the layouts, global phase
included). Goal (issue: quantum lab): within 10% of Qiskit, better where we can.
"""

from __future__ import annotations

import time

import networkx as nx
import numpy as np
from harness import check, header, summary

from workbench import data_path
from workbench import quantum as wq


def qiskit_counts(qc, g):
    from qiskit import transpile
    from qiskit.transpiler import CouplingMap

    cm = None if g is None else CouplingMap([[a, b] for a, b in g.edges] + [[b, a] for a, b in g.edges])
    t0 = time.process_time()
    t = transpile(
        wq.to_qiskit(qc), coupling_map=cm, basis_gates=["rz", "sx", "x", "cx"], optimization_level=2, seed_transpiler=1
    )
    return t.count_ops().get("cx", 0), t.depth(), time.process_time() - t0


def main():
    header("workbench.quantum compiler vs qiskit.transpile(optimization_level=2)")
    circuits = {
        "qft8": wq.qft(8),
        "grover5": wq.grover_circuit(5, [3]),
        "qaoa10_p2": wq.qaoa_circuit(nx.random_regular_graph(3, 10, seed=1), 2, [0.3, 0.5], [0.2, 0.4]),
        "random8x5": wq.random_layered_circuit(8, 5, seed=1),
    }
    for name in ("ising_n10", "qaoa_n6", "qpe_n9", "qft_n4"):
        circuits[name] = wq.from_qasm(data_path("qasm", f"{name}.qasm")).without_measurements()
    maps = {
        "none": None,
        "line": wq.coupling_map("line", 12),
        "ring": wq.coupling_map("ring", 12),
        "grid": wq.coupling_map("grid", rows=3, cols=4),
        "heavy_hex": wq.coupling_map("heavy_hex", d=3),
    }
    print("| circuit | map | ours CX | qiskit CX | ratio | ours depth | qiskit depth | ratio | ours s | qiskit s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    ratios = []
    for cn, qc in circuits.items():
        for mn, g in maps.items():
            t0 = time.process_time()
            r = wq.transpile(qc, g, seed=1)
            t_ours = time.process_time() - t0
            assert wq.equivalent(qc, r.circuit, r.initial_layout, r.final_layout, seed=0), (cn, mn)
            cx, depth = r.circuit.count_ops().get("cx", 0), r.circuit.depth()
            qcx, qdepth, t_q = qiskit_counts(qc, g)
            rc, rd = cx / max(qcx, 1), depth / qdepth
            ratios.append((cn, mn, rc, rd))
            print(
                f"| {cn} | {mn} | {cx} | {qcx} | {rc:.2f} | {depth} | {qdepth} | {rd:.2f} | {t_ours:.2f} | {t_q:.2f} |"
            )
    rc = np.array([r[2] for r in ratios])
    rd = np.array([r[3] for r in ratios])
    print(
        f"\nCX ratio: median {np.median(rc):.2f}, max {rc.max():.2f}; within 10%: {np.mean(rc <= 1.1):.0%}"
        f"\ndepth ratio: median {np.median(rd):.2f}, max {rd.max():.2f}; within 10%: {np.mean(rd <= 1.1):.0%}\n"
    )
    check(f"median CX ratio <= 1.1 (got {np.median(rc):.2f})", np.median(rc) <= 1.1)
    check(f"median depth ratio <= 1.1 (got {np.median(rd):.2f})", np.median(rd) <= 1.1)
    check(f"every CX ratio <= 1.1 (worst {rc.max():.2f})", rc.max() <= 1.1)
    check(f"every depth ratio <= 1.1 (worst {rd.max():.2f})", rd.max() <= 1.1)
    return summary()


if __name__ == "__main__":
    raise SystemExit(main())
