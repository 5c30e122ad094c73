"""Addresses: Bitcoin P2PKH and P2SH multisig (BIP 67 key order), Ethereum with EIP-55 checksums."""

from __future__ import annotations

from ..errors import WorkbenchError
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
    """An address that is malformed or fails its checksum."""


def to_checksum_address(address) -> str:
    """EIP-55 mixed-case checksum: a hex letter is upper case when the matching nibble of
    ``keccak256(lowercase_hex)`` is >= 8.

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
    """True when ``address`` carries a correct EIP-55 checksum (all-lower/upper do not)."""
    try:
        return to_checksum_address(address) == address
    except AddressError:
        return False


def p2pkh_address(public_key_bytes: bytes) -> str:
    """Base58check of ``0x00 || hash160(pubkey)``."""
    return b58check_encode(b"\x00" + hash160(public_key_bytes))


def multisig_script(m: int, public_keys, *, sort: bool = True) -> bytes:
    """The ``m <k1> ... <kn> n OP_CHECKMULTISIG`` redeem script.

    With ``sort`` (BIP 67) keys are ordered by their serialized bytes, so every co-signer
    derives the same script and address whatever order they list the keys in.
    """
    keys = [bytes(k) for k in public_keys]
    n = len(keys)
    if not 1 <= n <= 16:
        raise AddressError(f"bare multisig takes 1..16 public keys, got {n}")
    if not isinstance(m, int) or not 1 <= m <= n:
        raise AddressError(f"m must be an integer in [1, {n}] for {n} keys, got {m!r}")
    for k in keys:
        if len(k) not in (33, 65):
            raise AddressError(f"public keys are 33 or 65 bytes (SEC), got {len(k)}")
    if sort:
        keys.sort()
    body = b"".join(bytes((len(k),)) + k for k in keys)
    return bytes((0x50 + m,)) + body + bytes((0x50 + n, _OP_CHECKMULTISIG))


def p2sh_address(redeem_script: bytes) -> str:
    """Base58check of ``0x05 || hash160(redeem_script)`` (addresses starting with 3)."""
    return b58check_encode(b"\x05" + hash160(bytes(redeem_script)))


def decode_btc_address(address: str) -> tuple[str, bytes]:
    """``("p2pkh" | "p2sh", hash160)`` for a mainnet base58 address; checks the checksum."""
    try:
        payload = b58check_decode(address)
    except WorkbenchError as exc:
        raise AddressError(str(exc)) from None
    kinds = {0x00: "p2pkh", 0x05: "p2sh"}
    if len(payload) != 21 or payload[0] not in kinds:
        raise AddressError(f"{address!r} is not a mainnet P2PKH/P2SH address")
    return kinds[payload[0]], payload[1:]
