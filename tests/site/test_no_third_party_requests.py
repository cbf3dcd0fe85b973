"""No page asks another host for anything when it loads.

Scans every built page for what a browser fetches (scripts, stylesheets,
preloads, icons, images, frames, media, CSS url() and @import), then the
scripts and stylesheets those pages load from the site. Links the reader
clicks are fine.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import yaml

from tools.verify.html_scan import built_pages

LOADING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "manifest",
    "mask-icon",
}
SRC_TAGS = {"script", "img", "iframe", "video", "audio", "source", "track", "embed", "input"}
CSS_URL = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)|url\(\s*["']?([^"')]+)""")
JS_URL = re.compile(r"""["'`](https?:)?//([a-z0-9.-]+\.[a-z]{2,})(/[^"'`\s]*)?["'`]""", re.I)
LOADABLE = re.compile(r"\.(m?js|css|woff2?|ttf|otf|wasm|json|png|svg|jpe?g|gif|webp)(\?|#|$)", re.I)
CDN_HOSTS = (
    "unpkg.com",
    "cdn.jsdelivr.net",
    "cdnjs.cloudflare.com",
    "esm.sh",
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "api.github.com",
)

# URLs in the theme's bundle that are never requested on this site, and why.
NEVER_REQUESTED = {
    "//unpkg.com/mermaid@11/dist/mermaid.min.js": "used only for elements with the `mermaid` class: the build draws every diagram into SVG",
    "//unpkg.com/resize-observer-polyfill": "a polyfill fetched only by browsers without ResizeObserver (every supported browser has it)",
    "//api.github.com/repos/${e}/${t}": "repository facts, fetched only when repo_url is set",
    "//api.github.com/users/${e}": "repository facts, fetched only when repo_url is set",
}


class _Loads(HTMLParser):
    """The URLs an HTML page makes the browser fetch."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls, self.inline_css = [], []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            rels = set((attrs.get("rel") or "").lower().split())
            if rels & LOADING_RELS and attrs.get("href"):
                self.urls.append(attrs["href"])
        if tag in SRC_TAGS and attrs.get("src"):
            self.urls.append(attrs["src"])
        for name in ("srcset", "imagesrcset"):
            if attrs.get(name):
                self.urls.extend(part.split()[0] for part in attrs[name].split(",") if part.strip())
        if tag == "object" and attrs.get("data"):
            self.urls.append(attrs["data"])
        if tag == "video" and attrs.get("poster"):
            self.urls.append(attrs["poster"])
        if attrs.get("style"):
            self.inline_css.append(attrs["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.inline_css.append(data)


def _is_third_party(url):
    return bool(urlparse(url).netloc) or url.startswith("//")


def _css_urls(css):
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [first or second for first, second in CSS_URL.findall(css) if not (first or second).startswith("data:")]


def _js_loads(js):
    """URLs in a script that look like something it fetches (not a link in a message or licence)."""
    found = []
    for match in JS_URL.finditer(js):
        host, path = match.group(2).lower(), match.group(3) or ""
        url = "//%s%s" % (host, path)
        if host.endswith(CDN_HOSTS) or LOADABLE.search(path):
            found.append(url)
    return found


def third_party_loads(site_dir):
    """["page: what it loads from another host"] for the whole built site."""
    problems = []
    for page, scanned in built_pages(site_dir).items():
        text = scanned.text
        page_url = "/" + page
        parser = _Loads()
        parser.feed(text)
        urls = list(parser.urls)
        for css in parser.inline_css:
            urls.extend(_css_urls(css))
        for url in urls:
            if _is_third_party(url):
                problems.append("%s loads %s" % (page, url))
                continue
            local = urlparse(urljoin(page_url, url)).path
            asset = site_dir / local.lstrip("/")
            if asset.suffix == ".css" and asset.is_file():
                for inner in _css_urls(asset.read_text(encoding="utf-8")):
                    if _is_third_party(inner):
                        problems.append("%s loads %s, which loads %s" % (page, local, inner))
            if asset.suffix == ".js" and asset.is_file():
                for inner in _js_loads(asset.read_text(encoding="utf-8")):
                    if inner not in NEVER_REQUESTED:
                        problems.append("%s loads %s, which fetches %s" % (page, local, inner))
    return sorted(set(problems))


def test_no_page_loads_anything_from_another_host(built_site):
    problems = third_party_loads(built_site)
    assert not problems, "\n".join(problems)


def test_the_exceptions_stay_never_requested(built_site, project_root):
    config = yaml.load((project_root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert "repo_url" not in config, "repo_url makes the theme call api.github.com"
    pages = dict((name, page.text) for name, page in built_pages(built_site).items())
    assert not [page for page, text in pages.items() if re.search(r'class="[^"]*mermaid', text)], (
        "an element with the mermaid class makes the theme load the diagram library from unpkg.com"
    )


def test_diagrams_are_inline_svg_and_no_page_loads_a_diagram_library(built_site):
    pages = dict((name, page.text) for name, page in built_pages(built_site).items())
    with_diagram = sorted(page for page, text in pages.items() if '<figure class="diagram"' in text)
    assert with_diagram == ["development/architecture/index.html"]
    assert not [page for page, text in pages.items() if "mermaid.min.js" in text]
    assert not (built_site / "assets" / "vendor" / "mermaid").exists()


def test_a_planted_cdn_script_and_font_are_found(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "extra.css").write_text(
        "/* https://example.org in a comment is fine */\n"
        "@font-face { src: url(https://fonts.gstatic.com/s/roboto.woff2) }",
        encoding="utf-8",
    )
    (tmp_path / "assets" / "app.js").write_text(
        'var help = "https://example.org/help"; load("https://cdn.jsdelivr.net/npm/x/x.min.js");', encoding="utf-8"
    )
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="assets/extra.css"><script src="assets/app.js"></script>'
        '<img src="https://example.com/logo.png"><a href="https://example.org/">a link is fine</a>',
        encoding="utf-8",
    )

    assert third_party_loads(tmp_path) == [
        "index.html loads /assets/app.js, which fetches //cdn.jsdelivr.net/npm/x/x.min.js",
        "index.html loads /assets/extra.css, which loads https://fonts.gstatic.com/s/roboto.woff2",
        "index.html loads https://example.com/logo.png",
    ]
