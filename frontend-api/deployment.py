"""The deployment manifest file the query service and the indexer both start from."""

from __future__ import annotations

import json
from pathlib import Path

from bpsa.core.errors import ManifestError
from bpsa.core.manifest import Manifest


def read_manifest(path: str | Path) -> Manifest:
    """The manifest in this file; `ManifestError` says what is wrong with it."""
    p = Path(path)
    try:
        text = p.read_text()
    except FileNotFoundError:
        raise ManifestError(
            f"cannot read the deployment manifest: no manifest file at {p}"
        ) from None
    except OSError as exc:
        raise ManifestError(f"cannot read the deployment manifest {p}: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{p}: not valid JSON ({exc})") from None
    return Manifest.from_json(data, source=str(p))
