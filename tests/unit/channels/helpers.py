"""Constants, signature surgery and views for the Channels unit tests (the limits and
revert reasons are in tests/channels_reasons.py)."""

from __future__ import annotations

from typing import Any

from bpsa.core.eip712 import SECP256K1_N

ZERO = "0x" + "00" * 20
ONE = 10**18
NO_SIG = (0, b"\x00" * 32, b"\x00" * 32)


def high_s(sig: tuple[int, bytes, bytes]) -> tuple[int, bytes, bytes]:
    """The malleable twin of a low-s signature: (55 - v, r, n - s) recovers the same
    signer under a bare ecrecover."""
    v, r, s = sig
    return (55 - v, r, (SECP256K1_N - int.from_bytes(s, "big")).to_bytes(32, "big"))


def with_v(sig: tuple[int, bytes, bytes], v: int) -> tuple[int, bytes, bytes]:
    return (v, sig[1], sig[2])


def view(channels: Any, channel: int) -> tuple[str, int, int, int, int]:
    """channel(): (payer, deposit, nonce, amount, settle_after) as plain values."""
    payer, deposit, nonce, amount, settle_after = channels.channel(channel)
    return (str(payer), int(deposit), int(nonce), int(amount), int(settle_after))
