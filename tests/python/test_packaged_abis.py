"""The ABIs packaged with bpsa (bpsa/core/abis.json) are the contracts' as compiled now:
a changed interface fails here until `python -m bpsa.core.abis` regenerates the file, so
the off-chain processes never call a contract with a stale ABI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bpsa.core import abis

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / ".build" / "__local__.json"


@pytest.mark.skipif(not BUILD.exists(), reason="needs `ape compile` (make test runs it)")
def test_packaged_abis__match_the_compiled_contracts() -> None:
    assert abis.ABIS.read_text() == abis.render(abis.from_build(BUILD)), (
        "bpsa/core/abis.json is out of date: run `ape compile && python -m bpsa.core.abis`"
    )


def test_packaged_abis__every_deployable_a_manifest_names() -> None:
    from bpsa.core.manifest import CONTRACT_TYPES

    packaged = abis.load_abis()
    assert set(CONTRACT_TYPES.values()) | {"Swaps"} <= set(packaged)
    assert "ERC20Reference" not in packaged  # the benchmarks' reference is not the suite's


def test_from_build__reference_and_modules_left_out(tmp_path: Path) -> None:
    build = tmp_path / "__local__.json"
    build.write_text(
        json.dumps(
            {
                "contractTypes": {
                    "Pool": {"sourceId": "contracts/Pool.vy", "abi": [{"type": "fallback"}]},
                    "lib": {"sourceId": "contracts/lib.vy", "abi": []},
                    "Ref": {"sourceId": "contracts/reference/Ref.vy", "abi": [{"type": "x"}]},
                }
            }
        )
    )
    assert abis.from_build(build) == {"Pool": [{"type": "fallback"}]}


def test_main__check_on_a_stale_file__says_so_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    build = tmp_path / "__local__.json"
    build.write_text(json.dumps({"contractTypes": {"P": {"abi": [{"type": "fallback"}]}}}))
    stale = tmp_path / "abis.json"
    stale.write_text("{}\n")
    monkeypatch.setattr(abis, "ABIS", stale)
    assert abis.main(["--build", str(build), "--check"]) == 1
    assert "out of date" in capsys.readouterr().out
    assert abis.main(["--build", str(build)]) == 0
    assert abis.main(["--build", str(build), "--check"]) == 0
