"""Blockchain lab charts and panels, and no private key in any report."""

from __future__ import annotations

import re

import pytest

from workbench.chain import widgets as CW
from workbench.chain.evm import EVM, price_impact_table
from workbench.chain.hashes import sha256d
from workbench.chain.keys import InvalidKeyError, PrivateKey
from workbench.chain.ledger import Transaction
from workbench.chain.merkle import merkle_proof
from workbench.chain.node import Chain, ChainConfig
from workbench.errors import WorkbenchError


def test_merkle_explorer_marks_exactly_the_proof():
    leaves = [sha256d(bytes([i])) for i in range(11)]
    chart = CW.merkle_explorer(leaves)
    grid = chart.layer[1].data
    for leaf in (0, 5, 10):
        proof = merkle_proof(leaves, leaf)
        marked = grid[(grid.leaf == leaf) & (grid.role == "proof")].sort_values("level")
        assert len(marked) == len(proof.siblings)
        assert list(marked.level) == list(range(len(proof.siblings)))
    assert (grid.kind == "duplicate (odd rule)").any()
    with pytest.raises(WorkbenchError):
        CW.merkle_explorer([])


def test_mining_table_counts_real_tries():
    df = CW.mining_table(range(4, 9, 2), blocks=4, seed=1)
    assert list(df.expected_tries) == [16.0, 64.0, 256.0]
    assert (df.mean_tries >= 1).all() and (df.hashes_per_s > 0).all()


def test_tamper_table_rejects_everything_but_the_original():
    a, b, m = (PrivateKey.from_int(i) for i in (1, 2, 3))
    chain = Chain(ChainConfig(chain_id=5, alloc={a.address: 100}, difficulty_bits=10))
    blk = chain.mine_block(m.address, [Transaction(chain_id=5, nonce=0, to=b.address, value=10, fee=1).sign(a)])
    df = CW.tamper_table(chain, blk).set_index("tampered")
    assert df.loc["nothing (the original block)"].tolist() == ["valid", "valid"]
    others = df.drop(index="nothing (the original block)")
    assert not ((others.tx_check == "valid") | (others.block_check == "valid")).any()
    assert df.loc["transaction: chain id", "tx_check"] == "wrong-chain-id"
    assert df.loc["transaction: signature s -> n - s (high-S twin)", "tx_check"] == "high-s"
    assert df.loc["header: nonce + 1", "block_check"] == "bad-pow"
    assert chain.height == 0
    panel = CW.tamper_panel(chain, blk)
    assert "insufficient-balance" in panel.children[1].value  # the first choice: a changed value
    panel.children[0].value = "nothing (the original block)"
    assert panel.children[1].value.count(">valid<") == 2


def test_panels_and_amm_chart_build():
    assert CW.mining_panel().children
    chart = CW.amm_impact_chart(price_impact_table(5 * 10**18, 10 * 10**18, [10**15, 10**17, 10**18]))
    assert len(chart.layer) == 3
    evm = EVM(3)
    nft = evm.deploy("nft", "A", "B")
    panel = CW.nft_panel(evm, nft)
    mint = panel.children[1].children[0]
    mint.click()
    assert nft.ownerOf(1) == evm.accounts[1] and "minted 1" in panel.children[-1].value
    mint.click()
    assert "reverted: ERC721: token already minted" in panel.children[-1].value


_HEX64 = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])")


def leaked_secrets(text: str) -> list[str]:
    """64-hex strings in ``text`` that are private keys of an address also shown in ``text``."""
    shown = {a.lower() for a in re.findall(r"0x[0-9a-fA-F]{40}", text)}
    leaks = []
    for h in set(_HEX64.findall(text)):
        try:
            key = PrivateKey(bytes.fromhex(h))
        except InvalidKeyError:
            continue
        if key.address.lower() in shown:
            leaks.append(h)
    return leaks


def test_leak_detector_finds_a_planted_secret():
    key = PrivateKey.from_int(12345)
    assert leaked_secrets(f"{key.address} ... {key.secret_bytes().hex()}") == [key.secret_bytes().hex()]
    assert leaked_secrets(f"{key.address} {sha256d(b'x').hex()}") == []
