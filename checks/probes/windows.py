"""The windows section: long paths in the registry and the Visual C++ runtime in System32.

The registry is read through the context (winreg on a real Windows machine, a
given reader in tests); nothing is written.
"""

from .context import mark_unknown

DEFAULT_SYSTEMROOT = "C:\\Windows"


def probe_windows(facts, context):
    if context.system != "Windows":
        return
    section = facts["windows"]
    _long_paths(section, facts, context)
    _vc_runtime(section, facts, context)


def _long_paths(section, facts, context):
    values = context.rule_values("windows.long_paths")
    key = values.get("registry_key")
    name = values.get("registry_value")
    if not key or not name:
        mark_unknown(facts, "windows.long_paths", "the rules name no registry value to read")
        return
    found, why = context.read_registry(key, name)
    if why == "missing":
        # Windows' default when the value was never set: off.
        section["long_paths"] = False
    elif why:
        mark_unknown(facts, "windows.long_paths", why)
    else:
        section["long_paths"] = _as_int(found) == 1


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def system32(context):
    """The System32 folder of the probed machine (%SystemRoot%\\System32)."""
    root = context.env.get("SYSTEMROOT") or context.env.get("SystemRoot") or DEFAULT_SYSTEMROOT
    separator = "/" if "/" in root and "\\" not in root else "\\"
    return root.rstrip("\\/") + separator + "System32" + separator


def _vc_runtime(section, facts, context):
    dlls = context.rule_values("windows.vc_runtime").get("dlls") or []
    folder = system32(context)
    section["vc_runtime"] = dict((dll, context.exists(folder + dll)) for dll in dlls)
