"""Gas of the hash-time-locked swaps beside the Train protocol's HTLC (its native-ETH
version, as issue 8 quotes it): lock 148,214; redeem 52,706. The issue's targets: a lock
at most 70% of Train's, a claim at most 90%, moving our ERC-20 (BPC).

A start-up that held BPC before swaps 100 BPC for an AI lab's APC on a sibling chain
(the other leg is only named by the intent here). Each lock carries the counterparty's
EIP-712 signature over the intent, checked on chain, and draws on an exact `approve`
(one lock uses an EIP-2612 permit in the same transaction instead). Swaps already holds
BPC, and the receiver of the claim already holds BPC, as in steady use. One swap is
claimed before its deadline; another is refunded after it.
"""

from __future__ import annotations

from typing import Any

from bench.common import Result, pool_and_minter
from bpsa.core import eip712
from bpsa.core import swaps as sw
from bpsa.sdk.deploy import deploy_swaps

TRAIN_LOCK = 148_214
TRAIN_REDEEM = 52_706
AMOUNT = 100 * 10**18
SIBLING_CHAIN = 31_338
SIBLING_SWAPS = "0x" + "5a" * 20
SIBLING_APC = "0x" + "a9" * 20
SAFETY_MARGIN = 3_600
MIN_LOCK_TIME = 600


def run() -> dict[str, Result]:
    from ape import accounts, chain, project

    acct = accounts.test_accounts
    deployer, council, startup, lab = acct[0], acct[9], acct[3], acct[6]
    pool, minter = pool_and_minter(project, accounts, deployer, council)
    bpc = pool["BPC"]
    swaps = deploy_swaps(project, deployer, SAFETY_MARGIN, MIN_LOCK_TIME)["Swaps"]
    bpc.mint(startup.address, 10 * AMOUNT, sender=minter)
    bpc.mint(lab.address, 1, sender=minter)  # the receiver already holds BPC
    bpc.mint(swaps.address, 1, sender=minter)  # Swaps already holds BPC, as in use
    chain_id = int(chain.chain_id)

    def intent(nonce: int) -> tuple[sw.SwapIntent, bytes]:
        preimage = nonce.to_bytes(32, "big")
        now = int(chain.pending_timestamp)
        mine = sw.Leg(
            chain_id, str(swaps.address), str(bpc.address), AMOUNT, startup.address,
            lab.address, now + 2 * SAFETY_MARGIN,
        )  # fmt: skip
        theirs = sw.Leg(
            SIBLING_CHAIN, SIBLING_SWAPS, SIBLING_APC, 7 * AMOUNT, lab.address,
            startup.address, now + SAFETY_MARGIN,
        )  # fmt: skip
        return sw.SwapIntent(mine, theirs, sw.hashlock(preimage)), preimage

    def lock(it: sw.SwapIntent) -> Any:
        signature = sw.sign_intent(it, sw.Side.INITIATOR, lab.private_key)
        return swaps.lock(*sw.lock_args(it, sw.Side.INITIATOR, signature), sender=startup)

    claimed, preimage = intent(1)
    bpc.approve(swaps.address, AMOUNT, sender=startup)
    locked = lock(claimed)
    claim = swaps.claim(*sw.claim_args(claimed, sw.Side.INITIATOR, preimage), sender=lab)

    refunded, _ = intent(2)
    permit_deadline = int(chain.pending_timestamp) + 3_600
    permit = _permit(bpc, chain_id, startup, str(swaps.address), AMOUNT, permit_deadline)
    signature = sw.sign_intent(refunded, sw.Side.INITIATOR, lab.private_key)
    permitted = swaps.lock_with_permit(
        *sw.lock_args(refunded, sw.Side.INITIATOR, signature), permit_deadline, permit,
        sender=startup,
    )  # fmt: skip
    chain.pending_timestamp = refunded.initiator.deadline
    refund = swaps.refund(*sw.refund_args(refunded, sw.Side.INITIATOR), sender=startup)
    assert int(swaps.status(claimed.swap_id(sw.Side.INITIATOR))) == sw.Status.CLAIMED
    assert int(swaps.status(refunded.swap_id(sw.Side.INITIATOR))) == sw.Status.REFUNDED
    return {
        "gas.swaps.lock": Result(locked.gas_used, "gas", TRAIN_LOCK),
        "gas.swaps.lock_with_permit": Result(permitted.gas_used, "gas", TRAIN_LOCK),
        "gas.swaps.claim": Result(claim.gas_used, "gas", TRAIN_REDEEM),
        "gas.swaps.refund": Result(refund.gas_used, "gas", TRAIN_REDEEM),
    }


def _permit(
    token: Any, chain_id: int, owner: Any, spender: str, value: int, deadline: int
) -> tuple[int, bytes, bytes]:
    """An EIP-2612 permit of `owner`'s for `spender`, as the (v, r, s) struct."""
    dom = eip712.Domain(str(token.name()), "1", chain_id, str(token.address))
    nonce = int(token.nonces(owner.address))
    signature = eip712.sign_permit(
        dom, owner.private_key, owner.address, spender, value, nonce, deadline
    )
    return sw.as_arg(signature)
