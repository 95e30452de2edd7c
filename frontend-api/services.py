"""What a worker holds for its routes: settings, manifest, node, database, payment gate."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from bpsa.api import db
from bpsa.api.deployment import read_manifest
from bpsa.api.documents import DocumentNames
from bpsa.api.errors import ApiError
from bpsa.api.settings import Settings
from bpsa.api.verify import ScanVerifier
from bpsa.core.errors import ManifestError
from bpsa.core.rpc import Rpc
from bpsa.oracle.store import ContentStore, IpfsStore, LocalStore

DOCUMENT_TIMEOUT = 1.0  # seconds the store may take to name one document


class Services:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.manifest = read_manifest(settings.manifest)
        self.rpc = Rpc(settings.rpc_url, timeout=5.0)
        self.licensing = self.manifest.address("Licensing")
        self.verifier = ScanVerifier(
            self.rpc, self.manifest.chain_id, self.licensing, settings.root_ttl
        )
        self.engine = db.open_db(settings.database_url)
        self.sessions = db.sessions(self.engine)
        self.chain_id = self.manifest.chain_id
        self.lock = threading.Lock()
        self.gate: Any = None  # the payment gate, opened on the first paid query
        self.documents = DocumentNames(document_store(settings))

    def close(self) -> None:
        self.rpc.close()
        self.engine.dispose()

    def contract(self, name: str) -> str:
        try:
            return self.manifest.address(name)
        except ManifestError as exc:
            raise ApiError(503, "not_configured", str(exc)) from None


def document_store(settings: Settings) -> ContentStore | None:
    """The content store the settings name, if any (a short timeout: answers wait on it)."""
    if settings.ipfs_api is not None:
        return IpfsStore(settings.ipfs_api, timeout=DOCUMENT_TIMEOUT)
    if settings.store_dir is not None:  # not open_store(): BPSA_IPFS_API must not win here
        return LocalStore(settings.store_dir)
    return None


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def session(request: Request) -> Iterator[Session]:
    with services(request).sessions() as s:
        yield s


# What a route asks for: `s: Db`, the request's session; `svc: Svc`, the app's services.
Db = Annotated[Session, Depends(session)]
Svc = Annotated[Services, Depends(services)]
