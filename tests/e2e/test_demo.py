"""`make demo`'s scenario, run as a user runs it: `ape run demo` in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo__runs_the_scenario__summary_shows_outcome(tmp_path):
    env = {**os.environ, "BPSA_DEPLOYMENTS_DIR": str(tmp_path)}
    ape = Path(sys.executable).with_name("ape")
    result = subprocess.run(
        [str(ape), "run", "demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "Members (8 active):" in out
    assert "Hangzhou Chain Labs" in out and "roles=provider,demander" in out
    assert "Pearl River Devices" in out and "share=12.50%" in out
    assert "Shadow Patents Ltd" in out and "rejected" in out
    assert "council #3 [executed] 'reject Shadow Patents Ltd' yes=2 no=1" in out
    assert "7 proposals executed" in out
    # The pool: certified by a single certificate and a batch, rated, two pooled at NAV.
    assert "single certificate, 2 signatures" in out and "proven from the batch" in out
    assert "refused before sending: its score 56 is under the core threshold 60" in out
    assert "the start-up received 1440 BPC; NAV 100 USD/BPC; pooled value 144000" in out
    assert "start-up (contributor)  claimed 17.499999999999999999 BPC" in out
    assert "the fund holds 5 BPC" in out
    assert "Pool BPC: 2 patents pooled, NAV 100 USD per BPC, supply 1440" in out
    assert "large-enterprise 500 BPC" in out
    assert "the start-up locked 20 BPC and holds 1 BPR" in out
    assert (tmp_path / "local.json").is_file()
