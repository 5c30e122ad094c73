"""Contracts on a real EVM: an ERC-20 token, an ERC-721 NFT and a constant-product AMM,
written in Vyper (``workbench/chain/contracts/*.vy``), run by titanoboa (py-evm) and, for
the JSON-RPC view with transaction receipts, by web3 over eth-tester.

This part needs the extra ``pip install -e ".[evm]"`` (vyper, titanoboa, web3,
eth-tester); without it every function here raises :class:`EVMUnavailableError` with that
instruction, and the rest of the blockchain lab works unchanged.

Examples
--------
>>> amm_amount_out(10 ** 18, 5 * 10 ** 18, 10 * 10 ** 18)   # Uniswap v2's getAmountOut
1662497915624478906
"""

from __future__ import annotations

import functools
import time
from importlib import resources

import pandas as pd

from ..errors import Int, WorkbenchError, check

__all__ = [
    "CONTRACTS",
    "EVMUnavailableError",
    "evm_available",
    "contract_source",
    "EVM",
    "amm_amount_out",
    "price_impact_table",
    "revert_reason",
    "compile_seconds",
    "transfer_rate",
    "receipts_demo",
    "ERC165_ID",
    "ERC721_ID",
]

CONTRACTS = ("token", "nft", "amm")
ERC165_ID = bytes.fromhex("01ffc9a7")
ERC721_ID = bytes.fromhex("80ac58cd")


class EVMUnavailableError(WorkbenchError, ImportError):
    """The optional EVM stack (vyper, titanoboa, web3, eth-tester) is not installed."""


_HINT = (
    'the EVM part of the blockchain lab needs the extra: pip install -e ".[evm]" '
    "(vyper, titanoboa, web3, eth-tester); everything else in workbench.chain works without it"
)


def evm_available() -> bool:
    """True when vyper, titanoboa, web3 and eth-tester import."""
    try:
        _modules()
    except EVMUnavailableError:
        return False
    return True


def _modules():
    try:
        import boa
        import eth_tester  # noqa: F401  (web3 EthereumTesterProvider backend)
        import vyper
        import web3
    except ImportError as exc:
        raise EVMUnavailableError(f"{_HINT} (missing: {exc.name})") from None
    return boa, vyper, web3


def contract_source(name: str) -> str:
    """Vyper source of one of :data:`CONTRACTS`."""
    if name not in CONTRACTS:
        raise WorkbenchError(f"unknown contract {name!r}; available: {CONTRACTS}")
    return resources.files("workbench.chain").joinpath("contracts", f"{name}.vy").read_text()


@functools.cache
def _deployer(name: str):
    boa, _, _ = _modules()
    return boa.loads_partial(contract_source(name), name=name)


@functools.cache
def _compiled(name: str) -> dict:
    _, vyper, _ = _modules()
    return vyper.compile_code(contract_source(name), output_formats=["abi", "bytecode"])


def revert_reason(exc: BaseException) -> str:
    """The reason string of a reverted call (titanoboa's error text starts with a frame banner)."""
    for line in str(exc).splitlines():
        line = line.strip()
        if line and not line.startswith(("=", "[E]")):
            return line
    return type(exc).__name__


def compile_seconds(name: str) -> float:
    """Seconds the Vyper compiler takes for one of :data:`CONTRACTS` (no cache)."""
    _, vyper, _ = _modules()
    t0 = time.perf_counter()
    vyper.compile_code(contract_source(name), output_formats=["abi", "bytecode"])
    return time.perf_counter() - t0


def amm_amount_out(amount_in: int, reserve_in: int, reserve_out: int) -> int:
    """Uniswap v2's ``getAmountOut`` in exact integers: ``in*997*R_out // (R_in*1000 + in*997)``."""
    amount_in, reserve_in, reserve_out = (
        check(f"{n} (token base units)", x, Int(1), WorkbenchError)
        for n, x in (("amount_in", amount_in), ("reserve_in", reserve_in), ("reserve_out", reserve_out))
    )
    fee_in = amount_in * 997
    return fee_in * reserve_out // (reserve_in * 1000 + fee_in)


class EVM:
    """A fresh titanoboa environment with named, funded accounts.

    >>> evm = EVM()
    >>> token = evm.deploy("token", "Lab", "LAB", 10 ** 24)
    >>> token.transfer(evm.accounts[1], 5, sender=evm.accounts[0])
    True
    >>> token.balanceOf(evm.accounts[1])
    5
    """

    def __init__(self, n_accounts: int = 4):
        boa, _, _ = _modules()
        n_accounts = check("n_accounts", n_accounts, Int(1, 100), WorkbenchError)
        self._boa = boa
        self.env = boa.Env()
        self.accounts = [self.env.generate_address(f"account{i}") for i in range(n_accounts)]
        for a in self.accounts:
            self.env.set_balance(a, 10**21)

    def deploy(self, name: str, *args, sender=None):
        """Deploy one of :data:`CONTRACTS` (compiled once per process) from ``sender`` (default account 0)."""
        deployer = _deployer(name)
        with self._boa.swap_env(self.env), self.env.prank(sender or self.accounts[0]):
            return deployer.deploy(*args)

    def reverts(self, reason: str | None = None):
        """Context manager asserting that the enclosed call reverts (optionally with ``reason``)."""
        return self._boa.reverts(reason)

    def amm_market(self, reserve0: int, reserve1: int, supply: int = 10**30):
        """Two tokens and an AMM pair seeded with the given reserves by account 0."""
        owner = self.accounts[0]
        t0 = self.deploy("token", "Token zero", "TK0", supply)
        t1 = self.deploy("token", "Token one", "TK1", supply)
        amm = self.deploy("amm", t0.address, t1.address)
        t0.approve(amm.address, reserve0, sender=owner)
        t1.approve(amm.address, reserve1, sender=owner)
        amm.addLiquidity(reserve0, reserve1, sender=owner)
        return t0, t1, amm


def price_impact_table(reserve_in: int, reserve_out: int, sizes, amm=None) -> pd.DataFrame:
    """Output, execution price and price impact of trades of each size against a pool.

    With ``amm`` (a deployed pair), every output is the EVM's ``getAmountOut`` and is
    compared with the exact integer formula; without, the formula alone (no extra needed).
    Price impact is ``1 - execution price / spot price`` (fee included).
    """
    rows = []
    spot = reserve_out / reserve_in
    for size in sizes:
        size = int(size)
        out = amm_amount_out(size, reserve_in, reserve_out)
        row = {
            "amount_in": size,
            "amount_out": out,
            "spot_price": spot,
            "execution_price": out / size,
            "price_impact": 1 - (out / size) / spot,
            "trade_share_of_pool": size / reserve_in,
        }
        if amm is not None:
            evm_out = amm.getAmountOut(size, reserve_in, reserve_out)
            if evm_out != out:
                raise AssertionError(f"EVM gave {evm_out}, the formula {out}")  # pragma: no cover
            row["evm_checked"] = True
        rows.append(row)
    return pd.DataFrame(rows)


def transfer_rate(n: int = 500) -> dict:
    """ERC-20 transfers per second through titanoboa (deploy excluded), with a balance check."""
    evm = EVM(3)
    a, b, c = evm.accounts
    token = evm.deploy("token", "Rate", "RT", 10**24)
    token.transfer(b, 10**20, sender=a)
    t0 = time.perf_counter()
    for i in range(n):
        token.transfer(c if i % 2 else b, 1, sender=a)
    dt = time.perf_counter() - t0
    if token.balanceOf(c) != n // 2:  # pragma: no cover - an EVM bug, not a user error
        raise AssertionError("balances do not add up")
    return {"transfers": n, "seconds": dt, "per_second": n / dt}


def receipts_demo() -> pd.DataFrame:
    """Deploy the token through web3 + eth-tester and read receipts: a deployment, a
    transfer, and an overspending transfer sent with an explicit gas limit, which is
    *mined with status 0* (it does not raise: the gas is spent and the state unchanged).
    ``receiver_balance`` is the receiving account's token balance after each transaction."""
    _, _, web3 = _modules()
    from web3 import EthereumTesterProvider, Web3

    w3 = Web3(EthereumTesterProvider())
    a, b = w3.eth.accounts[:2]
    out = _compiled("token")
    factory = w3.eth.contract(abi=out["abi"], bytecode=out["bytecode"])
    rows = []

    token = None

    def record(what, tx_hash):
        r = w3.eth.wait_for_transaction_receipt(tx_hash)
        contract = token or w3.eth.contract(address=r.contractAddress, abi=out["abi"])
        rows.append(
            {
                "transaction": what,
                "status": r.status,
                "block": r.blockNumber,
                "gas_used": r.gasUsed,
                "logs": len(r.logs),
                "receiver_balance": contract.functions.balanceOf(b).call(),
            }
        )
        return r

    r = record("deploy ERC-20", factory.constructor("Receipt", "RCT", 10**6).transact({"from": a}))
    token = w3.eth.contract(address=r.contractAddress, abi=out["abi"])
    record("transfer 10", token.functions.transfer(b, 10).transact({"from": a}))
    record(
        "transfer 10**9 (overspend, gas=100000)",
        token.functions.transfer(b, 10**9).transact({"from": a, "gas": 100_000}),
    )
    return pd.DataFrame(rows)
