"""Tool look-up that a planted file cannot hijack, on Windows and elsewhere."""

import os

from checks.probes import Platform
from checks.probes.context import ProbeContext, find_tool
from checks.probes.nvidia import find_nvidia_smi
from checks.probes.python_windows import find_py_launcher

WINDOWS = Platform(system="Windows", release="10", version="10.0.22631", machine="AMD64")


def _windows_machine(tmp_path, files, path, **env):
    """A fake Windows root holding `files` (C:\\... paths) and an environment with this PATH."""
    context = ProbeContext(root=str(tmp_path), env=dict(env, PATH=path), platform_info=WINDOWS)
    for name in files:
        host = context.path(name)
        os.makedirs(os.path.dirname(host), exist_ok=True)
        with open(host, "wb") as handle:
            handle.write(b"MZ")
    return context


def test_windows_lookup_takes_only_absolute_entries_and_exe_or_com(tmp_path):
    context = _windows_machine(
        tmp_path,
        [
            "C:\\Users\\x\\Downloads\\nvidia-smi.exe",  # the current folder of a user who downloaded it
            "C:\\Tools\\nvidia-smi.bat",
            "C:\\Tools\\nvidia-smi.cmd",
            "C:\\Tools\\nvidia-smi",
            "C:\\Later\\nvidia-smi.com",
        ],
        ".;;Downloads;\\Tools;C:Tools;C:\\Tools;C:\\Later",
    )
    assert context.which("nvidia-smi") == "C:\\Later\\nvidia-smi.com"
    assert context.which("nvidia-smi.bat") is None
    assert context.which("..\\Tools\\nvidia-smi") is None


def test_windows_lookup_prefers_exe_and_keeps_path_order(tmp_path):
    context = _windows_machine(tmp_path, ["C:\\A\\py.com", "C:\\A\\py.exe", "C:\\B\\py.exe"], '"C:\\A";C:\\B\\')
    assert context.which("py") == "C:\\A\\py.exe"
    assert context.which("py.exe") == "C:\\A\\py.exe"


def test_nvidia_smi_from_system32_before_path(tmp_path):
    files = [
        "C:\\Windows\\System32\\nvidia-smi.exe",
        "C:\\Evil\\nvidia-smi.exe",
        "C:\\Program Files\\NVIDIA Corporation\\NVSMI\\nvidia-smi.exe",
    ]
    env = {"SYSTEMROOT": "C:\\Windows", "PROGRAMFILES": "C:\\Program Files"}
    context = _windows_machine(tmp_path, files, "C:\\Evil", **env)
    assert find_nvidia_smi(context) == "C:\\Windows\\System32\\nvidia-smi.exe"
    os.remove(context.path(files[0]))
    assert find_nvidia_smi(context) == "C:\\Program Files\\NVIDIA Corporation\\NVSMI\\nvidia-smi.exe"
    os.remove(context.path(files[2]))
    assert find_nvidia_smi(context) == "C:\\Evil\\nvidia-smi.exe"


def test_a_relative_systemroot_is_not_trusted(tmp_path):
    files = ["C:\\Windows\\System32\\nvidia-smi.exe", "C:\\x\\Windows\\System32\\nvidia-smi.exe"]
    context = _windows_machine(tmp_path, files, "", SYSTEMROOT="Windows")
    assert find_nvidia_smi(context) == "C:\\Windows\\System32\\nvidia-smi.exe"


def test_py_launcher_from_its_install_folders_before_path(tmp_path):
    files = [
        "C:\\Windows\\py.exe",
        "C:\\Users\\x\\AppData\\Local\\Programs\\Python\\Launcher\\py.exe",
        "C:\\Evil\\py.exe",
    ]
    env = {"WINDIR": "C:\\Windows", "LOCALAPPDATA": "C:\\Users\\x\\AppData\\Local"}
    context = _windows_machine(tmp_path, files, "C:\\Evil", **env)
    assert find_py_launcher(context) == files[0]
    os.remove(context.path(files[0]))
    assert find_py_launcher(context) == files[1]
    os.remove(context.path(files[1]))
    assert find_py_launcher(context) == files[2]


def test_posix_lookup_ignores_relative_and_empty_entries(tmp_path, monkeypatch):
    here = tmp_path / "cwd"
    (here / "bin").mkdir(parents=True)
    real = tmp_path / "real"
    real.mkdir()
    for folder in (here, here / "bin", real):
        tool = folder / "nvidia-smi"
        tool.write_text("#!/bin/sh\n")
        tool.chmod(0o755)
    not_executable = tmp_path / "plain"
    not_executable.mkdir()
    (not_executable / "nvidia-smi").write_text("")
    monkeypatch.chdir(here)
    path = ":.:bin:%s:%s" % (not_executable, real)
    assert find_tool("nvidia-smi", path, "Linux") == str(real / "nvidia-smi")
    assert ProbeContext(env={"PATH": path}).which("nvidia-smi") == str(real / "nvidia-smi")
    assert find_tool("nvidia-smi", "::.", "Darwin") is None
    assert find_tool("./nvidia-smi", str(real), "Linux") is None
