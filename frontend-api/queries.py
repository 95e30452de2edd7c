"""Rows of the indexer's database as the API's bodies, and paging. Reads only.

A row's body is its entity's JSON (`entity.to_json`: the fields its table declares for
the API, see entity.py); this module pages them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bpsa.api.entity import label, to_json
from bpsa.api.errors import not_found

__all__ = ["each", "filtered", "label", "one", "page", "to_json"]


def page(
    session: Session,
    stmt: Select[Any],
    limit: int,
    offset: int,
    convert: Callable[[Any], Any] = to_json,
) -> dict[str, Any]:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.scalars(stmt.limit(limit).offset(offset)).all()
    following = offset + len(rows)
    return {
        "items": [convert(r) for r in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_offset": following if following < total else None,
    }


def each(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Each row's entity JSON."""
    return [to_json(r) for r in rows]


def one(session: Session, entity: type[Any], key: tuple[Any, ...], missing: str) -> Any:
    """The row of `entity` with primary key `key`; 404 `not_found` saying `missing` if none."""
    row = session.get(entity, key)
    if row is None:
        raise not_found(missing)
    return row


def filtered(stmt: Select[Any], *conditions: tuple[Any, Any, Callable[[Any], Any]]) -> Select[Any]:
    """`stmt` narrowed by each (column, given, stored) whose query parameter was given:
    the column equals `stored(given)` (a name to its code, an address to its stored form).
    A list route's optional filters."""
    for column, given, stored in conditions:
        if given:
            stmt = stmt.where(column == stored(given))
    return stmt


def latest(session: Session, entity: Any, chain_id: int) -> Any:
    """The newest row of a per-block table (by `block_number`) on `chain_id`, or None."""
    return session.scalars(
        select(entity)
        .where(entity.chain_id == chain_id)
        .order_by(entity.block_number.desc())
        .limit(1)
    ).first()
