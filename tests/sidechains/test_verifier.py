"""The hub's signature work off its engine thread: the pure recovery and receipt
signature agree with the generic EIP-712 path, the worker pool answers exactly what
the hub's own process would, and a worker that dies mid-job costs neither a payment
nor a false answer."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Awaitable, Callable

import pytest
from coincurve import PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as hs

from bpsa.core import channels as ch
from bpsa.core import eip712
from bpsa.sidechains import messages, verifier
from bpsa.sidechains.messages import Receipt
from bpsa.sidechains.verifier import VerifierPool, run_job
from tests.sidechains.helpers import DOM, HUB, HUB_KEY, PAYER, payment

SEPARATOR = eip712.domain_separator(DOM)
OTHER_CHAIN = eip712.domain_separator(ch.domain(1, "0x" + "cd" * 20))


def items(count: int, start: int = 1) -> list[verifier.Item]:
    return [
        (p.channel, p.nonce, p.amount, p.signature)
        for p in (payment(n) for n in range(start, start + count))
    ]


def tampered() -> list[verifier.Item]:
    """Signatures that must not recover to the payer: every way `recover_signer` says no."""
    good = payment(1)
    sig = good.signature
    high_s = (eip712.SECP256K1_N - int.from_bytes(sig[32:64], "big")).to_bytes(32, "big")
    return [
        (1, 1, good.amount + 1, sig),  # another amount: recovers someone else
        (1, 1, good.amount, sig[:64] + bytes([sig[64] ^ 1])),  # the other v
        (1, 1, good.amount, sig[:32] + high_s + bytes([55 - sig[64]])),  # malleable twin
        (1, 1, good.amount, sig[:64] + b"\x01"),  # v not 27/28
        (1, 1, good.amount, b"\x00" * 65),  # r = 0
        (1, 1, good.amount, sig[:64]),  # 64 bytes
    ]


def test_recover_signer__valid_proof__the_payer_as_eip712_recovers_it():
    p = payment(7)

    signer = verifier.recover_signer(SEPARATOR, p.channel, p.nonce, p.amount, p.signature)

    digest = ch.BalanceProof(p.channel, p.nonce, p.amount).digest(DOM)
    assert signer == eip712.recover_address_bytes(digest, p.signature)
    assert signer is not None and signer.hex() == PAYER[2:].lower()


def test_recover_signer__other_domain__someone_else():
    p = payment(7)

    signer = verifier.recover_signer(OTHER_CHAIN, p.channel, p.nonce, p.amount, p.signature)

    assert signer is not None and signer.hex() != PAYER[2:].lower()


def test_recover_signer__tampered__same_answer_as_eip712_and_never_the_payer():
    for channel, nonce, amount, signature in tampered():
        signer = verifier.recover_signer(SEPARATOR, channel, nonce, amount, signature)
        digest = ch.BalanceProof(channel, nonce, amount).digest(DOM)
        assert signer == eip712.recover_address_bytes(digest, signature)
        assert signer is None or signer.hex() != PAYER[2:].lower()


@settings(max_examples=60, deadline=None)
@given(
    nonce=hs.integers(1, 2**64 - 1),
    amount=hs.integers(0, 2**96 - 1),
    signature=hs.binary(min_size=65, max_size=65),
    v=hs.sampled_from([0, 1, 27, 28, 29]),
)
def test_recover_signer__any_bytes__same_answer_as_eip712(nonce, amount, signature, v):
    signature = signature[:64] + bytes([v])
    digest = ch.BalanceProof(3, nonce, amount).digest(DOM)

    signer = verifier.recover_signer(SEPARATOR, 3, nonce, amount, signature)

    assert signer == eip712.recover_address_bytes(digest, signature)


def test_sign_receipts__one_payment__the_generic_eip712_digest_of_its_leaf_as_root():
    payer = bytes.fromhex(PAYER[2:])

    [(salt, signature, proof)] = messages.sign_receipts(
        PrivateKey(HUB_KEY), SEPARATOR, [(4, payer, 9, 123)]
    )

    message = {"channel": 4, "payer": PAYER, "nonce": 9, "amount": 123, "salt": salt}
    leaf = eip712.RECEIPT.hash_message(message)
    types = {"ReceiptBatch": ch.TYPES["ReceiptBatch"]}
    generic = eip712.digest(eip712.typed_data(DOM, types, "ReceiptBatch", {"root": leaf}))
    assert proof == b""  # a batch of one: its leaf is the root
    assert len(salt) == 32 and salt != bytes(32)
    assert messages.receipt_leaf(4, PAYER, 9, 123, salt) == leaf
    assert messages.receipt_digest(SEPARATOR, 4, payer, 9, 123, salt) == generic
    assert messages.receipt_digest(DOM, 4, PAYER, 9, 123, salt) == generic
    assert ch.TYPEHASH["Receipt"] == eip712.RECEIPT.typehash
    assert Receipt(4, PAYER, 9, 123, signature, proof, salt).signer(DOM) == HUB
    assert Receipt(4, HUB, 9, 123, signature, proof, salt).signer(DOM) != HUB  # its payer's


@pytest.mark.parametrize("count", [2, 3, 7, 64, 2_048])
def test_sign_receipts__a_batch__one_signature_and_each_receipt_proves_its_own_payment(count):
    batch = [(1 + n % 5, PAYER, n, n * 10**15) for n in range(1, count + 1)]

    signed = run_job("sign", SEPARATOR, PrivateKey(HUB_KEY), batch)

    receipts = [
        Receipt(*i, sig, proof, salt) for i, (salt, sig, proof) in zip(batch, signed, strict=True)
    ]
    assert len({sig for _, sig, _ in signed}) == 1  # one secp256k1 signature for the batch
    assert len({salt for salt, _, _ in signed}) == count  # a fresh salt per receipt
    assert all(r.signer(DOM) == HUB for r in receipts)
    assert max(len(proof) for _, _, proof in signed) == 32 * (count - 1).bit_length()


def test_receipt__from_a_batch__forged_payment_salt_or_proof__not_the_hubs():
    """A receipt's signature covers the whole batch: no change to its payment or salt,
    and no other receipt's proof, leads to the signed root."""
    batch = [(1, PAYER, n, n * 10**15) for n in range(1, 9)]  # a full tree: no leaf promoted
    signed = messages.sign_receipts(PrivateKey(HUB_KEY), SEPARATOR, batch)
    (salt, sig, proof), (other_salt, _, other_proof) = signed[2], signed[3]
    assert Receipt(1, PAYER, 3, 3 * 10**15, sig, proof, salt).signer(DOM) == HUB
    assert len(proof) == len(other_proof) == 3 * 32

    forged = [
        Receipt(1, PAYER, 3, 10**18, sig, proof, salt),  # more paid than was
        Receipt(1, PAYER, 9, 9 * 10**15, sig, proof, salt),  # a payment not in the batch
        Receipt(2, PAYER, 3, 3 * 10**15, sig, proof, salt),  # another channel
        Receipt(1, HUB, 3, 3 * 10**15, sig, proof, salt),  # another payer
        Receipt(1, PAYER, 3, 3 * 10**15, sig, proof, other_salt),  # another receipt's salt
        Receipt(1, PAYER, 3, 3 * 10**15, sig, other_proof, salt),  # another receipt's proof
        Receipt(1, PAYER, 4, 4 * 10**15, sig, proof, other_salt),  # its neighbour, my proof
        Receipt(1, PAYER, 3, 3 * 10**15, sig, proof[:32], salt),  # a proof cut short
        Receipt(1, PAYER, 3, 3 * 10**15, sig, proof + bytes(32), salt),  # a proof made longer
    ]
    assert [r.signer(DOM) == HUB for r in forged] == [False] * len(forged)
    assert Receipt(1, PAYER, 3, 3 * 10**15, sig, proof[:-1], salt).signer(DOM) is None
    assert Receipt(1, PAYER, 3, 3 * 10**15, sig, proof, salt[:31]).signer(DOM) is None


def test_run_job__unknown_kind__refused():
    with pytest.raises(ValueError, match="unknown job"):
        run_job("forge", SEPARATOR, PrivateKey(HUB_KEY), [(1, 1, 1)])


def with_pool(workers: int, scenario: Callable[[VerifierPool], Awaitable[None]]) -> None:
    async def run() -> None:
        pool = VerifierPool(workers, SEPARATOR, HUB_KEY)
        try:
            await pool.start()
            await scenario(pool)
        finally:
            pool.close()

    asyncio.run(run())


def test_pool__mixed_batches__answers_identical_to_the_hubs_own_process():
    batch = items(40) + tampered()
    receipts = [(1, bytes.fromhex(PAYER[2:]), n, n * 7) for n in range(1, 30)]
    here = PrivateKey(HUB_KEY)

    async def scenario(pool: VerifierPool) -> None:
        recovered, signed, empty = await asyncio.gather(
            pool.recover(batch), pool.sign(receipts), pool.recover([])
        )
        assert recovered == run_job("recover", SEPARATOR, here, batch)
        assert len(signed) == len(receipts)  # salts are random: each checked instead
        assert all(
            Receipt(c, PAYER, n, a, sig, proof, salt).signer(DOM) == HUB
            for (c, _, n, a), (salt, sig, proof) in zip(receipts, signed, strict=True)
        )
        assert empty == []
        assert pool.fallbacks == 0 and pool.inline == 0  # the workers did it

    with_pool(2, scenario)


def test_pool__small_job_while_idle__computed_here_with_the_same_answer():
    batch = items(2) + tampered()[:2]

    async def scenario(pool: VerifierPool) -> None:
        recovered = await pool.recover(batch)

        assert recovered == run_job("recover", SEPARATOR, PrivateKey(HUB_KEY), batch)
        assert (pool.inline, pool.fallbacks) == (1, 0)

    with_pool(1, scenario)


def test_pool__worker_killed_mid_job__every_answer_still_computed_and_worker_replaced():
    batch = items(600)  # about 30 ms of work: the kill lands while it runs

    async def scenario(pool: VerifierPool) -> None:
        await pool.recover(items(10))  # the worker is up (imports done)
        victim = pool.workers[0].process
        running = pool.recover(batch)
        await asyncio.sleep(0.005)
        os.kill(victim.pid, signal.SIGKILL)

        recovered = await running

        assert recovered == run_job("recover", SEPARATOR, PrivateKey(HUB_KEY), batch)
        assert pool.fallbacks == 1  # the job in flight was computed here
        for _ in range(100):  # replaced a second later (it died young)
            if pool.respawned:
                break
            await asyncio.sleep(0.05)
        assert pool.respawned == 1 and pool.workers[0].process.pid != victim.pid
        assert await pool.recover(batch[:50]) == recovered[:50]
        assert pool.fallbacks == 1  # the new worker answered

    with_pool(1, scenario)


def test_pool__worker_cannot_start__jobs_computed_here_without_spinning(monkeypatch):
    monkeypatch.setattr(verifier._Worker, "command", (sys.executable, "-c", "pass"))
    batch = items(3) + tampered()

    async def scenario(pool: VerifierPool) -> None:
        await asyncio.sleep(0.3)  # the worker exits at once
        recovered = await pool.recover(batch)

        assert recovered == run_job("recover", SEPARATOR, PrivateKey(HUB_KEY), batch)
        assert pool.fallbacks == 1 and pool.inline == 0
        assert pool.respawned <= 1  # one replacement a second at most

    with_pool(1, scenario)


def test_pool__no_workers__refused():
    with pytest.raises(ValueError, match="at least one worker"):
        VerifierPool(0, SEPARATOR, HUB_KEY)
