"""`bpsa-hub`: run the channel hub from a configuration file, and ask a running hub
about itself.

    bpsa-hub serve --config hub.toml [--port 8600]
    bpsa-hub status --url http://127.0.0.1:8600 [--channel N]   (the payer's key in
                                                                 $BPSA_PAYER_KEY for N)

The configuration (a TOML file; the environment overrides it):

    [chain]
    rpc = "http://127.0.0.1:8545"          # BPSA_HUB_RPC
    manifest = "deployments/local.json"    # BPSA_HUB_MANIFEST: chain id and Channels' address
    poll_seconds = 1.0
    confirmations = 12                     # blocks deep before the hub acts on an event
                                           # (0 only on a local anvil: it never reorganises)
    tx_timeout_seconds = 60.0              # a dispute not mined by then is sent again
    max_lag_seconds = 300.0                # no look at the chain for this long: payments
                                           # refused (keep it under the challenge window)

    [log]
    target = ".hub/hub.sqlite"             # BPSA_HUB_WAL: a SQLite file or a postgresql:// URL
    synchronous = "FULL"                   # FULL: every acknowledged payment on disk

    [http]
    host = "127.0.0.1"
    port = 8600
    workers = 2                            # signature-checking processes (0: none; default:
                                           # the machine's cores)

    [key]                                  # the hub's key: Channels' HUB (it signs receipts,
    keystore = "~/.ape/accounts/hub.json"  # consents, disputes and settlements, so it needs gas)
    password_env = "BPSA_HUB_PASSWORD"
    # test_account = 18                    # or ape's test account n (local chains only)

The hub refuses to start when the key is not the contract's hub: its receipts would be
worthless and its disputes would revert.
"""

from __future__ import annotations

import json
import os
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from bpsa.core.errors import InputError


@dataclass(frozen=True)
class HubConfig:
    rpc: str
    manifest: Path
    target: str
    synchronous: str
    host: str
    port: int
    workers: int
    poll: float
    key: dict[str, Any]
    confirmations: int = 12
    tx_timeout: float = 60.0
    max_lag: float = 300.0


def load(path: Path) -> HubConfig:
    """The hub's configuration in `path`, the environment on top; `InputError` names
    what is missing or wrong."""
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the hub configuration {path}: {exc}") from None

    def pick(section: str, key: str, variable: str | None, default: Any = None) -> Any:
        value = (os.environ.get(variable) if variable else None) or data.get(section, {}).get(
            key, default
        )
        if value is None:
            where = f" (or ${variable})" if variable else ""
            raise InputError(f"{path}: set [{section}] {key}{where}")
        return value

    synchronous = str(pick("log", "synchronous", None, "FULL")).upper()
    if synchronous not in ("FULL", "NORMAL"):
        raise InputError(f"{path}: [log] synchronous is FULL or NORMAL, not {synchronous!r}")
    try:
        port = int(pick("http", "port", None, 8600))
        workers = int(pick("http", "workers", None, os.cpu_count() or 1))
        poll = float(pick("chain", "poll_seconds", None, 1.0))
        confirmations = int(pick("chain", "confirmations", None, 12))
        tx_timeout = float(pick("chain", "tx_timeout_seconds", None, 60.0))
        max_lag = float(pick("chain", "max_lag_seconds", None, 300.0))
    except (TypeError, ValueError) as exc:
        raise InputError(f"{path}: {exc}") from None
    if not 0 <= port < 65536:
        raise InputError(f"{path}: [http] port {port} is not a TCP port")
    if not 0 <= workers <= 64:
        raise InputError(f"{path}: [http] workers is 0 to 64, not {workers}")
    if poll <= 0:
        raise InputError(f"{path}: [chain] poll_seconds must be positive")
    if not 0 <= confirmations <= 10_000:
        raise InputError(f"{path}: [chain] confirmations is 0 to 10,000 blocks")
    if not 0 < tx_timeout <= 3_600:
        raise InputError(f"{path}: [chain] tx_timeout_seconds is above 0 and at most 3,600")
    if not 0 < max_lag <= 30 * 86_400:
        raise InputError(f"{path}: [chain] max_lag_seconds is above 0 and at most 30 days")
    key = dict(data.get("key", {}))
    if "keystore" not in key and "test_account" not in key:
        raise InputError(f"{path}: [key] needs keystore (+ password_env) or test_account")
    return HubConfig(
        rpc=str(pick("chain", "rpc", "BPSA_HUB_RPC")),
        manifest=Path(str(pick("chain", "manifest", "BPSA_HUB_MANIFEST"))),
        target=str(pick("log", "target", "BPSA_HUB_WAL", ".hub/hub.sqlite")),
        synchronous=synchronous,
        host=str(pick("http", "host", None, "127.0.0.1")),
        port=port,
        workers=workers,
        poll=poll,
        key=key,
        confirmations=confirmations,
        tx_timeout=tx_timeout,
        max_lag=max_lag,
    )


def serve_argv(config: HubConfig, chain_id: int, channels: str) -> list[str]:
    """The arguments of `bpsa.sidechains.serve` for `config`."""
    argv = ["--wal", config.target, "--chain-id", str(chain_id), "--channels", channels]
    argv += ["--host", config.host, "--port", str(config.port), "--synchronous", config.synchronous]
    argv += ["--workers", str(config.workers)]
    argv += ["--rpc", config.rpc, "--manifest", str(config.manifest), "--poll", str(config.poll)]
    argv += ["--confirmations", str(config.confirmations), "--tx-timeout", str(config.tx_timeout)]
    argv += ["--max-chain-lag", str(config.max_lag)]
    return argv


def hub_key(config: HubConfig, chain_id: int) -> bytes:
    from bpsa.core.accounts import account_from

    return bytes(account_from(config.key, chain_id, "BPSA_HUB_PASSWORD", "key").key)


@click.group()
def main() -> None:
    """The BPSA channel hub."""


@main.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path), required=True)
@click.option("--port", type=int, default=None, help="Overrides [http] port (0: any free port).")
def serve(config_path: Path, port: int | None) -> None:
    """Run the hub: follow Channels on chain, take payments over HTTP and WebSocket."""
    from eth_account import Account

    from bpsa.core.chain import Gateway
    from bpsa.core.manifest import Manifest
    from bpsa.sidechains import serve as service

    try:
        config = load(config_path)
        if port is not None:
            config = HubConfig(**{**config.__dict__, "port": port})
        manifest = Manifest.from_json(_read_json(config.manifest), str(config.manifest))
        key = hub_key(config, manifest.chain_id)
        chain = Gateway(config.rpc, manifest)
        if chain.chain_id() != manifest.chain_id:
            raise InputError(
                f"{config.rpc} is chain {chain.chain_id()}, the manifest's is {manifest.chain_id}"
            )
        channels = chain.contract("Channels")
        hub = str(chain.call(channels.functions.HUB().call))
        mine = Account.from_key(key).address
        if hub.lower() != mine.lower():
            raise InputError(f"the key is {mine}, but Channels' hub is {hub}")
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # the chain cannot be reached, the manifest is wrong
        raise click.ClickException(f"cannot start the hub: {exc}") from None
    os.environ["BPSA_HUB_KEY"] = key.hex()  # this process only: serve reads it
    service.main(serve_argv(config, manifest.chain_id, str(channels.address)))


@main.command()
@click.option("--url", default="http://127.0.0.1:8600", show_default=True)
@click.option("--channel", type=int, default=None, help="Show this channel as the hub holds it.")
@click.option(
    "--key-env",
    default="BPSA_PAYER_KEY",
    show_default=True,
    help="With --channel: the variable holding the channel's payer's key (hex); the hub "
    "shows a channel to its payer only.",
)
def status(url: str, channel: int | None, key_env: str) -> None:
    """A running hub's health, or one of its channels (asked as its payer)."""
    base = url.rstrip("/")
    health = _hub_json(urllib.request.Request(base + "/health"), url)
    if channel is None:
        click.echo(json.dumps(health, indent=2))
        return
    key = os.environ.get(key_env)
    if not key:
        raise click.ClickException(f"set {key_env} to the payer's key: the hub answers only it")
    try:
        from bpsa.core import channels as ch
        from bpsa.sidechains.auth import authorization_header

        dom = ch.domain(int(health["chain_id"]), str(health["contract"]))
        auth = authorization_header(dom, key, channel, "channel", b"")
    except (KeyError, TypeError, ValueError) as exc:
        raise click.ClickException(f"cannot sign the request for {url}: {exc}") from None
    request = urllib.request.Request(f"{base}/channels/{channel}", headers={"Authorization": auth})
    click.echo(json.dumps(_hub_json(request, url), indent=2))


def _hub_json(request: urllib.request.Request, url: str) -> Any:
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        try:
            reason = json.loads(exc.read()).get("reason", exc.reason)
        except ValueError:
            reason = exc.reason
        raise click.ClickException(f"the hub answered {exc.code}: {reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise click.ClickException(f"the hub at {url} did not answer: {exc}") from None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the manifest {path}: {exc}") from None


if __name__ == "__main__":
    main()
