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
