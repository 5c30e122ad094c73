"""Keystore v3 round trips (and eth-account reads ours), m-of-n multisig rules."""

import json

import pytest
from eth_account import Account

from workbench.chain import PrivateKey, sha256d
from workbench.chain.wallet import MultisigError, MultisigPolicy, Wallet, WrongPasswordError
from workbench.errors import WorkbenchError


def test_keystore_round_trip_and_wrong_password():
    w = Wallet.generate(seed=11)
    store = w.to_keystore("pw", kdf="pbkdf2", iterations=2000)
    text = json.dumps(store)
    assert w._key.secret_bytes().hex() not in text and store["version"] == 3
    assert Account.decrypt(json.loads(text), "pw") == w._key.secret_bytes()
    assert Wallet.from_keystore(json.loads(text), "pw").address == w.address
    with pytest.raises(WrongPasswordError):
        Wallet.from_keystore(store, "not pw")
    with pytest.raises(WorkbenchError, match="kdf"):
        w.to_keystore("pw", kdf="md5")
    assert "secret" not in repr(w) and w.address in repr(w)


def test_scrypt_keystore_from_eth_account_is_read():
    key = PrivateKey.generate(seed=12)
    store = Account.encrypt(key.secret_bytes(), "s3cret", kdf="scrypt", iterations=2**10)
    assert Wallet.from_keystore(store, "s3cret").address == key.address


def test_two_of_three_multisig():
    wallets = [Wallet.generate(seed=s) for s in (1, 2, 3)]
    outsider = Wallet.generate(seed=4)
    policy = MultisigPolicy(2, tuple(w.public_key for w in wallets))
    digest = sha256d(b"release 10 coins")
    s0, s1 = wallets[0].sign(digest), wallets[1].sign(digest)
    assert policy.approves(digest, [s0, s1])
    assert not policy.approves(digest, [s0, s0])  # the same signer twice counts once
    assert not policy.approves(digest, [s0, outsider.sign(digest)])
    assert not policy.approves(sha256d(b"other"), [s0, s1])
    assert policy.btc_address().startswith("3")
    reordered = MultisigPolicy(2, tuple(w.public_key for w in reversed(wallets)))
    assert reordered.btc_address() == policy.btc_address()  # BIP 67
    with pytest.raises(MultisigError, match=r"m \(signatures required\) must be"):
        MultisigPolicy(4, policy.public_keys)
    with pytest.raises(MultisigError, match="twice"):
        MultisigPolicy(1, (wallets[0].public_key, wallets[0].public_key))
