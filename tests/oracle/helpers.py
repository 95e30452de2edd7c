"""Shared pieces of the oracle tests: the sample feed, submitting, reading a status, and
one feed record with changes for the pure tests."""

from __future__ import annotations

import json
from typing import Any

from bpsa.core.certificates import patent_id
from bpsa.core.cid import digest_of
from bpsa.core.codes import PatentStatus, Source
from bpsa.oracle.feed import SAMPLE, LocalFeed, OfficeRecord, parse_record

ZERO = "0x" + "00" * 20
FEED = LocalFeed.load(SAMPLE)
IN_FORCE = [("CN", "ZL201810123456.7"), ("US", "11234567"), ("EP", "3456789")]


def submit(world: dict[str, Any], store: Any, who: Any, office: str, number: str) -> bytes:
    document = json.dumps({"office": office, "number": number, "sample": True}).encode()
    digest = digest_of(store.put(document))
    world["PatentPool"].submit(office, number, digest, int(Source.CONTRIBUTED), ZERO, 0, sender=who)
    return digest


def status(world: dict[str, Any], office: str, number: str) -> PatentStatus:
    return PatentStatus(int(world["PatentPool"].patents(patent_id(office, number)).status))


class FeedRow:
    """One well-formed feed record and its variants: `row(**changes)` is the record with
    `changes` applied (None removes a field), `record(**changes)` the same row parsed. The
    pure feed tests each name their own record and vary it field by field."""

    def __init__(self, **base: object) -> None:
        self.base = base

    def row(self, **changes: object) -> dict[str, object]:
        merged = {**self.base, **changes}
        return {k: v for k, v in merged.items() if v is not None}

    def record(self, **changes: object) -> OfficeRecord:
        return parse_record(self.row(**changes), "test")
