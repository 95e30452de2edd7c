"""Revert reasons, digests and amounts shared by the Infringements unit tests."""

from __future__ import annotations

from typing import Any

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from bpsa.core import certificates as certs
from tests.fixtures.infringements import INFRINGEMENTS

ZERO = "0x" + "00" * 20
EMPTY = b"\x00" * 32
ONE = 10**18
BOND = INFRINGEMENTS.bond  # 50 BPC a case
BOND_MAX = 10**27  # Infringements.BOND_MAX: 10^9 BPC
SETTLEMENT_MAX = 10**30  # Infringements.SETTLEMENT_MAX: 10^12 BPC
SETTLEMENT = 1_000 * ONE
MAX_UINT256 = 2**256 - 1

NUMBER = "11234567"  # the provider's pooled patent (with the trusteeship centre)
PATENT = bytes(certs.patent_id("US", NUMBER))
FUND_NUMBER = "33456789"  # a patent the council purchases for the fund (test_authorise, ...)
NEVER_SUBMITTED = bytes(certs.patent_id("US", "99999999"))

# The accused's identity record, its product's model number and the evidence's CID, digested.
INFRINGER = keccak(text="infringer: Acme Devices Ltd, Shenzhen")
PRODUCT = keccak(text="product: AX-100 payment terminal")
OTHER_PRODUCT = keccak(text="product: AX-200 payment terminal")
EVIDENCE = keccak(text="evidence: bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")


def case_key(patent: bytes, infringer: bytes, product: bytes) -> bytes:
    """keccak256(abi_encode(patent, infringer, product)): the key of `open_case`."""
    return keccak(encode(["bytes32", "bytes32", "bytes32"], [patent, infringer, product]))


FILED_KEY = case_key(PATENT, INFRINGER, PRODUCT)  # the use a case filed by `file_case()` covers


def fields(record: Any) -> tuple[Any, ...]:
    """A case record as (patent, infringer, product, evidence, centre, accused, bond,
    status, filed_at, closed_at, tenure, settlement), bytes as bytes and addresses as
    strings."""
    return (
        bytes(record.patent),
        bytes(record.infringer),
        bytes(record.product),
        bytes(record.evidence),
        str(record.centre),
        str(record.accused),
        record.bond,
        record.status,
        record.filed_at,
        record.closed_at,
        record.tenure,
        record.settlement,
    )


def offer_of(infringements: Any, offer: int) -> tuple[int, str, int]:
    """An offer as (case, offerer, amount in escrow)."""
    record = infringements.offers(offer)
    return (record.case, str(record.offerer), record.amount)


def deploy_infringements_raw(
    project: Any, deployer: Any, wiring: dict[str, Any], **given: Any
) -> Any:
    """Deploys an Infringements straight from its constructor (no Python-side checks),
    filling every argument by name from `given` over `wiring` (the collection's addresses
    by constructor argument name) and the session's bond and policy."""
    values: dict[str, Any] = {
        **wiring,
        "bond": INFRINGEMENTS.bond,
        "dismissed_bond_to_accused": INFRINGEMENTS.dismissed_bond_to_accused,
        **given,
    }
    inputs = project.Infringements.contract_type.constructor.inputs
    return project.Infringements.deploy(*(values[i.name] for i in inputs), sender=deployer)


def call_on_case(infringements: Any, function: str, case: int, sender: Any, offer: int = 1) -> Any:
    """`function` called on `case` from `sender`, naming `offer` where it takes an offer."""
    named = (offer,) if function in ("accept_offer", "settle") else ()
    return getattr(infringements, function)(case, *named, sender=sender)


def offer_id(tx: Any) -> int:
    """The id of the offer an `offer_settlement` transaction made."""
    return int(tx.return_value)
