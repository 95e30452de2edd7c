# pragma version ~=0.4.3
"""
@title agreements
@notice The pool's standard licence agreements: for each kind of licence that
        has one (a BPR, a per-patent licence listed without its own document,
        a device batch) the council sets the agreement document a licence of
        that kind is made under, by the digest of its IPFS CID. Every setting
        is a new version, kept for good (`agreement(kind, version)`), and a
        licence records the version in force when it was made (a BPR, a
        device batch) or the digest itself (a listing, an exclusive licence):
        a later change binds only later licences.
@dev Initialized by the deployable (`Licensing.vy`), which checks the owner
     and says how a new BPR version reaches `bpr_tiers` (it keeps the BPR
     version in the tier words a conversion reads anyway). A digest is the sha2-256 digest of the
     document's root block (bpsa.core.cid).
"""

KIND_BPR: constant(uint8) = 1
KIND_PER_PATENT: constant(uint8) = 2
KIND_DEVICE: constant(uint8) = 3
# @dev A version fits the 16 bits a BPR holding and a device batch keep it in.
VERSION_MAX: constant(uint256) = 2**16 - 1

# @notice The agreement digest of version `version` of licence kind `kind`
#         (1 BPR, 2 per-patent, 3 device); empty for version 0 (none set) or
#         one not yet set.
agreement: public(HashMap[uint8, HashMap[uint256, bytes32]])
# @notice The version in force for licence kind `kind` (0: none set yet).
agreement_version: public(HashMap[uint8, uint256])


# @notice The council set version `version` of the standard agreement of `kind`.
event AgreementSet:
    kind: indexed(uint8)
    version: indexed(uint256)
    agreement: bytes32


@view
@internal
def _current(kind: uint8) -> bytes32:
    """
    @dev The agreement digest in force for `kind` (empty if none was set).
    """
    return self.agreement[kind][self.agreement_version[kind]]


@internal
def _set(kind: uint8, digest: bytes32) -> uint256:
    """
    @dev Makes `digest` the next version of `kind`'s standard agreement; the
         caller checked the owner.
    """
    assert kind >= KIND_BPR and kind <= KIND_DEVICE, "licensing: unknown agreement kind"
    assert digest != empty(bytes32), "licensing: empty agreement digest"
    version: uint256 = self.agreement_version[kind] + 1
    assert version <= VERSION_MAX, "licensing: agreement versions exhausted"  # dev: 65,535 changes
    self.agreement_version[kind] = version
    self.agreement[kind][version] = digest
    log AgreementSet(kind=kind, version=version, agreement=digest)
    return version
