"""The python section: the running interpreter and other Pythons on PATH.

Other interpreters are only looked for, and asked their version (a process
each), when the running one is not a supported version or no rules say which are.
"""
import os
import platform
import sys

NAMES = ("python3.10", "python3.11", "python3.12", "python3.13", "python3.9", "python3", "python")
ASK_VERSION = ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3]); print(sys.executable)"]


def probe_python(facts, context):
    section = facts["python"]
    section["version"] = platform.python_version()
    section["executable"] = sys.executable or None
    section["implementation"] = platform.python_implementation()
    supported = context.rule_values("python.version").get("supported")
    running = "%d.%d" % sys.version_info[:2]
    if supported and running in supported:
        facts["unknown"]["python.others"] = "not looked for: the running Python is a supported version"
        return
    seen = set([_real(sys.executable)]) if sys.executable else set()
    for name in NAMES:
        path = context.which(name)
        if not path or _real(path) in seen:
            continue
        seen.add(_real(path))
        version, _ = _ask(context, [path])
        if version:
            section["others"].append({"version": version, "path": path})
    if context.system == "Windows" and context.which("py"):
        for minor in supported or ("3.10", "3.11"):
            version, executable = _ask(context, [context.which("py"), "-" + minor])
            if version and executable and _real(executable) not in seen:
                seen.add(_real(executable))
                section["others"].append({"version": version, "path": executable})


def _ask(context, command):
    result = context.run(command + ASK_VERSION, timeout=5)
    lines = result["stdout"].split()
    if result["status"] != "ok" or not lines or not lines[0].replace(".", "").isdigit():
        return None, None
    return lines[0], (lines[1] if len(lines) > 1 else None)


def _real(path):
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return path
