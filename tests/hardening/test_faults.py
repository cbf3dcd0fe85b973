"""Faults injected into the machine the checker probes: tools that hang, crash, flood or babble,
and system files that are missing, unreadable or garbage.

Tools are faked on PATH and run through the real command line of the built
check.py. The command line has no option for another filesystem root, so
faults in /proc, /sys and /etc go through gather_facts(root=...) + evaluate +
every renderer, as the command line chains them.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from checks.evaluate import checked_rules, evaluate
from checks.probes import gather_facts
from checks.probes.interpreters import ASK_BUDGET, ASK_TIMEOUT, NAMES
from checks.render.html import render_report
from checks.render.json_out import render_json
from checks.render.markdown import render_markdown
from checks.render.terminal import render_terminal
from macros.script_bundle import build_script, write_script

from .conftest import count
from .inputs import CORPUS

SITE = "https://example.invalid/"
TOOLS = ("nvidia-smi", "rocm-smi", "sysctl", "sw_vers") + NAMES
PARTIAL_QUERY = (CORPUS / "rtx-4090" / "nvidia-smi-query.txt").read_text(encoding="utf-8")[:30]

# What each fake tool does, and the nvidia_smi status (and exit code) the report must show.
FAULTS = {
    "hangs": ("exec /bin/sleep 120", "timeout", None),
    "segfaults": ("kill -SEGV $$", "failed", -11),
    "exits-139": ("echo 'Segmentation fault (core dumped)' >&2; exit 139", "failed", 139),
    "partial-output": ("printf '%s'" % PARTIAL_QUERY, "failed", 0),
    # -9: stopped by the checker once it printed run_tool's cap.
    "endless-output": ("exec /usr/bin/yes 'NVIDIA GeForce RTX 4090, 24564, 550.54.14, 8.9'", "failed", -9),
    "non-utf8": (r"printf '\377\376NVIDIA \200\201 GPU\n\351t\351\n'", "failed", 0),
    "exits-127": ("exit 127", "failed", 127),
}

# Runs check.py and reports the peak RSS of it and the tools it ran.
_MEASURED_RUN = (
    "import resource, subprocess, sys, time\n"
    "started = time.time()\n"
    "done = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, capture_output=True)\n"
    "sys.stdout.buffer.write(done.stdout)\n"
    "sys.stderr.buffer.write(done.stderr)\n"
    "sys.stderr.write('\\nMEASURED %d %d %.2f\\n' % (done.returncode,"
    " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.time() - started))\n"
)


def unsupported_python(rules):
    """An interpreter the rules do not support (so the probe asks PATH's Pythons), else this one."""
    supported = next(rule for rule in rules["rules"] if rule["id"] == "python.version")["values"]["supported"]
    from tests.script.conftest import interpreters

    for minor, path in sorted(interpreters().items()):
        if minor not in supported and tuple(map(int, minor.split("."))) >= (3, 8):
            return path
    return sys.executable


@pytest.fixture(scope="module")
def runs(tmp_path_factory, rules):
    """Every fault at once (concurrently, to keep the suite short): {fault: (code, rss_kib, seconds, out, err)}."""
    base = tmp_path_factory.mktemp("faults")
    script = write_script(base, build_script(rules, SITE))
    python = unsupported_python(rules)
    processes = {}
    for fault, (body, _, _) in FAULTS.items():
        bin_dir = base / fault / "bin"
        bin_dir.mkdir(parents=True)
        for tool in TOOLS:
            path = bin_dir / tool
            path.write_text("#!/bin/sh\n" + body + "\n")
            path.chmod(0o755)
        env = {
            "PATH": str(bin_dir),
            "HOME": str(base / fault),
            "TMPDIR": str(base / "no-such-temp-dir"),
            "INVOKEAI_ROOT": str(base / fault / "not" / "yet" / "there"),
        }
        processes[fault] = subprocess.Popen(
            [sys.executable, "-c", _MEASURED_RUN, python, str(script), "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    results = {}
    for fault, process in processes.items():
        out, err = process.communicate(timeout=120)
        err = err.decode("utf-8", "replace")
        code, rss, seconds = err.rsplit("MEASURED ", 1)[1].split()
        results[fault] = (int(code), int(rss), float(seconds), out.decode("utf-8"), err.rsplit("\nMEASURED", 1)[0])
    count("faults injected (tools, through check.py)", len(FAULTS) * len(TOOLS))
    results["base"] = base
    return results


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_misbehaving_tool_gives_findings_with_reasons(runs, rules, fault):
    code, _, seconds, out, err = runs[fault]
    assert code in (0, 1), err
    assert err.strip() == "" and "Traceback" not in out
    assert seconds < 30
    report = json.loads(out)
    assert [item["id"] for item in report["findings"]] == [rule["id"] for rule in checked_rules(rules)]
    assert all(item["status"] != "error" and item["detail"] for item in report["findings"]), report["findings"]
    smi = report["facts"]["nvidia_smi"]
    _, status, exit_code = FAULTS[fault]
    assert (smi["status"], smi["exit_code"]) == (status, exit_code)
    assert smi["message"] and len(smi["message"]) < 2000
    driver = next(item for item in report["findings"] if item["id"] == "driver.nvidia")
    assert driver["status"] == "fail" and "nvidia-smi" in driver["detail"]
    assert report["facts"]["probe_errors"] == {}
    assert len(out) < 200000  # a flooding tool does not flood the report


def test_every_tool_hanging_ends_within_the_timeouts(runs):
    _, _, seconds, out, _ = runs["hangs"]
    assert seconds < 30
    facts = json.loads(out)["facts"]
    assert facts["rocm_smi"]["status"] == "timeout"
    if facts["python"]["version"][:4] not in ("3.10", "3.11"):  # other Pythons were asked, and gave up
        assert "did not answer" in facts["unknown"]["python.others"]


def test_endless_output_keeps_memory_bounded(runs):
    _, baseline_kib, _, _, _ = runs["exits-139"]
    _, endless_kib, _, out, _ = runs["endless-output"]
    # The tool printed until stopped at run_tool's 1 MB cap; the checker kept at most that.
    assert endless_kib - baseline_kib < 40 * 1024, (baseline_kib, endless_kib)
    assert "printed more than" in json.loads(out)["facts"]["nvidia_smi"]["message"]


def test_missing_temp_dir_and_install_dir_not_yet_there(runs):
    facts = json.loads(runs["segfaults"][3])["facts"]
    base = str(runs["base"])
    assert facts["temp"]["path"] != os.path.join(base, "no-such-temp-dir") and facts["temp"]["free_bytes"]
    assert facts["disk"]["install_dir"] == os.path.join(base, "segfaults", "not", "yet", "there")
    assert facts["disk"]["measured_path"] == os.path.join(base, "segfaults")
    assert facts["disk"]["free_bytes"]


# --- the filesystem: missing, unreadable and garbage files ------------------------------------

SYSTEM_FILES = (
    "proc/meminfo",
    "proc/self/mounts",
    "proc/self/cgroup",
    "etc/os-release",
    "proc/version",
    "proc/sys/kernel/osrelease",
    "sys/block/nvme0n1/queue/rotational",
    "sys/block/sda/queue/rotational",
)


def sabotage(root, how):
    for name in SYSTEM_FILES:
        path = root / name
        if path.exists() or path.is_symlink():
            path.unlink()
        if how == "directory":  # open() fails: EISDIR
            path.mkdir(parents=True)
        elif how == "symlink-loop":  # open() fails: ELOOP
            os.symlink(path.name, str(path))
        elif how == "binary":
            path.write_bytes(bytes(range(256)) * 8)
        elif how == "empty":
            path.write_bytes(b"")
    if how == "no-proc-sys":
        shutil.rmtree(str(root / "proc"))
        shutil.rmtree(str(root / "sys"))


def render_everything(report):
    stream = io.StringIO()
    render_terminal(report, stream, verbose=True, environ={})
    assert "Traceback" not in stream.getvalue()
    render_markdown(report)
    json.loads(render_json(report))
    render_report(report, "python3 check.py")


@pytest.mark.parametrize("how", ["missing", "directory", "symlink-loop", "binary", "empty", "no-proc-sys"])
def test_broken_system_files_give_unknowns_with_reasons(tmp_path, rules, how):
    root = tmp_path / "root"
    shutil.copytree(str(CORPUS / "rtx-4090" / "root"), str(root), symlinks=True)
    sabotage(root, how)
    count("faults injected (system files)", len(SYSTEM_FILES))
    facts = gather_facts(root=str(root), env={"PATH": str(tmp_path / "no-bin"), "HOME": "/home/user"}, rules=rules)
    assert facts["probe_errors"] == {}
    assert facts["ram"]["total_bytes"] is None and facts["unknown"]["ram.total_bytes"]
    assert facts["os"]["distro"] is None and facts["unknown"]["os.distro"]
    assert facts["disk"]["rotational"] is None and facts["unknown"]["disk.rotational"]
    report = evaluate(facts, rules, SITE)
    by_id = dict((item["id"], item) for item in report["findings"])
    assert all(item["status"] != "error" and item["detail"] for item in report["findings"])
    assert by_id["ram.total"]["status"] == "unknown"
    assert by_id["disk.ssd"]["status"] == "unknown"
    render_everything(report)


def test_a_temp_dir_that_does_not_exist_anywhere(tmp_path, rules):
    count("faults injected (temp dir)")
    facts = gather_facts(
        root=str(tmp_path), env={"PATH": "", "TMPDIR": "/no/such/dir"}, rules=rules, only_sections=["os", "temp"]
    )
    assert facts["temp"]["path"] is None and facts["unknown"]["temp.path"] == "no usable temporary folder"
    report = evaluate(facts, rules, SITE, only=["tmp.space"])
    assert report["findings"][0]["status"] == "unknown" and report["findings"][0]["detail"]
    render_everything(report)


def test_an_install_dir_not_created_yet_is_measured_at_its_nearest_parent(tmp_path, rules):
    count("faults injected (install dir)")
    (tmp_path / "home" / "user").mkdir(parents=True)
    facts = gather_facts(
        root=str(tmp_path),
        env={"PATH": ""},
        rules=rules,
        only_sections=["disk"],
        install_dir="/home/user/not/yet/invokeai",
    )
    assert facts["disk"]["measured_path"] == "/home/user" and facts["disk"]["free_bytes"]
    facts = gather_facts(
        root=str(tmp_path / "nowhere"),
        env={"PATH": ""},
        rules=rules,
        only_sections=["disk"],
        install_dir="relative/path",
    )
    assert facts["disk"]["free_bytes"] is None and facts["unknown"]["disk.free_bytes"]


@pytest.mark.parametrize("side_by_side", [True, False])
def test_hanging_pythons_are_given_up_on_within_the_budget(tmp_path, rules, side_by_side):
    """The running Python unsupported: every Python on PATH is asked, and all of them hang.

    Asked side by side they take one timeout in all; one after another, the budget stops the asking.
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in NAMES:
        (bin_dir / name).write_text("#!/bin/sh\nexec /bin/sleep 120\n")
        (bin_dir / name).chmod(0o755)
    unsupported = json.loads(json.dumps(rules))
    for rule in unsupported["rules"]:
        if rule["id"] == "python.version":
            rule["values"]["supported"] = ["2.7"]
    count("faults injected (hanging pythons)", len(NAMES))
    started = time.time()
    facts = gather_facts(
        root=str(tmp_path),
        env={"PATH": str(bin_dir)},
        rules=unsupported,
        only_sections=["python"],
        side_by_side=side_by_side,
    )
    assert time.time() - started < (ASK_TIMEOUT if side_by_side else ASK_BUDGET) + 3
    assert facts["python"]["others"] == [] and "did not answer" in facts["unknown"]["python.others"]
