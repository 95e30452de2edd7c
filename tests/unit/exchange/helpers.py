"""Revert reasons, terms and prices shared by the Exchange unit tests."""

from __future__ import annotations

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from bpsa.core import certificates as certs
from tests.fixtures.exchange import EXCHANGE
from tests.fixtures.pool import DAY

ZERO = "0x" + "00" * 20
BPC = 10**18
YEAR = 365 * DAY
NUMBER = "11234567"
PATENT = bytes(certs.patent_id("US", NUMBER))
PRICE = 1_000 * BPC
TO_POOL = PRICE * EXCHANGE.pool_share_bps // 10_000
TO_SELLER = PRICE - TO_POOL
DURATION = 2 * YEAR
FIELD = "payment terminals"
TERRITORY = "CN"
# the digest of an exclusive licence's agreement document (any non-empty bytes32 here)
AGREEMENT = keccak(b"sample exclusive licence agreement")
PRICE_MAX = 10**28  # Exchange.PRICE_MAX: 10^10 BPC
DURATION_MAX = 50 * YEAR

ASSIGNMENT, EXCLUSIVE_LICENCE = 1, 2
MANDATE_TERM = 90 * DAY  # how long the test mandates run
OPEN, SOLD, CANCELLED = 1, 2, 3

NOT_OWNER = "ownable: caller is not the owner"
NO_OPEN_LISTING = "exchange: no open listing"
UNKNOWN_PATENT = "exchange: unknown patent"
NOT_POOLED = "exchange: patent is not pooled yet"
REMOVED = "exchange: patent was removed from the pool"
EXPIRED = "exchange: patent expired"
WITHDRAWN = "exchange: patent was withdrawn"
LAPSED = "exchange: patent's certificate no longer holds"
ALREADY_LISTED = "exchange: patent is already listed"
USAGE_RIGHT = "exchange: a usage right cannot be assigned"
NOT_LISTER = "exchange: only the patent's contributor or an agent it mandated lists it"
NOT_FUND_LISTER = "exchange: only the council lists the fund's patents"
LISTER_INACTIVE = "exchange: the lister is not an active member"
BAD_PRICE = "exchange: price must be 1 wei to 10^10 BPC"
BAD_DURATION = "exchange: duration must be 1 second to 50 years"
TERMS_LISTED = "exchange: per-patent listings of these terms are active"
TERMS_EXCLUSIVE = "exchange: an exclusive licence runs for these terms"
NOT_CANCELLER = "exchange: only the lister, the patent's contributor or the council cancels"
MANDATE_EXPIRED = "exchange: the mandate expired"
BELOW_FLOOR = "exchange: price below the mandate's floor"
MANDATE_ENDED = "exchange: the lister's mandate is no longer in force"
NOT_GRANTOR = "exchange: only the patent's contributor gives a mandate"
NOT_REVOKER = "exchange: only the patent's contributor or the agent revokes a mandate"
NO_MANDATE = "exchange: no such mandate"
CHANGED_HANDS = "exchange: the patent changed hands since it was listed"
OWN_LISTING = "exchange: the seller cannot buy its own listing"
NOT_ASSIGNEE = "exchange: an assignee must be a provider or the fund"
NOT_LICENSEE = "exchange: an exclusive licensee must be an active member"
SHARE_ABOVE = "exchange: pool share above 10,000 bps"
NO_ALLOWANCE = "erc20: insufficient allowance"


def terms_key(patent: bytes, field: str = FIELD, territory: str = TERRITORY) -> bytes:
    """Licensing.terms_key, computed off chain."""
    return keccak(
        encode(
            ["bytes32", "bytes32", "bytes32"],
            [patent, keccak(field.encode()), keccak(territory.encode())],
        )
    )
