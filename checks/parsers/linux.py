"""Read Linux system files: /proc/meminfo, cgroup memory limits, mounts, os-release."""

import re

from ..units import plausible_bytes, whole_number

# cgroup v1 reports "no limit" as a huge number (PAGE_COUNTER_MAX pages).
_NO_LIMIT_ABOVE = 2**60
_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")


def parse_meminfo_total(text):
    """MemTotal from /proc/meminfo in bytes, or None."""
    if not isinstance(text, str):
        return None
    match = re.search(r"^MemTotal:\s*([0-9]+)\s*kB", text, re.MULTILINE)
    kib = whole_number(match.group(1)) if match else None
    return plausible_bytes(kib * 1024) if kib is not None else None


def parse_cgroup_limit(text):
    """A cgroup memory limit (v2 memory.max or v1 memory.limit_in_bytes) in bytes; None when unlimited."""
    if not isinstance(text, str):
        return None
    number = whole_number(text)
    if number is None:
        return None  # "max" or unreadable
    return number if 0 < number < _NO_LIMIT_ABOVE else None


def parse_mounts(text):
    """/proc/self/mounts -> [{"device", "mount_point", "fs_type"}], escapes undone.

    The kernel writes six fields a line; a line with fewer (cut short) is
    skipped, so a cut type such as "tmp" is never taken for the filesystem.
    """
    mounts = []
    if not isinstance(text, str):
        return mounts
    for line in text.splitlines():
        fields = line.split()
        if len(fields) != 6 or whole_number(fields[4]) is None or whole_number(fields[5]) is None:
            continue
        mounts.append({"device": _unescape(fields[0]), "mount_point": _unescape(fields[1]), "fs_type": fields[2]})
    return mounts


def mount_for(path, mounts):
    """The mount holding `path`: the longest mount point that is a prefix of it (the later one on a tie)."""
    best = None
    for mount in mounts:
        point = mount["mount_point"].rstrip("/")
        if path == point or path.startswith(point + "/"):
            if best is None or len(point) >= len(best["mount_point"].rstrip("/")):
                best = mount
    return best


def parse_os_release(text):
    """/etc/os-release -> {"id", "id_like": [...], "version_id", "pretty_name"} or None."""
    if not isinstance(text, str):
        return None
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if value[:1] in ("\"", "'"):
            if len(value) < 2 or value[-1] != value[0]:
                continue  # a quote that never closes: the line was cut short
            value = value[1:-1]
        values[key.strip()] = value.replace("\\\"", "\"").replace("\\\\", "\\")
    if not any(values.get(key) for key in ("ID", "ID_LIKE", "VERSION_ID", "PRETTY_NAME")):
        return None  # nothing that names a distribution: not an os-release file
    return {
        "id": values.get("ID", "").lower() or None,
        "id_like": values.get("ID_LIKE", "").lower().split(),
        "version_id": values.get("VERSION_ID") or None,
        "pretty_name": values.get("PRETTY_NAME") or None,
    }


def _unescape(field):
    return _OCTAL_ESCAPE.sub(lambda match: chr(int(match.group(1), 8)), field)
