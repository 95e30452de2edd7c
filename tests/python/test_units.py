"""bpsa.core.units: amounts and times as people read them, numbers as machines do."""

import copy
import json
import pickle

import pytest

from bpsa.core.units import Amount, duration, relative, units, when

DAY = 86_400


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "now"),
        (1, "in 1 second"),
        (45, "in 45 seconds"),
        (-60, "1 minute ago"),
        (3_599, "in 59 minutes"),
        (3_600, "in 1 hour"),
        (2 * DAY + 5, "in 2 days"),
        (-3 * 3_600 - 59, "3 hours ago"),
        (400 * DAY, "in 1 year"),
        (-800 * DAY, "2 years ago"),
    ],
)
def test_relative__each_size__its_largest_whole_unit(seconds: int, text: str) -> None:
    assert relative(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1, "1 second"),
        (3_601, "3,601 seconds"),
        (90 * 60, "90 minutes"),
        (3_600, "1 hour"),
        (30 * DAY, "30 days"),
        (365 * DAY, "1 year"),
    ],
)
def test_duration__exact_lengths__the_largest_unit_that_divides_them(
    seconds: int, text: str
) -> None:
    assert duration(seconds) == text


def test_when__with_the_chains_time__date_and_how_far() -> None:
    assert when(1_796_834_255) == "2026-12-09 16:37:35 UTC"
    assert when(1_796_834_255, now=1_796_834_255 - 2 * DAY) == "2026-12-09 16:37:35 UTC (in 2 days)"
    assert when(1_796_834_255, now=1_796_834_255 + 90) == "2026-12-09 16:37:35 UTC (1 minute ago)"


def test_amount__printed__units_and_symbol_yet_an_int_for_machines() -> None:
    nav = Amount(125 * 10**18 + 5 * 10**17, "USD per BPC")

    assert str(nav) == "125.5 USD per BPC" and f"NAV {nav}" == "NAV 125.5 USD per BPC"
    assert "125.5 USD per BPC" in repr(nav)
    assert nav == 125_500_000_000_000_000_000 and nav + 1 == 125_500_000_000_000_000_001
    assert json.loads(json.dumps({"nav": nav})) == {"nav": 125_500_000_000_000_000_000}
    assert units(nav) == "125.5" and f"{nav:d}" == "125500000000000000000"
    assert str(copy.deepcopy(nav)) == str(pickle.loads(pickle.dumps(nav))) == str(nav)
