"""On Linux with glibc the console script asks malloc to keep freed memory for reuse, so arrays
allocated and freed block after block stop costing fresh pages; a user's own malloc settings stand."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")

#: Runs the console script's entry point (``--version``), then, at exit, allocates and frees numpy
#: arrays of 6-30 MB twenty times and says on stderr how many pages that faulted in.
_RUN = """
import atexit, resource, sys
import numpy as np

def churn():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(20):
        held = [np.ones(n * 2**20, np.uint8) for n in (30, 12, 20, 6, 25)]
        del held
    print("faults:", resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before, file=sys.stderr)
atexit.register(churn)
sys.argv = ["mtorgraph", "--version"]
from mtorgraph.cli.entry import run
run()
"""


def _faults(env: dict[str, str]) -> int:
    done = subprocess.run([sys.executable, "-c", _RUN], capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr
    return int(done.stderr.rsplit("faults:", 1)[1])


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    return {**env, **extra}


def test_freed_blocks_are_reused_not_faulted_in_again():
    # 20 rounds of 93 MB would fault ~476,000 pages if every array came fresh from the kernel
    assert _faults(_env()) < 20_000


def test_a_users_malloc_setting_is_left_alone():
    # every array at or above 128 KB mapped afresh, as the user asked: many times the faults
    assert _faults(_env(MALLOC_MMAP_THRESHOLD_="131072")) > 5 * _faults(_env())
