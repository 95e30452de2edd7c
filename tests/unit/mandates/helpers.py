"""Revert reasons and values shared by the Mandates unit tests."""

from bpsa.core import certificates as certs
from tests.fixtures.pool import MANDATE_SHARE_BPS, TERMS

ZERO = "0x" + "00" * 20
NUMBER = "11234567"  # the provider's pooled patent
PATENT = bytes(certs.patent_id("US", NUMBER))
OTHER_NUMBER = "22345678"
OTHER_TERMS = bytes.fromhex("5a" * 32)  # another agreement's CID digest
REFERENCE = b"\x02" * 32  # what a per-patent fee is for
BPC = 10**18
BPS = 10_000
SHARE = MANDATE_SHARE_BPS
__all__ = ["TERMS"]

NOT_IN_REGISTRY = "mandates: patent is not in the registry"
NOT_CONTRIBUTOR = "mandates: only the contributor of record offers a mandate"
CENTRE_ZERO = "mandates: centre is the zero address"
OWN_CENTRE = "mandates: a contributor cannot be its own centre"
NOT_CENTRE = "mandates: centre is not an active trusteeship centre"
EMPTY_TERMS = "mandates: empty terms digest"
SHARE_TOO_HIGH = "mandates: share above the council's centre share"
EXPIRY_PAST = "mandates: expiry must be in the future"
IN_FORCE = "mandates: a mandate is in force: end it first"
NO_OFFER = "mandates: no offer to the caller for this patent"
ALREADY = "mandates: mandate already accepted"
TERMS_DIFFER = "mandates: the offer's terms, share or expiry differ"
OFFER_EXPIRED = "mandates: the offer expired"
NO_MANDATE = "mandates: no mandate or offer for this patent"
NOT_A_PARTY = "mandates: only the contributor or the centre ends a mandate before its expiry"
ONLY_MANDATES = "pool: only the mandates contract sets a centre"
