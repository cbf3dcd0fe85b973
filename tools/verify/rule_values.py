"""The requirement values in the rules, and how a page must display each one.

A requirement value is a leaf of a rule's values (or of a model family, or the
app's install root) that a person reads and acts on: a size, a Python or
installer version, a package name, a GPU series and the model numbers in it, a
URL, or a value named by its key (a file, a folder, a model family's name).
They are found by their shape and place in the rules, never listed here, so a
value added to the rules is covered the day it is added.
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
# The model numbers inside a GPU series' name or example: "10xx", "1080", "1660".
MODEL_NUMBER = re.compile(r"\b\d+\w*\b")
# Values named by their key wherever they appear in a rule's values.
NAMED_KEYS = ("name", "example", "file", "folder", "replaced_by", "alternative_dir", "remount_size")
FAMILY_NAMES = ("id", "name")
APP_VALUES = ("default_root", "root_env_var")
# A backend's sizes: the memory recommended where families state no minimum for it.
BACKEND_SIZES = ("recommended_memory",)


def requirement_values(rules):
    """Every requirement value, as RequirementValue(rule, key path, family or None, kind, text).

    The app's values belong to no rule: their rule is None and their key starts with "app.".
    """
    found = []
    for family in rules["model_families"]:
        for key, text in sorted(family.items()):
            if isinstance(text, dict):
                for backend_id, size in sorted(text.items()):
                    if _is_size(size):
                        found.append(
                            RequirementValue(VRAM_RULE, "%s.%s" % (key, backend_id), family["id"], "size", size)
                        )
            elif _is_size(text):
                found.append(RequirementValue(VRAM_RULE, key, family["id"], "size", text))
            elif key in FAMILY_NAMES:
                found.append(RequirementValue(VRAM_RULE, key, family["id"], "name", str(text)))
    for backend in rules.get("backends") or []:
        for key in BACKEND_SIZES:
            if _is_size(backend.get(key)):
                found.append(
                    RequirementValue(VRAM_RULE, "backends.%s.%s" % (backend["id"], key), None, "size", backend[key])
                )
    for key in APP_VALUES:
        if key in rules["app"]:
            found.append(RequirementValue(None, "app." + key, None, "name", str(rules["app"][key])))
    for rule in rules["rules"]:
        for keys, value in _leaves(rule.get("values", {}), []):
            kind = _kind(keys, value)
            if not kind:
                continue
            key = ".".join(str(part) for part in keys)
            found.append(RequirementValue(rule["id"], key, None, kind, str(value)))
            if kind == "series":
                for number in MODEL_NUMBER.findall(str(value)):
                    found.append(RequirementValue(rule["id"], key, None, "series number", number))
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
    if names[-1] in NAMED_KEYS:
        return "name"
    if VERSION.match(text):
        # A dotted number outside a version key, such as a compute capability.
        return "number"
    return None


def _is_size(text):
    if not isinstance(text, str):
        return False
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
        if rule_id == VRAM_RULE and not family and str(key).startswith("backends."):
            _, backend_id, name = str(key).split(".", 2)
            return {_text_of(self.site.backend_value(backend_id, name))}
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
