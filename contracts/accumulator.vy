# pragma version ~=0.4.3
"""
@title accumulator
@notice A per-weight accumulator (MasterChef-style), the one piece of
        arithmetic Royalties applies to both of its shares: an amount divided
        over the total weight raises the accumulator (BPC per unit of weight,
        scaled by 10^27), and a weight earns weight x the accumulator's rise
        since its checkpoint.
@dev Pure helpers: the accumulators, their carries and the checkpoints live in
     Royalties' storage, where each has its own role (its notes say which). Both
     roundings are down: an advance carries its remainder to the next amount,
     and an account's earnings are divided by PRECISION once, when settled.
"""

# @dev Accumulators are scaled by 1e27 so a 1-wei amount over 10^7 weight still moves them.
PRECISION: constant(uint256) = 10**27


@internal
@pure
def _advance(amount: uint256, carry: uint256, total: uint256) -> (uint256, uint256):
    """
    @notice How far `amount` divided over `total` weight raises an accumulator.
    @param amount The amount (wei); 0 moves nothing.
    @param carry The remainder the last advance left, scaled (under `total`).
    @param total The total weight (not 0).
    @return The rise, scaled by PRECISION and rounded down, and the new carry.
    """
    if amount == 0:
        return 0, carry
    scaled: uint256 = amount * PRECISION + carry
    return scaled // total, scaled % total  # dev: rounds down; the remainder is carried


@internal
@pure
def _accrued(weight: uint256, accumulator: uint256, checkpoint: uint256) -> uint256:
    """
    @notice What `weight` earned while the accumulator rose from `checkpoint`.
    @param weight The weight.
    @param accumulator The accumulator now.
    @param checkpoint The accumulator when the weight last settled (not above it).
    @return weight x the rise, scaled by PRECISION.
    """
    return weight * (accumulator - checkpoint)
