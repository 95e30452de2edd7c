"""Keys, domain and payments shared by the hub's tests."""

from __future__ import annotations

from eth_account import Account
from eth_utils.crypto import keccak

from bpsa.core import channels as ch
from bpsa.sidechains import state as st

PAYER_KEY = keccak(text="bpsa hub payer")
PAYER = Account.from_key(PAYER_KEY).address
HUB_KEY = keccak(text="bpsa hub key")
HUB = Account.from_key(HUB_KEY).address
DOM = ch.domain(31337, "0x" + "cd" * 20)
PRICE = 10**15  # 0.001 BPC a query


def opened_channel() -> int:
    """The deposit of the test channel: enough for a million queries."""
    return 10**6 * PRICE


def payment(nonce: int, channel: int = 1) -> st.ReceivePayment:
    """The payer's `nonce`-th payment: cumulative nonce x PRICE."""
    amount = nonce * PRICE
    signature = ch.sign(ch.BalanceProof(channel, nonce, amount), DOM, PAYER_KEY)
    return st.ReceivePayment(channel, nonce, amount, signature)
