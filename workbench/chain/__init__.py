"""Blockchain lab: keys and signatures, Merkle proofs, real Bitcoin blocks, a chain of our own
with PoW and PoS, mempool and fork choice, network propagation, attacks against their closed
forms, and contracts on a real EVM (extra ``workbench[evm]``)."""

from .addresses import (
    AddressError,
    decode_btc_address,
    is_checksum_address,
    multisig_script,
    p2pkh_address,
    p2sh_address,
    to_checksum_address,
)
from .hashes import hash160, keccak256, ripemd160, sha3_256, sha256, sha256d
from .keys import (
    InvalidKeyError,
    PrivateKey,
    PublicKey,
    Signature,
    SignatureError,
    normalize_s,
    recover,
    sign,
    verify,
)
from .wallet import MultisigPolicy, Wallet, WrongPasswordError

__all__ = [
    "AddressError", "decode_btc_address", "is_checksum_address", "multisig_script", "p2pkh_address",
    "p2sh_address", "to_checksum_address",
    "hash160", "keccak256", "ripemd160", "sha3_256", "sha256", "sha256d",
    "InvalidKeyError", "PrivateKey", "PublicKey", "Signature", "SignatureError", "normalize_s", "recover",
    "sign", "verify",
    "MultisigPolicy", "Wallet", "WrongPasswordError",
]
