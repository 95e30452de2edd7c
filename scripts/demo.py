"""The end-to-end scenario on a local chain (what `make demo` runs).

Membership: deploy the suite and the BPC pool; three companies apply with their
identity records' CIDs; the council admits two and rejects one by vote; a second
proposal grants roles and a market share in one atomic batch.

The pool: a trusteeship centre, three oracle nodes and three experts join; the
start-up submits three patents; the oracles certify one with a single certificate
and two with a Merkle batch; the experts rate them; the council pools the two that
clear the core threshold (the SDK refuses the third before anything is sent); the
start-up receives BPC at NAV; a licensee pays a fee in BPC, and the contributor and
the centre claim their royalties; NAV before and after.

Licensing: the published price list; the start-up and the large enterprise convert
their tiers' BPC into BPRs (the pool licence), the council grants the non-profit
centre a free one; the start-up lists terms for a patent and the rejected company,
not a member, buys a licence (its fee and surcharge go to the fund), then the enterprise,
a member, buys one (its price goes to the start-up's patent alone); the enterprise registers a
batch of 100,000 phones (inside the year's free allowance) and one of 5,000 (paid);
a genuine device's QR code, a counterfeit's and one naming a position past the count its
batch paid for are verified against the chain (PNGs under build/demo/, or
$BPSA_DEMO_OUT), and a signed BPR claim, which licenses every pooled patent; the
royalties rise.

Swaps: a second anvil carries the AI patents' collection (APC), deployed as a sibling of
the BPC suite; the start-up swaps BPC for an AI lab's APC with hash-time-locked legs on
both chains, and a second offer, whose counterparty vanishes after signing, comes back
to the start-up after its deadline.

The exchange: the council names it; the start-up mandates its trusteeship centre to
sell a pooled patent's assignment at a floor price for 30 days (a listing below the
floor is refused), the centre lists it, and the fund buys it through a council proposal
(the fund's allowance and the purchase in one batch): the payment, the registry's
contributor and the royalty split move in one transaction, and the mandate ends.

The companies, identity records, patents and their documents are sample data made
up for the demo; the oracle keys are the local chain's test keys. Nothing here
reads a real patent office (see README, "What is simulated").
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import click
from ape import accounts, chain
from ape.cli import ConnectedProviderCommand

from bpsa.cli_support import clear_errors, current_network, load_suite
from bpsa.core import certificates as certs
from bpsa.core import channels as ch
from bpsa.core import codes, qr
from bpsa.core import manifest as manifests
from bpsa.core.accounts import dev_account
from bpsa.core.cid import digest_of
from bpsa.core.claims import LicenceClaim
from bpsa.core.codes import (
    AgreementKind,
    CaseStatus,
    CertStatus,
    Kind,
    Lapse,
    PatentStatus,
    ProposalState,
    Role,
    Vote,
)
from bpsa.core.devices import batch_tree, product_id, serial_id
from bpsa.core.errors import BpsaError, InputError
from bpsa.core.families import family_id
from bpsa.core.progress import track
from bpsa.core.units import date_of, duration, units, when
from bpsa.oracle.aggregator import Aggregator
from bpsa.oracle.board import Board
from bpsa.oracle.chain import PoolChain
from bpsa.oracle.committee import Committee
from bpsa.oracle.feed import SAMPLE, LocalFeed
from bpsa.oracle.monitor import Monitor, read_observations
from bpsa.oracle.node import CertificateNode
from bpsa.oracle.store import IpfsStore, open_store
from bpsa.oracle.valuations import push, read_reviewed
from bpsa.sdk.alliance import Suite
from bpsa.sdk.deploy import Timing
from bpsa.sdk.licensing import agreement_cid, pin_agreement
from bpsa.sdk.pool import Pool
from bpsa.sidechains.client import ChannelClient, PaymentRefused
from bpsa.sidechains.paygate import PaymentGate

# A short governance clock so the demo can move time on its local chain.
TIMING = Timing(voting_period=3600, execution_delay=600, grace_period=86_400)

COMPANIES = [
    ("Hangzhou Chain Labs", Kind.START_UP, "CN-91330100MA2XXXXX01"),
    ("Pearl River Devices", Kind.LARGE_ENTERPRISE, "CN-91440300MA5XXXXX02"),
    ("Shadow Patents Ltd", Kind.SME, "GB-12345678"),
]


# Sample patents: (office, number, title, score and valuation the two experts give).
PATENTS = [
    ("CN", "ZL201810123456.7", "Sharded ledger with verifiable cross-shard receipts", (84, 80)),
    ("US", "11234567", "Low-latency payment channel rebalancing", (76, 72)),
    ("EP", "3456789", "Low-latency payment channel rebalancing", (58, 52)),  # US 11234567's family
]
CENTRE = ("Zhejiang IP Trust Centre", Kind.NON_PROFIT, "CN-52330000MJ0XXXXX03")
# In the sample office feed as lapsed (its maintenance fee unpaid): the nodes refuse it.
LAPSED = ("JP", "7012345", "Consensus-aware mesh routing for IoT devices", (0, 0))
PROTECTION, PROTECTION_NAME = 7, "Guangdong IP Rights Protection Centre"
REGULATOR, REGULATOR_NAME = 8, "Municipal Market Regulator"
COUNSEL = 10  # pays the settlement for the infringer
STRANGER = 9  # offers 1 wei on the infringer's case, to no effect
# posts the committee's certificates (any funded account; the committee stops long before
# this account's other part, the AI lab that walks away from a swap, begins)
AGGREGATOR = 11
SETTLEMENT = 30 * 10**18
ORACLES = range(12, 15)  # test accounts acting as the oracle committee's nodes
MAX_CALLS = 8  # Governance: the calls one proposal carries
DRAWINGS_BYTES = 3_750_000  # the first patent's drawings: a 5 MB document once in base64
EXPERTS = range(15, 18)  # the expert committee's quorum: three, so no one sets a value
YEAR = 365 * 86_400
ONE = 10**18
OUTPUT_VARIABLE = "BPSA_DEMO_OUT"  # where the demo writes its QR codes (default build/demo)
# The standard licence agreements the council sets: short sample texts (not legal text).
AGREEMENTS = Path(__file__).resolve().parents[1] / "samples" / "agreements"
AGREEMENT_FILES = {
    AgreementKind.BPR: AGREEMENTS / "bpr.txt",
    AgreementKind.PER_PATENT: AGREEMENTS / "per-patent.txt",
    AgreementKind.DEVICE: AGREEMENTS / "device.txt",
}


def heading(text: str) -> None:
    click.echo(click.style(f"\n== {text}", bold=True))


def mandate_patents(
    pool: Pool, store: Any, provider: Any, centre: Any, keys: list[tuple[str, str]]
) -> None:
    """The start-up offers its trusteeship centre a mandate for each patent (an agreement
    stored like any document, the council's whole centre share, twenty years) and the
    centre accepts it: only a centre with an accepted mandate earns or acts for a patent."""
    heading("The start-up mandates its trusteeship centre; the centre accepts on-chain")
    agreement = json.dumps(
        {"mandate": "trusteeship", "contributor": provider.address, "centre": centre.address}
    ).encode()
    terms = store.put(agreement)
    share = int(pool.royalties.centre_bps())
    until = int(chain.pending_timestamp) + 20 * YEAR
    for office, number in keys:
        patent = certs.patent_id(office, number)
        pool.mandates.offer(provider, patent, centre.address, digest_of(terms), share, until)
        pool.mandates.accept(centre, patent, digest_of(terms), share, until)
    click.echo(
        f"  {len(keys)} mandate(s) accepted by {centre.address}: terms {terms}, "
        f"{share / 100:g}% of each patent's own fees, until {when(until)}"
    )


def advance(seconds: int) -> None:
    chain.pending_timestamp += seconds
    chain.mine()


def run_proposal(
    suite: Suite, seats: list[Any], calls: list[Any], text: str, votes: list[Vote]
) -> int:
    proposal_id = suite.propose("council", seats[0], calls, text)
    for seat, vote in zip(seats, votes, strict=True):
        tx = suite.vote("council", seat, proposal_id, vote)
        click.echo(f"  seat {seat.address[:10]} votes {codes.label(vote):<7} ({tx.gas_used} gas)")
    return proposal_id


@click.command(cls=ConnectedProviderCommand)
@clear_errors
def cli() -> None:
    """Run the BPSA scenario on a local chain."""
    if current_network() != "local":
        raise InputError("the demo moves time and uses test accounts: run it on a local chain")
    from scripts.deploy import deploy

    out = Path(os.environ.get(OUTPUT_VARIABLE, "build/demo"))
    out.mkdir(parents=True, exist_ok=True)
    store = open_store(os.environ.get("BPSA_IPFS_API"), out / "store")
    heading("Deploying the suite")
    seats = list(accounts.test_accounts[:3])
    deploy("TEST::0", tuple(s.address for s in seats), TIMING)
    suite = load_suite()
    where = "the IPFS daemon" if isinstance(store, IpfsStore) else f"a local store ({out})"
    click.echo(f"  documents and identity records go to {where}")

    heading("Three companies apply (identity records are sample data)")
    applicants = []
    for offset, (name, kind, registration) in enumerate(COMPANIES):
        account = accounts.test_accounts[3 + offset]
        record = json.dumps({"name": name, "registration": registration}, sort_keys=True)
        cid = store.put(record.encode())
        tx = suite.apply(account, kind, digest_of(cid))
        click.echo(f"  {name:<20} {codes.label(kind):<16} {account.address}")
        click.echo(f"  {'':<20} identity {cid} ({tx.gas_used} gas)")
        applicants.append((name, account))

    heading("The council votes on the applications")
    (a_name, a), (b_name, b), (c_name, c) = applicants
    # dev: each call names the application it decides (number, kind, identity)
    decisions = [
        ([suite.call_admit(a.address)], f"admit {a_name}", [Vote.YES, Vote.YES, Vote.YES]),
        ([suite.call_admit(b.address)], f"admit {b_name}", [Vote.YES, Vote.YES, Vote.ABSTAIN]),
        ([suite.call_reject(c.address)], f"reject {c_name}", [Vote.YES, Vote.NO, Vote.YES]),
    ]
    decisions = [
        (calls, f"{text}, {suite.describe_application(who.address)}", votes)
        for (calls, text, votes), who in zip(decisions, (a, b, c), strict=True)
    ]
    ids = []
    for calls, text, votes in decisions:
        click.echo(f" proposal: {text}")
        ids.append(run_proposal(suite, seats, calls, text, votes))
    advance(TIMING.voting_period + TIMING.execution_delay)
    for proposal_id in ids:
        tx = suite.execute("council", seats[0], proposal_id)
        view = suite.proposal("council", proposal_id)
        click.echo(f"  executed #{proposal_id} {view.description!r} ({tx.gas_used} gas)")

    heading("The council grants roles and a market share in one atomic proposal")
    batch = [
        suite.call_grant_role(a.address, Role.PROVIDER),
        suite.call_grant_role(a.address, Role.DEMANDER),
        suite.call_grant_role(b.address, Role.DEMANDER),
        suite.call_grant_role(b.address, Role.TRUSTEESHIP_CENTRE),
        suite.call_set_market_share(b.address, 1250),
    ]
    roles_id = run_proposal(
        suite, seats, batch, "roles for the new members", [Vote.YES, Vote.YES, Vote.NO]
    )
    advance(TIMING.voting_period + TIMING.execution_delay)
    tx = suite.execute("council", seats[0], roles_id)
    click.echo(f"  executed #{roles_id} with {len(batch)} calls ({tx.gas_used} gas)")

    joined = pool_scenario(suite, seats, a, b, store, out)
    devices = licensing_scenario(suite, seats, a, b, c, accounts.test_accounts[6], store, out)
    infringement_scenario(suite, a, store, out, devices)
    channels_scenario(suite, a, b, c, out)
    swaps_scenario(seats, a, out)
    exchange_scenario(suite, seats, a, accounts.test_accounts[6])
    years_scenario(suite, accounts.test_accounts[9], out)

    heading("Summary")
    names = {acct.address: name for name, acct in applicants} | joined
    click.echo(f"Members ({suite.alliance.active_count()} active):")
    for view in suite.members():
        click.echo(f"  {names.get(view.address, '?'):<38} {view.describe()}")
    click.echo("Council proposals:")
    views = suite.proposals("council")
    for view in views:
        click.echo("  " + view.describe())
    executed = [v for v in views if v.state == ProposalState.EXECUTED]
    pool = suite.pool
    click.echo(
        f"Pool {pool.pool.collection()}: {pool.pool.pooled_count()} patents pooled, NAV "
        f"{units(pool.nav())} {pool.pool.valuation_unit()} per BPC, supply {units(pool.supply())}"
    )
    click.echo(f"Congress seats (active members): {suite.congress.seat_count()}")
    click.echo(f"{len(executed)} proposals executed on chain {chain.chain_id}.")

    sale_scenario(suite, seats, a, b)
    serve_scenario(out, devices)


def council_decides(suite: Suite, seats: list[Any], calls: list[Any], text: str) -> None:
    """Propose, three yes votes, wait out the delay, execute."""
    proposal_id = suite.propose("council", seats[0], calls, text)
    for seat in seats:
        suite.vote("council", seat, proposal_id, Vote.YES)
    advance(TIMING.voting_period + TIMING.execution_delay)
    tx = suite.execute("council", seats[0], proposal_id)
    click.echo(
        f"  council #{proposal_id} {text!r}: executed ({len(calls)} calls, {tx.gas_used} gas)"
    )


def nav_line(pool: Pool) -> str:
    unit = pool.valuation_unit()
    return (
        f"NAV {units(pool.nav())} {unit}/BPC; pooled value "
        f"{units(int(pool.pool.pooled_value()))} {unit}; supply {units(pool.supply())} BPC"
    )


def pool_scenario(
    suite: Suite, seats: list[Any], provider: Any, licensee: Any, store: Any, out: Path
) -> dict[str, str]:
    """The pool's part of the scenario; returns the names of the members who joined."""
    test = accounts.test_accounts
    pool = suite.pool

    heading("Two centres, a regulator, three oracle nodes and three experts join")
    centre = test[6]
    joiners = [(centre, CENTRE[0], CENTRE[1], Role.TRUSTEESHIP_CENTRE)]
    joiners += [(test[PROTECTION], PROTECTION_NAME, Kind.NON_PROFIT, Role.RIGHTS_PROTECTION_CENTRE)]
    joiners += [(test[REGULATOR], REGULATOR_NAME, Kind.NON_PROFIT, Role.REGULATOR)]
    joiners += [(test[i], f"Oracle node {i - 11}", Kind.NON_PROFIT, Role.ORACLE) for i in ORACLES]
    joiners += [(test[i], f"Expert {i - 14}", Kind.INDIVIDUAL, Role.EXPERT) for i in EXPERTS]
    for account, name, kind, _ in joiners:
        record = json.dumps({"name": name, "sample": True}, sort_keys=True)
        suite.apply(account, kind, digest_of(store.put(record.encode())))
        click.echo(f"  {name:<34} applies as {codes.label(kind)}")
    # A proposal carries at most MAX_CALLS calls, and a role goes to a member already
    # admitted: admissions first, then the roles of those admitted by earlier proposals.
    to_admit, to_grant, part = list(joiners), list(joiners), 0
    while to_admit or to_grant:
        batch, to_admit = to_admit[:MAX_CALLS], to_admit[MAX_CALLS:]
        calls = [suite.call_admit(account.address) for account, *_ in batch]
        ready = [j for j in to_grant if suite.alliance.is_active(j[0].address)]
        for joiner in ready[: MAX_CALLS - len(calls)]:
            calls.append(suite.call_grant_role(joiner[0].address, joiner[3]))
            to_grant.remove(joiner)
        part += 1
        text = f"admit the {len(joiners)} new members and grant their roles (part {part})"
        council_decides(suite, seats, calls, text)

    heading(f"The start-up submits four patents (sample documents); {nav_line(pool)}")
    for i, (office, number, title, _) in enumerate([*PATENTS, LAPSED]):
        fields: dict[str, object] = {
            "office": office,
            "number": number,
            "title": title,
            "sample": True,
        }
        if i == 0:  # a full text with drawings, as offices publish it: several megabytes
            drawings = random.Random(number).randbytes(DRAWINGS_BYTES)
            fields["drawings"] = base64.b64encode(drawings).decode()
        document = json.dumps(fields).encode()
        cid = store.put(document)
        pool.submit(provider, office, number, digest_of(cid), centre=centre.address)
        size = f" ({len(document) / 1e6:.1f} MB, an IPFS file)" if len(document) > 1e6 else ""
        click.echo(f"  {office} {number:<18} {title}\n  {'':<21} document {cid}{size}")
    mandate_patents(pool, store, provider, centre, [(o, n) for o, n, _, _ in [*PATENTS, LAPSED]])

    heading("Three oracle nodes check them against the office feed and sign; two suffice")
    click.echo(f"  feed: {SAMPLE.name} (sample data, not an office's register)")
    shutil.rmtree(out / "committee", ignore_errors=True)  # a board per deployment
    committee = Committee(
        directory=out / "committee",
        rpc=chain.provider.uri,
        manifest=manifests.manifest_path("local"),
        feed=SAMPLE,
        nodes={f"node{i - 11}": i for i in ORACLES},
        aggregator=AGGREGATOR,
        ipfs_api=os.environ.get("BPSA_IPFS_API"),
        store_directory=out / "store",
    )
    ids = [certs.patent_id(o, n) for o, n, _, _ in PATENTS]
    lapsed = certs.patent_id(LAPSED[0], LAPSED[1])
    with committee:
        board = wait_for_committee(committee, pool, ids, lapsed)
    refusals = [r for r in board.refusals() if r.submission.patent == lapsed]
    for cert, how, _, _, gas in board.posts():
        body = board.body(cert)
        key = f"{body.office} {body.number}" if body else cert[:16]
        click.echo(f"  {key:<22} certificate posted ({how}, {gas} gas) and certified")
    for item in refusals:
        click.echo(f"  {item.node} refused {item.submission.key}: {item.reason}")
    click.echo(f"  {LAPSED[0]} {LAPSED[1]} stays {codes.label(pool.patent(lapsed).status)}")

    heading("Three experts push the committee's reviewed valuations (USD); medians settle")
    reviewed = out / "reviewed.csv"
    rows = ["office,number,expert,score,valuation,reviewed_by,reasoning"]
    for office, number, _, (score, value_k) in PATENTS:
        for i, expert in enumerate(EXPERTS):
            who = test[expert].address
            rated = f"{score - 2 * i},{(value_k - 4 * i) * 1000}"
            if (office, i) == (PATENTS[0][0], len(EXPERTS) - 1):
                rated = "0,0.000000000000000001"  # one expert tries to sink it: 0, and 1 wei
            # each ballot's reasoning document, stored before the ballot (the pool logs its
            # CID's digest with the ballot and refuses a ballot without one)
            reasoning = json.dumps(
                {"patent": f"{office} {number}", "expert": f"Expert {expert - 14}",
                 "reasoning": "SAMPLE reasoning, not an expert opinion: claims read on the "
                 "standard; remaining term and comparable licences considered.",
                 "sample": True}, sort_keys=True,
            ).encode()  # fmt: skip
            rows.append(f"{office},{number},{who},{rated},demo,{store.put(reasoning)}")
    reviewed.write_text("\n".join(rows) + "\n")
    click.echo(f"  each ballot carries its reasoning document (sample texts): {reviewed}")
    web = PoolChain(chain.provider.uri, manifests.load("local"))
    for expert in EXPERTS:
        push(web, dev_account(expert), read_reviewed(reviewed))
    for office, number, _, _ in PATENTS:
        view = pool.patent(certs.patent_id(office, number))
        click.echo(
            f"  {office} {number:<18} score {view.score:>3}  value {units(view.valuation)} USD"
        )
    click.echo(
        f"  Expert {len(EXPERTS)} scored {PATENTS[0][0]} {PATENTS[0][1]} 0 and valued it at "
        "1 wei: the median of three ballots ignores one extreme"
    )
    first = certs.patent_id(PATENTS[0][0], PATENTS[0][1])
    click.echo(f"  valuations {pool.rating_due(first).describe()} (the re-rating interval)")
    family_scenario(pool, provider)

    heading("The council pools what clears the core threshold")
    try:
        pool.call_pool(ids[2])
    except BpsaError as exc:
        click.echo(f"  refused before sending: {exc}")
    before = int(pool.bpc.balanceOf(provider.address))
    nav_before = pool.nav()
    council_decides(suite, seats, [pool.call_pool(i) for i in ids[:2]], "pool two patents")
    minted = int(pool.bpc.balanceOf(provider.address)) - before
    click.echo(f"  the start-up received {units(minted)} BPC; {nav_line(pool)}")
    if pool.nav() != nav_before:
        raise InputError("NAV moved when patents were pooled")

    heading("A licensee pays a fee in BPC; contributor and centre claim")
    pool.bpc.transfer(licensee.address, 40 * 10**18, sender=provider)
    tx = pool.pay(licensee, 25 * 10**18, b"sample-licence-fee".ljust(32, b"\0"))
    click.echo(f"  licensee paid 25 BPC ({tx.gas_used} gas)")
    for who, name in ((provider, "start-up (contributor)"), (centre, "centre")):
        amount = pool.claimable(who.address)
        tx = pool.claim(who)
        click.echo(f"  {name:<23} claimed {units(amount)} BPC ({tx.gas_used} gas)")
    fund = int(pool.bpc.balanceOf(pool.fund.address))
    click.echo(f"  the fund holds {units(fund)} BPC; {nav_line(pool)}")

    return {str(a.address): name for a, name, _, _ in joiners}


def family_scenario(pool: Pool, provider: Any) -> None:
    """US 11234567 and EP 3456789 are one invention: the start-up (their contributor) puts
    both in the family the office feed records, and the family is shown together."""
    heading("The start-up records its US and EP patents as one invention (a patent family)")
    feed = LocalFeed.load(SAMPLE)
    members = [(o, n) for o, n, _, _ in PATENTS if o in ("US", "EP")]
    for office, number in members:
        record = feed.lookup(office, number)
        assert record is not None and record.family is not None  # dev: the sample feed's
        family = family_id(record.family)
        pool.families.set(provider, certs.patent_id(office, number), family)
        click.echo(f"  {office} {number:<18} family {record.family} (the office feed's)")
    keys = {pid: (o, n) for o, n, pid in pool.submissions()}
    shown = pool.families.members(family)
    click.echo(f"  family 0x{family.hex()[:16]}…: {len(shown)} patents, shown together")
    for patent in shown:
        view, (office, number) = pool.patent(patent), keys[patent]
        value = f"{units(view.valuation)} USD" if view.rated_at else "unrated"
        click.echo(
            f"    {office} {number:<18} {codes.label(view.status):<8} {value:<12} "
            f"{pool.rating_due(patent).describe()}"
        )


def licensing_scenario(
    suite: Suite,
    seats: list[Any],
    startup: Any,
    enterprise: Any,
    outsider: Any,
    centre: Any,
    store: Any,
    out: Path,
) -> dict[str, str]:
    """Standard agreements, tiers, a grant, a per-patent licence with surcharge, a device
    batch, QR codes; returns the genuine and the counterfeit device's scanned texts."""
    desk, pool = suite.desk, suite.pool
    earned_before = pool.claimable(startup.address)
    centre_before = pool.claimable(centre.address)

    heading("The published price list, the same for everyone in a tier")
    for line in desk.schedule().lines():
        click.echo("  " + line)

    heading("The council sets the standard licence agreements (sample texts, pinned to IPFS)")
    calls = []
    for kind, path in AGREEMENT_FILES.items():
        cid = pin_agreement(store, path)
        click.echo(f"  {codes.label(kind):<10} {path.name:<14} {cid}")
        calls.append(desk.call_set_agreement(kind, digest_of(cid)))
    # one proposal: the agreements first, so the centre's BPR is granted under the BPR one
    calls.append(desk.call_grant(centre.address))
    council_decides(suite, seats, calls, "standard licence agreements; a free BPR for the centre")
    for kind in AgreementKind:
        click.echo(f"  in force: {desk.standard_agreement(kind).describe()}")

    heading("A start-up and a large enterprise convert BPC into BPRs at their tiers")
    # each passes the BPR agreement it read: a change of terms meanwhile would refuse it
    tx = desk.convert(startup, desk.standard_agreement(AgreementKind.BPR).digest)
    held = desk.holding(startup.address)
    click.echo(
        f"  the start-up locked {units(held.locked)} BPC and holds 1 BPR ({tx.gas_used} gas)"
    )
    click.echo(f"  {held.describe()}")
    snapshot = desk.coverage(startup.address)  # the patents its BPR covers on its date
    click.echo(
        f"  its BPR's snapshot: {len(snapshot.patents)} pooled patent(s) on {when(snapshot.date)}, "
        f"Coverage log size {snapshot.size}, root 0x{snapshot.root.hex()[:16]}..."
    )
    price = desk.price_of(enterprise.address)
    pool.bpc.transfer(enterprise.address, price + 40 * ONE, sender=startup)  # an OTC purchase
    tx = desk.convert(enterprise)
    share = int(suite.alliance.market_share_of(enterprise.address))
    click.echo(
        f"  Pearl River Devices ({share / 100:g}% market share) locked {units(price)} BPC "
        f"for 1 BPR ({tx.gas_used} gas)"
    )
    click.echo(f"  {desk.holding(centre.address).describe()}")
    locked = units(int(desk.licensing.total_locked()))
    click.echo(f"  BPRs outstanding: {desk.bpr.totalSupply()}; BPC locked {locked}")

    heading("A per-patent licence: the start-up lists terms, a non-member buys with surcharge")
    office, number, _, _ = PATENTS[0]
    listing = desk.list_terms(
        startup, certs.patent_id(office, number), 5 * ONE, YEAR, "payment terminals", "CN"
    )
    click.echo(f"  {desk.listing(listing).describe()}")
    pool.bpc.transfer(outsider.address, 10 * ONE, sender=startup)
    surcharge = desk.surcharge_for(outsider.address, 5 * ONE)
    licence = desk.licence(desk.buy(outsider, listing))
    click.echo(
        f"  Shadow Patents Ltd (not a member) bought licence #{licence.licence}: 5 BPC and "
        f"{units(surcharge)} BPC surcharge, all to the foundation's fund (whitepaper 3.3); "
        f"agreement {licence.agreement_cid}"
    )
    before = (pool.claimable(startup.address), pool.claimable(centre.address))
    pool.bpc.transfer(enterprise.address, 5 * ONE, sender=startup)
    licence = desk.licence(desk.buy(enterprise, listing))
    click.echo(
        f"  Pearl River (a member) bought licence #{licence.licence} on the same terms: the "
        f"licensed patent earned it: the start-up can claim "
        f"{units(pool.claimable(startup.address) - before[0])} BPC more, its centre "
        f"{units(pool.claimable(centre.address) - before[1])} BPC, the fund its share; "
        "no other contributor's claim moved"
    )

    heading("A maker registers production batches; the free allowance, then the rate")
    product = "PRX-5G-PHONE"
    batches = []
    for start, count in ((0, 100_000), (100_000, 5_000)):
        texts = [f"{product}-{n:09d}" for n in range(start, start + count)]
        tree = batch_tree(texts, f"batch of {count:,}")
        fee = desk.device_fee(enterprise.address, count)
        batch = desk.register_batch(enterprise, product_id(product), tree)
        batches.append((batch, tree, texts))
        click.echo(
            f"  batch #{batch}: {count:,} devices, fee {units(fee)} BPC; agreement "
            f"{agreement_cid(desk.batch(batch).agreement)}"
        )

    heading("Three devices' QR codes are scanned and verified against the chain")
    batch, tree, texts = batches[0]
    genuine = qr.encode(desk.device_payload(batch, tree, serial_id(texts[42])))
    counterfeit_serial = serial_id(f"{product}-{999_999_999:09d}")
    counterfeit = qr.encode(
        qr.DevicePayload(
            int(chain.chain_id),
            str(desk.licensing.address),
            batch,
            42,
            counterfeit_serial,
            tree.proof(serial_id(texts[42])),
        )
    )
    # A code for a position past the devices batch #2 paid for (its tree holds 5,000).
    batch2, tree2, texts2 = batches[1]
    unpaid_serial = serial_id(texts2[0])
    unpaid = qr.encode(
        qr.DevicePayload(
            int(chain.chain_id),
            str(desk.licensing.address),
            batch2,
            len(texts2),
            unpaid_serial,
            tree2.proof(unpaid_serial),
        )
    )
    for label, text in (("genuine", genuine), ("counterfeit", counterfeit), ("past-count", unpaid)):
        qr.render(text, out / f"device-{label}.png", kind="png")
        verdict = desk.verify(text)
        answer = "LICENSED" if verdict.licensed else "NOT LICENSED"
        click.echo(f"  {label:<11} {answer}: {verdict.reason} (QR {out / f'device-{label}.png'})")
    claim = LicenceClaim(
        holder=enterprise.address,
        licence=0,
        subject=product_id(product),
        expiry=int(chain.pending_timestamp) + YEAR,
        nonce=1,
    )
    signed = qr.encode(desk.sign_claim(enterprise, claim))
    qr.render(signed, out / "claim.svg", kind="svg")
    verdict = desk.verify(signed)
    click.echo(
        f"  Pearl River's signed BPR claim for {product}: "
        f"{'LICENSED' if verdict.licensed else 'NOT LICENSED'}: {verdict.reason}"
    )

    heading("Royalties rise")
    fees = int(desk.licensing.fees_to_royalties())
    earned = pool.claimable(startup.address) - earned_before
    centre_earned = pool.claimable(centre.address) - centre_before
    click.echo(
        f"  members paid {units(fees)} BPC into the royalties (the per-patent price to its "
        f"patent, device fees over the pool); the start-up (contributor) can claim "
        f"{units(earned)} BPC more, the centre {units(centre_earned)} more"
    )
    return {"genuine": genuine, "counterfeit": counterfeit}


def infringement_scenario(
    suite: Suite, startup: Any, store: Any, out: Path, devices: dict[str, str]
) -> None:
    """The monitor files a case for the counterfeit; it ends in a settlement."""
    test = accounts.test_accounts
    pool, cases = suite.pool, suite.contracts["Infringements"]
    office, number, _, _ = PATENTS[0]
    heading("The rights-protection centre's monitor checks two market scans")
    scans = [
        ("scan-0001", "Pearl River Devices", devices["genuine"]),
        ("scan-0002", "Shenzhen Knockoff Electronics", devices["counterfeit"]),
    ]
    lines = [
        json.dumps(
            {
                "id": scan,
                "kind": "device",
                "payload": payload,
                "seller": seller,
                "product": "PRX-5G-PHONE",
                "patents": [[office, number]],
                "where": "sample market scan",
            }
        )
        for scan, seller, payload in scans
    ]
    observations = out / "observations.jsonl"
    observations.write_text("\n".join(lines) + "\n")
    bond = int(cases.bond())
    pool.bpc.transfer(test[PROTECTION].address, bond, sender=startup)
    uri = str(chain.provider.uri)
    web = PoolChain(uri, manifests.load("local"))
    log = fresh(out / "monitor.sqlite")  # the log of this deployment's monitor
    monitor = Monitor(web, store, dev_account(PROTECTION), log, uri)
    findings = monitor.process(read_observations(str(observations)))
    for finding in findings:
        verdict = "licensed" if finding.licensed else "UNLICENSED"
        filed = f"; case #{finding.cases[0]} filed, {units(bond)} BPC bond" if finding.cases else ""
        click.echo(f"  {finding.observation.id} {verdict}: {finding.reason}{filed}")
    again = monitor.process(read_observations(str(observations)))
    click.echo(f"  the same scans again: {len(again)} new finding(s), no new case")
    case = next(c for f in findings for c in f.cases)
    record = cases.cases(case)
    click.echo(f"  evidence on IPFS: {store.resolve(bytes(record.evidence))}")

    heading("The start-up authorises litigation; the infringer settles; a regulator closes it")
    earned = pool.claimable(startup.address)
    cases.authorise(case, sender=startup)
    counsel, stranger = test[COUNSEL], test[STRANGER]
    pool.bpc.transfer(counsel.address, SETTLEMENT, sender=startup)  # the infringer's funds
    pool.bpc.transfer(stranger.address, 1, sender=startup)
    pool.bpc.approve(cases.address, SETTLEMENT, sender=counsel)
    offer = int(cases.offer_settlement(case, SETTLEMENT, sender=counsel).return_value)
    click.echo(f"  the infringer's counsel offers {units(SETTLEMENT)} BPC (offer #{offer})")
    pool.bpc.approve(cases.address, 1, sender=stranger)
    stray = int(cases.offer_settlement(case, 1, sender=stranger).return_value)
    click.echo(f"  a stranger offers 1 wei (offer #{stray}): it stands apart and blocks nothing")
    cases.accept_offer(case, offer, sender=startup)
    click.echo(f"  the start-up accepts offer #{offer}; the regulator settles with it")
    tx = cases.settle(case, offer, sender=test[REGULATOR])
    status = codes.label(CaseStatus(int(cases.cases(case).status)))
    rise = pool.claimable(startup.address) - earned
    click.echo(
        f"  case #{case} {status} with offer #{offer}: {units(SETTLEMENT)} BPC to the infringed "
        f"patent (its contributor, centre and the fund), the bond back to the centre "
        f"({tx.gas_used} gas); the start-up can claim "
        f"{units(rise)} BPC more"
    )
    cases.withdraw_offer(stray, sender=stranger)
    pool.bpc.transfer(startup.address, 1, sender=stranger)  # the demo's wei goes home
    click.echo(f"  the stranger's offer #{stray} went back to it; nothing else is held")


def wait_for_committee(
    committee: Committee, pool: Pool, ids: Sequence[bytes], lapsed: bytes
) -> Board:
    """Until every patent of `ids` is certified and every node refused `lapsed`."""
    deadline = time.monotonic() + 180
    while not committee.board.exists():
        committee.check()
        time.sleep(0.2)
    board = Board(committee.board)
    while True:
        committee.check()
        done = all(pool.patent(i).status == PatentStatus.CERTIFIED for i in ids)
        refused = [r for r in board.refusals() if r.submission.patent == lapsed]
        if done and len(refused) == len(committee.nodes):
            return board
        if time.monotonic() > deadline:
            raise InputError(
                f"the oracle committee did not finish in 3 minutes ({committee.directory})"
            )
        time.sleep(0.5)


QUERY_PRICE = 10**15  # 0.001 BPC a patent query
HUB_ACCOUNT = 18


def wait_for(condition: Any, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise InputError(f"timed out waiting for {what}")
        time.sleep(0.1)


def channels_scenario(suite: Suite, startup: Any, licensee: Any, cheat: Any, out: Path) -> None:
    """Pay-per-query over a payment channel; a stale close disputed by the hub."""
    pool, channels = suite.pool, suite.contracts["Channels"]
    heading("The channel hub starts; a licensee opens a channel and pays per patent query")
    for name in ("hub.sqlite", "hub.sqlite-wal", "hub.sqlite-shm", "gate.sqlite"):
        (out / name).unlink(missing_ok=True)
    uri = str(chain.provider.uri)
    hub_log = open(out / "hub.log", "w")  # noqa: SIM115 (lives with the process)
    hub, hub_url = start_hub(out, hub_log, poll=0.2)
    try:
        click.echo(f"  hub {channels.HUB()} at {hub_url} (pid {hub.pid}, log {out / 'hub.log'})")
        web = PoolChain(uri, manifests.load("local"))
        payer = ChannelClient(web, dev_account(4), hub_url, fresh(out / "licensee-channel.sqlite"))
        channel = payer.open(2 * 10**18)
        click.echo(f"  Pearl River Devices opened channel #{channel} with 2 BPC")
        gate = PaymentGate(out / "gate.sqlite", payer.domain, payer.hub, hub_url)
        wait_for(lambda: payer.hub_knows(channel), "the hub to see the channel")
        ids = [certs.patent_id(o, n) for o, n, _, _ in PATENTS]
        started, served = time.perf_counter(), 0
        for query in range(300):
            paid = payer.pay(channel, QUERY_PRICE)
            patent = ids[query % len(ids)]
            asked = ch.canonical_request("/patents", {"id": "0x" + patent.hex()})
            signed = payer.authorize_query(paid.receipt, asked)  # spent only on this query
            if gate.redeem(paid.receipt, QUERY_PRICE, asked, signed) >= QUERY_PRICE:
                pool.patent(patent)  # the query itself: a registry lookup
                served += 1
        elapsed = time.perf_counter() - started
        click.echo(
            f"  {served} paid queries at {units(QUERY_PRICE)} BPC, each receipt redeemed once, "
            f"on the query its payer signed ({served / elapsed:.0f} a second including the "
            "lookups)"
        )
        try:  # a stranger asks the hub to close the licensee's channel
            ChannelClient(web, dev_account(5), hub_url, fresh(out / "stranger.sqlite"))._post(
                f"/channels/{channel}/close", signed=(channel, "close")
            )
        except PaymentRefused as refused:
            click.echo(
                f"  a stranger asks the hub to close channel #{channel}: {refused.code} "
                "(only its payer may; the channel stays open)"
            )
        before = int(pool.bpc.balanceOf(licensee.address))
        payer.close_cooperatively(channel)
        refund = int(pool.bpc.balanceOf(licensee.address)) - before
        click.echo(
            f"  closed cooperatively: the hub earned {units(int(channels.hub_earnings()))} BPC, "
            f"{units(refund)} BPC back to the licensee"
        )

        heading("A cheating payer closes its channel with a stale proof; the hub disputes")
        cheater = ChannelClient(web, dev_account(5), hub_url, fresh(out / "cheat-channel.sqlite"))
        second = cheater.open(10**18)
        wait_for(lambda: cheater.hub_knows(second), "the hub to see the channel")
        for _ in range(20):
            cheater.pay(second, QUERY_PRICE)
        nonce, amount, signature = cheater.proof(second, 3)
        fn = cheater.channels.functions.close(second, nonce, amount, ch.as_arg(signature))
        cheater.chain.send(cheater.account, fn)
        click.echo(f"  Shadow Patents paid 20 queries, then closed claiming {units(amount)} BPC")
        wait_for(lambda: channels.channel(second)[3] == 20 * QUERY_PRICE, "the hub's dispute")
        click.echo("  the hub's watcher submitted the payer's latest proof within the window")
        chain.pending_timestamp += int(channels.challenge_window())
        chain.mine()
        wait_for(lambda: int(channels.channel(second)[1]) == 0, "the hub's settlement")
    finally:
        hub.terminate()
        hub.wait(timeout=30)
        hub_log.close()
    earned = int(channels.hub_earnings())
    click.echo(f"  settled: the hub was paid all 20 queries; its earnings {units(earned)} BPC")
    before = pool.claimable(startup.address)
    tx = channels.sweep(sender=licensee)
    click.echo(
        f"  swept {units(earned)} BPC of query fees into the royalty split ({tx.gas_used} gas); "
        f"the start-up can claim {units(pool.claimable(startup.address) - before)} BPC more"
    )


def start_hub(out: Path, log: IO[str], poll: float) -> tuple[subprocess.Popen[str], str]:
    """The channel hub as its own process on the demo's log (`out`/hub.sqlite), watching
    the local chain's Channels with the local hub's key; with its URL once it listens."""
    channels = manifests.load("local").address("Channels")
    command = [
        sys.executable, "-m", "bpsa.sidechains.serve", "--wal", str(out / "hub.sqlite"),
        "--chain-id", str(chain.chain_id), "--channels", channels, "--port", "0",
        "--rpc", str(chain.provider.uri), "--manifest", str(manifests.manifest_path("local")),
        "--poll", str(poll),
    ]  # fmt: skip
    env = {**os.environ, "BPSA_HUB_KEY": dev_account(HUB_ACCOUNT).key.hex()}
    hub = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    assert hub.stdout is not None
    line = hub.stdout.readline()
    if not line.startswith("listening on "):
        hub.terminate()
        hub.wait(timeout=30)
        raise BpsaError(f"the hub did not start (see {log.name}): {line!r}")
    return hub, line.split()[-1]


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


AI_LAB, VANISHING_LAB = 19, 11  # test accounts: an AI lab, and one that walks away
SWAP_WINDOW = 1_800  # seconds the responder has to lock


def swaps_scenario(seats: list[Any], startup: Any, out: Path) -> None:
    """A sibling collection (APC) on a second chain; BPC <-> APC swapped atomically;
    a swap whose counterparty vanishes is refunded after its deadline."""
    from ape import networks
    from eth_account import Account
    from web3 import Web3

    from bpsa.core.abis import load_abis
    from bpsa.sdk.collections import params_for
    from bpsa.sdk.localchain import Anvil, rpc
    from bpsa.sidechains.swap import SwapBook, SwapParty, connect
    from scripts.deploy import deploy

    heading("A sibling collection: the AI patents' pool (APC) on a second chain")
    with Anvil(31338) as sibling:
        with networks.parse_network_choice(
            "ethereum:sibling:node", provider_settings={"uri": sibling.url}
        ):
            seat_list = tuple(s.address for s in seats)
            deploy("TEST::0", seat_list, TIMING, params_for("APC"), None, "local")
            apc_suite = load_suite()
            apc = apc_suite.pool.bpc
            # Sample holdings: the AI lab's APC would come from pooling its own patents on
            # the AI collection; the demo mints them as that pool (impersonated) instead.
            minter = str(apc_suite.pool.pool.address)
            rpc(sibling.url, "anvil_impersonateAccount", [minter])
            rpc(sibling.url, "anvil_setBalance", [minter, hex(10**18)])
            w3 = Web3(Web3.HTTPProvider(sibling.url))
            token = w3.eth.contract(address=apc.address, abi=load_abis()["BPC"])
            for holder in (AI_LAB, VANISHING_LAB):
                mint = token.functions.mint(dev_account(holder).address, 100 * ONE)
                w3.eth.wait_for_transaction_receipt(mint.transact({"from": minter}))
        click.echo(
            f"  APC on chain {sibling.chain_id} ({sibling.url}); each manifest names the "
            f"other collection; the AI labs hold 100 APC each (sample holdings)"
        )
        home = manifests.load("local")
        chains = connect(
            {"BPC": home, "APC": home.sibling("APC")},
            {"BPC": str(chain.provider.uri), "APC": sibling.url},
        )
        me = Account.from_key(startup.private_key)

        # The demo moved the main chain's clock ahead (votes, windows); real chains keep
        # the same time, so the sibling's clock catches up before any deadline is set.
        lag = chains[home.chain_id].now() - chains[sibling.chain_id].now()
        if lag > 0:
            rpc(sibling.url, "evm_increaseTime", [lag])
            rpc(sibling.url, "evm_mine")

        def party(account: Any, name: str) -> SwapParty:
            book = SwapBook(fresh(out / f"swaps-{name}.sqlite"))
            return SwapParty(account, book, chains, confirmations=0)  # local anvils

        def balances(who: str) -> str:
            bpc = chains[home.chain_id].balance(who)
            apc_balance = chains[sibling.chain_id].balance(who)
            return f"{units(bpc)} BPC, {units(apc_balance)} APC"

        def agree(startup_party: SwapParty, lab: SwapParty, lab_key: int) -> tuple[Any, str]:
            """The start-up offers 5 BPC for 20 APC, the lab accepts: both signed the intent."""
            offer = startup_party.propose(
                (home.chain_id, 5 * ONE),
                (sibling.chain_id, 20 * ONE),
                dev_account(lab_key).address,
                SWAP_WINDOW,
            )
            startup_party.take(lab.accept(offer))
            return offer, offer.intent.struct_hash().hex()

        heading("The start-up swaps 5 BPC for 20 APC with an AI lab: no intermediary")
        startup_party, lab = party(me, "startup"), party(dev_account(AI_LAB), "lab")
        click.echo(f"  before: start-up {balances(me.address)}")
        offer, key = agree(startup_party, lab, AI_LAB)
        click.echo(f"  both signed the intent {key[:16]}... (the common signature)")
        for _ in range(6):
            for name, who in (("start-up", startup_party), ("AI lab", lab)):
                if who.book.get(key).state == "open":
                    action = who.step(key)
                    if action.do.value != "wait":
                        click.echo(f"  {name:<8} {action.do.value}: {action.why}")
        click.echo(f"  after:  start-up {balances(me.address)}")

        heading("A second AI lab signs an offer, then vanishes; the start-up is refunded")
        startup_party = party(me, "startup-2")
        ghost = party(dev_account(VANISHING_LAB), "ghost")
        offer, key = agree(startup_party, ghost, VANISHING_LAB)
        action = startup_party.step(key)
        click.echo(f"  start-up {action.do.value}: {action.why}; then nothing comes back")
        click.echo(f"  locked:  start-up {balances(me.address)}")
        wait = offer.intent.initiator.deadline - chains[home.chain_id].now() + 1
        advance(wait)
        rpc(sibling.url, "evm_increaseTime", [wait])
        rpc(sibling.url, "evm_mine")
        while startup_party.book.get(key).state == "open":
            action = startup_party.step(key)
            if action.do.value != "wait":
                click.echo(f"  start-up {action.do.value}: {action.why}")
        click.echo(f"  refunded after {duration(wait)}: start-up {balances(me.address)}")


ASSIGNMENT_PRICE = 4 * ONE
MANDATE_ASSIGNMENT = 1  # Exchange's kinds of trade: 1 assignment, 2 exclusive licence


def exchange_scenario(suite: Suite, seats: list[Any], startup: Any, centre: Any) -> None:
    """The start-up mandates its trusteeship centre to sell a pooled patent's assignment
    (a floor price, 30 days); the centre's listing below the floor is refused, its listing
    at the floor accepted; the fund buys it through the exchange: payment, the registry's
    record and the royalty split in one transaction."""
    from web3.exceptions import ContractLogicError as Web3LogicError

    from scripts.admin import build_calls

    pool, exchange = suite.pool, suite.contracts["Exchange"]
    heading("The fund buys a patent through the exchange (payment, registry, royalties at once)")
    council_decides(suite, seats, build_calls(suite, "enable-exchange", []), "name the exchange")
    office, number, _, _ = PATENTS[1]
    patent = certs.patent_id(office, number)
    expiry = int(chain.pending_timestamp) + 30 * 86_400
    tx = exchange.grant_mandate(
        patent, centre.address, MANDATE_ASSIGNMENT, ASSIGNMENT_PRICE, expiry, sender=startup
    )
    click.echo(
        f"  the start-up mandates its centre {centre.address} to sell {office} {number}'s "
        f"assignment at {units(ASSIGNMENT_PRICE)} BPC or more until {when(expiry)} "
        f"({tx.gas_used} gas)"
    )
    # simulated (an eth_call), as the SDK checks a call before sending it
    below = bytes(exchange.list_assignment.encode_input(patent, ASSIGNMENT_PRICE // 2))
    call = {"from": centre.address, "to": str(exchange.address), "data": "0x" + below.hex()}
    try:
        chain.provider.web3.eth.call(call)
    except Web3LogicError as exc:
        reason = str(exc.message).removeprefix("execution reverted: ")
        half = units(ASSIGNMENT_PRICE // 2)
        click.echo(f"  the centre's listing at {half} BPC: refused, {reason}")
    else:
        raise InputError("the exchange accepted a listing below the mandate's floor")
    tx = exchange.list_assignment(patent, ASSIGNMENT_PRICE, sender=centre)
    listing = int(tx.return_value)
    click.echo(
        f"  the centre lists it for the start-up at {units(ASSIGNMENT_PRICE)} BPC "
        f"(listing #{listing}, {tx.gas_used} gas); the start-up may cancel it at any time"
    )
    seller_before = int(pool.bpc.balanceOf(startup.address))
    calls = [
        pool.call_fund_approve(str(exchange.address), ASSIGNMENT_PRICE),
        (str(exchange.address), bytes(exchange.buy_for_fund.encode_input(listing))),
    ]
    council_decides(suite, seats, calls, f"the fund buys listing #{listing}")
    view = pool.patent(patent)
    paid = int(pool.bpc.balanceOf(startup.address)) - seller_before
    in_force = exchange.mandate(patent, centre.address, MANDATE_ASSIGNMENT).in_force
    click.echo(
        f"  {office} {number}: contributor now the fund ({view.contributor == pool.fund.address})"
        f", source {codes.label(view.source) if view.source else '-'}; the start-up received "
        f"{units(paid)} BPC, {units(ASSIGNMENT_PRICE - paid)} BPC went to the royalty split; "
        f"the centre's mandate in force: {in_force} (it ended with the sale)"
    )


# The dates the demo's clock stops at (noon UTC) in the sample feed's maintenance
# histories: renewals, the fund's patent the office still names its seller for, a fee
# unpaid then paid late (CN), a fee never paid (EP).
TIMELINE = [
    "2027-05-15", "2027-09-15", "2028-01-10", "2028-05-15", "2028-08-01",
    "2028-10-15", "2028-12-01", "2029-06-15", "2029-09-15", "2029-12-01",
]  # fmt: skip


def years_scenario(suite: Suite, keeper: Any, out: Path) -> None:
    """Three years on the chain's clock: two oracle nodes (stepped in this process at each
    date of TIMELINE) keep the certificates up to the sample feed's maintenance records;
    anyone expires what has lapsed. Printed as a dated timeline."""
    heading("Three years pass: renewals, a late fee, a lapse (the sample feed's histories)")
    pool = suite.pool
    web = PoolChain(chain.provider.uri, manifests.load("local"))
    store = open_store(os.environ.get("BPSA_IPFS_API"), out / "store")
    board_path = fresh(out / "timeline-board.sqlite")
    board = Board(board_path)
    feed = LocalFeed.load(SAMPLE)
    quiet = logging.getLogger("bpsa.demo.timeline")
    quiet.setLevel(logging.ERROR)  # the nodes refuse JP 7012345 again: said above
    nodes = [
        CertificateNode(f"node{i - 11}", web, store, feed, board, dev_account(i), log=quiet)
        for i in list(ORACLES)[:2]
    ]
    aggregator = Aggregator(web, board, dev_account(AGGREGATOR))
    keys = [(o, n, certs.patent_id(o, n)) for o, n, _, _ in PATENTS]

    def certificate(patent: bytes) -> tuple[CertStatus, int]:
        document = pool.patent(patent).document
        _, status, expiry, _ = web.certificate(patent, bytes(document))
        return status, expiry

    before = {patent: certificate(patent) for _, _, patent in keys}
    grace = int(pool.pool.grace_period())
    said: set[tuple[bytes, str]] = set()
    for date in track(TIMELINE, "timeline", unit="dates"):  # a bar on a terminal
        moment = int(dt.datetime.fromisoformat(date + "T12:00:00+00:00").timestamp())
        if moment <= int(chain.pending_timestamp):
            continue  # the demo's clock is already past it
        chain.pending_timestamp = moment
        chain.mine()
        for _ in range(2):  # sign, then post (the second pass finds nothing new)
            for node in nodes:
                node.step()
            aggregator.step()
        findings = {(o, n): why for o, n, _, why in board.held(nodes[0].name)}
        for office, number, patent in keys:
            status = pool.patent(patent).status
            if status not in (PatentStatus.CERTIFIED, PatentStatus.RATED, PatentStatus.POOLED):
                continue
            now = certificate(patent)
            why = findings.get((office, number), "")
            if now != before[patent]:
                label = codes.label(now[0])
                click.echo(f"  {date}  {office} {number}: {why} (certificate {label}, "
                           f"expiry {date_of(now[1])})")  # fmt: skip
            elif why and "no renewal" in why and (patent, "owner") not in said:
                said.add((patent, "owner"))
                click.echo(f"  {date}  {office} {number}: {why}")
            before[patent] = now
            due = pool.rating_due(patent)
            if due.stale and (patent, "stale") not in said:
                said.add((patent, "stale"))
                click.echo(
                    f"  {date}  {office} {number}: valuation {due.describe()}: due for "
                    "re-rating (flagged in the registry, the API and the NAV chart)"
                )
            lapse = web.lapse(patent)
            if lapse == Lapse.NONE:
                continue
            if lapse == Lapse.PAST_EXPIRY and moment < now[1] + grace:
                if (patent, "grace") not in said:
                    said.add((patent, "grace"))
                    click.echo(
                        f"  {date}  {office} {number}: nobody may expire it before "
                        f"{date_of(now[1] + grace)}: the owner may still pay the fee late"
                    )
                continue
            pooled = status == PatentStatus.POOLED
            pool.expire(keeper, patent)
            out_of = f"; {nav_line(pool)}" if pooled else " (it was not pooled)"
            click.echo(f"  {date}  {office} {number}: expired by anyone{out_of}")
    board.close()


def sale_scenario(suite: Suite, seats: list[Any], holder: Any, investor: Any) -> None:
    """The council names the sale desk and the test stable token (standing for USDC) and
    opens sales; a member buys BPC at NAV; the start-up's claim on the pool's assets is
    the same before and after (the payment joined the assets as the BPC joined the supply)."""
    from bpsa.sdk.sale import token_amount
    from scripts.admin import build_calls

    heading("An investor buys BPC from the fund at NAV (test USDC; nobody diluted)")
    token = suite.contracts["TestStable"]
    council_decides(
        suite, seats, build_calls(suite, "enable-sale", [str(token.address)]), "open BPC sales"
    )
    desk, pool = suite.sale, suite.pool
    symbol, decimals = str(token.symbol()), int(token.decimals())
    amount = 5_000 * 10**decimals
    token.mint(investor.address, amount, sender=accounts.test_accounts[0])
    click.echo("  " + desk.terms().describe(str(pool.pool.valuation_unit())))

    def claim(who: Any) -> Decimal:
        balance = int(pool.bpc.balanceOf(who.address))
        return Decimal(balance) * int(pool.pool.assets()) / pool.supply() / 10**18

    before, nav_before = claim(holder), pool.nav()
    quote = desk.quote(amount)
    tx = desk.buy(investor, amount)
    sold = tx.events.filter(desk.sale.Sold)[0]
    click.echo(
        f"  quoted {units(quote.bpc)} BPC for {token_amount(amount, decimals, symbol)}; bought "
        f"{units(int(sold.minted))} BPC ({tx.gas_used} gas); proceeds to the fund"
    )
    click.echo(f"  NAV {units(nav_before)} -> {units(pool.nav())}; {nav_line(pool)}")
    treasury = desk.treasury()
    click.echo(
        f"  the fund's cash counted in the NAV: {units(treasury.total)} "
        f"{pool.pool.valuation_unit()} ({token_amount(treasury.held_units, decimals, symbol)})"
    )
    click.echo(
        f"  the start-up's claim on the assets: {before:.6f} before, {claim(holder):.6f} after"
    )


SERVE_VARIABLE = "BPSA_DEMO_SERVE"  # seconds to serve at the end (unset: until Ctrl-C)


def serve_scenario(out: Path, devices: dict[str, str]) -> None:
    """Index the chain, start the hub again and the query API with its page, print
    their URLs and example calls, and serve until Ctrl-C (or $BPSA_DEMO_SERVE s)."""
    import urllib.request

    from bpsa.api.db import open_db
    from bpsa.api.indexer import Indexer, load_manifest

    heading("The indexer catches up; the query API and its page are served")
    uri, manifest_file = str(chain.provider.uri), manifests.manifest_path("local")
    database = fresh(out / "index.sqlite")
    started = time.perf_counter()
    indexed = Indexer(load_manifest(manifest_file), uri, open_db(database)).run_once()
    took = time.perf_counter() - started
    click.echo(f"  indexed {indexed} events into {database} ({took:.1f} s)")
    logs = [open(out / "hub-2.log", "w"), open(out / "api.log", "w")]  # noqa: SIM115
    processes: list[subprocess.Popen[str]] = []
    try:
        hub, hub_url = start_hub(out, logs[0], poll=1)
        processes.append(hub)
        api_command = [
            sys.executable, "-m", "bpsa.api", "--manifest", str(manifest_file), "--rpc", uri,
            "--db", str(database), "--port", "0", "--workers", "1", "--hub-url", hub_url,
            "--payments-db", str(fresh(out / "api-payments.sqlite")),
        ]  # fmt: skip
        if not os.environ.get("BPSA_IPFS_API"):  # the documents are in the demo's own store
            api_command += ["--store-dir", str(out / "store")]
        api = subprocess.Popen(api_command, stdout=subprocess.PIPE, stderr=logs[1], text=True)
        processes.append(api)
        assert api.stdout is not None
        line = api.stdout.readline()
        if not line.startswith("serving "):
            raise BpsaError(f"the query API did not start (see {out / 'api.log'}): {line!r}")
        base = next(word for word in line.split() if word.startswith("http://"))
        request = urllib.request.Request(
            base + "/verify",
            data=json.dumps({"payload": devices["genuine"]}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            answer = json.loads(reply.read())
        click.echo(f"  the hub again at {hub_url} (its log replayed); the API at {base}")
        click.echo(f"  POST /verify with the genuine device's code: licensed={answer['licensed']}")
        click.echo(f"  verification page  {base}/")
        click.echo(f"  pool dashboard     {base}/dashboard")
        click.echo(f"  OpenAPI            {base}/openapi.json")
        click.echo("  try:")
        click.echo(f"    curl -s {base}/pool")
        click.echo(f"    curl -s '{base}/patents?status=pooled'")
        click.echo(f"    curl -s {base}/tiers")
        click.echo(f"    curl -s {base}/nav")
        click.echo(f"    curl -s '{base}/patents?stale=true'")
        click.echo(f"    curl -s {base}/families/DOCDB:54321098")
        click.echo(
            f"    curl -s -X POST {base}/verify -H 'content-type: application/json' "
            f'-d \'{{"payload": "{devices["counterfeit"]}"}}\''
        )
        click.echo(f"    curl -si '{base}/search?q=US'      # 402: how to pay through the hub")
        seconds = os.environ.get(SERVE_VARIABLE)
        if seconds is None:
            click.echo("  serving until Ctrl-C (the chain lives as long as this command)")
            try:
                while all(p.poll() is None for p in processes):
                    time.sleep(1)
            except KeyboardInterrupt:
                click.echo("  stopping")
        else:
            time.sleep(float(seconds))
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        for log in logs:
            log.close()
