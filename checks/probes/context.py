"""What every probe reads the machine through: a filesystem root, an environment, tools.

Tests give a fake root (a folder holding proc/, sys/, etc/), an environment
whose PATH holds fake tools and the platform to probe as (`Platform`), so the
Linux, macOS and Windows branches all run on any machine; on a real machine the
root is "/", the environment is os.environ and the platform is this one's.
"""
import os
import platform
import shutil

from ..rules_source import rule_values
from ..run import run_tool

MAX_FILE_BYTES = 1000000


class Platform(object):
    """What the probes branch on: the OS as Python's platform module names it."""

    def __init__(self, system=None, release=None, version=None, machine=None, mac_version=None):
        self.system = system
        self.release = release
        self.version = version
        self.machine = machine
        self.mac_version = mac_version

    @classmethod
    def this_machine(cls):
        return cls(system=platform.system() or None, release=platform.release() or None,
                   version=platform.version() or None, machine=platform.machine() or None,
                   mac_version=platform.mac_ver()[0] or None)


class ProbeContext(object):
    def __init__(self, root="/", env=None, rules=None, platform_info=None):
        self.root = root or "/"
        self.env = dict(os.environ) if env is None else dict(env)
        self.real_env = env is None
        self.rules = rules
        self.platform = platform_info or Platform.this_machine()
        self.system = self.platform.system

    @property
    def is_real_root(self):
        return os.path.abspath(self.root) == os.path.abspath(os.sep)

    def path(self, path):
        """`path` of the probed machine as a path on this one."""
        if self.is_real_root:
            return path
        return os.path.join(self.root, path.lstrip("/\\"))

    def read(self, path, limit=MAX_FILE_BYTES):
        """The text of a file of the probed machine, or None where it cannot be read."""
        try:
            with open(self.path(path), "rb") as handle:
                data = handle.read(limit)
        except (OSError, ValueError):
            return None
        return data.decode("utf-8", "replace")

    def listdir(self, path):
        try:
            return sorted(os.listdir(self.path(path)))
        except (OSError, ValueError):
            return []

    def exists(self, path):
        return os.path.exists(self.path(path))

    def which(self, name):
        return shutil.which(name, path=self.env.get("PATH", ""))

    def run(self, args, timeout=8):
        extra = None if self.real_env else {"PATH": self.env.get("PATH", "")}
        return run_tool(args, timeout=timeout, env_extra=extra)

    def rule_values(self, rule_id):
        return rule_values(self.rules, rule_id)


def mark_unknown(facts, dotted_path, why):
    facts["unknown"][dotted_path] = why


MAX_MESSAGE_LINES = 6
MAX_MESSAGE_CHARS = 1500


def short_message(text):
    """A tool's own words for the report: its first lines, never a flood of output."""
    if not text:
        return text
    lines = text.splitlines()
    short = "\n".join(lines[:MAX_MESSAGE_LINES])[:MAX_MESSAGE_CHARS]
    if len(short) < len(text.rstrip("\n")):
        short += "\n[... %d more characters of output cut]" % (len(text) - len(short))
    return short
