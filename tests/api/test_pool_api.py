"""The indexed pool through the API: every list and detail endpoint over the database the
real indexer filled from the deployed suite, compared with what the contracts answer;
filters, paging, and a clear 4xx for each kind of bad request."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from eth_utils.address import to_checksum_address
from fastapi.testclient import TestClient

from bpsa.core import certificates as certs
from bpsa.core.cid import cid_from_digest
from bpsa.core.codes import Kind
from tests.fixtures.pool import DOCUMENT

from .conftest import CN_NUMBER, DEVICES, World


def pid(office: str, number: str) -> str:
    return "0x" + bytes(certs.patent_id(office, number)).hex()


POOLED = pid("US", "11000001")


def every(client: TestClient, path: str, limit: int = 3) -> list[dict[str, Any]]:
    """All items of a paged list, following next_offset."""
    items: list[dict[str, Any]] = []
    offset: int | None = 0
    sep = "&" if "?" in path else "?"
    while offset is not None:
        page = client.get(f"{path}{sep}limit={limit}&offset={offset}").json()
        items += page["items"]
        assert page["total"] >= len(items)
        offset = page["next_offset"]
    return items


def test_members__every_page__each_member_as_the_alliance_answers(client, pool_alliance):
    members = every(client, "/members")

    assert len(members) == pool_alliance.member_count()
    for m in members:
        assert (m["status"]["code"], m["kind"]["code"], m["role_bits"]) == (
            pool_alliance.status_of(m["address"]),
            pool_alliance.kind_of(m["address"]),
            pool_alliance.roles_of(m["address"]),
        )


def test_members__filter_by_status_and_role__only_those(client, attacker, oracles):
    expelled = client.get("/members?status=expelled").json()["items"]
    with_oracle_role = client.get("/members?role=oracle").json()["items"]

    assert [m["address"] for m in expelled] == [attacker.address]
    assert {m["address"] for m in with_oracle_role} == {o.address for o in oracles}
    assert all("oracle" in m["roles"] for m in with_oracle_role)


def test_member__one_address__its_kind_and_share(client, enterprise):
    body = client.get(f"/members/{enterprise.address}").json()

    assert body["kind"] == {"code": int(Kind.LARGE_ENTERPRISE), "label": "large-enterprise"}
    assert body["market_share_bps"] == 1_250


def test_member__active__active_since_block_as_the_alliance_and_its_time(
    client, chain, pool_alliance, enterprise
):
    body = client.get(f"/members/{enterprise.address}").json()

    block = int(pool_alliance.active_since(enterprise))
    assert block > 0 and body["active_since_block"] == block  # one unit per name: a block
    assert body["activated_at"] == chain.blocks[block].timestamp
    assert "active_since" not in body


def test_member__unknown_address__404_not_found(client):
    reply = client.get("/members/0x" + "42" * 20)

    assert (reply.status_code, reply.json()["code"]) == (404, "not_found")


def test_member__malformed_address__422_invalid_request_naming_it(client):
    reply = client.get("/members/0x1234")

    body = reply.json()
    assert (reply.status_code, body["code"]) == (422, "invalid_request")
    assert body["errors"][0]["where"] == "path.address"


def test_patents__filters__office_status_rating_and_collection(client, patent_pool):
    def numbers(query: str) -> set[str]:
        return {p["number"] for p in client.get("/patents?" + query).json()["items"]}

    assert numbers("office=CN") == {CN_NUMBER}
    assert numbers("status=pooled") == {"11000001", CN_NUMBER}
    assert numbers("status=withdrawn") == {"11000002"}
    assert numbers("rating_min=60&rating_max=69") == {CN_NUMBER}
    assert numbers("rating_min=80") == {"11000001"}
    assert numbers("status=pooled&office=US") == {"11000001"}
    assert "11000001" in numbers(f"collection={patent_pool.collection()}")
    assert numbers("collection=another-network") == set()


def test_patents__bad_filter_values__422_with_a_code(client):
    for query in ("status=sleeping", "rating_min=101", "office=U1", "limit=0", "limit=501"):
        reply = client.get("/patents?" + query)
        assert (reply.status_code, reply.json()["code"]) == (422, "invalid_request"), query


def test_patent__pooled__ratings_certificate_with_cid_and_listing(client, patent_pool):
    body = client.get(f"/patents/{POOLED}").json()

    view = patent_pool.patents(POOLED)
    assert (body["status"]["label"], body["rating"], body["valuation"]) == (
        "pooled",
        80,
        str(50_000 * 10**18),
    )
    assert int(body["minted"]) > 0 and view is not None
    assert [r["score"] for r in body["ratings"]] == [80, 80, 80]
    assert body["document_cid"] == cid_from_digest(DOCUMENT)
    cert = body["certificates"][0]
    assert cert["document_url"] == "ipfs://" + cid_from_digest(DOCUMENT)
    assert [(x["field_of_use"], x["active"], x["end_reason"]) for x in body["listings"]] == [
        ("payment terminals", False, "delisted"),
        ("smart home", False, "changed hands"),  # the patent was sold on the Exchange
    ]


def test_patent_history__pooled__every_event_in_chain_order_across_pages(client):
    events = every(client, f"/patents/{POOLED}/history", limit=4)

    names = [e["event"] for e in events]
    assert names[:11] == [
        "Submitted", "MandateOffered", "MandateAccepted", "CertificateAccepted", "Certified",
        "Rated", "Rated", "Rated", "RatingSettled", "CoverageLogged", "Pooled",
    ]  # fmt: skip
    assert {"Listed", "LicenceBought", "Delisted", "CaseFiled", "CaseSettled"} <= set(names)
    blocks = [(e["block_number"], e["log_index"]) for e in events]
    assert blocks == sorted(blocks)
    assert events[10]["status_after"]["label"] == "pooled"


def test_patent__sold_under_a_mandate__its_mandate_ended_with_the_sale(client):
    body = client.get(f"/patents/{POOLED}").json()

    assert [(m["state"], m["end_reason"], m["share_bps"]) for m in body["mandates"]] == [
        ("ended", None, 1_000)
    ]
    assert body["mandates"][0]["terms_cid"].startswith("b")
    assert body["centre"] is None


def test_patent__unknown_or_malformed_id__404_and_422(client):
    unknown = client.get("/patents/0x" + "ab" * 32)
    malformed = client.get("/patents/0xabc/history")

    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert (malformed.status_code, malformed.json()["code"]) == (422, "invalid_request")


def test_certificates__revoked_batch_member__status_and_batch_root(client):
    items = client.get(f"/certificates?patent_id={pid('EP', '20000000')}").json()["items"]

    assert [c["status"]["label"] for c in items] == ["revoked"]
    assert items[0]["batch_root"] is not None
    assert client.get("/certificates?status=revoked").json()["total"] >= 1


def test_licences__by_holder_and_by_patent__the_licence_bought(client, licensee, licensing):
    by_holder = client.get(f"/licences?holder={licensee.address}").json()["items"]
    by_patent = client.get(f"/licences?patent_id={POOLED}").json()["items"]

    assert len(by_holder) == 1 and by_holder[0] in by_patent
    licence = by_holder[0]
    on_chain = licensing.licences(licence["licence_id"])
    assert (licence["start"], licence["end"]) == (on_chain.start, on_chain.end)
    assert client.get(f"/licences/{licence['licence_id']}").json() == licence
    assert client.get("/licences/999").json()["code"] == "not_found"


def test_holder_licences__bpr_holder_and_maker__bpr_and_batches(client, provider, enterprise):
    provider_view = client.get(f"/holders/{provider.address}/licences").json()
    maker_view = client.get(f"/holders/{enterprise.address}/licences").json()

    assert provider_view["bpr"]["active"] is True and provider_view["bpr"]["granted"] is False
    assert provider_view["bpr"]["tier"]["label"] == "start-up"
    assert [b["count"] for b in maker_view["device_batches"]] == [DEVICES]
    assert maker_view["bpr"] is None
    assert [x["field_of_use"] for x in maker_view["licences"]] == ["smart cards"]  # exclusive


def test_device_batches__by_maker__root_as_registered(client, api_world: World, enterprise):
    items = client.get(f"/device-batches?maker={enterprise.address}").json()["items"]
    one = client.get(f"/device-batches/{api_world.batch}").json()

    assert items == [one]
    assert one["root"] == "0x" + api_world.tree.root.hex()
    assert client.get("/device-batches/9999").json()["code"] == "not_found"
    assert client.get("/device-batches/-1").status_code == 422


def test_bprs__active_only__the_holders_with_a_bpr(client, bpr):
    held = every(client, "/bprs?active=true")

    assert held and all(bpr.balanceOf(b["holder"]) == 1 for b in held)


def test_cases__settled_case__and_status_filter(client):
    settled = client.get("/cases?status=settled").json()["items"]
    filed = client.get("/cases?status=filed").json()["items"]

    assert len(settled) == 1 and filed == []
    case = settled[0]
    assert (case["patent_id"], case["settlement"]) == (POOLED, str(10**19))
    assert client.get(f"/cases/{case['case_id']}").json() == case
    assert client.get("/cases/77").status_code == 404


def test_case_offers__settled_case__each_offer_with_its_end(client):
    case = client.get("/cases?status=settled").json()["items"][0]

    offers = client.get(f"/cases/{case['case_id']}/offers").json()["items"]

    assert (case["accepted_offer"], case["offers_standing"], case["offered"]) == (1, 0, "0")
    assert case["agreed_offer"] == 1  # the provider's key before the regulator's
    assert [(o["offer_id"], o["amount"], o["status"]) for o in offers] == [
        (2, "1", "withdrawn"),
        (1, str(10**19), "accepted"),
    ]
    assert client.get("/cases/77/offers").status_code == 404


def test_nav__latest_point__as_the_pool_and_token_answer(client, patent_pool, bpc):
    points = every(client, "/nav", limit=50)

    last = points[-1]
    assert (int(last["pooled_value"]), int(last["supply"]), int(last["nav"])) == (
        patent_pool.pooled_value(),
        bpc.totalSupply(),
        patent_pool.nav(),
    )
    assert [p["block_number"] for p in points] == sorted(p["block_number"] for p in points)


def test_royalties__every_account__claimable_as_royalties_answers(client, royalties, provider):
    accounts = every(client, "/royalties")

    assert accounts
    for r in accounts:
        assert int(r["claimable"]) == royalties.claimable(r["account"])
        assert int(r["accrued"]) == int(r["claimed"]) + int(r["claimable"])
    mine = client.get(f"/royalties/{provider.address}").json()
    assert int(mine["claimed"]) > 0


def test_tiers__published_schedule__as_licensing_answers(client, licensing):
    body = client.get("/tiers").json()

    assert {t["kind"]["code"]: int(t["price"]) for t in body["tiers"]} == {
        kind: licensing.tier_price(kind) for kind in range(1, 6)
    }
    assert (body["surcharge_bps"], body["min_term"]) == (
        licensing.surcharge_bps(),
        licensing.min_term(),
    )
    assert int(body["large_enterprise_price_per_bps"]) == licensing.large_enterprise_price_per_bps()
    schedule = licensing.device_schedule()
    assert int(body["devices"]["free_per_year"]) == schedule.free_per_year
    assert int(body["devices"]["high_rate"]) == schedule.high_rate


def test_pool__summary__counts_as_indexed(client, pool_alliance, chain):
    body = client.get("/pool").json()

    assert body["patents"]["pooled"] == 2
    assert body["patents"]["withdrawn"] == 1
    active = [m for m in every(client, "/members?status=active", limit=50)]
    assert body["members_active"] == len(active)
    assert body["indexed_block"] <= chain.blocks.head.number
    assert body["cases_open"] == 0


def test_paging__offset_past_the_end__empty_page_and_no_next(client):
    page = client.get("/members?offset=100000").json()

    assert (page["items"], page["next_offset"]) == ([], None)
    assert page["total"] > 0


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/nowhere", 404, "not_found"),
        ("DELETE", "/patents", 405, "method_not_allowed"),
        ("GET", "/verify", 405, "method_not_allowed"),
    ],
)
def test_unknown_path_or_method__json_error_with_code(client, method, path, status, code):
    reply = client.request(method, path)

    assert (reply.status_code, reply.json()["code"]) == (status, code)


def _agreement_cid(text: bytes) -> str:
    """The CID of the scenario's sample agreement `text` (tests/indexer/conftest.py)."""
    return cid_from_digest(hashlib.sha256(text).digest(), "raw")


def test_agreements__every_kind__the_versions_the_council_set(client):
    page = client.get("/agreements").json()
    bpr_only = client.get("/agreements?kind=bpr").json()["items"]

    by_kind = {a["kind"]: a for a in page["items"]}
    assert by_kind[1]["agreement"] == _agreement_cid(b"BPR")
    assert by_kind[2]["agreement"] == _agreement_cid(b"per-patent")
    assert by_kind[3]["agreement"] == _agreement_cid(b"device")
    assert by_kind[1]["digest"] == "0x" + hashlib.sha256(b"BPR").hexdigest()
    assert [a["kind"] for a in bpr_only] == [1] and bpr_only[0]["version"] == 1
    assert client.get("/agreements?kind=other").status_code == 422


def test_licences_bprs_listings_batches__each_names_its_agreement_cid(
    client, provider, licensee, enterprise
):
    bpr = client.get(f"/holders/{provider.address}/licences").json()["bpr"]
    licence = client.get(f"/licences?holder={licensee.address}").json()["items"][0]
    exclusive = client.get(f"/licences?holder={enterprise.address}").json()["items"][0]
    batches = client.get(f"/device-batches?maker={provider.address}").json()["items"]
    listings = client.get(f"/patents/{POOLED}").json()["listings"]

    assert (bpr["agreement"], bpr["agreement_version"]) == (_agreement_cid(b"BPR"), 1)
    assert licence["agreement"] == _agreement_cid(b"per-patent")  # the standard, listed
    assert exclusive["agreement"] == cid_from_digest(bytes.fromhex("ab" * 32), "raw")
    assert [b["agreement"] for b in batches] == [_agreement_cid(b"device")]
    assert listings and all(x["agreement"] == _agreement_cid(b"per-patent") for x in listings)


ADDRESS_TEXT = re.compile(r"^0x[0-9a-fA-F]{40}$")


def addresses_in(value: Any) -> list[str]:
    """Every string in a JSON answer that is a 20-byte 0x address."""
    if isinstance(value, dict):
        return [a for v in value.values() for a in addresses_in(v)]
    if isinstance(value, list):
        return [a for v in value for a in addresses_in(v)]
    return [value] if isinstance(value, str) and ADDRESS_TEXT.match(value) else []


def test_every_answer__addresses__checksummed_as_in_the_docs(client, provider, enterprise):
    lower = provider.address.lower()  # a filter or path may give one in any case
    paths = [
        "/pool", "/members?limit=50", f"/members/{lower}", "/patents?limit=50",
        "/licences?limit=50", f"/holders/{lower}/licences", "/bprs?limit=50",
        f"/bprs/{lower}", "/device-batches?limit=50", "/cases?limit=50", "/royalties",
        "/tiers", "/nav", "/agreements",
    ]  # fmt: skip

    found = []
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.text)
        found += [(path, a) for a in addresses_in(answer.json())]

    assert {a for _, a in found} >= {provider.address, enterprise.address}
    assert [(path, a) for path, a in found if a != to_checksum_address(a)] == []
