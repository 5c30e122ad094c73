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
    """The keystore's MAC does not match: wrong password (or a corrupted file).

    Examples
    --------
    >>> from workbench.chain import Wallet
    >>> store = Wallet.generate(seed=3).to_keystore("correct horse", kdf="pbkdf2", iterations=1000)
    >>> Wallet.from_keystore(store, "battery staple")
    Traceback (most recent call last):
    ...
    workbench.chain.wallet.WrongPasswordError: keystore MAC mismatch: wrong password or corrupted file
    """


class MultisigError(WorkbenchError):
    """A multisig policy or approval that breaks the m-of-n rules.

    Examples
    --------
    >>> from workbench.chain import MultisigPolicy, PrivateKey
    >>> MultisigPolicy(3, [PrivateKey.from_int(i).public_key for i in (1, 2)])
    Traceback (most recent call last):
    ...
    workbench.chain.wallet.MultisigError: m (signatures required) must be an integer in [1, 2], got 3
    """


class Wallet:
    """One account: a private key, its addresses, signing, and keystore v3 import/export.

    Parameters
    ----------
    key : PrivateKey
        The account's key (kept private: ``repr`` shows the address only).

    Raises
    ------
    WorkbenchError
        If ``key`` is not a :class:`PrivateKey`.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, Wallet
    >>> Wallet(PrivateKey.from_int(1))
    Wallet(0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf)
    """

    def __init__(self, key: PrivateKey):
        if not isinstance(key, PrivateKey):
            raise WorkbenchError(f"Wallet needs a workbench.chain.PrivateKey, got {type(key).__name__}")
        self._key = key

    @classmethod
    def generate(cls, seed=None) -> Wallet:
        """A wallet with a new key (:meth:`PrivateKey.generate`).

        Parameters
        ----------
        seed : int, numpy.random.Generator or None, default None
            None draws the key from the OS's secure random source; a seed gives the same key
            every time (for notebooks and tests only, never for real funds).

        Returns
        -------
        Wallet
            The new wallet.

        Raises
        ------
        WorkbenchError
            If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.
        """
        return cls(PrivateKey.generate(seed))

    @property
    def address(self) -> str:
        """The account's checksummed Ethereum address.

        Returns
        -------
        str
            ``0x`` followed by 40 hex digits in EIP-55 mixed case.
        """
        return self._key.address

    @property
    def public_key(self) -> PublicKey:
        """The account's secp256k1 public key.

        Returns
        -------
        PublicKey
            The public key of the wallet's private key.
        """
        return self._key.public_key

    def sign(self, digest: bytes) -> Signature:
        """Sign a 32-byte digest (RFC 6979, low-S, recoverable).

        Parameters
        ----------
        digest : bytes
            The 32-byte hash of the message.

        Returns
        -------
        Signature
            The signature ``(r, s, v)``.

        Raises
        ------
        SignatureError
            If ``digest`` is not 32 bytes.
        """
        return self._key.sign(digest)

    def to_keystore(self, password: str, *, kdf: str = "scrypt", iterations: int | None = None) -> dict:
        """Encrypted keystore v3 dict (write it with ``json.dump``).

        Parameters
        ----------
        password : str
            A non-empty password; the key that encrypts the secret is stretched from it.
        kdf : {"scrypt", "pbkdf2"}, default "scrypt"
            The key-derivation function.
        iterations : int or None, default None
            Its work factor (scrypt's ``n``, PBKDF2's iteration count); None uses eth-account's
            default for the KDF.

        Returns
        -------
        dict
            The keystore v3 JSON object: ``address``, ``crypto`` (cipher, ciphertext, KDF
            parameters, MAC), ``id`` and ``version``.

        Raises
        ------
        WorkbenchError
            If ``password`` is not a non-empty string or ``kdf`` is not one of the names above.
        """
        from eth_account import Account

        if not isinstance(password, str) or not password:
            raise WorkbenchError("password must be a non-empty string")
        if kdf not in ("scrypt", "pbkdf2"):
            raise WorkbenchError(f"kdf must be 'scrypt' or 'pbkdf2', got {kdf!r}")
        return Account.encrypt(self._key.secret_bytes(), password, kdf=kdf, iterations=iterations)

    @classmethod
    def from_keystore(cls, keystore: dict, password: str) -> Wallet:
        """Decrypt a keystore v3 object (as :meth:`to_keystore` or an Ethereum client writes it).

        Parameters
        ----------
        keystore : dict
            The keystore, e.g. read with ``json.load``.
        password : str
            The password it was encrypted with.

        Returns
        -------
        Wallet
            The wallet of the decrypted key.

        Raises
        ------
        WrongPasswordError
            If the MAC does not match: a wrong password or a corrupted file.
        WorkbenchError
            If ``password`` is not a string or ``keystore`` is not a usable keystore v3 object.

        Examples
        --------
        >>> from workbench.chain import Wallet
        >>> w = Wallet.generate(seed=3)
        >>> store = w.to_keystore("correct horse", kdf="pbkdf2", iterations=1000)
        >>> Wallet.from_keystore(store, "correct horse").address == w.address
        True
        """
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
    """``m`` of the registered public keys must sign.

    Parameters
    ----------
    m : int
        Signatures required, an integer in [1, ``n``].
    public_keys : sequence of PublicKey
        The ``n`` registered keys, distinct and at least one (stored as a tuple).

    Raises
    ------
    MultisigError
        If ``public_keys`` is empty, holds something that is not a :class:`PublicKey` or the
        same key twice, or ``m`` is not an integer in [1, n].

    Examples
    --------
    >>> from workbench.chain import MultisigPolicy, PrivateKey, sha256
    >>> keys = [PrivateKey.from_int(i) for i in (1, 2, 3)]
    >>> policy = MultisigPolicy(2, [k.public_key for k in keys])
    >>> digest = sha256(b"pay 1 BTC to carol")
    >>> policy.approves(digest, [keys[0].sign(digest), keys[2].sign(digest)])
    True
    >>> policy.approves(digest, [keys[0].sign(digest)] * 2)   # one key twice counts once
    False
    """

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
        """Number of registered keys.

        Returns
        -------
        int
            ``len(public_keys)``.
        """
        return len(self.public_keys)

    def signers(self, digest: bytes, signatures) -> set[PublicKey]:
        """The distinct registered keys that signed ``digest`` among ``signatures``.

        Parameters
        ----------
        digest : bytes
            The 32-byte hash that was signed.
        signatures : iterable of Signature
            Recoverable signatures, in any order; signatures by unregistered keys are ignored.

        Returns
        -------
        set of PublicKey
            The registered keys recovered from valid signatures.

        Raises
        ------
        SignatureError
            If ``digest`` is not 32 bytes, or a signature is not a :class:`Signature` or
            recovers no public key.
        """
        found = set()
        for sig in signatures:
            key = recover(digest, sig)
            if key in self.public_keys and verify(key, digest, sig):
                found.add(key)
        return found

    def approves(self, digest: bytes, signatures) -> bool:
        """True when at least ``m`` distinct registered keys signed (duplicates count once).

        Parameters
        ----------
        digest : bytes
            The 32-byte hash that was signed.
        signatures : iterable of Signature
            Recoverable signatures, in any order.

        Returns
        -------
        bool
            Whether :meth:`signers` finds at least ``m`` keys.

        Raises
        ------
        SignatureError
            If ``digest`` is not 32 bytes, or a signature is not a :class:`Signature` or
            recovers no public key.
        """
        return len(self.signers(digest, signatures)) >= self.m

    def btc_address(self) -> str:
        """P2SH address of the BIP 67-sorted ``m``-of-``n`` redeem script.

        Returns
        -------
        str
            A Bitcoin mainnet P2SH address (starts with ``3``) of the script over the compressed keys.
        """
        return p2sh_address(multisig_script(self.m, [k.to_bytes(True) for k in self.public_keys]))
