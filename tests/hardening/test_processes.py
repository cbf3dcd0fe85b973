"""Nothing the checker starts outlives it: not a tool's child, not a grandchild that calls
setsid(), not a daemon whose parent has exited, whether the tool ends, times out, or the
checker is interrupted (Ctrl-C) or killed.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from checks.run import run_tool

from .conftest import count

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to see what is left")

# A tool that leaves three kinds of process behind, each writing its pid to DIR:
# a child in its group, a grandchild in a session of its own, and a setsid daemon whose parent exits.
LEAKER = r"""#!/bin/sh
D="%s"
sleep 300 & echo $! > "$D/child.pid"
setsid sh -c 'echo $$ > "$1/setsid.pid"; exec sleep 300' sh "$D" &
(setsid sh -c 'echo $$ > "$1/daemon.pid"; exec sleep 300' sh "$D" > /dev/null 2>&1 &)
while [ ! -s "$D/setsid.pid" ] || [ ! -s "$D/daemon.pid" ]; do sleep 0.01; done
%s
"""


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def left_behind(folder, names=("child", "setsid", "daemon"), wait=3.0):
    """The pids of `names` still alive after up to `wait` seconds."""
    pids = {}
    for name in names:
        path = folder / (name + ".pid")
        deadline = time.time() + 5
        while not (path.is_file() and path.read_text().strip()) and time.time() < deadline:
            time.sleep(0.01)
        pids[name] = int(path.read_text())
    deadline = time.time() + wait
    while time.time() < deadline and any(alive(pid) for pid in pids.values()):
        time.sleep(0.05)
    living = dict((name, pid) for name, pid in pids.items() if alive(pid))
    for pid in living.values():  # leave the machine as it was, whatever the result
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return living


def leaker(folder, then):
    path = folder / "tool"
    path.write_text(LEAKER % (folder, then))
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize("then,expected", [("exec sleep 300", "timeout"), ("exit 0", "ok"), ("exit 3", "failed")])
def test_run_tool_leaves_nothing_running(tmp_path, then, expected):
    result = run_tool([leaker(tmp_path, then)], timeout=2)
    assert result["status"] == expected, result
    assert left_behind(tmp_path, wait=1.0) == {}
    count("process trees stopped (timeout, exit, Ctrl-C, SIGKILL, threads)")


def test_tools_run_side_by_side_from_threads(tmp_path):
    results = {}

    def one(index):
        folder = tmp_path / str(index)
        folder.mkdir()
        results[index] = (folder, run_tool([leaker(folder, "echo done-%d" % index)], timeout=5))

    threads = [threading.Thread(target=one, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for index, (folder, result) in sorted(results.items()):
        assert result["status"] == "ok" and result["stdout"] == "done-%d\n" % index, result
        assert left_behind(folder, wait=1.0) == {}
    assert len(results) == 4
    count("process trees stopped (timeout, exit, Ctrl-C, SIGKILL, threads)", 4)


def _checker_with_a_hanging_tool(check_script, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "nvidia-smi"
    tool.write_text(LEAKER % (tmp_path, "exec sleep 300"))
    tool.chmod(0o755)
    process = subprocess.Popen(
        [sys.executable, str(check_script), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, PATH="%s:/usr/bin:/bin" % bin_dir),
    )
    deadline = time.time() + 20
    while not all((tmp_path / (name + ".pid")).is_file() for name in ("child", "setsid", "daemon")):
        assert time.time() < deadline and process.poll() is None, "the tool never started"
        time.sleep(0.02)
    time.sleep(0.2)
    return process


def test_ctrl_c_during_a_hung_tool_stops_its_whole_tree(check_script, tmp_path):
    process = _checker_with_a_hanging_tool(check_script, tmp_path)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert b"Traceback" not in err
    assert left_behind(tmp_path) == {}
    count("process trees stopped (timeout, exit, Ctrl-C, SIGKILL, threads)")


def test_a_killed_checker_leaves_nothing_running(check_script, tmp_path):
    process = _checker_with_a_hanging_tool(check_script, tmp_path)
    process.kill()  # no finally runs: the reaper sees its pipe close
    process.communicate(timeout=30)
    assert left_behind(tmp_path) == {}
    count("process trees stopped (timeout, exit, Ctrl-C, SIGKILL, threads)")


def test_a_tool_that_hangs_with_a_setsid_grandchild_times_out_in_the_report(check_script, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "nvidia-smi"
    tool.write_text(LEAKER % (tmp_path, "exec sleep 300"))
    tool.chmod(0o755)
    started = time.time()
    result = subprocess.run(
        [sys.executable, str(check_script), "--json", "--only", "driver.nvidia"],
        capture_output=True,
        timeout=60,
        env=dict(os.environ, PATH="%s:/usr/bin:/bin" % bin_dir),
    )
    elapsed = time.time() - started
    report = json.loads(result.stdout)
    assert report["facts"]["nvidia_smi"]["status"] == "timeout"
    assert elapsed < 20, elapsed  # the tool's 8 s, not the grandchild's 300 s
    assert left_behind(tmp_path) == {}
    count("process trees stopped (timeout, exit, Ctrl-C, SIGKILL, threads)")
