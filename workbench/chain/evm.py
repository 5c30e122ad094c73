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

from ..errors import Int, WorkbenchError, check, checked

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
    """The optional EVM stack (vyper, titanoboa, web3, eth-tester) is not installed.

    Raised by every function of :mod:`workbench.chain.evm` that needs the stack; it is also an
    :class:`ImportError`, so ``except ImportError`` catches it.

    Examples
    --------
    >>> from workbench.chain import EVMUnavailableError
    >>> issubclass(EVMUnavailableError, ImportError)
    True
    """


_HINT = (
    'the EVM part of the blockchain lab needs the extra: pip install -e ".[evm]" '
    "(vyper, titanoboa, web3, eth-tester); everything else in workbench.chain works without it"
)


def evm_available() -> bool:
    """True when vyper, titanoboa, web3 and eth-tester import.

    Returns
    -------
    bool
        Whether the ``evm`` extra is installed (the first call imports the four packages).

    Examples
    --------
    >>> from workbench.chain import evm_available
    >>> evm_available()   # with the "evm" extra installed
    True
    """
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
    """Vyper source of one of :data:`CONTRACTS`.

    Parameters
    ----------
    name : {"token", "nft", "amm"}
        The contract: the ERC-20 token, the ERC-721 NFT or the constant-product AMM.

    Returns
    -------
    str
        The source of ``workbench/chain/contracts/<name>.vy`` (needs no extra).

    Raises
    ------
    WorkbenchError
        If ``name`` is not one of :data:`CONTRACTS`.

    Examples
    --------
    >>> from workbench.chain.evm import contract_source
    >>> contract_source("token").splitlines()[0]
    '# pragma version ~=0.4.0'
    """
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
    """The reason string of a reverted call (titanoboa's error text starts with a frame banner).

    Parameters
    ----------
    exc : BaseException
        The exception a reverted call raised (any exception works).

    Returns
    -------
    str
        The first line of its text that is not blank and does not start with ``=`` or
        ``[E]``; the exception's class name when there is none.

    Examples
    --------
    >>> from workbench.chain.evm import revert_reason
    >>> revert_reason(ValueError("ERC20: transfer amount exceeds balance"))
    'ERC20: transfer amount exceeds balance'
    >>> revert_reason(RuntimeError())
    'RuntimeError'
    """
    for line in str(exc).splitlines():
        line = line.strip()
        if line and not line.startswith(("=", "[E]")):
            return line
    return type(exc).__name__


def compile_seconds(name: str) -> float:
    """Seconds the Vyper compiler takes for one of :data:`CONTRACTS` (no cache).

    Parameters
    ----------
    name : {"token", "nft", "amm"}
        The contract to compile (ABI and bytecode).

    Returns
    -------
    float
        Wall-clock seconds of one compilation.

    Raises
    ------
    EVMUnavailableError
        If the ``evm`` extra is not installed.
    WorkbenchError
        If ``name`` is not one of :data:`CONTRACTS`.

    Examples
    --------
    >>> from workbench.chain.evm import compile_seconds
    >>> compile_seconds("token") > 0
    True
    """
    _, vyper, _ = _modules()
    t0 = time.perf_counter()
    vyper.compile_code(contract_source(name), output_formats=["abi", "bytecode"])
    return time.perf_counter() - t0


def amm_amount_out(amount_in: int, reserve_in: int, reserve_out: int) -> int:
    """Uniswap v2's ``getAmountOut`` in exact integers: ``in*997*R_out // (R_in*1000 + in*997)``.

    A swap pays a 0.3% fee on the amount in and keeps ``reserve_in * reserve_out`` constant
    (rounded down). Needs no extra.

    Parameters
    ----------
    amount_in : int
        Tokens sold to the pool, in base units, an integer >= 1.
    reserve_in : int
        The pool's reserve of the token sold, in base units, >= 1.
    reserve_out : int
        The pool's reserve of the token bought, in base units, >= 1.

    Returns
    -------
    int
        Tokens bought, in base units.

    Raises
    ------
    WorkbenchError
        If an argument is not an integer >= 1.

    Examples
    --------
    >>> from workbench.chain import amm_amount_out
    >>> amm_amount_out(1000, 10**6, 10**6)   # 1000 in: 0.3% fee and 0.1% price impact
    996
    """
    amount_in, reserve_in, reserve_out = (
        check(f"{n} (token base units)", x, Int(1), WorkbenchError)
        for n, x in (("amount_in", amount_in), ("reserve_in", reserve_in), ("reserve_out", reserve_out))
    )
    fee_in = amount_in * 997
    return fee_in * reserve_out // (reserve_in * 1000 + fee_in)


class EVM:
    """A fresh titanoboa environment with named, funded accounts.

    Parameters
    ----------
    n_accounts : int, default 4
        Accounts to create, an integer in [1, 100]; each holds 10**21 wei (1000 ether).

    Attributes
    ----------
    env : boa.Env
        The titanoboa environment; contracts deployed here live only in it.
    accounts : list of str
        The accounts' addresses (titanoboa ``Address`` strings); ``accounts[0]`` deploys by default.

    Raises
    ------
    EVMUnavailableError
        If the ``evm`` extra is not installed.
    WorkbenchError
        If ``n_accounts`` is not an integer in [1, 100].

    Examples
    --------
    >>> from workbench.chain.evm import EVM
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
        """Deploy one of :data:`CONTRACTS` (compiled once per process) from ``sender`` (default account 0).

        Parameters
        ----------
        name : {"token", "nft", "amm"}
            The contract.
        *args
            Its constructor's arguments: ``(name, symbol, supply)`` for the token (``supply``
            in base units, 18 decimals, minted to the deployer), ``(name, symbol)`` for the
            NFT (the deployer becomes its only minter), ``(token0, token1)`` addresses for the AMM.
        sender : str or None, default None
            Address that deploys; None: ``accounts[0]``.

        Returns
        -------
        boa.contracts.vyper.vyper_contract.VyperContract
            The deployed contract: call its functions as methods (``sender=`` picks the caller).

        Raises
        ------
        WorkbenchError
            If ``name`` is not one of :data:`CONTRACTS`.
        """
        deployer = _deployer(name)
        with self._boa.swap_env(self.env), self.env.prank(sender or self.accounts[0]):
            return deployer.deploy(*args)

    def reverts(self, reason: str | None = None):
        """Context manager asserting that the enclosed call reverts with ``reason``.

        Parameters
        ----------
        reason : str or None, default None
            The revert reason the call must give (its ``assert`` message); ``None`` accepts any
            revert.

        Returns
        -------
        contextlib.AbstractContextManager
            titanoboa's ``boa.reverts(reason)``: leaving it raises :class:`ValueError` when the
            enclosed call did not revert, or reverted with another reason.

        Examples
        --------
        >>> from workbench.chain.evm import EVM
        >>> evm = EVM(2)
        >>> token = evm.deploy("token", "Lab", "LAB", 100)
        >>> with evm.reverts("ERC20: transfer amount exceeds balance"):
        ...     token.transfer(evm.accounts[0], 5, sender=evm.accounts[1])
        """
        return self._boa.reverts() if reason is None else self._boa.reverts(reason)

    def amm_market(self, reserve0: int, reserve1: int, supply: int = 10**30):
        """Two tokens and an AMM pair seeded with the given reserves by account 0.

        Parameters
        ----------
        reserve0 : int
            Initial reserve of token 0 in the pair, base units (at most ``supply``).
        reserve1 : int
            Initial reserve of token 1 in the pair, base units (at most ``supply``).
        supply : int, default 10**30
            Supply of each token, base units (18 decimals), minted to account 0.

        Returns
        -------
        tuple
            ``(token0, token1, amm)``, the three deployed contracts; the pair's
            ``getAmountOut`` matches :func:`amm_amount_out`.
        """
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

    Parameters
    ----------
    reserve_in : int
        The pool's reserve of the token sold, base units, >= 1.
    reserve_out : int
        The pool's reserve of the token bought, base units, >= 1.
    sizes : iterable of int
        Trade sizes (tokens in, base units, each >= 1), one row each.
    amm : contract or None, default None
        A deployed AMM pair (:meth:`EVM.amm_market`) to check every output against; None:
        the formula alone.

    Returns
    -------
    pandas.DataFrame
        One row per size: ``amount_in``, ``amount_out``, ``spot_price``, ``execution_price``,
        ``price_impact``, ``trade_share_of_pool``, and ``evm_checked`` when ``amm`` is given.

    Raises
    ------
    WorkbenchError
        If a reserve or a size is not an integer >= 1.
    AssertionError
        If the EVM's output differs from the formula's.

    Examples
    --------
    >>> from workbench.chain import price_impact_table
    >>> df = price_impact_table(10**21, 10**21, [10**18, 10**20])
    >>> df.price_impact.round(4).tolist()
    [0.004, 0.0934]
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


@checked(WorkbenchError, n=Int(1, 10**7))
def transfer_rate(n: int = 500) -> dict:
    """ERC-20 transfers per second through titanoboa (deploy excluded), with a balance check.

    Parameters
    ----------
    n : int, default 500
        Transfers to time, alternating between two receivers.

    Returns
    -------
    dict
        ``transfers`` (``n``), ``seconds`` (wall-clock time of the transfers) and ``per_second``.

    Raises
    ------
    EVMUnavailableError
        If the ``evm`` extra is not installed.
    WorkbenchError
        If ``n`` is not an integer >= 1.
    AssertionError
        If the receivers' balances do not add up afterwards (an EVM bug).

    Examples
    --------
    >>> from workbench.chain.evm import transfer_rate
    >>> r = transfer_rate(20)
    >>> r["transfers"], r["per_second"] > 0
    (20, True)
    """
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
    ``receiver_balance`` is the receiving account's token balance after each transaction.

    Returns
    -------
    pandas.DataFrame
        Three rows (deploy, transfer, failed overspend): ``transaction``, ``status``,
        ``block``, ``gas_used``, ``logs``, ``receiver_balance``.

    Raises
    ------
    EVMUnavailableError
        If the ``evm`` extra is not installed.

    Examples
    --------
    >>> from workbench.chain.evm import receipts_demo
    >>> df = receipts_demo()
    >>> df.status.tolist(), df.receiver_balance.tolist()
    ([1, 1, 0], [0, 10, 10])
    """
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
