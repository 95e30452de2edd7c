"""BPC.permit (EIP-2612): an allowance set by the holder's signature, sent by anyone."""

from typing import Any

import ape
import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data

from bpsa.core import eip712

EXPIRED = "erc20: expired deadline"
INVALID = "erc20: invalid signature"
HOUR = 3600


def domain(name: str, chain_id: int, contract: str) -> dict[str, Any]:
    return {"name": name, "version": "1", "chainId": chain_id, "verifyingContract": contract}


def permit_data(
    dom: dict[str, Any], owner: str, spender: str, value: int, nonce: int, deadline: int
):
    return {
        "types": {**eip712.EIP712_DOMAIN.types(), **eip712.PERMIT.types()},  # EIP-2612
        "primaryType": "Permit",
        "domain": dom,
        "message": {
            "owner": owner,
            "spender": spender,
            "value": value,
            "nonce": nonce,
            "deadline": deadline,
        },
    }


def sign(data: dict[str, Any], signer: Any) -> tuple[int, bytes, bytes]:
    """(v, r, s) of `signer`'s EIP-712 signature over `data`."""
    signed = Account.sign_typed_data(signer.private_key, full_message=data)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


@pytest.fixture
def token_domain(chain: Any, bpc: Any) -> dict[str, Any]:
    """The token's EIP-712 domain: its name, version "1", this chain, its address."""
    return domain(bpc.name(), chain.chain_id, bpc.address)


@pytest.fixture
def deadline(chain: Any) -> int:
    return int(chain.pending_timestamp) + HOUR


def permit(
    bpc: Any,
    dom: dict[str, Any],
    owner: Any,
    spender: Any,
    value: int,
    deadline: int,
    *,
    signer: Any = None,
    nonce: int | None = None,
    sender: Any = None,
) -> Any:
    """Sign a permit (by `signer`, the owner by default) and send it (by `sender`, the spender)."""
    nonce = bpc.nonces(owner) if nonce is None else nonce
    data = permit_data(dom, owner.address, spender.address, value, nonce, deadline)
    v, r, s = sign(data, signer or owner)
    return bpc.permit(owner, spender, value, deadline, v, r, s, sender=sender or spender)


def test_domain_separator__is_the_eip712_hash_of_the_token_domain(
    bpc: Any, token_domain: dict[str, Any]
) -> None:
    data = permit_data(token_domain, bpc.address, bpc.address, 0, 0, 0)

    assert bpc.DOMAIN_SEPARATOR() == bytes(encode_typed_data(full_message=data).header)
    fields = bpc.eip712Domain()
    assert (fields[1], fields[2], fields[3], fields[4]) == (
        token_domain["name"],
        "1",
        token_domain["chainId"],
        bpc.address,
    )


def test_permit__valid_signature__sets_allowance_bumps_nonce_and_logs(
    bpc: Any, token_domain: dict[str, Any], holder: Any, outsider: Any, deadline: int
) -> None:
    tx = permit(bpc, token_domain, holder, outsider, 700, deadline)

    assert bpc.allowance(holder, outsider) == 700
    assert bpc.nonces(holder) == 1
    assert tx.events.filter(bpc.Approval) == [
        bpc.Approval(owner=holder.address, spender=outsider.address, value=700)
    ]
    bpc.transferFrom(holder, outsider, 700, sender=outsider)
    assert bpc.balanceOf(outsider) == 700


def test_permit__sent_by_a_relayer__sets_the_owners_allowance(
    bpc: Any, token_domain: dict[str, Any], holder: Any, outsider: Any, attacker: Any, deadline
) -> None:
    permit(bpc, token_domain, holder, outsider, 700, deadline, sender=attacker)

    assert bpc.allowance(holder, outsider) == 700
    assert bpc.allowance(holder, attacker) == 0


def test_permit__at_the_deadline__sets_allowance(
    chain: Any, bpc: Any, token_domain: dict[str, Any], holder: Any, outsider: Any
) -> None:
    deadline = int(chain.pending_timestamp) + 10
    chain.pending_timestamp = deadline

    permit(bpc, token_domain, holder, outsider, 700, deadline)

    assert bpc.allowance(holder, outsider) == 700


def test_permit__past_the_deadline__reverts(
    chain: Any, bpc: Any, token_domain: dict[str, Any], holder: Any, outsider: Any
) -> None:
    deadline = int(chain.pending_timestamp) + 10
    chain.pending_timestamp = deadline + 1

    with ape.reverts(EXPIRED):
        permit(bpc, token_domain, holder, outsider, 700, deadline)


def test_permit__signed_by_someone_else__reverts(
    bpc: Any, token_domain: dict[str, Any], holder: Any, attacker: Any, deadline: int
) -> None:
    with ape.reverts(INVALID):
        permit(bpc, token_domain, holder, attacker, 700, deadline, signer=attacker)


def test_permit__replayed__reverts(
    bpc: Any, token_domain: dict[str, Any], holder: Any, outsider: Any, deadline: int
) -> None:
    data = permit_data(token_domain, holder.address, outsider.address, 700, 0, deadline)
    v, r, s = sign(data, holder)
    bpc.permit(holder, outsider, 700, deadline, v, r, s, sender=outsider)
    bpc.transferFrom(holder, outsider, 700, sender=outsider)

    with ape.reverts(INVALID):
        bpc.permit(holder, outsider, 700, deadline, v, r, s, sender=outsider)


def test_permit__second_permit_with_the_next_nonce__sets_the_new_allowance(
    bpc: Any, token_domain: dict[str, Any], holder: Any, outsider: Any, deadline: int
) -> None:
    permit(bpc, token_domain, holder, outsider, 700, deadline)

    permit(bpc, token_domain, holder, outsider, 5, deadline)

    assert bpc.allowance(holder, outsider) == 5
    assert bpc.nonces(holder) == 2


def test_permit__future_nonce__reverts(
    bpc: Any, token_domain: dict[str, Any], holder: Any, outsider: Any, deadline: int
) -> None:
    with ape.reverts(INVALID):
        permit(bpc, token_domain, holder, outsider, 700, deadline, nonce=1)


def test_permit__amount_other_than_signed__reverts(
    bpc: Any, token_domain: dict[str, Any], holder: Any, outsider: Any, deadline: int
) -> None:
    data = permit_data(token_domain, holder.address, outsider.address, 700, 0, deadline)
    v, r, s = sign(data, holder)

    with ape.reverts(INVALID):
        bpc.permit(holder, outsider, 7_000, deadline, v, r, s, sender=outsider)


@pytest.mark.parametrize("field", ["name", "chainId", "verifyingContract"])
def test_permit__signed_for_another_domain__reverts(
    bpc: Any,
    royalties: Any,
    token_domain: dict[str, Any],
    holder: Any,
    outsider: Any,
    deadline: int,
    field: str,
) -> None:
    other = {"name": "Another Patent Coin", "chainId": 1, "verifyingContract": royalties.address}
    dom = {**token_domain, field: other[field]}

    with ape.reverts(INVALID):
        permit(bpc, dom, holder, outsider, 700, deadline)
