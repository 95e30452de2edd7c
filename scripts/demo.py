"""The end-to-end scenario on a local chain (what `make demo` runs).

Today: deploy the suite; three companies apply with their identity records' CIDs;
the council admits two and rejects one by vote; a second proposal grants roles and
a market share in one atomic batch; a summary of members and proposals.
Later issues extend this scenario.

The companies and their identity records are sample data made up for the demo.
"""

from __future__ import annotations

import json
from typing import Any

import click
from ape import accounts, chain
from ape.cli import ConnectedProviderCommand

from bpsa import codes
from bpsa.cid import cid_of, digest_of
from bpsa.cli_support import clear_errors, current_network, load_suite
from bpsa.codes import Kind, ProposalState, Role, Vote
from bpsa.deploy import Timing
from bpsa.errors import InputError
from bpsa.suite import Suite

# A short governance clock so the demo can move time on its local chain.
TIMING = Timing(voting_period=3600, execution_delay=600, grace_period=86_400)

COMPANIES = [
    ("Hangzhou Chain Labs", Kind.START_UP, "CN-91330100MA2XXXXX01"),
    ("Pearl River Devices", Kind.LARGE_ENTERPRISE, "CN-91440300MA5XXXXX02"),
    ("Shadow Patents Ltd", Kind.SME, "GB-12345678"),
]


def heading(text: str) -> None:
    click.echo(click.style(f"\n== {text}", bold=True))


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

    heading("Deploying the suite")
    seats = list(accounts.test_accounts[:3])
    deploy("TEST::0", tuple(s.address for s in seats), TIMING)
    suite = load_suite()

    heading("Three companies apply (identity records are sample data)")
    applicants = []
    for offset, (name, kind, registration) in enumerate(COMPANIES):
        account = accounts.test_accounts[3 + offset]
        record = json.dumps({"name": name, "registration": registration}, sort_keys=True)
        cid = cid_of(record.encode())
        tx = suite.apply(account, kind, digest_of(cid))
        click.echo(f"  {name:<20} {codes.label(kind):<16} {account.address}")
        click.echo(f"  {'':<20} identity {cid} ({tx.gas_used} gas)")
        applicants.append((name, account))

    heading("The council votes on the applications")
    (a_name, a), (b_name, b), (c_name, c) = applicants
    decisions = [
        ([suite.call_admit(a.address)], f"admit {a_name}", [Vote.YES, Vote.YES, Vote.YES]),
        ([suite.call_admit(b.address)], f"admit {b_name}", [Vote.YES, Vote.YES, Vote.ABSTAIN]),
        ([suite.call_reject(c.address)], f"reject {c_name}", [Vote.YES, Vote.NO, Vote.YES]),
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

    heading("Summary")
    names = {acct.address: name for name, acct in applicants}
    click.echo(f"Members ({suite.alliance.active_count()} active):")
    for view in suite.members():
        click.echo(f"  {names.get(view.address, '?'):<20} {view.describe()}")
    click.echo("Council proposals:")
    views = suite.proposals("council")
    for view in views:
        click.echo("  " + view.describe())
    executed = [v for v in views if v.state == ProposalState.EXECUTED]
    click.echo(f"Congress seats (active members): {suite.congress.seat_count()}")
    click.echo(f"{len(executed)} proposals executed on chain {chain.chain_id}.")
