"""read_input_bytes reads a file whole in one read; a file bigger than its status said is still
read whole, and refused once it passes the limit."""

import os
from dataclasses import replace

import pytest

from mtorgraph.errors import InputError
from mtorgraph.io import files
from mtorgraph.io.limits import current_limits


@pytest.mark.parametrize("size", [0, 1, 4096, (1 << 20) + 17, (3 << 20) + 5])
def test_the_bytes_read_are_the_file(tmp_path, size):
    path = tmp_path / "f.bin"
    data = os.urandom(size)
    path.write_bytes(data)
    assert files.read_input_bytes(path) == data


def _status_says(size, monkeypatch):
    """Make stat and fstat report ``size`` bytes, as for a file that grew after it was looked at."""
    for name in ("stat", "fstat"):
        real = getattr(os, name)

        def reported(target, real=real):
            info = real(target)
            return os.stat_result((*info[:6], size, *info[7:]))

        monkeypatch.setattr(files.os, name, reported)


def test_a_file_longer_than_its_status_is_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "f.bin"
    data = os.urandom((2 << 20) + 3)
    path.write_bytes(data)
    _status_says(10, monkeypatch)
    assert files.read_input_bytes(path) == data


def test_a_file_growing_past_the_limit_while_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * (3 << 20))
    _status_says(10, monkeypatch)
    limits = replace(current_limits(), max_file_bytes=2 << 20)
    with pytest.raises(InputError, match="file-too-large.*grew past the limit"):
        files.read_input_bytes(path, limits)
