"""Blockchain lab, cryptography and data structures: against real Bitcoin blocks, published
vectors (RFC 6979, EIP-55, keccak), libsecp256k1 and naive references."""

import hashlib
import os

import coincurve
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.chain import (
    AddressError,
    InvalidKeyError,
    PrivateKey,
    PublicKey,
    Signature,
    SignatureError,
    is_checksum_address,
    keccak256,
    multisig_script,
    p2sh_address,
    recover,
    sha3_256,
    sha256d,
    to_checksum_address,
    toy_ecdsa,
    verify,
)
from workbench.chain.bitcoin import (
    BitcoinFormatError,
    BlockHeader,
    bits_to_target,
    block_table,
    difficulty,
    load_block,
    parse_block,
    target_to_bits,
)
from workbench.chain.hashes import Base58Error, b58check_decode, b58check_encode, b58decode, b58encode, hash160
from workbench.chain.keys import HALF_N, N, der_decode, der_encode
from workbench.chain.merkle import MerkleError, is_mutated, merkle_proof, merkle_root, verify_proof

from . import naive

GENESIS = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f"
B100K = "000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506"
B100K_TXIDS = [
    "8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87",
    "fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4",
    "6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4",
    "e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d",
]
B100K_ROOT = "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766"


# --- real Bitcoin data ---------------------------------------------------------------------


def test_genesis_header_hash_and_pow():
    blk = load_block(0)
    assert blk.header.hash_hex == GENESIS
    assert blk.header.bits == 0x1D00FFFF and blk.header.meets_target()
    assert blk.transactions[0].txid == "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"
    assert b"Chancellor on brink of second bailout" in blk.transactions[0].inputs[0].script_sig
    assert all(blk.checks().values())


def test_block_100000_txids_merkle_root_and_target():
    blk = load_block(100000)
    assert blk.header.hash_hex == B100K
    assert [tx.txid for tx in blk.transactions] == B100K_TXIDS
    leaves = [bytes.fromhex(t)[::-1] for t in B100K_TXIDS]
    assert merkle_root(leaves)[::-1].hex() == B100K_ROOT == blk.header.merkle_root[::-1].hex()
    assert blk.header.bits == 0x1B04864C
    assert bits_to_target(blk.header.bits) == 0x04864C * 256 ** (0x1B - 3)
    assert difficulty(blk.header.bits) == pytest.approx(14484.1623612254)
    assert all(blk.checks().values())
    # every Merkle proof of the block verifies, against the header's root
    for i in range(4):
        assert verify_proof(merkle_proof(leaves, i), blk.header.merkle_root)


def test_block_100000_real_signatures_and_high_s():
    table = block_table(load_block(100000))
    spends = table[table.kind == "p2pkh"]
    assert len(spends) == 3 and spends.pubkey_matches.all() and spends.valid.all()
    assert (spends.fee_btc == 0).all() and table.out_btc.iloc[0] == 50.0
    # two of the three 2010 signatures are high-S: valid then, rejected by today's rule
    assert spends.high_s.tolist() == [True, False, True]
    assert spends.valid_under_low_s_rule.tolist() == [False, True, False]


def test_tampered_block_fails_its_checks():
    raw = bytearray(load_block(100000).header.serialize())
    good = BlockHeader.from_bytes(bytes(raw))
    raw[76] ^= 1  # nonce
    assert good.meets_target() and not BlockHeader.from_bytes(bytes(raw)).meets_target()
    blk = load_block(100000)
    mutated = type(blk)(blk.header, blk.transactions + (blk.transactions[-1],))
    checks = mutated.checks()
    assert checks["merkle_root"] is False  # 5 leaves differ from 4 ...
    # ... but the CVE-2012-2459 duplication of a 3-leaf list keeps the root and is caught
    leaves = [bytes.fromhex(t)[::-1] for t in B100K_TXIDS[:3]]
    assert merkle_root(leaves) == merkle_root(leaves + leaves[-1:])
    assert not is_mutated(leaves) and is_mutated(leaves + leaves[-1:])


@pytest.mark.parametrize("cut", [0, 79, 81, 200, -1])
def test_truncated_block_is_a_named_error(cut):
    blk = load_block(100000)
    full = blk.header.serialize() + bytes([4]) + b"".join(t.raw for t in blk.transactions)
    assert parse_block(full).header.hash_hex == B100K
    with pytest.raises(BitcoinFormatError):
        parse_block(full[:cut] if cut >= 0 else full + b"\0")


def test_compact_bits_round_trip():
    for bits in (0x1D00FFFF, 0x1B04864C, 0x17034219, 0x1A05DB8B):
        assert target_to_bits(bits_to_target(bits)) == bits
    with pytest.raises(BitcoinFormatError, match="negative"):
        bits_to_target(0x1D800000)


# --- hashes and encodings ------------------------------------------------------------------


def test_keccak_is_not_sha3():
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert sha3_256(b"").hex() == "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"
    assert keccak256(b"abc").hex() == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    assert sha256d(b"").hex() == hashlib.sha256(hashlib.sha256(b"").digest()).hexdigest()


@given(st.binary(max_size=40))
def test_base58_round_trip(data):
    assert b58decode(b58encode(data)) == data
    assert b58check_decode(b58check_encode(data)) == data


def test_base58_errors_are_named():
    with pytest.raises(Base58Error, match="not base58"):
        b58decode("0OIl")
    good = b58check_encode(b"\x00" + bytes(20))
    bad = good[:-1] + ("2" if good[-1] != "2" else "3")
    with pytest.raises(Base58Error, match="checksum"):
        b58check_decode(bad)


# --- keys, signatures, addresses -----------------------------------------------------------


def test_known_addresses_of_key_one():
    key = PrivateKey.from_int(1)
    assert key.public_key.btc_address() == "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"
    assert key.public_key.btc_address(compressed=False) == "1EHNa6Q4Jz2uvNExL497mE43ikXhwF6kZm"
    assert key.address == "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"
    assert key.to_wif() == "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn"
    assert PrivateKey.from_wif(key.to_wif()).address == key.address


def test_rfc6979_vector_and_toy_agree():
    digest = hashlib.sha256(b"Satoshi Nakamoto").digest()
    assert toy_ecdsa.rfc6979_nonce(1, digest) == 0x8F8A276C19F4149656B280621E358CCE24F5F52542772691EE69063B74F15D15
    sig = PrivateKey.from_int(1).sign(digest)
    assert (sig.r, sig.s) == (
        0x934B1EA10A4B3C1757E2B0C017D0B6143CE3C9A7E6A4A49860D7A6AB210EE3D8,
        0x2442CE9D2B916064108014783E923EC36B49743E2FFA1C4496F01A512AAFD9E5,
    )
    assert toy_ecdsa.sign(1, digest) == (sig.r, sig.s)


@settings(max_examples=15, deadline=None)
@given(st.integers(1, N - 1), st.binary(min_size=32, max_size=32))
def test_toy_ecdsa_matches_libsecp256k1(d, digest):
    key = PrivateKey.from_int(d)
    sig = key.sign(digest)
    assert toy_ecdsa.sign(d, digest) == (sig.r, sig.s)
    assert toy_ecdsa.public_point(d) == key.public_key.point
    assert toy_ecdsa.verify(key.public_key.point, digest, sig.r, sig.s)
    assert verify(key.public_key, digest, sig) and recover(digest, sig) == key.public_key


def test_high_s_twin_is_rejected_unless_legacy_rule():
    key = PrivateKey.generate(seed=7)
    digest = sha256d(b"pay bob 1 coin")
    sig = key.sign(digest)
    twin = Signature(sig.r, N - sig.s, sig.v ^ 1)
    assert sig.s <= HALF_N < twin.s
    assert toy_ecdsa.verify(key.public_key.point, digest, twin.r, twin.s)  # mathematically valid
    assert not verify(key.public_key, digest, twin)
    assert verify(key.public_key, digest, twin, allow_high_s=True)
    assert twin.normalized() == sig
    assert der_decode(der_encode(twin)) == Signature(twin.r, twin.s)


def test_nonce_reuse_reveals_the_key():
    d, k = 0xC0FFEE, 12345
    z1, z2 = sha256d(b"one"), sha256d(b"two")
    r1, s1 = toy_ecdsa.sign(d, z1, k)
    r2, s2 = toy_ecdsa.sign(d, z2, k)
    assert r1 == r2
    assert d in toy_ecdsa.recover_key_from_nonce_reuse(int.from_bytes(z1, "big"), s1, int.from_bytes(z2, "big"), s2, r1)


def test_private_key_never_printed_or_pickled():
    import pickle

    key = PrivateKey.generate(seed=1)
    secret_hex = key.secret_bytes().hex()
    for text in (repr(key), str(key), f"{key}", repr([key])):
        assert secret_hex not in text and "<secret>" in text
    with pytest.raises(TypeError, match="not picklable"):
        pickle.dumps(key)


def test_bad_keys_and_signatures_are_named_errors():
    with pytest.raises(InvalidKeyError):
        PrivateKey.from_int(0)
    with pytest.raises(InvalidKeyError):
        PrivateKey.from_int(N)
    with pytest.raises(InvalidKeyError):
        PublicKey(b"\x02" + bytes(32))
    with pytest.raises(SignatureError, match="65 bytes"):
        Signature.from_bytes(bytes(64))
    with pytest.raises(SignatureError, match=r"\[1, n\)"):
        Signature(0, 1)
    with pytest.raises(SignatureError, match="32-byte"):
        PrivateKey.from_int(5).sign(b"short")
    for bad in (b"", b"\x30\x00", der_encode(Signature(1, 2))[:-1], b"\x30\x06\x02\x01\x80\x02\x01\x01"):
        with pytest.raises(SignatureError):
            der_decode(bad)


@pytest.mark.parametrize(
    "addr",
    [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ],
)
def test_eip55_vectors(addr):
    assert to_checksum_address(addr.lower()) == addr and is_checksum_address(addr)
    flipped = addr[:2] + addr[2:].swapcase()
    assert not is_checksum_address(flipped)


def test_eth_address_matches_eth_account():
    from eth_account import Account

    for seed in range(5):
        key = PrivateKey.generate(seed=seed)
        assert Account.from_key(key.secret_bytes()).address == key.address
    with pytest.raises(AddressError):
        to_checksum_address("0x1234")


def test_p2sh_multisig_bip67_order_independent():
    # BIP 67 test vector 1
    k1 = bytes.fromhex("02ff12471208c14bd580709cb2358d98975247d8765f92bc25eab3b2763ed605f8")
    k2 = bytes.fromhex("02fe6f0a5a297eb38c391581c4413e084773ea23954d93f7753db7dc0adc188b2f")
    script = multisig_script(2, [k1, k2])
    assert script.hex() == (
        "522102fe6f0a5a297eb38c391581c4413e084773ea23954d93f7753db7dc0adc188b2f"
        "2102ff12471208c14bd580709cb2358d98975247d8765f92bc25eab3b2763ed605f852ae"
    )
    assert p2sh_address(script) == "39bgKC7RFbpoCRbtD5KEdkYKtNyhpsNa3Z"
    assert multisig_script(2, [k2, k1]) == script != multisig_script(2, [k1, k2], sort=False)
    with pytest.raises(AddressError, match="m must be"):
        multisig_script(3, [k1, k2])


def test_hash160_matches_coincurve_keys():
    key = coincurve.PrivateKey.from_int(3)
    pub = PublicKey(key.public_key.format())
    assert pub.btc_address() == b58check_encode(b"\x00" + hash160(key.public_key.format()))


# --- Merkle trees against a naive recursive reference --------------------------------------


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 40), st.data())
def test_merkle_root_and_proofs_match_naive(n, data):
    leaves = [os.urandom(32) for _ in range(n)]
    root = merkle_root(leaves)
    assert root == naive.merkle_root_naive(leaves)
    i = data.draw(st.integers(0, n - 1))
    proof = merkle_proof(leaves, i)
    assert verify_proof(proof, root)
    assert not verify_proof(type(proof)(os.urandom(32), i, proof.siblings), root)


def test_merkle_errors():
    with pytest.raises(MerkleError, match="at least one"):
        merkle_root([])
    with pytest.raises(MerkleError, match="32 bytes"):
        merkle_root([b"x"])
    with pytest.raises(MerkleError, match="index"):
        merkle_proof([bytes(32)], 1)


def test_every_byte_flip_of_block_100000_is_rejected():
    import json

    from workbench import data_path

    raw = bytes.fromhex(json.loads(data_path("chain", "bitcoin_blocks.json").read_text())["blocks"]["100000"]["raw"])
    assert all(parse_block(raw).checks().values())
    rejected = 0
    for i in range(len(raw)):
        bad = bytearray(raw)
        bad[i] ^= 0x01
        try:
            ok = all(parse_block(bytes(bad)).checks().values())
        except BitcoinFormatError:
            ok = False
        rejected += not ok
    assert rejected == len(raw) == 957
