"""The temp section: the temporary folder the installer unpacks into, and whether it is a tmpfs.

The folder is chosen as tempfile.gettempdir() would, but without creating a
file to test it: a check writes nothing.
"""

import os

from .context import mark_unknown
from .storage import mount_of, usage

RAM_FILESYSTEMS = ("tmpfs", "ramfs")


def probe_temp(facts, context):
    section = facts["temp"]
    path = temp_dir(context)
    section["path"] = path
    if path is None:
        mark_unknown(facts, "temp.path", "no usable temporary folder")
        return
    section["free_bytes"], section["total_bytes"] = usage(context, path)
    if section["free_bytes"] is None:
        mark_unknown(facts, "temp.free_bytes", "cannot measure %s" % path)
    if context.system == "Linux":
        mount = mount_of(context, path)
        if mount is None:
            mark_unknown(facts, "temp.is_tmpfs", "no mount holds %s in /proc/self/mounts" % path)
            return
        section["mount_point"] = mount["mount_point"]
        section["fs_type"] = mount["fs_type"]
        section["is_tmpfs"] = mount["fs_type"] in RAM_FILESYSTEMS
    elif context.system in ("Darwin", "Windows"):
        section["is_tmpfs"] = False  # no tmpfs there
    else:
        mark_unknown(facts, "temp.is_tmpfs", "filesystem types are only read on Linux")


def temp_dir(context):
    candidates = [context.env.get(name) for name in ("TMPDIR", "TEMP", "TMP")]
    if context.system == "Windows":
        candidates += [os.path.expandvars(r"%SYSTEMROOT%\Temp"), r"c:\temp", r"c:\tmp", r"\temp", r"\tmp"]
    else:
        candidates += ["/tmp", "/var/tmp", "/usr/tmp"]
    for candidate in candidates:
        if candidate and os.path.isdir(context.path(candidate)) and os.access(context.path(candidate), os.W_OK):
            return candidate
    return None
