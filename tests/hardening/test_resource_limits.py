"""The checker's own limits (open files, processes) give "can't tell" with the reason, never a
verdict about the machine: no "reinstall the driver" because the checker ran out of file
descriptors, no "libGL.so.1 is missing" because it could not open the loader cache.
"""

import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile

import pytest

from .conftest import count
from .inputs import CORPUS

QUERY = (CORPUS / "rtx-4090" / "nvidia-smi-query.txt").read_text(encoding="utf-8")
TABLE = (CORPUS / "rtx-4090" / "nvidia-smi.txt").read_text(encoding="utf-8")


def fake_nvidia_smi(folder):
    """An nvidia-smi on PATH that answers like a healthy RTX 4090."""
    (folder / "query.txt").write_text(QUERY, encoding="utf-8")
    (folder / "table.txt").write_text(TABLE, encoding="utf-8")
    tool = folder / "nvidia-smi"
    tool.write_text(
        '#!/bin/sh\ncase "$1" in --query-gpu*) exec cat "%s";; *) exec cat "%s";; esac\n'
        % (folder / "query.txt", folder / "table.txt")
    )
    tool.chmod(0o755)
    return folder


def findings(report):
    return dict((item["id"], item) for item in report["findings"])


def assert_no_verdict_from_own_limits(report, words):
    by_id = findings(report)
    for item in by_id.values():
        if item["status"] == "fail":
            assert not any(word in item["detail"] for word in words), item
    assert by_id["driver.nvidia"]["status"] != "fail", by_id["driver.nvidia"]
    assert by_id["libs.opencv"]["status"] != "fail", by_id["libs.opencv"]
    assert report["facts"]["nvidia_smi"]["status"] == "unavailable"
    assert by_id["gpu.dedicated"]["status"] == "unknown"
    assert any(word in by_id["gpu.dedicated"]["detail"] for word in words)


@pytest.mark.parametrize("limit", [5, 8])
def test_too_few_open_files_is_cant_tell(check_script, tmp_path, limit):
    bin_dir = fake_nvidia_smi(tmp_path)

    def limited():
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    result = subprocess.run(
        [sys.executable, str(check_script), "--json"],
        capture_output=True,
        timeout=120,
        env=dict(os.environ, PATH="%s:/usr/bin:/bin" % bin_dir),
        preexec_fn=limited,
    )
    assert result.returncode in (0, 1), result.stderr
    assert_no_verdict_from_own_limits(json.loads(result.stdout), ("Too many open files",))
    count("resource limits (ulimit -n, -u, no descriptors left)")


_EXHAUSTED = r"""
import json, os, sys
sys.path.insert(0, sys.argv[1])
from checks.probes import gather_facts
import checks.parsers.nvidia_smi          # imported first: an import needs a descriptor too
import checks.probes.libs                # (checks/probes imports it only on Linux)
import checks.probes.nvidia_smi_run      # (and these only when a tool runs)
import checks.probes.started_call
import checks.run
held = []
try:
    while True:
        held.append(os.open(os.devnull, os.O_RDONLY))
except OSError:
    pass
facts = gather_facts(only_sections=["os", "libs", "nvidia"], sonames=["libGL.so.1", "libc.so.6"])
for fd in held:
    os.close(fd)
print(json.dumps(facts))
"""


def test_no_descriptor_left_never_says_a_library_is_missing(project_root, tmp_path):
    bin_dir = fake_nvidia_smi(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", _EXHAUSTED, str(project_root)],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PATH="%s:/usr/bin:/bin" % bin_dir),
    )
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert facts["libs"] == {"libGL.so.1": None, "libc.so.6": None}
    assert "Too many open files" in facts["unknown"]["libs.libc.so.6"]
    assert facts["nvidia_smi"]["status"] == "unavailable"
    assert "Too many open files" in facts["nvidia_smi"]["message"]
    count("resource limits (ulimit -n, -u, no descriptors left)")


def _unprivileged_python():
    """A Python 3.8+ that another user can run (not under root's home), or None."""
    for path in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if os.path.isfile(path) and os.stat(path).st_mode & stat.S_IXOTH:
            version = subprocess.run(
                [path, "-c", "import sys; print(sys.version_info >= (3, 8))"],
                capture_output=True,
                text=True,
                timeout=30,
            ).stdout.strip()
            if version == "True":
                return path
    return None


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv"),
    reason="ulimit -u binds only an unprivileged user: needs root and setpriv to become one",
)
def test_no_process_slot_left_is_cant_tell(check_script):
    python = _unprivileged_python()
    if python is None:
        pytest.skip("no Python that an unprivileged user can run")
    folder = tempfile.mkdtemp(prefix="ulimit-u-")
    try:
        os.chmod(folder, 0o755)
        bin_dir = fake_nvidia_smi(__import__("pathlib").Path(folder))
        shutil.copy(str(check_script), os.path.join(folder, "check.py"))
        for name in os.listdir(folder):
            os.chmod(os.path.join(folder, name), 0o755)
        command = "ulimit -u 1; exec %s %s/check.py --json" % (python, folder)
        result = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "bash", "-c", command],
            capture_output=True,
            timeout=120,
            cwd=folder,
            env={"PATH": "%s:/usr/bin:/bin" % bin_dir, "HOME": folder},
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert result.returncode in (0, 1), result.stderr
    assert_no_verdict_from_own_limits(json.loads(result.stdout), ("Resource temporarily unavailable", "thread"))
    count("resource limits (ulimit -n, -u, no descriptors left)")
