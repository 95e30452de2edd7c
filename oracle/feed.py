"""The patent office feed: a patent's status, owner and maintenance dates by office and
number, as an oracle node checks a submission against them.

`PatentOffice` is the interface; `LocalFeed` reads a local dataset (JSON or CSV) in the
shape below. The project ships `oracle/data/sample_office_feed.json`: SAMPLE DATA made
up for the demo and the tests, not any office's register. To plug in a real office,
convert its bulk data (USPTO's Patent Assignment and Maintenance Fee datasets, the EPO's
EP Bulletin / INPADOC legal status, CNIPA's legal-status data) into these fields, or
implement `PatentOffice.lookup` over its API.

Fields of a record:
    office, number       the key, as PatentPool takes it (e.g. "US", "11234567")
    status               "in-force", "pending", "lapsed" or "invalidated"
    owner                the owner (assignee) as the office records it
    next_maintenance     the date the next maintenance fee is due (ISO date): the
                         certificate's expiry; a patent whose date has passed lapses
    expires              the end of the statutory term (ISO date)
    title                the title, for people reading logs
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bpsa.core.codes import CertStatus
from bpsa.core.errors import InputError

STATUSES = {
    "in-force": CertStatus.IN_FORCE,
    "pending": CertStatus.PENDING,
    "lapsed": CertStatus.LAPSED,
    "invalidated": CertStatus.INVALIDATED,
}
FIELDS = ("office", "number", "status", "owner", "next_maintenance", "expires", "title")
SAMPLE = Path(__file__).resolve().parent / "data" / "sample_office_feed.json"


@dataclass(frozen=True)
class OfficeRecord:
    office: str
    number: str
    status: CertStatus
    owner: str
    next_maintenance: dt.date
    expires: dt.date
    title: str

    def expiry_time(self) -> int:
        """The certificate's expiry: the next maintenance date, or the term's end if
        earlier, as unix seconds (midnight UTC)."""
        day = min(self.next_maintenance, self.expires)
        return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


class PatentOffice(Protocol):
    def lookup(self, office: str, number: str) -> OfficeRecord | None:
        """The office's record of a patent, or None when the office has none."""
        ...


def _date(value: Any, field: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{where}: {field} must be an ISO date, got {value!r}") from None


def parse_record(raw: dict[str, Any], where: str) -> OfficeRecord:
    """One record from a row or object; `InputError` naming the row and field."""
    missing = [f for f in FIELDS if f not in raw or raw[f] in (None, "")]
    if missing:
        raise InputError(f"{where}: missing {', '.join(missing)}")
    status = str(raw["status"]).strip().lower()
    if status not in STATUSES:
        raise InputError(f"{where}: status {raw['status']!r} is not one of {', '.join(STATUSES)}")
    return OfficeRecord(
        office=str(raw["office"]).strip(),
        number=str(raw["number"]).strip(),
        status=STATUSES[status],
        owner=str(raw["owner"]).strip(),
        next_maintenance=_date(raw["next_maintenance"], "next_maintenance", where),
        expires=_date(raw["expires"], "expires", where),
        title=str(raw["title"]).strip(),
    )


class LocalFeed:
    """A feed read from a JSON list of records or a CSV with the same columns."""

    def __init__(self, records: Iterable[OfficeRecord]) -> None:
        self._records: dict[tuple[str, str], OfficeRecord] = {}
        for record in records:
            key = (record.office, record.number)
            if key in self._records:
                raise InputError(f"the feed lists {record.office} {record.number} twice")
            self._records[key] = record

    @classmethod
    def load(cls, path: Path) -> LocalFeed:
        try:
            text = path.read_text()
        except OSError as exc:
            raise InputError(f"cannot read the office feed {path}: {exc}") from None
        if path.suffix.lower() == ".csv":
            rows = list(csv.DictReader(text.splitlines()))
            return cls(parse_record(row, f"{path}:{i + 2}") for i, row in enumerate(rows))
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InputError(f"{path} is not JSON: {exc}") from None
        items = data.get("records") if isinstance(data, dict) else data
        if not isinstance(items, list) or not all(isinstance(r, dict) for r in items):
            raise InputError(f"{path}: expected a list of records (or {{'records': [...]}})")
        return cls(parse_record(row, f"{path} record {i + 1}") for i, row in enumerate(items))

    def lookup(self, office: str, number: str) -> OfficeRecord | None:
        return self._records.get((office, number))

    def __len__(self) -> int:
        return len(self._records)
