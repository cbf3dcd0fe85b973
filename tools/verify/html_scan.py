"""Read one built HTML page: its anchors, headings, rule values, links and code, with line numbers.

Headings and rule values are taken from the page's <article> only (the content,
not Material's navigation), in document order, so a rule's section can be cut
out of them. Ids and links are taken from the whole page.
"""

from collections import namedtuple
from html.parser import HTMLParser

Heading = namedtuple("Heading", "level id text line")
# `release`: the data-release of a value on a release's page (None on the main pages).
RuleValue = namedtuple("RuleValue", "rule key family text line release", defaults=(None,))
Link = namedtuple("Link", "url line")
Code = namedtuple("Code", "text line block")

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "iframe": "src", "source": "src"}


def built_pages(site_dir):
    """{path relative to the site ("requirements/index.html"): Page} for every built page."""
    return dict((path.relative_to(site_dir).as_posix(), Page(path)) for path in sorted(site_dir.rglob("*.html")))


class Page:
    def __init__(self, path):
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self.ids = {}  # id -> line
        self.content = []  # Heading and RuleValue, in document order, from the article
        self.links = []
        self.code = []
        self.article_lines = (0, 0)
        _PageParser(self).feed(self.text)

    def section(self, anchor_id):
        """The content from the heading with this id to the next heading of the same or higher level.

        None when no heading in the article has that id.
        """
        start = None
        for index, item in enumerate(self.content):
            if isinstance(item, Heading) and item.id == anchor_id:
                start = index
                break
        if start is None:
            return None
        level = self.content[start].level
        section = [self.content[start]]
        for item in self.content[start + 1 :]:
            if isinstance(item, Heading) and item.level <= level:
                break
            section.append(item)
        return section

    def rule_values(self):
        return [item for item in self.content if isinstance(item, RuleValue)]

    def article_text(self):
        """[(line number, raw HTML line)] of the article, entities left as written."""
        first, last = self.article_lines
        lines = self.text.splitlines()
        return [(number, lines[number - 1]) for number in range(first, min(last, len(lines)) + 1)]


class _PageParser(HTMLParser):
    def __init__(self, page):
        HTMLParser.__init__(self, convert_charrefs=True)
        self.page = page
        self.article_depth = 0
        self.heading = None  # [level, id, text parts, line]
        self.value = None  # [attrs, text parts, line, nested span depth]
        self.pre = None  # [text parts, line, depth]
        self.inline_code = None  # [text parts, line]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        line = self.getpos()[0]
        if attrs.get("id"):
            self.page.ids.setdefault(attrs["id"], line)
        if tag == "a" and attrs.get("name"):
            self.page.ids.setdefault(attrs["name"], line)
        link_attribute = LINK_ATTRIBUTES.get(tag)
        if link_attribute and attrs.get(link_attribute):
            self.page.links.append(Link(attrs[link_attribute], line))
        if tag == "article":
            if self.article_depth == 0:
                self.page.article_lines = (line, line)
            self.article_depth += 1
        if not self.article_depth:
            return
        if tag in HEADINGS:
            self.heading = [HEADINGS[tag], attrs.get("id"), [], line]
        elif tag == "span":
            if self.value is not None:
                self.value[3] += 1
            elif "rule-value" in (attrs.get("class") or "").split():
                self.value = [attrs, [], line, 0]
        elif tag == "pre":
            if self.pre is None:
                self.pre = [[], line, 0]
            self.pre[2] += 1
        elif tag == "code" and self.pre is None:
            self.inline_code = [[], line]

    def handle_endtag(self, tag):
        if tag == "article" and self.article_depth:
            self.article_depth -= 1
            if self.article_depth == 0:
                self.page.article_lines = (self.page.article_lines[0], self.getpos()[0])
        if tag in HEADINGS and self.heading is not None:
            level, anchor, parts, line = self.heading
            self.page.content.append(Heading(level, anchor, "".join(parts).strip(), line))
            self.heading = None
        elif tag == "span" and self.value is not None:
            if self.value[3]:
                self.value[3] -= 1
            else:
                attrs, parts, line, _ = self.value
                self.page.content.append(
                    RuleValue(
                        attrs.get("data-rule"),
                        attrs.get("data-key"),
                        attrs.get("data-family"),
                        " ".join("".join(parts).split()),
                        line,
                        attrs.get("data-release"),
                    )
                )
                self.value = None
        elif tag == "pre" and self.pre is not None:
            self.pre[2] -= 1
            if self.pre[2] == 0:
                self.page.code.append(Code("".join(self.pre[0]), self.pre[1], True))
                self.pre = None
        elif tag == "code" and self.inline_code is not None:
            self.page.code.append(Code("".join(self.inline_code[0]), self.inline_code[1], False))
            self.inline_code = None

    def handle_data(self, data):
        for capture in (self.heading, self.value):
            if capture is not None:
                capture[1 if capture is self.value else 2].append(data)
        if self.pre is not None:
            self.pre[0].append(data)
        if self.inline_code is not None:
            self.inline_code[0].append(data)
