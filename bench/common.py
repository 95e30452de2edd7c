"""A benchmark's result, as bench/results.json records it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Result:
    value: float | int
    unit: str
    reference: float | int | None = None

    @property
    def ratio(self) -> float | None:
        if self.reference is None:
            return None
        return round(self.value / self.reference, 4)

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


def pool_and_minter(project: Any, accounts: Any, deployer: Any, council: Any) -> tuple[Any, Any]:
    """A fresh alliance and pool with default parameters, and the pool's account (given
    gas money) to mint BPC as: where a benchmark of another contract starts."""
    from ape import chain

    from bpsa.sdk.deploy import PoolParams, deploy_pool

    alliance = project.Alliance.deploy(council.address, sender=deployer)
    pool = deploy_pool(project, deployer, alliance.address, council.address, PoolParams())
    chain.provider.set_balance(pool["PatentPool"].address, 10**18)
    return pool, accounts[pool["PatentPool"].address]


# The sha2-256 digest of an expert's reasoning document (PatentPool.rate takes one).
REASONING = b"\x5e" * 32
