"""An oracle process's configuration: a TOML file, then the environment on top.

    [chain]
    rpc = "http://127.0.0.1:8545"          # BPSA_ORACLE_RPC
    manifest = "deployments/local.json"    # BPSA_ORACLE_MANIFEST
    confirmations = 12                     # BPSA_ORACLE_CONFIRMATIONS: how deep a block
                                           # must be before a node acts on it (default:
                                           # 0 on a local chain, 12 elsewhere)

    [store]
    ipfs_api = "/ip4/127.0.0.1/tcp/5001/http"   # BPSA_IPFS_API; without it, `directory`
    directory = ".oracle/store"                 # an embedded content store on disk

    [feed]
    path = "oracle/data/sample_office_feed.json"   # BPSA_ORACLE_FEED (JSON or CSV)

    [board]
    path = ".oracle/board.sqlite"          # BPSA_ORACLE_BOARD

    [node]                                 # one section per process: [node] or [aggregator]
    name = "node1"
    keystore = "~/.ape/accounts/node1.json"    # an `ape accounts` keystore ...
    password_env = "BPSA_NODE1_PASSWORD"       # ... whose password is in this variable
    # test_account = 12                        # or ape's test account n (local chains only)
    poll_seconds = 1.0

    [monitor]                              # the infringement monitor (bpsa-oracle monitor)
    test_account = 10
    confirmations = 6                      # act on a verdict, count a filing, N blocks deep

Keys never live in the repository or the config: a keystore path (ape's own
`~/.ape/accounts/<alias>.json` works) with its password in an environment variable,
or, on a local chain (chain id 31337 or 1337), one of the test accounts.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount

from bpsa.core.accounts import LOCAL_CHAIN_IDS, account_from
from bpsa.core.errors import InputError

__all__ = ["LOCAL_CHAIN_IDS", "Config", "account_from", "default_confirmations", "load"]
# Blocks a submission must be under before a node acts on it, off a local chain: a
# reorganisation deeper than this is beyond what the nodes recover from by rescanning.
DEFAULT_CONFIRMATIONS = 12


def default_confirmations(chain_id: int) -> int:
    """0 on a local chain (it mines only when sent a transaction), else 12."""
    return 0 if chain_id in LOCAL_CHAIN_IDS else DEFAULT_CONFIRMATIONS


@dataclass(frozen=True)
class Config:
    rpc: str
    manifest: Path
    ipfs_api: str | None
    store_directory: Path
    feed: Path  # only nodes read the feed (Path("") when not given)
    board: Path
    role: dict[str, Any]  # the [node] or [aggregator] section
    confirmations: int | None = None  # None: default_confirmations(chain id)

    @property
    def name(self) -> str:
        return str(self.role.get("name", "node"))

    @property
    def poll(self) -> float:
        return float(self.role.get("poll_seconds", 1.0))

    def account(self, chain_id: int) -> LocalAccount:
        return account_from(self.role, chain_id, "BPSA_ORACLE_PASSWORD", self.name)

    def depth(self, chain_id: int) -> int:
        """The confirmations a block needs before a node acts on it."""
        if self.confirmations is None:
            return default_confirmations(chain_id)
        return self.confirmations


def load(path: Path, role: str) -> Config:
    """The configuration in `path` for a `role` ("node" or "aggregator")."""
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the oracle configuration {path}: {exc}") from None
    env = os.environ

    def pick(section: str, key: str, variable: str, default: Any = None) -> Any:
        value = env.get(variable) or data.get(section, {}).get(key, default)
        if value is None:
            raise InputError(f"{path}: set [{section}] {key} (or ${variable})")
        return value

    if role not in data:
        raise InputError(f"{path} has no [{role}] section")
    depth = env.get("BPSA_ORACLE_CONFIRMATIONS") or data.get("chain", {}).get("confirmations")
    confirmations = None
    if depth is not None:
        try:
            confirmations = int(depth)
        except (TypeError, ValueError):
            raise InputError(f"{path}: [chain] confirmations must be a whole number") from None
        if confirmations < 0:
            raise InputError(f"{path}: [chain] confirmations cannot be negative")
    return Config(
        rpc=str(pick("chain", "rpc", "BPSA_ORACLE_RPC")),
        manifest=Path(str(pick("chain", "manifest", "BPSA_ORACLE_MANIFEST"))),
        ipfs_api=env.get("BPSA_IPFS_API") or data.get("store", {}).get("ipfs_api"),
        store_directory=Path(str(data.get("store", {}).get("directory", ".oracle/store"))),
        feed=Path(str(pick("feed", "path", "BPSA_ORACLE_FEED", ""))),
        board=Path(str(pick("board", "path", "BPSA_ORACLE_BOARD", ".oracle/board.sqlite"))),
        role=dict(data[role]),
        confirmations=confirmations,
    )
