"""Text made from the rules reads as a person would write it.

- a table cell shows the whole rule value, even one with a `|` in it;
- no sentence is said twice on a page, and a requirement's values are said once;
- distributions go by the names people know, not os-release ids;
- the home page's table holds requirements only, with their numbers.
"""

import re
from html import unescape
from html.parser import HTMLParser

from macros.pages import cell
from tools.verify.html_scan import built_pages


def html_pages(site_dir):
    return dict((name, page.text) for name, page in built_pages(site_dir).items())


WORDS = re.compile(r"\s+")


def plain(html_text):
    return WORDS.sub(" ", unescape(re.sub(r"<[^>]+>", "", html_text))).strip()


class _Tables(HTMLParser):
    """[[row cells as plain text]] for every <table>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(WORDS.sub(" ", self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def tables(page_html):
    parser = _Tables()
    parser.feed(page_html)
    return parser.tables


def main_text(page_html):
    found = re.search(r"<article[^>]*>(.*?)</article>", page_html, re.S)
    return found.group(1) if found else page_html


def rule(rules, rule_id):
    return next(item for item in rules["rules"] if item["id"] == rule_id)


def test_a_pipe_stays_inside_its_cell():
    assert cell("lspci | grep -i nvidia") == "lspci \\| grep -i nvidia"
    assert cell("two\nlines") == "two lines"


def test_the_nvidia_smi_failure_table_shows_every_rule_value_whole(built_site, rules):
    page = html_pages(built_site)["requirements/index.html"]
    failures = rule(rules, "driver.nvidia")["values"]["failures"]
    table = next(table for table in tables(page) if table and table[0][:1] == ["It says"])
    rows = table[1:]
    assert len(rows) == len(failures)
    for row, failure in zip(rows, failures):
        expected = [WORDS.sub(" ", failure[key]).strip() for key in ("match", "title", "fix")]
        if failure.get("fix_windows"):
            expected[2] += " On Windows: " + WORDS.sub(" ", failure["fix_windows"]).strip()
        assert row == expected, "a cell was cut: %r" % row
    assert any("|" in failure["fix"] for failure in failures), "the rules no longer test the escape"


def test_every_table_made_from_the_rules_matches_them(built_site, rules):
    pages = html_pages(built_site)
    # The home page's summary: one row per requirement (documentation-only rules are no requirement).
    summary = next(
        table for table in tables(pages["index.html"]) if table and table[0] == ["Requirement", "What you need"]
    )
    checked = [item for item in rules["rules"] if item.get("check", True)]
    assert [row[0] for row in summary[1:]] == [item["title"] for item in checked]
    needs = dict((row[0], row[1]) for row in summary[1:])
    backends = dict((backend["id"], backend["name"]) for backend in rules["backends"])
    for family in rules["model_families"]:
        for backend, size in family["min_memory"].items():
            assert "%s %s" % (size, backends[backend]) in needs[rule(rules, "gpu.vram")["title"]]
    disk = needs[rule(rules, "disk.free")["title"]]
    assert re.search(r"\d+(\.\d+)? GB with an NVIDIA GPU", disk), disk
    for item in checked:
        if item["id"] not in ("gpu.vram", "disk.free"):
            assert needs[item["title"]], item["id"]
    # The memory tables: one row per family with its minimum on each backend.
    for path in ("index.html", "requirements/index.html"):
        vram = next(table for table in tables(pages[path]) if table and table[0][:1] == ["Model family"])
        assert [row[: 1 + len(rules["backends"])] for row in vram[1:]] == [
            [family["name"] + (" (%s)" % ", ".join(family["aliases"]) if family.get("aliases") else "")]
            + [family["min_memory"].get(backend["id"], "-") for backend in rules["backends"]]
            for family in rules["model_families"]
        ]


def sentences(text):
    return [part.strip() for part in re.split(r"(?<=[.!?:])\s+(?=[A-Z])", text) if len(part.split()) >= 5]


def test_no_sentence_is_said_twice_on_a_page(built_site):
    repeated = {}
    for path, page in html_pages(built_site).items():
        # Prose only: code blocks and tables repeat values by design.
        text = re.sub(r"<(pre|table|code)\b.*?</\1>", " ", main_text(page), flags=re.S)
        seen = set()
        for sentence in sentences(plain(text)):
            key = sentence.lower().rstrip(".")
            if key in seen:
                repeated.setdefault(path, []).append(sentence)
            seen.add(key)
    assert not repeated, repeated


def section(page_html, anchor):
    """The HTML from the heading with id `anchor` to the next heading of level 2 or 3."""
    start = page_html.index('id="%s"' % anchor)
    following = re.compile(r"<h[23]\b").search(page_html, start + 1)
    return page_html[start : following.start() if following else len(page_html)]


def test_a_requirement_says_its_values_and_its_check_once(built_site):
    page = main_text(html_pages(built_site)["requirements/index.html"])
    python = section(page, "python.version")
    prose = re.sub(r"<(pre|code)\b.*?</\1>", " ", python, flags=re.S)
    assert prose.count('data-key="supported"') == 1, "the supported Pythons are listed more than once"
    for anchor, tool in (("driver.nvidia", "nvidia-smi"), ("driver.amd", "rocm-smi")):
        text = plain(section(page, anchor)).lower()
        assert text.count("confirm that %s" % tool) <= 1, anchor
        assert text.count("carefully follow") <= 1, anchor


def test_distributions_go_by_the_names_people_know(built_site, rules):
    values = rule(rules, "libs.opencv")["values"]
    names = values["distro_names"]
    ids = [distro for manager in values["package_managers"].values() for distro in manager["distros"]]
    assert not [distro for distro in ids if distro not in names], "a distribution without a display name"
    text = plain(main_text(html_pages(built_site)["requirements/index.html"]))
    for known in (
        "Linux Mint",
        "Pop!_OS",
        "KDE neon",
        "RHEL",
        "CentOS",
        "AlmaLinux",
        "EndeavourOS",
        "SLES",
        "openSUSE Tumbleweed",
        "Raspberry Pi OS",
    ):
        assert known in text, known
    for raw_id in ("Linuxmint", "Pop,", "Neon", "Rhel", "Centos", "Almalinux", "Endeavouros", "Sles ", "Opensuse"):
        assert raw_id not in text, raw_id
