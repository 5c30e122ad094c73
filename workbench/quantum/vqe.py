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
from ..errors import Int, Optional, Options, Real, check, checked, make_rng
from ..results import Result, one_row
from .circuit import MAX_GENERATED_QUBITS, Circuit, Parameter, QuantumError
from .gradients import gradient
from .statevector import expectation, pauli_terms, simulate

#: scipy methods that use a gradient (vqe hands them the analytic one).
_GRADIENT_METHODS = {"L-BFGS-B", "BFGS", "CG", "SLSQP", "TNC"}

__all__ = ["load_h2", "ground_energy", "ry_ansatz", "vqe", "VQEResult", "CHEMICAL_ACCURACY"]

#: 1 kcal/mol in Hartree
CHEMICAL_ACCURACY = 1.6e-3


def load_h2(form: str = "parity_2q") -> dict:
    """The H2 Hamiltonian: {"hamiltonian": label -> coefficient, "nuclear_repulsion", "E_FCI_total", ...}.

    ``form`` is "parity_2q" (2 qubits) or "jordan_wigner_4q" (4 qubits).

    The Hamiltonian is the one computed by PySCF (STO-3G, 0.735 Angstrom) and shipped in
    ``data/quantum/h2_sto3g_0.735.json``.

    Parameters
    ----------
    form : {"parity_2q", "jordan_wigner_4q"}, default "parity_2q"
        The qubit mapping.

    Returns
    -------
    dict
        ``"hamiltonian"`` (Pauli label -> coefficient, electronic, hartree), ``"nuclear_repulsion"``,
        ``"E_FCI_total"`` and ``"E_HF_total"`` (hartree, nuclear repulsion included) and
        ``"n_qubits"``.

    Raises
    ------
    QuantumError
        If ``form`` is not one of the two allowed.

    See Also
    --------
    workbench.quantum.chem.h2_hamiltonian : The same Hamiltonian computed here, at any bond length.

    Examples
    --------
    >>> from workbench.quantum import load_h2
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
    """Exact lowest eigenvalue of a Pauli sum (dense diagonalisation, for checking; n <= 12).

    Parameters
    ----------
    hamiltonian : dict
        Pauli label -> real coefficient: a non-empty dict of labels of one length, at most 12,
        over I, X, Y, Z (leftmost = highest qubit), with finite real coefficients.

    Returns
    -------
    float
        The smallest eigenvalue.

    Raises
    ------
    QuantumError
        If ``hamiltonian`` is not such a dict (empty, malformed labels, complex or non-finite
        coefficients) or acts on more than 12 qubits.

    Examples
    --------
    >>> from workbench.quantum import ground_energy
    >>> round(ground_energy({"Z": 1.0, "X": 1.0}), 6)
    -1.414214
    """
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
    start in |1> (e.g. the Hartree-Fock occupation).

    Parameters
    ----------
    n : int
        Qubits, in [1, ``MAX_GENERATED_QUBITS``] (1024).
    reps : int, default 2
        Entangling layers (CNOT chains), in [0, 10000]; there are ``reps + 1`` RY layers.
    initial : iterable of int, default ()
        Qubits flipped to |1> by an X gate before the first layer.

    Returns
    -------
    Circuit
        A circuit named ``"ry_ansatz_<reps>"`` with ``n * (reps + 1)`` unbound parameters
        ``t0``, ``t1``, ...

    Raises
    ------
    QuantumError
        If ``n`` or ``reps`` is not an integer in its range, or a qubit of ``initial`` is out of
        range (a :class:`QubitError`).

    Examples
    --------
    >>> from workbench.quantum import ry_ansatz
    >>> qc = ry_ansatz(2, reps=1, initial=[0])
    >>> qc.parameters, qc.count_ops()
    (['t0', 't1', 't2', 't3'], {'x': 1, 'ry': 4, 'cx': 1})
    """
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
    ``history`` (every energy evaluated), ``params`` the inputs.

    Returned by :func:`vqe`.

    Parameters
    ----------
    energy : float
        The energy at the best parameters, computed exactly from the state, ``offset`` included.
    parameters : numpy.ndarray
        The best parameters, in the order of the ansatz's ``parameters``.
    history : pandas.DataFrame
        Every energy evaluated: columns ``evaluation`` and ``energy`` (``offset`` included; estimated
        from shots when ``shots`` was given).
    exact : float
        The exact ground energy (dense diagonalisation), ``offset`` included.
    offset : float
        The constant added to every energy.
    params : dict, optional
        The inputs of the run: ``hamiltonian``, ``ansatz``, ``offset``, ``method``, ``restarts``,
        ``seed`` and ``shots`` (default: an empty dict).

    Examples
    --------
    >>> from workbench.quantum import vqe
    >>> r = vqe({"Z": 1.0, "X": 1.0}, restarts=1, seed=0)
    >>> round(r.energy, 4), round(r.exact, 4), list(r.summary().columns)
    (-1.4142, -1.4142, ['energy', 'exact_energy', 'error_mha', 'evaluations'])
    """

    energy: float
    parameters: np.ndarray
    history: pd.DataFrame = field(repr=False)
    exact: float
    offset: float
    params: dict = field(default_factory=dict, repr=False)
    frames = ("history",)

    def summary(self) -> pd.DataFrame:
        """One row: energy and exact energy (hartree), error (mHa), energy evaluations.

        Returns
        -------
        pandas.DataFrame
            Columns ``energy``, ``exact_energy``, ``error_mha`` and ``evaluations``.
        """
        return one_row(
            energy=self.energy, exact_energy=self.exact, error_mha=1e3 * self.error, evaluations=len(self.history)
        )

    @property
    def error(self) -> float:
        """The energy above the exact ground energy.

        Returns
        -------
        float
            ``energy - exact``, in the Hamiltonian's unit (hartree for a molecule); >= 0 up to
            rounding.
        """
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
    jac: str | None = "adjoint",
) -> VQEResult:
    """Minimise <H> over the ansatz parameters (scipy), from ``restarts`` random starts.

    ``offset`` is added to every energy (the nuclear repulsion for a total molecular energy).
    With ``shots``, each energy is estimated from that many samples per Pauli term (noisy),
    and COBYLA is the sensible method.

    Parameters
    ----------
    hamiltonian : dict
        Pauli label -> real coefficient: a non-empty dict of labels of one length over I, X, Y, Z
        (leftmost = highest qubit), with finite real coefficients, on at most 12 qubits (the exact
        energy is computed by dense diagonalisation).
    ansatz : Circuit or None, default None
        A parameterised circuit on the Hamiltonian's qubits; ``None`` uses ``ry_ansatz(n)``.
    offset : float, default 0.0
        A constant added to every energy (finite).
    method : str, default "L-BFGS-B"
        The :func:`scipy.optimize.minimize` method.
    restarts : int, default 3
        Random starts (parameters uniform in [-pi, pi]), in [1, 10000]; the best result is kept.
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream (starts and shots); the same seed gives the same result.
    shots : int or None, default None
        Samples per Pauli term for each energy estimate, in [1, 10**9]; ``None`` computes the
        energies exactly.
    jac : {"adjoint", "parameter_shift"} or None, default "adjoint"
        With exact energies and a gradient-based method (L-BFGS-B, BFGS, CG, SLSQP, TNC), hand the
        optimizer the analytic gradient (:func:`~workbench.quantum.gradient`: one evaluation gives
        the energy and every derivative); ``None`` lets scipy difference the energy (one evaluation
        per parameter and step).

    Returns
    -------
    VQEResult
        ``energy`` (exact at the best parameters), ``parameters``, ``exact``, ``error``, the
        ``history`` frame and ``summary()``.

    Raises
    ------
    QuantumError
        If ``hamiltonian`` is malformed or on more than 12 qubits, ``offset``, ``restarts`` or
        ``shots`` is out of range, or ``ansatz`` is not a Circuit on the Hamiltonian's qubits.
    QuantumError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    Examples
    --------
    >>> from workbench.quantum import CHEMICAL_ACCURACY, load_h2, vqe
    >>> h = load_h2()
    >>> r = vqe(h["hamiltonian"], offset=h["nuclear_repulsion"], seed=0)
    >>> abs(r.energy - h["E_FCI_total"]) < CHEMICAL_ACCURACY
    True
    """
    from scipy.optimize import minimize

    hamiltonian, n = pauli_sum(hamiltonian)
    if n > 12:  # the exact energy the result is compared with: refuse before optimizing, not after
        raise QuantumError(f"vqe compares with exact diagonalisation: at most 12 qubits, got {n}")
    offset = check("offset", offset, Real(), QuantumError)
    restarts = check("restarts", restarts, Int(1, 10_000), QuantumError)
    shots = check("shots", shots, Optional(Int(1, 10**9)), QuantumError)
    if ansatz is not None and (not isinstance(ansatz, Circuit) or ansatz.n_qubits != n):
        raise QuantumError(f"ansatz must be a Circuit on {n} qubits (the Hamiltonian's), got {ansatz!r}")
    ansatz = ry_ansatz(n) if ansatz is None else ansatz
    names = ansatz.parameters
    rng = make_rng(seed, error=QuantumError)
    terms = list(hamiltonian.items())
    history = []

    jac = check("jac", jac, Optional(Options("adjoint", "parameter_shift")), QuantumError)
    use_jac = jac is not None and shots is None and method.upper() in _GRADIENT_METHODS and len(names) > 0

    def energy_and_gradient(x):
        e, g = gradient(ansatz, hamiltonian, x, method=jac)
        history.append({"evaluation": len(history), "energy": e + offset})
        return e, g

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
        x0 = rng.uniform(-np.pi, np.pi, len(names))
        if use_jac:
            res = minimize(energy_and_gradient, x0, method=method, jac=True)
        else:
            res = minimize(energy, x0, method=method)
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
            "jac": jac,
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
