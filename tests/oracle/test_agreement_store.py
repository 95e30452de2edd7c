"""`bpsa.sdk.licensing.pin_agreement`, `agreement_digest` and `agreement_cid` over the content
stores the SDK's callers open (the IPFS daemon, the embedded local store): an agreement is
pinned as the IPFS file `ipfs add --cid-version 1` makes, and the digest a contract keeps
names it back."""

from pathlib import Path

import pytest

from bpsa.core.cid import cid_of, digest_of
from bpsa.core.errors import InputError
from bpsa.oracle.store import IpfsStore, LocalStore
from bpsa.sdk.licensing import agreement_cid, agreement_digest, pin_agreement
from tests.oracle.test_store import pinned

pytestmark = pytest.mark.filterwarnings("ignore:The 'strict' parameter:FutureWarning")

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "agreements"


@pytest.mark.parametrize("name", ["bpr", "per-patent", "device"])
def test_pin_agreement__sample_file_on_the_daemon__pinned_under_its_ipfs_cid(ipfs_api, name):
    store = IpfsStore(ipfs_api, timeout=5.0)
    path = SAMPLES / f"{name}.txt"

    cid = pin_agreement(store, path)

    assert cid == cid_of(path.read_bytes())
    assert cid in pinned(ipfs_api)
    assert agreement_cid(digest_of(cid), store) == cid
    assert path.read_text().startswith("SAMPLE AGREEMENT: NOT LEGAL TEXT.")


def test_agreement_digest__a_file_or_its_cid__the_same_digest(tmp_path):
    store = LocalStore(tmp_path / "store")
    path = tmp_path / "licence.txt"
    path.write_text("SAMPLE AGREEMENT: a licence's terms.\n")

    from_file = agreement_digest(str(path), store)

    assert from_file == digest_of(cid_of(path.read_bytes()))
    assert agreement_digest(cid_of(path.read_bytes())) == from_file
    assert agreement_digest("0x" + from_file.hex()) == from_file
    assert agreement_cid(from_file, store) == cid_of(path.read_bytes())


def test_agreement_helpers__empty_or_missing__refused_or_none(tmp_path):
    store = LocalStore(tmp_path / "store")
    path = tmp_path / "licence.txt"
    path.write_text("terms")

    assert agreement_cid(bytes(32)) is None  # no agreement named
    with pytest.raises(InputError, match="empty"):
        agreement_digest("0x" + "00" * 32)
    with pytest.raises(InputError, match="content store"):
        agreement_digest(str(path))  # a file, but nowhere to pin it
    with pytest.raises(InputError, match="not a file"):
        pin_agreement(store, tmp_path / "missing.txt")
    with pytest.raises(InputError, match="empty"):
        pin_agreement(store, b"")
