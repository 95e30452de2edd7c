# pragma version ~=0.4.3
"""
@title patent_licences
@notice Per-patent licences. A pooled patent's contributor lists terms (price,
        field of use, territory, duration), or an agent (its trusteeship
        centre, a trading team) under the contributor's per-patent-licence
        mandate (Exchange.grant_mandate, kind 3: a floor price and an expiry;
        the contributor revokes it at will); anyone buys one; a non-member pays
        the fund's surcharge on top. A listing belongs to the patent's tenure
        (PatentPool's `tenure_of`) it was made in: it ends when the patent
        changes hands or leaves the pool, and the patent's current contributor
        may withdraw any listing of its patent. The exchange records the
        exclusive licences it sells here, and while one runs no licence of its
        terms (patent, field of use, territory) is listed. Every listing names
        the agreement its licences are made under (the lister's own document,
        or the pool's standard per-patent agreement in force when it was
        listed), fixed for the listing's life; an exclusive licence carries the
        agreement its exchange listing named.
@dev A listing is four words and its strings: the patent, a word packing the
     lister, whether it is still listed, whether an agent listed it and the
     tenure it was made in, a word packing price and duration, and its
     agreement. A licence is one word (licensee, end, and its listing; an
     exclusive licence has no listing and keeps its start there, its patent in
     `exclusive_patent` and its agreement in `exclusive_agreement`).
     Within a tenure the patent's contributor never changes (PatentPool changes
     the tenure on every assignment and every new life), so a listing made by
     its contributor needs no second look at it when it sells.
"""

from interfaces import IExchange
from snekmate.auth import ownable
import agreements
import codes
import licence_fees

uses: ownable
uses: licence_fees
uses: agreements


struct Listing:
    patent: bytes32
    lister: address
    price: uint256
    duration: uint256
    field_of_use: String[64]
    territory: String[32]
    active: bool
    tenure: uint256
    agreement: bytes32


struct Licence:
    listing: uint256
    patent: bytes32
    licensee: address
    start: uint256
    end: uint256
    agreement: bytes32


# A listing as stored: `word` packs the lister (bits 0-159), whether it is still
# listed (bit 160), whether an agent listed it (bit 161: the lister was not the
# contributor) and the patent's tenure it was made in (bits 168-255); `sale` packs
# the price (bits 0-127) and the duration (bits 128-255); `agreement` is never
# written again once listed.
struct ListingRecord:
    patent: bytes32
    word: uint256
    sale: uint256
    agreement: bytes32
    field_of_use: String[64]
    territory: String[32]


DURATION_MAX: constant(uint256) = 50 * 365 * 86400
ADDRESS_MASK: constant(uint256) = 2**160 - 1
ACTIVE_BIT: constant(uint256) = 1 << 160
AGENT_BIT: constant(uint256) = 1 << 161
TENURE_SHIFT: constant(uint256) = 168
TENURE_MAX: constant(uint256) = 2**88 - 1
PRICE_MASK: constant(uint256) = 2**128 - 1
DURATION_SHIFT: constant(uint256) = 128
# A licence's word: the licensee (bits 0-159), its end (160-199) and its listing
# (200-254); an exclusive licence sets bit 255 and keeps its start at bit 200.
END_SHIFT: constant(uint256) = 160
TIME_MASK: constant(uint256) = 2**40 - 1
REF_SHIFT: constant(uint256) = 200
REF_MASK: constant(uint256) = 2**55 - 1
EXCLUSIVE_BIT: constant(uint256) = 1 << 255
# The two counters' word: listings (bits 0-127) and licences (128-255).
COUNT_MASK: constant(uint256) = 2**128 - 1
LICENCES_SHIFT: constant(uint256) = 128
# @dev The kind of Exchange mandate that lets an agent list a patent's per-patent licences.
MANDATE_PER_PATENT_LICENCE: constant(uint8) = 3

# Read a listing through `listings` (and `is_open`).
listing_records: HashMap[uint256, ListingRecord]
# Listings and licences made so far (ids count from 1); read through `listing_count`
# and `licence_count`.
counts: uint256
# Read a licence through `licences` (and `is_licensed`).
licence_records: HashMap[uint256, uint256]

# @notice The exchange that records exclusive licences (set by the council), or none.
exchange: public(address)
# @notice When the exclusive licence of `terms_key(patent, field, territory)` ends (0: none).
exclusive_ends: public(HashMap[bytes32, uint256])
# Listings not withdrawn, by terms key and the patent's tenure they were made in
# (`open_listings` reads the current tenure's), and the patent of each terms key.
open_count: HashMap[bytes32, HashMap[uint256, uint256]]
terms_patent: HashMap[bytes32, bytes32]
# @dev The patent of an exclusive licence, which has no listing here, and its agreement.
exclusive_patent: HashMap[uint256, bytes32]
exclusive_agreement: HashMap[uint256, bytes32]


event Listed:
    listing: indexed(uint256)
    patent: indexed(bytes32)
    lister: indexed(address)
    price: uint256
    duration: uint256
    field_of_use: String[64]
    territory: String[32]
    tenure: uint256
    agreement: bytes32


event Delisted:
    listing: indexed(uint256)
    by: indexed(address)


event LicenceBought:
    licence: indexed(uint256)
    listing: indexed(uint256)
    licensee: indexed(address)
    patent: bytes32
    price: uint256
    surcharge: uint256
    start: uint256
    end: uint256
    agreement: bytes32


# @notice An exclusive licence sold on the exchange: while it runs no per-patent
#         licence of the same terms (patent, field of use, territory) is listed or
#         recorded. The exchange's events carry the field and territory.
event ExclusiveLicenceRecorded:
    licence: indexed(uint256)
    patent: indexed(bytes32)
    licensee: indexed(address)
    terms: bytes32
    start: uint256
    end: uint256
    agreement: bytes32


event ExchangeSet:
    exchange: address


@external
def list_terms(
    patent: bytes32,
    price: uint256,
    duration: uint256,
    field_of_use: String[64],
    territory: String[32],
    agreement: bytes32 = empty(bytes32),
) -> uint256:
    """
    @notice Lists licence terms for a pooled patent, by its contributor, or by
            an agent holding the contributor's per-patent-licence mandate on the
            exchange (kind 3) at the mandate's floor price or more; the lister is
            an active member. The listing belongs to the patent's current tenure:
            it ends when the patent changes hands or leaves the pool; an agent's
            listing also stops selling when its mandate ends (revoked, expired)
            or its floor rises above the price. The contributor may withdraw any
            listing of its patent.
    @dev A trusteeship centre named at submission is not a mandate: a centre
         that could list alone would license the patent for 1 wei for 50 years
         to an accomplice before its owner could delist.
    @param patent The patent's id.
    @param price BPC (wei) per licence, paid into the royalty split.
    @param duration Seconds a licence lasts.
    @param field_of_use The field the licence covers (e.g. "payment terminals").
    @param territory Where it applies (e.g. "CN", "worldwide").
    @param agreement The digest of the licence agreement's CID; empty: the
           pool's standard per-patent agreement in force now (empty if the
           council set none). Fixed for the listing's life.
    @return The listing's id.
    """
    status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    tenure: uint256 = 0
    status, contributor, centre, tenure = staticcall licence_fees.POOL.ownership(patent)
    assert status == codes.PATENT_POOLED, "licensing: patent is not pooled"
    word: uint256 = convert(msg.sender, uint256) | ACTIVE_BIT
    if msg.sender != contributor:
        self._check_agent(patent, msg.sender, price)
        word |= AGENT_BIT
    assert staticcall licence_fees.ALLIANCE.is_active(msg.sender), "licensing: the lister is not an active member"
    assert price != 0 and price <= licence_fees.PRICE_MAX, "licensing: price must be 1 wei to 10^12 BPC"
    assert duration != 0 and duration <= DURATION_MAX, "licensing: duration must be 1 second to 50 years"
    assert tenure <= TENURE_MAX  # dev: PatentPool counts tenures one by one: 2^88 is never reached
    terms: bytes32 = self._terms_key(patent, field_of_use, territory)
    assert self.exclusive_ends[terms] <= block.timestamp, "licensing: an exclusive licence runs for these terms"
    self.open_count[terms][tenure] += 1
    self.terms_patent[terms] = patent
    counts: uint256 = self.counts + 1
    listing: uint256 = counts & COUNT_MASK
    assert listing <= REF_MASK  # dev: one a transaction: 2^55 listings are never made
    self.counts = counts
    document: bytes32 = agreement
    if document == empty(bytes32):
        document = agreements._current(agreements.KIND_PER_PATENT)
    self.listing_records[listing] = ListingRecord(
        patent=patent,
        word=word | (tenure << TENURE_SHIFT),
        sale=price | (duration << DURATION_SHIFT),
        agreement=document,
        field_of_use=field_of_use,
        territory=territory,
    )
    log Listed(
        listing=listing,
        patent=patent,
        lister=msg.sender,
        price=price,
        duration=duration,
        field_of_use=field_of_use,
        territory=territory,
        tenure=tenure,
        agreement=document,
    )
    return listing


@external
def delist(listing: uint256):
    """
    @notice Withdraws a listing: its lister, or the patent's current
            contributor (whoever listed it, in whichever tenure). Licences sold
            stay valid.
    @param listing The listing's id.
    """
    word: uint256 = self.listing_records[listing].word
    assert word & ACTIVE_BIT != 0, "licensing: no active listing"
    patent: bytes32 = self.listing_records[listing].patent
    if msg.sender != convert(word & ADDRESS_MASK, address):
        # dev: the pool is read only for someone other than the lister
        status: uint8 = 0
        contributor: address = empty(address)
        centre: address = empty(address)
        tenure: uint256 = 0
        status, contributor, centre, tenure = staticcall licence_fees.POOL.ownership(patent)
        assert msg.sender == contributor, "licensing: only the lister or the patent's contributor delists"
    self.listing_records[listing].word = word ^ ACTIVE_BIT
    terms: bytes32 = self._terms_key(
        patent, self.listing_records[listing].field_of_use, self.listing_records[listing].territory
    )
    # dev: counted under the tenure it was made in; a dead tenure's count is never read
    self.open_count[terms][word >> TENURE_SHIFT] -= 1
    log Delisted(listing=listing, by=msg.sender)


@external
def buy(listing: uint256) -> uint256:
    """
    @notice Buys a per-patent licence on a listing's terms. A member's price
            goes to the patent that earned it (its contributor, centre and the
            fund's share: Royalties.pay_for); a non-member's price and its
            surcharge go to the fund.
    @dev The caller approves this contract for price + surcharge first.
    @param listing The listing's id.
    @return The licence's id.
    """
    word: uint256 = self.listing_records[listing].word
    assert word & ACTIVE_BIT != 0, "licensing: no active listing"
    patent: bytes32 = self.listing_records[listing].patent
    tenure: uint256 = self._current_tenure(patent)
    assert tenure != max_value(uint256), "licensing: patent is no longer pooled"
    assert word >> TENURE_SHIFT == tenure, "licensing: the listing ended when the patent changed hands"
    sale: uint256 = self.listing_records[listing].sale
    price: uint256 = sale & PRICE_MASK
    if word & AGENT_BIT != 0:
        # dev: an agent's listing sells only while the owner's consent stands, at its floor
        self._check_agent(patent, convert(word & ADDRESS_MASK, address), price)
    member: bool = staticcall licence_fees.ALLIANCE.is_active(msg.sender)
    surcharge: uint256 = 0
    if not member:
        surcharge = licence_fees._surcharge_on(price)
    licence_fees._collect(msg.sender, member, price, surcharge, patent, convert(listing, bytes32))
    licence: uint256 = self._next_licence()
    end: uint256 = block.timestamp + (sale >> DURATION_SHIFT)
    self.licence_records[licence] = convert(msg.sender, uint256) | (end << END_SHIFT) | (listing << REF_SHIFT)
    log LicenceBought(
        licence=licence,
        listing=listing,
        licensee=msg.sender,
        patent=patent,
        price=price,
        surcharge=surcharge,
        start=block.timestamp,
        end=end,
        agreement=self.listing_records[listing].agreement,
    )
    return licence


@external
def set_exchange(exchange: address):
    """
    @notice Names the exchange that records exclusive licences (council only);
            the zero address stops them.
    @param exchange The Exchange contract.
    """
    ownable._check_owner()
    self.exchange = exchange
    log ExchangeSet(exchange=exchange)


@external
def record_exclusive(
    patent: bytes32, terms: bytes32, licensee: address, duration: uint256, agreement: bytes32
) -> uint256:
    """
    @notice Records an exclusive licence the exchange sold (the exchange only):
            a licence of `licensee` from now for `duration`, whose claims
            `verify_claim` accepts like any per-patent licence's.
    @dev Exclusivity is by exact terms: `terms` is `terms_key(patent, field,
         territory)`, and while the licence runs `list_terms` refuses those
         terms. It is recorded only when no listing of those terms is open
         here (`open_listings`: the patent's current tenure's; their listers or
         the contributor delist first) and no exclusive licence of them runs.
         Licences sold before it keep their term.
    @param patent The pooled patent's id (the exchange checked its state).
    @param terms The licence's terms key.
    @param licensee The buyer.
    @param duration Seconds the licence lasts.
    @param agreement The digest of the licence agreement's CID (the exchange
           listing's; not empty).
    @return The licence's id.
    """
    assert msg.sender == self.exchange, "licensing: only the exchange records exclusive licences"
    assert licensee != empty(address), "licensing: licensee is the zero address"
    assert duration != 0 and duration <= DURATION_MAX, "licensing: duration must be 1 second to 50 years"
    assert self._open_listings(terms) == 0, "licensing: per-patent listings of these terms are active"
    assert self.exclusive_ends[terms] <= block.timestamp, "licensing: an exclusive licence runs for these terms"
    end: uint256 = block.timestamp + duration
    self.exclusive_ends[terms] = end
    licence: uint256 = self._next_licence()
    self.licence_records[licence] = (
        convert(licensee, uint256) | (end << END_SHIFT) | (block.timestamp << REF_SHIFT) | EXCLUSIVE_BIT
    )
    assert agreement != empty(bytes32), "licensing: empty agreement digest"
    self.exclusive_patent[licence] = patent
    self.exclusive_agreement[licence] = agreement
    log ExclusiveLicenceRecorded(
        licence=licence,
        patent=patent,
        licensee=licensee,
        terms=terms,
        start=block.timestamp,
        end=end,
        agreement=agreement,
    )
    return licence


@view
@external
def listings(listing: uint256) -> Listing:
    """
    @notice A per-patent listing (all zero for an unknown id).
    @param listing The listing's id.
    @return Its patent, lister, price, duration, field of use, territory,
            whether it is still listed (not withdrawn), the patent's tenure
            it was made in and its agreement's digest. It sells only while
            `is_open`.
    """
    record: ListingRecord = self.listing_records[listing]
    return Listing(
        patent=record.patent,
        lister=convert(record.word & ADDRESS_MASK, address),
        price=record.sale & PRICE_MASK,
        duration=record.sale >> DURATION_SHIFT,
        field_of_use=record.field_of_use,
        territory=record.territory,
        active=record.word & ACTIVE_BIT != 0,
        tenure=record.word >> TENURE_SHIFT,
        agreement=record.agreement,
    )


@view
@external
def is_open(listing: uint256) -> bool:
    """
    @notice Whether a listing sells now: not withdrawn, its patent pooled and
            still in the tenure the listing was made in.
    @param listing The listing's id.
    @return True when `buy` would accept it (payment aside).
    """
    word: uint256 = self.listing_records[listing].word
    if word & ACTIVE_BIT == 0:
        return False
    return self._current_tenure(self.listing_records[listing].patent) == word >> TENURE_SHIFT


@view
@external
def open_listings(terms: bytes32) -> uint256:
    """
    @notice Listings that sell now of `terms_key(patent, field, territory)`:
            those of the patent's current tenure not withdrawn, none while the
            patent is out of the pool. The exchange reads it before selling an
            exclusive licence of those terms.
    @param terms The terms key.
    @return How many.
    """
    return self._open_listings(terms)


@pure
@external
def terms_key(patent: bytes32, field_of_use: String[64], territory: String[32]) -> bytes32:
    """
    @notice The key of a patent's licence terms, which exclusivity is checked by.
    @param patent The patent's id.
    @param field_of_use The field of use, exactly as listed.
    @param territory The territory, exactly as listed.
    @return keccak256(patent, keccak256(field_of_use), keccak256(territory)).
    """
    return self._terms_key(patent, field_of_use, territory)


@view
@external
def listing_count() -> uint256:
    """
    @notice Listings made so far; ids count from 1.
    """
    return self.counts & COUNT_MASK


@view
@external
def licence_count() -> uint256:
    """
    @notice Per-patent and exclusive licences sold so far; ids count from 1.
    """
    return self.counts >> LICENCES_SHIFT


@view
@external
def licences(licence: uint256) -> Licence:
    """
    @notice A per-patent licence: its listing, patent, licensee, start, end and
            the digest of the agreement it was made under (all zero for an
            unknown id; listing 0 for an exclusive licence sold on the exchange).
    """
    word: uint256 = self.licence_records[licence]
    end: uint256 = (word >> END_SHIFT) & TIME_MASK
    if word & EXCLUSIVE_BIT != 0:
        return Licence(
            listing=0,
            patent=self.exclusive_patent[licence],
            licensee=convert(word & ADDRESS_MASK, address),
            start=(word >> REF_SHIFT) & TIME_MASK,
            end=end,
            agreement=self.exclusive_agreement[licence],
        )
    listing: uint256 = (word >> REF_SHIFT) & REF_MASK
    # dev: a listing's duration never changes, so the licence started that long before its end
    return Licence(
        listing=listing,
        patent=self.listing_records[listing].patent,
        licensee=convert(word & ADDRESS_MASK, address),
        start=end - (self.listing_records[listing].sale >> DURATION_SHIFT),
        end=end,
        agreement=self.listing_records[listing].agreement,
    )


@view
@external
def is_licensed(licence: uint256) -> bool:
    """
    @notice Whether a per-patent licence is in its term.
    @param licence The licence's id.
    @return True from its start until its end.
    """
    return block.timestamp < (self.licence_records[licence] >> END_SHIFT) & TIME_MASK


@view
@internal
def _licence_of(licence: uint256) -> (address, uint256):
    """
    @dev A licence's licensee and end (both zero for an unknown id).
    """
    word: uint256 = self.licence_records[licence]
    return convert(word & ADDRESS_MASK, address), (word >> END_SHIFT) & TIME_MASK


@view
@internal
def _licence_covers(licence: uint256) -> uint256:
    """
    @dev 1 while a per-patent (or exclusive) licence's patent is pooled, else 0.
    """
    word: uint256 = self.licence_records[licence]
    patent: bytes32 = empty(bytes32)
    if word & EXCLUSIVE_BIT != 0:
        patent = self.exclusive_patent[licence]
    else:
        patent = self.listing_records[(word >> REF_SHIFT) & REF_MASK].patent
    if self._current_tenure(patent) == max_value(uint256):
        return 0
    return 1


@internal
def _next_licence() -> uint256:
    counts: uint256 = self.counts + (1 << LICENCES_SHIFT)
    self.counts = counts
    return counts >> LICENCES_SHIFT


@view
@internal
def _current_tenure(patent: bytes32) -> uint256:
    """
    @dev The patent's tenure while it is pooled; max_value(uint256), which no
         listing holds, while it is not.
    """
    return staticcall licence_fees.POOL.pooled_tenure(patent)


@view
@internal
def _open_listings(terms: bytes32) -> uint256:
    patent: bytes32 = self.terms_patent[terms]
    if patent == empty(bytes32):
        return 0  # dev: never listed
    tenure: uint256 = self._current_tenure(patent)
    if tenure == max_value(uint256):
        return 0
    return self.open_count[terms][tenure]


@view
@internal
def _check_agent(patent: bytes32, agent: address, price: uint256):
    """
    @dev Reverts unless `agent` holds the contributor's per-patent-licence
         mandate for `patent` on the exchange, in force now (not revoked or
         expired, given in the current tenure), at a floor `price` meets.
    """
    exchange: address = self.exchange
    assert exchange != empty(address), "licensing: only the patent's contributor or an agent it mandated lists terms"
    mandate: IExchange.Mandate = staticcall IExchange(exchange).mandate(patent, agent, MANDATE_PER_PATENT_LICENCE)
    assert mandate.in_force, "licensing: only the patent's contributor or an agent it mandated lists terms"
    assert price >= mandate.floor_price, "licensing: price below the mandate's floor"


@pure
@internal
def _terms_key(patent: bytes32, field_of_use: String[64], territory: String[32]) -> bytes32:
    return keccak256(abi_encode(patent, keccak256(field_of_use), keccak256(territory)))
