"""Channels' views: channel() of an unknown id, the EIP-712 domain, and
balance_proof_digest equal to bpsa.core.channels' digest (what the payer signs)."""

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bpsa.core import channels as ch
from bpsa.core import eip712
from tests.unit.channels.helpers import ZERO, view


def test_channel__unknown_id__all_zeros(channels: Any) -> None:
    assert view(channels, 0) == (ZERO, 0, 0, 0, 0)
    assert view(channels, 2**256 - 1) == (ZERO, 0, 0, 0, 0)


def test_eip712_domain__names_channels_version_chain_and_contract(
    channels: Any, channel_domain: eip712.Domain
) -> None:
    fields, name, version, chain_id, contract, salt, extensions = channels.eip712Domain()

    assert (name, version) == (ch.DOMAIN_NAME, ch.DOMAIN_VERSION) == ("BPSA Channels", "1")
    assert (chain_id, contract) == (channel_domain.chain_id, channels.address)
    assert bytes(fields) == b"\x0f"
    assert bytes(salt) == bytes(32) and list(extensions) == []


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    channel=st.one_of(st.integers(1, 2**256 - 1), st.sampled_from([1, 2**256 - 1])),
    nonce=st.one_of(st.integers(1, 2**64 - 1), st.sampled_from([1, 2**64 - 1])),
    amount=st.one_of(st.integers(0, 2**96 - 1), st.sampled_from([0, 2**96 - 1])),
)
def test_balance_proof_digest__any_proof__equals_bpsa_channels(
    channels: Any, channel_domain: eip712.Domain, channel: int, nonce: int, amount: int
) -> None:
    proof = ch.BalanceProof(channel, nonce, amount)

    assert bytes(channels.balance_proof_digest(channel, nonce, amount)) == proof.digest(
        channel_domain
    )
    assert proof.digest(channel_domain) != proof.digest(channel_domain, "CloseConsent")


def test_balance_proof_digest__other_chain_or_contract__differs(
    channels: Any, channel_domain: eip712.Domain
) -> None:
    proof = ch.BalanceProof(1, 1, 1)
    on_chain = bytes(channels.balance_proof_digest(1, 1, 1))

    assert on_chain == proof.digest(channel_domain)
    assert on_chain != proof.digest(ch.domain(1, channel_domain.verifying_contract))
    assert on_chain != proof.digest(ch.domain(channel_domain.chain_id, "0x" + "ab" * 20))
