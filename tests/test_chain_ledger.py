"""Our own chain: transaction/block formats, validation reasons, byte flips, mempool,
fork choice, reorgs, PoW retargeting, PoS proposers and slashing, persistence."""

from __future__ import annotations

import collections

import numpy as np
import pytest

from workbench.chain.bitcoin import bits_to_target
from workbench.chain.keys import N, PrivateKey
from workbench.chain.ledger import (
    REASONS,
    Block,
    Header,
    State,
    Transaction,
    TxError,
    TxType,
    ValidationError,
    tx_merkle_root,
)
from workbench.chain.mempool import Mempool
from workbench.chain.node import (
    Chain,
    ChainConfig,
    ChainIntegrityError,
    ConfigError,
    difficulty_to_bits,
    double_sign_evidence,
)

KEYS = [PrivateKey.from_int(i + 1) for i in range(8)]
A, B, C, M = KEYS[0], KEYS[1], KEYS[2], KEYS[3]


def pow_chain(bits=8, **kw):
    alloc = {k.address: 1_000 for k in KEYS[:3]}
    return Chain(ChainConfig(chain_id=7, alloc=alloc, difficulty_bits=bits, **kw))


def tx(key, nonce, value=10, fee=1, to=None, chain_id=7, **kw):
    return Transaction(chain_id=chain_id, nonce=nonce, to=(to or B).address, value=value, fee=fee, **kw).sign(key)


def reason(exc_info):
    return exc_info.value.reason


# ------------------------------------------------------------------ transactions


def test_transaction_roundtrip_and_sender():
    t = tx(A, 0, value=123, fee=4, data=b"memo")
    raw = t.serialize()
    back = Transaction.parse(raw, chain_id=7)
    assert back == t and back.sender == A.address and back.txid == t.txid
    assert back.data == b"memo" and back.to_dict()["value"] == 123


@pytest.mark.parametrize(
    "mutate, why",
    [
        (lambda r: r[:-1], "wrong-length"),
        (lambda r: r + b"\0", "wrong-length"),
        (lambda r: r[:40], "wrong-length"),
        (lambda r: b"\x09" + r[1:], "wrong-type"),
        (lambda r: r[:-1] + b"\x02", "bad-signature"),
        (lambda r: r[:-65] + bytes(32) + r[-33:], "bad-signature"),
        (lambda r: r[:1] + (8).to_bytes(4, "big") + r[5:], "wrong-chain-id"),
    ],
)
def test_malformed_transactions_are_named(mutate, why):
    raw = tx(A, 0).serialize()
    with pytest.raises(TxError) as e:
        Transaction.parse(mutate(raw), chain_id=7)
    assert reason(e) == why


def test_high_s_twin_is_rejected_but_low_s_original_accepted():
    t = tx(A, 0)
    raw = t.serialize()
    s = int.from_bytes(raw[-33:-1], "big")
    twin = raw[:-33] + (N - s).to_bytes(32, "big") + bytes([raw[-1] ^ 1])
    with pytest.raises(TxError) as e:
        Transaction.parse(twin, 7)
    assert reason(e) == "high-s"
    assert Transaction.parse(raw, 7).sender == A.address


@pytest.mark.parametrize(
    "kwargs, why",
    [
        ({"nonce": -1}, "wrong-type"),
        ({"value": 2**64}, "wrong-type"),
        ({"fee": 1.5}, "wrong-type"),
        ({"to": "0x1234"}, "wrong-length"),
        ({"to": 5}, "wrong-type"),
        ({"to": "0xzz" + "0" * 38}, "wrong-type"),
        ({"type": 9}, "wrong-type"),
        ({"data": "text"}, "wrong-type"),
        ({"chain_id": True}, "wrong-type"),
    ],
)
def test_bad_fields_are_named(kwargs, why):
    args = dict(chain_id=7, nonce=0, to=B.address, value=1, fee=1)
    args.update(kwargs)
    with pytest.raises(TxError) as e:
        Transaction(**args)
    assert reason(e) == why


def test_state_transition_reasons():
    st = State({A.public_key.eth_address() and bytes.fromhex(A.address[2:]): 100})
    undo = {}
    assert st.apply_tx(tx(A, 0, value=50, fee=2), undo) == 2
    assert st.balance(A.address) == 48 and st.balance(B.address) == 50 and st.nonce(A.address) == 1
    for t, why in [
        (tx(A, 0), "nonce-too-low"),
        (tx(A, 2), "nonce-gap"),
        (tx(A, 1, value=48), "insufficient-balance"),
        (tx(C, 0), "insufficient-balance"),
    ]:
        with pytest.raises(TxError) as e:
            st.apply_tx(t, {})
        assert reason(e) == why
    st.rollback(undo)
    assert st.balance(A.address) == 100 and st.balance(B.address) == 0 and st.nonce(A.address) == 0


def test_every_reason_has_an_explanation():
    assert all(isinstance(v, str) and v for v in REASONS.values())
    with pytest.raises(ValidationError, match="bad-pow: the header hash"):
        raise ValidationError("bad-pow")


# ------------------------------------------------------------------ blocks


def test_mine_extend_and_balances():
    chain = pow_chain()
    blk = chain.mine_block(M.address, [tx(A, 0, value=30, fee=3), tx(A, 1, value=5, fee=2)])
    assert chain.add_block(blk) == "extended"
    assert chain.balance(A.address) == 1000 - 40
    assert chain.balance(B.address) == 1000 + 35
    assert chain.balance(M.address) == 50 + 5
    assert int.from_bytes(blk.hash, "little") <= bits_to_target(blk.header.bits)
    assert Block.parse(blk.serialize(), signed=False, chain_id=7) == blk
    table = chain.blocks_table()
    assert list(table.height) == [0, 1] and table.main.all()


def _expect(chain, block, why):
    with pytest.raises(ValidationError) as e:
        chain.add_block(block)
    assert reason(e) == why, e.value
    assert chain.height == 0


def test_block_rejections_are_named():
    chain = pow_chain()
    good = chain.mine_block(M.address, [tx(A, 0)])
    hd = good.header
    import dataclasses as dc

    _expect(chain, Block(hd, (tx(A, 0, value=11),)), "bad-merkle-root")
    _expect(chain, Block(dc.replace(hd, nonce=hd.nonce + 1), good.transactions), "bad-pow")  # 1 in 256 lucky; seeded
    _expect(chain, chain.mine_block(M.address, [tx(A, 0, value=5000)]), "insufficient-balance")
    _expect(chain, chain.mine_block(M.address, [tx(A, 1)]), "nonce-gap")
    _expect(chain, chain.mine_block(M.address, [tx(A, 0), tx(A, 0, value=9)]), "double-spend")
    other = Transaction(chain_id=8, nonce=0, to=B.address, value=1, fee=1).sign(A)
    _expect(chain, chain.mine_block(M.address, [other]), "wrong-chain-id")
    _expect(chain, chain.mine_block(M.address, timestamp_ms=0), "bad-timestamp")
    _expect(chain, Block(dc.replace(hd, prev_hash=b"\1" * 32), good.transactions), "unknown-parent")
    _expect(chain, Block(dc.replace(hd, height=5), good.transactions), "bad-height")
    _expect(chain, Block(dc.replace(hd, bits=difficulty_to_bits(4)), good.transactions), "bad-bits")
    assert chain.add_block(good) == "extended"
    _expect_dup = pytest.raises(ValidationError, match="duplicate")
    with _expect_dup:
        chain.add_block(good)
    later = chain.mine_block(M.address, [tx(A, 0)])
    with pytest.raises(ValidationError) as e:
        chain.add_block(later)
    assert reason(e) == "nonce-too-low" and chain.height == 1
    with pytest.raises(ValidationError) as e:
        chain.add_block(chain.mine_block(M.address, timestamp_ms=10**12), now_ms=20_000)
    assert reason(e) == "bad-timestamp"


def _flip_all_bytes(chain, raw, signed):
    accepted = []
    for i in range(len(raw)):
        for mask in (0x01, 0x80):
            bad = bytearray(raw)
            bad[i] ^= mask
            try:
                chain.add_block(Block.parse(bytes(bad), signed=signed, chain_id=chain.config.chain_id))
            except ValidationError:
                continue
            accepted.append((i, mask))
    return accepted


def test_every_bit_flip_of_a_pow_block_is_rejected():
    chain = pow_chain(bits=16)
    blk = chain.mine_block(M.address, [tx(A, 0, data=b"hello"), tx(B, 0, to=C), tx(C, 0, fee=0)])
    raw = blk.serialize()
    assert _flip_all_bytes(chain, raw, signed=False) == []
    assert chain.height == 0 and chain.add_block(blk) == "extended"


def test_every_bit_flip_of_a_signed_transaction_is_rejected():
    chain = pow_chain()
    raw = tx(A, 0, value=999, fee=1, data=b"xy").serialize()
    for i in range(len(raw)):
        for mask in (0x01, 0x80):
            bad = bytearray(raw)
            bad[i] ^= mask
            with pytest.raises(ValidationError):
                t = Transaction.parse(bytes(bad), chain_id=7)
                chain.state.copy().apply_tx(t, {})


# ------------------------------------------------------------------ mempool


def naive_select(txs, nonces, limit):
    """Reference: repeatedly take the highest-fee executable transaction (ties: smaller txid)."""
    txs, nonces, out = list(txs), dict(nonces), []
    while len(out) < limit:
        ready = [t for t in txs if t.nonce == nonces.get(t.sender_bytes, 0)]
        if not ready:
            break
        best = min(ready, key=lambda t: (-t.fee, t.txid))
        out.append(best)
        txs.remove(best)
        nonces[best.sender_bytes] = best.nonce + 1
    return out


def test_mempool_matches_naive_greedy_on_random_pools():
    rng = np.random.default_rng(3)
    for _trial in range(5):
        chain = pow_chain()
        pool = Mempool(chain)
        txs = []
        for k in KEYS[:3]:
            for n in range(int(rng.integers(1, 6))):
                txs.append(tx(k, n, value=1, fee=int(rng.integers(0, 20))))
        for i in rng.permutation(len(txs)):
            pool.add(txs[i])
        limit = int(rng.integers(1, len(txs) + 1))
        assert pool.select(limit) == naive_select(txs, {}, limit)


def test_mempool_rules():
    chain = pow_chain()
    pool = Mempool(chain, capacity=3)
    assert pool.add(tx(A, 1, fee=5)) == "queued"
    assert pool.add(tx(A, 0, fee=5)) == "pending"
    with pytest.raises(TxError) as e:
        pool.add(tx(A, 0, fee=5, value=11))
    assert reason(e) == "replacement-underpriced"
    assert pool.add(tx(A, 0, fee=6)) == "replaced"
    with pytest.raises(TxError) as e:
        pool.add(tx(B, 0, value=2000))
    assert reason(e) == "insufficient-balance"
    with pytest.raises(TxError) as e:
        pool.add(tx(A, 0, chain_id=9))
    assert reason(e) == "wrong-chain-id"
    pool.add(tx(C, 0, fee=9).serialize())
    from workbench.chain.mempool import MempoolFullError

    with pytest.raises(MempoolFullError):
        pool.add(tx(B, 0, fee=1))
    assert pool.add(tx(B, 0, fee=50)) == "pending" and len(pool) == 3  # evicted the cheapest
    assert set(pool.table().status) == {"pending"} or "queued" in set(pool.table().status)
    blk = chain.mine_block(M.address, pool.select())
    chain.add_block(blk)
    assert pool.update() == len(blk.transactions) and len(pool) == 3 - len(blk.transactions)
    with pytest.raises(TxError) as e:
        pool.add(tx(B, 0, fee=60))
    assert reason(e) == "nonce-too-low"


# ------------------------------------------------------------------ fork choice and reorgs


def _branch(chain, parent, times, txs_at=None, producer=M):
    hashes = []
    for i, ts in enumerate(times):
        txs = (txs_at or {}).get(i, ())
        blk = chain.mine_block(producer.address, txs, timestamp_ms=ts, parent=parent)
        chain.add_block(blk)
        parent = blk.hash
        hashes.append(parent)
    return hashes


@pytest.mark.parametrize("rule, winner", [("heaviest", "fast"), ("longest", "slow")])
def test_heaviest_and_longest_disagree_after_a_retarget(rule, winner):
    chain = pow_chain(bits=6, retarget_interval=2, fork_choice=rule)
    fast = _branch(chain, chain.genesis_hash, [1_000, 2_000, 3_000])  # retargets 4x harder
    slow = _branch(chain, chain.genesis_hash, [40_000, 80_000, 120_000, 160_000])  # 4x easier, twice
    assert bits_to_target(chain.header(fast[-1]).bits) * 4 <= bits_to_target(chain.header(fast[0]).bits) + 2**230
    tip = fast[-1] if winner == "fast" else slow[-1]
    assert chain.tip == tip
    assert chain.meta[fast[-1]].work > chain.meta[slow[-1]].work


def test_ghost_prefers_the_heavier_subtree_to_the_longer_chain():
    longest = pow_chain(fork_choice="longest", retarget_interval=10_000)
    ghost = pow_chain(fork_choice="ghost", retarget_interval=10_000)
    for chain in (longest, ghost):
        g = chain.genesis_hash
        a = _branch(chain, g, [10_000, 20_000, 30_000])
        b1 = _branch(chain, g, [11_000])[0]
        for k in range(3):
            _branch(chain, b1, [21_000 + k])
    assert longest.tip == a[-1]
    assert ghost.meta[ghost.tip].parent == b1 and ghost.height == 2


def test_reorg_reverts_state_and_returns_transactions_to_the_pool():
    chain = pow_chain(retarget_interval=10_000)
    pool = Mempool(chain)
    pay = tx(A, 0, value=500, fee=5)
    honest = _branch(chain, chain.genesis_hash, [10_000, 20_000], {0: [pay]})
    assert chain.balance(B.address) == 1500 and chain.confirmations(pay.txid) == 2
    attacker = _branch(
        chain, chain.genesis_hash, [10_500, 20_500, 30_500], {0: [tx(A, 0, value=500, fee=5, to=C)]}, producer=C
    )
    assert chain.tip == attacker[-1] and chain.reorgs[-1]["depth"] == 2
    assert chain.balance(B.address) == 1000 and chain.balance(C.address) == 1000 + 500 + 3 * 50 + 5
    assert chain.confirmations(pay.txid) == 0
    pool.update()
    assert len(pool) == 0  # the payment conflicts with the attacker's spend of the same nonce
    fresh = pow_chain(retarget_interval=10_000)
    for h in attacker:
        fresh.add_block(chain.blocks[h])
    assert fresh.state.balances == chain.state.balances and fresh.state.nonces == chain.state.nonces
    assert not any(chain.is_main(h) for h in honest)


def test_invalid_heavier_branch_is_rejected_and_state_restored():
    chain = pow_chain(retarget_interval=10_000)
    _branch(chain, chain.genesis_hash, [10_000], {0: [tx(A, 0)]})
    before = (dict(chain.state.balances), chain.tip)
    side = chain.mine_block(C.address, [tx(A, 0, value=900)], timestamp_ms=10_100, parent=chain.genesis_hash)
    assert chain.add_block(side) == "side"
    bad = chain.mine_block(C.address, [tx(A, 1, value=900)], timestamp_ms=20_100, parent=side.hash)
    with pytest.raises(ValidationError) as e:
        chain.add_block(bad)
    assert reason(e) == "insufficient-balance"
    assert (chain.state.balances, chain.tip) == before
    assert bad.hash not in chain.meta and side.hash in chain.meta  # the invalid leaf is dropped


# ------------------------------------------------------------------ PoW retargeting


def test_retarget_follows_the_rule_and_clamps():
    chain = pow_chain(bits=8, retarget_interval=4, block_interval_s=10)
    t0 = bits_to_target(chain.config.initial_bits)
    _branch(chain, chain.genesis_hash, [5_000 * (i + 1) for i in range(4)])  # twice too fast
    t1 = bits_to_target(chain.header(chain.tip).bits)
    assert abs(t1 / (t0 * 15_000 / 30_000) - 1) < 1e-4  # 3 intervals since genesis
    _branch(chain, chain.tip, [20_000 + 1_000_000 * (i + 1) for i in range(4)])  # far too slow: x4 cap
    t2 = bits_to_target(chain.header(chain.tip).bits)
    assert abs(t2 / (t1 * 4) - 1) < 1e-4


# ------------------------------------------------------------------ proof of stake


def pos_chain(stakes=(10, 20, 30, 40), **kw):
    vals = {KEYS[i].address: s for i, s in enumerate(stakes)}
    return Chain(
        ChainConfig(chain_id=9, consensus="pos", validators=vals, alloc={k.address: 1_000 for k in KEYS[:4]}, **kw)
    ), vals


def test_proposer_frequency_follows_stake():
    chain, vals = pos_chain()
    counts = collections.Counter(chain.proposer(s) for s in range(1, 20_001))
    total = sum(vals.values())
    for addr, stake in vals.items():
        p = stake / total
        assert abs(counts[addr] / 20_000 - p) < 4 * (p * (1 - p) / 20_000) ** 0.5


def _key_of(addr):
    return next(k for k in KEYS if k.address == addr)


def test_pos_blocks_wrong_proposer_and_slashing():
    chain, vals = pos_chain()
    slot = 1
    blk = chain.propose_block(_key_of(chain.proposer(slot)), slot, [tx(A, 0, chain_id=9)])
    assert chain.add_block(blk) == "extended" and Block.parse(blk.serialize(), signed=True, chain_id=9) == blk
    slot = 2
    wrong = next(k for k in KEYS[:4] if k.address != chain.proposer(slot))
    with pytest.raises(ValidationError) as e:
        chain.add_block(chain.propose_block(wrong, slot))
    assert reason(e) == "bad-proposer"
    # forged signature: producer field says the right proposer, signed by another key
    import dataclasses as dc

    good = chain.propose_block(_key_of(chain.proposer(slot)), slot)
    forged = Block(dc.replace(good.header, signature=wrong.sign(good.header.hash)), ())
    with pytest.raises(ValidationError) as e:
        chain.add_block(forged)
    assert reason(e) == "bad-proposer"
    # double signing: two different blocks for one slot from the same proposer
    signer = _key_of(chain.proposer(slot))
    one = chain.propose_block(signer, slot)
    two = chain.propose_block(signer, slot, [tx(B, 0, chain_id=9)])
    chain.add_block(one)
    assert chain.add_block(two) == "side"
    stake = chain.state.stakes[bytes.fromhex(signer.address[2:])]
    reporter = next(k for k in KEYS[:4] if k != signer)
    ev = double_sign_evidence(one.header, two.header)
    with pytest.raises(TxError) as e:
        chain.state.copy().apply_tx(
            Transaction(
                chain_id=9,
                nonce=chain.nonce(reporter.address),
                to=reporter.address,
                value=0,
                fee=0,
                type=TxType.SLASH,
                data=double_sign_evidence(one.header, one.header),
            ).sign(reporter),
            {},
            slash=chain._slash_check,
        )
    assert reason(e) == "bad-evidence"
    slash = Transaction(
        chain_id=9, nonce=chain.nonce(reporter.address), to=reporter.address, value=0, fee=0, type=TxType.SLASH, data=ev
    ).sign(reporter)
    before = chain.balance(reporter.address)
    s = 3
    while True:
        prop = _key_of(chain.proposer(s))
        if prop != signer:
            break
        s += 1
    chain.add_block(chain.propose_block(prop, s, [slash]))
    addr = bytes.fromhex(signer.address[2:])
    assert chain.state.stakes[addr] == stake - stake // 2 and addr in chain.state.slashed
    gain = chain.balance(reporter.address) - before - (50 if prop == reporter else 0)
    assert gain == (stake // 2) // 2
    assert all(chain.proposer(x) != signer.address for x in range(100, 400))


def test_every_bit_flip_of_a_pos_block_is_rejected():
    chain, _ = pos_chain()
    slot = 1
    blk = chain.propose_block(_key_of(chain.proposer(slot)), slot, [tx(A, 0, chain_id=9), tx(B, 0, chain_id=9, to=C)])
    assert _flip_all_bytes(chain, blk.serialize(), signed=True) == []
    assert chain.add_block(blk) == "extended"


def test_state_sync_from_a_peer():
    chain = pow_chain(retarget_interval=10_000)
    _branch(chain, chain.genesis_hash, [10_000, 20_000, 30_000], {0: [tx(A, 0)], 2: [tx(A, 1), tx(B, 0)]})
    _branch(chain, chain.genesis_hash, [10_500])  # a stale side block travels too
    fresh = pow_chain(retarget_interval=10_000)
    assert fresh.sync_from(chain) == 4 and fresh.sync_from(chain) == 0
    assert fresh.tip == chain.tip and fresh.state.balances == chain.state.balances
    with pytest.raises(ConfigError):
        fresh.sync_from(pow_chain(bits=9))


# ------------------------------------------------------------------ persistence and config


def test_save_load_roundtrip_and_integrity(tmp_path):
    chain = pow_chain(retarget_interval=10_000)
    _branch(chain, chain.genesis_hash, [10_000, 20_000], {0: [tx(A, 0)], 1: [tx(A, 1)]})
    _branch(chain, chain.genesis_hash, [10_500])  # a fork survives the round trip
    path = tmp_path / "chain.bin"
    chain.save(path)
    back = Chain.load(path)
    assert back.tip == chain.tip and back.state.balances == chain.state.balances and len(back.blocks) == 4
    data = path.read_bytes()
    for cut, msg in [
        (data[:-5], "truncated"),
        (data[:200] + bytes([data[200] ^ 1]) + data[201:], "altered"),
        (b"garbage" + data, "not a workbench chain"),
    ]:
        path.write_bytes(cut)
        with pytest.raises(ChainIntegrityError, match=msg):
            Chain.load(path)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"chain_id": -1},
        {"chain_id": 1, "consensus": "pbft"},
        {"chain_id": 1, "fork_choice": "random"},
        {"chain_id": 1, "consensus": "pos"},
        {"chain_id": 1, "difficulty_bits": 0},
        {"chain_id": 1, "alloc": {"0x12": 5}},
        {"chain_id": 1, "block_interval_s": 0},
        {"chain_id": 1, "slash_fraction": 2},
    ],
)
def test_bad_config_is_named(kwargs):
    with pytest.raises(ConfigError):
        ChainConfig(**kwargs)


def test_merkle_root_of_empty_block_and_header_roundtrip():
    assert tx_merkle_root([]) == bytes(32)
    chain = pow_chain()
    hd = chain.mine_block(M.address).header
    assert Header.parse(hd.serialize(), signed=False) == hd
