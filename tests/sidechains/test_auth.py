"""The hub's check of who asks (`auth.Gatekeeper`), pure: the payer's `HubRequest`
signature is accepted once, within the window, after the hub started, for exactly the
action, body, channel, chain and contract it names; everything else is a 4xx with its own
code. The digests agree with the generic EIP-712 encoder."""

from __future__ import annotations

from typing import Any

import pytest
from eth_utils.crypto import keccak

from bpsa.core import channels as ch
from bpsa.core import eip712
from bpsa.sidechains.auth import Gatekeeper, Unauthorized, authorization_header
from tests.sidechains.helpers import DOM, PAYER, PAYER_KEY

OTHER_KEY = keccak(text="bpsa hub someone else")


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def header_at(monkeypatch, when: float, **changes) -> str:
    """A header issued at `when` (seconds)."""
    monkeypatch.setattr("bpsa.sidechains.auth.time.time", lambda: when)
    args: dict[str, Any] = {
        "dom": DOM,
        "key": PAYER_KEY,
        "channel": 1,
        "action": "close",
        "body": b"{}",
    }
    return authorization_header(**(args | changes))


def refused(gate: Gatekeeper, header: str | None, **changes) -> tuple[int, str]:
    args = {"channel": 1, "payer": PAYER, "action": "close", "body": b"{}", "header": header}
    with pytest.raises(Unauthorized) as caught:
        gate.check(**(args | changes))
    return caught.value.status, caught.value.code


def test_hub_request_digest__matches_the_generic_eip712_encoder():
    request = ch.HubRequest(7, "close", 1_700_000_000_123, b"\x01" * 32, keccak(b"{}"))

    assert request.digest(DOM) == eip712.digest(request.typed(DOM))


def test_paid_query_digest__matches_the_generic_eip712_encoder():
    request = ch.canonical_request("/search", {"q": "ZL 2018/ü&x=1", "limit": 20, "offset": 0})
    message = {"channel": 7, "nonce": 3, "request": request}
    typed = eip712.typed_data(DOM, {"PaidQuery": ch.TYPES["PaidQuery"]}, "PaidQuery", message)

    assert ch.paid_query_digest(DOM, 7, 3, request) == eip712.digest(typed)
    assert request == "/search?limit=20&offset=0&q=ZL%202018%2F%C3%BC%26x%3D1"


def test_check__payers_fresh_request__accepted_once(monkeypatch):
    gate = Gatekeeper(DOM, clock=Clock(1_000.0))
    header = header_at(monkeypatch, 1_010.0)

    gate.check(1, PAYER, "close", b"{}", header)

    assert refused(gate, header) == (401, "replayed_authorization")


@pytest.mark.parametrize(
    ("issued", "now"),
    [(1_000.0, 1_070.0), (1_200.0, 1_100.0), (999.0, 1_000.5)],
    ids=["older-than-the-window", "from-the-future", "before-the-hub-started"],
)
def test_check__stale__401_stale(monkeypatch, issued, now):
    clock = Clock(1_000.0)  # the hub starts
    gate = Gatekeeper(DOM, window=60, clock=clock)
    clock.now = now

    assert refused(gate, header_at(monkeypatch, issued)) == (401, "stale_authorization")


@pytest.mark.parametrize(
    ("signed", "checked"),
    [
        ({"key": OTHER_KEY}, {}),
        ({"action": "receipt"}, {}),
        ({"body": b"{ }"}, {}),
        ({"channel": 2}, {}),
        ({"dom": ch.domain(1, "0x" + "cd" * 20)}, {}),
        ({}, {"payer": "0x" + "11" * 20}),
    ],
    ids=["someone-else", "other-action", "other-body", "other-channel", "other-chain", "not-payer"],
)
def test_check__not_the_payers_for_this_request__403_not_payer(monkeypatch, signed, checked):
    gate = Gatekeeper(DOM, clock=Clock(1_000.0))

    assert refused(gate, header_at(monkeypatch, 1_001.0, **signed), **checked) == (
        403,
        "not_payer",
    )


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer abc",
        "BPSA-Payer issued=1, salt=0x00, signature=0x00",
        "BPSA-Payer issued=99999999999999999999, salt=0x"
        + "00" * 32
        + ", signature=0x"
        + "00" * 65,
        "BPSA-Payer issued=-1, salt=0x" + "00" * 32 + ", signature=0x" + "00" * 65,
        "BPSA-Payer issued=\uff11\uff12, salt=0x" + "00" * 32 + ", signature=0x" + "00" * 65,
    ],
    ids=["empty", "other-scheme", "short", "huge-time", "negative-time", "fullwidth-digits"],
)
def test_check__malformed__400_malformed(header):
    gate = Gatekeeper(DOM, clock=Clock(1_000.0))

    assert refused(gate, header) == (400, "malformed_authorization")


def test_check__zero_signature__403_never_500(monkeypatch):
    gate = Gatekeeper(DOM, clock=Clock(1_000.0))
    header = "BPSA-Payer issued=1000500, salt=0x" + "00" * 32 + ", signature=0x" + "00" * 65

    assert refused(gate, header) == (403, "not_payer")


def test_check__missing__401_required():
    assert refused(Gatekeeper(DOM), None) == (401, "authorization_required")


def test_check__more_fresh_requests_than_allowed__429_until_they_expire(monkeypatch):
    clock = Clock(1_000.0)
    gate = Gatekeeper(DOM, window=60, per_channel=3, clock=clock)
    for second in (1, 2, 3):
        gate.check(1, PAYER, "close", b"{}", header_at(monkeypatch, 1_000.0 + second))

    assert refused(gate, header_at(monkeypatch, 1_004.0)) == (429, "too_many_requests")
    clock.now = 1_070.0  # the first three are stale now
    gate.check(1, PAYER, "close", b"{}", header_at(monkeypatch, 1_069.0))
