"""The Windows lane's machine: a wine prefix with python.org's CPython 3.8, 3.11 and 3.13,
a user whose folder is C:\\users\\José王, and fake nvidia-smi.exe / py.exe tools.

Without wine or mingw the lane skips with the reason, except under CI=true,
where it fails: CI must never pass without having run it.
"""

import os
import shutil

import pytest

from macros.script_bundle import build_script
from tools import windows_lane as lane

USER = "Jos\u00e9\u738b"  # José王: outside every ANSI code page at once
PROFILE = "C:\\users\\" + USER
DOWNLOADS = PROFILE + "\\Downloads"
SYSTEM32 = "C:\\windows\\system32"
WINDOWS = "C:\\windows"
CORPUS = lane.ROOT / "tests" / "fixtures" / "corpus"
# Which corpus outputs each fake nvidia-smi.exe replays.
SYSTEM32_SMI = CORPUS / "windows-system32-nvidia-smi"
PLANTED_SMI = CORPUS / "gtx-1080-ti"
SITE_URL = "https://example.invalid/docs/"


def python_dir(version):
    return "C:\\Python%s" % version.replace(".", "")


def python_exe(version):
    return python_dir(version) + "\\python.exe"


@pytest.fixture(scope="session")
def windows_lane():
    """The prepared lane (pythons, tools), or a skip / failure saying why there is none."""
    try:
        prepared = lane.prepare()
    except lane.LaneUnavailable as exc:
        message = "Windows lane unavailable: %s" % exc
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI must run the Windows lane: make windows-deps sets it up)")
        pytest.skip(message)
    for version, folder in prepared["pythons"].items():
        link = lane.host_path(python_dir(version))
        if os.path.islink(str(link)) and os.readlink(str(link)) == str(folder):
            continue
        if link.is_symlink() or link.exists():
            link.unlink() if link.is_symlink() else shutil.rmtree(str(link))
        link.symlink_to(folder, target_is_directory=True)
    shutil.rmtree(str(lane.host_path(PROFILE)), ignore_errors=True)
    lane.host_path(DOWNLOADS).mkdir(parents=True)
    return prepared


@pytest.fixture(scope="session")
def windows_script(rules):
    """check.py as the site build writes it."""
    return build_script(rules, SITE_URL).encode("utf-8")


def place_tool(windows_lane, exe, folder, recordings=None, lines=None):
    """Copy a fake tool into a Windows folder, with the recorded outputs it replays."""
    target = lane.host_path(folder)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(str(windows_lane["tools"][exe]), str(target / exe))
    stem = exe[: -len(".exe")]
    if recordings is not None:
        shutil.copyfile(str(recordings / "nvidia-smi.txt"), str(target / (stem + ".table.txt")))
        shutil.copyfile(str(recordings / "nvidia-smi-query.txt"), str(target / (stem + ".query.txt")))
    if lines is not None:
        (target / (stem + ".lane.txt")).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return folder + "\\" + exe


def remove_tool(exe, folder):
    target = lane.host_path(folder)
    stem = exe[: -len(".exe")]
    for name in (exe, stem + ".table.txt", stem + ".query.txt", stem + ".lane.txt", stem + ".exit"):
        path = target / name
        if path.exists():
            path.unlink()


def fresh_folder(name):
    """An empty folder under the user's Downloads: (Windows path, host path)."""
    win = DOWNLOADS + "\\" + name
    host = lane.host_path(win)
    shutil.rmtree(str(host), ignore_errors=True)
    host.mkdir(parents=True)
    return win, host
