"""Adjoint gradients against PennyLane lightning.qubit's adjoint method, same run, one thread, CPU time.

    python benchmarks/bench_gradients.py [--qubits 12 16 20] [--repeat 3]

The circuit of the variational issue: a hardware-efficient ansatz of 6 layers (RY and RZ on every qubit, then a
CNOT ladder: 12 n parameters) and the transverse-field Ising chain H = sum Z_i Z_{i+1} + 0.5 sum X_i (2n - 1
terms), random angles. Both sides compute the energy and all derivatives; the gradients are compared
(max absolute difference printed). Goals: our gradient <= 0.5x lightning's time at 16 and 20 qubits; one energy
<= 0.15 s at 20 qubits.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402

import numpy as np  # noqa: E402
from harness import check, header, summary  # noqa: E402

from workbench import quantum as Q  # noqa: E402
from workbench.quantum.circuit import Parameter  # noqa: E402
from workbench.timing import cpu_best  # noqa: E402

LAYERS = 6


def ansatz(n):
    qc = Q.Circuit(n)
    k = 0
    for _ in range(LAYERS):
        for q in range(n):
            qc.ry(Parameter(f"t{k:04d}"), q)
            qc.rz(Parameter(f"t{k + 1:04d}"), q)
            k += 2
        for q in range(n - 1):
            qc.cx(q, q + 1)
    return qc


def ising(n):
    terms = {}
    for q in range(n - 1):
        lab = ["I"] * n
        lab[n - 1 - q] = lab[n - 2 - q] = "Z"
        terms["".join(lab)] = 1.0
    for q in range(n):
        lab = ["I"] * n
        lab[n - 1 - q] = "X"
        terms["".join(lab)] = 0.5
    return terms


def lightning(n):
    import pennylane as qml
    from pennylane import numpy as pnp

    dev = qml.device("lightning.qubit", wires=n)
    coeffs = [1.0] * (n - 1) + [0.5] * n
    obs = [qml.PauliZ(q) @ qml.PauliZ(q + 1) for q in range(n - 1)] + [qml.PauliX(q) for q in range(n)]
    ham = qml.Hamiltonian(coeffs, obs)

    @qml.qnode(dev, diff_method="adjoint")
    def energy(v):
        k = 0
        for _ in range(LAYERS):
            for q in range(n):
                qml.RY(v[k], wires=q)
                qml.RZ(v[k + 1], wires=q)
                k += 2
            for q in range(n - 1):
                qml.CNOT(wires=[q, q + 1])
        return qml.expval(ham)

    return energy, qml.grad(energy), pnp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qubits", type=int, nargs="+", default=[12, 16, 20])
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    import pennylane

    header(f"Adjoint gradients vs PennyLane {pennylane.__version__} lightning.qubit")
    print(
        "| qubits | parameters | terms | ours gradient s | lightning gradient s | ratio | ours energy s | "
        "lightning energy s | max abs difference |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in a.qubits:
        qc, ham = ansatz(n), ising(n)
        x = np.random.default_rng(n).uniform(0, 2 * np.pi, len(qc.parameters))
        energy, grad, pnp = lightning(n)
        v = pnp.array(x, requires_grad=True)
        rep = a.repeat if n < 20 else 1
        Q.gradient(ansatz(3), ising(3), np.zeros(36))
        grad(v)
        t_ours, (e_ours, g_ours) = cpu_best(lambda: Q.gradient(qc, ham, x), rep)
        t_pl, g_pl = cpu_best(lambda: grad(v), rep)
        bound = qc.bind(dict(zip(qc.parameters, x)))
        t_e, _ = cpu_best(lambda: Q.expectation(Q.statevector(bound), ham), rep)
        t_epl, _ = cpu_best(lambda: energy(pnp.array(x, requires_grad=False)), rep)
        diff = float(np.abs(np.asarray(g_pl) - g_ours).max())
        r = t_ours / t_pl
        print(
            f"| {n} | {len(x)} | {len(ham)} | {t_ours:.3f} | {t_pl:.3f} | {r:.2f} | {t_e:.3f} | {t_epl:.3f} | "
            f"{diff:.1e} |"
        )
        if n >= 16:
            check(f"gradient at {n} qubits <= 0.5x lightning: {r:.2f}x", r <= 0.5)
        if n == 20:
            check(f"one energy at 20 qubits <= 0.15 s: {t_e:.3f} s", t_e <= 0.15)
    return summary()


if __name__ == "__main__":
    raise SystemExit(main())
