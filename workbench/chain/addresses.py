"""Addresses: Bitcoin P2PKH and P2SH multisig (BIP 67 key order), Ethereum with EIP-55 checksums."""

from __future__ import annotations

from ..errors import WorkbenchError, is_int
from .hashes import b58check_decode, b58check_encode, hash160, keccak256

__all__ = [
    "AddressError",
    "to_checksum_address",
    "is_checksum_address",
    "p2pkh_address",
    "multisig_script",
    "p2sh_address",
    "decode_btc_address",
]

_OP_CHECKMULTISIG = 0xAE


class AddressError(WorkbenchError):
    """An address that is malformed or fails its checksum.

    A :class:`~workbench.errors.WorkbenchError` (so a :class:`ValueError`); also raised for a
    multisig script that cannot be built.

    Examples
    --------
    >>> from workbench.chain import AddressError, decode_btc_address
    >>> try:
    ...     decode_btc_address("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMx")
    ... except AddressError as exc:
    ...     print(exc)
    base58check checksum mismatch in a string of 34 characters (a typo?)
    """


def to_checksum_address(address) -> str:
    """EIP-55 mixed-case checksum: a hex letter is upper case when the matching nibble of
    ``keccak256(lowercase_hex)`` is >= 8.

    Parameters
    ----------
    address : str or bytes
        40 hex digits, with or without a ``0x``/``0X`` prefix and in any case, or the 20 raw
        bytes (bytes or bytearray).

    Returns
    -------
    str
        The address as ``0x`` and 40 hex digits in EIP-55 mixed case.

    Raises
    ------
    AddressError
        If ``address`` is bytes of a length other than 20, a str that is not 40 hex digits
        after an optional ``0x``, or neither str nor bytes.

    See Also
    --------
    is_checksum_address : Check a mixed-case address.

    Examples
    --------
    >>> from workbench.chain import to_checksum_address
    >>> to_checksum_address("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'
    """
    if isinstance(address, (bytes, bytearray)):
        if len(address) != 20:
            raise AddressError(f"an Ethereum address is 20 bytes, got {len(address)}")
        hex_ = bytes(address).hex()
    elif isinstance(address, str):
        hex_ = address[2:] if address[:2] in ("0x", "0X") else address
        if len(hex_) != 40 or any(c not in "0123456789abcdefABCDEF" for c in hex_):
            raise AddressError(f"an Ethereum address is 40 hex digits after 0x, got {address!r}")
        hex_ = hex_.lower()
    else:
        raise AddressError(f"an Ethereum address is str or 20 bytes, got {type(address).__name__}")
    digest = keccak256(hex_.encode()).hex()
    return "0x" + "".join(c.upper() if int(d, 16) >= 8 else c for c, d in zip(hex_, digest))


def is_checksum_address(address: str) -> bool:
    """True when ``address`` carries a correct EIP-55 checksum (all-lower/upper do not).

    Parameters
    ----------
    address : str
        The address as written, ``0x`` and 40 hex digits.

    Returns
    -------
    bool
        Whether ``address`` equals its :func:`to_checksum_address` form; False (never an
        error) for anything malformed.

    Examples
    --------
    >>> from workbench.chain import is_checksum_address
    >>> is_checksum_address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    True
    >>> is_checksum_address("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
    False
    """
    try:
        return to_checksum_address(address) == address
    except AddressError:
        return False


def p2pkh_address(public_key_bytes: bytes) -> str:
    """Base58check of ``0x00 || hash160(pubkey)``.

    Parameters
    ----------
    public_key_bytes : bytes
        The SEC-encoded public key: 33 bytes compressed or 65 uncompressed (the two give
        different addresses). Its length is not checked.

    Returns
    -------
    str
        The mainnet pay-to-public-key-hash address (starts with ``1``).

    See Also
    --------
    workbench.chain.PublicKey.btc_address : The same address from a key object.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, p2pkh_address
    >>> p2pkh_address(PrivateKey.from_int(1).public_key.to_bytes())
    '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH'
    """
    return b58check_encode(b"\x00" + hash160(public_key_bytes))


def multisig_script(m: int, public_keys, *, sort: bool = True) -> bytes:
    """The ``m <k1> ... <kn> n OP_CHECKMULTISIG`` redeem script.

    With ``sort`` (BIP 67) keys are ordered by their serialized bytes, so every co-signer
    derives the same script and address whatever order they list the keys in.

    Parameters
    ----------
    m : int
        Signatures required, in ``[1, n]`` for ``n`` keys.
    public_keys : iterable of bytes
        The ``n`` SEC-encoded public keys (1 to 16), each 33 or 65 bytes.
    sort : bool, default True
        Order the keys by their bytes (BIP 67); False keeps the given order.

    Returns
    -------
    bytes
        The redeem script: ``OP_m``, each key with its push byte, ``OP_n``,
        ``OP_CHECKMULTISIG`` (``0xae``).

    Raises
    ------
    AddressError
        If there are not 1 to 16 keys, ``m`` is not an integer in ``[1, n]``, or a key is not
        33 or 65 bytes long.

    See Also
    --------
    p2sh_address : The address that pays to this script.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, multisig_script
    >>> keys = [PrivateKey.from_int(i).public_key.to_bytes() for i in (1, 2, 3)]
    >>> script = multisig_script(2, keys)
    >>> len(script), script[0] == 0x52, script == multisig_script(2, keys[::-1])
    (105, True, True)
    """
    keys = [bytes(k) for k in public_keys]
    n = len(keys)
    if not 1 <= n <= 16:
        raise AddressError(f"bare multisig takes 1..16 public keys, got {n}")
    if not is_int(m) or not 1 <= m <= n:
        raise AddressError(f"m must be an integer in [1, {n}] for {n} keys, got {m!r}")
    for k in keys:
        if len(k) not in (33, 65):
            raise AddressError(f"public keys are 33 or 65 bytes (SEC), got {len(k)}")
    if sort:
        keys.sort()
    body = b"".join(bytes((len(k),)) + k for k in keys)
    return bytes((0x50 + int(m),)) + body + bytes((0x50 + n, _OP_CHECKMULTISIG))


def p2sh_address(redeem_script: bytes) -> str:
    """Base58check of ``0x05 || hash160(redeem_script)`` (addresses starting with 3).

    Parameters
    ----------
    redeem_script : bytes
        The script the address pays to, e.g. from :func:`multisig_script`.

    Returns
    -------
    str
        The mainnet pay-to-script-hash address.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, multisig_script, p2sh_address
    >>> keys = [PrivateKey.from_int(i).public_key.to_bytes() for i in (1, 2, 3)]
    >>> p2sh_address(multisig_script(2, keys))
    '33hG2q39jRi2NqicRJB4ggY1J8EJm97Szz'
    """
    return b58check_encode(b"\x05" + hash160(bytes(redeem_script)))


def decode_btc_address(address: str) -> tuple[str, bytes]:
    """``("p2pkh" | "p2sh", hash160)`` for a mainnet base58 address; checks the checksum.

    Parameters
    ----------
    address : str
        A mainnet base58check address (version byte ``0x00`` or ``0x05``).

    Returns
    -------
    kind : {"p2pkh", "p2sh"}
        The address type, from its version byte.
    hash160 : bytes
        The 20-byte public-key hash or script hash the address commits to.

    Raises
    ------
    AddressError
        If ``address`` is not valid base58check (a foreign character, a checksum mismatch) or
        its payload is not a version byte ``0x00``/``0x05`` and 20 bytes.

    Examples
    --------
    >>> from workbench.chain import decode_btc_address
    >>> kind, h = decode_btc_address("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH")
    >>> kind, h.hex()
    ('p2pkh', '751e76e8199196d454941c45d1b3a323f1433bd6')
    """
    try:
        payload = b58check_decode(address)
    except WorkbenchError as exc:
        raise AddressError(str(exc)) from None
    kinds = {0x00: "p2pkh", 0x05: "p2sh"}
    if len(payload) != 21 or payload[0] not in kinds:
        raise AddressError(f"{address!r} is not a mainnet P2PKH/P2SH address")
    return kinds[payload[0]], payload[1:]
