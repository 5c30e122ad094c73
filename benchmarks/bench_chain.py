"""Blockchain lab speed targets, same run (CPU time, best of --repeat, one thread).

    python benchmarks/bench_chain.py [--repeat 3]

Goals (issue: blockchain lab): Merkle root of 100k leaves <= 0.5 s; selfish mining 1e6 events
per (alpha, gamma) point < 2 s; anchors printed beside them: a naive recursive Python Merkle
root over the same leaves, and coincurve's raw verify and recover rates (the floor of any
transaction validator written on top of them). Block validation >= 5,000 signed transactions/s
(parse, recover every sender, Merkle root, nonces and balances), timed against recovery alone.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys

import coincurve
from harness import check, header, summary
from workbench.chain import PrivateKey, recover, sha256d, verify
from workbench.chain.attacks import simulate_selfish_mining
from workbench.chain.ledger import Block, Transaction
from workbench.chain.merkle import merkle_root
from workbench.chain.node import Chain, ChainConfig
from workbench.timing import cpu_best as cpu

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from tests.naive import merkle_root_naive  # noqa: E402  (the tests' reference is the anchor)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    header("Merkle root, 100,000 leaves")
    leaves = [os.urandom(32) for _ in range(100_000)]
    t_ours, root = cpu(lambda: merkle_root(leaves), args.repeat)
    t_naive, root2 = cpu(lambda: merkle_root_naive(leaves), args.repeat)
    assert root == root2
    print(f"ours {t_ours:.3f} s   naive recursive {t_naive:.3f} s   ratio {t_ours / t_naive:.2f}x")
    check("merkle root of 100k leaves <= 0.5 s", t_ours <= 0.5)

    header("Selfish mining, 1e6 events per point")
    simulate_selfish_mining(0.3, 0.5, events=1000, seed=0)  # compile outside the timing
    t_sm, df = cpu(lambda: simulate_selfish_mining(0.4, 0.5, events=1_000_000, seed=0), args.repeat)
    rel = abs(df.revenue.item() / df.closed_form.item() - 1)
    print(f"one point {t_sm:.3f} s (random numbers included), |sim/closed - 1| = {rel:.4f}")
    check("selfish mining 1e6 events per point < 2 s", t_sm < 2.0)

    header("Signature anchors (coincurve / libsecp256k1)")
    keys = [PrivateKey.generate(seed=i) for i in range(200)]
    digests = [sha256d(i.to_bytes(4, "little")) for i in range(200)]
    sigs = [k.sign(d) for k, d in zip(keys, digests)]
    t_v, _ = cpu(lambda: [verify(k.public_key, d, s) for k, d, s in zip(keys, digests, sigs)], args.repeat)
    t_r, _ = cpu(lambda: [recover(d, s) for d, s in zip(digests, sigs)], args.repeat)
    print(f"verify {200 / t_v:,.0f}/s   recover {200 / t_r:,.0f}/s (through workbench.chain wrappers)")

    header("Block validation, 2,000 signed transactions from the wire")
    senders = [PrivateKey.generate(seed=1000 + i) for i in range(200)]
    cfg = dict(chain_id=1, alloc={k.address: 10 ** 9 for k in senders}, difficulty_bits=4)
    txs = [Transaction(chain_id=1, nonce=n, to=senders[(i + 1) % 200].address, value=1, fee=1).sign(k)
           for n in range(10) for i, k in enumerate(senders)]
    raw = Chain(ChainConfig(**cfg)).mine_block(senders[0].address, txs, timestamp_ms=10_000).serialize()
    raw_txs = [t.serialize() for t in txs]

    def validate():
        chain = Chain(ChainConfig(**cfg))
        assert chain.add_block(Block.parse(raw, signed=False, chain_id=1)) == "extended"
        return chain

    def anchor():  # libsecp256k1 recovery alone over the same transactions' digests and signatures
        return [coincurve.PublicKey.from_signature_and_message(r[-65:], sha256d(r[:-65]), hasher=None) for r in raw_txs]

    t_block, _ = cpu(validate, args.repeat)
    t_anchor, _ = cpu(anchor, args.repeat)
    rate = len(txs) / t_block
    print(f"parse + signatures + Merkle root + state: {rate:,.0f} tx/s   "
          f"recover-only anchor {len(txs) / t_anchor:,.0f} tx/s   ratio {t_block / t_anchor:.2f}x")
    check("validate >= 5,000 signed transactions/s on one core", rate >= 5000)
    return summary()


if __name__ == "__main__":
    raise SystemExit(main())
