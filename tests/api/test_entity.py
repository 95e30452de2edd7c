"""Each entity is declared once (its table in db.py): its JSON and its OpenAPI model are
derived from that declaration and must agree with each other for every entity."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Boolean, Integer, String

from bpsa.api import db, entity
from bpsa.api.routes import licensing, pool, sale, search
from bpsa.core import codes

ENTITIES = sorted(
    (m.class_ for m in db.Base.registry.mappers if hasattr(m.class_, "__api__")),
    key=lambda cls: cls.__name__,
)


def _sample(key: str, col: Any) -> Any:
    """A value of the column's type as the indexer would store it."""
    if col.type.python_type is bool or isinstance(col.type, Boolean):
        return True
    if isinstance(col.type, db.Uint256):
        return 2**255 + 7  # past any JSON number: must travel as a decimal string
    if isinstance(col.type, Integer):
        return 3 if key != "status" else 2
    if isinstance(col.type, String) and col.type.length == 42:
        return "0x" + "ab" * 20
    if isinstance(col.type, String) and col.type.length == 66:
        return "0x" + "cd" * 32
    shown = col.info.get("api")
    if shown is not None and shown.out is not None and hasattr(shown.out, "__args__"):
        return shown.out.__args__[0]  # a Literal's first value
    if isinstance(col.type, String):
        return "text"
    return {"arg": "1"}


def _row(cls: type[Any]) -> Any:
    columns = cls.__mapper__.columns
    return cls(**{key: _sample(key, col) for key, col in columns.items()})


def test_entities__the_api_serves__each_declares_its_schema() -> None:
    names = {cls.__api__ for cls in ENTITIES}

    assert {"MemberOut", "PatentOut", "LicenceOut", "CaseOut", "NavPointOut"} <= names
    assert len(names) == len(ENTITIES)  # one schema name per entity


@pytest.mark.parametrize("cls", ENTITIES, ids=lambda c: c.__name__)
def test_to_json__a_full_row__validates_against_its_model_field_for_field(cls: type[Any]) -> None:
    body = entity.to_json(_row(cls))
    model = entity.model(cls)

    assert list(body) == list(model.model_fields)  # the same fields, in the same order
    assert model.model_validate(body).model_dump(mode="json") == body
    assert "chain_id" not in body


@pytest.mark.parametrize("cls", ENTITIES, ids=lambda c: c.__name__)
def test_to_json__nullable_columns_empty__still_valid(cls: type[Any]) -> None:
    row = _row(cls)
    for key, col in cls.__mapper__.columns.items():
        if col.nullable and not col.primary_key:
            setattr(row, key, None)

    entity.model(cls).model_validate(entity.to_json(row))


def test_member__declared_columns__shown_as_declared() -> None:
    row = _row(db.Member)
    row.roles = int(codes.Role.PROVIDER) | int(codes.Role.EXPERT)
    row.kind = int(codes.Kind.SME)

    body = entity.to_json(row)

    assert body["roles"] == ["provider", "expert"]  # computed from the bits
    assert body["role_bits"] == row.roles  # the column, renamed
    assert body["kind"] == {"code": int(codes.Kind.SME), "label": "sme"}
    assert "updated_block" not in body  # private


def test_uint256_column__shown_as_decimal_text_unless_declared_an_int() -> None:
    batch = _row(db.DeviceBatch)

    body = entity.to_json(batch)

    assert body["fee"] == str(2**255 + 7)
    assert body["count"] == 2**255 + 7  # declared out=int


def test_openapi__every_entity_schema__is_its_generated_model() -> None:
    app = FastAPI()
    for router in (pool.router, licensing.router, sale.router, search.router):
        app.include_router(router)
    published = app.openapi()["components"]["schemas"]

    for cls in ENTITIES:
        generated = entity.model(cls).model_json_schema(ref_template="#/components/schemas/{model}")
        assert published[cls.__api__]["properties"] == generated["properties"], cls.__api__
