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
    install_dir = expand_home(install_dir, context.env)
    section["install_dir"] = install_dir
    measured = nearest_existing(context, install_dir)
    section["measured_path"] = measured
    if measured is None:
        mark_unknown(facts, "disk.free_bytes", "no part of %s exists" % install_dir)
        return
    section["free_bytes"], section["total_bytes"] = usage(context, measured)
    if section["free_bytes"] is None:
        mark_unknown(facts, "disk.free_bytes", "cannot measure the disk holding %s" % measured)
    if context.system == "Linux":
        mount = mount_of(context, measured)
        section["rotational"] = is_rotational(context, mount["device"] if mount else None)
    if section["rotational"] is None:
        mark_unknown(facts, "disk.rotational", "cannot tell which disk holds %s" % measured)


def _default_install_dir(context):
    app = (context.rules or {}).get("app", {})
    from_env = context.env.get(app.get("root_env_var") or "", "")
    return from_env or app.get("default_root")


def expand_home(path, env):
    """expanduser with the probed environment's HOME (or USERPROFILE)."""
    if not path.startswith("~"):
        return path
    home = env.get("HOME") or env.get("USERPROFILE")
    if not home:
        return os.path.expanduser(path)
    return home.rstrip("/\\") + path[1:]
