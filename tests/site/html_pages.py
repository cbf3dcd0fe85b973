"""Reading the built site: its pages and the rule values and anchors in them."""
import re
from html.parser import HTMLParser


def html_pages(site_dir):
    """{path relative to the site: html text} for every built page."""
    return {str(path.relative_to(site_dir)): path.read_text(encoding="utf-8")
            for path in sorted(site_dir.rglob("*.html"))}


class _ValueSpans(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.spans, self._open, self._depth = [], None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._open is not None and tag == "span":
            self._depth += 1
        elif tag == "span" and "rule-value" in (attrs.get("class") or "").split():
            self._open = {"rule": attrs.get("data-rule"), "key": attrs.get("data-key"),
                          "family": attrs.get("data-family"), "text": ""}
            self._depth = 0

    def handle_endtag(self, tag):
        if self._open is not None and tag == "span":
            if self._depth:
                self._depth -= 1
            else:
                self.spans.append(self._open)
                self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data


def rule_values(page_html):
    """[{"rule", "key", "family", "text"}] for every rule-value span on a page."""
    parser = _ValueSpans()
    parser.feed(page_html)
    return parser.spans


def element_ids(page_html):
    return set(re.findall(r'\sid="([^"]+)"', page_html))


def vram_tables(page_html):
    """The HTML of each VRAM table on a page."""
    return re.findall(r'<div class="vram-table">(.*?)</div>', page_html, re.S)
