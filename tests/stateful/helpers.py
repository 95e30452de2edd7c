"""What the state machines share: titanoboa plumbing and the pool's deployment.

Each machine runs on titanoboa's EVM (a real EVM in-process). Its module compiles the
contracts once per session (`compiled`), deploys once in a module fixture, and every example
runs inside a snapshot of that state (`SnapshotMachine`). Profiles (`conftest.py`): `ci` by
default, `long` with HYPOTHESIS_PROFILE=long; `--hypothesis-show-statistics` lists how often
each outcome counted by `note_event` happened.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar
from unittest import mock

import boa
from boa.contracts.vyper.vyper_contract import VyperContract
from eth_account import Account
from eth_utils.crypto import keccak
from hypothesis import event
from hypothesis.control import currently_in_test_context
from hypothesis.stateful import RuleBasedStateMachine

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Kind, PatentStatus, Role, Source
from bpsa.sdk import deploy as sdk
from bpsa.sdk.deploy import PoolParams
from tests.stateful.pool_model import MAX_UINT256, RoyaltiesModel, TokenModel

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
DAY = 86_400
YEAR = 365 * DAY
BPC = 10**18
IDENTITY = b"\x11" * 32  # the identity digest members apply with
REASONING = b"\x5e" * 32  # the digest of an expert's reasoning document
ZERO_ADDRESS = "0x" + "00" * 20
SETUP_TERMS = b"\x7e" * 32  # the set-up's mandate agreements' CID digest

T = TypeVar("T")


@functools.cache
def compiled(*names: str) -> dict[str, Any]:
    """The deployers of `contracts/<name>.vy`, compiled once per session."""
    return {n: boa.load_partial(str(CONTRACTS / f"{n}.vy")) for n in names}


def actor_keys(machine: str, names: Iterable[str]) -> dict[str, bytes]:
    """A private key for each of `machine`'s actors `names`, the same in every run."""
    return {name: keccak(text=f"bpsa {machine} stateful {name}") for name in names}


def addresses_of(keys: dict[str, bytes]) -> dict[str, str]:
    """Each actor's address, from its key."""
    return {name: str(Account.from_key(key).address) for name, key in keys.items()}


def nonce_of(address: str) -> int:
    """The next nonce of `address` on titanoboa's chain."""
    return int(boa.env.evm.vm.state.get_nonce(bytes.fromhex(address[2:])))


def note_event(text: str) -> None:
    """Count an outcome for --hypothesis-show-statistics (no-op when replayed by hand)."""
    if currently_in_test_context():
        event(text)


def _short_repr(self: VyperContract) -> str:
    return f"<{self.compiler_data.contract_path} at {self.address}>"


class Deployed(Generic[T]):
    """A module's deployment, made once by its module fixture (`yield from once()`).
    titanoboa's pytest plugin runs every hypothesis example in a snapshot (and every
    fixture's setup in one that lasts until its teardown), so each example starts from it;
    a machine run by hand, outside pytest, deploys its own copy inside its snapshot (`get`)."""

    def __init__(self, deploy: Callable[[], T]) -> None:
        self._deploy = deploy
        self._deployed: T | None = None

    def once(self) -> Iterator[T]:
        self._deployed = self._deploy()
        yield self._deployed
        self._deployed = None

    def get(self) -> T:
        return self._deployed if self._deployed is not None else self._deploy()


class SnapshotMachine(RuleBasedStateMachine):
    """A machine whose example runs in a snapshot of the chain, closed by `teardown`, and
    sends its transactions through `_send`. `model.now` is the model's clock."""

    model: Any

    def __init__(self) -> None:
        super().__init__()
        self._snapshot = contextlib.ExitStack()
        self._snapshot.enter_context(boa.env.anchor())
        # A revert makes boa render the reverting contract with all its storage (~10 ms);
        # the model's diff says more, so render contracts by name only.
        self._snapshot.enter_context(mock.patch.object(VyperContract, "__repr__", _short_repr))

    def teardown(self) -> None:
        self._snapshot.close()

    def _send(self, reason: str | None, fn: Any, *args: Any, sender: str) -> Any:
        """One transaction: it must revert with `reason`, or succeed (then `_sent` notes it)."""
        name = fn.func_t.name
        if reason is None:
            out = fn(*args, sender=sender)
            self._sent(name, args, sender)
            note_event(f"{name}: ok")
            return out
        with boa.reverts(reason):
            fn(*args, sender=sender)
        note_event(f"{name}: {reason}")
        return None

    def _sent(self, name: str, args: tuple[Any, ...], sender: str) -> None:
        """What the machine notes of a transaction that went through (nothing here)."""

    def _wait_until(self, timestamp: int) -> None:
        """Moves the chain (a new block) and the model's clock to `timestamp`, never back."""
        if timestamp > self.model.now:
            self.model.now = timestamp
            boa.env.evm.patch.timestamp = timestamp
            boa.env.evm.patch.block_number += 1


def allowance_for(approval: str, amount: int) -> int | None:
    """The allowance a rule's `approval` gives for paying `amount`: "exact", "max" (without
    limit), "short" (one wei short) or "zero"; None (any other: "keep", "none") leaves it."""
    allowances = {"exact": amount, "max": MAX_UINT256, "short": max(amount - 1, 0), "zero": 0}
    return allowances.get(approval)


class PayingMachine(SnapshotMachine):
    """A machine over the pool's contracts (`c`) whose actors pay the contract named `payee`
    in BPC. `names` gives the address of every actor and contract ("pool" among them)."""

    c: Any
    names: dict[str, str]
    payee: str

    def _top_up(self, sender: str, amount: int) -> None:
        """The pool (impersonated, BPC's only minter) mints what `sender` lacks of `amount`."""
        lacking = amount - self.model.token.balance(sender)
        if lacking > 0:
            self.model.token.mint(sender, lacking)
            self._send(None, self.c.bpc.mint, sender, lacking, sender=self.names["pool"])

    def _approve(self, sender: str, approval: str, amount: int) -> None:
        """The payee's allowance from `sender`, as `allowance_for` names it."""
        allowance = allowance_for(approval, amount)
        if allowance is not None:
            payee = self.names[self.payee]
            assert self.model.token.approve(sender, payee, allowance) is None
            self._send(None, self.c.bpc.approve, payee, allowance, sender=sender)

    def _pay_with(self, sender: str, amount: int, approval: str, funded: bool) -> None:
        """`sender` holds at least `amount` (when `funded`) and approves the payee."""
        if funded:
            self._top_up(sender, amount)
        self._approve(sender, approval, amount)


def bpc_model(bpc: Any, holders: Iterable[str], payee: str, royalties: str) -> TokenModel:
    """BPC as the set-up left it: its supply, the balances of `holders`, and the allowance
    without limit `payee`'s constructor gave Royalties to pull what it collects."""
    token = TokenModel(supply=bpc.totalSupply())
    for holder in holders:
        token.balances[holder] = bpc.balanceOf(holder)
    token.allowances[(payee, royalties)] = bpc.allowance(payee, royalties)
    assert token.allowances[(payee, royalties)] == MAX_UINT256
    return token


def pooled_at_setup(
    pool: Any,
    params: PoolParams,
    pooled: Iterable[tuple[bytes, str, str, int]],
    record: Callable[[str, str, int, int], T],
) -> tuple[dict[bytes, T], RoyaltiesModel]:
    """The patents the set-up pooled, each (id, contributor, centre, score), as the model
    records them (`record`, with the pool's tenure of each), and Royalties' model of them."""
    royalties = RoyaltiesModel(params.contributor_bps, params.centre_bps, params.fund_bps)
    patents = {}
    for pid, contributor, centre, score in pooled:
        patents[pid] = record(contributor, centre, score, pool.tenure_of(pid))
        royalties.change_weight(contributor, centre, 0, score)
    return patents, royalties


def royalties_baseline(c: PoolContracts, token: TokenModel) -> dict[str, int]:
    """Royalties and the fund as the set-up left them: a machine counts payments from here."""
    return {
        "fees_in": c.royalties.fees_in(),
        "paid_to_fund": c.royalties.paid_to_fund(),
        "royalties": token.balance(str(c.royalties.address)),
        "fund": token.balance(str(c.fund.address)),
    }


@dataclass(frozen=True)
class PoolContracts:
    alliance: Any
    certificates: Any
    fund: Any
    bpc: Any
    royalties: Any
    pool: Any
    mandates: Any

    def addresses(self) -> dict[str, str]:
        """The fund's, Royalties' and the pool's addresses, by the names the machines use."""
        mine = {"fund": self.fund, "royalties": self.royalties, "pool": self.pool}
        return {name: str(contract.address) for name, contract in mine.items()}

    def by_name(self) -> dict[str, Any]:
        """The pool's contracts by manifest name, as bpsa.sdk.deploy.deploy_pool returns them."""
        mine = (self.certificates, self.fund, self.bpc, self.royalties, self.pool, self.mandates)
        names = ("Certificates", "Fund", "BPC", "Royalties", "PatentPool", "Mandates")
        return dict(zip(names, mine, strict=True))


class _Deployer:
    """An address as the SDK's deploy functions see a deployer: `address` and `nonce`."""

    def __init__(self, address: str) -> None:
        self.address = address

    @property
    def nonce(self) -> int:
        return nonce_of(self.address)


class _ContractType:
    """A compiled contract as the SDK deploys it: `deploy(*args, sender=deployer)`."""

    def __init__(self, name: str) -> None:
        self._partial = compiled(name)[name]

    def deploy(self, *args: Any, sender: _Deployer) -> Any:
        with boa.env.prank(sender.address):
            return self._partial.deploy(*args)


class BoaProject:
    """ape's `project` as bpsa.sdk.deploy uses it (`project.<Name>.deploy(...)`), over
    titanoboa: so the machines deploy with the SDK's own functions, in its order."""

    def __getattr__(self, name: str) -> _ContractType:
        return _ContractType(name)


def sdk_deploy(deploy: Callable[..., dict[str, Any]], deployer: str, *args: Any) -> dict[str, Any]:
    """`deploy(project, deployer, *args)`, one of bpsa.sdk.deploy's functions, on titanoboa."""
    return deploy(BoaProject(), _Deployer(deployer), *args)


def deploy_pool(deployer: str, council: str, params: PoolParams) -> PoolContracts:
    """An Alliance owned by `council` and a pool under it, by bpsa.sdk.deploy.deploy_pool."""
    with boa.env.prank(deployer):
        alliance = compiled("Alliance")["Alliance"].deploy(council)
    c = sdk_deploy(sdk.deploy_pool, deployer, str(alliance.address), council, params)
    names = ("Certificates", "Fund", "BPC", "Royalties", "PatentPool", "Mandates")
    return PoolContracts(alliance, *(c[name] for name in names))


def admit(alliance: Any, council: str, members: Iterable[tuple[str, Kind, Role, bytes]]) -> None:
    """Each (address, kind, roles, identity) applies, the council admits it and grants each of
    its roles."""
    for who, kind, roles, identity in members:
        alliance.apply(int(kind), identity, sender=who)
        alliance.admit(who, *alliance.application_of(who), sender=council)
        for role in Role:
            if roles & role:
                alliance.grant_role(who, int(role), sender=council)


def pool_params(oracle_threshold: int) -> PoolParams:
    """The machines' pool: NAV 100 BPC, a quorum of three experts, core score 60, patents
    re-rated every 30 days, `oracle_threshold` oracles to attest a certificate."""
    return PoolParams(
        initial_nav=100 * BPC,
        oracle_threshold=oracle_threshold,
        expert_threshold=3,
        core_threshold=60,
        rerate_interval=30 * DAY,
    )


@dataclass(frozen=True)
class SetupPatent:
    """A patent a machine's set-up pools: who submits it (and from which source, naming
    which centre), whom its certificate names as owner, and the experts' rating."""

    office: str
    number: str
    document: bytes
    source: Source
    submitter: str
    owner: str
    centre: str
    score: int
    valuation: int


def pool_at_setup(
    c: PoolContracts, council: str, oracle_key: bytes, experts: Iterable[str], p: SetupPatent
) -> bytes:
    """Submits `p`, attests its certificate (signed by the one oracle the set-up's pool
    needs), certifies it, has `experts` rate it and pools it: its patent id. A centre
    accepts the submitter's mandate first (the whole centre share, a century), so it
    earns and acts for the patent as the machines' models expect."""
    pid: bytes = c.pool.submit(
        p.office, p.number, p.document, int(p.source), p.centre, 0, sender=p.submitter
    )
    if p.centre != ZERO_ADDRESS:
        share, until = int(c.royalties.centre_bps()), int(boa.env.evm.patch.timestamp) + 100 * YEAR
        c.mandates.offer_mandate(pid, p.centre, SETUP_TERMS, share, until, sender=p.submitter)
        c.mandates.accept_mandate(pid, SETUP_TERMS, share, until, sender=p.centre)
    domain = certs.domain(int(boa.env.evm.patch.chain_id), str(c.certificates.address))
    expiry = int(boa.env.evm.patch.timestamp) + 100 * YEAR
    cert = certs.Certificate(
        p.office, p.number, p.document, p.owner, CertStatus.IN_FORCE, expiry, 1
    )
    signature = certs.sign_certificate(domain, cert, oracle_key)
    c.certificates.attest(cert.as_arg(), certs.quorum([signature]), sender=council)
    c.pool.certify(pid, sender=council)
    for expert in experts:
        c.pool.rate(pid, p.score, p.valuation, REASONING, sender=expert)
    c.pool.pool(pid, sender=council)
    assert c.pool.patents(pid).status == PatentStatus.POOLED
    return pid
