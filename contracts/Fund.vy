# pragma version ~=0.4.3
"""
@title Fund
@notice The foundation's treasury. It receives the fund's share of every
        royalty and the surcharges non-members pay, and spends only by the
        council's proposals (for example, paying a seller to buy a patent
        into the pool).
@dev Holds ERC-20 tokens (BPC above all). The council's Governance contract
     is the owner; renouncing is not exported.
     Proceeds of BPC sales (the sale desk, Sale.vy) count in the pool's NAV,
     so they leave only through the desk (`pay_proceeds`, for a patent of the
     fund's, whose cost the NAV keeps counting until it is pooled): `pay` and
     `approve` never touch the balance the desk holds counted in a token.
     The fund's other money (royalties, surcharges, donations) is outside the
     NAV and the council spends it freely.
"""

from ethereum.ercs import IERC20
from interfaces import IRoyalties
from interfaces import ISale
from snekmate.auth import ownable

initializes: ownable


exports: (ownable.owner, ownable.transfer_ownership)


# @notice The sale desk whose proceeds the fund holds (set once by the council), or none.
sale_desk: public(address)


event Paid:
    token: indexed(address)
    to: indexed(address)
    amount: uint256
    memo: bytes32


event RoyaltiesCollected:
    royalties: indexed(address)
    amount: uint256


event SaleDeskSet:
    sale_desk: address


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
    balance: uint256 = staticcall token.balanceOf(self)
    assert balance >= amount, "fund: balance too low"
    assert balance - amount >= self._counted(token.address), "fund: that would spend sale proceeds counted in the NAV (the sale desk spends them)"
    assert extcall token.transfer(to, amount, default_return_value=True), "fund: transfer failed"
    log Paid(token=token.address, to=to, amount=amount, memo=memo)


@external
def set_sale_desk(sale_desk: address):
    """
    @notice Names the sale desk (council only), once, as the pool does.
    @param sale_desk The Sale contract.
    """
    ownable._check_owner()
    assert self.sale_desk == empty(address), "fund: the sale desk is already set"
    assert sale_desk != empty(address), "fund: sale desk is the zero address"
    self.sale_desk = sale_desk
    log SaleDeskSet(sale_desk=sale_desk)


@external
def pay_proceeds(token: IERC20, to: address, amount: uint256, memo: bytes32):
    """
    @notice Pays sale proceeds for a patent (the sale desk only, on the
            council's `Sale.spend`, which has already taken them off its books).
    @param token The ERC-20 paid.
    @param to The recipient.
    @param amount The amount, in the token's smallest units.
    @param memo What the payment is for.
    """
    assert msg.sender == self.sale_desk and msg.sender != empty(address), "fund: only the sale desk pays proceeds"
    assert to != empty(address), "fund: recipient is the zero address"
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
    # dev: an allowance could take counted proceeds without the desk's books
    assert amount == 0 or self._counted(token.address) == 0, "fund: the token holds sale proceeds counted in the NAV"
    assert extcall token.approve(spender, amount, default_return_value=True), "fund: approve failed"
    log Approved(token=token.address, spender=spender, amount=amount)


@view
@internal
def _counted(token: address) -> uint256:
    desk: address = self.sale_desk
    if desk == empty(address):
        return 0
    return staticcall ISale(desk).held_units(token)
