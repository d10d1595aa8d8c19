"""Remembering content keys by file status, so a big input is hashed once, not on every command.

A cache key hashes every byte of a graph's files (:func:`mtorgraph.io.compiled.source_key`): about
2 s per GB here, paid by every command before it reads anything. :func:`remembered_key` records
the key under a signature of the files' status (path, device, inode, size, modification and
change times in nanoseconds) and reuses it while that signature holds. Any write to a file
changes its change time (which no user call can set back), a replaced file has a new inode, and a
retargeted symbolic link resolves to another file, so an edited input never meets an old key. A
file modified in the last two seconds is hashed but not remembered (a write within the same clock
tick could otherwise go unseen, the "racy" case git guards against the same way).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["key_place", "known_key", "remember", "remembered_key", "status_signature"]

_FOLDER = ".keys"
_KEY = re.compile(r"[0-9a-f]{16,128}\Z")
#: Files changed more recently than this many seconds are not remembered.
_SETTLE_SECONDS = 2.0


def _signature(files: list[Path], salt: str) -> tuple[str, float] | None:
    """A hash of the files' status and ``salt``, and the newest change time; ``None`` when a file is
    not a regular file (then nothing is remembered)."""
    digest = hashlib.blake2b(salt.encode("utf-8", "surrogateescape"), digest_size=20)
    newest = 0.0
    for file in files:
        info = os.stat(file)
        if not stat.S_ISREG(info.st_mode):
            return None
        digest.update(f"\0{os.path.abspath(file)}\0{info.st_dev}\0{info.st_ino}\0{info.st_size}\0"
                      f"{info.st_mtime_ns}\0{info.st_ctime_ns}".encode("utf-8", "surrogateescape"))
        newest = max(newest, info.st_mtime_ns / 1e9, info.st_ctime_ns / 1e9)
    return digest.hexdigest(), newest


def status_signature(files: list[Path]) -> str | None:
    """A hash of the files' status (what :func:`remembered_key` files keys under): unchanged while
    no file is written, replaced or retargeted; ``None`` if a status cannot be read or a file is
    not a regular file."""
    try:
        found = _signature(files, "")
    except OSError:
        return None
    return None if found is None else found[0]


def key_place(folder: Path, files: list[Path], salt: str) -> tuple[Path, float] | None:
    """Where :func:`remembered_key` files the key of ``files`` in their present status, and their
    newest change time; ``None`` when nothing can be remembered (a status cannot be read, a file
    is not regular). Taken before hashing, so a file changed meanwhile is never filed under it."""
    try:
        found = _signature(files, salt)
    except OSError:
        return None
    if found is None:
        return None
    signature, newest = found
    return folder / _FOLDER / signature, newest


def _read_key(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if _KEY.match(text) else None


def known_key(folder: Path, files: list[Path], salt: str) -> str | None:
    """The key :func:`remembered_key` remembered for ``files`` in their present status, or ``None``
    (nothing is hashed)."""
    found = key_place(folder, files, salt)
    return None if found is None else _read_key(found[0])


def remember(place: tuple[Path, float], key: str) -> None:
    """File ``key`` at ``place`` (from :func:`key_place`), unless one of the files changed less than
    :data:`_SETTLE_SECONDS` ago. An unwritable folder remembers nothing."""
    path, newest = place
    if time.time() - newest < _SETTLE_SECONDS or not _KEY.match(key):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".key.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key)
        os.replace(tmp, path)
    except OSError:
        pass  # an unwritable cache folder: the key is computed next time too


def remembered_key(folder: Path, files: list[Path], salt: str, compute: Callable[[], str]) -> str:
    """``compute()`` (the content key of ``files``), remembered in ``folder/.keys`` by the files'
    status and ``salt`` (what else the key depends on: format, versions, limits).

    Errors reading the status or the folder just mean the key is computed; ``compute``'s own
    errors propagate.
    """
    place = key_place(folder, files, salt)
    if place is None:
        return compute()
    known = _read_key(place[0])
    if known is not None:
        return known
    key = compute()
    remember(place, key)
    return key
