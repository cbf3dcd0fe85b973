"""The browser check's files in the built site: Pyodide, self-hosted and trimmed, and the check page's policy.

The check runs the site's own check.py under Pyodide, so the rules and the
code are the ones the script carries. Pyodide comes from the pinned npm
package (node_modules/pyodide). Of it the site serves only what the check
uses, under a folder named by Pyodide's version (so a host may cache it for
good):

- the loader, the Emscripten module and the wasm interpreter, copied;
- a standard library zip of only the modules the check imports under Pyodide,
  built here (see `trimmed_stdlib`), named by its own sha256;
- no lock file: the page hands loadPyodide an empty package list, so
  `loadPackage` can never fetch anything (for a package it lacks it would fall
  back to a CDN).

Setting `extra.pyodide_index_url` in mkdocs.yml loads the loader, module and
wasm from that address instead (it must serve the same Pyodide version as the
npm package); the trimmed standard library still comes from the site.

On every page that has the widget (`<div id="browser-check">`), a
Content-Security-Policy meta tag keeps the page to its own origin (plus that
address, when set) and allows only the site's own inline scripts, by hash; the
widget gets the runtime's addresses with the sha256 of each file and of
check.py (the worker checks them before using a byte), and the script's
command for its can't-run message.
"""

import base64
import hashlib
import html
import io
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

from checks.site_links import script_command

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYODIDE_PACKAGE = PROJECT_ROOT / "node_modules" / "pyodide"
STDLIB_COLLECTOR = Path(__file__).resolve().parent / "pyodide_stdlib.mjs"
PYODIDE_SITE_DIR = "assets/vendor/pyodide"
SCRIPT_NAME = "check.py"
# What the worker loads besides the standard library: the loader, the Emscripten module, the wasm.
RUNTIME_FILES = (("loader", "pyodide.mjs"), ("module", "pyodide.asm.mjs"), ("wasm", "pyodide.asm.wasm"))
STDLIB_SOURCE = "python_stdlib.zip"
# What the collector runs besides importing the checks: the button and each kind of paste.
COLLECTOR_CALLS = [
    [
        "check",
        json.dumps(
            {
                "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
                "uaData": {"platform": "Windows", "architecture": "x86", "bitness": "64"},
                "webgl": {
                    "renderer": "ANGLE (NVIDIA, NVIDIA GeForce GTX 1660 Ti Direct3D11 vs_5_0 ps_5_0, D3D11)",
                    "vendor": "Google Inc. (NVIDIA)",
                },
            }
        ),
    ],
    ["paste", "name, memory.total [MiB], driver_version\nNVIDIA GeForce RTX 4090, 24564 MiB, 550.90.07\n"],
    ["paste", "{\"schema\": \"none\"}"],
    ["paste", "not a report"],
]
COLLECTOR_TIMEOUT_S = 300

WIDGET = re.compile(r'<div id="browser-check"')
META_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)
INLINE_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
SCRIPT_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)


def add_browser_check(config, site_dir, package_dir=PYODIDE_PACKAGE, releases=()):
    """Put the runtime in the site and prepare the pages that have the widget.

    `releases` ([{version, name, default}]) fill the widget's release chooser.
    """
    site_dir = Path(site_dir)
    package_dir = Path(package_dir)
    index_url = (config.get("extra") or {}).get("pyodide_index_url") or ""
    if index_url and not index_url.endswith("/"):
        index_url += "/"
    script = site_dir / SCRIPT_NAME
    runtime = write_runtime(site_dir, package_dir, script.read_text(encoding="utf-8"), index_url)
    runtime["files"]["script"] = _entry(SCRIPT_NAME, script.read_bytes())
    runtime["releases"] = list(releases)
    command = script_command(config.get("site_url") or "/")
    pages = sorted(site_dir.rglob("*.html"))
    texts = dict((page, page.read_text(encoding="utf-8")) for page in pages)
    hashes = sorted(set(hash_ for text in texts.values() for hash_ in inline_script_hashes(text)))
    for page, text in texts.items():
        if WIDGET.search(text):
            page.write_text(prepare_page(text, index_url, command, runtime, hashes), encoding="utf-8")


def write_runtime(site_dir, package_dir, script_text, index_url=""):
    """Copy Pyodide's files (unless they come from index_url) and write the trimmed standard library.

    Returns the widget's runtime settings: {"version", "indexURL", "files": {kind: {url, sha256, bytes}},
    "lockFile"}; URLs are relative to the site root unless they are absolute.
    """
    for _, name in RUNTIME_FILES + (("stdlib", STDLIB_SOURCE),):
        if not (package_dir / name).is_file():
            raise PluginError(
                "%s is missing: the browser check serves Pyodide itself instead of loading it "
                "from a CDN. Run `make setup` (npm ci) first." % (package_dir / name)
            )
    version = pyodide_version(package_dir)
    folder = "%s/%s/" % (PYODIDE_SITE_DIR, version)
    target = Path(site_dir) / folder
    target.mkdir(parents=True, exist_ok=True)
    files = {}
    for kind, name in RUNTIME_FILES:
        data = (package_dir / name).read_bytes()
        if not index_url:
            shutil.copyfile(str(package_dir / name), str(target / name))
        files[kind] = _entry((index_url or folder) + name, data)
    stdlib = trimmed_stdlib(package_dir, script_text)
    stdlib_name = "python_stdlib-%s.zip" % hashlib.sha256(stdlib).hexdigest()[:16]
    (target / stdlib_name).write_bytes(stdlib)
    files["stdlib"] = _entry(folder + stdlib_name, stdlib)
    lock = json.loads((package_dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    return {
        "version": version,
        "indexURL": index_url or folder,
        "files": files,
        "lockFile": {"info": lock["info"], "packages": {}},
    }


def pyodide_version(package_dir=PYODIDE_PACKAGE):
    return json.loads((Path(package_dir) / "package.json").read_text(encoding="utf-8"))["version"]


def trimmed_stdlib(package_dir, script_text, node=None):
    """The bytes of a python_stdlib.zip holding only what the check imports under Pyodide.

    Pyodide itself (under Node.js, from the npm package, with its whole
    standard library) runs check.py as the page's worker does, runs the
    button and the paste paths, imports everything the checks modules it loaded
    name anywhere (imports inside functions too), and reports which standard
    library files were loaded; they are stored without docstrings or comments (as `python -OO`
    would drop the docstrings). The zip is deterministic: same inputs, same bytes.
    """
    from .script_bundle import package_modules

    node = node or shutil.which("node")
    if node is None:
        raise PluginError(
            "node is not installed: the site build runs Pyodide under Node.js "
            "to find the standard library modules the browser check needs"
        )
    modules = [list(module) for module in package_modules()]
    with tempfile.TemporaryDirectory() as tmp:
        request = Path(tmp) / "input.json"
        request.write_text(
            json.dumps({"script": script_text, "modules": modules, "calls": COLLECTOR_CALLS}), encoding="utf-8"
        )
        try:
            result = subprocess.run(
                [node, str(STDLIB_COLLECTOR), str(package_dir), str(request)],
                capture_output=True,
                text=True,
                timeout=COLLECTOR_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            raise PluginError(
                "Pyodide did not say within %d s which modules the browser check needs" % COLLECTOR_TIMEOUT_S
            ) from None
    if result.returncode != 0:
        raise PluginError(
            "Pyodide could not run the browser check to find the modules it needs:\n%s" % result.stderr[-3000:]
        )
    files = json.loads(result.stdout)["files"]
    with zipfile.ZipFile(str(Path(package_dir) / STDLIB_SOURCE)) as full:
        shipped = set(full.namelist())
    unknown = sorted(set(files) - shipped)
    if unknown:
        raise PluginError("Pyodide loaded modules its python_stdlib.zip does not have: %s" % ", ".join(unknown))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, files[name].encode("utf-8"))
    return buffer.getvalue()


def _entry(url, data):
    return {"url": url, "sha256": base64.b64encode(hashlib.sha256(data).digest()).decode("ascii"), "bytes": len(data)}


def inline_script_hashes(text):
    """'sha256-...' of each inline script of a page that a browser runs (JSON data blocks are not run)."""
    hashes = []
    for match in INLINE_SCRIPT.finditer(text):
        attributes = match.group("attributes")
        if re.search(r"\bsrc\s*=", attributes, re.I):
            continue
        kind = SCRIPT_TYPE.search(attributes)
        if kind and kind.group(1).lower() not in ("text/javascript", "module", "application/javascript"):
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append("'sha256-%s'" % base64.b64encode(digest).decode("ascii"))
    return hashes


def prepare_page(text, index_url, command, runtime, script_hashes=()):
    """The page with its Content-Security-Policy and the widget's settings."""
    policy = content_security_policy(index_url, sorted(set(script_hashes) | set(inline_script_hashes(text))))
    meta = '<meta http-equiv="Content-Security-Policy" content="%s">' % _attribute(policy)
    match = META_CHARSET.search(text)
    if match:
        text = text[: match.end()] + meta + text[match.end() :]
    else:
        text = text.replace("<head>", "<head>" + meta, 1)
    # Braces as character references: the page's HTML holds no "{{" or "}}" that reads like template text.
    settings = _attribute(json.dumps(runtime, sort_keys=True, separators=(",", ":")))
    settings = settings.replace("{", "&#123;").replace("}", "&#125;")
    attributes = ' data-script-command="%s" data-runtime="%s"' % (_attribute(command), settings)
    return WIDGET.sub(lambda found: found.group(0) + attributes, text, count=1)


def content_security_policy(index_url="", script_hashes=()):
    """Everything from this origin only; wasm needs 'wasm-unsafe-eval'; inline scripts only by their hashes."""
    extra = ""
    if index_url:
        parts = urlsplit(index_url)
        if parts.scheme and parts.netloc:
            extra = " %s://%s" % (parts.scheme, parts.netloc)
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'"] + list(script_hashes) + ["'wasm-unsafe-eval'"]) + extra,
            "worker-src 'self'",
            "connect-src 'self'" + extra,
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def _attribute(value):
    """A value for a double-quoted HTML attribute (apostrophes kept readable)."""
    return html.escape(value, quote=False).replace('"', "&quot;")
