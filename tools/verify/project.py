"""The project being verified: its rules, its mkdocs config, its Markdown sources and its built site."""

import re
from pathlib import Path

from mkdocs.config import load_config

from checks.site_links import release_page_path
from rules import load_releases

ROOT = Path(__file__).resolve().parent.parent.parent


class Project:
    def __init__(self, root, site_dir):
        self.root = Path(root).resolve()
        self.site_dir = Path(site_dir).resolve()
        resolved = load_releases(
            self.root / "rules" / "requirements.yaml", self.root / "rules" / "requirements.schema.json"
        )
        # The site's default release: the main pages, check.py's default.
        self.rules = resolved["default"]
        self.default_release = self.rules["release"]["version"]
        # {version: rules} of every release, oldest first, the default included.
        self.releases = dict((version, rules) for version, rules in resolved.items() if version != "default")
        config = load_config(str(self.root / "mkdocs.yml"))
        # The same fallback the macros use when they build check.py.
        self.site_url = config["site_url"] or "/"
        self.docs_dir = Path(config["docs_dir"])
        self.use_directory_urls = config["use_directory_urls"]

    def later_releases(self):
        """[(version, rules)] of every release with a page of its own (all but the default), oldest first."""
        return [(version, rules) for version, rules in self.releases.items() if version != self.default_release]

    def release_of_page(self, html_path):
        """The release whose page `html_path` is, or None for the main pages."""
        for version, _ in self.later_releases():
            if Path(html_path).resolve() == self.built_path(release_page_path(version)).resolve():
                return version
        return None

    def release_page_name(self, version):
        """How a report names a release's page: it is generated, so by its built file and the rules it comes from."""
        return "site/%s (release %s)" % (
            self.built_path(release_page_path(version)).relative_to(self.site_dir).as_posix(),
            version,
        )

    # --- pages ---------------------------------------------------------------

    def built_path(self, page):
        """docs page "reference/cli.md" -> its HTML file in the built site."""
        stem = page[: -len(".md")] if page.endswith(".md") else page
        if stem == "index" or stem.endswith("/index") or not self.use_directory_urls:
            return self.site_dir / (stem + ".html")
        return self.site_dir / stem / "index.html"

    def source_page(self, html_path):
        """A built HTML file -> "docs/<page>.md" that made it, or the HTML file's own site path."""
        relative = Path(html_path).relative_to(self.site_dir).as_posix()
        candidates = []
        if relative.endswith("/index.html"):
            stem = relative[: -len("/index.html")]
            candidates = [stem + ".md", stem + "/index.md", stem + "/README.md"]
        elif relative.endswith(".html"):
            candidates = [relative[: -len(".html")] + ".md"]
        for candidate in candidates:
            if (self.docs_dir / candidate).is_file():
                return candidate
        return None

    def display_page(self, html_path):
        """The path to name in a report: the Markdown source when there is one."""
        source = self.source_page(html_path)
        if source:
            return self.docs_relative(source)
        return "site/" + Path(html_path).relative_to(self.site_dir).as_posix()

    def docs_relative(self, page):
        return (self.docs_dir / page).relative_to(self.root).as_posix()

    def markdown_pages(self):
        """[(docs page, text)] for every Markdown source, sorted."""
        return [
            (path.relative_to(self.docs_dir).as_posix(), path.read_text(encoding="utf-8"))
            for path in sorted(self.docs_dir.rglob("*.md"))
        ]

    def html_pages(self):
        return sorted(self.site_dir.rglob("*.html"))

    def source_line(self, page, patterns):
        """The first line of docs `page` that matches one of `patterns` (regexes, tried in order), or None."""
        path = self.docs_dir / page
        if not page or not path.is_file():
            return None
        lines = path.read_text(encoding="utf-8").splitlines()
        for pattern in patterns:
            compiled = re.compile(pattern)
            for number, line in enumerate(lines, 1):
                if compiled.search(line):
                    return number
        return None

    def url_to_site_path(self, url):
        """A URL of this site -> (file in the built site, anchor) or None when it is not under site_url."""
        base = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        if not url.startswith(base):
            return None
        path, _, anchor = url[len(base) :].partition("#")
        path = path.split("?")[0]
        target = self.site_dir / path
        if path == "" or path.endswith("/"):
            target = target / "index.html"
        return target, anchor
