"""Revert reasons and helpers shared by the Coverage unit tests."""

from __future__ import annotations

from typing import Any

from bpsa.core.coverage import Change, CoverageLog

ONLY_POOL = "coverage: only the pool appends"
ALREADY_POOLED = "coverage: patent is already pooled"
NOT_POOLED = "coverage: patent is not pooled"
POOL_ZERO = "coverage: pool is the zero address"


def key(n: int) -> bytes:
    """A stand-in patent id."""
    return n.to_bytes(32, "big")


def log_of(chain: Any, coverage: Any) -> CoverageLog:
    """The Python mirror of `coverage`'s log, replayed from its CoverageLogged events."""
    events = coverage.CoverageLogged.range(0, chain.blocks.height + 1)
    return CoverageLog(
        Change(int(e.index), bytes(e.patent), int(e.stay), bool(e.entering), int(e.at))
        for e in sorted(events, key=lambda e: int(e.index))
    )
