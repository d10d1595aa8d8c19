"""Atomic folder output: a reader of the folder sees the previous set of files or the new one, never a mix.

How: every file is written into a hidden sibling folder
``.NAME.build-XXXX``; then that folder takes the place of ``NAME`` in one step. On Linux the two
folders are swapped with ``renameat2(RENAME_EXCHANGE)``, so ``NAME`` always exists; where that call
is missing (another OS, an old kernel or a file system without it) ``NAME`` is first renamed to
``.NAME.old-XXXX`` and the new folder renamed into place, and if the process dies between those two
renames the next write puts the old folder back before doing anything else. The old folder is
deleted last. Writers of one folder take an exclusive lock (``flock`` on a lock file named by the
folder's real path, kept in a private folder under the system's temporary folder), so two builds
into one folder run one after the other while builds into other folders beside it do not wait,
and the lock holder removes whatever hidden folders a killed writer left behind.

The folder must hold nothing but the files a write puts there: a folder with other files is
refused rather than replaced (a build never deletes files it did not write). A symlink to a folder
is written through (the link stays). Like :mod:`mtorgraph.io.atomic`, this is safe against a killed
process, not against a power cut: nothing is fsynced (that cost seconds per build here).
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Union

from ..errors import OutputError

__all__ = ["FileContent", "write_dir_atomic"]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the system cannot (the caller falls back)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _lock_file(target: Path) -> Path | None:
    """The lock file of one output folder: in a private folder of the system's temporary folder,
    named by a hash of the folder's real path, so writers of other folders beside it never wait
    and the user's folder holds no lock file. None if that folder cannot be made."""
    import hashlib

    real = os.path.join(os.path.realpath(target.parent), target.name)
    folder = Path(tempfile.gettempdir()) / f"mtorgraph-locks-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        if folder.is_symlink() or folder.stat().st_uid != os.getuid():
            return None  # not ours: lock the parent folder instead
    except OSError:
        return None
    return folder / (hashlib.sha256(os.fsencode(real)).hexdigest()[:40] + ".lock")


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold the exclusive lock of the output folder ``target`` (its parent folder's when no lock
    file can be made)."""
    import fcntl

    lock = _lock_file(target)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600) if lock is not None else None
    except OSError:
        fd = None
    if fd is None:
        fd = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _recover(out: Path) -> None:
    """Undo what a killed writer left: restore an old folder it had moved aside, drop temp folders."""
    olds = sorted(out.parent.glob(f".{out.name}.old-*"))
    if olds and not out.exists():
        os.rename(olds.pop(), out)
    for stale in olds + sorted(out.parent.glob(f".{out.name}.build-*")):
        shutil.rmtree(stale, ignore_errors=True)


def _check_target(out: Path, names: set[str]) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder; choose another --out")
    foreign = sorted(p.name for p in out.iterdir() if p.name not in names)
    if foreign:
        shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        raise OutputError(f"{out}: holds files a build did not write ({shown}); a build replaces the whole "
                          "folder, so choose an empty or new folder for --out")


#: What a file of the folder holds: its UTF-8 text, or a function that writes it (given its path),
#: for files too big to hold in memory.
FileContent = Union[str, Callable[[Path], None]]


def _write_files(folder: Path, files: Mapping[str, FileContent]) -> None:
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(folder, 0o777 & ~umask)  # mkdtemp makes it private; give it the mode mkdir would
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)  # a name may hold one sub-folder (edges/x.yaml)
        if callable(content):
            content(path)
            continue
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)


def write_dir_atomic(out: str | os.PathLike[str], files: Mapping[str, FileContent]) -> tuple[Path, ...]:
    """Make the folder ``out`` hold exactly ``files`` (name → UTF-8 text, or a function that writes
    the file at the path it is given), all at once.

    :returns: the paths written, in the order of ``files``.
    :raises OutputError: if ``out`` is not a folder, holds other files, or cannot be written.
    """
    target = Path(os.path.abspath(out))
    if target.is_symlink():
        target = target.resolve()  # write through a link to a folder; never replace the link
    parent = target.parent
    tmp: Path | None = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        with _locked(target):
            _recover(target)
            _check_target(target, {name.split("/")[0] for name in files})
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=parent))
            _write_files(tmp, files)
            if not target.exists():
                os.rename(tmp, target)
            elif _exchange(tmp, target):
                shutil.rmtree(tmp)  # tmp now holds the previous build
            else:
                old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=parent))
                os.rename(target, old)  # replaces the empty placeholder folder
                os.rename(tmp, target)
                shutil.rmtree(old)
            tmp = None
    except OSError as exc:
        raise OutputError(f"{exc.filename or target}: cannot write ({exc.strerror or exc}); "
                          "check the path and permissions") from exc
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return tuple(Path(out) / name for name in files)
