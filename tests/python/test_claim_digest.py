"""bpsa.core.claims' hand-rolled digest equals the generic EIP-712 encoder's, and
eip712.recover_digest refuses what a contract's ecrecover path refuses."""

from eth_account import Account
from eth_utils.crypto import keccak
from hypothesis import given
from hypothesis import strategies as st

from bpsa.core import claims, eip712

KEY = keccak(text="bpsa claim digest holder")
HOLDER = Account.from_key(KEY).address
DOM = claims.domain(31337, "0x" + "ab" * 20)


@given(
    licence=st.integers(0, 2**256 - 1),
    subject=st.binary(min_size=32, max_size=32),
    expiry=st.integers(1, 2**64 - 1),
    nonce=st.integers(0, 2**256 - 1),
    chain_id=st.integers(1, 2**64),
)
def test_digest__any_claim__equals_the_generic_encoder(licence, subject, expiry, nonce, chain_id):
    claim = claims.LicenceClaim(HOLDER, licence, subject, expiry, nonce)
    dom = claims.domain(chain_id, "0x" + "cd" * 20)

    assert claim.digest(dom) == eip712.digest(claim.typed(dom))


def test_recover_digest__holder_signed__recovers_the_holder():
    claim = claims.LicenceClaim(HOLDER, 0, b"\x01" * 32, 2**40, 1)
    signature = claims.sign(claim, DOM, KEY)

    assert eip712.recover_digest(claim.digest(DOM), signature) == HOLDER


def test_recover_digest__malleable_twin_bad_v_or_short__none():
    claim = claims.LicenceClaim(HOLDER, 0, b"\x01" * 32, 2**40, 1)
    sig = claims.sign(claim, DOM, KEY)
    digest = claim.digest(DOM)
    s = int.from_bytes(sig[32:64], "big")
    high_s = sig[:32] + (eip712.SECP256K1_N - s).to_bytes(32, "big") + bytes([sig[64] ^ 1])

    assert eip712.recover_digest(digest, high_s) is None
    assert eip712.recover_digest(digest, sig[:64] + b"\x01") is None
    assert eip712.recover_digest(digest, sig[:64]) is None
    assert eip712.recover_digest(digest, bytes(32) + sig[32:]) is None  # r = 0


def test_recover_digest__another_digest__another_address():
    claim = claims.LicenceClaim(HOLDER, 0, b"\x01" * 32, 2**40, 1)
    sig = claims.sign(claim, DOM, KEY)

    assert eip712.recover_digest(keccak(b"other"), sig) != HOLDER
