"""A typed SDK over the deployed suite (ape contracts), for scripts, the console and tests.

The contracts hold the rules: every operation simulates its call first (an `eth_call`,
nothing sent) and a refusal comes back as the `BpsaError` subclass `bpsa.sdk.reverts` maps
the contract's reason to (unknown member, wrong kind, proposal not passed), explained
with what the chain says. A proposal's call is simulated as its body would make it, so
the proposal is refused before it is made. The SDK itself checks only the caller's own
input (an address, a digest's length).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bpsa.core import codes
from bpsa.core.codes import Kind, ProposalState, Role, Status, Vote
from bpsa.core.errors import GovernanceError, InputError, ManifestError
from bpsa.core.manifest import Manifest
from bpsa.core.units import when
from bpsa.sdk.reverts import Explain, chain_time, proposal_call, simulate, transact

if TYPE_CHECKING:
    from bpsa.sdk.licensing import LicenceDesk
    from bpsa.sdk.pool import Pool
    from bpsa.sdk.sale import SaleDesk

Call = tuple[str, bytes]

# Reasons that say a member is not in the status an operation needs: explained with its status.
MEMBER_STATUS_REASONS = frozenset(
    {
        "alliance: no pending application",
        "alliance: not a member",
        "alliance: not an active member",
        "alliance: not a suspended member",
    }
)
# Reasons `execute` gives for a proposal that is not ready: explained with its state and tally.
NOT_READY_REASONS = frozenset(
    {
        "governance: voting still open",
        "governance: proposal did not pass",
        "governance: execution delay not elapsed",
        "governance: proposal expired",
        "governance: already executed",
        "governance: proposal cancelled",
    }
)


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

    def describe(self, now: int | None = None) -> str:
        """One line; while voting is open, when it closes (relative to `now`, the chain's
        time, when given)."""
        open_until = (
            f"; voting until {when(self.vote_end, now)}"
            if self.state == ProposalState.VOTING
            else ""
        )
        return (
            f"{self.body} #{self.proposal_id} [{codes.label(self.state)}] {self.description!r} "
            f"yes={self.yes} no={self.no} abstain={self.abstain} of {self.seats} seats"
            f"{open_until}"
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
        from bpsa.core.manifest import CONTRACT_TYPES

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
        from bpsa.sdk.pool import Pool

        return Pool(self.contracts, self.alliance, self._deployed_at("PatentPool"))

    @property
    def desk(self) -> LicenceDesk:
        """The collection's licence desk (BPR and Licensing)."""
        from bpsa.sdk.licensing import LicenceDesk

        return LicenceDesk(self.contracts, self.pool, self._deployed_at("Licensing"))

    @property
    def sale(self) -> SaleDesk:
        """The collection's sale desk (Sale), its payment token bound as an ERC-20."""
        from bpsa.sdk.sale import SaleDesk, erc20_at

        return SaleDesk(self.contracts, erc20_at)

    def _deployed_at(self, name: str) -> int:
        """The block `name` was deployed in (its events start there); 0 if unknown."""
        entry = self.manifest.contracts.get(name) if self.manifest else None
        return entry.block if entry else 0

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
        return transact(
            "Alliance.apply",
            self.alliance.apply,
            int(kind),
            identity,
            sender=sender,
            explain=self._explain_already(sender.address),
            who=sender.address,
        )

    def _explain_already(self, who: str) -> Explain:
        def explain(reason: str) -> str | None:
            if reason == "alliance: already a member":
                status = codes.label(Status(int(self.alliance.status_of(who))))
                return f"{who} cannot apply: it is already {status}"
            return None

        return explain

    # -- building proposal calls, each simulated as the alliance's owner makes it --

    def _explain_status(self, who: str, action: str) -> Explain:
        """Explains a status refusal with the member's status now."""

        def explain(reason: str) -> str | None:
            if reason not in MEMBER_STATUS_REASONS:
                return None
            view = self.member(who)
            if view.status == Status.NONE:
                return f"cannot {action} {view.address}: unknown member (never applied)"
            return f"cannot {action} {view.address}: it is {codes.label(view.status)}"

        return explain

    def _call(self, method: str, *args: Any, action: str) -> Call:
        """The alliance's `method(*args)` as a proposal call, simulated as its owner (the
        body whose proposals govern it) would make it now: refused with the contract's
        reason before anyone proposes it."""
        who = str(args[0])
        explain = self._explain_status(who, action)
        return proposal_call(
            f"Alliance.{method}", self.alliance, method, *args, explain=explain, who=who
        )

    def call_admit(self, who: str) -> Call:
        """Admits `who`'s pending application as it stands now: the call names its number,
        kind and identity, so it admits nothing else if `who` applies again before it
        executes."""
        return self._call("admit", *self._application(self.member(who)), action="admit")

    def call_reject(self, who: str) -> Call:
        """Rejects `who`'s pending application as it stands now (named as in `call_admit`)."""
        return self._call("reject", *self._application(self.member(who)), action="reject")

    @staticmethod
    def _application(view: MemberView) -> tuple[str, int, int, bytes]:
        """The application as it stands (kind 0 for an address that never applied: the
        contract then refuses it as no pending application)."""
        return (view.address, view.application, int(view.kind or 0), view.identity)

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
        return self._call("suspend", as_address(who), action="suspend")

    def call_reinstate(self, who: str) -> Call:
        return self._call("reinstate", as_address(who), action="reinstate")

    def call_expel(self, who: str) -> Call:
        return self._call("expel", as_address(who), action="expel")

    def call_grant_role(self, who: str, role: Role) -> Call:
        action = f"grant {codes.label(role)} to"
        return self._call("grant_role", as_address(who), int(role), action=action)

    def call_revoke_role(self, who: str, role: Role) -> Call:
        action = f"revoke {codes.label(role)} from"
        return self._call("revoke_role", as_address(who), int(role), action=action)

    def call_set_market_share(self, who: str, bps: int) -> Call:
        if isinstance(bps, bool) or not isinstance(bps, int) or not 0 <= bps < 2**16:
            raise InputError(f"market share must be 0 to 10000 basis points, got {bps!r}")
        action = "set the market share of"
        return self._call("set_market_share", as_address(who), bps, action=action)

    def call_seat(self, action: str, who: str) -> Call:
        """`add_seat` / `remove_seat` on the council, through its own proposal (simulated
        as the council makes it)."""
        address = as_address(who)
        handler = getattr(self.council, action)
        what = f"council.{action}"
        simulate(what, handler, address, sender=str(self.council.address), who=address)
        return (str(self.council.address), bytes(handler.encode_input(address)))

    # -- proposals ---------------------------------------------------------------

    def propose(self, body: str, sender: Any, calls: list[Call], description: str) -> int:
        gov = self.body(body)
        tx = transact(
            f"{body}.propose", gov.propose, calls, description, sender=sender, who=sender.address
        )
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

        def explain(reason: str) -> str | None:
            if reason == "governance: unknown proposal":
                count = int(gov.proposal_count())
                return f"no proposal {proposal_id} in the {body} (it has {count})"
            if reason == "governance: voting closed":
                state = codes.label(ProposalState(int(gov.state(proposal_id))))
                return f"{body} proposal {proposal_id} is {state}, not open for votes"
            return None

        return transact(
            f"{body}.vote #{proposal_id}",
            gov.vote,
            proposal_id,
            int(support),
            sender=sender,
            explain=explain,
            who=sender.address,
        )

    def execute(self, body: str, sender: Any, proposal_id: int) -> Any:
        gov = self.body(body)
        view = self.proposal(body, proposal_id)  # the calls live in its creation log

        def explain(reason: str) -> str | None:
            if reason not in NOT_READY_REASONS:
                return None
            return _not_ready(view, chain_time())

        return transact(
            f"{body}.execute #{proposal_id}",
            gov.execute,
            proposal_id,
            view.calls,
            sender=sender,
            explain=explain,
            who=sender.address,
        )


def _not_ready(view: ProposalView, now: int) -> str:
    """Why `view` cannot be executed at the chain time `now`, for people."""
    head = f"{view.body} proposal {view.proposal_id} cannot be executed: "
    reasons: dict[ProposalState, Callable[[], str]] = {
        ProposalState.VOTING: lambda: f"voting is still open (until {when(view.vote_end, now)})",
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
