"""GET /search paid per query: receipts from the channel hub's own engine
(`bpsa.sidechains.engine.Engine`, the hub's key) for a channel opened on chain, each sent
with the payer's signature of its query; unpaid, replayed, underpaid and foreign receipts
answer 402 with how to pay; a bad query never spends a receipt. (Receipts without the
payer's signature: test_attack_receipt_theft.py.)"""

from __future__ import annotations

import json

from bpsa.core import channels as ch
from bpsa.sidechains.engine import Receipt

from .conftest import CN_NUMBER
from .paygate import HEADER, PRICE


def test_search__no_receipt__402_saying_how_to_pay(paid_client, channels, hub):
    reply = paid_client.get("/search?q=ZL2018")

    body = reply.json()
    assert (reply.status_code, body["code"]) == (402, "payment_required")
    how = body["payment"]
    assert (how["hub"], how["channels"], how["price_wei"], how["header"]) == (
        hub.address,
        channels.address,
        str(PRICE),
        HEADER,
    )
    assert how["hub_url"] == "http://127.0.0.1:9999"


def test_search__hub_receipt_covering_the_price__answers_the_query(paid_client, hub_engine):
    receipt = hub_engine.pay()

    reply = paid_client.get("/search?q=ZL2018", headers=hub_engine.authorized(receipt, "ZL2018"))

    body = reply.json()
    assert reply.status_code == 200
    assert [p["number"] for p in body["items"]] == [CN_NUMBER]
    assert body["paid"] == {
        "channel": hub_engine.channel,
        "nonce": 1,
        "covered_wei": str(PRICE),
    }


def test_search__same_receipt_twice__second_is_402_receipt_used(paid_client, hub_engine):
    paid = hub_engine.authorized(hub_engine.pay(), "11000001")
    first = paid_client.get("/search?q=11000001", headers=paid)

    again = paid_client.get("/search?q=11000001", headers=paid)

    assert first.status_code == 200 and first.json()["total"] == 1
    assert (again.status_code, again.json()["code"]) == (402, "receipt_used")


def test_search__receipt_adding_less_than_the_price__402_underpaid(paid_client, hub_engine):
    reply = paid_client.get(
        "/search?q=US", headers=hub_engine.authorized(hub_engine.pay(PRICE - 1), "US")
    )

    assert (reply.status_code, reply.json()["code"]) == (402, "underpaid")
    assert "payment" in reply.json()


def test_search__receipt_not_signed_by_the_hub__402_bad_receipt(paid_client, hub_engine):
    genuine = hub_engine.pay()
    forged = Receipt(
        genuine.channel,
        genuine.payer,
        genuine.nonce,
        genuine.amount,
        ch.sign(ch.BalanceProof(1, 1, 1), hub_engine.domain, hub_engine.payer.private_key),
    )

    reply = paid_client.get("/search?q=US", headers=hub_engine.authorized(forged, "US"))

    assert (reply.status_code, reply.json()["code"]) == (402, "bad_receipt")


def test_search__malformed_receipt_header__400_malformed_receipt(paid_client):
    for text in ("not json", '{"channel": 1}', json.dumps({"channel": 1, "nonce": 1,
                 "amount": "1", "signature": "0x1234"})):  # fmt: skip
        reply = paid_client.get("/search?q=US", headers={HEADER: text})
        assert (reply.status_code, reply.json()["code"]) == (400, "malformed_receipt"), text


def test_search__bad_query__422_and_the_receipt_is_still_good(paid_client, hub_engine):
    receipt = hub_engine.pay()

    blank = paid_client.get("/search?q=%20%20", headers=hub_engine.authorized(receipt, "  "))
    too_long = paid_client.get(
        "/search?q=" + "x" * 65, headers=hub_engine.authorized(receipt, "x" * 65)
    )
    then = paid_client.get("/search?q=ZL", headers=hub_engine.authorized(receipt, "ZL"))

    assert (blank.status_code, blank.json()["code"]) == (422, "invalid_request")
    assert (too_long.status_code, too_long.json()["code"]) == (422, "invalid_request")
    assert then.status_code == 200


def test_search__each_new_receipt__one_more_query(paid_client, hub_engine):
    answers = [
        paid_client.get(
            "/search?q=1100", headers=hub_engine.authorized(hub_engine.pay(), "1100")
        ).status_code
        for _ in range(5)
    ]

    assert answers == [200] * 5
