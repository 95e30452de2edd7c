"""Attack: a payment token that calls back into the desk during its transferFrom (to buy
again before the first purchase is booked), or that delivers less than it was asked to.

Defence: `buy` holds the reentrancy lock and calls the token last, after the books are
written; it checks the fund received the whole amount. The token is compiled here, from
source, so it never ships with the contracts."""

from typing import Any

import ape
import pytest
from ape import compilers

from bpsa.core.codes import Kind
from tests.fixtures.actors import impersonated
from tests.fixtures.sale import USDC, SaleWorld, admit

HOSTILE_TOKEN = """
# pragma version ~=0.4.3
BUY: constant(bytes4) = method_id("buy(address,uint256,uint256)", output_type=bytes4)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
totalSupply: public(uint256)
decimals: public(uint8)
sale: public(address)
armed: public(bool)
tried: public(bool)
reentered: public(bool)
fee: public(uint256)

@deploy
def __init__():
    self.decimals = 6

@external
def arm(sale: address):
    self.sale = sale
    self.armed = True

@external
def set_fee(fee: uint256):
    self.fee = fee

@external
def mint(to: address, amount: uint256):
    self.balanceOf[to] += amount
    self.totalSupply += amount

@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    return True

@external
def buy_directly(sale: address, amount: uint256):
    raw_call(sale, abi_encode(self, amount, empty(uint256), method_id=BUY))

@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    if self.armed:
        self.armed = False
        self.tried = True
        self.reentered = raw_call(
            self.sale,
            abi_encode(self, amount, empty(uint256), method_id=BUY),
            revert_on_failure=False,
        )
    self.balanceOf[owner] -= amount
    self.balanceOf[to] += amount - self.fee
    return True
"""


@pytest.fixture
def hostile(sale_world: SaleWorld, accounts: Any, chain: Any, project: Any) -> Any:
    """The hostile token, named by the council; the token itself is a member (so only
    the lock can stop it) holding tokens and so is the investor."""
    compiled = compilers.compile_source("vyper", HOSTILE_TOKEN, contractName="HostileToken")
    token = project.container(compiled.contract_type).deploy(sender=sale_world.deployer)
    sale_world.terms(token=token)
    admit(
        sale_world.alliance,
        sale_world.council,
        impersonated(accounts, chain, token),
        Kind.SME,
        None,
    )
    for buyer in (sale_world.investors[0].address, token.address):
        token.mint(buyer, 10**6 * USDC, sender=sale_world.deployer)
    token.approve(sale_world.sale.address, 2**256 - 1, sender=sale_world.investors[0])
    return token


def test_token_reenters_buy__the_lock_refuses_it(sale_world: SaleWorld, hostile: Any) -> None:
    investor = sale_world.investors[0]
    hostile.arm(sale_world.sale.address, sender=sale_world.deployer)
    supply = sale_world.supply()
    sale_world.sale.buy(hostile, 1_000 * USDC, 0, sender=investor)
    assert hostile.tried() and not hostile.reentered()
    assert int(sale_world.bpc.balanceOf(hostile)) == 0  # nothing bought inside
    assert sale_world.supply() == supply + int(sale_world.bpc.balanceOf(investor))
    assert int(sale_world.sale.cash_value()) == 1_000 * 10**18  # one purchase booked


def test_token_buys_outside_a_buy__succeeds(sale_world: SaleWorld, hostile: Any) -> None:
    """The control: the same call, not nested, buys; so the lock is what refused it."""
    hostile.buy_directly(sale_world.sale.address, 1_000 * USDC, sender=sale_world.deployer)
    assert int(sale_world.bpc.balanceOf(hostile)) != 0


def test_token_takes_a_fee__buy_reverts(sale_world: SaleWorld, hostile: Any) -> None:
    hostile.set_fee(1, sender=sale_world.deployer)
    with ape.reverts("sale: the fund did not receive the payment in full"):
        sale_world.sale.buy(hostile, 1_000 * USDC, 0, sender=sale_world.investors[0])
