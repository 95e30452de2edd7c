"""The projection dispatches on each event's ABI signature (topic 0), scoped to its
contract type: every handler names an event the ABI has, and every event of the ABI is
either projected or listed as deliberately ignored. A renamed or re-typed event fails at
import."""

from __future__ import annotations

import os

import pytest

from bpsa.api import db
from bpsa.api import indexer_project as projection
from bpsa.api.indexer_decode import EVENT_TYPES
from bpsa.core.cid import cid_from_digest


def test_handlers__every_one__projects_an_event_of_its_contracts_abi() -> None:
    for (contract_type, topic0), handler in projection.HANDLERS.items():
        assert topic0 in EVENT_TYPES[contract_type], (contract_type, handler.__name__)


def test_abi__every_event__projected_or_deliberately_ignored_never_both() -> None:
    handled = set(projection.HANDLERS)
    ignored = {(c, projection.SIGNATURES[(c, s)].topic0) for c, s in projection.IGNORED}
    every = {(c, topic0) for c, table in EVENT_TYPES.items() for topic0 in table}

    assert handled | ignored == every, sorted(
        (c, EVENT_TYPES[c][t].signature) for c, t in every - handled - ignored
    )
    assert not handled & ignored


def test_on__a_signature_the_abi_lacks__fails_naming_it() -> None:
    with pytest.raises(projection.AbiMismatch, match=r"BPC has no event Transfer\(address,"):
        projection.on("BPC", "Transfer(address,address,uint128)")  # a re-typed value

    with pytest.raises(projection.AbiMismatch, match="Alliance has no event Joined"):
        projection.on("Alliance", "Joined(address)")  # a renamed event


def test_on__the_same_event_twice__refused() -> None:
    with pytest.raises(projection.AbiMismatch, match="two projections"):
        projection.on("BPC", "Transfer(address,address,uint256)")(lambda self, ev: None)


def test_tokens__one_handler__projects_both_transfers() -> None:
    topic = next(t for t, e in EVENT_TYPES["BPC"].items() if e.name == "Transfer")

    assert projection.HANDLERS[("BPC", topic)] is projection.HANDLERS[("BPR", topic)]


def test_cid__any_digest__the_cid_bpsa_cid_gives() -> None:
    for digest in [bytes(32), b"\xff" * 32, *(os.urandom(32) for _ in range(200))]:
        assert projection._cid("0x" + digest.hex()) == cid_from_digest(digest)


def test_row_projection__a_column_its_table_lacks__fails_naming_it() -> None:
    with pytest.raises(projection.AbiMismatch, match="channels has no column depositt"):
        projection.updates(db.Channel, "channel", copy="depositt")  # a misspelt column

    with pytest.raises(projection.AbiMismatch, match="settings has no column pool_share_bps"):
        projection.sets_settings(pool_share_bps=projection.arg("pool_share_bps"))
