"""Contracts on a real EVM (the evm extra, installed by the test setup): ERC-20, ERC-721, AMM, receipts."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.chain import evm as wevm
from workbench.chain.evm import (
    ERC165_ID,
    ERC721_ID,
    EVM,
    EVMUnavailableError,
    amm_amount_out,
    price_impact_table,
    receipts_demo,
    transfer_rate,
)


@pytest.fixture(scope="module")
def lab():
    return EVM(4)


def test_erc20_transfers_allowances_and_reverts(lab):
    a, b, c, _ = lab.accounts
    tok = lab.deploy("token", "Lab", "LAB", 1_000)
    assert (tok.name(), tok.symbol(), tok.decimals(), tok.totalSupply()) == ("Lab", "LAB", 18, 1_000)
    assert tok.transfer(b, 300, sender=a)
    assert (tok.balanceOf(a), tok.balanceOf(b)) == (700, 300)
    with lab.reverts("ERC20: transfer amount exceeds balance"):
        tok.transfer(c, 301, sender=b)
    tok.approve(c, 100, sender=b)
    tok.transferFrom(b, c, 60, sender=c)
    logs = tok.get_logs()
    assert [type(x).__name__ for x in logs] == ["Transfer"] and logs[0].value == 60
    assert (tok.balanceOf(b), tok.balanceOf(c), tok.allowance(b, c)) == (240, 60, 40)
    with lab.reverts("ERC20: insufficient allowance"):
        tok.transferFrom(b, c, 41, sender=c)
    assert tok.balanceOf(a) + tok.balanceOf(b) + tok.balanceOf(c) == 1_000


def test_erc721_interface_mint_and_transfer(lab):
    a, b, c, _ = lab.accounts
    nft = lab.deploy("nft", "Lab Art", "ART")
    assert nft.supportsInterface(ERC721_ID) and nft.supportsInterface(ERC165_ID)
    assert not nft.supportsInterface(bytes.fromhex("ffffffff"))
    nft.mint(b, 7, "ipfs://seven", sender=a)
    assert (nft.ownerOf(7), nft.balanceOf(b), nft.tokenURI(7), nft.totalSupply()) == (b, 1, "ipfs://seven", 1)
    with lab.reverts("ERC721: only the minter mints"):
        nft.mint(c, 8, "", sender=b)
    with lab.reverts("ERC721: token already minted"):
        nft.mint(c, 7, "", sender=a)
    with lab.reverts("ERC721: caller is not owner nor approved"):
        nft.transferFrom(b, c, 7, sender=c)
    nft.approve(c, 7, sender=b)
    nft.safeTransferFrom(b, c, 7, sender=c)
    assert nft.ownerOf(7) == c and nft.balanceOf(b) == 0 and nft.getApproved(7) == "0x" + "0" * 40
    with lab.reverts("ERC721: token does not exist"):
        nft.ownerOf(99)


def test_amm_reproduces_uniswap_v2_and_keeps_k_growing(lab):
    a, b, _, _ = lab.accounts
    t0, t1, amm = lab.amm_market(5 * 10**18, 10 * 10**18)
    assert amm.getAmountOut(10**18, 5 * 10**18, 10 * 10**18) == 1662497915624478906
    t0.transfer(b, 10**18, sender=a)
    t0.approve(amm.address, 10**18, sender=b)
    k0 = amm.reserve0() * amm.reserve1()
    with lab.reverts("AMM: slippage (output below min_out)"):
        amm.swap(t0.address, 10**18, 1662497915624478907, sender=b)
    out = amm.swap(t0.address, 10**18, 0, sender=b)
    assert out == 1662497915624478906 == t1.balanceOf(b)
    assert (amm.reserve0(), amm.reserve1()) == (6 * 10**18, 10 * 10**18 - out)
    assert amm.reserve0() * amm.reserve1() > k0  # the 0.3% fee stays in the pool
    shares = amm.balanceOf(a)
    got0, got1 = amm.removeLiquidity(shares, sender=a)
    assert (got0, got1) == (6 * 10**18, 10 * 10**18 - out) and amm.totalSupply() == 0
    table = price_impact_table(5 * 10**18, 10 * 10**18, [10**15, 10**17, 10**18, 5 * 10**18], amm=amm)
    assert table.evm_checked.all() and table.price_impact.is_monotonic_increasing
    assert table.price_impact.iat[0] == pytest.approx(0.003, abs=3e-4)  # tiny trades pay just the fee


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 10**30), st.integers(1, 10**30), st.integers(1, 10**30))
def test_amm_getamountout_equals_formula_on_random_integers(x, r_in, r_out):
    amm = _amm()
    assert amm.getAmountOut(x, r_in, r_out) == amm_amount_out(x, r_in, r_out)


_CACHE = {}


def _amm():
    if "amm" not in _CACHE:
        _CACHE["amm"] = EVM(1).amm_market(10**18, 10**18)[2]
    return _CACHE["amm"]


def test_failing_transaction_with_explicit_gas_is_mined_with_status_zero():
    df = receipts_demo()
    assert list(df.status) == [1, 1, 0]
    assert df.block.is_monotonic_increasing and df.gas_used.iat[2] < 100_000
    assert df.receiver_balance.tolist() == [0, 10, 10]


def test_transfer_rate_runs_and_balances_add_up():
    r = transfer_rate(50)
    assert r["transfers"] == 50 and r["per_second"] > 0


def test_lab_without_the_extra_raises_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "boa", None)
    wevm._deployer.cache_clear()
    assert not wevm.evm_available()
    with pytest.raises(EVMUnavailableError, match=r'pip install -e "\.\[evm\]"'):
        EVM()
    assert amm_amount_out(10**18, 5 * 10**18, 10 * 10**18) == 1662497915624478906
    assert "evm_checked" not in price_impact_table(100, 100, [1, 10])


def test_bad_input_is_named():
    from workbench.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match=r"amount_in \(token base units\) must be an integer >= 1"):
        amm_amount_out(0, 1, 1)
    with pytest.raises(WorkbenchError, match="unknown contract"):
        wevm.contract_source("nope")


def test_reverts_without_a_reason_accepts_any_revert(lab):
    a, b, *_ = lab.accounts
    tok = lab.deploy("token", "Lab", "LAB", 10)
    with lab.reverts():
        tok.transfer(a, 11, sender=b)
    with pytest.raises(ValueError, match="Did not revert"):  # a call that does not revert fails the check
        with lab.reverts():
            tok.transfer(b, 1, sender=a)
