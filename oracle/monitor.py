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
the verdict) and files one case per named pooled patent. A seller whose address is a
member the council vetted is named as the accused and known by its identity record's
digest; any other seller by the digest of its name, the accused left for it to claim.

Final enough: with `confirmations` N (0 by default, as on a local chain), a verdict is
acted on only once it has held for N blocks (a licence bought or revoked in a block a
reorganisation may undo waits), and a filed case counts only once N blocks sit on it (a
filing a reorganisation undid is filed again).

Idempotent: every observation's verdict, accused and evidence are logged in a SQLite file
by id before anything is sent, and before filing the monitor looks on chain for the case
(the use's open case, or a case this centre filed with the same evidence, open or
closed), so the same observation never files twice, across restarts, lost logs and
closed cases.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils.address import is_address, to_checksum_address
from eth_utils.crypto import keccak
from web3.logs import DISCARD

from bpsa.core import qr
from bpsa.core.certificates import check_key, patent_id
from bpsa.core.chain import depth
from bpsa.core.cid import digest_of
from bpsa.core.codes import PatentStatus, Status
from bpsa.core.errors import InputError
from bpsa.core.store import Store
from bpsa.oracle.chain import PoolChain
from bpsa.oracle.store import ContentStore

KINDS = ("device", "listing")
ZERO_ADDRESS = "0x" + "00" * 20
# An Alliance record the council reviewed: its identity digest is proven, not only claimed.
VETTED = (Status.ACTIVE, Status.SUSPENDED, Status.EXPELLED)


# The monitor's log: what it observed, and a verdict logged before anything is sent,
# until it is final and acted on (`pending`).
LOG_SCHEMA = """
CREATE TABLE IF NOT EXISTS observations (id TEXT PRIMARY KEY, licensed INTEGER,
    reason TEXT, evidence TEXT, cases TEXT, checked REAL);
CREATE TABLE IF NOT EXISTS pending (id TEXT PRIMARY KEY, licensed INTEGER,
    reason TEXT, judged_block INTEGER, evidence TEXT, infringer TEXT, accused TEXT,
    cases TEXT, filed_block INTEGER);
"""


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


@dataclass(frozen=True)
class Pending:
    """An observation's logged verdict, not yet acted on (or acted on, not yet final)."""

    licensed: bool
    reason: str
    judged_block: int
    evidence: str
    infringer: bytes
    accused: str
    cases: list[int] | None  # the cases filed, once filed
    filed_block: int


class Monitor:
    def __init__(
        self,
        chain: PoolChain,
        store: ContentStore,
        account: LocalAccount,
        log_path: Path,
        rpc_url: str,
        log: logging.Logger | None = None,
        confirmations: int = 0,
    ) -> None:
        self.chain = chain
        self.store = store
        self.account = account
        self.confirmations = depth(confirmations)
        self.licensing = chain.contract("Licensing")
        self.cases = chain.contract("Infringements")
        self.bpc = chain.contract("BPC")
        self.verifier = qr.Verifier(rpc_url, chain.chain_id(), str(self.licensing.address))
        self.log = log or logging.getLogger("bpsa.oracle.monitor")
        self._store = Store(log_path, LOG_SCHEMA, timeout=30)
        self._db = self._store.db
        # The log speaks for one deployment: its "already filed" means nothing elsewhere.
        deployment = f"{chain.chain_id()}:{self.cases.address}"
        bound = self._store.bind("deployment", deployment)
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

    def pending(self, observation_id: str) -> Pending | None:
        """The logged verdict of an observation not yet final, if any."""
        row = self._db.execute(
            "SELECT licensed, reason, judged_block, evidence, infringer, accused, cases,"
            " filed_block FROM pending WHERE id=?",
            (observation_id,),
        ).fetchone()
        if row is None:
            return None
        licensed, reason, judged, evidence, infringer, accused, cases, filed = row
        return Pending(
            bool(licensed),
            reason,
            judged,
            evidence,
            bytes.fromhex(infringer),
            accused,
            None if cases is None else json.loads(cases),
            filed,
        )

    def _save(self, observation_id: str, p: Pending) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO pending VALUES (?,?,?,?,?,?,?,?,?)",
            (
                observation_id,
                int(p.licensed),
                p.reason,
                p.judged_block,
                p.evidence,
                p.infringer.hex(),
                p.accused,
                None if p.cases is None else json.dumps(p.cases),
                p.filed_block,
            ),
        )

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
            # the licence's (listing, patent, licensee, start, end, ...): read by place
            patent, licensee, end = record[1], record[2], record[4]
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

    def accused(self, obs: Observation) -> tuple[bytes, str]:
        """The infringer digest and the accused a case names: a seller whose address is a
        member the council vetted, by its identity record; anyone else by the digest of
        its name, with no accused (the register accepts only a proven one)."""
        if obs.seller_address:
            alliance = self.chain.alliance.functions
            status = int(self.chain.call(alliance.status_of(obs.seller_address).call))
            if status in VETTED:
                return self.chain.identity_of(obs.seller_address), obs.seller_address
        return keccak(text=obs.seller), ZERO_ADDRESS

    def process(self, observations: Iterable[Observation]) -> list[Finding]:
        """Judges each observation not yet final and acts on the verdicts that are; returns
        the findings made final in this pass (the others wait for the next)."""
        findings = []
        for obs in observations:
            if self.seen(obs.id):
                continue
            finding = self._step(obs)
            if finding is None:
                self.log.info("%s: waiting for %d confirmations", obs.id, self.confirmations)
                continue
            self._db.execute(
                "INSERT OR REPLACE INTO observations VALUES (?,?,?,?,?,?)",
                (
                    obs.id,
                    int(finding.licensed),
                    finding.reason,
                    self._pending_evidence(obs.id),
                    json.dumps(finding.cases),
                    time.time(),
                ),
            )
            self._db.execute("DELETE FROM pending WHERE id=?", (obs.id,))
            findings.append(finding)
            self.log.info(
                "%s: %s (%s) cases %s", obs.id, finding.licensed, finding.reason, finding.cases
            )
        return findings

    def _pending_evidence(self, observation_id: str) -> str:
        p = self.pending(observation_id)
        return p.evidence if p else ""

    def _step(self, obs: Observation) -> Finding | None:
        """One observation, one pass: log its verdict, act once it is final."""
        head = self.chain.head()
        p = self.pending(obs.id)
        if p is None or p.cases is None:
            licensed, reason = self.judge(obs)
            if p is None or (p.licensed, p.reason) != (licensed, reason):
                # a new verdict (or a changed one): logged before anything is sent, acted
                # on once it held for `confirmations` blocks
                evidence, infringer, accused = "", b"", ZERO_ADDRESS
                if not licensed:
                    evidence = self._pin(obs, reason)
                    infringer, accused = self.accused(obs)
                p = Pending(licensed, reason, head, evidence, infringer, accused, None, 0)
                self._save(obs.id, p)
            if head - p.judged_block < self.confirmations:
                return None
            if p.licensed:
                return Finding(obs, True, p.reason, [])
        if p.cases is not None and not all(self._exists(c, obs, p) for c in p.cases):
            self.log.warning(
                "%s: cases %s are gone (a reorganisation): filing again", obs.id, p.cases
            )
            p = replace(p, cases=None)
            self.chain.forget_nonces()  # its transactions went with them
        if p.cases is None:
            p = replace(p, cases=self.file(obs, p), filed_block=self.chain.head())
            self._save(obs.id, p)
        assert p.cases is not None
        if p.cases and self.chain.head() - p.filed_block < self.confirmations:
            return None
        return Finding(obs, False, p.reason, p.cases)

    def _pin(self, obs: Observation, reason: str) -> str:
        record = {"observation": obs.raw, "verdict": reason, "monitor": self.account.address}
        return self.store.put(json.dumps(record, sort_keys=True).encode())

    def _exists(self, case: int, obs: Observation, p: Pending) -> bool:
        record = self.chain.call(self.cases.functions.cases(case).call)
        named = {patent_id(o, n) for o, n in obs.patents}
        return (
            bytes(record[0]) in named
            and bytes(record[1]) == p.infringer
            and bytes(record[2]) == keccak(text=obs.product)
        )

    def _filed_before(self, patent: bytes, evidence: bytes) -> int:
        """A case this centre filed against `patent` with this evidence, open or closed
        since (a restart, a lost log): 0 if none."""
        start = 0
        if "Infringements" in self.chain.manifest.contracts:
            start = self.chain.manifest.contracts["Infringements"].block
        event = self.cases.events.CaseFiled
        logs = self.chain.call(
            lambda: event.get_logs(
                from_block=start,
                argument_filters={"patent": patent, "centre": self.account.address},
            )
        )
        for log in logs:
            if bytes(log.args.evidence) == evidence:
                return int(log.args.case)
        return 0

    def file(self, obs: Observation, p: Pending) -> list[int]:
        """A case per pooled patent not already under one (or filed before with this
        evidence), naming the accused the pending verdict logged."""
        product = keccak(text=obs.product)
        evidence = digest_of(p.evidence)
        bond = int(self.chain.call(self.cases.functions.bond().call))
        filed = []
        for office, number in obs.patents:
            patent = patent_id(office, number)
            key = self.chain.call(self.cases.functions.case_key(patent, p.infringer, product).call)
            open_case = int(self.chain.call(self.cases.functions.open_case(key).call))
            if open_case:
                filed.append(open_case)  # filed before (a restart), or by another centre
                continue
            earlier = self._filed_before(patent, evidence)
            if earlier:
                filed.append(earlier)  # filed before and closed since: never twice
                continue
            status, _ = self.chain.status(patent)
            if status != PatentStatus.POOLED:
                self.log.info("%s: %s %s is not pooled; no case", obs.id, office, number)
                continue
            if bond:
                allowance = self.chain.call(
                    self.bpc.functions.allowance(self.account.address, self.cases.address).call
                )
                if int(allowance) < bond:
                    self.chain.send(
                        self.account, self.bpc.functions.approve(self.cases.address, bond)
                    )
            fn = self.cases.functions.file(patent, p.infringer, product, evidence, p.accused)
            receipt = self.chain.send(self.account, fn)
            logs = self.cases.events.CaseFiled().process_receipt(receipt, errors=DISCARD)
            filed.append(int(logs[0].args.case))
        return filed
