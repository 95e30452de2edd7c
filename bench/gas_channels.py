"""Gas of the payment channels beside Raiden's (its TokenNetwork, as its docs quote):
open with a deposit 146,956; cooperative close 112,270; unilateral close 118,501 +
settle 108,569 (227,070). The issue's target: each at most 70% of Raiden's.

A payer that held BPC before opens a channel for 100 BPC (after an `approve`), and
another with an EIP-2612 permit in the same transaction; one channel closes
cooperatively on the payer's balance proof and the hub's consent; the other closes
unilaterally by the hub with the payer's latest proof, and settles after the window.
"""

from __future__ import annotations

from bench.common import Result, pool_and_minter
from bpsa.core import channels as ch
from bpsa.core import eip712
from bpsa.sdk.deploy import deploy_channels

RAIDEN_OPEN = 146_956
RAIDEN_COOPERATIVE_CLOSE = 112_270
RAIDEN_CLOSE_SETTLE = 118_501 + 108_569
DEPOSIT = 100 * 10**18


def run() -> dict[str, Result]:
    from ape import accounts, chain, project

    acct = accounts.test_accounts
    deployer, council, hub, payer = acct[0], acct[9], acct[8], acct[7]
    pool, minter = pool_and_minter(project, accounts, deployer, council)
    bpc = pool["BPC"]
    channels = deploy_channels(project, deployer, pool, hub.address, council.address)["Channels"]
    bpc.mint(payer.address, 10 * DEPOSIT, sender=minter)
    bpc.mint(channels.address, 1, sender=minter)  # the contract already holds BPC, as in use
    dom = ch.domain(int(chain.chain_id), str(channels.address))

    bpc.approve(channels.address, DEPOSIT, sender=payer)
    opened = channels.open(DEPOSIT, sender=payer)
    first = int(opened.return_value)

    deadline = int(chain.pending_timestamp) + 3600
    token_domain = eip712.Domain(str(bpc.name()), "1", int(chain.chain_id), str(bpc.address))
    nonce = int(bpc.nonces(payer.address))
    signature = eip712.sign_permit(
        token_domain, payer.private_key, payer.address, channels.address, DEPOSIT, nonce, deadline
    )
    permitted = channels.open_with_permit(DEPOSIT, deadline, ch.as_arg(signature), sender=payer)
    second = int(permitted.return_value)

    proof = ch.BalanceProof(first, 42, 7 * 10**18)
    payer_sig = ch.as_arg(ch.sign(proof, dom, payer.private_key))
    hub_sig = ch.as_arg(ch.sign(proof, dom, hub.private_key, "CloseConsent"))
    cooperative = channels.cooperative_close(
        first, proof.nonce, proof.amount, payer_sig, hub_sig, sender=payer
    )

    proof = ch.BalanceProof(second, 9, 3 * 10**18)
    payer_sig = ch.as_arg(ch.sign(proof, dom, payer.private_key))
    close = channels.close(second, proof.nonce, proof.amount, payer_sig, sender=hub)
    chain.pending_timestamp += int(channels.challenge_window())
    settle = channels.settle(second, sender=hub)
    return {
        "gas.channels.open_with_deposit": Result(opened.gas_used, "gas", RAIDEN_OPEN),
        "gas.channels.open_with_permit": Result(permitted.gas_used, "gas", RAIDEN_OPEN),
        "gas.channels.cooperative_close": Result(
            cooperative.gas_used, "gas", RAIDEN_COOPERATIVE_CLOSE
        ),
        "gas.channels.unilateral_close_settle": Result(
            close.gas_used + settle.gas_used, "gas", RAIDEN_CLOSE_SETTLE
        ),
    }
