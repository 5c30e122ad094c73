"""Blockchain lab: keys and signatures, Merkle proofs, real Bitcoin blocks, a chain of our own
with PoW and PoS, mempool and fork choice, network propagation, attacks against their closed
forms, and contracts on a real EVM (extra ``workbench[evm]``)."""

from .addresses import (
    AddressError,
    decode_btc_address,
    is_checksum_address,
    multisig_script,
    p2pkh_address,
    p2sh_address,
    to_checksum_address,
)
from .attacks import (
    double_spend_table,
    exact_double_spend_probability,
    nakamoto_probability,
    selfish_revenue,
    selfish_threshold,
    simulate_double_spend,
    simulate_selfish_mining,
)
from .bridge import Bridge, BridgeError, run_chains
from .evm import EVMUnavailableError, amm_amount_out, evm_available, price_impact_table
from .hashes import hash160, keccak256, ripemd160, sha3_256, sha256, sha256d
from .keys import (
    InvalidKeyError,
    PrivateKey,
    PublicKey,
    Signature,
    SignatureError,
    normalize_s,
    recover,
    sign,
    verify,
)
from .ledger import REASONS, Block, Header, State, Transaction, TxError, TxType, ValidationError
from .mempool import Mempool, MempoolFullError
from .network import (
    GossipNetwork,
    NetworkError,
    eclipse_experiment,
    p2p_network,
    partition_experiment,
    simulate_mining,
    stale_rate_table,
)
from .node import Chain, ChainConfig, ChainIntegrityError, ConfigError, difficulty_to_bits, double_sign_evidence
from .wallet import MultisigPolicy, Wallet, WrongPasswordError

__all__ = [
    "AddressError",
    "decode_btc_address",
    "is_checksum_address",
    "multisig_script",
    "p2pkh_address",
    "p2sh_address",
    "to_checksum_address",
    "hash160",
    "keccak256",
    "ripemd160",
    "sha3_256",
    "sha256",
    "sha256d",
    "InvalidKeyError",
    "PrivateKey",
    "PublicKey",
    "Signature",
    "SignatureError",
    "normalize_s",
    "recover",
    "sign",
    "verify",
    "MultisigPolicy",
    "Wallet",
    "WrongPasswordError",
    "double_spend_table",
    "exact_double_spend_probability",
    "nakamoto_probability",
    "selfish_revenue",
    "selfish_threshold",
    "simulate_double_spend",
    "simulate_selfish_mining",
    "Bridge",
    "BridgeError",
    "run_chains",
    "EVMUnavailableError",
    "amm_amount_out",
    "evm_available",
    "price_impact_table",
    "REASONS",
    "Block",
    "Header",
    "State",
    "Transaction",
    "TxError",
    "TxType",
    "ValidationError",
    "Mempool",
    "MempoolFullError",
    "GossipNetwork",
    "NetworkError",
    "eclipse_experiment",
    "p2p_network",
    "partition_experiment",
    "simulate_mining",
    "stale_rate_table",
    "Chain",
    "ChainConfig",
    "ChainIntegrityError",
    "ConfigError",
    "difficulty_to_bits",
    "double_sign_evidence",
]
