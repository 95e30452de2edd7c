"""Alliance's views, read over one population with a member in every status.

The population is built once for the module (ape isolates each test with a snapshot,
so the tests only read it)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind, Role, Status
from tests.fixtures.suite import Pass, calldata, decide


@dataclass(frozen=True)
class Record:
    """What Alliance should report for one actor of the population."""

    kind: int
    status: Status
    roles: int
    identity: bytes
    market_share_bps: int = 0


def _identity(n: int) -> bytes:
    return bytes([n]) * 32


NO_RECORD = Record(kind=0, status=Status.NONE, roles=0, identity=b"\x00" * 32)

# Actors in order of application (the outsider never applies).
EXPECTED = {
    "startup": Record(Kind.START_UP, Status.ACTIVE, Role.PROVIDER | Role.EXPERT, _identity(1)),
    "enterprise": Record(
        Kind.LARGE_ENTERPRISE, Status.SUSPENDED, Role.DEMANDER, _identity(2), 4_200
    ),
    "sme": Record(Kind.SME, Status.EXPELLED, 0, _identity(3)),
    "university": Record(Kind.NON_PROFIT, Status.REJECTED, 0, _identity(4)),
    "inventor": Record(Kind.INDIVIDUAL, Status.APPLIED, 0, _identity(5)),
    "outsider": NO_RECORD,
}
APPLICANTS = [name for name, record in EXPECTED.items() if record.status != Status.NONE]


@dataclass(frozen=True)
class Population:
    actors: dict[str, Any]
    admitted_in: dict[str, int]  # block of admission, by actor name


@pytest.fixture(scope="module")
def population(
    alliance: Any,
    chain: Any,
    council: Any,
    council_seats: list[Any],
    startup: Any,
    enterprise: Any,
    sme: Any,
    university: Any,
    inventor: Any,
    outsider: Any,
) -> Population:
    actors = {
        "startup": startup,
        "enterprise": enterprise,
        "sme": sme,
        "university": university,
        "inventor": inventor,
        "outsider": outsider,
    }
    for name in APPLICANTS:
        record = EXPECTED[name]
        alliance.apply(int(record.kind), record.identity, sender=actors[name])
    s, e, m = startup.address, enterprise.address, sme.address
    council_pass = Pass(chain, council, council_seats)
    admitted = council_pass.run(
        [
            decide(alliance, "admit", s),
            calldata(alliance, "grant_role", s, int(Role.PROVIDER)),
            calldata(alliance, "grant_role", s, int(Role.EXPERT)),
            decide(alliance, "admit", e),
            calldata(alliance, "grant_role", e, int(Role.DEMANDER)),
            calldata(alliance, "set_market_share", e, 4_200),
            decide(alliance, "admit", m),
            calldata(alliance, "grant_role", m, int(Role.ORACLE)),
        ]
    )
    council_pass.run(
        [
            calldata(alliance, "suspend", e),
            calldata(alliance, "expel", m),
            decide(alliance, "reject", university),
        ]
    )
    block = admitted.block_number
    return Population(actors, {"startup": block, "enterprise": block, "sme": block})


actor_names = pytest.mark.parametrize("name", list(EXPECTED))

# Each per-field view with what it should report from an actor's expected record.
FIELD_VIEWS: dict[str, Callable[[Record], Any]] = {
    "status_of": lambda r: r.status,
    "is_active": lambda r: r.status == Status.ACTIVE,  # true only when active
    "kind_of": lambda r: r.kind,  # the kind applied with
    "identity_of": lambda r: r.identity,  # the digest applied with
    "roles_of": lambda r: r.roles,  # bits on record, whatever the status
    "market_share_of": lambda r: r.market_share_bps,  # a large enterprise's only
}


@actor_names
@pytest.mark.parametrize("view", list(FIELD_VIEWS))
def test_field_view__each_actor__reports_its_record(
    alliance: Any, population: Population, view: str, name: str
) -> None:
    expected = FIELD_VIEWS[view](EXPECTED[name])
    reported = getattr(alliance, view)(population.actors[name])

    if isinstance(expected, bool):
        assert reported is expected  # a bool, not merely a truthy value
    else:
        assert reported == expected


@actor_names
def test_members__each_actor__record_matches_the_views(
    alliance: Any, population: Population, name: str
) -> None:
    who = population.actors[name]
    record = alliance.members(who)

    assert (record.kind, record.status, record.roles) == (
        alliance.kind_of(who),
        alliance.status_of(who),
        alliance.roles_of(who),
    )
    assert record.identity == alliance.identity_of(who)
    assert record.market_share_bps == alliance.market_share_of(who)
    assert record.active_since == alliance.active_since(who)


@pytest.mark.parametrize(
    "role",
    [Role.PROVIDER, Role.EXPERT, Role.PROVIDER | Role.EXPERT],
    ids=["provider", "expert", "both"],
)
def test_has_role__active_member_holding_every_bit__true(
    alliance: Any, population: Population, role: Role
) -> None:
    assert alliance.has_role(population.actors["startup"], int(role))


@pytest.mark.parametrize(
    "role",
    [0, Role.DEMANDER, Role.PROVIDER | Role.DEMANDER, 256],
    ids=["zero", "not-held", "one-of-two-held", "unknown-bit"],
)
def test_has_role__active_member_missing_a_bit__false(
    alliance: Any, population: Population, role: int
) -> None:
    assert not alliance.has_role(population.actors["startup"], int(role))


def test_has_role__suspended_member__false_despite_roles_on_record(
    alliance: Any, population: Population
) -> None:
    enterprise = population.actors["enterprise"]

    assert alliance.roles_of(enterprise) == Role.DEMANDER
    assert not alliance.has_role(enterprise, int(Role.DEMANDER))


@pytest.mark.parametrize("name", ["sme", "university", "inventor", "outsider"])
def test_has_role__not_a_member__false_for_every_role(
    alliance: Any, population: Population, name: str
) -> None:
    who = population.actors[name]

    assert not any(alliance.has_role(who, int(r)) for r in Role)


@pytest.mark.parametrize("name", ["startup", "enterprise", "sme"])
def test_active_since__admitted__block_of_admission(
    alliance: Any, population: Population, name: str
) -> None:
    # Suspension and expulsion keep the block on record; reinstatement moves it
    # (test_reinstate.py).
    assert alliance.active_since(population.actors[name]) == population.admitted_in[name]


@pytest.mark.parametrize("name", ["university", "inventor", "outsider"])
def test_active_since__never_active__zero(alliance: Any, population: Population, name: str) -> None:
    assert alliance.active_since(population.actors[name]) == 0


def test_member_count__population__counts_every_applicant_once(
    alliance: Any, population: Population
) -> None:
    assert alliance.member_count() == len(APPLICANTS)


def test_member_at__every_index__applicants_in_order_of_application(
    alliance: Any, population: Population
) -> None:
    listed = [alliance.member_at(i) for i in range(alliance.member_count())]

    assert listed == [population.actors[name].address for name in APPLICANTS]


def test_member_at__index_at_count__reverts(alliance: Any, population: Population) -> None:
    with ape.reverts("alliance: member index out of range"):
        alliance.member_at(len(APPLICANTS))


def test_active_count__population__counts_only_active_members(
    alliance: Any, population: Population
) -> None:
    assert alliance.active_count() == 1
