# pragma version ~=0.4.3
# pragma nonreentrancy off
"""
@title Governance
@notice Proposals that carry a list of calls, voted on by seats. One
        contract type serves two bodies:
        - the council: seats fixed at deploy, changed only by the council's
          own proposals (`add_seat`, `remove_seat`);
        - the member congress: seats are the active members of Alliance.
        A proposal passes when more than half of the seats it counted at
        creation voted and yes outnumbers no. It is executable from the end
        of its voting period plus the delay until the grace period runs out;
        then it expires. Its timeline (vote end, earliest execution, expiry)
        is fixed when it is made. Execution is atomic: if one call fails,
        everything reverts with that call's own revert data.
@dev Only the hash of a proposal's calls is stored; `ProposalCreated` logs
     the calls in full and `execute` takes them again. A seat may vote only
     if it became a seat before the block of the proposal, so the seats that
     can vote are always a subset of the seats counted at creation.
@custom:security `execute` makes arbitrary calls as this contract. Every
                 contract that trusts this contract trusts its seats.
"""

from interfaces import IAlliance


struct Call:
    target: address
    data: Bytes[MAX_CALLDATA]


struct Proposal:
    proposer: address
    created_block: uint64
    vote_end: uint64
    eta: uint64
    expires: uint64
    seats: uint32
    yes: uint32
    no: uint32
    abstain: uint32
    executed: bool
    cancelled: bool
    calls_hash: bytes32


MAX_CALLS: constant(uint256) = 8
MAX_CALLDATA: constant(uint256) = 1024
MAX_SEATS: constant(uint256) = 64
MAX_DESCRIPTION: constant(uint256) = 512
# No timing parameter may exceed a year: a council that set one absurdly high
# (or overflowed vote_end) could never pass the proposal that undoes it.
MAX_PERIOD: constant(uint64) = 365 * 86_400

VOTE_NO: constant(uint8) = 0
VOTE_YES: constant(uint8) = 1
VOTE_ABSTAIN: constant(uint8) = 2

# Proposal states, as `state()` reports them.
STATE_NONE: constant(uint8) = 0
STATE_VOTING: constant(uint8) = 1
STATE_DEFEATED: constant(uint8) = 2
STATE_QUEUED: constant(uint8) = 3
STATE_READY: constant(uint8) = 4
STATE_EXPIRED: constant(uint8) = 5
STATE_EXECUTED: constant(uint8) = 6
STATE_CANCELLED: constant(uint8) = 7


ALLIANCE: public(immutable(IAlliance))
name: public(String[32])
voting_period: public(uint64)
execution_delay: public(uint64)
grace_period: public(uint64)

# @dev Council seats; unused when seats follow the alliance.
seat_list: DynArray[address, MAX_SEATS]
seat_since: HashMap[address, uint256]

proposal_count: public(uint256)
proposals: public(HashMap[uint256, Proposal])
voted: public(HashMap[uint256, HashMap[address, bool]])


event ProposalCreated:
    proposal_id: indexed(uint256)
    proposer: indexed(address)
    calls: DynArray[Call, MAX_CALLS]
    description: String[MAX_DESCRIPTION]
    vote_end: uint64
    eta: uint64
    expires: uint64
    seats: uint32


event VoteCast:
    proposal_id: indexed(uint256)
    voter: indexed(address)
    support: uint8


event ProposalExecuted:
    proposal_id: indexed(uint256)
    executor: indexed(address)


event ProposalCancelled:
    proposal_id: indexed(uint256)


event SeatAdded:
    seat: indexed(address)


event SeatRemoved:
    seat: indexed(address)


event ParametersChanged:
    voting_period: uint64
    execution_delay: uint64
    grace_period: uint64


@deploy
def __init__(
    name: String[32],
    seats: DynArray[address, MAX_SEATS],
    alliance: address,
    voting_period: uint64,
    execution_delay: uint64,
    grace_period: uint64,
):
    """
    @notice Deploys a council (`seats` given, `alliance` empty) or a member
            congress (`seats` empty, `alliance` set).
    @param name The body's name, for events and tools ("council").
    @param seats The council's initial seats; empty for a congress.
    @param alliance The Alliance whose active members are the congress's
           seats; the zero address for a council.
    @param voting_period Seconds a proposal is open for votes.
    @param execution_delay Seconds from the end of voting to execution.
    @param grace_period Seconds a passed proposal stays executable.
    """
    ALLIANCE = IAlliance(alliance)
    if alliance == empty(address):
        assert len(seats) > 0, "governance: a council needs seats"
        for seat: address in seats:
            self._add_seat(seat)
    else:
        assert len(seats) == 0, "governance: congress seats follow the alliance"
    self.name = name
    self._set_parameters(voting_period, execution_delay, grace_period)


@external
def propose(calls: DynArray[Call, MAX_CALLS], description: String[MAX_DESCRIPTION]) -> uint256:
    """
    @notice Creates a proposal. Voting opens at once.
    @param calls The calls to make, in order, when the proposal executes.
    @param description What the proposal does and why, for the record.
    @return The proposal id, counting from 1.
    """
    assert self._is_seat(msg.sender), "governance: proposer is not a seat"
    assert len(calls) > 0, "governance: proposal has no calls"
    for call: Call in calls:
        assert call.target.is_contract, "governance: call target is not a contract"
    proposal_id: uint256 = self.proposal_count + 1
    self.proposal_count = proposal_id
    # A proposal's whole timeline is fixed when it is made: a later `set_parameters`
    # can neither revive an expired proposal nor hurry or stall a queued one.
    vote_end: uint64 = convert(block.timestamp, uint64) + self.voting_period
    eta: uint64 = vote_end + self.execution_delay
    expires: uint64 = eta + self.grace_period
    seats: uint32 = convert(self._seat_count(), uint32)
    # The tallies and flags of a new id are still zero: writing only the set fields
    # skips five cold no-op writes.
    self.proposals[proposal_id].proposer = msg.sender
    self.proposals[proposal_id].created_block = convert(block.number, uint64)
    self.proposals[proposal_id].vote_end = vote_end
    self.proposals[proposal_id].eta = eta
    self.proposals[proposal_id].expires = expires
    self.proposals[proposal_id].seats = seats
    self.proposals[proposal_id].calls_hash = keccak256(abi_encode(calls))
    log ProposalCreated(
        proposal_id=proposal_id,
        proposer=msg.sender,
        calls=calls,
        description=description,
        vote_end=vote_end,
        eta=eta,
        expires=expires,
        seats=seats,
    )
    return proposal_id


@external
def vote(proposal_id: uint256, support: uint8):
    """
    @notice Casts the caller's one vote on a proposal.
    @param proposal_id The proposal.
    @param support 0 no, 1 yes, 2 abstain (abstentions count toward turnout).
    """
    # Fields are read one by one: copying the whole struct would cost a cold read
    # of every slot on every vote.
    created_block: uint256 = convert(self.proposals[proposal_id].created_block, uint256)
    assert created_block != 0, "governance: unknown proposal"
    assert not self.proposals[proposal_id].cancelled, "governance: proposal cancelled"
    assert block.timestamp < convert(self.proposals[proposal_id].vote_end, uint256), "governance: voting closed"
    assert support <= VOTE_ABSTAIN, "governance: support must be 0 (no), 1 (yes) or 2 (abstain)"
    assert self._is_seat(msg.sender), "governance: voter is not a seat"
    assert self._seat_since(msg.sender) < created_block, "governance: seat taken after the proposal"
    assert not self.voted[proposal_id][msg.sender], "governance: already voted"
    self.voted[proposal_id][msg.sender] = True
    # dev: a tally cannot overflow uint32: it counts distinct seats
    if support == VOTE_YES:
        self.proposals[proposal_id].yes += 1
    elif support == VOTE_NO:
        self.proposals[proposal_id].no += 1
    else:
        self.proposals[proposal_id].abstain += 1
    log VoteCast(proposal_id=proposal_id, voter=msg.sender, support=support)


@external
@nonreentrant
def execute(proposal_id: uint256, calls: DynArray[Call, MAX_CALLS]):
    """
    @notice Executes a passed proposal once its delay has elapsed and before
            it expires. Anyone may execute. All calls succeed or none does.
    @dev On a failed call this reverts with the call's own revert data, so
         the caller sees the target's reason.
    @param proposal_id The proposal.
    @param calls The proposal's calls, exactly as proposed.
    """
    state: uint8 = self._state(proposal_id)
    assert state != STATE_NONE, "governance: unknown proposal"
    assert state != STATE_EXECUTED, "governance: already executed"
    assert state != STATE_CANCELLED, "governance: proposal cancelled"
    assert state != STATE_VOTING, "governance: voting still open"
    assert state != STATE_DEFEATED, "governance: proposal did not pass"
    assert state != STATE_QUEUED, "governance: execution delay not elapsed"
    assert state != STATE_EXPIRED, "governance: proposal expired"
    assert keccak256(abi_encode(calls)) == self.proposals[proposal_id].calls_hash, "governance: calls differ from the proposal"
    self.proposals[proposal_id].executed = True
    for call: Call in calls:
        success: bool = False
        response: Bytes[MAX_CALLDATA] = b""
        success, response = raw_call(call.target, call.data, max_outsize=MAX_CALLDATA, revert_on_failure=False)
        if not success:
            raw_revert(response)
    log ProposalExecuted(proposal_id=proposal_id, executor=msg.sender)


@external
def cancel(proposal_id: uint256):
    """
    @notice Withdraws a proposal. Only its proposer, while it still holds a
            seat, and only before it is executed.
    @param proposal_id The proposal.
    """
    proposal: Proposal = self.proposals[proposal_id]
    assert proposal.created_block != 0, "governance: unknown proposal"
    assert msg.sender == proposal.proposer, "governance: only the proposer may cancel"
    # dev: an expelled member or a removed seat no longer speaks for the body
    assert self._is_seat(msg.sender), "governance: the proposer holds no seat"
    assert not proposal.executed, "governance: already executed"
    assert not proposal.cancelled, "governance: proposal cancelled"
    self.proposals[proposal_id].cancelled = True
    log ProposalCancelled(proposal_id=proposal_id)


@external
def add_seat(seat: address):
    """
    @notice Adds a council seat. Callable only by this contract, that is by
            one of its own executed proposals.
    @param seat The new seat.
    """
    self._check_self()
    assert ALLIANCE.address == empty(address), "governance: congress seats follow the alliance"
    self._add_seat(seat)


@external
def remove_seat(seat: address):
    """
    @notice Removes a council seat. Callable only by this contract. The last
            seat cannot be removed.
    @param seat The seat to remove.
    """
    self._check_self()
    assert ALLIANCE.address == empty(address), "governance: congress seats follow the alliance"
    assert self.seat_since[seat] != 0, "governance: not a seat"
    assert len(self.seat_list) > 1, "governance: cannot remove the last seat"
    for i: uint256 in range(MAX_SEATS):
        if self.seat_list[i] == seat:
            last: address = self.seat_list.pop()
            if i < len(self.seat_list):
                self.seat_list[i] = last
            break
    self.seat_since[seat] = 0
    log SeatRemoved(seat=seat)


@external
def set_parameters(voting_period: uint64, execution_delay: uint64, grace_period: uint64):
    """
    @notice Changes the timing of proposals made from now on; proposals
            already made keep their own timeline. Callable only by this
            contract.
    @param voting_period Seconds a proposal is open for votes (1 s to 1 year).
    @param execution_delay Seconds from the end of voting to execution (up to 1 year).
    @param grace_period Seconds a passed proposal stays executable (1 s to 1 year).
    """
    self._check_self()
    self._set_parameters(voting_period, execution_delay, grace_period)


@view
@external
def state(proposal_id: uint256) -> uint8:
    """
    @notice The proposal's state: 0 none, 1 voting, 2 defeated, 3 queued
            (passed, delay running), 4 ready, 5 expired, 6 executed,
            7 cancelled.
    @param proposal_id The proposal.
    @return The state code.
    """
    return self._state(proposal_id)


@view
@external
def is_seat(who: address) -> bool:
    """
    @notice Whether `who` holds a seat now.
    @param who The address to check.
    @return True for a council seat, or an active member of a congress.
    """
    return self._is_seat(who)


@view
@external
def seat_count() -> uint256:
    """
    @notice How many seats the body has now.
    @return The number of seats.
    """
    return self._seat_count()


@view
@external
def seats() -> DynArray[address, MAX_SEATS]:
    """
    @notice The council's seats (empty for a congress, whose seats are the
            alliance's active members).
    @return The seats.
    """
    return self.seat_list


@view
@external
def can_vote(proposal_id: uint256, who: address) -> bool:
    """
    @notice Whether `who` may vote on the proposal now.
    @param proposal_id The proposal.
    @param who The would-be voter.
    @return True when the proposal is open and `who` is an eligible seat
            that has not voted.
    """
    proposal: Proposal = self.proposals[proposal_id]
    return (
        self._state(proposal_id) == STATE_VOTING
        and self._is_seat(who)
        and self._seat_since(who) < convert(proposal.created_block, uint256)
        and not self.voted[proposal_id][who]
    )


@view
@external
def hash_calls(calls: DynArray[Call, MAX_CALLS]) -> bytes32:
    """
    @notice The hash a proposal stores for `calls`.
    @param calls The calls.
    @return keccak256 of their ABI encoding.
    """
    return keccak256(abi_encode(calls))


@view
@internal
def _state(proposal_id: uint256) -> uint8:
    proposal: Proposal = self.proposals[proposal_id]
    if proposal.created_block == 0:
        return STATE_NONE
    if proposal.executed:
        return STATE_EXECUTED
    if proposal.cancelled:
        return STATE_CANCELLED
    now: uint256 = block.timestamp
    vote_end: uint256 = convert(proposal.vote_end, uint256)
    if now < vote_end:
        return STATE_VOTING
    turnout: uint256 = convert(proposal.yes, uint256) + convert(proposal.no, uint256) + convert(proposal.abstain, uint256)
    # dev: quorum is more than half of the seats counted at creation
    if turnout * 2 <= convert(proposal.seats, uint256) or proposal.yes <= proposal.no:
        return STATE_DEFEATED
    if now < convert(proposal.eta, uint256):
        return STATE_QUEUED
    if now < convert(proposal.expires, uint256):
        return STATE_READY
    return STATE_EXPIRED


@view
@internal
def _is_seat(who: address) -> bool:
    if ALLIANCE.address == empty(address):
        return self.seat_since[who] != 0
    return staticcall ALLIANCE.is_active(who)


@view
@internal
def _seat_since(who: address) -> uint256:
    if ALLIANCE.address == empty(address):
        return self.seat_since[who]
    return staticcall ALLIANCE.active_since(who)


@view
@internal
def _seat_count() -> uint256:
    if ALLIANCE.address == empty(address):
        return len(self.seat_list)
    return staticcall ALLIANCE.active_count()


@internal
def _add_seat(seat: address):
    assert seat != empty(address), "governance: seat is the zero address"
    assert self.seat_since[seat] == 0, "governance: already a seat"
    self.seat_list.append(seat)
    # dev: seats set at deploy count as seated before the first proposal's block
    self.seat_since[seat] = max(block.number, 1)
    log SeatAdded(seat=seat)


@internal
def _set_parameters(voting_period: uint64, execution_delay: uint64, grace_period: uint64):
    assert voting_period > 0, "governance: voting period must be positive"
    assert grace_period > 0, "governance: grace period must be positive"
    assert voting_period <= MAX_PERIOD, "governance: voting period above one year"
    assert execution_delay <= MAX_PERIOD, "governance: execution delay above one year"
    assert grace_period <= MAX_PERIOD, "governance: grace period above one year"
    self.voting_period = voting_period
    self.execution_delay = execution_delay
    self.grace_period = grace_period
    log ParametersChanged(voting_period=voting_period, execution_delay=execution_delay, grace_period=grace_period)


@internal
def _check_self():
    assert msg.sender == self, "governance: only through a proposal"
