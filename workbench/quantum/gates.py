r"""The gate library: names, arities, parameters and matrices, in Qiskit's conventions.

Qubit order is little-endian, as in Qiskit: in a gate on qubits ``(q0, q1, ...)`` the matrix
index bit ``b`` is the state of ``q_b``, so ``cx`` on ``(control, target)`` is

.. math::

    \mathrm{CX} = |0\rangle\langle 0|_c \otimes I + |1\rangle\langle 1|_c \otimes X
    = \begin{pmatrix} 1&0&0&0\\ 0&0&0&1\\ 0&0&1&0\\ 0&1&0&0 \end{pmatrix}.

Controlled gates list their controls first. Rotations follow Qiskit's definitions, e.g.
:math:`R_z(\theta) = \mathrm{diag}(e^{-i\theta/2}, e^{i\theta/2})` and
:math:`U(\theta, \phi, \lambda) = \begin{pmatrix} \cos\frac\theta2 & -e^{i\lambda}\sin\frac\theta2 \\
e^{i\phi}\sin\frac\theta2 & e^{i(\phi+\lambda)}\cos\frac\theta2 \end{pmatrix}`.
The tests compare every matrix here with ``qiskit.circuit.library``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["GateSpec", "GATES", "controlled", "gate_matrix"]

_S2 = 1 / np.sqrt(2)


def _c(a):
    return np.asarray(a, dtype=np.complex128)


def _rx(t):
    c, s = np.cos(t / 2), np.sin(t / 2)
    return _c([[c, -1j * s], [-1j * s, c]])


def _ry(t):
    c, s = np.cos(t / 2), np.sin(t / 2)
    return _c([[c, -s], [s, c]])


def _rz(t):
    return _c([[np.exp(-0.5j * t), 0], [0, np.exp(0.5j * t)]])


def _p(lam):
    return _c([[1, 0], [0, np.exp(1j * lam)]])


def _u(t, phi, lam):
    c, s = np.cos(t / 2), np.sin(t / 2)
    return _c([[c, -np.exp(1j * lam) * s], [np.exp(1j * phi) * s, np.exp(1j * (phi + lam)) * c]])


def controlled(base: np.ndarray, n_controls: int = 1) -> np.ndarray:
    """The matrix of ``base`` controlled on ``n_controls`` qubits (controls are the low bits).

    Parameters
    ----------
    base : array_like
        A square matrix of side ``d`` (``2**k`` for ``k`` target qubits), applied when every control reads 1.
    n_controls : int, default 1
        Number of control qubits (>= 0; 0 returns ``base`` as a complex array).

    Returns
    -------
    numpy.ndarray
        A complex128 matrix of side ``d * 2**n_controls``: the identity except on the indices whose
        ``n_controls`` low bits are all 1, where it is ``base``.

    Examples
    --------
    >>> X = np.array([[0, 1], [1, 0]])
    >>> controlled(X).real.astype(int).tolist()
    [[1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0]]
    """
    base = np.asarray(base, dtype=np.complex128)
    dt = base.shape[0]
    dc = 1 << n_controls
    out = np.eye(dt * dc, dtype=np.complex128)
    on = np.arange(dt) * dc + (dc - 1)  # indices with every control bit set
    out[np.ix_(on, on)] = base
    return out


def _two(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a`` on local qubit 0, ``b`` on local qubit 1 (little-endian kron)."""
    return np.kron(b, a)


_X = _c([[0, 1], [1, 0]])
_Y = _c([[0, -1j], [1j, 0]])
_Z = _c([[1, 0], [0, -1]])
_H = _c([[_S2, _S2], [_S2, -_S2]])
_SX = 0.5 * _c([[1 + 1j, 1 - 1j], [1 - 1j, 1 + 1j]])


def _rxx(t):
    return _expm_pauli(t, _two(_X, _X))


def _ryy(t):
    return _expm_pauli(t, _two(_Y, _Y))


def _rzz(t):
    return _expm_pauli(t, _two(_Z, _Z))


def _rzx(t):  # Qiskit: Z on the first qubit, X on the second
    return _expm_pauli(t, _two(_Z, _X))


def _expm_pauli(t, P):
    """exp(-i t/2 P) for a Pauli product P (P^2 = I)."""
    return np.cos(t / 2) * np.eye(P.shape[0]) - 1j * np.sin(t / 2) * P


_SWAP = _c([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]])
_ISWAP = _c([[1, 0, 0, 0], [0, 0, 1j, 0], [0, 1j, 0, 0], [0, 0, 0, 1]])


@dataclass(frozen=True)
class GateSpec:
    """A named gate: qubit count, parameter count, matrix builder and whether it is diagonal.

    The entries of :data:`GATES`; frozen.

    Parameters
    ----------
    name : str
        The gate's name, as in :data:`GATES` and Qiskit.
    n_qubits : int
        Qubits it acts on, controls included.
    n_params : int
        Angles it takes (radians).
    build : callable
        ``build(*params)`` returns the full complex matrix, ``2**n_qubits`` square, little-endian.
    diagonal : bool, default False
        Whether the matrix is diagonal for every angle.
    n_controls : int, default 0
        Leading control qubits (for the controlled kernel on big gates).
    base : callable or None, default None
        ``base(*params)`` returns the target matrix of a controlled gate (without the controls).

    Examples
    --------
    >>> from workbench.quantum import GATES
    >>> spec = GATES["crz"]
    >>> spec.n_qubits, spec.n_params, spec.n_controls, spec.diagonal
    (2, 1, 1, True)
    """

    name: str
    n_qubits: int
    n_params: int
    build: Callable[..., np.ndarray]
    diagonal: bool = False
    n_controls: int = 0  # leading control qubits (for the controlled kernel on big gates)
    base: Callable[..., np.ndarray] | None = None  # the target matrix of a controlled gate

    def matrix(self, *params) -> np.ndarray:
        """The gate's full matrix for the given angles (calls ``build``).

        Parameters
        ----------
        *params : float
            The ``n_params`` angles in radians.

        Returns
        -------
        numpy.ndarray
            The complex ``2**n_qubits x 2**n_qubits`` matrix, little-endian, controls as the low bits. A gate
            without angles returns one shared read-only array (copy it to change it).
        """
        return self.build(*params)


def _spec(name, nq, npar, build, diagonal=False, n_controls=0, base=None):
    return name, GateSpec(name, nq, npar, build, diagonal, n_controls, base)


def _const(m):
    m.setflags(write=False)  # shared by every call: read-only from the start, not after first use
    return lambda: m


GATES: dict[str, GateSpec] = dict(
    [
        _spec("id", 1, 0, _const(np.eye(2, dtype=np.complex128)), True),
        _spec("x", 1, 0, _const(_X)),
        _spec("y", 1, 0, _const(_Y)),
        _spec("z", 1, 0, _const(_Z), True),
        _spec("h", 1, 0, _const(_H)),
        _spec("s", 1, 0, _const(_p(np.pi / 2)), True),
        _spec("sdg", 1, 0, _const(_p(-np.pi / 2)), True),
        _spec("t", 1, 0, _const(_p(np.pi / 4)), True),
        _spec("tdg", 1, 0, _const(_p(-np.pi / 4)), True),
        _spec("sx", 1, 0, _const(_SX)),
        _spec("sxdg", 1, 0, _const(_SX.conj().T)),
        _spec("rx", 1, 1, _rx),
        _spec("ry", 1, 1, _ry),
        _spec("rz", 1, 1, _rz, True),
        _spec("p", 1, 1, _p, True),
        _spec("u1", 1, 1, _p, True),
        _spec("u2", 1, 2, lambda phi, lam: _u(np.pi / 2, phi, lam)),
        _spec("u", 1, 3, _u),
        _spec("u3", 1, 3, _u),
        _spec("cx", 2, 0, _const(controlled(_X)), n_controls=1, base=_const(_X)),
        _spec("cy", 2, 0, _const(controlled(_Y)), n_controls=1, base=_const(_Y)),
        _spec("cz", 2, 0, _const(controlled(_Z)), True, n_controls=1, base=_const(_Z)),
        _spec("ch", 2, 0, _const(controlled(_H)), n_controls=1, base=_const(_H)),
        _spec("csx", 2, 0, _const(controlled(_SX)), n_controls=1, base=_const(_SX)),
        _spec("crx", 2, 1, lambda t: controlled(_rx(t)), n_controls=1, base=_rx),
        _spec("cry", 2, 1, lambda t: controlled(_ry(t)), n_controls=1, base=_ry),
        _spec("crz", 2, 1, lambda t: controlled(_rz(t)), True, n_controls=1, base=_rz),
        _spec("cp", 2, 1, lambda t: controlled(_p(t)), True, n_controls=1, base=_p),
        _spec("cu1", 2, 1, lambda t: controlled(_p(t)), True, n_controls=1, base=_p),
        _spec("cu3", 2, 3, lambda t, f, l: controlled(_u(t, f, l)), n_controls=1, base=_u),
        _spec(
            "cu",
            2,
            4,
            lambda t, f, l, g: controlled(np.exp(1j * g) * _u(t, f, l)),
            n_controls=1,
            base=lambda t, f, l, g: np.exp(1j * g) * _u(t, f, l),
        ),
        _spec("swap", 2, 0, _const(_SWAP)),
        _spec("iswap", 2, 0, _const(_ISWAP)),
        _spec("rxx", 2, 1, _rxx),
        _spec("ryy", 2, 1, _ryy),
        _spec("rzz", 2, 1, _rzz, True),
        _spec("rzx", 2, 1, _rzx),
        _spec("ccx", 3, 0, _const(controlled(_X, 2)), n_controls=2, base=_const(_X)),
        _spec("ccz", 3, 0, _const(controlled(_Z, 2)), True, n_controls=2, base=_const(_Z)),
        _spec("cswap", 3, 0, _const(controlled(_SWAP)), n_controls=1, base=_const(_SWAP)),
    ]
)


def gate_matrix(name: str, *params) -> np.ndarray:
    """The matrix of a named gate (little-endian over its qubits, controls first).

    Parameters
    ----------
    name : str
        A key of :data:`GATES`.
    *params : float
        The gate's angles in radians, as many as it takes.

    Returns
    -------
    numpy.ndarray
        The complex ``2**n x 2**n`` matrix for the gate's ``n`` qubits (for a gate without angles, one
        read-only array shared by every call: copy it to change it).

    Raises
    ------
    UnknownNameError
        If ``name`` is not a key of :data:`GATES`.
    WorkbenchError
        If the number of angles is not the gate's, or an angle is not a finite number.

    Examples
    --------
    >>> gate_matrix("rz", np.pi).round(6).tolist()
    [[-1j, 0j], [0j, 1j]]
    """
    from ..errors import Real, WorkbenchError, check, unknown_name

    if name not in GATES:
        raise unknown_name("gate", name, GATES)
    spec = GATES[name]
    if len(params) != spec.n_params:
        raise WorkbenchError(f"gate {name} takes {spec.n_params} angle(s), got {len(params)}")
    return spec.matrix(*(check(f"gate {name}: angle", p, Real(), WorkbenchError) for p in params))
