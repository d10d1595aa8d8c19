"""Put a finished cache folder in place without ever showing a reader half of one.

The caches (compiled graphs, derived arrays) are keyed by content, so two processes that open
the same graph at once write the same entry. Removing whatever sits at the entry's name before
renaming one's own folder there is a race: the folder removed may be the other process's good
entry, half deleted while that process (or a third) reads it. :func:`install_folder` keeps an
entry that is already good, and moves a bad one aside in one rename before removing it, so the
name always holds a whole entry or nothing.
"""

from __future__ import annotations

import errno
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

__all__ = ["install_folder"]


def _rename_into(tmp: Path, final: Path) -> bool:
    """Rename ``tmp`` to ``final``; False if ``final`` is taken (a folder with files in it)."""
    try:
        os.rename(tmp, final)
        return True
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            return False
        raise


def install_folder(tmp: Path, final: Path, is_good: Callable[[Path], bool]) -> bool:
    """Move the finished folder ``tmp`` to ``final``; whether ``final`` then holds a good entry.

    An entry already at ``final`` that ``is_good`` accepts stays, and ``tmp`` is removed (it holds
    the same content). One that ``is_good`` refuses is renamed aside, replaced, then removed.

    :raises OSError: if a rename fails for another reason than a taken name (an unwritable
        folder); ``tmp`` is then left for the caller to remove.
    """
    if _rename_into(tmp, final):
        return True
    if is_good(final):
        shutil.rmtree(tmp, ignore_errors=True)
        return True
    aside: Path | None = final.with_name(f".{final.name}.stale-{uuid.uuid4().hex[:12]}")
    try:
        os.rename(final, aside)  # type: ignore[arg-type]
    except FileNotFoundError:
        aside = None  # another process moved it first
    if not _rename_into(tmp, final):  # another process installed its entry meanwhile
        shutil.rmtree(tmp, ignore_errors=True)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    return is_good(final)
