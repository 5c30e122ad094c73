"""Charts and live panels for the blockchain lab.

The charts use Altair parameters (sliders bound inside the chart), so they stay interactive
in an exported offline report; the ipywidgets panels (mining, tampering, NFT) need a running
kernel.
"""

from __future__ import annotations

import copy
import dataclasses
import html
import time

import altair as alt
import ipywidgets as W
import numpy as np
import pandas as pd

from ..errors import Int, WorkbenchError, checked, make_rng
from .bitcoin import bits_to_target
from .evm import revert_reason
from .hashes import sha256d
from .keys import PrivateKey
from .ledger import Block, Transaction, ValidationError
from .merkle import merkle_levels, merkle_proof, verify_proof
from .node import Chain, ChainConfig, difficulty_to_bits

__all__ = [
    "merkle_explorer",
    "mining_table",
    "mining_panel",
    "tamper_table",
    "tamper_panel",
    "amm_impact_chart",
    "nft_panel",
]


def merkle_explorer(leaves, *, width: int = 640, height: int = 260) -> alt.LayerChart:
    """The Merkle tree of ``leaves`` (32-byte hashes) with a slider choosing a leaf: its proof
    (the sibling hashes, orange) and the path they recompute (red) light up.

    Each proof is built and verified with :func:`workbench.chain.merkle.merkle_proof` and
    :func:`~workbench.chain.merkle.verify_proof` before it is drawn.

    Parameters
    ----------
    leaves : sequence of bytes
        1 to 64 leaf hashes, 32 bytes each (internal byte order).
    width : int, default 640
        Chart width in pixels.
    height : int, default 260
        Chart height in pixels.

    Returns
    -------
    altair.LayerChart
        Three layers (edges, nodes coloured by their role for the chosen leaf, hash labels)
        and a ``leaf`` slider parameter.

    Raises
    ------
    WorkbenchError
        If there are not 1 to 64 leaves.
    MerkleError
        If a leaf is not 32 bytes.

    Examples
    --------
    >>> from workbench.chain import sha256d
    >>> from workbench.chain.widgets import merkle_explorer
    >>> chart = merkle_explorer([sha256d(bytes([i])) for i in range(5)])
    >>> len(chart.layer)
    3
    """
    leaves = [bytes(x) for x in leaves]
    if not 1 <= len(leaves) <= 64:
        raise WorkbenchError(f"the explorer draws 1 to 64 leaves, got {len(leaves)}")
    levels = merkle_levels(leaves)
    depth = len(levels) - 1
    nodes, edges, roles = [], [], []
    for lv, hashes in enumerate(levels):
        width_lv = len(hashes) + (len(hashes) % 2 if lv < depth else 0)
        for i in range(width_lv):
            dup = i >= len(hashes)
            h = hashes[-1] if dup else hashes[i]
            x = (i + 0.5) * 2**lv
            nodes.append(
                {
                    "level": lv,
                    "i": i,
                    "x": x,
                    "y": lv,
                    "hash": h[::-1].hex()[:12] + "...",
                    "kind": "duplicate (odd rule)"
                    if dup
                    else ("leaf" if lv == 0 else ("root" if lv == depth else "inner")),
                }
            )
            if lv < depth:
                edges.append({"x": x, "y": lv, "x2": (i // 2 + 0.5) * 2 ** (lv + 1), "y2": lv + 1})
    root = levels[-1][0]
    for leaf in range(len(leaves)):
        proof = merkle_proof(leaves, leaf)
        assert verify_proof(proof, root)
        i = leaf
        for lv in range(depth + 1):
            roles.append({"leaf": leaf, "level": lv, "i": i, "role": "path"})
            if lv < depth:
                roles.append({"leaf": leaf, "level": lv, "i": i ^ 1, "role": "proof"})
            i //= 2
    nodes = pd.DataFrame(nodes)
    roles = pd.DataFrame(roles)
    grid = (
        nodes.merge(pd.DataFrame({"leaf": range(len(leaves))}), how="cross")
        .merge(roles, on=["leaf", "level", "i"], how="left")
        .fillna({"role": "other"})
    )
    pick = alt.param(name="leaf", value=0, bind=alt.binding_range(min=0, max=len(leaves) - 1, step=1, name="leaf "))
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[0, 2**depth]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.5, depth + 0.5]))
    lines = alt.Chart(pd.DataFrame(edges)).mark_rule(color="#bbb").encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    dots = (
        alt.Chart(grid)
        .transform_filter(alt.datum.leaf == pick)
        .mark_circle(size=260, stroke="black")
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "role:N",
                scale=alt.Scale(domain=["path", "proof", "other"], range=["#e45756", "#f58518", "#cfd8dc"]),
                title="for the chosen leaf",
            ),
            tooltip=["kind:N", "level:Q", "i:Q", "hash:N", "role:N"],
        )
    )
    text = (
        alt.Chart(grid)
        .transform_filter(alt.datum.leaf == pick)
        .mark_text(dy=-16, fontSize=9, color="#555")
        .encode(x=x, y=y, text="hash:N")
    )
    return (
        alt.layer(lines, dots, text)
        .add_params(pick)
        .properties(
            width=width,
            height=height,
            title=f"Merkle tree of {len(leaves)} leaves: a proof is {depth} hashes (log2 n), not {len(leaves) - 1}",
        )
    )


@checked(WorkbenchError, blocks=Int(1, 10**6))
def mining_table(bits=range(6, 19, 2), *, blocks: int = 3, seed: int = 0) -> pd.DataFrame:
    """Really mine ``blocks`` blocks at each difficulty; tries and seconds against 2**bits.

    Returns one row per difficulty: ``difficulty_bits, expected_tries, mean_tries, seconds_per_block,
    hashes_per_s``.

    Parameters
    ----------
    bits : iterable of float, default range(6, 19, 2)
        Difficulties in leading zero bits, each in [1, 64]; mining takes about ``2**bits`` hashes
        a block, so keep them small (18 bits: about a quarter of a million hashes a block).
    blocks : int, default 3
        Blocks mined at each difficulty (on one fresh PoW chain per difficulty).
    seed : int, numpy.random.Generator or None, default 0
        Seed of the random miner addresses (which change the hashes, hence the tries).

    Returns
    -------
    pandas.DataFrame
        One row per difficulty: ``difficulty_bits``, ``expected_tries`` (``2**bits``),
        ``mean_tries``, ``seconds_per_block``, ``hashes_per_s``.

    Raises
    ------
    ConfigError
        If a difficulty is outside [1, 64].
    WorkbenchError
        If ``blocks`` is not an integer >= 1.

    Examples
    --------
    >>> from workbench.chain.widgets import mining_table
    >>> mining_table(bits=[4, 6], blocks=2, seed=0)[["difficulty_bits", "expected_tries"]].values.tolist()
    [[4.0, 16.0], [6.0, 64.0]]
    """
    rng = make_rng(seed)
    rows = []
    for b in bits:
        chain = Chain(ChainConfig(chain_id=1, difficulty_bits=b, retarget_interval=10**6))
        tries, secs = [], []
        for _ in range(blocks):
            miner = "0x" + rng.bytes(20).hex()
            t0 = time.perf_counter()
            blk = chain.mine_block(miner, timestamp_ms=chain.header(chain.tip).timestamp_ms + 1000)
            secs.append(time.perf_counter() - t0)
            tries.append(blk.header.nonce + 1)
            chain.add_block(blk)
        rows.append(
            {
                "difficulty_bits": b,
                "expected_tries": 2.0**b,
                "mean_tries": float(np.mean(tries)),
                "seconds_per_block": float(np.mean(secs)),
                "hashes_per_s": float(np.sum(tries) / max(np.sum(secs), 1e-9)),
            }
        )
    return pd.DataFrame(rows)


def mining_panel() -> W.VBox:
    """A difficulty slider and a *mine* button: the nonce found, the hash and the time it took.

    Each click mines the first block of a fresh PoW chain at the chosen difficulty (4 to 22
    leading zero bits; 22 bits takes a few seconds).

    Returns
    -------
    ipywidgets.VBox
        The panel (it needs a running kernel to react).

    Examples
    --------
    >>> from workbench.chain.widgets import mining_panel
    >>> type(mining_panel()).__name__
    'VBox'
    """
    bits = W.IntSlider(value=14, min=4, max=22, description="difficulty bits")
    go = W.Button(description="mine a block")
    out = W.HTML()
    miner = PrivateKey.from_int(7).address

    def mine(*_):
        cfg = ChainConfig(chain_id=1, difficulty_bits=bits.value, retarget_interval=10**6)
        c = Chain(cfg)
        t0 = time.perf_counter()
        blk = c.mine_block(miner, timestamp_ms=int(time.time() * 1000))
        dt = time.perf_counter() - t0
        out.value = (
            f"nonce <b>{blk.header.nonce:,}</b> after {dt:.2f} s "
            f"(expected ~{2**bits.value:,} tries); hash <code>{blk.hash[::-1].hex()}</code>, "
            f"target <code>{bits_to_target(cfg.initial_bits):064x}</code>"
        )

    go.on_click(mine)
    return W.VBox([W.HBox([bits, go]), out])


_TAMPERS = {
    "value (+1)": lambda r, off: _flip(r, off["value"] + 7),
    "recipient byte": lambda r, off: _flip(r, off["to"]),
    "nonce": lambda r, off: _flip(r, off["nonce"] + 7),
    "chain id": lambda r, off: _flip(r, off["chain_id"] + 3),
    "signature s -> n - s (high-S twin)": None,
    "signature v byte": lambda r, off: _flip(r, len(r) - 1, 0x02),
    "truncate last byte": lambda r, off: r[:-1],
}


def _flip(raw: bytes, i: int, mask: int = 0x01) -> bytes:
    b = bytearray(raw)
    b[i] ^= mask
    return bytes(b)


def _tamper_tx(raw: bytes, how: str) -> bytes:
    from .keys import N

    off = {"chain_id": 1, "nonce": 5, "to": 13, "value": 33}
    if how.startswith("signature s"):
        s = int.from_bytes(raw[-33:-1], "big")
        return raw[:-33] + (N - s).to_bytes(32, "big") + bytes([raw[-1] ^ 1])
    return _TAMPERS[how](raw, off)


def tamper_table(chain: Chain, block: Block) -> pd.DataFrame:
    """Tamper with the first transaction of ``block`` (a valid next block of ``chain``) and
    with its header, in several ways; each row names the reason the node rejects it.

    ``tx_check`` is the transaction alone (parsing, signature, then the state: a changed
    field usually recovers a *different*, empty sender); ``block_check`` is the block with
    the tampered transaction put back, where the Merkle root catches any change. The chain
    is left unchanged.

    Parameters
    ----------
    chain : Chain
        The node that judges the blocks (each check runs on a deep copy).
    block : Block
        A valid next block of ``chain`` holding at least one transaction.

    Returns
    -------
    pandas.DataFrame
        One row per tampering (7 of the transaction, 4 of the header, then the original
        block): ``tampered``, ``tx_check`` and ``block_check``, each ``"valid"``, the
        :data:`REASONS` key of the rejection, or ``""`` when that check does not apply.

    Raises
    ------
    WorkbenchError
        If ``block`` holds no transaction.

    Examples
    --------
    >>> from workbench.chain import Chain, ChainConfig, PrivateKey, Transaction
    >>> from workbench.chain.widgets import tamper_table
    >>> alice, bob, miner = (PrivateKey.from_int(i) for i in (1, 2, 3))
    >>> chain = Chain(ChainConfig(chain_id=7, alloc={alice.address: 1000}, difficulty_bits=4))
    >>> tx = Transaction(chain_id=7, nonce=0, to=bob.address, value=5, fee=1).sign(alice)
    >>> table = tamper_table(chain, chain.mine_block(miner.address, [tx]))
    >>> table.block_check.iloc[0], table.iloc[-1].tolist()
    ('bad-merkle-root', ['nothing (the original block)', 'valid', 'valid'])
    """
    if not block.transactions:
        raise WorkbenchError("tamper_table needs a block with at least one transaction")
    rows = []
    raw_tx = block.transactions[0].serialize()
    for how in _TAMPERS:
        tx_check, tx = _tx_check(chain, _tamper_tx(raw_tx, how))
        block_check = "" if tx is None else _block_check(chain, Block(block.header, (tx,) + block.transactions[1:]))
        rows.append({"tampered": f"transaction: {how}", "tx_check": tx_check, "block_check": block_check})
    hd = block.header
    for how, new in [
        ("header: merkle root", dataclasses.replace(hd, merkle_root=sha256d(hd.merkle_root))),
        ("header: nonce + 1", dataclasses.replace(hd, nonce=hd.nonce + 1)),
        ("header: timestamp before parent", dataclasses.replace(hd, timestamp_ms=0)),
        ("header: easier bits", dataclasses.replace(hd, bits=difficulty_to_bits(1))),
    ]:
        rows.append(
            {"tampered": how, "tx_check": "", "block_check": _block_check(chain, Block(new, block.transactions))}
        )
    rows.append(
        {
            "tampered": "nothing (the original block)",
            "tx_check": _tx_check(chain, raw_tx)[0],
            "block_check": _block_check(chain, block),
        }
    )
    return pd.DataFrame(rows)


def _tx_check(chain: Chain, raw: bytes):
    try:
        tx = Transaction.parse(raw, chain.config.chain_id)
    except ValidationError as exc:
        return exc.reason, None
    try:
        chain.state.copy().apply_tx(tx, {})
    except ValidationError as exc:
        return exc.reason, tx
    return "valid", tx


def _block_check(chain: Chain, block: Block) -> str:
    try:
        copy.deepcopy(chain).add_block(block)
    except ValidationError as exc:
        return exc.reason
    return "valid"


def tamper_panel(chain: Chain, block: Block) -> W.VBox:
    """Choose how to tamper with a block; see the named reason the node rejects it for.

    Parameters
    ----------
    chain : Chain
        The node that judges the blocks (left unchanged).
    block : Block
        A valid next block of ``chain`` holding at least one transaction.

    Returns
    -------
    ipywidgets.VBox
        A dropdown of the rows of :func:`tamper_table` (computed once) and the verdicts of the
        chosen one.

    Raises
    ------
    WorkbenchError
        If ``block`` holds no transaction.

    Examples
    --------
    >>> from workbench.chain import Chain, ChainConfig, PrivateKey, Transaction
    >>> from workbench.chain.widgets import tamper_panel
    >>> alice, bob, miner = (PrivateKey.from_int(i) for i in (1, 2, 3))
    >>> chain = Chain(ChainConfig(chain_id=7, alloc={alice.address: 1000}, difficulty_bits=4))
    >>> tx = Transaction(chain_id=7, nonce=0, to=bob.address, value=5, fee=1).sign(alice)
    >>> type(tamper_panel(chain, chain.mine_block(miner.address, [tx]))).__name__
    'VBox'
    """
    table = tamper_table(chain, block)
    pick = W.Dropdown(options=list(table.tampered), description="tamper")
    out = W.HTML()

    def show(*_):
        row = table.set_index("tampered").loc[pick.value]
        parts = []
        for stage in ("tx_check", "block_check"):
            if row[stage]:
                colour = "#2e7d32" if row[stage] == "valid" else "#c62828"
                parts.append(f"{stage.replace('_', ' ')}: <b style='color:{colour}'>{html.escape(row[stage])}</b>")
        out.value = " &nbsp; ".join(parts)

    pick.observe(show, names="value")
    show()
    return W.VBox([pick, out])


def amm_impact_chart(table: pd.DataFrame, *, width: int = 560, height: int = 300) -> alt.LayerChart:
    """Price impact against trade size (log x), with a slider that reads off one trade.

    ``table`` is :func:`workbench.chain.evm.price_impact_table` output.

    Parameters
    ----------
    table : pandas.DataFrame
        Needs ``amount_in``, ``amount_out`` (base units of an 18-decimal token, shown divided
        by 10**18) and ``price_impact``.
    width : int, default 560
        Chart width in pixels.
    height : int, default 300
        Chart height in pixels.

    Returns
    -------
    altair.LayerChart
        Three layers (the curve, the chosen trade, its label) and a ``trade`` slider parameter.

    Examples
    --------
    >>> from workbench.chain import price_impact_table
    >>> from workbench.chain.widgets import amm_impact_chart
    >>> chart = amm_impact_chart(price_impact_table(10**21, 10**21, [10**18, 10**19, 10**20]))
    >>> len(chart.layer)
    3
    """
    df = table.assign(step=np.arange(len(table)), size=table.amount_in / 1e18, out=table.amount_out / 1e18)
    pick = alt.param(
        name="trade",
        value=len(df) // 2,
        bind=alt.binding_range(min=0, max=len(df) - 1, step=1, name="trade size step "),
    )
    x = alt.X("size:Q", scale=alt.Scale(type="log"), title="trade size (tokens in)")
    y = alt.Y("price_impact:Q", axis=alt.Axis(format="%"), title="price impact (incl. 0.3% fee)")
    line = (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("size:Q", format=",.4f"),
                alt.Tooltip("out:Q", format=",.6f"),
                alt.Tooltip("price_impact:Q", format=".3%"),
            ],
        )
    )
    dot = alt.Chart(df).transform_filter(alt.datum.step == pick).mark_circle(size=200, color="#e45756").encode(x=x, y=y)
    label = (
        alt.Chart(df)
        .transform_filter(alt.datum.step == pick)
        .transform_calculate(
            line="format(datum.size, ',.3f') + ' in -> ' + format(datum.out, ',.4f') + ' out; impact ' "
            "+ format(datum.price_impact, '.2%')"
        )
        .mark_text(align="left", baseline="top", fontSize=13, fontWeight="bold")
        .encode(x=alt.value(8), y=alt.value(8), text="line:N")
    )
    return (
        alt.layer(line, dot, label)
        .add_params(pick)
        .properties(width=width, height=height, title="Constant product: bigger trades move the price")
    )


def nft_panel(evm, nft) -> W.VBox:
    """Mint a token id to an account, or transfer it; shows the owners table after each step.

    A failed step shows the contract's revert reason (for example minting an id twice).

    Parameters
    ----------
    evm : EVM
        The environment holding the contract; ``evm.accounts[0]`` mints, and the "to" choice
        lists every account.
    nft : contract
        The ERC-721 contract deployed in ``evm`` by ``accounts[0]``
        (``evm.deploy("nft", name, symbol)``).

    Returns
    -------
    ipywidgets.VBox
        The panel (it needs a running kernel to react).

    Examples
    --------
    >>> from workbench.chain.evm import EVM
    >>> from workbench.chain.widgets import nft_panel
    >>> evm = EVM(2)
    >>> type(nft_panel(evm, evm.deploy("nft", "Lab NFT", "LNFT"))).__name__
    'VBox'
    """
    accts = {f"account {i}": a for i, a in enumerate(evm.accounts)}
    token = W.IntText(value=1, description="token id")
    who = W.Dropdown(options=list(accts), value="account 1", description="to")
    mint, move = W.Button(description="mint (account 0)"), W.Button(description="transfer (owner)")
    out = W.HTML()
    minted: set = set()

    def show(msg):
        rows = "".join(f"<tr><td>{t}</td><td>{nft.ownerOf(t)}</td></tr>" for t in sorted(minted))
        out.value = f"{msg}<table><tr><th>token</th><th>owner</th></tr>{rows}</table>"

    def do_mint(*_):
        try:
            nft.mint(accts[who.value], token.value, f"lab://{token.value}", sender=evm.accounts[0])
            minted.add(token.value)
            show(f"minted {token.value}")
        except Exception as exc:  # the EVM's revert reason is the message
            show(f"reverted: {html.escape(revert_reason(exc))}")

    def do_move(*_):
        try:
            owner = nft.ownerOf(token.value)
            nft.transferFrom(owner, accts[who.value], token.value, sender=owner)
            show(f"moved {token.value}")
        except Exception as exc:
            show(f"reverted: {html.escape(revert_reason(exc))}")

    mint.on_click(do_mint)
    move.on_click(do_move)
    show("")
    return W.VBox([W.HBox([token, who]), W.HBox([mint, move]), out])
