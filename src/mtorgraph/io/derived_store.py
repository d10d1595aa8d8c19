"""Arrays derived from a graph (beliefs, the path index, pair keys), kept on disk beside its cache
entry so a later process maps them instead of computing them again.

A :class:`DerivedStore` is a folder; each derived value is a subfolder ``<name>/`` holding one
uncompressed ``.npy`` file per array and ``arrays.json`` (each array's dtype, shape and file size).
Arrays are opened memory-mapped (read-only). A value is written into a temporary folder and
renamed into place, so a reader sees all of it or none; a value that does not read back (a file
cut short, changed or missing, another layout) is ignored, and the caller computes and writes it
again. Names carry the version of the code that derives them (the caller's business), and the
folder belongs to one cache key, so a changed input or package never meets an old value.

The analysis layer finds a store as the graph's ``derived_store`` attribute and calls only
:meth:`DerivedStore.get` and :meth:`DerivedStore.put`; it never imports this module.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np

from .folder_install import install_folder

__all__ = ["DerivedStore"]

_MANIFEST = "arrays.json"
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,120}$")


class DerivedStore:
    """Named sets of numpy arrays in ``folder`` (created when first written)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def __repr__(self) -> str:
        return f"DerivedStore({str(self.folder)!r})"

    def get(self, name: str) -> dict[str, np.ndarray] | None:
        """The arrays stored under ``name``, memory-mapped; ``None`` if absent or unreadable."""
        if not _NAME.match(name):
            return None
        where = self.folder / name
        try:
            manifest = json.loads((where / _MANIFEST).read_text(encoding="utf-8"))
            out = {}
            for array_name, (dtype, shape, size) in manifest.items():
                path = where / f"{array_name}.npy"
                if path.stat().st_size != size:
                    return None
                if int(np.prod(shape)) == 0:
                    value = np.load(path, allow_pickle=False)
                else:
                    value = np.load(path, mmap_mode="r", allow_pickle=False)
                if str(value.dtype) != dtype or list(value.shape) != list(shape):
                    return None
                out[array_name] = value
            return out
        except (OSError, ValueError, TypeError, KeyError, EOFError):
            return None

    def put(self, name: str, arrays: dict[str, np.ndarray]) -> None:
        """Store ``arrays`` under ``name``; a folder that cannot be written just means nothing is stored.

        A good value already there (another process stored it meanwhile: names are keyed by
        content) is kept; a bad one is replaced."""
        if not _NAME.match(name) or not all(_NAME.match(k) for k in arrays):
            raise ValueError(f"bad derived value name {name!r}")
        tmp: Path | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=self.folder))
            manifest = {}
            for array_name, value in arrays.items():
                value = np.ascontiguousarray(value)
                if value.dtype == object:
                    raise ValueError(f"{name}/{array_name}: object arrays are not stored")
                path = tmp / f"{array_name}.npy"
                np.save(path, value, allow_pickle=False)
                manifest[array_name] = [str(value.dtype), list(value.shape), path.stat().st_size]
            (tmp / _MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
            install_folder(tmp, self.folder / name, lambda _: self.get(name) is not None)
            tmp = None
        except OSError:
            pass  # an unwritable cache is no cache
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
