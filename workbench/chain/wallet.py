"""Wallets: an encrypted keystore (Ethereum keystore v3, through eth-account) and m-of-n multisig.

A keystore file holds the private key encrypted with AES-128-CTR under a key stretched from a
password by scrypt (or PBKDF2), plus a MAC that detects a wrong password before any key is
used. A multisig policy needs ``m`` distinct signatures from ``n`` registered keys; on Bitcoin
it is the P2SH address of the BIP 67-sorted redeem script.

Examples
--------
>>> w = Wallet.generate(seed=3)
>>> store = w.to_keystore("correct horse", kdf="pbkdf2", iterations=1000)
>>> Wallet.from_keystore(store, "correct horse").address == w.address
True
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Int, WorkbenchError, check
from .addresses import multisig_script, p2sh_address
from .keys import PrivateKey, PublicKey, Signature, recover, verify

__all__ = ["Wallet", "WrongPasswordError", "MultisigPolicy", "MultisigError"]


class WrongPasswordError(WorkbenchError):
    """The keystore's MAC does not match: wrong password (or a corrupted file)."""


class MultisigError(WorkbenchError):
    """A multisig policy or approval that breaks the m-of-n rules."""


class Wallet:
    """One account: a private key, its addresses, signing, and keystore v3 import/export."""

    def __init__(self, key: PrivateKey):
        if not isinstance(key, PrivateKey):
            raise WorkbenchError(f"Wallet needs a workbench.chain.PrivateKey, got {type(key).__name__}")
        self._key = key

    @classmethod
    def generate(cls, seed=None) -> Wallet:
        return cls(PrivateKey.generate(seed))

    @property
    def address(self) -> str:
        return self._key.address

    @property
    def public_key(self) -> PublicKey:
        return self._key.public_key

    def sign(self, digest: bytes) -> Signature:
        return self._key.sign(digest)

    def to_keystore(self, password: str, *, kdf: str = "scrypt", iterations: int | None = None) -> dict:
        """Encrypted keystore v3 dict (write it with ``json.dump``)."""
        from eth_account import Account

        if not isinstance(password, str) or not password:
            raise WorkbenchError("password must be a non-empty string")
        if kdf not in ("scrypt", "pbkdf2"):
            raise WorkbenchError(f"kdf must be 'scrypt' or 'pbkdf2', got {kdf!r}")
        return Account.encrypt(self._key.secret_bytes(), password, kdf=kdf, iterations=iterations)

    @classmethod
    def from_keystore(cls, keystore: dict, password: str) -> Wallet:
        from eth_account import Account

        if not isinstance(password, str):
            raise WorkbenchError(f"password must be a string, got {type(password).__name__}")
        try:
            secret = Account.decrypt(keystore, password)
        except ValueError as exc:
            if "MAC" in str(exc):
                raise WrongPasswordError("keystore MAC mismatch: wrong password or corrupted file") from None
            raise WorkbenchError(f"not a usable keystore v3 file: {exc}") from None
        except (KeyError, TypeError, AttributeError) as exc:
            raise WorkbenchError(f"not a usable keystore v3 file ({type(exc).__name__}: {exc})") from None
        return cls(PrivateKey(bytes(secret)))

    def __repr__(self) -> str:
        return f"Wallet({self.address})"


@dataclass(frozen=True)
class MultisigPolicy:
    """``m`` of the registered public keys must sign."""

    m: int
    public_keys: tuple[PublicKey, ...]

    def __post_init__(self):
        try:
            keys = tuple(self.public_keys)
        except TypeError:
            keys = ()
        if not keys or not all(isinstance(k, PublicKey) for k in keys):
            raise MultisigError("public_keys must be a non-empty sequence of workbench.chain.PublicKey")
        if len(set(keys)) != len(keys):
            raise MultisigError("public_keys holds the same key twice")
        object.__setattr__(self, "m", check("m (signatures required)", self.m, Int(1, len(keys)), MultisigError))
        object.__setattr__(self, "public_keys", keys)

    @property
    def n(self) -> int:
        return len(self.public_keys)

    def signers(self, digest: bytes, signatures) -> set[PublicKey]:
        """The distinct registered keys that signed ``digest`` among ``signatures``."""
        found = set()
        for sig in signatures:
            key = recover(digest, sig)
            if key in self.public_keys and verify(key, digest, sig):
                found.add(key)
        return found

    def approves(self, digest: bytes, signatures) -> bool:
        """True when at least ``m`` distinct registered keys signed (duplicates count once)."""
        return len(self.signers(digest, signatures)) >= self.m

    def btc_address(self) -> str:
        """P2SH address of the BIP 67-sorted ``m``-of-``n`` redeem script."""
        return p2sh_address(multisig_script(self.m, [k.to_bytes(True) for k in self.public_keys]))
