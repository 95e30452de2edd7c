"""Revert reasons, signature surgery and the test-only tokens of the Swaps unit tests."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import vyper  # type: ignore[import-untyped]
from ethpm_types import ContractType

from bpsa.core import eip712
from bpsa.core import swaps as sw
from bpsa.core.eip712 import SECP256K1_N

ZERO = "0x" + "00" * 20
HERE = Path(__file__).resolve().parent

BAD_SIDE = "swaps: side must be 0 (initiator) or 1 (responder)"
OTHER_CHAIN = "swaps: leg is for another chain"
OTHER_CONTRACT = "swaps: leg is for another contract"
NOT_SENDER = "swaps: only the leg's sender locks it"
ONE_PARTY = "swaps: the legs need two parties"
ZERO_RECEIVER = "swaps: receiver is the zero address"
ZERO_AMOUNT = "swaps: amount is zero"
UNSAFE_DEADLINES = "swaps: initiator's deadline must exceed the responder's by the safety margin"
TOO_CLOSE = "swaps: deadline too close"
NOT_COUNTERPARTY = "swaps: not the counterparty's signature"
ID_USED = "swaps: swap id already used"
TRANSFER_FAILED = "swaps: transfer failed"
WRONG_PREIMAGE = "swaps: wrong preimage"
SETTLED = "swaps: swap already settled"
NO_SWAP = "swaps: no such swap"
WRONG_TERMS = "swaps: terms do not match the lock"
DEADLINE_PASSED = "swaps: deadline passed"
DEADLINE_NOT_REACHED = "swaps: deadline not reached"
BAD_MARGIN = "swaps: safety margin must be 1 second to 30 days"
BAD_MIN_LOCK_TIME = "swaps: minimum lock time must be 1 second to 30 days"
NO_ALLOWANCE = "erc20: insufficient allowance"
NO_BALANCE = "erc20: transfer amount exceeds balance"
BAD_PERMIT = "erc20: invalid signature"

Sig = tuple[int, bytes, bytes]


def high_s(sig: Sig) -> Sig:
    """The malleable twin of a low-s signature: it recovers the same signer under a bare
    ecrecover."""
    v, r, s = sig
    return (55 - v, r, (SECP256K1_N - int.from_bytes(s, "big")).to_bytes(32, "big"))


def with_v(sig: Sig, v: int) -> Sig:
    return (v, sig[1], sig[2])


@functools.cache
def token_container(project: Any, name: str) -> Any:
    """BadToken or QuietToken (this folder's .vy files), compiled here (they are not part
    of the project's contracts), to deploy through `project`."""
    out = vyper.compile_code(
        (HERE / f"{name}.vy").read_text(), output_formats=["abi", "bytecode", "bytecode_runtime"]
    )
    contract_type = ContractType.model_validate(
        {
            "contractName": name,
            "abi": out["abi"],
            "deploymentBytecode": {"bytecode": out["bytecode"]},
            "runtimeBytecode": {"bytecode": out["bytecode_runtime"]},
        }
    )
    return project.container(contract_type)


def permit(token: Any, chain_id: int, owner: Any, spender: str, value: int, deadline: int) -> Sig:
    """`owner`'s EIP-2612 permit for `spender` over `value` of `token`, as (v, r, s)."""
    dom = eip712.Domain(str(token.name()), "1", chain_id, str(token.address))
    nonce = int(token.nonces(owner.address))
    return sw.as_arg(
        eip712.sign_permit(dom, owner.private_key, owner.address, spender, value, nonce, deadline)
    )
