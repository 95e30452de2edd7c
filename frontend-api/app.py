"""The query service: `create_app(settings)` builds the FastAPI app.

    from bpsa.api.app import create_app
    from bpsa.api.settings import Settings
    app = create_app(Settings(manifest=..., rpc_url=..., database_url=...))

Serve it with `python -m bpsa.api --manifest ... --rpc ... --db ...`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from bpsa.api import errors
from bpsa.api.routes import health, licensing, pool, qr, sale, search, verify, web
from bpsa.api.services import Services
from bpsa.api.settings import Settings

DESCRIPTION = """
What the outside world reads of a BPSA patent pool.

* **Verification**: `POST /verify` answers whether a scanned QR code (a device in a
  registered production batch, or a licence claim signed by its holder) is licensed, why
  (`reason`, machine-readable) and the licence behind it. `GET /qr` draws a code.
* **The pool**, from the indexer's database (SQLite or PostgreSQL): members, patents with
  filters and full history, certificates with their IPFS documents, licences by holder,
  by patent and by device batch, infringement cases, NAV history, royalties, and the
  published tier schedule (one price list, the same for everyone).
* **Paid search**: `GET /search` takes a payment-channel hub receipt per query
  (`X-Payment-Receipt`) and its payer's signature of that query
  (`X-Payment-Authorization`); without a receipt it answers 402 with how to pay, without
  the payer's signature 401 (403 for anyone else's), and the receipt is not spent.

Errors are JSON `{"code", "detail"}`: `code` is machine-readable, `detail` is for people.
Lists are paged with `limit` (at most 500) and `offset`; each page says `total` and
`next_offset`. Amounts are BPC wei as decimal strings.
"""

TAGS = [
    {"name": "verification", "description": "Is this device or claim licensed?"},
    {"name": "qr", "description": "QR code images of BPSA payloads."},
    {"name": "pool", "description": "The pool's summary and NAV history."},
    {"name": "members", "description": "Alliance members."},
    {"name": "patents", "description": "Patents, their history and certificates."},
    {"name": "licensing", "description": "Tiers, licences, BPRs and device batches."},
    {"name": "cases", "description": "Infringement cases."},
    {"name": "royalties", "description": "Royalty accounts."},
    {"name": "sale", "description": "The fund's sale of BPC at NAV to members."},
    {"name": "search", "description": "Patent search, paid per query."},
    {"name": "service", "description": "Health."},
    {"name": "pages", "description": "The web pages."},
]


def create_app(settings: Settings) -> FastAPI:
    """The app over `settings`; reads the manifest and opens the database now, so a bad
    path or URL fails here with a message naming it."""
    services = Services(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        services.close()

    # FastAPIOffline: FastAPI whose /docs (Swagger UI) and /redoc load their scripts and
    # styles from the package (under /static-offline-docs), not from a CDN.
    app = FastAPIOffline(
        title="BPSA query API",
        version="1.0.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.settings = settings
    errors.install(app)
    for module in (verify, qr, pool, licensing, sale, search, health, web):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=web.STATIC), name="static")
    app.add_middleware(verify.FastVerify, svc=services)
    return app
