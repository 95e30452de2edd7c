"""mypy over the whole distribution, with each folder under its import name.

`oracle/`, `sidechains/` and `frontend-api/` are the packages `bpsa.oracle`,
`bpsa.sidechains` and `bpsa.api` (pyproject's `[tool.setuptools.package-dir]`), which
mypy's own file discovery cannot know: it names a module after its path. This runs mypy
with the same configuration (`[tool.mypy]`) on the same files, telling it each module's
import name. Arguments are passed to mypy (`python tools/typecheck.py --no-incremental`).
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from mypy import build
from mypy.errors import CompileError
from mypy.find_sources import create_source_list
from mypy.fscache import FileSystemCache
from mypy.main import process_options
from mypy.modulefinder import BuildSource, FindModuleCache, ModuleSearchResult

ROOT = Path(__file__).resolve().parents[1]


def mapped_sources(package_dir: dict[str, str]) -> list[BuildSource]:
    """Every .py file under each mapped folder, named by its import name."""
    sources = []
    for package, folder in sorted(package_dir.items()):
        base = ROOT / folder
        for path in sorted(base.rglob("*.py")):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            sources.append(BuildSource(str(path.relative_to(ROOT)), ".".join([package, *parts])))
    return sources


def resolve_mapped(package_dir: dict[str, str]) -> None:
    """Teach mypy's module finder the mapping, so an import of `bpsa.api.db` (or
    `from bpsa.sidechains import state`) finds `frontend-api/db.py` as the installed
    package would."""
    original = FindModuleCache.find_module

    def find_module(
        self: FindModuleCache, id: str, *, fast_path: bool = False
    ) -> ModuleSearchResult:
        for package, folder in package_dir.items():
            if id == package or id.startswith(package + "."):
                rest = id[len(package) :].lstrip(".").split(".") if id != package else []
                base = ROOT.joinpath(folder, *[p for p in rest if p])
                for candidate in (base / "__init__.py", base.with_suffix(".py")):
                    if candidate.is_file():
                        return str(candidate.relative_to(ROOT))
        return original(self, id, fast_path=fast_path)

    FindModuleCache.find_module = find_module  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    package_dir: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    resolve_mapped(package_dir)
    fscache = FileSystemCache()
    _, options = process_options([*argv, "--", "bpsa"], fscache=fscache)
    files = [f for f in config["tool"]["mypy"]["files"] if f not in package_dir.values()]
    sources = create_source_list(files, options, fscache)
    sources += mapped_sources(package_dir)
    try:
        result = build.build(sources, options, fscache=fscache)
        messages = result.errors
    except CompileError as exc:
        messages = exc.messages
    for line in messages:
        print(line)
    errors = [m for m in messages if ": error:" in m]
    files_with_errors = {m.split(":", 1)[0] for m in errors}
    if errors:
        print(
            f"Found {len(errors)} errors in {len(files_with_errors)} files "
            f"(checked {len(sources)} source files)"
        )
        return 1
    print(f"Success: no issues found in {len(sources)} source files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
