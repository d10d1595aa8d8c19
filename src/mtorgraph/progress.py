"""Progress on stderr for long operations, shown only to a person watching a terminal.

Any code may wrap a slow step in :func:`task`; it costs nothing when progress is off (the default
unless stderr is a terminal, and always with ``mtorgraph --quiet``)::

    with task("loading graphs/", total=len(files)) as t:
        for f in files:
            ...
            t.advance()

On a terminal the line reads ``loading graphs/ … 3/12, 4 s`` and is redrawn in place at most a few
times a second by a background timer (so a step that never calls ``advance`` still shows it is
alive); when the step ends the line is replaced by ``loading graphs/: done in 4.2 s`` if it took
longer than :data:`REPORT_AFTER` seconds, and erased otherwise. Nothing is ever written to stdout.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TextIO

__all__ = ["REPORT_AFTER", "Task", "configure", "enabled", "task"]

#: Steps quicker than this leave no line behind.
REPORT_AFTER = 1.0
#: Seconds between redraws.
REDRAW_EVERY = 0.25

_quiet = False
_stream: TextIO | None = None


def configure(*, quiet: bool = False, stream: TextIO | None = None) -> None:
    """Turn progress off (``quiet``) or send it to ``stream`` instead of ``sys.stderr``."""
    global _quiet, _stream
    _quiet = quiet
    _stream = stream


def _target() -> TextIO:
    return _stream if _stream is not None else sys.stderr


def enabled() -> bool:
    """Whether progress is shown: not quiet, and the stream is a terminal."""
    if _quiet:
        return False
    stream = _target()
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or foreign stream
        return False


class Task:
    """One step in progress; use it as a context manager and call :meth:`advance`."""

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more items done."""

    def __enter__(self) -> Task:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        return None


_OFF = Task()


class _ShownTask(Task):
    def __init__(self, label: str, total: int | None, stream: TextIO):
        self.label = " ".join(label.split())
        self.total = total
        self.done = 0
        self.stream = stream
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._timer = threading.Thread(target=self._tick, daemon=True)

    def advance(self, n: int = 1) -> None:
        self.done += n

    def _line(self) -> str:
        count = f"{self.done}/{self.total}, " if self.total else (f"{self.done}, " if self.done else "")
        return f"{self.label} … {count}{time.monotonic() - self.started:.0f} s"

    def _draw(self, text: str) -> None:
        with self._lock:
            self.stream.write(f"\r\x1b[K{text}")
            self.stream.flush()

    def _tick(self) -> None:
        while not self._stop.wait(REDRAW_EVERY):
            self._draw(self._line())

    def __enter__(self) -> Task:
        self._draw(f"{self.label} …")
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._timer.join()
        elapsed = time.monotonic() - self.started
        if kind is None and elapsed >= REPORT_AFTER:
            self._draw(f"{self.label}: done in {elapsed:.1f} s\n")
        else:
            self._draw("")
        return None


def task(label: str, total: int | None = None) -> Task:
    """A progress display for one step (a no-op object when progress is off)."""
    if not enabled():
        return _OFF
    return _ShownTask(label, total, _target())
