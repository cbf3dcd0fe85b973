"""The built check.py on python.org's Windows CPython 3.8, 3.11 and 3.13 (under wine).

Each Python runs the script as a Windows user would, from their Downloads
folder, output redirected to files: the plain report, -v, --json, --markdown,
--facts on the report it just wrote, --nvidia-smi on a file saved by Windows
PowerShell 5.1 (UTF-16 with a BOM). The machine is set up twice:

- "installed": nvidia-smi.exe in System32 (replaying a Windows table), the py
  launcher in C:\\windows knowing 3.8, 3.11 and 3.13, a user folder C:\\users\\José王;
- "hostile": no nvidia-smi, a launcher without 3.11, and in the folder the
  script runs from a planted nvidia-smi.exe, nvidia-smi.bat, py.exe and
  json.py / argparse.py; PATH holds relative and empty entries.
"""

import json
import re
import shutil

import pytest

from checks.parsers.nvidia_smi import parse_nvidia_smi
from tools import windows_lane as lane

from .conftest import (
    PLANTED_SMI,
    PROFILE,
    SYSTEM32,
    SYSTEM32_SMI,
    USER,
    WINDOWS,
    fresh_folder,
    place_tool,
    python_dir,
    python_exe,
    remove_tool,
)

pytestmark = pytest.mark.windows

VERSIONS = sorted(lane.locked_versions(), key=lambda version: tuple(int(p) for p in version.split(".")))
SUPPORTED = ("3.10", "3.11")  # checked against the rules below


def _host_meminfo_total():
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    return None


def _command(version, *args):
    return " ".join(['"%s"' % python_exe(version), "check.py"] + list(args))


@pytest.fixture(scope="module", params=VERSIONS)
def installed(request, windows_lane, windows_script):
    """The runs of the "installed" machine, for one Windows Python."""
    version = request.param
    place_tool(windows_lane, "nvidia-smi.exe", SYSTEM32, recordings=SYSTEM32_SMI)
    place_tool(windows_lane, "py.exe", WINDOWS, lines=["%s=%s" % (v, python_exe(v)) for v in VERSIONS])
    cwd, host = fresh_folder("installed-" + version)
    (host / "check.py").write_bytes(windows_script)
    table = (SYSTEM32_SMI / "nvidia-smi.txt").read_text(encoding="utf-8")
    # What `nvidia-smi > smi.txt` writes in Windows PowerShell 5.1: UTF-16 LE with a BOM, CRLF.
    (host / "smi-utf16.txt").write_bytes(b"\xff\xfe" + table.replace("\n", "\r\n").encode("utf-16-le"))
    runs = [
        lane.Run("plain", _command(version)),
        lane.Run("verbose", _command(version, "-v")),
        lane.Run("json", _command(version, "--json"), out_name="report.json"),
        lane.Run("markdown", _command(version, "--markdown"), out_name="report.md"),
        lane.Run("facts", _command(version, "--facts", "report.json", "--json")),
        lane.Run("nvidia-smi-file", _command(version, "--nvidia-smi", "smi-utf16.txt", "--json")),
    ]
    path = [SYSTEM32, WINDOWS, python_dir(version)]
    lane.run_batch(runs, cwd, PROFILE, path)
    yield version, {run.name: run for run in runs}, host
    shutil.rmtree(str(host), ignore_errors=True)


@pytest.fixture(scope="module", params=VERSIONS)
def hostile(request, windows_lane, windows_script):
    """The runs of the "hostile" machine, for one Windows Python."""
    version = request.param
    remove_tool("nvidia-smi.exe", SYSTEM32)
    place_tool(
        windows_lane, "py.exe", WINDOWS, lines=["%s=%s" % (v, python_exe(v)) for v in VERSIONS if v not in SUPPORTED]
    )
    cwd, host = fresh_folder("hostile-" + version)
    (host / "check.py").write_bytes(windows_script)
    place_tool(windows_lane, "nvidia-smi.exe", cwd, recordings=PLANTED_SMI)
    place_tool(windows_lane, "py.exe", cwd, lines=["%s=%s" % (v, python_exe(v)) for v in VERSIONS])
    (host / "nvidia-smi.bat").write_bytes(b"@echo planted> planted-ran.txt\r\n")
    for module in ("json.py", "argparse.py"):
        (host / module).write_text("import sys\nsys.stdout.write('SHADOWED %s')\nsys.exit(3)\n" % module)
    runs = [lane.Run("json", _command(version, "--json"), out_name="report.json"), lane.Run("plain", _command(version))]
    # Relative and empty PATH entries: the current folder, "", a relative folder.
    path = [".", SYSTEM32, "", WINDOWS, python_dir(version), "Downloads"]
    lane.run_batch(runs, cwd, PROFILE, path)
    yield version, {run.name: run for run in runs}, host
    shutil.rmtree(str(host), ignore_errors=True)


def _report(run):
    assert run.exit_code in (0, 1), run
    return json.loads(run.stdout.decode("utf-8"))


def _findings(report):
    return {finding["id"]: finding for finding in report["findings"]}


def test_the_rules_support_the_versions_the_lane_assumes(rules):
    rule = next(rule for rule in rules["rules"] if rule["id"] == "python.version")
    assert tuple(rule["values"]["supported"]) == SUPPORTED


def test_every_report_runs_and_is_utf8(installed):
    version, runs, _ = installed
    for run in runs.values():
        assert run.exit_code in (0, 1), run
        assert run.stderr == b"", run
        run.stdout.decode("utf-8")
    assert "Invoke system check" in runs["plain"].text()
    assert USER in runs["plain"].text(), "the disk finding names the user's folder"
    # The Markdown block, for public trackers, names the profile folder %USERPROFILE%, never the user.
    assert USER not in runs["markdown"].text() and "%USERPROFILE%" in runs["markdown"].text()
    assert "\u2705" in runs["markdown"].text() or "\u274c" in runs["markdown"].text()


def test_verbose_report_shows_every_finding(installed, rules):
    _, runs, _ = installed
    text = runs["verbose"].text()
    for rule in rules["rules"]:
        if rule.get("check", True):
            assert rule["title"] in text


def test_facts_of_a_windows_machine(installed):
    version, runs, _ = installed
    facts = _report(runs["json"])["facts"]
    assert facts["os"]["system"] == "Windows"
    assert facts["os"]["release"] in ("10", "11") and facts["os"]["wsl"] is False
    assert facts["probe_errors"] == {}
    # GlobalMemoryStatusEx: wine reports the host's memory.
    assert facts["ram"]["source"] == "GlobalMemoryStatusEx"
    host_total = _host_meminfo_total()
    assert abs(facts["ram"]["total_bytes"] - host_total) < host_total * 0.05
    # The default install folder under the user's profile, as a Windows path.
    assert facts["disk"]["install_dir"] == PROFILE + "\\invokeai"
    assert facts["disk"]["measured_path"] == PROFILE
    measured = shutil.disk_usage(str(lane.DRIVE_C))
    assert facts["disk"]["total_bytes"] == measured.total
    assert abs(facts["disk"]["free_bytes"] - measured.free) < 2 * 2**30
    if facts["disk"]["rotational"] is None:
        assert facts["unknown"]["disk.rotational"]
    assert facts["python"]["version"].startswith(version + ".")
    assert facts["python"]["executable"].lower() == python_exe(version).lower()
    # nvidia-smi from System32, its outputs read.
    assert facts["nvidia_smi"]["path"].lower() == (SYSTEM32 + "\\nvidia-smi.exe").lower()
    query = parse_nvidia_smi((SYSTEM32_SMI / "nvidia-smi-query.txt").read_text(encoding="utf-8"))["gpus"][0]
    table = parse_nvidia_smi((SYSTEM32_SMI / "nvidia-smi.txt").read_text(encoding="utf-8"))
    assert [(gpu["name"], gpu["vram_bytes"], gpu["cuda_version"]) for gpu in facts["gpus"]] == [
        (query["name"], query["vram_bytes"], table["cuda_version"])
    ]


def test_findings_of_a_windows_machine(installed):
    version, runs, _ = installed
    report = _report(runs["json"])
    findings = _findings(report)
    assert findings["driver.nvidia"]["status"] == "pass"
    assert findings["gpu.dedicated"]["status"] == "pass"
    assert PROFILE in findings["disk.free"]["detail"]
    others = report["facts"]["python"]["others"]
    if version in SUPPORTED:
        assert findings["python.version"]["status"] == "pass"
    else:
        # py -3.11 found the installed 3.11: a warning naming it, not a failure.
        assert [(o["version"][:4], o["path"].lower()) for o in others] == [("3.11", python_exe("3.11").lower())]
        assert findings["python.version"]["status"] == "warn"
        assert python_exe("3.11") in findings["python.version"]["detail"]
        assert "$env:Path" in findings["python.version"]["fix"]
    for finding in report["findings"]:
        for text in (finding["detail"], finding.get("fix") or ""):
            assert not re.search(r"\| *(grep|python3)\b|\bsudo\b", text), finding


def test_a_windows_report_read_back_gives_the_same_findings(installed):
    _, runs, _ = installed
    first, again = _report(runs["json"]), _report(runs["facts"])
    assert again["findings"] == first["findings"]
    assert again["facts"]["disk"] == first["facts"]["disk"]


def test_nvidia_smi_saved_by_powershell_is_read(installed):
    _, runs, _ = installed
    report = _report(runs["nvidia-smi-file"])
    table = parse_nvidia_smi((SYSTEM32_SMI / "nvidia-smi.txt").read_text(encoding="utf-8"))
    assert [gpu["name"] for gpu in report["facts"]["gpus"]] == [gpu["name"] for gpu in table["gpus"]]
    assert _findings(report)["driver.nvidia"]["status"] == "pass"


def test_planted_tools_and_modules_are_not_used(hostile):
    version, runs, host = hostile
    for run in runs.values():
        assert b"SHADOWED" not in run.stdout + run.stderr, run
    report = _report(runs["json"])
    facts = report["facts"]
    assert facts["nvidia_smi"]["status"] == "missing" and facts["nvidia_smi"]["path"] is None
    assert facts["gpus"] == []
    assert not (host / "planted-ran.txt").exists()
    assert not (host / "__pycache__").exists()
    if version not in SUPPORTED:
        # The launcher in C:\\windows knows no 3.11; the planted py.exe beside the script does.
        assert [o for o in facts["python"]["others"] if o["version"].startswith("3.11")] == []
        assert _findings(report)["python.version"]["status"] == "fail"
    assert runs["plain"].exit_code in (0, 1), runs["plain"]
