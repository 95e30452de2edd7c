"""The sale's commands end to end: the council opens sales by a proposal, a member buys
BPC at NAV for the test stable token, and bad input fails with one clear line."""

from typing import Any

import pytest

from bpsa.core import certificates as certs
from bpsa.sdk.deploy import deploy_sale, deploy_test_stable
from scripts.admin import cli as admin_cli
from scripts.sale import cli as sale_cli
from tests.e2e.conftest import CAST, Invoke, council_pool
from tests.fixtures.pool import PoolDriver

INVESTOR = 4  # TEST::4, a member without a role


@pytest.fixture(scope="module")
def selling_pool(project, chain, accounts, suite, deployer, alliance, council) -> dict[str, Any]:
    """A pool owned by the real council with one patent pooled (500 BPC at 100 USD), the
    sale desk and the test stable token deployed; sales not yet open."""
    members = [*CAST, (INVESTOR, None)]
    contracts, as_council = council_pool(
        project, chain, accounts, deployer, alliance, council, members
    )
    domain = certs.domain(chain.chain_id, str(contracts["Certificates"].address))
    driver = PoolDriver(
        chain, contracts["PatentPool"], contracts["Certificates"], as_council,
        [accounts[12], accounts[13]], [accounts[i] for i in (15, 16, 17)], domain,
    )  # fmt: skip
    driver.pooled(accounts[3], "11234567")
    contracts |= deploy_sale(project, deployer, alliance.address, contracts, council.address)
    contracts |= deploy_test_stable(project, deployer)
    return {**suite, **contracts}


@pytest.fixture
def run(selling_pool, invoker):
    invoke: Invoke = invoker(selling_pool)

    def _run(group: str, *args: str, ok: bool = True) -> str:
        return invoke(sale_cli if group == "sale" else admin_cli, *args, ok=ok)

    return _run


def open_sales(run: Any, chain: Any, timing: Any, token: str) -> None:
    out = run("admin", "propose", "enable-sale", token, "--account", "TEST::0")
    assert "council proposal #1 created" in out
    for seat in ("TEST::0", "TEST::1"):
        run("admin", "vote", "1", "yes", "--account", seat)
    chain.pending_timestamp += timing.voting_period + timing.execution_delay
    chain.mine()
    assert "executed" in run("admin", "execute", "1", "--account", "TEST::2")


def test_sale_cli__council_opens__member_buys_at_nav(run, chain, timing, selling_pool, accounts):
    token = str(selling_pool["TestStable"].address)
    assert "no terms set" in run("sale", "terms")
    open_sales(run, chain, timing, token)
    out = run("sale", "terms")
    assert "sales open; pay USDC" in out and "1 USDC per USD" in out
    assert "NAV 100 USD per BPC" in out
    investor = accounts[INVESTOR].address
    assert "minted 5000 USDC" in run("sale", "mint-test", "5000 USDC", investor)
    assert "1000 USDC = 1000 USD -> 10 BPC at NAV 100 USD" in run("sale", "quote", "1000 USDC")
    height = chain.blocks.height
    out = run("sale", "buy", "1000 USDC", "--dry-run", "--account", f"TEST::{INVESTOR}")
    assert "dry run: 1000 USDC would buy 10 BPC" in out
    assert chain.blocks.height == height  # nothing sent, not even the approval
    out = run("sale", "buy", "1000", "--slippage-bps", "50", "--account", f"TEST::{INVESTOR}")
    assert "bought 10 BPC for 1000 USDC (1000 USD)" in out
    assert int(selling_pool["BPC"].balanceOf(investor)) == 10 * 10**18
    out = run("sale", "terms", "--buyer", investor)
    assert "fund's cash 1000" in out and "99000 USD for" in out


def test_sale_cli__bad_input__one_clear_line_nothing_sent(run, chain, timing, selling_pool):
    open_sales(run, chain, timing, str(selling_pool["TestStable"].address))
    height = chain.blocks.height
    cases = [
        (("buy", "1000 DAI", "--account", f"TEST::{INVESTOR}"), "but the sale takes USDC"),
        (("buy", "1.0000001", "--account", f"TEST::{INVESTOR}"), "USDC has 6 decimals"),
        (("buy", "0", "--account", f"TEST::{INVESTOR}"), "the amount must be positive"),
        (("buy", "lots", "--account", f"TEST::{INVESTOR}"), "the amount must be a number"),
        (("buy", "10 USDC", "--account", f"TEST::{INVESTOR}"), "holds 0 USDC, less than 10"),
        (("buy", "50 USDC", "--account", "TEST::7", "--dry-run"), "holds 0 USDC"),
        (("buy", "1", "--slippage-bps", "20000", "--account", "TEST::4"), "0 to 10000 bps"),
        (("report-stale", "US", "11234567"), "that patent's valuation is not stale"),
        (("write-off", "US", "11234567"), "no proceeds were spent on that patent"),
    ]
    for args, message in cases:
        out = run("sale", *args, ok=False)
        assert message in out, (args, out)
        assert "Traceback" not in out
    assert chain.blocks.height == height


def test_sale_cli__non_member__refused_by_the_dry_run(run, chain, timing, selling_pool, accounts):
    open_sales(run, chain, timing, str(selling_pool["TestStable"].address))
    run("sale", "mint-test", "500 USDC", accounts[7].address)
    out = run("sale", "buy", "100 USDC", "--dry-run", "--account", "TEST::7", ok=False)
    assert "is not an active member: investors join the alliance to buy BPC" in out
