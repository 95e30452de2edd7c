"""Gas of licensing: converting BPC into a BPR and releasing it, buying a per-patent
licence, registering a batch of 100,000 device serials, and proving one device.

A pool with one pooled patent (council: an externally owned account, so set-up is a
transaction per step); its provider (an SME, as `gas_pool._members` admits members)
converts at its tier and releases after the minimum term; a non-member buys a
licence on the patent's listing (price and surcharge to the fund), then a member does
(its price to the licensed patent, Royalties.pay_for); a maker (a member,
within its record's free allowance) registers 100,000 serials (one Merkle root of
positional leaves) and one device's proof from its position is checked
(`verify_device`, a view: its eth_estimateGas). Then the provider converts again and
the off-chain QR verification rate is measured (`bench/rate_qr.py`) over that batch
and its claims.
"""

from __future__ import annotations

import hashlib
from typing import Any

from bench import rate_qr
from bench.common import REASONING, Result
from bench.gas_pool import _members
from bpsa.core import certificates as certs
from bpsa.core import claims, devices, qr
from bpsa.core.codes import CertStatus, Role, Source
from bpsa.sdk.deploy import LicensingParams, PoolParams, deploy_licensing, deploy_pool

DOCUMENT = bytes.fromhex("d0" * 32)
YEAR = 365 * 24 * 3600
BATCH = 100_000


def scenario() -> dict[str, Any]:
    """Deploys and runs the measured transactions; returns their receipts ("receipts":
    benchmark name -> receipt), the contracts by name ("contracts") and what `run` needs
    after them. `bench/gas_breakdown.py` traces the same receipts."""
    from ape import accounts, chain, project

    acct = accounts.test_accounts
    deployer, council, provider, experts = acct[0], acct[9], acct[3], acct[15:18]
    oracle, buyer, maker, second_buyer = acct[12], acct[19], acct[18], acct[14]
    roles = [(provider, Role.PROVIDER), (oracle, Role.ORACLE)]
    roles += [(expert, Role.EXPERT) for expert in experts]  # the pool's quorum of three
    roles.append((maker, Role.DEMANDER))  # a member: its record's free allowance applies
    alliance = _members(project, deployer, council, roles)
    pool_params = PoolParams(oracle_threshold=1)
    pool = deploy_pool(project, deployer, alliance.address, council.address, pool_params)
    desk = deploy_licensing(
        project, deployer, alliance.address, pool, council.address, LicensingParams()
    )
    lic = desk["Licensing"]
    bpc, patent_pool = pool["BPC"], pool["PatentPool"]

    patent = certs.patent_id("US", "11234567")
    zero = "0x" + "00" * 20
    source = int(Source.CONTRIBUTED)
    patent_pool.submit("US", "11234567", DOCUMENT, source, zero, 0, sender=provider)
    expiry = int(chain.pending_timestamp) + YEAR
    owner = str(provider.address)
    cert = certs.Certificate("US", "11234567", DOCUMENT, owner, CertStatus.IN_FORCE, expiry, 1)
    domain = certs.domain(chain.chain_id, str(pool["Certificates"].address))
    sigs = certs.quorum([certs.sign_certificate(domain, cert, oracle.private_key)])
    pool["Certificates"].attest(cert.as_arg(), sigs, sender=provider)
    patent_pool.certify(patent, sender=provider)
    for expert in experts:
        patent_pool.rate(patent, 80, 100_000 * 10**18, REASONING, sender=expert)
    patent_pool.pool(patent, sender=council)  # the provider holds 1,000 BPC

    # The council's standard agreements (BPR, per-patent, device), as a deployment sets
    # them: every licence below records one, and a conversion passes the digest of the
    # BPR agreement it read (as the SDK and CLI do), checked against the one in force.
    for kind in (1, 2, 3):
        lic.set_agreement(kind, hashlib.sha256(b"agreement %d" % kind).digest(), sender=council)
    bpr_agreement = hashlib.sha256(b"agreement 1").digest()
    price = int(lic.price_of(provider.address))
    bpc.approve(lic.address, price, sender=provider)
    convert = lic.convert(bpr_agreement, sender=provider)
    # A second member (an expert, also an SME) converts while the first still holds:
    # the desk's totals and its BPC balance are no longer zero. It releases first, so
    # the provider's release is the last one, as before.
    second = experts[0]
    bpc.transfer(second.address, 2 * price, sender=provider)
    bpc.approve(lic.address, price, sender=second)
    convert_steady = lic.convert(bpr_agreement, sender=second)
    chain.pending_timestamp += int(lic.min_term())
    chain.mine()
    lic.release(sender=second)
    release = lic.release(sender=provider)

    lic.list_terms(patent, 10**18, YEAR, "payment terminals", "worldwide", sender=provider)
    bpc.transfer(buyer.address, 10 * 10**18, sender=provider)
    bpc.approve(lic.address, 10 * 10**18, sender=buyer)
    buy = lic.buy(1, sender=buyer)
    # A second non-member buys on the same listing: the royalty ledger, the fund and
    # the desk's counters already hold their first values.
    bpc.transfer(second_buyer.address, 10 * 10**18, sender=provider)
    bpc.approve(lic.address, 10 * 10**18, sender=second_buyer)
    buy_steady = lic.buy(1, sender=second_buyer)
    # A member (the SME expert) buys on the same listing: its price goes to the licensed
    # patent alone (Royalties.pay_for credits the contributor; the fund takes its share).
    bpc.approve(lic.address, 10**18, sender=second)
    buy_member = lic.buy(1, sender=second)
    # A second member (the maker, a demander) buys on the same listing: the patent's
    # royalty totals and its contributor's balance already exist (the steady member path).
    bpc.transfer(maker.address, 10**18, sender=provider)
    bpc.approve(lic.address, 10**18, sender=maker)
    buy_member_steady = lic.buy(1, sender=maker)

    serials = devices.serials("PRD-X1", BATCH)
    tree = devices.DeviceTree(serials)
    bpc.transfer(maker.address, 500 * 10**18, sender=provider)
    bpc.approve(lic.address, 500 * 10**18, sender=maker)
    register = lic.register_batch(devices.product_id("PRD-X1"), tree.root, BATCH, sender=maker)
    one = serials[31_415]
    proof = tree.proof(one)
    if not lic.verify_device(1, 31_415, one, proof):
        raise RuntimeError("bench: the device proof did not verify")
    data = bytes(lic.verify_device.encode_input(1, 31_415, one, proof))
    verify = chain.provider.web3.eth.estimate_gas(
        {"to": str(lic.address), "data": "0x" + data.hex()}
    )

    contracts = pool | desk | {"Alliance": alliance}
    receipts = {
        "gas.licensing.convert": convert,
        "gas.licensing.convert_steady": convert_steady,
        "gas.licensing.release": release,
        "gas.licensing.buy": buy,
        "gas.licensing.buy_steady": buy_steady,
        "gas.licensing.buy_member": buy_member,
        "gas.licensing.buy_member_steady": buy_member_steady,
        "gas.licensing.device_batch100k": register,
    }
    return {
        "receipts": receipts,
        "contracts": contracts,
        "verify": int(verify),
        "tree": tree,
        "serials": serials,
        "provider": provider,
        "price": price,
    }


def run() -> dict[str, Result]:
    from ape import chain

    ran = scenario()
    lic, receipts, provider = ran["contracts"]["Licensing"], ran["receipts"], ran["provider"]
    # The provider converts again, to sign licence claims for the QR rate.
    ran["contracts"]["BPC"].approve(lic.address, ran["price"], sender=provider)
    lic.convert(sender=provider)
    chain_id, address = int(chain.chain_id), str(lic.address)
    codes = _qr_codes(chain_id, address, ran["tree"], ran["serials"], provider)
    rates = rate_qr.measure(chain.provider.uri, chain_id, address, codes)
    register = receipts.pop("gas.licensing.device_batch100k")
    return (
        rates
        | {name: Result(r.gas_used, "gas") for name, r in receipts.items()}
        | {
            "gas.licensing.device_batch100k_per_device": Result(
                round(register.gas_used / BATCH, 2), "gas"
            ),
            "gas.licensing.verify_device": Result(ran["verify"], "gas"),
        }
    )


def _qr_codes(
    chain_id: int, licensing: str, tree: Any, serials: list[bytes], holder: Any
) -> list[str]:
    """1,000 scanned texts: devices of the batch and the holder's BPR claims, alternating."""
    dom = claims.domain(chain_id, licensing)
    codes = []
    for i in range(500):
        serial = serials[i * 197]
        device = qr.DevicePayload(chain_id, licensing, 1, i * 197, serial, tree.proof(serial))
        claim = claims.LicenceClaim(str(holder.address), 0, serial, 2**40, i)
        signature = claims.sign(claim, dom, holder.private_key)
        signed = qr.ClaimPayload(chain_id, licensing, claim, signature)
        codes += [qr.encode(device), qr.encode(signed)]
    return codes
