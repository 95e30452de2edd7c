# pragma version ~=0.4.3
"""
@title ERC20Reference
@notice Benchmark reference only: snekmate's ERC-20 as shipped, with every
        function exported and the deployer as owner and minter. `make bench`
        deploys it beside BPC to compare transfer gas; the suite never uses it.
"""

from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

exports: erc20.__interface__


@deploy
def __init__():
    """
    @notice Deploys "Reference"/"REF" with 18 decimals.
    """
    ownable.__init__()
    erc20.__init__("Reference", "REF", 18, "Reference", "1")
