"""Infringements.case_key: the key `open_case` is indexed by, keccak256 of the abi-encoded
(patent, infringer, product)."""

from typing import Any

from tests.unit.infringements.helpers import (
    EVIDENCE,
    INFRINGER,
    OTHER_PRODUCT,
    PATENT,
    PRODUCT,
    case_key,
)


def test_case_key__any_use__is_keccak_of_the_abi_encoded_triple(infringements: Any) -> None:
    assert bytes(infringements.case_key(PATENT, INFRINGER, PRODUCT)) == case_key(
        PATENT, INFRINGER, PRODUCT
    )


def test_case_key__each_part_or_order_changed__differs(infringements: Any) -> None:
    keys = {
        bytes(infringements.case_key(*triple))
        for triple in [
            (PATENT, INFRINGER, PRODUCT),
            (PATENT, INFRINGER, OTHER_PRODUCT),
            (PATENT, EVIDENCE, PRODUCT),
            (EVIDENCE, INFRINGER, PRODUCT),
            (PATENT, PRODUCT, INFRINGER),
        ]
    }

    assert len(keys) == 5


def test_case_key__a_filed_case__indexes_open_case(infringements: Any, filed_case: int) -> None:
    key = infringements.case_key(PATENT, INFRINGER, PRODUCT)

    assert infringements.open_case(key) == filed_case
    assert infringements.open_case(infringements.case_key(PATENT, INFRINGER, OTHER_PRODUCT)) == 0
