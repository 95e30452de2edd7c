"""The sale desk against a Python model: supply x NAV tracks the assets through sales.

The chain is titanoboa's EVM. A module fixture deploys, with bpsa.sdk.deploy's functions,
an Alliance, one collection's pool, a test stable token standing for USDC (6 decimals) and
the sale desk, wired as the council's proposal would (`sale_wiring`, with a minimum of one
valuation wei and caps far away, so the rules reach dust); a provider's patent is pooled.
The council is a plain address.

Actors, named by role: two investors (members, no role), a provider, three experts, one
oracle, the council. Rules: an investor buys (from one USDC unit to a hundred thousand
dollars); the provider pools a new patent; the fund buys a patent with the proceeds, which
is then pooled (cash, then cost, then valuation) or withdrawn and written off; a holder
burns or transfers BPC. The model predicts every BPC minted exactly.

Invariants, after every step: the pool's assets are the model's pooled value plus the
fund's counted cash plus the cost of patents bought with it; the supply is the model's and
the sum of the balances; NAV x supply is the assets to the rounding of one NAV step; the
desk's counted cash is what it holds per token, and the fund holds at least the counted
token units. Within the steps: a sale or a pooling never lowers any holder's claim on the
assets (exact fractions), the buyer's claim never exceeds what it paid, spending proceeds
on a patent leaves the assets unchanged, and pooling that patent mints nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boa
import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Kind, Role, Source
from bpsa.sdk import deploy as sdk
from tests.stateful.conftest import active_settings
from tests.stateful.helpers import (
    BPC,
    REASONING,
    YEAR,
    Deployed,
    SetupPatent,
    SnapshotMachine,
    actor_keys,
    addresses_of,
    admit,
    deploy_pool,
    pool_at_setup,
    pool_params,
    sdk_deploy,
)

KEYS = actor_keys(
    "sale",
    ("deployer", "council", "provider", "investor", "investor2", "oracle", "e1", "e2", "e3"),
)
ADDRESS = addresses_of(KEYS)
INVESTORS = ("investor", "investor2")
HOLDERS = ("provider", *INVESTORS)
EXPERTS = tuple(ADDRESS[e] for e in ("e1", "e2", "e3"))
IDENTITY = b"\x11" * 32
DOCUMENT = b"\xd0" * 32
USDC = 10**6
TO_VALUE = 10**12  # valuation wei per USDC unit (10^18 / 10^6)
FIRST_VALUATION = 50_000 * BPC
TERMS = sdk.SaleParams(minimum=1, period_cap=10**15 * BPC, buyer_cap=10**15 * BPC, stale_grace=YEAR)


@dataclass
class World:
    alliance: Any
    pool: Any
    bpc: Any
    fund: Any
    certificates: Any
    sale: Any
    usdc: Any


def deploy() -> World:
    deployer, council = ADDRESS["deployer"], ADDRESS["council"]
    c = deploy_pool(deployer, council, pool_params(oracle_threshold=1))
    admit(
        c.alliance,
        council,
        [
            (ADDRESS["provider"], Kind.START_UP, Role.PROVIDER, IDENTITY),
            (ADDRESS["oracle"], Kind.NON_PROFIT, Role.ORACLE, IDENTITY),
            *[(e, Kind.INDIVIDUAL, Role.EXPERT, IDENTITY) for e in EXPERTS],
            *[(ADDRESS[i], Kind.INDIVIDUAL, Role(0), IDENTITY) for i in INVESTORS],
        ],
    )
    contracts = {"PatentPool": c.pool, "BPC": c.bpc, "Fund": c.fund}
    usdc = sdk_deploy(sdk.deploy_test_stable, deployer)["TestStable"]
    contracts |= sdk_deploy(sdk.deploy_sale, deployer, str(c.alliance.address), contracts, council)
    for contract, method, args in sdk.sale_wiring(contracts, str(usdc.address), TERMS):
        getattr(contract, method)(*args, sender=council)
    for investor in INVESTORS:
        usdc.mint(ADDRESS[investor], 10**12 * USDC, sender=deployer)
        usdc.approve(contracts["Sale"].address, 2**256 - 1, sender=ADDRESS[investor])
    setup = SetupPatent(
        "US", "11000001", DOCUMENT, Source.CONTRIBUTED, ADDRESS["provider"],
        ADDRESS["provider"], "0x" + "00" * 20, 80, FIRST_VALUATION,
    )  # fmt: skip
    pool_at_setup(c, council, KEYS["oracle"], EXPERTS, setup)
    return World(c.alliance, c.pool, c.bpc, c.fund, c.certificates, contracts["Sale"], usdc)


DEPLOYED = Deployed(deploy)


@pytest.fixture(scope="module", autouse=True)
def sale_deployed() -> Iterator[World]:
    yield from DEPLOYED.once()


@dataclass
class Model:
    pooled: int = FIRST_VALUATION
    cash: int = 0
    committed: int = 0
    balances: dict[str, int] = field(default_factory=dict)
    held_units: int = 0

    @property
    def supply(self) -> int:
        return sum(self.balances.values())

    @property
    def assets(self) -> int:
        return self.pooled + self.cash + self.committed


class SaleMachine(SnapshotMachine):
    def __init__(self) -> None:
        super().__init__()
        self.w = DEPLOYED.get()
        self.model = Model(balances={"provider": FIRST_VALUATION * BPC // (100 * BPC)})
        self.model.balances |= {"fund": 0, "investor": 0, "investor2": 0}
        self.numbers = 0
        self.cert_nonce = 1

    # -- helpers --------------------------------------------------------------------------

    def address(self, name: str) -> str:
        return str(self.w.fund.address) if name == "fund" else ADDRESS[name]

    def claims(self) -> dict[str, tuple[int, int]]:
        """Every holder's claim on the assets, as an exact fraction."""
        assets, supply = int(self.w.pool.assets()), int(self.w.bpc.totalSupply())
        return {h: (self.model.balances[h] * assets, supply) for h in self.model.balances}

    def assert_no_claim_fell(self, before: dict[str, tuple[int, int]], but: str = "") -> None:
        after = self.claims()
        for holder, (num, den) in before.items():
            if holder != but:
                a_num, a_den = after[holder]
                assert a_num * den >= num * a_den, f"{holder}'s claim fell"

    def fund_patent(self, valuation: int) -> tuple[bytes, str]:
        """The council submits a patent the fund bought; its certificate names the fund."""
        self.numbers += 1
        number = f"2{self.numbers:07d}"
        council = ADDRESS["council"]
        pid: bytes = self.w.pool.submit(
            "US", number, DOCUMENT, int(Source.PURCHASED), "0x" + "00" * 20, 0, sender=council
        )
        return pid, number

    def certify_and_rate(self, pid: bytes, number: str, owner: str, valuation: int) -> None:
        self.cert_nonce += 1
        domain = certs.domain(int(boa.env.evm.patch.chain_id), str(self.w.certificates.address))
        expiry = int(boa.env.evm.patch.timestamp) + 100 * YEAR
        cert = certs.Certificate(
            "US", number, DOCUMENT, owner, CertStatus.IN_FORCE, expiry, self.cert_nonce
        )
        signature = certs.sign_certificate(domain, cert, KEYS["oracle"])
        council = ADDRESS["council"]
        self.w.certificates.attest(cert.as_arg(), certs.quorum([signature]), sender=council)
        self.w.pool.certify(pid, sender=council)
        for expert in EXPERTS:
            self.w.pool.rate(pid, 80, valuation, REASONING, sender=expert)

    # -- rules ----------------------------------------------------------------------------

    @rule(
        investor=st.sampled_from(INVESTORS),
        amount=st.one_of(
            st.integers(1, 1_000),
            st.integers(1, 100_000 * USDC),
            st.sampled_from([1, 7, 99, 10**6 - 1, 123_456_789]),
        ),
    )
    def buy(self, investor: str, amount: int) -> None:
        m = self.model
        value = amount * TO_VALUE
        expected = value * m.supply // m.assets
        if expected == 0:
            with boa.reverts("pool: payment too small to buy one BPC wei"):
                self.w.sale.buy(self.w.usdc.address, amount, 0, sender=ADDRESS[investor])
            return
        before = self.claims()
        minted = self.w.sale.buy(self.w.usdc.address, amount, expected, sender=ADDRESS[investor])
        assert minted == expected
        m.balances[investor] += minted
        m.cash += value
        m.held_units += amount
        self.assert_no_claim_fell(before, but=investor)
        paid_claim = minted * m.assets  # its new BPC's claim, against what it paid
        assert paid_claim <= value * m.supply

    @rule(valuation=st.integers(1_000 * BPC, 10**6 * BPC))
    def pool_contributed(self, valuation: int) -> None:
        m = self.model
        self.numbers += 1
        number = f"3{self.numbers:07d}"
        provider = ADDRESS["provider"]
        pid = self.w.pool.submit(
            "US", number, DOCUMENT, int(Source.CONTRIBUTED), "0x" + "00" * 20, 0, sender=provider
        )
        self.certify_and_rate(pid, number, provider, valuation)
        expected = valuation * m.supply // m.assets
        before = self.claims()
        self.w.pool.pool(pid, sender=ADDRESS["council"])
        m.balances["provider"] += expected
        m.pooled += valuation
        assert int(self.w.bpc.balanceOf(provider)) == m.balances["provider"]
        self.assert_no_claim_fell(before, but="provider")

    @precondition(lambda self: self.model.held_units > 0)
    @rule(share=st.integers(1, 100), valuation=st.integers(1_000 * BPC, 10**6 * BPC))
    def buy_patent_with_proceeds(self, share: int, valuation: int) -> None:
        m = self.model
        amount = max(1, m.held_units * share // 100)
        pid, number = self.fund_patent(valuation)
        assets, supply = int(self.w.pool.assets()), int(self.w.bpc.totalSupply())
        held_value = int(self.w.sale.held_value(self.w.usdc.address))
        cost = min(held_value, -(-held_value * amount // m.held_units))
        self.w.sale.spend(
            self.w.usdc.address, ADDRESS["deployer"], amount, pid, b"\x00" * 32,
            sender=ADDRESS["council"],
        )  # fmt: skip
        assert int(self.w.pool.assets()) == assets  # cash became cost
        m.held_units -= amount
        m.cash -= cost
        m.committed += cost
        self.certify_and_rate(pid, number, str(self.w.fund.address), valuation)
        self.w.pool.pool(pid, sender=ADDRESS["council"])
        assert int(self.w.bpc.totalSupply()) == supply  # the holders' cash bought it
        m.committed -= cost
        m.pooled += valuation

    @precondition(lambda self: self.model.held_units > 0)
    @rule(share=st.integers(1, 100))
    def write_off_a_patent(self, share: int) -> None:
        m = self.model
        amount = max(1, m.held_units * share // 100)
        pid, _ = self.fund_patent(0)
        held_value = int(self.w.sale.held_value(self.w.usdc.address))
        cost = min(held_value, -(-held_value * amount // m.held_units))
        council = ADDRESS["council"]
        self.w.sale.spend(
            self.w.usdc.address, ADDRESS["deployer"], amount, pid, b"\x00" * 32, sender=council
        )
        self.w.pool.withdraw(pid, sender=council)
        self.w.sale.write_off(pid, sender=ADDRESS["investor"])
        m.held_units -= amount
        m.cash -= cost

    @rule(holder=st.sampled_from(HOLDERS), share=st.integers(1, 100))
    def burn(self, holder: str, share: int) -> None:
        m = self.model
        amount = m.balances[holder] * share // 100
        if amount == 0 or m.supply - amount < BPC:
            return
        before = self.claims()
        self.w.bpc.burn(amount, sender=ADDRESS[holder])
        m.balances[holder] -= amount
        self.assert_no_claim_fell(before, but=holder)

    @rule(source=st.sampled_from(HOLDERS), to=st.sampled_from(HOLDERS), share=st.integers(0, 100))
    def transfer(self, source: str, to: str, share: int) -> None:
        amount = self.model.balances[source] * share // 100
        self.w.bpc.transfer(ADDRESS[to], amount, sender=ADDRESS[source])
        self.model.balances[source] -= amount
        self.model.balances[to] += amount

    # -- invariants -----------------------------------------------------------------------

    @invariant()
    def assets_are_the_model(self) -> None:
        m = self.model
        assert int(self.w.pool.pooled_value()) == m.pooled
        assert int(self.w.sale.cash_value()) == m.cash
        assert int(self.w.sale.committed_value()) == m.committed
        assert int(self.w.pool.assets()) == m.assets

    @invariant()
    def supply_is_the_model(self) -> None:
        m = self.model
        assert int(self.w.bpc.totalSupply()) == m.supply
        for holder, balance in m.balances.items():
            assert int(self.w.bpc.balanceOf(self.address(holder))) == balance

    @invariant()
    def supply_times_nav_tracks_assets(self) -> None:
        m = self.model
        nav = int(self.w.pool.nav())
        assert nav * m.supply <= m.assets * BPC < (nav + 1) * m.supply

    @invariant()
    def counted_cash_is_held(self) -> None:
        m = self.model
        usdc = self.w.usdc.address
        assert int(self.w.sale.held_units(usdc)) == m.held_units
        assert int(self.w.sale.held_value(usdc)) == m.cash
        assert int(self.w.usdc.balanceOf(self.w.fund.address)) >= m.held_units


TestSaleAgreesWithModel = SaleMachine.TestCase
TestSaleAgreesWithModel.settings = active_settings()
