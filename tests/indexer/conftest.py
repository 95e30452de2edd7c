"""The indexer over the session's deployed contracts (tests/fixtures/pool.py and friends).

`suite_manifest` names every contract the unit fixtures deployed (the pool's Alliance,
Certificates, Fund, BPC, Royalties, PatentPool, BPR, Licensing, Infringements,
Channels, and the suite's Council and Congress) as one deployment manifest, so the
indexer follows them as it follows `deployments/local.json`. `Scenario` drives every
kind of event through the real contracts on ape's anvil; `dump` reads a database
back as comparable data (surrogate ids replaced by the log they stand for).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bpsa.api import db
from bpsa.api.indexer import Indexer
from bpsa.core import certificates as certs
from bpsa.core.codes import Kind, Role
from bpsa.core.families import family_id
from bpsa.core.manifest import Deployed, Manifest
from tests.fixtures.channels import ChannelDriver
from tests.fixtures.pool import DOCUMENT, TERMS, PoolDriver
from tests.fixtures.postgres import BACKENDS, database_for
from tests.fixtures.suite import IDENTITY, Pass, application, decide

ZERO = "0x" + "00" * 20

BOND = 50 * 10**18
FAMILY_TEXT = "DOCDB:54321098"  # the sold patent's family (sample): it and its EP counterpart
FAMILY = family_id(FAMILY_TEXT)
COUNTERPART = ("EP", "3000001")  # the sold patent's European counterpart, submitted
DAY = 86_400


@pytest.fixture(scope="session")
def suite_manifest(
    chain: Any,
    deployer: Any,
    suite: dict[str, Any],
    pool_alliance: Any,
    pool_contracts: dict[str, Any],
    licensing_contracts: dict[str, Any],
    infringements: Any,
    channels: Any,
    exchange: Any,
) -> Manifest:
    contracts = {
        "Alliance": pool_alliance,
        **{
            k: pool_contracts[k]
            for k in (
                "Certificates",
                "Fund",
                "BPC",
                "Royalties",
                "PatentPool",
                "Mandates",
                "Coverage",
                "Families",
            )
        },
        "BPR": licensing_contracts["BPR"],
        "Licensing": licensing_contracts["Licensing"],
        "Infringements": infringements,
        "Channels": channels,
        "Exchange": exchange,
        "Council": suite["Council"],
        "Congress": suite["Congress"],
    }
    return Manifest(
        network="indexer-test",
        ecosystem="ethereum",
        chain_id=int(chain.chain_id),
        deployer=str(deployer.address),
        contracts={name: Deployed(str(c.address), 0) for name, c in contracts.items()},
    )


@pytest.fixture
def rpc_url(chain: Any) -> str:
    return str(chain.provider.uri)


@pytest.fixture(params=BACKENDS)
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database: a SQLite file, then (a second run) a PostgreSQL database."""
    return database_for(request, tmp_path, "index.sqlite")


@pytest.fixture
def sqlite_target(tmp_path: Path) -> str:
    return str(tmp_path / "index.sqlite")


@pytest.fixture
def open_engine() -> Iterator[Any]:
    """`open_engine(target)`: an engine with its tables, disposed after the test."""
    engines: list[Engine] = []

    def _open(target: str) -> Engine:
        engine = db.open_db(target)
        engines.append(engine)
        return engine

    yield _open
    for engine in engines:
        engine.dispose()


@pytest.fixture
def make_indexer(
    suite_manifest: Manifest, rpc_url: str, open_engine: Any, sqlite_target: str
) -> Iterator[Any]:
    """`make_indexer(target, **options)`: an indexer of the suite into `target`, by default
    the test's SQLite file (`sqlite_target`)."""
    made: list[Indexer] = []

    def _make(target: str = sqlite_target, **options: Any) -> Indexer:
        indexer = Indexer(suite_manifest, rpc_url, open_engine(target), **options)
        made.append(indexer)
        return indexer

    yield _make
    for indexer in made:
        indexer.rpc.close()


@dataclass
class Scenario:
    """Drives every kind of suite event through the deployed contracts."""

    chain: Any
    driver: PoolDriver
    alliance: Any
    council: Any  # the pool's owner (an EOA)
    contracts: dict[str, Any]
    licensing: Any
    infringements: Any
    channels: ChannelDriver
    council_pass: Pass
    suite: dict[str, Any]
    actors: dict[str, Any]
    fund_bpc: Any
    exchange_contract: Any

    def members(self) -> None:
        """Alliance: apply, reject, re-apply, admit, role, suspend, reinstate, expel."""
        a, c = self.actors, self.council
        self.alliance.apply(int(Kind.INDIVIDUAL), IDENTITY, sender=a["outsider"])
        self.alliance.reject(*application(self.alliance, a["outsider"]), sender=c)
        self.alliance.apply(int(Kind.SME), IDENTITY, sender=a["outsider"])
        self.alliance.admit(*application(self.alliance, a["outsider"]), sender=c)
        self.alliance.grant_role(a["outsider"].address, int(Role.DEMANDER), sender=c)
        self.alliance.suspend(a["outsider"].address, sender=c)
        self.alliance.reinstate(a["outsider"].address, sender=c)
        self.alliance.apply(int(Kind.INDIVIDUAL), IDENTITY, sender=a["attacker"])
        self.alliance.admit(*application(self.alliance, a["attacker"]), sender=c)
        self.alliance.expel(a["attacker"].address, sender=c)

    def patents(self) -> bytes:
        """A pooled patent (under the centre's mandate), a withdrawn one (after the centre
        declined its mandate) and a removed one."""
        a = self.actors
        pooled = self.driver.pooled(a["provider"], "11000001", centre=a["centre"])
        withdrawn = self.driver.submit(a["provider2"], "11000002")
        # an offer the centre declines before the patent is withdrawn
        expiry = self.driver.now() + 100 * 86_400
        self.driver.mandates.offer_mandate(
            withdrawn, a["centre"], TERMS, 500, expiry, sender=a["provider2"]
        )
        self.driver.mandates.end_mandate(withdrawn, sender=a["centre"])
        self.driver.pool.withdraw(withdrawn, sender=a["provider2"])
        removed = self.driver.pooled(a["provider2"], "11000003", score=70)
        self.driver.pool.remove(removed, 3, sender=self.council)
        return pooled

    def licences(self, patent: bytes) -> None:
        """Set the standard agreements, convert a BPR, list and buy a per-patent licence,
        register a device batch."""
        a, bpc = self.actors, self.contracts["BPC"]
        provider, licensee = a["provider"], a["licensee"]
        self.fund_bpc(provider, 1_000 * 10**18)
        self.fund_bpc(licensee, 1_000 * 10**18)
        for kind, text in enumerate((b"BPR", b"per-patent", b"device"), start=1):
            self.licensing.set_agreement(kind, sha256(text).digest(), sender=self.council)
        bpc.approve(self.licensing.address, 10**24, sender=provider)
        self.licensing.convert(sha256(b"BPR").digest(), sender=provider)
        listing = self.licensing.list_terms(
            patent, 5 * 10**18, 365 * 86400, "payment terminals", "worldwide", sender=provider
        ).return_value
        bpc.approve(self.licensing.address, 10**24, sender=licensee)
        self.licensing.buy(listing, sender=licensee)
        self.licensing.register_batch(b"\x01" * 32, b"\x02" * 32, 2_000, sender=provider)
        self.licensing.cancel_claims(7, sender=provider)
        self.licensing.delist(listing, sender=provider)
        # left open: it ends when the Exchange sells the patent (`exchange` below)
        self.licensing.list_terms(
            patent, 10**18, 30 * 86400, "smart home", "worldwide", sender=provider
        )

    def royalties(self) -> None:
        self.contracts["Royalties"].claim(sender=self.actors["provider"])

    def case(self, patent: bytes) -> None:
        """File, authorise, offer twice, withdraw one offer and settle with the other."""
        a, bpc = self.actors, self.contracts["BPC"]
        centre, regulator, licensee = a["protection_centre"], a["regulator"], a["licensee"]
        self.fund_bpc(centre, BOND)
        self.fund_bpc(licensee, 10**19 + 1)
        bpc.approve(self.infringements.address, BOND, sender=centre)
        case = self.infringements.file(
            patent, b"\x0a" * 32, b"\x0b" * 32, DOCUMENT, ZERO, sender=centre
        ).return_value
        self.infringements.authorise(case, sender=a["provider"])
        bpc.approve(self.infringements.address, 10**19 + 1, sender=licensee)
        offer = self.infringements.offer_settlement(case, 10**19, sender=licensee).return_value
        stray = self.infringements.offer_settlement(case, 1, sender=licensee).return_value
        self.infringements.withdraw_offer(stray, sender=licensee)
        self.infringements.accept_offer(case, offer, sender=a["provider"])
        self.infringements.settle(case, offer, sender=regulator)

    def channel(self) -> None:
        """Open, top up, close unilaterally, update and settle a channel."""
        payer, ch = self.actors["licensee"], self.channels
        self.fund_bpc(payer, 11 * 10**18)
        channel = ch.open(payer, 10**19)
        self.contracts["BPC"].approve(ch.channels.address, 10**18, sender=payer)
        ch.channels.top_up(channel, 10**18, sender=payer)
        ch.channels.close(channel, 1, 10**17, ch.proof(channel, 1, 10**17, payer), sender=payer)
        ch.channels.update(
            channel, 2, 2 * 10**17, ch.proof(channel, 2, 2 * 10**17, payer), sender=ch.hub
        )
        self.chain.pending_timestamp += 2 * 86400
        ch.channels.settle(channel, sender=payer)

    def governance(self) -> None:
        """A council proposal, voted and executed: admits an applicant to the suite."""
        alliance = self.suite["Alliance"]
        alliance.apply(int(Kind.START_UP), IDENTITY, sender=self.actors["university"])
        self.council_pass.run([decide(alliance, "admit", self.actors["university"])])

    def certificates(self) -> None:
        """A batch of two certificates: accepted, one proven, then revoked one by one."""
        d, provider = self.driver, self.actors["provider"]
        batch = [d.certificate("EP", f"2000000{i}", provider) for i in range(2)]
        tree = certs.MerkleTree([c.leaf() for c in batch])
        signatures = certs.quorum(
            certs.sign_batch(d.domain, tree.root, 2, o.private_key) for o in d.oracles[:2]
        )
        d.certificates.attest_batch(tree.root, 2, signatures, sender=provider)
        cert = batch[0]
        d.certificates.prove(cert.as_arg(), tree.root, tree.proof(cert.leaf()), sender=provider)
        revocation = certs.quorum(
            certs.sign_revocation(d.domain, cert, o.private_key) for o in d.oracles[:2]
        )
        d.certificates.revoke(
            cert.office, cert.number, cert.document, cert.nonce, revocation, sender=provider
        )
        root_revocation = certs.quorum(
            certs.sign_batch_revocation(d.domain, tree.root, o.private_key) for o in d.oracles[:2]
        )
        d.certificates.revoke_batch(tree.root, root_revocation, sender=provider)

    def exchange(self, patent: bytes) -> None:
        """Sell an exclusive licence of the patent, then the patent itself (listed by its
        centre under the provider's mandate; another mandate revoked), on the Exchange."""
        a, bpc, ex = self.actors, self.contracts["BPC"], self.exchange_contract
        enterprise, provider, buyer = a["enterprise"], a["provider"], a["provider2"]
        centre = a["centre"]
        listing = ex.list_exclusive(
            patent,
            10**20,
            2 * 365 * 86400,
            "smart cards",
            "CN",
            bytes.fromhex("ab" * 32),
            sender=provider,
        ).return_value
        self.fund_bpc(enterprise, 10**20)
        bpc.approve(ex.address, 10**20, sender=enterprise)
        ex.buy(listing, sender=enterprise)
        expiry = int(self.driver.now()) + 30 * 86400
        ex.grant_mandate(patent, centre, 2, 10**20, expiry, sender=provider)  # exclusive
        ex.revoke_mandate(patent, centre, 2, sender=provider)
        ex.grant_mandate(patent, centre, 1, 2 * 10**20, expiry, sender=provider)  # assignment
        listing = ex.list_assignment(patent, 2 * 10**20, sender=centre).return_value
        self.fund_bpc(buyer, 2 * 10**20)
        bpc.approve(ex.address, 2 * 10**20, sender=buyer)
        ex.buy(listing, sender=buyer)
        cancelled = ex.list_assignment(patent, 10**20, sender=buyer).return_value
        ex.cancel(cancelled, sender=buyer)

    def valuations(self, patent: bytes) -> None:
        """Families and stale valuations: the buyer of the sold patent puts it and its
        European counterpart in one family; the council shortens the re-rating interval to
        a day, so the pooled patent (rated before the channel's two days) is stale."""
        buyer, families = self.actors["provider2"], self.contracts["Families"]
        counterpart = self.driver.submit(buyer, COUNTERPART[1], office=COUNTERPART[0])
        families.set_family(patent, FAMILY, sender=buyer)
        families.set_family(counterpart, FAMILY, sender=buyer)
        pool = self.driver.pool
        threshold, core = int(pool.expert_threshold()), int(pool.core_threshold())
        pool.set_parameters(threshold, core, DAY, sender=self.council)

    def everything(self) -> None:
        self.members()
        patent = self.patents()
        self.licences(patent)
        self.royalties()
        self.certificates()
        self.case(patent)
        self.channel()
        self.governance()
        self.exchange(patent)
        self.valuations(patent)


@pytest.fixture(scope="session")
def scenario_actors(
    provider: Any, provider2: Any, centre: Any, licensee: Any, protection_centre: Any,
    regulator: Any, outsider: Any, attacker: Any, university: Any, enterprise: Any,
) -> dict[str, Any]:  # fmt: skip
    """The scenario's actors by their fixture's name. Each is a parameter, not looked up
    by name: ape plans its chain snapshots from the fixtures a test requests, and some of
    these change the chain (the centre and the regulator are admitted as members)."""
    return {
        "provider": provider,
        "provider2": provider2,
        "centre": centre,
        "licensee": licensee,
        "protection_centre": protection_centre,
        "regulator": regulator,
        "outsider": outsider,
        "attacker": attacker,
        "university": university,
        "enterprise": enterprise,
    }


@pytest.fixture
def scenario(
    chain: Any,
    driver: PoolDriver,
    pool_alliance: Any,
    pool_council: Any,
    pool_contracts: dict[str, Any],
    licensing: Any,
    infringements: Any,
    channel_driver: ChannelDriver,
    council_pass: Pass,
    suite: dict[str, Any],
    fund_bpc: Any,
    scenario_actors: dict[str, Any],
    exchange: Any,
) -> Scenario:
    return Scenario(
        chain,
        driver,
        pool_alliance,
        pool_council,
        pool_contracts,
        licensing,
        infringements,
        channel_driver,
        council_pass,
        suite,
        scenario_actors,
        fund_bpc,
        exchange,
    )


BOOKKEEPING = {"blocks", "collections"}


def dump(engine: Engine, chain_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows as sorted tuples, surrogate ids replaced by (block, log index)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with Session(engine) as s:
        logs = {
            e.id: (e.block_number, e.log_index)
            for e in s.scalars(select(db.Event).where(db.Event.chain_id == chain_id))
        }
        for table in db.Base.metadata.sorted_tables:
            if table.name in BOOKKEEPING:
                continue
            rows = []
            for row in s.execute(select(table)).mappings():
                record = {k: v for k, v in row.items() if k != "id"}
                if "event_id" in record:
                    record["event_id"] = logs[record["event_id"]]
                rows.append(tuple(sorted((k, repr(v)) for k, v in record.items())))
            out[table.name] = sorted(rows)
    return out
