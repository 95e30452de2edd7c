"""The valuation feed: pushes an expert committee's reviewed valuations into the pool's
ratings, the input of NAV.

Each expert runs the feed with its own key over the committee's reviewed file; the pool
settles a round at the expert threshold (medians), so no single expert sets a value.
The file (CSV) holds one row per expert and patent:

    office,number,expert,score,valuation,reviewed_by,reasoning
    US,11234567,0xExpert1,82,76000,review board 2026-11,bafkrei...

`valuation` is in the pool's valuation unit (whole units, up to 18 decimals). `reasoning`
is the CID (or the 0x sha2-256 digest) of the expert's reasoning document, stored in IPFS
before the row is pushed: the pool logs its digest with the ballot and refuses a ballot
without one (`pool rate --reasoning FILE` stores the file and rates in one step). A row is
pushed only when its patent is open for that expert's rating now: certified (first
round) or due for re-rating, and the expert has not rated this round; the pool itself
refuses an expert rating its own patent or one its centre manages. Every row gets an
outcome and a reason; nothing is sent twice (the chain's ballots are checked first).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from eth_account.signers.local import LocalAccount

from bpsa.core.certificates import check_key, patent_id
from bpsa.core.cid import digest_of
from bpsa.core.codes import PatentStatus
from bpsa.core.errors import InputError
from bpsa.core.units import parse_units, units, when
from bpsa.oracle.chain import ChainRejected, PoolChain

COLUMNS = ("office", "number", "expert", "score", "valuation", "reviewed_by", "reasoning")


@dataclass(frozen=True)
class Valuation:
    office: str
    number: str
    expert: str
    score: int
    valuation: int
    reviewed_by: str
    reasoning: bytes  # the sha2-256 digest of the reasoning document's CID


def read_reviewed(path: Path) -> list[Valuation]:
    try:
        rows = list(csv.DictReader(path.read_text().splitlines()))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    out = []
    for line, row in enumerate(rows, 2):
        where = f"{path}:{line}"
        missing = [c for c in COLUMNS if not (row.get(c) or "").strip()]
        if missing:
            raise InputError(f"{where}: missing {', '.join(missing)} (every row is reviewed)")
        try:
            check_key(row["office"].strip(), row["number"].strip())
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
        try:
            score = int(row["score"])
        except ValueError:
            raise InputError(f"{where}: score must be a whole number") from None
        if not 0 <= score <= 100:
            raise InputError(f"{where}: score must be 0 to 100, got {score}")
        value = parse_units(row["valuation"].strip(), f"{where}: valuation")
        if value == 0:
            raise InputError(f"{where}: valuation must be positive")
        try:
            reasoning = digest_of(row["reasoning"])
        except InputError as exc:
            raise InputError(f"{where}: reasoning: {exc}") from None
        if reasoning == bytes(32):
            raise InputError(f"{where}: reasoning: the zero digest names no document")
        out.append(
            Valuation(
                row["office"].strip(),
                row["number"].strip(),
                row["expert"].strip(),
                score,
                value,
                row["reviewed_by"].strip(),
                reasoning,
            )
        )
    return out


def push(chain: PoolChain, expert: LocalAccount, rows: list[Valuation]) -> list[tuple[str, str]]:
    """Send `expert`'s rows that are open for rating; (patent key, outcome) per row."""
    outcomes = []
    pool = chain.pool.functions
    now = chain.now()
    for row in rows:
        if row.expert.lower() != expert.address.lower():
            continue
        key = f"{row.office} {row.number}"
        patent = patent_id(row.office, row.number)
        record = chain.patent(patent)
        status = PatentStatus(record["status"])
        if status not in (PatentStatus.CERTIFIED, PatentStatus.RATED, PatentStatus.POOLED):
            outcomes.append((key, f"skipped: {status.name.lower()}, not open for rating"))
            continue
        rated_at = int(record["rated_at"])
        interval = int(chain.call(pool.rerate_interval().call))
        if rated_at and now < rated_at + interval:
            due = when(rated_at + interval, now)
            outcomes.append((key, f"skipped: not due for re-rating until {due}"))
            continue
        ballots = chain.call(pool.ballots_of(patent).call)
        if any(str(b[0]).lower() == expert.address.lower() for b in ballots):
            outcomes.append((key, "skipped: already rated this round"))
            continue
        try:
            chain.send(expert, pool.rate(patent, row.score, row.valuation, row.reasoning))
        except ChainRejected as exc:
            outcomes.append((key, f"refused by the pool: {exc}"))
            continue
        outcomes.append((key, f"rated {row.score}, valued {units(row.valuation)}"))
    return outcomes
