# pragma version ~=0.4.3
"""
@title TestStable
@notice A stand-in for a stable token on local and test chains: snekmate's
        ERC-20 with a name, symbol and decimals given at deployment (USDC: 6)
        and an owner who mints freely. It is no money: on a live network the
        council names the real stable token (USDC) in `Sale.set_terms`.
"""

from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

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
    erc20.owner,
)


@deploy
def __init__(name: String[25], symbol: String[5], decimals: uint8):
    """
    @notice Deploys the token with the deployer as owner and minter.
    @param name The name ("Test USD Coin").
    @param symbol The symbol ("USDC").
    @param decimals Its decimals (6 as USDC).
    """
    ownable.__init__()
    erc20.__init__(name, symbol, decimals, name, "1")
