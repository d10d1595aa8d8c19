"""Exports write behind (a second thread does the writes): the bytes are those written in place,
in order, and a failing write (a full disk) fails the export with its error, nothing hidden."""

from __future__ import annotations

import errno
import io

import pytest

from mtorgraph.io import load_graph
from mtorgraph.io.rdf_columns import write_columns_ntriples, write_columns_turtle
from mtorgraph.io.write_behind import write_behind


class Recorder(io.RawIOBase):
    """A binary stream that keeps what it was given, and fails with ENOSPC after ``fail_after`` writes."""

    def __init__(self, fail_after: int | None = None):
        self.parts: list[bytes] = []
        self.fail_after = fail_after

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.fail_after is not None and len(self.parts) >= self.fail_after:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.parts.append(bytes(data))
        return len(data)


def test_writes_arrive_whole_and_in_order() -> None:
    out = Recorder()
    with write_behind(out) as sink:
        for i in range(500):
            sink.write(f"{i}\n".encode())
            sink.write(memoryview(b"ab")[1:])
    assert b"".join(out.parts) == b"".join(f"{i}\nb".encode() for i in range(500))


def test_a_failing_write_is_raised_in_the_caller() -> None:
    with pytest.raises(OSError) as caught:
        with write_behind(Recorder(fail_after=3)) as sink:
            for _ in range(100):
                sink.write(b"x" * 10)
    assert caught.value.errno == errno.ENOSPC


def test_an_error_of_the_producer_stops_the_writer_and_is_raised() -> None:
    out = Recorder()
    with pytest.raises(ValueError):
        with write_behind(out) as sink:
            sink.write(b"a")
            raise ValueError("the producer failed")
    assert len(out.parts) <= 1


@pytest.mark.parametrize("write", [write_columns_ntriples, write_columns_turtle], ids=["nt", "ttl"])
def test_exports_are_the_same_bytes_and_a_full_disk_fails_them(write) -> None:
    graph = load_graph(None)
    plain = io.BytesIO()
    write(graph, plain)
    recorded = Recorder()
    write(graph, recorded)
    assert b"".join(recorded.parts) == plain.getvalue() and len(recorded.parts) > 3
    with pytest.raises(OSError):
        write(graph, Recorder(fail_after=2))
