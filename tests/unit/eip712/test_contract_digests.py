"""One full digest per struct against the contract's own view, where the contract has
one: `bpsa.core.eip712`'s definition (the domain separator, the struct hash and the digest
every signer and verifier takes from it) is what the chain computes. The typehashes of
every struct are checked in `tests/python/test_eip712_types.py`; the structs without a
digest view (batches, revocations, close consents, licence claims, permits) are signed
with these definitions and accepted by their contracts in `tests/unit/<contract>/`."""

from __future__ import annotations

from typing import Any

import pytest

from bpsa.core import eip712
from bpsa.core.codes import CertStatus
from bpsa.core.swaps import Side
from tests.fixtures.swaps import SwapDriver

DOCUMENT = b"\x0d" * 32


@pytest.mark.parametrize(
    ("channel", "nonce", "amount"), [(1, 1, 0), (7, 2**64 - 1, 2**96 - 1), (2**256 - 1, 9, 10**18)]
)
def test_balance_proof_digest__channels_view__equals_the_python_digest(
    channels: Any, channel_domain: eip712.Domain, channel: int, nonce: int, amount: int
) -> None:
    onchain = bytes(channels.balance_proof_digest(channel, nonce, amount))

    assert onchain == eip712.BALANCE_PROOF.digest(channel_domain, channel, nonce, amount)
    assert onchain != eip712.CLOSE_CONSENT.digest(channel_domain, channel, nonce, amount)


@pytest.mark.parametrize("side", [Side.INITIATOR, Side.RESPONDER])
def test_intent_digest__swaps_view__equals_the_python_digest(
    swaps: Any, swap_driver: SwapDriver, side: Side
) -> None:
    intent = swap_driver.intent(side)
    leg = intent.leg(side)
    legs = (
        eip712.LEG.hash(*intent.initiator.as_arg()),
        eip712.LEG.hash(*intent.responder.as_arg()),
    )
    dom = eip712.Domain("BPSA Swaps", "1", leg.chain_id, leg.swaps)

    onchain = bytes(swaps.intent_digest(intent.as_arg()))

    assert onchain == eip712.SWAP_INTENT.digest(dom, *legs, intent.hashlock)


def test_certificate_hash__certificates_view__equals_the_python_struct_hash(
    certificates: Any, provider: Any
) -> None:
    fields = ("US", "10123456", DOCUMENT, provider.address, int(CertStatus.IN_FORCE), 2**39, 3)

    onchain = bytes(certificates.certificate_hash(fields))

    assert onchain == eip712.CERTIFICATE.hash(*fields)


def test_domain_separator__bpc_view__equals_the_python_separator_for_permits(
    bpc: Any, chain: Any
) -> None:
    dom = eip712.Domain(str(bpc.name()), "1", int(chain.chain_id), str(bpc.address))

    assert bytes(bpc.DOMAIN_SEPARATOR()) == eip712.domain_separator(dom)
