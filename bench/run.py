"""`make bench`: run every benchmark and write bench/results.json.

results.json maps a benchmark name to {"value", "unit", "reference", "ratio"};
reference and ratio are null where no reference applies. Gas is a receipt's
gasUsed, the 21,000 base included. Each module under bench/ exposes
`run() -> dict[str, Result]`; this file runs them on one fresh local chain.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench import (  # noqa: E402
    gas_certificates,
    gas_channels,
    gas_exchange,
    gas_governance,
    gas_licensing,
    gas_pool,
    gas_sale,
    gas_swaps,
    rate_api,
    rate_hub,
    rate_indexer,
    rate_oracle,
    rate_qr,
    time_swaps,
)
from bench.common import Result  # noqa: E402

MODULES = [gas_governance, gas_pool, gas_licensing, gas_channels, gas_swaps, rate_hub, rate_oracle]
MODULES += [rate_api]  # the query API's POST /verify (frontend-api)
MODULES += [rate_indexer]  # the chain indexer's catch-up (frontend-api)
MODULES += [gas_exchange]  # the patent exchange (Exchange.vy) beside Molecule's OTC sale
MODULES += [time_swaps]  # a BPC-APC swap end to end on two local chains
MODULES += [gas_sale]  # the fund's sale of BPC at NAV (Sale.vy)
MODULES += [gas_certificates]  # many certificates in one transaction (a multi-proof)
# Runnable by name only: `make bench` measures the QR rate inside gas_licensing, whose
# batch and claims it needs; `python bench/run.py rate_qr` re-measures just that rate.
BY_NAME = [rate_qr]


def main() -> None:
    """`python bench/run.py` runs every module; `python bench/run.py gas_licensing ...`
    re-runs only those and keeps the other figures of results.json."""
    from ape import networks

    names = sys.argv[1:]
    known = {m.__name__.rsplit(".", 1)[-1]: m for m in MODULES + BY_NAME}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown bench module(s) {unknown}; known: {', '.join(known)}")
    out = HERE / "results.json"
    results: dict[str, Result] = {}
    if names and out.exists():
        for key, entry in json.loads(out.read_text()).items():
            results[key] = Result(entry["value"], entry["unit"], entry["reference"])
    with networks.ethereum.local.use_provider("foundry"):
        for module in [known[n] for n in names] or MODULES:
            results.update(module.run())
    out.write_text(
        json.dumps({k: v.as_json() for k, v in sorted(results.items())}, indent=2) + "\n"
    )
    width = max(len(k) for k in results)
    for name, result in sorted(results.items()):
        ref = (
            ""
            if result.reference is None
            else f"  (reference {result.reference}, ratio {result.ratio:.3f})"
        )
        print(f"{name:<{width}}  {result.value:>10} {result.unit}{ref}")
    print(f"wrote {out}")
    refresh_table(results)


def refresh_table(results: dict[str, Result]) -> None:
    """Rewrite the figures of bench/README.md's table rows (`| `name` | value |`)."""
    readme = HERE / "README.md"

    def row(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in results:
            return match.group(0)
        return f"| `{name}` | {results[name].value:,} |"

    text = readme.read_text()
    readme.write_text(re.sub(r"^\| `([\w.]+)` \| [\d,.]+ \|", row, text, flags=re.M))
    missing = sorted(set(results) - set(re.findall(r"^\| `([\w.]+)` \|", text, re.M)))
    if missing:
        print(f"bench/README.md has no row for: {', '.join(missing)}; add one")


if __name__ == "__main__":
    main()
