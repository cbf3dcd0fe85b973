"""The script piped from the internet opens no connection, writes nothing, asks for nothing."""

import json
import os
import subprocess
import sys

import pytest

from macros.script_bundle import build_script, write_script
from tests.script.conftest import SITE_URL

# Runs check.py as `python3 check.py ARGS` would, with an audit hook that records what it must never do.
_AUDITED_RUN = r"""
import json, os, runpy, sys
events = []
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
def hook(event, args):
    if event.startswith("socket."):
        events.append([event, repr(args)[:200]])
    elif event == "open":
        path, mode, flags = args
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (mode is None and flags & WRITE_FLAGS):
            events.append([event, repr(args)[:200]])
    elif event in ("os.remove", "os.rename", "os.mkdir", "os.rmdir", "os.chmod", "shutil.copyfile", "os.truncate"):
        events.append([event, repr(args)[:200]])
    elif event == "subprocess.Popen":
        executable = os.path.basename(str(args[0] or (args[1][0] if args[1] else "")))
        if executable in ("sudo", "su", "pkexec", "doas", "runas"):
            events.append([event, repr(args)[:200]])
sys.addaudithook(hook)
script, out = sys.argv[1], sys.argv[2]
sys.argv = [script] + sys.argv[3:]
try:
    runpy.run_path(script, run_name="__main__")
except SystemExit as stop:
    code = stop.code
else:
    code = 0
sys.stderr.write("\nAUDIT " + json.dumps({"code": code, "events": events}) + "\n")
"""


@pytest.fixture(scope="module")
def script(tmp_path_factory, rules):
    return write_script(tmp_path_factory.mktemp("trust"), build_script(rules, SITE_URL))


def audited(script, args, **kwargs):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [sys.executable, "-c", _AUDITED_RUN, str(script), "-"] + args,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        **kwargs,
    )
    line = [l for l in result.stderr.splitlines() if l.startswith("AUDIT ")][-1]
    return result, json.loads(line[len("AUDIT ") :])


@pytest.mark.parametrize("args", [[], ["--json"], ["--markdown"], ["-v"], ["--list-checks"]])
def test_no_network_no_writes_no_privileges(script, args):
    result, audit = audited(script, args, stdin=subprocess.DEVNULL)
    assert audit["events"] == [], audit["events"]
    assert audit["code"] in (0, 1), result.stdout[-1000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr


def test_reads_no_stdin_when_piped(script):
    # stdin is a pipe that never ends: a script that read it would hang until the timeout.
    process = subprocess.Popen(
        [sys.executable, str(script), "--json"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode in (0, 1), err
    json.loads(out)


def test_verify_checksum_as_the_page_tells(script):
    for command in (["sha256sum", "-c", "check.py.sha256"], ["shasum", "-a", "256", "-c", "check.py.sha256"]):
        if subprocess.run(["which", command[0]], capture_output=True).returncode != 0:
            continue
        result = subprocess.run(command, cwd=str(script.parent), capture_output=True, text=True)
        assert result.returncode == 0 and "check.py: OK" in result.stdout, result.stdout + result.stderr
    tampered = script.parent / "check.py"
    original = tampered.read_bytes()
    try:
        tampered.write_bytes(original.replace(b"# -*- coding", b"#  -*- coding", 1))
        result = subprocess.run(
            ["sha256sum", "-c", "check.py.sha256"], cwd=str(script.parent), capture_output=True, text=True
        )
        assert result.returncode != 0 and "FAILED" in result.stdout
    finally:
        tampered.write_bytes(original)
