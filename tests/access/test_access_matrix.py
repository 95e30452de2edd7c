"""Who may call what, generated from the ABIs.

Every non-view function of every contract the suite deploys (Alliance, the council
and the congress (Governance), the pool's Certificates, Fund, BPC, Royalties and
PatentPool and its Coverage log, the licence desk's BPR and Licensing, the case register
Infringements, the payment channels Channels, the Exchange and the sale desk Sale)
is privileged unless PUBLIC names it. Each privileged function must
refuse every caller but its owner with exactly its access reason, so a function
added later is covered without editing this file (and one that should be public
fails here until PUBLIC names it), and a revert for any other reason (a bad
argument, a missing record) does not count as access control. The refusals are
simulated (eth_call from each caller, see `_refusals`); the owner's control call is a
real transaction.

The public functions that are gated by something other than ownership (an oracle
quorum, a member's role, the council for the fund's patents, the contributor, a case's
filing centre) have their own tests by caller after the matrix.
"""

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from ape import project
from ape.exceptions import ContractLogicError

from bpsa.core import certificates as certs
from bpsa.core.codes import CaseStatus, CertStatus, PatentStatus, Source
from bpsa.core.manifest import CONTRACT_TYPES
from tests.access.conftest import (
    CONTRACT_CALLERS,
    DOCUMENT,
    YEAR,
    ZERO,
    ByName,
    fund_certificate,
)
from tests.fixtures.pool import REASONING

# Suite instance (manifest name) -> contract type: every contract the deploy scripts make.
INSTANCES = CONTRACT_TYPES

# The functions callers other than the owner may call, by contract type. Each of them
# applies its own checks (Governance's propose and vote want a seat, cancel the proposer).
PUBLIC = {
    "Alliance": {"apply"},
    "Governance": {"propose", "vote", "execute", "cancel"},
    # Gated by the oracles' quorum (prove: by an accepted batch's Merkle proof).
    "Certificates": {"attest", "attest_batch", "prove", "prove_many", "revoke", "revoke_batch"},
    "Fund": set(),  # the treasury spends only by the council
    # A holder's own tokens and allowances, or a holder's signed permit.
    "BPC": {"transfer", "transferFrom", "approve", "burn", "burn_from", "permit"},
    # Any payer (pay_for: to the contributor and centre the pool names for the patent); a
    # claimant is paid only what it earned.
    "Royalties": {"pay", "pay_for", "claim"},
    # submit: a provider, or the council for the fund's sources; rate: an expert;
    # withdraw: the contributor; the others: anyone, once the patent's state allows.
    "PatentPool": {"submit", "withdraw", "certify", "rate", "remove_below_core", "expire"},
    # offer_mandate: the patent's contributor of record (the council for the fund's);
    # accept_mandate: the centre offered it, on its exact terms; end_mandate: either side,
    # anyone once it expired or its centre lost the role (tests/unit/mandates). Mandates
    # has no owner: nothing in it is privileged.
    "Mandates": {"offer_mandate", "accept_mandate", "end_mandate"},
    # Coverage has no owner: its appends are the pool's alone (tests/unit/coverage).
    "Coverage": set(),
    # set_family: the patent's contributor of record, its centre under an accepted mandate
    # in force, or the council for the fund's (tests/unit/families). No owner either.
    "Families": {"set_family"},
    # Open to anyone, and always refused: a licence never moves (tests/unit/bpr).
    "BPR": {"transfer", "transferFrom", "approve"},
    # convert: an active member at its tier price; release: a holder after the term;
    # list_terms: a pooled patent's provider, or an agent under its mandate on the exchange;
    # delist: its lister or the patent's
    # current contributor; buy and register_batch: anyone who pays; cancel_claims: a
    # holder's own claims.
    "Licensing": {
        "convert",
        "release",
        "list_terms",
        "delist",
        "buy",
        "register_batch",
        "cancel_claims",
    },
    # file: a rights-protection centre; claim_accused: a vetted member with the case's
    # infringer identity; authorise and decline: the patent's contributor or its centre
    # (the council for the fund's patents); offer_settlement: anyone who pays into
    # escrow; accept_offer: the patent's provider or centre (the council for the fund's
    # patents); withdraw_offer: the offerer (anyone once the case is closed); settle and
    # dismiss: a regulator or the council, not a party to the case; withdraw: the filing
    # centre.
    "Infringements": {
        "file",
        "claim_accused",
        "authorise",
        "decline",
        "offer_settlement",
        "accept_offer",
        "withdraw_offer",
        "settle",
        "dismiss",
        "withdraw",
    },
    # open and open_with_permit: anyone with BPC; top_up: the payer; cooperative_close:
    # anyone holding both signatures; close: the payer or the hub; update: anyone holding
    # the payer's proof; settle and sweep: anyone, once due (tests/unit/channels).
    "Channels": {
        "open",
        "open_with_permit",
        "top_up",
        "cooperative_close",
        "close",
        "update",
        "settle",
        "sweep",
    },
    # list_*: a pooled patent's contributor of record or an agent it mandated (the council
    # for the fund's); grant_mandate: the contributor of record; revoke_mandate: it or the
    # agent; cancel: the lister, the contributor of record or the council; buy: anyone who
    # pays and may hold the right (buy_for_fund: the council only).
    "Exchange": {
        "list_assignment",
        "list_exclusive",
        "grant_mandate",
        "revoke_mandate",
        "cancel",
        "buy",
    },
    # buy: an active member within the council's terms; report_stale, clear_stale and
    # write_off: anyone, when the pool's state allows (tests/unit/sale).
    "Sale": {"buy", "report_stale", "clear_stale", "write_off"},
}

OWNABLE = "ownable: caller is not the owner"

# The revert reason of each contract type's access check.
ACCESS_REASON = {
    "Alliance": OWNABLE,
    "Governance": "governance: only through a proposal",
    "Certificates": OWNABLE,
    "Fund": OWNABLE,
    "BPC": "erc20: access is denied",  # the minter role: BPC has no owner
    "Royalties": OWNABLE,
    "PatentPool": OWNABLE,
    "Mandates": "none: Mandates has no owner",  # no privileged function to refuse
    "Coverage": "coverage: only the pool appends",
    "Families": "none: Families has no owner",  # no privileged function to refuse
    "BPR": "bpr: only licensing mints",
    "Licensing": OWNABLE,
    "Infringements": OWNABLE,
    "Channels": OWNABLE,
    "Exchange": OWNABLE,
    "Sale": OWNABLE,
}

# The only caller that passes each instance's access check: Alliance and the pool's
# contracts are owned by the council, a Governance body's privileged functions are
# called by itself (through one of its own executed proposals), and BPC's minter is
# the pool.
OWNER = {
    "Alliance": "council_contract",
    "Council": "council_contract",
    "Congress": "congress_contract",
    "Certificates": "council_contract",
    "Fund": "council_contract",
    "BPC": "pool_contract",
    "Royalties": "council_contract",
    "PatentPool": "council_contract",
    "Mandates": "council_contract",  # no owner: listed for the table's completeness only
    "Coverage": "pool_contract",  # no owner: the pool appends
    "Families": "council_contract",  # no owner: listed for the table's completeness only
    "BPR": "licensing_contract",
    "Licensing": "council_contract",
    "Infringements": "council_contract",
    "Channels": "council_contract",
    "Exchange": "council_contract",
    "Sale": "council_contract",
}

# Privileged functions gated otherwise than their contract's other privileged
# functions: (contract type, function) -> (access reason, the only caller that passes).
OTHER_GATES = {
    ("Royalties", "change_weight"): ("royalties: only the pool changes weights", "pool_contract"),
    ("BPR", "burn"): ("bpr: only licensing burns", "licensing_contract"),
    ("PatentPool", "assign"): ("pool: only the exchange assigns", "exchange_contract"),
    ("PatentPool", "set_centre"): (
        "pool: only the mandates contract sets a centre",
        "mandates_contract",
    ),
    ("Licensing", "record_exclusive"): (
        "licensing: only the exchange records exclusive licences",
        "exchange_contract",
    ),
    # the sale desk mints through the pool, pays proceeds through the fund, and only
    # the pool tells it a patent bought with them was pooled
    ("PatentPool", "issue"): ("pool: only the sale desk issues", "sale_contract"),
    ("Fund", "pay_proceeds"): ("fund: only the sale desk pays proceeds", "sale_contract"),
    ("Sale", "take_cost"): ("sale: only the pool takes a cost", "pool_contract"),
}

# Every caller tried (conftest.py `callers`): EOAs with and without standing (one
# member holds every role), and every contract of the suite, impersonated.
CALLERS = [
    "outsider",
    "attacker",
    "member_with_every_role",
    "council_seat_0",
    "council_seat_1",
    "council_seat_2",
    *CONTRACT_CALLERS.values(),
]

# The holders of the pool's roles among the callers (the suite Alliance's only
# member with roles holds them all).
PROVIDERS = {"member_with_every_role"}
EXPERTS = {"member_with_every_role"}

CERTIFICATES_QUORUM = "certificates: fewer signatures than the threshold"
POOL_COUNCIL_ONLY = "pool: only the council submits the fund's patents"
POOL_NOT_PROVIDER = "pool: caller is not a provider"
POOL_NOT_EXPERT = "pool: caller is not an expert"
POOL_NOT_CONTRIBUTOR = "pool: only the contributor may withdraw"
VALUATION = 50_000 * 10**18


def _non_view_methods(contract_type: str) -> list[Any]:
    return list(getattr(project, contract_type).contract_type.mutable_methods)


def _privileged(instance: str) -> list[Any]:
    contract_type = INSTANCES[instance]
    return [m for m in _non_view_methods(contract_type) if m.name not in PUBLIC[contract_type]]


def _public(instance: str) -> list[Any]:
    contract_type = INSTANCES[instance]
    return [m for m in _non_view_methods(contract_type) if m.name in PUBLIC[contract_type]]


def _gate(instance: str, function: str) -> tuple[str, str]:
    """(access reason, the only caller that passes) of a privileged function."""
    contract_type = INSTANCES[instance]
    default = (ACCESS_REASON[contract_type], OWNER[instance])
    return OTHER_GATES.get((contract_type, function), default)


def _access_reasons(contract_type: str) -> set[str]:
    others = {reason for (t, _), (reason, _) in OTHER_GATES.items() if t == contract_type}
    return {ACCESS_REASON[contract_type], *others}


def sample_value(abi_type: Any, address: str) -> Any:
    """A well-formed value of an ABI type; every address is `address`."""
    kind = abi_type.type
    if array := re.fullmatch(r"(.+)\[(\d*)\]", kind):  # the last brackets are the outer array
        element = abi_type.model_copy(update={"type": array.group(1)})
        return [sample_value(element, address) for _ in range(int(array.group(2) or 1))]
    if kind == "tuple":
        return tuple(sample_value(c, address) for c in abi_type.components)
    if kind == "address":
        return address
    if kind == "bool":
        return True
    if re.fullmatch(r"u?int\d*", kind):
        return 1
    if kind == "bytes":
        return b"\x01"
    if bytes_n := re.fullmatch(r"bytes(\d+)", kind):
        return b"\x01" * int(bytes_n.group(1))
    if kind == "string":
        return "access matrix"
    raise NotImplementedError(f"no sample value for ABI type {kind!r}; add one here")


def _sample_args(contract: Any, method: Any) -> list[Any]:
    # Address arguments name the contract itself: a contract is a valid call target.
    return [sample_value(i, contract.address) for i in method.inputs]


def _call(contract: Any, method: Any, sender: Any) -> Any:
    return getattr(contract, method.name)(*_sample_args(contract, method), sender=sender)


def _refusals(
    function: Any, args: Sequence[Any], callers: ByName, names: Iterable[str]
) -> dict[str, str | None]:
    """Each named caller's revert reason for `function(*args)`, None where it went through.

    Simulated (eth_call from the caller): an access check reads only the caller and
    the state, and a refused call changes nothing, so one test tries every caller
    without a chain snapshot for each."""
    outcomes: dict[str, str | None] = {}
    for name in names:
        try:
            function.call(*args, sender=callers[name])
        except ContractLogicError as err:
            outcomes[name] = err.revert_message
        else:
            outcomes[name] = None
    return outcomes


def _not_refused_with(reason: str, outcomes: dict[str, str | None]) -> dict[str, str | None]:
    """The callers whose outcome was not a revert with exactly `reason`."""
    return {caller: outcome for caller, outcome in outcomes.items() if outcome != reason}


def assert_refused_for_all_but(
    allowed: Collection[str], reason: str, function: Any, args: Sequence[Any], callers: Any
) -> None:
    """Every caller not in `allowed` is refused `function(*args)` with exactly `reason`."""
    others = [c for c in CALLERS if c not in allowed]
    assert _not_refused_with(reason, _refusals(function, args, callers, others)) == {}


PRIVILEGED = [
    pytest.param(instance, method, id=f"{instance}.{method.name}")
    for instance in INSTANCES
    for method in _privileged(instance)
]


@pytest.mark.parametrize(("instance", "method"), PRIVILEGED)
def test_privileged_function__every_caller_but_owner__reverts_with_access_reason(
    instances: ByName, callers: ByName, instance: str, method: Any
) -> None:
    reason, owner = _gate(instance, method.name)
    contract = instances[instance]
    args = _sample_args(contract, method)

    outcomes = _refusals(getattr(contract, method.name), args, callers, set(CALLERS) - {owner})

    assert _not_refused_with(reason, outcomes) == {}


@pytest.mark.parametrize(("instance", "method"), PRIVILEGED)
def test_privileged_function__owner__passes_access_check(
    instances: ByName, callers: ByName, instance: str, method: Any
) -> None:
    # The control for the matrix: with the same arguments the owner gets past the access
    # check (it may still fail a later check), so the matrix's reverts are the caller's.
    reason, owner = _gate(instance, method.name)
    try:
        _call(instances[instance], method, callers[owner])
    except ContractLogicError as err:
        assert err.revert_message != reason


@pytest.mark.parametrize(
    ("instance", "method"),
    [
        pytest.param(instance, method, id=f"{instance}.{method.name}")
        for instance in INSTANCES
        for method in _public(instance)
    ],
)
def test_public_function__outsider__not_refused_by_access_check(
    instances: ByName, outsider: Any, instance: str, method: Any
) -> None:
    try:
        _call(instances[instance], method, outsider)
    except ContractLogicError as err:
        assert err.revert_message not in _access_reasons(INSTANCES[instance])


@pytest.mark.parametrize("contract_type", sorted(PUBLIC))
def test_public_table__every_name__is_a_non_view_function_of_the_abi(contract_type: str) -> None:
    names = {m.name for m in _non_view_methods(contract_type)}

    assert PUBLIC[contract_type] <= names
    if contract_type not in ("Mandates", "Families"):  # no owner: every function a party's
        assert names - PUBLIC[contract_type], "no privileged function left to check"
    else:
        assert names == PUBLIC[contract_type]


def test_tables__every_contract_type__has_an_access_reason_and_an_owner() -> None:
    assert set(INSTANCES.values()) == set(PUBLIC) == set(ACCESS_REASON)
    assert set(OWNER) == set(INSTANCES)
    assert set(OWNER.values()) <= set(CALLERS)
    for (contract_type, function), (_, caller) in OTHER_GATES.items():
        assert function in {m.name for m in _non_view_methods(contract_type)}
        assert function not in PUBLIC[contract_type]
        assert caller in CALLERS


def test_instances__every_contract_the_deploy_scripts_make__is_deployed_for_the_matrix(
    instances: ByName,
) -> None:
    assert sorted(instances) == sorted(INSTANCES)


def test_callers__every_name__is_a_fixture_caller(callers: ByName) -> None:
    assert sorted(CALLERS) == sorted(callers)


# Certificates: the oracles' quorum, not the caller, gates its public functions.


@dataclass(frozen=True)
class OracleCall:
    """One public function of Certificates, refused and accepted whoever calls it."""

    refused: tuple[Any, ...]  # arguments without a quorum (prove: without a valid proof)
    reason: str
    accepted: tuple[Any, ...]  # the same call with one
    took_effect: Callable[[Any], bool]


@pytest.fixture(scope="module")
def oracle_calls(
    chain: Any,
    council_pool: ByName,
    oracle: Any,
    domain: Any,
    certified_fund_patent: certs.Certificate,
    accepted_batch: tuple[certs.MerkleTree, list[certs.Certificate]],
) -> dict[str, OracleCall]:
    key = oracle.private_key
    fresh = fund_certificate(chain, council_pool["Fund"], "55678901")
    fresh_root = certs.MerkleTree([fresh.leaf()]).root
    revoked = certified_fund_patent
    tree, (member, second) = accepted_batch
    proof = tree.proof(member.leaf())
    multi = tree.multiproof([second.leaf()])  # one leaf: its siblings, every flag false

    def record(certificates: Any, cert: certs.Certificate) -> Any:
        """(owner, status, expiry, nonce) of `cert`'s patent and document."""
        return certificates.certificate(cert.patent, cert.document)

    return {
        "attest": OracleCall(
            (fresh.as_arg(), []),
            CERTIFICATES_QUORUM,
            (fresh.as_arg(), certs.quorum([certs.sign_certificate(domain, fresh, key)])),
            lambda c: record(c, fresh)[3] == fresh.nonce,
        ),
        "attest_batch": OracleCall(
            (fresh_root, 1, []),
            CERTIFICATES_QUORUM,
            (fresh_root, 1, certs.quorum([certs.sign_batch(domain, fresh_root, 1, key)])),
            lambda c: c.roots(fresh_root) == 1,
        ),
        "revoke": OracleCall(
            (revoked.office, revoked.number, revoked.document, revoked.nonce, []),
            CERTIFICATES_QUORUM,
            (
                revoked.office,
                revoked.number,
                revoked.document,
                revoked.nonce,
                certs.quorum([certs.sign_revocation(domain, revoked, key)]),
            ),
            lambda c: record(c, revoked)[1] == CertStatus.REVOKED,
        ),
        "revoke_batch": OracleCall(
            (tree.root, []),
            CERTIFICATES_QUORUM,
            (tree.root, certs.quorum([certs.sign_batch_revocation(domain, tree.root, key)])),
            lambda c: c.roots(tree.root) == 2,
        ),
        "prove": OracleCall(
            (fresh.as_arg(), tree.root, proof),
            "certificates: proof does not match the root",
            (member.as_arg(), tree.root, proof),
            lambda c: record(c, member)[3] == member.nonce,
        ),
        "prove_many": OracleCall(
            ([fresh.as_arg()], tree.root, multi.proof, multi.flags),
            "certificates: multi-proof does not match the root",
            ([second.as_arg()], tree.root, multi.proof, multi.flags),
            lambda c: record(c, second)[3] == second.nonce,
        ),
    }


@pytest.mark.parametrize("function", sorted(PUBLIC["Certificates"]))
def test_certificates_public_function__without_quorum_or_proof__reverts_whoever_calls(
    council_pool: ByName, callers: ByName, oracle_calls: dict[str, OracleCall], function: str
) -> None:
    call = oracle_calls[function]
    handler = getattr(council_pool["Certificates"], function)

    outcomes = _refusals(handler, call.refused, callers, CALLERS)

    assert _not_refused_with(call.reason, outcomes) == {}


@pytest.mark.parametrize("function", sorted(PUBLIC["Certificates"]))
def test_certificates_public_function__with_quorum_or_proof__succeeds_whoever_calls(
    council_pool: ByName, callers: ByName, oracle_calls: dict[str, OracleCall], function: str
) -> None:
    certificates, call = council_pool["Certificates"], oracle_calls[function]
    handler = getattr(certificates, function)
    assert not call.took_effect(certificates)

    outcomes = _refusals(handler, call.accepted, callers, CALLERS)
    handler(*call.accepted, sender=callers["attacker"])

    assert {caller: o for caller, o in outcomes.items() if o is not None} == {}
    assert call.took_effect(certificates)


# PatentPool: the fund's patents come from the council, the others from a provider.

FUND_SOURCES = [Source.PURCHASED, Source.FILED]
PROVIDER_SOURCES = [Source.CONTRIBUTED, Source.USAGE_RIGHT]
SUBMITTED = ("US", "66789012")


def _submission(chain: Any, source: Source) -> tuple[Any, ...]:
    """Arguments of a well-formed submission of SUBMITTED from `source`."""
    right_ends = int(chain.pending_timestamp) + YEAR if source == Source.USAGE_RIGHT else 0
    return (*SUBMITTED, DOCUMENT, int(source), ZERO, right_ends)


def _submitters(source: Source) -> tuple[Collection[str], str]:
    """Who may submit from `source`, and the reason everyone else gets."""
    if source in FUND_SOURCES:
        return {"council_contract"}, POOL_COUNCIL_ONLY
    return PROVIDERS, POOL_NOT_PROVIDER


@pytest.mark.parametrize("source", FUND_SOURCES + PROVIDER_SOURCES, ids=lambda s: s.name.lower())
def test_submit__caller_the_source_does_not_allow__reverts(
    chain: Any, council_pool: ByName, callers: ByName, source: Source
) -> None:
    submit = council_pool["PatentPool"].submit
    allowed, reason = _submitters(source)

    assert_refused_for_all_but(allowed, reason, submit, _submission(chain, source), callers)


@pytest.mark.parametrize(
    ("source", "caller"),
    [(s, "council_contract") for s in FUND_SOURCES]
    + [(s, p) for s in PROVIDER_SOURCES for p in sorted(PROVIDERS)],
    ids=lambda x: x.name.lower() if isinstance(x, Source) else x,
)
def test_submit__caller_the_source_allows__registers_for_the_contributor_of_record(
    chain: Any, council_pool: ByName, callers: ByName, source: Source, caller: str
) -> None:
    # the fund is the contributor of record of what the council submits from its sources
    pool = council_pool["PatentPool"]
    contributor = council_pool["Fund"] if source in FUND_SOURCES else callers[caller]

    pool.submit(*_submission(chain, source), sender=callers[caller])

    record = pool.patents(certs.patent_id(*SUBMITTED))
    assert (record.status, record.contributor) == (PatentStatus.SUBMITTED, contributor)


# PatentPool: only experts rate.


def test_rate__caller_without_expert_role__reverts(
    council_pool: ByName, callers: ByName, certified_fund_patent: certs.Certificate
) -> None:
    rate = council_pool["PatentPool"].rate

    assert_refused_for_all_but(
        EXPERTS,
        POOL_NOT_EXPERT,
        rate,
        (certified_fund_patent.patent, 80, VALUATION, REASONING),
        callers,
    )


@pytest.mark.parametrize("caller", sorted(EXPERTS))
def test_rate__expert__records_the_ballot(
    council_pool: ByName, callers: ByName, certified_fund_patent: certs.Certificate, caller: str
) -> None:
    pool = council_pool["PatentPool"]

    pool.rate(certified_fund_patent.patent, 80, VALUATION, REASONING, sender=callers[caller])

    ballots = pool.ballots_of(certified_fund_patent.patent)
    assert [(b.expert, b.score, b.valuation) for b in ballots] == [(callers[caller], 80, VALUATION)]


# PatentPool: a patent not yet pooled is withdrawn by its contributor, or by the
# council for the fund's. The fund is the contributor of record of the fund's patents,
# so it passes too (it cannot call the pool: it only calls tokens' transfer, approve
# and balanceOf).
FUND_PATENT_WITHDRAWERS = ["council_contract", "fund_contract"]
CONTRIBUTOR = "member_with_every_role"  # of the contributed patent (conftest.py)


# Who may withdraw each of the two patents awaiting the experts (`awaiting`).
WITHDRAWERS = {"fund_patent": FUND_PATENT_WITHDRAWERS, "contributed_patent": [CONTRIBUTOR]}


@pytest.fixture
def awaiting(
    certified_fund_patent: certs.Certificate, contributed_patent: bytes
) -> dict[str, bytes]:
    """The patents not yet pooled, by WITHDRAWERS' names: the fund's and a contributed one."""
    return {"fund_patent": certified_fund_patent.patent, "contributed_patent": contributed_patent}


@pytest.mark.parametrize("patent", sorted(WITHDRAWERS))
def test_withdraw__caller_other_than_contributor_of_record__reverts(
    council_pool: ByName, callers: ByName, awaiting: dict[str, bytes], patent: str
) -> None:
    withdraw, args = council_pool["PatentPool"].withdraw, (awaiting[patent],)

    assert_refused_for_all_but(WITHDRAWERS[patent], POOL_NOT_CONTRIBUTOR, withdraw, args, callers)


@pytest.mark.parametrize(
    ("patent", "caller"), [(p, c) for p, allowed in WITHDRAWERS.items() for c in allowed]
)
def test_withdraw__contributor_of_record__withdraws(
    council_pool: ByName, callers: ByName, awaiting: dict[str, bytes], patent: str, caller: str
) -> None:
    pool = council_pool["PatentPool"]

    pool.withdraw(awaiting[patent], sender=callers[caller])

    assert pool.patents(awaiting[patent]).status == PatentStatus.WITHDRAWN


# BPC: no owner, so nobody can ever add a minter; the pool is the only one.


def test_bpc_abi__owner_and_minter_management__not_exposed() -> None:
    names = {m.name for m in project.BPC.contract_type.mutable_methods}

    assert not names & {"set_minter", "transfer_ownership", "renounce_ownership"}


def test_bpc__after_deployment__has_no_owner_and_only_the_pool_mints(
    council_pool: ByName, callers: ByName
) -> None:
    bpc = council_pool["BPC"]

    assert bpc.owner() == ZERO
    assert [name for name in CALLERS if bpc.is_minter(callers[name])] == ["pool_contract"]


# Infringements: a rights-protection centre files; the patent's contributor (or its centre)
# authorises or declines, the council for the fund's patents; anyone offers a settlement;
# a regulator or the council settles or dismisses, unless it is a party to the case; the
# filing centre withdraws. The suite's only rights-protection centre and regulator is
# member_with_every_role: it filed the case, so only the council resolves it.

PROTECTION_CENTRES = {"member_with_every_role"}
RESOLVERS = {"member_with_every_role", "council_contract"}  # a regulator, or the council
FILING_CENTRE = "member_with_every_role"  # of conftest.py's filed_infringement
OFFERER = "outsider"  # of conftest.py's offered_infringement (offer 1)
# The case's patent is the fund's (conftest.py's pooled_fund_patent, no centre): the
# council decides for it. The fund, its contributor of record, gets past the first check
# but is no member of the alliance.
PATENT_DECIDERS = {"council_contract"}
INACTIVE_CONTRIBUTOR = "fund_contract"

INFRINGEMENTS_NOT_CENTRE = "infringements: not an active rights-protection centre"
INFRINGEMENTS_NOT_RESOLVER = "infringements: only a regulator or the council resolves"
INFRINGEMENTS_NOT_PROVIDER = "infringements: only the patent's provider or its centre decides"
INFRINGEMENTS_NOT_ACTIVE = "infringements: the provider is not an active member"
INFRINGEMENTS_NOT_FILING_CENTRE = "infringements: only the filing centre withdraws"
INFRINGEMENTS_PARTY = "infringements: a party to the case cannot resolve it"
INFRINGEMENTS_NOT_VETTED = (
    "infringements: the accused must be a vetted member with the infringer's identity"
)
INFRINGEMENTS_SELF_ACCUSED = "infringements: a centre cannot accuse itself"
INFRINGEMENTS_NOT_OFFERER = "infringements: only the offerer withdraws an offer on an open case"
NO_ALLOWANCE = "erc20: insufficient allowance"
# What a decision on the case of the fund's patent gets from each caller but the council:
# not the provider, and the fund (its contributor of record) no active member.
NOT_DECIDERS = [c for c in CALLERS if c not in PATENT_DECIDERS]
NOT_DECIDERS_GET = {
    **dict.fromkeys(NOT_DECIDERS, INFRINGEMENTS_NOT_PROVIDER),
    INACTIVE_CONTRIBUTOR: INFRINGEMENTS_NOT_ACTIVE,
}
SETTLEMENT = 10**18


def test_file__caller_without_protection_role__reverts(
    council_pool: ByName, callers: ByName
) -> None:
    file = council_pool["Infringements"].file

    assert_refused_for_all_but(
        PROTECTION_CENTRES, INFRINGEMENTS_NOT_CENTRE, file, (*(b"\x01" * 32,) * 4, ZERO), callers
    )


def test_file__protection_centre__opens_the_case(
    council_pool: ByName, callers: ByName, filed_infringement: int
) -> None:
    record = council_pool["Infringements"].cases(filed_infringement)

    assert (record.status, record.centre) == (CaseStatus.FILED, callers[FILING_CENTRE])


@pytest.mark.parametrize("function", ["settle", "dismiss"])
def test_resolve__caller_neither_regulator_nor_council__reverts(
    council_pool: ByName, callers: ByName, offered_infringement: int, function: str
) -> None:
    infringements = council_pool["Infringements"]
    handler = getattr(infringements, function)
    args = (offered_infringement, 1) if function == "settle" else (offered_infringement,)

    refused = _refusals(handler, args, callers, [c for c in CALLERS if c not in RESOLVERS])
    passed = _refusals(handler, args, callers, RESOLVERS)

    assert _not_refused_with(INFRINGEMENTS_NOT_RESOLVER, refused) == {}
    # the council resolves; the regulator filed this case, and a party cannot resolve it
    assert passed == {"council_contract": None, FILING_CENTRE: INFRINGEMENTS_PARTY}


def test_dismiss__council__dismisses(
    council_pool: ByName, callers: ByName, filed_infringement: int
) -> None:
    infringements = council_pool["Infringements"]

    infringements.dismiss(filed_infringement, sender=callers["council_contract"])

    assert infringements.cases(filed_infringement).status == CaseStatus.DISMISSED


def test_settle__council__settles(
    council_pool: ByName, callers: ByName, offered_infringement: int
) -> None:
    infringements = council_pool["Infringements"]

    infringements.settle(offered_infringement, 1, sender=callers["council_contract"])

    assert infringements.cases(offered_infringement).status == CaseStatus.SETTLED


def test_claim_accused__no_caller_with_the_infringers_vetted_identity__refused(
    council_pool: ByName, callers: ByName, filed_infringement: int
) -> None:
    claim = council_pool["Infringements"].claim_accused

    outcomes = _refusals(claim, (filed_infringement,), callers, CALLERS)

    expected = dict.fromkeys(CALLERS, INFRINGEMENTS_NOT_VETTED)
    expected[FILING_CENTRE] = INFRINGEMENTS_SELF_ACCUSED
    assert outcomes == expected


def test_withdraw_offer__open_case__only_the_offerer(
    council_pool: ByName, callers: ByName, offered_infringement: int
) -> None:
    withdraw_offer = council_pool["Infringements"].withdraw_offer
    others = [c for c in CALLERS if c != OFFERER]

    outcomes = _refusals(withdraw_offer, (1,), callers, [*others, OFFERER])

    assert outcomes == {**dict.fromkeys(others, INFRINGEMENTS_NOT_OFFERER), OFFERER: None}


def test_offer_settlement__any_caller__refused_only_for_want_of_an_allowance(
    council_pool: ByName, callers: ByName, authorised_infringement: int
) -> None:
    # no caller has approved the register: every one of them gets as far as paying
    offer = council_pool["Infringements"].offer_settlement

    outcomes = _refusals(offer, (authorised_infringement, SETTLEMENT), callers, CALLERS)

    assert _not_refused_with(NO_ALLOWANCE, outcomes) == {}


def test_offer_settlement__outsider_who_pays__offers(
    council_pool: ByName, callers: ByName, outsider: Any, authorised_infringement: int
) -> None:
    infringements, bpc = council_pool["Infringements"], council_pool["BPC"]
    bpc.mint(outsider, SETTLEMENT, sender=callers["pool_contract"])
    bpc.approve(infringements, SETTLEMENT, sender=outsider)

    infringements.offer_settlement(authorised_infringement, SETTLEMENT, sender=outsider)

    record = infringements.offers(1)
    assert (record.case, record.offerer, record.amount) == (
        authorised_infringement, outsider.address, SETTLEMENT
    )  # fmt: skip


@pytest.mark.parametrize("function", ["authorise", "decline"])
def test_decide__caller_other_than_the_council_for_a_fund_patent__reverts(
    council_pool: ByName, callers: ByName, filed_infringement: int, function: str
) -> None:
    handler = getattr(council_pool["Infringements"], function)

    outcomes = _refusals(handler, (filed_infringement,), callers, NOT_DECIDERS)

    assert outcomes == NOT_DECIDERS_GET


def test_accept_offer__caller_other_than_the_council_for_a_fund_patent__reverts(
    council_pool: ByName, callers: ByName, offered_infringement: int
) -> None:
    accept = council_pool["Infringements"].accept_offer

    outcomes = _refusals(accept, (offered_infringement, 1), callers, CALLERS)

    assert outcomes == {**NOT_DECIDERS_GET, **dict.fromkeys(PATENT_DECIDERS)}


@pytest.mark.parametrize(
    ("function", "status"), [("authorise", CaseStatus.AUTHORISED), ("decline", CaseStatus.DECLINED)]
)
def test_decide__the_council_for_a_fund_patent__decides(
    council_pool: ByName,
    callers: ByName,
    filed_infringement: int,
    function: str,
    status: CaseStatus,
) -> None:
    infringements = council_pool["Infringements"]
    (decider,) = PATENT_DECIDERS

    getattr(infringements, function)(filed_infringement, sender=callers[decider])

    assert infringements.cases(filed_infringement).status == status


def test_withdraw_case__caller_other_than_the_filing_centre__reverts(
    council_pool: ByName, callers: ByName, filed_infringement: int
) -> None:
    withdraw = council_pool["Infringements"].withdraw

    assert_refused_for_all_but(
        {FILING_CENTRE}, INFRINGEMENTS_NOT_FILING_CENTRE, withdraw, (filed_infringement,), callers
    )


def test_withdraw_case__filing_centre__withdraws(
    council_pool: ByName, callers: ByName, filed_infringement: int
) -> None:
    infringements = council_pool["Infringements"]

    infringements.withdraw(filed_infringement, sender=callers[FILING_CENTRE])

    assert infringements.cases(filed_infringement).status == CaseStatus.WITHDRAWN
