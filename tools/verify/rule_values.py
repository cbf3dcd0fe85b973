"""The requirement values in the rules, and how a page must display each one.

A requirement value is a leaf of a rule's values (or a model family's VRAM)
that a person reads and acts on: a size, a Python or installer version, a
package name, a GPU series or a URL. They are found by their shape and place
in the rules, never listed here, so a value added to the rules is covered the
day it is added.
"""
import html
import re
from collections import namedtuple

from checks.units import parse_size
from macros.pages import VRAM_RULE, SiteValues

RequirementValue = namedtuple("RequirementValue", "rule key family kind text")

VERSION = re.compile(r"^\d+(\.\d+)+$")
URL = re.compile(r"^https?://")
SPAN_TEXT = re.compile(r"<span[^>]*>(.*)</span>$", re.S)


def requirement_values(rules):
    """Every requirement value, as RequirementValue(rule, key path, family or None, kind, text)."""
    found = []
    for family in rules["model_families"]:
        for key, text in sorted(family.items()):
            if key.startswith("min_") and _is_size(text):
                found.append(RequirementValue(VRAM_RULE, key, family["id"], "size", text))
    for rule in rules["rules"]:
        for keys, value in _leaves(rule.get("values", {}), []):
            kind = _kind(keys, value)
            if kind:
                found.append(RequirementValue(rule["id"], ".".join(str(key) for key in keys), None, kind, str(value)))
    return found


def _kind(keys, value):
    if isinstance(value, (bool, int, float)) or value is None:
        return None
    text = str(value)
    names = [str(key) for key in keys]
    if URL.match(text):
        return "url"
    if _is_size(text):
        return "size"
    if VERSION.match(text) and ("version" in names or "supported" in names or "recommended" in names):
        return "version"
    if "packages" in names or names[-1] in ("replaced_by",) or (names[0] == "legacy_packages" and names[-1] == "name"):
        return "package"
    if names[0] == "series" and names[-1] in ("name", "example"):
        return "series"
    return None


def _is_size(text):
    try:
        parse_size(text)
    except ValueError:
        return False
    return True


def _leaves(value, keys):
    if isinstance(value, dict):
        for key, item in value.items():
            for leaf in _leaves(item, keys + [key]):
                yield leaf
    elif isinstance(value, list):
        if value and all(not isinstance(item, (dict, list)) for item in value):
            # A list of plain values (["3.10", "3.11"]) is read item by item.
            for index, item in enumerate(value):
                yield keys + [index], item
        else:
            for index, item in enumerate(value):
                for leaf in _leaves(item, keys + [index]):
                    yield leaf
    else:
        yield keys, value


class Display:
    """How the macros display a rule value: the texts a rule-value span may hold."""

    def __init__(self, rules):
        self.site = SiteValues(rules)

    def expected(self, rule_id, key, family=None):
        """The set of texts the macros can render for this value; raises KeyError when it does not exist."""
        if family:
            if rule_id != VRAM_RULE:
                raise KeyError("family values belong to %s, not %s" % (VRAM_RULE, rule_id))
            return {_text_of(self.site.family_value(family, key))}
        texts = set()
        for options in ({"joiner": "or"}, {"joiner": "and"}, {"percent": True}):
            try:
                texts.add(_text_of(self.site.value(rule_id, key, **options)))
            except TypeError:  # a share that is not a number has no percent form
                pass
        return texts


def _text_of(span):
    match = SPAN_TEXT.search(str(span))
    return " ".join(html.unescape(match.group(1) if match else str(span)).split())
