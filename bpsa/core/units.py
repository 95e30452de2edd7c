"""Units for people and from people: token amounts (18 decimals), dates and durations.

Every amount on chain is an integer of the token's smallest unit (wei for BPC, 18
decimals); people read and type whole units ("12.5"). Every time on chain is unix
seconds; people read ISO-8601 dates in UTC. These conversions are the only place either
is done, for the SDK, the commands, the oracle nodes and the API alike.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NewType

from bpsa.core.errors import InputError

Wei = NewType("Wei", int)  # BPC or valuation units, 18 decimals
ONE = 10**18


class Amount(int):
    """An amount in the smallest unit (18 decimals), with the unit it is counted in: an
    int for arithmetic and JSON, read by people as units and symbol (`100 USD per BPC`)."""

    symbol: str

    def __new__(cls, value: int, symbol: str) -> Amount:
        amount = super().__new__(cls, value)
        amount.symbol = symbol
        return amount

    def __str__(self) -> str:
        return f"{units(self)} {self.symbol}"

    def __repr__(self) -> str:
        return f"Amount({int(self)}, {self.symbol!r}): {self}"

    def __reduce__(self) -> tuple[type[Amount], tuple[int, str]]:  # copy and pickle keep it
        return (Amount, (int(self), self.symbol))


def units(amount: int) -> str:
    """18-decimal fixed point as a plain decimal string (500000000000000000000 -> '500')."""
    text = format(Decimal(amount) / ONE, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_units(text: str, what: str) -> Wei:
    """'500' or '12.5' (whole units) -> wei; refuses negatives and more than 18 decimals."""
    try:
        value = Decimal(text)
    except Exception:
        raise InputError(f"{what} must be a number, got {text!r}") from None
    if value < 0 or not value.is_finite():
        raise InputError(f"{what} must be a non-negative number, got {text!r}")
    wei = value * ONE
    if wei != wei.to_integral_value():
        raise InputError(f"{what} has more than 18 decimals: {text!r}")
    return Wei(int(wei))


def parse_time(text: str, what: str) -> int:
    """Unix seconds, or an ISO date (YYYY-MM-DD, midnight UTC)."""
    if text.isdigit():
        return int(text)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{what} must be unix seconds or YYYY-MM-DD, got {text!r}") from None
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def date_of(timestamp: int) -> str:
    """Unix seconds as an ISO date (UTC), for people."""
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).date().isoformat()


DURATION_UNITS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "y": 365 * 86_400}


def parse_duration(text: str, what: str = "DURATION") -> int:
    """Seconds from '3600', '90m', '12h', '30d' or '2y' (a year is 365 days)."""
    number, unit = (text[:-1], text[-1]) if text[-1:] in DURATION_UNITS else (text, "s")
    if not number.isdigit():
        raise InputError(f"{what} must be seconds or a whole number with s/m/h/d/y, got {text!r}")
    return int(number) * DURATION_UNITS[unit]


def when(timestamp: int, now: int | None = None) -> str:
    """A chain timestamp for people: UTC date and time to the second, and how far it is
    from `now` (the chain's time) when given: `2026-12-10 14:00:00 UTC (in 2 days)`."""
    moment = dt.datetime.fromtimestamp(timestamp, dt.UTC)
    text = moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    return text if now is None else f"{text} ({relative(timestamp - now)})"


def duration(seconds: int) -> str:
    """A length of time for people, in the largest unit that divides it exactly:
    `30 days`, `12 hours`, `90 minutes`, `1 second` (a year is 365 days)."""
    name, step = next(
        ((name, step) for name, step in RELATIVE_STEPS if seconds and seconds % step == 0),
        ("second", 1),
    )
    count = seconds // step
    return f"{count:,} {name}{'' if count == 1 else 's'}"


RELATIVE_STEPS = (("year", 365 * 86_400), ("day", 86_400), ("hour", 3_600), ("minute", 60))


def relative(seconds: int) -> str:
    """A time difference for people, in its largest whole unit: `in 2 days`, `3 hours
    ago`, `in 45 seconds`, `now`."""
    if seconds == 0:
        return "now"
    size = abs(seconds)
    name, count = next(
        ((name, size // step) for name, step in RELATIVE_STEPS if size >= step),
        ("second", size),
    )
    span = f"{count} {name}{'' if count == 1 else 's'}"
    return f"in {span}" if seconds > 0 else f"{span} ago"
