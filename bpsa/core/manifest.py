"""The deployment manifest: which contract lives where on which chain.

`scripts/deploy.py` writes `deployments/<network>.json`; every tool that needs an
address (admin scripts, `ape console`, oracle nodes, the indexer) reads it here.

    {
      "network": "local",
      "ecosystem": "ethereum",
      "chain_id": 31337,
      "deployer": "0x...",
      "contracts": {"Alliance": {"address": "0x...", "block": 3}, ...},
      "collection": "BPC",
      "collections": {"APC": {"network": "sibling", "chain_id": 31338}}
    }

`collection` is the symbol of the collection this chain's pool holds (BPC when absent,
for manifests written before collections); `collections` names every sibling
collection deployed on another chain, each with the network name of its own manifest
(`deployments/<network>.json`, beside this one) and its chain id.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bpsa.core.errors import ManifestError

_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")
_NETWORK = re.compile(r"^[A-Za-z0-9_.-]+$")


def deployments_dir() -> Path:
    """`$BPSA_DEPLOYMENTS_DIR`, or `deployments/` under the current directory."""
    return Path(os.environ.get("BPSA_DEPLOYMENTS_DIR", "deployments"))


@dataclass(frozen=True)
class Deployed:
    address: str
    block: int


@dataclass(frozen=True)
class Sibling:
    """A collection deployed on another chain: where its manifest is, which chain."""

    network: str
    chain_id: int


_SYMBOL = re.compile(r"^[A-Z]{1,5}$")


@dataclass(frozen=True)
class Manifest:
    network: str
    ecosystem: str
    chain_id: int
    deployer: str
    contracts: dict[str, Deployed] = field(default_factory=dict)
    collection: str = "BPC"
    collections: dict[str, Sibling] = field(default_factory=dict)

    def sibling(self, symbol: str, directory: Path | None = None) -> Manifest:
        """The manifest of sibling collection `symbol`, read from beside this one."""
        entry = self.collections.get(symbol)
        if entry is None:
            known = ", ".join(sorted(self.collections)) or "none"
            raise ManifestError(
                f"the {self.network} manifest knows no collection {symbol!r} (known: {known})"
            )
        sibling = load(entry.network, directory)
        if sibling.chain_id != entry.chain_id or sibling.collection != symbol:
            raise ManifestError(
                f"deployments/{entry.network}.json holds {sibling.collection} on chain "
                f"{sibling.chain_id}, not {symbol} on chain {entry.chain_id}"
            )
        return sibling

    def with_sibling(self, symbol: str, network: str, chain_id: int) -> Manifest:
        """This manifest, knowing collection `symbol` on `network` (chain `chain_id`)."""
        if symbol == self.collection or chain_id == self.chain_id:
            raise ManifestError(
                f"{symbol} on chain {chain_id} is not a sibling of {self.collection} "
                f"on chain {self.chain_id}"
            )
        collections = {**self.collections, symbol: Sibling(network, chain_id)}
        return replace(self, collections=collections)

    def address(self, name: str) -> str:
        """The address of contract `name`; `ManifestError` names the known ones if absent."""
        try:
            return self.contracts[name].address
        except KeyError:
            known = ", ".join(sorted(self.contracts)) or "none"
            raise ManifestError(
                f"no contract {name!r} in the {self.network} manifest (known: {known})"
            ) from None

    def to_json(self) -> dict[str, Any]:
        return {
            "network": self.network,
            "ecosystem": self.ecosystem,
            "chain_id": self.chain_id,
            "deployer": self.deployer,
            "contracts": {
                name: {"address": d.address, "block": d.block}
                for name, d in sorted(self.contracts.items())
            },
            "collection": self.collection,
            "collections": {
                symbol: {"network": s.network, "chain_id": s.chain_id}
                for symbol, s in sorted(self.collections.items())
            },
        }

    @classmethod
    def from_json(cls, data: Any, source: str = "manifest") -> Manifest:
        """Parse and validate; every problem is reported with the field it is in."""
        if not isinstance(data, dict):
            raise ManifestError(f"{source}: expected a JSON object")
        for key, kind in (
            ("network", str),
            ("ecosystem", str),
            ("chain_id", int),
            ("deployer", str),
            ("contracts", dict),
        ):
            if not isinstance(data.get(key), kind) or isinstance(data.get(key), bool):
                raise ManifestError(f"{source}: field {key!r} must be a {kind.__name__}")
        contracts: dict[str, Deployed] = {}
        for name, entry in data["contracts"].items():
            where = f"{source}: contracts.{name}"
            if not isinstance(entry, dict):
                raise ManifestError(f"{where} must be an object with address and block")
            address, block = entry.get("address"), entry.get("block")
            if not isinstance(address, str) or not _ADDRESS.match(address):
                raise ManifestError(f"{where}.address must be a 0x-prefixed 20-byte hex address")
            if not isinstance(block, int) or isinstance(block, bool) or block < 0:
                raise ManifestError(f"{where}.block must be a non-negative integer")
            contracts[name] = Deployed(address=address, block=block)
        collection = data.get("collection", "BPC")
        if not isinstance(collection, str) or not _SYMBOL.match(collection):
            raise ManifestError(f"{source}: collection must be a token symbol like 'APC'")
        siblings = data.get("collections", {})
        if not isinstance(siblings, dict):
            raise ManifestError(f"{source}: collections must be an object")
        collections: dict[str, Sibling] = {}
        for symbol, entry in siblings.items():
            where = f"{source}: collections.{symbol}"
            if not _SYMBOL.match(symbol):
                raise ManifestError(f"{where}: the key must be a token symbol like 'APC'")
            if not isinstance(entry, dict):
                raise ManifestError(f"{where} must be an object with network and chain_id")
            network, chain_id = entry.get("network"), entry.get("chain_id")
            if not isinstance(network, str) or not _NETWORK.match(network):
                raise ManifestError(f"{where}.network must be a plain network name")
            if not isinstance(chain_id, int) or isinstance(chain_id, bool) or chain_id <= 0:
                raise ManifestError(f"{where}.chain_id must be a positive integer")
            collections[symbol] = Sibling(network, chain_id)
        return cls(
            network=data["network"],
            ecosystem=data["ecosystem"],
            chain_id=data["chain_id"],
            deployer=data["deployer"],
            contracts=contracts,
            collection=collection,
            collections=collections,
        )


def manifest_path(network: str, directory: Path | None = None) -> Path:
    if not _NETWORK.match(network):
        raise ManifestError(f"network name {network!r} is not a plain name like 'sepolia'")
    return (directory or deployments_dir()) / f"{network}.json"


def load(network: str, directory: Path | None = None) -> Manifest:
    """Read `deployments/<network>.json`."""
    path = manifest_path(network, directory)
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise ManifestError(
            f"no deployment manifest at {path}: deploy first (ape run deploy --network ...)"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path}: not valid JSON ({exc})") from None
    return Manifest.from_json(data, source=str(path))


def save(manifest: Manifest, directory: Path | None = None) -> Path:
    """Write the manifest atomically (a crash never leaves half a file)."""
    path = manifest_path(manifest.network, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest.to_json(), indent=2) + "\n")
    tmp.replace(path)
    return path


# Manifest name -> contract type in contracts/.
CONTRACT_TYPES = {
    "Council": "Governance",
    "Alliance": "Alliance",
    "Congress": "Governance",
    "Certificates": "Certificates",
    "Fund": "Fund",
    "BPC": "BPC",
    "Royalties": "Royalties",
    "PatentPool": "PatentPool",
    "Mandates": "Mandates",
    "Coverage": "Coverage",
    "Families": "Families",
    "BPR": "BPR",
    "Licensing": "Licensing",
    "Infringements": "Infringements",
    "Channels": "Channels",
    "Exchange": "Exchange",
    "Sale": "Sale",
}
