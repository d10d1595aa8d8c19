"""A big input's cache key, hashed while its reader parses it, with the CPU the reader leaves idle.

The compiled cache keys a file by its bytes (:func:`mtorgraph.io.compiled.source_key`). Hashed
before the parse, a 7 GB N-Triples file cost 2.5 s in a fast hour and 11 s in a slow one, with
one of two CPUs idle, and read the file twice. :class:`BackgroundKey` hashes on a thread of the
lowest scheduling priority instead (on Linux a thread has its own nice value), so it runs where
the reader is single-threaded (joining block dictionaries, mapping) and reads the bytes the
reader has just brought into memory. When the reader is done, the caller's thread takes over
whatever is left, at its own priority: on a machine busy with other work a lowest-priority
thread gets almost no CPU, and waiting for it could take as long as that work.

The price: the key is known after the parse, so a big file whose status was not remembered (new,
edited, or rewritten with the same bytes) is always parsed.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Generator

__all__ = ["BackgroundKey", "run_to_end"]

_LOWEST_PRIORITY = 19

Steps = Generator[None, None, str]


def run_to_end(steps: Steps) -> str:
    """Run every remaining step; the key the last one returns."""
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return str(end.value)


class BackgroundKey:
    """Runs the steps of a hash (a generator that returns the key) on a lowest-priority thread
    until :meth:`result` or :meth:`cancel` is called."""

    def __init__(self, steps: Steps):
        self._steps = steps
        self._stop = threading.Event()
        self._key: str | None = None
        self._failed = False
        self._thread = threading.Thread(target=self._run, name="mtorgraph-cache-key", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        _lower_this_thread()
        try:
            while not self._stop.is_set():
                next(self._steps)
        except StopIteration as end:
            self._key = str(end.value)
        except Exception:  # the key is only for the cache: no key, no entry; the reader reports the file
            self._failed = True

    def result(self) -> str | None:
        """The key, the steps left run on the caller's thread; ``None`` if hashing failed."""
        self._stop.set()
        self._thread.join()  # (it stops after the step it is in)
        if self._failed:
            return None
        if self._key is not None:
            return self._key
        try:
            return run_to_end(self._steps)
        except Exception:
            return None

    def cancel(self) -> None:
        """Stop hashing (no entry will be written) and wait for the thread."""
        self._stop.set()
        self._thread.join()
        self._steps.close()


def _lower_this_thread() -> None:
    # Only Linux gives a thread its own nice value (elsewhere the id is no process id: never pass it).
    if sys.platform.startswith("linux") and hasattr(os, "setpriority"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _LOWEST_PRIORITY)
        except OSError:
            pass  # not allowed here: the thread runs at the priority it has
