"""`make demo`'s scenario, run as a user runs it: `ape run demo` in a subprocess."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bpsa.core.cid import cid_of

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.services  # `ape run demo` starts its own anvils, uses IPFS


def test_demo__runs_the_scenario__summary_shows_outcome(tmp_path):
    env = {**os.environ, "BPSA_DEPLOYMENTS_DIR": str(tmp_path), "BPSA_DEMO_OUT": str(tmp_path)}
    env["BPSA_DEMO_SERVE"] = "0"  # serve the API, check it, stop (not: until Ctrl-C)
    ape = Path(sys.executable).with_name("ape")
    result = subprocess.run(
        [str(ape), "run", "demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "Members (11 active):" in out
    assert "Hangzhou Chain Labs" in out and "roles=provider,demander" in out
    assert "Pearl River Devices" in out and "share=12.50%" in out
    assert "Shadow Patents Ltd" in out and "rejected" in out
    assert "council #3 [executed] 'reject Shadow Patents Ltd, application #3 (" in out
    assert "' yes=2 no=1" in out
    # The pool: three oracle node processes check the documents on IPFS against the sample
    # feed; the aggregator posts; the lapsed patent is refused by every node.
    for key in ("CN ZL201810123456.7", "US 11234567", "EP 3456789"):
        assert f"{key:<22} certificate posted (single" in out
    # The start-up mandates its trusteeship centre for each patent; the centre accepts
    assert "The start-up mandates its trusteeship centre; the centre accepts on-chain" in out
    assert "4 mandate(s) accepted by 0x" in out and "10% of each patent's own fees" in out
    for node in ("node1", "node2", "node3"):
        assert f"{node} refused JP 7012345: the office records JP 7012345 as lapsed" in out
    assert "JP 7012345 stays submitted" in out
    assert "CN ZL201810123456.7   score  82  value 76000 USD" in out
    assert "valued it at 1 wei: the median of three ballots ignores one extreme" in out
    assert "each ballot carries its reasoning document (sample texts)" in out
    assert "valuations re-rating due 20" in out
    assert re.search(r"US 11234567 +family DOCDB:54321098 \(the office feed's\)", out)
    assert re.search(r"EP 3456789 +family DOCDB:54321098 \(the office feed's\)", out)
    family = out[out.index("family 0x") :].splitlines()
    assert "2 patents, shown together" in family[0]
    assert family[1].split()[:2] == ["US", "11234567"] and "re-rating due 20" in family[1]
    assert family[2].split()[:2] == ["EP", "3456789"] and "rated" in family[2]
    stale = r"CN ZL201810123456.7: valuation stale since 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC"
    assert re.search(stale, out)
    assert "refused before sending: its score 56 is under the core threshold 60" in out
    assert "the start-up received 1440 BPC; NAV 100 USD/BPC; pooled value 144000 USD;" in out
    assert "start-up (contributor)  claimed 17.499999999999999999 BPC" in out
    assert "the fund holds 5 BPC" in out
    # Three years on the sample feed's maintenance histories (the timeline at the end):
    # renewals, the fund's patent no node can renew (it lapses, its value leaves the NAV),
    # a fee paid late within the grace period, a fee never paid and the lapse after it.
    assert "2027-05-15  EP 3456789: EP 3456789 renewed: in force until 2028-05-31" in out
    assert "2027-09-15  CN ZL201810123456.7: CN ZL201810123456.7 renewed" in out
    assert "US 11234567: the contributor 0x" in out and "no renewal" in out
    assert "2028-08-01  US 11234567: expired by anyone; NAV 52.77" in out
    assert "2028-10-15  CN ZL201810123456.7: CN ZL201810123456.7's maintenance fee fell due on " \
        "2028-09-30 unpaid" in out  # fmt: skip
    assert "CN ZL201810123456.7: nobody may expire it before 2029-03-31" in out
    assert "2028-12-01  CN ZL201810123456.7: CN ZL201810123456.7 renewed (paid late)" in out
    assert "2029-12-01  EP 3456789: EP 3456789 lapsed: its maintenance fee due on 2029-05-31" in out
    assert "2029-12-01  EP 3456789: expired by anyone (it was not pooled)" in out
    assert "Pool BPC: 1 patents pooled, NAV 52.777777777777777777 USD per BPC, supply 1440" in out
    # Licensing: tiers, a grant, a licence with surcharge, device batches, QR codes.
    assert "large-enterprise  500 BPC + 0.1 BPC per bp of market share" in out
    assert "the start-up locked 20 BPC and holds 1 BPR" in out
    assert "its BPR's snapshot: " in out and "Coverage log size " in out
    assert "Pearl River Devices (12.5% market share) locked 625 BPC for 1 BPR" in out
    assert "BPR granted by the council (nothing locked)" in out
    assert "BPRs outstanding: 3; BPC locked 645" in out
    assert "bought licence #1: 5 BPC and 1 BPC surcharge, all to the foundation's fund" in out
    # a member's per-patent price goes to the licensed patent alone: 70% / 10% / 20%
    assert "bought licence #2 on the same terms: the licensed patent earned it: the " in out
    assert "the start-up can claim 3.5 BPC more, its centre 0.5 BPC, the fund its share" in out
    assert "batch #1: 100,000 devices, fee 0 BPC" in out
    assert "batch #2: 5,000 devices, fee 10 BPC" in out
    assert "genuine     LICENSED: device 42 of batch 1" in out
    assert "counterfeit NOT LICENSED: no licensed batch holds this device" in out
    assert "past-count  NOT LICENSED: position 5,000 is past the 5,000 devices batch 2" in out
    assert "signed BPR claim for PRX-5G-PHONE: LICENSED: licensed: 2 pooled patents" in out
    # Agreements: the council adopts the sample texts; every licence names its CID.
    cids = {
        name: cid_of((ROOT / "samples" / "agreements" / f"{name}.txt").read_bytes())
        for name in ("bpr", "per-patent", "device")
    }
    for name, cid in cids.items():
        assert f"in force: {name} agreement v1: {cid}" in out
    assert "'standard licence agreements; a free BPR for the centre': executed (4 calls" in out
    assert out.count(f"; agreement {cids['bpr']}") == 2  # the start-up's BPR, the centre's
    assert f"all to the foundation's fund (whitepaper 3.3); agreement {cids['per-patent']}" in out
    listing = r"#1 \[active\] patent 0x[0-9a-f]+ 5 BPC .* by 0x[0-9a-fA-F]{40}; agreement "
    listing += cids["per-patent"]
    assert re.search(listing, out)
    assert f"batch #2: 5,000 devices, fee 10 BPC; agreement {cids['device']}" in out
    assert "members paid 15 BPC into the royalties" in out
    assert "can claim 10.5 BPC more" in out
    # Infringement: the monitor files one case for the counterfeit, once; it settles.
    assert "scan-0001 licensed: device 42 of batch 1" in out
    assert "scan-0002 UNLICENSED" in out and "case #1 filed, 100 BPC bond" in out
    assert "the same scans again: 0 new finding(s), no new case" in out
    assert "a stranger offers 1 wei (offer #2): it stands apart and blocks nothing" in out
    assert "case #1 settled with offer #1: 30 BPC to the infringed patent" in out
    assert "the stranger's offer #2 went back to it; nothing else is held" in out
    assert "the start-up can claim 21 BPC more" in out  # 70% of 30, to the wei
    # Channels: 300 paid queries through the hub, a cooperative close, a stale close lost.
    assert "300 paid queries at 0.001 BPC, each receipt redeemed once" in out
    assert "closed cooperatively: the hub earned 0.3 BPC, 1.7 BPC back to the licensee" in out
    assert "Shadow Patents paid 20 queries, then closed claiming 0.003 BPC" in out
    assert "the hub was paid all 20 queries; its earnings 0.32 BPC" in out
    assert "swept 0.32 BPC of query fees into the royalty split" in out
    # Swaps: APC on a second chain; BPC for APC end to end; a vanished counterparty.
    assert "APC on chain 31338" in out
    assert "start-up claim_theirs: their leg is locked and we hold the preimage" in out
    assert "after:  start-up 582.499999999999999999 BPC, 20 APC" in out
    assert "start-up refund_mine: our lock's deadline has passed" in out
    assert "s: start-up 582.499999999999999999 BPC, 20 APC" in out
    assert (tmp_path / "sibling.json").is_file()
    # The exchange: the start-up mandates its centre, which lists the patent's assignment;
    # the fund buys it through a council proposal.
    assert "council #10 'name the exchange': executed (2 calls" in out
    assert "the start-up mandates its centre 0x" in out
    assert "to sell US 11234567's assignment at 4 BPC or more until 20" in out
    assert "listing at 2 BPC: refused, exchange: price below the mandate's floor" in out
    assert "the centre lists it for the start-up at 4 BPC (listing #1" in out
    assert "contributor now the fund (True), source purchased; the start-up received 3.6" in out
    assert "the centre's mandate in force: False (it ended with the sale)" in out
    assert "11 proposals executed" in out
    # The sale: the council opens it; a member buys BPC at NAV; nobody is diluted.
    assert "council #12 'open BPC sales': executed (4 calls" in out
    assert "sales open; pay USDC" in out
    # at the NAV the three years left (US 11234567's value went with its lapse)
    assert "quoted 94.736842105263157894 BPC for 5000 USDC; bought 94.736842105263157894" in out
    assert "NAV 52.777777777777777777 -> 52.777777777777777777;" in out
    assert "the fund's cash counted in the NAV: 5000 USD (5000 USDC)" in out
    claims = re.search(
        r"the start-up's claim on the assets: ([0-9.]+) before, ([0-9.]+) after", out
    )
    assert claims is not None and claims.group(1) == claims.group(2)
    # The end: the indexer catches up, the hub restarts, the API answers a scan.
    assert "POST /verify with the genuine device's code: licensed=True" in out
    assert "verification page  http://127.0.0.1:" in out
    for name in ("device-genuine.png", "device-counterfeit.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (tmp_path / "claim.svg").read_bytes()
    assert (tmp_path / "local.json").is_file()
