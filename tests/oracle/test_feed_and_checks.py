"""The office feed (bpsa.oracle.feed) and a node's decision (bpsa.oracle.checks), pure:
no chain, no store.

What must hold: a feed loads from JSON or CSV and every bad input is refused with the
row and field named; a record's standing on a day follows its maintenance history (in
force to the next due date or the term's end, fee unpaid within the grace period, then
lapsed); `assess` refuses each thing that is wrong with a reason a person can act on,
and otherwise returns exactly the certificate every node would sign.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Source
from bpsa.core.errors import InputError
from bpsa.oracle.checks import Submission, assess, same_name
from bpsa.oracle.feed import SAMPLE, Fee, LocalFeed, OfficeRecord
from tests.oracle.helpers import FeedRow

OWNER = "Hangzhou Chain Labs"
CONTRIBUTOR = "0x" + "3c" * 20
DOCUMENT = bytes.fromhex("d0" * 32)
NONCE = 7
# 2027-09-30 00:00 UTC, the record's next maintenance date, by the calendar module.
MAINTENANCE = calendar.timegm((2027, 9, 30, 0, 0, 0))
BEFORE_MAINTENANCE = MAINTENANCE - 86_400
FIELDS = ("office", "number", "status", "owner", "next_maintenance", "expires", "title")


# One well-formed feed record; `row(**changes)` and `record(**changes)` vary it.
US_RECORD = FeedRow(
    office="US",
    number="11234567",
    status="in-force",
    owner=OWNER,
    next_maintenance="2027-09-30",
    expires="2039-07-12",
    title="Low-latency payment channel rebalancing",
)
row, record = US_RECORD.row, US_RECORD.record


def submission(source: Source = Source.CONTRIBUTED, **changes: object) -> Submission:
    fields: dict[str, object] = {
        "patent": bytes(certs.patent_id("US", "11234567")),
        "office": "US",
        "number": "11234567",
        "document": DOCUMENT,
        "contributor": CONTRIBUTOR,
        "source": source,
        "block": 12,
    }
    fields.update(changes)
    return Submission(**fields)  # type: ignore[arg-type]


def write_json(tmp_path: Path, data: object, name: str = "feed.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def write_csv(tmp_path: Path, rows: list[dict[str, object]], name: str = "feed.csv") -> Path:
    path = tmp_path / name
    lines = [",".join(FIELDS)]
    lines += [",".join(str(r.get(f, "")) for f in FIELDS) for r in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


# --- loading a feed -------------------------------------------------------------------


def test_load__the_shipped_sample__six_records_by_office_and_number():
    feed = LocalFeed.load(SAMPLE)

    assert len(feed) == 6
    assert feed.lookup("US", "11234567") == OfficeRecord(
        "US",
        "11234567",
        CertStatus.IN_FORCE,
        OWNER,
        (
            Fee(dt.date(2028, 1, 15), dt.date(2027, 12, 1)),
            Fee(dt.date(2032, 1, 15), dt.date(2031, 12, 10)),
            Fee(dt.date(2036, 1, 15), dt.date(2035, 11, 30)),
        ),
        dt.date(2039, 7, 12),
        "Low-latency payment channel rebalancing",
        family="DOCDB:54321098",  # with EP 3456789: one invention
    )
    assert feed.lookup("JP", "7012345").status == CertStatus.LAPSED  # type: ignore[union-attr]
    assert feed.lookup("KR", "102345678").status == CertStatus.PENDING  # type: ignore[union-attr]


def test_lookup__key_not_in_the_feed__none():
    feed = LocalFeed.load(SAMPLE)

    assert feed.lookup("US", "99999999") is None
    assert feed.lookup("EP", "11234567") is None  # the number alone does not match


def test_load__bare_json_list__same_as_records_object(tmp_path):
    bare = LocalFeed.load(write_json(tmp_path, [row()], "bare.json"))
    wrapped = LocalFeed.load(write_json(tmp_path, {"records": [row()]}, "wrapped.json"))

    assert bare.lookup("US", "11234567") == wrapped.lookup("US", "11234567") == record()


def test_load__csv_with_padded_mixed_case_values__parsed_and_trimmed(tmp_path):
    rows = [
        row(status=" In-Force ", owner=f"  {OWNER} "),
        row(number="11876543", status="LAPSED", owner="Pearl River Devices"),
    ]
    feed = LocalFeed.load(write_csv(tmp_path, rows))

    assert len(feed) == 2
    assert feed.lookup("US", "11234567") == record()
    assert feed.lookup("US", "11876543").status == CertStatus.LAPSED  # type: ignore[union-attr]


def test_load__csv_suffix_in_capitals__read_as_csv(tmp_path):
    feed = LocalFeed.load(write_csv(tmp_path, [row()], "FEED.CSV"))

    assert feed.lookup("US", "11234567") == record()


def test_load__empty_list__empty_feed(tmp_path):
    assert len(LocalFeed.load(write_json(tmp_path, []))) == 0


# --- bad feeds: each refused with where and what ----------------------------------------


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"owner": None}, "owner"),
        ({"owner": ""}, "owner"),
        ({"office": None, "title": None}, "office, title"),
        ({"next_maintenance": None}, "maintenance (or next_maintenance)"),
    ],
)
def test_load__json_record_missing_fields__names_record_and_fields(tmp_path, changes, missing):
    path = write_json(tmp_path, [row(number="11876543"), row(**changes)])

    with pytest.raises(InputError) as raised:
        LocalFeed.load(path)
    assert str(raised.value) == f"{path} record 2: missing {missing}"


def test_load__csv_row_missing_a_field__names_line_and_field(tmp_path):
    path = write_csv(tmp_path, [row(number="11876543"), row(owner="")])

    with pytest.raises(InputError) as raised:
        LocalFeed.load(path)
    assert str(raised.value) == f"{path}:3: missing owner"  # line 1 is the header


@pytest.mark.parametrize("status", ["revoked", "granted", "in force"])
def test_load__unknown_status__names_record_and_the_statuses(tmp_path, status):
    path = write_json(tmp_path, [row(status=status)])

    with pytest.raises(InputError) as raised:
        LocalFeed.load(path)
    assert str(raised.value) == (
        f"{path} record 1: status {status!r} is not one of in-force, pending, lapsed, invalidated"
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("next_maintenance", "2027-13-01"),
        ("next_maintenance", "30/09/2027"),
        ("expires", "soon"),
    ],
)
def test_load__bad_date__names_record_field_and_value(tmp_path, field, value):
    path = write_json(tmp_path, [row(**{field: value})])

    with pytest.raises(InputError) as raised:
        LocalFeed.load(path)
    assert str(raised.value) == f"{path} record 1: {field} must be an ISO date, got {value!r}"


def test_load__same_key_twice__refused_naming_the_key(tmp_path):
    path = write_json(tmp_path, [row(), row(office=" US", title="another title")])

    with pytest.raises(InputError) as raised:
        LocalFeed.load(path)
    assert str(raised.value) == "the feed lists US 11234567 twice"


@pytest.mark.parametrize(
    "data",
    [{"records": {"office": "US"}}, {"notice": "no records"}, "records", [row(), "US 11234567"]],
    ids=["records-not-a-list", "no-records", "a-string", "a-non-object-item"],
)
def test_load__not_a_list_of_records__refused(tmp_path, data):
    path = write_json(tmp_path, data)

    with pytest.raises(InputError) as raised:
        LocalFeed.load(path)
    assert str(raised.value) == f"{path}: expected a list of records (or {{'records': [...]}})"


def test_load__not_json__refused_naming_the_file(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text("office,number\nUS,11234567\n")

    with pytest.raises(InputError) as raised:
        LocalFeed.load(path)
    assert str(raised.value).startswith(f"{path} is not JSON: ")


def test_load__no_such_file__refused_naming_the_file(tmp_path):
    path = tmp_path / "absent.json"

    with pytest.raises(InputError) as raised:
        LocalFeed.load(path)
    assert str(raised.value).startswith(f"cannot read the office feed {path}: ")


# --- a record's expiry -----------------------------------------------------------------

TODAY = dt.date(2026, 12, 7)


def test_expiry_time__maintenance_before_term_end__midnight_utc_of_maintenance():
    assert record().on(TODAY).expiry_time() == MAINTENANCE


def test_expiry_time__term_ends_before_maintenance__midnight_utc_of_term_end():
    late_fee = record(next_maintenance="2040-01-31", expires="2039-07-12")

    assert late_fee.on(TODAY).expiry_time() == calendar.timegm((2039, 7, 12, 0, 0, 0))


# --- assess: each refusal ---------------------------------------------------------------


def test_assess__usage_right__refused_for_certification_by_hand():
    decision = assess(submission(Source.USAGE_RIGHT), b"", OWNER, record(), 0, NONCE)

    assert not decision.ok and decision.certificate is None
    assert decision.reason.startswith("a usage right's certificate names the owner abroad")
    assert "ape run pool sign-certificate" in decision.reason


def test_assess__document_names_another_key__refused_naming_both():
    content = json.dumps({"office": "EP", "number": "3456789"}).encode()

    decision = assess(submission(), content, OWNER, record(), BEFORE_MAINTENANCE, NONCE)

    assert not decision.ok and decision.certificate is None
    assert decision.reason == "the document describes EP 3456789, not US 11234567"


@pytest.mark.parametrize(
    "content",
    [
        json.dumps({"office": "US", "number": "11234567", "title": "..."}).encode(),
        b"%PDF-1.7\n\xe2\xe3\xcf\xd3 a scanned grant",  # not UTF-8
        b"plain text of the grant",
        json.dumps(["US", "11234567"]).encode(),  # JSON, but not a BPSA document
        json.dumps({"office": "EP"}).encode(),  # no number: not a BPSA document
    ],
    ids=["bpsa-document-same-key", "pdf", "text", "json-list", "json-without-number"],
)
def test_assess__document_not_naming_another_key__accepted(content):
    decision = assess(submission(), content, OWNER, record(), BEFORE_MAINTENANCE, NONCE)

    assert decision.ok, decision.reason


def test_assess__office_has_no_record__refused():
    decision = assess(submission(), b"", OWNER, None, BEFORE_MAINTENANCE, NONCE)

    assert not decision.ok and decision.certificate is None
    assert decision.reason == "the office has no record of US 11234567"


@pytest.mark.parametrize("status", ["pending", "lapsed", "invalidated"])
def test_assess__office_status_not_in_force__refused_naming_the_status(status):
    decision = assess(submission(), b"", OWNER, record(status=status), BEFORE_MAINTENANCE, NONCE)

    assert not decision.ok and decision.certificate is None
    assert decision.reason == f"the office records US 11234567 as {status}"


def test_assess__maintenance_fee_due_now__refused_naming_the_date():
    decision = assess(submission(), b"", OWNER, record(), MAINTENANCE, NONCE)

    assert not decision.ok and decision.certificate is None
    assert decision.reason == (
        "US 11234567's maintenance fee fell due on 2027-09-30 unpaid; "
        "the office takes it late until 2028-03-30"
    )


def test_assess__maintenance_fee_due_in_one_second__accepted_until_then():
    decision = assess(submission(), b"", OWNER, record(), MAINTENANCE - 1, NONCE)

    assert decision.ok
    assert decision.certificate is not None and decision.certificate.expiry == MAINTENANCE


def test_assess__term_ended__refused_naming_the_end():
    ended = record(next_maintenance="2040-01-31", expires="2027-09-30")

    decision = assess(submission(), b"", OWNER, ended, MAINTENANCE + 1, NONCE)

    assert decision.reason == "US 11234567's term ended on 2027-09-30"


def test_assess__contributor_without_identity_record__refused():
    decision = assess(submission(), b"", None, record(), BEFORE_MAINTENANCE, NONCE)

    assert not decision.ok and decision.certificate is None
    assert decision.reason == f"the contributor {CONTRIBUTOR} has no identity record"


def test_assess__identity_names_another_owner__refused_naming_both():
    decision = assess(submission(), b"", "Shadow Patents Ltd", record(), BEFORE_MAINTENANCE, NONCE)

    assert not decision.ok and decision.certificate is None
    assert decision.reason == (
        "the office names 'Hangzhou Chain Labs' as owner, the contributor's identity record "
        "names 'Shadow Patents Ltd'"
    )


def test_assess__lapsed_and_another_owner__the_office_status_is_the_reason():
    decision = assess(submission(), b"", "Shadow Patents Ltd", record(status="lapsed"), 0, NONCE)

    assert decision.reason == "the office records US 11234567 as lapsed"


# --- assess: the certificate ----------------------------------------------------------


@pytest.mark.parametrize(
    "identity_name",
    [
        "HANGZHOU CHAIN LABS",
        "hangzhou chain labs",
        "  Hangzhou\tChain   Labs\n",
        "\uff28\uff41\uff4e\uff47\uff5a\uff48\uff4f\uff55\u3000Chain Labs",  # full width (NFKC)
        "Hangzhou\u00a0Chain Labs",  # a no-break space
    ],
    ids=["upper", "lower", "spacing", "full-width", "nbsp"],
)
def test_assess__identity_name_differs_in_case_width_or_spacing__certificate(identity_name):
    decision = assess(submission(), b"", identity_name, record(), BEFORE_MAINTENANCE, NONCE)

    assert decision.ok, decision.reason


def test_assess__all_checks_pass__exact_certificate_fields():
    decision = assess(submission(), b"any", OWNER, record(), BEFORE_MAINTENANCE, NONCE)

    assert decision.ok
    assert decision.reason == "US 11234567 in force, owned by Hangzhou Chain Labs"
    assert decision.certificate == certs.Certificate(
        "US", "11234567", DOCUMENT, CONTRIBUTOR, CertStatus.IN_FORCE, MAINTENANCE, NONCE
    )


def test_assess__two_nodes_same_inputs__same_certificate_leaf():
    first = assess(submission(), b"", OWNER, record(), BEFORE_MAINTENANCE, NONCE)
    second = assess(submission(), b"", OWNER.upper(), record(), BEFORE_MAINTENANCE - 5, NONCE)

    assert first.certificate is not None and second.certificate is not None
    assert first.certificate.leaf() == second.certificate.leaf()


# --- same_name ------------------------------------------------------------------------

# Company names as offices and KYC records write them: Latin with accents, Greek and
# Cyrillic, CJK, digits and the punctuation of legal forms.
NAME_CHARS = st.characters(
    categories=["Lu", "Ll", "Lo", "Nd"],
    include_characters="&.,'-()",
    # Turkish dotless i: its case pair is locale-specific.
    exclude_characters="\u0131",
    max_codepoint=0x9FFF,
)
WORDS = st.lists(st.text(NAME_CHARS, min_size=1, max_size=12), min_size=1, max_size=5)
SPACE = st.text(st.sampled_from(" \t\n\u00a0\u3000\u2003"), min_size=1, max_size=3)


@given(st.text(max_size=20), st.text(max_size=20))
def test_same_name__any_two_texts__symmetric(a, b):
    assert same_name(a, b) == same_name(b, a)


@given(WORDS, st.data())
def test_same_name__words_joined_by_any_whitespace__same(words, data):
    spaced = data.draw(SPACE) + data.draw(SPACE).join(words) + data.draw(SPACE)

    assert same_name(" ".join(words), spaced)


@given(WORDS)
def test_same_name__upper_lower_or_swapped_case__same(words):
    name = " ".join(words)

    assert same_name(name, name.upper())
    assert same_name(name, name.lower())
    assert same_name(name.swapcase(), name)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hangzhou Chain Labs", "Hangzhou Chain Lab"),
        ("Hangzhou Chain Labs", "HangzhouChain Labs"),  # a word boundary is kept
        ("Hangzhou Chain Labs", "Hangzhou Chain Labs Ltd"),
        ("Pearl River Devices", "Pearl-River Devices"),
    ],
)
def test_same_name__different_names__not_same(a, b):
    assert not same_name(a, b)


def test_same_name__greek_name_with_dialytika_tonos_in_capitals__same():
    name = "Ταΐζω Συσκευές"

    assert same_name(name, name.upper())


def test_assess__an_earlier_certificate_named_another_member_of_the_owners_name__refused():
    rival = "0x" + "be" * 20
    decision = assess(
        submission(), b"", OWNER, record(), BEFORE_MAINTENANCE, NONCE, {rival: OWNER.upper()}
    )

    assert not decision.ok and decision.certificate is None
    assert "two members answer to the owner's name" in decision.reason and rival in decision.reason


def test_assess__earlier_owners_of_other_names_or_none__signed():
    others = {"0x" + "be" * 20: "Someone Else Ltd", "0x" + "bf" * 20: None}
    decision = assess(submission(), b"", OWNER, record(), BEFORE_MAINTENANCE, NONCE, others)

    assert decision.ok and decision.certificate is not None
