"""bpsa.core.families: a family's id from its text, the same for everyone who knows the
family number; and bpsa.sdk.pool.reasoning_digest: an expert's reasoning as `rate` takes it."""

from pathlib import Path

import pytest
from eth_utils.crypto import keccak

from bpsa.core.cid import cid_of, digest_of
from bpsa.core.errors import InputError
from bpsa.core.families import family_id, family_text
from bpsa.oracle.feed import SAMPLE, LocalFeed
from bpsa.sdk.pool import RatingDue, reasoning_digest


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("DOCDB:54321098", "DOCDB:54321098"),
        ("docdb: 54 321 098", "DOCDB:54321098"),
        ("INPADOC:054321098", "DOCDB:54321098"),
        ("54321098", "DOCDB:54321098"),
        ("PRIORITY:us  17/123,456", "PRIORITY:US 17/123,456"),
        ("priority:CN 201810123456.7", "PRIORITY:CN 201810123456.7"),
    ],
)
def test_family_text__spellings__one_canonical_text(given: str, canonical: str) -> None:
    assert family_text(given) == canonical
    assert family_id(given) == keccak(text=canonical)


def test_family_id__hex_id__as_given() -> None:
    fid = keccak(text="DOCDB:1")
    assert family_id("0x" + fid.hex()) == fid


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("DOCDB:12ab", "a DOCDB family number is 1 to 12 digits"),
        ("DOCDB:1234567890123", "a DOCDB family number is 1 to 12 digits"),
        ("PRIORITY:US", "a priority application is 'PRIORITY:<office> <number>'"),
        ("PRIORITY:1 234", "a priority application is"),
        ("FAMILY:1", "a family is 'DOCDB:<number>', 'PRIORITY:<office> <number>' or a 0x id"),
        ("0x" + "00" * 32, "the zero family id names no family"),
    ],
)
def test_family_id__malformed__input_error(given: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        family_id(given)


class _Store:
    def __init__(self) -> None:
        self.files: list[Path] = []

    def put(self, data: bytes) -> str:
        return cid_of(data)

    def put_file(self, path: Path) -> str:
        self.files.append(path)
        return cid_of(path.read_bytes())


def test_reasoning_digest__file__stored_and_named_by_its_cid(tmp_path: Path) -> None:
    path = tmp_path / "review.txt"
    path.write_text("Sample reasoning.\n")
    store = _Store()

    digest, cid = reasoning_digest(str(path), store)

    assert store.files == [path]
    assert (digest, cid) == (digest_of(cid_of(path.read_bytes())), cid_of(path.read_bytes()))


def test_reasoning_digest__cid__its_digest_nothing_stored() -> None:
    cid = cid_of(b"stored elsewhere")
    store = _Store()

    assert reasoning_digest(cid, store) == (digest_of(cid), cid)
    assert store.files == []


def test_reasoning_digest__file_without_a_store__input_error(tmp_path: Path) -> None:
    path = tmp_path / "review.txt"
    path.write_text("x")

    with pytest.raises(InputError, match="needs a content store"):
        reasoning_digest(path)


def test_reasoning_digest__neither_file_nor_cid__input_error() -> None:
    with pytest.raises(InputError, match="neither a CID nor a 32-byte hex digest"):
        reasoning_digest("see attached")


@pytest.mark.parametrize(
    ("due", "stale", "text"),
    [
        (0, False, "never rated"),
        (1_800_000_000, False, "re-rating due 2027-01-15 08:00:00 UTC"),
        (1_800_000_000, True, "stale since 2027-01-15 08:00:00 UTC"),
    ],
)
def test_rating_due__describe__iso_dates(due: int, stale: bool, text: str) -> None:
    assert RatingDue(due, stale).describe() == text


def test_sample_feed__us_and_ep_counterparts__one_family() -> None:
    feed = LocalFeed.load(SAMPLE)
    us, ep = feed.lookup("US", "11234567"), feed.lookup("EP", "3456789")
    other = feed.lookup("US", "11876543")

    assert us is not None and ep is not None and other is not None
    assert us.family == ep.family == "DOCDB:54321098"
    assert family_id(us.family) == keccak(text="DOCDB:54321098")
    assert other.family is None  # a record may give none
