"""A pure-Python model of Licensing: BPR holdings, per-patent listings and licences,
per-device batches and licence claims, with the slices of Alliance (kinds, statuses, market
shares), PatentPool (which patents are pooled, by whom and with which centre), BPC and the
royalty ledger that Licensing reads or pays into.

No chain here: the state machine in `test_licensing_model.py` drives the contracts and this
model side by side and compares them. The model follows Licensing's NatSpec: a conversion
locks the member's tier price (its kind's, plus the market share times the large-enterprise
rate for a large enterprise) until the conversion's time plus the minimum term then in
force; a grant is free and only for an active non-profit; a release returns the lock after
the term; a revocation ends an expelled member's BPR. Every per-patent price and device fee
goes into the royalty split (`pool_model.RoyaltiesModel`, to the wei); a non-member's
surcharge goes to the fund. The device fee is computed per device band (free allowance, low
rate up to the volume break, high rate beyond) within the maker's licensing year
(timestamp // 365 days), capped by what is left of the annual cap; only an active member's
record has the free allowance, and a non-member pays the surcharge on top of the fee. A
batch licenses the devices its tree lists at positions below the count paid for, shown with
their path in a tree exactly as deep as a tree of that count.

Every operation returns the revert reason the chain must give (or None, having applied its
effects). A refused operation changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bpsa.core.codes import BPS, Kind, PatentStatus, Status
from bpsa.core.devices import DeviceTree, depth
from tests.stateful.pool_model import OWNER_REASON, ZERO_ADDRESS, RoyaltiesModel, TokenModel
from tests.stateful.records import OFF_CHAIN

YEAR = 365 * 86_400
TIER_MAX = 10**30
RATE_MAX = TIER_MAX // BPS
MIN_TERM_MAX = 10 * YEAR
DURATION_MAX = 50 * YEAR
BATCH_MAX = 10**9
DEVICE_RATE_MAX = 10**24
DEVICE_VOLUME_MAX = BATCH_MAX * 1_000
MARKET_SHARE_MAX = 10_000
REMOVAL_MAX = 4

NOT_ACTIVE = "licensing: not an active member"
HOLDS_BPR = "licensing: already holds a BPR"


@dataclass
class Member:
    kind: Kind
    status: Status = Status.ACTIVE
    share: int = 0  # basis points; set only for a large enterprise
    centre: bool = False  # holds the trusteeship-centre role


@dataclass(frozen=True)
class Holding:
    """A BPR holder's record, and what held when it was made (for the invariants)."""

    locked: int
    unlocks_at: int
    granted: bool
    price_then: int = 0  # the holder's quoted price when it converted
    since: int = 0


@dataclass
class PooledPatent:
    contributor: str
    centre: str
    score: int
    tenure: int = 1  # PatentPool's tenure_of: a new one with every change of hands
    status: PatentStatus = PatentStatus.POOLED


@dataclass
class Listing:
    patent: bytes
    lister: str
    price: int
    duration: int
    field_of_use: str
    territory: str
    active: bool
    tenure: int  # the patent's tenure it was made in: it sells only in that tenure
    agreement: bytes = bytes(32)  # no standard agreement is set in this model

    def terms(self) -> tuple[bytes, str, str]:
        return (self.patent, self.field_of_use, self.territory)


@dataclass(frozen=True)
class Licence:
    listing: int
    patent: bytes
    licensee: str
    start: int
    end: int
    agreement: bytes = bytes(32)  # its listing's


@dataclass(frozen=True)
class Batch:
    maker: str
    product: bytes
    root: bytes
    count: int
    registered_at: int
    serials: tuple[bytes, ...] = field(metadata=OFF_CHAIN)  # the devices the root commits to
    agreement: bytes = bytes(32)  # the device agreement in force (none in this model)


@dataclass(frozen=True)
class DeviceSchedule:
    free_per_year: int
    low_rate: int
    volume_break: int
    high_rate: int
    annual_cap: int


def _overlap(lo: int, hi: int, band_lo: int, band_hi: int | None) -> int:
    """How many of the devices numbered lo+1 .. hi fall in band_lo+1 .. band_hi."""
    top = hi if band_hi is None else min(hi, band_hi)
    return max(0, top - max(lo, band_lo))


def device_fee(s: DeviceSchedule, before: int, count: int, paid: int, member: bool = True) -> int:
    """The fee for a maker's devices before+1 .. before+count of one licensing year, having
    paid `paid` in that year: devices up to the allowance (an active member's only) are
    free, those up to the volume break (or the allowance, if the break lies below it) cost
    the low rate, the rest the high rate; a cap (0: none) limits the year's payments."""
    free = s.free_per_year if member else 0
    low_top = max(s.volume_break, free)
    after = before + count
    fee = _overlap(before, after, free, low_top) * s.low_rate
    fee += _overlap(before, after, low_top, None) * s.high_rate
    if s.annual_cap:
        fee = min(fee, max(s.annual_cap - paid, 0))
    return fee


@dataclass
class LicensingModel:
    now: int
    council: str
    licensing: str
    royalties_address: str
    fund: str
    members: dict[str, Member]
    patents: dict[bytes, PooledPatent]
    token: TokenModel
    royalties: RoyaltiesModel
    tiers: dict[int, int]
    large_enterprise_rate: int
    min_term: int
    surcharge_bps: int
    schedule: DeviceSchedule
    holdings: dict[str, Holding] = field(default_factory=dict)
    total_locked: int = 0
    conversions: int = 0  # net of releases and revocations, as the contract counts
    grants: int = 0
    # every event since the start, for the invariants
    converted: int = 0
    granted: int = 0
    released: int = 0
    revoked: int = 0
    listings: list[Listing] = field(default_factory=list)  # id = index + 1
    licences: list[Licence] = field(default_factory=list)
    batches: list[Batch] = field(default_factory=list)
    devices_in_year: dict[tuple[str, int], int] = field(default_factory=dict)
    paid_in_year: dict[tuple[str, int], int] = field(default_factory=dict)
    nonce_floor: dict[str, int] = field(default_factory=dict)
    fees_to_royalties: int = 0
    fees_to_fund: int = 0
    surcharges_to_fund: int = 0
    # what each path paid in, counted independently of the contract's own counters
    paid_by_buyers: int = 0
    paid_by_makers: int = 0
    surcharges_paid: int = 0

    # -- the alliance -------------------------------------------------------------------------

    def member(self, who: str) -> Member | None:
        return self.members.get(who)

    def is_active(self, who: str) -> bool:
        m = self.members.get(who)
        return m is not None and m.status == Status.ACTIVE

    def status_of(self, who: str) -> Status:
        m = self.members.get(who)
        return Status.NONE if m is None else m.status

    def kind_of(self, who: str) -> int:
        m = self.members.get(who)
        return 0 if m is None else int(m.kind)

    def _move(
        self, sender: str, who: str, was: tuple[Status, ...], to: Status, refused: str
    ) -> str | None:
        """The council moves `who` from a status in `was` to `to` (else `refused`)."""
        if sender != self.council:
            return OWNER_REASON
        if self.status_of(who) not in was:
            return refused
        self.members[who].status = to
        return None

    def suspend(self, sender: str, who: str) -> str | None:
        active = (Status.ACTIVE,)
        return self._move(sender, who, active, Status.SUSPENDED, "alliance: not an active member")

    def reinstate(self, sender: str, who: str) -> str | None:
        suspended = (Status.SUSPENDED,)
        return self._move(sender, who, suspended, Status.ACTIVE, "alliance: not a suspended member")

    def expel(self, sender: str, who: str) -> str | None:
        members = (Status.ACTIVE, Status.SUSPENDED)
        reason = self._move(sender, who, members, Status.EXPELLED, "alliance: not a member")
        if reason is None:
            self.members[who].centre = False  # expulsion clears every role
        return reason

    def revoke_centre_role(self, sender: str, who: str) -> str | None:
        if sender != self.council:
            return OWNER_REASON
        m = self.members.get(who)
        if m is None or not m.centre:
            return "alliance: role not held"
        m.centre = False
        return None

    def set_market_share(self, sender: str, who: str, share: int) -> str | None:
        if sender != self.council:
            return OWNER_REASON
        if self.status_of(who) not in (Status.ACTIVE, Status.SUSPENDED):
            return "alliance: not a member"
        if self.kind_of(who) != Kind.LARGE_ENTERPRISE:
            return "alliance: market share only for large enterprises"
        if share > MARKET_SHARE_MAX:
            return "alliance: market share above 10000 bps"
        self.members[who].share = share
        return None

    # -- the pool ------------------------------------------------------------------------------

    def is_pooled(self, pid: bytes) -> bool:
        p = self.patents.get(pid)
        return p is not None and p.status == PatentStatus.POOLED

    def remove_patent(self, sender: str, pid: bytes, code: int) -> str | None:
        """PatentPool.remove of a patent the module set-up pooled (or never submitted)."""
        if sender != self.council:
            return OWNER_REASON
        if not 1 <= code <= REMOVAL_MAX:
            return "pool: unknown removal reason"
        if not self.is_pooled(pid):
            return "pool: patent is not in the registry"
        p = self.patents[pid]
        p.status = PatentStatus.REMOVED
        self.royalties.change_weight(p.contributor, p.centre, p.score, 0)
        return None

    def assign(self, sender: str, exchange: str, pid: bytes, buyer: str) -> str | None:
        """PatentPool.assign (the exchange only): the buyer becomes the contributor, the
        centre's mandate ends, the royalty weight moves, and a new tenure begins."""
        if sender != exchange:
            return "pool: only the exchange assigns"
        if not self.is_pooled(pid):
            return "pool: patent is not pooled"
        p = self.patents[pid]
        if buyer == ZERO_ADDRESS:
            return "pool: buyer is the zero address"
        if buyer == p.contributor:
            return "pool: buyer already holds the patent"
        self.royalties.change_weight(p.contributor, p.centre, p.score, 0)
        self.royalties.change_weight(buyer, ZERO_ADDRESS, 0, p.score)
        p.contributor, p.centre, p.tenure = buyer, ZERO_ADDRESS, p.tenure + 1
        return None

    # -- tiers and BPR -------------------------------------------------------------------------

    def quote(self, who: str) -> int:
        """The price of the member's kind (and share): `_price_of`, membership aside."""
        kind = self.kind_of(who)
        price = self.tiers.get(kind, 0)
        if kind == Kind.LARGE_ENTERPRISE and price != 0:
            price += self.members[who].share * self.large_enterprise_rate
        return price

    def price_of(self, who: str) -> int:
        return self.quote(who) if self.is_active(who) else 0

    def holds_bpr(self, who: str) -> bool:
        return who in self.holdings

    def locked(self, who: str) -> int:
        h = self.holdings.get(who)
        return 0 if h is None else h.locked

    def unlocks_at(self, who: str) -> int:
        h = self.holdings.get(who)
        return 0 if h is None else h.unlocks_at

    def is_granted(self, who: str) -> bool:
        h = self.holdings.get(who)
        return h is not None and h.granted

    def _owner(self, sender: str) -> str | None:
        return None if sender == self.council else OWNER_REASON

    def _set_at_most(
        self, sender: str, setting: str, value: int, most: int, too_high: str
    ) -> str | None:
        """The council sets `setting` to `value`, at most `most` (else `too_high`)."""
        if reason := self._owner(sender):
            return reason
        if value > most:
            return too_high
        setattr(self, setting, value)
        return None

    def set_tier(self, sender: str, kind: int, price: int) -> str | None:
        reason = self._owner(sender)
        if reason:
            return reason
        if not Kind.NON_PROFIT <= kind <= Kind.INDIVIDUAL:
            return "licensing: unknown member kind"
        if price > TIER_MAX:
            return "licensing: price above 10^12 BPC"
        self.tiers[kind] = price
        return None

    def set_large_enterprise_rate(self, sender: str, rate: int) -> str | None:
        too_high = "licensing: rate above 10^12 BPC at full share"
        return self._set_at_most(sender, "large_enterprise_rate", rate, RATE_MAX, too_high)

    def set_min_term(self, sender: str, term: int) -> str | None:
        too_high = "licensing: minimum term above ten years"
        return self._set_at_most(sender, "min_term", term, MIN_TERM_MAX, too_high)

    def convert(self, sender: str) -> tuple[str | None, int]:
        if not self.is_active(sender):
            return NOT_ACTIVE, 0
        if self.holds_bpr(sender):
            return HOLDS_BPR, 0
        price = self.quote(sender)
        if price == 0:
            return "licensing: no tier price for this member kind", 0
        reason = self.token.transfer_from(self.licensing, sender, self.licensing, price)
        if reason:
            return reason, 0
        self.holdings[sender] = Holding(
            locked=price,
            unlocks_at=self.now + self.min_term,
            granted=False,
            price_then=price,
            since=self.now,
        )
        self.total_locked += price
        self.conversions += 1
        self.converted += 1
        return None, price

    def _end(self, holder: str) -> int:
        h = self.holdings.pop(holder)
        if h.granted:
            self.grants -= 1
        else:
            self.conversions -= 1
        self.total_locked -= h.locked
        if h.locked:
            assert self.token.transfer(self.licensing, holder, h.locked) is None
        return h.locked

    def release(self, sender: str) -> tuple[str | None, int]:
        h = self.holdings.get(sender)
        if h is None or h.locked == 0:
            return "licensing: no converted BPR to release", 0
        if self.now < h.unlocks_at:
            return "licensing: minimum term not over", 0
        self.released += 1
        return None, self._end(sender)

    def grant(self, sender: str, who: str) -> str | None:
        reason = self._owner(sender)
        if reason:
            return reason
        if not self.is_active(who):
            return NOT_ACTIVE
        if self.kind_of(who) != Kind.NON_PROFIT:
            return "licensing: only non-profits receive a free BPR"
        if self.holds_bpr(who):
            return HOLDS_BPR
        self.holdings[who] = Holding(locked=0, unlocks_at=0, granted=True, since=self.now)
        self.grants += 1
        self.granted += 1
        return None

    def revoke(self, sender: str, holder: str) -> tuple[str | None, int]:
        reason = self._owner(sender)
        if reason:
            return reason, 0
        if self.status_of(holder) != Status.EXPELLED:
            return "licensing: only an expelled member's BPR is revoked", 0
        if not self.holds_bpr(holder):
            return "licensing: holds no BPR", 0
        self.revoked += 1
        return None, self._end(holder)

    # -- fees ----------------------------------------------------------------------------------

    def _collect(
        self, payer: str, amount: int, surcharge: int, patent: bytes | None = None
    ) -> str | None:
        """Licensing takes amount + surcharge from the payer. A member's `amount` goes into
        Royalties (which pulls it under Licensing's unlimited approval and sends the fund its
        share): to `patent` alone (pay_for), or over the whole pool when None. A
        non-member's amount and surcharge go to the fund in full."""
        reason = self.token.transfer_from(self.licensing, payer, self.licensing, amount + surcharge)
        if reason:
            return reason
        if not self.is_active(payer):
            assert self.token.transfer(self.licensing, self.fund, amount + surcharge) is None
            self.fees_to_fund += amount
            self.surcharges_to_fund += surcharge
            return None
        pulled = self.token.transfer_from(
            self.royalties_address, self.licensing, self.royalties_address, amount
        )
        assert pulled is None, "the model's Licensing cannot pay Royalties"
        if patent is None:
            _, _, to_fund = self.royalties.book_fee(amount)
        else:
            pooled = self.patents[patent]
            _, _, to_fund = self.royalties.book_patent_fee(
                amount, pooled.contributor, pooled.centre
            )
        if to_fund:
            assert self.token.transfer(self.royalties_address, self.fund, to_fund) is None
        self.fees_to_royalties += amount
        return None

    def set_surcharge(self, sender: str, bps: int) -> str | None:
        too_high = "licensing: surcharge above 10,000 bps"
        return self._set_at_most(sender, "surcharge_bps", bps, BPS, too_high)

    # -- per-patent licences -------------------------------------------------------------------

    def listing(self, listing_id: int) -> Listing | None:
        return self.listings[listing_id - 1] if 1 <= listing_id <= len(self.listings) else None

    def licence(self, licence_id: int) -> Licence | None:
        return self.licences[licence_id - 1] if 1 <= licence_id <= len(self.licences) else None

    def list_terms(
        self,
        sender: str,
        pid: bytes,
        price: int,
        duration: int,
        field_of_use: str,
        territory: str,
    ) -> tuple[str | None, int]:
        if not self.is_pooled(pid):
            return "licensing: patent is not pooled", 0
        p = self.patents[pid]
        if sender != p.contributor:
            # the machine names no exchange in Licensing, so no agent holds a mandate
            return "licensing: only the patent's contributor or an agent it mandated lists terms", 0
        if not self.is_active(sender):
            return "licensing: the lister is not an active member", 0
        if not 0 < price <= TIER_MAX:
            return "licensing: price must be 1 wei to 10^12 BPC", 0
        if not 0 < duration <= DURATION_MAX:
            return "licensing: duration must be 1 second to 50 years", 0
        listing = Listing(
            pid, sender, price, duration, field_of_use, territory, active=True, tenure=p.tenure
        )
        self.listings.append(listing)
        return None, len(self.listings)

    def delist(self, sender: str, listing_id: int) -> str | None:
        """The lister, or the patent's current contributor, withdraws a listing."""
        listing = self.listing(listing_id)
        if listing is None or not listing.active:
            return "licensing: no active listing"
        if sender not in (listing.lister, self.patents[listing.patent].contributor):
            return "licensing: only the lister or the patent's contributor delists"
        listing.active = False
        return None

    def is_open(self, listing_id: int) -> bool:
        """A listing sells while listed, its patent pooled and in the listing's tenure."""
        listing = self.listing(listing_id)
        if listing is None or not listing.active or not self.is_pooled(listing.patent):
            return False
        return listing.tenure == self.patents[listing.patent].tenure

    def open_listings(self, terms: tuple[bytes, str, str]) -> int:
        return sum(
            1 for i, x in enumerate(self.listings, 1) if x.terms() == terms and self.is_open(i)
        )

    def surcharge_for(self, buyer: str, price: int) -> int:
        return 0 if self.is_active(buyer) else price * self.surcharge_bps // BPS

    def buy(self, sender: str, listing_id: int) -> tuple[str | None, int, int]:
        """(reason, licence id, surcharge)."""
        listing = self.listing(listing_id)
        if listing is None or not listing.active:
            return "licensing: no active listing", 0, 0
        if not self.is_pooled(listing.patent):
            return "licensing: patent is no longer pooled", 0, 0
        if listing.tenure != self.patents[listing.patent].tenure:
            return "licensing: the listing ended when the patent changed hands", 0, 0
        surcharge = self.surcharge_for(sender, listing.price)
        reason = self._collect(sender, listing.price, surcharge, listing.patent)
        if reason:
            return reason, 0, 0
        self.paid_by_buyers += listing.price
        self.surcharges_paid += surcharge
        self.licences.append(
            Licence(listing_id, listing.patent, sender, self.now, self.now + listing.duration)
        )
        return None, len(self.licences), surcharge

    def is_licensed(self, licence_id: int) -> bool:
        licence = self.licence(licence_id)
        return self.now < (0 if licence is None else licence.end)

    # -- per-device licences -------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.now // YEAR

    def set_device_schedule(self, sender: str, s: DeviceSchedule) -> str | None:
        reason = self._owner(sender)
        if reason:
            return reason
        if s.low_rate > DEVICE_RATE_MAX or s.high_rate > DEVICE_RATE_MAX:
            return "licensing: device rate above 10^6 BPC"
        if s.free_per_year > DEVICE_VOLUME_MAX or s.volume_break > DEVICE_VOLUME_MAX:
            return "licensing: device volume above 10^12"
        self.schedule = s
        return None

    def _fee_and_surcharge(self, maker: str, count: int) -> tuple[int, int]:
        key, member = (maker, self.year), self.is_active(maker)
        before, paid = self.devices_in_year.get(key, 0), self.paid_in_year.get(key, 0)
        fee = device_fee(self.schedule, before, count, paid, member)
        return fee, 0 if member else fee * self.surcharge_bps // BPS

    def device_fee(self, maker: str, count: int) -> int:
        """What the maker pays: the fee and a non-member's surcharge."""
        return sum(self._fee_and_surcharge(maker, count))

    def register_batch(
        self, sender: str, product: bytes, serials: tuple[bytes, ...], root: bytes, count: int
    ) -> tuple[str | None, int, int, int]:
        """(reason, batch id, fee, surcharge); `root` is the serials' root, or a forged
        empty one."""
        if product == bytes(32):
            return "licensing: empty product id", 0, 0, 0
        if root == bytes(32):
            return "licensing: empty root", 0, 0, 0
        if not 0 < count <= BATCH_MAX:
            return "licensing: count must be 1 to 10^9", 0, 0, 0
        fee, surcharge = self._fee_and_surcharge(sender, count)
        if fee:
            reason = self._collect(sender, fee, surcharge)
            if reason:
                return reason, 0, 0, 0
            key = (sender, self.year)
            self.paid_in_year[key] = self.paid_in_year.get(key, 0) + fee
            self.paid_by_makers += fee
            self.surcharges_paid += surcharge
        key = (sender, self.year)
        self.devices_in_year[key] = self.devices_in_year.get(key, 0) + count
        self.batches.append(Batch(sender, product, root, count, self.now, serials))
        return None, len(self.batches), fee, surcharge

    def batch(self, batch_id: int) -> Batch | None:
        return self.batches[batch_id - 1] if 1 <= batch_id <= len(self.batches) else None

    def verify_device(self, batch_id: int, index: int, serial: bytes, proof: list[bytes]) -> bool:
        """A device is licensed by a batch whose tree lists it at `index`, below the count
        paid for, shown with its path in that tree, when the tree is exactly as deep as a
        tree of the count (a deeper or shallower proof never holds)."""
        b = self.batch(batch_id)
        if b is None or not 0 <= index < min(b.count, len(b.serials)):
            return False
        if b.serials[index] != serial or depth(len(b.serials)) != depth(b.count):
            return False
        return proof == DeviceTree(b.serials).proof(serial)

    # -- licence claims ------------------------------------------------------------------------

    def cancel_claims(self, sender: str, below: int) -> str | None:
        if below <= self.nonce_floor.get(sender, 0):
            return "licensing: the nonce floor only rises"
        self.nonce_floor[sender] = below
        return None

    def pooled_count(self) -> int:
        return sum(1 for pid in self.patents if self.is_pooled(pid))

    def claim_covers(
        self, holder: str, licence_id: int, expiry: int, nonce: int, signed_by_holder: bool
    ) -> int:
        """How many pooled patents a claim licenses now (0: it does not hold). It holds
        when unexpired, not cancelled, its licence in force and held by its holder, and
        signed by the holder for this chain and contract (a well-formed, low-s signature),
        and its licence covers a pooled patent: a BPR of an active member covers every
        pooled patent, a per-patent licence its own while that is pooled."""
        if self.now >= expiry or nonce < self.nonce_floor.get(holder, 0):
            return 0
        if not signed_by_holder:
            return 0
        if licence_id == 0:
            if not self.holds_bpr(holder) or not self.is_active(holder):
                return 0
            return self.pooled_count()
        licence = self.licence(licence_id)
        if licence is None or licence.licensee != holder or not self.is_licensed(licence_id):
            return 0
        return 1 if self.is_pooled(licence.patent) else 0
