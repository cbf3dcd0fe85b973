"""The ram section: total memory, and a container's cgroup limit where lower."""

from ..parsers.linux import parse_cgroup_limit, parse_meminfo_total
from .context import mark_unknown


def probe_memory(facts, context):
    section = facts["ram"]
    total, source = None, None
    if context.system == "Linux":
        # MemTotal is what psutil reports too; reading it spares psutil's import time.
        total = parse_meminfo_total(context.read("/proc/meminfo"))
        source = "/proc/meminfo" if total else None
    if total is None and context.is_real_root:
        total, source = _psutil_total()
    if context.system == "Linux":
        limit = _cgroup_limit(context)
        section["cgroup_limit_bytes"] = limit
        if limit is not None and (total is None or limit < total):
            total, source = limit, "cgroup memory limit"
    elif context.system == "Darwin" and total is None:
        from ..parsers.macos import parse_sysctl_int  # here: other systems never compile it

        total = parse_sysctl_int(context.run(["sysctl", "-n", "hw.memsize"], timeout=5)["stdout"])
        source = "sysctl hw.memsize" if total else None
    elif context.system == "Windows" and total is None:
        from .win32 import total_memory  # Windows only: other systems never compile it

        total = total_memory()
        source = "GlobalMemoryStatusEx" if total else None
    section["total_bytes"] = total
    section["source"] = source
    if total is None:
        mark_unknown(facts, "ram.total_bytes", "the OS did not report total memory and psutil is absent")


def _psutil_total():
    try:
        import psutil

        return int(psutil.virtual_memory().total), "psutil"
    except Exception:  # absent, or broken on this platform
        return None, None


def _cgroup_limit(context):
    paths = []
    for line in (context.read("/proc/self/cgroup") or "").splitlines():
        if line.startswith("0::"):
            group = line[3:].strip().rstrip("/")
            if group:
                paths.append("/sys/fs/cgroup%s/memory.max" % group)
    paths += ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]
    for path in paths:
        text = context.read(path)
        if text is not None:
            return parse_cgroup_limit(text)
    return None
