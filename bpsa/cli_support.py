"""Pieces the `ape run` scripts share: picking accounts, loading the suite, reporting errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from bpsa.core.errors import BpsaError, InputError

F = TypeVar("F", bound=Callable[..., Any])

LOCAL_NETWORKS = {"local", "sibling"}  # sibling: the second anvil (ape-config.yaml)


def file_opt(help: str, *, required: bool = True, exists: bool = False) -> Callable[[F], F]:
    """`--file PATH` (to the parameter `path`): a file a command writes, or reads when it
    must `exist`."""
    path = click.Path(exists=exists, dir_okay=False, path_type=Path)
    return click.option("--file", "path", required=required, type=path, help=help)


def current_network() -> str:
    """The name of the network ape is connected to ("local", "sepolia", ...)."""
    from ape import chain

    return str(chain.provider.network.name)


def resolve_account(alias: str | None) -> Any:
    """`TEST::n` (ape's test accounts, local chains only) or an `ape accounts` alias.

    Without an alias a local chain uses TEST::0; a live network requires one."""
    from ape import accounts

    network = current_network()
    if not alias:
        if network in LOCAL_NETWORKS:
            return accounts.test_accounts[0]
        raise InputError(f"--account is required on {network} (an alias from `ape accounts list`)")
    if alias.upper().startswith("TEST::"):
        if network not in LOCAL_NETWORKS:
            raise InputError(f"test account {alias} exists only on a local chain, not on {network}")
        index = alias[6:]
        count = len(accounts.test_accounts)
        if not index.isdigit() or int(index) >= count:
            raise InputError(f"{alias!r}: expected TEST::0 to TEST::{count - 1}")
        return accounts.test_accounts[int(index)]
    try:
        return accounts.load(alias)
    except Exception:
        known = ", ".join(a.alias for a in accounts if getattr(a, "alias", None)) or "none"
        raise InputError(f"no ape account named {alias!r} (known: {known})") from None


def load_suite() -> Any:
    """The suite from `deployments/<network>.json`, bound to the connected chain."""
    from ape import chain, project

    from bpsa.core import manifest
    from bpsa.sdk.alliance import Suite

    return Suite.load(manifest.load(current_network()), project, chain)


def agreement_of(value: str) -> bytes:
    """`--agreement FILE|CID` (and the admin's agreement argument): a file is stored as an
    IPFS file and pinned (the daemon at BPSA_IPFS_API, else the local store in
    BPSA_STORE_DIR) and named by its digest; a CID (or 0x digest) is taken as given."""
    from bpsa.sdk.licensing import agreement_cid, agreement_digest

    if not Path(value).is_file():
        return agreement_digest(value)
    from bpsa.oracle.store import open_store

    store = open_store()
    digest = agreement_digest(value, store)
    click.echo(f"{value} pinned as {agreement_cid(digest, store)}", err=True)
    return digest


def clear_errors(fn: F) -> F:
    """Report `BpsaError`s as one clear line and exit 1, no traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BpsaError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]
