"""Modules planted beside check.py or in the current folder cannot stand in for the standard library."""

import json
import shutil
import subprocess

import pytest

from .conftest import interpreters

SUPPORTED = [minor for minor in sorted(interpreters()) if tuple(map(int, minor.split("."))) >= (3, 8)]
PLANTED = ("json.py", "argparse.py", "subprocess.py", "platform.py")


def _plant(folder):
    for name in PLANTED:
        (folder / name).write_text("import sys\nsys.stdout.write('SHADOWED %s')\nsys.exit(3)\n" % name)


@pytest.mark.parametrize("minor", SUPPORTED)
def test_modules_beside_the_script_are_not_imported(minor, script_path, tmp_path):
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    shutil.copy(str(script_path), str(downloads / "check.py"))
    _plant(downloads)
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}  # no PYTHONDONTWRITEBYTECODE
    result = subprocess.run(
        [interpreters()[minor], "check.py", "--json"],
        cwd=str(downloads),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "SHADOWED" not in result.stdout + result.stderr
    assert result.returncode in (0, 1), result.stderr
    json.loads(result.stdout)
    assert not (downloads / "__pycache__").exists()


def test_modules_in_the_current_folder_are_not_imported_from_a_pipe(script_path, tmp_path):
    # `curl ... | python3 -` run in a folder holding a json.py: sys.path[0] is "".
    _plant(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
    with open(str(script_path), "rb") as handle:
        result = subprocess.run(
            ["python3", "-", "--json"], stdin=handle, cwd=str(tmp_path), env=env, capture_output=True, timeout=120
        )
    assert b"SHADOWED" not in result.stdout + result.stderr
    assert result.returncode in (0, 1), result.stderr
    json.loads(result.stdout.decode("utf-8"))
    assert not (tmp_path / "__pycache__").exists()
