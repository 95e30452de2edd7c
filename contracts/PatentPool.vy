# pragma version ~=0.4.3
"""
@title PatentPool
@notice The registry of one patent collection (BPC: blockchain patents) and
        its index. A patent keyed by (office, number) is submitted by a
        provider, certified (an oracle certificate in Certificates names its
        document, owner, office status and expiry), rated and valued by the
        expert committee (an odd quorum of at least three experts: the true
        medians of their scores and valuations, so no single expert sets
        them), and pooled by the council, which mints BPC to the contributor
        at the pool's net asset value (NAV). Experts re-rate it periodically;
        it leaves the pool when removed (rating under the council's core
        threshold, transferred out, sold) or when it lapses (anyone may expire
        it once its certificate no longer holds; a certificate past its expiry
        only after the council's grace period for late maintenance fees). A
        patent mints to its contributor once in its life: pooled again after
        it left, it mints at NAV to the fund.
@dev NAV = pooled value / BPC supply. Pooling mints value x supply / pooled
     value (rounded down, against the minter), so holders are neither diluted
     nor enriched; removal and expiry lower the pooled value and no BPC is
     burned: the BPC a patent minted stay out, and their holders bear its
     departure like every holder. Its contributor minted once; pooled again,
     its value belongs to no holder and the fund takes it at NAV, as it takes
     value nobody holds when every BPC was burned (minting nothing would hand
     its value to every BPC outstanding, those minted at the NAV its departure
     lowered included: a member could have its patent leave, pool another at
     that NAV and bring the first back). BPC held by the fund counts in the
     supply like anyone's and adds nothing to the pooled value (no double
     counting). Royalty weights follow every change through
     Royalties.change_weight.
     The fund's cash from sales of BPC (the sale desk, Sale.vy, once the
     council names it) counts in the NAV too: NAV = (pooled value + treasury
     value) / supply, where the treasury value is the proceeds the fund holds
     plus what it spent of them on its patents not yet pooled, at cost. The
     desk's `issue` mints at that NAV (rounded down, against the buyer), so a
     sale dilutes nobody. Pooling a patent the fund bought with the proceeds
     mints nothing: the holders' cash paid for it, and its cost leaves the
     treasury as its valuation enters the pool (cash, then cost, then
     valuation: never two at once). The fund's other money (royalties,
     surcharges, donations) does not count.
"""

from interfaces import IAlliance
from interfaces import IBPC
from interfaces import ICertificates
from interfaces import ICoverage
from interfaces import IRoyalties
from interfaces import ISale
from snekmate.auth import ownable
import codes
import patent_key

initializes: ownable

exports: (ownable.owner, ownable.transfer_ownership)


struct Patent:
    status: uint8
    source: uint8
    contributor: address
    centre: address
    document: bytes32
    right_ends: uint64
    score: uint256
    valuation: uint256
    rated_at: uint64
    rounds: uint256
    tenure: uint256


struct Ballot:
    expert: address
    score: uint256
    valuation: uint256


MAX_EXPERTS: constant(uint256) = 16
SCORE_MAX: constant(uint256) = 100
# @dev Caps a valuation at 10^15 units (in an 18-decimal unit) so sums and products stay far from overflow.
VALUATION_MAX: constant(uint256) = 10**33
NAV_ONE: constant(uint256) = 10**18
# @dev Keeps the first mints' supply (and valuation x supply) far from overflow.
NAV_MIN: constant(uint256) = 10**15
# @dev Pooling refuses to round away more than a millionth of a patent's value.
ROUNDING_LOSS_MAX: constant(uint256) = 10**6
# @dev The most BPC (wei) that may exist: valuation x supply stays under 2^256 (10^77).
#      At an initial NAV of 0.001 unit it is 10^29 units of patents; a NAV ground down
#      by wipe-outs (see `mint_amount`) reaches it first, and pooling then refuses.
SUPPLY_MAX: constant(uint256) = 10**44
# @dev Offices take a maintenance fee late for six months (USPTO, EPO, CNIPA alike).
GRACE_PERIOD_DEFAULT: constant(uint256) = 182 * 86400
GRACE_PERIOD_MAX: constant(uint256) = 365 * 86400

ALLIANCE: public(immutable(IAlliance))
CERTIFICATES: public(immutable(ICertificates))
BPC: public(immutable(IBPC))
ROYALTIES: public(immutable(IRoyalties))
FUND: public(immutable(address))
# @notice The trusteeship mandates (Mandates): the only caller of `set_centre`.
MANDATES: public(immutable(address))
# @notice The log of the pooled set (Coverage), told of every entry and exit.
COVERAGE: public(immutable(ICoverage))
# @notice The NAV before anything is pooled, valuation units (18 decimals) per whole BPC.
INITIAL_NAV: public(immutable(uint256))

# @notice This deployment's collection ("BPC"; siblings: APC, DPC, QPC, GPC).
collection: public(immutable(String[8]))
# @notice What valuations are counted in, e.g. "USD" with 18 decimals.
valuation_unit: public(immutable(String[8]))

patents: public(HashMap[bytes32, Patent])

# @dev keccak256(patent, round) -> the open round's ballots.
ballots: HashMap[bytes32, DynArray[Ballot, MAX_EXPERTS]]

# @notice Sum of the valuations of pooled patents.
pooled_value: public(uint256)
pooled_count: public(uint256)

expert_threshold: public(uint256)
core_threshold: public(uint256)
rerate_interval: public(uint256)

# @notice Seconds after a certificate's expiry before anyone may expire its patent
#         as past expiry: the office's grace period for a late maintenance fee.
grace_period: public(uint256)

# @notice BPC a patent minted to its contributor at its first pooling (per key, across
#         its lives); 0 for one never pooled. Pooled again, it mints to the fund.
minted_for: public(HashMap[bytes32, uint256])

# @notice The exchange whose sales `assign` records (set by the council), or none.
exchange: public(address)
# @dev patent -> its last sale: the owner named by the certificate in force when the
#      registry recorded it (zero when that was the buyer, or once the council cleared
#      it) | that certificate's nonce << 160 | the tenure the sale began << 208. As a
#      certificate, it speaks only while that tenure lasts: the next sale or a new life
#      of the patent supersedes it (see `_lapse`). Its owner is the patent's seller of
#      record across lives: the office named it when it sold, so a certificate may still
#      name it, and `submit` refuses it.
sales: HashMap[bytes32, uint256]

# @dev patent -> the accepted mandate of `patents[patent].centre`: its expiry |
#      its share (basis points) << 64. Set and cleared with that centre.
centre_terms: HashMap[bytes32, uint256]
# @notice The sale desk whose `issue` mints BPC at NAV and whose treasury counts in
#         the NAV (set once by the council), or none.
sale_desk: public(address)


event Submitted:
    patent: indexed(bytes32)
    contributor: indexed(address)
    document: bytes32
    source: uint8
    centre: address
    right_ends: uint64
    office: String[8]
    number: String[64]


event Certified:
    patent: indexed(bytes32)
    owner: address
    expiry: uint40
    nonce: uint48


# @notice `reasoning`: the sha2-256 digest of the CID of the expert's reasoning document.
event Rated:
    patent: indexed(bytes32)
    expert: indexed(address)
    round: uint256
    score: uint256
    valuation: uint256
    reasoning: bytes32


event RatingSettled:
    patent: indexed(bytes32)
    round: uint256
    score: uint256
    valuation: uint256
    experts: uint256


event Pooled:
    patent: indexed(bytes32)
    contributor: indexed(address)
    valuation: uint256
    minted: uint256
    pooled_value: uint256
    supply: uint256


# @notice Every BPC was burned while patents stayed pooled: that value had no holder
#         and went to the fund, at the initial NAV, before the next pooling.
event UnownedValueToFund:
    value: uint256
    minted: uint256


# @notice A patent that had minted to its contributor was pooled again: its value,
#         which no holder is owed, went to the fund at NAV (`Pooled` logs minted 0).
event PooledAgainForFund:
    patent: indexed(bytes32)
    valuation: uint256
    minted: uint256


event Revalued:
    patent: indexed(bytes32)
    old_valuation: uint256
    new_valuation: uint256
    pooled_value: uint256


# @notice value_out: the valuation that left the pool (0 for a patent not pooled).
event Removed:
    patent: indexed(bytes32)
    reason: uint8
    value_out: uint256
    pooled_value: uint256


event Expired:
    patent: indexed(bytes32)
    lapse: uint8
    value_out: uint256
    pooled_value: uint256


event Withdrawn:
    patent: indexed(bytes32)


# @notice The registry recorded a sale: `buyer` is the contributor of record. Until the
#         oracles certify `buyer`, the certificate of `certified_owner` with a nonce up
#         to `certificate_nonce` keeps the patent in force (see `_lapse`).
event Assigned:
    patent: indexed(bytes32)
    seller: indexed(address)
    buyer: indexed(address)
    certified_owner: address
    certificate_nonce: uint48


# @notice The council cleared `seller` as the seller of record of `patent` (the owner
#         the certificate named at its last sale, `Assigned.certified_owner`, unless it
#         was the buyer), which may then submit it again.
event SellerCleared:
    patent: indexed(bytes32)
    seller: indexed(address)


event ExchangeSet:
    exchange: address


event SaleDeskSet:
    sale_desk: address


# @notice The sale desk sold `minted` BPC to `buyer` for `value` at NAV; `assets`
#         (pooled value + treasury) and `supply` are before the sale.
event Issued:
    buyer: indexed(address)
    value: uint256
    minted: uint256
    assets: uint256
    supply: uint256


# @notice A patent the fund bought with sale proceeds was pooled: its `cost` left the
#         treasury, its valuation entered the pool, and no BPC was minted for it.
event PooledWithProceeds:
    patent: indexed(bytes32)
    cost: uint256
    valuation: uint256


event ParametersSet:
    expert_threshold: uint256
    core_threshold: uint256
    rerate_interval: uint256


event GracePeriodSet:
    grace_period: uint256


@deploy
def __init__(
    collection_: String[8],
    valuation_unit_: String[8],
    initial_nav: uint256,
    alliance: IAlliance,
    certificates: ICertificates,
    bpc: IBPC,
    royalties: IRoyalties,
    fund: address,
    council: address,
    mandates: address,
    coverage: ICoverage,
    expert_threshold: uint256,
    core_threshold: uint256,
    rerate_interval: uint256,
):
    """
    @notice Deploys the registry of one collection.
    @param collection_ The collection's name ("BPC").
    @param valuation_unit_ The valuation unit ("USD"), 18 decimals.
    @param initial_nav The first NAV: units (18 decimals) per whole BPC.
    @param alliance The members and roles.
    @param certificates The oracle certificates.
    @param bpc The collection's token; this pool must be its minter.
    @param royalties The royalty ledger told of every weight change.
    @param fund The foundation's fund (contributor of purchased and filed patents).
    @param council The council's Governance contract (owner).
    @param mandates The Mandates contract (deployed next, at a predicted address).
    @param coverage The Coverage log (deployed after Mandates, at a predicted address).
    @param expert_threshold Expert ratings that settle a round: odd, 3 to 15.
    @param core_threshold The lowest score a pooled patent may keep, 0 to 100.
    @param rerate_interval Seconds between a patent's rating rounds.
    """
    assert len(collection_) != 0, "pool: empty collection name"
    assert initial_nav != 0, "pool: initial NAV is zero"
    assert initial_nav >= NAV_MIN, "pool: initial NAV below 0.001 unit per BPC"
    assert council != empty(address), "pool: council is the zero address"
    assert fund != empty(address), "pool: fund is the zero address"
    assert mandates != empty(address), "pool: mandates is the zero address"
    ownable.__init__()
    ownable._transfer_ownership(council)
    collection = collection_
    valuation_unit = valuation_unit_
    INITIAL_NAV = initial_nav
    ALLIANCE = alliance
    CERTIFICATES = certificates
    BPC = bpc
    ROYALTIES = royalties
    FUND = fund
    MANDATES = mandates
    COVERAGE = coverage
    self._set_parameters(expert_threshold, core_threshold, rerate_interval)
    self._set_grace_period(GRACE_PERIOD_DEFAULT)


@external
def set_parameters(expert_threshold: uint256, core_threshold: uint256, rerate_interval: uint256):
    """
    @notice Sets the expert committee's threshold, the core threshold and the
            re-rating interval (council only). A higher core threshold lets
            anyone remove pooled patents now under it (`remove_below_core`).
    @param expert_threshold Expert ratings that settle a round: odd, 3 to 15.
    @param core_threshold The lowest score a pooled patent may keep, 0 to 100.
    @param rerate_interval Seconds between a patent's rating rounds.
    """
    ownable._check_owner()
    self._set_parameters(expert_threshold, core_threshold, rerate_interval)


@external
def set_grace_period(grace_period: uint256):
    """
    @notice Sets the grace period after a certificate's expiry during which the
            patent stays in the registry (council only): the office still takes
            a late maintenance fee, and the oracles' renewed certificate keeps it
            in. Other lapses (revoked, not in force, another owner, a usage
            right's end) expire a patent at once.
    @param grace_period Seconds, at most one year (six months at deployment).
    """
    ownable._check_owner()
    self._set_grace_period(grace_period)


@external
def set_exchange(exchange: address):
    """
    @notice Names the exchange whose sales `assign` records (council only); the
            zero address stops assignments.
    @param exchange The Exchange contract.
    """
    ownable._check_owner()
    self.exchange = exchange
    log ExchangeSet(exchange=exchange)


@external
def assign(patent: bytes32, buyer: address):
    """
    @notice Records the sale of a pooled patent (the exchange only): `buyer`
            becomes its contributor of record and takes its royalty weight; a
            trusteeship centre's mandate was the seller's and ends; bought by
            the fund, its source becomes purchased (else contributed).
    @dev The oracles' certificate still names the seller (or whoever it named
         at the sale) until the office records the assignment. `_lapse` keeps
         that certificate in force for the buyer until a newer one replaces
         it; a newer certificate must name the buyer or the patent lapses as
         "owner changed". One record per patent, tagged with the tenure this
         sale begins: the next sale supersedes it, and a new life of the
         patent (a new tenure) starts without one, so only the current holder
         of record rides the old certificate. The owner the certificate names
         (the seller, or an earlier seller the office still names) becomes the
         patent's seller of record: until it buys the patent back here or the
         council clears it (`clear_seller`, once the office names it owner
         again), it may not submit the patent again on a certificate still
         naming it. A seller the office no longer names needs no record: no
         oracle certifies it.
    @custom:security Reverts unless the certificate holds now, so a sale never
                     revives a lapsed patent.
    @param patent The patent's id.
    @param buyer The new contributor of record: a provider or the fund.
    """
    assert msg.sender == self.exchange, "pool: only the exchange assigns"
    assert self.patents[patent].status == codes.PATENT_POOLED, "pool: patent is not pooled"
    assert self.patents[patent].source != codes.SOURCE_USAGE_RIGHT, "pool: a usage right cannot be assigned"
    seller: address = self.patents[patent].contributor
    assert buyer != empty(address), "pool: buyer is the zero address"
    assert buyer != seller, "pool: buyer already holds the patent"
    document: bytes32 = self.patents[patent].document
    owner: address = empty(address)
    status: uint8 = 0
    expiry: uint40 = 0
    nonce: uint48 = 0
    owner, status, expiry, nonce = staticcall CERTIFICATES.certificate(patent, document)
    self._assert_in_force(self._lapse(patent, owner, status, expiry, nonce, 0))
    tenure: uint256 = self.patents[patent].tenure + 1  # dev: the seller's listings and mandates end here
    assert tenure < 2**48  # dev: one a sale or a life: never reached, and it fits the record
    # dev: the owner the office names is the seller of record, unless it buys it back
    named: address = owner
    if buyer == owner:
        named = empty(address)
    self.sales[patent] = convert(named, uint256) | (convert(nonce, uint256) << 160) | (tenure << 208)
    centre: address = self.patents[patent].centre
    score: uint256 = self.patents[patent].score
    self.patents[patent].contributor = buyer
    self.patents[patent].tenure = tenure
    if centre != empty(address):
        self._clear_centre(patent)
    source: uint8 = codes.SOURCE_CONTRIBUTED
    if buyer == FUND:
        source = codes.SOURCE_PURCHASED
    if self.patents[patent].source != source:
        self.patents[patent].source = source
    extcall ROYALTIES.change_weight(seller, centre, score, 0)
    extcall ROYALTIES.change_weight(buyer, empty(address), 0, score)
    log Assigned(patent=patent, seller=seller, buyer=buyer, certified_owner=owner, certificate_nonce=nonce)


@external
def clear_seller(patent: bytes32, seller: address):
    """
    @notice Clears `seller` as the seller of record of `patent` (council only,
            by a governance vote once the office names it owner again): it may
            then submit the patent again. Only once the patent has left the
            registry (while it is in, its holder may ride the certificate that
            names the seller).
    @param patent The patent's id.
    @param seller The seller of record.
    """
    ownable._check_owner()
    status: uint8 = self.patents[patent].status
    assert status == codes.PATENT_NONE or status >= codes.PATENT_REMOVED, "pool: the patent is in the registry"
    sale: uint256 = self.sales[patent]
    assert seller != empty(address) and convert(sale & convert(max_value(uint160), uint256), address) == seller, "pool: not the seller of record of this patent"
    self.sales[patent] = sale & ~convert(max_value(uint160), uint256)
    log SellerCleared(patent=patent, seller=seller)


@external
def submit(
    office: String[8],
    number: String[64],
    document: bytes32,
    source: uint8,
    centre: address,
    right_ends: uint64,
) -> bytes32:
    """
    @notice Submits a patent to the registry.
    @dev Contributed patents and usage rights come from a provider, who is
         their contributor; purchased and filed patents from the council,
         with the fund as contributor.
    @param office The office code (two capital letters).
    @param number The number at that office.
    @param document The digest of the patent document's CID on IPFS.
    @param source codes.SOURCE_* (contributed, purchased, filed, usage right).
    @param centre A trusteeship centre nominated to manage it (logged), or the
           zero address: a nominee, not a mandate. It neither earns nor acts
           for the patent until it accepts the contributor's offer in Mandates.
    @param right_ends For a usage right, when the contract with the owner ends; else 0.
    @return The patent's id.
    """
    id: bytes32 = patent_key._checked_id(office, number)
    assert document != empty(bytes32), "pool: empty document digest"
    assert source >= codes.SOURCE_CONTRIBUTED and source <= codes.SOURCE_MAX, "pool: unknown source"
    contributor: address = msg.sender
    if source == codes.SOURCE_PURCHASED or source == codes.SOURCE_FILED:
        assert msg.sender == ownable.owner, "pool: only the council submits the fund's patents"
        contributor = FUND
    else:
        assert staticcall ALLIANCE.has_role(msg.sender, codes.ROLE_PROVIDER), "pool: caller is not a provider"
    if source == codes.SOURCE_USAGE_RIGHT:
        assert convert(right_ends, uint256) > block.timestamp, "pool: a usage right needs an end date in the future"
    else:
        assert right_ends == 0, "pool: only a usage right has an end date"
    if centre != empty(address):
        assert staticcall ALLIANCE.has_role(centre, codes.ROLE_TRUSTEESHIP_CENTRE), "pool: centre is not a trusteeship centre"

    status: uint8 = self.patents[id].status
    assert status == codes.PATENT_NONE or status >= codes.PATENT_REMOVED, "pool: patent already registered"
    # dev: a seller's certificate may still name it: the office lags the exchange
    assert convert(self.sales[id] & convert(max_value(uint160), uint256), address) != contributor, "pool: the contributor sold this patent on the exchange"
    rounds: uint256 = self.patents[id].rounds
    if status != codes.PATENT_NONE:
        rounds += 1  # dev: a new life opens a fresh round, never the old life's ballots
    # dev: a new life is a new tenure: what the old one listed, offered or mandated ends
    tenure: uint256 = self.patents[id].tenure + 1
    self.patents[id] = Patent(
        status=codes.PATENT_SUBMITTED,
        source=source,
        contributor=contributor,
        centre=empty(address),
        document=document,
        right_ends=right_ends,
        score=0,
        valuation=0,
        rated_at=0,
        rounds=rounds,
        tenure=tenure,
    )
    log Submitted(
        patent=id,
        contributor=contributor,
        document=document,
        source=source,
        centre=centre,
        right_ends=right_ends,
        office=office,
        number=number,
    )
    return id


@external
def withdraw(patent: bytes32):
    """
    @notice Withdraws a patent that is not pooled (its contributor, or the
            council for the fund's patents).
    @param patent The patent's id.
    """
    status: uint8 = self.patents[patent].status
    assert status != codes.PATENT_NONE, "pool: unknown patent"
    assert status < codes.PATENT_POOLED, "pool: only a patent not yet pooled can be withdrawn"
    contributor: address = self.patents[patent].contributor
    assert msg.sender == contributor or (contributor == FUND and msg.sender == ownable.owner), "pool: only the contributor may withdraw"
    self.patents[patent].status = codes.PATENT_WITHDRAWN
    if self.patents[patent].centre != empty(address):
        self._clear_centre(patent)
    log Withdrawn(patent=patent)


@external
def certify(patent: bytes32):
    """
    @notice Marks a submitted patent certified once Certificates holds a
            certificate in force for its document and expected owner.
            Anyone may call it (the oracle aggregator does).
    @param patent The patent's id.
    """
    assert self.patents[patent].status == codes.PATENT_SUBMITTED, "pool: patent is not awaiting certification"
    owner: address = empty(address)
    status: uint8 = 0
    expiry: uint40 = 0
    nonce: uint48 = 0
    owner, status, expiry, nonce = staticcall CERTIFICATES.certificate(patent, self.patents[patent].document)
    self._assert_in_force(self._lapse(patent, owner, status, expiry, nonce, 0))
    self.patents[patent].status = codes.PATENT_CERTIFIED
    log Certified(patent=patent, owner=owner, expiry=expiry, nonce=nonce)


@external
def rate(patent: bytes32, score: uint256, valuation: uint256, reasoning: bytes32):
    """
    @notice An expert's rating (0-100) and valuation of a certified patent in
            its open round, with the document that gives its reasons. The
            round settles when the expert threshold (an odd quorum of at
            least three) is reached: the true medians of the scores and of the
            valuations, so one expert's ballot, however far out, settles
            nothing outside the others' ballots.
    @dev The reasoning is logged in `Rated`, not stored: an indexer or auditor
         reads it there.
    @param patent The patent's id.
    @param score The rating, 0 to 100.
    @param valuation The value, in the valuation unit with 18 decimals.
    @param reasoning The sha2-256 digest of the reasoning document's CID (as documents are stored).
    """
    assert staticcall ALLIANCE.has_role(msg.sender, codes.ROLE_EXPERT), "pool: caller is not an expert"
    status: uint8 = self.patents[patent].status
    assert status >= codes.PATENT_CERTIFIED and status <= codes.PATENT_POOLED, "pool: patent is not certified"
    assert msg.sender != self.patents[patent].contributor, "pool: an expert cannot rate its own patent"
    assert msg.sender != self.patents[patent].centre, "pool: an expert cannot rate a patent its centre manages"
    assert score <= SCORE_MAX, "pool: score above 100"
    assert valuation != 0, "pool: valuation is zero"
    assert valuation <= VALUATION_MAX, "pool: valuation above 10^33"
    assert reasoning != empty(bytes32), "pool: empty reasoning digest"
    due: uint256 = self._rating_due(patent)
    assert due == 0 or block.timestamp >= due, "pool: not due for re-rating"

    round: uint256 = self.patents[patent].rounds
    key: bytes32 = keccak256(abi_encode(patent, round))
    for b: Ballot in self.ballots[key]:
        assert b.expert != msg.sender, "pool: expert already rated this round"
    self.ballots[key].append(Ballot(expert=msg.sender, score=score, valuation=valuation))
    log Rated(patent=patent, expert=msg.sender, round=round, score=score, valuation=valuation, reasoning=reasoning)
    if len(self.ballots[key]) >= self.expert_threshold:
        self._settle_round(patent, key)


@external
def pool(patent: bytes32) -> uint256:
    """
    @notice Pools a rated patent (council only): adds its valuation to the
            pool and mints BPC at NAV: at its first pooling to its contributor;
            pooled again after it left (removed, expired), to the fund, since
            its contributor minted once and the holders who bore its departure
            cannot be told apart from those who bought in since.
    @param patent The patent's id.
    @return The BPC minted to its contributor (0 for a patent pooled again).
    """
    ownable._check_owner()
    assert self.patents[patent].status == codes.PATENT_RATED, "pool: patent is not rated"
    score: uint256 = self.patents[patent].score
    assert score >= self.core_threshold, "pool: rating under the core threshold"
    self._assert_in_force(self._current_lapse(patent))

    valuation: uint256 = self.patents[patent].valuation
    cost: uint256 = self._cost_of(patent)
    minted: uint256 = 0
    if cost == 0:
        minted = self._mint_amount(valuation)
        assert minted != 0, "pool: valuation too small to mint any BPC"
    # dev: a key mints to its contributor once in its life: expiry and removal burn
    # dev: nothing, so a second mint would hand its contributor the same value twice
    first_pooling: bool = self.minted_for[patent] == 0
    if first_pooling:
        self.minted_for[patent] = minted
    if staticcall BPC.totalSupply() == 0 and self._assets() != 0:
        self._mint_unowned_value()
    if cost != 0:
        cost = extcall ISale(self.sale_desk).take_cost(patent)
    contributor: address = self.patents[patent].contributor
    centre: address = self._centre_in_force(patent)
    if centre != self.patents[patent].centre:
        self._clear_centre(patent)  # dev: its mandate expired: the contributor takes the weight
    self.patents[patent].status = codes.PATENT_POOLED
    extcall COVERAGE.enter(patent)
    self.pooled_value += valuation
    self.pooled_count += 1
    extcall ROYALTIES.change_weight(contributor, centre, 0, score)
    to_contributor: uint256 = minted
    if cost != 0:
        log PooledWithProceeds(patent=patent, cost=cost, valuation=valuation)
    elif first_pooling:
        extcall BPC.mint(contributor, minted)
    else:
        to_contributor = 0
        extcall BPC.mint(FUND, minted)
        log PooledAgainForFund(patent=patent, valuation=valuation, minted=minted)
    log Pooled(
        patent=patent,
        contributor=contributor,
        valuation=valuation,
        minted=to_contributor,
        pooled_value=self.pooled_value,
        supply=staticcall BPC.totalSupply(),
    )
    return to_contributor


@external
def remove(patent: bytes32, reason: uint8):
    """
    @notice Takes a patent out of the registry (council only): a pooled one
            leaves the pool and its value leaves the NAV; one not yet pooled
            is simply rejected.
    @param patent The patent's id.
    @param reason codes.REMOVAL_* (below core, transferred, sold, rejected).
    """
    ownable._check_owner()
    assert reason >= codes.REMOVAL_BELOW_CORE and reason <= codes.REMOVAL_MAX, "pool: unknown removal reason"
    status: uint8 = self.patents[patent].status
    assert status >= codes.PATENT_SUBMITTED and status <= codes.PATENT_POOLED, "pool: patent is not in the registry"
    value_out: uint256 = self._leave(patent, codes.PATENT_REMOVED)
    log Removed(patent=patent, reason=reason, value_out=value_out, pooled_value=self.pooled_value)


@external
def remove_below_core(patent: bytes32):
    """
    @notice Removes a pooled patent whose rating is under the core threshold
            (after the council raised it). Anyone may call it.
    @param patent The patent's id.
    """
    assert self.patents[patent].status == codes.PATENT_POOLED, "pool: patent is not pooled"
    assert self.patents[patent].score < self.core_threshold, "pool: rating is not under the core threshold"
    value_out: uint256 = self._leave(patent, codes.PATENT_REMOVED)
    log Removed(patent=patent, reason=codes.REMOVAL_BELOW_CORE, value_out=value_out, pooled_value=self.pooled_value)


@external
def expire(patent: bytes32):
    """
    @notice Expires a patent whose certificate no longer holds: past its
            expiry by more than the grace period, revoked or no longer in
            force, naming another owner, or a usage right past its end. Anyone
            may call it.
    @param patent The patent's id.
    """
    status: uint8 = self.patents[patent].status
    assert status >= codes.PATENT_CERTIFIED and status <= codes.PATENT_POOLED, "pool: patent is not certified"
    owner: address = empty(address)
    cert_status: uint8 = 0
    expiry: uint40 = 0
    nonce: uint48 = 0
    owner, cert_status, expiry, nonce = staticcall CERTIFICATES.certificate(patent, self.patents[patent].document)
    lapse: uint8 = self._lapse(patent, owner, cert_status, expiry, nonce, self.grace_period)
    # dev: in force but for its expiry: the office still takes the late fee
    assert lapse != codes.LAPSE_NONE or block.timestamp < convert(expiry, uint256), "pool: certificate expired; its grace period for late fees has not ended"
    assert lapse != codes.LAPSE_NONE, "pool: certificate still in force"
    value_out: uint256 = self._leave(patent, codes.PATENT_EXPIRED)
    log Expired(patent=patent, lapse=lapse, value_out=value_out, pooled_value=self.pooled_value)


@external
def set_centre(patent: bytes32, centre: address, expiry: uint64, share_bps: uint256):
    """
    @notice Records the trusteeship centre whose mandate for `patent` was just
            accepted, or none when it ended (Mandates only): a pooled patent's
            centre weight in Royalties moves from the former centre (or its
            contributor) to the new one (or back to its contributor).
    @dev Mandates checked the parties, the terms and that the patent is in the
         registry in the mandate's tenure. The centre acts (`ownership`) and
         earns from fees the patent earns alone (`payees`) only until `expiry`;
         its pool-wide weight stays until the mandate is ended, which anyone may
         do once it expired (Mandates.end_mandate).
    @param patent The patent's id.
    @param centre The centre, or the zero address.
    @param expiry When the mandate ends, unix seconds (0 with no centre).
    @param share_bps The mandate's share of the patent's own revenue (0 with no centre).
    """
    assert msg.sender == MANDATES, "pool: only the mandates contract sets a centre"
    old: address = self.patents[patent].centre
    if self.patents[patent].status == codes.PATENT_POOLED and old != centre:
        contributor: address = self.patents[patent].contributor
        score: uint256 = self.patents[patent].score
        extcall ROYALTIES.change_weight(contributor, old, score, 0)
        extcall ROYALTIES.change_weight(contributor, centre, 0, score)
    self.patents[patent].centre = centre
    self.centre_terms[patent] = convert(expiry, uint256) | (share_bps << 64)


@view
@external
def nav() -> uint256:
    """
    @notice The net asset value: pooled value per whole BPC (18 decimals).
    @return INITIAL_NAV before any BPC exists, else (pooled value + the sale
            desk's treasury value) x 1e18 / supply.
    """
    supply: uint256 = staticcall BPC.totalSupply()
    if supply == 0:
        return INITIAL_NAV
    return self._assets() * NAV_ONE // supply


@view
@external
def mint_amount(valuation: uint256) -> uint256:
    """
    @notice The BPC that pooling a patent of `valuation` would mint now (to its
            contributor at its first pooling, else to the fund: see `minted_for`).
    @dev At NAV while patents are pooled. With nothing pooled: at the initial
         NAV, first minting the fund the BPC of any pooled value nobody holds
         (every BPC burned); or, every patent having left while BPC stays out
         (holders keep theirs; fee dust; the 1-BPC burn floor), at the initial
         NAV or at 10^6 times the outstanding supply, whichever is more, so the
         new contributor holds at least (1 - 10^-6) of a pool whose old BPC is
         worth nothing. Each such wipe-out multiplies the supply by up to 10^6
         and lowers the NAV as much: the council re-prices what it set in BPC.
         Pooling refuses to take the supply past 10^44 BPC wei (SUPPLY_MAX).
    @param valuation The value, in the valuation unit with 18 decimals.
    @return BPC (wei).
    """
    return self._mint_amount(valuation)


@external
def set_sale_desk(sale_desk: address):
    """
    @notice Names the sale desk (council only), once: its treasury counts in
            the NAV from then on, so it is never swapped for another.
    @param sale_desk The Sale contract.
    """
    ownable._check_owner()
    assert self.sale_desk == empty(address), "pool: the sale desk is already set"
    assert sale_desk != empty(address), "pool: sale desk is the zero address"
    self.sale_desk = sale_desk
    log SaleDeskSet(sale_desk=sale_desk)


@external
def issue(buyer: address, worth: uint256) -> uint256:
    """
    @notice Mints BPC at NAV to `buyer` for a payment worth `worth` (the sale
            desk only, before it adds the payment to its treasury).
    @param buyer Who receives the BPC.
    @param worth The payment, valuation units (18 decimals).
    @return The BPC (wei) minted: worth x supply / assets, rounded down.
    @custom:security Refused while nothing is pooled or no BPC exists: there
                     is no NAV to sell at, only the initial one, and the buyer
                     would take value nobody holds.
    """
    assert msg.sender == self.sale_desk and msg.sender != empty(address), "pool: only the sale desk issues"
    supply: uint256 = staticcall BPC.totalSupply()
    assert self.pooled_value != 0 and supply != 0, "pool: nothing pooled to sell a share of"
    assert worth <= VALUATION_MAX, "pool: payment above 10^15 units"
    assets: uint256 = self._assets()
    # dev: rounds down, so minted x assets <= worth x supply: no holder's claim falls
    minted: uint256 = worth * supply // assets
    assert minted != 0, "pool: payment too small to buy one BPC wei"
    assert supply + minted <= SUPPLY_MAX, "pool: the BPC supply would pass 10^44: the NAV is too low to mint at"
    extcall BPC.mint(buyer, minted)
    log Issued(buyer=buyer, value=worth, minted=minted, assets=assets, supply=supply)
    return minted


@view
@external
def assets() -> uint256:
    """
    @notice What the NAV divides: the pooled value plus the sale desk's
            treasury value (valuation units).
    @return The value.
    """
    return self._assets()


@view
@external
def ownership(patent: bytes32) -> (uint8, address, address, uint256):
    """
    @notice Who holds a patent, in one call: its status, contributor of
            record, trusteeship centre and tenure (what Licensing and
            Infringements read).
    @param patent The patent's id.
    @return status (codes.PATENT_*), contributor, the trusteeship centre
            whose accepted mandate is in force (else the zero address), tenure
            (see `tenure_of`).
    """
    return (
        self.patents[patent].status,
        self.patents[patent].contributor,
        self._centre_in_force(patent),
        self.patents[patent].tenure,
    )


@view
@external
def ownership_and_lapse(patent: bytes32) -> (uint8, uint8, address, address, uint8, uint256):
    """
    @notice Who holds a patent and whether its certificate still holds, in one
            call (what the Exchange reads before a sale).
    @param patent The patent's id.
    @return status (codes.PATENT_*), source (codes.SOURCE_*), contributor,
            the trusteeship centre whose mandate is in force, why its certificate no longer holds
            (codes.LAPSE_*, 0 while it does; only meaningful once certified),
            and its tenure (see `tenure_of`).
    """
    return (
        self.patents[patent].status,
        self.patents[patent].source,
        self.patents[patent].contributor,
        self._centre_in_force(patent),
        self._current_lapse(patent),
        self.patents[patent].tenure,
    )


@view
@external
def payees(patent: bytes32) -> (uint8, address, address, uint256):
    """
    @notice Who a fee the patent earned alone is credited to (what
            Royalties.pay_for reads).
    @param patent The patent's id.
    @return status (codes.PATENT_*), contributor of record, the centre whose
            accepted mandate is in force (else the zero address), and that
            mandate's share in basis points (0 without one).
    """
    centre: address = self._centre_in_force(patent)
    share: uint256 = 0
    if centre != empty(address):
        share = self.centre_terms[patent] >> 64
    return self.patents[patent].status, self.patents[patent].contributor, centre, share


@view
@external
def tenure_of(patent: bytes32) -> uint256:
    """
    @notice A number that changes whenever the patent changes hands (an
            assignment) or starts a new life (submitted again), and never
            returns to an earlier value. A listing, offer, approval or mandate
            about the patent records the tenure it was made in and ends with it.
    @param patent The patent's id.
    @return The tenure, 0 for a patent never submitted.
    """
    return self.patents[patent].tenure


@view
@external
def pooled_tenure(patent: bytes32) -> uint256:
    """
    @notice A pooled patent's tenure (see `tenure_of`), or max_value(uint256),
            which no tenure reaches, while it is not pooled: what a listing of
            it checks before it sells.
    @param patent The patent's id.
    @return The tenure, or 2^256 - 1.
    """
    if self.patents[patent].status != codes.PATENT_POOLED:
        return max_value(uint256)
    return self.patents[patent].tenure


@view
@external
def assignment_of(patent: bytes32) -> (address, uint48):
    """
    @notice The registry's record of the sale that began the patent's current
            tenure: the owner the certificate named then (zero if that was the
            buyer itself) and its nonce. Both zero when the current holder did
            not buy it on the exchange (never sold, or a new life since).
    @param patent The patent's id.
    @return The certified owner at the sale and the certificate's nonce.
    """
    sale: uint256 = self.sales[patent]
    if sale >> 208 != self.patents[patent].tenure:
        return empty(address), 0
    return convert(sale & convert(max_value(uint160), uint256), address), convert((sale >> 160) & convert(max_value(uint48), uint256), uint48)


@view
@external
def is_seller_of_record(patent: bytes32, who: address) -> bool:
    """
    @notice Whether `who` is the patent's seller of record: the owner the
            certificate named at its last sale on the exchange (not its buyer),
            not cleared by the council since. `submit` refuses it.
    @param patent The patent's id.
    @param who The address.
    @return True for the seller of record.
    """
    return who != empty(address) and convert(self.sales[patent] & convert(max_value(uint160), uint256), address) == who


@view
@external
def patent_id(office: String[8], number: String[64]) -> bytes32:
    """
    @notice The registry id of (office, number); reverts with the reason for
            a malformed key.
    @param office The office code.
    @param number The number at that office.
    @return keccak256(abi_encode(office, number)).
    """
    return patent_key._checked_id(office, number)


@view
@external
def check_key(office: String[8], number: String[64]) -> bool:
    """
    @notice Reverts with the reason `submit` would give for a malformed key.
    @param office The office code.
    @param number The number at that office.
    @return True for a well-formed key.
    """
    patent_key._check(office, number)
    return True


@view
@external
def ballots_of(patent: bytes32) -> DynArray[Ballot, MAX_EXPERTS]:
    """
    @notice The ballots of a patent's open rating round.
    @param patent The patent's id.
    @return The experts, scores and valuations so far.
    """
    return self.ballots[keccak256(abi_encode(patent, self.patents[patent].rounds))]


@view
@external
def rating_due(patent: bytes32) -> (uint256, bool):
    """
    @notice When a patent's valuation falls due for re-rating, and whether it
            is stale: rated or pooled, past that date (its experts may re-rate
            it from then on).
    @dev The date follows the council's re-rating interval now, so changing
         the interval moves every patent's date.
    @param patent The patent's id.
    @return The re-rating date (its last settled rating + the interval, unix
            seconds; 0 for a patent never rated), and whether it is stale.
    """
    due: uint256 = self._rating_due(patent)
    # dev: a rated or pooled patent has a settled rating, so its date is not 0
    status: uint8 = self.patents[patent].status
    return due, block.timestamp >= due and status >= codes.PATENT_RATED and status <= codes.PATENT_POOLED


@view
@external
def lapse_of(patent: bytes32) -> uint8:
    """
    @notice Why a patent's certificate no longer holds (codes.LAPSE_*), 0 if it does.
            Past expiry is said from the expiry on; `expire` waits out the
            grace period for it (see `grace_period`).
    @param patent The patent's id.
    @return The lapse code.
    """
    return self._current_lapse(patent)


@internal
def _set_parameters(expert_threshold: uint256, core_threshold: uint256, rerate_interval: uint256):
    # dev: an odd quorum of at least three: the median is one ballot, never the lower of
    # dev: two, and no single expert can move it outside the others' ballots
    assert expert_threshold >= 3 and expert_threshold < MAX_EXPERTS and expert_threshold % 2 == 1, "pool: expert threshold must be odd, 3 to 15"
    assert core_threshold <= SCORE_MAX, "pool: core threshold above 100"
    assert rerate_interval <= 10 * 365 * 86400, "pool: re-rating interval above ten years"
    self.expert_threshold = expert_threshold
    self.core_threshold = core_threshold
    self.rerate_interval = rerate_interval
    log ParametersSet(expert_threshold=expert_threshold, core_threshold=core_threshold, rerate_interval=rerate_interval)


@internal
def _set_grace_period(grace_period: uint256):
    assert grace_period <= GRACE_PERIOD_MAX, "pool: grace period above one year"
    self.grace_period = grace_period
    log GracePeriodSet(grace_period=grace_period)


@view
@internal
def _mint_amount(valuation: uint256) -> uint256:
    supply: uint256 = staticcall BPC.totalSupply()
    value: uint256 = self._assets()
    if supply == 0 and value != 0:
        supply = value * NAV_ONE // INITIAL_NAV  # dev: what `_mint_unowned_value` mints first
    # dev: rounds down, against the minter
    at_initial_nav: uint256 = valuation * NAV_ONE // INITIAL_NAV
    if supply == 0:
        return at_initial_nav
    minted: uint256 = 0
    if value == 0:
        # dev: every patent left: the outstanding BPC claims nothing, so the new patent
        # dev: mints at the initial NAV, or more where that would leave the valueless
        # dev: supply over a millionth of its pool (the bound of ROUNDING_LOSS_MAX)
        minted = max(at_initial_nav, supply * ROUNDING_LOSS_MAX)
    else:
        # dev: supply <= SUPPLY_MAX and valuation <= VALUATION_MAX: no overflow
        product: uint256 = valuation * supply
        # dev: the remainder / supply is the value rounded away from the minter
        assert product % value * ROUNDING_LOSS_MAX <= product, "pool: too few BPC outstanding to mint at NAV without loss"
        # dev: rounds down, so minted x value <= valuation x supply: NAV never falls
        minted = product // value
    # dev: only pooling mints, so the supply never passes it
    assert supply + minted <= SUPPLY_MAX, "pool: the BPC supply would pass 10^44: the NAV is too low to mint at"
    return minted


@internal
def _mint_unowned_value():
    """
    @dev Every BPC was burned while patents stayed pooled. Minting the next patent
         at the initial NAV would hand its contributor that unowned value too; the
         fund (the foundation) takes it instead, at the initial NAV, so the next
         contributor's BPC are worth its own patent.
    """
    value: uint256 = self._assets()
    minted: uint256 = value * NAV_ONE // INITIAL_NAV
    if minted != 0:
        extcall BPC.mint(FUND, minted)
        log UnownedValueToFund(value=value, minted=minted)


@view
@internal
def _assets() -> uint256:
    desk: address = self.sale_desk
    if desk == empty(address):
        return self.pooled_value
    return self.pooled_value + staticcall ISale(desk).treasury_value()


@view
@internal
def _cost_of(patent: bytes32) -> uint256:
    desk: address = self.sale_desk
    if desk == empty(address):
        return 0
    return staticcall ISale(desk).cost_of(patent)


@view
@internal
def _current_lapse(patent: bytes32) -> uint8:
    """
    @dev Why the certificate of `patent` (for its document) does not hold now.
    """
    owner: address = empty(address)
    status: uint8 = 0
    expiry: uint40 = 0
    nonce: uint48 = 0
    owner, status, expiry, nonce = staticcall CERTIFICATES.certificate(patent, self.patents[patent].document)
    return self._lapse(patent, owner, status, expiry, nonce, 0)


@view
@internal
def _lapse(patent: bytes32, owner: address, status: uint8, expiry: uint40, nonce: uint48, grace: uint256) -> uint8:
    """
    @dev Why the certificate of `patent` does not hold, or LAPSE_NONE. A
         certificate naming someone other than the contributor holds only if
         it is the very certificate (owner and nonce) that was in force when
         the registry recorded the contributor's purchase (`assign`): the
         office has not recorded the assignment yet. Any later certificate
         must name the contributor. `grace` extends the expiry (0 for pooling,
         certifying and selling; the grace period for `expire`).
    """
    if status == codes.CERT_NONE:
        return codes.LAPSE_NO_CERTIFICATE
    # dev: a fee unpaid holds as in force to its due date (the expiry) and through the grace
    if status != codes.CERT_IN_FORCE and status != codes.CERT_FEE_UNPAID:
        return codes.LAPSE_NOT_IN_FORCE
    if block.timestamp >= convert(expiry, uint256) + grace:
        return codes.LAPSE_PAST_EXPIRY
    source: uint8 = self.patents[patent].source
    if source == codes.SOURCE_USAGE_RIGHT:
        if block.timestamp >= convert(self.patents[patent].right_ends, uint256):
            return codes.LAPSE_RIGHT_ENDED
        # dev: the right is contracted from an owner outside the alliance
        if owner == self.patents[patent].contributor or staticcall ALLIANCE.is_active(owner):
            return codes.LAPSE_OWNER_CHANGED
    elif owner != self.patents[patent].contributor:
        # dev: read only off the common path, so a patent never sold pays nothing for it
        sale: uint256 = self.sales[patent]
        # dev: only the sale that began this tenure speaks (never one of an earlier holder
        # dev: or an earlier life), for the certificate it named, not a later one
        if sale >> 208 != self.patents[patent].tenure or convert(sale & convert(max_value(uint160), uint256), address) != owner or convert(nonce, uint256) > (sale >> 160) & convert(max_value(uint48), uint256):
            return codes.LAPSE_OWNER_CHANGED
    return codes.LAPSE_NONE


@pure
@internal
def _assert_in_force(lapse: uint8):
    assert lapse != codes.LAPSE_NO_CERTIFICATE, "pool: no certificate for this patent and document"
    assert lapse != codes.LAPSE_NOT_IN_FORCE, "pool: certificate does not say in force"
    assert lapse != codes.LAPSE_PAST_EXPIRY, "pool: certificate expired"
    assert lapse != codes.LAPSE_RIGHT_ENDED, "pool: usage right ended"
    assert lapse != codes.LAPSE_OWNER_CHANGED, "pool: certificate names another owner"


@internal
def _settle_round(patent: bytes32, key: bytes32):
    """
    @dev Settles the open round: true medians of scores and valuations (see
         `_median`), a new round, and the pool's value and royalty weight
         follow a pooled patent's new rating.
    """
    scores: DynArray[uint256, MAX_EXPERTS] = []
    values: DynArray[uint256, MAX_EXPERTS] = []
    for b: Ballot in self.ballots[key]:
        scores.append(b.score)
        values.append(b.valuation)
    score: uint256 = self._median(scores)
    valuation: uint256 = self._median(values)
    old_score: uint256 = self.patents[patent].score
    old_valuation: uint256 = self.patents[patent].valuation
    round: uint256 = self.patents[patent].rounds
    self.patents[patent].score = score
    self.patents[patent].valuation = valuation
    self.patents[patent].rated_at = convert(block.timestamp, uint64)
    self.patents[patent].rounds = round + 1
    log RatingSettled(patent=patent, round=round, score=score, valuation=valuation, experts=len(scores))

    status: uint8 = self.patents[patent].status
    if status == codes.PATENT_CERTIFIED:
        self.patents[patent].status = codes.PATENT_RATED
    elif status == codes.PATENT_POOLED:
        contributor: address = self.patents[patent].contributor
        centre: address = self.patents[patent].centre
        if score < self.core_threshold:
            self.pooled_value -= old_valuation
            self.pooled_count -= 1
            self.patents[patent].status = codes.PATENT_REMOVED
            extcall COVERAGE.leave(patent)
            extcall ROYALTIES.change_weight(contributor, centre, old_score, 0)
            if centre != empty(address):
                self._clear_centre(patent)
            log Removed(patent=patent, reason=codes.REMOVAL_BELOW_CORE, value_out=old_valuation, pooled_value=self.pooled_value)
        else:
            self.pooled_value = self.pooled_value + valuation - old_valuation
            if score != old_score:
                extcall ROYALTIES.change_weight(contributor, centre, old_score, score)
            log Revalued(patent=patent, old_valuation=old_valuation, new_valuation=valuation, pooled_value=self.pooled_value)


@internal
def _leave(patent: bytes32, status: uint8) -> uint256:
    """
    @dev Moves a patent to a terminal status; a pooled one takes its value
         out of the pool and its weight out of the royalties.
    @return The value that left the pool.
    """
    value_out: uint256 = 0
    if self.patents[patent].status == codes.PATENT_POOLED:
        value_out = self.patents[patent].valuation
        self.pooled_value -= value_out
        self.pooled_count -= 1
        extcall COVERAGE.leave(patent)
        extcall ROYALTIES.change_weight(
            self.patents[patent].contributor, self.patents[patent].centre, self.patents[patent].score, 0
        )
    self.patents[patent].status = status
    if self.patents[patent].centre != empty(address):
        self._clear_centre(patent)  # dev: a mandate ends when its patent leaves the registry
    return value_out


@pure
@internal
def _median(values: DynArray[uint256, MAX_EXPERTS]) -> uint256:
    """
    @dev Insertion sort of at most 16 values, then the true median: the middle
         value of an odd count; of an even count (a round the council's lower
         threshold settled one ballot past it) the mean of the two middles,
         rounded down. Either way it lies between two ballots that are not the
         extremes, so with at least three ballots no single one sets it.
    """
    sorted: DynArray[uint256, MAX_EXPERTS] = []
    for v: uint256 in values:
        sorted.append(v)
        i: uint256 = len(sorted) - 1
        for _: uint256 in range(MAX_EXPERTS):
            if i == 0 or sorted[i - 1] <= v:
                break
            sorted[i] = sorted[i - 1]
            i -= 1
        sorted[i] = v
    middle: uint256 = len(sorted) // 2
    if len(sorted) % 2 == 1:
        return sorted[middle]
    # dev: each at most 10^33 (valuations) or 100 (scores): the sum cannot overflow
    return (sorted[middle - 1] + sorted[middle]) // 2


@view
@internal
def _rating_due(patent: bytes32) -> uint256:
    """
    @dev The last settled rating + the re-rating interval, or 0 for a patent never rated.
    """
    rated_at: uint256 = convert(self.patents[patent].rated_at, uint256)
    if rated_at == 0:
        return 0
    return rated_at + self.rerate_interval


@view
@internal
def _centre_in_force(patent: bytes32) -> address:
    """
    @dev The centre of the patent's accepted mandate while unexpired, or none:
         `patents[patent].centre` is set only by Mandates on acceptance and
         cleared when the mandate ends or the patent changes hands or leaves.
    """
    centre: address = self.patents[patent].centre
    if centre == empty(address) or block.timestamp >= self.centre_terms[patent] & convert(max_value(uint64), uint256):
        return empty(address)
    return centre


@internal
def _clear_centre(patent: bytes32):
    """
    @dev Forgets the mandated centre (its weight already moved).
    """
    self.patents[patent].centre = empty(address)
    self.centre_terms[patent] = 0
