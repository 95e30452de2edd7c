"""The alliance's patent collections, one per field, each on its own chain with its own
index token (the whitepaper's BPC, APC, DPC, QPC and GPC). A collection is the same
suite deployed with that field's names; `scripts/deploy.py --collection APC` deploys
one, and `--sibling-of <network>` links its manifest and an existing one both ways, so
every deployment manifest knows every collection (`bpsa.core.manifest.Manifest.sibling`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bpsa.core.errors import InputError
from bpsa.sdk.deploy import PoolParams


@dataclass(frozen=True)
class Field:
    symbol: str
    field: str
    token_name: str


FIELDS = {
    f.symbol: f
    for f in (
        Field("BPC", "blockchain", "Blockchain Patent Coin"),
        Field("APC", "artificial intelligence", "AI Patent Coin"),
        Field("DPC", "big data", "Big Data Patent Coin"),
        Field("QPC", "quantum", "Quantum Patent Coin"),
        Field("GPC", "genes", "Gene Patent Coin"),
    )
}


def params_for(symbol: str, base: PoolParams | None = None) -> PoolParams:
    """`base` (the defaults when None) renamed for collection `symbol`."""
    found = FIELDS.get(symbol.upper())
    if found is None:
        known = ", ".join(FIELDS)
        raise InputError(f"no collection {symbol!r}: the collections are {known}")
    return replace(
        base or PoolParams(),
        collection=found.symbol,
        token_name=found.token_name,
        token_symbol=found.symbol,
    )
