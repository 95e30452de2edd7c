"""Fixtures for the Infringements unit tests (constants and helpers live in helpers.py).

Infringements comes from tests/fixtures/infringements.py over the session pool and its
alliance (tests/fixtures/pool.py), all owned by the EOA `pool_council`, with a
rights-protection centre (`protection_centre`) and a regulator (`regulator`) among the
members. The provider's patent `NUMBER` is pooled with the trusteeship centre `centre`;
the accused's side is `accused` (a non-member that offers settlements, or, as
`vetted_accused`, a member whose identity record is the infringer's), and `insurer`
another party on that side.
"""

from collections.abc import Callable
from typing import Any

import pytest

from bpsa.core.codes import Kind, Removal, Role, Source
from tests.fixtures.pool import PoolDriver
from tests.fixtures.suite import application
from tests.unit.infringements.helpers import (
    EVIDENCE,
    FUND_NUMBER,
    INFRINGER,
    NUMBER,
    OTHER_PRODUCT,
    PATENT,
    PRODUCT,
    SETTLEMENT,
    ZERO,
    call_on_case,
)


@pytest.fixture(scope="module")
def pooled_patent(walker: PoolDriver, provider: Any, centre: Any) -> bytes:
    """The provider's patent, pooled with the trusteeship centre (score 80, 500 BPC).
    Pooled once per test module (six transactions) and kept by ape's module snapshot."""
    patent = walker.pooled(provider, NUMBER, centre=centre)
    assert patent == PATENT
    return patent


@pytest.fixture
def accused(outsider: Any) -> Any:
    """The accused's side: not a member; offers a settlement."""
    return outsider


@pytest.fixture(scope="session")
def accomplice(university: Any) -> Any:
    """Someone acting with an attacker (not a member of the pool's alliance)."""
    return university


@pytest.fixture
def vetted_accused(pool_alliance: Any, pool_council: Any, accused: Any) -> Any:
    """The accused, admitted to the alliance with the infringer's identity record (a
    member the council vetted): it may be named on a case, and then receives a dismissed
    bond when the council's policy says so."""
    pool_alliance.apply(int(Kind.SME), INFRINGER, sender=accused)
    pool_alliance.admit(*application(pool_alliance, accused), sender=pool_council)
    return accused


@pytest.fixture
def file_case(
    infringements: Any, bpc: Any, fund_bpc: Any, protection_centre: Any, pooled_patent: bytes
) -> Callable[..., int]:
    """`file_case(product=PRODUCT, ..., accused=ZERO)`: mints the centre the current bond,
    approves it and files a case against the pooled patent; returns the case's id."""

    def _file(
        product: bytes = PRODUCT,
        infringer: bytes = INFRINGER,
        evidence: bytes = EVIDENCE,
        patent: bytes = pooled_patent,
        centre: Any = protection_centre,
        accused: Any = ZERO,
    ) -> int:
        bond = infringements.bond()
        if bond:
            fund_bpc(centre, bond)
            bpc.approve(infringements, bond, sender=centre)
        tx = infringements.file(patent, infringer, product, evidence, accused, sender=centre)
        return int(tx.return_value)

    return _file


@pytest.fixture
def filed_case(file_case: Callable[..., int]) -> int:
    """A case filed by the rights-protection centre, posting the 50 BPC bond."""
    case = file_case()
    assert case == 1
    return case


@pytest.fixture
def authorised_case(infringements: Any, filed_case: int, provider: Any) -> int:
    """The filed case, authorised by the patent's provider."""
    infringements.authorise(filed_case, sender=provider)
    return filed_case


@pytest.fixture(scope="session")
def insurer(licensee: Any) -> Any:
    """Another party on the infringer's side (not a member): its offers stand beside the
    accused's, each under its own id."""
    return licensee


@pytest.fixture
def approve_offer(bpc: Any, fund_bpc: Any, infringements: Any, accused: Any) -> Callable[..., None]:
    """`approve_offer(amount, offerer=accused)`: mints `offerer` `amount` BPC and approves
    Infringements for it."""

    def _approve(amount: int, offerer: Any = accused) -> None:
        fund_bpc(offerer, amount)
        bpc.approve(infringements, amount, sender=offerer)

    return _approve


@pytest.fixture
def hold(bpc: Any, fund_bpc: Any, infringements: Any) -> Callable[[Any, int, int], None]:
    """`hold(payer, held, approved)`: mints `payer` `held` BPC and approves Infringements for
    `approved` of it (no approval at all when 0), to leave a payer short of the allowance or
    of the balance a call pulls."""

    def _hold(payer: Any, held: int, approved: int) -> None:
        fund_bpc(payer, held)
        if approved:
            bpc.approve(infringements, approved, sender=payer)

    return _hold


@pytest.fixture
def offer(
    infringements: Any, accused: Any, approve_offer: Callable[..., None]
) -> Callable[..., int]:
    """`offer(case, amount=SETTLEMENT, offerer=accused)`: funds and approves `offerer`, who
    offers `amount` on `case`; returns the offer's id."""

    def _offer(case: int, amount: int = SETTLEMENT, offerer: Any = accused) -> int:
        approve_offer(amount, offerer)
        return int(infringements.offer_settlement(case, amount, sender=offerer).return_value)

    return _offer


@pytest.fixture
def offered_case(
    infringements: Any, provider: Any, authorised_case: int, offer: Callable[..., int]
) -> int:
    """The authorised case, with the accused's offer of 1,000 BPC in escrow (offer 1),
    which the provider accepted: a resolver may settle it."""
    assert offer(authorised_case) == 1
    infringements.accept_offer(authorised_case, 1, sender=provider)
    return authorised_case


@pytest.fixture
def case_in(
    infringements: Any,
    file_case: Callable[..., int],
    file_fund_case: Callable[[], int],
    provider: Any,
    protection_centre: Any,
    regulator: Any,
    offer: Callable[..., int],
) -> Callable[[str], int]:
    """`case_in(state)`: a case filed by the centre and brought to `state` by whoever does so,
    one step after another: "filed"; "authorised" or "declined" (the provider); "withdrawn"
    (the centre); "dismissed" (the regulator); "offer standing" (authorised, the accused's
    1,000 BPC offer 1 made); "offered" (that offer accepted by the provider); "settled" (by the
    regulator); "dismissed with an offer" or "withdrawn with an offer" (closed with offer 1
    standing); "unknown", an id never filed (a case is filed all the same); or "fund", a case
    on a patent of the fund's (`file_fund_case`). Returns the case's id."""
    steps = {  # state: (the state before it, the step, who takes it)
        "authorised": ("filed", "authorise", provider),
        "declined": ("filed", "decline", provider),
        "withdrawn": ("filed", "withdraw", protection_centre),
        "dismissed": ("filed", "dismiss", regulator),
        "offer standing": ("authorised", "offer_settlement", None),
        "offered": ("offer standing", "accept_offer", provider),
        "settled": ("offered", "settle", regulator),
        "dismissed with an offer": ("offer standing", "dismiss", regulator),
        "withdrawn with an offer": ("offer standing", "withdraw", protection_centre),
    }

    def _bring(state: str) -> int:
        if state == "fund":
            return file_fund_case()
        if state in ("filed", "unknown"):
            case = file_case()
            return 99 if state == "unknown" else case
        before, step, actor = steps[state]
        case = _bring(before)
        if step == "offer_settlement":
            offer(case)
        else:
            call_on_case(infringements, step, case, actor)
        return case

    return _bring


@pytest.fixture
def lose_ground(
    patent_pool: Any, pool_council: Any, change_hands: Callable[[bytes], None]
) -> Callable[[str], None]:
    """`lose_ground(how)`: the pooled patent is "removed" from the pool (sold off) or "changed
    hands" (sold to `provider2`), so an authorisation given on it lapses."""

    def _lose(how: str) -> None:
        if how == "removed":
            patent_pool.remove(PATENT, int(Removal.SOLD), sender=pool_council)
        else:
            assert how == "changed hands", how
            change_hands(PATENT)

    return _lose


@pytest.fixture
def lose_standing(pool_alliance: Any, pool_council: Any) -> Callable[..., None]:
    """`lose_standing(member, how, role=None)`: the council has `member` "suspended" or
    "expelled", or it has its `role` "role revoked"."""

    def _lose(member: Any, how: str, role: Role | None = None) -> None:
        if how == "role revoked":
            assert role is not None
            pool_alliance.revoke_role(member, int(role), sender=pool_council)
        else:
            getattr(pool_alliance, {"suspended": "suspend", "expelled": "expel"}[how])(
                member, sender=pool_council
            )

    return _lose


@pytest.fixture
def open_another_case(
    infringements: Any, provider: Any, file_case: Callable[..., int]
) -> Callable[[], int]:
    """`open_another_case()`: a second case on the pooled patent (over `OTHER_PRODUCT`),
    authorised by the provider; returns its id."""

    def _open() -> int:
        case = file_case(product=OTHER_PRODUCT)
        infringements.authorise(case, sender=provider)
        return case

    return _open


@pytest.fixture
def file_fund_case(
    driver: PoolDriver, provider: Any, pool_council: Any, file_case: Callable[..., int]
) -> Callable[[], int]:
    """`file_fund_case()`: files a case against a patent the council purchased for the fund
    (no trusteeship centre): the fund is its contributor of record, and the council decides
    for it. Returns the case's id."""

    def _file() -> int:
        fund = driver.pool.FUND()
        patent = driver.submit(provider, FUND_NUMBER, source=Source.PURCHASED)
        driver.certify(provider, FUND_NUMBER, owner=fund)
        driver.rate(patent, 80)
        driver.pool.pool(patent, sender=pool_council)
        assert driver.pool.ownership(patent)[1] == fund
        return file_case(patent=patent)

    return _file


@pytest.fixture
def fund_case(file_fund_case: Callable[[], int]) -> int:
    """A case against a patent of the fund's (`file_fund_case`)."""
    return file_fund_case()


@pytest.fixture
def actors_by_role(
    attacker: Any,
    regulator: Any,
    protection_centre: Any,
    provider: Any,
    provider2: Any,
    centre: Any,
    pool_council: Any,
    outsider: Any,
    accused: Any,
    insurer: Any,
) -> dict[str, Any]:
    """The actors by fixture name, for tests parametrized by caller. (The session fixtures
    are requested here rather than by `request.getfixturevalue` inside a test: titanoboa's
    plugin anchors every fixture's setup and must close the anchors in order.)"""
    return {
        "attacker": attacker,
        "regulator": regulator,
        "protection_centre": protection_centre,
        "provider": provider,
        "provider2": provider2,
        "centre": centre,
        "pool_council": pool_council,
        "outsider": outsider,
        "accused": accused,  # the outsider, on the accused's side
        "insurer": insurer,
    }
