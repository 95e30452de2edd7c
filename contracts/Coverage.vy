# pragma version ~=0.4.3
"""
@title Coverage
@notice The log of one PatentPool's pooled set, so a BPR can name the patents it
        covered on its date and a licensee can prove it later. Every change of
        the set is one leaf of an append-only Merkle tree: a patent entering the
        pool (PatentPool.pool) or leaving it (removal, removal below the core
        threshold, a re-rating under it, expiry). The root after each append is
        kept (`root_at`), so the log's size S when a BPR was converted or
        granted (Licensing records it in the holder's record) names one root:
        the pooled set on that date is the replay of the log's first S leaves.
        A patent was covered by that BPR when the entry leaf of one of its
        stays lies in those S leaves and that stay had not ended within them:
        `covered` checks both.
@dev The tree is the Ethereum deposit contract's incremental Merkle tree, with
     keccak256 for sha256 and without mixing the size into the root (every
     root is kept by size): DEPTH branch words, one written per append, and
     the root read from the branch words of the size's set bits and the hashes
     of empty subtrees. An interior node is keccak256(left ++ right), in order
     (a proof binds the leaf's index); a leaf is keccak256(abi_encode(patent,
     stay, entering, at)), 128 bytes, so no leaf is ever read as a 64-byte
     interior node. `stay` is the index of the stay's entry leaf: an entry
     leaf names itself, an exit leaf the entry it ends, so a patent removed and
     pooled again has two stays that no proof confuses. A sale keeps the stay
     (the patent never left). Only PatentPool appends.
     Capacity: 2^24 - 1 changes (16.7 million): a pool of 10,000 patents, each
     entering and leaving 800 times.
"""

DEPTH: constant(uint256) = 24

# @notice The PatentPool whose pooled set this logs: the only one that appends.
POOL: public(immutable(address))
# @dev The root of an empty subtree of each height (0: the empty leaf).
ZERO_HASHES: immutable(bytes32[DEPTH])

# @notice The leaves appended so far.
size: public(uint256)
# @dev The deposit contract's branch: the left node waiting at each height.
branch: bytes32[DEPTH]
# @notice The root after the log's first `size` leaves (0 for a size not reached).
root_at: public(HashMap[uint256, bytes32])
# @dev patent -> 1 + the index of the entry leaf of its stay in the pool, 0 while out.
stays: HashMap[bytes32, uint256]
# @dev entry index -> 1 + the index of the exit leaf that ended the stay, 0 while it lasts.
exits: HashMap[uint256, uint256]


# @notice The log's leaf `index`: `patent` entered (`entering`) or left the pool at
#         `at`; `stay` is the index of the stay's entry leaf; `root` is the root
#         after it (`root_at(index + 1)`).
event CoverageLogged:
    patent: indexed(bytes32)
    index: indexed(uint256)
    stay: uint256
    entering: bool
    at: uint256
    root: bytes32


@deploy
def __init__(pool: address):
    """
    @notice Deploys the empty log of `pool`'s pooled set.
    @param pool The PatentPool (it names this contract back: deploy at its predicted address).
    """
    assert pool != empty(address), "coverage: pool is the zero address"
    POOL = pool
    zeros: bytes32[DEPTH] = empty(bytes32[DEPTH])
    for h: uint256 in range(1, DEPTH):
        zeros[h] = keccak256(concat(zeros[h - 1], zeros[h - 1]))
    ZERO_HASHES = zeros
    self.root_at[0] = keccak256(concat(zeros[DEPTH - 1], zeros[DEPTH - 1]))


@external
def enter(patent: bytes32):
    """
    @notice Logs `patent` entering the pool (PatentPool only): a new stay.
    @param patent The patent's id.
    """
    assert msg.sender == POOL, "coverage: only the pool appends"
    assert self.stays[patent] == 0, "coverage: patent is already pooled"  # dev: PatentPool pools a rated patent only
    index: uint256 = self.size
    self.stays[patent] = index + 1
    self._append(patent, index, True)


@external
def leave(patent: bytes32):
    """
    @notice Logs `patent` leaving the pool (PatentPool only): its stay ends.
    @param patent The patent's id.
    """
    assert msg.sender == POOL, "coverage: only the pool appends"
    stay: uint256 = self.stays[patent]
    assert stay != 0, "coverage: patent is not pooled"  # dev: PatentPool calls it for a pooled patent only
    self.stays[patent] = 0
    self.exits[stay - 1] = self.size + 1
    self._append(patent, stay - 1, False)


@view
@external
def root() -> bytes32:
    """
    @notice The root of the whole log now.
    """
    return self.root_at[self.size]


@view
@external
def stay_of(patent: bytes32) -> (bool, uint256):
    """
    @notice Whether `patent` is pooled now and, if so, the index of its stay's entry leaf.
    @param patent The patent's id.
    @return (pooled, entry index; 0 when not pooled).
    """
    stay: uint256 = self.stays[patent]
    if stay == 0:
        return False, 0
    return True, stay - 1


@view
@external
def exit_of(entry: uint256) -> (bool, uint256):
    """
    @notice Whether the stay whose entry leaf is `entry` ended and, if so, the index
            of its exit leaf.
    @param entry The index of an entry leaf.
    @return (ended, exit index; 0 while it lasts or for no stay).
    """
    ended: uint256 = self.exits[entry]
    if ended == 0:
        return False, 0
    return True, ended - 1


@pure
@external
def leaf_hash(patent: bytes32, stay: uint256, entering: bool, at: uint256) -> bytes32:
    """
    @notice A leaf of the log: keccak256(abi_encode(patent, stay, entering, at)).
    @param patent The patent's id.
    @param stay The index of the stay's entry leaf.
    @param entering True for the entry, false for the exit.
    @param at When, unix seconds.
    """
    return self._leaf(patent, stay, entering, at)


@view
@external
def covered(size: uint256, patent: bytes32, entry: uint256, at: uint256, proof: bytes32[DEPTH]) -> bool:
    """
    @notice Whether `patent` was in the pooled set of the log's first `size` leaves
            (what a BPR with that snapshot covered): the entry leaf of one of its
            stays (index `entry`, logged at `at`) is among them, as `proof` shows
            against `root_at(size)`, and that stay had not ended among them.
    @param size The snapshot: a log size reached.
    @param patent The patent's id.
    @param entry The index of the stay's entry leaf.
    @param at The time the entry leaf records.
    @param proof The sibling of each height, leaf upwards.
    @return True when covered; false for any other input.
    """
    if entry >= size or size > self.size:
        return False
    if self._root_of(self._leaf(patent, entry, True, at), entry, proof) != self.root_at[size]:
        return False
    ended: uint256 = self.exits[entry]
    return ended == 0 or ended > size  # dev: its exit leaf, if any, is at `size` or later


@pure
@internal
def _leaf(patent: bytes32, stay: uint256, entering: bool, at: uint256) -> bytes32:
    return keccak256(abi_encode(patent, stay, entering, at))


@view
@internal
def _root_of(leaf: bytes32, index: uint256, proof: bytes32[DEPTH]) -> bytes32:
    node: bytes32 = leaf
    for h: uint256 in range(DEPTH):
        if (index >> h) & 1 == 1:
            node = keccak256(concat(proof[h], node))
        else:
            node = keccak256(concat(node, proof[h]))
    return node


@internal
def _append(patent: bytes32, stay: uint256, entering: bool):
    """
    @dev Appends the leaf, stores the new root by size and logs it.
    """
    index: uint256 = self.size
    assert index < 2**DEPTH - 1, "coverage: the log is full"  # dev: the deposit contract's bound
    size: uint256 = index + 1
    leaf: bytes32 = self._leaf(patent, stay, entering, block.timestamp)
    # dev: the deposit contract's insertion: climb while the new size's bit is 0
    node: bytes32 = leaf
    bits: uint256 = size
    for h: uint256 in range(DEPTH):
        if bits & 1 == 1:
            self.branch[h] = node
            break
        node = keccak256(concat(self.branch[h], node))
        bits >>= 1
    # dev: the root of `size` leaves: a set bit takes the branch on the left, a clear one an empty right
    node = empty(bytes32)
    bits = size
    for h: uint256 in range(DEPTH):
        if bits & 1 == 1:
            node = keccak256(concat(self.branch[h], node))
        else:
            node = keccak256(concat(node, ZERO_HASHES[h]))
        bits >>= 1
    self.size = size
    self.root_at[size] = node
    log CoverageLogged(patent=patent, index=index, stay=stay, entering=entering, at=block.timestamp, root=node)
