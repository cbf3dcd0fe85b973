"""Facts read back from a file: a saved facts object or a whole `--json` report.

What the file holds is checked against the facts table (checks/facts.py
FIELDS): a value of another kind is refused with its path, rather than read
into a check that cannot use it.
"""

from __future__ import annotations

from .facts import (
    ANY,
    FACTS_SCHEMA,
    FIELDS,
    FLAG,
    FLAG_MAP,
    NUMBER,
    OBJECT,
    OBJECTS,
    SIZE,
    TEXT,
    TEXT_MAP,
    TEXTS,
    clean_facts,
    new_facts,
)
from .findings import REPORT_SCHEMA
from .units import MAX_BYTES


def cast(_type, value):
    """typing.cast without importing typing at run time."""
    return value


TYPE_CHECKING = False
if TYPE_CHECKING:  # the shapes, for type checkers only: nothing is imported at run time
    from typing import Any

    from .contracts import Facts

KIND_NAMES = {SIZE: "a whole number of bytes", FLAG: "true or false", TEXT: "text", NUMBER: "a whole number"}


def facts_from_saved(obj: object) -> Facts:
    """The facts in `obj` (facts, or a report holding them), completed with defaults.

    Raises ValueError with a one-line message saying what was expected.
    """
    expected = "expected a facts object (schema %r) or a --json report (schema %r)" % (FACTS_SCHEMA, REPORT_SCHEMA)
    if not isinstance(obj, dict):
        raise ValueError("%s, got %s" % (expected, type(obj).__name__))
    if obj.get("schema") == REPORT_SCHEMA:
        obj = obj.get("facts")
        if not isinstance(obj, dict):
            raise ValueError("the report has no \"facts\" object: save it again with --json")
    if obj.get("schema") != FACTS_SCHEMA:
        raise ValueError("%s, got schema %r" % (expected, obj.get("schema")))
    facts: dict[str, Any] = dict(new_facts(obj.get("origin") or "file"))
    for key, value in obj.items():
        spec = FIELDS.get(key)
        if spec is not None and value is not None:
            _check_section(key, spec, value)
        if isinstance(value, dict) and isinstance(facts.get(key), dict):
            merged = dict(facts[key])
            merged.update(value)
            value = merged
        if value is not None:
            facts[key] = value
    for key, spec in FIELDS.items():
        if key in facts and spec.kind == OBJECT:
            _check_fields(facts[key], spec.fields, "facts." + key)
    return cast("Facts", clean_facts(facts))


def _check_section(key, spec, value):
    """A top-level section must be of its kind's JSON type before its fields are looked at."""
    wanted = {OBJECT: dict, OBJECTS: list, FLAG_MAP: dict, TEXT_MAP: dict}.get(spec.kind)
    if wanted is not None and not isinstance(value, wanted):
        raise ValueError(
            "facts.%s: expected %s, got %s" % (key, "a list" if wanted is list else "an object", type(value).__name__)
        )
    _check_value(value, spec, "facts." + key)


def _check_fields(section, fields, where):
    for key, spec in fields.items():
        _check_value(section.get(key), spec, "%s.%s" % (where, key))


def _check_value(value, spec, where):
    if value is None or spec.kind == ANY:
        return
    kind = spec.kind
    if kind == OBJECT:
        if not isinstance(value, dict):
            raise ValueError("%s: expected an object or null, got %s" % (where, _shown(value)))
        _check_fields(value, spec.fields, where)
    elif kind == OBJECTS:
        _check_objects(value, spec, where)
    elif kind == TEXTS:
        if not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            raise ValueError("%s: expected a list of text, got %s" % (where, _shown(value)))
    elif kind in (FLAG_MAP, TEXT_MAP):
        if not isinstance(value, dict):
            raise ValueError("%s: expected an object or null, got %s" % (where, _shown(value)))
        item_kind = FLAG if kind == FLAG_MAP else TEXT
        for name, item in value.items():
            _check_leaf(item, item_kind, "%s.%s" % (where, name), null_ok=kind == FLAG_MAP)
    else:
        _check_leaf(value, kind, where)


def _check_objects(value, spec, where):
    """A list of objects, each with its required text fields (a GPU's vendor and name)."""
    needed = [name for name, field in spec.fields.items() if field.required]
    described = " and ".join("a \"%s\"" % name for name in needed)
    if not isinstance(value, list):
        raise ValueError("%s: expected a list of objects with %s, got %s" % (where, described, _shown(value)))
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not all(isinstance(item.get(name), str) for name in needed):
            raise ValueError("%s[%d]: expected an object with %s" % (where, index, described))
        _check_fields(item, spec.fields, "%s[%d]" % (where, index))


def _check_leaf(value, kind, where, null_ok=True):
    if value is None and null_ok:
        return
    if kind == SIZE:
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_BYTES
    elif kind == NUMBER:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == FLAG:
        ok = isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ValueError(
            "%s: expected %s%s, got %s" % (where, KIND_NAMES[kind], " or null" if null_ok else "", _shown(value))
        )


def _shown(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
