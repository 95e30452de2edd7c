# pragma version ~=0.4.3
"""
@title BPC
@notice The pool's index share: an ERC-20 with EIP-2612 permit, 18 decimals.
        Only the pool mints (at its net asset value, when a patent is
        pooled); any holder burns its own BPC, as long as the supply left is
        zero or at least one BPC.
@dev snekmate's ERC-20, with its minter role handed to the pool at
     deployment and ownership renounced in the same constructor, so no
     address can ever add a minter. A sibling collection deploys the same
     contract under its own name and symbol (APC, DPC, QPC, GPC).
@custom:security The burn floor stops a holder of the whole supply from
                 burning it down to a few wei, which would make one wei worth
                 the whole pool and round the next contributor's BPC away.
"""

from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

# Everything a holder, a wallet and a permit signer needs; none of the
# owner's functions (there is no owner after deployment).
exports: (
    erc20.transfer,
    erc20.transferFrom,
    erc20.approve,
    erc20.balanceOf,
    erc20.allowance,
    erc20.totalSupply,
    erc20.name,
    erc20.symbol,
    erc20.decimals,
    erc20.mint,
    erc20.is_minter,
    erc20.permit,
    erc20.nonces,
    erc20.DOMAIN_SEPARATOR,
    erc20.eip712Domain,
    erc20.owner,
)


# @notice A burn may leave no BPC outstanding, or at least this much.
MIN_SUPPLY: public(constant(uint256)) = 10**18


@deploy
def __init__(name: String[25], symbol: String[5], pool: address):
    """
    @notice Deploys the token with `pool` as its only minter.
    @param name The token's name (also the EIP-712 domain name).
    @param symbol The token's symbol.
    @param pool The PatentPool that mints.
    """
    assert pool != empty(address), "bpc: pool is the zero address"
    ownable.__init__()
    erc20.__init__(name, symbol, 18, name, "1")
    erc20.is_minter[msg.sender] = False
    log erc20.RoleMinterChanged(minter=msg.sender, status=False)
    erc20.is_minter[pool] = True
    log erc20.RoleMinterChanged(minter=pool, status=True)
    ownable._transfer_ownership(empty(address))


@external
def burn(amount: uint256):
    """
    @notice Burns `amount` of the caller's BPC (raising the NAV of the rest).
    @param amount The BPC (wei) to burn.
    """
    self._check_floor(amount)
    erc20._burn(msg.sender, amount)


@external
def burn_from(owner: address, amount: uint256):
    """
    @notice Burns `amount` of `owner`'s BPC within the caller's allowance.
    @param owner The holder.
    @param amount The BPC (wei) to burn.
    """
    self._check_floor(amount)
    erc20._spend_allowance(owner, msg.sender, amount)
    erc20._burn(owner, amount)


@view
@internal
def _check_floor(amount: uint256):
    supply: uint256 = erc20.totalSupply
    if amount < supply:
        assert supply - amount >= MIN_SUPPLY, "bpc: a burn may leave 0 or at least 1 BPC outstanding"
