"""BPC.__init__: the pool is the only minter and nobody owns the token."""

from typing import Any

import ape

from bpsa.sdk.deploy import PoolParams

ZERO = "0x" + "00" * 20


def test_constructor__session_token__named_with_18_decimals_and_no_supply(bpc: Any) -> None:
    params = PoolParams()
    assert bpc.name() == params.token_name
    assert bpc.symbol() == params.token_symbol
    assert bpc.decimals() == 18
    assert bpc.totalSupply() == 0


def test_constructor__pool_is_the_only_minter_and_no_owner_remains(
    bpc: Any, patent_pool: Any, deployer: Any, pool_council: Any
) -> None:
    assert bpc.is_minter(patent_pool) is True
    assert bpc.is_minter(deployer) is False
    assert bpc.is_minter(pool_council) is False
    assert bpc.owner() == ZERO


def test_constructor__owner_functions__not_exported(bpc: Any) -> None:
    """With no owner and no way to add a minter, the pool stays the only minter for good."""
    names = {abi.name for abi in bpc.contract_type.abi if abi.type == "function"}

    assert not names & {"set_minter", "transfer_ownership", "renounce_ownership"}


def test_constructor__fresh_token__logs_minter_changes_and_ownership_renounced(
    chain: Any, project: Any, deployer: Any, patent_pool: Any
) -> None:
    token = project.BPC.deploy("Another Patent Coin", "APC", patent_pool, sender=deployer)

    events = chain.get_receipt(token.txn_hash).events
    assert [(e.minter, e.status) for e in events.filter(token.RoleMinterChanged)] == [
        (deployer.address, True),  # snekmate's constructor
        (deployer.address, False),
        (patent_pool.address, True),
    ]
    assert [e.new_owner for e in events.filter(token.OwnershipTransferred)][-1] == ZERO
    assert token.owner() == ZERO
    assert (token.name(), token.symbol()) == ("Another Patent Coin", "APC")


def test_constructor__zero_pool__reverts(project: Any, deployer: Any) -> None:
    with ape.reverts("bpc: pool is the zero address"):
        project.BPC.deploy("Another Patent Coin", "APC", ZERO, sender=deployer)
