r"""Molecular Hamiltonians from first principles: hydrogen molecules in the STO-3G basis.

The qubit Hamiltonian a VQE minimises comes out of four classical steps, all done here:

1. **Integrals** over the STO-3G basis: each hydrogen 1s orbital is a fixed sum of three
   Gaussians, and every integral between Gaussian s-functions has a closed form (Szabo &
   Ostlund, *Modern Quantum Chemistry*, appendix A): overlap :math:`S`, kinetic :math:`T`,
   nuclear attraction :math:`V` (through the Boys function :math:`F_0`) and electron repulsion
   :math:`(\mu\nu|\lambda\sigma)`.
2. **Hartree-Fock** (restricted, Roothaan's equations :math:`FC = SC\varepsilon`) gives the
   molecular orbitals :math:`C`.
3. The integrals move to the molecular-orbital basis, and the electronic Hamiltonian in
   second quantisation is

   .. math::

       H = \sum_{pq} h_{pq}\, a_p^\dagger a_q + \tfrac12 \sum_{pqrs} (pq|rs)\, a_p^\dagger a_r^\dagger a_s a_q

   over spin orbitals (the :math:`\alpha` block first, then :math:`\beta`).
4. A **fermion-to-qubit mapping**: Jordan-Wigner (qubit :math:`j` holds the occupation of spin
   orbital :math:`j`) or parity (qubit :math:`j` holds the parity of orbitals :math:`0..j`), where
   two qubits hold conserved parities (of the :math:`\alpha` electrons and of all electrons) and
   are removed, leaving H2 on two qubits.

The map is done exactly on the Fock space (its dimension is :math:`4^{n}` for :math:`n` spatial
orbitals, 16 for H2) and the result expanded in Pauli strings, :math:`c_P = \mathrm{tr}(PH)/2^{N}`.
The shipped PySCF Hamiltonian at 0.735 Å (:func:`~workbench.quantum.vqe.load_h2`) and the
textbook values of Szabo & Ostlund (R = 1.4 bohr) check it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import Int, Real, check_int, check_real, checked, make_rng
from .circuit import QuantumError

__all__ = [
    "BOHR_ANGSTROM",
    "STO3G_H",
    "sto3g_integrals",
    "rhf",
    "mo_integrals",
    "fermion_hamiltonian",
    "pauli_decompose",
    "hydrogen_hamiltonian",
    "h2_hamiltonian",
    "dissociation_curve",
]

#: the Bohr radius in Angstrom (the value PySCF uses)
BOHR_ANGSTROM = 0.52917721092

#: the largest Fock space built exactly (2**8 = 256 states)
MAX_SPIN_ORBITALS = 8

#: STO-3G for hydrogen (Basis Set Exchange): Gaussian exponents (bohr^-2) and contraction
#: coefficients of normalised primitives (Hehre, Stewart & Pople 1969, zeta = 1.24)
STO3G_H = (np.array([3.42525091, 0.62391373, 0.16885540]), np.array([0.15432897, 0.53532814, 0.44463454]))


def _boys0(t):
    """Boys function F0(t) = int_0^1 exp(-t u^2) du (1 at t = 0)."""
    from scipy.special import erf

    t = np.asarray(t, float)
    small = t < 1e-12
    ts = np.where(small, 1.0, t)
    return np.where(small, 1.0 - t / 3.0, 0.5 * np.sqrt(np.pi / ts) * erf(np.sqrt(ts)))


def _coords(positions) -> np.ndarray:
    try:
        xyz = np.asarray(positions, dtype=float)
    except (TypeError, ValueError):
        raise QuantumError(f"positions must be an (atoms, 3) array of numbers in Angstrom, got {positions!r}") from None
    if xyz.ndim != 2 or xyz.shape[1] != 3 or len(xyz) < 1:
        raise QuantumError(f"positions must be an (atoms, 3) array in Angstrom, got shape {xyz.shape}")
    if not np.isfinite(xyz).all():
        raise QuantumError("positions must be finite numbers")
    d = np.linalg.norm(xyz[:, None] - xyz[None], axis=-1)
    if len(xyz) > 1 and d[~np.eye(len(xyz), dtype=bool)].min() < 1e-3:
        raise QuantumError("two nuclei are at the same place (closer than 0.001 Angstrom)")
    return xyz / BOHR_ANGSTROM


def sto3g_integrals(positions) -> dict:
    """One- and two-electron integrals over the STO-3G 1s orbitals of hydrogen atoms.

    ``positions``: (atoms, 3) in Angstrom. Returns a dict of atomic-orbital matrices ``S``, ``T``,
    ``V``, ``h`` (= T + V), the electron-repulsion tensor ``eri[m, n, l, s] = (mn|ls)`` (chemists'
    notation) and ``nuclear_repulsion``, all in Hartree atomic units.

    Parameters
    ----------
    positions : array_like
        Coordinates of the hydrogen nuclei, shape (atoms, 3), in Angstrom: finite, at least one
        atom, no two nuclei closer than 0.001 Angstrom.

    Returns
    -------
    dict
        ``"S"`` (overlap), ``"T"`` (kinetic), ``"V"`` (nuclear attraction) and ``"h"`` (core
        Hamiltonian), each (atoms, atoms); ``"eri"`` (atoms, atoms, atoms, atoms); and
        ``"nuclear_repulsion"`` (float), in hartree.

    Raises
    ------
    QuantumError
        If ``positions`` is not an (atoms, 3) array of finite numbers or two nuclei coincide.

    Examples
    --------
    >>> from workbench.quantum.chem import BOHR_ANGSTROM, sto3g_integrals
    >>> ints = sto3g_integrals([[0, 0, 0], [0, 0, 1.4 * BOHR_ANGSTROM]])
    >>> [round(float(x), 4) for x in (ints["S"][0, 1], ints["h"][0, 0], ints["eri"][0, 0, 1, 1])]
    [0.6593, -1.1204, 0.5697]
    """
    R = _coords(positions)
    alpha, coef = STO3G_H
    na = len(R)
    # primitives: (atom, exponent, coefficient x normalisation)
    A = np.repeat(R, 3, axis=0)
    a = np.tile(alpha, na)
    c = np.tile(coef * (2 * alpha / np.pi) ** 0.75, na)
    owner = np.repeat(np.arange(na), 3)
    p = a[:, None] + a[None, :]  # alpha + beta
    mu = a[:, None] * a[None, :] / p
    AB2 = ((A[:, None] - A[None, :]) ** 2).sum(-1)
    K = np.exp(-mu * AB2)
    s = (np.pi / p) ** 1.5 * K
    t = mu * (3 - 2 * mu * AB2) * s
    P = (a[:, None, None] * A[:, None] + a[None, :, None] * A[None, :]) / p[..., None]
    v = np.zeros_like(s)
    for C in R:  # charge 1 each
        PC2 = ((P - C) ** 2).sum(-1)
        v += -2 * np.pi / p * K * _boys0(p * PC2)
    # electron repulsion over primitives (ij|kl)
    pij = p[:, :, None, None]
    pkl = p[None, None, :, :]
    PQ2 = ((P[:, :, None, None] - P[None, None, :, :]) ** 2).sum(-1)
    g = (
        2
        * np.pi**2.5
        / (pij * pkl * np.sqrt(pij + pkl))
        * K[:, :, None, None]
        * K[None, None]
        * _boys0(pij * pkl / (pij + pkl) * PQ2)
    )
    # contract primitives into atomic orbitals
    U = np.zeros((3 * na, na))
    U[np.arange(3 * na), owner] = c
    U /= np.sqrt(np.einsum("ia,ij,ja->a", U, s, U))  # each contracted orbital normalised exactly
    S, T, V = (U.T @ m @ U for m in (s, t, v))
    eri = np.einsum("ia,jb,kc,ld,ijkl->abcd", U, U, U, U, g, optimize=True)
    rr = np.linalg.norm(R[:, None] - R[None], axis=-1)
    enuc = float(sum(1.0 / rr[i, j] for i in range(na) for j in range(i + 1, na)))
    return {"S": S, "T": T, "V": V, "h": T + V, "eri": eri, "nuclear_repulsion": enuc}


@checked(QuantumError, max_iter=Int(1, 10**6), tol=Real(0, 1, lo_open=True))
def rhf(ints: dict, n_electrons: int, *, max_iter: int = 100, tol: float = 1e-12) -> dict:
    """Restricted Hartree-Fock (Roothaan's equations by symmetric orthogonalisation, core guess).

    Returns ``C`` (orbital coefficients, columns by increasing energy), ``orbital_energies``,
    ``E_electronic``, ``E_total`` (with the nuclear repulsion) and ``iterations``.

    Parameters
    ----------
    ints : dict
        Atomic-orbital integrals as :func:`sto3g_integrals` returns them (``"h"``, ``"eri"``,
        ``"S"`` and ``"nuclear_repulsion"`` are used).
    n_electrons : int
        Electrons, even and >= 2, at most twice the number of orbitals.
    max_iter : int, default 100
        Most self-consistent-field iterations.
    tol : float, default 1e-12
        Convergence threshold on the change of the electronic energy between iterations (hartree).
        Reaching ``max_iter`` first is not an error: ``iterations`` then equals ``max_iter``.

    Returns
    -------
    dict
        ``"C"`` (orbitals x orbitals coefficient matrix), ``"orbital_energies"`` (ascending),
        ``"E_electronic"`` and ``"E_total"`` (hartree) and ``"iterations"`` (int).

    Raises
    ------
    QuantumError
        If ``n_electrons`` is not an integer >= 2, is odd, or exceeds twice the number of orbitals,
        ``max_iter`` is not an integer >= 1, or ``tol`` is not in (0, 1].

    Examples
    --------
    >>> from workbench.quantum import rhf, sto3g_integrals
    >>> scf = rhf(sto3g_integrals([[0, 0, 0], [0, 0, 0.735]]), 2)
    >>> round(scf["E_total"], 4), scf["C"].shape
    (-1.117, (2, 2))
    """
    from scipy.linalg import eigh

    n_electrons = check_int("n_electrons", n_electrons, minimum=2, error=QuantumError)
    if n_electrons % 2:
        raise QuantumError(f"restricted Hartree-Fock needs an even number of electrons, got {n_electrons}")
    h, eri, S = ints["h"], ints["eri"], ints["S"]
    nocc = n_electrons // 2
    if nocc > len(h):
        raise QuantumError(f"{n_electrons} electrons do not fit in {len(h)} spatial orbitals")
    eps, C = eigh(h, S)
    E_old = np.inf
    for it in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        D = 2 * C[:, :nocc] @ C[:, :nocc].T
        F = h + np.einsum("ls,mnls->mn", D, eri) - 0.5 * np.einsum("ls,mlns->mn", D, eri)
        E = 0.5 * float(np.sum(D * (h + F)))
        eps, C = eigh(F, S)
        if abs(E - E_old) < tol:
            break
        E_old = E
    return {
        "C": C,
        "orbital_energies": eps,
        "E_electronic": E,
        "E_total": E + ints["nuclear_repulsion"],
        "iterations": it,
    }


def mo_integrals(ints: dict, C: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One- and two-electron integrals in the molecular-orbital basis ``C``: (h_pq, (pq|rs)).

    Parameters
    ----------
    ints : dict
        Atomic-orbital integrals as :func:`sto3g_integrals` returns them (``"h"`` and ``"eri"``).
    C : numpy.ndarray
        Orbital coefficients, one molecular orbital per column (``rhf(...)["C"]``).

    Returns
    -------
    h_mo : numpy.ndarray
        The core Hamiltonian in the molecular-orbital basis, (orbitals, orbitals).
    eri_mo : numpy.ndarray
        The electron-repulsion tensor ``(pq|rs)`` in that basis (chemists' notation).

    Examples
    --------
    >>> from workbench.quantum.chem import mo_integrals, rhf, sto3g_integrals
    >>> ints = sto3g_integrals([[0, 0, 0], [0, 0, 0.735]])
    >>> h_mo, eri_mo = mo_integrals(ints, rhf(ints, 2)["C"])
    >>> h_mo.shape, eri_mo.shape
    ((2, 2), (2, 2, 2, 2))
    """
    h = C.T @ ints["h"] @ C
    eri = np.einsum("mp,nq,lr,ks,mnlk->pqrs", C, C, C, C, ints["eri"], optimize=True)
    return h, eri


def _annihilators(n_modes: int) -> list[np.ndarray]:
    """Jordan-Wigner matrices of a_j on 2**n_modes basis states (bit j = occupation of mode j)."""
    dim = 1 << n_modes
    k = np.arange(dim)
    out = []
    for j in range(n_modes):
        occ = (k >> j) & 1 == 1
        sign = np.array([(-1) ** bin(int(x) & ((1 << j) - 1)).count("1") for x in k])
        a = np.zeros((dim, dim))
        a[k[occ] ^ (1 << j), k[occ]] = sign[occ]
        out.append(a)
    return out


def fermion_hamiltonian(h_mo: np.ndarray, eri_mo: np.ndarray) -> np.ndarray:
    r"""The electronic Hamiltonian as a matrix on the Fock space of the ``2n`` spin orbitals (the
    Jordan-Wigner representation: bit j of a basis index is the occupation of spin orbital j;
    orbitals 0..n-1 are spin up, n..2n-1 spin down).

    Built from the excitation operators :math:`E_{pq} = a_p^\dagger a_q`, with
    :math:`a_p^\dagger a_r^\dagger a_s a_q = E_{pq}E_{rs} - \delta_{qr}E_{ps}`.

    Parameters
    ----------
    h_mo : numpy.ndarray
        Core Hamiltonian over the ``n`` spatial molecular orbitals, (n, n).
    eri_mo : numpy.ndarray
        Electron-repulsion tensor ``(pq|rs)`` over the same orbitals, (n, n, n, n).

    Returns
    -------
    numpy.ndarray
        The real :math:`4^n \times 4^n` electronic Hamiltonian (hartree, without the nuclear
        repulsion).

    Raises
    ------
    QuantumError
        If the ``2n`` spin orbitals exceed ``MAX_SPIN_ORBITALS`` (8).

    Examples
    --------
    >>> from workbench.quantum.chem import fermion_hamiltonian, mo_integrals, rhf, sto3g_integrals
    >>> ints = sto3g_integrals([[0, 0, 0], [0, 0, 0.735]])
    >>> import numpy as np
    >>> H = fermion_hamiltonian(*mo_integrals(ints, rhf(ints, 2)["C"]))
    >>> H.shape, round(float(np.linalg.eigvalsh(H)[0]) + ints["nuclear_repulsion"], 4)
    ((16, 16), -1.1373)
    """
    n = len(h_mo)
    if 2 * n > MAX_SPIN_ORBITALS:
        raise QuantumError(
            f"{2 * n} spin orbitals is beyond the exact Fock-space construction "
            f"(at most {MAX_SPIN_ORBITALS}: 4 hydrogen atoms)"
        )
    N = 2 * n
    a = _annihilators(N)
    sp = np.arange(N) % n
    same = (np.arange(N)[:, None] // n) == (np.arange(N)[None, :] // n)
    # spin-orbital integrals: zero unless the spins of (p, q) and of (r, s) agree
    h = np.where(same, h_mo[np.ix_(sp, sp)], 0.0)
    v = eri_mo[np.ix_(sp, sp, sp, sp)] * same[:, :, None, None] * same[None, None, :, :]
    E = np.array([[a[p].T @ a[q] for q in range(N)] for p in range(N)])  # (N, N, dim, dim)
    H = np.einsum("pq,pqij->ij", h - 0.5 * np.einsum("prrs->ps", v), E)
    W = np.einsum("pqrs,rsij->pqij", v, E)
    H += 0.5 * np.einsum("pqij,pqjk->ik", E, W)
    return H


def pauli_decompose(matrix: np.ndarray, tol: float = 1e-12) -> dict:
    """Expand a 2**n x 2**n Hermitian matrix in Pauli strings: {label: coefficient}, labels in
    Qiskit's order (leftmost character = highest qubit), coefficients below ``tol`` dropped.

    Parameters
    ----------
    matrix : array_like
        A Hermitian :math:`2^n \\times 2^n` matrix of finite numbers, :math:`1 \\le n \\le 12`.
    tol : float, default 1e-12
        Coefficients of magnitude at most ``tol`` are left out.

    Returns
    -------
    dict
        Pauli label (``n`` characters from I, X, Y, Z) -> real coefficient
        :math:`\\mathrm{tr}(PH)/2^n`, sorted by label.

    Raises
    ------
    QuantumError
        If ``matrix`` is not a square numeric matrix of size :math:`2^n` with :math:`1 \\le n \\le 12`,
        holds NaN or infinite entries, or is not Hermitian (a coefficient has an imaginary part).

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.quantum import pauli_decompose
    >>> pauli_decompose(np.diag([1.0, -1.0]))
    {'Z': 1.0}
    >>> pauli_decompose([[1, 1], [1, -1]])
    {'X': 1.0, 'Z': 1.0}
    """
    try:
        m = np.asarray(matrix, dtype=complex)
    except (TypeError, ValueError):
        raise QuantumError(f"need a square numeric matrix of size 2**n, got {type(matrix).__name__}") from None
    dim = m.shape[0] if m.ndim == 2 else 0
    n = dim.bit_length() - 1
    if m.ndim != 2 or m.shape != (dim, dim) or dim < 2 or dim != 1 << n or n > 12:
        raise QuantumError(f"need a square matrix of size 2**n with 1 <= n <= 12, got shape {m.shape}")
    if not np.isfinite(m).all():
        raise QuantumError("the matrix holds NaN or infinite entries")
    k = np.arange(dim)
    par = np.array([bin(int(x)).count("1") & 1 for x in range(dim)])
    out = {}
    for x in range(dim):
        for z in range(dim):
            ny = bin(x & z).count("1")
            # tr(P H) with P|k> = i^ny (-1)^{|k & z|} |k ^ x>
            c = (1j**ny) * np.sum((-1.0) ** par[k & z] * m[k, k ^ x]) / dim
            if abs(c) > tol:
                if abs(c.imag) > 1e-9:
                    raise QuantumError("the matrix is not Hermitian (a Pauli coefficient is complex)")
                label = "".join(
                    "Y" if (x >> q) & (z >> q) & 1 else "X" if (x >> q) & 1 else "Z" if (z >> q) & 1 else "I"
                    for q in reversed(range(n))
                )
                out[label] = float(c.real)
    return dict(sorted(out.items()))


def _parity_reduced(H: np.ndarray, n: int, n_alpha: int, n_beta: int) -> np.ndarray:
    """The parity mapping (qubit j = parity of spin orbitals 0..j) with the two conserved parities
    (qubit n-1: spin-up electrons, qubit 2n-1: all electrons) fixed and removed."""
    N = 2 * n
    k = np.arange(1 << N)
    pk = np.zeros_like(k)
    acc = np.zeros_like(k)
    for j in range(N):
        acc ^= (k >> j) & 1
        pk |= acc << j
    Hp = np.empty_like(H)
    Hp[np.ix_(pk, pk)] = H
    keep = [j for j in range(N) if j not in (n - 1, N - 1)]
    sector = [
        i for i in range(1 << N) if (i >> (n - 1)) & 1 == n_alpha % 2 and (i >> (N - 1)) & 1 == (n_alpha + n_beta) % 2
    ]
    # order the sector by the remaining qubits (little-endian)
    sector.sort(key=lambda i: sum(((i >> q) & 1) << b for b, q in enumerate(keep)))
    return Hp[np.ix_(sector, sector)]


def hydrogen_hamiltonian(positions, *, form: str = "jordan_wigner", n_electrons: int | None = None) -> dict:
    """The qubit Hamiltonian of hydrogen nuclei at ``positions`` (Angstrom), STO-3G, RHF orbitals.

    ``form``: "jordan_wigner" (2n qubits for n atoms) or "parity" (two qubits fewer; needs an even
    number of electrons, split equally between the spins). Returns a dict like
    :func:`~workbench.quantum.vqe.load_h2`: ``hamiltonian`` (label -> coefficient, electronic),
    ``nuclear_repulsion``, ``E_HF_total``, ``E_FCI_total`` (exact: the lowest energy with
    ``n_electrons / 2`` electrons of each spin), ``n_qubits`` and ``scf`` (see :func:`rhf`).

    Parameters
    ----------
    positions : array_like
        Coordinates of 1 to 4 hydrogen nuclei, shape (atoms, 3), in Angstrom.
    form : {"jordan_wigner", "parity"}, default "jordan_wigner"
        The fermion-to-qubit mapping.
    n_electrons : int or None, default None
        Electrons (even, >= 2); ``None`` means one per atom.

    Returns
    -------
    dict
        ``"hamiltonian"`` (Pauli label -> coefficient, electronic, hartree), ``"nuclear_repulsion"``,
        ``"E_HF_total"`` and ``"E_FCI_total"`` (hartree, nuclear repulsion included), ``"n_qubits"``
        and ``"scf"`` (the :func:`rhf` dict).

    Raises
    ------
    QuantumError
        If ``form`` is unknown; ``positions`` is not an (atoms, 3) array of finite numbers, has two
        coinciding nuclei or more than 4 atoms; or the number of electrons is odd, below 2 or too
        many for the orbitals (with the default, an odd number of atoms).

    See Also
    --------
    h2_hamiltonian : The same for H2 at one bond length.

    Examples
    --------
    >>> from workbench.quantum import hydrogen_hamiltonian
    >>> h3 = hydrogen_hamiltonian([[0, 0, 0], [0.99, 0, 0], [0.495, 0.857, 0]], n_electrons=2)  # H3+
    >>> h3["n_qubits"], round(h3["E_FCI_total"], 4)
    (6, -1.2744)
    """
    if form not in ("jordan_wigner", "parity"):
        raise QuantumError(f"form must be 'jordan_wigner' or 'parity', got {form!r}")
    n = len(_coords(positions))
    if 2 * n > MAX_SPIN_ORBITALS:
        raise QuantumError(
            f"{n} atoms need {2 * n} spin orbitals; the exact construction handles at most "
            f"{MAX_SPIN_ORBITALS // 2} hydrogen atoms"
        )
    ints = sto3g_integrals(positions)
    ne = n if n_electrons is None else n_electrons
    scf = rhf(ints, ne)
    h_mo, eri_mo = mo_integrals(ints, scf["C"])
    H = fermion_hamiltonian(h_mo, eri_mo)
    na = nb = ne // 2
    k = np.arange(1 << 2 * n)
    up = np.array([bin(int(x) & ((1 << n) - 1)).count("1") for x in k])
    down = np.array([bin(int(x) >> n).count("1") for x in k])
    sec = np.flatnonzero((up == na) & (down == nb))
    e_fci = float(np.linalg.eigvalsh(H[np.ix_(sec, sec)])[0])
    hf = sum(1 << i for i in range(na)) | sum(1 << (n + i) for i in range(nb))
    Hq = H if form == "jordan_wigner" else _parity_reduced(H, n, na, nb)
    terms = pauli_decompose(Hq)
    enuc = ints["nuclear_repulsion"]
    return {
        "hamiltonian": terms,
        "nuclear_repulsion": enuc,
        "E_HF_total": float(H[hf, hf]) + enuc,
        "E_FCI_total": e_fci + enuc,
        "n_qubits": len(next(iter(terms))),
        "scf": scf,
    }


def h2_hamiltonian(bond_length: float = 0.735, form: str = "parity") -> dict:
    """H2 at ``bond_length`` Angstrom (STO-3G): see :func:`hydrogen_hamiltonian`.

    Parameters
    ----------
    bond_length : float, default 0.735
        Distance between the nuclei in Angstrom, in [0.05, 20].
    form : {"parity", "jordan_wigner"}, default "parity"
        The fermion-to-qubit mapping: 2 qubits (parity) or 4 (Jordan-Wigner).

    Returns
    -------
    dict
        As :func:`hydrogen_hamiltonian`: ``"hamiltonian"``, ``"nuclear_repulsion"``,
        ``"E_HF_total"``, ``"E_FCI_total"``, ``"n_qubits"`` and ``"scf"``.

    Raises
    ------
    QuantumError
        If ``bond_length`` is not a number in [0.05, 20] or ``form`` is unknown.

    Examples
    --------
    >>> from workbench.quantum import h2_hamiltonian
    >>> h = h2_hamiltonian(0.735)
    >>> h["n_qubits"], round(h["E_FCI_total"], 5), round(h["hamiltonian"]["XX"], 5)
    (2, -1.13731, 0.18093)
    """
    check_real("bond_length", bond_length, minimum=0.05, maximum=20.0, error=QuantumError)
    return hydrogen_hamiltonian([[0.0, 0.0, 0.0], [0.0, 0.0, float(bond_length)]], form=form)


def dissociation_curve(
    bond_lengths=None, *, vqe: bool = True, seed=0, restarts: int = 2, progress: bool = False
) -> pd.DataFrame:
    """Energy of H2 against bond length: Hartree-Fock, exact (FCI) and, with ``vqe``, the VQE
    energy of the two-qubit parity Hamiltonian (hardware-efficient RY ansatz).

    Returns a tidy frame: ``bond_length`` (Angstrom, sorted), ``method`` ("HF", "FCI", "VQE"),
    ``energy`` (total, Hartree) and ``error`` (against FCI; chemical accuracy is 1.6 mHa).

    Parameters
    ----------
    bond_lengths : array_like or None, default None
        Bond lengths in Angstrom, each in [0.05, 20] (duplicates run once); ``None`` means
        ``np.round(np.linspace(0.3, 3.0, 28), 3)``, 0.3 to 3.0 Angstrom in steps of 0.1.
    vqe : bool, default True
        Also run :func:`~workbench.quantum.vqe.vqe` at each bond length.
    seed : int, numpy.random.Generator or None, default 0
        Seed of the random stream of the VQE starts; the same seed gives the same result.
    restarts : int, default 2
        Random starts of each VQE run, >= 1.
    progress : bool, default False
        Show a ``tqdm`` progress bar over the bond lengths.

    Returns
    -------
    pandas.DataFrame
        Columns ``bond_length``, ``method``, ``energy`` and ``error`` (``energy`` minus the FCI
        energy at that bond length, hartree), one row per bond length and method.

    Raises
    ------
    QuantumError
        If ``bond_lengths`` is not a non-empty 1-d list of numbers, a bond length is not in
        [0.05, 20], or ``restarts`` is not an integer in [1, 10000] (with ``vqe``).
    QuantumError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    Examples
    --------
    >>> from workbench.quantum import dissociation_curve
    >>> df = dissociation_curve([0.5, 0.735, 2.0], vqe=False)
    >>> df.pivot(index="bond_length", columns="method", values="energy").round(4)["FCI"].tolist()
    [-1.0552, -1.1373, -0.9486]
    """
    from .vqe import vqe as run_vqe

    if bond_lengths is None:
        bond_lengths = np.round(np.linspace(0.3, 3.0, 28), 3)
    try:
        lengths = np.asarray(bond_lengths, dtype=float)
    except (TypeError, ValueError):
        raise QuantumError(f"bond_lengths must be a list of numbers in Angstrom, got {bond_lengths!r}") from None
    if lengths.ndim != 1 or lengths.size == 0:
        raise QuantumError(f"bond_lengths must be a non-empty 1-d list of numbers, got shape {lengths.shape}")
    rows = []
    it = [float(x) for x in np.unique(lengths)]  # sorted, each once
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(it, desc="H2 bond lengths", unit="geometry")
    rng = make_rng(seed, error=QuantumError)
    for R in it:
        h = h2_hamiltonian(R, form="parity")
        fci = h["E_FCI_total"]
        rows.append((float(R), "HF", h["E_HF_total"]))
        rows.append((float(R), "FCI", fci))
        if vqe:
            r = run_vqe(h["hamiltonian"], offset=h["nuclear_repulsion"], restarts=restarts, seed=rng)
            rows.append((float(R), "VQE", r.energy))
    df = pd.DataFrame(rows, columns=["bond_length", "method", "energy"])
    exact = df[df.method == "FCI"].set_index("bond_length")["energy"]
    df["error"] = df["energy"] - df["bond_length"].map(exact)
    return df
