"""The whole lifecycle once, end to end within the pool's contracts."""

from bpsa.core.codes import PatentStatus


def test_lifecycle__submit_to_claim__mints_at_nav_and_pays_royalties(
    driver, patent_pool, bpc, royalties, provider, licensee, centre, fund
):
    patent = driver.pooled(provider, "11234567", score=80, centre=centre)
    assert patent_pool.patents(patent).status == PatentStatus.POOLED
    minted = bpc.balanceOf(provider)
    assert minted == 500 * 10**18  # 50,000 USD at 100 USD per BPC
    assert patent_pool.nav() == 100 * 10**18
    bpc.transfer(licensee, 100 * 10**18, sender=provider)
    bpc.approve(royalties, 100 * 10**18, sender=licensee)
    royalties.pay(100 * 10**18, b"\x01" * 32, sender=licensee)
    assert royalties.claimable(provider) == 70 * 10**18
    assert royalties.claimable(centre) == 10 * 10**18
    assert bpc.balanceOf(fund) == 20 * 10**18
    royalties.claim(sender=provider)
    assert bpc.balanceOf(provider) == minted - 100 * 10**18 + 70 * 10**18
