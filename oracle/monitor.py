"""The infringement monitor of a rights-protection centre: reads market observations,
checks each against the licences on chain, and files a case for an unlicensed use with
its evidence pinned to IPFS.

An observation (one JSON object per line in a file, or a JSON list from an HTTP feed):

    {"id": "scan-2026-11-0001",            # unique per observation: the idempotency key
     "kind": "device",                      # a device scan: "payload" is its QR text
     "payload": "BPSA2D:...",
     "seller": "Acme Phones Ltd",           # who sells it, as the market shows it
     "seller_address": "0x...",             # optional: a known on-chain identity
     "product": "PRX-5G-PHONE",
     "patents": [["US", "11234567"]],       # the pooled patents the product practises
     "seen_at": "2026-11-20", "where": "https://market.example/listing/42"}

    {"id": "listing-77", "kind": "listing", "seller": "...", "product": "...",
     "patents": [["CN", "ZL201810123456.7"]], "licence": 3}    # the licence it claims

A use is licensed when the device's QR code verifies, or the seller's address holds a
BPR and is an active member (a suspended or expelled member's BPR licenses nothing), or
the licence it names is a per-patent licence of that patent held by the seller and in
force. The chain's `Licensing.claim_facts` answers the BPR and membership questions, as
it does for a signed claim. Otherwise the monitor pins the evidence (the observation and
the verdict) and files one case per named pooled patent. Idempotent: observations are logged in a
SQLite file by id and the chain's `open_case` is checked before filing, so the same
observation never files twice, even across restarts.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils.address import is_address, to_checksum_address
from eth_utils.crypto import keccak
from web3.logs import DISCARD

from bpsa import qr
from bpsa.certificates import check_key, patent_id
from bpsa.cid import digest_of
from bpsa.codes import PatentStatus
from bpsa.errors import InputError
from bpsa.oracle.chain import PoolChain
from bpsa.oracle.store import ContentStore

KINDS = ("device", "listing")


@dataclass(frozen=True)
class Observation:
    id: str
    kind: str
    seller: str
    product: str
    patents: list[tuple[str, str]]
    payload: str = ""
    seller_address: str = ""
    licence: int = 0
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


def parse_observation(raw: Any, where: str) -> Observation:
    """One observation; `InputError` naming where and what is wrong."""
    if not isinstance(raw, dict):
        raise InputError(f"{where}: an observation is a JSON object")
    for key in ("id", "kind", "seller", "product", "patents"):
        if not raw.get(key):
            raise InputError(f"{where}: missing {key}")
    if raw["kind"] not in KINDS:
        raise InputError(f"{where}: kind {raw['kind']!r} is not one of {', '.join(KINDS)}")
    if raw["kind"] == "device" and not raw.get("payload"):
        raise InputError(f"{where}: a device observation carries the scanned QR payload")
    patents = raw["patents"]
    if not isinstance(patents, list) or not all(
        isinstance(p, list) and len(p) == 2 for p in patents
    ):
        raise InputError(f"{where}: patents is a list of [office, number] pairs")
    for office, number in patents:
        try:
            check_key(str(office), str(number))
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
    seller_address = str(raw.get("seller_address") or "")
    if seller_address:
        if not is_address(seller_address):
            raise InputError(f"{where}: seller_address {seller_address!r} is not an address")
        seller_address = str(to_checksum_address(seller_address))
    licence = raw.get("licence") or 0
    if isinstance(licence, bool) or not isinstance(licence, int) or licence < 0:
        raise InputError(f"{where}: licence must be a licence id (a whole number), got {licence!r}")
    return Observation(
        id=str(raw["id"]),
        kind=str(raw["kind"]),
        seller=str(raw["seller"]),
        product=str(raw["product"]),
        patents=[(str(o), str(n)) for o, n in patents],
        payload=str(raw.get("payload", "")),
        seller_address=seller_address,
        licence=licence,
        raw=raw,
    )


def read_observations(source: str) -> list[Observation]:
    """From a JSON-lines file, or an http(s) URL answering a JSON list."""
    if source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(source, timeout=15) as reply:
                rows = json.loads(reply.read())
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read observations from {source}: {exc}") from None
        if not isinstance(rows, list):
            raise InputError(f"{source}: expected a JSON list of observations")
        return [parse_observation(r, f"{source} item {i + 1}") for i, r in enumerate(rows)]
    try:
        lines = Path(source).read_text().splitlines()
    except OSError as exc:
        raise InputError(f"cannot read observations from {source}: {exc}") from None
    out = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                raw = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{source}:{number}: not JSON ({exc})") from None
            out.append(parse_observation(raw, f"{source}:{number}"))
    return out


@dataclass(frozen=True)
class Finding:
    observation: Observation
    licensed: bool
    reason: str
    cases: list[int] = field(default_factory=list)


class Monitor:
    def __init__(
        self,
        chain: PoolChain,
        store: ContentStore,
        account: LocalAccount,
        log_path: Path,
        rpc_url: str,
        log: logging.Logger | None = None,
    ) -> None:
        self.chain = chain
        self.store = store
        self.account = account
        self.licensing = chain.contract("Licensing")
        self.cases = chain.contract("Infringements")
        self.bpc = chain.contract("BPC")
        self.verifier = qr.Verifier(rpc_url, chain.chain_id(), str(self.licensing.address))
        self.log = log or logging.getLogger("bpsa.oracle.monitor")
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(log_path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS observations (id TEXT PRIMARY KEY, licensed INTEGER,"
            " reason TEXT, evidence TEXT, cases TEXT, checked REAL)"
        )
        # The log speaks for one deployment: its "already filed" means nothing elsewhere.
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        deployment = f"{chain.chain_id()}:{self.cases.address}"
        self._db.execute("INSERT OR IGNORE INTO meta VALUES ('deployment', ?)", (deployment,))
        bound = self._db.execute("SELECT value FROM meta WHERE key='deployment'").fetchone()[0]
        if bound != deployment:
            raise InputError(
                f"the monitor log {log_path} belongs to deployment {bound}, not {deployment}: "
                "use a new log file for a new deployment"
            )

    def seen(self, observation_id: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM observations WHERE id=? AND cases IS NOT NULL", (observation_id,)
        ).fetchone()
        return row is not None

    def judge(self, obs: Observation) -> tuple[bool, str]:
        """Whether the observed use is licensed, and why."""
        if obs.kind == "device":
            try:
                verdict = self.verifier.verify(obs.payload)
            except qr.QrError as exc:
                return False, f"the device's QR code is unreadable: {exc}"
            if verdict.licensed:
                return True, verdict.reason
            return False, f"device not licensed: {verdict.reason}"
        if obs.seller_address:
            facts = self.chain.call(
                self.licensing.functions.claim_facts(obs.seller_address, 0).call
            )
            holds, active, covers = bool(facts[0]), bool(facts[5]), int(facts[6])
            if holds and active and covers:
                return True, f"{obs.seller} holds a BPR"
            if holds and not active:
                return False, f"{obs.seller} holds a BPR but is not an active member"
        if obs.licence:
            record = self.chain.call(self.licensing.functions.licences(obs.licence).call)
            _, patent, licensee, _, end = record
            named = {patent_id(o, n) for o, n in obs.patents}
            if (
                bytes(patent) in named
                and obs.seller_address
                and licensee.lower() == obs.seller_address.lower()
                and self.chain.now() < int(end)
            ):
                return True, f"licence {obs.licence} covers it"
            return False, f"licence {obs.licence} does not cover {obs.seller}'s use now"
        return False, f"{obs.seller} shows no BPR and no per-patent licence"

    def process(self, observations: Iterable[Observation]) -> list[Finding]:
        findings = []
        for obs in observations:
            if self.seen(obs.id):
                continue
            licensed, reason = self.judge(obs)
            cases: list[int] = []
            evidence = ""
            if not licensed:
                evidence, cases = self.file(obs, reason)
            self._db.execute(
                "INSERT OR REPLACE INTO observations VALUES (?,?,?,?,?,?)",
                (obs.id, int(licensed), reason, evidence, json.dumps(cases), time.time()),
            )
            findings.append(Finding(obs, licensed, reason, cases))
            self.log.info("%s: %s (%s) cases %s", obs.id, licensed, reason, cases)
        return findings

    def file(self, obs: Observation, reason: str) -> tuple[str, list[int]]:
        """Pin the evidence and file a case per pooled patent not already under one."""
        record = {"observation": obs.raw, "verdict": reason, "monitor": self.account.address}
        evidence = self.store.put(json.dumps(record, sort_keys=True).encode())
        infringer = keccak(text=obs.seller)
        product = keccak(text=obs.product)
        bond = int(self.chain.call(self.cases.functions.bond().call))
        filed = []
        for office, number in obs.patents:
            patent = patent_id(office, number)
            status, _ = self.chain.status(patent)
            if status != PatentStatus.POOLED:
                self.log.info("%s: %s %s is not pooled; no case", obs.id, office, number)
                continue
            key = self.chain.call(self.cases.functions.case_key(patent, infringer, product).call)
            open_case = int(self.chain.call(self.cases.functions.open_case(key).call))
            if open_case:
                filed.append(open_case)  # filed before (a restart), or by another centre
                continue
            if bond:
                allowance = self.chain.call(
                    self.bpc.functions.allowance(self.account.address, self.cases.address).call
                )
                if int(allowance) < bond:
                    self.chain.send(
                        self.account, self.bpc.functions.approve(self.cases.address, bond)
                    )
            fn = self.cases.functions.file(patent, infringer, product, digest_of(evidence))
            receipt = self.chain.send(self.account, fn)
            logs = self.cases.events.CaseFiled().process_receipt(receipt, errors=DISCARD)
            filed.append(int(logs[0].args.case))
        return evidence, filed
