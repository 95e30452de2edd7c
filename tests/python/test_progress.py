"""bpsa.core.progress: a bar with the count, the rate and the time left on a terminal, and
not one character anywhere else (pipes, logs, CI, BPSA_PROGRESS=0)."""

from __future__ import annotations

import io
import re
import sys

import click
import pytest

from bpsa.core import progress


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("BPSA_PROGRESS", raising=False)


def _work(stream: io.StringIO, total: int = 50, min_total: int = 0) -> None:
    with progress.progress(
        "hashing", total, unit="leaves", stream=stream, min_total=min_total
    ) as bar:
        for _ in range(total):
            bar.advance()


def test_progress__a_terminal__draws_the_count_and_the_rate() -> None:
    stream = Terminal()

    _work(stream)

    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())  # colours, cursor moves
    assert "hashing" in text
    assert "50/50" in text
    assert re.search(r"[\d,.]+ leaves/s", text), text


def test_track__a_terminal__draws_every_item_and_yields_them_all() -> None:
    stream = Terminal()

    seen = list(progress.track(range(7), "years", unit="years", stream=stream))

    assert seen == list(range(7))
    assert "7/7" in stream.getvalue()


def test_progress__not_a_terminal__writes_nothing() -> None:
    stream = io.StringIO()

    _work(stream)

    assert stream.getvalue() == ""


@pytest.mark.parametrize(("name", "value"), [("CI", "true"), ("CI", "1"), ("BPSA_PROGRESS", "0")])
def test_progress__a_terminal_but_ci_or_turned_off__writes_nothing(
    name: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, value)
    stream = Terminal()

    _work(stream)
    list(progress.track(range(3), "years", stream=stream))

    assert stream.getvalue() == ""


def test_progress__less_work_than_min_total__writes_nothing() -> None:
    stream = Terminal()

    _work(stream, total=5, min_total=6)

    assert stream.getvalue() == ""


def test_enabled__an_empty_ci_or_progress_1__still_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "")
    monkeypatch.setenv("BPSA_PROGRESS", "1")

    assert progress.enabled(Terminal())
    assert not progress.enabled(io.StringIO())


def test_progress__a_closed_stream__writes_nothing_and_does_not_fail() -> None:
    stream = io.StringIO()
    stream.close()

    _work(stream)  # isatty() of a closed stream raises ValueError: taken as no terminal


class TerminalFile(io.TextIOWrapper):
    """A terminal as sys.stdout is one: text over a byte buffer."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8", write_through=True)

    def isatty(self) -> bool:
        return True

    def written(self) -> str:
        assert isinstance(self.buffer, io.BytesIO)
        return self.buffer.getvalue().decode()


def test_progress__click_echo_and_print_meanwhile__go_above_the_bar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdout, stderr = TerminalFile(), TerminalFile()
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)

    with progress.progress("timeline", 2, unit="dates") as bar:
        click.echo("2027-06-30  US 11234567: renewed")
        print("a print")
        bar.advance(2)

    drawn = stderr.written()  # the bar's console, which the printed lines go through
    assert stdout.written() == ""  # nothing wrote beneath the bar (click's binary buffer)
    assert drawn.index("2027-06-30  US 11234567: renewed") < drawn.rindex("2/2")
    assert drawn.index("a print") < drawn.rindex("2/2")
