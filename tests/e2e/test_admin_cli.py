"""The admin commands end to end on the test chain: what a secretariat types."""

import functools
import re

import pytest

from scripts.admin import cli

IDENTITY_CID = "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"


@pytest.fixture
def admin(suite, invoker):
    """Runs `ape run admin ...` in-process against the suite's manifest."""
    return functools.partial(invoker(suite), cli)


def test_admin__apply_propose_vote_execute__admits_member(admin, chain, alliance, startup, timing):
    out = admin("apply", "--kind", "start-up", "--identity", IDENTITY_CID, "--account", "TEST::3")
    assert f"{startup.address} applied as start-up" in out
    out = admin("propose", "admit", startup.address, "--account", "TEST::0")
    assert "council proposal #1 created" in out
    assert "application #1 (start-up, identity 0x" in out  # what the vote is about
    for seat in ("TEST::0", "TEST::1"):
        assert "voted yes on council #1" in admin("vote", "1", "yes", "--account", seat)
    out = admin("execute", "1", "--account", "TEST::2", ok=False)
    assert re.search(r"voting is still open \(until 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in ", out)
    chain.pending_timestamp += timing.voting_period + timing.execution_delay
    chain.mine()
    assert "executed" in admin("execute", "1", "--account", "TEST::2")
    assert alliance.is_active(startup)
    listing = admin("members")
    assert "1 record(s); 1 active" in listing and "start-up" in listing
    assert "[executed] 'admit" in admin("proposals")


def test_admin__bad_input__one_clear_line_nothing_sent(admin, chain, startup, attacker):
    height = chain.blocks.height
    cases = [
        (("propose", "admit", startup.address), "unknown member (never applied)"),
        (("propose", "promote", startup.address), "unknown action 'promote'"),
        (("propose", "admit", "0x1234"), "'0x1234' is not an address"),
        (("propose", "grant-role", startup.address), "grant-role takes ADDRESS ROLE"),
        (("apply", "--kind", "startup", "--identity", IDENTITY_CID), "unknown member kind"),
        (("apply", "--kind", "sme", "--identity", "nope"), "'nope' is neither a CID"),
        (("vote", "7", "yes"), "no proposal 7 in the council"),
        (("execute", "1", "--account", "TEST::99"), "TEST::0 to TEST::"),
        (("members", "--account", "x"), "No such option"),
        (("propose", "enable-exchange"), "this deployment has no Exchange"),
        (("propose", "fund-buy", "1"), "this deployment has no Exchange"),
        (("propose", "case-dismiss", "1"), "this deployment has no Infringements"),
        (("propose", "case-bond", "50", "court"), "TO must be 'accused' or 'fund'"),
        (("propose", "case-settle", "1"), "case-settle takes CASE OFFER"),
    ]
    for args, message in cases:
        out = admin(*args, ok=False)
        assert message in out, (args, out)
        assert "Traceback" not in out
    assert chain.blocks.height == height


def test_admin__market_share_for_start_up__refused(admin, chain, timing, startup):
    admin("apply", "--kind", "start-up", "--identity", IDENTITY_CID, "--account", "TEST::3")
    out = admin("propose", "market-share", startup.address, "100", ok=False)
    assert "cannot set the market share" in out and "it is applied" in out


def test_admin__defeated_proposal__execute_explains(admin, chain, timing, startup):
    admin("apply", "--kind", "start-up", "--identity", IDENTITY_CID, "--account", "TEST::3")
    admin("propose", "admit", startup.address, "--account", "TEST::0")
    admin("vote", "1", "no", "--account", "TEST::1")
    admin("vote", "1", "no", "--account", "TEST::2")
    chain.pending_timestamp += timing.voting_period + timing.execution_delay
    chain.mine()
    out = admin("execute", "1", ok=False)
    assert "did not pass (yes 0, no 2, abstain 0 of 3 seats" in out


def test_admin__admission_proposed_then_applicant_reapplies__execute_refuses(
    admin, chain, alliance, timing, startup
):
    """The proposal names the application pending when it was made (issue 15, finding 11):
    after a rejection and a new application as a non-profit, it admits nothing."""
    admin("apply", "--kind", "large-enterprise", "--identity", IDENTITY_CID, "--account", "TEST::3")
    admin("propose", "admit", startup.address, "--account", "TEST::0")
    admin("propose", "reject", startup.address, "--account", "TEST::0")
    for proposal in ("1", "2"):
        for seat in ("TEST::0", "TEST::1"):
            admin("vote", proposal, "yes", "--account", seat)
    chain.pending_timestamp += timing.voting_period + timing.execution_delay
    chain.mine()
    admin("execute", "2")
    admin("apply", "--kind", "non-profit", "--identity", IDENTITY_CID, "--account", "TEST::3")

    out = admin("execute", "1", ok=False)

    assert "alliance: not the pending application" in out
    assert not alliance.is_active(startup)
