"""2. No Markdown source types a requirement value outside a macro.

The values come from the rules (see rule_values.py); text inside {{ }}, {% %},
{# #} and HTML comments is left out, everything else is scanned, code blocks
included (they take plain values from the raw() macro).
"""
import re

from .problems import problem
from .rule_values import requirement_values

CHECK = 2
TEMPLATE_OR_COMMENT = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<!--.*?-->", re.S)
SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)\s*$")


def value_pattern(value):
    """A regex that finds a value as people type it: "12 GB" also as "12GB", "3.11" not inside "3.11.4"."""
    if value.kind == "size":
        number, unit = SIZE.match(value.text).groups()
        return re.compile(r"(?<![\w.])%s\s?%s\b" % (re.escape(number), re.escape(unit)), re.I)
    if value.kind == "version":
        return re.compile(r"(?<![\w.])%s(?!\w|\.\d)" % re.escape(value.text))
    if value.kind == "package":
        return re.compile(r"(?<![\w.+-])%s(?![\w+-]|\.\w)" % re.escape(value.text))
    if value.kind == "series":
        return re.compile(r"(?<!\w)%s(?!\w)" % r"\s+".join(re.escape(word) for word in value.text.split()), re.I)
    return re.compile(re.escape(value.text.rstrip("/")))


def blank_templates(text):
    """The text with template tags and comments replaced by spaces; line numbers are kept."""
    return TEMPLATE_OR_COMMENT.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), text)


def find_hard_coded(text, values):
    """[(line, value, typed text)] for every requirement value typed in `text` outside a macro."""
    scanned = blank_templates(text)
    found = []
    for value in values:
        for match in value_pattern(value).finditer(scanned):
            line = scanned.count("\n", 0, match.start()) + 1
            found.append((line, value, match.group(0)))
    return sorted(found, key=lambda item: (item[0], item[1].rule, item[1].key))


def verify(project):
    values = _distinct(requirement_values(project.rules))
    problems, checked = [], 0
    for page, text in project.markdown_pages():
        checked += 1
        for line, value, typed in find_hard_coded(text, values):
            label = ("%s.%s" % (value.family, value.key)) if value.family else value.key
            problems.append(problem(
                CHECK, "%r is typed in the page: it is the value %s of the rules; use a macro "
                       "(value() in prose, raw() in code blocks)" % (typed, label),
                rule=value.rule, page=project.docs_relative(page), line=line))
    return problems, checked


def _distinct(values):
    """One entry per text and kind: "12 GB" is both RAM and ROCm's install; name the first."""
    seen, distinct = set(), []
    for value in values:
        if (value.kind, value.text.lower()) not in seen:
            seen.add((value.kind, value.text.lower()))
            distinct.append(value)
    return distinct
