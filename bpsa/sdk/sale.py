"""A typed SDK over the sale desk (Sale.vy): members buy BPC at NAV for a stable token.

Amounts of the payment token are its smallest units (`TokenUnits`, 6 decimals for USDC);
values are valuation units with 18 decimals (`Wei`). `parse_token_amount` and
`token_amount` convert them for people with the token's own decimals, so "250.5 USDC"
means 250500000 units and never 250.5 x 10^18.

As the other SDK modules, every operation simulates its call before sending it and raises
the mapped `SaleError` (bpsa.sdk.reverts) with what the chain says; the council's
operations (terms, opening, spending the proceeds) are proposal calls (`call_*`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NewType

from bpsa.core.errors import InputError, ManifestError, SaleError
from bpsa.core.units import Wei, duration, units
from bpsa.sdk.alliance import Call, as_address
from bpsa.sdk.reverts import proposal_call, simulate, transact

TokenUnits = NewType("TokenUnits", int)  # a payment token's smallest unit
ZERO_ADDRESS = "0x" + "00" * 20
STALE_REASONS = {
    0: "current",
    1: "under re-rating",
    2: "re-rating overdue",
    3: "certificate lapsed",
}


def parse_token_amount(text: str, decimals: int, symbol: str = "") -> TokenUnits:
    """'250.5' or '250.5 USDC' -> the token's smallest units; refuses negatives, more
    decimals than the token has, and another token's symbol."""
    amount, _, unit = text.strip().partition(" ")
    if unit.strip() and symbol and unit.strip().upper() != symbol.upper():
        raise InputError(f"the amount is in {unit.strip()!r}, but the sale takes {symbol}")
    try:
        value = Decimal(amount)
    except InvalidOperation:
        raise InputError(f"the amount must be a number, got {text!r}") from None
    if not value.is_finite() or value <= 0:
        raise InputError(f"the amount must be positive, got {text!r}")
    scaled = value * (Decimal(10) ** decimals)
    if scaled != scaled.to_integral_value():
        raise InputError(f"{symbol or 'the token'} has {decimals} decimals: {text!r} has more")
    return TokenUnits(int(scaled))


def token_amount(amount: int, decimals: int, symbol: str = "") -> str:
    """Smallest units -> '250.5 USDC'."""
    text = format(Decimal(amount) / (Decimal(10) ** decimals), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} {symbol}".strip()


@dataclass(frozen=True)
class Terms:
    """The sale's terms as the chain holds them now."""

    token: str
    symbol: str
    decimals: int
    units_per_unit: int
    is_open: bool
    minimum: Wei
    period: int
    period_cap: Wei
    buyer_cap: Wei
    stale_grace: int
    stale_count: int

    def describe(self, valuation_unit: str = "USD") -> str:
        if self.token == ZERO_ADDRESS:
            return "no terms set (the council has not named a payment token)"
        price = token_amount(self.units_per_unit, self.decimals, self.symbol)
        state = "open" if self.is_open else "closed"
        halted = f", HALTED: {self.stale_count} stale valuation(s)" if self.stale_count else ""
        return (
            f"sales {state}{halted}; pay {self.symbol} ({self.token}), {price} per "
            f"{valuation_unit}; minimum {units(self.minimum)} {valuation_unit}; caps "
            f"{units(self.buyer_cap)} {valuation_unit} per member and {units(self.period_cap)} "
            f"{valuation_unit} in all per {duration(self.period)}"
        )


@dataclass(frozen=True)
class Quote:
    amount: TokenUnits
    value: Wei  # valuation units credited (rounded down)
    bpc: Wei  # BPC minted now (rounded down)
    nav: Wei


@dataclass(frozen=True)
class Treasury:
    """The fund's cash the NAV counts (valuation units)."""

    cash: Wei
    committed: Wei
    held_units: TokenUnits

    @property
    def total(self) -> Wei:
        return Wei(self.cash + self.committed)


class SaleDesk:
    """The Sale contract of a deployment, with the pool it mints from."""

    def __init__(self, contracts: dict[str, Any], token_at: Any) -> None:
        """`token_at(address)` binds an ERC-20 (e.g. ape's Contract with TestStable's ABI)."""
        if "Sale" not in contracts:
            raise ManifestError("this deployment has no Sale: deploy again (ape run deploy)")
        self.sale = contracts["Sale"]
        self.pool = contracts["PatentPool"]
        self.bpc = contracts["BPC"]
        self._token_at = token_at

    # -- views ---------------------------------------------------------------------------

    def token(self) -> Any:
        address = str(self.sale.token())
        if address == ZERO_ADDRESS:
            raise SaleError("the council has not set the sale's terms (no payment token)")
        return self._token_at(address)

    def terms(self) -> Terms:
        address = str(self.sale.token())
        symbol, decimals = "", 0
        if address != ZERO_ADDRESS:
            token = self._token_at(address)
            symbol, decimals = str(token.symbol()), int(token.decimals())
        return Terms(
            token=address,
            symbol=symbol,
            decimals=decimals,
            units_per_unit=int(self.sale.units_per_unit()),
            is_open=bool(self.sale.is_open()),
            minimum=Wei(int(self.sale.minimum())),
            period=int(self.sale.period()),
            period_cap=Wei(int(self.sale.period_cap())),
            buyer_cap=Wei(int(self.sale.buyer_cap())),
            stale_grace=int(self.sale.stale_grace()),
            stale_count=int(self.sale.stale_count()),
        )

    def parse(self, text: str) -> TokenUnits:
        """An amount typed by a person ('250.5' or '250.5 USDC') in the current token."""
        terms = self.terms()
        if terms.token == ZERO_ADDRESS:
            raise SaleError("the council has not set the sale's terms (no payment token)")
        return parse_token_amount(text, terms.decimals, terms.symbol)

    def quote(self, amount: int) -> Quote:
        value, bpc = self.sale.quote(amount)
        return Quote(TokenUnits(amount), Wei(int(value)), Wei(int(bpc)), Wei(int(self.pool.nav())))

    def treasury(self) -> Treasury:
        token = str(self.sale.token())
        held = int(self.sale.held_units(token)) if token != ZERO_ADDRESS else 0
        return Treasury(
            Wei(int(self.sale.cash_value())),
            Wei(int(self.sale.committed_value())),
            TokenUnits(held),
        )

    def room(self, buyer: str, timestamp: int) -> tuple[Wei, Wei]:
        """What may still be sold in the period of `timestamp`: in all, and to `buyer`."""
        terms = self.terms()
        if terms.period == 0:
            return Wei(0), Wei(0)
        index = timestamp // terms.period
        sold, bought = int(self.sale.sold_in(index)), int(self.sale.bought_in(index, buyer))
        return Wei(max(terms.period_cap - sold, 0)), Wei(max(terms.buyer_cap - bought, 0))

    def stale_reason(self, patent: bytes) -> str:
        return STALE_REASONS.get(int(self.sale.stale_reason(patent)), "unknown")

    # -- buyers --------------------------------------------------------------------------

    def buy(self, sender: Any, amount: int, slippage_bps: int = 0, dry_run: bool = False) -> Any:
        """Buys BPC for `amount` of the current token, accepting at most `slippage_bps`
        fewer BPC than quoted now. Approves the desk for exactly `amount` if needed.
        With `dry_run`, simulates and returns the quote, sending nothing."""
        if amount <= 0:
            raise InputError("the amount must be positive")
        if not 0 <= slippage_bps <= 10_000:
            raise InputError("the slippage must be 0 to 10000 bps")
        token = self.token()
        quote = self.quote(amount)
        min_bpc = quote.bpc * (10_000 - slippage_bps) // 10_000
        who = str(sender.address)
        balance = int(token.balanceOf(who))
        if balance < amount:
            symbol, decimals = str(token.symbol()), int(token.decimals())
            raise SaleError(
                f"{who} holds {token_amount(balance, decimals, symbol)}, less than "
                f"{token_amount(amount, decimals, symbol)}"
            )
        if int(token.allowance(who, self.sale.address)) < amount:
            if dry_run:
                # the desk's own checks, as a call from the buyer: only the payment would fail
                _check_without_payment(self, who, amount, min_bpc)
                return quote
            token.approve(self.sale.address, amount, sender=sender)
        args = (str(token.address), amount, min_bpc)
        if dry_run:
            simulate("Sale.buy", self.sale.buy, *args, sender=who, who=who)
            return quote
        return transact("Sale.buy", self.sale.buy, *args, sender=sender, who=who)

    def report_stale(self, sender: Any, patent: bytes) -> Any:
        return transact("Sale.report_stale", self.sale.report_stale, patent, sender=sender)

    def clear_stale(self, sender: Any, patent: bytes) -> Any:
        return transact("Sale.clear_stale", self.sale.clear_stale, patent, sender=sender)

    def write_off(self, sender: Any, patent: bytes) -> Any:
        return transact("Sale.write_off", self.sale.write_off, patent, sender=sender)

    # -- the council ---------------------------------------------------------------------

    def call_set_terms(
        self,
        token: str,
        units_per_unit: int,
        minimum: int,
        period: int,
        period_cap: int,
        buyer_cap: int,
        stale_grace: int,
    ) -> Call:
        args = (
            as_address(token), units_per_unit, minimum, period, period_cap, buyer_cap,
            stale_grace,
        )  # fmt: skip
        return proposal_call("Sale.set_terms", self.sale, "set_terms", *args)

    def call_set_open(self, is_open: bool) -> Call:
        return proposal_call("Sale.set_open", self.sale, "set_open", is_open)

    def call_spend(self, to: str, amount: int, patent: bytes, memo: bytes) -> Call:
        token = str(self.sale.token())
        args = (token, as_address(to), amount, patent, memo)
        return proposal_call("Sale.spend", self.sale, "spend", *args)


def _check_without_payment(desk: SaleDesk, who: str, amount: int, min_bpc: int) -> None:
    """A dry run without allowance: the desk's checks before the payment, read from the
    chain (the same reasons the contract gives), so the buyer learns what would refuse it."""
    from ape.exceptions import ContractLogicError

    from bpsa.sdk.reverts import ALLOWANCE_SHORT, reason_of, refusal

    try:
        desk.sale.buy.call(str(desk.sale.token()), amount, min_bpc, sender=who)
    except ContractLogicError as exc:
        reason = reason_of(exc)
        if reason not in (ALLOWANCE_SHORT, "sale: payment failed"):
            raise refusal("Sale.buy", reason, who=who) from None


def erc20_at(address: str) -> Any:
    """An ERC-20 at `address` through ape, with the test stable token's ABI (the standard
    ERC-20 functions, which USDC also has)."""
    from ape import Contract

    from bpsa.core.abis import load_abis

    return Contract(address, abi=load_abis()["TestStable"])
