# pragma version ~=0.4.3
"""
@title Swaps
@notice Hash-time-locked swaps between collections' chains (one deployment
        per chain, any ERC-20): a party locks tokens for a receiver under a
        hashlock and a deadline; before the deadline anyone claims them for
        the receiver with the preimage (which the `Claimed` event makes
        public); from the deadline on anyone refunds them to the sender.
        Both parties first sign a `SwapIntent` ("the common signature")
        naming both legs of the swap and the hashlock:
          - the initiator's leg (its sender knows the preimage and locks
            first) and the responder's leg (locked second, claimed first by
            the initiator, which reveals the preimage);
          - each leg: chain id, Swaps contract, token, amount, sender,
            receiver, deadline.
        A lock executes one leg of an intent on the leg's own chain and
        contract and carries the COUNTERPARTY's signature over the intent
        (the other leg's sender, in this contract's EIP-712 domain), so
        nobody locks on terms the other side never agreed to.
@dev Deadline safety, enforced here: the initiator's deadline is at least
     `SAFETY_MARGIN` seconds after the responder's (after the initiator
     claims the responder's leg, its counterparty has that long to claim
     with the revealed preimage), and no leg locks with less than
     `MIN_LOCK_TIME` seconds left before its deadline.
     Storage is one word per swap id: the keccak256 commitment to the
     lock's terms (token, amount, sender, receiver, hashlock, deadline)
     while locked, then `CLAIMED` or `REFUNDED` for ever. The terms are in
     the `Locked` event and come back as calldata on claim and refund.
     A swap id is keccak256(abi_encode(the intent's EIP-712 struct hash,
     side)): one id per leg of an intent, known to both parties in advance.
@custom:security Tokens that take a fee on transfer or rebase are not
     supported: a lock records the amount asked for, not the amount
     received. The preimage is 32 bytes and the hashlock its sha256, as in
     HTLCs on other chains.
"""

from ethereum.ercs import IERC20
from interfaces import IPermitToken
from snekmate.utils import eip712_domain_separator as eip712
import signatures

initializes: eip712

exports: eip712.eip712Domain


# @notice One leg of a swap: `sender` locks `amount` of `token` in the Swaps
#         contract `swaps` on chain `chain_id` for `receiver`, until `deadline`.
struct Leg:
    chain_id: uint256
    swaps: address
    token: address
    amount: uint256
    sender: address
    receiver: address
    deadline: uint256


struct SwapIntent:
    initiator: Leg
    responder: Leg
    hashlock: bytes32


# @notice What a claim or a refund repeats of a lock (its `Locked` event).
struct Terms:
    token: address
    amount: uint256
    sender: address
    receiver: address
    hashlock: bytes32
    deadline: uint256


LEG_TYPEHASH: constant(bytes32) = keccak256(
    "Leg(uint256 chainId,address swaps,address token,uint256 amount,address sender,address receiver,uint256 deadline)"
)
# EIP-712: a struct's type string is followed by those of the structs it references.
SWAP_INTENT_TYPEHASH: constant(bytes32) = keccak256(
    "SwapIntent(Leg initiator,Leg responder,bytes32 hashlock)Leg(uint256 chainId,address swaps,address token,uint256 amount,address sender,address receiver,uint256 deadline)"
)
INITIATOR: constant(uint8) = 0
RESPONDER: constant(uint8) = 1
# Tombstones: neither is a keccak256 commitment anyone can produce.
CLAIMED: constant(bytes32) = 0x0000000000000000000000000000000000000000000000000000000000000001
REFUNDED: constant(bytes32) = 0x0000000000000000000000000000000000000000000000000000000000000002
MARGIN_MAX: constant(uint256) = 30 * 86400

# @notice Seconds the initiator's deadline must lie after the responder's.
SAFETY_MARGIN: public(immutable(uint256))
# @notice Seconds a leg must have left before its deadline when it locks.
MIN_LOCK_TIME: public(immutable(uint256))

# @notice swap id -> keccak256 of its terms while locked; CLAIMED (1) or
#         REFUNDED (2) once paid out; empty if never locked.
commitments: public(HashMap[bytes32, bytes32])


event Locked:
    id: indexed(bytes32)
    hashlock: indexed(bytes32)
    sender: indexed(address)
    token: address
    receiver: address
    amount: uint256
    deadline: uint256


event Claimed:
    id: indexed(bytes32)
    preimage: bytes32


event Refunded:
    id: indexed(bytes32)


@deploy
def __init__(safety_margin: uint256, min_lock_time: uint256):
    """
    @notice Deploys the swaps of one chain.
    @param safety_margin Seconds, 1 to 30 days' worth, the initiator's
           deadline must lie after the responder's (an hour or more on a live
           chain: the responder's time to claim after the preimage is out).
    @param min_lock_time Seconds, 1 to 30 days' worth, a leg must have left
           before its deadline when it locks.
    """
    assert safety_margin != 0 and safety_margin <= MARGIN_MAX, "swaps: safety margin must be 1 second to 30 days"
    assert min_lock_time != 0 and min_lock_time <= MARGIN_MAX, "swaps: minimum lock time must be 1 second to 30 days"
    eip712.__init__("BPSA Swaps", "1")
    SAFETY_MARGIN = safety_margin
    MIN_LOCK_TIME = min_lock_time


@external
def lock(intent: SwapIntent, side: uint8, counterparty_sig: signatures.Signature) -> bytes32:
    """
    @notice Locks the caller's leg `side` (0 initiator, 1 responder) of a
            signed intent: pulls the leg's amount of its token from the
            caller (approve this contract first) under the swap id.
    @param intent Both legs and the hashlock, as both parties signed them.
    @param side Which leg this lock executes: 0 the initiator's (locks
           first), 1 the responder's.
    @param counterparty_sig The other leg's sender's EIP-712 signature over
           the intent in this contract's domain.
    @return The swap id.
    """
    return self._lock(intent, side, counterparty_sig)


@external
def lock_with_permit(
    intent: SwapIntent, side: uint8, counterparty_sig: signatures.Signature, permit_deadline: uint256, permit: signatures.Signature
) -> bytes32:
    """
    @notice `lock` in one transaction with an EIP-2612 permit for this
            contract over the leg's amount (tokens with permit only).
    @dev A permit someone else already submitted (front-running it) has set
         the allowance: it is not submitted again, and the lock goes through.
    @return The swap id.
    """
    leg: Leg = intent.initiator if side == INITIATOR else intent.responder
    assert leg.sender == msg.sender, "swaps: only the leg's sender locks it"  # before the permit's own check
    token: IPermitToken = IPermitToken(leg.token)
    if staticcall token.allowance(msg.sender, self) < leg.amount:
        extcall token.permit(msg.sender, self, leg.amount, permit_deadline, permit.v, permit.r, permit.s)
    return self._lock(intent, side, counterparty_sig)


@external
def claim(id: bytes32, preimage: bytes32, terms: Terms):
    """
    @notice Before the deadline, pays a locked swap to its receiver
            (anyone may submit it). The preimage goes public in `Claimed`.
    @param id The swap id.
    @param preimage The 32 bytes whose sha256 is the hashlock.
    @param terms The lock's terms, as its `Locked` event gives them.
    """
    assert sha256(preimage) == terms.hashlock, "swaps: wrong preimage"
    self._close(id, terms, CLAIMED)
    assert block.timestamp < terms.deadline, "swaps: deadline passed"
    assert extcall IERC20(terms.token).transfer(terms.receiver, terms.amount, default_return_value=True), "swaps: transfer failed"
    log Claimed(id=id, preimage=preimage)


@external
def refund(id: bytes32, terms: Terms):
    """
    @notice From the deadline on, pays a locked swap back to its sender
            (anyone may submit it).
    @param id The swap id.
    @param terms The lock's terms, as its `Locked` event gives them.
    """
    self._close(id, terms, REFUNDED)
    assert block.timestamp >= terms.deadline, "swaps: deadline not reached"
    assert extcall IERC20(terms.token).transfer(terms.sender, terms.amount, default_return_value=True), "swaps: transfer failed"
    log Refunded(id=id)


@view
@external
def status(id: bytes32) -> uint8:
    """
    @notice A swap's state: 0 never locked, 1 locked, 2 claimed, 3 refunded.
    """
    commitment: bytes32 = self.commitments[id]
    if commitment == empty(bytes32):
        return 0
    if commitment == CLAIMED:
        return 2
    if commitment == REFUNDED:
        return 3
    return 1


@view
@external
def intent_digest(intent: SwapIntent) -> bytes32:
    """
    @notice The EIP-712 digest a party signs for a lock here of a leg of
            `intent` (this contract's domain).
    """
    return eip712._hash_typed_data_v4(self._struct_hash(intent))


@pure
@external
def swap_id(intent: SwapIntent, side: uint8) -> bytes32:
    """
    @notice The swap id of leg `side` (0 initiator, 1 responder) of `intent`,
            on whichever chain it is locked.
    """
    return keccak256(abi_encode(self._struct_hash(intent), side))


@pure
@external
def commitment(terms: Terms) -> bytes32:
    """
    @notice What `commitments` holds for a swap locked on `terms`.
    """
    return self._commitment(terms)


@internal
def _lock(intent: SwapIntent, side: uint8, sig: signatures.Signature) -> bytes32:
    assert side <= RESPONDER, "swaps: side must be 0 (initiator) or 1 (responder)"
    leg: Leg = intent.initiator
    other: address = intent.responder.sender
    if side == RESPONDER:
        leg = intent.responder
        other = intent.initiator.sender
    assert leg.chain_id == chain.id, "swaps: leg is for another chain"
    assert leg.swaps == self, "swaps: leg is for another contract"
    struct_hash: bytes32 = self._struct_hash(intent)
    id: bytes32 = keccak256(abi_encode(struct_hash, side))
    assert self.commitments[id] == empty(bytes32), "swaps: swap id already used"
    assert leg.sender == msg.sender, "swaps: only the leg's sender locks it"
    assert leg.sender != other, "swaps: the legs need two parties"
    assert leg.receiver != empty(address), "swaps: receiver is the zero address"
    assert leg.amount != 0, "swaps: amount is zero"
    # a difference, so that no deadline overflows
    assert intent.initiator.deadline >= intent.responder.deadline and intent.initiator.deadline - intent.responder.deadline >= SAFETY_MARGIN, "swaps: initiator's deadline must exceed the responder's by the safety margin"
    assert leg.deadline >= block.timestamp + MIN_LOCK_TIME, "swaps: deadline too close"
    assert signatures._signer(eip712._hash_typed_data_v4(struct_hash), sig) == other, "swaps: not the counterparty's signature"
    self.commitments[id] = self._commitment(
        Terms(
            token=leg.token,
            amount=leg.amount,
            sender=leg.sender,
            receiver=leg.receiver,
            hashlock=intent.hashlock,
            deadline=leg.deadline,
        )
    )
    assert extcall IERC20(leg.token).transferFrom(msg.sender, self, leg.amount, default_return_value=True), "swaps: transfer failed"
    log Locked(
        id=id,
        hashlock=intent.hashlock,
        sender=leg.sender,
        token=leg.token,
        receiver=leg.receiver,
        amount=leg.amount,
        deadline=leg.deadline,
    )
    return id


@internal
def _close(id: bytes32, terms: Terms, tombstone: bytes32):
    commitment: bytes32 = self.commitments[id]
    assert commitment != CLAIMED and commitment != REFUNDED, "swaps: swap already settled"
    assert commitment != empty(bytes32), "swaps: no such swap"
    assert commitment == self._commitment(terms), "swaps: terms do not match the lock"
    self.commitments[id] = tombstone


@pure
@internal
def _commitment(terms: Terms) -> bytes32:
    return keccak256(abi_encode(terms))


@pure
@internal
def _struct_hash(intent: SwapIntent) -> bytes32:
    return keccak256(
        abi_encode(SWAP_INTENT_TYPEHASH, self._leg_hash(intent.initiator), self._leg_hash(intent.responder), intent.hashlock)
    )


@pure
@internal
def _leg_hash(leg: Leg) -> bytes32:
    return keccak256(
        abi_encode(LEG_TYPEHASH, leg.chain_id, leg.swaps, leg.token, leg.amount, leg.sender, leg.receiver, leg.deadline)
    )
