"""Ethereum signing against EIP-155's own example, the rlp package and eth-account."""

import pytest
import rlp
from eth_account import Account

from workbench.chain import PrivateKey, keccak256
from workbench.chain.ethereum import DynamicFeeTx, EthTxError, LegacyTx, recover_sender, rlp_encode, sign_transaction

KEY = PrivateKey(bytes.fromhex("46" * 32))


def test_eip155_example_vector():
    tx = LegacyTx(
        nonce=9, gas_price=20 * 10**9, gas=21000, to=bytes.fromhex("35" * 20), value=10**18, data=b"", chain_id=1
    )
    raw, sig = sign_transaction(tx, KEY)
    assert tx.signing_hash().hex() == "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"
    assert sig.v + 35 + 2 * tx.chain_id == 37  # v on the wire
    assert sig.r == 18515461264373351373200002665853028612451056578545711640558177340181847433846
    assert sig.s == 46948507304638947509940763649030358759909902576025900602547168820602576006531
    assert raw.hex() == (
        "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61"
        "340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555"
        "c9f3dc64214b297fb1966a3b6d83"
    )
    assert recover_sender(tx, sig) == KEY.address == "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"


@pytest.mark.parametrize("chain_id", [1, 5, 1337, 10**6])
def test_signatures_match_eth_account(chain_id):
    to = bytes.fromhex("3535353535353535353535353535353535353535")
    legacy = LegacyTx(nonce=3, gas_price=7, gas=21000, to=to, value=12345, data=b"\x01\x02", chain_id=chain_id)
    raw, _ = sign_transaction(legacy, KEY)
    ref = Account.sign_transaction(
        {
            "nonce": 3,
            "gasPrice": 7,
            "gas": 21000,
            "to": "0x" + to.hex(),
            "value": 12345,
            "data": "0x0102",
            "chainId": chain_id,
        },
        KEY.secret_bytes(),
    )
    assert raw == bytes(ref.raw_transaction)
    dyn = DynamicFeeTx(
        chain_id=chain_id,
        nonce=4,
        max_priority_fee_per_gas=2 * 10**9,
        max_fee_per_gas=30 * 10**9,
        gas=50000,
        to=to,
        value=10**17,
        data=b"",
    )
    raw2, sig2 = sign_transaction(dyn, KEY)
    ref2 = Account.sign_transaction(
        {
            "type": 2,
            "chainId": chain_id,
            "nonce": 4,
            "maxPriorityFeePerGas": 2 * 10**9,
            "maxFeePerGas": 30 * 10**9,
            "gas": 50000,
            "to": "0x" + to.hex(),
            "value": 10**17,
            "data": "0x",
            "accessList": [],
        },
        KEY.secret_bytes(),
    )
    assert raw2 == bytes(ref2.raw_transaction)
    assert keccak256(raw2) == bytes(ref2.hash)
    assert recover_sender(dyn, sig2) == KEY.address


def test_replay_on_another_chain_recovers_a_stranger():
    tx = LegacyTx(nonce=0, gas_price=1, gas=21000, to=bytes(20), value=1, data=b"", chain_id=1)
    _, sig = sign_transaction(tx, KEY)
    replay = LegacyTx(nonce=0, gas_price=1, gas=21000, to=bytes(20), value=1, data=b"", chain_id=56)
    assert recover_sender(replay, sig) != KEY.address


def test_rlp_matches_the_rlp_package():
    for item in (
        b"",
        b"\x00",
        b"\x7f",
        b"\x80",
        b"a" * 55,
        b"a" * 56,
        b"b" * 1024,
        [],
        [b"cat", [b"dog", []]],
        [b"x" * 60, [b"y"] * 30],
    ):
        assert rlp_encode(item) == rlp.encode(item)
    for n in (0, 1, 127, 128, 255, 256, 2**64, 2**255):
        assert rlp_encode(n) == rlp.encode(n)


def test_bad_fields_are_named_errors():
    with pytest.raises(EthTxError, match="nonce"):
        LegacyTx(nonce=-1, gas_price=1, gas=1, to=bytes(20), value=0, data=b"", chain_id=1)
    with pytest.raises(EthTxError, match="to must be bytes"):
        LegacyTx(nonce=0, gas_price=1, gas=1, to=bytes(19), value=0, data=b"", chain_id=1)
    with pytest.raises(EthTxError, match="chain_id"):
        LegacyTx(nonce=0, gas_price=1, gas=1, to=bytes(20), value=0, data=b"", chain_id=0)
    with pytest.raises(EthTxError, match="cannot encode"):
        rlp_encode(1.5)
