"""What every probe reads the machine through: a filesystem root, an environment, tools.

Tests give a fake root (a folder holding proc/, sys/, etc/), an environment
whose PATH holds fake tools and the platform to probe as (`Platform`), so the
Linux, macOS and Windows branches all run on any machine; on a real machine the
root is "/", the environment is os.environ and the platform is this one's.

Tools run side by side: before the probes run, each says which tool calls it
will make (`start`); those begin at once, each in a thread of its own, and the
probe's later `run` with the same arguments takes that call's result. The
probes themselves still run one after another, in the same order, on the same
results, so the facts are the ones a run of one call after another gives.
"""

import os

from ..rules_source import rule_values

MAX_FILE_BYTES = 1000000
MAX_TOOL_BYTES = 1000000


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
        if not hasattr(os, "uname"):  # Windows: only the platform module names it
            import platform

            return cls(
                system=platform.system() or None,
                release=platform.release() or None,
                version=platform.version() or None,
                machine=platform.machine() or None,
                mac_version=platform.mac_ver()[0] or None,
            )
        # On POSIX platform.uname() is os.uname() (with "unknown" read as ""):
        # read it here, and spare the script platform's import, a few ms of its
        # start-up. Only macOS needs platform, for its version.
        names = os.uname()
        mac_version = None
        if names.sysname == "Darwin":
            import platform

            mac_version = platform.mac_ver()[0] or None
        return cls(
            system=_named(names.sysname),
            release=_named(names.release),
            version=_named(names.version),
            machine=_named(names.machine),
            mac_version=mac_version,
        )


class ProbeContext(object):
    def __init__(self, root="/", env=None, rules=None, platform_info=None, registry=None):
        self.root = root or "/"
        # A Windows registry reader: registry(key, name) -> the value, raising
        # KeyError when the key or value is missing. Tests give one; on Windows
        # the default reads with winreg.
        self.registry = registry
        self.env = dict(os.environ) if env is None else dict(env)
        self.real_env = env is None
        self.rules = rules
        self.platform = platform_info or Platform.this_machine()
        self.system = self.platform.system
        self._started = {}  # tuple(args): StartedCall, for calls begun by start()

    @property
    def is_real_root(self):
        # normpath: Python 3.8's abspath("/") on Windows is "C:/", abspath("\\") "C:\\".
        return self.root in ("/", os.sep) or (
            os.path.normcase(os.path.normpath(os.path.abspath(self.root)))
            == os.path.normcase(os.path.normpath(os.path.abspath(os.sep)))
        )

    def path(self, path):
        """`path` of the probed machine as a path on this one.

        Under a fake root, a Windows path C:\\x\\y is the folder C/x/y of the root.
        """
        if self.is_real_root:
            return path
        if len(path) >= 3 and path[0].isalpha() and path[1] == ":" and path[2] in "\\/":
            parts = [part for part in path[3:].replace("\\", "/").split("/") if part]
            return os.path.join(self.root, path[0].upper(), *parts)
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

    def is_file(self, path):
        return os.path.isfile(self.path(path))

    def which(self, name):
        """The tool `name` from PATH, looked up so that it cannot be planted (see find_tool)."""
        if self.system == "Windows":
            return find_tool(name, self.env.get("PATH", ""), self.system, is_executable=self.is_file)
        return find_tool(name, self.env.get("PATH", ""), self.system)

    def run(self, args, timeout=8, max_bytes=MAX_TOOL_BYTES):
        """Run a tool (see run_tool); a call begun by start() with these arguments gives its result."""
        started = self._started.pop(_key(args), None)
        if started is not None:
            result = started.result()
            if result is not None:
                return result
        return self._run_now(args, timeout, max_bytes)

    def start(self, args, timeout=8, max_bytes=MAX_TOOL_BYTES):
        """Begin a tool call in the background, so that it runs beside the others.

        The timeout and output cap are the call's own, as in run(). A second
        start() of the same arguments is the same call.
        """
        key = _key(args)
        if key not in self._started:
            from .started_call import StartedCall  # here: a run that starts no tool call never compiles it

            run = self._runner()  # imported here, in this thread, not in the call's own
            self._started[key] = StartedCall(lambda: run(args, timeout, max_bytes), args, timeout)

    def finish(self):
        """Wait for the started calls no probe asked for: no tool is left running behind the facts."""
        while self._started:
            self._started.popitem()[1].result()

    def _run_now(self, args, timeout, max_bytes):
        return self._runner()(args, timeout, max_bytes)

    def _runner(self):
        from ..run import run_tool  # here: a machine where no tool runs never compiles it

        extra = None if self.real_env else {"PATH": self.env.get("PATH", "")}
        return lambda args, timeout, max_bytes: run_tool(args, timeout=timeout, max_bytes=max_bytes, env_extra=extra)

    def windows_folder(self, variable, default=None):
        """An absolute folder from a Windows environment variable (SYSTEMROOT...), else `default`."""
        value = (self.env.get(variable) or "").strip().strip('"').rstrip("\\/")
        if _absolute(value + "\\", True):
            return value
        return default

    def rule_values(self, rule_id):
        return rule_values(self.rules, rule_id)

    def read_registry(self, key, name):
        """(value, None), or (None, "missing") when the key or value is absent, or (None, why) when it can't be read.

        `key` is a full path such as HKEY_LOCAL_MACHINE\\SYSTEM\\...; only read, never written.
        """
        reader = self.registry
        if reader is None:
            if self.system != "Windows" or os.name != "nt":  # winreg is on Windows only
                return None, "the registry of another machine cannot be read"
            from .win32 import read_registry as reader  # Windows only: other systems never compile it
        try:
            return reader(key, name), None
        except KeyError:
            return None, "missing"
        except Exception as exc:  # permissions, a broken hive: can't tell
            return None, "the registry could not be read: %s: %s" % (type(exc).__name__, exc)


def _named(value):
    """A name from os.uname() as platform gives it: None where empty or "unknown"."""
    return None if value in ("", "unknown") else value


def _key(args):
    return tuple(str(arg) for arg in args)


# On Windows only real executables: never .bat/.cmd (run through cmd.exe) or scripts.
WINDOWS_EXTENSIONS = (".exe", ".com")


def find_tool(name, path_value, system, is_executable=None):
    """The first `name` in the absolute entries of `path_value`, or None.

    Unlike shutil.which, which on Windows looks in the current folder first (a
    nvidia-smi.exe or py.bat saved in Downloads would run), this never looks
    in the current folder, and ignores relative and empty PATH entries on
    every OS. On Windows it takes only `name`.exe or `name`.com.
    """
    windows = system == "Windows"
    is_executable = is_executable or (_is_windows_executable if windows else _is_posix_executable)
    if windows:
        import ntpath  # Windows paths: imported where they are probed

        if "/" in name or "\\" in name or ":" in name:
            return None
        extension = ntpath.splitext(name)[1]
        names = [name] if extension.lower() in WINDOWS_EXTENSIONS else [name + ext for ext in WINDOWS_EXTENSIONS]
    else:
        if "/" in name:
            return None
        names = [name]
    for entry in (path_value or "").split(";" if windows else ":"):
        entry = entry.strip().strip('"') if windows else entry
        if not _absolute(entry, windows):
            continue
        for candidate in names:
            path = (entry.rstrip("\\/") + "\\" + candidate) if windows else os.path.join(entry, candidate)
            if is_executable(path):
                return path
    return None


def _absolute(entry, windows):
    if not entry:
        return False
    if windows:
        # C:\... or \\server\share; "\\x" alone is relative to the current drive.
        return (len(entry) >= 3 and entry[0].isalpha() and entry[1] == ":" and entry[2] in "\\/") or entry.startswith(
            "\\\\"
        )
    return entry.startswith("/")


def _is_posix_executable(path):
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _is_windows_executable(path):
    return os.path.isfile(path)


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
