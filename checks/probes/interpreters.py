"""The python section: the running interpreter and other Pythons on PATH.

Other interpreters are only looked for, and asked their version (a process
each), when the running one is not a supported version or no rules say which are.
"""

import os
import struct
import sys
import time

NAMES = ("python3.10", "python3.11", "python3.12", "python3.13", "python3.9", "python3", "python")
ASK_VERSION = ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3]); print(sys.executable)"]
ASK_TIMEOUT = 5
# Two short lines are the answer: an interpreter that prints more is not asked further.
ASK_MAX_BYTES = 65536
# All the asking together, where one is asked after the other: interpreters that
# hang must not hold the check up for a timeout each (seven names on PATH would
# be 35 s). Asked side by side (start_python), they take one timeout at most.
ASK_BUDGET = 8
# The py launcher's versions to ask for when no rules say which are supported.
LAUNCHER_VERSIONS = ("3.10", "3.11")


def start_python(context):
    """Begin asking every interpreter probe_python will ask, all at once."""
    if not _looks_for_others(context):
        return
    named, launcher = _commands(context)
    for command in [path for path, _ in named] + launcher:
        context.start(command + ASK_VERSION, timeout=ASK_TIMEOUT, max_bytes=ASK_MAX_BYTES)


def probe_python(facts, context):
    section = facts["python"]
    section["version"], section["implementation"] = python_version_and_implementation()
    section["executable"] = sys.executable or None
    section["bits"] = struct.calcsize("P") * 8
    _install_facts(section, facts, context)
    if not _looks_for_others(context):
        facts["unknown"]["python.others"] = "not looked for: the running Python is a supported version"
        return
    named, launcher = _commands(context)
    seen = set([_real(sys.executable)]) if sys.executable else set()
    seen.update(real for _, real in named)
    asker = _Asker(facts, context)
    for command, _ in named:
        version, _ = asker.ask(command)
        if version:
            section["others"].append({"version": version, "path": command[0]})
    for command in launcher:
        version, executable = asker.ask(command)
        if version and executable and _real(executable) not in seen:
            seen.add(_real(executable))
            section["others"].append({"version": version, "path": executable})
    if asker.silent and "python.others" not in facts["unknown"]:
        facts["unknown"]["python.others"] = "%d of the Pythons on PATH did not answer within %d s" % (
            asker.silent,
            ASK_TIMEOUT,
        )


# What platform.python_version() reads from a CPython's sys.version: its first word.
_VERSION_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+")


def python_version_and_implementation():
    """(platform.python_version(), platform.python_implementation()) of the running Python.

    On CPython both are read from sys as platform reads them (the version is
    the first word of sys.version, "3.13.0rc1" say), which spares the script
    platform's import, a few ms of its start-up; other Pythons ask platform.
    """
    words = sys.version.split()
    first = words[0] if words else ""
    if (
        sys.implementation.name == "cpython"
        and first
        and set(first) <= _VERSION_CHARACTERS
        and "PyPy" not in sys.version
        and "IronPython" not in sys.version
    ):
        return (first + ".0" if first.count(".") == 1 else first), "CPython"
    import platform

    return platform.python_version(), platform.python_implementation()


def _looks_for_others(context):
    supported = context.rule_values("python.version").get("supported")
    return not (supported and "%d.%d" % sys.version_info[:2] in supported)


def _commands(context):
    """Who probe_python asks, in order: ([([path], real path)] for each other Python on PATH
    once, [py launcher command] for each version on Windows)."""
    seen = set([_real(sys.executable)]) if sys.executable else set()
    named = []
    for name in NAMES:
        path = context.which(name)
        if not path or _real(path) in seen:
            continue
        seen.add(_real(path))
        named.append(([path], _real(path)))
    launcher = []
    py = find_py_launcher(context) if context.system == "Windows" else None
    if py:
        supported = context.rule_values("python.version").get("supported")
        launcher = [[py, "-" + minor] for minor in supported or LAUNCHER_VERSIONS]
    return named, launcher


STORE_PACKAGE_PREFIX = "PythonSoftwareFoundation.Python."


def _install_facts(section, facts, context):
    """How this Python was installed: the Microsoft Store, the PATH, python.org's certificates."""
    store_folder = context.rule_values("python.install").get("store_folder") or "WindowsApps"
    if context.system == "Windows":
        section["microsoft_store"] = in_folder(section["executable"], store_folder)
        found = context.which("python")
        section["path_python"] = found
        section["path_python_kind"] = path_python_kind(found, store_folder) if found else None
        if not found:
            facts["unknown"]["python.path_python_kind"] = "no python on the PATH"
    if context.system == "Darwin":
        framework = context.rule_values("python.certificates").get("framework")
        cafile = _default_cafile()
        section.update(
            certificate_facts(section["executable"], framework, cafile, os.path.exists(cafile) if cafile else None)
        )


def in_folder(path, folder):
    """True when a folder named `folder` is one of `path`'s parents (either slash)."""
    parts = [part.lower() for part in (path or "").replace("\\", "/").split("/")]
    return folder.lower() in parts[:-1]


def path_python_kind(path, store_folder):
    """installed, microsoft-store (the Store's Python) or store-alias (Windows' stub that opens the Store)."""
    if not in_folder(path, store_folder):
        return "installed"
    # `path` came from the PATH lookup: a path on this machine, listed as it is.
    try:
        names = os.listdir(os.path.dirname(path))
    except (OSError, ValueError):
        names = []
    if any(name.startswith(STORE_PACKAGE_PREFIX) for name in names):
        return "microsoft-store"
    return "store-alias"


def certificate_facts(executable, framework, cafile, cafile_present):
    """The python section's certificate facts for a Python at `executable` on macOS."""
    is_framework = bool(framework) and _real(executable or "").startswith(framework.rstrip("/") + "/")
    return {"framework": is_framework, "cafile": cafile, "cafile_present": cafile_present}


def _default_cafile():
    try:
        import ssl

        paths = ssl.get_default_verify_paths()
    except Exception:  # no ssl module: nothing to tell
        return None
    return paths.openssl_cafile or paths.cafile


def find_py_launcher(context):
    """The Python launcher for Windows: where its installer puts it, then PATH (never the current folder)."""
    candidates = []
    windows = context.windows_folder("WINDIR") or context.windows_folder("SYSTEMROOT")
    if windows:
        candidates.append(windows + "\\py.exe")  # installed for all users
    local = context.windows_folder("LOCALAPPDATA")
    if local:
        candidates.append(local + "\\Programs\\Python\\Launcher\\py.exe")  # for this user only
    for candidate in candidates:
        if context.is_file(candidate):
            return candidate
    return context.which("py")


class _Asker(object):
    """Asks interpreters their version until ASK_BUDGET seconds are spent."""

    def __init__(self, facts, context):
        self.facts, self.context = facts, context
        self.deadline = time.time() + ASK_BUDGET
        self.silent = 0

    def ask(self, command):
        left = self.deadline - time.time()
        if left < 0.5:
            self.facts["unknown"]["python.others"] = (
                "stopped looking after %d s: Pythons on PATH did not answer in time" % ASK_BUDGET
            )
            return None, None
        result = self.context.run(command + ASK_VERSION, timeout=min(ASK_TIMEOUT, left), max_bytes=ASK_MAX_BYTES)
        if result["status"] == "unavailable":
            self.facts["unknown"]["python.others"] = "not all looked at: %s" % result["message"]
        if result["status"] == "timeout":
            self.silent += 1
        lines = result["stdout"].split()
        if result["status"] != "ok" or not lines or not lines[0].replace(".", "").isdigit():
            return None, None
        return lines[0], (lines[1] if len(lines) > 1 else None)


def _real(path):
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return path
