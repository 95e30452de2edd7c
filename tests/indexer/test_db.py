"""The query database's conventions: exact uint256 on both backends, URLs and paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from bpsa.api import db
from bpsa.core.errors import InputError

VALUES = [0, 2, 10, 10**18 + 1, 2**255, 2**256 - 1]


def _points(values: list[int]) -> list[db.NavPoint]:
    return [
        db.NavPoint(chain_id=1, block_number=i, block_time=0, pooled_value=v, supply=1, nav=None)
        for i, v in enumerate(values)
    ]


def test_uint256__stored_and_compared__exact_and_numeric_order_on_both_backends(
    db_target: str, open_engine: Any
) -> None:
    engine = open_engine(db_target)
    with db.session(engine) as s:
        s.add_all(_points(list(reversed(VALUES))))

    with db.session(engine) as s:
        ordered = s.scalars(select(db.NavPoint.pooled_value).order_by(db.NavPoint.pooled_value))
        above = s.scalars(select(db.NavPoint.pooled_value).where(db.NavPoint.pooled_value > 9))
        assert list(ordered) == VALUES
        assert sorted(above) == [v for v in VALUES if v > 9]


@pytest.mark.parametrize("value", [-1, 2**256])
def test_uint256__outside_the_range__refused(value: int, open_engine: Any) -> None:
    engine = open_engine(":memory:")

    with pytest.raises(StatementError, match="is not a uint256"), db.session(engine) as s:
        s.add_all(_points([value]))


@pytest.mark.parametrize(
    ("target", "url"),
    [
        ("postgres://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
        ("postgresql://u@h:5/d", "postgresql+psycopg://u@h:5/d"),
        ("sqlite:///x.db", "sqlite:///x.db"),
        (":memory:", "sqlite://"),
    ],
)
def test_url_of__accepted_forms__the_driver_url(target: str, url: str) -> None:
    assert db.url_of(target) == url


def test_url_of__a_directory__refused(tmp_path: Path) -> None:
    with pytest.raises(db.DatabaseError, match="is a directory"):
        db.url_of(str(tmp_path))


@pytest.mark.parametrize(
    ("normalise", "good", "bad"),
    [(db.addr, "0x" + "aB" * 20, "0x12"), (db.hex32, "0x" + "Cd" * 32, "12" * 32)],
)
def test_normalisers__user_input__lowercase_or_input_error(
    normalise: Any, good: str, bad: str
) -> None:
    assert normalise(good) == good.lower()
    with pytest.raises(InputError, match="0x-prefixed"):
        normalise(bad)
