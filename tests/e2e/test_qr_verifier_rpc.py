"""bpsa.core.qr.Verifier: scanned codes checked over raw JSON-RPC give the same verdicts as
bpsa.core.qr.verify through ape (and as the contract's own views), one eth_call each.
Here, not with the Licensing unit tests: it needs a node (anvil) to send its requests to."""

from typing import Any

import pytest

from bpsa.core import claims, devices, qr
from bpsa.core.errors import InputError
from tests.unit.licensing import conftest as licensing_unit
from tests.unit.licensing.helpers import register_devices

YEAR = 365 * 24 * 3600
holder = licensing_unit.holder  # the fixture: a start-up holding a converted BPR


@pytest.fixture
def verifier(chain: Any, licensing: Any) -> Any:
    v = qr.Verifier(chain.provider.uri, int(chain.chain_id), str(licensing.address))
    yield v
    v.close()


def _same(verifier: Any, licensing: Any, chain: Any, text: str) -> qr.Verdict:
    fast: qr.Verdict = verifier.verify(text)
    assert fast == qr.verify(text, licensing, int(chain.chain_id))
    return fast


def test_verifier__devices__same_verdicts_as_ape_and_the_contract(
    chain: Any, licensing: Any, enterprise: Any, verifier: Any
) -> None:
    serials, tree = register_devices(licensing, enterprise, "PRD-V", 20)
    address = str(licensing.address)

    def code(batch: int, index: int, serial: bytes, proof: list[bytes]) -> str:
        payload = qr.DevicePayload(int(chain.chain_id), address, batch, index, serial, proof)
        return qr.encode(payload)

    def agree(batch: int, index: int, serial: bytes, proof: list[bytes]) -> bool:
        verdict = _same(verifier, licensing, chain, code(batch, index, serial, proof))
        assert verdict.licensed is licensing.verify_device(batch, index, serial, proof)
        return bool(verdict.licensed)

    proof = tree.proof(serials[3])
    assert agree(1, 3, serials[3], proof)
    assert not agree(1, 3, devices.serial_id("PRD-V-FAKE"), proof)
    assert not agree(1, 2, serials[3], proof)  # another position
    assert not agree(9, 3, serials[3], proof)  # no such batch
    assert not agree(1, 19, serials[19], tree.proof(serials[19]))  # past the count paid for
    elsewhere = qr.encode(qr.DevicePayload(1, address, 1, 3, serials[3], proof))
    assert "for chain 1" in _same(verifier, licensing, chain, elsewhere).reason


def test_verifier__claims__same_verdicts_as_ape_and_the_contract(
    chain: Any, licensing: Any, holder: Any, verifier: Any
) -> None:
    provider = holder
    dom = claims.domain(int(chain.chain_id), str(licensing.address))
    now = int(chain.blocks.head.timestamp)

    def code(nonce: int, expiry: int) -> tuple[str, Any, bytes]:
        claim = claims.LicenceClaim(str(provider.address), 0, b"\x5e" * 32, expiry, nonce)
        sig = claims.sign(claim, dom, provider.private_key)
        payload = qr.ClaimPayload(int(chain.chain_id), str(licensing.address), claim, sig)
        return qr.encode(payload), claim, sig

    live, claim, sig = code(5, now + YEAR)
    verdict = _same(verifier, licensing, chain, live)
    assert verdict.licensed and bool(licensing.verify_claim(claim.as_arg(), sig))
    stale, claim, sig = code(5, now + 60)
    chain.pending_timestamp += 120
    chain.mine()
    verdict = _same(verifier, licensing, chain, stale)
    assert not verdict.licensed and "expired" in verdict.reason
    assert not licensing.verify_claim(claim.as_arg(), sig)
    licensing.cancel_claims(6, sender=provider)
    verdict = _same(verifier, licensing, chain, live)
    assert not verdict.licensed and "cancelled" in verdict.reason


def test_verifier__bad_rpc_url__input_error(licensing: Any) -> None:
    with pytest.raises(InputError, match="http"):
        qr.Verifier("ws://127.0.0.1:8545", 1, str(licensing.address))


def test_verifier__node_down__chain_error_then_recovers(
    chain: Any, licensing: Any, verifier: Any
) -> None:
    down = qr.Verifier("http://127.0.0.1:9", int(chain.chain_id), str(licensing.address))
    text = qr.encode(qr.DevicePayload(int(chain.chain_id), str(licensing.address), 1, 0,
                                      bytes(32), []))  # fmt: skip

    with pytest.raises(qr.ChainError, match="did not answer"):
        down.verify(text)
    assert not verifier.verify(text).licensed  # a working node answers the same code
