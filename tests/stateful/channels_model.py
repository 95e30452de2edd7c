"""A pure-Python model of Channels: one-way BPC channels from payers to the hub, with the
slices of BPC (balances and the allowances payers give Channels) and Royalties (the fee
the hub's earnings become) that it moves.

No chain here: the state machine in `test_channels_model.py` drives the contracts and this
model side by side and compares them. The model follows Channels' NatSpec: a payer (never
the hub) opens a channel with 1 wei to 2^96 - 1 BPC and tops it up while it is open (the
deposit stays under 2^96); the payer's balance proof and the hub's consent settle it at
once; the payer or the hub closes it unilaterally with a proof of the payer's (or, the
payer only in spirit, none: nonce 0 claims nothing), and until the settle time anyone
replaces the proof in force with one that pays the hub more; from the settle time anyone
settles: the hub earns the amount in force, the payer gets the rest back, and the channel
is gone. `sweep` pays the hub's earnings into Royalties. The council sets the window (10
minutes to 30 days) for closes started afterwards.

Every operation returns the revert reason the chain must give, or None when the call
succeeds (having applied its effects). A refused operation changes nothing. Whether a
signature is the payer's (or the hub's) is decided by the machine, which made it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tests.channels_reasons import (
    ALREADY_CLOSING,
    AMOUNT_MAX,
    BAD_DEPOSIT,
    BAD_TOP_UP,
    BAD_WINDOW,
    CLAIMS_NOTHING,
    HUB_PAYS_ITSELF,
    IS_CLOSING,
    NO_ALLOWANCE,
    NO_BALANCE,
    NO_CHANNEL,
    NOT_CLOSING,
    NOT_HUB_CONSENT,
    NOT_MORE,
    NOT_OWNER,
    NOT_PAYER_PROOF,
    NOTHING_TO_SWEEP,
    ONLY_PARTIES_CLOSE,
    ONLY_PAYER_TOPS_UP,
    OVER_DEPOSIT,
    WINDOW_MAX,
    WINDOW_MIN,
    WINDOW_NOT_OVER,
    WINDOW_OVER,
)


@dataclass
class Channel:
    payer: str
    deposit: int
    closing: bool = False
    nonce: int = 0
    amount: int = 0
    settle_after: int = 0
    # the most the hub put in force itself (by its close or an update it sent)
    hub_submitted: int = 0


@dataclass(frozen=True)
class Settlement:
    channel: int
    payer: str
    deposit: int
    to_hub: int
    to_payer: int
    at: int
    settle_after: int  # 0 for a cooperative close
    hub_submitted: int


@dataclass
class ChannelsModel:
    now: int
    hub: str
    council: str
    channels_address: str
    fund: str
    window: int
    balances: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    allowance: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # to Channels
    channels: dict[int, Channel] = field(default_factory=dict)
    count: int = 0
    hub_earnings: int = 0
    fees_in: int = 0
    settlements: list[Settlement] = field(default_factory=list)

    # -- BPC -------------------------------------------------------------------------------

    def mint(self, who: str, amount: int) -> None:
        self.balances[who] += amount

    def approve(self, who: str, amount: int) -> None:
        self.allowance[who] = amount

    def _draw(self, payer: str, amount: int) -> str | None:
        """Channels' transferFrom of `amount` from `payer` (allowance first, as snekmate)."""
        if self.allowance[payer] < amount:
            return NO_ALLOWANCE
        if self.balances[payer] < amount:
            return NO_BALANCE
        if self.allowance[payer] != 2**256 - 1:
            self.allowance[payer] -= amount
        self.balances[payer] -= amount
        self.balances[self.channels_address] += amount
        return None

    # -- channels --------------------------------------------------------------------------

    def open(self, payer: str, deposit: int, permit: bool = False) -> str | None:
        """`permit`: the payer's valid permit for `deposit` sets the allowance first,
        unless the allowance already covers the deposit (then the contract skips the
        permit); the whole transaction reverts if the open does, allowance included."""
        if deposit == 0 or deposit > AMOUNT_MAX:
            return BAD_DEPOSIT
        if payer == self.hub:
            return HUB_PAYS_ITSELF
        before = self.allowance[payer]
        if permit and self.allowance[payer] < deposit:
            self.allowance[payer] = deposit
        reason = self._draw(payer, deposit)
        if reason is not None:
            self.allowance[payer] = before
            return reason
        self.count += 1
        self.channels[self.count] = Channel(payer, deposit)
        return None

    def top_up(self, sender: str, channel: int, amount: int) -> str | None:
        c = self.channels.get(channel)
        if c is None:
            return NO_CHANNEL
        if sender != c.payer:
            return ONLY_PAYER_TOPS_UP
        if c.closing:
            return IS_CLOSING
        if amount == 0 or c.deposit + amount > AMOUNT_MAX:
            return BAD_TOP_UP
        reason = self._draw(sender, amount)
        if reason is None:
            c.deposit += amount
        return reason

    def cooperative_close(
        self, channel: int, amount: int, payer_signed: bool, hub_consented: bool
    ) -> str | None:
        c = self.channels.get(channel)
        if c is None:
            return NO_CHANNEL
        if amount > c.deposit:
            return OVER_DEPOSIT
        if not payer_signed:
            return NOT_PAYER_PROOF
        if not hub_consented:
            return NOT_HUB_CONSENT
        self._settle(channel, amount, cooperative=True)
        return None

    def close(
        self, sender: str, channel: int, nonce: int, amount: int, payer_signed: bool
    ) -> str | None:
        c = self.channels.get(channel)
        if c is None:
            return NO_CHANNEL
        if c.closing:
            return ALREADY_CLOSING
        if sender not in (c.payer, self.hub):
            return ONLY_PARTIES_CLOSE
        if nonce != 0:
            if amount > c.deposit:
                return OVER_DEPOSIT
            if not payer_signed:
                return NOT_PAYER_PROOF
        elif amount != 0:
            return CLAIMS_NOTHING
        c.closing, c.nonce, c.amount = True, nonce, amount
        c.settle_after = self.now + self.window
        if sender == self.hub:
            c.hub_submitted = max(c.hub_submitted, amount)
        return None

    def update(
        self, sender: str, channel: int, nonce: int, amount: int, payer_signed: bool
    ) -> str | None:
        c = self.channels.get(channel)
        if c is None or not c.closing:
            return NOT_CLOSING
        if self.now >= c.settle_after:
            return WINDOW_OVER
        if amount <= c.amount:
            return NOT_MORE
        if amount > c.deposit:
            return OVER_DEPOSIT
        if not payer_signed:
            return NOT_PAYER_PROOF
        c.nonce, c.amount = nonce, amount
        if sender == self.hub:
            c.hub_submitted = max(c.hub_submitted, amount)
        return None

    def settle(self, channel: int) -> str | None:
        c = self.channels.get(channel)
        if c is None or not c.closing:
            return NOT_CLOSING
        if self.now < c.settle_after:
            return WINDOW_NOT_OVER
        self._settle(channel, c.amount, cooperative=False)
        return None

    def _settle(self, channel: int, amount: int, cooperative: bool) -> None:
        c = self.channels.pop(channel)
        self.hub_earnings += amount
        back = c.deposit - amount
        self.balances[self.channels_address] -= back
        self.balances[c.payer] += back
        self.settlements.append(
            Settlement(
                channel,
                c.payer,
                c.deposit,
                amount,
                back,
                self.now,
                0 if cooperative else c.settle_after,
                c.hub_submitted,
            )
        )

    def sweep(self) -> str | None:
        """Royalties without weights: the whole fee goes to the fund."""
        if self.hub_earnings == 0:
            return NOTHING_TO_SWEEP
        amount, self.hub_earnings = self.hub_earnings, 0
        self.balances[self.channels_address] -= amount
        self.balances[self.fund] += amount
        self.fees_in += amount
        return None

    def set_window(self, sender: str, seconds: int) -> str | None:
        if sender != self.council:
            return NOT_OWNER
        if not WINDOW_MIN <= seconds <= WINDOW_MAX:
            return BAD_WINDOW
        self.window = seconds
        return None

    # -- views -----------------------------------------------------------------------------

    def view(self, channel: int) -> tuple[str, int, int, int, int]:
        c = self.channels.get(channel)
        if c is None:
            return ("0x" + "00" * 20, 0, 0, 0, 0)
        if not c.closing:
            return (c.payer, c.deposit, 0, 0, 0)
        return (c.payer, c.deposit, c.nonce, c.amount, c.settle_after)

    def held(self) -> int:
        """What Channels must hold: every live deposit and the unswept earnings."""
        return sum(c.deposit for c in self.channels.values()) + self.hub_earnings
