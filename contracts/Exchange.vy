# pragma version ~=0.4.3
"""
@title Exchange
@notice The whitepaper's "three-in-one" patent trade: fixed-price listings of a
        pooled patent's assignment or of an exclusive licence of it, each
        settled in one transaction that moves the payment (BPC from the
        buyer), the registry's record (PatentPool's contributor of record, or
        Licensing's licence record, whose claims the licensee then signs) and
        the royalty split: an assignment pays the pool's share of the price
        over the whole pool and the rest to the seller; an exclusive
        licence's whole price goes to the licensed patent (Royalties.pay_for:
        its contributor, who is the seller, less its centre's and the fund's
        shares). Nothing is sold or exclusively licensed without
        the contributor of record's consent: it lists the patent itself, or
        gives an agent (its trusteeship centre, a trading team) a mandate for
        one kind of trade with a floor price and an expiry, which it revokes at
        will and which ends when the patent changes hands or starts a new life.
        Listers are active members; the council lists the fund's patents; the
        lister, the contributor of record or the council cancels; anyone who
        may hold the right buys, and the council buys for the fund through a
        proposal.
@dev The seller is always the patent's contributor of record when it was
     listed; an agent only lists for it. A listing and a mandate record the
     patent's tenure (PatentPool.tenure_of: it changes on every assignment and
     every new life, never returning to an old value) and end with it. A
     purchase re-reads the patent: still pooled, its certificate still holding,
     the same tenure, and, for an agent's listing, the mandate still in force
     at a floor the price meets. One open listing per patent (one from an
     ended tenure no longer counts). Assignments: PatentPool.assign (usage
     rights cannot be assigned). Exclusive licences: Licensing.record_exclusive,
     exclusive by exact terms (patent, field of use, territory), see there,
     made under the agreement document the listing names (fixed once listed).
     A listing is three or five storage words: its patent, a word packing
     lister | kind | state | duration | tenure, a word packing seller | price,
     and an exclusive licence's terms key and agreement; the field and
     territory live in the Listed event. A mandate is one word: floor price | expiry | tenure.
@custom:security Open infringement cases are not checked: Infringements keys
                 them by (patent, infringer, product), with no per-patent count.
"""

from interfaces import IAlliance
from interfaces import IBPC
from interfaces import IExchange
from interfaces import ILicensing
from interfaces import IPatentPool
from interfaces import IRoyaltyPayee
from snekmate.auth import ownable
import codes

implements: IExchange

initializes: ownable

exports: (ownable.owner, ownable.transfer_ownership)


struct Listing:
    patent: bytes32
    kind: uint8
    state: uint8
    lister: address
    seller: address
    price: uint256
    duration: uint256
    terms: bytes32
    tenure: uint256
    agreement: bytes32


KIND_ASSIGNMENT: constant(uint8) = 1
KIND_EXCLUSIVE_LICENCE: constant(uint8) = 2
# @dev A mandate only: Licensing lets its agent list the patent's per-patent licences.
KIND_PER_PATENT_LICENCE: constant(uint8) = 3

STATE_NONE: constant(uint8) = 0
STATE_OPEN: constant(uint8) = 1
STATE_SOLD: constant(uint8) = 2
STATE_CANCELLED: constant(uint8) = 3

# @dev A price fits 96 bits beside the seller's address: 10^28 wei is 10^10 BPC.
PRICE_MAX: constant(uint256) = 10**28
DURATION_MAX: constant(uint256) = 50 * 365 * 86400
ADDRESS_MASK: constant(uint256) = 2**160 - 1
# @dev 40 bits: a duration (at most 50 years), a mandate's expiry (to the year 36812) and a
#      listing's tenure (a patent changing hands 10^12 times is not listed again).
FORTY_BITS: constant(uint256) = 2**40 - 1
# Bit offsets of the packed words: lister | kind << 160 | state << 168 | duration << 176
# | tenure << 216, and seller | price << 160.
KIND_SHIFT: constant(uint256) = 160
STATE_SHIFT: constant(uint256) = 168
DURATION_SHIFT: constant(uint256) = 176
TENURE_SHIFT: constant(uint256) = 216
PRICE_SHIFT: constant(uint256) = 160
# A mandate's word: floor price | expiry << 96 | tenure << 136.
PRICE_MASK: constant(uint256) = 2**96 - 1
EXPIRY_SHIFT: constant(uint256) = 96
MANDATE_TENURE_SHIFT: constant(uint256) = 136
# @dev A mandate's tenure fits the 120 bits above its expiry.
MANDATE_TENURE_MAX: constant(uint256) = 2**120 - 1

ALLIANCE: public(immutable(IAlliance))
BPC: public(immutable(IBPC))
POOL: public(immutable(IPatentPool))
LICENSING: public(immutable(ILicensing))
ROYALTIES: public(immutable(IRoyaltyPayee))
FUND: public(immutable(address))

# @notice The pool's share of every price, in basis points, paid into Royalties.
pool_share_bps: public(uint256)
# @notice Listings made so far; ids count from 1.
listing_count: public(uint256)
# @notice A patent's open listing, or 0.
open_listing: public(HashMap[bytes32, uint256])

# A listing in three or four words; read it through `listings`.
listing_patent: HashMap[uint256, bytes32]
# @dev lister | kind << KIND_SHIFT | state << STATE_SHIFT | duration << DURATION_SHIFT
listing_word: HashMap[uint256, uint256]
# @dev seller | price << PRICE_SHIFT
listing_sale: HashMap[uint256, uint256]
# @dev An exclusive licence's Licensing.terms_key and agreement digest (empty for an assignment).
listing_terms: HashMap[uint256, bytes32]
listing_agreement: HashMap[uint256, bytes32]

# @dev keccak256(patent, agent, kind) -> floor price | expiry << 96 | tenure << 136, or 0;
#      read it through `mandate`.
mandates: HashMap[bytes32, uint256]


event Listed:
    listing: indexed(uint256)
    patent: indexed(bytes32)
    lister: indexed(address)
    kind: uint8
    seller: address
    price: uint256
    duration: uint256
    field_of_use: String[64]
    territory: String[32]
    terms: bytes32
    tenure: uint256
    agreement: bytes32


# @notice The contributor of record lets `agent` list one kind of trade of its patent
#         at `floor_price` or more until `expiry`, during the patent's `tenure`.
event MandateGranted:
    patent: indexed(bytes32)
    contributor: indexed(address)
    agent: indexed(address)
    kind: uint8
    floor_price: uint256
    expiry: uint256
    tenure: uint256


# @notice by: the contributor of record (or the agent, renouncing it).
event MandateRevoked:
    patent: indexed(bytes32)
    agent: indexed(address)
    kind: uint8
    by: address


event Cancelled:
    listing: indexed(uint256)
    patent: indexed(bytes32)
    by: address


# @notice licence: Licensing's licence id of an exclusive licence, 0 for an assignment.
event Sold:
    listing: indexed(uint256)
    patent: indexed(bytes32)
    buyer: indexed(address)
    kind: uint8
    seller: address
    price: uint256
    to_royalties: uint256
    to_seller: uint256
    licence: uint256


event PoolShareSet:
    pool_share_bps: uint256


@deploy
def __init__(
    alliance: IAlliance,
    bpc: IBPC,
    pool: IPatentPool,
    licensing: ILicensing,
    royalties: IRoyaltyPayee,
    fund: address,
    council: address,
    pool_share_bps: uint256,
):
    """
    @notice Deploys the exchange of one collection. The council then names it in
            PatentPool.set_exchange and Licensing.set_exchange.
    @param alliance The members and roles.
    @param bpc The collection's token, the currency of every price.
    @param pool The PatentPool whose contributor of record an assignment changes.
    @param licensing The Licensing that records exclusive licences.
    @param royalties The royalty ledger that takes the pool's share.
    @param fund The foundation's fund (a buyer through the council's proposals).
    @param council The council's Governance contract (owner).
    @param pool_share_bps The pool's share of every price, 0 to 10,000.
    """
    assert council != empty(address), "exchange: council is the zero address"
    assert fund != empty(address), "exchange: fund is the zero address"
    ownable.__init__()
    ownable._transfer_ownership(council)
    ALLIANCE = alliance
    BPC = bpc
    POOL = pool
    LICENSING = licensing
    ROYALTIES = royalties
    FUND = fund
    # dev: the pool's share reaches Royalties.pay, which pulls it from this contract
    extcall bpc.approve(royalties.address, max_value(uint256))
    self._set_pool_share(pool_share_bps)


@external
def set_pool_share(pool_share_bps: uint256):
    """
    @notice Sets the pool's share of later sales (council only); open listings
            settle at the share in force when they are bought.
    @param pool_share_bps Basis points, 0 to 10,000.
    """
    ownable._check_owner()
    self._set_pool_share(pool_share_bps)


@external
def list_assignment(patent: bytes32, price: uint256) -> uint256:
    """
    @notice Lists the assignment of a pooled patent at a fixed price: the buyer
            becomes its contributor of record. By its contributor of record,
            an agent holding its assignment mandate (at the mandate's floor
            or more), or the council for the fund's patents.
    @param patent The patent's id.
    @param price BPC (wei).
    @return The listing's id.
    """
    seller: address = empty(address)
    tenure: uint256 = 0
    seller, tenure = self._check_sellable(patent, KIND_ASSIGNMENT, price)
    return self._list(patent, KIND_ASSIGNMENT, seller, price, 0, "", "", empty(bytes32), tenure, empty(bytes32))


@external
def list_exclusive(
    patent: bytes32,
    price: uint256,
    duration: uint256,
    field_of_use: String[64],
    territory: String[32],
    agreement: bytes32,
) -> uint256:
    """
    @notice Lists an exclusive licence of a pooled patent at a fixed price, on
            Licensing's terms: a field of use and a territory, for `duration`
            from its purchase. By its contributor of record, an agent holding
            its exclusive-licence mandate (at the mandate's floor or more), or
            the council for the fund's patents. No per-patent listing of the
            same terms may be active in Licensing (delist them first) and no
            exclusive licence of them may run.
    @param patent The patent's id.
    @param price BPC (wei).
    @param duration Seconds the licence lasts from its purchase.
    @param field_of_use The field it covers (e.g. "payment terminals").
    @param territory Where it applies (e.g. "CN", "worldwide").
    @param agreement The digest of the licence agreement's CID (bpsa.core.cid):
           the licensee's licence is made under it. Required; fixed once listed.
    @return The listing's id.
    """
    seller: address = empty(address)
    tenure: uint256 = 0
    seller, tenure = self._check_sellable(patent, KIND_EXCLUSIVE_LICENCE, price)
    assert duration != 0 and duration <= DURATION_MAX, "exchange: duration must be 1 second to 50 years"
    assert agreement != empty(bytes32), "exchange: an exclusive licence needs its agreement's digest"
    terms: bytes32 = keccak256(abi_encode(patent, keccak256(field_of_use), keccak256(territory)))
    self._check_terms_free(terms)
    return self._list(
        patent, KIND_EXCLUSIVE_LICENCE, seller, price, duration, field_of_use, territory, terms, tenure, agreement
    )


@external
def grant_mandate(patent: bytes32, agent: address, kind: uint8, floor_price: uint256, expiry: uint256):
    """
    @notice Lets `agent` list one kind of trade of the caller's patent (the
            caller is its contributor of record and an active member) at
            `floor_price` or more until `expiry`. The mandate ends when the
            patent changes hands or starts a new life, and the caller revokes
            it at will; a listing made under it is checked again at purchase.
            Granting again replaces the agent's mandate of that kind.
    @dev An on-chain call rather than a signed message: the mandate must be
         read again at every purchase anyway, a revocation must be on chain to
         bind, and a call leaves no signed mandate to replay or leak.
    @param patent The patent's id.
    @param agent The member who may list (a trusteeship centre, a trading team).
    @param kind 1 (assignment), 2 (exclusive licence) or 3 (per-patent
           licences, listed in Licensing).
    @param floor_price The lowest price the agent may list at, BPC (wei).
    @param expiry When the mandate ends, unix seconds.
    """
    status: uint8 = 0
    source: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    lapse: uint8 = 0
    tenure: uint256 = 0
    status, source, contributor, centre, lapse, tenure = staticcall POOL.ownership_and_lapse(patent)
    assert contributor != empty(address) and msg.sender == contributor, "exchange: only the patent's contributor gives a mandate"
    assert staticcall ALLIANCE.is_active(msg.sender), "exchange: the contributor is not an active member"
    assert kind >= KIND_ASSIGNMENT and kind <= KIND_PER_PATENT_LICENCE, "exchange: unknown kind of trade"
    assert agent != empty(address) and agent != msg.sender, "exchange: the agent must be another address"
    assert floor_price != 0 and floor_price <= PRICE_MAX, "exchange: floor price must be 1 wei to 10^10 BPC"
    assert expiry > block.timestamp and expiry <= FORTY_BITS, "exchange: expiry must be in the future"
    assert tenure <= MANDATE_TENURE_MAX  # dev: a tenure moves by one per assignment or new life
    self.mandates[self._mandate_key(patent, agent, kind)] = (
        floor_price | (expiry << EXPIRY_SHIFT) | (tenure << MANDATE_TENURE_SHIFT)
    )
    log MandateGranted(
        patent=patent, contributor=msg.sender, agent=agent, kind=kind, floor_price=floor_price, expiry=expiry, tenure=tenure
    )


@external
def revoke_mandate(patent: bytes32, agent: address, kind: uint8):
    """
    @notice Ends `agent`'s mandate of `kind` for `patent` (the patent's
            contributor of record, or the agent renouncing it) and cancels the
            open listing the agent made under it.
    @param patent The patent's id.
    @param agent The mandated agent.
    @param kind 1 (assignment), 2 (exclusive licence) or 3 (per-patent licences).
    """
    key: bytes32 = self._mandate_key(patent, agent, kind)
    assert self.mandates[key] != 0, "exchange: no such mandate"
    if msg.sender != agent:
        assert msg.sender == self._contributor_of(patent), "exchange: only the patent's contributor or the agent revokes a mandate"
    self.mandates[key] = 0
    log MandateRevoked(patent=patent, agent=agent, kind=kind, by=msg.sender)
    listing: uint256 = self.open_listing[patent]
    if listing != 0:
        word: uint256 = self.listing_word[listing]
        if convert(word & ADDRESS_MASK, address) == agent and self._kind_of(word) == kind:
            self._cancel(listing, word, patent)


@external
def cancel(listing: uint256):
    """
    @notice Cancels an open listing: its lister, the patent's contributor of
            record (whoever listed it) or the council.
    @param listing The listing's id.
    """
    word: uint256 = self.listing_word[listing]
    assert self._state_of(word) == STATE_OPEN, "exchange: no open listing"
    patent: bytes32 = self.listing_patent[listing]
    if msg.sender != convert(word & ADDRESS_MASK, address) and msg.sender != ownable.owner:
        assert msg.sender == self._contributor_of(patent), "exchange: only the lister, the patent's contributor or the council cancels"
    self._cancel(listing, word, patent)


@external
def buy(listing: uint256) -> uint256:
    """
    @notice Buys an open listing for the caller, in one transaction: the price
            from the caller (approve this contract for it first), the pool's
            share into Royalties and the rest to the seller, and the registry's
            record: the caller becomes the patent's contributor of record (an
            assignment: the caller must be a provider) or holds the exclusive
            licence (the caller must be an active member).
    @param listing The listing's id.
    @return Licensing's licence id of an exclusive licence, 0 for an assignment.
    """
    return self._buy(listing, msg.sender)


@external
def buy_for_fund(listing: uint256) -> uint256:
    """
    @notice Buys an open listing for the fund (council only, by a proposal whose
            earlier call is Fund.approve(BPC, this contract, price)): the fund
            pays and becomes the patent's contributor of record (its source:
            purchased) or holds the exclusive licence.
    @param listing The listing's id.
    @return Licensing's licence id of an exclusive licence, 0 for an assignment.
    """
    ownable._check_owner()
    return self._buy(listing, FUND)


@view
@external
def listings(listing: uint256) -> Listing:
    """
    @notice A listing (all zero for an unknown id).
    @param listing The listing's id.
    @return Its patent, kind (1 assignment, 2 exclusive licence), state (1 open,
            2 sold, 3 cancelled), lister, seller, price, duration, terms key,
            the patent's tenure it was listed in (an open listing of an earlier
            tenure can no longer be bought) and an exclusive licence's
            agreement digest.
    """
    word: uint256 = self.listing_word[listing]
    sale: uint256 = self.listing_sale[listing]
    return Listing(
        patent=self.listing_patent[listing],
        kind=self._kind_of(word),
        state=self._state_of(word),
        lister=convert(word & ADDRESS_MASK, address),
        seller=convert(sale & ADDRESS_MASK, address),
        price=sale >> PRICE_SHIFT,
        duration=(word >> DURATION_SHIFT) & FORTY_BITS,
        terms=self.listing_terms[listing],
        tenure=word >> TENURE_SHIFT,
        agreement=self.listing_agreement[listing],
    )


@view
@external
def mandate(patent: bytes32, agent: address, kind: uint8) -> IExchange.Mandate:
    """
    @notice `agent`'s mandate of `kind` for `patent`.
    @param patent The patent's id.
    @param agent The agent.
    @param kind 1 (assignment), 2 (exclusive licence) or 3 (per-patent licences).
    @return Its floor price, expiry and tenure (all zero if none), and whether
            it is in force now (not expired, and the patent's tenure the same).
    """
    word: uint256 = self.mandates[self._mandate_key(patent, agent, kind)]
    expiry: uint256 = (word >> EXPIRY_SHIFT) & FORTY_BITS
    tenure: uint256 = word >> MANDATE_TENURE_SHIFT
    return IExchange.Mandate(
        floor_price=word & PRICE_MASK,
        expiry=expiry,
        tenure=tenure,
        in_force=word != 0 and block.timestamp < expiry and tenure == staticcall POOL.tenure_of(patent),
    )


@view
@external
def split(price: uint256) -> (uint256, uint256):
    """
    @notice How an assignment's price splits now (an exclusive licence's whole
            price goes to its patent through Royalties.pay_for).
    @param price BPC (wei).
    @return The pool's share (into Royalties) and the seller's.
    """
    to_pool: uint256 = self._pool_share(price)
    return to_pool, price - to_pool


@internal
def _set_pool_share(pool_share_bps: uint256):
    assert pool_share_bps <= codes.BPS, "exchange: pool share above 10,000 bps"
    self.pool_share_bps = pool_share_bps
    log PoolShareSet(pool_share_bps=pool_share_bps)


@view
@internal
def _pool_share(price: uint256) -> uint256:
    # dev: rounds down, for the seller; the pool's share is never more than its rate
    return price * self.pool_share_bps // codes.BPS


@view
@internal
def _check_sellable(patent: bytes32, kind: uint8, price: uint256) -> (address, uint256):
    """
    @dev Reverts unless the caller may list `kind` of `patent` at `price` now;
         returns its seller (the contributor of record) and its tenure.
    """
    status: uint8 = 0
    source: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    lapse: uint8 = 0
    tenure: uint256 = 0
    status, source, contributor, centre, lapse, tenure = staticcall POOL.ownership_and_lapse(patent)
    self._check_state(status, lapse)
    open_listing: uint256 = self.open_listing[patent]
    if open_listing != 0:
        # dev: a listing of an earlier tenure can never be bought: it does not block
        assert self.listing_word[open_listing] >> TENURE_SHIFT != tenure, "exchange: patent is already listed"
    if kind == KIND_ASSIGNMENT:
        assert source != codes.SOURCE_USAGE_RIGHT, "exchange: a usage right cannot be assigned"
    assert price != 0 and price <= PRICE_MAX, "exchange: price must be 1 wei to 10^10 BPC"
    assert tenure <= FORTY_BITS, "exchange: tenure out of range"  # dev: see FORTY_BITS
    if contributor == FUND:
        # dev: the fund's patents are the council's to sell, by a governance vote
        assert msg.sender == ownable.owner, "exchange: only the council lists the fund's patents"
        return contributor, tenure
    if msg.sender != contributor:
        word: uint256 = self.mandates[self._mandate_key(patent, msg.sender, kind)]
        assert word != 0 and word >> MANDATE_TENURE_SHIFT == tenure, "exchange: only the patent's contributor or an agent it mandated lists it"
        self._check_mandate(word, price)
    assert staticcall ALLIANCE.is_active(msg.sender), "exchange: the lister is not an active member"
    return contributor, tenure


@view
@internal
def _check_mandate(word: uint256, price: uint256):
    """
    @dev Reverts unless the mandate `word` (of the current tenure) is in force
         for a listing at `price`.
    """
    assert block.timestamp < (word >> EXPIRY_SHIFT) & FORTY_BITS, "exchange: the mandate expired"
    assert price >= word & PRICE_MASK, "exchange: price below the mandate's floor"


@view
@internal
def _contributor_of(patent: bytes32) -> address:
    # dev: ownership reads no certificate: cheaper than ownership_and_lapse here
    status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    tenure: uint256 = 0
    status, contributor, centre, tenure = staticcall POOL.ownership(patent)
    return contributor


@pure
@internal
def _mandate_key(patent: bytes32, agent: address, kind: uint8) -> bytes32:
    return keccak256(abi_encode(patent, agent, kind))


@pure
@internal
def _check_state(status: uint8, lapse: uint8):
    assert status != codes.PATENT_NONE, "exchange: unknown patent"
    assert status != codes.PATENT_REMOVED, "exchange: patent was removed from the pool"
    assert status != codes.PATENT_EXPIRED, "exchange: patent expired"
    assert status != codes.PATENT_WITHDRAWN, "exchange: patent was withdrawn"
    assert status == codes.PATENT_POOLED, "exchange: patent is not pooled yet"
    assert lapse == codes.LAPSE_NONE, "exchange: patent's certificate no longer holds"


@view
@internal
def _check_terms_free(terms: bytes32):
    assert staticcall LICENSING.open_listings(terms) == 0, "exchange: per-patent listings of these terms are active"
    assert staticcall LICENSING.exclusive_ends(terms) <= block.timestamp, "exchange: an exclusive licence runs for these terms"


@internal
def _list(
    patent: bytes32,
    kind: uint8,
    seller: address,
    price: uint256,
    duration: uint256,
    field_of_use: String[64],
    territory: String[32],
    terms: bytes32,
    tenure: uint256,
    agreement: bytes32,
) -> uint256:
    stale: uint256 = self.open_listing[patent]
    if stale != 0:
        # dev: _check_sellable let it through: an earlier tenure's, never buyable again
        self._cancel(stale, self.listing_word[stale], patent)
    listing: uint256 = self.listing_count + 1
    self.listing_count = listing
    self.open_listing[patent] = listing
    self.listing_patent[listing] = patent
    self.listing_word[listing] = (
        convert(msg.sender, uint256)
        | (convert(kind, uint256) << KIND_SHIFT)
        | (convert(STATE_OPEN, uint256) << STATE_SHIFT)
        | (duration << DURATION_SHIFT)
        | (tenure << TENURE_SHIFT)
    )
    self.listing_sale[listing] = convert(seller, uint256) | (price << PRICE_SHIFT)
    if terms != empty(bytes32):
        self.listing_terms[listing] = terms
        self.listing_agreement[listing] = agreement
    log Listed(
        listing=listing,
        patent=patent,
        lister=msg.sender,
        kind=kind,
        seller=seller,
        price=price,
        duration=duration,
        field_of_use=field_of_use,
        territory=territory,
        terms=terms,
        tenure=tenure,
        agreement=agreement,
    )
    return listing


@internal
def _buy(listing: uint256, buyer: address) -> uint256:
    """
    @dev Settles `listing` for `buyer`, who pays (the fund through its allowance).
         State first, then the transfers and the registry's record; BPC and the
         suite's contracts call nothing back.
    """
    word: uint256 = self.listing_word[listing]
    assert self._state_of(word) == STATE_OPEN, "exchange: no open listing"
    patent: bytes32 = self.listing_patent[listing]
    sale: uint256 = self.listing_sale[listing]
    seller: address = convert(sale & ADDRESS_MASK, address)
    price: uint256 = sale >> PRICE_SHIFT
    kind: uint8 = self._kind_of(word)

    status: uint8 = 0
    source: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    lapse: uint8 = 0
    tenure: uint256 = 0
    status, source, contributor, centre, lapse, tenure = staticcall POOL.ownership_and_lapse(patent)
    self._check_state(status, lapse)
    # dev: the tenure moves on every assignment and new life: the seller still holds it
    assert tenure == word >> TENURE_SHIFT and contributor == seller, "exchange: the patent changed hands since it was listed"
    lister: address = convert(word & ADDRESS_MASK, address)
    if lister != seller and seller != FUND:
        # dev: an agent's listing: its mandate must still be in force, at a floor the price meets
        mandate: uint256 = self.mandates[self._mandate_key(patent, lister, kind)]
        assert mandate != 0 and mandate >> MANDATE_TENURE_SHIFT == tenure, "exchange: the lister's mandate is no longer in force"
        self._check_mandate(mandate, price)
    assert buyer != seller, "exchange: the seller cannot buy its own listing"
    if kind == KIND_ASSIGNMENT:
        assert buyer == FUND or staticcall ALLIANCE.has_role(buyer, codes.ROLE_PROVIDER), "exchange: an assignee must be a provider or the fund"
    else:
        assert buyer == FUND or staticcall ALLIANCE.is_active(buyer), "exchange: an exclusive licensee must be an active member"

    self.listing_word[listing] = self._with_state(word, STATE_SOLD)
    self.open_listing[patent] = 0
    to_pool: uint256 = price
    if kind == KIND_ASSIGNMENT:
        to_pool = self._pool_share(price)
    to_seller: uint256 = price - to_pool
    assert extcall BPC.transferFrom(buyer, self, price), "exchange: transfer failed"  # dev: BPC reverts first
    if kind != KIND_ASSIGNMENT:
        # dev: the licensed patent earned it: its contributor (the seller), centre and fund
        extcall ROYALTIES.pay_for(patent, price, convert(listing, bytes32))
    elif to_pool != 0:
        extcall ROYALTIES.pay(to_pool, convert(listing, bytes32))
    if to_seller != 0:
        assert extcall BPC.transfer(seller, to_seller), "exchange: transfer failed"  # dev: BPC reverts first

    licence: uint256 = 0
    if kind == KIND_ASSIGNMENT:
        extcall POOL.assign(patent, buyer)
    else:
        licence = extcall LICENSING.record_exclusive(
            patent,
            self.listing_terms[listing],
            buyer,
            (word >> DURATION_SHIFT) & FORTY_BITS,
            self.listing_agreement[listing],
        )
    log Sold(
        listing=listing,
        patent=patent,
        buyer=buyer,
        kind=kind,
        seller=seller,
        price=price,
        to_royalties=to_pool,
        to_seller=to_seller,
        licence=licence,
    )
    return licence


@internal
def _cancel(listing: uint256, word: uint256, patent: bytes32):
    self.listing_word[listing] = self._with_state(word, STATE_CANCELLED)
    if self.open_listing[patent] == listing:
        self.open_listing[patent] = 0
    log Cancelled(listing=listing, patent=patent, by=msg.sender)


@pure
@internal
def _with_state(word: uint256, state: uint8) -> uint256:
    return (word & ~(convert(255, uint256) << STATE_SHIFT)) | (convert(state, uint256) << STATE_SHIFT)


@pure
@internal
def _kind_of(word: uint256) -> uint8:
    return convert((word >> KIND_SHIFT) & 255, uint8)


@pure
@internal
def _state_of(word: uint256) -> uint8:
    return convert((word >> STATE_SHIFT) & 255, uint8)
