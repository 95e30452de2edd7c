"""Fixtures for the Channels unit tests (helpers live in helpers.py).

The channels are the session's (tests/fixtures/channels.py): to `hub`, in the pool's BPC,
with a day's challenge window. `open_channel` is the payer's channel with a 100 BPC
deposit; `closing_channel` is that channel closed by the hub with the payer's proof
(nonce 5, 30 BPC), its window open. `payers_proof` signs the payer's proofs; `faulty_proof`
signs one that is not the payer's, one fault per case.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bpsa.core import channels as ch
from tests.fixtures.channels import ChannelDriver, Sig
from tests.unit.channels.helpers import ONE, high_s, with_v

IN_FORCE_NONCE = 5
IN_FORCE_AMOUNT = 30 * ONE
ProofSigner = Callable[[int, int, int], Sig]


@dataclass(frozen=True)
class Closing:
    channel: int
    settle_after: int
    closed_at: int


@pytest.fixture
def open_channel(channel_driver: ChannelDriver, payer: Any) -> int:
    """The payer's channel with a 100 BPC deposit."""
    return channel_driver.open(payer)


@pytest.fixture
def payers_proof(channel_driver: ChannelDriver, payer: Any) -> ProofSigner:
    """Signs the payer's balance proof for (channel, nonce, amount)."""
    return functools.partial(channel_driver.proof, signer=payer)


@pytest.fixture
def closing_channel(
    channels: Any, channel_driver: ChannelDriver, open_channel: int, hub: Any, payer: Any
) -> Closing:
    """`open_channel`, closed by the hub with the payer's proof (nonce 5, 30 BPC)."""
    sig = channel_driver.proof(open_channel, IN_FORCE_NONCE, IN_FORCE_AMOUNT, payer)
    tx = channels.close(open_channel, IN_FORCE_NONCE, IN_FORCE_AMOUNT, sig, sender=hub)
    settle_after = int(tx.events.filter(channels.ChannelClosing)[0].settle_after)
    return Closing(open_channel, settle_after, int(tx.timestamp))


@pytest.fixture(scope="session")
def channel_actors(
    hub: Any, licensee: Any, attacker: Any, pool_council: Any, deployer: Any
) -> dict[str, Any]:
    """Callers by role, for tests parametrized over who sends (set up with the session, not
    inside a test: a fixture first requested mid-test breaks titanoboa's snapshot order)."""
    return {
        "hub": hub,
        "payer": licensee,  # the `payer` fixture, without its BPC
        "attacker": attacker,
        "pool_council": pool_council,
        "deployer": deployer,
    }


PAYER_PROOF_FAULTS = [
    "wrong signer",
    "other chain",
    "other contract",
    "other amount",
    "other nonce",
    "other channel",
    "payer's consent type",
    "hub's consent",
    "high s",
    "v 0 or 1",
    "v 29",
]


@pytest.fixture(params=PAYER_PROOF_FAULTS)
def faulty_proof(
    request: pytest.FixtureRequest, channel_driver: ChannelDriver, payer: Any, attacker: Any
) -> ProofSigner:
    """Signs, for (channel, nonce, amount), a proof that is not the payer's (one fault a case)."""
    d, kind = channel_driver, str(request.param)
    other_chain = ch.domain(1, d.domain.verifying_contract)
    other_contract = ch.domain(d.domain.chain_id, "0x" + "ab" * 20)

    def sign(channel: int, nonce: int, amount: int) -> Sig:
        good = d.proof(channel, nonce, amount, payer)
        return {
            "wrong signer": lambda: d.proof(channel, nonce, amount, attacker),
            "other chain": lambda: d.proof(channel, nonce, amount, payer, domain=other_chain),
            "other contract": lambda: d.proof(channel, nonce, amount, payer, domain=other_contract),
            "other amount": lambda: d.proof(channel, nonce, amount - 1, payer),
            "other nonce": lambda: d.proof(channel, nonce + 1, amount, payer),
            "other channel": lambda: d.proof(channel + 1, nonce, amount, payer),
            "payer's consent type": lambda: d.consent(channel, nonce, amount, signer=payer),
            "hub's consent": lambda: d.consent(channel, nonce, amount),
            "high s": lambda: high_s(good),
            "v 0 or 1": lambda: with_v(good, good[0] - 27),
            "v 29": lambda: with_v(good, 29),
        }[kind]()

    return sign


@pytest.fixture(params=["payer", "hub"])
def party(request: pytest.FixtureRequest, channel_actors: dict[str, Any]) -> Any:
    """Each of the channel's two parties in turn."""
    return channel_actors[request.param]


@pytest.fixture(params=["hub", "payer", "attacker"])
def anyone(request: pytest.FixtureRequest, channel_actors: dict[str, Any]) -> Any:
    """The two parties and an outsider in turn, for what anyone may send."""
    return channel_actors[request.param]
