# pragma version ~=0.4.3
"""
@title BPR
@notice The single-unit pool licence: holding one BPR is the right to use every
        patent pooled in the collection. Balance at most 1 per address, decimals 0.
        It reads like an ERC-20 so wallets show it, but it never moves: every
        transfer and approval reverts. A licence changes hands by release (the
        holder gets its BPC back) and a new conversion by the new holder.
@dev Minted and burned only by Licensing (fixed at deployment).
"""

from ethereum.ercs import IERC20

implements: IERC20


LICENSING: public(immutable(address))

name: public(constant(String[25])) = "Blockchain Patent Right"
symbol: public(constant(String[5])) = "BPR"
decimals: public(constant(uint8)) = 0

balanceOf: public(HashMap[address, uint256])
totalSupply: public(uint256)


event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256


event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256


@deploy
def __init__(licensing: address):
    """
    @notice Deploys the licence token minted by `licensing`.
    @param licensing The Licensing contract.
    """
    assert licensing != empty(address), "bpr: licensing is the zero address"
    LICENSING = licensing


@view
@external
def allowance(owner: address, spender: address) -> uint256:
    """
    @notice Always zero: a licence cannot be approved to anyone.
    @param owner Any address.
    @param spender Any address.
    @return 0.
    """
    return 0


@external
def transfer(to: address, amount: uint256) -> bool:
    """
    @notice Reverts: a licence moves by release and re-conversion, never by transfer.
    @param to Ignored.
    @param amount Ignored.
    @return Never returns.
    """
    raise "bpr: a licence is not transferable (release it; the new holder converts)"


@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    """
    @notice Reverts: a licence moves by release and re-conversion, never by transfer.
    @param owner Ignored.
    @param to Ignored.
    @param amount Ignored.
    @return Never returns.
    """
    raise "bpr: a licence is not transferable (release it; the new holder converts)"


@external
def approve(spender: address, amount: uint256) -> bool:
    """
    @notice Reverts: nobody may spend a licence.
    @param spender Ignored.
    @param amount Ignored.
    @return Never returns.
    """
    raise "bpr: a licence cannot be approved"


@external
def mint(to: address):
    """
    @notice Issues one licence to `to` (Licensing only).
    @param to The new holder; must hold none.
    """
    assert msg.sender == LICENSING, "bpr: only licensing mints"
    assert to != empty(address), "bpr: holder is the zero address"
    assert self.balanceOf[to] == 0, "bpr: already holds a licence"
    self.balanceOf[to] = 1
    self.totalSupply += 1
    log Transfer(sender=empty(address), receiver=to, value=1)


@external
def burn(holder: address):
    """
    @notice Ends `holder`'s licence (Licensing only: release or revocation).
    @param holder The holder.
    """
    assert msg.sender == LICENSING, "bpr: only licensing burns"
    assert self.balanceOf[holder] == 1, "bpr: holds no licence"
    self.balanceOf[holder] = 0
    self.totalSupply -= 1
    log Transfer(sender=holder, receiver=empty(address), value=1)
