"""On Windows, how the running Python was installed: the Microsoft Store, the python on PATH; the py launcher.

Imported on Windows only: other systems never compile it.
"""

import os


def install_facts(section, facts, context):
    """The python section's Microsoft Store and PATH facts."""
    store_folder = context.rule_values("python.install").get("store_folder") or "WindowsApps"
    section["microsoft_store"] = in_folder(section["executable"], store_folder)
    found = context.which("python")
    section["path_python"] = found
    section["path_python_kind"] = path_python_kind(found, store_folder) if found else None
    if not found:
        facts["unknown"]["python.path_python_kind"] = "no python on the PATH"


STORE_PACKAGE_PREFIX = "PythonSoftwareFoundation.Python."


def in_folder(path, folder):
    """True when a folder named `folder` is one of `path`'s parents (either slash)."""
    parts = [part.lower() for part in (path or "").replace("\\", "/").split("/")]
    return folder.lower() in parts[:-1]


def path_python_kind(path, store_folder):
    """installed, microsoft-store (the Store's Python) or store-alias (Windows' stub that opens the Store)."""
    if not in_folder(path, store_folder):
        return "installed"
    # `path` came from the PATH lookup: a path on this machine, listed as it is.
    try:
        names = os.listdir(os.path.dirname(path))
    except (OSError, ValueError):
        names = []
    if any(name.startswith(STORE_PACKAGE_PREFIX) for name in names):
        return "microsoft-store"
    return "store-alias"


def find_py_launcher(context):
    """The Python launcher for Windows: where its installer puts it, then PATH (never the current folder)."""
    candidates = []
    windows = context.windows_folder("WINDIR") or context.windows_folder("SYSTEMROOT")
    if windows:
        candidates.append(windows + "\\py.exe")  # installed for all users
    local = context.windows_folder("LOCALAPPDATA")
    if local:
        candidates.append(local + "\\Programs\\Python\\Launcher\\py.exe")  # for this user only
    for candidate in candidates:
        if context.is_file(candidate):
            return candidate
    return context.which("py")
