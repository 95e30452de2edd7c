"""The projection: how each suite event changes the derived tables.

`Projector.apply` takes events in chain order (live, or replayed from the
`events` table after a reorganisation) and mutates ORM rows it keeps in its own
cache for the batch; `finish` writes the end-of-batch aggregates (NAV points,
royalty balances). The derived tables are a pure function of the raw events:
replaying every stored event into empty tables gives the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from bpsa.api import db
from bpsa.core import codes
from bpsa.core.cid import cid_from_digest
from bpsa.core.errors import BpsaError

ZERO = "0x" + "00" * 20
NAV_ONE = 10**18
M = TypeVar("M", bound=db.Base)


@dataclass(slots=True)
class Ev:
    """One event as the projection sees it (args: ints for uints, hex strings else)."""

    event_id: int
    chain_id: int
    block_number: int
    block_time: int
    tx_hash: str
    log_index: int
    contract: str  # manifest name
    contract_type: str
    name: str
    args: dict[str, Any]
    json_args: dict[str, Any]


def _cid(digest_hex: str) -> str:
    return cid_from_digest(bytes.fromhex(digest_hex[2:]))


class Projector:
    def __init__(self, session: Session, chain_id: int, collection: str, fund: str = ZERO) -> None:
        self.s = session
        self.chain_id = chain_id
        self.collection = collection  # the manifest's collection symbol ("BPC")
        self.fund = fund.lower()  # the Fund's address: its purchases are "purchased"
        self._cache: dict[tuple[type[db.Base], tuple[Any, ...]], Any] = {}
        self._nav: tuple[int, int] | None = None  # (pooled_value, supply)
        self._royalty_paid = False
        self._royalty_dirty: set[str] = set()
        self._last_accepted: dict[str, str] = {}  # patent -> document (for CertificateProven)
        self.handlers: dict[tuple[str, str], Callable[[Ev], str | None]] = {}
        for attr in dir(self):
            if attr.startswith("on_"):
                _, ctype, name = attr.split("_", 2)
                self.handlers[(ctype, name)] = getattr(self, attr)

    # -------------------------------------------------------------- rows

    def get(self, model: type[M], *pk: Any) -> M | None:
        key = (model, pk)
        row = self._cache.get(key)
        if row is None:
            row = self.s.get(model, (self.chain_id, *pk))
            if row is not None:
                self._cache[key] = row
        return row

    def add(self, model: type[M], *pk: Any, **fields: Any) -> M:
        """A new row (or an existing one overwritten with `fields`)."""
        row = self.get(model, *pk)
        if row is None:
            names: list[str] = [str(c.key) for c in model.__mapper__.primary_key]
            keys = dict(zip(names, (self.chain_id, *pk), strict=True))
            row = model(**keys, **fields)
            self.s.add(row)
            self._cache[(model, pk)] = row
        else:
            for k, v in fields.items():
                setattr(row, k, v)
        return row

    def need(self, model: type[M], *pk: Any) -> M:
        row = self.get(model, *pk)
        if row is None:
            raise ProjectionError(f"{model.__tablename__} {pk} referenced before it exists")
        return row

    def settings(self) -> db.Settings:
        row = self.get(db.Settings)
        return row if row is not None else self.add(db.Settings)

    # -------------------------------------------------------------- driving

    def apply(self, ev: Ev) -> None:
        handler = self.handlers.get((ev.contract_type, ev.name))
        patent = handler(ev) if handler is not None else None
        if patent is None and "patent" in ev.args and isinstance(ev.args["patent"], str):
            patent = ev.args["patent"]
        if patent is not None:
            row = self.get(db.Patent, patent)
            self.s.add(
                db.PatentEvent(
                    chain_id=self.chain_id,
                    patent_id=patent,
                    event_id=ev.event_id,
                    contract=ev.contract,
                    event=ev.name,
                    status=row.status if row is not None else 0,
                    block_number=ev.block_number,
                    block_time=ev.block_time,
                    tx_hash=ev.tx_hash,
                    log_index=ev.log_index,
                    args=ev.json_args,
                )
            )

    def finish(self) -> None:
        """End of a batch: every royalty account's balances as of the batch's last fee."""
        if self._royalty_paid:
            accounts = self.s.scalars(
                select(db.Royalty).where(db.Royalty.chain_id == self.chain_id)
            ).all()
            for row in accounts:
                self._cache.setdefault((db.Royalty, (row.account,)), row)
            self._royalty_dirty.update(r.account for r in accounts)
        if self._royalty_dirty:
            totals = self.get(db.RoyaltyTotals)
            for account in self._royalty_dirty:
                row = self.need(db.Royalty, account)
                row.claimable = row.settled + db.pending_royalty(row, totals)
                row.accrued = row.claimed + row.claimable
        self._royalty_paid = False
        self._royalty_dirty.clear()
        self.s.flush()

    # -------------------------------------------------------------- NAV

    def _nav_state(self) -> tuple[int, int]:
        if self._nav is None:
            last = self.s.scalars(
                select(db.NavPoint)
                .where(db.NavPoint.chain_id == self.chain_id)
                .order_by(db.NavPoint.block_number.desc())
                .limit(1)
            ).first()
            self._nav = (last.pooled_value, last.supply) if last is not None else (0, 0)
        return self._nav

    def _nav_mark(self, ev: Ev, pooled: int | None = None, supply_delta: int = 0) -> None:
        """The block's NAV point holds the state after its last change."""
        old_pooled, old_supply = self._nav_state()
        new = (old_pooled if pooled is None else pooled, old_supply + supply_delta)
        self._nav = new
        nav = new[0] * NAV_ONE // new[1] if new[1] else None
        self.add(
            db.NavPoint,
            ev.block_number,
            block_time=ev.block_time,
            pooled_value=new[0],
            supply=new[1],
            nav=nav,
        )

    # -------------------------------------------------------------- Alliance

    def on_Alliance_Applied(self, ev: Ev) -> None:
        a = ev.args
        self.add(
            db.Member,
            a["applicant"],
            kind=a["kind"],
            status=codes.Status.APPLIED,
            roles=0,
            market_share_bps=0,
            identity=a["identity"],
            identity_cid=_cid(a["identity"]),
            application=a["application"],
            applied_at=ev.block_time,
            active_since=None,
            updated_block=ev.block_number,
        )

    def _member_status(self, ev: Ev, who: str, status: int) -> db.Member:
        row = self.need(db.Member, who)
        row.status = status
        row.updated_block = ev.block_number
        return row

    def on_Alliance_Admitted(self, ev: Ev) -> None:
        self._member_status(ev, ev.args["member"], codes.Status.ACTIVE).active_since = ev.block_time

    def on_Alliance_Reinstated(self, ev: Ev) -> None:
        self._member_status(ev, ev.args["member"], codes.Status.ACTIVE).active_since = ev.block_time

    def on_Alliance_Rejected(self, ev: Ev) -> None:
        self._member_status(ev, ev.args["applicant"], codes.Status.REJECTED)

    def on_Alliance_Suspended(self, ev: Ev) -> None:
        self._member_status(ev, ev.args["member"], codes.Status.SUSPENDED)

    def on_Alliance_Expelled(self, ev: Ev) -> None:
        self._member_status(ev, ev.args["member"], codes.Status.EXPELLED).roles = 0

    def on_Alliance_RoleGranted(self, ev: Ev) -> None:
        row = self.need(db.Member, ev.args["member"])
        row.roles = row.roles | ev.args["role"]
        row.updated_block = ev.block_number

    def on_Alliance_RoleRevoked(self, ev: Ev) -> None:
        row = self.need(db.Member, ev.args["member"])
        row.roles = row.roles & ~ev.args["role"]
        row.updated_block = ev.block_number

    def on_Alliance_MarketShareSet(self, ev: Ev) -> None:
        row = self.need(db.Member, ev.args["member"])
        row.market_share_bps = ev.args["market_share_bps"]
        row.updated_block = ev.block_number

    # -------------------------------------------------------------- Governance

    def on_Governance_ProposalCreated(self, ev: Ev) -> None:
        a = ev.args
        self.add(
            db.Proposal,
            ev.contract,
            a["proposal_id"],
            proposer=a["proposer"],
            description=a["description"],
            calls=a["calls"],
            vote_end=a["vote_end"],
            eta=a["eta"],
            expires=a["expires"],
            seats=a["seats"],
            yes=0,
            no=0,
            abstain=0,
            executed=False,
            cancelled=False,
            created_block=ev.block_number,
        )

    def on_Governance_VoteCast(self, ev: Ev) -> None:
        row = self.need(db.Proposal, ev.contract, ev.args["proposal_id"])
        support = ev.args["support"]
        if support == codes.Vote.YES:
            row.yes += 1
        elif support == codes.Vote.NO:
            row.no += 1
        else:
            row.abstain += 1

    def on_Governance_ProposalExecuted(self, ev: Ev) -> None:
        self.need(db.Proposal, ev.contract, ev.args["proposal_id"]).executed = True

    def on_Governance_ProposalCancelled(self, ev: Ev) -> None:
        self.need(db.Proposal, ev.contract, ev.args["proposal_id"]).cancelled = True

    # -------------------------------------------------------------- PatentPool

    def _patent(self, ev: Ev, status: int | None = None) -> db.Patent:
        row = self.need(db.Patent, ev.args["patent"])
        if status is not None:
            row.status = status
        row.updated_at = ev.block_time
        row.updated_block = ev.block_number
        return row

    def on_PatentPool_Submitted(self, ev: Ev) -> None:
        a = ev.args
        old = self.get(db.Patent, a["patent"])
        if old is not None:
            self._end_exchange(ev)  # a new life: a new tenure
        self.add(
            db.Patent,
            a["patent"],
            collection=self.collection,
            office=a["office"],
            number=a["number"],
            provider=a["contributor"],
            centre=None if a["centre"] == ZERO else a["centre"],
            source=a["source"],
            status=codes.PatentStatus.SUBMITTED,
            document=a["document"],
            document_cid=_cid(a["document"]),
            right_ends=a["right_ends"],
            rating=None,
            valuation=None,
            rounds=old.rounds + 1 if old is not None else 0,
            rated_at=None,
            minted=None,
            certificate_owner=None,
            certificate_expiry=None,
            certificate_nonce=None,
            removal_reason=None,
            lapse=None,
            submitted_at=ev.block_time,
            pooled_at=None,
            updated_at=ev.block_time,
            updated_block=ev.block_number,
        )

    def on_PatentPool_Withdrawn(self, ev: Ev) -> None:
        self._patent(ev, codes.PatentStatus.WITHDRAWN)

    def on_PatentPool_Certified(self, ev: Ev) -> None:
        row = self._patent(ev, codes.PatentStatus.CERTIFIED)
        row.certificate_owner = ev.args["owner"]
        row.certificate_expiry = ev.args["expiry"]
        row.certificate_nonce = ev.args["nonce"]

    def on_PatentPool_Rated(self, ev: Ev) -> None:
        a = ev.args
        self.add(
            db.Rating,
            a["patent"],
            a["round"],
            a["expert"],
            score=a["score"],
            valuation=a["valuation"],
            block_number=ev.block_number,
        )

    def on_PatentPool_RatingSettled(self, ev: Ev) -> None:
        row = self._patent(ev)
        row.rating = ev.args["score"]
        row.valuation = ev.args["valuation"]
        row.rated_at = ev.block_time
        row.rounds = ev.args["round"] + 1
        if row.status == codes.PatentStatus.CERTIFIED:
            row.status = codes.PatentStatus.RATED

    def on_PatentPool_Pooled(self, ev: Ev) -> None:
        row = self._patent(ev, codes.PatentStatus.POOLED)
        row.minted = ev.args["minted"]
        row.pooled_at = ev.block_time
        self._nav_mark(ev, pooled=ev.args["pooled_value"])

    def on_PatentPool_Revalued(self, ev: Ev) -> None:
        self._patent(ev).valuation = ev.args["new_valuation"]
        self._nav_mark(ev, pooled=ev.args["pooled_value"])

    def on_PatentPool_Removed(self, ev: Ev) -> None:
        self._patent(ev, codes.PatentStatus.REMOVED).removal_reason = ev.args["reason"]
        self._end_listings(ev, "left the pool")
        self._nav_mark(ev, pooled=ev.args["pooled_value"])

    def on_PatentPool_Expired(self, ev: Ev) -> None:
        self._patent(ev, codes.PatentStatus.EXPIRED).lapse = ev.args["lapse"]
        self._end_listings(ev, "left the pool")
        self._nav_mark(ev, pooled=ev.args["pooled_value"])

    def on_PatentPool_ParametersSet(self, ev: Ev) -> None:
        s = self.settings()
        s.expert_threshold = ev.args["expert_threshold"]
        s.core_threshold = ev.args["core_threshold"]
        s.rerate_interval = ev.args["rerate_interval"]

    def on_PatentPool_Assigned(self, ev: Ev) -> None:
        """A sale on the Exchange: the buyer becomes the contributor of record, a
        centre's mandate ends, the fund's purchase makes the source purchased; the
        seller's licence listings, exchange listings and mandates end with its tenure."""
        self._end_exchange(ev)
        row = self._patent(ev)
        row.provider = ev.args["buyer"]
        row.centre = None
        self._end_listings(ev, "changed hands")
        row.source = (
            codes.Source.PURCHASED if ev.args["buyer"] == self.fund else codes.Source.CONTRIBUTED
        )

    # -------------------------------------------------------------- Certificates

    def on_Certificates_CertificateAccepted(self, ev: Ev) -> None:
        a = ev.args
        self._last_accepted[a["patent"]] = a["document"]
        self.add(
            db.Certificate,
            a["patent"],
            a["document"],
            document_cid=_cid(a["document"]),
            owner=a["owner"],
            status=a["status"],
            expiry=a["expiry"],
            nonce=a["nonce"],
            batch_root=None,
            accepted_at=ev.block_time,
            accepted_block=ev.block_number,
            revoked_at=None,
        )

    def on_Certificates_CertificateProven(self, ev: Ev) -> None:
        document = self._last_accepted.get(ev.args["patent"])
        if document is None:
            raise ProjectionError("CertificateProven without a CertificateAccepted before it")
        self.need(db.Certificate, ev.args["patent"], document).batch_root = ev.args["root"]

    def on_Certificates_CertificateRevoked(self, ev: Ev) -> None:
        row = self.get(db.Certificate, ev.args["patent"], ev.args["document"])
        if row is not None:
            row.status = codes.CertStatus.REVOKED
            row.revoked_at = ev.block_time

    def on_Certificates_BatchAccepted(self, ev: Ev) -> None:
        self.add(
            db.CertificateBatch,
            ev.args["root"],
            count=ev.args["count"],
            signers=ev.args["signers"],
            revoked=False,
            accepted_at=ev.block_time,
        )

    def on_Certificates_BatchRevoked(self, ev: Ev) -> None:
        row = self.get(db.CertificateBatch, ev.args["root"])
        if row is not None:
            row.revoked = True

    def on_Certificates_ThresholdSet(self, ev: Ev) -> None:
        self.settings().certificate_threshold = ev.args["threshold"]

    # -------------------------------------------------------------- Licensing

    def on_Licensing_TierSet(self, ev: Ev) -> None:
        self.add(db.Tier, ev.args["kind"], price=ev.args["price"], updated_at=ev.block_time)

    def on_Licensing_LargeEnterpriseRateSet(self, ev: Ev) -> None:
        self.settings().large_enterprise_price_per_bps = ev.args["price_per_bps"]

    def on_Licensing_MinTermSet(self, ev: Ev) -> None:
        self.settings().min_term = ev.args["min_term"]

    def on_Licensing_SurchargeSet(self, ev: Ev) -> None:
        self.settings().surcharge_bps = ev.args["surcharge_bps"]

    def on_Licensing_DeviceScheduleSet(self, ev: Ev) -> None:
        s, a = self.settings(), ev.args
        s.device_free_per_year = a["free_per_year"]
        s.device_low_rate = a["low_rate"]
        s.device_volume_break = a["volume_break"]
        s.device_high_rate = a["high_rate"]
        s.device_annual_cap = a["annual_cap"]

    def on_Licensing_Converted(self, ev: Ev) -> None:
        min_term = self.settings().min_term or 0
        self.add(
            db.BprHolding,
            ev.args["holder"],
            tier=ev.args["kind"],
            locked=ev.args["locked"],
            unlocks_at=ev.block_time + min_term,
            granted=False,
            active=True,
            since=ev.block_time,
            ended_at=None,
            end_reason=None,
            returned=None,
        )

    def on_Licensing_Granted(self, ev: Ev) -> None:
        self.add(
            db.BprHolding,
            ev.args["holder"],
            tier=None,
            locked=0,
            unlocks_at=None,
            granted=True,
            active=True,
            since=ev.block_time,
            ended_at=None,
            end_reason=None,
            returned=None,
        )

    def _end_holding(self, ev: Ev, reason: str) -> None:
        row = self.need(db.BprHolding, ev.args["holder"])
        row.active = False
        row.ended_at = ev.block_time
        row.end_reason = reason
        row.returned = ev.args["returned"]

    def on_Licensing_Released(self, ev: Ev) -> None:
        self._end_holding(ev, "released")

    def on_Licensing_Revoked(self, ev: Ev) -> None:
        self._end_holding(ev, "revoked")

    def on_Licensing_Listed(self, ev: Ev) -> None:
        a = ev.args
        self.add(
            db.Listing,
            a["listing"],
            patent_id=a["patent"],
            lister=a["lister"],
            price=a["price"],
            duration=a["duration"],
            field_of_use=a["field_of_use"],
            territory=a["territory"],
            active=True,
            listed_at=ev.block_time,
            tenure=a["tenure"],
            ended_at=None,
            end_reason=None,
        )

    def on_Licensing_Delisted(self, ev: Ev) -> str:
        row = self.need(db.Listing, ev.args["listing"])
        if row.active:
            row.active, row.ended_at, row.end_reason = False, ev.block_time, "delisted"
        return row.patent_id

    def _end_listings(self, ev: Ev, reason: str) -> None:
        """A patent's per-patent listings end when it changes hands or leaves the pool
        (Licensing refuses them from then on; no Licensing event says so)."""
        self.s.flush()  # listings of this batch must be visible to the query (rare event)
        rows = self.s.scalars(
            select(db.Listing).where(
                db.Listing.chain_id == self.chain_id,
                db.Listing.patent_id == ev.args["patent"],
                db.Listing.active.is_(True),
            )
        ).all()
        for row in rows:
            row.active, row.ended_at, row.end_reason = False, ev.block_time, reason

    def on_Licensing_LicenceBought(self, ev: Ev) -> None:
        a = ev.args
        listing = self.need(db.Listing, a["listing"])
        self.add(
            db.Licence,
            a["licence"],
            listing_id=a["listing"],
            patent_id=a["patent"],
            holder=a["licensee"],
            price=a["price"],
            surcharge=a["surcharge"],
            field_of_use=listing.field_of_use,
            territory=listing.territory,
            start=a["start"],
            end=a["end"],
            tx_hash=ev.tx_hash,
        )

    def on_Licensing_ExclusiveLicenceRecorded(self, ev: Ev) -> None:
        a = ev.args
        self.s.flush()  # a listing of this batch must be visible to the query (rare event)
        listing = self.s.scalars(
            select(db.ExchangeListing)
            .where(
                db.ExchangeListing.chain_id == self.chain_id,
                db.ExchangeListing.patent_id == a["patent"],
                db.ExchangeListing.terms == a["terms"],
            )
            .order_by(db.ExchangeListing.listing_id.desc())
        ).first()
        self.add(
            db.Licence,
            a["licence"],
            listing_id=0,
            patent_id=a["patent"],
            holder=a["licensee"],
            price=0,  # the Exchange's Sold event that follows sets it
            surcharge=0,
            field_of_use=listing.field_of_use if listing is not None else "",
            territory=listing.territory if listing is not None else "",
            start=a["start"],
            end=a["end"],
            tx_hash=ev.tx_hash,
            exclusive=True,
        )

    def on_Licensing_BatchRegistered(self, ev: Ev) -> None:
        a = ev.args
        self.add(
            db.DeviceBatch,
            a["batch"],
            maker=a["maker"],
            product=a["product"],
            root=a["root"],
            count=a["count"],
            fee=a["fee"],
            surcharge=a["surcharge"],
            registered_at=ev.block_time,
        )

    def on_Licensing_ClaimsCancelled(self, ev: Ev) -> None:
        self.add(db.ClaimFloor, ev.args["holder"], below_nonce=ev.args["below_nonce"])

    # -------------------------------------------------------------- Exchange

    def on_Exchange_Listed(self, ev: Ev) -> None:
        a = ev.args
        self.add(
            db.ExchangeListing,
            a["listing"],
            patent_id=a["patent"],
            lister=a["lister"],
            kind=a["kind"],
            seller=a["seller"],
            price=a["price"],
            duration=a["duration"],
            field_of_use=a["field_of_use"],
            territory=a["territory"],
            terms=a["terms"],
            tenure=a["tenure"],
            state="open",
            listed_at=ev.block_time,
        )

    def on_Exchange_Cancelled(self, ev: Ev) -> None:
        row = self.need(db.ExchangeListing, ev.args["listing"])
        row.state = "cancelled"
        row.closed_at = ev.block_time
        row.cancelled_by = ev.args["by"]

    def on_Exchange_Sold(self, ev: Ev) -> None:
        a = ev.args
        row = self.need(db.ExchangeListing, a["listing"])
        row.state = "sold"
        row.closed_at = ev.block_time
        row.buyer = a["buyer"]
        row.to_royalties = a["to_royalties"]
        row.to_seller = a["to_seller"]
        if a["licence"]:
            row.licence_id = a["licence"]
            self.need(db.Licence, a["licence"]).price = a["price"]

    def on_Exchange_PoolShareSet(self, ev: Ev) -> None:
        self.settings().exchange_pool_share_bps = ev.args["pool_share_bps"]

    def on_Exchange_MandateGranted(self, ev: Ev) -> None:
        a = ev.args
        self.add(
            db.ExchangeMandate,
            a["patent"],
            a["agent"],
            a["kind"],
            contributor=a["contributor"],
            floor_price=a["floor_price"],
            expiry=a["expiry"],
            tenure=a["tenure"],
            state="granted",
            granted_at=ev.block_time,
            closed_at=None,
            revoked_by=None,
        )

    def on_Exchange_MandateRevoked(self, ev: Ev) -> None:
        a = ev.args
        row = self.need(db.ExchangeMandate, a["patent"], a["agent"], a["kind"])
        row.state = "revoked"
        row.closed_at = ev.block_time
        row.revoked_by = a["by"]

    def _end_exchange(self, ev: Ev) -> None:
        """The patent changed hands or starts a new life (a new tenure): its open listings
        and the mandates given for it end (the Exchange refuses them from now on)."""
        self.s.flush()  # rows added in this batch are queried below
        patent = ev.args["patent"]
        for listing in self.s.scalars(
            select(db.ExchangeListing).where(
                db.ExchangeListing.chain_id == self.chain_id,
                db.ExchangeListing.patent_id == patent,
                db.ExchangeListing.state == "open",
            )
        ):
            listing.state = "ended"
            listing.closed_at = ev.block_time
        for mandate in self.s.scalars(
            select(db.ExchangeMandate).where(
                db.ExchangeMandate.chain_id == self.chain_id,
                db.ExchangeMandate.patent_id == patent,
                db.ExchangeMandate.state == "granted",
            )
        ):
            mandate.state = "ended"
            mandate.closed_at = ev.block_time

    # -------------------------------------------------------------- Royalties

    def _totals(self) -> db.RoyaltyTotals:
        row = self.get(db.RoyaltyTotals)
        if row is None:
            row = self.add(
                db.RoyaltyTotals,
                royalty_accumulator=0,
                centre_accumulator=0,
                contributor_carry=0,
                centre_carry=0,
                total_contributor_weight=0,
                fees_in=0,
                paid_to_fund=0,
                claimed=0,
            )
        return row

    def _account(self, account: str) -> db.Royalty:
        row = self.get(db.Royalty, account)
        if row is None:
            row = self.add(
                db.Royalty,
                account,
                contributor_weight=0,
                centre_weight=0,
                delegated_weight=0,
                contributor_checkpoint=0,
                centre_checkpoint=0,
                settled=0,
                claimed=0,
                accrued=0,
                claimable=0,
            )
        self._royalty_dirty.add(account)
        return row

    def _settle(self, row: db.Royalty, t: db.RoyaltyTotals) -> None:
        """Royalties._settle, exactly: one rounding down per settlement."""
        row.settled += db.earned(row, t) // db.PRECISION
        if row.contributor_weight:
            row.contributor_checkpoint = t.royalty_accumulator
        if row.centre_weight != row.delegated_weight:
            row.centre_checkpoint = t.centre_accumulator

    def on_Royalties_WeightChanged(self, ev: Ev) -> None:
        """A patent's weight moves: its contributor's; with a named centre other than the
        contributor, also the contributor's delegated weight and the centre's managed
        weight (a patent without one leaves the centre part with its contributor)."""
        a, t = ev.args, self._totals()
        delta = a["new_weight"] - a["old_weight"]
        row = self._account(a["contributor"])
        self._settle(row, t)
        row.contributor_checkpoint = t.royalty_accumulator
        row.contributor_weight += delta
        t.total_contributor_weight += delta
        if a["centre"] not in (ZERO, a["contributor"]):
            row.delegated_weight += delta
            row.centre_checkpoint = t.centre_accumulator
            centre = self._account(a["centre"])
            self._settle(centre, t)
            centre.centre_weight += delta
            centre.centre_checkpoint = t.centre_accumulator

    def on_Royalties_RoyaltyPaid(self, ev: Ev) -> None:
        """Royalties.pay's accumulators: both shares over the whole pool's weight."""
        a, t = ev.args, self._totals()
        total = t.total_contributor_weight
        if total:
            step = 0
            if a["to_contributors"]:
                scaled = a["to_contributors"] * db.PRECISION + t.contributor_carry
                step, t.contributor_carry = divmod(scaled, total)
            if a["to_centres"]:
                scaled = a["to_centres"] * db.PRECISION + t.centre_carry
                centre_step, t.centre_carry = divmod(scaled, total)
                t.centre_accumulator += centre_step
                step += centre_step
            t.royalty_accumulator += step
        t.fees_in += a["amount"]
        t.paid_to_fund += a["to_fund"]
        self._royalty_paid = True
        self.s.add(
            db.RoyaltyPayment(
                chain_id=self.chain_id,
                event_id=ev.event_id,
                payer=a["payer"],
                reference=a["reference"],
                amount=a["amount"],
                to_contributors=a["to_contributors"],
                to_centres=a["to_centres"],
                to_fund=a["to_fund"],
                block_number=ev.block_number,
                block_time=ev.block_time,
            )
        )

    def on_Royalties_Claimed(self, ev: Ev) -> None:
        t = self._totals()
        row = self._account(ev.args["account"])
        self._settle(row, t)
        row.settled -= ev.args["amount"]
        row.claimed += ev.args["amount"]
        t.claimed += ev.args["amount"]

    def on_Royalties_SplitSet(self, ev: Ev) -> None:
        s = self.settings()
        s.contributor_bps = ev.args["contributor_bps"]
        s.centre_bps = ev.args["centre_bps"]
        s.fund_bps = ev.args["fund_bps"]

    # -------------------------------------------------------------- Infringements

    def _case(self, ev: Ev, status: int | None = None, closed: bool = False) -> db.Case:
        row = self.need(db.Case, ev.args["case"])
        if status is not None:
            row.status = status
        if closed:
            row.closed_at = ev.block_time
        return row

    def _offer_ends(self, ev: Ev, status: str) -> db.CaseOffer:
        offer = self.need(db.CaseOffer, ev.args["offer"])
        offer.status = status
        offer.closed_at = ev.block_time
        case = self.need(db.Case, offer.case_id)
        case.offers_standing -= 1
        case.offered -= offer.amount
        return offer

    def on_Infringements_CaseFiled(self, ev: Ev) -> None:
        a = ev.args
        self.add(
            db.Case,
            a["case"],
            patent_id=a["patent"],
            centre=a["centre"],
            infringer=a["infringer"],
            accused=None if a["accused"] == ZERO else a["accused"],
            product=a["product"],
            evidence=a["evidence"],
            evidence_cid=_cid(a["evidence"]),
            bond=a["bond"],
            status=codes.CaseStatus.FILED,
            offers_standing=0,
            offered=0,
            filed_at=ev.block_time,
        )

    def on_Infringements_AccusedClaimed(self, ev: Ev) -> str:
        row = self._case(ev)
        row.accused = ev.args["accused"]
        return row.patent_id

    def on_Infringements_CaseAuthorised(self, ev: Ev) -> str:
        row = self._case(ev, codes.CaseStatus.AUTHORISED)
        row.authorised_by = ev.args["provider"]
        row.tenure = ev.args["tenure"]
        row.agreed_offer = None  # a new authorisation clears the provider's acceptance
        return row.patent_id

    def on_Infringements_CaseDeclined(self, ev: Ev) -> str:
        row = self._case(ev, codes.CaseStatus.DECLINED, closed=True)
        row.bond_returned = ev.args["bond_returned"]
        return row.patent_id

    def on_Infringements_SettlementOffered(self, ev: Ev) -> str:
        a = ev.args
        row = self._case(ev)
        self.add(
            db.CaseOffer,
            a["offer"],
            case_id=a["case"],
            offerer=a["offerer"],
            amount=a["amount"],
            status="standing",
            made_at=ev.block_time,
        )
        row.offers_standing += 1
        row.offered += a["amount"]
        return row.patent_id

    def on_Infringements_OfferAccepted(self, ev: Ev) -> str:
        row = self._case(ev)
        row.agreed_offer = ev.args["offer"]
        return row.patent_id

    def on_Infringements_OfferWithdrawn(self, ev: Ev) -> str:
        self._offer_ends(ev, "withdrawn")
        return self._case(ev).patent_id

    def on_Infringements_CaseSettled(self, ev: Ev) -> str:
        self._offer_ends(ev, "accepted")
        row = self._case(ev, codes.CaseStatus.SETTLED, closed=True)
        row.accepted_offer = ev.args["offer"]
        row.settlement = ev.args["settlement"]
        row.resolver = ev.args["resolver"]
        row.payer = ev.args["payer"]
        row.bond_returned = ev.args["bond_returned"]
        return row.patent_id

    def on_Infringements_CaseDismissed(self, ev: Ev) -> str:
        row = self._case(ev, codes.CaseStatus.DISMISSED, closed=True)
        row.resolver = ev.args["resolver"]
        row.bond_to = ev.args["bond_to"]
        row.bond_returned = 0
        return row.patent_id

    def on_Infringements_CaseWithdrawn(self, ev: Ev) -> str:
        row = self._case(ev, codes.CaseStatus.WITHDRAWN, closed=True)
        row.bond_to = ev.args["bond_to"]
        # dev: the bond returns only when the case lost its ground; else it is forfeited
        row.bond_returned = ev.args["bond"] if ev.args["bond_to"] == row.centre else 0
        return row.patent_id

    def on_Infringements_BondSet(self, ev: Ev) -> None:
        s = self.settings()
        s.case_bond = ev.args["bond"]
        s.dismissed_bond_to_accused = ev.args["dismissed_bond_to_accused"]

    # -------------------------------------------------------------- Channels

    def _channel(self, ev: Ev) -> db.Channel:
        row = self.need(db.Channel, ev.args["channel"])
        row.updated_at = ev.block_time
        return row

    def on_Channels_ChannelOpened(self, ev: Ev) -> None:
        a = ev.args
        self.add(
            db.Channel,
            a["channel"],
            payer=a["payer"],
            deposit=a["deposit"],
            status="open",
            opened_at=ev.block_time,
            updated_at=ev.block_time,
        )

    def on_Channels_ChannelToppedUp(self, ev: Ev) -> None:
        self._channel(ev).deposit = ev.args["deposit"]

    def on_Channels_ChannelClosing(self, ev: Ev) -> None:
        row = self._channel(ev)
        row.status = "closing"
        row.closer = ev.args["closer"]
        row.nonce = ev.args["nonce"]
        row.amount = ev.args["amount"]
        row.settle_after = ev.args["settle_after"]

    def on_Channels_ChannelUpdated(self, ev: Ev) -> None:
        row = self._channel(ev)
        row.nonce = ev.args["nonce"]
        row.amount = ev.args["amount"]

    def on_Channels_ChannelSettled(self, ev: Ev) -> None:
        row = self._channel(ev)
        row.status = "settled"
        row.to_hub = ev.args["to_hub"]
        row.to_payer = ev.args["to_payer"]

    def on_Channels_ChallengeWindowSet(self, ev: Ev) -> None:
        self.settings().challenge_window = ev.args["seconds"]

    # -------------------------------------------------------------- tokens

    def _transfer(self, ev: Ev) -> None:
        a, token = ev.args, ev.contract
        value = a["value"]
        supply_delta = 0
        if a["sender"] == ZERO:
            supply_delta += value
        else:
            row = self.get(db.TokenBalance, token, a["sender"])
            if row is None:
                raise ProjectionError(f"{token} transfer from {a['sender']} with no balance")
            row.balance = row.balance - value
        if a["receiver"] == ZERO:
            supply_delta -= value
        else:
            row = self.get(db.TokenBalance, token, a["receiver"])
            if row is None:
                self.add(db.TokenBalance, token, a["receiver"], balance=value)
            else:
                row.balance = row.balance + value
        if supply_delta:
            sup = self.get(db.TokenSupply, token)
            if sup is None:
                sup = self.add(db.TokenSupply, token, supply=0)
            sup.supply = sup.supply + supply_delta
            if token == "BPC":
                self._nav_mark(ev, supply_delta=supply_delta)

    def on_BPC_Transfer(self, ev: Ev) -> None:
        self._transfer(ev)

    def on_BPR_Transfer(self, ev: Ev) -> None:
        self._transfer(ev)


class ProjectionError(BpsaError):
    """Events that contradict each other (an indexing bug or a foreign contract)."""
