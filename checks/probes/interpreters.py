"""The python section: the running interpreter and other Pythons on PATH.

Other interpreters are only looked for, and asked their version (a process
each), when the running one is not a supported version or no rules say which
are: that is checks/probes/python_others.py, imported only then. How Python
was installed is read on Windows and macOS only (python_windows.py, python_macos.py).
"""

import os
import struct
import sys

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
    from .python_others import start_asking

    start_asking(context)


def probe_python(facts, context):
    section = facts["python"]
    section["version"], section["implementation"] = python_version_and_implementation()
    section["executable"] = sys.executable or None
    section["bits"] = struct.calcsize("P") * 8
    _install_facts(section, facts, context)
    if not _looks_for_others(context):
        facts["unknown"]["python.others"] = "not looked for: the running Python is a supported version"
        return
    from .python_others import ask_others  # here: a supported Python never compiles it

    ask_others(section, facts, context)


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


def _install_facts(section, facts, context):
    """How this Python was installed: the Microsoft Store, the PATH, python.org's certificates."""
    if context.system == "Windows":
        from .python_windows import install_facts  # each OS's own: other systems never compile it

        install_facts(section, facts, context)
    if context.system == "Darwin":
        from .python_macos import install_facts

        install_facts(section, context)


def real_path(path):
    """os.path.realpath(path), or `path` itself where that fails."""
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return path
