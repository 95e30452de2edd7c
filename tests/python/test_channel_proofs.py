"""bpsa.core.channels: hand-rolled digests equal the generic EIP-712 encoder's; signatures
recover to their signer; bad fields are refused with the field named."""

import pytest
from eth_account import Account
from eth_utils.crypto import keccak
from hypothesis import given
from hypothesis import strategies as st

from bpsa.core import channels as ch
from bpsa.core import eip712
from bpsa.core.errors import InputError

KEY = keccak(text="bpsa channel payer")
PAYER = Account.from_key(KEY).address
DOM = ch.domain(31337, "0x" + "ab" * 20)


@given(
    channel=st.integers(1, 2**256 - 1),
    nonce=st.integers(1, 2**64 - 1),
    amount=st.integers(0, 2**96 - 1),
    kind=st.sampled_from(["BalanceProof", "CloseConsent"]),
)
def test_digest__any_proof__equals_the_generic_encoder(channel, nonce, amount, kind):
    proof = ch.BalanceProof(channel, nonce, amount)

    assert proof.digest(DOM, kind) == eip712.digest(proof.typed(DOM, kind))


def test_sign__proof__recovers_the_payer_and_not_as_a_consent():
    proof = ch.BalanceProof(1, 1, 10**18)
    signature = ch.sign(proof, DOM, KEY)

    assert ch.signer(proof, DOM, signature) == PAYER
    assert ch.signer(proof, DOM, signature, "CloseConsent") != PAYER
    other = ch.domain(1, "0x" + "ab" * 20)
    assert ch.signer(proof, other, signature) != PAYER
    assert ch.as_arg(signature) == (signature[64], signature[:32], signature[32:64])


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ((0, 1, 0), "channel 0 is not a channel id"),
        ((1, 0, 0), "nonce 0 must be 1 to 2^64 - 1"),
        ((1, 2**64, 0), "must be 1 to 2^64 - 1"),
        ((1, 1, -1), "amount -1 must be 0 to 2^96 - 1 wei"),
        ((1, 1, 2**96), "must be 0 to 2^96 - 1 wei"),
    ],
)
def test_balance_proof__out_of_range__input_error_naming_the_field(fields, message):
    with pytest.raises(InputError, match=message.replace("^", r"\^")):
        ch.BalanceProof(*fields)


def test_as_arg__short_signature__input_error():
    with pytest.raises(InputError, match="65 bytes, got 64"):
        ch.as_arg(bytes(64))
