"""The secretariat's admin operations, each one command.

    ape run admin apply --kind start-up --identity bafk... --account TEST::3
    ape run admin propose admit 0xApplicant --account TEST::0
    ape run admin vote 1 yes --account TEST::1
    ape run admin execute 1 --account TEST::0
    ape run admin members
    ape run admin proposals --body council
    ape run admin propose pool US 11234567 --account TEST::0
    ape run admin propose family-set US 10555555 DOCDB:54321098 --account TEST::0  # the fund's
    ape run admin propose tier sme 120 --account TEST::0
    ape run admin propose grant-bpr 0xNonProfit --account TEST::0
    ape run admin propose agreement bpr samples/agreements/bpr.txt --account TEST::0  # or a CID
    ape run admin propose agreements samples/agreements/bpr.txt \\
        samples/agreements/per-patent.txt samples/agreements/device.txt --account TEST::0
    ape run admin propose case-settle 3 5 --account TEST::0   # case 3 with offer 5
    ape run admin propose enable-sale 0xUSDC --account TEST::0  # name the desk, open sales
    ape run admin propose sale-terms 0xUSDC 1 100 30d 1000000 100000 30d --account TEST::0
    ape run admin propose sale-open no --account TEST::0
    ape run admin propose sale-spend 0xSeller "15000 USDC" US 11234567 "purchase 7"
    ape run admin propose fund-mandate US 11234567 0xCentre bafk... 1000 2030-01-01
    ape run admin propose fund-mandate-end US 11234567

Pool operations that need no proposal (submit, certify, rate, pay, claim...) are in
`ape run pool`.

Every command takes --network (default: the local chain) and reads the suite from
deployments/<network>.json. Bad input (unknown member, wrong kind, proposal not
passed) fails with one clear line and nothing is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from ape.cli import ConnectedProviderCommand
from eth_utils.crypto import keccak

from bpsa.cli_support import agreement_of, clear_errors, load_suite, resolve_account
from bpsa.core import codes
from bpsa.core.certificates import patent_id
from bpsa.core.cid import digest_of
from bpsa.core.errors import InputError
from bpsa.core.units import parse_duration, parse_time, parse_units
from bpsa.sdk.alliance import Call, Suite, as_address
from bpsa.sdk.families import family_id
from bpsa.sdk.reverts import chain_time

ACTIONS: dict[str, tuple[str, Callable[[Suite, list[str]], Call]]] = {
    "admit": ("ADDRESS", lambda s, a: s.call_admit(a[0])),
    "reject": ("ADDRESS", lambda s, a: s.call_reject(a[0])),
    "suspend": ("ADDRESS", lambda s, a: s.call_suspend(a[0])),
    "reinstate": ("ADDRESS", lambda s, a: s.call_reinstate(a[0])),
    "expel": ("ADDRESS", lambda s, a: s.call_expel(a[0])),
    "grant-role": ("ADDRESS ROLE", lambda s, a: s.call_grant_role(a[0], codes.parse_role(a[1]))),
    "revoke-role": ("ADDRESS ROLE", lambda s, a: s.call_revoke_role(a[0], codes.parse_role(a[1]))),
    "market-share": ("ADDRESS BPS", lambda s, a: s.call_set_market_share(a[0], _int(a[1], "BPS"))),
    "add-seat": ("ADDRESS", lambda s, a: s.call_seat("add_seat", a[0])),
    "remove-seat": ("ADDRESS", lambda s, a: s.call_seat("remove_seat", a[0])),
    "pool": ("OFFICE NUMBER", lambda s, a: s.pool.call_pool(patent_id(a[0], a[1]))),
    "remove": (
        "OFFICE NUMBER REASON",
        lambda s, a: s.pool.call_remove(patent_id(a[0], a[1]), codes.parse_removal(a[2])),
    ),
    "family-set": (
        "OFFICE NUMBER FAMILY",
        lambda s, a: s.pool.families.call_set(
            patent_id(a[0], a[1]),
            bytes(32) if a[2] == "none" else family_id(a[2]),
            str(s.pool.pool.owner()),
        ),
    ),
    "submit-for-fund": (
        "OFFICE NUMBER DOCUMENT SOURCE",
        lambda s, a: s.pool.call_submit_for_fund(
            a[0], a[1], digest_of(a[2]), codes.parse_source(a[3])
        ),
    ),
    "pool-parameters": (
        "EXPERT_THRESHOLD CORE_THRESHOLD RERATE_SECONDS",
        lambda s, a: s.pool.call_set_parameters(
            _int(a[0], "EXPERT_THRESHOLD"),
            _int(a[1], "CORE_THRESHOLD"),
            _int(a[2], "RERATE_SECONDS"),
        ),
    ),
    "grace-period": (
        "DURATION",
        lambda s, a: s.pool.call_set_grace_period(parse_duration(a[0], "DURATION")),
    ),
    "clear-seller": (
        "OFFICE NUMBER SELLER",
        lambda s, a: s.pool.call_clear_seller(patent_id(a[0], a[1]), a[2]),
    ),
    "oracle-threshold": ("M", lambda s, a: s.pool.call_set_oracle_threshold(_int(a[0], "M"))),
    "royalty-split": (
        "CONTRIBUTOR_BPS CENTRE_BPS FUND_BPS",
        lambda s, a: s.pool.call_set_split(*(_int(x, "BPS") for x in a)),
    ),
    "fund-claim": ("", lambda s, a: s.pool.call_fund_claim()),
    # the fund's patents are the council's to mandate to a trusteeship centre (issue 17)
    "fund-mandate": (
        "OFFICE NUMBER CENTRE TERMS SHARE_BPS EXPIRY",
        lambda s, a: _fund_mandate(s, a),
    ),
    "fund-mandate-end": (
        "OFFICE NUMBER",
        lambda s, a: s.pool.mandates.call_end(_council(s), patent_id(a[0], a[1])),
    ),
    "fund-approve": (
        "SPENDER AMOUNT",
        lambda s, a: s.pool.call_fund_approve(a[0], parse_units(a[1], "AMOUNT")),
    ),
    "fund-pay": (
        "ADDRESS AMOUNT MEMO",
        lambda s, a: s.pool.call_fund_pay(a[0], parse_units(a[1], "AMOUNT"), keccak(text=a[2])),
    ),
    "fund-buy": (
        "LISTING",
        lambda s, a: _exchange_call(s, "buy_for_fund", _int(a[0], "LISTING")),
    ),
    "tier": (
        "KIND PRICE",
        lambda s, a: s.desk.call_set_tier(codes.parse_kind(a[0]), parse_units(a[1], "PRICE")),
    ),
    "large-enterprise-rate": (
        "PRICE_PER_BPS",
        lambda s, a: s.desk.call_set_large_enterprise_rate(parse_units(a[0], "PRICE_PER_BPS")),
    ),
    "min-term": ("DURATION", lambda s, a: s.desk.call_set_min_term(parse_duration(a[0]))),
    "grant-bpr": ("ADDRESS", lambda s, a: s.desk.call_grant(a[0])),
    "revoke-bpr": ("ADDRESS", lambda s, a: s.desk.call_revoke(a[0])),
    "surcharge": ("BPS", lambda s, a: s.desk.call_set_surcharge(_int(a[0], "BPS"))),
    # the standard agreement of a kind of licence (bpr, per-patent, device): a file is
    # stored as an IPFS file and pinned first; licences made after the vote carry it
    "agreement": (
        "KIND FILE|CID",
        lambda s, a: s.desk.call_set_agreement(
            codes.parse_agreement_kind(a[0]), agreement_of(a[1])
        ),
    ),
    # the council's part in infringement cases: it decides for the fund's patents (the first
    # key of a settlement: accept an offer), resolves cases, and sets the bond and its policy
    "case-authorise": ("CASE", lambda s, a: _case_call(s, "authorise", _int(a[0], "CASE"))),
    "case-decline": ("CASE", lambda s, a: _case_call(s, "decline", _int(a[0], "CASE"))),
    "case-accept": (
        "CASE OFFER",
        lambda s, a: _case_call(s, "accept_offer", _int(a[0], "CASE"), _int(a[1], "OFFER")),
    ),
    "case-settle": (
        "CASE OFFER",
        lambda s, a: _case_call(s, "settle", _int(a[0], "CASE"), _int(a[1], "OFFER")),
    ),
    "case-dismiss": ("CASE", lambda s, a: _case_call(s, "dismiss", _int(a[0], "CASE"))),
    "case-bond": (
        "BOND TO",
        lambda s, a: _case_call(s, "set_bond", parse_units(a[0], "BOND"), _bond_policy(a[1])),
    ),
    "sale-terms": (
        "TOKEN PRICE MINIMUM PERIOD PERIOD_CAP BUYER_CAP STALE_GRACE",
        lambda s, a: _sale_terms(s, a),
    ),
    "sale-open": ("yes|no", lambda s, a: s.sale.call_set_open(_yes_no(a[0]))),
    "sale-spend": (
        "TO AMOUNT OFFICE NUMBER MEMO",
        lambda s, a: s.sale.call_spend(
            a[0], s.sale.parse(a[1]), patent_id(a[2], a[3]), keccak(text=a[4])
        ),
    ),
    "device-schedule": (
        "FREE_PER_YEAR LOW_RATE VOLUME_BREAK HIGH_RATE ANNUAL_CAP",
        lambda s, a: s.desk.call_set_device_schedule(
            _int(a[0], "FREE_PER_YEAR"),
            parse_units(a[1], "LOW_RATE"),
            _int(a[2], "VOLUME_BREAK"),
            parse_units(a[3], "HIGH_RATE"),
            parse_units(a[4], "ANNUAL_CAP"),
        ),
    ),
}


# Several calls in one proposal: the exchange takes effect in both registries at once.
MULTI_ACTIONS: dict[str, tuple[str, Callable[[Suite, list[str]], list[Call]]]] = {
    "enable-exchange": ("", lambda s, a: _enable_exchange(s)),
    "enable-sale": ("TOKEN", lambda s, a: _enable_sale(s, a[0])),
    # the first standard agreements after a deployment, one per kind of licence
    "agreements": (
        "BPR PER_PATENT DEVICE",
        lambda s, a: [
            s.desk.call_set_agreement(kind, agreement_of(value))
            for kind, value in zip(codes.AgreementKind, a, strict=True)
        ],
    ),
}


def _enable_sale(suite: Suite, token: str) -> list[Call]:
    """Name the sale desk in PatentPool and Fund (once), set the default terms for
    `token` (one token per valuation unit, SaleParams' limits) and open sales."""
    from bpsa.sdk.deploy import SaleParams
    from bpsa.sdk.sale import erc20_at

    if "Sale" not in suite.contracts:
        raise InputError("this deployment has no Sale: deploy again (ape run deploy)")
    sale = suite.contracts["Sale"]
    address = as_address(token)
    decimals = int(erc20_at(address).decimals())
    params = SaleParams(units_per_unit=10**decimals)
    params.check()
    return [
        _call(suite.contracts["PatentPool"], "set_sale_desk", sale.address),
        _call(suite.contracts["Fund"], "set_sale_desk", sale.address),
        _call(sale, "set_terms", *params.terms(address)),
        _call(sale, "set_open", True),
    ]


def _sale_terms(suite: Suite, a: list[str]) -> Call:
    """PRICE: tokens per valuation unit ('1' for USDC in USD), in the token's decimals."""
    from bpsa.sdk.sale import erc20_at, parse_token_amount

    token = as_address(a[0])
    decimals = int(erc20_at(token).decimals())
    return suite.sale.call_set_terms(
        token,
        parse_token_amount(a[1], decimals),
        parse_units(a[2], "MINIMUM"),
        parse_duration(a[3], "PERIOD"),
        parse_units(a[4], "PERIOD_CAP"),
        parse_units(a[5], "BUYER_CAP"),
        parse_duration(a[6], "STALE_GRACE"),
    )


def _council(suite: Suite) -> str:
    """The body that decides for the fund (the pool's owner): a proposal's calls run as it."""
    return str(suite.pool.pool.owner())


def _fund_mandate(suite: Suite, a: list[str]) -> Call:
    share = _int(a[4], "SHARE_BPS")
    expiry = parse_time(a[5], "EXPIRY")
    patent = patent_id(a[0], a[1])
    return suite.pool.mandates.call_offer(
        _council(suite), patent, a[2], digest_of(a[3]), share, expiry
    )


def _yes_no(text: str) -> bool:
    if text.lower() not in ("yes", "no"):
        raise InputError(f"expected yes or no, got {text!r}")
    return text.lower() == "yes"


def _enable_exchange(suite: Suite) -> list[Call]:
    exchange = _exchange(suite)
    registries = [suite.contracts.get(name) for name in ("PatentPool", "Licensing")]
    if None in registries:
        raise InputError("this deployment has no PatentPool or Licensing to name the exchange in")
    return [_call(r, "set_exchange", exchange.address) for r in registries]


def _exchange(suite: Suite) -> Any:
    if "Exchange" not in suite.contracts:
        raise InputError("this deployment has no Exchange: deploy again (ape run deploy)")
    return suite.contracts["Exchange"]


def _call(contract: Any, method: str, *args: Any) -> Call:
    return (str(contract.address), bytes(getattr(contract, method).encode_input(*args)))


def _exchange_call(suite: Suite, method: str, *args: Any) -> Call:
    return _call(_exchange(suite), method, *args)


def _case_call(suite: Suite, method: str, *args: int) -> Call:
    """A call to Infringements; the case (and offer) must exist. The contract checks the
    rest when the proposal executes (its reason is the execution's error)."""
    if "Infringements" not in suite.contracts:
        raise InputError("this deployment has no Infringements: deploy again (ape run deploy)")
    cases = suite.contracts["Infringements"]
    if method != "set_bond":
        case = args[0]
        if not 1 <= case <= int(cases.case_count()):
            raise InputError(f"no case #{case} (there are {int(cases.case_count())})")
    if method in ("accept_offer", "settle"):
        offer = args[1]
        record = cases.offers(offer)
        if not 1 <= offer <= int(cases.offer_count()) or int(record.case) != args[0]:
            raise InputError(f"offer #{offer} is not an offer on case #{args[0]}")
        if int(record.amount) == 0:
            raise InputError(f"offer #{offer} no longer stands (accepted or withdrawn)")
    return _call(cases, method, *args)


def _bond_policy(text: str) -> bool:
    """Where a dismissed (or conceded) case's bond goes: 'accused' or 'fund'."""
    if text not in ("accused", "fund"):
        raise InputError(f"TO must be 'accused' or 'fund', got {text!r}")
    return text == "accused"


def _int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InputError(f"{what} must be a whole number, got {text!r}") from None


def build_calls(suite: Suite, action: str, args: list[str]) -> list[Call]:
    """The proposal's calls for `action` with its arguments, checked against the chain."""
    if action in MULTI_ACTIONS:
        usage, build_many = MULTI_ACTIONS[action]
    elif action in ACTIONS:
        usage, build = ACTIONS[action]
        build_many = lambda s, a: [build(s, a)]  # noqa: E731
    else:
        known = ", ".join([*ACTIONS, *MULTI_ACTIONS])
        raise InputError(f"unknown action {action!r}; expected one of: {known}")
    if len(args) != len(usage.split()):
        wanted = usage or "no arguments"
        raise InputError(f"{action} takes {wanted}, got {len(args)} argument(s)")
    return build_many(suite, args)


account_opt = click.option(
    "--account", help="Signer: an `ape accounts` alias, or TEST::n on a local chain."
)
body_opt = click.option(
    "--body",
    type=click.Choice(["council", "congress"]),
    default="council",
    show_default=True,
    help="Which governance body.",
)


@click.group()
def cli() -> None:
    """BPSA admin operations: membership, governance and the council's pool decisions."""


@cli.command(cls=ConnectedProviderCommand)
@click.option(
    "--kind", required=True, help="non-profit, start-up, sme, large-enterprise, individual"
)
@click.option("--identity", required=True, help="The identity record's CID (or its 0x digest).")
@account_opt
@clear_errors
def apply(kind: str, identity: str, account: str | None) -> None:
    """Apply for membership."""
    suite = load_suite()
    sender = resolve_account(account)
    member_kind = codes.parse_kind(kind)
    suite.apply(sender, member_kind, digest_of(identity))
    click.echo(f"{sender.address} applied as {codes.label(member_kind)}; awaiting the council.")


@cli.command(cls=ConnectedProviderCommand)
@click.argument("action")
@click.argument("args", nargs=-1)
@click.option("--description", default="", help="Why (kept in the proposal's log).")
@account_opt
@body_opt
@clear_errors
def propose(
    action: str,
    args: tuple[str, ...],
    description: str,
    account: str | None,
    body: str,
) -> None:
    """Propose ACTION: admit, reject (the applicant's pending application as it stands
    now: its number, kind and identity are in the proposal, which decides no later
    application), suspend, reinstate, expel, grant-role, revoke-role,
    market-share, add-seat, remove-seat; for the pool: pool, remove, submit-for-fund,
    pool-parameters, family-set OFFICE NUMBER FAMILY|none (the fund's patents),
    oracle-threshold, royalty-split, fund-claim, fund-approve, fund-pay
    (AMOUNT in BPC); for licensing: tier, large-enterprise-rate, min-term (seconds or
    30d / 12h), grant-bpr, revoke-bpr, surcharge, device-schedule (rates and cap in
    BPC); for the exchange: enable-exchange (names it in PatentPool and Licensing),
    fund-buy LISTING (after fund-approve of the exchange for the price); for infringement
    cases: case-authorise, case-decline, case-accept CASE OFFER (the fund's patents),
    case-settle CASE OFFER (after the provider accepted the offer), case-dismiss CASE,
    case-bond BOND accused|fund."""
    suite = load_suite()
    sender = resolve_account(account)
    calls = build_calls(suite, action, list(args))
    text = description or f"{action} {' '.join(args)}".strip()
    if action in ("admit", "reject") and not description:
        # dev: say which application the proposal names: the one pending now
        text += f": {suite.describe_application(args[0])}"
    proposal_id = suite.propose(body, sender, calls, text)
    click.echo(f"{body} proposal #{proposal_id} created: {text}")


@cli.command(cls=ConnectedProviderCommand)
@click.argument("proposal_id", type=int)
@click.argument("support")
@account_opt
@body_opt
@clear_errors
def vote(proposal_id: int, support: str, account: str | None, body: str) -> None:
    """Vote yes, no or abstain on a proposal."""
    suite = load_suite()
    sender = resolve_account(account)
    choice = codes.parse_vote(support)
    suite.vote(body, sender, proposal_id, choice)
    click.echo(f"{sender.address} voted {codes.label(choice)} on {body} #{proposal_id}.")


@cli.command(cls=ConnectedProviderCommand)
@click.argument("proposal_id", type=int)
@account_opt
@body_opt
@clear_errors
def execute(proposal_id: int, account: str | None, body: str) -> None:
    """Execute a passed proposal whose delay has elapsed."""
    suite = load_suite()
    sender = resolve_account(account)
    suite.execute(body, sender, proposal_id)
    click.echo(f"{body} proposal #{proposal_id} executed.")


@cli.command(cls=ConnectedProviderCommand)
@clear_errors
def members() -> None:
    """List every applicant and member with kind, status and roles."""
    suite = load_suite()
    rows = suite.members()
    click.echo(f"{len(rows)} record(s); {suite.alliance.active_count()} active")
    for view in rows:
        click.echo("  " + view.describe())


@cli.command(cls=ConnectedProviderCommand)
@body_opt
@clear_errors
def proposals(body: str) -> None:
    """List a body's proposals with their state and tally."""
    suite = load_suite()
    views = suite.proposals(body)
    now = chain_time()
    click.echo(f"{len(views)} {body} proposal(s)")
    for view in views:
        click.echo("  " + view.describe(now))
