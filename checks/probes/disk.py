"""The disk section: free space where Invoke would be installed, and whether it spins."""

import os

from .context import mark_unknown
from .storage import is_rotational, mount_of, nearest_existing, usage


def probe_disk(facts, context, install_dir=None):
    section = facts["disk"]
    install_dir = install_dir or _default_install_dir(context)
    if not install_dir:
        mark_unknown(facts, "disk.free_bytes", "no install folder given and no default in the rules")
        return
    install_dir = expand_home(install_dir, context.env, context.system)
    section["install_dir"] = install_dir
    measured = nearest_existing(context, install_dir)
    section["measured_path"] = measured
    if measured is None:
        mark_unknown(facts, "disk.free_bytes", "no part of %s exists" % install_dir)
        return
    section["free_bytes"], section["total_bytes"] = usage(context, measured)
    if section["free_bytes"] is None:
        mark_unknown(facts, "disk.free_bytes", "cannot measure the disk holding %s" % measured)
    why = "cannot tell which disk holds %s" % measured
    if context.system == "Linux":
        mount = mount_of(context, measured)
        section["rotational"] = is_rotational(context, mount["device"] if mount else None)
    elif context.system == "Windows" and context.is_real_root:
        from .win32 import seek_penalty  # Windows only: other systems never compile it

        section["rotational"], why = seek_penalty(measured)
    if section["rotational"] is None:
        mark_unknown(facts, "disk.rotational", why)


def _default_install_dir(context):
    app = (context.rules or {}).get("app", {})
    from_env = context.env.get(app.get("root_env_var") or "", "")
    return from_env or app.get("default_root")


def expand_home(path, env, system=None):
    """expanduser with the probed environment's home folder.

    On Windows that is USERPROFILE (else HOMEDRIVE + HOMEPATH), and the rest
    of the path is joined the Windows way: ~/invokeai is C:\\Users\\x\\invokeai.
    """
    if not path.startswith("~"):
        return path
    if system == "Windows":
        home = env.get("USERPROFILE") or ((env.get("HOMEDRIVE") or "") + (env.get("HOMEPATH") or ""))
        if not home:
            return path
        import ntpath  # Windows paths: imported where they are probed

        rest = path[1:].replace("/", "\\").lstrip("\\")
        return ntpath.join(home, rest) if rest else home
    home = env.get("HOME") or env.get("USERPROFILE")
    if not home:
        return os.path.expanduser(path)
    return home.rstrip("/\\") + path[1:]
