"""Runs the Node test (tests/node/*.test.mjs) so the whole suite covers the checks under Pyodide."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from prepare_inputs import prepare  # noqa: E402


def test_checks_under_pyodide_match_cpython(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file():
        pytest.skip("node_modules/pyodide is missing: run `make setup` (npm ci)")
    prepare(tmp_path)
    result = subprocess.run(
        [node, "--test", str(HERE)],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=300,
        env={"INPUTS": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# pass 1" in result.stdout and "# fail 0" in result.stdout
