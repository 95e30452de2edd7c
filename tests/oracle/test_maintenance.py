"""Maintenance histories in the office feed and a node's renewal decision, pure: no chain.

What must hold (issue 17, point 1): a patent's standing on a day follows its fees (in
force to the next due date, the term's end after the last fee; unpaid from the due date
while the office takes it late; lapsed as of the due date once the grace period ends; a
fee paid late within the grace period keeps it in force); a history that cannot be true
is refused naming the record and what is wrong; `assess_renewal` signs exactly the
certificate that brings the chain up to the office's record, and nothing when the chain
already says it.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus
from bpsa.core.errors import InputError
from bpsa.oracle.checks import LEAD, RECHECK, SURVEY, Held, assess_renewal
from bpsa.oracle.feed import Fee, LocalFeed, OfficeRecord, midnight
from tests.oracle.helpers import FeedRow

OWNER = "Hangzhou Chain Labs"
CONTRIBUTOR = "0x" + "3c" * 20
DOCUMENT = bytes.fromhex("d0" * 32)
DAY = 86_400

HISTORY = [
    {"due": "2027-09-30", "paid": "2027-08-16"},  # on time
    {"due": "2028-09-30", "paid": "2028-11-21"},  # late, within the grace period
    {"due": "2029-09-30", "paid": None},  # unpaid
]


# One well-formed feed record with a maintenance history; `row` and `record` vary it.
CN_RECORD = FeedRow(
    office="CN",
    number="ZL201810123456.7",
    status="in-force",
    owner=OWNER,
    maintenance=HISTORY,
    expires="2038-03-01",
    title="Sharded ledger with verifiable cross-shard receipts",
)
row, record = CN_RECORD.row, CN_RECORD.record


def on(text: str, rec: OfficeRecord | None = None) -> tuple[CertStatus, str]:
    standing = (rec or record()).on(dt.date.fromisoformat(text))
    return standing.status, standing.until.isoformat()


# --- a record's standing day by day ------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "status", "until"),
    [
        ("2026-12-07", CertStatus.IN_FORCE, "2027-09-30"),
        ("2027-08-15", CertStatus.IN_FORCE, "2027-09-30"),  # the day before it was paid
        ("2027-08-16", CertStatus.IN_FORCE, "2028-09-30"),  # paid: the next due date
        ("2028-09-29", CertStatus.IN_FORCE, "2028-09-30"),
        ("2028-09-30", CertStatus.FEE_UNPAID, "2028-09-30"),  # due, unpaid
        ("2028-11-20", CertStatus.FEE_UNPAID, "2028-09-30"),
        ("2028-11-21", CertStatus.IN_FORCE, "2029-09-30"),  # paid late: in force again
        ("2029-09-30", CertStatus.FEE_UNPAID, "2029-09-30"),
        ("2030-03-30", CertStatus.FEE_UNPAID, "2029-09-30"),  # the grace period's last day
        ("2030-03-31", CertStatus.LAPSED, "2029-09-30"),  # lapsed as of the due date
        ("2040-01-01", CertStatus.LAPSED, "2029-09-30"),
    ],
)
def test_on__a_history_paid_on_time_late_and_not__standing_of_each_day(day, status, until):
    assert on(day) == (status, until)


def test_on__every_fee_paid__in_force_to_the_term_end_then_lapsed_as_of_it():
    paid = record(maintenance=[{"due": "2027-09-30", "paid": "2027-09-01"}])

    assert on("2030-01-01", paid) == (CertStatus.IN_FORCE, "2038-03-01")
    assert on("2038-02-28", paid) == (CertStatus.IN_FORCE, "2038-03-01")
    assert on("2038-03-01", paid) == (CertStatus.LAPSED, "2038-03-01")
    assert paid.on(dt.date(2038, 3, 1)).reason == "CN ZL201810123456.7's term ended on 2038-03-01"


def test_on__office_status_not_in_force__that_status_whatever_the_fees():
    invalidated = record(status="invalidated")

    assert on("2027-01-01", invalidated)[0] == CertStatus.INVALIDATED
    assert invalidated.on(dt.date(2027, 1, 1)).reason == (
        "the office records CN ZL201810123456.7 as invalidated"
    )


def test_on__grace_days_from_the_record__the_office_takes_the_fee_that_long():
    short = record(grace_days=30, maintenance=[{"due": "2027-09-30"}])

    assert on("2027-10-29", short) == (CertStatus.FEE_UNPAID, "2027-09-30")
    assert on("2027-10-30", short) == (CertStatus.LAPSED, "2027-09-30")


def test_expiry_time__midnight_utc_of_until():
    assert record().on(dt.date(2027, 1, 1)).expiry_time() == midnight(dt.date(2027, 9, 30))


# --- histories in JSON and CSV -------------------------------------------------------------


def test_parse__text_form_as_a_csv_column__same_fees_as_the_json_list():
    text = "2027-09-30 paid 2027-08-16; 2028-09-30 paid 2028-11-21;2029-09-30 unpaid"

    assert record(maintenance=text) == record()
    assert record(maintenance=text).fees[2] == Fee(dt.date(2029, 9, 30), None)


def test_load__csv_with_a_maintenance_column__read(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(
        "office,number,status,owner,maintenance,expires,title\n"
        'CN,ZL201810123456.7,in-force,Hangzhou Chain Labs,"2027-09-30 paid 2027-08-16;'
        ' 2028-09-30 paid 2028-11-21; 2029-09-30",2038-03-01,Sharded ledger\n'
    )

    fees = LocalFeed.load(path).lookup("CN", "ZL201810123456.7").fees  # type: ignore[union-attr]

    assert fees == record().fees


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"maintenance": [{"due": "2028-09-30"}, {"due": "2027-09-30"}]},
            "maintenance due dates must ascend (2027-09-30 after 2028-09-30)",
        ),
        (
            {"maintenance": [{"due": "2038-03-01"}]},
            "a maintenance fee due 2038-03-01 falls after the term ends (2038-03-01)",
        ),
        (
            {"maintenance": [{"due": "2027-09-30", "paid": "2028-03-30"}]},
            "the fee due 2027-09-30 is recorded paid on 2028-03-30, after its grace period "
            "of 182 days: the office would not take it",
        ),
        (
            {"next_maintenance": "2027-09-30"},
            "give maintenance or next_maintenance, not both",
        ),
        ({"maintenance": None}, "missing maintenance (or next_maintenance)"),
        (
            {"maintenance": "2027-09-30 settled 2027-08-01"},
            "maintenance entry '2027-09-30 settled 2027-08-01' is not 'DUE paid DATE' or "
            "'DUE unpaid'",
        ),
        (
            {"maintenance": [{"paid": "2027-08-01"}]},
            "maintenance must be a list of {'due': date, 'paid': date or null}",
        ),
        (
            {"maintenance": [{"due": "2027-09-30", "paid": "last week"}]},
            "maintenance paid date must be an ISO date, got 'last week'",
        ),
        ({"grace_days": "six months"}, "grace_days must be a whole number of days"),
        ({"grace_days": 731}, "grace_days must be 0 to 730, got 731"),
    ],
    ids=[
        "descending",
        "after-the-term",
        "paid-after-grace",
        "both-forms",
        "neither",
        "bad-text-entry",
        "entry-without-due",
        "bad-paid-date",
        "grace-not-a-number",
        "grace-too-long",
    ],
)
def test_load__a_history_that_cannot_be_true__refused_naming_record_and_fault(
    tmp_path, changes, message
):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([row(**changes)]))

    with pytest.raises(InputError) as raised:
        LocalFeed.load(path)
    assert str(raised.value) == f"{path} record 1: {message}"


# --- assess_renewal ------------------------------------------------------------------------


def held(status: CertStatus = CertStatus.IN_FORCE, due: str = "2027-09-30", nonce: int = 1) -> Held:
    """The patent as the chain holds it: a certificate of `status` expiring at `due`."""
    return Held(
        bytes(certs.patent_id("CN", "ZL201810123456.7")),
        "CN",
        "ZL201810123456.7",
        DOCUMENT,
        CONTRIBUTOR,
        status,
        midnight(dt.date.fromisoformat(due)),
        nonce,
    )


def at(text: str) -> int:
    return midnight(dt.date.fromisoformat(text)) + 12 * 3600  # noon UTC


def renewal_cert(status: CertStatus, due: str, nonce: int) -> certs.Certificate:
    expiry = midnight(dt.date.fromisoformat(due))
    return certs.Certificate("CN", "ZL201810123456.7", DOCUMENT, CONTRIBUTOR, status, expiry, nonce)


def test_assess_renewal__fee_paid_before_the_due_date__renewed_to_the_next():
    decision = assess_renewal(held(nonce=4), OWNER, record(), at("2027-09-01"))

    assert decision.certificate == renewal_cert(CertStatus.IN_FORCE, "2028-09-30", 5)
    assert decision.reason == "CN ZL201810123456.7 renewed: in force until 2028-09-30"
    assert decision.next_check == at("2027-09-01") + RECHECK


def test_assess_renewal__fee_not_yet_paid_before_the_due_date__nothing_yet():
    decision = assess_renewal(held(), OWNER, record(), at("2027-08-01"))

    assert decision.certificate is None
    assert decision.reason == "CN ZL201810123456.7 in force until 2027-09-30"
    assert decision.next_check == at("2027-08-01") + RECHECK


def test_assess_renewal__far_from_the_due_date__looked_at_again_within_the_survey():
    now = at("2026-12-07")

    decision = assess_renewal(held(), OWNER, record(), now)

    assert decision.certificate is None
    assert decision.next_check == min(held().expiry - LEAD, now + SURVEY)


def test_assess_renewal__due_date_passed_unpaid__certificate_saying_the_fee_is_unpaid():
    decision = assess_renewal(held(due="2028-09-30", nonce=2), OWNER, record(), at("2028-10-02"))

    assert decision.certificate == renewal_cert(CertStatus.FEE_UNPAID, "2028-09-30", 3)
    assert decision.reason.startswith("CN ZL201810123456.7's maintenance fee fell due on 2028-09")


def test_assess_renewal__unpaid_already_on_chain__nothing_more():
    chain_says = held(CertStatus.FEE_UNPAID, "2028-09-30", 3)

    assert assess_renewal(chain_says, OWNER, record(), at("2028-10-20")).certificate is None


def test_assess_renewal__paid_late_within_grace__renewed_in_force_again():
    chain_says = held(CertStatus.FEE_UNPAID, "2028-09-30", 3)

    decision = assess_renewal(chain_says, OWNER, record(), at("2028-11-21"))

    assert decision.certificate == renewal_cert(CertStatus.IN_FORCE, "2029-09-30", 4)
    assert decision.reason == "CN ZL201810123456.7 renewed (paid late): in force until 2029-09-30"


def test_assess_renewal__grace_period_over_unpaid__certificate_saying_lapsed():
    chain_says = held(CertStatus.FEE_UNPAID, "2029-09-30", 5)

    decision = assess_renewal(chain_says, OWNER, record(), at("2030-03-31"))

    assert decision.certificate == renewal_cert(CertStatus.LAPSED, "2029-09-30", 6)
    assert decision.reason.endswith("went unpaid past the grace period")
    # and once the chain says so, nothing more
    lapsed = held(CertStatus.LAPSED, "2029-09-30", 6)
    assert assess_renewal(lapsed, OWNER, record(), at("2031-01-01")).certificate is None


def test_assess_renewal__term_ended__certificate_saying_lapsed_as_of_the_end():
    paid = record(maintenance=[{"due": "2027-09-30", "paid": "2027-09-01"}])

    decision = assess_renewal(held(due="2038-03-01"), OWNER, paid, at("2038-03-01"))

    assert decision.certificate == renewal_cert(CertStatus.LAPSED, "2038-03-01", 2)


def test_assess_renewal__office_names_another_owner__no_renewal_and_says_whom():
    decision = assess_renewal(held(), "Shadow Patents Ltd", record(), at("2027-09-01"))

    assert decision.certificate is None
    assert decision.reason == (
        f"the office names 'Hangzhou Chain Labs' as owner of CN ZL201810123456.7, not the "
        f"contributor {CONTRIBUTOR} ('Shadow Patents Ltd'): no renewal"
    )


def test_assess_renewal__lapsed_whoever_the_office_names__says_lapsed():
    """A lapse is the office's word whoever owns the patent: the pool must learn it."""
    chain_says = held(CertStatus.FEE_UNPAID, "2029-09-30", 5)

    decision = assess_renewal(chain_says, None, record(), at("2030-04-01"))

    assert decision.certificate is not None
    assert decision.certificate.status == CertStatus.LAPSED


def test_assess_renewal__no_record__nothing_and_says_so():
    decision = assess_renewal(held(), OWNER, None, at("2027-09-01"))

    assert decision.certificate is None
    assert decision.reason == "the office has no record of CN ZL201810123456.7"


def test_assess_renewal__two_nodes_same_day__same_certificate_leaf():
    first = assess_renewal(held(), OWNER, record(), at("2027-09-01"))
    second = assess_renewal(held(), OWNER.upper(), record(), at("2027-09-01") + 3600)

    assert first.certificate is not None and second.certificate is not None
    assert first.certificate.leaf() == second.certificate.leaf()


def test_assess_renewal__contributor_without_identity_record__no_renewal_and_says_why():
    """The fund (a contract) holds patents it bought: no identity record names it, so no
    node can match the office's owner to it; an oracle renews those by hand."""
    decision = assess_renewal(held(), None, record(), at("2027-09-01"))

    assert decision.certificate is None
    assert decision.reason.startswith(
        f"the contributor {CONTRIBUTOR} has no identity record to match the office's owner "
        "'Hangzhou Chain Labs'"
    )
