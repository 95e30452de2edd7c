"""GET /search: patent search paid per query with the channel hub's receipts.

The payer pays the hub on its channel (`bpsa.sidechains.client.ChannelClient.pay`)
and sends the hub's receipt in the `X-Payment-Receipt` header as the JSON the hub
answers with: {"channel": 1, "nonce": 7, "amount": "7000000000000000", "signature":
"0x..."} (amount cumulative, as signed). `bpsa.sidechains.paygate.PaymentGate` checks
it is the hub's for this Channels contract and chain and that what it adds over the
last receipt redeemed on that channel covers the price, then records it: one receipt,
one query. Unpaid, underpaid, replayed or foreign receipts answer 402 with how to pay.
The query is checked before the receipt is spent."""

from __future__ import annotations

import json
from typing import Annotated, Any

import anyio.to_thread
from eth_utils.address import to_checksum_address
from fastapi import APIRouter, Depends, Header, Query
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from bpsa.api import db
from bpsa.api import queries as q
from bpsa.api.errors import ApiError, ErrorBody, error_response, responses
from bpsa.api.models import PaymentRequiredBody, SearchResults
from bpsa.api.services import Services, services, session
from bpsa.channels import domain as channel_domain
from bpsa.sidechains.engine import Receipt
from bpsa.sidechains.paygate import PaymentGate, PaymentRequired

router = APIRouter(tags=["search"])
HEADER = "X-Payment-Receipt"
SEARCH_PAGE = 50
RECEIPT_FORMAT = (
    'the hub\'s receipt as JSON: {"channel": <int>, "nonce": <int>, "amount": "<cumulative wei>", '
    '"signature": "0x<65 bytes, the hub\'s EIP-712 Receipt signature>"}'
)


def gate_of(svc: Services) -> PaymentGate:
    with svc.lock:
        if svc.gate is None:
            channels = svc.contract("Channels")
            hub = svc.settings.hub or svc.rpc.hub(channels)
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
        "how": gate.how,
    }


def parse_receipt(text: str) -> Receipt:
    try:
        data = json.loads(text)
        channel, nonce, amount = int(data["channel"]), int(data["nonce"]), int(data["amount"])
        signature = bytes.fromhex(str(data["signature"]).removeprefix("0x"))
    except (ValueError, KeyError, TypeError) as exc:
        raise ApiError(
            400, "malformed_receipt", f"{HEADER} is not a receipt: {exc}; " + RECEIPT_FORMAT
        ) from None
    if not (0 <= channel < 2**256 and 0 < nonce < 2**63 and 0 <= amount < 2**256):
        raise ApiError(400, "malformed_receipt", "channel, nonce or amount out of range")
    if len(signature) != 65:
        raise ApiError(400, "malformed_receipt", "the receipt's signature is not 65 bytes")
    return Receipt(channel, nonce, amount, signature)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_patents(s: Session, chain: int, text: str, limit: int, offset: int) -> dict[str, Any]:
    like = f"%{_escape(text.strip())}%"
    stmt = (
        select(db.Patent)
        .where(
            db.Patent.chain_id == chain,
            or_(
                db.Patent.number.ilike(like, escape="\\"),
                (db.Patent.office + " " + db.Patent.number).ilike(like, escape="\\"),
                db.Patent.document_cid.ilike(like, escape="\\"),
                db.Patent.provider.ilike(like, escape="\\"),
                db.Patent.patent_id.ilike(like, escape="\\"),
            ),
        )
        .order_by(db.Patent.rating.desc().nulls_last(), db.Patent.patent_id)
    )
    return q.page(s, stmt, limit, offset, q.patent)


@router.get(
    "/search",
    summary="Search patents (paid per query)",
    description="Matches the text against office and number, document CID, provider and "
    f"patent id. Needs `{HEADER}`: a channel-hub receipt adding at least the price over "
    "the last receipt redeemed on its channel; each receipt pays for exactly one query. "
    "Without one: 402 with how to pay.",
    response_model=SearchResults,
    responses={
        402: {"model": PaymentRequiredBody, "description": "Pay first: how, in the body."},
        400: {"model": ErrorBody, "description": "Malformed receipt header."},
        **responses(422, 503),
    },
)
async def search(
    svc: Annotated[Services, Depends(services)],
    s: Annotated[Session, Depends(session)],
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
        Header(alias=HEADER, max_length=1024, description=RECEIPT_FORMAT),
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
    try:
        covered = await anyio.to_thread.run_sync(gate.redeem, paid, svc.settings.price_wei)
    except PaymentRequired as exc:
        return _unpaid(exc.code, exc.reason, info)
    found = await anyio.to_thread.run_sync(search_patents, s, svc.chain_id, q_, limit, offset)
    return found | {
        "query": q_,
        "paid": {"channel": paid.channel, "nonce": paid.nonce, "covered_wei": str(covered)},
    }


def _unpaid(code: str, detail: str, info: dict[str, Any]) -> Response:
    return error_response(402, code, detail, payment=info)
