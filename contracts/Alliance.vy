# pragma version ~=0.4.3
"""
@title Alliance
@notice Members of the alliance and their real-name roles. Anyone may apply
        with a member kind and the digest of its identity record (the KYC
        record's IPFS CID digest, never the record); every application gets its
        own number. Only the council's Governance contract (this contract's
        owner) admits, rejects, suspends, reinstates and expels members, grants
        and revokes roles and sets the market share of large enterprises. An
        admission or a rejection names the very application it decides (number,
        kind, identity digest): a proposal voted for one application never
        decides another the same address made later.
@dev Later contracts read members through `interfaces/IAlliance.vyi`.
     Kinds, statuses and role bits live in `codes.vy`.
"""

from interfaces import IAlliance

implements: IAlliance

from snekmate.auth import ownable
import codes

initializes: ownable

# The council may hand the alliance to a new council contract; renouncing
# ownership is not exported, so the alliance can never be left ungoverned.
exports: (ownable.owner, ownable.transfer_ownership)

# Marks an active member's word in `standing`.
ACTIVE_BIT: constant(uint256) = 1 << 255


struct Member:
    kind: uint8
    status: uint8
    market_share_bps: uint16
    roles: uint256
    identity: bytes32
    application: uint64
    active_since: uint64


# @dev Every address that ever applied, in order of first application.
member_list: HashMap[uint256, address]
member_count: public(uint256)

members: public(HashMap[address, Member])
active_count: public(uint256)
# @notice Applications made so far; an application's number is its place in this count.
application_count: public(uint256)

# @dev One word per address for the hot path of `has_role` and `is_active`
#      (every signature check and provider check in the suite): the roles of an
#      active member with ACTIVE_BIT set, zero for anyone else. `_sync` keeps it
#      equal to (status, roles) after every change of either.
standing: HashMap[address, uint256]


event Applied:
    applicant: indexed(address)
    application: indexed(uint256)
    kind: uint8
    identity: bytes32


event Admitted:
    member: indexed(address)
    application: indexed(uint256)


event Rejected:
    applicant: indexed(address)
    application: indexed(uint256)


event Suspended:
    member: indexed(address)


event Reinstated:
    member: indexed(address)


event Expelled:
    member: indexed(address)
    roles_cleared: uint256


event RoleGranted:
    member: indexed(address)
    role: indexed(uint256)


event RoleRevoked:
    member: indexed(address)
    role: indexed(uint256)


event MarketShareSet:
    member: indexed(address)
    market_share_bps: uint16


@deploy
def __init__(council: address):
    """
    @notice Deploys the member registry governed by `council`.
    @param council The council's Governance contract, the only caller of
           the privileged functions.
    """
    assert council != empty(address), "alliance: council is the zero address"
    ownable.__init__()
    ownable._transfer_ownership(council)


@external
def apply(kind: uint8, identity: bytes32):
    """
    @notice Applies for membership. The council then admits or rejects the
            application. A rejected applicant may apply again; an expelled
            one may not.
    @param kind The member kind (`codes.KIND_*`, 1 to 5).
    @param identity The digest of the applicant's identity record CID.
    """
    assert kind >= codes.KIND_NON_PROFIT and kind <= codes.KIND_MAX, "alliance: unknown member kind"
    assert identity != empty(bytes32), "alliance: empty identity digest"
    status: uint8 = self.members[msg.sender].status
    assert status != codes.STATUS_APPLIED, "alliance: application already pending"
    assert status != codes.STATUS_EXPELLED, "alliance: expelled members cannot apply"
    assert status == codes.STATUS_NONE or status == codes.STATUS_REJECTED, "alliance: already a member"
    if status == codes.STATUS_NONE:
        self.member_list[self.member_count] = msg.sender
        self.member_count += 1
    # dev: numbers start at 1, so 0 means "never applied"; 2^64 applications are out of reach
    application: uint256 = self.application_count + 1
    self.application_count = application
    # Only these fields change: an applicant (new or rejected) was never active, so
    # its roles, market share and active_since are still zero. Writing fields one by
    # one skips six cold reads and three no-op writes of the whole struct.
    self.members[msg.sender].kind = kind
    self.members[msg.sender].status = codes.STATUS_APPLIED
    self.members[msg.sender].identity = identity
    self.members[msg.sender].application = convert(application, uint64)
    log Applied(applicant=msg.sender, application=application, kind=kind, identity=identity)


@external
def admit(applicant: address, application: uint256, kind: uint8, identity: bytes32):
    """
    @notice Admits a pending application as an active member: the one the
            council reviewed, named by its number, kind and identity digest.
    @dev A proposal carries these four values; if the applicant was rejected
         and applied again since (another kind, another identity), the number
         differs and the admission reverts instead of admitting what nobody
         reviewed.
    @param applicant The applicant's address.
    @param application The application's number (`Applied.application`).
    @param kind The member kind the application states.
    @param identity The identity record digest the application states.
    """
    ownable._check_owner()
    self._require_application(applicant, application, kind, identity)
    self._activate(applicant)
    log Admitted(member=applicant, application=application)


@external
def reject(applicant: address, application: uint256, kind: uint8, identity: bytes32):
    """
    @notice Rejects a pending application, named as in `admit`. The applicant
            may apply again (a new application, with a new number).
    @param applicant The applicant's address.
    @param application The application's number (`Applied.application`).
    @param kind The member kind the application states.
    @param identity The identity record digest the application states.
    """
    ownable._check_owner()
    self._require_application(applicant, application, kind, identity)
    self.members[applicant].status = codes.STATUS_REJECTED
    log Rejected(applicant=applicant, application=application)


@external
def suspend(member: address):
    """
    @notice Suspends an active member. A suspended member keeps its roles on
            record but `is_active` and `has_role` answer false until it is
            reinstated.
    @param member The member's address.
    """
    ownable._check_owner()
    self._require_status(member, codes.STATUS_ACTIVE, "alliance: not an active member")
    self.members[member].status = codes.STATUS_SUSPENDED
    self.active_count -= 1
    self._sync(member)
    log Suspended(member=member)


@external
def reinstate(member: address):
    """
    @notice Reinstates a suspended member.
    @param member The member's address.
    """
    ownable._check_owner()
    self._require_status(member, codes.STATUS_SUSPENDED, "alliance: not a suspended member")
    self._activate(member)
    log Reinstated(member=member)


@external
def expel(member: address):
    """
    @notice Expels an active or suspended member for good and clears its
            roles. An expelled address can never apply again.
    @param member The member's address.
    """
    ownable._check_owner()
    status: uint8 = self.members[member].status
    assert status == codes.STATUS_ACTIVE or status == codes.STATUS_SUSPENDED, "alliance: not a member"
    if status == codes.STATUS_ACTIVE:
        self.active_count -= 1
    roles: uint256 = self.members[member].roles
    self.members[member].status = codes.STATUS_EXPELLED
    self.members[member].roles = 0
    self._sync(member)
    log Expelled(member=member, roles_cleared=roles)


@external
def grant_role(member: address, role: uint256):
    """
    @notice Grants one real-name role to an active member.
    @param member The member's address.
    @param role Exactly one role bit (`codes.ROLE_*`).
    """
    ownable._check_owner()
    self._require_single_role(role)
    self._require_status(member, codes.STATUS_ACTIVE, "alliance: not an active member")
    roles: uint256 = self.members[member].roles
    assert roles & role == 0, "alliance: role already granted"
    self.members[member].roles = roles | role
    self._sync(member)
    log RoleGranted(member=member, role=role)


@external
def revoke_role(member: address, role: uint256):
    """
    @notice Revokes one role from a member (active or suspended).
    @param member The member's address.
    @param role Exactly one role bit (`codes.ROLE_*`).
    """
    ownable._check_owner()
    self._require_single_role(role)
    roles: uint256 = self.members[member].roles
    assert roles & role != 0, "alliance: role not held"
    self.members[member].roles = roles & ~role
    self._sync(member)
    log RoleRevoked(member=member, role=role)


@external
def set_market_share(member: address, market_share_bps: uint16):
    """
    @notice Sets a large enterprise's market share, which scales its
            licence tier.
    @param member The member's address; its kind must be large enterprise.
    @param market_share_bps The share in basis points, 0 to 10,000.
    """
    ownable._check_owner()
    status: uint8 = self.members[member].status
    assert status == codes.STATUS_ACTIVE or status == codes.STATUS_SUSPENDED, "alliance: not a member"
    assert self.members[member].kind == codes.KIND_LARGE_ENTERPRISE, "alliance: market share only for large enterprises"
    assert market_share_bps <= codes.MARKET_SHARE_MAX_BPS, "alliance: market share above 10000 bps"
    self.members[member].market_share_bps = market_share_bps
    log MarketShareSet(member=member, market_share_bps=market_share_bps)


@view
@external
def is_active(who: address) -> bool:
    """
    @notice Whether `who` is an active member.
    @param who The address to check.
    @return True when the member is admitted and not suspended or expelled.
    """
    return self.standing[who] & ACTIVE_BIT != 0


@view
@external
def has_role(who: address, role: uint256) -> bool:
    """
    @notice Whether `who` is an active member holding every bit of `role`.
    @dev A suspended member's roles answer false until it is reinstated.
    @param who The address to check.
    @param role One role bit, or several or'ed together.
    @return True when active and holding all of `role` (false for role 0).
    """
    standing: uint256 = self.standing[who]
    return role != 0 and standing & ACTIVE_BIT != 0 and standing & role == role


@view
@external
def kind_of(who: address) -> uint8:
    """
    @notice The member kind of `who`, 0 when it never applied.
    @param who The address to check.
    @return The kind (`codes.KIND_*`).
    """
    return self.members[who].kind


@view
@external
def status_of(who: address) -> uint8:
    """
    @notice The membership status of `who`.
    @param who The address to check.
    @return The status (`codes.STATUS_*`), 0 when it never applied.
    """
    return self.members[who].status


@view
@external
def roles_of(who: address) -> uint256:
    """
    @notice The role bits on record for `who`, whatever its status.
    @param who The address to check.
    @return The role bits.
    """
    return self.members[who].roles


@view
@external
def market_share_of(who: address) -> uint16:
    """
    @notice The market share of a large enterprise, in basis points.
    @param who The address to check.
    @return The share, 0 for every other kind.
    """
    return self.members[who].market_share_bps


@view
@external
def identity_of(who: address) -> bytes32:
    """
    @notice The identity record digest `who` applied with.
    @param who The address to check.
    @return The digest.
    """
    return self.members[who].identity


@view
@external
def application_of(who: address) -> (uint256, uint8, bytes32):
    """
    @notice The latest application of `who`, as `admit` and `reject` name it.
    @param who The address to check.
    @return The application's number (0 when it never applied), its kind and
            its identity digest. Whether it is pending is `status_of`.
    """
    return (
        convert(self.members[who].application, uint256),
        self.members[who].kind,
        self.members[who].identity,
    )


@view
@external
def active_since(who: address) -> uint256:
    """
    @notice The block in which `who` last became active (admitted or
            reinstated). Governance uses it so that only members active
            before a proposal was made may vote on it.
    @param who The address to check.
    @return The block number, 0 when never active.
    """
    return convert(self.members[who].active_since, uint256)


@view
@external
def member_at(index: uint256) -> address:
    """
    @notice The address that applied `index`-th (for listing members).
    @param index From 0 to `member_count() - 1`.
    @return The address.
    """
    assert index < self.member_count, "alliance: member index out of range"
    return self.member_list[index]


@internal
def _require_status(who: address, status: uint8, reason: String[64]):
    assert self.members[who].status == status, reason


@internal
def _require_application(who: address, application: uint256, kind: uint8, identity: bytes32):
    self._require_status(who, codes.STATUS_APPLIED, "alliance: no pending application")
    assert convert(self.members[who].application, uint256) == application, "alliance: not the pending application"
    assert self.members[who].kind == kind, "alliance: kind differs from the application"
    assert self.members[who].identity == identity, "alliance: identity differs from the application"


@internal
def _require_single_role(role: uint256):
    # dev: exactly one bit, and one the alliance knows
    assert role != 0 and role & (role - 1) == 0 and role & codes.ROLE_ALL == role, "alliance: unknown role"


@internal
def _activate(who: address):
    self.members[who].status = codes.STATUS_ACTIVE
    self.members[who].active_since = convert(block.number, uint64)
    self.active_count += 1
    self._sync(who)


@internal
def _sync(who: address):
    # dev: role bits stay below bit 8, so ACTIVE_BIT never collides with a role
    standing: uint256 = 0
    if self.members[who].status == codes.STATUS_ACTIVE:
        standing = self.members[who].roles | ACTIVE_BIT
    self.standing[who] = standing
