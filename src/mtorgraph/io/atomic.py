"""Safe file output: write to a temporary file beside the target, then rename over it.

What the target already is decides how it is written:

- a regular file, or nothing: the new text goes to a temporary file in the same folder, which is
  flushed to disk and renamed over the target, so readers see the old file or the whole new one;
  the temporary file is removed if anything fails;
- a symbolic link: the file it points to is replaced (the link stays a link);
- a character device (``/dev/null``, a terminal) or a FIFO with a reader: the text is written
  into it; nothing is renamed over it;
- a block device, a socket, a directory, or a FIFO nobody reads: refused with a clear error.

A process killed between creating and renaming its temporary file leaves it behind; such files
are named ``.NAME.XXXXXXXX.tmp``. The next successful write of the same target removes those of its
own name that have not changed for a minute (a write still running elsewhere keeps touching its
file); :func:`remove_stale_temp_files` clears a whole folder.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..errors import OutputError
from .files import describe_mode

__all__ = ["open_atomic", "remove_stale_temp_files", "write_bytes_atomic", "write_text_atomic"]


def _fail(target: Path, exc: OSError) -> OutputError:
    return OutputError(f"{target}: cannot write ({exc.strerror or exc}); check the path and permissions")


def _resolve(target: Path) -> tuple[Path, os.stat_result | None]:
    """The file a write to ``target`` lands in (links followed), and its stat if it exists."""
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    try:
        return real, os.stat(real)
    except FileNotFoundError:
        return real, None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(f"{target}: symbolic link loop; fix or remove the link") from None
        raise _fail(target, exc) from None


def _open_stream(target: Path) -> int:
    """Open a character device or a FIFO that someone reads, for blocking writes."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(f"{target}: is a FIFO (named pipe) that nobody reads; start the reader first, "
                              "or write to a regular file") from None
        raise _fail(target, exc) from None
    os.set_blocking(fd, True)
    return fd


def _wrap(handle: IO[bytes], binary: bool) -> IO:
    return handle if binary else io.TextIOWrapper(handle, encoding="utf-8", newline="")  # type: ignore[arg-type]


@contextmanager
def open_atomic(path: str | os.PathLike[str], binary: bool = False) -> Iterator[IO]:
    """An open stream whose contents replace ``path`` only when the ``with`` block ends without error.

    The stream writes into a temporary file beside the target (text is UTF-8, line ends as
    given); on success it is flushed to disk and renamed over the target, on any exception it
    is removed, so the target is never half-written. Links, devices and FIFOs are handled as the
    module docstring says (a device or FIFO is written into directly, as the data comes).

    :param binary: yield a binary stream instead of a text one.
    :raises OutputError: if the target cannot or must not be written.
    """
    target = Path(path)
    real, info = _resolve(target)
    if info is not None and not stat.S_ISREG(info.st_mode):
        if not (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            raise OutputError(f"{target}: is {describe_mode(info.st_mode)}; give the path of a regular file")
        try:
            with os.fdopen(_open_stream(real), "wb") as handle:
                stream = _wrap(handle, binary)
                yield stream
                stream.flush()
        except OSError as exc:
            raise _fail(target, exc) from None
        return
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as exc:
        raise _fail(target, exc) from exc
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            stream = _wrap(handle, binary)
            yield stream
            stream.flush()
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, real)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _fail(target, exc) from exc
        raise
    remove_stale_temp_files(real.parent, older_than=STALE_AFTER, name=real.name)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` as the module docstring describes (see :func:`open_atomic`).

    :returns: the path written (for a link, the link itself).
    :raises OutputError: if the target cannot or must not be written.
    """
    with open_atomic(path, binary=True) as handle:
        handle.write(data)
    return Path(path)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` so that readers see the old file or the whole new one.

    See :func:`write_bytes_atomic` for links, devices and FIFOs.

    :raises OutputError: if the directory cannot be created or the file cannot be written.
    """
    return write_bytes_atomic(path, text.encode("utf-8"))


#: Seconds without change after which a target's leftover temporary file counts as stale.
STALE_AFTER = 60.0


def remove_stale_temp_files(folder: str | os.PathLike[str], older_than: float = 3600.0,
                            name: str | None = None) -> list[Path]:
    """Delete temporary files that a killed write left in ``folder`` (``.NAME.XXXXXXXX.tmp``).

    :param older_than: only files last changed at least this many seconds ago, so a write still
        running in another process keeps its file.
    :param name: only the temporary files of this target name.
    :returns: the files removed.
    """
    removed = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        entry_name = entry.name
        if not (entry_name.startswith(".") and entry_name.endswith(".tmp") and entry_name.count(".") >= 3):
            continue
        if name is not None and not (entry_name.startswith(f".{name}.") and len(entry_name) == len(name) + 14):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime >= older_than:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed
