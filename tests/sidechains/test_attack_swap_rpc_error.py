"""Issue 15, review of the swap coordinator: one RPC error stops it for good.

A step caught only the gateway's `ChainUnavailable` and `ChainRejected`; any other
error of the RPC endpoint (a JSON-RPC error answer such as "nonce too low" or "already
known", which web3 raises as `Web3RPCError`) left `step` and ended `run`. After the
initiator has claimed the responder's leg, the preimage is public and the responder's
claim is the one transaction that matters: with its coordinator gone, the initiator
refunds its own leg after its deadline and keeps both. Every transaction a party must
send is now retried at its next step, whatever the error, until it lands or stops
mattering."""

from __future__ import annotations

from typing import Any

import pytest
from web3.exceptions import Web3RPCError

from tests.sidechains.swapworld import LAB
from tests.sidechains.test_swap_coordinator import GET, GIVE, agreed, world  # noqa: F401

pytestmark = pytest.mark.services  # `world` starts two anvils of its own


def failing_once(send: Any) -> Any:
    calls = {"n": 0}

    def send_raw_transaction(raw: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise Web3RPCError("{'code': -32000, 'message': 'nonce too low'}")
        return send(raw)

    return send_raw_transaction


def test_run__responders_claim_answered_with_an_rpc_error__claimed_at_the_next_step(
    world,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    lab_before = world.balances(LAB)
    startup, lab, key = agreed(world, tmp_path)
    startup.step(key)  # the start-up locks its BPC
    lab.step(key)  # the lab locks its APC
    startup.step(key)  # the start-up claims the APC: the preimage is out
    eth = world.chains()[world.a.chain_id].chain.w3.eth  # the BPC chain, where the lab claims
    monkeypatch.setattr(eth, "send_raw_transaction", failing_once(eth.send_raw_transaction))

    outcome = lab.run(poll=0.01, timeout=20)

    assert outcome[key] == "done", lab.book.steps(key)
    assert world.balances(LAB) == (lab_before[0] + GIVE, lab_before[1] - GET)
    assert any("nonce too low" in why for _, why, _ in lab.book.steps(key))
