"""Valuations through the API (issue 17): each ballot's reasoning as a CIDv1, each patent's
re-rating date and stale flag as of the indexed head (the `?stale=` filter), the value in
stale valuations on /pool and every NAV point, and patent families (`/families/{family}`,
`?family=`), compared with what the contracts answer.

The world (conftest.py): the scenario's pooled patent US 11000001, sold to provider2, who
put it and EP 3000001 in family DOCDB:54321098; the council then shortened the re-rating
interval to a day, so US 11000001 is stale; CN ZL201810123456 was rated and pooled after
that (fresh)."""

from __future__ import annotations

from typing import Any

from bpsa.core import certificates as certs
from bpsa.core.cid import cid_from_digest
from bpsa.sdk.pool import iso_time
from tests.fixtures.pool import REASONING, VALUATION
from tests.indexer.conftest import COUNTERPART, FAMILY, FAMILY_TEXT

from .conftest import CN_NUMBER


def pid(office: str, number: str) -> str:
    return "0x" + bytes(certs.patent_id(office, number)).hex()


STALE = pid("US", "11000001")
FRESH = pid("CN", CN_NUMBER)
EP = pid(*COUNTERPART)


def ids(page: dict[str, Any]) -> set[str]:
    return {p["patent_id"] for p in page["items"]}


def test_patent__rated__due_date_and_stale_as_the_pool_answers(client, patent_pool) -> None:
    for patent in (STALE, FRESH):
        body = client.get(f"/patents/{patent}").json()
        due, stale = patent_pool.rating_due(bytes.fromhex(patent[2:]))

        assert (body["rating_due_at"], body["rating_due"], body["stale"]) == (
            due,
            iso_time(due),
            stale,
        )
    assert client.get(f"/patents/{STALE}").json()["stale"] is True
    assert client.get(f"/patents/{FRESH}").json()["stale"] is False


def test_patent__ballots__each_with_its_reasoning_cid(client) -> None:
    ratings = client.get(f"/patents/{FRESH}").json()["ratings"]

    assert len(ratings) == 3
    for ballot in ratings:
        assert ballot["reasoning"] == "0x" + REASONING.hex()
        assert ballot["reasoning_cid"] == cid_from_digest(REASONING)
        assert ballot["reasoning_cid"].startswith("b")  # CIDv1, base32


def test_patents__stale_filter__as_of_the_indexed_head(client) -> None:
    stale = client.get("/patents?stale=true&limit=500").json()
    fresh = client.get("/patents?stale=false&limit=500").json()
    everything = client.get("/patents?limit=500").json()

    assert STALE in ids(stale) and FRESH not in ids(stale)
    assert FRESH in ids(fresh) and EP in ids(fresh)  # EP: never rated
    assert all(p["stale"] for p in stale["items"])
    assert not any(p["stale"] for p in fresh["items"])
    assert stale["total"] + fresh["total"] == everything["total"]


def test_pool__stale_value__amount_share_and_count(client, patent_pool) -> None:
    body = client.get("/pool").json()
    nav = body["nav"]

    assert body["stale"] == {
        "as_of": body["indexed_time"],
        "value": str(VALUATION),  # US 11000001's settled valuation
        "share": VALUATION / (int(nav["pooled_value"]) + int(nav["treasury_value"])),
        "patents": 1,
    }
    assert int(nav["pooled_value"]) == patent_pool.pooled_value()


def test_nav__each_point__its_stale_value_and_share(client) -> None:
    points = client.get("/nav?limit=500").json()["items"]

    last = points[-1]  # CN pooled after the interval shrank: US 11000001 stale by then
    assert last["stale_value"] == str(VALUATION)
    counted = int(last["pooled_value"]) + int(last["treasury_value"])
    assert last["stale_share"] == VALUATION / counted
    assert points[0]["stale_value"] == "0"


def test_families__by_text_or_id__the_family_together(client) -> None:
    by_text = client.get(f"/families/{FAMILY_TEXT}").json()
    by_id = client.get(f"/families/0x{FAMILY.hex()}").json()
    filtered = client.get(f"/patents?family={FAMILY_TEXT}").json()

    assert ids(by_text) == ids(by_id) == ids(filtered) == {STALE, EP}
    assert [(p["office"], p["number"]) for p in by_text["items"]] == [
        ("EP", COUNTERPART[1]),
        ("US", "11000001"),
    ]
    assert {p["family"] for p in by_text["items"]} == {"0x" + FAMILY.hex()}
    assert {p["stale"] for p in by_text["items"]} == {True, False}


def test_families__unknown_family__404(client) -> None:
    reply = client.get("/families/DOCDB:1")

    assert reply.status_code == 404
    assert "no patent in family" in reply.json()["detail"]


def test_families__malformed__422_never_500(client) -> None:
    for bad in ("DOCDB:abc", "PRIORITY:", "MAYBE:1", "DOCDB:1234567890123", "0x12"):
        assert client.get(f"/families/{bad}").status_code == 422, bad
        assert client.get(f"/patents?family={bad}").status_code == 422, bad
    # A priority application's number blank but for a carriage return (or a tab): the
    # schema's pattern refuses it (422), as the route would (schemathesis found a 400).
    for blank in ("%20%20%0D", "%20%09", "%20%0A"):
        assert client.get(f"/families/PRIORITY:MP{blank}").status_code == 422, blank
        assert client.get(f"/patents?family=PRIORITY:MP{blank}").status_code == 422, blank


def test_families__zero_id__no_family_404(client) -> None:
    assert client.get("/families/0x" + "00" * 32).status_code == 404


def test_openapi__stale_says_as_of_the_indexed_head(client) -> None:
    schema = client.get("/openapi.json").json()
    patent = schema["components"]["schemas"]["PatentOut"]["properties"]

    assert "INDEXED HEAD" in patent["stale"]["description"]
    assert {"rating_due", "rating_due_at", "family"} <= set(patent)
    assert "/families/{family}" in schema["paths"]
    stale_param = next(
        p for p in schema["paths"]["/patents"]["get"]["parameters"] if p["name"] == "stale"
    )
    assert "indexed head" in stale_param["description"]
