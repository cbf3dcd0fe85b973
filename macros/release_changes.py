"""What changed between two releases, computed by comparing their resolved rules.

`changes(old_rules, new_rules, entries)` compares two releases as the loader
resolves them (`rules.load_releases()`), not the change entries the rules file
lists: every difference is found, whatever entry (or template) caused it. Each
difference is one dict:

    {"area": "release" | "family" | "backend" | "rule", "subject": its id,
     "what": "Python version: supported", "kind": "added" | "removed" | "changed",
     "old": "3.10 or 3.11", "new": "3.11 or 3.12", "text": the sentence a page shows,
     "source": the `source` of the new release's change entry that touched the subject,
     "note": that entry's `note`, "name": the subject's name, "label": the field's
     label (None for a whole family, backend or rule), "field": whether it is one}

Values read as a reader reads them: sizes as sizes ("8192 MiB" -> "8.6 GB"),
lists joined in words, model families and backends by name, a backend's
shared minimum as "same as NVIDIA". Keys are turned into labels by known names
(`min_ram`: "RAM requirement") or from the key itself (`torch_version`:
"torch version"). Pure: it reads its arguments only.
"""

import re

from checks.units import format_gb, parse_size
from rules import join_words

ARROW = "→"
HEADER_FIELDS = (
    ("install.method", "install method"),
    ("install.name", "how to install"),
    ("install.url", "where to get it"),
)
FAMILY_LABELS = {
    "name": "name",
    "aliases": "also called",
    "resolution": "resolution",
    "min_nvidia.series": "NVIDIA series",
    "min_nvidia.compute_capability": "NVIDIA compute capability",
    "min_ram": "RAM requirement",
    "disk_models": "disk space for models",
    "notes": "notes",
}
BACKEND_LABELS = {
    "name": "name",
    "systems": "systems it runs on",
    "requires": "needs",
    "memory": "what its minimum measures",
    "recommended_memory": "recommended memory",
    "min_memory_from": "minimums per model family",
    "vendor": "GPU vendor",
}
RULE_LABELS = {"title": "title", "summary": "summary", "why": "why it matters", "fix": "what to do", "page": "page"}
# Lists of these keys are alternatives ("3.10 or 3.11"); other lists are all of their items.
OR_KEYS = ("supported", "platforms", "systems")
STATUS_WORDS = {"fail": "fail", "warn": "warning", "pass": "pass", "info": "note", "unknown": "can't tell"}
SIZE = re.compile(r"^\s*\d+(\.\d+)?\s*[KMGT]i?B\s*$")
SYSTEM_NAMES = {"linux": "Linux", "macos": "macOS", "windows": "Windows"}


def changes(old_rules, new_rules, entries=()):
    """Every difference from `old_rules` to `new_rules` (two resolved releases), in reading order.

    `entries`: the new release's change entries (`releases[i].changes` of the
    rules file), to attach each difference's source and note to it.
    """
    found = []
    found += _header_changes(old_rules.get("release") or {}, new_rules.get("release") or {})
    old_backends, new_backends = _by_id(old_rules.get("backends")), _by_id(new_rules.get("backends"))
    found += _entity_changes(
        "family",
        _by_id(old_rules.get("model_families")),
        _by_id(new_rules.get("model_families")),
        lambda family, rules: _family_words(family, rules),
        lambda old, new: _family_field_changes(old, new, old_rules, new_rules),
        old_rules,
        new_rules,
    )
    found += _entity_changes(
        "backend",
        old_backends,
        new_backends,
        lambda backend, rules: _backend_words(backend, rules),
        lambda old, new: _field_changes(
            old, new, BACKEND_LABELS, lambda key, value: _backend_value(key, value, new_rules, old_rules)
        ),
        old_rules,
        new_rules,
    )
    found += _entity_changes(
        "rule",
        _by_id(old_rules.get("rules")),
        _by_id(new_rules.get("rules")),
        lambda rule, rules: rule.get("summary", ""),
        _rule_field_changes,
        old_rules,
        new_rules,
    )
    return [_with_source(item, entries) for item in found]


def sentence(item):
    """ "SDXL: RAM requirement added, 16 GB", "Python version: supported 3.10 or 3.11 → 3.11 or 3.12"."""
    if item["kind"] == "added":
        if item.get("field"):
            return "%s added, %s" % (item["what"], item["new"])
        return "%s: added (%s)" % (item["what"], item["new"]) if item["new"] else "%s: added" % item["what"]
    if item["kind"] == "removed":
        if item.get("field"):
            return "%s no longer stated (was %s)" % (item["what"], item["old"])
        return "%s: no longer listed" % item["what"]
    return "%s %s %s %s" % (item["what"], item["old"], ARROW, item["new"])


# --- the parts of a release ----------------------------------------------------


def _header_changes(old, new):
    found = []
    for key, label in HEADER_FIELDS:
        before, after = _dig(old, key), _dig(new, key)
        if before != after:
            item = _change("release", new.get("version") or "", label, before, after, field=True)
            item["name"] = new.get("name") or new.get("version") or "the release"
            item["what"] = "%s: %s" % (item["name"], label)
            found.append(item)
    return found


def _entity_changes(area, old_items, new_items, describe, field_changes, old_rules, new_rules):
    found = []
    for entity_id, new in new_items.items():
        old = old_items.get(entity_id)
        if old is None:
            found.append(_change(area, entity_id, _name(new, area), None, describe(new, new_rules)))
        else:
            for item in field_changes(old, new):
                item["area"], item["subject"], item["label"] = area, entity_id, item["what"]
                item["name"] = _name(new, area)
                item["what"] = "%s: %s" % (_name(new, area), item["what"])
                found.append(item)
    for entity_id, old in old_items.items():
        if entity_id not in new_items:
            found.append(_change(area, entity_id, _name(old, area), describe(old, old_rules), None))
    return found


def _family_field_changes(old, new, old_rules, new_rules):
    """A family's fields, and its memory per backend as the pages state it (a shared minimum included)."""
    found = []
    backends = [backend["id"] for backend in new_rules.get("backends") or []]
    backends += [backend["id"] for backend in old_rules.get("backends") or [] if backend["id"] not in backends]
    for backend_id in backends:
        before, after = family_memory(old, backend_id, old_rules), family_memory(new, backend_id, new_rules)
        if before != after:
            label = "%s %s" % (_backend_name(backend_id, new_rules, old_rules), _memory_word(backend_id, new_rules))
            item = _change(None, None, label, before, after, field=True)
            item["backend"] = backend_id
            found.append(item)
    rest = dict((key, value) for key, value in old.items() if key != "min_memory")
    found += _field_changes(
        rest, dict((key, value) for key, value in new.items() if key != "min_memory"), FAMILY_LABELS, _plain_value
    )
    return found


def _rule_field_changes(old, new):
    found = _field_changes(
        dict((key, value) for key, value in old.items() if key != "values"),
        dict((key, value) for key, value in new.items() if key != "values"),
        RULE_LABELS,
        _plain_value,
    )
    found += _field_changes(old.get("values") or {}, new.get("values") or {}, {}, _plain_value)
    return found


def _field_changes(old, new, labels, show):
    """A deep diff of two dicts: one change per leaf added, removed or changed."""
    found = []
    for path, before, after in _diff(old, new, []):
        key = ".".join(str(part) for part in path)
        label = labels.get(key) or _label(path)
        found.append(_change(None, None, label, show(path, before), show(path, after), field=True))
    return found


def _diff(old, new, path):
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [key for key in new if key not in old]:
            for item in _diff(old.get(key, _MISSING), new.get(key, _MISSING), path + [key]):
                yield item
        return
    if _is_record_list(old) and _is_record_list(new):
        for index in range(max(len(old), len(new))):
            before = old[index] if index < len(old) else _MISSING
            after = new[index] if index < len(new) else _MISSING
            for item in _diff(before, after, path + [index]):
                yield item
        return
    if old is _MISSING and isinstance(new, dict):
        for item in _diff({}, new, path):
            yield item
        return
    if new is _MISSING and isinstance(old, dict):
        for item in _diff(old, {}, path):
            yield item
        return
    if old != new:
        yield path, (None if old is _MISSING else old), (None if new is _MISSING else new)


_MISSING = object()


def _is_record_list(value):
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


# --- words -----------------------------------------------------------------------


def family_memory(family, backend_id, rules):
    """What a family needs on one backend, as the pages say it; None when it states nothing for it."""
    backend = _by_id(rules.get("backends")).get(backend_id)
    own = (family.get("min_memory") or {}).get(backend_id)
    if own is not None:
        return show_size(own)
    if backend is None:
        return None
    if backend.get("min_memory_from"):
        shared = (family.get("min_memory") or {}).get(backend["min_memory_from"])
        name = _backend_name(backend["min_memory_from"], rules)
        return "same as %s (%s)" % (name, show_size(shared)) if shared else "same as %s" % name
    if backend.get("recommended_memory"):
        return "any (%s recommended)" % show_size(backend["recommended_memory"])
    return None


def show_size(text):
    return format_gb(parse_size(text)) if isinstance(text, str) and SIZE.match(text) else text


def _plain_value(path, value):
    if value is None:
        return None
    key = str(path[-1]) if path else ""
    if isinstance(value, list):
        if all(not isinstance(item, (dict, list)) for item in value):
            return join_words([show_size(item) for item in value], "or" if key in OR_KEYS else "and")
        return join_words([_record_words(item) for item in value], "and")
    if isinstance(value, dict):
        return _record_words(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key.endswith("_status") and value in STATUS_WORDS:
        return STATUS_WORDS[value]
    return show_size(value) if isinstance(value, str) else str(value)


def _record_words(record):
    if isinstance(record, dict):
        if record.get("name"):
            return str(record["name"])
        return ", ".join("%s %s" % (_label([key]), _plain_value([key], value)) for key, value in record.items())
    return str(record)


def _backend_value(key_path, value, *rules_list):
    if value is None:
        return None
    if key_path and key_path[-1] == "min_memory_from":
        return "same as %s" % _backend_name(value, *rules_list)
    if key_path and key_path[-1] == "systems" and isinstance(value, list):
        return join_words([SYSTEM_NAMES.get(item, item) for item in value], "and")
    return _plain_value(key_path, value)


def _family_words(family, rules):
    """ "1024×1024; NVIDIA RTX 20xx or newer; NVIDIA 10 GB VRAM, AMD same as NVIDIA (10 GB); 32 GB RAM"."""
    parts = []
    if family.get("resolution"):
        parts.append(family["resolution"])
    series = (family.get("min_nvidia") or {}).get("series")
    if series:
        parts.append("NVIDIA %s or newer" % series)
    memory = []
    for backend in rules.get("backends") or []:
        need = family_memory(family, backend["id"], rules)
        if need:
            memory.append("%s %s" % (backend["name"], need))
    if memory:
        parts.append(", ".join(memory))
    if family.get("min_ram"):
        parts.append("%s RAM" % show_size(family["min_ram"]))
    if family.get("disk_models"):
        parts.append("%s disk for models" % show_size(family["disk_models"]))
    if family.get("notes"):
        parts.append(family["notes"])
    return "; ".join(parts)


def _backend_words(backend, rules):
    systems = join_words([SYSTEM_NAMES.get(item, item) for item in backend.get("systems") or []], "and")
    return "%s, on %s" % (backend.get("name", backend.get("id")), systems)


def _backend_name(backend_id, *rules_list):
    for rules in rules_list:
        backend = _by_id(rules.get("backends")).get(backend_id)
        if backend:
            return backend.get("name", backend_id)
    return backend_id


def _memory_word(backend_id, rules):
    backend = _by_id(rules.get("backends")).get(backend_id) or {}
    return "VRAM" if backend.get("memory", "VRAM") == "VRAM" else "memory"


def _label(path):
    """["min_driver", "linux"] -> "min driver, linux"; list indexes count from 1."""
    parts = []
    for part in path:
        parts.append("#%d" % (part + 1) if isinstance(part, int) else str(part).replace("_", " "))
    return ", ".join(parts)


def _name(entity, area):
    return str(entity.get("title") if area == "rule" else entity.get("name") or entity.get("id"))


# --- plumbing --------------------------------------------------------------------


def _change(area, subject, what, old, new, field=False):
    kind = "added" if old is None else "removed" if new is None else "changed"
    return {
        "area": area,
        "subject": subject,
        "name": what,
        "label": what if field else None,
        "what": what,
        "kind": kind,
        "old": old,
        "new": new,
        "field": field,
    }


def _with_source(item, entries):
    """The source and note of the entry that touched the item's subject (a family's shared minimum: its backend's)."""
    touched = [entry for entry in entries if entry.get(item["area"]) == item["subject"]]
    if not touched and item["area"] == "family":
        touched = [entry for entry in entries if item.get("backend") and entry.get("backend") == item["backend"]]
    item["source"] = "; ".join(entry["source"] for entry in touched if entry.get("source")) or None
    item["note"] = " ".join(entry["note"] for entry in touched if entry.get("note")) or None
    item["text"] = sentence(item)
    return item


def _by_id(items):
    return dict((item["id"], item) for item in items or [])


def _dig(data, dotted):
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data
