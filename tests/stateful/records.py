"""What the models' records share: how one reads as the contract's struct."""

from __future__ import annotations

from dataclasses import fields

# A record's field the contract does not store: `struct_of` leaves it out.
OFF_CHAIN = {"off_chain": True}


def struct_of(record: object) -> tuple[object, ...]:
    """A model's record as the contract's getter returns its struct: its fields in order,
    but those marked OFF_CHAIN."""
    kept = (f for f in fields(record) if not f.metadata.get("off_chain"))  # type: ignore[arg-type]
    return tuple(getattr(record, f.name) for f in kept)
