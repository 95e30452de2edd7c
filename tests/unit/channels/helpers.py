"""Revert reasons, signature surgery and time for the Channels unit tests."""

from __future__ import annotations

from typing import Any

from bpsa.core.eip712 import SECP256K1_N

ZERO = "0x" + "00" * 20
ONE = 10**18
AMOUNT_MAX = 2**96 - 1
WINDOW_MIN = 600
WINDOW_MAX = 30 * 86_400
NO_SIG = (0, b"\x00" * 32, b"\x00" * 32)

NOT_OWNER = "ownable: caller is not the owner"
NO_CHANNEL = "channels: no such channel"
ONLY_PAYER_TOPS_UP = "channels: only the payer tops up"
IS_CLOSING = "channels: channel is closing"
BAD_TOP_UP = "channels: top-up must be 1 wei and keep the deposit under 2^96"
BAD_DEPOSIT = "channels: deposit must be 1 wei to 2^96 - 1"
HUB_PAYS_ITSELF = "channels: the hub cannot pay itself"
OVER_DEPOSIT = "channels: amount exceeds the deposit"
NOT_PAYER_PROOF = "channels: not the payer's balance proof"
NOT_HUB_CONSENT = "channels: not the hub's close consent"
ALREADY_CLOSING = "channels: already closing"
ONLY_PARTIES_CLOSE = "channels: only the payer or the hub closes"
CLAIMS_NOTHING = "channels: a close without a proof claims nothing"
NOT_CLOSING = "channels: channel is not closing"
WINDOW_OVER = "channels: challenge window is over"
NOT_MORE = "channels: proof does not pay more than the one in force"
WINDOW_NOT_OVER = "channels: challenge window not over"
NOTHING_TO_SWEEP = "channels: nothing to sweep"
BAD_WINDOW = "channels: window must be 10 minutes to 30 days"
NO_ALLOWANCE = "erc20: insufficient allowance"
NO_BALANCE = "erc20: transfer amount exceeds balance"
BAD_PERMIT = "erc20: invalid signature"
PERMIT_EXPIRED = "erc20: expired deadline"


def high_s(sig: tuple[int, bytes, bytes]) -> tuple[int, bytes, bytes]:
    """The malleable twin of a low-s signature: (55 - v, r, n - s) recovers the same
    signer under a bare ecrecover."""
    v, r, s = sig
    return (55 - v, r, (SECP256K1_N - int.from_bytes(s, "big")).to_bytes(32, "big"))


def with_v(sig: tuple[int, bytes, bytes], v: int) -> tuple[int, bytes, bytes]:
    return (v, sig[1], sig[2])


def at(chain: Any, timestamp: int) -> None:
    """The next transaction is mined in a block with exactly this timestamp."""
    chain.pending_timestamp = timestamp


def view(channels: Any, channel: int) -> tuple[str, int, int, int, int]:
    """channel(): (payer, deposit, nonce, amount, settle_after) as plain values."""
    payer, deposit, nonce, amount, settle_after = channels.channel(channel)
    return (str(payer), int(deposit), int(nonce), int(amount), int(settle_after))
