// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IToken {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/// A constant-product pool in the style of Uniswap v2 (x * y = k, 0.3% fee). The swapper pays the
/// input with transferFrom (it has approved the pool), as v2's router does in one step.
contract Pool {
    IToken public token0;
    IToken public token1;
    uint112 public reserve0;
    uint112 public reserve1;
    uint32 public blockTimestampLast;
    uint256 public price0CumulativeLast;
    uint256 public price1CumulativeLast;

    event Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to);
    event Sync(uint112 reserve0, uint112 reserve1);

    /// v2's getAmountOut: the output for `amountIn` against reserves (in, out) after the 0.3% fee.
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) public pure returns (uint256) {
        require(amountIn > 0 && reserveIn > 0 && reserveOut > 0, "amounts");
        uint256 amountInWithFee = amountIn * 997;
        return (amountInWithFee * reserveOut) / (reserveIn * 1000 + amountInWithFee);
    }

    /// Swaps `amountIn` of token0 (zeroForOne) or token1 for at least `minOut` of the other.
    function swapExactIn(bool zeroForOne, uint256 amountIn, uint256 minOut) external returns (uint256 amountOut) {
        (uint256 r0, uint256 r1) = (reserve0, reserve1);
        amountOut = zeroForOne ? getAmountOut(amountIn, r0, r1) : getAmountOut(amountIn, r1, r0);
        require(amountOut >= minOut, "slippage");
        if (zeroForOne) {
            require(token0.transferFrom(msg.sender, address(this), amountIn));
            require(token1.transfer(msg.sender, amountOut));
            _update(r0 + amountIn, r1 - amountOut, r0, r1);
            emit Swap(msg.sender, amountIn, 0, 0, amountOut, msg.sender);
        } else {
            require(token1.transferFrom(msg.sender, address(this), amountIn));
            require(token0.transfer(msg.sender, amountOut));
            _update(r0 - amountOut, r1 + amountIn, r0, r1);
            emit Swap(msg.sender, 0, amountIn, amountOut, 0, msg.sender);
        }
        // The invariant never decreases (the fee stays in the pool).
        require(uint256(reserve0) * reserve1 >= r0 * r1, "K");
    }

    function _update(uint256 b0, uint256 b1, uint256 r0, uint256 r1) private {
        require(b0 <= type(uint112).max && b1 <= type(uint112).max, "overflow");
        uint32 ts = uint32(block.timestamp);
        uint32 elapsed = ts - blockTimestampLast;
        if (elapsed > 0 && r0 != 0 && r1 != 0) {
            // Time-weighted price accumulators (UQ112x112 as in v2).
            price0CumulativeLast += ((r1 << 112) / r0) * elapsed;
            price1CumulativeLast += ((r0 << 112) / r1) * elapsed;
        }
        reserve0 = uint112(b0);
        reserve1 = uint112(b1);
        blockTimestampLast = ts;
        emit Sync(reserve0, reserve1);
    }
}
