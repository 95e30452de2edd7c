"""Finding the common ancestor after a reorganisation: the newest stored block the
chain still has, shallow (one call) or deep (bisection over the stored blocks)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bpsa.api import db
from bpsa.api.indexer import Indexer
from bpsa.core.manifest import Deployed, Manifest

STORED = range(10, 1010, 2)  # 500 stored blocks: 10, 12, ..., 1008


class ForkedChain:
    """Answers eth_getBlockByNumber like a node whose chain forked after `kept`."""

    def __init__(self, kept: int, head: int) -> None:
        self.kept, self.head, self.calls = kept, head, 0
        self.url = "http://fake"

    def batch(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
        self.calls += 1
        out: list[dict[str, str] | None] = []
        for _, (number, _) in calls:
            n = int(number, 16)
            if n > self.head:
                out.append(None)
            else:
                out.append({"hash": _hash(n, "old" if n <= self.kept else "new")})
        return out


def _hash(n: int, branch: str) -> str:
    return "0x" + f"{branch}{n}".encode().hex().ljust(64, "0")


@pytest.fixture
def stored(open_engine: Any) -> Any:
    engine = open_engine(":memory:")
    with db.session(engine) as s:
        s.add_all(db.Block(chain_id=1, number=n, hash=_hash(n, "old"), time=n) for n in STORED)
    return engine


def _ancestor(engine: Any, chain: ForkedChain) -> tuple[int, str | None, int]:
    manifest = Manifest("t", "ethereum", 1, "0x", {"BPC": Deployed("0x" + "11" * 20, 5)})
    indexer = Indexer(manifest, "http://fake", engine)
    indexer.rpc.close()
    indexer.rpc = chain  # type: ignore[assignment]
    with Session(engine) as s:
        return indexer.common_ancestor(s)


@pytest.mark.parametrize(
    ("kept", "head", "expected", "most_calls"),
    [
        (1001, 1008, 1000, 1),  # shallow: found in the newest hundred, one call
        (317, 1008, 316, 12),  # deep: bisected
        (317, 400, 316, 12),  # deep, and the new chain is shorter
        (10, 1008, 10, 12),  # only the oldest stored block survives
    ],
)
def test_common_ancestor__fork_depth__newest_stored_block_still_on_chain(
    stored: Any, kept: int, head: int, expected: int, most_calls: int
) -> None:
    chain = ForkedChain(kept, head)

    number, block_hash, time = _ancestor(stored, chain)

    assert (number, block_hash, time) == (expected, _hash(expected, "old"), expected)
    assert chain.calls <= most_calls


def test_common_ancestor__no_stored_block_left__before_the_first_deployment(
    stored: Any,
) -> None:
    assert _ancestor(stored, ForkedChain(5, 1008)) == (4, None, 0)
