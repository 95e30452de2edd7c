"""Issue 15, review of the swap coordinator: the preimage revealed on a lock a
reorganisation takes back.

The initiator claimed the responder's leg (publishing the preimage) as soon as the
latest block showed it locked. When the chain then reorganised and that block left it,
the responder's lock was gone but the preimage was out: the responder (honest or not)
claimed the initiator's leg with it and kept its own tokens; the initiator lost its leg
for nothing. A party now acts on the other leg's lock only once it is `confirmations`
blocks deep (12 by default; the swap CLI's --confirmations), on both sides: the
responder locks only on a final lock of the initiator, and the initiator reveals only on
a final lock of the responder."""

from __future__ import annotations

import pytest

from bpsa.core.accounts import dev_account
from bpsa.core.swaps import Side
from bpsa.sdk.localchain import rpc
from bpsa.sidechains.swap import SwapBook, SwapParty
from bpsa.sidechains.swap_rules import Do, LegStatus
from tests.sidechains.swapworld import LAB, MARGIN, SAFETY, STARTUP
from tests.sidechains.test_swap_coordinator import GIVE, WINDOW, world  # noqa: F401 (fixture)

DEEP = 12  # blocks mined to make a lock final for a coordinator that waits for them

pytestmark = pytest.mark.services  # `world` starts two anvils of its own


def party(world, index: int, book) -> SwapParty:  # noqa: F811
    """A party with the coordinator's own defaults (no confirmations given)."""
    return SwapParty(dev_account(index), SwapBook(book), world.chains(), margin=MARGIN)


def test_claim__responders_lock_one_block_deep_then_reorganised_away__preimage_never_revealed(
    world,  # noqa: F811
    tmp_path,
):
    before = world.balances(STARTUP)
    startup, lab = (
        party(world, STARTUP, tmp_path / "s.sqlite"),
        party(world, LAB, tmp_path / "l.sqlite"),
    )
    offer = startup.propose(
        (world.a.chain_id, GIVE), (world.b.chain_id, 5 * GIVE), dev_account(LAB).address, WINDOW
    )
    startup.take(lab.accept(offer))
    key = offer.intent.struct_hash().hex()
    assert startup.step(key).do is Do.LOCK_MINE  # the start-up's BPC, on A
    rpc(world.a.url, "anvil_mine", [DEEP])  # final by anyone's count
    fork = int(str(rpc(world.b.url, "eth_blockNumber")), 16)
    assert lab.step(key).do is Do.LOCK_MINE  # the lab's APC, on B: one block deep

    startup.step(key)  # the start-up's turn: claim the APC, revealing the preimage?
    lab.step(key)  # the lab claims the BPC if the preimage is out
    depth = int(str(rpc(world.b.url, "eth_blockNumber")), 16) - fork
    rpc(world.b.url, "anvil_reorg", [depth, []])  # B's blocks since the fork leave the chain
    rpc(world.b.url, "anvil_mine", [3])
    responders_leg = world.chains()[world.b.chain_id].view(offer.intent.swap_id(Side.RESPONDER))
    assert responders_leg.status is LegStatus.NONE  # the lab's lock is gone

    world.advance(world.a, WINDOW + SAFETY + 1)  # past both deadlines
    world.advance(world.b, WINDOW + SAFETY + 1)
    for _ in range(5):
        startup.step(key)  # the start-up takes back whatever is still locked
    assert world.balances(STARTUP) == before, startup.book.steps(key)
