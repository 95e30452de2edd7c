"""Issue 15, review: a node is tricked into certifying a patent for a member posing as its
owner.

A node certifies a submission when the name in the contributor's identity record is the
owner's name in the office feed. A member admitted with an identity record carrying the
real owner's name (a KYC slip) submitted the owner's patent once the owner withdrew it,
and the nodes signed a certificate naming the impostor: it could pool the patent and mint
its BPC. A node now also reads who the patent's earlier certificates named: when another
address with an identity record of the same name holds one, two members answer to the
office's owner and the node refuses, naming both, for the council to resolve.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bpsa.core import certificates as certs
from bpsa.core.accounts import dev_account
from bpsa.core.cid import digest_of
from bpsa.core.codes import Kind, PatentStatus, Role
from bpsa.oracle.aggregator import Aggregator
from bpsa.oracle.node import CertificateNode
from tests.oracle.helpers import FEED, IN_FORCE, status, submit

pytestmark = pytest.mark.filterwarnings("ignore:The 'strict' parameter:FutureWarning")


@pytest.fixture
def impostor(accounts: Any, oracle_world: dict[str, Any], oracle_store: Any) -> Any:
    """A member whose identity record carries the real owner's name (accounts[3]'s)."""
    member, council = accounts[5], accounts[9]
    record = json.dumps({"name": "Hangzhou Chain Labs", "sample": True}).encode()
    alliance = oracle_world["Alliance"]
    alliance.apply(int(Kind.SME), digest_of(oracle_store.put(record)), sender=member)
    alliance.admit(member.address, *alliance.application_of(member.address), sender=council)
    alliance.grant_role(member.address, int(Role.PROVIDER), sender=council)
    return member


def test_nodes__member_posing_as_the_owner_of_a_patent_certified_before__refused(
    accounts, oracle_world, oracle_store, pool_chain, board, impostor
):
    owner = accounts[3]
    nodes = [
        CertificateNode(f"node{i}", pool_chain, oracle_store, FEED, board, dev_account(i))
        for i in (12, 13)
    ]
    aggregator = Aggregator(pool_chain, board, dev_account(11))
    submit(oracle_world, oracle_store, owner, *IN_FORCE[0])
    for node in nodes:
        node.step()
    aggregator.step()
    assert status(oracle_world, *IN_FORCE[0]) == PatentStatus.CERTIFIED
    # the owner withdraws it; the impostor submits it with its own document
    pool = oracle_world["PatentPool"]
    pool.withdraw(certs.patent_id(*IN_FORCE[0]), sender=owner)
    document = json.dumps({"office": IN_FORCE[0][0], "number": IN_FORCE[0][1], "v": 2}).encode()
    pool.submit(*IN_FORCE[0], digest_of(oracle_store.put(document)), 1, "0x" + "00" * 20, 0,
                sender=impostor)  # fmt: skip

    for node in nodes:
        stats = node.step()
        assert (stats.signed, stats.refused) == (0, 1)
    aggregator.step()

    assert status(oracle_world, *IN_FORCE[0]) == PatentStatus.SUBMITTED
    reason = next(
        r.reason for r in board.refusals() if r.submission.contributor == impostor.address
    )
    assert "answer to the owner's name" in reason and owner.address in reason
