# pragma version ~=0.4.3
"""
@title Fund
@notice The foundation's treasury. It receives the fund's share of every
        royalty and the surcharges non-members pay, and spends only by the
        council's proposals (for example, paying a seller to buy a patent
        into the pool).
@dev Holds ERC-20 tokens (BPC above all). The council's Governance contract
     is the owner; renouncing is not exported.
"""

from ethereum.ercs import IERC20
from interfaces import IRoyalties
from snekmate.auth import ownable

initializes: ownable


exports: (ownable.owner, ownable.transfer_ownership)


event Paid:
    token: indexed(address)
    to: indexed(address)
    amount: uint256
    memo: bytes32


event RoyaltiesCollected:
    royalties: indexed(address)
    amount: uint256


event Approved:
    token: indexed(address)
    spender: indexed(address)
    amount: uint256


@deploy
def __init__(council: address):
    """
    @notice Deploys the treasury governed by `council`.
    @param council The council's Governance contract.
    """
    assert council != empty(address), "fund: council is the zero address"
    ownable.__init__()
    ownable._transfer_ownership(council)


@external
def pay(token: IERC20, to: address, amount: uint256, memo: bytes32):
    """
    @notice Pays `amount` of `token` to `to` (council only).
    @param token The ERC-20 paid.
    @param to The recipient.
    @param amount The amount, in the token's smallest unit.
    @param memo What the payment is for (a purchase id, a document digest).
    """
    ownable._check_owner()
    assert to != empty(address), "fund: recipient is the zero address"
    assert amount != 0, "fund: amount is zero"
    assert staticcall token.balanceOf(self) >= amount, "fund: balance too low"
    assert extcall token.transfer(to, amount, default_return_value=True), "fund: transfer failed"
    log Paid(token=token.address, to=to, amount=amount, memo=memo)


@external
def claim(royalties: IRoyalties) -> uint256:
    """
    @notice Collects the fund's royalties as the contributor of purchased and
            filed patents (council only).
    @param royalties The pool's Royalties contract.
    @return The BPC collected.
    """
    ownable._check_owner()
    amount: uint256 = extcall royalties.claim()
    log RoyaltiesCollected(royalties=royalties.address, amount=amount)
    return amount


@external
def approve(token: IERC20, spender: address, amount: uint256):
    """
    @notice Lets `spender` take up to `amount` of `token` (council only), e.g.
            for a purchase settled by another contract.
    @param token The ERC-20.
    @param spender The contract allowed to take it.
    @param amount The allowance (zero withdraws it).
    """
    ownable._check_owner()
    assert spender != empty(address), "fund: spender is the zero address"
    assert extcall token.approve(spender, amount, default_return_value=True), "fund: approve failed"
    log Approved(token=token.address, spender=spender, amount=amount)
