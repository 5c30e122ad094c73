"""Stim's gate set as data: names, aliases, arities and the Clifford conjugation tables.

Each unitary Clifford gate is defined by where it sends the Pauli generators (its stabilizer tableau), written
as in Stim's gate reference: a one-qubit gate by the images of X and Z, a two-qubit gate by the images of
``X_``, ``_X``, ``Z_``, ``_Z``. From those the module derives, for every local Pauli (4 for one qubit, 16 for two),
the image Pauli and its sign; the frame sampler uses the bits and the tableau simulator uses the bits and the
sign. ``tests/test_stabilizer.py`` checks every table against Stim's own ``gate_data`` and, for the gates that
the state-vector simulator also has, against their matrices.
"""

from __future__ import annotations

import numpy as np

# name: (images of X per qubit, images of Z per qubit)
CLIFFORD_1 = {
    "I": ("+X", "+Z"),
    "X": ("+X", "-Z"),
    "Y": ("-X", "-Z"),
    "Z": ("-X", "+Z"),
    "H": ("+Z", "+X"),
    "H_XY": ("+Y", "-Z"),
    "H_YZ": ("-X", "+Y"),
    "H_NXY": ("-Y", "-Z"),
    "H_NXZ": ("-Z", "-X"),
    "H_NYZ": ("-X", "-Y"),
    "S": ("+Y", "+Z"),
    "S_DAG": ("-Y", "+Z"),
    "SQRT_X": ("+X", "-Y"),
    "SQRT_X_DAG": ("+X", "+Y"),
    "SQRT_Y": ("-Z", "+X"),
    "SQRT_Y_DAG": ("+Z", "-X"),
    "C_XYZ": ("+Y", "+X"),
    "C_ZYX": ("+Z", "+Y"),
    "C_NXYZ": ("-Y", "-X"),
    "C_XNYZ": ("-Y", "+X"),
    "C_XYNZ": ("+Y", "-X"),
    "C_NZYX": ("-Z", "-Y"),
    "C_ZNYX": ("+Z", "-Y"),
    "C_ZYNX": ("-Z", "+Y"),
}
CLIFFORD_2 = {
    "CX": (("+XX", "+_X"), ("+Z_", "+ZZ")),
    "CY": (("+XY", "+ZX"), ("+Z_", "+ZZ")),
    "CZ": (("+XZ", "+ZX"), ("+Z_", "+_Z")),
    "XCX": (("+X_", "+_X"), ("+ZX", "+XZ")),
    "XCY": (("+X_", "+XX"), ("+ZY", "+XZ")),
    "XCZ": (("+X_", "+XX"), ("+ZZ", "+_Z")),
    "YCX": (("+XX", "+_X"), ("+ZX", "+YZ")),
    "YCY": (("+XY", "+YX"), ("+ZY", "+YZ")),
    "YCZ": (("+XZ", "+YX"), ("+ZZ", "+_Z")),
    "SWAP": (("+_X", "+X_"), ("+_Z", "+Z_")),
    "ISWAP": (("+ZY", "+YZ"), ("+_Z", "+Z_")),
    "ISWAP_DAG": (("-ZY", "-YZ"), ("+_Z", "+Z_")),
    "SQRT_XX": (("+X_", "+_X"), ("-YX", "-XY")),
    "SQRT_XX_DAG": (("+X_", "+_X"), ("+YX", "+XY")),
    "SQRT_YY": (("-ZY", "-YZ"), ("+XY", "+YX")),
    "SQRT_YY_DAG": (("+ZY", "+YZ"), ("-XY", "-YX")),
    "SQRT_ZZ": (("+YZ", "+ZY"), ("+Z_", "+_Z")),
    "SQRT_ZZ_DAG": (("-YZ", "-ZY"), ("+Z_", "+_Z")),
    "CXSWAP": (("+XX", "+X_"), ("+_Z", "+ZZ")),
    "SWAPCX": (("+_X", "+XX"), ("+ZZ", "+Z_")),
    "CZSWAP": (("+ZX", "+XZ"), ("+_Z", "+Z_")),
    "II": (("+X_", "+_X"), ("+Z_", "+_Z")),
}
ALIASES = {
    "H_XZ": "H",
    "SQRT_Z": "S",
    "SQRT_Z_DAG": "S_DAG",
    "CNOT": "CX",
    "ZCX": "CX",
    "ZCY": "CY",
    "ZCZ": "CZ",
    "SWAPCZ": "CZSWAP",
    "MZ": "M",
    "RZ": "R",
    "MRZ": "MR",
    "CORRELATED_ERROR": "E",
}
# measurement and reset gates: name -> (basis, measures, resets)
COLLAPSING = {
    "M": ("Z", True, False),
    "MX": ("X", True, False),
    "MY": ("Y", True, False),
    "R": ("Z", False, True),
    "RX": ("X", False, True),
    "RY": ("Y", False, True),
    "MR": ("Z", True, True),
    "MRX": ("X", True, True),
    "MRY": ("Y", True, True),
}
PAIR_MEASUREMENTS = {"MXX": "X", "MYY": "Y", "MZZ": "Z"}
# noise channels: name -> (targets per group, number of arguments)
NOISE = {
    "X_ERROR": (1, 1),
    "Y_ERROR": (1, 1),
    "Z_ERROR": (1, 1),
    "DEPOLARIZE1": (1, 1),
    "DEPOLARIZE2": (2, 1),
    "PAULI_CHANNEL_1": (1, 3),
    "PAULI_CHANNEL_2": (2, 15),
    "E": (0, 1),
    "ELSE_CORRELATED_ERROR": (0, 1),
    "I_ERROR": (1, -1),
    "II_ERROR": (2, -1),
}
ANNOTATIONS = {"DETECTOR", "OBSERVABLE_INCLUDE", "QUBIT_COORDS", "SHIFT_COORDS", "TICK", "MPAD", "MPP", "REPEAT"}
# Stim names the workbench reads but cannot simulate (heralded erasure needs a heralding record per shot)
UNSUPPORTED = {"HERALDED_ERASE", "HERALDED_PAULI_CHANNEL_1", "SPP", "SPP_DAG"}
# the order of PAULI_CHANNEL_2's fifteen arguments (and of DEPOLARIZE2's components): IX, IY, IZ, XI, XX, ...
PAIR_PAULIS = [(a, b) for a in "IXYZ" for b in "IXYZ"][1:]

_BITS = {"I": (0, 0), "_": (0, 0), "X": (1, 0), "Y": (1, 1), "Z": (0, 1)}
PAULI_CODE = {"I": 0, "X": 1, "Y": 3, "Z": 2}  # code = x + 2 z


def canonical(name: str) -> str:
    """The canonical Stim name for ``name`` (upper case, aliases resolved)."""
    upper = name.upper()
    return ALIASES.get(upper, upper)


def _parse(pauli: str):
    """'+XZ' -> (phase exponent of i, x bits, z bits) in the X^x Z^z form."""
    sign = 2 if pauli[0] == "-" else 0
    body = pauli[1:]
    x = np.array([_BITS[c][0] for c in body], dtype=np.int64)
    z = np.array([_BITS[c][1] for c in body], dtype=np.int64)
    # a Hermitian Y is i X Z, so each Y adds one factor of i in the X^x Z^z form
    return (sign + int(np.sum(x & z))) % 4, x, z


def _mul(a, b):
    """Product of two Paulis in the i^e X^x Z^z form."""
    e1, x1, z1 = a
    e2, x2, z2 = b
    return (e1 + e2 + 2 * int(np.sum(z1 & x2))) % 4, x1 ^ x2, z1 ^ z2


def _hermitian_sign(p) -> int:
    """0 for +, 1 for - of a Hermitian Pauli given in the i^e X^x Z^z form."""
    e, x, z = p
    e = (e - int(np.sum(x & z))) % 4
    if e % 2:
        raise AssertionError("not a Hermitian Pauli")
    return e // 2


def _table(x_images: list[str], z_images: list[str]):
    """For each local Pauli (code sum_k (x_k + 2 z_k) 4^k), its image's x bits, z bits and sign bit."""
    n = len(x_images)
    gens = [(_parse(x_images[k]), _parse(z_images[k])) for k in range(n)]
    rows = []
    for code in range(4**n):
        digits = [(code >> (2 * k)) & 3 for k in range(n)]
        acc = (0, np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64))
        phase = 0
        for k, d in enumerate(digits):
            xk, zk = d & 1, d >> 1
            phase += xk & zk
            if xk:
                acc = _mul(acc, gens[k][0])
            if zk:
                acc = _mul(acc, gens[k][1])
        acc = ((acc[0] + phase) % 4, acc[1], acc[2])
        out = sum((int(acc[1][k]) + 2 * int(acc[2][k])) << (2 * k) for k in range(n))
        rows.append((out, _hermitian_sign(acc)))
    return np.array(rows, dtype=np.int64)


def tables():
    """Name -> (arity, table) with ``table[code] = (image code, sign bit)`` for every unitary Clifford gate."""
    out = {}
    for name, (xi, zi) in CLIFFORD_1.items():
        out[name] = (1, _table([xi], [zi]))
    for name, (xi, zi) in CLIFFORD_2.items():
        out[name] = (2, _table(list(xi), list(zi)))
    return out


TABLES = tables()
GATE_INDEX = {name: i for i, name in enumerate(TABLES)}
# all tables padded into one array for the kernels: [gate, 16, 2]
TABLE_ARRAY = np.zeros((len(TABLES), 16, 2), dtype=np.int64)
for _name, (_arity, _t) in TABLES.items():
    TABLE_ARRAY[GATE_INDEX[_name], : len(_t)] = _t
ARITY = {name: arity for name, (arity, _) in TABLES.items()}
KNOWN = set(TABLES) | set(COLLAPSING) | set(PAIR_MEASUREMENTS) | set(NOISE) | ANNOTATIONS
