"""2. No Markdown source types a requirement value outside a macro.

The values come from the rules (see rule_values.py); text inside {{ }}, {% %}
and {# #} is left out, everything else is scanned: code blocks (they take plain
values from the raw() macro) and HTML comments (they ship in the built page).
The values of every release are looked for: a page types none of them.
"""

import re

from .problems import problem
from .rule_values import requirement_values

CHECK = 2
TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)\s*$")
# A name, a package or a model number stands alone: "libgl1" is not inside "libgl1-mesa-glx".
ALONE = r"(?<![\w.-])%s(?![\w-])"


def value_pattern(value):
    """A regex that finds a value as people type it: "12 GB" also as "12GB", "12 GiB" or "12G"."""
    if value.kind == "size":
        number, unit = SIZE.match(value.text).groups()
        # "12 GB" and "12 GiB" are told apart by the rules, not by a reader: any spelling is the value.
        unit = "B" if unit.upper() == "B" else unit[0] + "(?:B|iB)?"
        return re.compile(r"(?<![\d.])%s\s*%s\b" % (re.escape(number), unit), re.I)
    if value.kind == "version":
        # "3.11" also inside "3.11.4" (a release of the value), not inside "3.110" or "v3.11".
        return re.compile(r"(?<![\w.])%s(?!\w)" % re.escape(value.text))
    if value.kind == "number":
        # A compute capability "10.0" alone, not the start of a Windows build "10.0.22631".
        return re.compile(r"(?<![\w.])%s(?!\w|\.\d)" % re.escape(value.text))
    if value.kind == "series":
        return re.compile(r"(?<!\w)%s(?!\w)" % r"\s+".join(re.escape(word) for word in value.text.split()), re.I)
    if value.kind == "url":
        return re.compile(re.escape(value.text.rstrip("/")), re.I)
    return re.compile(ALONE % re.escape(value.text), re.I)


def blank_templates(text):
    """The text with template tags replaced by spaces; line numbers are kept."""
    return TEMPLATE.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), text)


def find_hard_coded(text, values):
    """[(line, value, typed text)] for every requirement value typed in `text` outside a macro."""
    scanned = blank_templates(text)
    found = []
    for value in values:
        for match in value_pattern(value).finditer(scanned):
            line = scanned.count("\n", 0, match.start()) + 1
            found.append((line, value, match.group(0)))
    return sorted(found, key=lambda item: (item[0], item[1].rule or "", item[1].key))


def hard_coded_in_pages(pages, rules, more_rules=()):
    """[(page, line, value, typed text)] for `pages`, [(page name, Markdown text)]; one value per text and kind.

    `more_rules`: other releases' rules, whose values no page may type either.
    """
    values = distinct_values([value for each in [rules] + list(more_rules) for value in requirement_values(each)])
    return [(page, line, value, typed) for page, text in pages for line, value, typed in find_hard_coded(text, values)]


def release_of_value(value, releases):
    """The first release, of {version: rules} oldest first, whose rules hold `value` (its kind and text)."""
    for version, rules in releases.items():
        for candidate in requirement_values(rules):
            if (candidate.kind, candidate.text.lower()) == (value.kind, value.text.lower()):
                return version
    return None


def describe(value):
    """Where a value lives in the rules: "min", "sdxl.name", "app.default_root"."""
    return ("%s.%s" % (value.family, value.key)) if value.family else value.key


def verify(project):
    pages = project.markdown_pages()
    problems = []
    later = [rules for _, rules in project.later_releases()]
    for page, line, value, typed in hard_coded_in_pages(pages, project.rules, later):
        release = release_of_value(value, project.releases)
        of_release = "" if release in (None, project.default_release) else " of release %s" % release
        problems.append(
            problem(
                CHECK,
                "%r is typed in the page: it is the value %s of the rules%s; use a macro "
                "(value() in prose, raw() in code blocks)" % (typed, describe(value), of_release),
                rule=value.rule,
                page=project.docs_relative(page),
                line=line,
            )
        )
    return problems, len(pages)


def distinct_values(values):
    """One entry per text and kind: "12 GB" is both RAM and ROCm's install; name the first."""
    seen, distinct = set(), []
    for value in values:
        if (value.kind, value.text.lower()) not in seen:
            seen.add((value.kind, value.text.lower()))
            distinct.append(value)
    return distinct
