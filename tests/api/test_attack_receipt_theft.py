"""Issue 15, finding 14: anyone spends a payer's receipt at the pay gate.

The pay gate accepted whoever presented a receipt first: an attacker who saw the
payer's fresh receipt (on the wire, or from the hub's open receipt endpoint) spent it on
a search of its own, and the payer's own query then got `402 receipt_used`. A receipt now
names its payer (the hub signs `Receipt(channel, payer, nonce, amount)`), and a paid
query needs the payer's own signature over that very query (`PaidQuery(channel, nonce,
request)`, in `X-Payment-Authorization`), checked before the receipt is spent."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from eth_utils.crypto import keccak

from bpsa.sidechains.engine import Receipt
from tests.api.paygate import PRICE, Hub, header

ATTACKER_KEY = keccak(text="bpsa search attacker")


def assert_payer_served(client: Any, hub: Hub, receipt: Receipt, query: str) -> None:
    """The payer's own search for `query`, paid with `receipt`, is answered (not spent)."""
    own = client.get(f"/search?q={query}", headers=hub.authorized(receipt, query))
    assert own.status_code == 200, own.json()


def test_search__attacker_presents_the_payers_receipt_alone__401_and_the_payer_still_served(
    paid_client, hub_engine
):
    receipt = hub_engine.pay()
    seen = header(receipt)  # the attacker copies the receipt, nothing else

    stolen = paid_client.get("/search?q=US", headers=seen)

    assert stolen.status_code == 401, stolen.json()
    assert stolen.json()["code"] == "authorization_required"
    assert_payer_served(paid_client, hub_engine, receipt, "ZL2018")


def test_search__attacker_signs_the_payers_receipt_with_its_own_key__403_and_not_spent(
    paid_client, hub_engine
):
    receipt = hub_engine.pay()

    stolen = paid_client.get(
        "/search?q=US", headers=hub_engine.authorized(receipt, "US", key=ATTACKER_KEY)
    )

    assert (stolen.status_code, stolen.json()["code"]) == (403, "not_payer")
    assert_payer_served(paid_client, hub_engine, receipt, "US")


def test_search__payers_authorisation_replayed_on_another_query__403_and_not_spent(
    paid_client, hub_engine
):
    receipt = hub_engine.pay()
    payers = hub_engine.authorized(receipt, "ZL2018")  # seen in transit, for ZL2018

    other = paid_client.get("/search?q=US", headers=payers)
    other_page = paid_client.get("/search?q=ZL2018&offset=20", headers=payers)

    assert (other.status_code, other.json()["code"]) == (403, "not_payer")
    assert (other_page.status_code, other_page.json()["code"]) == (403, "not_payer")
    assert paid_client.get("/search?q=ZL2018", headers=payers).status_code == 200


def test_search__receipts_signed_as_one_batch__each_buys_its_query_and_none_another_proof(
    paid_client, hub_engine
):
    """The hub signs one Merkle root per batch (issue 16): a receipt is the hub's only with
    its own proof and salt; a payer who holds several receipts of a batch cannot make
    one of them count for more by taking another's proof or salt."""
    first, second, third = hub_engine.pay_batch([PRICE] * 3)
    assert first.signature == third.signature and first.proof and third.proof

    swapped = replace(third, amount=third.amount + 5 * PRICE, proof=first.proof)
    salted = replace(third, salt=first.salt)
    long = replace(third, proof=third.proof[:32] * 17)  # more hashes than any batch needs
    answers = [
        paid_client.get("/search?q=US", headers=hub_engine.authorized(r, "US"))
        for r in (swapped, salted, long)
    ]

    codes = [(a.status_code, a.json()["code"]) for a in answers]
    assert codes == [(402, "bad_receipt"), (402, "bad_receipt"), (400, "malformed_receipt")]
    for receipt, q in ((first, "US"), (second, "ZL2018"), (third, "EP")):
        assert_payer_served(paid_client, hub_engine, receipt, q)
