"""bench/README.md's gas table shows the figures bench/results.json holds (STYLE.md rule 15)."""

import json
import re
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_bench_readme__gas_rows__match_results_json():
    results = json.loads((BENCH / "results.json").read_text())
    rows = re.findall(r"^\| `([\w.]+)` \| ([\d,]+) \|", (BENCH / "README.md").read_text(), re.M)
    assert rows, "no gas rows found in bench/README.md"
    table = {name: int(value.replace(",", "")) for name, value in rows}
    gas = {name: r["value"] for name, r in results.items() if r["unit"] == "gas"}
    assert table == gas


def test_bench_results__each_entry__has_the_four_fields():
    results = json.loads((BENCH / "results.json").read_text())
    for name, result in results.items():
        assert set(result) == {"value", "unit", "reference", "ratio"}, name
        if result["reference"] is None:
            assert result["ratio"] is None, name
