# pragma version ~=0.4.0
"""
@title Constant-product AMM pair (x * y = k) with Uniswap v2's 0.3% fee
@notice getAmountOut is Uniswap v2's formula:
        out = in * 997 * R_out / (R_in * 1000 + in * 997), rounded down.
        Liquidity shares: sqrt(a0 * a1) for the first deposit, then pro rata.
"""
from ethereum.ercs import IERC20

event Swap:
    trader: indexed(address)
    token_in: indexed(address)
    amount_in: uint256
    amount_out: uint256

event Mint:
    provider: indexed(address)
    amount0: uint256
    amount1: uint256
    shares: uint256

event Burn:
    provider: indexed(address)
    amount0: uint256
    amount1: uint256
    shares: uint256

token0: public(IERC20)
token1: public(IERC20)
reserve0: public(uint256)
reserve1: public(uint256)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])


@deploy
def __init__(_token0: address, _token1: address):
    assert _token0 != _token1, "AMM: identical tokens"
    self.token0 = IERC20(_token0)
    self.token1 = IERC20(_token1)


@pure
@external
def getAmountOut(amount_in: uint256, reserve_in: uint256, reserve_out: uint256) -> uint256:
    assert amount_in > 0, "AMM: insufficient input amount"
    assert reserve_in > 0 and reserve_out > 0, "AMM: insufficient liquidity"
    fee_in: uint256 = amount_in * 997
    return fee_in * reserve_out // (reserve_in * 1000 + fee_in)


@external
def addLiquidity(amount0: uint256, amount1: uint256) -> uint256:
    assert amount0 > 0 and amount1 > 0, "AMM: zero amount"
    shares: uint256 = 0
    if self.totalSupply == 0:
        shares = isqrt(amount0 * amount1)
    else:
        shares = min(amount0 * self.totalSupply // self.reserve0, amount1 * self.totalSupply // self.reserve1)
    assert shares > 0, "AMM: insufficient liquidity minted"
    assert extcall self.token0.transferFrom(msg.sender, self, amount0)
    assert extcall self.token1.transferFrom(msg.sender, self, amount1)
    self.reserve0 += amount0
    self.reserve1 += amount1
    self.totalSupply += shares
    self.balanceOf[msg.sender] += shares
    log Mint(provider=msg.sender, amount0=amount0, amount1=amount1, shares=shares)
    return shares


@external
def removeLiquidity(shares: uint256) -> (uint256, uint256):
    assert shares > 0 and self.balanceOf[msg.sender] >= shares, "AMM: insufficient shares"
    amount0: uint256 = shares * self.reserve0 // self.totalSupply
    amount1: uint256 = shares * self.reserve1 // self.totalSupply
    self.balanceOf[msg.sender] -= shares
    self.totalSupply -= shares
    self.reserve0 -= amount0
    self.reserve1 -= amount1
    assert extcall self.token0.transfer(msg.sender, amount0)
    assert extcall self.token1.transfer(msg.sender, amount1)
    log Burn(provider=msg.sender, amount0=amount0, amount1=amount1, shares=shares)
    return amount0, amount1


@external
def swap(token_in: address, amount_in: uint256, min_out: uint256) -> uint256:
    zero_in: bool = token_in == self.token0.address
    assert zero_in or token_in == self.token1.address, "AMM: unknown token"
    assert amount_in > 0, "AMM: insufficient input amount"
    r_in: uint256 = self.reserve0 if zero_in else self.reserve1
    r_out: uint256 = self.reserve1 if zero_in else self.reserve0
    assert r_in > 0 and r_out > 0, "AMM: insufficient liquidity"
    fee_in: uint256 = amount_in * 997
    out: uint256 = fee_in * r_out // (r_in * 1000 + fee_in)
    assert out >= min_out, "AMM: slippage (output below min_out)"
    if zero_in:
        assert extcall self.token0.transferFrom(msg.sender, self, amount_in)
        assert extcall self.token1.transfer(msg.sender, out)
        self.reserve0 += amount_in
        self.reserve1 -= out
    else:
        assert extcall self.token1.transferFrom(msg.sender, self, amount_in)
        assert extcall self.token0.transfer(msg.sender, out)
        self.reserve1 += amount_in
        self.reserve0 -= out
    log Swap(trader=msg.sender, token_in=token_in, amount_in=amount_in, amount_out=out)
    return out
