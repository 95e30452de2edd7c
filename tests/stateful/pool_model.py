"""A pure-Python model of one collection's pool: PatentPool, Certificates' records, BPC and
Royalties (and the static slice of Alliance they read).

No chain here: the state machine in `test_pool_model.py` drives the contracts and this model
side by side and compares them. The registry follows PatentPool's NatSpec and DESIGN.md
(submit -> certify -> rate -> pool -> re-rate / remove / expire; NAV = pooled value / supply;
pooling mints value x supply / pooled value, rounded down, to the contributor at a key's
first pooling only, to the fund when it is pooled again;
ratings settle on the true median of an odd quorum of at least three; expiry waits out the
grace period; the exchange's sales make sellers of record, and a sale's certificate speaks
only for the tenure it began). The royalty ledger is the one
place that replicates the contract's integer arithmetic on purpose (accumulators scaled by
10^27, their division remainders carried, every settlement rounded down), so that the
machine can demand the chain's figures to the wei; beside it, `RoyaltiesModel.fair` keeps
each account's exact rational share of every fee, which the machine uses as a yardstick
independent of that arithmetic.

Every operation returns the revert reason the chain must give, or None when the call
succeeds (having applied its effects to the model). A refused operation changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from fractions import Fraction

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from bpsa.core.codes import (
    BPS,
    CertStatus,
    Lapse,
    MandateEnd,
    MandateState,
    PatentStatus,
    Role,
    Source,
)

ZERO_ADDRESS = "0x" + "00" * 20
MAX_UINT256 = 2**256 - 1

PRECISION = 10**27  # Royalties' accumulator scale
NAV_ONE = 10**18
SCORE_MAX = 100
VALUATION_MAX = 10**33
MAX_EXPERTS = 16
NUMBER_MAX_LENGTH = 32
MIN_SUPPLY = 10**18  # a burn may leave no BPC outstanding, or at least one
ROUNDING_LOSS_MAX = 10**6  # pooling rounds away at most a millionth of a patent's value
SUPPLY_MAX = 10**44  # pooling never takes the BPC supply past it
RERATE_INTERVAL_MAX = 10 * 365 * 86_400
GRACE_PERIOD_DEFAULT = 182 * 86_400  # after a certificate's expiry, before it may be expired
GRACE_PERIOD_MAX = 365 * 86_400

OWNER_REASON = "ownable: caller is not the owner"

# Mandates' revert reasons
MANDATE_NOT_IN_REGISTRY = "mandates: patent is not in the registry"
MANDATE_NOT_CONTRIBUTOR = "mandates: only the contributor of record offers a mandate"
MANDATE_CENTRE_ZERO = "mandates: centre is the zero address"
MANDATE_OWN_CENTRE = "mandates: a contributor cannot be its own centre"
MANDATE_NOT_CENTRE = "mandates: centre is not an active trusteeship centre"
MANDATE_EMPTY_TERMS = "mandates: empty terms digest"
MANDATE_SHARE_TOO_HIGH = "mandates: share above the council's centre share"
MANDATE_EXPIRY_PAST = "mandates: expiry must be in the future"
MANDATE_IN_FORCE = "mandates: a mandate is in force: end it first"
MANDATE_NO_OFFER = "mandates: no offer to the caller for this patent"
MANDATE_ALREADY = "mandates: mandate already accepted"
MANDATE_TERMS_DIFFER = "mandates: the offer's terms, share or expiry differ"
MANDATE_OFFER_EXPIRED = "mandates: the offer expired"
MANDATE_NONE = "mandates: no mandate or offer for this patent"
MANDATE_NOT_A_PARTY = (
    "mandates: only the contributor or the centre ends a mandate before its expiry"
)

_DIGITS = set("0123456789")
_CAPITALS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def patent_id(office: str, number: str) -> bytes:
    """keccak256(abi_encode(office, number)), for any key (well-formed or not)."""
    return keccak(encode(["string", "string"], [office, number]))


def key_error(office: str, number: str) -> str | None:
    """Why `submit` refuses the key (office, number), or None for a well-formed key."""
    if len(office) != 2 or any(c not in _CAPITALS for c in office):
        return "patent_key: office code must be two capital letters"
    if not number:
        return "patent_key: patent number is empty"
    if len(number) > NUMBER_MAX_LENGTH:
        return "patent_key: patent number is longer than 32 characters"
    if number[0] not in _DIGITS | _CAPITALS:
        return "patent_key: patent number must start with a letter or digit"
    if any(c not in _DIGITS | _CAPITALS | set("./-") for c in number):
        return "patent_key: patent number may hold only 0-9, A-Z, '.', '/' and '-'"
    return None


def median(values: list[int]) -> int:
    """The true median: the middle value of an odd count, the mean of the two middles
    (rounded down) of an even one."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) // 2


# -- BPC ------------------------------------------------------------------------------------


@dataclass
class TokenModel:
    """BPC: balances, allowances and the supply; the pool is the only minter."""

    balances: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    allowances: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    supply: int = 0

    def balance(self, who: str) -> int:
        return self.balances.get(who, 0)

    def mint(self, to: str, amount: int) -> None:
        self.balances[to] += amount
        self.supply += amount

    def transfer(self, sender: str, to: str, amount: int) -> str | None:
        if to == ZERO_ADDRESS:
            return "erc20: transfer to the zero address"
        if self.balance(sender) < amount:
            return "erc20: transfer amount exceeds balance"
        self.balances[sender] -= amount
        self.balances[to] += amount
        return None

    def approve(self, owner: str, spender: str, amount: int) -> str | None:
        if spender == ZERO_ADDRESS:
            return "erc20: approve to the zero address"
        self.allowances[(owner, spender)] = amount
        return None

    def transfer_from(self, spender: str, owner: str, to: str, amount: int) -> str | None:
        allowance = self.allowances.get((owner, spender), 0)
        if allowance < MAX_UINT256 and allowance < amount:
            return "erc20: insufficient allowance"
        if to == ZERO_ADDRESS:
            return "erc20: transfer to the zero address"
        if self.balance(owner) < amount:
            return "erc20: transfer amount exceeds balance"
        if allowance < MAX_UINT256:
            self.allowances[(owner, spender)] = allowance - amount
        self.balances[owner] -= amount
        self.balances[to] += amount
        return None

    def burn(self, owner: str, amount: int) -> str | None:
        if amount < self.supply and self.supply - amount < MIN_SUPPLY:
            return "bpc: a burn may leave 0 or at least 1 BPC outstanding"
        if self.balance(owner) < amount:
            return "erc20: burn amount exceeds balance"
        self.balances[owner] -= amount
        self.supply -= amount
        return None


# -- Royalties ------------------------------------------------------------------------------


@dataclass
class RoyaltiesModel:
    """The fee split, the two accumulators and each account's weights, to the wei.

    Both the contributors' and the centres' shares divide over the whole pool's weight
    (issue 15, finding 5). `royalty_accumulator` counts both shares per unit of weight,
    `centre_accumulator` the centres' part: an account earns its contributor weight x the
    first, plus (the weight it manages as a named centre - the weight of its own patents a
    named centre manages) x the second; a patent without a centre (or naming its own
    contributor) leaves both parts with its contributor.

    `fair[a]` is account a's exact rational share of every fee paid while it held weight
    (its patents' weight over the total times the contributors' share, and the weight it
    manages, itself or as a centre, over the total times the centres' share);
    `settlements[a]` counts the settlements that rounded a's earnings down (one floor per
    settlement). What a claimed plus what it may claim lies between fair[a] minus
    (settlements[a] + 3) wei and fair[a] (plus the carried remainders, less than 1e-20
    wei)."""

    contributor_bps: int
    centre_bps: int
    fund_bps: int
    royalty_accumulator: int = 0
    centre_accumulator: int = 0
    contributor_carry: int = 0
    centre_carry: int = 0
    total_weight: int = 0
    weight: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    managed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    delegated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    royalty_checkpoint: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    centre_checkpoint: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    settled: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fees_in: int = 0
    paid_to_fund: int = 0
    claimed: int = 0
    credited_to_patents: int = 0  # what pay_for credited to contributors and centres
    claimed_by: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    settlements: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fair: dict[str, Fraction] = field(default_factory=lambda: defaultdict(Fraction))
    fair_to_fund: Fraction = Fraction(0)
    # fair_centre[a]: the part of fair[a] a earned as the named centre of others' patents
    fair_centre: dict[str, Fraction] = field(default_factory=lambda: defaultdict(Fraction))

    @property
    def split(self) -> tuple[int, int, int]:
        return (self.contributor_bps, self.centre_bps, self.fund_bps)

    def set_split(self, contributor_bps: int, centre_bps: int, fund_bps: int) -> str | None:
        if contributor_bps + centre_bps + fund_bps != BPS:
            return "royalties: shares must add up to 10,000 basis points"
        self.contributor_bps, self.centre_bps, self.fund_bps = contributor_bps, centre_bps, fund_bps
        return None

    # -- the ledger

    def _earned(self, account: str) -> int:
        """Royalties._earned: what `account` earned since its checkpoints, x PRECISION."""
        earned = 0
        w = self.weight.get(account, 0)
        if w:
            earned = w * (self.royalty_accumulator - self.royalty_checkpoint.get(account, 0))
        managed, delegated = self.managed.get(account, 0), self.delegated.get(account, 0)
        if managed != delegated:
            rise = self.centre_accumulator - self.centre_checkpoint.get(account, 0)
            earned += managed * rise - delegated * rise
        assert earned >= 0, "the contract's subtraction would underflow"
        return earned

    def _settle(self, account: str) -> None:
        earned = self._earned(account)
        if self.weight.get(account, 0):
            self.royalty_checkpoint[account] = self.royalty_accumulator
        if self.managed.get(account, 0) != self.delegated.get(account, 0):
            self.centre_checkpoint[account] = self.centre_accumulator
        if earned:
            self.settlements[account] += 1
        self.settled[account] += earned // PRECISION

    def claimable(self, account: str) -> int:
        return self.settled.get(account, 0) + self._earned(account) // PRECISION

    def change_weight(self, contributor: str, centre: str, old: int, new: int) -> None:
        """The pool moves a patent's weight (only the pool can: the harness never calls
        Royalties.change_weight as anyone else and expects a success)."""
        self._settle(contributor)
        self.royalty_checkpoint[contributor] = self.royalty_accumulator
        self.weight[contributor] += new - old
        self.total_weight += new - old
        if centre not in (ZERO_ADDRESS, contributor):
            self.delegated[contributor] += new - old
            self.centre_checkpoint[contributor] = self.centre_accumulator
            self._settle(centre)
            self.managed[centre] += new - old
            self.centre_checkpoint[centre] = self.centre_accumulator

    def split_fee(self, amount: int) -> tuple[int, int, int]:
        """(to_contributors, to_centres, to_fund) of a fee: with no pooled patent everything
        goes to the fund; else the fund and centre shares round down, the contributors take
        the rest."""
        if self.total_weight == 0:
            return 0, 0, amount
        to_fund = amount * self.fund_bps // BPS
        to_centres = amount * self.centre_bps // BPS
        return amount - to_fund - to_centres, to_centres, to_fund

    def book_fee(self, amount: int) -> tuple[int, int, int]:
        """A fee already transferred in: move the accumulators, count it; returns the split."""
        shares = self.split_fee(amount)
        to_contributors, to_centres, to_fund = shares
        total = self.total_weight
        if total:
            step = 0
            if to_contributors:
                scaled = to_contributors * PRECISION + self.contributor_carry
                step, self.contributor_carry = divmod(scaled, total)
            if to_centres:
                scaled = to_centres * PRECISION + self.centre_carry
                centre_step, self.centre_carry = divmod(scaled, total)
                self.centre_accumulator += centre_step
                step += centre_step
            self.royalty_accumulator += step
            for account in self.accounts():
                w = self.weight.get(account, 0)
                managed, delegated = self.managed.get(account, 0), self.delegated.get(account, 0)
                # the centre part of every patent goes to whoever manages it
                centre_side = w - delegated + managed
                share = Fraction(to_contributors * w + to_centres * centre_side, total)
                if share:
                    self.fair[account] += share
                if managed:
                    self.fair_centre[account] += Fraction(to_centres * managed, total)
        self.fees_in += amount
        self.paid_to_fund += to_fund
        self.fair_to_fund += to_fund
        return shares

    def book_patent_fee(
        self, amount: int, contributor: str, centre: str, share_bps: int | None = None
    ) -> tuple[int, int, int]:
        """Royalties.pay_for: a fee one patent earned, already transferred in, credited to
        its contributor and the centre whose mandate is in force (the contributor's, when
        there is none or it is the contributor itself): the mandate's share, capped by the
        council's centre share (`share_bps` None: the whole centre share); returns
        (to_contributor, to_centre, to_fund)."""
        to_fund = amount * self.fund_bps // BPS
        share = self.centre_bps if share_bps is None else min(share_bps, self.centre_bps)
        to_centre = amount * share // BPS
        if centre in (ZERO_ADDRESS, contributor):
            to_centre = 0
        to_contributor = amount - to_fund - to_centre
        self.settled[contributor] += to_contributor
        self.fair[contributor] += to_contributor
        if to_centre:
            self.settled[centre] += to_centre
            self.fair[centre] += to_centre
            self.fair_centre[centre] += to_centre
        self.fees_in += amount
        self.paid_to_fund += to_fund
        self.fair_to_fund += to_fund
        self.credited_to_patents += amount - to_fund
        return to_contributor, to_centre, to_fund

    def take_claim(self, account: str) -> int:
        """Settle and empty `account`'s earnings (the caller checked they are not zero)."""
        self._settle(account)
        amount = self.settled[account]
        self.settled[account] = 0
        self.claimed += amount
        self.claimed_by[account] += amount
        return amount

    def accounts(self) -> set[str]:
        """Every account the ledger has ever known."""
        return (
            set(self.settled)
            | set(self.claimed_by)
            | set(self.fair)
            | set(self.weight)
            | set(self.managed)
        )

    def dust(self, accounts: set[str] | None = None) -> int:
        """BPC in the ledger that no one can claim: the rounding of every settlement and of
        every pending share, and the carried remainders."""
        everyone = self.accounts() if accounts is None else accounts
        return self.fees_in - self.paid_to_fund - self.claimed - sum(map(self.claimable, everyone))

    def dust_bound(self) -> int:
        """One wei per settlement, one per pending share, one per carried remainder."""
        return sum(self.settlements.values()) + len(self.accounts()) + 2


# -- Certificates and the registry ---------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """The latest certificate for one (patent, document)."""

    owner: str
    status: int
    expiry: int
    nonce: int


@dataclass
class Patent:
    status: PatentStatus = PatentStatus.NONE
    source: int = 0
    contributor: str = ZERO_ADDRESS
    centre: str = ZERO_ADDRESS
    document: bytes = b"\x00" * 32
    right_ends: int = 0
    score: int = 0
    valuation: int = 0
    rated_at: int = 0
    rounds: int = 0
    tenure: int = 0


@dataclass(frozen=True)
class Sale:
    """A patent's last sale: the owner the certificate named then (zero if that was the
    buyer, or once the council cleared it: otherwise the patent's seller of record), its
    nonce, and the tenure the sale began."""

    owner: str
    nonce: int
    tenure: int


@dataclass(frozen=True)
class Mandate:
    """A patent's trusteeship offer or accepted mandate (Mandates' record), tagged with
    the tenure it was offered in: it speaks only while that tenure lasts and the patent
    is in the registry (a stale record stays in storage, without effect)."""

    centre: str
    terms: bytes
    share_bps: int
    expiry: int
    accepted: bool
    tenure: int


@dataclass(frozen=True)
class MandateEnding:
    """A mandate or offer that ended: the MandateEnded event it logged."""

    patent: bytes
    centre: str
    reason: MandateEnd
    accepted: bool


@dataclass(frozen=True)
class Settlement:
    """A settled rating round: its ballots (expert, score, valuation) and the result."""

    patent: bytes
    ballots: tuple[tuple[str, int, int], ...]
    score: int
    valuation: int


@dataclass(frozen=True)
class Pooling:
    """What held when a patent was pooled: the model's view, kept for the invariants."""

    patent: bytes
    now: int
    record: Record | None
    status_before: PatentStatus
    score: int
    rated_at: int
    core_threshold: int
    minted: int  # to the contributor at its first pooling, else to the fund
    first: bool  # the key's first pooling; pooled again, it mints to the fund


@dataclass
class PoolModel:
    """The registry, the certificate records it reads, BPC and the royalty ledger."""

    now: int
    council: str
    fund: str
    royalties_address: str
    initial_nav: int
    roles: dict[str, int]  # active members -> role bits (membership does not change here)
    royalties: RoyaltiesModel
    expert_threshold: int = 3
    core_threshold: int = 60
    rerate_interval: int = 30 * 86_400
    certificate_threshold: int = 2
    grace_period: int = GRACE_PERIOD_DEFAULT
    exchange: str = ZERO_ADDRESS
    patents: dict[bytes, Patent] = field(default_factory=dict)
    minted_for: dict[bytes, int] = field(default_factory=dict)  # BPC of a key's first pooling
    sales: dict[bytes, Sale] = field(default_factory=dict)  # the last sale of each patent
    settlements: list[Settlement] = field(default_factory=list)
    ballots: dict[tuple[bytes, int], list[tuple[str, int, int]]] = field(default_factory=dict)
    records: dict[tuple[bytes, bytes], Record] = field(default_factory=dict)
    keys: dict[bytes, tuple[str, str]] = field(default_factory=dict)
    token: TokenModel = field(default_factory=TokenModel)
    pooled_value: int = 0
    pooled_count: int = 0
    stray: int = 0  # BPC sent to Royalties by plain transfer: no one's fee, no one's share
    poolings: list[Pooling] = field(default_factory=list)
    # Mandates: each patent's offer or mandate (any tenure: a stale one has no effect),
    # PatentPool's terms of the centre it stores (expiry, share), and what ended
    mandates: dict[bytes, Mandate] = field(default_factory=dict)
    centre_terms: dict[bytes, tuple[int, int]] = field(default_factory=dict)
    mandate_endings: list[MandateEnding] = field(default_factory=list)
    # mandated[c]: what centre c may have earned by its mandates alone, exactly: of every
    # pool-wide fee, the centres' share times the weight of the pooled patents whose
    # accepted mandate (expired or not: the weight stays until someone ends it) names it,
    # over the whole pool's; of every fee a patent earns alone, the mandate's share while
    # it is accepted and unexpired. Judged from Mandates' records, not the pool's centre.
    mandated: dict[str, Fraction] = field(default_factory=lambda: defaultdict(Fraction))

    # -- the alliance (static)

    def is_active(self, who: str) -> bool:
        return who in self.roles

    def has_role(self, who: str, role: Role) -> bool:
        return bool(self.roles.get(who, 0) & role)

    # -- views

    def patent(self, pid: bytes) -> Patent:
        return self.patents.get(pid, Patent())

    def record(self, pid: bytes) -> Record | None:
        return self.records.get((pid, self.patent(pid).document))

    def lapse(self, pid: bytes, grace: int = 0) -> Lapse:
        """Why the certificate of `pid` (for its current document) no longer holds; past
        its expiry only from `grace` seconds after it (the grace period, for `expire`)."""
        p, r = self.patent(pid), self.record(pid)
        if r is None or r.status == CertStatus.NONE:
            return Lapse.NO_CERTIFICATE
        if r.status != CertStatus.IN_FORCE:
            return Lapse.NOT_IN_FORCE
        if self.now >= r.expiry + grace:
            return Lapse.PAST_EXPIRY
        if p.source == Source.USAGE_RIGHT:
            if self.now >= p.right_ends:
                return Lapse.RIGHT_ENDED
            # a usage right is contracted from an owner outside the alliance
            if r.owner == p.contributor or self.is_active(r.owner):
                return Lapse.OWNER_CHANGED
        elif r.owner != p.contributor:
            # the certificate of the office's owner at the sale that began this tenure holds
            # until a newer certificate (which must name the contributor)
            sale = self.sales.get(pid)
            if sale is None or sale.tenure != p.tenure or sale.owner != r.owner:
                return Lapse.OWNER_CHANGED
            if r.nonce > sale.nonce:
                return Lapse.OWNER_CHANGED
        return Lapse.NONE

    def expected_owner(self, pid: bytes, abroad: str) -> str:
        """Who a certificate must name for `pid` to be in force (`abroad`: a non-member)."""
        p = self.patent(pid)
        return abroad if p.source == Source.USAGE_RIGHT else p.contributor

    def nav(self) -> int:
        if self.token.supply == 0:
            return self.initial_nav
        return self.pooled_value * NAV_ONE // self.token.supply

    def unowned(self) -> int:
        """BPC the fund gets for pooled value nobody holds (every BPC burned)."""
        if self.token.supply == 0 and self.pooled_value != 0:
            return self.pooled_value * NAV_ONE // self.initial_nav
        return 0

    def mint_amount(self, valuation: int) -> tuple[str | None, int]:
        supply = self.token.supply or self.unowned()
        at_initial_nav = valuation * NAV_ONE // self.initial_nav
        if supply == 0:
            return None, at_initial_nav
        if self.pooled_value == 0:
            # every patent left: the outstanding BPC claims nothing; the new patent mints at
            # the initial NAV or a million times the valueless supply, whichever is more
            minted = max(at_initial_nav, supply * ROUNDING_LOSS_MAX)
        else:
            product = valuation * supply
            # what rounding takes from the minter: under a millionth of the patent's value
            if product % self.pooled_value * ROUNDING_LOSS_MAX > product:
                return "pool: too few BPC outstanding to mint at NAV without loss", 0
            minted = product // self.pooled_value
        if supply + minted > SUPPLY_MAX:
            return "pool: the BPC supply would pass 10^44: the NAV is too low to mint at", 0
        return None, minted

    def pooled_ids(self) -> list[bytes]:
        return [pid for pid, p in self.patents.items() if p.status == PatentStatus.POOLED]

    # -- certificates

    def attest(
        self,
        office: str,
        number: str,
        document: bytes,
        owner: str,
        status: int,
        expiry: int,
        nonce: int,
    ) -> str | None:
        if not CertStatus.IN_FORCE <= status <= CertStatus.INVALIDATED:
            return "certificates: status out of range"
        if owner == ZERO_ADDRESS:
            return "certificates: owner is the zero address"
        if document == b"\x00" * 32:
            return "certificates: empty document digest"
        if expiry == 0:
            return "certificates: expiry is zero"
        if nonce == 0:
            return "certificates: nonce must be at least 1"
        reason = key_error(office, number)
        if reason:
            return reason
        key = (patent_id(office, number), document)
        last = self.records[key].nonce if key in self.records else 0
        if nonce <= last:
            return "certificates: nonce already used"
        self.records[key] = Record(owner, status, expiry, nonce)
        return None

    def revoke(self, office: str, number: str, document: bytes, nonce: int) -> str | None:
        reason = key_error(office, number)
        if reason:
            return reason
        key = (patent_id(office, number), document)
        r = self.records.get(key)
        if r is None or r.nonce != nonce:
            return "certificates: no such certificate"
        if r.status == CertStatus.REVOKED:
            return "certificates: already revoked"
        self.records[key] = replace(r, status=CertStatus.REVOKED)
        return None

    def last_nonce(self, pid: bytes, document: bytes) -> int:
        r = self.records.get((pid, document))
        return 0 if r is None else r.nonce

    # -- the registry

    def submit(
        self,
        sender: str,
        office: str,
        number: str,
        document: bytes,
        source: int,
        centre: str,
        right_ends: int,
    ) -> str | None:
        reason = key_error(office, number)
        if reason:
            return reason
        if document == b"\x00" * 32:
            return "pool: empty document digest"
        if not Source.CONTRIBUTED <= source <= Source.USAGE_RIGHT:
            return "pool: unknown source"
        contributor = sender
        if source in (Source.PURCHASED, Source.FILED):
            if sender != self.council:
                return "pool: only the council submits the fund's patents"
            contributor = self.fund
        elif not self.has_role(sender, Role.PROVIDER):
            return "pool: caller is not a provider"
        if source == Source.USAGE_RIGHT:
            if right_ends <= self.now:
                return "pool: a usage right needs an end date in the future"
        elif right_ends != 0:
            return "pool: only a usage right has an end date"
        if centre != ZERO_ADDRESS and not self.has_role(centre, Role.TRUSTEESHIP_CENTRE):
            return "pool: centre is not a trusteeship centre"
        pid = patent_id(office, number)
        old = self.patent(pid)
        if old.status not in (
            PatentStatus.NONE,
            PatentStatus.REMOVED,
            PatentStatus.EXPIRED,
            PatentStatus.WITHDRAWN,
        ):
            return "pool: patent already registered"
        if pid in self.sales and self.sales[pid].owner == contributor:
            return "pool: the contributor sold this patent on the exchange"
        # a new life opens a fresh rating round, never the old life's ballots, and a new
        # tenure (what the old one listed, offered or mandated ends)
        rounds = old.rounds + (0 if old.status == PatentStatus.NONE else 1)
        self.patents[pid] = Patent(
            status=PatentStatus.SUBMITTED,
            source=source,
            contributor=contributor,
            centre=ZERO_ADDRESS,  # a nominee only: a centre earns and acts once it accepts
            document=document,
            right_ends=right_ends,
            rounds=rounds,
            tenure=old.tenure + 1,
        )
        self.keys[pid] = (office, number)
        return None

    def withdraw(self, sender: str, pid: bytes) -> str | None:
        p = self.patent(pid)
        if p.status == PatentStatus.NONE:
            return "pool: unknown patent"
        if p.status >= PatentStatus.POOLED:
            return "pool: only a patent not yet pooled can be withdrawn"
        if not (sender == p.contributor or (p.contributor == self.fund and sender == self.council)):
            return "pool: only the contributor may withdraw"
        p.status = PatentStatus.WITHDRAWN
        self._clear_centre(pid)
        return None

    @staticmethod
    def _in_force_error(lapse: Lapse) -> str | None:
        return {
            Lapse.NONE: None,
            Lapse.NO_CERTIFICATE: "pool: no certificate for this patent and document",
            Lapse.NOT_IN_FORCE: "pool: certificate does not say in force",
            Lapse.PAST_EXPIRY: "pool: certificate expired",
            Lapse.RIGHT_ENDED: "pool: usage right ended",
            Lapse.OWNER_CHANGED: "pool: certificate names another owner",
        }[lapse]

    def certify(self, pid: bytes) -> str | None:
        p = self.patent(pid)
        if p.status != PatentStatus.SUBMITTED:
            return "pool: patent is not awaiting certification"
        reason = self._in_force_error(self.lapse(pid))
        if reason:
            return reason
        p.status = PatentStatus.CERTIFIED
        return None

    def rate(
        self, sender: str, pid: bytes, score: int, valuation: int, reasoning: bytes = b"\x5e" * 32
    ) -> str | None:
        if not self.has_role(sender, Role.EXPERT):
            return "pool: caller is not an expert"
        p = self.patent(pid)
        if not PatentStatus.CERTIFIED <= p.status <= PatentStatus.POOLED:
            return "pool: patent is not certified"
        if sender == p.contributor:
            return "pool: an expert cannot rate its own patent"
        if sender == p.centre:
            return "pool: an expert cannot rate a patent its centre manages"
        if score > SCORE_MAX:
            return "pool: score above 100"
        if valuation == 0:
            return "pool: valuation is zero"
        if valuation > VALUATION_MAX:
            return "pool: valuation above 10^33"
        if reasoning == bytes(32):
            return "pool: empty reasoning digest"
        if p.rated_at != 0 and self.now < p.rated_at + self.rerate_interval:
            return "pool: not due for re-rating"
        ballots = self.ballots.setdefault((pid, p.rounds), [])
        if any(expert == sender for expert, _, _ in ballots):
            return "pool: expert already rated this round"
        ballots.append((sender, score, valuation))
        if len(ballots) >= self.expert_threshold:
            self._settle_round(pid, ballots)
        return None

    def _settle_round(self, pid: bytes, ballots: list[tuple[str, int, int]]) -> None:
        p = self.patents[pid]
        score = median([b[1] for b in ballots])
        valuation = median([b[2] for b in ballots])
        self.settlements.append(Settlement(pid, tuple(ballots), score, valuation))
        old_score, old_valuation = p.score, p.valuation
        p.score, p.valuation, p.rated_at = score, valuation, self.now
        p.rounds += 1
        if p.status == PatentStatus.CERTIFIED:
            p.status = PatentStatus.RATED
        elif p.status == PatentStatus.POOLED:
            if score < self.core_threshold:
                # re-rated under the core: it leaves the pool with the value it had
                self.pooled_value -= old_valuation
                self.pooled_count -= 1
                p.status = PatentStatus.REMOVED
                self.royalties.change_weight(p.contributor, p.centre, old_score, 0)
                self._clear_centre(pid)
            else:
                self.pooled_value += valuation - old_valuation
                if score != old_score:
                    self.royalties.change_weight(p.contributor, p.centre, old_score, score)

    def pool(self, sender: str, pid: bytes) -> tuple[str | None, int]:
        if sender != self.council:
            return OWNER_REASON, 0
        p = self.patent(pid)
        if p.status != PatentStatus.RATED:
            return "pool: patent is not rated", 0
        if p.score < self.core_threshold:
            return "pool: rating under the core threshold", 0
        reason = self._in_force_error(self.lapse(pid))
        if reason:
            return reason, 0
        reason, minted = self.mint_amount(p.valuation)
        if reason:
            return reason, 0
        if minted == 0:
            return "pool: valuation too small to mint any BPC", 0
        first = pid not in self.minted_for  # a key mints to its contributor once in its life
        if first:
            self.minted_for[pid] = minted
        self.poolings.append(
            Pooling(
                pid,
                self.now,
                self.record(pid),
                p.status,
                p.score,
                p.rated_at,
                self.core_threshold,
                minted,
                first,
            )
        )
        unowned = self.unowned()
        if unowned:
            self.token.mint(self.fund, unowned)
        centre = self.centre_in_force(pid)
        if centre != p.centre:
            self._clear_centre(pid)  # its mandate expired: the contributor takes the weight
        p.status = PatentStatus.POOLED
        self.pooled_value += p.valuation
        self.pooled_count += 1
        self.royalties.change_weight(p.contributor, centre, 0, p.score)
        self.token.mint(p.contributor if first else self.fund, minted)
        return None, minted if first else 0

    def _leave(self, pid: bytes, status: PatentStatus) -> None:
        p = self.patents[pid]
        if p.status == PatentStatus.POOLED:
            self.pooled_value -= p.valuation
            self.pooled_count -= 1
            self.royalties.change_weight(p.contributor, p.centre, p.score, 0)
        p.status = status
        self._clear_centre(pid)  # a mandate ends when its patent leaves the registry

    def remove(self, sender: str, pid: bytes, reason_code: int) -> str | None:
        if sender != self.council:
            return OWNER_REASON
        if not 1 <= reason_code <= 4:
            return "pool: unknown removal reason"
        if not PatentStatus.SUBMITTED <= self.patent(pid).status <= PatentStatus.POOLED:
            return "pool: patent is not in the registry"
        self._leave(pid, PatentStatus.REMOVED)
        return None

    def remove_below_core(self, pid: bytes) -> str | None:
        p = self.patent(pid)
        if p.status != PatentStatus.POOLED:
            return "pool: patent is not pooled"
        if p.score >= self.core_threshold:
            return "pool: rating is not under the core threshold"
        self._leave(pid, PatentStatus.REMOVED)
        return None

    def expire(self, pid: bytes) -> str | None:
        if not PatentStatus.CERTIFIED <= self.patent(pid).status <= PatentStatus.POOLED:
            return "pool: patent is not certified"
        if self.lapse(pid, self.grace_period) == Lapse.NONE:
            if self.lapse(pid) == Lapse.PAST_EXPIRY:
                return "pool: certificate expired; its grace period for late fees has not ended"
            return "pool: certificate still in force"
        self._leave(pid, PatentStatus.EXPIRED)
        return None

    def expire_lapse(self, pid: bytes) -> Lapse:
        """The lapse `expire` logs (the grace period applied to past expiry)."""
        return self.lapse(pid, self.grace_period)

    def assign(self, sender: str, pid: bytes, buyer: str) -> str | None:
        """The exchange records a sale: the buyer becomes the contributor of record."""
        if sender != self.exchange:
            return "pool: only the exchange assigns"
        p = self.patent(pid)
        if p.status != PatentStatus.POOLED:
            return "pool: patent is not pooled"
        if p.source == Source.USAGE_RIGHT:
            return "pool: a usage right cannot be assigned"
        if buyer == ZERO_ADDRESS:
            return "pool: buyer is the zero address"
        if buyer == p.contributor:
            return "pool: buyer already holds the patent"
        reason = self._in_force_error(self.lapse(pid))
        if reason:
            return reason
        record = self.record(pid)
        assert record is not None
        seller = p.contributor
        p.tenure += 1
        # the owner the office names is the seller of record, unless it buys it back
        named = ZERO_ADDRESS if buyer == record.owner else record.owner
        self.sales[pid] = Sale(named, record.nonce, p.tenure)
        self.royalties.change_weight(seller, p.centre, p.score, 0)
        self.royalties.change_weight(buyer, ZERO_ADDRESS, 0, p.score)
        p.contributor = buyer
        self._clear_centre(pid)  # the seller's mandate ends with its tenure
        p.source = Source.PURCHASED if buyer == self.fund else Source.CONTRIBUTED
        return None

    def seller_of_record(self, pid: bytes) -> str:
        sale = self.sales.get(pid)
        return ZERO_ADDRESS if sale is None else sale.owner

    def clear_seller(self, sender: str, pid: bytes, seller: str) -> str | None:
        if sender != self.council:
            return OWNER_REASON
        if PatentStatus.SUBMITTED <= self.patent(pid).status <= PatentStatus.POOLED:
            return "pool: the patent is in the registry"
        if seller == ZERO_ADDRESS or self.seller_of_record(pid) != seller:
            return "pool: not the seller of record of this patent"
        self.sales[pid] = replace(self.sales[pid], owner=ZERO_ADDRESS)
        return None

    def set_grace_period(self, sender: str, seconds: int) -> str | None:
        if sender != self.council:
            return OWNER_REASON
        if seconds > GRACE_PERIOD_MAX:
            return "pool: grace period above one year"
        self.grace_period = seconds
        return None

    def set_parameters(self, sender: str, expert: int, core: int, interval: int) -> str | None:
        if sender != self.council:
            return OWNER_REASON
        if not (3 <= expert < MAX_EXPERTS and expert % 2 == 1):
            return "pool: expert threshold must be odd, 3 to 15"
        if core > SCORE_MAX:
            return "pool: core threshold above 100"
        if interval > RERATE_INTERVAL_MAX:
            return "pool: re-rating interval above ten years"
        self.expert_threshold, self.core_threshold, self.rerate_interval = expert, core, interval
        return None

    # -- royalties and BPC

    def set_split(self, sender: str, split: tuple[int, int, int]) -> str | None:
        if sender != self.council:
            return OWNER_REASON
        return self.royalties.set_split(*split)

    def pay(self, payer: str, amount: int) -> tuple[str | None, tuple[int, int, int]]:
        if amount == 0:
            return "royalties: amount is zero", (0, 0, 0)
        reason = self.token.transfer_from(
            self.royalties_address, payer, self.royalties_address, amount
        )
        if reason:
            return reason, (0, 0, 0)
        total, mandated = self.royalties.total_weight, self._mandated_weights()
        shares = self.royalties.book_fee(amount)
        for centre, weight in mandated.items():
            if weight:  # a patent rated 0 (under a core threshold of 0) weighs nothing
                self.mandated[centre] += Fraction(shares[1] * weight, total)
        if shares[2]:
            reason = self.token.transfer(self.royalties_address, self.fund, shares[2])
            assert reason is None, "the model's ledger cannot pay the fund its share"
        return None, shares

    def claim(self, account: str) -> tuple[str | None, int]:
        amount = self.royalties.claimable(account)
        if amount == 0:
            return "royalties: nothing to claim", 0
        if self.token.balance(self.royalties_address) < amount:
            return "erc20: transfer amount exceeds balance", 0
        taken = self.royalties.take_claim(account)
        assert taken == amount
        assert self.token.transfer(self.royalties_address, account, amount) is None
        return None, amount

    def transfer(self, sender: str, to: str, amount: int) -> str | None:
        reason = self.token.transfer(sender, to, amount)
        if reason is None and to == self.royalties_address and sender != to:
            self.stray += amount
        return reason

    def burn(self, owner: str, amount: int) -> str | None:
        return self.token.burn(owner, amount)

    def pay_for(
        self, payer: str, pid: bytes, amount: int
    ) -> tuple[str | None, tuple[str, int, str, int, int]]:
        """Royalties.pay_for: a fee `pid` earned alone, split by PatentPool.payees now;
        returns the reason or None, and (contributor, to_contributor, centre, to_centre,
        to_fund) as its PatentRoyaltyPaid event logs them."""
        nothing = (ZERO_ADDRESS, 0, ZERO_ADDRESS, 0, 0)
        if amount == 0:
            return "royalties: amount is zero", nothing
        status, contributor, centre, share = self.payees(pid)
        if status == PatentStatus.NONE:
            return "royalties: no such patent", nothing
        reason = self.token.transfer_from(
            self.royalties_address, payer, self.royalties_address, amount
        )
        if reason:
            return reason, nothing
        to_contributor, to_centre, to_fund = self.royalties.book_patent_fee(
            amount, contributor, centre, share
        )
        m = self.current_mandate(pid)
        if m is not None and m.accepted and self.now < m.expiry:
            self.mandated[m.centre] += amount * min(m.share_bps, self.royalties.centre_bps) // BPS
        if to_fund:
            reason = self.token.transfer(self.royalties_address, self.fund, to_fund)
            assert reason is None, "the model's ledger cannot pay the fund its share"
        if centre == contributor:
            centre = ZERO_ADDRESS
        return None, (contributor, to_contributor, centre, to_centre, to_fund)

    # -- trusteeship mandates (Mandates, and the centre PatentPool stores)

    def in_registry(self, pid: bytes) -> bool:
        return PatentStatus.SUBMITTED <= self.patent(pid).status <= PatentStatus.POOLED

    def centre_in_force(self, pid: bytes) -> str:
        """PatentPool._centre_in_force: the stored centre until its mandate's expiry."""
        centre = self.patent(pid).centre
        expiry, _ = self.centre_terms.get(pid, (0, 0))
        if centre == ZERO_ADDRESS or self.now >= expiry:
            return ZERO_ADDRESS
        return centre

    def payees(self, pid: bytes) -> tuple[int, str, str, int]:
        """PatentPool.payees: status, contributor, the centre in force and its share."""
        p = self.patent(pid)
        centre = self.centre_in_force(pid)
        share = self.centre_terms[pid][1] if centre != ZERO_ADDRESS else 0
        return int(p.status), p.contributor, centre, share

    def ownership(self, pid: bytes) -> tuple[int, str, str, int]:
        """PatentPool.ownership: status, contributor, the centre in force, tenure."""
        p = self.patent(pid)
        return int(p.status), p.contributor, self.centre_in_force(pid), p.tenure

    def _mandated_weights(self) -> dict[str, int]:
        """Each centre's weight by the pooled patents whose accepted mandate names it."""
        weights: dict[str, int] = defaultdict(int)
        for pid in self.pooled_ids():
            m = self.current_mandate(pid)
            if m is not None and m.accepted and m.centre != self.patents[pid].contributor:
                weights[m.centre] += self.patents[pid].score
        return weights

    def current_mandate(self, pid: bytes) -> Mandate | None:
        """The offer or mandate that speaks for `pid` now: of its tenure, in the registry."""
        m = self.mandates.get(pid)
        if m is None or m.tenure != self.patent(pid).tenure or not self.in_registry(pid):
            return None
        return m

    def mandate_of(self, pid: bytes) -> tuple[str, bytes, int, int, MandateState]:
        """Mandates.mandate_of: centre, terms, share, expiry, state."""
        m = self.current_mandate(pid)
        if m is None:
            return ZERO_ADDRESS, b"\x00" * 32, 0, 0, MandateState.NONE
        state = MandateState.OFFERED
        if m.accepted:
            state = MandateState.IN_FORCE if self.now < m.expiry else MandateState.EXPIRED
        return m.centre, m.terms, m.share_bps, m.expiry, state

    def _is_contributor(self, sender: str, contributor: str) -> bool:
        return sender == contributor or (contributor == self.fund and sender == self.council)

    def offer_mandate(
        self, sender: str, pid: bytes, centre: str, terms: bytes, share_bps: int, expiry: int
    ) -> str | None:
        p = self.patent(pid)
        if not self.in_registry(pid):
            return MANDATE_NOT_IN_REGISTRY
        if not self._is_contributor(sender, p.contributor):
            return MANDATE_NOT_CONTRIBUTOR
        if centre == ZERO_ADDRESS:
            return MANDATE_CENTRE_ZERO
        if centre == p.contributor:
            return MANDATE_OWN_CENTRE
        if not self.has_role(centre, Role.TRUSTEESHIP_CENTRE):
            return MANDATE_NOT_CENTRE
        if terms == b"\x00" * 32:
            return MANDATE_EMPTY_TERMS
        if share_bps > self.royalties.centre_bps:
            return MANDATE_SHARE_TOO_HIGH
        if expiry <= self.now:
            return MANDATE_EXPIRY_PAST
        old = self.mandates.get(pid)
        if old is not None and old.tenure == p.tenure:
            # an expired mandate ends here; one in force must be ended by a party first
            if old.accepted and self.now < old.expiry:
                return MANDATE_IN_FORCE
            self._end(pid, MandateEnd.EXPIRED if old.accepted else MandateEnd.REPLACED)
        self.mandates[pid] = Mandate(centre, terms, share_bps, expiry, False, p.tenure)
        return None

    def accept_mandate(
        self, sender: str, pid: bytes, terms: bytes, share_bps: int, expiry: int
    ) -> str | None:
        m = self.current_mandate(pid)
        if m is None:
            return MANDATE_NONE
        if m.centre != sender:
            return MANDATE_NO_OFFER
        if m.accepted:
            return MANDATE_ALREADY
        if (m.terms, m.share_bps, m.expiry) != (terms, share_bps, expiry):
            return MANDATE_TERMS_DIFFER
        if expiry <= self.now:
            return MANDATE_OFFER_EXPIRED
        if not self.has_role(sender, Role.TRUSTEESHIP_CENTRE):
            return MANDATE_NOT_CENTRE
        self.mandates[pid] = replace(m, accepted=True)
        self._set_centre(pid, sender, expiry, share_bps)
        return None

    def end_mandate(self, sender: str, pid: bytes) -> str | None:
        m = self.current_mandate(pid)
        if m is None:
            return MANDATE_NONE
        if self._is_contributor(sender, self.patent(pid).contributor):
            reason = MandateEnd.BY_CONTRIBUTOR
        elif sender == m.centre:
            reason = MandateEnd.BY_CENTRE
        elif m.accepted and self.now >= m.expiry:
            reason = MandateEnd.EXPIRED
        elif m.accepted and not self.has_role(m.centre, Role.TRUSTEESHIP_CENTRE):
            reason = MandateEnd.CENTRE_LEFT
        else:
            return MANDATE_NOT_A_PARTY
        self._end(pid, reason)
        return None

    def _end(self, pid: bytes, reason: MandateEnd) -> None:
        m = self.mandates.pop(pid)
        if m.accepted:
            self._set_centre(pid, ZERO_ADDRESS, 0, 0)
        self.mandate_endings.append(MandateEnding(pid, m.centre, reason, m.accepted))

    def _set_centre(self, pid: bytes, centre: str, expiry: int, share_bps: int) -> None:
        """PatentPool.set_centre: a pooled patent's centre weight moves from the stored
        centre (or its contributor) to the new one (or back to its contributor)."""
        p = self.patents[pid]
        if p.status == PatentStatus.POOLED and p.centre != centre:
            self.royalties.change_weight(p.contributor, p.centre, p.score, 0)
            self.royalties.change_weight(p.contributor, centre, 0, p.score)
        p.centre = centre
        self.centre_terms[pid] = (expiry, share_bps)

    def _clear_centre(self, pid: bytes) -> None:
        """PatentPool._clear_centre: forgets the stored centre (its weight already moved)."""
        if pid in self.patents:
            self.patents[pid].centre = ZERO_ADDRESS
        self.centre_terms.pop(pid, None)

    def toggle_centre_role(self, sender: str, who: str) -> tuple[str | None, bool]:
        """The council revokes `who`'s trusteeship-centre role, or grants it back; returns
        the reason or None, and whether it was a grant."""
        if sender != self.council:
            return OWNER_REASON, False
        roles = self.roles[who]
        self.roles[who] = roles ^ Role.TRUSTEESHIP_CENTRE
        return None, not roles & Role.TRUSTEESHIP_CENTRE
