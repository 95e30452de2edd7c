"""The package as a user installs it, not as we edit it: a wheel built from the project's
files, installed into a fresh virtual environment and run away from the source tree.

Its commands answer `--help`; the data it ships (the contracts' ABIs, the page, the sample
feed) is inside it; the ape project's deploy script, run by that environment's Python,
deploys the suite to an anvil with the installed package; and the chain gateway reads the
deployment back with the packaged ABIs (no ape, no `.build`).

The fresh environment takes the package's dependencies from the project's own venv (a
`.pth` line), so the test installs nothing from the network; bpsa itself comes only from
the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from bpsa.sdk.localchain import Anvil

ROOT = Path(__file__).resolve().parents[2]
APE = "import sys; from ape._cli import cli; sys.argv[0] = 'ape'; sys.exit(cli())"

pytestmark = pytest.mark.services  # an anvil of its own


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)  # type: ignore[call-overload, no-any-return]


def project_files() -> list[str]:
    """What a fresh clone holds (tracked files, and new ones not ignored)."""
    listed = run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True)
    return [f for f in listed.stdout.splitlines() if (ROOT / f).is_file()]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    for name in project_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), "."],
        cwd=source,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "dist").glob("bpsa-*.whl")

    venv = work / "venv"
    made = run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
        ).stdout.strip()
    )
    # The dependencies, from the project's venv; bpsa only from the wheel.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    installed = run([*pip, "install", "--no-deps", "--no-index", "-q", str(wheel)])
    assert installed.returncode == 0, installed.stdout + installed.stderr
    away = work / "elsewhere"
    away.mkdir()
    return {"venv": venv, "python": python, "site": site, "away": away, "work": work}


def env_of(fresh: dict[str, Path], **extra: str) -> dict[str, str]:
    path = f"{fresh['venv'] / 'bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}"
    clean = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return {**clean, "PATH": path, **extra}


def test_installed__imports_come_from_the_wheel_with_its_data(fresh: dict[str, Path]) -> None:
    probe = (
        "import json, bpsa, bpsa.api.app, bpsa.oracle.node, bpsa.sidechains.hub, bpsa.core.abis;"
        "from importlib.resources import files;"
        "print(json.dumps({'bpsa': bpsa.__file__,"
        " 'api': bpsa.api.app.__file__,"
        " 'abis': sorted(bpsa.core.abis.load_abis()),"
        " 'page': files('bpsa.api').joinpath('static/index.html').is_file(),"
        " 'feed': files('bpsa.oracle').joinpath('data/sample_office_feed.json').is_file()}))"
    )
    out = run([str(fresh["python"]), "-c", probe], cwd=fresh["away"], env=env_of(fresh))
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["bpsa"].startswith(str(fresh["site"]))
    assert found["api"] == str(fresh["site"] / "bpsa" / "api" / "app.py")
    assert {"PatentPool", "Licensing", "Channels", "Swaps", "Governance"} <= set(found["abis"])
    assert found["page"] and found["feed"]


@pytest.mark.parametrize(
    ("command", "says"),
    [
        (["bpsa", "--help"], "swap"),
        (["bpsa-hub", "--help"], "serve"),
        (["bpsa-oracle", "--help"], "node"),
    ],
)
def test_installed__commands_answer_help(
    fresh: dict[str, Path], command: list[str], says: str
) -> None:
    script = fresh["venv"] / "bin" / command[0]
    assert script.read_text().splitlines()[0] == f"#!{fresh['python']}"
    out = run([str(script), *command[1:]], cwd=fresh["away"], env=env_of(fresh))
    assert out.returncode == 0, out.stdout + out.stderr
    assert says in out.stdout


def test_installed__deploys_to_anvil_and_the_gateway_reads_it(fresh: dict[str, Path]) -> None:
    project = fresh["work"] / "project"
    for name in ("ape-config.yaml", "scripts/deploy.py"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, project / name)
    shutil.copytree(ROOT / "contracts", project / "contracts")
    if (ROOT / ".build").is_dir():  # compiled already: the same sources need no compiler run
        shutil.copytree(ROOT / ".build", project / ".build")
    deployments = fresh["work"] / "deployments"
    env = env_of(fresh, BPSA_DEPLOYMENTS_DIR=str(deployments))
    with Anvil(31337) as anvil:
        deploy = [str(fresh["python"]), "-c", APE, "run", "deploy"]
        deploy += ["--network", "ethereum:local:foundry"]
        deploy += ["--provider-settings", json.dumps({"host": anvil.url})]
        deployed = run(deploy, cwd=project, env=env)
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        assert "Manifest written to" in deployed.stdout
        read = (
            "import json, sys;"
            "from bpsa.core import manifest; from bpsa.core.chain import Gateway;"
            "gw = Gateway(sys.argv[1], manifest.load('local'));"
            "print(json.dumps([gw.chain_id(), gw.contract('BPC').functions.symbol().call(),"
            " gw.contract('PatentPool').functions.BPC().call()]))"
        )
        out = run([str(fresh["python"]), "-c", read, anvil.url], cwd=fresh["away"], env=env)
    assert out.returncode == 0, out.stderr
    chain_id, symbol, bpc = json.loads(out.stdout)
    written = json.loads((deployments / "local.json").read_text())
    assert (chain_id, symbol) == (31337, "BPC")
    assert bpc.lower() == written["contracts"]["BPC"]["address"].lower()
