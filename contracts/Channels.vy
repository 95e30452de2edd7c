# pragma version ~=0.4.3
"""
@title Channels
@notice One-way payment channels in BPC from a payer to the hub: the
        superconducting network's off-chain layer for pay-per-query. A payer
        opens a channel with a deposit (in one transaction with an EIP-2612
        permit), tops it up, and pays off chain by signing EIP-712 balance
        proofs (channel, nonce, cumulative amount) that only rise. Either side
        ends it:
        - cooperatively: the payer's last balance proof and the hub's consent to
          close at it settle at once;
        - unilaterally: either side closes with the best proof it holds (the
          payer may close with none), a challenge window opens in which a proof
          that pays the hub more replaces it (the payer can sign any nonce, so
          in a one-way channel the cumulative amount, which only rises, decides),
          and after the window anyone settles.
        At settlement the hub earns the proof's amount and the payer gets the
        rest of its deposit back. The hub's earnings are pool revenue: `sweep`
        pays them into the royalty split.
@dev Each channel is two storage words: the payer and its deposit, and, once
     closing, the settle time, the nonce and the amount of the proof in force.
     Amounts fit 96 bits (7.9 * 10^10 BPC), times 40 bits, nonces 64 bits.
"""

from interfaces import IPermitToken
from interfaces import IRoyaltyPayee
from snekmate.auth import ownable
from snekmate.utils import eip712_domain_separator as eip712
import signatures

initializes: ownable
initializes: eip712

exports: (ownable.owner, ownable.transfer_ownership, eip712.eip712Domain)


BALANCE_PROOF_TYPEHASH: constant(bytes32) = keccak256(
    "BalanceProof(uint256 channel,uint64 nonce,uint256 amount)"
)
CLOSE_CONSENT_TYPEHASH: constant(bytes32) = keccak256(
    "CloseConsent(uint256 channel,uint64 nonce,uint256 amount)"
)
AMOUNT_MAX: constant(uint256) = 2**96 - 1
ADDRESS_MASK: constant(uint256) = 2**160 - 1
NONCE_MASK: constant(uint256) = 2**64 - 1
WINDOW_MIN: constant(uint256) = 600
WINDOW_MAX: constant(uint256) = 30 * 86400

TOKEN: public(immutable(IPermitToken))
HUB: public(immutable(address))
ROYALTIES: public(immutable(IRoyaltyPayee))

# @notice Seconds a unilateral close stays open to a newer proof (council-set;
#         binds closes started after a change).
challenge_window: public(uint256)
channel_count: public(uint256)
# @notice The hub's settled earnings not yet paid into the royalties.
hub_earnings: public(uint256)

# channel -> payer (bits 0-159) | deposit (160-255)
opened: HashMap[uint256, uint256]
# channel -> amount (bits 0-95) | nonce (96-159) | settle_after (160-199); 0: open
closing: HashMap[uint256, uint256]


event ChannelOpened:
    channel: indexed(uint256)
    payer: indexed(address)
    deposit: uint256


event ChannelToppedUp:
    channel: indexed(uint256)
    deposit: uint256


event ChannelClosing:
    channel: indexed(uint256)
    closer: indexed(address)
    nonce: uint64
    amount: uint256
    settle_after: uint256


event ChannelUpdated:
    channel: indexed(uint256)
    nonce: uint64
    amount: uint256


event ChannelSettled:
    channel: indexed(uint256)
    to_hub: uint256
    to_payer: uint256


event EarningsSwept:
    amount: uint256


event ChallengeWindowSet:
    seconds: uint256


@deploy
def __init__(token: IPermitToken, hub: address, royalties: IRoyaltyPayee, council: address, challenge_window: uint256):
    """
    @notice Deploys the channels of one collection's token.
    @param token BPC.
    @param hub The hub's address (signs close consents, receives nothing directly:
           its earnings go to the royalties).
    @param royalties The royalty split the hub's earnings flow into.
    @param council The owner (sets the challenge window).
    @param challenge_window Seconds, 10 minutes to 30 days.
    """
    assert hub != empty(address), "channels: hub is the zero address"
    assert council != empty(address), "channels: council is the zero address"
    ownable.__init__()
    ownable._transfer_ownership(council)
    eip712.__init__("BPSA Channels", "1")
    TOKEN = token
    HUB = hub
    ROYALTIES = royalties
    extcall token.approve(royalties.address, max_value(uint256))
    self._set_window(challenge_window)


@external
def set_challenge_window(seconds: uint256):
    """
    @notice Sets the challenge window for closes started from now (council only).
    @param seconds 10 minutes to 30 days.
    """
    ownable._check_owner()
    self._set_window(seconds)


@external
def open(deposit: uint256) -> uint256:
    """
    @notice Opens a channel from the caller to the hub with `deposit` BPC
            (approve this contract first).
    @return The channel's id.
    """
    return self._open(msg.sender, deposit)


@external
def open_with_permit(deposit: uint256, deadline: uint256, permit: signatures.Signature) -> uint256:
    """
    @notice Opens a channel in one transaction with an EIP-2612 permit for this
            contract over `deposit`.
    @dev A permit someone else already submitted (front-running it) has set the
         allowance: it is not submitted again, and the open goes through.
    @return The channel's id.
    """
    if staticcall TOKEN.allowance(msg.sender, self) < deposit:
        extcall TOKEN.permit(msg.sender, self, deposit, deadline, permit.v, permit.r, permit.s)
    return self._open(msg.sender, deposit)


@external
def top_up(channel: uint256, amount: uint256):
    """
    @notice Adds `amount` BPC to an open channel's deposit (its payer).
    """
    record: uint256 = self.opened[channel]
    assert record != 0, "channels: no such channel"
    assert convert(record & ADDRESS_MASK, address) == msg.sender, "channels: only the payer tops up"
    assert self.closing[channel] == 0, "channels: channel is closing"
    assert amount != 0 and amount <= AMOUNT_MAX - (record >> 160), "channels: top-up must be 1 wei and keep the deposit under 2^96"
    deposit: uint256 = (record >> 160) + amount
    assert extcall TOKEN.transferFrom(msg.sender, self, amount), "channels: transfer failed"  # dev: BPC reverts first
    self.opened[channel] = (record & ADDRESS_MASK) | (deposit << 160)
    log ChannelToppedUp(channel=channel, deposit=deposit)


@external
def cooperative_close(channel: uint256, nonce: uint64, amount: uint256, payer_sig: signatures.Signature, hub_sig: signatures.Signature):
    """
    @notice Settles a channel at once on the payer's balance proof and the hub's
            consent to close at it. Anyone may submit them.
    """
    record: uint256 = self.opened[channel]
    assert record != 0, "channels: no such channel"
    payer: address = convert(record & ADDRESS_MASK, address)
    assert amount <= record >> 160, "channels: amount exceeds the deposit"
    proof: bytes32 = eip712._hash_typed_data_v4(keccak256(abi_encode(BALANCE_PROOF_TYPEHASH, channel, nonce, amount)))
    consent: bytes32 = eip712._hash_typed_data_v4(keccak256(abi_encode(CLOSE_CONSENT_TYPEHASH, channel, nonce, amount)))
    assert signatures._signer(proof, payer_sig) == payer, "channels: not the payer's balance proof"
    assert signatures._signer(consent, hub_sig) == HUB, "channels: not the hub's close consent"
    self._settle(channel, payer, record >> 160, amount)


@external
def close(channel: uint256, nonce: uint64, amount: uint256, payer_sig: signatures.Signature):
    """
    @notice Starts a unilateral close with the best balance proof the caller
            holds; the payer may close with none (nonce 0, amount 0, any
            signature). The challenge window opens.
    """
    record: uint256 = self.opened[channel]
    assert record != 0, "channels: no such channel"
    assert self.closing[channel] == 0, "channels: already closing"
    payer: address = convert(record & ADDRESS_MASK, address)
    assert msg.sender == payer or msg.sender == HUB, "channels: only the payer or the hub closes"
    if nonce != 0:
        self._check_proof(channel, nonce, amount, payer_sig, payer, record >> 160)
    else:
        assert amount == 0, "channels: a close without a proof claims nothing"
    settle_after: uint256 = block.timestamp + self.challenge_window
    self.closing[channel] = amount | (convert(nonce, uint256) << 96) | (settle_after << 160)
    log ChannelClosing(channel=channel, closer=msg.sender, nonce=nonce, amount=amount, settle_after=settle_after)


@external
def update(channel: uint256, nonce: uint64, amount: uint256, payer_sig: signatures.Signature):
    """
    @notice During the challenge window, replaces the proof in force with one
            that pays the hub more (anyone may submit the payer's signed proof).
    """
    state: uint256 = self.closing[channel]
    assert state != 0, "channels: channel is not closing"
    settle_after: uint256 = state >> 160
    assert block.timestamp < settle_after, "channels: challenge window is over"
    assert amount > state & AMOUNT_MAX, "channels: proof does not pay more than the one in force"
    record: uint256 = self.opened[channel]
    self._check_proof(channel, nonce, amount, payer_sig, convert(record & ADDRESS_MASK, address), record >> 160)
    self.closing[channel] = amount | (convert(nonce, uint256) << 96) | (settle_after << 160)
    log ChannelUpdated(channel=channel, nonce=nonce, amount=amount)


@external
def settle(channel: uint256):
    """
    @notice After the challenge window, pays out a closing channel (anyone).
    """
    state: uint256 = self.closing[channel]
    assert state != 0, "channels: channel is not closing"
    assert block.timestamp >= state >> 160, "channels: challenge window not over"
    record: uint256 = self.opened[channel]
    self._settle(channel, convert(record & ADDRESS_MASK, address), record >> 160, state & AMOUNT_MAX)


@external
def sweep() -> uint256:
    """
    @notice Pays the hub's settled earnings into the royalty split (anyone).
    @return The BPC paid.
    """
    amount: uint256 = self.hub_earnings
    assert amount != 0, "channels: nothing to sweep"
    self.hub_earnings = 0
    extcall ROYALTIES.pay(amount, keccak256("channels"))
    log EarningsSwept(amount=amount)
    return amount


@view
@external
def channel(channel: uint256) -> (address, uint256, uint64, uint256, uint256):
    """
    @notice A channel: payer, deposit, and while closing the nonce and amount of
            the proof in force and the settle time (zeros when open or unknown).
    """
    record: uint256 = self.opened[channel]
    state: uint256 = self.closing[channel]
    return (
        convert(record & ADDRESS_MASK, address),
        record >> 160,
        convert((state >> 96) & NONCE_MASK, uint64),
        state & AMOUNT_MAX,
        state >> 160,
    )


@view
@external
def balance_proof_digest(channel: uint256, nonce: uint64, amount: uint256) -> bytes32:
    """
    @notice The EIP-712 digest a payer signs for a balance proof.
    """
    return eip712._hash_typed_data_v4(keccak256(abi_encode(BALANCE_PROOF_TYPEHASH, channel, nonce, amount)))


@internal
def _open(payer: address, deposit: uint256) -> uint256:
    assert deposit != 0 and deposit <= AMOUNT_MAX, "channels: deposit must be 1 wei to 2^96 - 1"
    assert payer != HUB, "channels: the hub cannot pay itself"
    assert extcall TOKEN.transferFrom(payer, self, deposit), "channels: transfer failed"  # dev: BPC reverts first
    channel: uint256 = self.channel_count + 1
    self.channel_count = channel
    self.opened[channel] = convert(payer, uint256) | (deposit << 160)
    log ChannelOpened(channel=channel, payer=payer, deposit=deposit)
    return channel


@internal
def _settle(channel: uint256, payer: address, deposit: uint256, amount: uint256):
    self.opened[channel] = 0
    self.closing[channel] = 0
    if amount != 0:
        self.hub_earnings += amount
    if deposit > amount:
        assert extcall TOKEN.transfer(payer, deposit - amount), "channels: transfer failed"  # dev: BPC reverts first
    log ChannelSettled(channel=channel, to_hub=amount, to_payer=deposit - amount)


@view
@internal
def _check_proof(channel: uint256, nonce: uint64, amount: uint256, sig: signatures.Signature, payer: address, deposit: uint256):
    assert amount <= deposit, "channels: amount exceeds the deposit"
    digest: bytes32 = eip712._hash_typed_data_v4(keccak256(abi_encode(BALANCE_PROOF_TYPEHASH, channel, nonce, amount)))
    assert signatures._signer(digest, sig) == payer, "channels: not the payer's balance proof"


@internal
def _set_window(seconds: uint256):
    assert seconds >= WINDOW_MIN and seconds <= WINDOW_MAX, "channels: window must be 10 minutes to 30 days"
    self.challenge_window = seconds
    log ChallengeWindowSet(seconds=seconds)
