"""On macOS, the running Python's certificates: a python.org framework build and its CA file.

Imported on macOS only: other systems never compile it.
"""

import os

from .interpreters import real_path


def install_facts(section, context):
    """The python section's certificate facts."""
    framework = context.rule_values("python.certificates").get("framework")
    cafile = _default_cafile()
    section.update(
        certificate_facts(section["executable"], framework, cafile, os.path.exists(cafile) if cafile else None)
    )


def certificate_facts(executable, framework, cafile, cafile_present):
    """The python section's certificate facts for a Python at `executable` on macOS."""
    is_framework = bool(framework) and real_path(executable or "").startswith(framework.rstrip("/") + "/")
    return {"framework": is_framework, "cafile": cafile, "cafile_present": cafile_present}


def _default_cafile():
    try:
        import ssl

        paths = ssl.get_default_verify_paths()
    except Exception:  # no ssl module: nothing to tell
        return None
    return paths.openssl_cafile or paths.cafile
