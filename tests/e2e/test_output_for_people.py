"""Output for people (issue 18, point 4): what the commands print for people carries no
raw unix time, no raw wei and no address that is not checksummed; dates are ISO-8601
UTC. One scenario across the roles (council, provider, licensee, investor) prints a
representative set of commands; the guard reads all of it."""

import re
from typing import Any

import pytest
from eth_utils.address import to_checksum_address

from bpsa.core import certificates as certs
from bpsa.core.codes import Kind, Role
from bpsa.sdk.deploy import (
    LicensingParams,
    PoolParams,
    deploy_licensing,
    deploy_pool,
    deploy_sale,
    deploy_test_stable,
)
from scripts.admin import cli as admin_cli
from scripts.licensing import cli as licensing_cli
from scripts.pool import cli as pool_cli
from scripts.sale import cli as sale_cli
from tests.e2e.conftest import Invoke, admit_members
from tests.fixtures.pool import PoolDriver

ONE = 10**18
CLIS = {"admin": admin_cli, "pool": pool_cli, "licensing": licensing_cli, "sale": sale_cli}
SEATS = ("TEST::0", "TEST::1")
PROVIDER, INVESTOR, LICENSEE = 3, 4, 19

HEX = re.compile(r"0x[0-9a-fA-F]+")
ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}(?![0-9a-fA-F])")
LONG_NUMBER = re.compile(r"(?<![\d.])\d{10,}")  # unix seconds now, or wei above 1e-9 units
DATE = re.compile(r"\d{4}-\d\d-\d\d")
# ISO-8601 in UTC: a date, a date and time to the second in UTC, or the compact form
ISO_UTC = re.compile(
    r"\d{4}-\d\d-\d\d(?:(?: \d\d:\d\d:\d\d UTC)|(?:T\d\d:\d\d:\d\dZ))?(?!\d|:\d|T\d| \d)"
)
SECONDS = re.compile(r"\b\d+ ?s\b")  # a duration in raw seconds ("2592000 s")


def problems(text: str) -> list[str]:
    """What in `text` is not for people: a long digit run outside hex strings (raw unix
    time or wei), a raw count of seconds, a date not in ISO-8601 UTC, or an address that
    is not checksummed."""
    found = [f"address not checksummed: {a}" for a in ADDRESS.findall(text)]
    found = [f for f, a in zip(found, ADDRESS.findall(text), strict=True)
             if a != to_checksum_address(a)]  # fmt: skip
    plain = HEX.sub("0x…", text)
    found += [f"raw number {n!r}" for n in LONG_NUMBER.findall(plain)]
    found += [f"seconds {s!r}" for s in SECONDS.findall(plain)]
    for match in DATE.finditer(plain):
        iso = ISO_UTC.match(plain, match.start())
        if iso is None:
            found.append(f"date not ISO-8601 UTC: {plain[match.start() : match.start() + 30]!r}")
    for match in re.finditer(r"\d\d:\d\d(?::\d\d)?", plain):
        around = plain[max(0, match.start() - 11) : match.end() + 4]
        if not re.search(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?: UTC|Z)", around):
            found.append(f"time without its UTC date: {around!r}")
    return found


def test_problems__raw_values__each_named() -> None:
    assert problems("NAV 100 USD per BPC; due 2026-12-09 16:37:35 UTC (in 2 days)") == []
    assert problems("root 0x" + "ab" * 32 + " on 2027-01-31T12:00:00Z, from 2027-01-31") == []
    assert problems("not before 2029-03-31: the owner may pay late") == []
    assert problems("due 2029-03-31 16:37 (local)") != []
    assert problems("NAV 98.039215686274509803 USD per BPC") == []
    assert problems("locked until 1796834255") == ["raw number '1796834255'"]
    assert problems("holds 5000000000000000000 BPC") == ["raw number '5000000000000000000'"]
    assert problems("minimum term 2592000 s (30 days)") == ["seconds '2592000 s'"]
    assert problems("until 12/09/2026 16:37") == ["time without its UTC date: '12/09/2026 16:37'"]
    assert problems("by 0x" + "ab" * 20) == ["address not checksummed: 0x" + "ab" * 20]


@pytest.fixture(scope="module")
def everything(project, chain, accounts, suite, deployer, alliance, council) -> dict[str, Any]:
    """Pool, licensing and sale owned by the real council, the test stable token, one
    patent pooled (the provider's, 500 BPC at 100 USD)."""
    contracts = deploy_pool(project, deployer, alliance.address, council.address, PoolParams())
    contracts |= deploy_licensing(
        project, deployer, alliance.address, contracts, council.address, LicensingParams()
    )
    contracts |= deploy_sale(project, deployer, alliance.address, contracts, council.address)
    contracts |= deploy_test_stable(project, deployer)
    members = [
        (PROVIDER, Kind.START_UP, Role.PROVIDER),
        (INVESTOR, Kind.SME, None),
        (12, Kind.NON_PROFIT, Role.ORACLE),
        (13, Kind.NON_PROFIT, Role.ORACLE),
        (15, Kind.INDIVIDUAL, Role.EXPERT),
        (16, Kind.INDIVIDUAL, Role.EXPERT),
        (17, Kind.INDIVIDUAL, Role.EXPERT),
    ]
    as_council = admit_members(chain, accounts, alliance, council, members)
    domain = certs.domain(chain.chain_id, str(contracts["Certificates"].address))
    driver = PoolDriver(
        chain, contracts["PatentPool"], contracts["Certificates"], as_council,
        [accounts[12], accounts[13]], [accounts[i] for i in (15, 16, 17)], domain,
    )  # fmt: skip
    driver.pooled(accounts[PROVIDER], "11234567")
    return {**suite, **contracts}


def test_output__commands_across_roles__no_raw_time_wei_or_unchecksummed_address(
    everything, invoker, chain, accounts, timing
):
    invoke: Invoke = invoker(everything)
    said: list[tuple[str, str]] = []

    def run(group: str, *args: str, ok: bool = True) -> str:
        out = invoke(CLIS[group], *args, ok=ok)
        said.append((" ".join((group, *args)), out))
        return out

    provider = accounts[PROVIDER].address
    token = str(everything["TestStable"].address)
    pool = everything["PatentPool"]
    chain.provider.set_balance(pool.address, ONE)
    everything["BPC"].mint(accounts[LICENSEE].address, 10 * ONE, sender=accounts[pool.address])

    # the council: a proposal, its listing, an execution refused while voting is open
    run("admin", "members")
    out = run("admin", "propose", "enable-sale", token, "--account", SEATS[0])
    assert "council proposal #1 created" in out
    assert "[voting]" in run("admin", "proposals") and "; voting until 20" in said[-1][1]
    assert "voting is still open (until 20" in run("admin", "execute", "1", ok=False)
    for seat in SEATS:
        run("admin", "vote", "1", "yes", "--account", seat)
    chain.pending_timestamp += timing.voting_period + timing.execution_delay
    chain.mine()
    run("admin", "execute", "1", "--account", "TEST::2")

    # the pool, as anyone sees it
    run("pool", "nav")
    run("pool", "patents")
    run("pool", "patent", "US", "11234567")
    run("pool", "mandate", "show", "US", "11234567")

    # licensing: the price list, a BPR, a listing bought by a non-member (addresses typed
    # in lower case come back checksummed)
    run("licensing", "tiers")
    run("licensing", "holding", provider.lower())
    run("licensing", "convert", "--account", f"TEST::{PROVIDER}")
    run("licensing", "holding", "--account", f"TEST::{PROVIDER}")
    run("licensing", "release", "--account", f"TEST::{PROVIDER}", ok=False)
    run(
        "licensing", "list-terms", "US", "11234567", "5", "--duration", "30d",
        "--field", "payment terminals", "--territory", "CN", "--account", f"TEST::{PROVIDER}",
    )  # fmt: skip
    run("licensing", "listings")
    run("licensing", "buy", "1", "--account", f"TEST::{LICENSEE}")
    run("licensing", "licence", "1")
    run("licensing", "device-fee", "1000", "--maker", accounts[LICENSEE].address.lower())

    # the sale, as an investor sees it
    run("sale", "mint-test", "5000 USDC", accounts[INVESTOR].address.lower())
    run("sale", "terms", "--buyer", accounts[INVESTOR].address.lower())
    run("sale", "quote", "1000 USDC")
    run("sale", "buy", "1000 USDC", "--account", f"TEST::{INVESTOR}")

    report = [f"{command}: {p}" for command, out in said for p in problems(out)]
    assert not report, "\n".join(report)
