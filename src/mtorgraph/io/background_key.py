"""A big input's cache key, hashed while its reader parses it, with the CPU the reader leaves idle.

The compiled cache keys a file by its bytes (:func:`mtorgraph.io.compiled.source_key`). Hashed
before the parse, a 7 GB N-Triples file cost 2.5 s in a fast hour and 11 s in a slow one, with
one of two CPUs idle, and read the file twice. :class:`BackgroundKey` hashes on a thread of the
lowest scheduling priority instead (on Linux a thread has its own nice value), so it runs where
the reader is single-threaded (joining block dictionaries, mapping) and reads the bytes the
reader has just brought into memory. The price: the key is known after the parse, so a big file
whose status was not remembered (new, edited, or a copy of a cached one) is always parsed.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable

__all__ = ["BackgroundKey", "Cancelled"]

_LOWEST_PRIORITY = 19


class Cancelled(Exception):
    """Raised inside a computation whose result is no longer wanted."""


class BackgroundKey:
    """``compute(stop)`` on a lowest-priority thread; ``compute`` should check ``stop.is_set()``
    now and then and raise :class:`Cancelled` when it is."""

    def __init__(self, compute: Callable[[threading.Event], str]):
        self._stop = threading.Event()
        self._key: str | None = None
        self._thread = threading.Thread(target=self._run, args=(compute,), name="mtorgraph-cache-key", daemon=True)
        self._thread.start()

    def _run(self, compute: Callable[[threading.Event], str]) -> None:
        _lower_this_thread()
        try:
            self._key = compute(self._stop)
        except Exception:  # the key is only for the cache: no key, no entry; the reader reports the file
            self._key = None

    def result(self) -> str | None:
        """The key, once computed (waits for it); ``None`` if computing it failed or was cancelled."""
        self._thread.join()
        return self._key

    def cancel(self) -> None:
        """Stop computing (the parse failed, so no entry will be written) and wait for the thread."""
        self._stop.set()
        self._thread.join()


def _lower_this_thread() -> None:
    # Only Linux gives a thread its own nice value (elsewhere the id is no process id: never pass it).
    if sys.platform.startswith("linux") and hasattr(os, "setpriority"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _LOWEST_PRIORITY)
        except OSError:
            pass  # not allowed here: the thread runs at the priority it has
