"""The infringement monitor (bpsa.oracle.monitor) of a rights-protection centre, against
anvil (read and written over JSON-RPC with web3, as the process does) and a content
store on disk (one test: the IPFS daemon).

The market (tests/oracle/monitor_market.py): a module-scoped deployment over the
session pool, Licensing and Infringements (all owned by the EOA `pool_council`): the
provider's patent US 11234567 pooled with the trusteeship centre; `provider2` (Pearl
River Devices) holds a BPR; the licensee bought a per-patent licence of the pooled patent
and registered a batch of four devices; the rights-protection centre holds BPC for its
bonds.

What must hold: a licensed use files nothing; an unlicensed use files one case per
pooled patent with its evidence pinned; the same observation never files twice, across
runs, restarts and lost logs; and a case the monitor filed goes on to a settlement
that pays the patent's contributor.
"""

from __future__ import annotations

import http.server
import json
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eth_utils.crypto import keccak

from bpsa.core import qr
from bpsa.core.accounts import dev_account
from bpsa.core.cid import cid_from_digest
from bpsa.core.codes import CaseStatus
from bpsa.core.errors import InputError
from bpsa.oracle.monitor import Monitor, read_observations
from tests.fixtures.pool import YEAR
from tests.oracle.monitor_market import (
    BOND,
    CENTRE_BPS,
    CONTRIBUTOR_BPS,
    PATENT,
    POOLED,
    PRODUCT,
    SERIALS,
    SETTLEMENT,
    TREE,
    ZERO,
    read_observations_from,
)

pytestmark = [
    pytest.mark.filterwarnings("ignore:The 'strict' parameter:FutureWarning"),
]

EXPECTED = {  # id: (licensed, reason, cases)
    "scan-1": (True, "device 0 of batch 1", []),
    "scan-2": (False, "device not licensed: no licensed batch holds this device", [1]),
    "listing-3": (True, "Pearl River Devices holds a BPR", []),
    "listing-4": (False, "licence 1 does not cover Shadow Devices's use now", [2]),
    "listing-5": (True, "licence 1 covers it", []),
    "scan-6": (
        False,
        "the device's QR code is unreadable: the code's data is not valid base32 "
        "(damaged or mistyped)",
        [3],
    ),
}


def outcomes(findings: list[Any]) -> dict[str, tuple[bool, str, list[int]]]:
    return {f.observation.id: (f.licensed, f.reason, f.cases) for f in findings}


# --- judging and filing ---------------------------------------------------------------


def test_process__market_observations__cases_for_exactly_the_unlicensed_uses(
    watcher, observations_file, infringements, bpc, protection_centre
):
    bonds_before = bpc.balanceOf(protection_centre)

    findings = watcher.process(read_observations(str(observations_file)))

    assert outcomes(findings) == EXPECTED
    assert infringements.case_count() == 3
    assert infringements.bonds_held() == 3 * BOND
    assert bpc.balanceOf(protection_centre) == bonds_before - 3 * BOND


def test_process__counterfeit_device__case_names_seller_product_and_pinned_evidence(
    watcher, observations_file, infringements, evidence_store, protection_centre
):
    scans = read_observations(str(observations_file))
    counterfeit = next(o for o in scans if o.id == "scan-2")

    (finding,) = watcher.process([counterfeit])

    case = infringements.cases(finding.cases[0])
    assert bytes(case.patent) == PATENT
    assert bytes(case.infringer) == keccak(text="Acme Phones Ltd")
    assert bytes(case.product) == keccak(text=PRODUCT)
    assert (case.centre, case.bond, case.status) == (protection_centre, BOND, CaseStatus.FILED)
    assert case.accused == ZERO  # a seller known only by its name: nobody to name
    evidence = json.loads(evidence_store.get(cid_from_digest(bytes(case.evidence))))
    assert evidence == {
        "observation": counterfeit.raw,
        "verdict": "device not licensed: no licensed batch holds this device",
        "monitor": protection_centre.address,
    }


def test_process__two_pooled_patents_one_not_pooled__a_case_per_pooled_patent(
    watcher, market_chain, infringements
):
    advert = {"id": "listing-7", "kind": "listing", "seller": "Acme Phones Ltd",
               "product": "AX-1", "patents": [POOLED, ["US", "11876543"]]}  # fmt: skip

    (finding,) = watcher.process(read_observations_from([advert]))

    assert (finding.licensed, finding.cases) == (False, [1])
    assert finding.reason == "Acme Phones Ltd shows no BPR and no per-patent licence"
    assert infringements.case_count() == 1


def test_process__licence_term_over__case_filed(chain, watcher, observations_file):
    licensed = next(o for o in read_observations(str(observations_file)) if o.id == "listing-5")
    chain.pending_timestamp += YEAR
    chain.mine()

    (finding,) = watcher.process([licensed])

    assert (finding.licensed, finding.cases) == (False, [1])
    assert finding.reason == "licence 1 does not cover Licensee Ltd's use now"


def test_process__device_code_of_another_chain__case_filed(watcher, market):
    foreign = qr.encode(
        qr.DevicePayload(
            1, str(market["licensing"].address), 1, 0, SERIALS[0], TREE.proof(SERIALS[0])
        )
    )
    scan = {"id": "scan-8", "kind": "device", "seller": "Acme Phones Ltd", "product": PRODUCT,
            "payload": foreign, "patents": [POOLED]}  # fmt: skip

    (finding,) = watcher.process(read_observations_from([scan]))

    assert not finding.licensed and finding.cases == [1]
    assert (
        finding.reason == f"device not licensed: the code is for chain 1, not {market['chain_id']}"
    )


# --- idempotency ----------------------------------------------------------------------


def test_process__same_file_twice__second_run_files_nothing(
    watcher, observations_file, infringements, bpc, protection_centre
):
    watcher.process(read_observations(str(observations_file)))
    balance = bpc.balanceOf(protection_centre)

    again = watcher.process(read_observations(str(observations_file)))

    assert again == []
    assert infringements.case_count() == 3
    assert bpc.balanceOf(protection_centre) == balance


def test_process__restarted_on_the_same_log__files_nothing(
    chain, watcher, market_chain, evidence_store, observations_file, infringements, tmp_path
):
    watcher.process(read_observations(str(observations_file)))

    restarted = Monitor(
        market_chain, evidence_store, dev_account(10), tmp_path / "log.sqlite", chain.provider.uri
    )

    assert restarted.process(read_observations(str(observations_file))) == []
    assert infringements.case_count() == 3


def test_process__log_lost__finds_the_open_cases_on_chain_and_files_nothing(
    chain, watcher, market_chain, evidence_store, observations_file, infringements, tmp_path
):
    first = watcher.process(read_observations(str(observations_file)))

    fresh_log = Monitor(
        market_chain, evidence_store, dev_account(10), tmp_path / "new.sqlite", chain.provider.uri
    )
    again = fresh_log.process(read_observations(str(observations_file)))

    assert outcomes(again) == outcomes(first) == EXPECTED
    assert infringements.case_count() == 3


def test_process__same_use_seen_twice_under_two_ids__one_case(watcher, observations_file):
    scans = read_observations(str(observations_file))
    counterfeit = next(o for o in scans if o.id == "scan-2")
    seen_again = read_observations_from([{**counterfeit.raw, "id": "scan-2-again"}])

    first = watcher.process([counterfeit])
    second = watcher.process(seen_again)

    assert first[0].cases == second[0].cases == [1]


# --- the case, on to a settlement -------------------------------------------------------


def test_case__filed_by_the_monitor_authorised_and_settled__contributor_and_centre_earn(
    watcher,
    observations_file,
    infringements,
    bpc,
    royalties,
    provider,
    centre,
    pool_council,
    outsider,
    accounts,
    patent_pool,
    chain,
):
    counterfeit = next(o for o in read_observations(str(observations_file)) if o.id == "scan-2")
    (case,) = watcher.process([counterfeit])[0].cases
    infringements.authorise(case, sender=provider)
    chain.provider.set_balance(patent_pool.address, 10**18)
    bpc.mint(outsider, SETTLEMENT, sender=accounts[patent_pool.address])
    bpc.approve(infringements, SETTLEMENT, sender=outsider)  # the infringer's side pays
    offer = infringements.offer_settlement(case, SETTLEMENT, sender=outsider).return_value
    infringements.accept_offer(case, offer, sender=provider)  # the first key: the owner's
    earned = (royalties.claimable(provider), royalties.claimable(centre))

    infringements.settle(case, offer, sender=pool_council)

    assert infringements.cases(case).status == CaseStatus.SETTLED
    assert royalties.claimable(provider) - earned[0] == SETTLEMENT * CONTRIBUTOR_BPS // 10_000
    assert royalties.claimable(centre) - earned[1] == SETTLEMENT * CENTRE_BPS // 10_000


# --- the IPFS daemon --------------------------------------------------------------------


def test_process__store_is_the_ipfs_daemon__evidence_pinned_there(
    ipfs_api, chain, market_chain, observations_file, infringements, tmp_path
):
    from bpsa.oracle.store import IpfsStore

    ipfs = IpfsStore(ipfs_api)
    watcher = Monitor(
        market_chain, ipfs, dev_account(10), tmp_path / "log.sqlite", chain.provider.uri
    )
    counterfeit = next(o for o in read_observations(str(observations_file)) if o.id == "scan-2")

    (finding,) = watcher.process([counterfeit])

    cid = cid_from_digest(bytes(infringements.cases(finding.cases[0]).evidence))
    assert ipfs.has(cid)
    assert json.loads(ipfs.get(cid))["observation"]["id"] == "scan-2"


# --- reading observations ---------------------------------------------------------------


def write_lines(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "obs.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


LISTING = {"id": "l-1", "kind": "listing", "seller": "Acme", "product": "AX-1",
           "patents": [POOLED]}  # fmt: skip


def test_read_observations__blank_lines__skipped_others_parsed(tmp_path):
    source = write_lines(
        tmp_path, "", json.dumps(LISTING), "   ", json.dumps({**LISTING, "id": "l-2"})
    )

    parsed = read_observations(source)

    assert [(o.id, o.kind, o.seller, o.product, o.patents) for o in parsed] == [
        ("l-1", "listing", "Acme", "AX-1", [("US", "11234567")]),
        ("l-2", "listing", "Acme", "AX-1", [("US", "11234567")]),
    ]
    assert (parsed[0].licence, parsed[0].seller_address, parsed[0].payload) == (0, "", "")


def without(key: str) -> str:
    return json.dumps({k: v for k, v in LISTING.items() if k != key})


def listing(**changes: Any) -> str:
    return json.dumps({**LISTING, **changes})


BAD_LINES = {  # id: (line, the message after "<file>:<line>: ")
    "not-json": ("{not json", "not JSON ("),
    "not-object": ('["l-1", "listing"]', "an observation is a JSON object"),
    "empty-id": (listing(id=""), "missing id"),
    "no-kind": (without("kind"), "missing kind"),
    "null-seller": (listing(seller=None), "missing seller"),
    "no-product": (without("product"), "missing product"),
    "no-patents": (listing(patents=[]), "missing patents"),
    "bad-kind": (listing(kind="advert"), "kind 'advert' is not one of device, listing"),
    "device-no-payload": (listing(kind="device"), "a device observation carries the scanned"),
    "flat-pair": (listing(patents=POOLED), "patents is a list of [office, number] pairs"),
    "triple": (listing(patents=[[*POOLED, "x"]]), "patents is a list of [office, number] pairs"),
}


@pytest.mark.parametrize(("line", "message"), BAD_LINES.values(), ids=BAD_LINES.keys())
def test_read_observations__bad_line__names_file_line_and_problem(tmp_path, line, message):
    source = write_lines(tmp_path, json.dumps(LISTING), line)

    with pytest.raises(InputError) as raised:
        read_observations(source)
    assert str(raised.value).startswith(f"{source}:2: {message}")


def test_read_observations__malformed_patent_key__refused_with_the_keys_reason(tmp_path):
    source = write_lines(tmp_path, json.dumps({**LISTING, "patents": [["us", "11234567"]]}))

    with pytest.raises(InputError, match="office code 'us' must be two capital letters"):
        read_observations(source)


def test_read_observations__malformed_patent_key__names_file_and_line(tmp_path):
    source = write_lines(tmp_path, json.dumps({**LISTING, "patents": [["us", "11234567"]]}))

    with pytest.raises(InputError, match=f"^{source}:1: "):
        read_observations(source)


def test_read_observations__licence_not_a_number__input_error_naming_the_line(tmp_path):
    source = write_lines(tmp_path, json.dumps({**LISTING, "licence": "three"}))

    with pytest.raises(InputError, match=f"^{source}:1: "):
        read_observations(source)


def test_read_observations__no_such_file__refused_naming_it(tmp_path):
    source = str(tmp_path / "absent.jsonl")

    with pytest.raises(InputError) as raised:
        read_observations(source)
    assert str(raised.value).startswith(f"cannot read observations from {source}: ")


@pytest.fixture
def serve_json() -> Iterator[Any]:
    """`serve_json(body)`: a local HTTP server answering `body`; returns its URL."""
    servers: list[http.server.HTTPServer] = []

    def _serve(body: bytes) -> str:
        class Answer(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Answer)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/observations"

    yield _serve
    for server in servers:
        server.shutdown()
        server.server_close()


def test_read_observations__url_answering_a_list__parsed(serve_json):
    url = serve_json(json.dumps([LISTING, {**LISTING, "id": "l-2"}]).encode())

    assert [o.id for o in read_observations(url)] == ["l-1", "l-2"]


def test_read_observations__url_answering_an_object__refused(serve_json):
    url = serve_json(json.dumps({"observations": [LISTING]}).encode())

    with pytest.raises(InputError) as raised:
        read_observations(url)
    assert str(raised.value) == f"{url}: expected a JSON list of observations"


def test_read_observations__url_item_malformed__names_the_item(serve_json):
    url = serve_json(json.dumps([LISTING, {**LISTING, "kind": "advert"}]).encode())

    with pytest.raises(InputError) as raised:
        read_observations(url)
    assert str(raised.value) == f"{url} item 2: kind 'advert' is not one of device, listing"


def test_read_observations__url_not_answering__refused_naming_it():
    url = "http://127.0.0.1:9/observations"

    with pytest.raises(InputError) as raised:
        read_observations(url)
    assert str(raised.value).startswith(f"cannot read observations from {url}: ")


def test_process__seller_address_in_lowercase__judged_like_the_checksummed_one(watcher, provider2):
    advert = {**LISTING, "seller": "Pearl River Devices",
              "seller_address": provider2.address.lower()}  # fmt: skip

    (finding,) = watcher.process(read_observations_from([advert]))

    assert finding.licensed and finding.reason == "Pearl River Devices holds a BPR"


def test_process__case_filed__no_web3_warnings(watcher, observations_file):
    counterfeit = next(o for o in read_observations(str(observations_file)) if o.id == "scan-2")

    with warnings.catch_warnings():
        warnings.filterwarnings("error", "The log with transaction hash", UserWarning)
        (finding,) = watcher.process([counterfeit])

    assert finding.cases == [1]
