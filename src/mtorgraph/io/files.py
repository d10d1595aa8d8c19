"""Reading input files safely: regular files only, bounded size, UTF-8 with a located error.

FIFOs, devices and sockets are refused from their ``stat`` alone, before anything opens them (a
FIFO nobody writes would block forever, ``/dev/zero`` never ends). A file changed into one between
the check and the read is caught again on the open descriptor, which is opened non-blocking.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from ..errors import InputError, Location, Problem
from .limits import ENVIRONMENT, Limits, current_limits

__all__ = ["CONTROL_CHARACTERS", "XML_ILLEGAL_CHARACTERS", "describe_mode", "display_path", "find_long_line",
           "read_input_bytes", "read_input_text", "refuse"]

#: Characters refused in any text value: C0 controls except tab, LF and CR; DEL and the C1
#: controls; lone surrogates; the non-characters U+FFFE and U+FFFF. XML 1.0 cannot hold most of
#: them and a terminal obeys them.
#: Characters XML 1.0 cannot hold (C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF):
#: refused in RDF input, since an RDF/XML export of them would be unreadable.
XML_ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` relative to the working directory when it lies below it, else as given.

    Bytes of a file name that are not UTF-8 are shown as ``\\xNN``, so the name can be printed.
    """
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = str(path)
    shown = rel if not rel.startswith("..") else str(path)
    return os.fsencode(shown).decode("utf-8", "backslashreplace")


def refuse(path: str | os.PathLike[str], code: str, message: str, hint: str, line: int = 0,
           column: int = 0) -> InputError:
    """An :class:`InputError` about ``path`` (shown relative to the working directory)."""
    return InputError(Problem(Location(display_path(path), line, column), code, message, hint))


def describe_mode(mode: int) -> str:
    """What kind of file a ``st_mode`` is, in words (``a FIFO``, ``a character device``, …)."""
    for test, words in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                        (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                        (stat.S_ISSOCK, "a socket"), (stat.S_ISREG, "a regular file")):
        if test(mode):
            return words
    return "a special file"


def _stat(path: Path) -> os.stat_result:
    try:
        return os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise refuse(path, "broken-link", f"symbolic link to {os.readlink(path)!r}, which does not exist",
                         "fix or remove the link") from None
        raise refuse(path, "missing-file", "no such file or directory", "check the path") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise refuse(path, "symlink-loop", "symbolic link loop (the link points back to itself)",
                         "fix or remove the link") from None
        raise refuse(path, "unreadable-file", f"cannot read ({exc.strerror or exc})",
                     "check the path and permissions") from None


def _check_regular(path: Path, info: os.stat_result, limits: Limits, limit: str = "max_file_bytes") -> None:
    if not stat.S_ISREG(info.st_mode):
        raise refuse(path, "not-a-regular-file", f"is {describe_mode(info.st_mode)}, not a regular file",
                     "give a regular file; copy the data into one first")
    most = getattr(limits, limit)
    if info.st_size > most:
        raise refuse(path, "file-too-large", f"is {info.st_size:,} bytes, more than the limit of {most:,}",
                     f"split it, or raise the limit with {ENVIRONMENT[limit]}")


def read_input_bytes(path: str | os.PathLike[str], limits: Limits | None = None,
                     limit: str = "max_file_bytes") -> bytes:
    """The bytes of a regular input file, refusing special files and files over the size limit.

    :param limit: which size limit applies (``max_table_bytes`` for inputs read as tables).

    :raises InputError: naming the file and what is wrong (missing, broken link, special, too large).
    """
    limits = limits or current_limits()
    target = Path(path)
    _check_regular(target, _stat(target), limits, limit)
    try:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise refuse(target, "unreadable-file", f"cannot read ({exc.strerror or exc})",
                     "check the path and permissions") from None
    most = getattr(limits, limit)
    try:
        info = os.fstat(fd)
        _check_regular(target, info, limits, limit)
        # the whole file in one read (one copy, not chunks joined: 1.1 s less for 650 MB); a file
        # that grows after fstat, or a read cut short, goes on in chunks
        chunks, total, step = [], 0, info.st_size + 1
        while True:
            chunk = os.read(fd, step)
            if not chunk:
                break
            total += len(chunk)
            if total > most:
                raise refuse(target, "file-too-large", f"grew past the limit of {most:,} bytes "
                             "while being read", f"raise the limit with {ENVIRONMENT[limit]}")
            chunks.append(chunk)
            step = 1 << 20
    except OSError as exc:
        raise refuse(target, "unreadable-file", f"cannot read ({exc.strerror or exc})",
                     "check the path and permissions") from None
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_input_text(path: str | os.PathLike[str], limits: Limits | None = None) -> str:
    """The UTF-8 text of a regular input file (see :func:`read_input_bytes`).

    :raises InputError: also when the bytes are not UTF-8, giving the line and column of the first
        bad byte.
    """
    data = read_input_bytes(path, limits)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise refuse(path, "not-utf8", f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not UTF-8 text",
                     "save the file as UTF-8", line, column) from None


def find_long_line(text: str, limit: int) -> tuple[int, int] | None:
    """The first line longer than ``limit`` characters, as (line number, length), if any."""
    if len(text) <= limit:
        return None
    lines = text.splitlines()
    if max(map(len, lines)) <= limit:
        return None
    return next((i + 1, len(line)) for i, line in enumerate(lines) if len(line) > limit)
