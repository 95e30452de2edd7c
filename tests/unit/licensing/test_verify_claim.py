"""Licensing.verify_claim and bpsa.core.claims.verify: a licence claim holds on chain exactly when
it holds off chain, for a BPR holder and for a per-patent licensee, and both say how many
pooled patents it licenses now. (Suspended and expelled holders and an emptied pool:
test_attack_claim_grounds.py.)"""

from typing import Any

import pytest

from bpsa.core import claims, eip712
from tests.fixtures.licensing import LICENSING

YEAR = 365 * 24 * 3600
BPC = 10**18
SUBJECT = bytes.fromhex("5e" * 32)


@pytest.fixture
def dom(chain: Any, licensing: Any) -> Any:
    return claims.domain(chain.chain_id, str(licensing.address))


def _both(chain: Any, licensing: Any, bpr: Any, claim: Any, sig: bytes, dom: Any) -> int:
    """The on-chain answer (pooled patents licensed, 0: not licensed); fails if the
    off-chain answer differs."""
    on_chain = int(licensing.verify_claim(claim.as_arg(), sig))
    off_chain = claims.verify(claim, sig, dom, claims.read_facts(licensing, claim))
    assert (on_chain, on_chain > 0) == (off_chain.covers, off_chain.holds), off_chain.why
    return on_chain


def _claim(chain: Any, holder: Any, licence: int = 0, nonce: int = 1, ttl: int = YEAR) -> Any:
    expiry = int(chain.blocks.head.timestamp) + ttl
    return claims.LicenceClaim(str(holder.address), licence, SUBJECT, expiry, nonce)


def test_verify_claim__bpr_holder_signed__holds_for_every_pooled_patent(
    chain, licensing, bpr, holder, dom, driver, provider2, patent_pool
):
    claim = _claim(chain, holder)
    sig = claims.sign(claim, dom, holder.private_key)

    assert _both(chain, licensing, bpr, claim, sig, dom) == 1
    driver.pooled(provider2, "33333333")
    assert _both(chain, licensing, bpr, claim, sig, dom) == patent_pool.pooled_count() == 2


def test_verify_claim__forged_by_another_key__fails(chain, licensing, bpr, holder, dom, attacker):
    claim = _claim(chain, holder)
    forged = eip712.sign(claim.typed(dom), attacker.private_key)

    assert not _both(chain, licensing, bpr, claim, forged, dom)


@pytest.mark.parametrize("other", ["chain", "contract"])
def test_verify_claim__signed_for_another_chain_or_contract__fails(
    chain, licensing, bpr, holder, dom, other
):
    claim = _claim(chain, holder)
    elsewhere = (
        claims.domain(chain.chain_id + 1, str(licensing.address))
        if other == "chain"
        else claims.domain(chain.chain_id, "0x" + "11" * 20)
    )
    sig = claims.sign(claim, elsewhere, holder.private_key)

    assert not _both(chain, licensing, bpr, claim, sig, dom)


def test_verify_claim__expired__fails(chain, licensing, bpr, holder, dom):
    claim = _claim(chain, holder, ttl=60)
    sig = claims.sign(claim, dom, holder.private_key)
    chain.pending_timestamp += 61
    chain.mine()

    assert not _both(chain, licensing, bpr, claim, sig, dom)


def test_verify_claim__holder_released_its_bpr__fails(chain, licensing, bpr, holder, dom):
    claim = _claim(chain, holder, ttl=2 * YEAR)
    sig = claims.sign(claim, dom, holder.private_key)
    chain.pending_timestamp += LICENSING.min_term
    chain.mine()
    licensing.release(sender=holder)

    assert not _both(chain, licensing, bpr, claim, sig, dom)


def test_verify_claim__nonce_cancelled__fails(chain, licensing, bpr, holder, dom):
    claim = _claim(chain, holder, nonce=4)
    sig = claims.sign(claim, dom, holder.private_key)
    licensing.cancel_claims(5, sender=holder)

    assert not _both(chain, licensing, bpr, claim, sig, dom)
    newer = _claim(chain, holder, nonce=5)
    assert _both(chain, licensing, bpr, newer, claims.sign(newer, dom, holder.private_key), dom)


def test_verify_claim__high_s_twin_or_bad_length__fails_without_reverting(
    chain, licensing, bpr, holder, dom
):
    claim = _claim(chain, holder)
    sig = claims.sign(claim, dom, holder.private_key)
    s = int.from_bytes(sig[32:64], "big")
    twin = sig[:32] + (eip712.SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - sig[64]])

    assert not _both(chain, licensing, bpr, claim, twin, dom)
    assert not licensing.verify_claim(claim.as_arg(), sig[:64])


def test_verify_claim__per_patent_licensee__holds_until_the_licence_ends(
    chain, licensing, bpr, bpc, driver, provider, provider2, dom
):
    patent = driver.pooled(provider, "22222222")
    licensing.list_terms(patent, BPC, 30 * 24 * 3600, "terminals", "CN", sender=provider)
    bpc.transfer(provider2, BPC, sender=provider)
    bpc.approve(licensing, BPC, sender=provider2)
    licensing.buy(1, sender=provider2)
    claim = _claim(chain, provider2, licence=1)
    sig = claims.sign(claim, dom, provider2.private_key)
    assert _both(chain, licensing, bpr, claim, sig, dom) == 1  # its one patent

    not_mine = _claim(chain, provider, licence=1)
    assert not _both(
        chain, licensing, bpr, not_mine, claims.sign(not_mine, dom, provider.private_key), dom
    )

    chain.pending_timestamp += 30 * 24 * 3600
    chain.mine()
    assert not _both(chain, licensing, bpr, claim, sig, dom)
