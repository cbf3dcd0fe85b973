import glob
import os
import sys

import pytest

from macros.script_bundle import build_script, write_script

SITE_URL = "https://example.invalid/docs/"


@pytest.fixture(scope="session")
def script_text(rules):
    return build_script(rules, SITE_URL)


@pytest.fixture(scope="session")
def script_path(tmp_path_factory, script_text):
    """check.py (and check.py.sha256) written as the site build writes them."""
    return write_script(tmp_path_factory.mktemp("script"), script_text)


def interpreters():
    """{"3.11": path} for every CPython on this machine: pyenv versions, then PATH."""
    found = {}
    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/*/bin/python")))
    candidates += ["/usr/bin/python3", sys.executable]
    for path in candidates:
        if not os.access(path, os.X_OK):
            continue
        version = os.path.basename(os.path.dirname(os.path.dirname(path)))
        if "/.pyenv/versions/" not in path:
            import subprocess

            out = subprocess.run(
                [path, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                capture_output=True,
                text=True,
                timeout=20,
            ).stdout.strip()
            version = out
        minor = ".".join(version.split(".")[:2])
        found.setdefault(minor, path)
    return found
