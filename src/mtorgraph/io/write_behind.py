"""Write behind: a stream's writes done by a second thread, so writing overlaps making the next bytes.

An export of a large graph spends a fifth of its time in ``write`` calls (the kernel copying gigabytes
into the page cache), during which the interpreter could already build the next chunk. ``write``
releases the GIL, so one writer thread taking buffers from a short queue lets the two overlap on a
machine with a second core; the queue's bound keeps memory flat. Bytes arrive in the order given,
and an error of the writer thread (a full disk) is raised in the caller at its next write or at the
end, never lost.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

__all__ = ["write_behind"]

#: Writes waiting at most; each is one column's bytes (tens of MB at most for the export's chunks).
MAX_PENDING = 4
_DONE = object()


class _Sink:
    """What the producer writes to: ``write`` hands a bytes-like object to the writer thread."""

    def __init__(self, out: IO[bytes]):
        self._out = out
        self._pending: queue.Queue[Any] = queue.Queue(MAX_PENDING)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="mtorgraph-write-behind", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            data = self._pending.get()
            if data is _DONE:
                return
            if self._error is None:
                try:
                    self._out.write(data)
                except BaseException as exc:  # noqa: BLE001 - handed to the producer, raised there
                    self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def write(self, data: Any) -> None:
        """Queue ``data`` (``bytes``, or a ``memoryview`` that keeps its buffer alive) for writing."""
        self._raise()
        self._pending.put(data)

    def close(self) -> None:
        """Wait until every queued write is done; raise the writer's error if there was one."""
        self._pending.put(_DONE)
        self._thread.join()
        self._raise()


@contextmanager
def write_behind(out: IO[bytes]) -> Iterator[_Sink]:
    """A sink whose writes reach ``out`` from a second thread, all done when the block ends (and
    stopped, queued writes dropped, when it ends with an error)."""
    sink = _Sink(out)
    try:
        yield sink
    except BaseException:
        sink._error = sink._error or RuntimeError("write abandoned")  # the writer drops what is queued
        sink._pending.put(_DONE)
        sink._thread.join()
        raise
    sink.close()
