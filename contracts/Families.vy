# pragma version ~=0.4.3
"""
@title Families
@notice Patent families of one PatentPool: patents filed in several offices
        from one invention (a US patent and its EP counterpart) share a family
        id, so the registry, the API and the CLI show them together. A
        patent's family is set, changed or cleared by whoever may act for it:
        its contributor of record, the trusteeship centre whose accepted
        mandate is in force (PatentPool.ownership names it), or the council
        for the fund's patents. One family per patent; every change is logged.
@dev The id is a bytes32 by convention the keccak-256 of the family's
     number in the EPO's DOCDB (INPADOC) families, written "DOCDB:<number>",
     or, without one, of the priority application, "PRIORITY:<office>
     <number>" (bpsa.sdk.families.family_id derives it from text). The
     contract checks who speaks for a patent, not that the patent belongs to
     the family: a family is what the patent's own party declares, and the
     office feed's family number (oracle/feed.py) is how a reader checks it.
     A family stays with its patent across tenures and lives (it is a fact of
     the invention); the patent's new party may change it.
"""

from interfaces import IPatentPool
import codes


POOL: public(immutable(IPatentPool))
FUND: public(immutable(address))

# @notice patent -> its family id (zero: none).
family_of: public(HashMap[bytes32, bytes32])


# @notice `by` set the family of `patent` to `family` (zero: it left `previous`).
event FamilySet:
    patent: indexed(bytes32)
    family: indexed(bytes32)
    previous: bytes32
    by: indexed(address)


@deploy
def __init__(pool: IPatentPool):
    """
    @notice Deploys the families of `pool`.
    @param pool The PatentPool.
    """
    assert pool.address != empty(address), "families: pool is the zero address"
    POOL = pool
    FUND = staticcall pool.FUND()


@external
def set_family(patent: bytes32, family: bytes32):
    """
    @notice Sets (or, with zero, clears) the family of a patent in the
            registry: its contributor of record, its trusteeship centre under
            an accepted mandate in force, or the council for the fund's
            patents.
    @custom:security A centre that was only nominated, whose offer is not
                     accepted, or whose mandate expired or ended, is no party
                     (`ownership` names a centre only while its mandate is in
                     force); nor is a former contributor once the patent
                     changed hands.
    @param patent The patent's id.
    @param family The family id (see the module's @dev), or zero to leave its family.
    """
    status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    tenure: uint256 = 0
    status, contributor, centre, tenure = staticcall POOL.ownership(patent)
    assert status >= codes.PATENT_SUBMITTED and status <= codes.PATENT_POOLED, "families: patent is not in the registry"
    # dev: `centre` is zero unless its accepted mandate is in force
    assert msg.sender == contributor or (msg.sender == centre and centre != empty(address)) or (contributor == FUND and msg.sender == staticcall POOL.owner()), "families: only the patent's contributor, its mandated centre or the council for the fund sets its family"
    previous: bytes32 = self.family_of[patent]
    assert family != previous, "families: the patent is already in that family"
    self.family_of[patent] = family
    log FamilySet(patent=patent, family=family, previous=previous, by=msg.sender)
