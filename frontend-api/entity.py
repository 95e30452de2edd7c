"""One description per entity: its table, its JSON and its OpenAPI model.

An entity (a member, a patent, a licence, a case...) is declared once, as an SQLAlchemy 2
declarative class in `db.py`. Each column says, beside its SQL type, how the API shows it:

    class Member(Base):
        __tablename__ = "members"
        __api__ = "MemberOut"                      # the OpenAPI schema's name
        chain_id: Mapped[int] = ChainId()          # every row's chain: never shown
        address: Mapped[str] = Address(primary_key=True)
        kind: Mapped[int] = column(Integer, label=codes.Kind)   # {"code": 3, "label": "sme"}
        role_names = computed(list[str], lambda m: codes.role_names(m.roles), api_name="roles")
        roles: Mapped[int] = column(BigInteger, api_name="role_bits")
        updated_block: Mapped[int] = column(BigInteger, private=True)   # bookkeeping

From that one class come:
- the table (SQLAlchemy's own work: `Base.metadata`);
- the pydantic model the routes declare and OpenAPI publishes: `model(db.Member)`;
- the row's JSON, field by field as the model says: `to_json(row)`.

The API's type of a column follows from its SQL type unless `out=` names another:
`Uint256` columns are decimal strings (`Wei`), `Address` columns checksummed 0x strings
(EIP-55; the database keeps them lowercase), `Hex32` columns lowercase 0x strings, other
columns their Python type; a nullable column may be null. `label=` shows a `bpsa.core.codes`
number as `{"code", "label"}`; `api_name=` renames; `private=True` keeps a column out of
the API; `computed(...)` adds a field the row's columns give (placed where it is declared).
The columns' order is the JSON's and the schema's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum, IntFlag
from typing import Annotated, Any, get_args, get_origin

from eth_utils.address import to_checksum_address
from pydantic import BaseModel, Field, create_model
from sqlalchemy import JSON
from sqlalchemy.orm import MappedColumn, mapped_column

from bpsa.core import codes

# ---------------------------------------------------------------- the API's scalar types

Address = Annotated[
    str,
    Field(pattern=r"^0x[0-9a-fA-F]{40}$", examples=["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"]),
]
Hex32 = Annotated[str, Field(pattern=r"^0x[0-9a-f]{64}$", examples=["0x" + "ab" * 32])]
Uint = Annotated[
    str,
    Field(pattern=r"^[0-9]+$", description="A uint256 in decimal.", examples=["1000000000000000"]),
]
Wei = Annotated[str, Field(pattern=r"^[0-9]+$", description="BPC wei (18 decimals), decimal.")]


class Label(BaseModel):
    code: int
    label: str = Field(examples=["pooled"])


def label(enum: type[IntEnum] | type[IntFlag], value: int | None) -> dict[str, Any] | None:
    """A `bpsa.core.codes` number as the API shows it; "unknown" for a number the enum lacks."""
    if value is None:
        return None
    try:
        text = codes.label(enum(value))
    except ValueError:
        text = "unknown"
    return {"code": value, "label": text}


# ---------------------------------------------------------------- declaring


@dataclass(frozen=True)
class Shown:
    """How one column appears in the API (kept in the column's `info["api"]`)."""

    out: Any = None  # the API's type; None: from the SQL type
    api_name: str | None = None
    label: type[IntEnum] | type[IntFlag] | None = None
    description: str | None = None
    examples: list[Any] | None = None
    private: bool = False


@dataclass(frozen=True)
class Computed:
    """A field of the API that is no column: `get(row)` gives it."""

    out: Any
    get: Callable[[Any], Any]
    api_name: str | None = None
    description: str | None = None
    examples: list[Any] | None = None


def column(
    sql_type: Any,
    *,
    out: Any = None,
    api_name: str | None = None,
    label: type[IntEnum] | type[IntFlag] | None = None,
    description: str | None = None,
    examples: list[Any] | None = None,
    private: bool = False,
    **kw: Any,
) -> MappedColumn[Any]:
    """`mapped_column(sql_type, **kw)` that also says how the API shows the column."""
    shown = Shown(out, api_name, label, description, examples, private)
    return mapped_column(sql_type, info={"api": shown}, **kw)


def computed(
    out: Any,
    get: Callable[[Any], Any],
    *,
    api_name: str | None = None,
    description: str | None = None,
    examples: list[Any] | None = None,
) -> Computed:
    """A field of the entity's JSON computed from its row (no column)."""
    return Computed(out, get, api_name, description, examples)


# ---------------------------------------------------------------- deriving


@dataclass(frozen=True)
class _Field:
    name: str
    annotation: Any
    info: dict[str, Any]
    get: Callable[[Any], Any]


def _is_text(annotation: Any) -> bool:
    """Whether the API's type is a string (a uint shown in decimal)."""
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation is str


def _attribute(key: str) -> Callable[[Any], Any]:
    def get(row: Any) -> Any:
        return getattr(row, key)

    return get


def _column_field(key: str, col: Any) -> _Field | None:
    shown: Shown = col.info.get("api") or Shown()
    if shown.private:
        return None
    get = _attribute(key)
    if shown.label is not None:
        enum = shown.label
        out: Any = Label

        def get(row: Any, raw: Callable[[Any], Any] = get) -> Any:
            return label(enum, raw(row))

    elif shown.out is Address:  # stored lowercase (db.addr), shown checksummed (EIP-55)

        def get(row: Any, raw: Callable[[Any], Any] = get) -> Any:
            value = raw(row)
            return None if value is None else to_checksum_address(value)

        out = Address
    elif shown.out is not None:
        out = shown.out
    elif isinstance(col.type, JSON):
        out = dict[str, Any]
    else:  # a type may name its API type (db.Uint256: Wei), else its Python type
        out = getattr(col.type, "api_type", None) or col.type.python_type
    if out is not Label and _is_text(out) and col.type.python_type is int:

        def get(row: Any, raw: Callable[[Any], Any] = get) -> Any:
            value = raw(row)
            return None if value is None else str(value)

    if col.nullable and not col.primary_key:
        out = out | None
    info = {"description": shown.description, "examples": shown.examples}
    return _Field(shown.api_name or key, out, info, get)


_FIELDS: dict[type[Any], list[_Field]] = {}


def fields(entity: type[Any]) -> list[_Field]:
    """The API's fields of an entity, in declaration order."""
    cached = _FIELDS.get(entity)
    if cached is not None:
        return cached
    columns = entity.__mapper__.columns
    out: list[_Field] = []
    for key, value in vars(entity).items():
        if isinstance(value, Computed):
            info = {"description": value.description, "examples": value.examples}
            out.append(_Field(value.api_name or key, value.out, info, value.get))
        elif key in columns:
            found = _column_field(key, columns[key])
            if found is not None:
                out.append(found)
    _FIELDS[entity] = out
    return out


_MODELS: dict[type[Any], type[BaseModel]] = {}


def model(entity: type[Any]) -> Any:
    """The pydantic model (OpenAPI schema `entity.__api__`) of an entity's JSON.

    Typed Any: it is built at import, so a type checker knows no class of that name."""
    if entity not in _MODELS:
        definitions: dict[str, Any] = {}
        for f in fields(entity):
            info = {k: v for k, v in f.info.items() if v is not None}
            definitions[f.name] = (f.annotation, Field(**info))
        _MODELS[entity] = create_model(entity.__api__, **definitions)
    return _MODELS[entity]


def to_json(row: Any) -> dict[str, Any]:
    """A row as its entity's model describes it (what the routes answer)."""
    return {f.name: f.get(row) for f in fields(type(row))}
