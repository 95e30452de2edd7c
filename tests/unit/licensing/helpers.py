"""Revert reasons, prices and small helpers shared by the Licensing and BPR unit tests."""

from __future__ import annotations

from typing import Any

from bpsa.core import devices
from bpsa.core.codes import Kind
from tests.fixtures.licensing import LICENSING
from tests.fixtures.pool import DAY, ENTERPRISE_SHARE_BPS

ZERO = "0x" + "00" * 20
ONE = 10**18
YEAR = 365 * DAY
TIER_MAX = 10**30  # Licensing.TIER_MAX: 10^12 BPC
RATE_MAX = TIER_MAX // 10_000  # the per-bps rate that reaches TIER_MAX at a full share
MIN_TERM_MAX = 10 * YEAR

NOT_OWNER = "ownable: caller is not the owner"
NOT_ACTIVE = "licensing: not an active member"
HOLDS_BPR = "licensing: already holds a BPR"
NO_TIER = "licensing: no tier price for this member kind"
NOTHING_TO_RELEASE = "licensing: no converted BPR to release"
TERM_NOT_OVER = "licensing: minimum term not over"
ONLY_NON_PROFITS = "licensing: only non-profits receive a free BPR"
ONLY_EXPELLED = "licensing: only an expelled member's BPR is revoked"
HOLDS_NO_BPR = "licensing: holds no BPR"
UNKNOWN_KIND = "licensing: unknown member kind"
PRICE_ABOVE = "licensing: price above 10^12 BPC"
RATE_ABOVE = "licensing: rate above 10^12 BPC at full share"
TERM_ABOVE = "licensing: minimum term above ten years"
NO_ALLOWANCE = "erc20: insufficient allowance"
NO_BALANCE = "erc20: transfer amount exceeds balance"

AGREEMENT_CHANGED = "licensing: the BPR agreement in force is not the one given"
UNKNOWN_AGREEMENT_KIND = "licensing: unknown agreement kind"
EMPTY_AGREEMENT = "licensing: empty agreement digest"
BPR_AGREEMENT, PER_PATENT_AGREEMENT, DEVICE_AGREEMENT = 1, 2, 3  # agreements.KIND_*
# the digest of an exclusive licence's agreement document (any non-empty bytes32 here)
AGREEMENT = bytes.fromhex("ab" * 32)

NOT_TRANSFERABLE = "bpr: a licence is not transferable (release it; the new holder converts)"
NOT_APPROVABLE = "bpr: a licence cannot be approved"

ENTERPRISE_PRICE = (
    LICENSING.large_enterprise + ENTERPRISE_SHARE_BPS * LICENSING.large_enterprise_per_bps
)
# What each kind locks under the session schedule (the large enterprise at its 12.5% share).
PRICE_BY_KIND = {
    Kind.NON_PROFIT: 0,
    Kind.START_UP: LICENSING.start_up,
    Kind.SME: LICENSING.sme,
    Kind.LARGE_ENTERPRISE: ENTERPRISE_PRICE,
    Kind.INDIVIDUAL: LICENSING.individual,
}
PAYING_KINDS = [k for k, price in PRICE_BY_KIND.items() if price]


def kind_id(kind: Kind) -> str:
    return kind.name.lower()


def register_devices(
    licensing: Any, enterprise: Any, product: str, count: int
) -> tuple[list[bytes], devices.DeviceTree]:
    """`enterprise` registers a batch (id 1 if it is the first) of `count` serials of
    `product`, paying for all but the last; returns the serials and their tree."""
    serials = devices.serials(product, count)
    tree = devices.DeviceTree(serials)
    licensing.register_batch(devices.product_id(product), tree.root, count - 1, sender=enterprise)
    return serials, tree


def fund_buyer(bpc: Any, provider: Any, buyer: Any, spender: Any, amount: int) -> None:
    """`provider` hands `buyer` `amount` of its own BPC and `buyer` approves `spender` for
    it: a buyer paid from a member's BPC, so that no BPC is minted for it."""
    bpc.transfer(buyer, amount, sender=provider)
    bpc.approve(spender, amount, sender=buyer)


def wait(chain: Any, seconds: int) -> None:
    chain.pending_timestamp += seconds
    chain.mine()


def deploy_licensing_raw(
    project: Any, deployer: Any, contracts: dict[str, Any], **given: Any
) -> Any:
    """Deploys a Licensing straight from its constructor (no Python-side checks), filling
    every argument by name from `given` over the session schedule and collection.

    `contracts` maps "alliance", "bpc", "bpr", "pool", "royalties", "fund" and "council"
    to addresses. Arguments are matched by name so this keeps working when later steps
    of the licensing issue add constructor parameters with a neutral default here.
    """
    values: dict[str, Any] = {
        **contracts,
        "tier_prices": LICENSING.tiers(),
        "large_enterprise_price_per_bps": LICENSING.large_enterprise_per_bps,
        "min_term": LICENSING.min_term,
        "surcharge_bps": 0,
        "device_schedule": (0, 0, 0, 0, 0),
        **given,
    }
    inputs = project.Licensing.contract_type.constructor.inputs
    return project.Licensing.deploy(*(values[i.name] for i in inputs), sender=deployer)


def assert_lock_returned(
    tx: Any, ended: Any, bpc: Any, bpr: Any, licensing: Any, holder: Any
) -> None:
    """`tx` ended the only BPR there was, `holder`'s start-up conversion: the BPR burned,
    its whole lock (LICENSING.start_up) back with the holder, Licensing left holding and
    counting nothing, and `ended` (`licensing.Released` or `licensing.Revoked`) logged."""
    assert bpr.balanceOf(holder) == 0
    assert bpr.totalSupply() == 0
    assert bpc.balanceOf(holder) == LICENSING.start_up
    assert bpc.balanceOf(licensing) == 0
    assert licensing.locked(holder) == 0
    assert licensing.unlocks_at(holder) == 0
    assert licensing.total_locked() == 0
    assert licensing.conversions() == 0
    assert tx.events.filter(ended) == [ended(holder=holder.address, returned=LICENSING.start_up)]
    assert tx.events.filter(bpr.Transfer) == [
        bpr.Transfer(sender=holder.address, receiver=ZERO, value=1)
    ]
    assert tx.events.filter(bpc.Transfer) == [
        bpc.Transfer(sender=licensing.address, receiver=holder.address, value=LICENSING.start_up)
    ]
