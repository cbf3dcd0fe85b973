"""The browser check's files in the built site: Pyodide, self-hosted, and the check page's policy.

The check runs the site's own check.py under Pyodide, so the rules and the
code are the ones the script carries. Pyodide comes from the pinned npm
package (node_modules/pyodide), copied here; only the files loadPyodide
fetches are copied, and `loadPackage` is never called (for a package it lacks
it would fall back to a CDN). Setting `extra.pyodide_index_url` in mkdocs.yml
loads Pyodide from that address instead and copies nothing.

On every page that has the widget (`<div id="browser-check">`), a
Content-Security-Policy meta tag keeps the page to its own origin (plus that
address, when set), and the widget gets the script's command for its
can't-run message.
"""
import html
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

from checks.site_links import script_command

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYODIDE_PACKAGE = PROJECT_ROOT / "node_modules" / "pyodide"
PYODIDE_SITE_DIR = "assets/vendor/pyodide"
# What loadPyodide fetches: the loader, the Emscripten module, the wasm, the
# standard library and the lock file it reads before anything else.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")

WIDGET = re.compile(r'<div id="browser-check"')
META_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)


def add_browser_check(config, site_dir, package_dir=PYODIDE_PACKAGE):
    """Copy Pyodide (unless a CDN is configured) and prepare the pages that have the widget."""
    site_dir = Path(site_dir)
    index_url = (config.get("extra") or {}).get("pyodide_index_url") or ""
    if not index_url:
        copy_pyodide(site_dir, package_dir)
    command = script_command(config.get("site_url") or "/")
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if WIDGET.search(text):
            page.write_text(prepare_page(text, index_url, command), encoding="utf-8")


def copy_pyodide(site_dir, package_dir=PYODIDE_PACKAGE):
    target = Path(site_dir) / PYODIDE_SITE_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        source = Path(package_dir) / name
        if not source.is_file():
            raise PluginError(
                "%s is missing: the browser check serves Pyodide itself instead of loading it "
                "from a CDN. Run `make setup` (npm ci) first." % source)
        shutil.copyfile(str(source), str(target / name))


def prepare_page(text, index_url, command):
    """The page with its Content-Security-Policy and the widget's settings."""
    meta = '<meta http-equiv="Content-Security-Policy" content="%s">' % _attribute(content_security_policy(index_url))
    match = META_CHARSET.search(text)
    if match:
        text = text[:match.end()] + meta + text[match.end():]
    else:
        text = text.replace("<head>", "<head>" + meta, 1)
    attributes = ' data-script-command="%s"' % _attribute(command)
    if index_url:
        attributes += ' data-pyodide-index="%s"' % _attribute(index_url if index_url.endswith("/") else index_url + "/")
    return WIDGET.sub(lambda found: found.group(0) + attributes, text, count=1)


def content_security_policy(index_url=""):
    """Everything from this origin only; wasm needs 'wasm-unsafe-eval', Material's inline scripts 'unsafe-inline'."""
    extra = ""
    if index_url:
        parts = urlsplit(index_url)
        if parts.scheme and parts.netloc:
            extra = " %s://%s" % (parts.scheme, parts.netloc)
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'" + extra,
        "worker-src 'self'" + extra,
        "connect-src 'self'" + extra,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def _attribute(value):
    """A value for a double-quoted HTML attribute (apostrophes kept readable)."""
    return html.escape(value, quote=False).replace('"', "&quot;")
