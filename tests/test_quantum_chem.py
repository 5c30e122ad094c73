"""Molecular Hamiltonians (workbench.quantum.chem) against PySCF, the shipped PySCF Hamiltonian, Szabo &
Ostlund's textbook numbers for H2 at 1.4 bohr, Qiskit's Pauli expansion and a naive Fock-space build."""

import itertools

import numpy as np
import pytest

from workbench import quantum as Q
from workbench.quantum import chem

B = chem.BOHR_ANGSTROM
H2_14 = [[0, 0, 0], [0, 0, 1.4 * B]]  # Szabo & Ostlund's H2, R = 1.4 bohr


def test_textbook_integrals_h2_at_1p4_bohr():
    """Szabo & Ostlund, Modern Quantum Chemistry, section 3.5.2 (STO-3G H2, R = 1.4 a.u.)."""
    ints = chem.sto3g_integrals(H2_14)
    assert ints["S"][0, 1] == pytest.approx(0.6593, abs=1e-4)
    assert ints["T"][0, 0] == pytest.approx(0.7600, abs=1e-4)
    assert ints["T"][0, 1] == pytest.approx(0.2365, abs=1e-4)
    assert ints["h"][0, 0] == pytest.approx(-1.1204, abs=1e-4)
    assert ints["h"][0, 1] == pytest.approx(-0.9584, abs=1e-4)
    e = ints["eri"]
    assert e[0, 0, 0, 0] == pytest.approx(0.7746, abs=1e-4)
    assert e[0, 0, 1, 1] == pytest.approx(0.5697, abs=1e-4)
    assert e[1, 0, 0, 0] == pytest.approx(0.4441, abs=1e-4)
    assert e[1, 0, 1, 0] == pytest.approx(0.2970, abs=1e-4)
    # eightfold permutational symmetry of real orbitals
    for p in itertools.product(range(2), repeat=4):
        i, j, k, l = p
        assert np.isclose(e[i, j, k, l], e[j, i, k, l]) and np.isclose(e[i, j, k, l], e[k, l, i, j])
    assert ints["nuclear_repulsion"] == pytest.approx(1 / 1.4)
    scf = chem.rhf(ints, 2)
    assert scf["orbital_energies"] == pytest.approx([-0.5782, 0.6703], abs=1e-4)
    assert scf["E_total"] == pytest.approx(-1.1167, abs=1e-4)
    h, g = chem.mo_integrals(ints, scf["C"])
    assert [g[0, 0, 0, 0], g[0, 0, 1, 1], g[1, 1, 1, 1], g[0, 1, 0, 1]] == pytest.approx(
        [0.6746, 0.6636, 0.6975, 0.1813], abs=1e-4
    )  # J11, J12, J22, K12
    # minimal-basis CI: the 2x2 matrix over the two doubly occupied determinants (S&O eq. 4.17)
    e_hf = 2 * h[0, 0] + g[0, 0, 0, 0]
    ci = np.array([[e_hf, g[0, 1, 0, 1]], [g[0, 1, 0, 1], 2 * h[1, 1] + g[1, 1, 1, 1]]])
    e_ci = np.linalg.eigvalsh(ci)[0]
    assert e_ci - e_hf == pytest.approx(-0.0206, abs=1e-4)  # S&O's correlation energy
    full = chem.hydrogen_hamiltonian(H2_14)
    assert full["E_FCI_total"] == pytest.approx(e_ci + 1 / 1.4, abs=1e-12)
    assert full["E_HF_total"] == pytest.approx(scf["E_total"], abs=1e-12)


@pytest.mark.parametrize("form,key", [("jordan_wigner", "jordan_wigner_4q"), ("parity", "parity_2q")])
def test_h2_at_0p735_equals_the_shipped_pyscf_hamiltonian(form, key):
    ours = Q.h2_hamiltonian(0.735, form)
    ref = Q.load_h2(key)
    assert set(ours["hamiltonian"]) == set(ref["hamiltonian"])
    for label, c in ref["hamiltonian"].items():
        assert ours["hamiltonian"][label] == pytest.approx(c, abs=1e-10), label
    assert ours["nuclear_repulsion"] == pytest.approx(ref["nuclear_repulsion"], abs=1e-12)
    assert ours["E_FCI_total"] == pytest.approx(ref["E_FCI_total"], abs=1e-10)
    assert ours["E_HF_total"] == pytest.approx(ref["E_HF_total"], abs=1e-10)
    assert Q.ground_energy(ours["hamiltonian"]) + ours["nuclear_repulsion"] == pytest.approx(
        ref["E_FCI_total"], abs=1e-10
    )


GEOMETRIES = [
    ("H2 1.7", [[0, 0, 0], [0, 0, 1.7]], 2, 0),
    ("H3+ triangle", [[0, 0, 0], [0.9, 0, 0], [0.45, 0.78, 0]], 2, 1),
    ("H4 chain", [[0, 0, 0], [0, 0, 0.9], [0, 0, 1.8], [0, 0, 2.7]], 4, 0),
    ("H4 random", [[0.1, 0.2, 0], [0.8, -0.1, 0.3], [0.2, 1.0, 0.5], [1.1, 0.9, -0.2]], 4, 0),
]


@pytest.mark.parametrize("name,atoms,ne,charge", GEOMETRIES, ids=[g[0] for g in GEOMETRIES])
def test_against_pyscf(name, atoms, ne, charge):
    from pyscf import fci, gto, scf

    mol = gto.M(atom=[("H", tuple(p)) for p in atoms], basis="sto-3g", unit="Angstrom", charge=charge, verbose=0)
    mf = scf.RHF(mol).run(conv_tol=1e-12)
    e_fci, _ = fci.FCI(mf).kernel()
    ints = chem.sto3g_integrals(atoms)
    assert np.abs(ints["S"] - mol.intor("int1e_ovlp")).max() < 1e-12
    assert np.abs(ints["T"] - mol.intor("int1e_kin")).max() < 1e-12
    assert np.abs(ints["V"] - mol.intor("int1e_nuc")).max() < 1e-12
    assert np.abs(ints["eri"] - mol.intor("int2e")).max() < 1e-12
    assert ints["nuclear_repulsion"] == pytest.approx(mol.energy_nuc(), abs=1e-12)
    h = chem.hydrogen_hamiltonian(atoms, n_electrons=ne)
    assert h["E_HF_total"] == pytest.approx(mf.e_tot, abs=1e-9)
    assert h["E_FCI_total"] == pytest.approx(e_fci, abs=1e-9)


def _naive_fock_hamiltonian(h_mo, eri_mo):
    """Every term a+_p a+_r a_s a_q multiplied out from Jordan-Wigner matrices built by Kronecker products."""
    n = len(h_mo)
    N = 2 * n
    Z, I2 = np.diag([1.0, -1.0]), np.eye(2)
    lower = np.array([[0.0, 1.0], [0.0, 0.0]])  # |0><1|: empties a mode
    a = []
    for j in range(N):
        m = np.eye(1)
        for q in reversed(range(N)):  # qubit N-1 is the leftmost factor
            m = np.kron(m, Z if q < j else lower if q == j else I2)
        a.append(m)
    H = np.zeros((1 << N, 1 << N))
    spin = lambda p: p // n  # noqa: E731
    for p, q in itertools.product(range(N), repeat=2):
        if spin(p) == spin(q):
            H += h_mo[p % n, q % n] * a[p].T @ a[q]
    for p, q, r, s in itertools.product(range(N), repeat=4):
        if spin(p) == spin(q) and spin(r) == spin(s):
            H += 0.5 * eri_mo[p % n, q % n, r % n, s % n] * a[p].T @ a[r].T @ a[s] @ a[q]
    return H


@pytest.mark.parametrize("atoms", [H2_14, GEOMETRIES[1][1]])
def test_fock_hamiltonian_against_naive_products(atoms):
    ints = chem.sto3g_integrals(atoms)
    scf = chem.rhf(ints, 2)
    h, g = chem.mo_integrals(ints, scf["C"])
    assert np.abs(chem.fermion_hamiltonian(h, g) - _naive_fock_hamiltonian(h, g)).max() < 1e-12


def test_pauli_decompose_against_qiskit():
    from qiskit.quantum_info import Operator, SparsePauliOp

    rng = np.random.default_rng(5)
    for n in (1, 2, 3):
        m = rng.normal(size=(2**n, 2**n)) + 1j * rng.normal(size=(2**n, 2**n))
        m = m + m.conj().T
        ours = chem.pauli_decompose(m)
        ref = {lab: c.real for lab, c in SparsePauliOp.from_operator(Operator(m)).to_list()}
        assert set(ours) == set(ref)
        assert all(ours[k] == pytest.approx(ref[k], abs=1e-12) for k in ref)
        assert Q.ground_energy(ours) == pytest.approx(np.linalg.eigvalsh(m)[0], abs=1e-10)
    with pytest.raises(Q.QuantumError, match="not Hermitian"):
        chem.pauli_decompose(np.array([[0, 1], [0, 0]]))


def test_dissociation_limit_and_hartree_fock_failure():
    """Stretched far apart, H2 is two hydrogen atoms: FCI -> 2 E(H) = 2 (T11 + V11 from its own nucleus), while
    restricted Hartree-Fock keeps half an ionic H+ H- pair and ends far too high (the textbook failure)."""
    ints_atom = chem.sto3g_integrals([[0, 0, 0]])
    e_h = ints_atom["h"][0, 0]
    assert e_h == pytest.approx(-0.46658, abs=1e-5)  # the STO-3G hydrogen atom
    far = Q.h2_hamiltonian(12.0)
    assert far["E_FCI_total"] == pytest.approx(2 * e_h, abs=1e-4)
    assert far["E_HF_total"] - far["E_FCI_total"] > 0.2


def test_dissociation_curve_vqe_within_chemical_accuracy():
    df = Q.dissociation_curve([0.5, 0.735, 1.5, 2.5], seed=3, restarts=2)
    assert set(df.method) == {"HF", "FCI", "VQE"} and len(df) == 12
    wide = df.pivot(index="bond_length", columns="method", values="energy")
    assert (wide.VQE - wide.FCI).abs().max() < Q.CHEMICAL_ACCURACY
    assert (wide.HF >= wide.FCI - 1e-12).all()  # variational: HF is an upper bound
    assert wide.FCI.idxmin() == 0.735 and wide.FCI[0.735] == pytest.approx(-1.137306, abs=1e-6)
    assert df.loc[df.method == "FCI", "error"].abs().max() == 0
    # equilibria: FCI at 0.735 Angstrom (the geometry of the shipped Hamiltonian), Hartree-Fock at 1.346 bohr
    # (Szabo & Ostlund, table 3.7: STO-3G)
    from scipy.optimize import minimize_scalar

    def minimum(key):
        return minimize_scalar(
            lambda x: Q.h2_hamiltonian(x)[key], bounds=(0.6, 0.9), method="bounded", options={"xatol": 1e-6}
        ).x

    assert minimum("E_FCI_total") == pytest.approx(0.735, abs=1e-3)
    assert minimum("E_HF_total") / B == pytest.approx(1.346, abs=1e-3)


def test_bad_input_named_errors():
    with pytest.raises(Q.QuantumError, match="same place"):
        chem.sto3g_integrals([[0, 0, 0], [0, 0, 0]])
    with pytest.raises(Q.QuantumError, match=r"\(atoms, 3\)"):
        chem.sto3g_integrals([0, 0, 1])
    with pytest.raises(Q.QuantumError, match="finite"):
        chem.sto3g_integrals([[0, 0, np.nan]])
    with pytest.raises(Q.QuantumError, match="at most 4 hydrogen"):
        chem.hydrogen_hamiltonian([[0, 0, i] for i in range(5)])
    with pytest.raises(Q.QuantumError, match="even number"):
        chem.hydrogen_hamiltonian([[0, 0, 0], [0, 0, 1], [0, 0, 2]])
    with pytest.raises(Q.QuantumError, match="form"):
        Q.h2_hamiltonian(0.7, "bravyi_kitaev")
    with pytest.raises(Q.QuantumError, match="bond_length"):
        Q.h2_hamiltonian(-1.0)
    with pytest.raises(Q.QuantumError, match="size 2\\*\\*n"):
        chem.pauli_decompose(np.ones((3, 3)))
