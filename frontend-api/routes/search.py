"""GET /search: patent search paid per query with the channel hub's receipts, each spent
only on a query its payer signed.

The payer pays the hub on its channel (`bpsa.sidechains.client.ChannelClient.pay`)
and sends the hub's receipt in the `X-Payment-Receipt` header as the JSON the hub
answers with: {"channel": 1, "payer": "0x...", "nonce": 7, "amount":
"7000000000000000", "signature": "0x...", "proof": "0x...", "salt": "0x..."} (amount
cumulative; the
signature is the hub's over its batch's Merkle root, the proof leads there from this
receipt: `bpsa.sidechains.messages`), and in
`X-Payment-Authorization` its own EIP-712 signature over `PaidQuery(channel, nonce,
request)`: the receipt's channel and nonce and this query in its canonical form,
`/search?limit=20&offset=0&q=ZL2018` (`bpsa.core.channels.canonical_request`;
`ChannelClient.query_headers` makes both headers). `bpsa.sidechains.paygate.PaymentGate`
checks the receipt is the hub's for this Channels contract and chain, that its payer
signed this query (401 without a signature, 403 for anyone else's or another query's,
and the receipt is not spent), and that what it adds over the last receipt redeemed on
that channel covers the price, then records it: one receipt, one query. Unpaid,
underpaid, replayed or foreign receipts answer 402 with how to pay. The query is
checked before the receipt is spent."""

from __future__ import annotations

import json
from typing import Annotated, Any

import anyio.to_thread
from eth_utils.address import to_checksum_address
from fastapi import APIRouter, Header, Query
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from bpsa.api import db
from bpsa.api import queries as q
from bpsa.api.chain import hub_of
from bpsa.api.errors import ApiError, ErrorBody, error_response, responses
from bpsa.api.models import PaymentRequiredBody, SearchResults
from bpsa.api.services import Db, Services, Svc
from bpsa.core.channels import canonical_request
from bpsa.core.channels import domain as channel_domain
from bpsa.core.cid import digest_of
from bpsa.core.errors import InputError
from bpsa.sidechains.messages import ChannelId, Nonce, Receipt, Wei
from bpsa.sidechains.paygate import (
    AUTHORIZATION_HEADER,
    RECEIPT_HEADER,
    PaymentGate,
    PaymentRequired,
    PaymentUnauthorized,
)

router = APIRouter(tags=["search"])
HEADER = RECEIPT_HEADER
SEARCH_PAGE = 50
MAX_PROOF = 16  # hashes: a hub batch of up to 65,536 receipts (the hub makes at most 512)
RECEIPT_FORMAT = (
    'the hub\'s receipt as JSON: {"channel": <int>, "payer": "0x<address>", "nonce": <int>, '
    '"amount": "<cumulative wei>", "signature": "0x<65 bytes, the hub\'s EIP-712 '
    'ReceiptBatch(root) signature>", "proof": "0x<32-byte hashes from the receipt\'s '
    'leaf up to that root>", "salt": "0x<32 bytes>"}'
)
AUTHORIZATION_FORMAT = (
    "0x<65 bytes>: the receipt's payer's EIP-712 signature over PaidQuery(uint256 channel, "
    "uint64 nonce, string request), in the Channels domain, with the receipt's channel and "
    "nonce and request the query as /search?limit=<limit>&offset=<offset>&q=<q> "
    "(parameters sorted by name, values percent-encoded)"
)


def gate_of(svc: Services) -> PaymentGate:
    with svc.lock:
        if svc.gate is None:
            channels = svc.contract("Channels")
            hub = svc.settings.hub or hub_of(svc.rpc, channels)
            dom = channel_domain(svc.chain_id, channels)
            hub_url = svc.settings.hub_url or "the hub's URL (ask the pool)"
            svc.gate = PaymentGate(svc.settings.payments_db, dom, hub, hub_url)
        gate: PaymentGate = svc.gate
        return gate


def payment_info(svc: Services, gate: PaymentGate) -> dict[str, Any]:
    return {
        "hub_url": svc.settings.hub_url,
        "hub": str(to_checksum_address(gate.hub)),
        "channels": gate.domain.verifying_contract,
        "chain_id": gate.domain.chain_id,
        "price_wei": str(svc.settings.price_wei),
        "header": HEADER,
        "receipt_format": RECEIPT_FORMAT,
        "authorization_header": AUTHORIZATION_HEADER,
        "authorization_format": AUTHORIZATION_FORMAT,
        "how": gate.how,
    }


def _whole(value: Any) -> int:
    """A whole number from JSON: an integer, or a string of decimal digits (no floats,
    no booleans: 1e400, 1.5 and true are not amounts)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"{value!r} is not a whole number")
    if isinstance(value, str) and not (value.isascii() and value.isdigit() and len(value) <= 78):
        raise ValueError(f"{value[:80]!r} is not a whole number")
    return int(value)


def parse_receipt(text: str) -> Receipt:
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise TypeError("not a JSON object")
        channel, nonce = _whole(data["channel"]), _whole(data["nonce"])
        amount = _whole(data["amount"])
        payer = str(data["payer"])
        if not (payer.startswith("0x") and len(payer) == 42):
            raise ValueError(f"payer {payer[:50]!r} is not an address")
        bytes.fromhex(payer[2:])
        signature = bytes.fromhex(str(data["signature"]).removeprefix("0x"))
        proof = bytes.fromhex(str(data.get("proof", "0x")).removeprefix("0x"))
        salt = bytes.fromhex(str(data["salt"]).removeprefix("0x"))
    except (ValueError, KeyError, TypeError) as exc:  # json's errors are ValueErrors
        raise ApiError(
            400, "malformed_receipt", f"{HEADER} is not a receipt: {exc}; " + RECEIPT_FORMAT
        ) from None
    if not (0 <= channel < 2**256 and 0 < nonce < 2**63 and 0 <= amount < 2**256):
        raise ApiError(400, "malformed_receipt", "channel, nonce or amount out of range")
    if len(signature) != 65:
        raise ApiError(400, "malformed_receipt", "the receipt's signature is not 65 bytes")
    if len(proof) % 32 or len(proof) > 32 * MAX_PROOF:
        raise ApiError(
            400,
            "malformed_receipt",
            f"the receipt's proof is not a list of at most {MAX_PROOF} 32-byte hashes",
        )
    if len(salt) != 32:
        raise ApiError(400, "malformed_receipt", "the receipt's salt is not 32 bytes")
    return Receipt(ChannelId(channel), payer, Nonce(nonce), Wei(amount), signature, proof, salt)


def parse_authorization(text: str | None) -> bytes:
    if text is None:
        raise ApiError(
            401,
            "authorization_required",
            f"a receipt is spent only with its payer's signature of the query in "
            f"{AUTHORIZATION_HEADER}: {AUTHORIZATION_FORMAT}",
        )
    try:
        signature = bytes.fromhex(text.strip().removeprefix("0x"))
    except ValueError:
        signature = b""
    if len(signature) != 65:
        raise ApiError(
            400, "malformed_authorization", f"{AUTHORIZATION_HEADER} is {AUTHORIZATION_FORMAT}"
        )
    return signature


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _digest_of(text: str) -> str | None:
    """The 0x digest a whole CID (raw or a file's, any base) names, else None."""
    try:
        return "0x" + digest_of(text.strip()).hex()
    except InputError:
        return None


def search_patents(s: Session, chain: int, text: str, limit: int, offset: int) -> dict[str, Any]:
    like = f"%{_escape(text.strip())}%"
    stmt = (
        select(db.Patent)
        .where(
            db.Patent.chain_id == chain,
            or_(
                db.Patent.document == (_digest_of(text) or "-"),  # any CID of the document
                db.Patent.number.ilike(like, escape="\\"),
                (db.Patent.office + " " + db.Patent.number).ilike(like, escape="\\"),
                db.Patent.document_cid.ilike(like, escape="\\"),
                db.Patent.provider.ilike(like, escape="\\"),
                db.Patent.patent_id.ilike(like, escape="\\"),
            ),
        )
        .order_by(db.Patent.rating.desc().nulls_last(), db.Patent.patent_id)
    )
    return q.page(s, stmt, limit, offset)


@router.get(
    "/search",
    summary="Search patents (paid per query)",
    description="Matches the text against office and number, document CID, provider and "
    f"patent id. Needs `{HEADER}`: a channel-hub receipt adding at least the price over "
    "the last receipt redeemed on its channel, and "
    f"`{AUTHORIZATION_HEADER}`: the receipt's payer's signature of this very query; each "
    "receipt pays for exactly one query. Without a receipt: 402 with how to pay; without "
    "the payer's signature: 401 (403 if it is someone else's or another query's), and the "
    "receipt is not spent.",
    response_model=SearchResults,
    responses={
        402: {"model": PaymentRequiredBody, "description": "Pay first: how, in the body."},
        400: {"model": ErrorBody, "description": "Malformed receipt or authorization header."},
        401: {"model": ErrorBody, "description": "No payer's signature of the query."},
        403: {"model": ErrorBody, "description": "Not the receipt's payer's, or another query's."},
        **responses(422, 503),
    },
)
async def search(
    svc: Svc,
    s: Db,
    q_: Annotated[
        str,
        Query(
            alias="q",
            min_length=1,
            max_length=64,
            description="What to look for.",
            examples=["ZL2018"],
        ),
    ],
    receipt: Annotated[
        str | None,
        Header(alias=HEADER, max_length=2048, description=RECEIPT_FORMAT),
    ] = None,
    authorization: Annotated[
        str | None,
        Header(alias=AUTHORIZATION_HEADER, max_length=256, description=AUTHORIZATION_FORMAT),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=SEARCH_PAGE)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> Any:
    if not q_.strip():
        raise ApiError(422, "invalid_request", "query.q: the search text is blank")
    gate = await anyio.to_thread.run_sync(gate_of, svc)
    info = payment_info(svc, gate)
    if receipt is None:
        return _unpaid("payment_required", f"a query costs {svc.settings.price_wei} wei", info)
    paid = parse_receipt(receipt)
    signature = parse_authorization(authorization)
    request = canonical_request("/search", {"q": q_, "limit": limit, "offset": offset})
    try:
        covered = await anyio.to_thread.run_sync(
            gate.redeem, paid, svc.settings.price_wei, request, signature
        )
    except PaymentRequired as exc:
        return _unpaid(exc.code, exc.reason, info)
    except PaymentUnauthorized as exc:
        raise ApiError(403, exc.code, exc.reason) from None
    found = await anyio.to_thread.run_sync(search_patents, s, svc.chain_id, q_, limit, offset)
    found = await anyio.to_thread.run_sync(svc.documents.page, found)
    return found | {
        "query": q_,
        "paid": {"channel": paid.channel, "nonce": paid.nonce, "covered_wei": str(covered)},
    }


def _unpaid(code: str, detail: str, info: dict[str, Any]) -> Response:
    return error_response(402, code, detail, payment=info)
