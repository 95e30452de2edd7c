"""`bpsa-hub`: its configuration file (every mistake named), the refusal of a key that is
not Channels' hub, and a hub started from a configuration serving a payer end to end."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bpsa.core import manifest as manifests
from bpsa.core.accounts import dev_account
from bpsa.core.chain import Gateway
from bpsa.core.errors import InputError
from bpsa.sidechains import cli
from bpsa.sidechains.client import ChannelClient
from tests.sidechains.conftest import DEPOSIT, HUB, PAYER

ROOT = Path(__file__).resolve().parents[2]
PRICE = 10**15


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "hub.toml"
    path.write_text(body)
    return path


GOOD = """
[chain]
rpc = "http://127.0.0.1:1"
manifest = "deployments/local.json"
[log]
target = "{target}"
[http]
port = 0
[key]
test_account = {account}
"""


def test_load__complete_file__every_setting_read(tmp_path):
    config = cli.load(write(tmp_path, GOOD.format(target="hub.sqlite", account=HUB)))

    assert (config.rpc, config.target, config.port, config.synchronous) == (
        "http://127.0.0.1:1",
        "hub.sqlite",
        0,
        "FULL",
    )
    assert config.key == {"test_account": HUB}
    assert (config.confirmations, config.tx_timeout) == (12, 60.0)  # safe on a live chain


def test_load__environment_set__overrides_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("BPSA_HUB_WAL", "postgresql://hub@db.example/hub")

    config = cli.load(write(tmp_path, GOOD.format(target="hub.sqlite", account=HUB)))

    assert config.target == "postgresql://hub@db.example/hub"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[chain\n", "cannot read the hub configuration"),
        ('[log]\ntarget="x"\n[key]\ntest_account=1\n', r"set \[chain\] rpc"),
        (GOOD.replace("port = 0", "port = 70000"), "is not a TCP port"),
        (GOOD.replace("port = 0", 'port = "eighty"'), "invalid literal"),
        (GOOD.replace("port = 0", "port = 0\nworkers = 99"), "workers is 0 to 64"),
        (GOOD.replace('target = "{target}"', 'synchronous = "SOMETIMES"'), "FULL or NORMAL"),
        (GOOD.split("[key]")[0], r"\[key\] needs keystore"),
        (GOOD.replace("[log]", "confirmations = -1\n[log]"), "confirmations is 0 to"),
        (GOOD.replace("[log]", "tx_timeout_seconds = 0\n[log]"), "tx_timeout_seconds is above"),
    ],
)
def test_load__mistake__input_error_names_it(tmp_path, body, message):
    with pytest.raises(InputError, match=message):
        cli.load(write(tmp_path, body.format(target="hub.sqlite", account=HUB)))


def test_load__no_file__input_error_names_the_path(tmp_path):
    with pytest.raises(InputError, match=r"hub\.toml"):
        cli.load(tmp_path / "hub.toml")


def test_hub_key__test_account_on_a_live_chain__refused(tmp_path):
    config = cli.load(write(tmp_path, GOOD.format(target="hub.sqlite", account=HUB)))

    with pytest.raises(InputError, match="only on a local chain, not chain 1"):
        cli.hub_key(config, 1)


def test_hub_key__keystore_without_its_password__names_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("HUB_SECRET", raising=False)
    keystore = 'keystore = "k.json"\npassword_env = "HUB_SECRET"'
    body = GOOD.replace("test_account = {account}", keystore)
    config = cli.load(write(tmp_path, body.format(target="hub.sqlite", account=HUB)))

    with pytest.raises(InputError, match="set HUB_SECRET"):
        cli.hub_key(config, 31337)


def chain_config(tmp_path, chain, hub_world, account: int) -> Path:
    manifest = manifests.save(hub_world["manifest"], tmp_path)
    body = GOOD.format(target=tmp_path / "hub.sqlite", account=account)
    body = body.replace("http://127.0.0.1:1", chain.provider.uri)
    body = body.replace("deployments/local.json", str(manifest))
    body = body.replace("[log]", "confirmations = 0  # anvil mines a block per transaction\n[log]")
    return write(tmp_path, body)


def test_serve__key_is_not_the_hub__refused_naming_both(tmp_path, chain, hub_world):
    config = chain_config(tmp_path, chain, hub_world, PAYER)

    result = CliRunner().invoke(cli.main, ["serve", "--config", str(config)])

    assert result.exit_code == 1
    assert f"the key is {dev_account(PAYER).address}" in result.output
    assert hub_world["Channels"].HUB() in result.output


def test_serve__from_a_config__payer_pays_and_status_shows_the_channel(tmp_path, chain, hub_world):
    config = chain_config(tmp_path, chain, hub_world, HUB)
    command = [sys.executable, "-m", "bpsa.sidechains.cli", "serve", "--config", str(config)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BPSA_HUB")}
    hub = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert hub.stdout is not None
        line = hub.stdout.readline()
        assert line.startswith("listening on "), line
        url = line.split()[-1]
        web = Gateway(chain.provider.uri, hub_world["manifest"])
        payer = ChannelClient(web, dev_account(PAYER), url, tmp_path / "payer.sqlite")
        channel = payer.open(DEPOSIT)
        deadline = time.monotonic() + 30
        while not payer.hub_knows(channel):
            assert time.monotonic() < deadline, "the hub never saw the channel open"
            time.sleep(0.1)
        payer.pay(channel, PRICE)

        key = {"BPSA_PAYER_KEY": dev_account(PAYER).key.hex()}
        args = ["status", "--url", url, "--channel", str(channel)]
        result = CliRunner().invoke(cli.main, args, env=key)
        stranger = CliRunner().invoke(cli.main, args, env={"BPSA_PAYER_KEY": "11" * 32})

        assert result.exit_code == 0, result.output
        assert f'"paid": "{PRICE}"' in result.output
        assert stranger.exit_code == 1 and "the hub answered 403" in stranger.output
    finally:
        hub.terminate()
        hub.wait(timeout=30)


def test_status__no_hub_there__clear_error():
    result = CliRunner().invoke(cli.main, ["status", "--url", "http://127.0.0.1:9"])

    assert result.exit_code == 1
    assert "did not answer" in result.output
