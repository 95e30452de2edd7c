"""Keys for the off-chain processes: an encrypted keystore (what `ape accounts` writes), or
on a local chain one of the test mnemonic's accounts (the ones anvil funds)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount

from bpsa.core.errors import BpsaError, InputError

# Chain ids of local development chains (anvil, hardhat, ganache): the only chains where a
# test account may sign.
LOCAL_CHAIN_IDS = frozenset({31337, 1337})


def key_from_keystore(path: Path, password: str) -> LocalAccount:
    """An account from an encrypted JSON keystore (what `ape accounts` writes under
    ~/.ape/accounts/<alias>.json)."""
    try:
        data = json.loads(path.read_text())
        key = Account.decrypt(data, password)
    except (OSError, ValueError) as exc:
        raise BpsaError(f"cannot open the keystore {path}: {exc}") from None
    account: LocalAccount = Account.from_key(key)
    return account


TEST_MNEMONIC = "test test test test test test test test test test test junk"


def dev_account(index: int) -> LocalAccount:
    """Ape's (and anvil's) test account `index`, for local chains only."""
    Account.enable_unaudited_hdwallet_features()
    account: LocalAccount = Account.from_mnemonic(
        TEST_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}"
    )
    return account


def account_from(
    section: dict[str, Any], chain_id: int, password_env: str, name: str
) -> LocalAccount:
    """The key a configuration section names: `keystore` with its password in the
    variable `password_env` names (or the default given), or `test_account` n on a
    local chain only. Used by the oracle processes and the channel hub."""
    if "keystore" in section:
        variable = str(section.get("password_env", password_env))
        password = os.environ.get(variable)
        if password is None:
            raise InputError(f"set {variable} to the password of {section['keystore']}")
        return key_from_keystore(Path(str(section["keystore"])).expanduser(), password)
    if "test_account" in section:
        if chain_id not in LOCAL_CHAIN_IDS:
            raise InputError(f"test accounts exist only on a local chain, not chain {chain_id}")
        return dev_account(int(section["test_account"]))
    raise InputError(f"[{name}] needs keystore (+ password_env) or test_account")
