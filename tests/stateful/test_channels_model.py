"""Channels against a Python model: a hypothesis state machine over payers, the hub and the
council.

The chain is titanoboa's EVM (a real EVM in-process). A module fixture deploys, once, BPC
(its minter a plain address standing in for the pool, which mints the payers' BPC),
Royalties (its pool a plain address: no patent weights, so a swept fee goes wholly to the
fund) and Channels to the hub, a day's window, the council owning it; titanoboa runs each
example in a snapshot of that state. The transactions of a step share a block; time moves
only when a rule waits, to a closing channel's settle time (the second before, at, or
after) or by a few seconds to two days.

Actors, named by role: two payers (the first rich enough for a channel of 2^96 - 1 wei,
the second holding 1,000 BPC), the hub, an attacker (a stranger with a fresh address and
no BPC), the council. The hub and the other payer act as attackers too: the hub signs a
"balance proof" itself to take more than the payer signed, a payer tops up or closes a
channel that is not its own, and anyone replays a signature made for another channel.
Off chain, the machine keeps every balance proof a payer signed: payments (nonce and
amount rising, within the deposit; the hub holds them all, the last is its best) and
cheats (a higher nonce for less, which only the payer holds). Rules: open (approved
exactly, without limit, one wei short, not at all, or with an EIP-2612 permit; by the hub
too), top-up (by the payer, the other payer, the hub or the attacker), pay, cheat,
cooperative close (on the best proof, a stale one, or one over the deposit; each signature
sound or faulty: the attacker's or the hub's, high s, another chain, the other type,
another channel), unilateral close by the payer (no proof, a stale, cheating or
over-deposit one, a proofless close claiming an amount) or the hub (its best proof or
none) or the attacker, disputes (the best, a stale or cheating proof, by the hub, the
payer or the attacker), settle, sweep, waits and window changes. The model
(channels_model.py) predicts, for every transaction, success or the exact revert reason.

Invariants: BPC is conserved (Channels holds exactly every live deposit plus the hub's
unswept earnings, and every balance agrees with the model); the attacker never holds a
wei; each live channel's view agrees with the model; at every settlement the deposit is
exactly what the hub earned plus what the payer got back, the hub earned at least the best
proof it put in force itself and never more than the most its payer ever signed on that
channel (no one, the hub included, takes what the payer did not sign), and a unilateral
close settled no earlier than its settle time; a settled channel reads as zeros and is
refused by every function.

Profiles and statistics: tests/stateful/helpers.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boa
import pytest
from eth_account import Account
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from bpsa.core import channels as ch
from bpsa.core import eip712
from tests.channels_reasons import AMOUNT_MAX, NO_CHANNEL, NOT_CLOSING, WINDOW_MAX, WINDOW_MIN
from tests.stateful.channels_model import ChannelsModel
from tests.stateful.conftest import active_settings
from tests.stateful.helpers import (
    DAY,
    Deployed,
    SnapshotMachine,
    actor_keys,
    addresses_of,
    allowance_for,
    compiled,
    note_event,
)

WINDOW = DAY
ONE = 10**18
ZERO_ADDRESS = "0x" + "00" * 20


KEYS = actor_keys("channels", ("payer1", "payer2", "hub", "attacker"))
ADDRESS = addresses_of(KEYS)
for _name in ("council", "deployer", "minter", "pool", "fund"):
    ADDRESS[_name] = str(to_checksum_address(keccak(text=f"bpsa channels stateful {_name}")[-20:]))
PAYERS = ("payer1", "payer2")
HOLDINGS = {"payer1": 2 * AMOUNT_MAX, "payer2": 1_000 * ONE}


@dataclass(frozen=True)
class Deployment:
    bpc: Any
    royalties: Any
    channels: Any


def deploy() -> Deployment:
    load = compiled("BPC", "Royalties", "Channels")
    with boa.env.prank(ADDRESS["deployer"]):
        bpc = load["BPC"].deploy("Basic Patent Coin", "BPC", ADDRESS["minter"])
        royalties = load["Royalties"].deploy(
            bpc.address, ADDRESS["pool"], ADDRESS["fund"], ADDRESS["council"], 7_000, 1_000, 2_000
        )
        channels = load["Channels"].deploy(
            bpc.address, ADDRESS["hub"], royalties.address, ADDRESS["council"], WINDOW
        )
    for name, amount in HOLDINGS.items():
        bpc.mint(ADDRESS[name], amount, sender=ADDRESS["minter"])
    return Deployment(bpc, royalties, channels)


DEPLOYED = Deployed(deploy)


@pytest.fixture(scope="module", autouse=True)
def channels_deployment() -> Iterator[Deployment]:
    yield from DEPLOYED.once()


# -- strategies ------------------------------------------------------------------------------

picks = st.integers(min_value=0, max_value=63)  # 60 and above: a channel never opened
deposits = st.one_of(
    st.integers(1, 10**6),
    st.integers(1, 200 * ONE),
    st.sampled_from([ONE, 100 * ONE, 1_000 * ONE, 1_000 * ONE + 1, AMOUNT_MAX, AMOUNT_MAX + 1, 0]),
)
approvals = st.sampled_from(["exact", "exact", "permit", "permit", "max", "short", "none"])
openers = st.sampled_from(["payer1", "payer1", "payer2", "payer2", "hub"])
top_ups = st.one_of(
    st.integers(1, 10**6), st.integers(1, 50 * ONE), st.sampled_from([0, "to max", "past max"])
)
increments = st.one_of(
    st.integers(1, 1_000), st.integers(1, 10 * ONE), st.sampled_from(["all", "all but 1"])
)
faults = st.sampled_from(
    ["sound"] * 5 + ["attacker", "hub", "high s", "other chain", "other type", "other channel"]
)
coop_proofs = st.sampled_from(["best", "best", "stale", "over"])
payer_proofs = st.sampled_from(["none", "none", "stale", "cheat", "best", "over", "claims"])
hub_proofs = st.sampled_from(["best", "best", "best", "none"])
dispute_proofs = st.sampled_from(["best", "best", "stale", "cheat", "over"])
closers = st.sampled_from(["payer", "payer", "payer", "attacker", "hub"])
anyone = st.sampled_from(["hub", "payer1", "attacker"])
windows = st.sampled_from([WINDOW_MIN - 1, WINDOW_MIN, 3_600, DAY, WINDOW_MAX, WINDOW_MAX + 1, 0])
offsets = st.sampled_from([-1, 0, 1])
waits = st.one_of(st.integers(1, 3_600), st.integers(1, 2 * DAY))


@dataclass
class OffChain:
    """What a channel's payer signed: payments (the hub holds them all) and cheats."""

    payments: list[tuple[int, int]] = field(default_factory=list)
    cheats: list[tuple[int, int]] = field(default_factory=list)

    def top_nonce(self) -> int:
        return max((n for n, _ in self.payments + self.cheats), default=0)

    def best(self) -> tuple[int, int] | None:
        return self.payments[-1] if self.payments else None


class ChannelsMachine(SnapshotMachine):
    model: ChannelsModel

    def __init__(self) -> None:
        super().__init__()
        c = self.c = DEPLOYED.get()
        self.chain_id = int(boa.env.evm.patch.chain_id)
        self.domain = ch.domain(self.chain_id, str(c.channels.address))
        self.other_chain = ch.domain(self.chain_id + 1, str(c.channels.address))
        self.token_domain = eip712.Domain(str(c.bpc.name()), "1", self.chain_id, str(c.bpc.address))
        self.model = ChannelsModel(
            now=int(boa.env.evm.patch.timestamp),
            hub=ADDRESS["hub"],
            council=ADDRESS["council"],
            channels_address=str(c.channels.address),
            fund=ADDRESS["fund"],
            window=WINDOW,
        )
        for name, amount in HOLDINGS.items():
            self.model.mint(ADDRESS[name], amount)
        self.holders = [ADDRESS[n] for n in (*PAYERS, "hub", "attacker", "fund")]
        self.holders += [self.model.channels_address, str(c.royalties.address)]
        self.off: dict[int, OffChain] = {}
        self.signed: dict[int, int] = {}  # channel -> the most its payer validly signed
        self.touched: set[int] = set()
        self.checked_settlements = 0

    # -- chain plumbing ----------------------------------------------------------------------

    def _channel(self, pick: int) -> int:
        """A live channel mostly; sometimes any channel ever opened (settled ones included),
        or one never opened."""
        m = self.model
        if pick >= 60 or m.count == 0:
            return m.count + 1
        live = sorted(m.channels)
        if live and pick % 4 != 3:
            return live[pick % len(live)]
        return pick % m.count + 1

    def _closing(self, pick: int) -> int | None:
        closing = sorted(i for i, c in self.model.channels.items() if c.closing)
        return closing[pick % len(closing)] if closing else None

    def _payer_name(self, channel: int) -> str:
        c = self.model.channels.get(channel)
        if c is None:
            return "payer1"
        return next(n for n in PAYERS if ADDRESS[n] == c.payer)

    def _sig(
        self, channel: int, nonce: int, amount: int, signer: str, fault: str, kind: str
    ) -> tuple[int, bytes, bytes]:
        """`signer`'s signature over the proof (or consent), or a faulty one: the
        attacker's or the hub's instead, its high-s twin, for another chain, of the other
        type, or for another channel. A payer never signs past 2^96 - 1 (bpsa.core.channels
        refuses to): such a proof is signed by hand."""
        domain = self.other_chain if fault == "other chain" else self.domain
        if fault == "other type":
            kind = "CloseConsent" if kind == "BalanceProof" else "BalanceProof"
        key = KEYS[fault if fault in ("attacker", "hub") else signer]
        nonce = max(nonce, 1)
        if self._valid(fault, signer) and kind == "BalanceProof" and signer in PAYERS:
            self.signed[channel] = max(self.signed.get(channel, 0), amount)
        if fault == "other channel":  # the signer's own signature, made for the next channel
            channel += 1
        if amount <= AMOUNT_MAX:
            signature = ch.sign(ch.BalanceProof(channel, nonce, amount), domain, key, kind)
        else:
            body = b"".join(x.to_bytes(32, "big") for x in (channel, nonce, amount))
            digest = keccak(
                b"\x19\x01" + eip712.domain_separator(domain) + keccak(ch.TYPEHASH[kind] + body)
            )
            signature = bytes(Account.unsafe_sign_hash(digest, key).signature)
        v, r, s = ch.as_arg(signature)
        if fault == "high s":
            return (55 - v, r, (eip712.SECP256K1_N - int.from_bytes(s, "big")).to_bytes(32, "big"))
        return (v, r, s)

    @staticmethod
    def _valid(fault: str, signer: str) -> bool:
        """Whether a signature made with `fault` is `signer`'s own, as the contract needs."""
        return fault == "sound" or (fault == "hub" and signer == "hub")

    def _proof(self, channel: int, choice: str, data: Any = None) -> tuple[int, int]:
        """(nonce, amount) of the payer's proof `choice` on `channel`: its best payment, a
        stale one, a cheat, one over the deposit, none (0, 0), or a proofless claim."""
        off = self.off.get(channel, OffChain())
        deposit = self.model.channels[channel].deposit if channel in self.model.channels else 0
        if choice == "best" and off.payments:
            return off.payments[-1]
        if choice == "stale" and len(off.payments) > 1:
            stale: tuple[int, int] = data.draw(st.sampled_from(off.payments[:-1]), label="stale")
            return stale
        if choice == "cheat" and off.cheats:
            cheat: tuple[int, int] = data.draw(st.sampled_from(off.cheats), label="cheat")
            return cheat
        if choice == "over":
            return (off.top_nonce() + 1, deposit + 1)
        if choice == "claims":
            return (0, 1)
        if choice == "none" or not off.payments:
            return (0, 0)
        return off.payments[-1]

    def _approve(self, who: str, amount: int) -> None:
        self.model.approve(ADDRESS[who], amount)
        self._send(None, self.c.bpc.approve, self.c.channels.address, amount, sender=ADDRESS[who])

    def _permit(self, who: str, value: int) -> tuple[int, tuple[int, bytes, bytes]]:
        deadline = self.model.now + 3_600
        message = {
            "owner": ADDRESS[who],
            "spender": str(self.c.channels.address),
            "value": value,
            "nonce": int(self.c.bpc.nonces(ADDRESS[who])),
            "deadline": deadline,
        }
        full = eip712.PERMIT.typed(self.token_domain, message)
        signed = Account.sign_typed_data(KEYS[who], full_message=full)
        return deadline, (signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big"))

    def _settled(self, channel: int, payer: str, before: tuple[int, int, int]) -> None:
        """A settlement just happened: the chain's deltas against the model's record."""
        # the logs first: boa keeps only the latest call's
        logs = [e for e in self.c.channels.get_logs() if type(e).__name__ == "ChannelSettled"]
        s = self.model.settlements[-1]
        assert s.channel == channel
        earnings, payer_balance, held = before
        to_hub = int(self.c.channels.hub_earnings()) - earnings
        to_payer = int(self.c.bpc.balanceOf(payer)) - payer_balance
        assert (to_hub, to_payer) == (s.to_hub, s.to_payer)
        assert to_hub + to_payer == s.deposit
        assert held - int(self.c.bpc.balanceOf(self.c.channels.address)) == to_payer
        assert [(e.channel, e.to_hub, e.to_payer) for e in logs] == [(channel, to_hub, to_payer)]

    def _before(self, payer: str) -> tuple[int, int, int]:
        return (
            int(self.c.channels.hub_earnings()),
            int(self.c.bpc.balanceOf(payer)),
            int(self.c.bpc.balanceOf(self.c.channels.address)),
        )

    # -- rules -------------------------------------------------------------------------------

    @initialize(
        deposits=st.lists(st.integers(1, 100 * ONE), min_size=1, max_size=2),
        payments=st.lists(increments, min_size=1, max_size=3),
    )
    def start(self, deposits: list[int], payments: list[int | str]) -> None:
        """Each example starts with a channel of each payer's open (the first always), and
        a few payments signed on each."""
        for payer, deposit in zip(PAYERS, deposits, strict=False):
            self.open(payer, deposit, "exact")
        for channel in range(1, self.model.count + 1):
            for increment in payments:
                self.pay(channel - 1, increment)

    @rule(opener=openers, deposit=deposits, approval=approvals)
    def open(self, opener: str, deposit: int, approval: str) -> None:
        m, sender = self.model, ADDRESS[opener]
        if approval == "permit":
            deadline, permit = self._permit(opener, deposit)
            reason = m.open(sender, deposit, permit=True)
            out = self._send(
                reason, self.c.channels.open_with_permit, deposit, deadline, permit, sender=sender
            )
        else:
            allowance = allowance_for(approval, deposit)
            if allowance is not None:
                self._approve(opener, allowance)
            reason = m.open(sender, deposit)
            out = self._send(reason, self.c.channels.open, deposit, sender=sender)
        if reason is None:
            assert out == m.count
            self.off[m.count] = OffChain()
            self.touched.add(m.count)

    @rule(
        pick=picks,
        sender=st.sampled_from(["payer", "payer", "other", "hub", "attacker"]),
        amount=top_ups,
    )
    def top_up(self, pick: int, sender: str, amount: int | str) -> None:
        m = self.model
        channel = self._channel(pick)
        payer = self._payer_name(channel)
        who = {"payer": payer, "other": "payer2" if payer == "payer1" else "payer1"}.get(
            sender, sender
        )
        deposit = m.channels[channel].deposit if channel in m.channels else 0
        if amount == "to max":
            amount = AMOUNT_MAX - deposit
        elif amount == "past max":
            amount = AMOUNT_MAX - deposit + 1
        assert isinstance(amount, int)
        self._approve(who, amount)
        reason = m.top_up(ADDRESS[who], channel, amount)
        self._send(reason, self.c.channels.top_up, channel, amount, sender=ADDRESS[who])
        self.touched.add(channel)

    @rule(pick=picks, increment=increments)
    def pay(self, pick: int, increment: int | str) -> None:
        """Off chain: the payer signs its next payment (the hub keeps it)."""
        self._pay(self._channel(pick), increment)

    def _pay(self, channel: int, increment: int | str) -> None:
        c = self.model.channels.get(channel)
        if c is None or c.closing:
            return
        off = self.off[channel]
        best = off.best()
        paid = best[1] if best else 0
        if isinstance(increment, str):
            amount = c.deposit - (increment == "all but 1")
        else:
            amount = min(paid + increment, c.deposit)
        if amount <= paid:
            note_event("pay: deposit exhausted")
            return
        off.payments.append((off.top_nonce() + 1, amount))
        note_event("pay: signed")

    @rule(pick=picks, share=st.integers(0, 99))
    def cheat(self, pick: int, share: int) -> None:
        """Off chain: the payer signs a higher nonce for less than it paid, to close with."""
        self._cheat(self._channel(pick), share)

    def _cheat(self, channel: int, share: int) -> None:
        off = self.off.get(channel)
        best = off.best() if off is not None else None
        if off is None or best is None:
            return
        off.cheats.append((off.top_nonce() + 1, best[1] * share // 100))
        note_event("cheat: signed")

    @rule(
        pick=picks,
        choice=coop_proofs,
        payer_fault=faults,
        hub_fault=faults,
        sender=anyone,
        data=st.data(),
    )
    def cooperative_close(
        self, pick: int, choice: str, payer_fault: str, hub_fault: str, sender: str, data: Any
    ) -> None:
        m = self.model
        channel = self._channel(pick)
        payer = self._payer_name(channel)
        # The hub (bpsa.sidechains) consents only at the best proof it holds; other
        # choices reach the contract with a faulty consent.
        honest = self._valid(hub_fault, "hub")
        nonce, amount = self._proof(channel, "best" if honest else choice, data)
        nonce = max(nonce, 1)
        payer_sig = self._sig(channel, nonce, amount, payer, payer_fault, "BalanceProof")
        hub_sig = self._sig(channel, nonce, amount, "hub", hub_fault, "CloseConsent")
        reason = m.cooperative_close(
            channel, amount, self._valid(payer_fault, payer), self._valid(hub_fault, "hub")
        )
        before = self._before(ADDRESS[payer])
        self._send(
            reason,
            self.c.channels.cooperative_close,
            channel,
            nonce,
            amount,
            payer_sig,
            hub_sig,
            sender=ADDRESS[sender],
        )
        if reason is None:
            self._settled(channel, ADDRESS[payer], before)
        self.touched.add(channel)

    def _close(self, channel: int, sender: str, nonce: int, amount: int, fault: str) -> None:
        payer = self._payer_name(channel)
        sig = self._sig(channel, nonce, amount, payer, fault, "BalanceProof")
        valid = self._valid(fault, payer)
        reason = self.model.close(ADDRESS[sender], channel, nonce, amount, valid)
        self._send(
            reason, self.c.channels.close, channel, nonce, amount, sig, sender=ADDRESS[sender]
        )
        self.touched.add(channel)

    @rule(pick=picks, choice=payer_proofs, fault=faults, closer=closers, data=st.data())
    def payer_closes(self, pick: int, choice: str, fault: str, closer: str, data: Any) -> None:
        """The payer (or the attacker in its place) closes with no proof or one it holds."""
        channel = self._channel(pick)
        nonce, amount = self._proof(channel, choice, data)
        sender = self._payer_name(channel) if closer == "payer" else closer
        self._close(channel, sender, nonce, amount, fault)

    @rule(pick=picks, choice=hub_proofs, fault=faults)
    def hub_closes(self, pick: int, choice: str, fault: str) -> None:
        channel = self._channel(pick)
        nonce, amount = self._proof(channel, choice)  # best or none: nothing to draw
        self._close(channel, "hub", nonce, amount, fault)

    @rule(
        pick=picks,
        choice=dispute_proofs,
        fault=faults,
        sender=st.sampled_from(["hub", "hub", "payer", "attacker"]),
        data=st.data(),
    )
    def dispute(self, pick: int, choice: str, fault: str, sender: str, data: Any) -> None:
        """During the window, a proof is submitted against the one in force."""
        closing = self._closing(pick)
        channel = closing if closing is not None and pick < 60 else self._channel(pick)
        payer = self._payer_name(channel)
        nonce, amount = self._proof(channel, choice, data)
        self._update(channel, payer if sender == "payer" else sender, nonce, amount, fault)

    def _update(self, channel: int, who: str, nonce: int, amount: int, fault: str) -> None:
        nonce = max(nonce, 1)
        payer = self._payer_name(channel)
        sig = self._sig(channel, nonce, amount, payer, fault, "BalanceProof")
        reason = self.model.update(ADDRESS[who], channel, nonce, amount, self._valid(fault, payer))
        self._send(reason, self.c.channels.update, channel, nonce, amount, sig, sender=ADDRESS[who])
        self.touched.add(channel)

    @rule()
    def hub_watches(self) -> None:
        """A vigilant hub answers every close whose proof in force pays less than its best."""
        for channel, c in sorted(self.model.channels.items()):
            best = self.off[channel].best()
            if c.closing and best is not None and best[1] > c.amount:
                self._update(channel, "hub", *best, "sound")

    @rule(pick=picks, sender=anyone)
    def settle(self, pick: int, sender: str) -> None:
        closing = self._closing(pick)
        self._settle(closing if closing is not None and pick % 3 else self._channel(pick), sender)

    def _settle(self, channel: int, sender: str) -> None:
        payer = ADDRESS[self._payer_name(channel)]
        before = self._before(payer)
        reason = self.model.settle(channel)
        self._send(reason, self.c.channels.settle, channel, sender=ADDRESS[sender])
        if reason is None:
            self._settled(channel, payer, before)
        self.touched.add(channel)

    @rule(pick=picks, offset=offsets)
    def wait_for_settle_time(self, pick: int, offset: int) -> None:
        """To a closing channel's settle time: the second before, at it, or after."""
        channel = self._closing(pick)
        if channel is None:
            return
        self._wait_until(self.model.channels[channel].settle_after + offset)

    @rule(seconds=waits)
    def wait(self, seconds: int) -> None:
        self._wait_until(self.model.now + seconds)

    @rule(
        payer=st.sampled_from(PAYERS),
        deposit=st.integers(1, 100 * ONE),
        payments=st.lists(increments, min_size=1, max_size=3),
        close_with=st.sampled_from(["none", "stale", "cheat", "best"]),
        hub_answers=st.sampled_from(["in time", "in time", "late", "never"]),
        offset=offsets,
        sweep=st.booleans(),
    )
    def unilateral_lifecycle(
        self,
        payer: str,
        deposit: int,
        payments: list[int | str],
        close_with: str,
        hub_answers: str,
        offset: int,
        sweep: bool,
    ) -> None:
        """A channel from open to settlement: payments, the payer's close (with no proof, a
        stale one, a cheat or its best), the hub's answer with its best (in the window, or
        after a wait to around the settle time: refused from the settle time on),
        settlement (a second early: refused, then a second later), sweep."""
        self.open(payer, deposit, "exact")
        channel = self.model.count
        for increment in payments:
            self._pay(channel, increment)
        if close_with == "cheat":
            self._cheat(channel, 50)
        off = self.off[channel]
        if not off.payments:  # every payment was refused (over the deposit): nothing to do
            return
        nonce, amount = {
            "none": (0, 0),
            "stale": off.payments[0],
            "cheat": off.cheats[-1] if off.cheats else (0, 0),
            "best": off.payments[-1],
        }[close_with]
        self._close(channel, payer, nonce, amount, "sound")
        if hub_answers == "in time":
            self._update(channel, "hub", *off.payments[-1], "sound")
        settle_after = self.model.channels[channel].settle_after
        self._wait_until(settle_after + offset)
        if hub_answers == "late":
            self._update(channel, "hub", *off.payments[-1], "sound")
        self._settle(channel, "attacker")
        if channel in self.model.channels:
            self._wait_until(settle_after + 1)
            self._settle(channel, payer)
        if sweep:
            self.sweep("hub")

    @rule(sender=anyone)
    def sweep(self, sender: str) -> None:
        m = self.model
        amount = m.hub_earnings
        fund_before = int(self.c.bpc.balanceOf(ADDRESS["fund"]))
        reason = m.sweep()
        out = self._send(reason, self.c.channels.sweep, sender=ADDRESS[sender])
        if reason is None:
            assert out == amount
            assert int(self.c.bpc.balanceOf(ADDRESS["fund"])) - fund_before == amount

    @rule(sender=st.sampled_from(["council", "council", "attacker", "hub"]), seconds=windows)
    def set_window(self, sender: str, seconds: int) -> None:
        reason = self.model.set_window(ADDRESS[sender], seconds)
        self._send(reason, self.c.channels.set_challenge_window, seconds, sender=ADDRESS[sender])

    # -- invariants --------------------------------------------------------------------------

    @invariant()
    def bpc_is_conserved(self) -> None:
        m, c = self.model, self.c
        held = int(c.bpc.balanceOf(c.channels.address))
        assert held == m.held() == m.balances[m.channels_address]
        assert int(c.channels.hub_earnings()) == m.hub_earnings
        assert int(c.channels.channel_count()) == m.count
        for holder in self.holders:
            assert int(c.bpc.balanceOf(holder)) == m.balances[holder], holder
        assert int(c.bpc.totalSupply()) == sum(m.balances.values())
        assert int(c.royalties.fees_in()) == m.fees_in

    @invariant()
    def attacker_gains_nothing(self) -> None:
        assert int(self.c.bpc.balanceOf(ADDRESS["attacker"])) == 0

    @invariant()
    def live_and_touched_channels_agree(self) -> None:
        m = self.model
        for channel in sorted(set(m.channels) | self.touched):
            payer, deposit, nonce, amount, settle_after = self.c.channels.channel(channel)
            got = (str(payer), int(deposit), int(nonce), int(amount), int(settle_after))
            assert got == m.view(channel), channel
        self.touched.clear()

    @invariant()
    def settlements_pay_out_the_deposit(self) -> None:
        for s in self.model.settlements[self.checked_settlements :]:
            assert s.to_hub + s.to_payer == s.deposit
            assert s.to_hub >= s.hub_submitted, s
            assert s.to_hub <= self.signed.get(s.channel, 0), s  # only what the payer signed
            assert s.at >= s.settle_after, s
            assert self.model.view(s.channel)[0] == ZERO_ADDRESS
        self.checked_settlements = len(self.model.settlements)


TestChannelsAgreeWithModel = ChannelsMachine.TestCase
TestChannelsAgreeWithModel.settings = active_settings()


def test_channels__payer_closes_stale_hub_disputes_in_the_last_second__hub_paid_its_best() -> None:
    """A payer pays twice, closes with the first proof; the hub answers one second before the
    settle time; a later, smaller cheat is refused; settling pays the hub its best."""
    machine = ChannelsMachine()
    try:
        machine.start([100 * ONE], [10 * ONE, 5 * ONE])
        machine.cheat(0, 50)
        c, m = machine.c, machine.model
        payer = ADDRESS["payer1"]
        (n1, a1), (n2, a2) = machine.off[1].payments
        sig = machine._sig(1, n1, a1, "payer1", "sound", "BalanceProof")
        assert m.close(payer, 1, n1, a1, True) is None
        c.channels.close(1, n1, a1, sig, sender=payer)
        machine._wait_until(m.channels[1].settle_after - 1)
        sig = machine._sig(1, n2, a2, "payer1", "sound", "BalanceProof")
        assert m.update(ADDRESS["hub"], 1, n2, a2, True) is None
        c.channels.update(1, n2, a2, sig, sender=ADDRESS["hub"])
        cheat_nonce, cheat_amount = machine.off[1].cheats[0]
        sig = machine._sig(1, cheat_nonce, cheat_amount, "payer1", "sound", "BalanceProof")
        with boa.reverts("channels: proof does not pay more than the one in force"):
            c.channels.update(1, cheat_nonce, cheat_amount, sig, sender=payer)
        with boa.reverts("channels: challenge window not over"):
            c.channels.settle(1, sender=payer)
        machine._wait_until(m.channels[1].settle_after)
        before = machine._before(payer)
        assert m.settle(1) is None
        c.channels.settle(1, sender=payer)
        machine._settled(1, payer, before)
        assert int(c.channels.hub_earnings()) == 15 * ONE
        machine.bpc_is_conserved()
        machine.live_and_touched_channels_agree()
        machine.settlements_pay_out_the_deposit()
        for fn, args, reason in [
            (c.channels.settle, (1,), NOT_CLOSING),
            (c.channels.top_up, (1, 1), NO_CHANNEL),
        ]:
            with boa.reverts(reason):
                fn(*args, sender=payer)
    finally:
        machine.teardown()
