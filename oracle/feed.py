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
    status               the office's legal status apart from fees: "in-force", "pending",
                         "lapsed" or "invalidated"; an in-force patent's standing on a day
                         then follows its maintenance history (below)
    owner                the owner (assignee) as the office records it
    maintenance          the maintenance (renewal) fees, oldest first: a list of
                         {"due": ISO date, "paid": ISO date or null}, or the text
                         "2027-09-30 paid 2027-08-01; 2028-09-30 unpaid" (CSV). A fee paid
                         after its due date was paid late; the office takes it until
                         `grace_days` after the due date, and a fee still unpaid then
                         lapses the patent as of its due date
    next_maintenance     instead of `maintenance`: the one fee due next, not yet paid
    expires              the end of the statutory term (ISO date)
    grace_days           optional: the office's grace period for a late fee (default 182)
    title                the title, for people reading logs
    family               optional: the patent family, "DOCDB:<family number>" (the EPO's
                         DOCDB simple family: EPO OPS or the DOCDB bulk data give it) or
                         "PRIORITY:<office> <application>"; `pool family set --from-feed`
                         derives the family id from it (bpsa.core.families)

A record is the office's register as of the feed's date, with the fees recorded up to
it; `OfficeRecord.on(day)` reads its standing on any day (what a node certifies): in
force until the next fee's due date (or the term's end), fee unpaid within the grace
period, or lapsed.
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
FIELDS = ("office", "number", "status", "owner", "expires", "title")
GRACE_DAYS = 182  # a late fee's grace period where the record does not give one
SAMPLE = Path(__file__).resolve().parent / "data" / "sample_office_feed.json"


def midnight(day: dt.date) -> int:
    """Midnight UTC of `day`, as unix seconds."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


@dataclass(frozen=True)
class Fee:
    """One maintenance fee: its due date and the day the office recorded it paid (None:
    not paid, as of the feed's date)."""

    due: dt.date
    paid: dt.date | None = None


@dataclass(frozen=True)
class Standing:
    """What the office's record says of a patent on one day.

    `status`: IN_FORCE, FEE_UNPAID (a fee fell due unpaid; the office still takes it
    late), LAPSED (a fee went unpaid past the grace period, or the term ended), PENDING
    or INVALIDATED. `until`: in force, the next fee's due date or the term's end; fee
    unpaid, the unpaid fee's due date; lapsed, the day it lapsed as of."""

    status: CertStatus
    until: dt.date
    reason: str

    def expiry_time(self) -> int:
        """A certificate's expiry for this standing: midnight UTC of `until`."""
        return midnight(self.until)


@dataclass(frozen=True)
class OfficeRecord:
    office: str
    number: str
    status: CertStatus
    owner: str
    fees: tuple[Fee, ...]
    expires: dt.date
    title: str
    grace_days: int = GRACE_DAYS
    # the patent family as the office's bibliographic data gives it ("DOCDB:54321098": the
    # EPO's DOCDB family number; "PRIORITY:US 17/123,456": the priority application), or
    # None: what `pool family set --from-feed` derives the family id from
    family: str | None = None

    @property
    def key(self) -> str:
        return f"{self.office} {self.number}"

    def on(self, day: dt.date) -> Standing:
        """The patent's standing on `day`, from its status and maintenance history."""
        if self.status != CertStatus.IN_FORCE:
            return Standing(self.status, day, f"the office records {self.key} as "
                            + self.status.name.lower().replace("_", "-"))  # fmt: skip
        grace = dt.timedelta(days=self.grace_days)
        for fee in self.fees:
            if fee.paid is not None and fee.paid <= day:
                continue
            if day < fee.due:
                return Standing(CertStatus.IN_FORCE, fee.due, f"{self.key} in force")
            if day < fee.due + grace:
                return Standing(
                    CertStatus.FEE_UNPAID,
                    fee.due,
                    f"{self.key}'s maintenance fee fell due on {fee.due.isoformat()} unpaid; "
                    f"the office takes it late until {(fee.due + grace).isoformat()}",
                )
            return Standing(
                CertStatus.LAPSED,
                fee.due,
                f"{self.key} lapsed: its maintenance fee due on {fee.due.isoformat()} "
                f"went unpaid past the grace period",
            )
        if day < self.expires:
            return Standing(CertStatus.IN_FORCE, self.expires, f"{self.key} in force")
        return Standing(
            CertStatus.LAPSED, self.expires, f"{self.key}'s term ended on {self.expires}"
        )


class PatentOffice(Protocol):
    def lookup(self, office: str, number: str) -> OfficeRecord | None:
        """The office's record of a patent, or None when the office has none."""
        ...


def _date(value: Any, field: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(f"{where}: {field} must be an ISO date, got {value!r}") from None


def _fee_entries(value: Any, where: str) -> list[tuple[Any, Any]]:
    """(due, paid) pairs from a JSON list of {"due", "paid"} or the CSV text form."""
    if isinstance(value, str):
        pairs: list[tuple[Any, Any]] = []
        for part in filter(None, (p.strip() for p in value.split(";"))):
            words = part.split()
            if len(words) == 1 or (len(words) == 2 and words[1].lower() == "unpaid"):
                pairs.append((words[0], None))
            elif len(words) == 3 and words[1].lower() == "paid":
                pairs.append((words[0], words[2]))
            else:
                raise InputError(
                    f"{where}: maintenance entry {part!r} is not 'DUE paid DATE' or 'DUE unpaid'"
                )
        return pairs
    if not isinstance(value, list) or not all(isinstance(f, dict) and "due" in f for f in value):
        raise InputError(
            f"{where}: maintenance must be a list of {{'due': date, 'paid': date or null}}"
        )
    return [(f["due"], f.get("paid")) for f in value]


def _fees(raw: dict[str, Any], expires: dt.date, grace_days: int, where: str) -> tuple[Fee, ...]:
    """The record's maintenance history, checked: due dates ascending and within the
    term, each payment within its grace period."""
    history, single = raw.get("maintenance"), raw.get("next_maintenance")
    if history not in (None, "") and single not in (None, ""):
        raise InputError(f"{where}: give maintenance or next_maintenance, not both")
    if history in (None, ""):
        if single in (None, ""):
            raise InputError(f"{where}: missing maintenance (or next_maintenance)")
        due = _date(single, "next_maintenance", where)
        return (Fee(due),) if due < expires else ()  # a fee past the term is never due
    fees: list[Fee] = []
    for due_text, paid_text in _fee_entries(history, where):
        due = _date(due_text, "maintenance due date", where)
        paid = None if paid_text in (None, "") else _date(paid_text, "maintenance paid date", where)
        if fees and due <= fees[-1].due:
            raise InputError(
                f"{where}: maintenance due dates must ascend ({due} after {fees[-1].due})"
            )
        if due >= expires:
            raise InputError(
                f"{where}: a maintenance fee due {due} falls after the term ends ({expires})"
            )
        if paid is not None and paid >= due + dt.timedelta(days=grace_days):
            raise InputError(
                f"{where}: the fee due {due} is recorded paid on {paid}, after its grace "
                f"period of {grace_days} days: the office would not take it"
            )
        fees.append(Fee(due, paid))
    return tuple(fees)


def parse_record(raw: dict[str, Any], where: str) -> OfficeRecord:
    """One record from a row or object; `InputError` naming the row and field."""
    missing = [f for f in FIELDS if f not in raw or raw[f] in (None, "")]
    if missing:
        raise InputError(f"{where}: missing {', '.join(missing)}")
    status = str(raw["status"]).strip().lower()
    if status not in STATUSES:
        raise InputError(f"{where}: status {raw['status']!r} is not one of {', '.join(STATUSES)}")
    grace_days = raw.get("grace_days")
    if grace_days in (None, ""):
        grace_days = GRACE_DAYS
    try:
        grace_days = int(grace_days)
    except (TypeError, ValueError):
        raise InputError(f"{where}: grace_days must be a whole number of days") from None
    if not 0 <= grace_days <= 730:
        raise InputError(f"{where}: grace_days must be 0 to 730, got {grace_days}")
    expires = _date(raw["expires"], "expires", where)
    return OfficeRecord(
        office=str(raw["office"]).strip(),
        number=str(raw["number"]).strip(),
        status=STATUSES[status],
        owner=str(raw["owner"]).strip(),
        fees=_fees(raw, expires, grace_days, where),
        expires=expires,
        title=str(raw["title"]).strip(),
        grace_days=grace_days,
        family=str(raw["family"]).strip() if raw.get("family") not in (None, "") else None,
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
