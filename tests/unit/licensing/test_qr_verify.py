"""bpsa.core.qr.verify against the chain: a scanned device or claim code, licensed or not, why."""

from typing import Any

from bpsa.core import claims, devices, qr
from tests.fixtures.licensing import LICENSING
from tests.unit.licensing.helpers import register_devices

YEAR = 365 * 24 * 3600


def _now(chain: Any) -> int:
    return int(chain.blocks.head.timestamp)


def test_verify__device_codes__licensed_one_passes_unlicensed_one_fails(
    chain: Any, licensing: Any, bpr: Any, enterprise: Any
) -> None:
    serials, tree = register_devices(licensing, enterprise, "PRD-X1", 50)
    address = str(licensing.address)

    def code(index: int, serial: bytes, proof: list[bytes]) -> str:
        return qr.encode(qr.DevicePayload(chain.chain_id, address, 1, index, serial, proof))

    good = code(7, serials[7], tree.proof(serials[7]))
    bad = code(7, devices.serial_id("PRD-X1-FAKE"), tree.proof(serials[7]))
    unpaid = code(49, serials[49], tree.proof(serials[49]))  # in the tree, past the count

    verdict = qr.verify(good, licensing, chain.chain_id)
    assert verdict.licensed and "batch 1" in verdict.reason
    verdict = qr.verify(bad, licensing, chain.chain_id)
    assert not verdict.licensed and "no licensed batch" in verdict.reason
    verdict = qr.verify(unpaid, licensing, chain.chain_id)
    assert not verdict.licensed and "past the 49 devices" in verdict.reason


def test_verify__claim_code__holder_licensed_then_released(
    chain: Any, licensing: Any, holder: Any
) -> None:
    provider = holder
    dom = claims.domain(chain.chain_id, str(licensing.address))
    claim = claims.LicenceClaim(str(provider.address), 0, b"\x5e" * 32, _now(chain) + YEAR, 1)
    text = qr.encode(
        qr.ClaimPayload(chain.chain_id, str(licensing.address), claim,
                        claims.sign(claim, dom, provider.private_key))
    )  # fmt: skip

    assert qr.verify(text, licensing, chain.chain_id).licensed

    chain.pending_timestamp += LICENSING.min_term
    chain.mine()
    licensing.release(sender=provider)
    verdict = qr.verify(text, licensing, chain.chain_id)
    assert not verdict.licensed and "holds no BPR" in verdict.reason


def test_verify__code_for_another_chain__not_licensed(chain: Any, licensing: Any, bpr: Any) -> None:
    serials = devices.serials("PRD", 2)
    text = qr.encode(qr.DevicePayload(1, str(licensing.address), 1, 0, serials[0], []))

    verdict = qr.verify(text, licensing, chain.chain_id)

    assert not verdict.licensed and "for chain 1" in verdict.reason
