"""Deploying the suite: functions that scripts, tests and benchmarks share.

Governance first: the council (seats given), Alliance governed by the council, the
member congress whose seats are Alliance's active members. Then the pool of one
collection: Certificates, Fund, BPC, Royalties and PatentPool, all owned by the council.
BPC and Royalties name the pool, which names them back: the pool's address is
computed from the deployer's nonce before it exists and checked after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rlp  # type: ignore[import-untyped]
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from bpsa.core.codes import BPS
from bpsa.core.errors import InputError, SwapError
from bpsa.core.manifest import Deployed, Manifest


@dataclass(frozen=True)
class Timing:
    """Proposal timing in seconds (Governance's voting period, delay and grace)."""

    voting_period: int = 3 * 24 * 3600
    execution_delay: int = 24 * 3600
    grace_period: int = 14 * 24 * 3600

    def check(self) -> None:
        if self.voting_period <= 0:
            raise InputError("voting period must be at least 1 second")
        if self.execution_delay < 0:
            raise InputError("execution delay cannot be negative")
        if self.grace_period <= 0:
            raise InputError("grace period must be at least 1 second")


@dataclass(frozen=True)
class PoolParams:
    """One collection's pool: names, first NAV, committees and the royalty split."""

    collection: str = "BPC"
    token_name: str = "Blockchain Patent Coin"
    token_symbol: str = "BPC"
    valuation_unit: str = "USD"
    initial_nav: int = 100 * 10**18  # 100 USD per BPC before anything is pooled
    oracle_threshold: int = 2
    expert_threshold: int = 3  # an odd quorum of at least three: no single expert sets a value
    core_threshold: int = 60
    rerate_interval: int = 365 * 24 * 3600
    contributor_bps: int = 7_000
    centre_bps: int = 1_000
    fund_bps: int = 2_000

    def check(self) -> None:
        if not 0 < len(self.collection) <= 8:
            raise InputError("collection name must be 1 to 8 characters")
        if not 0 < len(self.token_name) <= 25:
            raise InputError("token name must be 1 to 25 characters (snekmate's limit)")
        if not 0 < len(self.token_symbol) <= 5:
            raise InputError("token symbol must be 1 to 5 characters")
        if len(self.valuation_unit) > 8:
            raise InputError("valuation unit must be at most 8 characters")
        if self.initial_nav <= 0:
            raise InputError("initial NAV must be positive")
        if not 1 <= self.oracle_threshold <= 16:
            raise InputError("oracle threshold must be 1 to 16")
        check_expert_threshold(self.expert_threshold)
        if not 0 <= self.core_threshold <= 100:
            raise InputError("core threshold must be 0 to 100")
        shares = (self.contributor_bps, self.centre_bps, self.fund_bps)
        if min(shares) < 0 or sum(shares) != BPS:
            raise InputError("royalty shares must be non-negative and add up to 10,000 bps")


def check_expert_threshold(threshold: int) -> None:
    """The expert committee's quorum: odd and 3 to 15, so its median is one ballot that no
    single expert sets (PatentPool refuses any other)."""
    if not (3 <= threshold <= 15 and threshold % 2 == 1):
        raise InputError(f"expert threshold must be odd, 3 to 15, got {threshold}")


def create_address(sender: str, nonce: int) -> str:
    """The address a CREATE from `sender` at `nonce` deploys to."""
    encoded = rlp.encode([bytes.fromhex(sender[2:]), nonce])
    return to_checksum_address(keccak(encoded)[12:])


def deploy_pool(
    project: Any,
    deployer: Any,
    alliance: str,
    council: str,
    params: PoolParams,
    **tx: Any,
) -> dict[str, Any]:
    """Deploy one collection's pool governed by `council`; returns it by manifest name."""
    params.check()
    certificates = project.Certificates.deploy(
        alliance, council, params.oracle_threshold, sender=deployer, **tx
    )
    fund = project.Fund.deploy(council, sender=deployer, **tx)
    # BPC at nonce n, Royalties at n+1, the pool at n+2, its Mandates at n+3, the log
    # of its pooled set (Coverage) at n+4.
    pool_address = create_address(str(deployer.address), deployer.nonce + 2)
    mandates_address = create_address(str(deployer.address), deployer.nonce + 3)
    coverage_address = create_address(str(deployer.address), deployer.nonce + 4)
    bpc = project.BPC.deploy(
        params.token_name, params.token_symbol, pool_address, sender=deployer, **tx
    )
    royalties = project.Royalties.deploy(
        bpc.address,
        pool_address,
        fund.address,
        council,
        params.contributor_bps,
        params.centre_bps,
        params.fund_bps,
        sender=deployer,
        **tx,
    )
    pool = project.PatentPool.deploy(
        params.collection,
        params.valuation_unit,
        params.initial_nav,
        alliance,
        certificates.address,
        bpc.address,
        royalties.address,
        fund.address,
        council,
        mandates_address,
        coverage_address,
        params.expert_threshold,
        params.core_threshold,
        params.rerate_interval,
        sender=deployer,
        **tx,
    )
    mandates = project.Mandates.deploy(pool.address, sender=deployer, **tx)
    coverage = project.Coverage.deploy(pool.address, sender=deployer, **tx)
    families = project.Families.deploy(pool.address, sender=deployer, **tx)
    for name, landed, expected in (
        ("pool", pool.address, pool_address),
        ("mandates", mandates.address, mandates_address),
        ("coverage", coverage.address, coverage_address),
    ):
        if str(landed) != expected:
            raise InputError(
                f"the {name} landed at {landed}, not {expected}: another transaction from "
                "the deployer interleaved; deploy again from an account nothing else uses"
            )
    return {
        "Certificates": certificates,
        "Fund": fund,
        "BPC": bpc,
        "Royalties": royalties,
        "PatentPool": pool,
        "Mandates": mandates,
        "Coverage": coverage,
        "Families": families,
    }


def deploy_suite(
    project: Any, deployer: Any, council_seats: list[str], timing: Timing, **tx: Any
) -> dict[str, Any]:
    """Deploy Council, Alliance and Congress; returns them by manifest name.

    `project` is ape's project manager (`ape.project`); `tx` passes through to each
    deployment (e.g. `required_confirmations`)."""
    timing.check()
    seats = list(dict.fromkeys(str(s) for s in council_seats))
    if not seats:
        raise InputError("the council needs at least one seat")
    if len(seats) != len(council_seats):
        raise InputError("council seats must be distinct")
    zero = "0x" + "00" * 20
    times = (timing.voting_period, timing.execution_delay, timing.grace_period)
    council = project.Governance.deploy("council", seats, zero, *times, sender=deployer, **tx)
    alliance = project.Alliance.deploy(council.address, sender=deployer, **tx)
    congress = project.Governance.deploy(
        "congress", [], alliance.address, *times, sender=deployer, **tx
    )
    return {"Council": council, "Alliance": alliance, "Congress": congress}


def manifest_for(
    chain: Any, contracts: dict[str, Any], deployer: str, collection: str = "BPC"
) -> Manifest:
    """The manifest of freshly deployed contracts on ape's connected `chain`."""
    entries = {}
    for name, contract in contracts.items():
        receipt = chain.get_receipt(contract.txn_hash)
        entries[name] = Deployed(address=str(contract.address), block=int(receipt.block_number))
    network = chain.provider.network
    return Manifest(
        network=network.name,
        ecosystem=network.ecosystem.name,
        chain_id=int(chain.chain_id),
        deployer=deployer,
        contracts=entries,
        collection=collection,
    )


@dataclass(frozen=True)
class LicensingParams:
    """The first tier schedule: BPC locked for one BPR, by member kind."""

    non_profit: int = 0  # non-profits receive a BPR by council grant
    start_up: int = 20 * 10**18
    sme: int = 100 * 10**18
    large_enterprise: int = 500 * 10**18
    individual: int = 10 * 10**18
    large_enterprise_per_bps: int = 10**17  # + 0.1 BPC per basis point of market share
    min_term: int = 30 * 24 * 3600
    surcharge_bps: int = 2_000  # non-members pay 20% on top of a per-patent price
    # Per device, HEVC-like: 100,000 a year free, 0.002 BPC (0.20 USD at 100 USD/BPC)
    # up to a million, 0.001 BPC beyond, at most 250,000 BPC (25M USD) a maker a year.
    devices_free_per_year: int = 100_000
    device_low_rate: int = 2 * 10**15
    device_volume_break: int = 1_000_000
    device_high_rate: int = 10**15
    device_annual_cap: int = 250_000 * 10**18

    def device_schedule(self) -> tuple[int, int, int, int, int]:
        return (
            self.devices_free_per_year,
            self.device_low_rate,
            self.device_volume_break,
            self.device_high_rate,
            self.device_annual_cap,
        )

    def tiers(self) -> list[int]:
        return [self.non_profit, self.start_up, self.sme, self.large_enterprise, self.individual]

    def check(self) -> None:
        if min(self.tiers()) < 0 or max(self.tiers()) > 10**30:
            raise InputError("tier prices must be 0 to 10^12 BPC")
        if not 0 <= self.large_enterprise_per_bps <= 10**26:
            raise InputError("the large-enterprise rate must be 0 to 10^8 BPC per basis point")
        if not 0 <= self.min_term <= 10 * 365 * 24 * 3600:
            raise InputError("the minimum term must be 0 to ten years (in seconds)")
        if not 0 <= self.surcharge_bps <= BPS:
            raise InputError("the surcharge must be 0 to 10,000 bps")
        if min(self.device_schedule()) < 0:
            raise InputError("the device schedule cannot hold negative numbers")
        if max(self.device_low_rate, self.device_high_rate) > 10**24:
            raise InputError("a device rate must be at most 10^6 BPC")


def deploy_licensing(
    project: Any,
    deployer: Any,
    alliance: str,
    pool: dict[str, Any],
    council: str,
    params: LicensingParams,
    **tx: Any,
) -> dict[str, Any]:
    """Deploy BPR and Licensing for `pool` (deploy_pool's result); BPR names
    Licensing's address before it exists."""
    params.check()
    licensing_address = create_address(str(deployer.address), deployer.nonce + 1)
    bpr = project.BPR.deploy(licensing_address, sender=deployer, **tx)
    licensing = project.Licensing.deploy(
        alliance,
        pool["BPC"].address,
        bpr.address,
        pool["PatentPool"].address,
        pool["Royalties"].address,
        pool["Fund"].address,
        council,
        params.tiers(),
        params.large_enterprise_per_bps,
        params.min_term,
        params.surcharge_bps,
        params.device_schedule(),
        sender=deployer,
        **tx,
    )
    if str(licensing.address) != licensing_address:
        raise InputError(
            f"Licensing landed at {licensing.address}, not {licensing_address}: another "
            "transaction from the deployer interleaved; deploy again from an unused account"
        )
    return {"BPR": bpr, "Licensing": licensing}


@dataclass(frozen=True)
class InfringementParams:
    """The case register's first bond and dismissal policy."""

    bond: int = 100 * 10**18  # BPC a rights-protection centre posts per case
    dismissed_bond_to_accused: bool = False  # False: a dismissed case's bond goes to the fund

    def check(self) -> None:
        if not 0 <= self.bond <= 10**27:
            raise InputError("the bond must be 0 to 10^9 BPC")


def deploy_infringements(
    project: Any,
    deployer: Any,
    alliance: str,
    pool: dict[str, Any],
    council: str,
    params: InfringementParams,
    **tx: Any,
) -> dict[str, Any]:
    """Deploy the case register for `pool` (deploy_pool's result)."""
    params.check()
    contract = project.Infringements.deploy(
        alliance,
        pool["BPC"].address,
        pool["PatentPool"].address,
        pool["Royalties"].address,
        pool["Fund"].address,
        council,
        params.bond,
        params.dismissed_bond_to_accused,
        sender=deployer,
        **tx,
    )
    return {"Infringements": contract}


CHALLENGE_WINDOW = 86_400  # a day to answer a stale unilateral close


def deploy_channels(
    project: Any,
    deployer: Any,
    pool: dict[str, Any],
    hub: str,
    council: str,
    challenge_window: int = CHALLENGE_WINDOW,
    **tx: Any,
) -> dict[str, Any]:
    """Deploy the payment channels to `hub` in the pool's BPC; earnings to its royalties."""
    if not 600 <= challenge_window <= 30 * 86_400:
        raise InputError("the challenge window must be 10 minutes to 30 days")
    contract = project.Channels.deploy(
        pool["BPC"].address,
        hub,
        pool["Royalties"].address,
        council,
        challenge_window,
        sender=deployer,
        **tx,
    )
    return {"Channels": contract}


@dataclass(frozen=True)
class ExchangeParams:
    """The exchange's first pool share: basis points of every price paid into Royalties."""

    pool_share_bps: int = 1_000  # 10% of a sale to the pool's royalty split, 90% to the seller

    def check(self) -> None:
        if not 0 <= self.pool_share_bps <= BPS:
            raise InputError("the pool share must be 0 to 10,000 bps")


def deploy_exchange(
    project: Any,
    deployer: Any,
    alliance: str,
    pool: dict[str, Any],
    licensing: dict[str, Any],
    council: str,
    params: ExchangeParams,
    **tx: Any,
) -> dict[str, Any]:
    """Deploy the patent exchange for `pool` and `licensing` (deploy_pool's and
    deploy_licensing's results). It records sales only once the council names it in
    PatentPool.set_exchange and Licensing.set_exchange."""
    params.check()
    contract = project.Exchange.deploy(
        alliance,
        pool["BPC"].address,
        pool["PatentPool"].address,
        licensing["Licensing"].address,
        pool["Royalties"].address,
        pool["Fund"].address,
        council,
        params.pool_share_bps,
        sender=deployer,
        **tx,
    )
    return {"Exchange": contract}


def deploy_swaps(
    project: Any, deployer: Any, safety_margin: int, min_lock_time: int, **tx: Any
) -> dict[str, Any]:
    """Deploy one chain's Swaps: `safety_margin` seconds between the legs' deadlines
    (an hour or more on a live chain), `min_lock_time` seconds left at any lock; each
    1 second to 30 days."""
    for name, value in (("safety margin", safety_margin), ("minimum lock time", min_lock_time)):
        if not 1 <= value <= 30 * 86_400:
            raise SwapError(f"the {name} must be 1 second to 30 days, got {value}")
    return {"Swaps": project.Swaps.deploy(safety_margin, min_lock_time, sender=deployer, **tx)}


@dataclass(frozen=True)
class SaleParams:
    """The sale desk's first terms (the council sets them by proposal; see `sale_wiring`).

    Amounts are valuation units (USD) with 18 decimals; `units_per_unit` is the payment
    token's smallest units per whole valuation unit (10^6: USDC for USD)."""

    units_per_unit: int = 10**6
    minimum: int = 100 * 10**18  # 100 USD
    period: int = 30 * 24 * 3600
    period_cap: int = 1_000_000 * 10**18  # 1M USD a month in all
    buyer_cap: int = 100_000 * 10**18  # 100k USD a month per member
    stale_grace: int = 30 * 24 * 3600  # a re-rating may be a month late before sales halt

    def terms(self, token: str) -> tuple[str, int, int, int, int, int, int]:
        return (
            token,
            self.units_per_unit,
            self.minimum,
            self.period,
            self.period_cap,
            self.buyer_cap,
            self.stale_grace,
        )

    def check(self) -> None:
        if self.units_per_unit <= 0:
            raise InputError("units per valuation unit must be positive")
        if self.minimum <= 0:
            raise InputError("the minimum purchase must be positive")
        if not 86_400 <= self.period <= 366 * 86_400:
            raise InputError("the cap period must be one day to 366 days (in seconds)")
        if not 0 <= self.buyer_cap <= self.period_cap <= 10**33:
            raise InputError("caps: 0 <= buyer cap <= period cap <= 10^15 units")
        if self.minimum > self.buyer_cap:
            raise InputError("the minimum purchase is above the buyer cap")
        if not 0 <= self.stale_grace <= 365 * 86_400:
            raise InputError("the stale grace must be 0 to one year (in seconds)")


def deploy_test_stable(
    project: Any, deployer: Any, symbol: str = "USDC", decimals: int = 6, **tx: Any
) -> dict[str, Any]:
    """Deploy a test stable token (a stand-in for USDC on local and test chains; the
    deployer mints it). On a live network the council names the real token instead."""
    if not 0 <= decimals <= 36:
        raise InputError("a token has 0 to 36 decimals")
    token = project.TestStable.deploy(f"Test {symbol}", symbol, decimals, sender=deployer, **tx)
    return {"TestStable": token}


def deploy_sale(
    project: Any, deployer: Any, alliance: str, pool: dict[str, Any], council: str, **tx: Any
) -> dict[str, Any]:
    """Deploy the sale desk for `pool` (deploy_pool's result), closed and without terms.
    It sells only once the council names it (PatentPool and Fund `set_sale_desk`), sets
    its terms and opens it: `sale_wiring` gives those calls."""
    contract = project.Sale.deploy(
        pool["PatentPool"].address,
        pool["BPC"].address,
        pool["Fund"].address,
        alliance,
        council,
        sender=deployer,
        **tx,
    )
    return {"Sale": contract}


def sale_wiring(
    contracts: dict[str, Any], token: str, params: SaleParams, open_sales: bool = True
) -> list[tuple[Any, str, tuple[Any, ...]]]:
    """The council's calls that put the sale desk to work, in order: (contract, method,
    args). One proposal runs them all (or a test's council account, one by one)."""
    params.check()
    sale = contracts["Sale"]
    calls: list[tuple[Any, str, tuple[Any, ...]]] = [
        (contracts["PatentPool"], "set_sale_desk", (sale.address,)),
        (contracts["Fund"], "set_sale_desk", (sale.address,)),
        (sale, "set_terms", params.terms(token)),
    ]
    if open_sales:
        calls.append((sale, "set_open", (True,)))
    return calls
