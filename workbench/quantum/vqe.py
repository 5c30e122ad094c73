r"""The variational quantum eigensolver, with the H2 molecule as the worked example.

VQE minimises :math:`E(\theta) = \langle\psi(\theta)|H|\psi(\theta)\rangle \ge E_0` over the
parameters of an ansatz circuit; :math:`H` is a Pauli sum, measured term by term (here
computed exactly from the state, or from shots). The shipped Hamiltonians of H2 (STO-3G,
0.735 Å; ``data/quantum``) have the exact ground energy :math:`-1.137306` Ha (FCI, with nuclear
repulsion 0.719969 Ha); chemical accuracy is 1.6 mHa.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._data import data_path
from ..errors import Int, Optional, Real, check, checked, make_rng
from ..results import Result, one_row
from .circuit import MAX_GENERATED_QUBITS, Circuit, Parameter, QuantumError
from .statevector import expectation, pauli_terms, simulate

__all__ = ["load_h2", "ground_energy", "ry_ansatz", "vqe", "VQEResult", "CHEMICAL_ACCURACY"]

#: 1 kcal/mol in Hartree
CHEMICAL_ACCURACY = 1.6e-3


def load_h2(form: str = "parity_2q") -> dict:
    """The H2 Hamiltonian: {"hamiltonian": label -> coefficient, "nuclear_repulsion", "E_FCI_total", ...}.

    ``form`` is "parity_2q" (2 qubits) or "jordan_wigner_4q" (4 qubits).

    Examples
    --------
    >>> h = load_h2()
    >>> len(h["hamiltonian"]), round(h["E_FCI_total"], 5)
    (5, -1.13731)
    """
    raw = json.loads(data_path("quantum", "h2_sto3g_0.735.json").read_text())
    if form not in ("parity_2q", "jordan_wigner_4q"):
        raise QuantumError(f"form must be 'parity_2q' or 'jordan_wigner_4q', got {form!r}")
    return {
        "hamiltonian": raw[form],
        "nuclear_repulsion": raw["nuclear_repulsion"],
        "E_FCI_total": raw["E_FCI_total"],
        "E_HF_total": raw["E_HF_total"],
        "n_qubits": len(next(iter(raw[form]))),
    }


def pauli_sum(hamiltonian) -> tuple[dict, int]:
    """A Hamiltonian as ``{label: real coefficient}`` with its qubit count, checked: a non-empty dict of
    equal-length labels over I, X, Y, Z (leftmost = highest qubit) with finite real coefficients."""
    if not isinstance(hamiltonian, dict) or not hamiltonian:
        raise QuantumError(f"a Hamiltonian is a non-empty dict of Pauli label -> coefficient, got {hamiltonian!r:.80}")
    labels = list(hamiltonian)
    n = len(labels[0]) if isinstance(labels[0], str) else 0
    out = {}
    for label, c in hamiltonian.items():
        if not isinstance(label, str) or len(label) != n or n == 0 or set(label) - set("IXYZ"):
            raise QuantumError(f"Pauli labels must be strings of one length over I, X, Y, Z, got {label!r}")
        if isinstance(c, complex) or (hasattr(c, "imag") and np.imag(c) != 0):
            raise QuantumError(f"the coefficient of {label} must be real (a Hermitian sum), got {c!r}")
        out[label] = check(f"the coefficient of {label}", np.real(c) if hasattr(c, "imag") else c, Real(), QuantumError)
    return out, n


def ground_energy(hamiltonian: dict) -> float:
    """Exact lowest eigenvalue of a Pauli sum (dense diagonalisation, for checking; n <= 12)."""
    hamiltonian, n = pauli_sum(hamiltonian)
    if n > 12:
        raise QuantumError("exact diagonalisation is limited to 12 qubits")
    dim = 1 << n
    h = np.zeros((dim, dim), complex)
    idx = np.arange(dim)
    for coeff, x, z, ny in pauli_terms(hamiltonian, n):
        par = np.array([bin(int(i) & z).count("1") & 1 for i in idx])
        h[idx ^ x, idx] += coeff * (1j**ny) * (-1.0) ** par
    return float(np.linalg.eigvalsh(h)[0])


@checked(QuantumError, n=Int(1, MAX_GENERATED_QUBITS), reps=Int(0, 10_000))
def ry_ansatz(n: int, reps: int = 2, initial=()) -> Circuit:
    """Hardware-efficient ansatz: RY on every qubit, a CNOT chain, repeated; ``initial`` qubits
    start in |1> (e.g. the Hartree-Fock occupation)."""
    qc = Circuit(n, name=f"ry_ansatz_{reps}")
    for q in initial:
        qc.x(q)
    k = 0
    for r in range(reps + 1):
        for q in range(n):
            qc.ry(Parameter(f"t{k}"), q)
            k += 1
        if r < reps:
            for q in range(n - 1):
                qc.cx(q, q + 1)
    return qc


@dataclass
class VQEResult(Result):
    """VQE's best energy, its parameters and the exact ground energy; ``summary()`` one row, frame
    ``history`` (every energy evaluated), ``params`` the inputs."""

    energy: float
    parameters: np.ndarray
    history: pd.DataFrame = field(repr=False)
    exact: float
    offset: float
    params: dict = field(default_factory=dict, repr=False)
    frames = ("history",)

    def summary(self) -> pd.DataFrame:
        """One row: energy and exact energy (hartree), error (mHa), energy evaluations."""
        return one_row(
            energy=self.energy, exact_energy=self.exact, error_mha=1e3 * self.error, evaluations=len(self.history)
        )

    @property
    def error(self) -> float:
        return self.energy - self.exact


def vqe(
    hamiltonian: dict,
    ansatz: Circuit | None = None,
    *,
    offset: float = 0.0,
    method: str = "L-BFGS-B",
    restarts: int = 3,
    seed=None,
    shots: int | None = None,
) -> VQEResult:
    """Minimise <H> over the ansatz parameters (scipy), from ``restarts`` random starts.

    ``offset`` is added to every energy (the nuclear repulsion for a total molecular energy).
    With ``shots``, each energy is estimated from that many samples per Pauli term (noisy),
    and COBYLA is the sensible method.

    Examples
    --------
    >>> h = load_h2()
    >>> r = vqe(h["hamiltonian"], offset=h["nuclear_repulsion"], seed=0)
    >>> abs(r.energy - h["E_FCI_total"]) < CHEMICAL_ACCURACY
    True
    """
    from scipy.optimize import minimize

    hamiltonian, n = pauli_sum(hamiltonian)
    offset = check("offset", offset, Real(), QuantumError)
    restarts = check("restarts", restarts, Int(1, 10_000), QuantumError)
    shots = check("shots", shots, Optional(Int(1, 10**9)), QuantumError)
    if ansatz is not None and (not isinstance(ansatz, Circuit) or ansatz.n_qubits != n):
        raise QuantumError(f"ansatz must be a Circuit on {n} qubits (the Hamiltonian's), got {ansatz!r}")
    ansatz = ry_ansatz(n) if ansatz is None else ansatz
    names = ansatz.parameters
    rng = make_rng(seed)
    terms = list(hamiltonian.items())
    history = []

    def energy(x):
        psi = simulate(ansatz.bind(dict(zip(names, x)))).state
        if shots is None:
            e = expectation(psi, hamiltonian)
        else:
            e = sum(c * _sampled_pauli(psi, label, shots, rng) for label, c in terms)
        history.append({"evaluation": len(history), "energy": e + offset})
        return e

    best = None
    for _ in range(restarts):
        res = minimize(energy, rng.uniform(-np.pi, np.pi, len(names)), method=method)
        if best is None or res.fun < best.fun:
            best = res
    exact = ground_energy(hamiltonian) + offset
    e = expectation(simulate(ansatz.bind(dict(zip(names, best.x)))).state, hamiltonian) + offset
    return VQEResult(
        float(e),
        best.x,
        pd.DataFrame(history),
        exact,
        offset,
        {
            "hamiltonian": hamiltonian,
            "ansatz": ansatz,
            "offset": offset,
            "method": method,
            "restarts": restarts,
            "seed": seed,
            "shots": shots,
        },
    )


def _sampled_pauli(psi, label, shots, rng):
    """Estimate <P> from ``shots`` measurements in P's eigenbasis."""
    n = len(label)
    if set(label) == {"I"}:
        return 1.0
    qc = Circuit(n)
    for q, ch in enumerate(reversed(label)):
        if ch == "X":
            qc.h(q)
        elif ch == "Y":
            qc.sdg(q).h(q)
    p = np.abs(simulate(qc, initial_state=psi).state) ** 2
    samples = rng.choice(p.size, size=shots, p=p / p.sum())
    mask = sum(1 << q for q, ch in enumerate(reversed(label)) if ch != "I")
    parity = np.array([bin(int(s) & mask).count("1") & 1 for s in samples])
    return float(1 - 2 * parity.mean())
