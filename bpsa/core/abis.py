"""The deployables' ABIs, packaged with bpsa (`bpsa/core/abis.json`), so that a process
talking to a chain through `bpsa.core.chain` needs neither ape nor a compiled project.

The file is generated from `ape compile`'s output and committed; a test checks that it
matches the contracts as compiled now. After changing a contract's interface:

    ape compile && python -m bpsa.core.abis
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path
from typing import Any

from bpsa.core.errors import ManifestError

ABIS = Path(__file__).with_name("abis.json")
BUILD = Path(".build") / "__local__.json"

Abi = list[dict[str, Any]]


@functools.cache
def _packaged() -> dict[str, Abi]:
    try:
        data: dict[str, Abi] = json.loads(ABIS.read_text())
    except (OSError, ValueError) as exc:
        raise ManifestError(f"cannot read the packaged ABIs in {ABIS}: {exc}") from None
    return data


def load_abis() -> dict[str, Abi]:
    """Contract type (`PatentPool`, `Licensing`, ...) -> its ABI."""
    return dict(_packaged())


def from_build(build: Path = BUILD) -> dict[str, Abi]:
    """The ABIs of every contract `ape compile` wrote to `build` that has one (modules
    without an external interface, and the benchmarks' reference contracts under
    `contracts/reference/`, are left out)."""
    try:
        types = json.loads(build.read_text())["contractTypes"]
    except (OSError, ValueError, KeyError) as exc:
        raise ManifestError(f"cannot read {build} ({exc}): run `ape compile`") from None
    return {
        name: ct["abi"]
        for name, ct in sorted(types.items())
        if ct.get("abi") and not str(ct.get("sourceId", "")).startswith("contracts/reference/")
    }


def render(abis: dict[str, Abi]) -> str:
    return json.dumps(abis, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bpsa.core.abis", description=__doc__)
    parser.add_argument("--build", type=Path, default=BUILD, help="ape's compiled project")
    parser.add_argument("--check", action="store_true", help="only say whether it is current")
    args = parser.parse_args(argv)
    text = render(from_build(args.build))
    if args.check:
        current = ABIS.exists() and ABIS.read_text() == text
        print(f"{ABIS}: {'current' if current else 'out of date: run python -m bpsa.core.abis'}")
        return 0 if current else 1
    ABIS.write_text(text)
    print(f"wrote {ABIS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
