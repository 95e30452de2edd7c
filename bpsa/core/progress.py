"""Progress of long work (an indexer's catch-up, a device batch's tree, an oracle node's
backlog, a simulation's years): a bar with the count, the rate and the time left, drawn
with `rich` on a terminal, and nothing at all anywhere else.

    with progress("indexing blocks", total=head - cursor, unit="blocks") as bar:
        for batch in batches:
            ...
            bar.advance(len(batch))

    for year in track(range(20), "simulated years", unit="years"):
        ...

The bar is drawn only when the stream (standard error unless given) is a terminal and
the environment says neither `CI` (set to anything but empty) nor `BPSA_PROGRESS=0`:
logs, pipes, files, test runs and CI get no output from here. Work too small to be
worth a bar (`total` below `min_total`) gets none either.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

T = TypeVar("T")


class Bar:
    """What long work reports to. This one does nothing (no terminal, CI, or turned off)."""

    def advance(self, count: int = 1) -> None:
        """`count` more items done."""

    def set_done(self, done: int) -> None:
        """`done` items done in all (work undone, as after a reorganisation, goes back)."""

    def set_total(self, total: int | None) -> None:
        """The work turned out to be `total` items (None: not known)."""


class _RichBar(Bar):
    def __init__(self, bars: Progress, task: TaskID) -> None:
        self._bars = bars
        self._task = task

    def advance(self, count: int = 1) -> None:
        self._bars.advance(self._task, count)

    def set_done(self, done: int) -> None:
        self._bars.update(self._task, completed=done)

    def set_total(self, total: int | None) -> None:
        self._bars.update(self._task, total=total)


def _isatty(stream: IO[str] | None) -> bool:
    try:
        return stream is not None and bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed stream
        return False


def enabled(stream: IO[str] | None = None) -> bool:
    """Whether a bar would be drawn on `stream` (standard error if None)."""
    if os.environ.get("CI") or os.environ.get("BPSA_PROGRESS", "").strip() == "0":
        return False
    return _isatty(sys.stderr if stream is None else stream)


@contextmanager
def progress(
    description: str,
    total: int | None,
    *,
    unit: str = "items",
    stream: IO[str] | None = None,
    min_total: int = 0,
    transient: bool = False,
) -> Iterator[Bar]:
    """A bar for `total` items of `description` (None: a count without an end), on
    `stream` (standard error if None) when `enabled`; else a `Bar` that does nothing."""
    out = sys.stderr if stream is None else stream
    if not enabled(out) or (total is not None and total < min_total):
        yield Bar()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            shown = "?" if speed is None else f"{speed:,.1f}" if speed < 100 else f"{speed:,.0f}"
            return Text(f"{shown} {unit}/s", style="progress.data.speed")

    console = Console(file=out, force_terminal=True)
    standard = out is sys.stderr or out is sys.stdout
    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=transient,
        redirect_stdout=False,  # done below, so that click.echo goes above the bar too
        redirect_stderr=False,
    )
    with bars, _above(console, standard):
        yield _RichBar(bars, bars.add_task(description, total=total))


@contextmanager
def _above(console: Console, standard: bool) -> Iterator[None]:
    """While the bar is drawn, what is printed to the terminal (standard output and error)
    goes above it. rich's own redirection is not enough: its proxy says no encoding, so
    click.echo writes to the buffer beneath it, and the bar's last drawing stays."""
    from rich.file_proxy import FileProxy

    class Proxy(FileProxy):
        @property
        def encoding(self) -> str:  # type: ignore[override]
            return str(getattr(self.rich_proxied_file, "encoding", None) or "utf-8")

        @property
        def errors(self) -> str | None:  # type: ignore[override]
            return getattr(self.rich_proxied_file, "errors", None)

    saved = sys.stdout, sys.stderr
    proxies = []
    if standard and _isatty(sys.stdout):
        sys.stdout = Proxy(console, sys.stdout)
        proxies.append(sys.stdout)
    if standard and _isatty(sys.stderr):
        sys.stderr = Proxy(console, sys.stderr)
        proxies.append(sys.stderr)
    try:
        yield
    finally:
        for proxy in proxies:
            proxy.flush()
        sys.stdout, sys.stderr = saved


def track(
    items: Iterable[T],
    description: str,
    *,
    total: int | None = None,
    unit: str = "items",
    stream: IO[str] | None = None,
    min_total: int = 0,
) -> Iterator[T]:
    """`items`, one by one, with a bar of them (`total`: their number, if `items` has no
    len)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with progress(description, total, unit=unit, stream=stream, min_total=min_total) as bar:
        for item in items:
            yield item
            bar.advance()
