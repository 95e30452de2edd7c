"""The layer contract (import-linter, `[tool.importlinter]` in pyproject.toml) over the
distribution as it installs.

`oracle/`, `sidechains/` and `frontend-api/` install as `bpsa.oracle`, `bpsa.sidechains`
and `bpsa.api` (pyproject's `[tool.setuptools.package-dir]`). import-linter reads a
package from one directory, so this lays the sources out as the wheel does (a copy in a
temporary directory, nothing linked) and checks the contract there. Arguments go to
`lint-imports` (`--verbose`, `--contract <id>`).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def lay_out(dest: Path) -> None:
    """Copy `bpsa/` and each mapped folder to where the wheel puts it under `dest`."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    package_dir: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    shutil.copytree(ROOT / "bpsa", dest / "bpsa", ignore=IGNORED)
    for package, folder in package_dir.items():
        target = dest.joinpath(*package.split("."))
        shutil.copytree(ROOT / folder, target, ignore=IGNORED)


def main(argv: list[str]) -> int:
    from importlinter.cli import lint_imports_command

    with tempfile.TemporaryDirectory(prefix="bpsa-layers-") as tmp:
        lay_out(Path(tmp))
        sys.path.insert(0, tmp)
        os.chdir(tmp)
        args = ["--config", str(ROOT / "pyproject.toml"), "--no-cache", *argv]
        try:
            lint_imports_command.main(args=args, prog_name="lint-imports")
        except SystemExit as exc:
            return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
