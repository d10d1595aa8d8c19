"""The wheel ships the bundled graph: installed elsewhere, `mtorgraph info` works from any directory."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
import zipfile

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_finds_the_bundled_graph(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    [wheel] = dist.glob("mtorgraph-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "mtorgraph/data/graphs/entities.yaml" in names
    assert any(n.startswith("mtorgraph/data/graphs/edges/") for n in names)
    assert any(n.startswith("mtorgraph/data/ontology/") for n in names)

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    # Dependencies come from the test environment (no download at test time); a plain path line in
    # a .pth file adds them without activating this checkout's editable install.
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (tmp_path / "venv" / site.split(str(env_dir) + "/", 1)[1] / "deps.pth").write_text(
        sysconfig.get_path("purelib") + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run([python, "-c", "import mtorgraph; print(mtorgraph.__file__)"], cwd=elsewhere,
                           check=True, capture_output=True, text=True).stdout
    assert str(env_dir) in where, "the installed wheel, not the checkout, must be imported"
    result = subprocess.run([env_dir / "bin" / "mtorgraph", "info", "--format", "json"], cwd=elsewhere,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)
    assert counts["entities"] > 20 and counts["edges"] > 30 and counts["references"] >= 20
    shacl = subprocess.run([env_dir / "bin" / "mtorgraph", "validate", "--shacl"], cwd=elsewhere,
                           capture_output=True, text=True)
    assert shacl.returncode == 0, shacl.stdout + shacl.stderr
    assert "conforms" in shacl.stdout
