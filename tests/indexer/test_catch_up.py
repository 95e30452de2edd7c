"""The indexer catching up with a chain: every event kind lands in its table, and the
derived tables agree with what the contracts themselves answer."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bpsa.api import db
from bpsa.api.entity import to_json
from bpsa.api.indexer import Indexer
from bpsa.core import certificates as certs
from bpsa.core.cid import cid_from_digest
from bpsa.core.codes import CaseStatus, CertStatus, PatentStatus, Removal, Status
from bpsa.core.manifest import Deployed, Manifest
from bpsa.sdk.pool import iso_time
from tests.fixtures.pool import REASONING

from .conftest import COUNTERPART, DAY, FAMILY, Scenario


def _chain_logs(indexer: Indexer) -> list[dict[str, Any]]:
    logs = indexer.rpc.request(
        "eth_getLogs",
        [{"fromBlock": "0x0", "toBlock": "latest", "address": list(indexer.contracts)}],
    )
    assert isinstance(logs, list)
    return logs


def _pid(office: str, number: str) -> str:
    return "0x" + bytes(certs.patent_id(office, number)).hex()


def test_catch_up__every_event_kind__lands_in_its_table_as_the_contracts_answer(
    scenario: Scenario, make_indexer: Any, db_target: str
) -> None:
    scenario.everything()
    indexer = make_indexer(db_target)

    added = indexer.run_once()

    c, a = scenario.contracts, scenario.actors
    pool, bpc, royalties = c["PatentPool"], c["BPC"], c["Royalties"]
    logs = _chain_logs(indexer)
    with Session(indexer.engine) as s:
        assert added == len(logs)
        kinds = {(r[0], r[1]) for r in s.execute(select(db.Event.contract, db.Event.event))}
        assert not [k for k in kinds if k[1].startswith("?")]
        for kind in [
            ("Alliance", "Rejected"), ("Alliance", "Expelled"), ("Alliance", "Reinstated"),
            ("PatentPool", "Withdrawn"), ("PatentPool", "Removed"),
            ("Certificates", "BatchRevoked"), ("Licensing", "Delisted"),
            ("Royalties", "Claimed"), ("Infringements", "CaseSettled"),
            ("Mandates", "MandateOffered"), ("Mandates", "MandateAccepted"),
            ("Mandates", "MandateEnded"),
            ("Infringements", "OfferWithdrawn"),
            ("Channels", "ChannelSettled"), ("Council", "ProposalExecuted"), ("BPR", "Transfer"),
        ]:  # fmt: skip
            assert kind in kinds

        # members: status, kind and roles as Alliance answers them
        members = s.scalars(select(db.Member)).all()
        assert len(members) == scenario.alliance.member_count()
        for m in members:
            assert (m.status, m.kind, m.roles) == (
                scenario.alliance.status_of(m.address),
                scenario.alliance.kind_of(m.address),
                scenario.alliance.roles_of(m.address),
            )
        expelled = s.get(db.Member, (indexer.chain_id, a["attacker"].address.lower()))
        assert expelled is not None and expelled.status == Status.EXPELLED

        # patents, their certificates and history
        pooled = s.get(db.Patent, (indexer.chain_id, _pid("US", "11000001")))
        assert pooled is not None and pooled.status == PatentStatus.POOLED
        assert (pooled.rating, pooled.valuation) == (80, 50_000 * 10**18)
        assert pooled.document_cid.startswith("b")
        removed = s.get(db.Patent, (indexer.chain_id, _pid("US", "11000003")))
        assert removed is not None and (removed.status, removed.removal_reason) == (
            PatentStatus.REMOVED,
            Removal.SOLD,
        )
        withdrawn = s.get(db.Patent, (indexer.chain_id, _pid("US", "11000002")))
        assert withdrawn is not None and withdrawn.status == PatentStatus.WITHDRAWN
        history = s.scalars(
            select(db.PatentEvent.event)
            .where(db.PatentEvent.patent_id == pooled.patent_id)
            .order_by(db.PatentEvent.id)
        ).all()
        # the Coverage log's entry is logged in the pooling's transaction, before Pooled
        assert history[:11] == [
            "Submitted", "MandateOffered", "MandateAccepted", "CertificateAccepted", "Certified",
            "Rated", "Rated", "Rated", "RatingSettled", "CoverageLogged", "Pooled",
        ]  # fmt: skip
        assert {"Listed", "LicenceBought", "Delisted", "CaseFiled", "CaseSettled"} <= set(history)
        proven = s.get(db.Certificate, (indexer.chain_id, _pid("EP", "20000000"), pooled.document))
        assert proven is not None and proven.status == CertStatus.REVOKED and proven.batch_root
        assert s.scalars(select(db.CertificateBatch)).one().revoked

        # valuations: each ballot's reasoning; the re-rating date follows the interval now
        # (a day: stale at the head); the sold patent and its counterpart in one family
        ballots = s.scalars(select(db.Rating).where(db.Rating.patent_id == pooled.patent_id))
        assert {(b.reasoning, b.reasoning_cid) for b in ballots} == {
            ("0x" + REASONING.hex(), cid_from_digest(REASONING))
        }
        due, stale = pool.rating_due(bytes.fromhex(pooled.patent_id[2:]))
        shown = to_json(pooled)
        assert pooled.rated_at is not None
        assert (pooled.rating_due_at, shown["stale"]) == (due, stale)
        assert (due, stale) == (pooled.rated_at + DAY, True)
        assert shown["rating_due"] == iso_time(due)
        counterpart = s.get(db.Patent, (indexer.chain_id, _pid(*COUNTERPART)))
        assert counterpart is not None and to_json(counterpart)["stale"] is False  # never rated
        assert pooled.family == counterpart.family == "0x" + FAMILY.hex()
        assert s.scalars(select(db.NavPoint.stale_value)).all()[-1] == 0  # none since

        # the case: settled with its first offer, the second withdrawn by its offerer
        case = s.scalars(select(db.Case)).one()
        assert (case.accepted_offer, case.settlement, case.offers_standing, case.offered) == (
            1, 10**19, 0, 0
        )  # fmt: skip
        assert case.accused is None and case.tenure  # authorised under the tenure of then
        offers = s.scalars(select(db.CaseOffer).order_by(db.CaseOffer.offer_id)).all()
        assert [(o.offer_id, o.amount, o.status) for o in offers] == [
            (1, 10**19, "accepted"), (2, 1, "withdrawn")
        ]  # fmt: skip

        # NAV, supply and balances as the pool and the token answer them
        nav = s.scalars(select(db.NavPoint).order_by(db.NavPoint.block_number.desc())).first()
        assert nav is not None
        assert (nav.pooled_value, nav.supply, nav.nav) == (
            pool.pooled_value(),
            bpc.totalSupply(),
            pool.nav(),
        )
        for row in s.scalars(select(db.TokenBalance).where(db.TokenBalance.token == "BPC")):
            assert row.balance == bpc.balanceOf(row.holder)

        # royalties replayed exactly: what Royalties.claimable answers, to the wei
        accounts = s.scalars(select(db.Royalty)).all()
        assert accounts
        for r in accounts:
            assert r.claimable == royalties.claimable(r.account)
        provider_row = s.get(db.Royalty, (indexer.chain_id, a["provider"].address.lower()))
        assert provider_row is not None and provider_row.claimed > 0
        assert provider_row.accrued == provider_row.claimed + provider_row.claimable

        # licences: BPR holding, per-patent licence, device batch, claim floor, tiers
        holder = a["provider"].address.lower()
        holding = s.get(db.BprHolding, (indexer.chain_id, holder))
        assert holding is not None and holding.active and not holding.granted
        assert (holding.locked, holding.unlocks_at) == (
            scenario.licensing.locked(holder),
            scenario.licensing.unlocks_at(holder),
        )
        licence = s.scalars(select(db.Licence).where(~db.Licence.exclusive)).one()
        assert (licence.holder, licence.patent_id) == (
            a["licensee"].address.lower(),
            pooled.patent_id,
        )
        assert licence.field_of_use == "payment terminals"
        listings = s.scalars(select(db.Listing).order_by(db.Listing.listing_id)).all()
        assert [(x.active, x.end_reason) for x in listings] == [
            (False, "delisted"),
            (False, "changed hands"),  # the seller's listing ended with the sale below
        ]
        assert listings[1].tenure == listings[0].tenure
        assert s.scalars(select(db.DeviceBatch)).one().count == 2_000
        assert s.scalars(select(db.ClaimFloor)).one().below_nonce == 7
        for tier in s.scalars(select(db.Tier)):
            assert tier.price == scenario.licensing.tier_price(tier.kind)

        # the Exchange: an exclusive licence, then the patent sold to another provider
        exclusive = s.scalars(select(db.Licence).where(db.Licence.exclusive)).one()
        assert (exclusive.holder, exclusive.price, exclusive.field_of_use) == (
            a["enterprise"].address.lower(),
            10**20,
            "smart cards",
        )
        states = s.scalars(select(db.ExchangeListing.state).order_by(db.ExchangeListing.listing_id))
        assert list(states) == ["sold", "sold", "cancelled"]
        sold_by_centre = s.scalars(
            select(db.ExchangeListing).where(db.ExchangeListing.kind == 1)
        ).first()
        assert sold_by_centre is not None
        assert (sold_by_centre.lister, sold_by_centre.seller) == (
            a["centre"].address.lower(),
            a["provider"].address.lower(),
        )
        mandates = s.scalars(select(db.ExchangeMandate).order_by(db.ExchangeMandate.kind))
        # the assignment mandate ended with the sale; the exclusive one was revoked
        assert [(m.kind, m.state) for m in mandates] == [(1, "ended"), (2, "revoked")]
        assert (pooled.provider, pooled.centre) == (a["provider2"].address.lower(), None)
        # trusteeship mandates: the pooled patent's ended with its sale; the other declined
        rows = s.scalars(select(db.TrusteeshipMandate)).all()
        assert {(m.patent_id, m.state, m.end_reason, m.accepted_at is not None) for m in rows} == {
            (pooled.patent_id, "ended", None, True),
            (_pid("US", "11000002"), "ended", 2, False),
        }
        assert pooled.provider == pool.patents(pooled.patent_id).contributor.lower()

        # the case, the channel, the proposal, the settings
        case = s.scalars(select(db.Case)).one()
        assert (case.status, case.settlement, case.patent_id) == (
            CaseStatus.SETTLED,
            10**19,
            pooled.patent_id,
        )
        channel = s.scalars(select(db.Channel)).one()
        assert (channel.status, channel.deposit, channel.to_hub, channel.nonce) == (
            "settled",
            11 * 10**18,
            2 * 10**17,
            2,
        )
        proposal = s.scalars(select(db.Proposal)).one()
        assert (proposal.body, proposal.yes, proposal.executed) == ("Council", 3, True)
        settings = s.get(db.Settings, indexer.chain_id)
        assert settings is not None
        assert (settings.contributor_bps, settings.core_threshold, settings.surcharge_bps) == (
            7_000,
            60,
            2_000,
        )


def test_catch_up__run_again__adds_no_event_twice(scenario: Scenario, make_indexer: Any) -> None:
    scenario.members()
    indexer = make_indexer(batch_blocks=7)
    first = indexer.run_once()

    again = indexer.run_once()
    restarted = make_indexer().run_once()

    with Session(indexer.engine) as s:
        stored = s.execute(select(func.count()).select_from(db.Event)).scalar()
        distinct = s.execute(
            select(func.count()).select_from(
                select(db.Event.tx_hash, db.Event.log_index).distinct().subquery()
            )
        ).scalar()
    assert (again, restarted) == (0, 0)
    assert stored == distinct == first == len(_chain_logs(indexer))


def test_catch_up__confirmations__stops_that_many_blocks_short_of_the_head(
    scenario: Scenario, make_indexer: Any
) -> None:
    scenario.members()
    indexer = make_indexer(confirmations=3)

    indexer.run_once()

    head = int(indexer.rpc.request("eth_blockNumber"), 16)
    assert indexer.cursor()[0] == head - 3
    with Session(indexer.engine) as s:
        newest = s.execute(select(func.max(db.Event.block_number))).scalar()
    assert newest is not None and newest <= head - 3


def test_rebuild__from_the_raw_events__same_derived_tables(
    scenario: Scenario, make_indexer: Any
) -> None:
    from .conftest import dump

    scenario.everything()
    indexer = make_indexer(batch_blocks=10)
    indexer.run_once()
    before = dump(indexer.engine, indexer.chain_id)

    replayed = indexer.rebuild()

    assert replayed == len(_chain_logs(indexer))
    assert dump(indexer.engine, indexer.chain_id) == before


def test_catch_up__manifest_names_a_contract_without_tables__left_out_rest_indexed(
    scenario: Scenario, suite_manifest: Manifest, rpc_url: str, open_engine: Any, sqlite_target: str
) -> None:
    scenario.members()
    contracts = {**suite_manifest.contracts, "Swaps": Deployed("0x" + "5a" * 20, 0)}
    indexer = Indexer(
        replace(suite_manifest, contracts=contracts), rpc_url, open_engine(sqlite_target)
    )

    added = indexer.run_once()

    assert indexer.ignored == ["Swaps"]
    assert "0x" + "5a" * 20 not in indexer.contracts
    assert added == len(_chain_logs(indexer)) > 0
    indexer.rpc.close()
