"""The browser check's runtime in the built site: only what the check needs, named for caching, hashed.

The trimmed standard library is proved complete twice: every Chromium test of
the check page runs on it, and here the whole Node corpus (every recorded
machine, every real nvidia-smi output, browser descriptions) runs under
Pyodide with that zip instead of Pyodide's own.
"""

import base64
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from macros.browser_assets import PYODIDE_PACKAGE, RUNTIME_FILES, pyodide_version
from tools.bench_browser import CHECK_PAGE

ROOT = Path(__file__).resolve().parent.parent.parent
NODE_TESTS = ROOT / "tests" / "node"


def runtime_settings(built_site):
    page = (built_site / CHECK_PAGE / "index.html").read_text(encoding="utf-8")
    return json.loads(html.unescape(re.search(r'data-runtime="([^"]+)"', page).group(1)))


def test_every_runtime_file_is_named_for_caching_and_matches_its_recorded_sha256(built_site):
    runtime = runtime_settings(built_site)
    assert set(runtime["files"]) == {"loader", "module", "wasm", "stdlib", "script"}
    version = pyodide_version()
    for kind, entry in runtime["files"].items():
        data = (built_site / entry["url"]).read_bytes()
        assert entry["bytes"] == len(data), kind
        assert entry["sha256"] == base64.b64encode(hashlib.sha256(data).digest()).decode("ascii"), kind
        if kind != "script":  # check.py keeps the name the docs give; the rest change name with their content
            assert "/%s/" % version in entry["url"], entry["url"]
    assert re.search(r"/python_stdlib-[0-9a-f]{16}\.zip$", runtime["files"]["stdlib"]["url"])
    assert runtime["lockFile"]["packages"] == {}, "a package list would let loadPackage fetch from a CDN"
    served = sorted(path.name for path in (built_site / "assets" / "vendor" / "pyodide").rglob("*") if path.is_file())
    assert served == sorted([name for _, name in RUNTIME_FILES] + [Path(runtime["files"]["stdlib"]["url"]).name])


def test_the_standard_library_holds_only_what_the_check_imports(built_site):
    runtime = runtime_settings(built_site)
    trimmed = zipfile.ZipFile(str(built_site / runtime["files"]["stdlib"]["url"]))
    full = zipfile.ZipFile(str(PYODIDE_PACKAGE / "python_stdlib.zip"))
    names = set(trimmed.namelist())
    assert names < set(full.namelist())
    for needed in (
        "json/decoder.py",
        "re/_parser.py",
        "html/__init__.py",
        "encodings/utf_8.py",
        "pyodide/ffi/__init__.py",
    ):
        assert needed in names, needed
    for unneeded in ("unittest/", "email/", "xml/", "http/", "tkinter/", "sqlite3/", "pydoc.py", "doctest.py"):
        assert not [name for name in names if name.startswith(unneeded)], unneeded
    assert not any(
        re.match(r'\s*("""|#)', trimmed.read(name).decode("utf-8")) for name in ("json/__init__.py", "re/__init__.py")
    )
    size = Path(built_site / runtime["files"]["stdlib"]["url"]).stat().st_size
    assert size < (PYODIDE_PACKAGE / "python_stdlib.zip").stat().st_size / 4


def test_the_trimmed_standard_library_runs_every_case_of_the_node_corpus(built_site, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    sys.path.insert(0, str(NODE_TESTS))
    from prepare_inputs import prepare

    prepare(tmp_path)
    stdlib = built_site / runtime_settings(built_site)["files"]["stdlib"]["url"]
    result = subprocess.run(
        [node, "--test", str(NODE_TESTS)],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=300,
        env={"INPUTS": str(tmp_path), "STDLIB": str(stdlib), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# pass 1" in result.stdout and "# fail 0" in result.stdout
