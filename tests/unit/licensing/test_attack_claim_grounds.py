"""Issue 15, finding 13: licences outlive their grounds.

Before the fix a suspended or expelled member's BPR claims still verified as licensed, and
after every patent had left the pool a BPR claim still verified "licensed" to an empty
pool. Now `verify_claim` answers how many pooled patents a claim licenses now (0: it does
not hold): a BPR covers every pooled patent while its holder is an active member, a
per-patent licence its patent while that patent is pooled; `claim_facts` +
`bpsa.core.claims.verify` give the same answer off chain."""

from typing import Any

from bpsa.core import claims
from bpsa.core.certificates import patent_id
from bpsa.core.codes import Removal
from tests.fixtures.pool import YEAR, PoolDriver

SUBJECT = bytes.fromhex("5e" * 32)
BPC = 10**18


def _signed(chain: Any, licensing: Any, who: Any, licence: int = 0) -> tuple[Any, bytes]:
    claim = claims.LicenceClaim(str(who.address), licence, SUBJECT, 2**40, 0)
    dom = claims.domain(chain.chain_id, str(licensing.address))
    return claim, claims.sign(claim, dom, who.private_key)


def _verdict(chain: Any, licensing: Any, claim: Any, sig: bytes) -> claims.ClaimVerdict:
    """The off-chain verdict; fails unless the chain answers the same count."""
    dom = claims.domain(chain.chain_id, str(licensing.address))
    verdict = claims.verify(claim, sig, dom, claims.read_facts(licensing, claim))
    assert licensing.verify_claim(claim.as_arg(), sig) == verdict.covers, verdict.why
    assert verdict.holds == (verdict.covers > 0)
    return verdict


def test_verify_claim__holder_suspended__licenses_nothing_until_reinstated(
    chain: Any, licensing: Any, pool_alliance: Any, pool_council: Any, holder: Any
) -> None:
    claim, sig = _signed(chain, licensing, holder)
    assert _verdict(chain, licensing, claim, sig).covers == 1

    pool_alliance.suspend(holder.address, sender=pool_council)

    verdict = _verdict(chain, licensing, claim, sig)
    assert (verdict.covers, verdict.why) == (
        0, "the holder is not an active member (suspended or expelled)"
    )  # fmt: skip
    pool_alliance.reinstate(holder.address, sender=pool_council)
    assert _verdict(chain, licensing, claim, sig).covers == 1


def test_verify_claim__holder_expelled_before_its_bpr_is_revoked__licenses_nothing(
    chain: Any, licensing: Any, bpr: Any, pool_alliance: Any, pool_council: Any, holder: Any
) -> None:
    claim, sig = _signed(chain, licensing, holder)

    pool_alliance.expel(holder.address, sender=pool_council)

    assert bpr.balanceOf(holder) == 1  # the council has not revoked it yet
    assert not _verdict(chain, licensing, claim, sig).holds


def test_verify_claim__every_patent_expired__the_bpr_licenses_nothing(
    chain: Any, licensing: Any, patent_pool: Any, holder: Any, attacker: Any
) -> None:
    """The pool's one patent expires (a year past its certificate's expiry, beyond any
    grace for late fees): a BPR claim covers no pooled patent and does not hold."""
    claim, sig = _signed(chain, licensing, holder)
    chain.pending_timestamp += 2 * YEAR
    chain.mine()
    patent_pool.expire(patent_id("US", "11234567"), sender=attacker)  # anyone may

    assert patent_pool.pooled_count() == 0
    verdict = _verdict(chain, licensing, claim, sig)
    assert (verdict.holds, verdict.why) == (
        False, "the pool holds no patents: the BPR licenses nothing now"
    )  # fmt: skip


def test_verify_claim__per_patent_licence_whose_patent_left_the_pool__licenses_nothing(
    chain: Any,
    licensing: Any,
    bpc: Any,
    driver: PoolDriver,
    patent_pool: Any,
    pool_council: Any,
    provider: Any,
    provider2: Any,
    licensee: Any,
) -> None:
    patent = driver.pooled(provider)
    driver.pooled(provider2, "22222222")  # the pool keeps value (an emptied pool: finding 6)
    licensing.list_terms(patent, BPC, YEAR, "terminals", "CN", sender=provider)
    bpc.transfer(licensee, 2 * BPC, sender=provider)
    bpc.approve(licensing, 2 * BPC, sender=licensee)
    licensing.buy(1, sender=licensee)
    claim, sig = _signed(chain, licensing, licensee, licence=1)
    assert _verdict(chain, licensing, claim, sig).covers == 1

    patent_pool.remove(patent, int(Removal.TRANSFERRED), sender=pool_council)

    verdict = _verdict(chain, licensing, claim, sig)
    assert (verdict.covers, verdict.why) == (0, "licence 1's patent is no longer pooled")


def test_verify_claim__per_patent_licensee_suspended__its_paid_licence_still_holds(
    chain: Any,
    licensing: Any,
    bpc: Any,
    driver: PoolDriver,
    pool_alliance: Any,
    pool_council: Any,
    provider: Any,
    provider2: Any,
) -> None:
    """A per-patent licence was paid for (members and non-members alike): it does not
    rest on membership, unlike a BPR."""
    patent = driver.pooled(provider)
    licensing.list_terms(patent, BPC, YEAR, "terminals", "CN", sender=provider)
    bpc.transfer(provider2, BPC, sender=provider)
    bpc.approve(licensing, BPC, sender=provider2)
    licensing.buy(1, sender=provider2)
    claim, sig = _signed(chain, licensing, provider2, licence=1)

    pool_alliance.suspend(provider2.address, sender=pool_council)

    assert _verdict(chain, licensing, claim, sig).covers == 1


def test_claim_facts__a_holder_and_a_stranger__membership_and_coverage(
    licensing: Any, patent_pool: Any, holder: Any, attacker: Any
) -> None:
    facts = licensing.claim_facts(holder, 0)
    assert (facts[0], facts[5], facts[6]) == (True, True, patent_pool.pooled_count())
    facts = licensing.claim_facts(attacker, 0)
    assert (facts[0], facts[5]) == (False, False)
    assert licensing.claim_facts(attacker, 99)[6] == 0  # no such licence covers nothing
