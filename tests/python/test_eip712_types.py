"""Every EIP-712 typehash of the contracts against its one Python definition in
`bpsa.core.eip712`, read twice from the contracts: the type string in the Vyper source
(`contracts/` and the snekmate modules they use) and the typehash in the compiled
bytecode (Vyper folds `keccak256("...")` into a PUSH32). Either side changed alone
fails here. Then every struct's hash and digest against eth-account's generic
encoder, the independent reference. The digests against the contracts' own views are
in `tests/unit/eip712/`."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
from eth_account.messages import encode_typed_data
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from hypothesis import given, settings
from hypothesis import strategies as st

from bpsa.core import eip712
from bpsa.core.eip712 import Struct
from bpsa.core.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
_SNEKMATE_SPEC = importlib.util.find_spec("snekmate")
assert _SNEKMATE_SPEC is not None and _SNEKMATE_SPEC.submodule_search_locations
SNEKMATE = Path(next(iter(_SNEKMATE_SPEC.submodule_search_locations)))

# (source, constant) -> the Python definition; the contracts whose bytecode holds it.
CHECKED_ON_CHAIN: dict[tuple[str, str], tuple[Struct, tuple[str, ...]]] = {
    ("contracts/Certificates.vy", "CERTIFICATE_TYPEHASH"): (eip712.CERTIFICATE, ("Certificates",)),
    ("contracts/Certificates.vy", "BATCH_TYPEHASH"): (eip712.CERTIFICATE_BATCH, ("Certificates",)),
    ("contracts/Certificates.vy", "REVOCATION_TYPEHASH"): (eip712.REVOCATION, ("Certificates",)),
    ("contracts/Certificates.vy", "BATCH_REVOCATION_TYPEHASH"): (
        eip712.BATCH_REVOCATION,
        ("Certificates",),
    ),
    ("contracts/Channels.vy", "BALANCE_PROOF_TYPEHASH"): (eip712.BALANCE_PROOF, ("Channels",)),
    ("contracts/Channels.vy", "CLOSE_CONSENT_TYPEHASH"): (eip712.CLOSE_CONSENT, ("Channels",)),
    ("contracts/licence_claims.vy", "CLAIM_TYPEHASH"): (eip712.LICENCE_CLAIM, ("Licensing",)),
    ("contracts/Swaps.vy", "LEG_TYPEHASH"): (eip712.LEG, ("Swaps",)),
    ("contracts/Swaps.vy", "SWAP_INTENT_TYPEHASH"): (eip712.SWAP_INTENT, ("Swaps",)),
    ("snekmate/tokens/erc20.vy", "_PERMIT_TYPE_HASH"): (eip712.PERMIT, ("BPC",)),
    ("snekmate/utils/eip712_domain_separator.vy", "_TYPE_HASH"): (
        eip712.EIP712_DOMAIN,
        ("BPC", "Certificates", "Channels", "Licensing", "Swaps"),
    ),
}
# Signed and checked off chain only (the hub, the payer, the query API).
OFF_CHAIN = {eip712.RECEIPT, eip712.RECEIPT_BATCH, eip712.HUB_REQUEST, eip712.PAID_QUERY}

HALF_ORDER_CONSTANT = re.compile(r"^HALF_ORDER: constant\(uint256\) = ([0-9_]+)", re.MULTILINE)
TYPEHASH_CONSTANT = re.compile(
    r'^(\w*TYPE_?HASH): constant\(bytes32\) = keccak256\(\s*"([^"]*)"\s*\)', re.MULTILINE
)


def source_path(source: str) -> Path:
    if source.startswith("snekmate/"):
        return SNEKMATE / source.removeprefix("snekmate/")
    return ROOT / source


def typehash_constants(path: Path) -> dict[str, str]:
    """The `*TYPEHASH` constants of a Vyper source: name -> the type string hashed."""
    return dict(TYPEHASH_CONSTANT.findall(path.read_text()))


def test_typehash_constants__every_contract__each_has_a_python_definition() -> None:
    found = {
        (str(path.relative_to(ROOT)), name)
        for path in sorted((ROOT / "contracts").rglob("*.vy"))
        for name in typehash_constants(path)
    }
    declared = {key for key in CHECKED_ON_CHAIN if key[0].startswith("contracts/")}

    assert found == declared, "a contract typehash with no Python definition, or one gone"
    # Every definition is checked somewhere: on chain (above) or off chain by name.
    on_chain = {struct for struct, _ in CHECKED_ON_CHAIN.values()}
    assert set(eip712.STRUCTS) == (on_chain | OFF_CHAIN) - {eip712.EIP712_DOMAIN}
    assert not on_chain & OFF_CHAIN


@pytest.mark.parametrize(
    ("source", "constant"), list(CHECKED_ON_CHAIN), ids=[c for _, c in CHECKED_ON_CHAIN]
)
def test_type_string__vyper_source__equals_the_python_definition(
    source: str, constant: str
) -> None:
    struct, _ = CHECKED_ON_CHAIN[(source, constant)]

    in_source = typehash_constants(source_path(source)).get(constant)

    assert in_source == struct.type_string
    assert keccak(text=in_source) == struct.typehash


@pytest.mark.parametrize(
    ("source", "constant"), list(CHECKED_ON_CHAIN), ids=[c for _, c in CHECKED_ON_CHAIN]
)
def test_typehash__compiled_bytecode__holds_the_python_typehash(
    project: Any, source: str, constant: str
) -> None:
    struct, contracts = CHECKED_ON_CHAIN[(source, constant)]
    push32 = "7f" + struct.typehash.hex()

    for name in contracts:
        code = getattr(project, name).contract_type.runtime_bytecode.bytecode
        assert push32 in code.lower(), f"{name}'s bytecode lacks {struct.name}'s typehash"


def test_type_string__swap_intent__lists_the_referenced_leg_after_itself() -> None:
    assert eip712.SWAP_INTENT.type_string == (eip712.SWAP_INTENT.own_type + eip712.LEG.own_type)
    assert list(eip712.SWAP_INTENT.types()) == ["SwapIntent", "Leg"]


# -- each struct's hash and digest against the generic encoder ---------------------------

ADDRESSES = st.binary(min_size=20, max_size=20).map(lambda raw: str(to_checksum_address(raw)))


def field_values(kind: str) -> st.SearchStrategy[Any]:
    if kind == "address":
        return ADDRESSES
    if kind == "string":
        return st.text(max_size=40)
    if kind == "bytes32":
        return st.binary(min_size=32, max_size=32)
    if kind.startswith("uint"):
        return st.integers(0, 2 ** int(kind[4:]) - 1)
    nested = {s.name: s for s in eip712.STRUCTS}[kind]
    return messages(nested)


def messages(struct: Struct) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({field: field_values(kind) for kind, field in struct.fields})


DOMAINS = st.builds(
    eip712.Domain,
    st.text(max_size=20),
    st.sampled_from(["1", "2"]),
    st.integers(1, 2**64),
    ADDRESSES,
)


@pytest.mark.parametrize("struct", eip712.STRUCTS, ids=lambda s: s.name)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_digest__any_message__equals_the_generic_encoder(struct: Struct, data: Any) -> None:
    message = data.draw(messages(struct))
    dom = data.draw(DOMAINS)
    full = struct.typed(dom, message)

    generic = encode_typed_data(full_message=full)

    assert struct.hash_message(message) == bytes(generic.body)
    assert eip712.domain_separator(dom) == bytes(generic.header)
    assert eip712.digest(full) == keccak(b"\x19\x01" + bytes(generic.header) + generic.body)
    if not any(kind in {s.name for s in eip712.STRUCTS} for kind, _ in struct.fields):
        values = [message[field] for _, field in struct.fields]
        assert struct.digest(dom, *values) == eip712.digest(full)
        assert struct.digest(eip712.domain_separator(dom), *values) == eip712.digest(full)


def test_hash__wrong_number_of_fields__refused() -> None:
    with pytest.raises(TypeError, match="missing 1 required positional argument"):
        eip712.BALANCE_PROOF.hash(1, 2)


@pytest.mark.parametrize(
    ("struct", "values", "message"),
    [
        (eip712.RECEIPT, (1, b"\x01" * 19, 1, 1, bytes(32)), "an address is 20 bytes, got 19"),
        (eip712.CERTIFICATE_BATCH, (b"\x01" * 31, 1), "a bytes32 is 32 bytes, got 31"),
        (eip712.SWAP_INTENT, (b"\x01" * 32, b"\x02" * 31, b"\x03" * 32), "32-byte hash, got 31"),
    ],
)
def test_hash__malformed_field__input_error_naming_it(
    struct: Struct, values: tuple[Any, ...], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        struct.hash(*values)


def test_half_order__every_contract_that_checks_low_s__equals_pythons() -> None:
    found = {
        path.name: int(value.replace("_", ""))
        for path in sorted((ROOT / "contracts").rglob("*.vy"))
        for value in HALF_ORDER_CONSTANT.findall(path.read_text())
    }

    assert found  # signatures.vy: the one low-s check of Channels, Licensing and Swaps
    assert set(found.values()) == {eip712.HALF_ORDER}


def test_split_signature__contracts_rules__low_s_v_27_28_r_s_in_range() -> None:
    r, s = (5).to_bytes(32, "big"), (7).to_bytes(32, "big")
    high = (eip712.HALF_ORDER + 1).to_bytes(32, "big")

    assert eip712.split_signature(r + s + b"\x1b") == (5, 7, 27)
    assert eip712.split_signature(r + high + b"\x1b") is None  # the malleable twin
    assert eip712.split_signature(r + s + b"\x01") is None
    assert eip712.split_signature(bytes(32) + s + b"\x1c") is None
    assert eip712.split_signature(r + bytes(32) + b"\x1c") is None
    assert eip712.split_signature(r + s) is None
    assert eip712.HALF_ORDER == eip712.SECP256K1_N // 2
