"""check.py compiles only the modules a run needs: the start-up is paid per module compiled.

The built script compiles an embedded module when it is first imported, so
the modules a run imports are the ones it compiles. `python -X importtime`
lists every module a process imports, on stderr; these tests read that list
for the runs users wait on and fail when a module the run does not need (a
renderer of another output, another OS's probes, the reader of a tool that is
not installed, a standard-library module with a cheaper stand-in) comes back.
"""

import os
import platform
import re
import subprocess

import pytest

from .conftest import interpreters

SUPPORTED = [minor for minor in sorted(interpreters()) if tuple(map(int, minor.split("."))) >= (3, 8)]

# Needed by no --json run: the other outputs, the browser's entry points, saved inputs.
NOT_FOR_JSON = {
    "checks.browser",
    "checks.contracts",
    "checks.input_file",
    "checks.parsers.recognize",
    "checks.render.html",
    "checks.render.markdown",
    "checks.render.safe",
    "checks.render.terminal",
    "checks.saved",
}
# The readers of tools this machine does not have (PATH is empty): their probes'
# modules, their parsers, and running a tool at all.
NOT_WITHOUT_TOOLS = {
    "checks.parsers.nvidia_smi",
    "checks.parsers.rocm_smi",
    "checks.probes.nvidia_smi_run",
    "checks.probes.rocm_smi_run",
    "checks.probes.started_call",
    "checks.run",
}
# Each OS's own probes, which no other OS imports.
OWN_PROBES = {
    "Linux": {"checks.probes.amd", "checks.probes.libs"},
    "Darwin": {
        "checks.parsers.macos",
        "checks.probes.apple",
        "checks.probes.macos_tools",
        "checks.probes.python_macos",
    },
    "Windows": {"checks.probes.python_windows", "checks.probes.win32", "checks.probes.windows", "checks.run_windows"},
}
# Standard-library modules a --json run without tools has no use for: platform
# (os.uname() tells the same on POSIX), the threads and processes of tool calls,
# Windows paths, Unicode names (read only for text that is not plain ASCII).
# Where the modules the checker does need import one (bz2 imports threading on
# Python 3.8 and 3.9), it is theirs, not the checker's.
STDLIB_NOT_NEEDED = {"platform", "subprocess", "threading", "ntpath", "unicodedata"}
STDLIB_NEEDED = "import argparse, json, os, re, shutil"

_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|( *)(\S+)\s*$")


def imported_modules(python, script, args, tmp_path, beyond="pass", tools=None):
    """The modules `python script args` imports beyond those `python -c beyond` does.

    PATH holds `tools` ({name: shell script}) alone: none by default.
    """
    path = tmp_path / "path"
    path.mkdir(exist_ok=True)
    for name, body in (tools or {}).items():
        (path / name).write_text("#!/bin/sh\n" + body + "\n")
        (path / name).chmod(0o755)
    env = dict(os.environ, PATH=str(path))

    def modules(command):
        result = subprocess.run(
            [python, "-X", "importtime"] + command, capture_output=True, text=True, timeout=120, env=env
        )
        assert result.returncode in (0, 1), result.stderr[-2000:]
        return set(match.group(2) for match in map(_IMPORTED.match, result.stderr.splitlines()) if match)

    return modules([str(script)] + args) - modules(["-c", beyond])


@pytest.mark.parametrize("minor", SUPPORTED)
def test_a_json_run_without_tools_compiles_only_what_it_needs(minor, script_path, rules, tmp_path):
    python = interpreters()[minor]
    imported = imported_modules(python, script_path, ["--json"], tmp_path)
    assert {"checks.cli", "checks.evaluate", "checks.probes", "checks.render.json_out"} <= imported
    assert imported & NOT_FOR_JSON == set()
    assert imported & NOT_WITHOUT_TOOLS == set()
    system = platform.system()
    foreign = set().union(*(modules for name, modules in OWN_PROBES.items() if name != system))
    assert imported & foreign == set()
    imported_beyond_needs = imported_modules(python, script_path, ["--json"], tmp_path, beyond=STDLIB_NEEDED)
    assert imported_beyond_needs & STDLIB_NOT_NEEDED == set()
    python_rule = next(rule for rule in rules["rules"] if rule["id"] == "python.version")
    if minor in python_rule["values"]["supported"]:
        assert "checks.probes.python_others" not in imported  # a supported Python asks no other


@pytest.mark.skipif(os.name == "nt", reason="the fake tool is a shell script")
def test_a_run_with_nvidia_smi_compiles_its_reader_and_this_os_s_tool_runner_alone(script_path, tmp_path):
    python = interpreters()[SUPPORTED[-1]]
    failing = "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"; exit 9"
    imported = imported_modules(python, script_path, ["--json"], tmp_path, tools={"nvidia-smi": failing})
    assert {
        "checks.run",
        "checks.probes.started_call",
        "checks.probes.nvidia_smi_run",
        "checks.parsers.nvidia_smi",
    } <= imported
    assert imported & {"checks.parsers.rocm_smi", "checks.probes.rocm_smi_run", "checks.run_windows"} == set()
    assert imported & NOT_FOR_JSON == set()


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_compile_the_command_line_alone(args, script_path, tmp_path):
    python = interpreters()[SUPPORTED[-1]]
    imported = imported_modules(python, script_path, args, tmp_path)
    assert set(name for name in imported if name.startswith("checks")) == {"checks", "checks.cli", "checks.findings"}
