"""Checks of lesson quantum.08, compiling for hardware."""

from __future__ import annotations

import numpy as np

from ..checks import as_number, equal, right, wrong


def _rz(t):
    return np.diag([np.exp(-1j * t / 2), np.exp(1j * t / 2)])


def _ry(t):
    c, s = np.cos(t / 2), np.sin(t / 2)
    return np.array([[c, -s], [s, c]])


def _rx(t):
    c, s = np.cos(t / 2), np.sin(t / 2)
    return np.array([[c, -1j * s], [-1j * s, c]])


def ex1(answer):
    x = as_number(answer, "an integer number of CNOTs")
    if not isinstance(x, float):
        return x
    if x == 13:
        return wrong("too high: the qubits are not moved back; a compiler only records where they went")
    if x == 3:
        return wrong("too low: this counts only one SWAP, or forgets the CNOT itself")
    return equal(answer, 3 * 2 + 1, what="the number of CNOTs")


def ex2(answer):
    try:
        theta, phi, lam = (float(np.real(a)) for a in answer)
    except (TypeError, ValueError):
        return wrong("the answer should be a tuple of three angles (theta, phi, lam)")
    got = _rz(phi) @ _ry(theta) @ _rz(lam)
    want = _rx(0.7)
    overlap = abs(np.trace(want.conj().T @ got)) / 2  # 1 exactly when equal up to a global phase
    if overlap > 1 - 1e-9:
        return right("equal to Rx(0.7) up to a global phase")
    flipped = _rz(-phi) @ _ry(theta) @ _rz(-lam)
    if abs(np.trace(want.conj().T @ flipped)) / 2 > 1 - 1e-9:
        return wrong("this is Rx(-0.7): the signs of phi and lam are swapped")
    if abs(abs(theta) - 0.7) > 1e-6 and abs(abs(theta) - (2 * np.pi - 0.7)) > 1e-6:
        return wrong("theta is off: a rotation by 0.7 about x is a rotation by 0.7 about a rotated y axis")
    return wrong("theta is right, but phi and lam do not turn the y axis into the x axis")


def _unitary(circuit, n):
    from ...quantum import statevector

    return np.column_stack([statevector(circuit, initial_state=np.eye(2**n)[k].astype(complex)) for k in range(2**n)])


def ex3(answer):
    from ...quantum import Circuit

    if not isinstance(answer, Circuit) or answer.n_qubits != 2:
        return wrong("the answer should be a workbench Circuit on 2 qubits")
    names = [op.name for op in answer.ops]
    multi = [op.name for op in answer.ops if len(op.qubits) > 1]
    if multi != ["cx"]:
        return wrong(
            f"use exactly one cx and only one-qubit gates otherwise; the circuit has {multi or 'no'} multi-qubit gates"
        )
    if any(op.kind != "gate" for op in answer.ops):
        return wrong("the circuit should contain gates only (no measurements)")
    y = np.array([[0, -1j], [1j, 0]])
    cy = np.eye(4, dtype=complex)
    cy[np.ix_([1, 3], [1, 3])] = y  # control qubit 0 (low bit), Y on qubit 1 (high bit)
    u = _unitary(answer, 2)
    if np.allclose(u, cy, atol=1e-9):
        return right(f"{len(names)} gates, one CNOT")
    if abs(np.trace(cy.conj().T @ u)) / 4 > 1 - 1e-9:
        return wrong("equal up to a global phase only: a controlled gate's phase is not global, fix it")
    minus = cy.copy()
    minus[np.ix_([1, 3], [1, 3])] = -y
    if np.allclose(u, minus, atol=1e-9):
        return wrong("this is controlled-(-Y): the one-qubit gates on each side of the cx are swapped")
    return wrong("not controlled-Y: the target gets G X G^dagger, so G must turn X into Y")


def _adjacent(circuit) -> bool:
    return all(abs(op.qubits[0] - op.qubits[1]) == 1 for op in circuit.ops if len(op.qubits) == 2)


def _matches(logical, routed, layout, seed=0) -> bool:
    """Routed circuit on physical qubits acts like the logical one, logical i ending on physical layout[i]."""
    from ...quantum import statevector

    n = logical.n_qubits
    rng = np.random.default_rng(seed)
    for _ in range(2):
        psi = rng.normal(size=2**n) + 1j * rng.normal(size=2**n)
        psi /= np.linalg.norm(psi)
        want = statevector(logical, initial_state=psi)
        got = statevector(routed, initial_state=psi)  # start: logical i on physical i
        moved = np.zeros_like(want)
        for x in range(2**n):
            moved[sum(((x >> i) & 1) << layout[i] for i in range(n))] = want[x]
        if not np.allclose(got, moved, atol=1e-9):
            return False
    return True


def _check_routing(circuit, layout, logical):
    from ...quantum import Circuit

    if not isinstance(circuit, Circuit) or circuit.n_qubits != logical.n_qubits:
        return wrong(f"the routed circuit should be a workbench Circuit on {logical.n_qubits} qubits")
    try:
        layout = [int(p) for p in layout]
    except (TypeError, ValueError):
        return wrong("the final layout should be a list of physical qubits, one per logical qubit")
    if sorted(layout) != list(range(logical.n_qubits)):
        return wrong("the final layout should be a permutation of the physical qubits")
    if any(len(op.qubits) > 2 for op in circuit.ops):
        return wrong("use only one- and two-qubit gates")
    if not _adjacent(circuit):
        return wrong("a two-qubit gate acts on physical qubits that are not neighbours on the line")
    if not _matches(logical, circuit, layout):
        if _matches(logical, circuit, list(range(logical.n_qubits))):
            return wrong("the circuit is right but the final layout is not where the logical qubits ended")
        return wrong("the routed circuit does not act like the logical circuit with this final layout")
    return None


def _ex4_logical():
    from ...quantum import Circuit

    return Circuit(4).h(0).cx(0, 3).cx(1, 3).cx(2, 0)


def ex4(answer):
    try:
        circuit, layout = answer
    except (TypeError, ValueError):
        return wrong("the answer should be a tuple (circuit, final_layout)")
    fb = _check_routing(circuit, layout, _ex4_logical())
    if fb is not None:
        return fb
    swaps = circuit.count_ops().get("swap", 0)
    return right(f"routed with {swaps} SWAP(s)")


def _random_circuit(n, gates, rng):
    from ...quantum import Circuit

    qc = Circuit(n)
    for _ in range(gates):
        kind = rng.integers(3)
        if kind == 0:
            qc.h(int(rng.integers(n)))
        elif kind == 1:
            qc.rz(float(rng.uniform(-np.pi, np.pi)), int(rng.integers(n)))
        else:
            a, b = rng.choice(n, 2, replace=False)
            qc.cx(int(a), int(b))
    return qc


def ex5(answer, seed=0):
    if not callable(answer):
        return wrong(f"the answer should be a function route_line(circuit), got {type(answer).__name__}")
    rng = np.random.default_rng(seed)
    for n in (2, 3, 4, 5):
        for _ in range(2):
            logical = _random_circuit(n, 12, rng)
            try:
                circuit, layout = answer(logical.copy())
            except (TypeError, ValueError):
                return wrong("route_line should return a tuple (routed_circuit, final_layout)")
            fb = _check_routing(circuit, layout, logical)
            if fb is not None:
                return wrong(f"on a random circuit of {n} qubits: {fb.message}")
    return right("it routes random circuits on lines of 2 to 5 qubits correctly")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    from ...quantum import Circuit

    hand = Circuit(4).h(0).swap(0, 1).swap(1, 2).cx(2, 3).swap(2, 3).swap(1, 2).cx(0, 1).cx(2, 3)

    def unrouted(circuit):
        return circuit.copy(), list(range(circuit.n_qubits))

    def forgets_layout(circuit):
        n = circuit.n_qubits
        where = list(range(n))
        out = Circuit(n)
        for op in circuit.ops:
            qs = [where[q] for q in op.qubits]
            if len(qs) == 2:
                a, b = qs
                while abs(a - b) > 1:
                    step = a + (1 if b > a else -1)
                    out.swap(a, step)
                    a = step  # the layout is never updated
                qs = [a, b]
            out.append(op.name, qs, op.params)
        return out, where

    return {
        1: [(13, {}), (3, {}), (9, {}), (7.5, {})],
        2: [((0.7, np.pi / 2, -np.pi / 2), {}), ((0.7, 0.0, 0.0), {}), ((1.0, -np.pi / 2, np.pi / 2), {}), (0.7, {})],
        3: [(Circuit(2).cy(0, 1), {}), (Circuit(2).s(1).cx(0, 1).sdg(1), {}), (Circuit(2).cx(0, 1), {})],
        4: [((_ex4_logical(), [0, 1, 2, 3]), {}), ((hand, [0, 1, 2, 3]), {}), ((hand, [3, 0, 1, 2]), {}), (hand, {})],
        5: [(unrouted, {}), (forgets_layout, {}), (lambda c: c, {})],
    }


WRONG = _wrong_examples
