"""bpsa.core.certificates: keys, certificates, signatures, quorum order and Merkle batches.

The contract side is tests/unit/certificates/; here the pure-Python half is held to
the same rules (and to the contract's revert reasons, read from its source).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from eth_abi.abi import encode
from eth_account import Account
from eth_utils.crypto import keccak
from hypothesis import given, settings
from hypothesis import strategies as st

from bpsa.core import certificates as certs
from bpsa.core import eip712
from bpsa.core.codes import CertStatus
from bpsa.core.errors import InputError
from tests.unit.certificates.helpers import WELL_FORMED_KEYS

PATENT_KEY_SOURCE = (Path(__file__).parents[2] / "contracts" / "patent_key.vy").read_text()
OWNER = "0x" + "ab" * 20
DOCUMENT = bytes.fromhex("d0" * 32)
DOMAIN = certs.domain(31337, "0x" + "cc" * 20)
KEYS = [Account.from_key(bytes([i]) * 32) for i in range(1, 6)]

OFFICE_REASON = "patent_key: office code must be two capital letters"
EMPTY_REASON = "patent_key: patent number is empty"
LONG_REASON = "patent_key: patent number is longer than 32 characters"
START_REASON = "patent_key: patent number must start with a letter or digit"
CHARS_REASON = "patent_key: patent number may hold only 0-9, A-Z, '.', '/' and '-'"


def cert(**fields: object) -> certs.Certificate:
    values: dict[str, object] = {
        "office": "US",
        "number": "11234567",
        "document": DOCUMENT,
        "owner": OWNER,
        "status": CertStatus.IN_FORCE,
        "expiry": 2_000_000_000,
        "nonce": 1,
    }
    values.update(fields)
    return certs.Certificate(**values)  # type: ignore[arg-type]


def _as_contract_reason(message: str, value: str) -> str:
    """The Python message without the quoted value, prefixed as the contract's."""
    return "patent_key: " + message.replace(f" {value!r}", "")


# --- check_key -----------------------------------------------------------------------------


@pytest.mark.parametrize(("office", "number"), WELL_FORMED_KEYS)
def test_check_key__well_formed__accepted(office: str, number: str) -> None:
    certs.check_key(office, number)


@pytest.mark.parametrize("office", ["us", "U", "USA", "", "U1", "Us", "\u00dcS", "É"])
def test_check_key__bad_office__contract_reason(office: str) -> None:
    with pytest.raises(InputError) as err:
        certs.check_key(office, "11234567")

    assert _as_contract_reason(str(err.value), office).startswith(OFFICE_REASON)
    assert OFFICE_REASON in PATENT_KEY_SOURCE


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("", EMPTY_REASON),
        ("1" * 33, LONG_REASON),
        (".123", START_REASON),
        ("-1", START_REASON),
        ("/1", START_REASON),
        ("a123", START_REASON),
        (" 123", START_REASON),
        ("\u00e9123", START_REASON),
        ("12 3", CHARS_REASON),
        ("12a", CHARS_REASON),
        ("12_3", CHARS_REASON),
        ("12#", CHARS_REASON),
        ("123\n", CHARS_REASON),
    ],
)
def test_check_key__bad_number__contract_reason(number: str, reason: str) -> None:
    with pytest.raises(InputError) as err:
        certs.check_key("US", number)

    assert _as_contract_reason(str(err.value), number) == reason
    assert reason in PATENT_KEY_SOURCE


def test_check_key__reasons__every_contract_reason_has_a_python_case() -> None:
    in_contract = set(re.findall(r'"(patent_key: [^"]+)"', PATENT_KEY_SOURCE))

    assert in_contract == {OFFICE_REASON, EMPTY_REASON, LONG_REASON, START_REASON, CHARS_REASON}


def test_check_key__non_ascii_over_32_bytes__contract_reason_is_length() -> None:
    number = "1" + "\u00e9" * 16  # 17 characters, 33 bytes

    with pytest.raises(InputError) as err:
        certs.check_key("US", number)

    assert _as_contract_reason(str(err.value), number) == LONG_REASON


# --- patent_id -----------------------------------------------------------------------------


def test_patent_id__well_formed_key__keccak_of_the_abi_encoded_office_and_number() -> None:
    assert certs.patent_id("US", "11234567") == keccak(
        encode(["string", "string"], ["US", "11234567"])
    )
    assert certs.patent_id("US", "11234567") != certs.patent_id("EP", "11234567")


def test_patent_id__malformed_key__raises() -> None:
    with pytest.raises(InputError, match="two capital letters"):
        certs.patent_id("us", "11234567")


# --- Certificate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"office": "U"}, "two capital letters"),
        ({"number": ""}, "is empty"),
        ({"document": bytes(31)}, "32 bytes, got 31"),
        ({"document": bytes(33)}, "32 bytes, got 33"),
        ({"expiry": 0}, "not a unix time in uint40"),
        ({"expiry": 2**40}, "not a unix time in uint40"),
        ({"expiry": -1}, "not a unix time in uint40"),
        ({"nonce": 0}, "must be 1 to 2\\^48-1"),
        ({"nonce": 2**48}, "must be 1 to 2\\^48-1"),
    ],
    ids=[
        "office",
        "number",
        "document_short",
        "document_long",
        "expiry_zero",
        "expiry_over_uint40",
        "expiry_negative",
        "nonce_zero",
        "nonce_over_uint48",
    ],
)
def test_certificate__invalid_field__raises(fields: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        cert(**fields)


def test_certificate__largest_values__accepted() -> None:
    c = cert(expiry=2**40 - 1, nonce=2**48 - 1)

    assert (c.expiry, c.nonce) == (2**40 - 1, 2**48 - 1)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": CertStatus.NONE},
        {"status": CertStatus.REVOKED},
        {"owner": "0x" + "00" * 20},
        {"document": bytes(32)},
    ],
    ids=["status_none", "status_revoked", "zero_owner", "zero_document"],
)
def test_certificate__value_the_contract_rejects__raises(fields: dict[str, object]) -> None:
    with pytest.raises(InputError):
        cert(**fields)


def test_struct_hash__independent_abi_encoding__equal() -> None:
    c = cert(office="CN", number="ZL201810123456.7", status=CertStatus.LAPSED, nonce=2**48 - 1)
    typehash = keccak(
        b"Certificate(string office,string number,bytes32 document,address owner,"
        b"uint8 status,uint40 expiry,uint48 nonce)"
    )
    encoded = encode(
        ["bytes32", "bytes32", "bytes32", "bytes32", "address", "uint8", "uint40", "uint48"],
        [
            typehash,
            keccak(b"CN"),
            keccak(b"ZL201810123456.7"),
            DOCUMENT,
            OWNER,
            int(CertStatus.LAPSED),
            c.expiry,
            c.nonce,
        ],
    )

    assert c.struct_hash() == keccak(encoded)
    assert c.leaf() == keccak(keccak(encoded))


def test_struct_hash__each_field__changes_it() -> None:
    base = cert()
    variants = [
        cert(office="EP"),
        cert(number="11234568"),
        cert(document=bytes.fromhex("d1" * 32)),
        cert(owner="0x" + "ac" * 20),
        cert(status=CertStatus.PENDING),
        cert(expiry=2_000_000_001),
        cert(nonce=2),
    ]

    assert len({c.struct_hash() for c in [base, *variants]}) == len(variants) + 1


def test_as_arg__certificate__struct_field_order() -> None:
    c = cert(status=CertStatus.INVALIDATED)

    assert c.as_arg() == ("US", "11234567", DOCUMENT, OWNER, 4, 2_000_000_000, 1)


def test_to_json__round_trip__equal() -> None:
    c = cert(status=CertStatus.PENDING, nonce=2**48 - 1)

    assert certs.from_json(certs.to_json(c)) == c


def test_from_json__missing_field__named() -> None:
    data = certs.to_json(cert())
    del data["expiry"], data["nonce"]

    with pytest.raises(InputError, match="certificate lacks expiry, nonce"):
        certs.from_json(data)


# --- signing -------------------------------------------------------------------------------


def test_sign_certificate__oracle_key__recovers_signer_with_low_s() -> None:
    c = cert()
    sig = certs.sign_certificate(DOMAIN, c, KEYS[0].key)
    raw = bytes(sig.r).rjust(32, b"\0") + bytes(sig.s).rjust(32, b"\0") + bytes([sig.v])

    assert sig.signer == KEYS[0].address
    assert sig.v in (27, 28)
    assert int.from_bytes(sig.s, "big") <= eip712.SECP256K1_N // 2
    assert eip712.recover(c.typed(DOMAIN), raw) == KEYS[0].address


def test_sign_certificate__other_chain_or_contract__other_signature() -> None:
    c = cert()
    here = certs.sign_certificate(DOMAIN, c, KEYS[0].key)
    other_chain = certs.domain(DOMAIN.chain_id + 1, DOMAIN.verifying_contract)
    other_contract = certs.domain(DOMAIN.chain_id, "0x" + "cd" * 20)

    assert certs.sign_certificate(other_chain, c, KEYS[0].key).r != here.r
    assert certs.sign_certificate(other_contract, c, KEYS[0].key).r != here.r


def test_signature_from_bytes__64_bytes__raises() -> None:
    with pytest.raises(InputError, match="65 bytes, got 64"):
        certs.Signature.from_bytes(KEYS[0].address, bytes(64))


# --- quorum --------------------------------------------------------------------------------


def _sigs(keys: list[object]) -> list[certs.Signature]:
    return [certs.sign_certificate(DOMAIN, cert(), k.key) for k in keys]  # type: ignore[attr-defined]


def test_quorum__any_input_order__signers_strictly_ascending() -> None:
    sigs = _sigs(KEYS)

    for ordering in (sigs, sigs[::-1], sigs[2:] + sigs[:2]):
        signers = [int(s[0], 16) for s in certs.quorum(ordering)]
        assert signers == sorted(int(k.address, 16) for k in KEYS)
        assert all(a < b for a, b in itertools.pairwise(signers))


def test_quorum__one_signature__contract_tuple() -> None:
    (sig,) = _sigs(KEYS[:1])

    assert certs.quorum([sig]) == [(sig.signer, sig.v, sig.r, sig.s)]


def test_quorum__same_signer_twice__raises() -> None:
    sigs = _sigs(KEYS[:2])

    with pytest.raises(InputError, match="signed twice"):
        certs.quorum([*sigs, sigs[0]])


def test_quorum__same_signer_in_other_case__raises() -> None:
    sig = _sigs(KEYS[:1])[0]
    lower = certs.Signature(sig.signer.lower(), sig.v, sig.r, sig.s)

    with pytest.raises(InputError, match="signed twice"):
        certs.quorum([sig, lower])


def test_quorum__more_than_sixteen__raises() -> None:
    keys = [Account.from_key(bytes([i]) * 32) for i in range(1, 18)]

    assert len(certs.quorum(_sigs(keys[:16]))) == 16
    with pytest.raises(InputError, match="at most 16"):
        certs.quorum(_sigs(keys))


# --- MerkleTree ----------------------------------------------------------------------------


def _process(proof: list[bytes], leaf: bytes) -> bytes:
    """OpenZeppelin's processProof, written out again: sorted pairs."""
    node = leaf
    for sibling in proof:
        node = keccak(min(node, sibling) + max(node, sibling))
    return node


def _leaves(n: int) -> list[bytes]:
    return [cert(number=f"1000{i:04d}", nonce=i + 1).leaf() for i in range(n)]


@pytest.mark.parametrize("n", range(1, 18))
def test_merkle_tree__each_size__every_proof_verifies(n: int) -> None:
    leaves = _leaves(n)
    tree = certs.MerkleTree(leaves)

    assert len(tree) == n
    depth = (n - 1).bit_length()
    for leaf in leaves:
        proof = tree.proof(leaf)
        assert len(proof) <= depth
        assert _process(proof, leaf) == tree.root
        assert certs.verify(proof, tree.root, leaf)


@pytest.mark.parametrize("n", [2, 5, 8, 17])
def test_merkle_tree__wrong_leaf_or_proof__does_not_verify(n: int) -> None:
    leaves = _leaves(n)
    tree = certs.MerkleTree(leaves)
    outside = cert(number="99999999").leaf()
    first, second = tree.proof(leaves[0]), tree.proof(leaves[1])

    assert not certs.verify(first, tree.root, outside)
    assert not certs.verify(first[:-1], tree.root, leaves[0])
    if first != second:
        assert not certs.verify(second, tree.root, leaves[0])


def test_merkle_tree__single_leaf__root_is_leaf_and_proof_empty() -> None:
    (leaf,) = _leaves(1)
    tree = certs.MerkleTree([leaf])

    assert tree.root == leaf
    assert tree.proof(leaf) == []


def test_merkle_tree__input_order__same_root() -> None:
    leaves = _leaves(7)

    assert certs.MerkleTree(leaves).root == certs.MerkleTree(leaves[::-1]).root


def test_merkle_tree__duplicate_leaf__raises() -> None:
    leaves = _leaves(3)

    with pytest.raises(InputError, match="same certificate twice"):
        certs.MerkleTree([*leaves, leaves[1]])


def test_merkle_tree__empty__raises() -> None:
    with pytest.raises(InputError, match="at least one certificate"):
        certs.MerkleTree([])


def test_merkle_tree__proof_of_a_leaf_not_in_it__raises() -> None:
    tree = certs.MerkleTree(_leaves(3))

    with pytest.raises(InputError, match="not in this batch"):
        tree.proof(cert(number="99999999").leaf())


def test_merkle_tree__complete_layout__root_of_three_by_hand() -> None:
    """OpenZeppelin's StandardMerkleTree layout: sorted leaves a < b < c sit at positions
    4, 3, 2; node 1 = H(b, a), root = H(node 1, c). (Not c promoted over H(a, b).)"""
    a, b, c = sorted(_leaves(3))

    assert certs.MerkleTree([c, a, b]).root == _process([c], keccak(min(a, b) + max(a, b)))


# --- multi-proofs ---------------------------------------------------------------------------


def _hash_leaves(n: int) -> list[bytes]:
    """Distinct 32-byte leaves, cheap to make (the tree does not care what they hash)."""
    return [keccak(i.to_bytes(4, "big")) for i in range(n)]


@st.composite
def _tree_and_subset(draw: st.DrawFn, most: int = 64) -> tuple[certs.MerkleTree, list[bytes]]:
    n = draw(st.integers(1, most))
    leaves = _hash_leaves(n)
    chosen = draw(st.lists(st.sampled_from(leaves), min_size=1, unique=True))
    return certs.MerkleTree(leaves), chosen


@settings(max_examples=300, deadline=None)
@given(_tree_and_subset())
def test_multiproof__any_subset__proves_under_the_root(
    case: tuple[certs.MerkleTree, list[bytes]],
) -> None:
    tree, chosen = case
    mp = tree.multiproof(chosen)

    assert mp.leaves == sorted(chosen)  # the order prove_many takes them in
    assert len(mp.flags) == len(mp.leaves) + len(mp.proof) - 1
    assert certs.multiproof_root(mp) == tree.root
    assert certs.verify_multi(mp, tree.root)


@settings(max_examples=200, deadline=None)
@given(_tree_and_subset(), st.data())
def test_multiproof__a_leaf_tampered__fails(
    case: tuple[certs.MerkleTree, list[bytes]], data: st.DataObject
) -> None:
    tree, chosen = case
    mp = tree.multiproof(chosen)
    k = data.draw(st.integers(0, len(mp.leaves) - 1))
    bit = data.draw(st.integers(0, 255))
    leaves = list(mp.leaves)
    leaves[k] = (int.from_bytes(leaves[k], "big") ^ (1 << bit)).to_bytes(32, "big")

    assert not certs.verify_multi(certs.MultiProof(leaves, mp.proof, mp.flags), tree.root)


@settings(max_examples=200, deadline=None)
@given(_tree_and_subset(), st.data())
def test_multiproof__a_flag_flipped__fails(
    case: tuple[certs.MerkleTree, list[bytes]], data: st.DataObject
) -> None:
    tree, chosen = case
    mp = tree.multiproof(chosen)
    if not mp.flags:
        return  # a one-leaf tree: no flag to flip (its proof is the leaf alone)
    k = data.draw(st.integers(0, len(mp.flags) - 1))
    flags = list(mp.flags)
    flags[k] = not flags[k]

    assert not certs.verify_multi(certs.MultiProof(mp.leaves, mp.proof, flags), tree.root)


@settings(max_examples=200, deadline=None)
@given(_tree_and_subset(), st.data())
def test_multiproof__a_proof_node_tampered__fails(
    case: tuple[certs.MerkleTree, list[bytes]], data: st.DataObject
) -> None:
    tree, chosen = case
    mp = tree.multiproof(chosen)
    if not mp.proof:
        return  # the whole tree: nothing outside the set
    k = data.draw(st.integers(0, len(mp.proof) - 1))
    proof = list(mp.proof)
    proof[k] = keccak(proof[k])

    assert not certs.verify_multi(certs.MultiProof(mp.leaves, proof, mp.flags), tree.root)


def test_multiproof_root__malformed__names_the_fault() -> None:
    tree = certs.MerkleTree(_hash_leaves(6))
    mp = tree.multiproof(tree.leaves[1:4])
    cases = {
        "at least one": certs.MultiProof([], [tree.root], []),
        "one flag per": certs.MultiProof(mp.leaves, mp.proof, [*mp.flags, True]),
        "count - 1 times": certs.MultiProof(mp.leaves, mp.proof, [True] * len(mp.flags)),
        "ascending leaf order": certs.MultiProof(mp.leaves[::-1], mp.proof, mp.flags),
    }
    for reason, bad in cases.items():
        with pytest.raises(InputError, match=reason):
            certs.multiproof_root(bad)


def test_multiproof__same_leaf_twice_or_outsider__raises() -> None:
    tree = certs.MerkleTree(_hash_leaves(4))

    with pytest.raises(InputError, match="twice"):
        tree.multiproof([tree.leaves[0], tree.leaves[0]])
    with pytest.raises(InputError, match="not in this batch"):
        tree.multiproof([keccak(b"outside")])
    with pytest.raises(InputError, match="at least one"):
        tree.multiproof([])


@pytest.mark.parametrize(("n", "most"), [(1, 1), (7, 3), (1_000, 255), (1_000, 240), (600, 100)])
def test_multiproof_chunks__cover_each_leaf_once_within_the_bounds(n: int, most: int) -> None:
    tree = certs.MerkleTree(_hash_leaves(n))

    chunks = certs.multiproof_chunks(tree, tree.leaves, most)

    assert sorted(leaf for mp in chunks for leaf in mp.leaves) == tree.leaves
    for mp in chunks:
        assert len(mp.leaves) <= most
        assert len(mp.flags) <= certs.MAX_MULTI_PROOF
        assert certs.multiproof_root(mp) == tree.root
    assert len(chunks) <= -(-n // most) + (n > 255)  # full chunks but for the proof nodes


def test_multiproof_chunks__bound_out_of_range__raises() -> None:
    tree = certs.MerkleTree(_hash_leaves(3))

    with pytest.raises(InputError, match="1 to 255"):
        certs.multiproof_chunks(tree, tree.leaves, 256)
