"""Other Pythons on PATH (and the py launcher's, on Windows), asked their version.

Imported by checks/probes/interpreters.py only when the running Python is not
a supported version (or no rules say which are).
"""

import sys
import time

from .interpreters import ASK_BUDGET, ASK_MAX_BYTES, ASK_TIMEOUT, ASK_VERSION, LAUNCHER_VERSIONS, NAMES, real_path


def start_asking(context):
    """Begin asking every interpreter ask_others will ask, all at once."""
    named, launcher = _commands(context)
    for command in [path for path, _ in named] + launcher:
        context.start(command + ASK_VERSION, timeout=ASK_TIMEOUT, max_bytes=ASK_MAX_BYTES)


def ask_others(section, facts, context):
    """section["others"]: the version and path of every other Python found."""
    named, launcher = _commands(context)
    seen = set([real_path(sys.executable)]) if sys.executable else set()
    seen.update(real for _, real in named)
    asker = _Asker(facts, context)
    for command, _ in named:
        version, _ = asker.ask(command)
        if version:
            section["others"].append({"version": version, "path": command[0]})
    for command in launcher:
        version, executable = asker.ask(command)
        if version and executable and real_path(executable) not in seen:
            seen.add(real_path(executable))
            section["others"].append({"version": version, "path": executable})
    if asker.silent and "python.others" not in facts["unknown"]:
        facts["unknown"]["python.others"] = "%d of the Pythons on PATH did not answer within %d s" % (
            asker.silent,
            ASK_TIMEOUT,
        )


def _commands(context):
    """Who probe_python asks, in order: ([([path], real path)] for each other Python on PATH
    once, [py launcher command] for each version on Windows)."""
    seen = set([real_path(sys.executable)]) if sys.executable else set()
    named = []
    for name in NAMES:
        path = context.which(name)
        if not path or real_path(path) in seen:
            continue
        seen.add(real_path(path))
        named.append(([path], real_path(path)))
    launcher = []
    py = None
    if context.system == "Windows":
        from .python_windows import find_py_launcher

        py = find_py_launcher(context)
    if py:
        supported = context.rule_values("python.version").get("supported")
        launcher = [[py, "-" + minor] for minor in supported or LAUNCHER_VERSIONS]
    return named, launcher


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
