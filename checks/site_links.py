"""Links to the site: a page's URL (and a rule's anchor on it), and the command that runs the script from it.

Findings, pages and the bundler all point readers at the site; this is the one
place that knows how its URLs are made.
"""

from __future__ import annotations


def docs_url(site_url: str, page: str, anchor: str | None = None) -> str:
    """The URL of a page of the site (and an anchor on it): "requirements.md" -> <site>/requirements/."""
    path = page[:-3] if page.endswith(".md") else page
    if path == "index" or path.endswith("/index"):
        path = path[:-5]
    elif path:
        path += "/"
    url = site_url.rstrip("/") + "/" + path
    return url + "#" + anchor if anchor else url


def release_page_path(version: str) -> str:
    """The page that states the requirements of a release other than the site's default one."""
    return "releases/%s.md" % version


def rule_page(rules: dict, rule: dict) -> str:
    """Where the release of `rules` states `rule`: its own page for the default release, else the release's page."""
    release = rules.get("release") or {}
    headers = rules.get("releases") or []
    if not release or not headers or release.get("version") == headers[0].get("version"):
        return rule["page"]
    return release_page_path(release["version"])


def script_url(site_url: str) -> str:
    return docs_url(site_url, "index.md") + "check.py"


def script_command(site_url: str, system: str | None = None) -> str:
    """The one-line command that runs the full check from the site, for `system` (PowerShell on Windows)."""
    if system == "Windows":
        # As the check page gives it: py is python.org's launcher, there is no python3 on Windows.
        return "irm %s | py -3 -" % script_url(site_url)
    return "curl -fsSL %s | python3 -" % script_url(site_url)
