"""The query service's settings: where the deployment, the node, the database and the
channel hub are, and what a paid query costs. Built from the command line
(`python -m bpsa.api`) or directly by tests; every value is checked here."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_PRICE = 10**15  # 0.001 BPC a patent search, as in the demo


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    manifest: Path = Field(description="The deployment manifest (deployments/<network>.json).")
    rpc_url: str = Field(description="The node's JSON-RPC URL (http://host:port).")
    database_url: str = Field(
        description="The indexer's database: a SQLite file path or an SQLAlchemy URL "
        "(sqlite:///..., postgresql+psycopg://...)."
    )
    hub_url: str | None = Field(None, description="The channel hub's URL, told to payers.")
    hub: str | None = Field(
        None, description="The hub's address; read from Channels.HUB() when not given."
    )
    price_wei: int = Field(DEFAULT_PRICE, ge=0, description="BPC wei per paid search.")
    payments_db: Path = Field(
        Path("build/api/payments.sqlite"),
        description="The payment gate's SQLite file (receipts already redeemed).",
    )
    ipfs_api: str | None = Field(
        None,
        description="An IPFS daemon's RPC API (multiaddr or http://host:port) holding the "
        "patent documents: answers name a document larger than 256 KiB by its file CID "
        "(bafybei...), read off its root block. Without it (and without store_dir) "
        "`document_cid` is the digest's raw reading, right for documents of one chunk.",
    )
    store_dir: Path | None = Field(
        None, description="A local content store's directory, the same role as ipfs_api."
    )
    root_ttl: float = Field(
        2.0,
        ge=0,
        le=3600,
        description="Seconds a batch root read from the chain answers device scans "
        "(0: read the chain for every scan).",
    )

    @field_validator("hub")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"0x[0-9a-fA-F]{40}", value):
            raise ValueError(f"the hub must be a 0x address, got {value!r}")
        return value

    @field_validator("rpc_url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"the RPC URL must be http(s)://host:port, got {value!r}")
        return value
