"""Revert reasons and values shared by the Families unit tests."""

from eth_utils.crypto import keccak

NUMBER = "11234567"  # the provider's patent (US)
EP_NUMBER = "EP3456789"  # its European counterpart: the same invention
FUND_NUMBER = "10555555"  # a patent the fund bought
FAMILY = keccak(text="DOCDB:54321098")  # bpsa.sdk.families.family_id("DOCDB:54321098")
OTHER_FAMILY = keccak(text="PRIORITY:US 17/123,456")
NO_FAMILY = bytes(32)

NOT_A_PARTY = (
    "families: only the patent's contributor, its mandated centre or the council for the "
    "fund sets its family"
)
NOT_IN_REGISTRY = "families: patent is not in the registry"
SAME_FAMILY = "families: the patent is already in that family"
