"""The deployment manifest: which contract lives where on which chain.

`scripts/deploy.py` writes `deployments/<network>.json`; every tool that needs an
address (admin scripts, `ape console`, oracle nodes, the indexer) reads it here.

    {
      "network": "local",
      "ecosystem": "ethereum",
      "chain_id": 31337,
      "deployer": "0x...",
      "contracts": {"Alliance": {"address": "0x...", "block": 3}, ...}
    }
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bpsa.errors import ManifestError

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
class Manifest:
    network: str
    ecosystem: str
    chain_id: int
    deployer: str
    contracts: dict[str, Deployed] = field(default_factory=dict)

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
        return cls(
            network=data["network"],
            ecosystem=data["ecosystem"],
            chain_id=data["chain_id"],
            deployer=data["deployer"],
            contracts=contracts,
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
