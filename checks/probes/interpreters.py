"""The python section: the running interpreter and other Pythons on PATH.

Other interpreters are only looked for, and asked their version (a process
each), when the running one is not a supported version or no rules say which are.
"""
import os
import platform
import sys
import time

NAMES = ("python3.10", "python3.11", "python3.12", "python3.13", "python3.9", "python3", "python")
ASK_VERSION = ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3]); print(sys.executable)"]
ASK_TIMEOUT = 5
# All the asking together: interpreters that hang must not hold the check up
# for a timeout each (seven names on PATH would be 35 s).
ASK_BUDGET = 8


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
    asker = _Asker(facts, context)
    for name in NAMES:
        path = context.which(name)
        if not path or _real(path) in seen:
            continue
        seen.add(_real(path))
        version, _ = asker.ask([path])
        if version:
            section["others"].append({"version": version, "path": path})
    if context.system == "Windows" and context.which("py"):
        for minor in supported or ("3.10", "3.11"):
            version, executable = asker.ask([context.which("py"), "-" + minor])
            if version and executable and _real(executable) not in seen:
                seen.add(_real(executable))
                section["others"].append({"version": version, "path": executable})


class _Asker(object):
    """Asks interpreters their version until ASK_BUDGET seconds are spent."""

    def __init__(self, facts, context):
        self.facts, self.context = facts, context
        self.deadline = time.time() + ASK_BUDGET

    def ask(self, command):
        left = self.deadline - time.time()
        if left < 0.5:
            self.facts["unknown"]["python.others"] = (
                "stopped looking after %d s: Pythons on PATH did not answer in time" % ASK_BUDGET)
            return None, None
        result = self.context.run(command + ASK_VERSION, timeout=min(ASK_TIMEOUT, left))
        if result["status"] == "unavailable":
            self.facts["unknown"]["python.others"] = "not all looked at: %s" % result["message"]
        lines = result["stdout"].split()
        if result["status"] != "ok" or not lines or not lines[0].replace(".", "").isdigit():
            return None, None
        return lines[0], (lines[1] if len(lines) > 1 else None)


def _real(path):
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return path
