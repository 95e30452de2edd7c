"""A typed SDK over the deployed suite (ape contracts), for scripts, the console and tests.

Every operation checks its input against the chain first and raises a `BpsaError`
subclass naming what is wrong (unknown member, wrong kind, proposal not passed)
instead of sending a transaction that would revert; a revert that still happens
is re-raised as `TransactionFailed` with the contract's own reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bpsa import codes
from bpsa.codes import Kind, ProposalState, Role, Status, Vote
from bpsa.errors import (
    BpsaError,
    GovernanceError,
    InputError,
    ManifestError,
    MembershipError,
)
from bpsa.manifest import Manifest

if TYPE_CHECKING:
    from bpsa.desk import LicenceDesk
    from bpsa.pool import Pool

Call = tuple[str, bytes]


class TransactionFailed(BpsaError):
    """The chain rejected a transaction; the message carries the contract's reason."""


@contextmanager
def reverts_as_errors(what: str) -> Iterator[None]:
    """Turn ape's revert exceptions into `TransactionFailed("<what>: <reason>")`."""
    from ape.exceptions import ContractLogicError

    try:
        yield
    except ContractLogicError as exc:
        raise TransactionFailed(f"{what} reverted: {exc.message}") from None


@dataclass(frozen=True)
class MemberView:
    address: str
    kind: Kind | None  # None for an address that never applied
    status: Status
    roles: int
    market_share_bps: int
    identity: bytes
    application: int  # the number of its latest application, 0 if it never applied

    def describe(self) -> str:
        roles = ",".join(codes.role_names(self.roles)) or "-"
        kind = codes.label(self.kind) if self.kind else "-"
        share = ""
        if self.kind == Kind.LARGE_ENTERPRISE:
            share = f" share={self.market_share_bps / 100:.2f}%"
        return f"{self.address}  {kind:<16} {codes.label(self.status):<9} roles={roles}{share}"


@dataclass(frozen=True)
class ProposalView:
    body: str
    proposal_id: int
    proposer: str
    state: ProposalState
    yes: int
    no: int
    abstain: int
    seats: int
    vote_end: int
    description: str
    calls: list[Call]

    def describe(self) -> str:
        return (
            f"{self.body} #{self.proposal_id} [{codes.label(self.state)}] {self.description!r} "
            f"yes={self.yes} no={self.no} abstain={self.abstain} of {self.seats} seats"
        )


def as_address(text: str) -> str:
    """A checksummed address, or `InputError` naming the bad value."""
    from eth_utils.address import is_address, to_checksum_address

    if not isinstance(text, str) or not is_address(text):
        raise InputError(f"{text!r} is not an address (0x followed by 40 hex digits)")
    return str(to_checksum_address(text))


class Suite:
    """The deployed contracts by manifest name: Council, Alliance, Congress, and the pool."""

    def __init__(self, contracts: dict[str, Any], manifest: Manifest | None = None) -> None:
        missing = {"Council", "Alliance", "Congress"} - set(contracts)
        if missing:
            raise ManifestError(f"the suite lacks {', '.join(sorted(missing))}")
        self.contracts = contracts
        self.manifest = manifest
        self.alliance = contracts["Alliance"]
        self.council = contracts["Council"]
        self.congress = contracts["Congress"]

    @classmethod
    def load(cls, manifest: Manifest, project: Any, chain: Any) -> Suite:
        """Bind a manifest to ape's project types; fails clearly if the chain differs."""
        from bpsa.deploy import CONTRACT_TYPES

        if int(chain.chain_id) != manifest.chain_id:
            raise ManifestError(
                f"the manifest is for chain {manifest.chain_id} but the connected chain is "
                f"{chain.chain_id}"
            )
        contracts = {}
        for name, deployed in manifest.contracts.items():
            if not chain.provider.get_code(deployed.address):
                raise ManifestError(
                    f"no code at {deployed.address} ({name}) on chain {manifest.chain_id}: "
                    "the manifest is stale, deploy again"
                )
            contract_type = getattr(project, CONTRACT_TYPES.get(name, name))
            contracts[name] = contract_type.at(deployed.address)
        return cls(contracts, manifest)

    @property
    def pool(self) -> Pool:
        """The collection's pool (PatentPool, Certificates, BPC, Royalties, Fund)."""
        from bpsa.pool import Pool

        start = 0
        if self.manifest and "PatentPool" in self.manifest.contracts:
            start = self.manifest.contracts["PatentPool"].block
        return Pool(self.contracts, self.alliance, start)

    @property
    def desk(self) -> LicenceDesk:
        """The collection's licence desk (BPR and Licensing)."""
        from bpsa.desk import LicenceDesk

        start = 0
        if self.manifest and "Licensing" in self.manifest.contracts:
            start = self.manifest.contracts["Licensing"].block
        return LicenceDesk(self.contracts, self.pool, start)

    def body(self, name: str) -> Any:
        """`"council"` or `"congress"` -> its Governance contract."""
        bodies = {"council": self.council, "congress": self.congress}
        try:
            return bodies[name.lower()]
        except KeyError:
            raise InputError(f"unknown body {name!r}; expected council or congress") from None

    # -- members ---------------------------------------------------------------

    def member(self, who: str) -> MemberView:
        address = as_address(who)
        record = self.alliance.members(address)
        return MemberView(
            address=address,
            kind=Kind(record.kind) if record.kind else None,
            status=Status(record.status),
            roles=int(record.roles),
            market_share_bps=int(record.market_share_bps),
            identity=bytes(record.identity),
            application=int(record.application),
        )

    def members(self) -> list[MemberView]:
        count = int(self.alliance.member_count())
        return [self.member(str(self.alliance.member_at(i))) for i in range(count)]

    def apply(self, sender: Any, kind: Kind, identity: bytes) -> Any:
        if len(identity) != 32 or identity == bytes(32):
            raise InputError("the identity digest must be 32 bytes and not all zero")
        status = Status(int(self.alliance.status_of(sender.address)))
        if status not in (Status.NONE, Status.REJECTED):
            raise MembershipError(
                f"{sender.address} cannot apply: it is already {codes.label(status)}"
            )
        with reverts_as_errors("Alliance.apply"):
            return self.alliance.apply(int(kind), identity, sender=sender)

    # -- building proposal calls, each checked against the member's state --------

    def _require(self, who: str, allowed: tuple[Status, ...], action: str) -> MemberView:
        view = self.member(who)
        if view.status == Status.NONE:
            raise MembershipError(f"cannot {action} {view.address}: unknown member (never applied)")
        if view.status not in allowed:
            wanted = " or ".join(codes.label(s) for s in allowed)
            raise MembershipError(
                f"cannot {action} {view.address}: it is {codes.label(view.status)}, not {wanted}"
            )
        return view

    def _call(self, method: str, *args: Any) -> Call:
        return (
            str(self.alliance.address),
            bytes(getattr(self.alliance, method).encode_input(*args)),
        )

    def call_admit(self, who: str) -> Call:
        """Admits `who`'s pending application as it stands now: the call names its number,
        kind and identity, so it admits nothing else if `who` applies again before it
        executes."""
        view = self._require(who, (Status.APPLIED,), "admit")
        return self._call("admit", *self._application(view))

    def call_reject(self, who: str) -> Call:
        """Rejects `who`'s pending application as it stands now (named as in `call_admit`)."""
        view = self._require(who, (Status.APPLIED,), "reject")
        return self._call("reject", *self._application(view))

    @staticmethod
    def _application(view: MemberView) -> tuple[str, int, int, bytes]:
        assert view.kind is not None  # dev: an applicant has a kind
        return (view.address, view.application, int(view.kind), view.identity)

    def describe_application(self, who: str) -> str:
        """`application #N (kind, identity 0x...)`: what an admission or rejection names."""
        view = self.member(who)
        if not view.application or view.kind is None:
            return "no application"
        return (
            f"application #{view.application} ({codes.label(view.kind)}, identity "
            f"0x{view.identity.hex()})"
        )

    def call_suspend(self, who: str) -> Call:
        view = self._require(who, (Status.ACTIVE,), "suspend")
        return self._call("suspend", view.address)

    def call_reinstate(self, who: str) -> Call:
        view = self._require(who, (Status.SUSPENDED,), "reinstate")
        return self._call("reinstate", view.address)

    def call_expel(self, who: str) -> Call:
        view = self._require(who, (Status.ACTIVE, Status.SUSPENDED), "expel")
        return self._call("expel", view.address)

    def call_grant_role(self, who: str, role: Role) -> Call:
        view = self._require(who, (Status.ACTIVE,), f"grant {codes.label(role)} to")
        if view.roles & role:
            raise MembershipError(f"{view.address} already holds the {codes.label(role)} role")
        return self._call("grant_role", view.address, int(role))

    def call_revoke_role(self, who: str, role: Role) -> Call:
        view = self.member(who)
        if not view.roles & role:
            raise MembershipError(f"{view.address} does not hold the {codes.label(role)} role")
        return self._call("revoke_role", view.address, int(role))

    def call_set_market_share(self, who: str, bps: int) -> Call:
        view = self._require(who, (Status.ACTIVE, Status.SUSPENDED), "set the market share of")
        if view.kind != Kind.LARGE_ENTERPRISE:
            kind = codes.label(view.kind) if view.kind else "member of no kind"
            raise MembershipError(
                f"{view.address} is a {kind}; market share applies only to large enterprises"
            )
        if not 0 <= bps <= 10_000:
            raise InputError(f"market share must be 0 to 10000 basis points, got {bps}")
        return self._call("set_market_share", view.address, bps)

    def call_seat(self, action: str, who: str) -> Call:
        """`add_seat` / `remove_seat` on the council, through its own proposal."""
        address = as_address(who)
        seated = bool(self.council.is_seat(address))
        if action == "add_seat" and seated:
            raise GovernanceError(f"{address} already holds a council seat")
        if action == "remove_seat" and not seated:
            raise GovernanceError(f"{address} holds no council seat")
        return (
            str(self.council.address),
            bytes(getattr(self.council, action).encode_input(address)),
        )

    # -- proposals ---------------------------------------------------------------

    def propose(self, body: str, sender: Any, calls: list[Call], description: str) -> int:
        gov = self.body(body)
        if not calls:
            raise InputError("a proposal needs at least one call")
        if not gov.is_seat(sender.address):
            raise GovernanceError(
                f"{sender.address} holds no seat in the {body} and cannot propose"
            )
        with reverts_as_errors(f"{body}.propose"):
            tx = gov.propose(calls, description, sender=sender)
        return int(tx.return_value)

    @staticmethod
    def _require_proposal(gov: Any, body: str, proposal_id: int) -> None:
        count = int(gov.proposal_count())
        if not 1 <= proposal_id <= count:
            raise GovernanceError(f"no proposal {proposal_id} in the {body} (it has {count})")

    def proposal(self, body: str, proposal_id: int) -> ProposalView:
        gov = self.body(body)
        self._require_proposal(gov, body, proposal_id)
        record = gov.proposals(proposal_id)
        created = self._created_log(gov, proposal_id, int(record.created_block))
        return ProposalView(
            body=body,
            proposal_id=proposal_id,
            proposer=str(record.proposer),
            state=ProposalState(int(gov.state(proposal_id))),
            yes=int(record.yes),
            no=int(record.no),
            abstain=int(record.abstain),
            seats=int(record.seats),
            vote_end=int(record.vote_end),
            description=str(created.description),
            calls=[(str(target), bytes(data)) for target, data in created.calls],
        )

    def proposals(self, body: str) -> list[ProposalView]:
        gov = self.body(body)
        return [self.proposal(body, i) for i in range(1, int(gov.proposal_count()) + 1)]

    @staticmethod
    def _created_log(gov: Any, proposal_id: int, block: int) -> Any:
        # The calls live only in the ProposalCreated log, emitted in the proposal's block.
        logs = list(
            gov.ProposalCreated.range(block, block + 1, search_topics={"proposal_id": proposal_id})
        )
        if not logs:
            raise GovernanceError(f"ProposalCreated log of proposal {proposal_id} not found")
        return logs[0]

    def vote(self, body: str, sender: Any, proposal_id: int, support: Vote) -> Any:
        gov = self.body(body)
        # Voting needs only the state, not the calls from the proposal's log.
        self._require_proposal(gov, body, proposal_id)
        state = ProposalState(int(gov.state(proposal_id)))
        if state != ProposalState.VOTING:
            raise GovernanceError(
                f"{body} proposal {proposal_id} is {codes.label(state)}, not open for votes"
            )
        if not gov.can_vote(proposal_id, sender.address):
            reason = (
                "already voted"
                if gov.voted(proposal_id, sender.address)
                else "holds no seat it held before the proposal"
            )
            raise GovernanceError(
                f"{sender.address} cannot vote on {body} #{proposal_id}: {reason}"
            )
        with reverts_as_errors(f"{body}.vote"):
            return gov.vote(proposal_id, int(support), sender=sender)

    def execute(self, body: str, sender: Any, proposal_id: int) -> Any:
        gov = self.body(body)
        view = self.proposal(body, proposal_id)
        if view.state != ProposalState.READY:
            raise GovernanceError(_not_ready(view))
        with reverts_as_errors(f"{body}.execute #{proposal_id}"):
            return gov.execute(proposal_id, view.calls, sender=sender)


def _not_ready(view: ProposalView) -> str:
    head = f"{view.body} proposal {view.proposal_id} cannot be executed: "
    reasons: dict[ProposalState, Callable[[], str]] = {
        ProposalState.VOTING: lambda: f"voting is still open (until {view.vote_end})",
        ProposalState.DEFEATED: lambda: (
            f"it did not pass (yes {view.yes}, no {view.no}, abstain {view.abstain} of "
            f"{view.seats} seats; needs more than half voting and yes > no)"
        ),
        ProposalState.QUEUED: lambda: "it passed but the execution delay has not elapsed",
        ProposalState.EXPIRED: lambda: "it expired (grace period over)",
        ProposalState.EXECUTED: lambda: "it was already executed",
        ProposalState.CANCELLED: lambda: "it was cancelled",
    }
    return head + reasons.get(view.state, lambda: codes.label(view.state))()
