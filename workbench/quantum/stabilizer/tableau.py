"""Aaronson-Gottesman tableau simulation of stabilizer circuits (one shot, exact, with signs)."""

from __future__ import annotations

import numpy as np

from ...errors import check_memory, make_rng
from ..circuit import QuantumError
from . import _gates as G
from . import _kernels as K
from ._program import CORRELATED, FEEDBACK, GATE1, GATE2, MEASURE, MPAD, MPP, NOISE, RESET

__all__ = ["TableauSimulator", "reference_sample", "measurement_distribution"]

_H = G.TABLE_ARRAY[G.GATE_INDEX["H"]]
_HYZ = G.TABLE_ARRAY[G.GATE_INDEX["H_YZ"]]
_CX = G.TABLE_ARRAY[G.GATE_INDEX["CX"]]
_PAULI = {1: G.TABLE_ARRAY[G.GATE_INDEX["X"]], 2: G.TABLE_ARRAY[G.GATE_INDEX["Z"]], 3: G.TABLE_ARRAY[G.GATE_INDEX["Y"]]}


class TableauSimulator:
    """The stabilizer state of ``n`` qubits as a destabilizer/stabilizer tableau (starts in ``|0...0>``).

    Parameters
    ----------
    n_qubits : int
        Number of qubits, >= 0.
    seed : int, numpy.random.Generator or None
        Draws random measurement outcomes and noise.

    Raises
    ------
    QuantumError
        If ``n_qubits`` is negative.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import TableauSimulator
    >>> sim = TableauSimulator(2, seed=1)
    >>> sim.h(0); sim.cx(0, 1)
    >>> a, det_a = sim.measure(0)
    >>> b, det_b = sim.measure(1)
    >>> a == b, det_a, det_b
    (True, False, True)
    >>> sim.stabilizers()
    ['+Z_', '+ZZ']
    """

    def __init__(self, n_qubits: int, seed=None):
        if isinstance(n_qubits, bool) or not isinstance(n_qubits, (int, np.integer)) or n_qubits < 0:
            raise QuantumError(f"n_qubits must be a whole number >= 0, got {n_qubits!r}")
        n = int(n_qubits)
        check_memory(f"a tableau of {n} qubits", 2 * 8.0 * (2 * n + 1) * n, error=QuantumError)
        self.n = n
        self.x = np.zeros((2 * n + 1, n), dtype=np.int64)
        self.z = np.zeros((2 * n + 1, n), dtype=np.int64)
        self.r = np.zeros(2 * n + 1, dtype=np.int64)
        for i in range(n):
            self.x[i, i] = 1
            self.z[n + i, i] = 1
        self.rng = make_rng(seed, error=QuantumError)
        self.record: list[int] = []

    def copy(self) -> TableauSimulator:
        """A copy of the state and the measurement record (the random generator is shared, not copied).

        Returns
        -------
        TableauSimulator
            A simulator with its own tableau and record.
        """
        other = TableauSimulator.__new__(TableauSimulator)
        other.n, other.x, other.z, other.r = self.n, self.x.copy(), self.z.copy(), self.r.copy()
        other.rng, other.record = self.rng, list(self.record)
        return other

    def _check(self, *qs):
        for q in qs:
            if not 0 <= q < self.n:
                raise QuantumError(f"qubit {q} out of range for {self.n} qubits")

    # gates
    def gate(self, name: str, *qubits: int) -> None:
        """Apply a unitary Clifford by its Stim name (``"H"``, ``"CX"``, ``"SQRT_X_DAG"``, ...).

        Parameters
        ----------
        name : str
            A unitary gate of Stim's set, or an alias, in any case.
        *qubits : int
            The qubits it acts on, in pairs for a two-qubit gate (applied pair by pair, in order).

        Raises
        ------
        QuantumError
            If ``name`` is not a unitary Clifford of Stim's set, the number of qubits is not a multiple of the
            gate's arity, or a qubit is out of range.
        """
        cname = G.canonical(name)
        if cname not in G.TABLES:
            raise QuantumError(f"{name!r} is not a unitary Clifford gate of Stim's set")
        arity = G.ARITY[cname]
        if len(qubits) % arity:
            raise QuantumError(f"{cname} acts on {arity} qubit(s) at a time, got {len(qubits)}")
        self._check(*qubits)
        tab = G.TABLE_ARRAY[G.GATE_INDEX[cname]]
        for k in range(0, len(qubits), arity):
            if arity == 1:
                K.tableau_gate1(self.x, self.z, self.r, qubits[k], tab)
            else:
                K.tableau_gate2(self.x, self.z, self.r, qubits[k], qubits[k + 1], tab)

    def h(self, *q):
        """Apply the Hadamard ``H`` (as :meth:`gate`).

        Parameters
        ----------
        *q : int
            The qubits it acts on.
        """
        self.gate("H", *q)

    def s(self, *q):
        """Apply the phase gate ``S`` (as :meth:`gate`).

        Parameters
        ----------
        *q : int
            The qubits it acts on.
        """
        self.gate("S", *q)

    def cx(self, *q):
        """Apply the controlled-X ``CX`` (as :meth:`gate`).

        Parameters
        ----------
        *q : int
            Control-target pairs of qubits.
        """
        self.gate("CX", *q)

    def measure(self, q: int, basis: str = "Z", forced: int | None = None) -> tuple[int, bool]:
        """Measure qubit ``q`` in ``basis``; returns ``(outcome, deterministic)`` and appends to the record.

        Parameters
        ----------
        q : int
            The qubit measured.
        basis : {"Z", "X", "Y"}, default "Z"
            The measurement basis.
        forced : int or None, default None
            The outcome (0 or 1) to take if the result is random; ``None`` draws it from the simulator's
            generator. A deterministic result ignores it.

        Returns
        -------
        outcome : int
            The measured result, 0 or 1.
        deterministic : bool
            Whether the state fixed the result (``False``: it was random, and the state collapsed).

        Raises
        ------
        QuantumError
            If ``q`` is out of range.
        KeyError
            If ``basis`` is not "Z", "X" or "Y".
        """
        self._check(q)
        change = {"Z": None, "X": _H, "Y": _HYZ}[basis]
        if change is not None:
            K.tableau_gate1(self.x, self.z, self.r, q, change)
        bit = int(self.rng.integers(2)) if forced is None else int(forced)
        out, det = K.tableau_measure_z(self.x, self.z, self.r, q, self.n, bit)
        if change is not None:
            K.tableau_gate1(self.x, self.z, self.r, q, change)
        self.record.append(int(out))
        return int(out), bool(det)

    def reset(self, q: int, basis: str = "Z") -> None:
        """Reset qubit ``q`` to the +1 eigenstate of ``basis`` (``|0>``, ``|+>`` or ``|+i>``); nothing is recorded.

        Parameters
        ----------
        q : int
            The qubit reset.
        basis : {"Z", "X", "Y"}, default "Z"
            The basis of the reset.
        """
        out, _ = self.measure(q, basis)
        self.record.pop()
        if out:
            K.tableau_gate1(self.x, self.z, self.r, q, _PAULI[{"Z": 1, "X": 2, "Y": 1}[basis]])

    def measure_pauli(self, terms: dict, forced: int | None = None) -> tuple[int, bool]:
        """Measure a Pauli product ``{qubit: code}`` (code 1 X, 2 Z, 3 Y).

        Parameters
        ----------
        terms : dict
            Qubit -> Pauli code (1 X, 2 Z, 3 Y) of each factor; at least one qubit.
        forced : int or None, default None
            The outcome (0 or 1) to take if the result is random; ``None`` draws it from the simulator's
            generator.

        Returns
        -------
        outcome : int
            The product's measured eigenvalue as a bit (0 for +1, 1 for -1), appended to the record.
        deterministic : bool
            Whether the state fixed the result.

        Raises
        ------
        QuantumError
            If a qubit is out of range.
        """
        qs = list(terms)
        self._check(*qs)
        for q in qs:
            if terms[q] == 1:
                K.tableau_gate1(self.x, self.z, self.r, q, _H)
            elif terms[q] == 3:
                K.tableau_gate1(self.x, self.z, self.r, q, _HYZ)
        for q in qs[1:]:
            K.tableau_gate2(self.x, self.z, self.r, q, qs[0], _CX)
        bit = int(self.rng.integers(2)) if forced is None else int(forced)
        out, det = K.tableau_measure_z(self.x, self.z, self.r, qs[0], self.n, bit)
        for q in qs[1:]:
            K.tableau_gate2(self.x, self.z, self.r, q, qs[0], _CX)
        for q in qs:
            if terms[q] == 1:
                K.tableau_gate1(self.x, self.z, self.r, q, _H)
            elif terms[q] == 3:
                K.tableau_gate1(self.x, self.z, self.r, q, _HYZ)
        self.record.append(int(out))
        return int(out), bool(det)

    def pauli(self, q: int, code: int) -> None:
        """Apply a Pauli to qubit ``q`` by its code.

        Parameters
        ----------
        q : int
            The qubit (not range-checked).
        code : int
            0 identity (nothing applied), 1 X, 2 Z, 3 Y.
        """
        if code:
            K.tableau_gate1(self.x, self.z, self.r, q, _PAULI[code])

    def stabilizers(self) -> list[str]:
        """The stabilizer generators as signed Pauli strings (``_`` for identity).

        Returns
        -------
        list of str
            One string per generator, ``n`` of them, each a sign and one letter per qubit (``"+Z_"``).
        """
        out = []
        for i in range(self.n, 2 * self.n):
            s = "".join("_XZY"[self.x[i, j] + 2 * self.z[i, j]] for j in range(self.n))
            out.append(("-" if self.r[i] else "+") + s)
        return out

    # whole circuits
    def do(self, circuit, noise: bool = True, choose=None) -> list[int]:
        """Run a circuit (noise drawn at random unless ``noise=False``); returns this run's measurement record.

        ``choose(op_index, measurement_index)`` may force random outcomes (0/1) for exhaustive enumeration.

        Parameters
        ----------
        circuit : StabilizerCircuit, str or Circuit
            The circuit (Stim text is read; a Clifford workbench or Qiskit circuit is converted).
        noise : bool, default True
            Draw the noise channels and measurement flips; ``False`` runs the circuit noiseless.
        choose : callable or None, default None
            ``choose(op_index, measurement_index) -> 0 or 1``: the outcome of each random measurement
            (``None`` draws them from the simulator's generator).

        Returns
        -------
        list of int
            The measurement results of this run (0/1), also appended to :attr:`record`.

        Raises
        ------
        QuantumError
            If the circuit uses more qubits than the simulator has, or draws ``E``/``ELSE_CORRELATED_ERROR``
            noise (use the frame sampler).
        """
        from .sampler import _circuit

        prog = _circuit(circuit).program()
        if prog.n_qubits > self.n:
            raise QuantumError(f"the circuit uses {prog.n_qubits} qubits, the simulator has {self.n}")
        start = len(self.record)
        _run(self, prog, noise, choose, start)
        return self.record[start:]


def _run(sim: TableauSimulator, prog, noise: bool, choose, start: int, first_op: int = 0):
    ops, t, args = prog.ops, prog.targets, prog.args
    rng = sim.rng
    for i in range(first_op, len(ops)):
        kind, a, b, t0, t1, a0, a1 = (int(v) for v in ops[i])
        if kind == GATE1:
            tab = G.TABLE_ARRAY[a]
            for k in range(t0, t1):
                K.tableau_gate1(sim.x, sim.z, sim.r, int(t[k]), tab)
        elif kind == GATE2:
            tab = G.TABLE_ARRAY[a]
            for k in range(t0, t1, 2):
                K.tableau_gate2(sim.x, sim.z, sim.r, int(t[k]), int(t[k + 1]), tab)
        elif kind == FEEDBACK:
            if sim.record[start + int(t[t0])]:
                sim.pauli(int(t[t0 + 1]), a)
        elif kind in (MEASURE, RESET):
            basis = {1: "X", 2: "Z", 3: "Y"}[a]
            for k in range(t0, t1):
                q = int(t[k])
                if kind == RESET:
                    sim.reset(q, basis)
                    continue
                m = int(prog.meas_start[i]) + k - t0
                forced = choose(i, m) if choose is not None else None
                out, _ = sim.measure(q, basis, forced)
                if b:
                    if out:
                        sim.pauli(q, {"Z": 1, "X": 2, "Y": 1}[basis])
                if noise and a1 > a0 and rng.random() < args[a0]:
                    sim.record[-1] ^= 1
                if prog.inverted[m]:
                    sim.record[-1] ^= 1
        elif kind == MPP:
            k, m = t0, int(prog.meas_start[i])
            while k < t1:
                n = int(t[k])
                terms = {int(t[k + 1 + 2 * j]): int(t[k + 2 + 2 * j]) for j in range(n)}
                forced = choose(i, m) if choose is not None else None
                if terms:
                    sim.measure_pauli(terms, forced)
                else:
                    sim.record.append(0)
                if noise and a1 > a0 and rng.random() < args[a0]:
                    sim.record[-1] ^= 1
                if prog.inverted[m]:
                    sim.record[-1] ^= 1
                k += 1 + 2 * n
                m += 1
        elif kind == MPAD:
            for k in range(t0, t1):
                sim.record.append(int(t[k]))
                if noise and a1 > a0 and rng.random() < args[a0]:
                    sim.record[-1] ^= 1
        elif kind == NOISE and noise:
            _noise(sim, a, t[t0:t1], args[a0:a1], rng)
        elif kind == CORRELATED and noise:
            raise QuantumError("the tableau simulator does not draw E / ELSE_CORRELATED_ERROR; use the frame sampler")


_CODES = [0, 1, 3, 2]


def _noise(sim, channel, qubits, p, rng):
    group = 2 if channel in (4, 6) else 1
    for g in range(0, len(qubits), group):
        if channel <= 2:
            if rng.random() < p[0]:
                sim.pauli(int(qubits[g]), [1, 3, 2][channel])
            continue
        if channel == 3:
            probs = np.r_[1 - p[0], np.full(3, p[0] / 3)]
        elif channel == 4:
            probs = np.r_[1 - p[0], np.full(15, p[0] / 15)]
        else:
            probs = np.r_[max(0.0, 1 - float(np.sum(p))), p]
        k = int(rng.choice(len(probs), p=probs / probs.sum()))
        if group == 1:
            sim.pauli(int(qubits[g]), _CODES[k])
        else:
            sim.pauli(int(qubits[g]), _CODES[k >> 2])
            sim.pauli(int(qubits[g + 1]), _CODES[k & 3])


def reference_sample(circuit) -> np.ndarray:
    """One noiseless measurement record (random outcomes taken as 0), ``bool [num_measurements]``.

    Parameters
    ----------
    circuit : StabilizerCircuit, str or Circuit
        The circuit (Stim text is read; a Clifford workbench or Qiskit circuit is converted); its noise is ignored.

    Returns
    -------
    numpy.ndarray
        ``bool [num_measurements]``: the record of one noiseless run in which every random result is 0.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import reference_sample
    >>> reference_sample("X 0\\nH 1\\nM 0 1 !2").tolist()
    [True, False, True]
    """
    from .sampler import _circuit

    prog = _circuit(circuit).program()
    sim = TableauSimulator(prog.n_qubits)
    _run(sim, prog, False, lambda i, m: 0, 0)
    return np.array(sim.record, dtype=np.bool_)


def measurement_distribution(circuit) -> dict:
    """Exact distribution of the noiseless measurement record: ``{'0110': probability, ...}``.

    Every random collapse (a measurement, or the hidden measurement of a reset) branches in two with
    probability 1/2 each; deterministic ones do not branch. Meant for small circuits (2^k branches for k random
    collapses).

    Parameters
    ----------
    circuit : StabilizerCircuit, str or Circuit
        The circuit (Stim text is read; a Clifford workbench or Qiskit circuit is converted); its noise is ignored.

    Returns
    -------
    dict
        Measurement record as a string of 0/1 (first measurement first) -> its probability, sorted by record;
        records of probability 0 are left out.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import measurement_distribution
    >>> measurement_distribution("H 0\\nCX 0 1\\nM 0 1")
    {'00': 0.5, '11': 0.5}
    """
    from .sampler import _circuit

    prog = _circuit(circuit).program()
    out: dict = {}

    def walk(forced: tuple):
        sim = TableauSimulator(prog.n_qubits)
        random_events = []
        counter = [0]
        orig_measure, orig_pauli = sim.measure, sim.measure_pauli

        def pick():
            k = counter[0]
            counter[0] += 1
            return k, (forced[k] if k < len(forced) else 0)

        def measure(q, basis="Z", f=None):
            k, bit = pick()
            res, det = orig_measure(q, basis, bit)
            if not det:
                random_events.append(k)
            return res, det

        def measure_pauli(terms, f=None):
            k, bit = pick()
            res, det = orig_pauli(terms, bit)
            if not det:
                random_events.append(k)
            return res, det

        sim.measure, sim.measure_pauli = measure, measure_pauli
        _run(sim, prog, False, None, 0)
        free = [k for k in random_events if k >= len(forced)]
        if not free:
            key = "".join(str(b) for b in sim.record)
            out[key] = out.get(key, 0.0) + 0.5 ** len(random_events)
            return
        # branch on the first random event not yet forced; events before it keep their forced values
        first = free[0]
        prefix = tuple(forced) + (0,) * (first - len(forced))
        for bit in (0, 1):
            walk(prefix + (bit,))

    walk(())
    return dict(sorted(out.items()))
