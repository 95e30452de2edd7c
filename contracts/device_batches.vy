# pragma version ~=0.4.3
"""
@title device_batches
@notice Per-device licences. A maker registers a production batch as the
        Merkle root of its device serials and pays the count at the pool's
        volume schedule (a free allowance a year for an active member, a low
        and a high rate, an annual cap per maker); a non-member pays the fund's
        surcharge on top. Any device proves its licence with `verify_device`.
        A batch is made under the pool's standard device agreement in force
        when it was registered (`agreements`).
@dev A batch is three words: its maker, count, registration time and
     agreement version in one, its product and its root.
"""

from snekmate.auth import ownable
import agreements
import codes
import licence_fees

uses: ownable
uses: licence_fees
uses: agreements


struct DeviceSchedule:
    free_per_year: uint256
    low_rate: uint256
    volume_break: uint256
    high_rate: uint256
    annual_cap: uint256


struct Batch:
    maker: address
    product: bytes32
    root: bytes32
    count: uint256
    registered_at: uint256
    agreement: bytes32


# A batch as stored: `word` packs the maker (bits 0-159), the count (160-191),
# when it was registered (192-231) and the device agreement version in force
# then (232-247).
struct BatchRecord:
    word: uint256
    product: bytes32
    root: bytes32


YEAR: constant(uint256) = 365 * 86400
# @dev One batch holds at most 10^9 devices (under 2^30); a device costs at most 10^6 BPC.
BATCH_MAX: constant(uint256) = 10**9
DEVICE_RATE_MAX: constant(uint256) = 10**24
MAX_PROOF_LENGTH: constant(uint256) = 40
ADDRESS_MASK: constant(uint256) = 2**160 - 1
COUNT_SHIFT: constant(uint256) = 160
COUNT_MASK: constant(uint256) = 2**32 - 1
REGISTERED_SHIFT: constant(uint256) = 192
TIME_MASK: constant(uint256) = 2**40 - 1
AGREEMENT_SHIFT: constant(uint256) = 232
VERSION_MASK: constant(uint256) = 2**16 - 1

device_schedule: public(DeviceSchedule)
# Read a batch through `batches`.
batch_records: HashMap[uint256, BatchRecord]
batch_count: public(uint256)
# @notice Devices a maker registered in a licensing year (timestamp // 365 days).
devices_in_year: public(HashMap[address, HashMap[uint256, uint256]])
# @notice BPC a maker paid for devices in a licensing year.
paid_in_year: public(HashMap[address, HashMap[uint256, uint256]])


event BatchRegistered:
    batch: indexed(uint256)
    maker: indexed(address)
    product: indexed(bytes32)
    root: bytes32
    count: uint256
    fee: uint256
    surcharge: uint256
    agreement_version: uint256


event DeviceScheduleSet:
    free_per_year: uint256
    low_rate: uint256
    volume_break: uint256
    high_rate: uint256
    annual_cap: uint256


@deploy
def __init__(schedule: DeviceSchedule):
    """
    @notice Sets the first device schedule.
    @param schedule The per-device volume schedule (see `set_device_schedule`).
    """
    self._set_device_schedule(schedule)


@external
def set_device_schedule(schedule: DeviceSchedule):
    """
    @notice Sets the per-device volume schedule (council only).
    @param schedule Free devices an active member registers each year (its
           member record's allowance; a non-member has none), the rate up to
           the volume break (devices a year), the rate beyond it, and the most
           BPC a maker pays for devices in a year (0: no cap; a non-member's
           surcharge comes on top).
    """
    ownable._check_owner()
    self._set_device_schedule(schedule)


@external
def register_batch(product: bytes32, root: bytes32, count: uint256) -> uint256:
    """
    @notice Registers a production batch: the Merkle root of its devices and
            their count, paid at the device schedule. An active member's
            devices are free up to the year's allowance of its member record;
            a non-member (or a suspended or expelled member) has no allowance
            and pays the surcharge on top of the fee, as on a per-patent
            licence; a member's fee goes into the whole pool's royalty split,
            a non-member's fee and surcharge to the fund.
    @dev The tree is positional: the leaf of the device at position `index`
         (0 to count - 1) is keccak256(keccak256(abi_encode(index, serial))),
         a level of odd length pairs its last node with bytes32(0), and a pair
         hashes left then right. `verify_device` takes the index and accepts
         only an index below `count` with a proof exactly as long as a tree of
         `count` leaves is deep, so a batch licenses at most `count` devices
         whatever its root commits to.
    @custom:security The volume bands and the annual cap count per maker
                     address. Splitting a non-member's batches over fresh
                     addresses gains nothing while the high rate is at most
                     the low rate (a volume discount); a schedule whose high
                     rate exceeds its low rate lets non-members split.
    @param product The product's id (e.g. the digest of its model number).
    @param root The Merkle root of the devices' positional leaves.
    @param count How many devices the batch holds.
    @return The batch's id.
    """
    assert product != empty(bytes32), "licensing: empty product id"
    assert root != empty(bytes32), "licensing: empty root"
    assert count != 0 and count <= BATCH_MAX, "licensing: count must be 1 to 10^9"
    member: bool = staticcall licence_fees.ALLIANCE.is_active(msg.sender)
    year: uint256 = block.timestamp // YEAR
    before: uint256 = self.devices_in_year[msg.sender][year]
    fee: uint256 = self._device_fee(before, count, self.paid_in_year[msg.sender][year], member)
    surcharge: uint256 = 0
    if not member:
        surcharge = licence_fees._surcharge_on(fee)  # dev: rounds down, as on a per-patent licence
    self.devices_in_year[msg.sender][year] = before + count
    if fee != 0:
        self.paid_in_year[msg.sender][year] += fee  # dev: the cap bounds the fee, not the surcharge
        licence_fees._collect(msg.sender, member, fee, surcharge, empty(bytes32), root)
    batch: uint256 = self.batch_count + 1
    self.batch_count = batch
    version: uint256 = agreements.agreement_version[agreements.KIND_DEVICE]
    self.batch_records[batch] = BatchRecord(
        # dev: a timestamp fits 40 bits until the year 36812
        word=convert(msg.sender, uint256)
        | (count << COUNT_SHIFT)
        | (block.timestamp << REGISTERED_SHIFT)
        | (version << AGREEMENT_SHIFT),
        product=product,
        root=root,
    )
    log BatchRegistered(
        batch=batch,
        maker=msg.sender,
        product=product,
        root=root,
        count=count,
        fee=fee,
        surcharge=surcharge,
        agreement_version=version,
    )
    return batch


@view
@external
def batches(batch: uint256) -> Batch:
    """
    @notice A registered batch (all zero for an unknown id).
    @param batch The batch's id.
    @return Its maker, product, Merkle root, device count, registration time
            and the digest of the device agreement in force then (empty if none).
    """
    record: BatchRecord = self.batch_records[batch]
    return Batch(
        maker=convert(record.word & ADDRESS_MASK, address),
        product=record.product,
        root=record.root,
        count=(record.word >> COUNT_SHIFT) & COUNT_MASK,
        registered_at=(record.word >> REGISTERED_SHIFT) & TIME_MASK,
        agreement=agreements.agreement[agreements.KIND_DEVICE][(record.word >> AGREEMENT_SHIFT) & VERSION_MASK],
    )


@view
@external
def verify_device(batch: uint256, index: uint256, serial: bytes32, proof: DynArray[bytes32, MAX_PROOF_LENGTH]) -> bool:
    """
    @notice Whether the device `serial` at position `index` is licensed by
            `batch`.
    @dev The position binds the count: only indices below the batch's count
         verify, and the proof must be exactly as deep as a tree of `count`
         leaves, so no two devices share a position and an inner node never
         passes as a leaf.
    @param batch The batch's id.
    @param index The device's position in the batch (0 to count - 1).
    @param serial The device's serial (as bytes32, e.g. keccak256 of its text).
    @param proof The sibling hashes from its leaf up to the root.
    @return True when the batch exists, the index is below its count and the
            proof holds.
    """
    count: uint256 = (self.batch_records[batch].word >> COUNT_SHIFT) & COUNT_MASK
    if index >= count:
        return False  # dev: also an unknown batch, whose count is 0
    depth: uint256 = len(proof)
    # dev: the depth of a tree of `count` leaves is the bit length of count - 1
    if (count - 1) >> depth != 0 or (depth != 0 and (count - 1) >> (depth - 1) == 0):
        return False
    # dev: snekmate's proofs hash sorted pairs, which forget positions; this one
    # hashes left then right as the index's bits say
    node: bytes32 = keccak256(abi_encode(keccak256(abi_encode(index, serial))))
    position: uint256 = index
    for sibling: bytes32 in proof:
        if position & 1 == 0:
            node = keccak256(concat(node, sibling))
        else:
            node = keccak256(concat(sibling, node))
        position >>= 1
    return node == self.batch_records[batch].root


@view
@external
def device_fee(maker: address, count: uint256) -> uint256:
    """
    @notice What `maker` would pay now to register `count` more devices: the
            fee and, for a non-member, the fund's surcharge on top.
    @param maker The maker.
    @param count Devices.
    @return BPC (wei).
    """
    year: uint256 = block.timestamp // YEAR
    member: bool = staticcall licence_fees.ALLIANCE.is_active(maker)
    fee: uint256 = self._device_fee(self.devices_in_year[maker][year], count, self.paid_in_year[maker][year], member)
    if member:
        return fee
    return fee + licence_fees._surcharge_on(fee)


@internal
def _set_device_schedule(s: DeviceSchedule):
    assert s.low_rate <= DEVICE_RATE_MAX and s.high_rate <= DEVICE_RATE_MAX, "licensing: device rate above 10^6 BPC"
    assert s.free_per_year <= BATCH_MAX * 1000 and s.volume_break <= BATCH_MAX * 1000, "licensing: device volume above 10^12"
    self.device_schedule = s
    log DeviceScheduleSet(
        free_per_year=s.free_per_year,
        low_rate=s.low_rate,
        volume_break=s.volume_break,
        high_rate=s.high_rate,
        annual_cap=s.annual_cap,
    )


@view
@internal
def _device_fee(before: uint256, count: uint256, paid: uint256, member: bool) -> uint256:
    """
    @dev The fee for devices before+1 .. before+count of a maker's year: free up
         to the allowance (an active member's only), the low rate up to the
         volume break, the high rate beyond; no more than the annual cap minus
         what it paid this year.
    """
    s: DeviceSchedule = self.device_schedule
    free: uint256 = 0
    if member:
        free = s.free_per_year
    after: uint256 = before + count
    fee: uint256 = 0
    low_from: uint256 = max(before, free)
    low_to: uint256 = min(after, max(s.volume_break, free))
    if low_to > low_from:
        fee += (low_to - low_from) * s.low_rate
    high_from: uint256 = max(before, max(s.volume_break, free))
    if after > high_from:
        fee += (after - high_from) * s.high_rate
    if s.annual_cap != 0:
        room: uint256 = 0
        if s.annual_cap > paid:
            room = s.annual_cap - paid
        fee = min(fee, room)
    return fee
