# pragma version ~=0.4.3
"""
@title Certificates
@notice The on-chain end of the certificate oracles. A committee of oracles
        (active Alliance members holding the oracle role) attests, as EIP-712
        typed data, that a patent (office, number) described by a document
        (the CIDv1 multihash digest of its file on IPFS) is owned by `owner`,
        has an office `status` and is in force until `expiry` (its next
        maintenance-fee date). M signatures (the council's threshold) accept
        one certificate, or the Merkle root of a batch after which anyone
        proves a certificate of the batch with its Merkle proof (`prove`), or
        many at once with one multi-proof (`prove_many`). The same quorum
        revokes a certificate or a whole batch.
@dev Replay safety: the EIP-712 domain binds chain id and this contract;
     a certificate's nonce must exceed the last one accepted for the same
     (patent, document), so a certificate is accepted at most once; a root
     is accepted at most once; `prove_many` takes its certificates in
     ascending leaf order, strictly, so none counts twice in one call, and
     stores each with every check `prove` makes; snekmate's ECDSA rejects high-s signatures;
     signers are given in strictly ascending order, so each counts once.
     A record is one storage word: owner, expiry, status and nonce packed.
     The document digest is part of the record's key, not its value, so a
     certificate only ever speaks for the document it names. Every key is
     checked as PatentPool checks it (patent_key._check) before it names a
     record, and ids are keccak256(abi_encode(office, number)), so a
     malformed key can neither be stored nor stand for another patent.
@custom:security Revoking a batch root stops further proofs from it; a
                 certificate already proven keeps its record until it is
                 revoked on its own (`revoke`).
"""

from interfaces import IAlliance
from interfaces import ICertificates

implements: ICertificates

from snekmate.auth import ownable
from snekmate.utils import ecdsa
from snekmate.utils import eip712_domain_separator as eip712
from snekmate.utils import merkle_proof_verification as merkle
import codes
import patent_key

initializes: ownable
initializes: eip712

exports: (ownable.owner, ownable.transfer_ownership, eip712.eip712Domain)


struct Certificate:
    office: String[8]
    number: String[64]
    document: bytes32
    owner: address
    status: uint8
    expiry: uint40
    nonce: uint48


struct Signature:
    signer: address
    v: uint8
    r: bytes32
    s: bytes32


MAX_SIGNATURES: constant(uint256) = 16
MAX_PROOF_LENGTH: constant(uint256) = 32
# dev: snekmate's multi-proof takes arrays of at most 255 (its uint8 bound); 255
# certificates cost about 8.7M gas (33.7k each), half of one transaction's cap (EIP-7825: 2^24)
MAX_MULTI_PROOF: constant(uint256) = 255

CERTIFICATE_TYPEHASH: constant(bytes32) = keccak256(
    "Certificate(string office,string number,bytes32 document,address owner,uint8 status,uint40 expiry,uint48 nonce)"
)
BATCH_TYPEHASH: constant(bytes32) = keccak256("CertificateBatch(bytes32 root,uint32 count)")
REVOCATION_TYPEHASH: constant(bytes32) = keccak256(
    "Revocation(string office,string number,bytes32 document,uint48 nonce)"
)
BATCH_REVOCATION_TYPEHASH: constant(bytes32) = keccak256("BatchRevocation(bytes32 root)")

ROOT_UNKNOWN: constant(uint8) = 0
ROOT_ACCEPTED: constant(uint8) = 1
ROOT_REVOKED: constant(uint8) = 2

# Bit offsets of a packed record: owner | expiry << 160 | status << 200 | nonce << 208.
EXPIRY_SHIFT: constant(uint256) = 160
STATUS_SHIFT: constant(uint256) = 200
NONCE_SHIFT: constant(uint256) = 208

ALLIANCE: public(immutable(IAlliance))

# @notice Signatures needed (M of the oracles).
threshold: public(uint256)

# @dev keccak256(patent id, document) -> packed record.
records: HashMap[bytes32, uint256]

# @notice Batch roots: 0 unknown, 1 accepted, 2 revoked.
roots: public(HashMap[bytes32, uint8])


event CertificateAccepted:
    patent: indexed(bytes32)
    owner: indexed(address)
    document: bytes32
    status: uint8
    expiry: uint40
    nonce: uint48


# @notice Follows CertificateAccepted when the certificate came from a batch.
event CertificateProven:
    patent: indexed(bytes32)
    root: indexed(bytes32)


event CertificateRevoked:
    patent: indexed(bytes32)
    document: indexed(bytes32)
    nonce: uint48


event BatchAccepted:
    root: indexed(bytes32)
    count: uint32
    signers: DynArray[address, MAX_SIGNATURES]


event BatchRevoked:
    root: indexed(bytes32)


event ThresholdSet:
    threshold: uint256


@deploy
def __init__(alliance: IAlliance, council: address, threshold: uint256):
    """
    @notice Deploys the certificate registry of the oracles in `alliance`.
    @param alliance The Alliance whose oracle-role members sign.
    @param council The council's Governance contract (owner: sets M).
    @param threshold The first M, 1 to 16.
    """
    assert council != empty(address), "certificates: council is the zero address"
    assert alliance.address != empty(address), "certificates: alliance is the zero address"
    ownable.__init__()
    ownable._transfer_ownership(council)
    eip712.__init__("BPSA Certificates", "1")
    ALLIANCE = alliance
    self._set_threshold(threshold)


@external
def set_threshold(threshold: uint256):
    """
    @notice Sets M, the oracle signatures a certificate, batch or revocation needs.
    @param threshold 1 to 16.
    """
    ownable._check_owner()
    self._set_threshold(threshold)


@external
def attest(certificate: Certificate, signatures: DynArray[Signature, MAX_SIGNATURES]):
    """
    @notice Accepts one certificate signed by at least M oracles.
    @param certificate The attested fields.
    @param signatures The oracles' EIP-712 signatures, signers ascending.
    """
    struct_hash: bytes32 = self._certificate_hash(certificate)
    self._check_quorum(eip712._hash_typed_data_v4(struct_hash), signatures)
    self._store(certificate)


@external
def attest_batch(root: bytes32, count: uint32, signatures: DynArray[Signature, MAX_SIGNATURES]):
    """
    @notice Accepts the Merkle root of `count` certificates signed by at least
            M oracles. Each certificate then enters the registry by `prove`.
    @dev A leaf is keccak256 of the certificate's EIP-712 struct hash; pairs
         are hashed sorted (OpenZeppelin's convention, as snekmate verifies); a
         complete tree (OpenZeppelin's StandardMerkleTree layout) also lets
         `prove_many` prove any subset of it at once.
    @param root The Merkle root.
    @param count How many certificates the tree holds (informational).
    @param signatures The oracles' signatures over CertificateBatch(root, count).
    """
    assert root != empty(bytes32), "certificates: empty root"
    assert count != 0, "certificates: empty batch"
    assert self.roots[root] == ROOT_UNKNOWN, "certificates: root already used"
    digest: bytes32 = eip712._hash_typed_data_v4(keccak256(abi_encode(BATCH_TYPEHASH, root, count)))
    signers: DynArray[address, MAX_SIGNATURES] = self._check_quorum(digest, signatures)
    self.roots[root] = ROOT_ACCEPTED
    log BatchAccepted(root=root, count=count, signers=signers)


@external
def prove(certificate: Certificate, root: bytes32, proof: DynArray[bytes32, MAX_PROOF_LENGTH]):
    """
    @notice Enters one certificate of an accepted batch into the registry.
            Anyone may call it (the oracle aggregator, the provider, the pool).
    @param certificate The certificate, as signed into the batch.
    @param root The batch's accepted root.
    @param proof The Merkle proof of the certificate's leaf.
    """
    self._check_root(root)
    assert self._in_batch(certificate, root, proof), "certificates: proof does not match the root"
    patent: bytes32 = self._store(certificate)
    log CertificateProven(patent=patent, root=root)


@external
def prove_many(
    certificates: DynArray[Certificate, MAX_MULTI_PROOF],
    root: bytes32,
    proof: DynArray[bytes32, MAX_MULTI_PROOF],
    flags: DynArray[bool, MAX_MULTI_PROOF],
):
    """
    @notice Enters many certificates of one accepted batch into the registry
            with one multi-proof (OpenZeppelin's, as snekmate verifies it).
            Anyone may call it. Each certificate is stored and logged as
            `prove` does (CertificateAccepted, then CertificateProven).
    @dev The batch tree must be complete (OpenZeppelin's StandardMerkleTree
         layout; `bpsa.core.certificates.MerkleTree` builds it), so any subset
         of its leaves has a multi-proof. The certificates come in ascending
         order of their leaves, which is the order the multi-proof consumes
         them in; strictly ascending, so a certificate cannot come twice.
    @param certificates 1 to 255 certificates of the batch, leaves ascending.
    @param root The batch's accepted root.
    @param proof The sibling nodes the multi-proof takes from outside the set.
    @param flags One per hash: true merges two nodes of the set, false takes
           the next proof node.
    """
    self._check_root(root)
    count: uint256 = len(certificates)
    assert count != 0, "certificates: no certificates to prove"
    # dev: each hash makes one node of two, so count + len(proof) nodes need one hash fewer
    assert count + len(proof) == len(flags) + 1, "certificates: a multi-proof has one flag per certificate and proof node, less one"
    merges: uint256 = 0
    for flag: bool in flags:
        if flag:
            merges = unsafe_add(merges, 1)  # dev: at most 255
    # dev: exactly count - 1 merges reads every node once and none past the end (count >= 1)
    assert merges == unsafe_sub(count, 1), "certificates: a multi-proof's flags merge its certificates count - 1 times"
    leaves: DynArray[bytes32, MAX_MULTI_PROOF] = []
    previous: uint256 = 0
    for c: Certificate in certificates:
        leaf: bytes32 = keccak256(self._certificate_hash(c))
        assert convert(leaf, uint256) > previous, "certificates: certificates must come in ascending leaf order, each once"
        previous = convert(leaf, uint256)
        leaves.append(leaf)
    assert merkle._multi_proof_verify(proof, flags, root, leaves), "certificates: multi-proof does not match the root"
    for c: Certificate in certificates:
        patent: bytes32 = self._store(c)
        log CertificateProven(patent=patent, root=root)


@external
def revoke(
    office: String[8],
    number: String[64],
    document: bytes32,
    nonce: uint48,
    signatures: DynArray[Signature, MAX_SIGNATURES],
):
    """
    @notice Revokes the certificate with `nonce` for (office, number, document).
    @param office The patent's office code.
    @param number The patent's number.
    @param document The document digest the certificate names.
    @param nonce The nonce of the certificate being revoked.
    @param signatures At least M oracles' signatures over the Revocation.
    """
    struct_hash: bytes32 = keccak256(
        abi_encode(
            REVOCATION_TYPEHASH,
            keccak256(office),
            keccak256(number),
            document,
            nonce,
        )
    )
    patent: bytes32 = patent_key._checked_id(office, number)
    self._check_quorum(eip712._hash_typed_data_v4(struct_hash), signatures)
    key: bytes32 = keccak256(concat(patent, document))
    packed: uint256 = self.records[key]
    assert packed != 0 and convert(packed >> NONCE_SHIFT, uint48) == nonce, "certificates: no such certificate"
    assert convert((packed >> STATUS_SHIFT) & 255, uint8) != codes.CERT_REVOKED, "certificates: already revoked"
    status_mask: uint256 = 255 << STATUS_SHIFT
    self.records[key] = (packed & ~status_mask) | (convert(codes.CERT_REVOKED, uint256) << STATUS_SHIFT)
    log CertificateRevoked(patent=patent, document=document, nonce=nonce)


@external
def revoke_batch(root: bytes32, signatures: DynArray[Signature, MAX_SIGNATURES]):
    """
    @notice Revokes a batch root: no further certificate is proven from it.
    @param root An accepted root.
    @param signatures At least M oracles' signatures over BatchRevocation(root).
    """
    self._check_root(root)
    digest: bytes32 = eip712._hash_typed_data_v4(keccak256(abi_encode(BATCH_REVOCATION_TYPEHASH, root)))
    self._check_quorum(digest, signatures)
    self.roots[root] = ROOT_REVOKED
    log BatchRevoked(root=root)


@view
@external
def certificate(patent: bytes32, document: bytes32) -> (address, uint8, uint40, uint48):
    """
    @notice The record of the latest certificate for (patent, document).
    @param patent The patent's id (see `patent_id`).
    @param document The document digest.
    @return owner, status (codes.CERT_*), expiry, nonce; all zero if none.
    """
    packed: uint256 = self.records[keccak256(concat(patent, document))]
    return (
        convert(packed & convert(max_value(uint160), uint256), address),
        convert((packed >> STATUS_SHIFT) & 255, uint8),
        convert((packed >> EXPIRY_SHIFT) & convert(max_value(uint40), uint256), uint40),
        convert(packed >> NONCE_SHIFT, uint48),
    )


@view
@external
def verify_proof(certificate: Certificate, root: bytes32, proof: DynArray[bytes32, MAX_PROOF_LENGTH]) -> bool:
    """
    @notice Whether `certificate` belongs to the accepted, unrevoked batch `root`.
    @param certificate The certificate.
    @param root The batch root.
    @param proof The Merkle proof of its leaf.
    @return True when the root is accepted and the proof holds.
    """
    return self.roots[root] == ROOT_ACCEPTED and self._in_batch(certificate, root, proof)


@view
@external
def certificate_hash(certificate: Certificate) -> bytes32:
    """
    @notice The EIP-712 struct hash of `certificate` (a batch leaf is its keccak256).
    @param certificate The certificate.
    @return The struct hash.
    """
    return self._certificate_hash(certificate)


@view
@external
def patent_id(office: String[8], number: String[64]) -> bytes32:
    """
    @notice The registry id of (office, number), as PatentPool computes it;
            reverts with the reason for a malformed key.
    @param office The office code.
    @param number The number at that office.
    @return keccak256(abi_encode(office, number)).
    """
    return patent_key._checked_id(office, number)


@internal
def _set_threshold(threshold: uint256):
    assert threshold >= 1 and threshold <= MAX_SIGNATURES, "certificates: threshold must be 1 to 16"
    self.threshold = threshold
    log ThresholdSet(threshold=threshold)


@view
@internal
def _check_root(root: bytes32):
    state: uint8 = self.roots[root]
    assert state != ROOT_UNKNOWN, "certificates: unknown batch root"
    assert state != ROOT_REVOKED, "certificates: batch revoked"


@view
@internal
def _check_quorum(digest: bytes32, signatures: DynArray[Signature, MAX_SIGNATURES]) -> DynArray[address, MAX_SIGNATURES]:
    """
    @dev Reverts unless at least M distinct oracles signed `digest`. Signers
         come in strictly ascending order so duplicates cost no extra pass.
    """
    assert len(signatures) >= self.threshold, "certificates: fewer signatures than the threshold"
    signers: DynArray[address, MAX_SIGNATURES] = []
    previous: uint160 = 0
    for sig: Signature in signatures:
        signer: uint160 = convert(sig.signer, uint160)
        assert signer != previous, "certificates: duplicate signer"
        assert signer > previous, "certificates: signers must be in ascending order"
        assert staticcall ALLIANCE.has_role(sig.signer, codes.ROLE_ORACLE), "certificates: signer is not an oracle"
        recovered: address = ecdsa._recover_vrs(
            digest, convert(sig.v, uint256), convert(sig.r, uint256), convert(sig.s, uint256)
        )
        assert recovered == sig.signer, "certificates: signature is not its signer's for this chain, contract and content"
        previous = signer
        signers.append(sig.signer)
    return signers


@pure
@internal
def _certificate_hash(c: Certificate) -> bytes32:
    return keccak256(
        abi_encode(
            CERTIFICATE_TYPEHASH,
            keccak256(c.office),
            keccak256(c.number),
            c.document,
            c.owner,
            c.status,
            c.expiry,
            c.nonce,
        )
    )


@pure
@internal
def _in_batch(c: Certificate, root: bytes32, proof: DynArray[bytes32, MAX_PROOF_LENGTH]) -> bool:
    # dev: double hashing keeps a 64-byte inner node from passing as a leaf
    return merkle._verify(proof, root, keccak256(self._certificate_hash(c)))


@internal
def _store(c: Certificate) -> bytes32:
    assert c.status >= codes.CERT_IN_FORCE and c.status <= codes.CERT_STATUS_MAX, "certificates: status out of range"
    assert c.owner != empty(address), "certificates: owner is the zero address"
    assert c.document != empty(bytes32), "certificates: empty document digest"
    assert c.expiry != 0, "certificates: expiry is zero"
    assert c.nonce != 0, "certificates: nonce must be at least 1"
    patent: bytes32 = patent_key._checked_id(c.office, c.number)
    key: bytes32 = keccak256(concat(patent, c.document))
    last: uint48 = convert(self.records[key] >> NONCE_SHIFT, uint48)
    assert c.nonce > last, "certificates: nonce already used"
    self.records[key] = (
        convert(c.owner, uint256)
        | (convert(c.expiry, uint256) << EXPIRY_SHIFT)
        | (convert(c.status, uint256) << STATUS_SHIFT)
        | (convert(c.nonce, uint256) << NONCE_SHIFT)
    )
    log CertificateAccepted(
        patent=patent,
        owner=c.owner,
        document=c.document,
        status=c.status,
        expiry=c.expiry,
        nonce=c.nonce,
    )
    return patent
