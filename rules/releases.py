"""Requirements per release: the rules file states the first release in full, and each later one as its changes.

The top of requirements.yaml (backends, model_families, rules) is the first
release's: the site's default. Each later entry of `releases` lists what
changed from the release before it, each change with its source, so a value
that does not change is written once:

    - rule: ram.total            # or family: sdxl, or backend: mps
      source: docs/installation/requirements.md
      set: {values: {min: 16 GB}}   # merged in; null deletes a key; a list replaces the old one
    - rule: gpu.problematic
      removed: true
    - rule: os.version
      add: {title: ..., values: ...}  # a new entry, complete

`resolve(data, version)` returns that release's rules in the shape of the
file's top (so every consumer reads one release the same way) with `release`,
the chosen release's header, and `releases`, the headers of all of them.
Pure and stdlib-only: the loader validates and expands what it returns.
"""

import copy

# What a change can name, and the section of the rules it edits.
TARGETS = (("rule", "rules"), ("family", "model_families"), ("backend", "backends"))
ACTIONS = ("set", "add", "removed")
HEADER_FIELDS = ("version", "tag", "name", "install", "sources")


class ReleaseError(Exception):
    """A change that cannot be applied; `keys` is its key path in the file."""

    def __init__(self, keys, message):
        self.keys = keys
        super().__init__(message)


def versions(data):
    """The release versions, oldest first; the first is the default."""
    return [release["version"] for release in data["releases"]]


def default_version(data):
    return data["releases"][0]["version"]


def header(release):
    """What a release says of itself, without its changes."""
    return dict((key, copy.deepcopy(release[key])) for key in HEADER_FIELDS if key in release)


def target_of(change):
    """(kind, id, section) of a change: ("rule", "ram.total", "rules")."""
    for kind, section in TARGETS:
        if kind in change:
            return kind, change[kind], section
    raise ValueError("a change names none of %s" % ", ".join(kind for kind, _ in TARGETS))


def action_of(change):
    return next(action for action in ACTIONS if action in change)


def resolve(data, version=None):
    """The rules of release `version` (default: the first), as a new dict."""
    known = versions(data)
    version = known[0] if version is None else version
    if version not in known:
        raise KeyError(version)
    resolved = copy.deepcopy(dict((key, value) for key, value in data.items() if key != "releases"))
    for index, release in enumerate(data["releases"]):
        for number, change in enumerate(release.get("changes") or []):
            apply_change(resolved, change, ["releases", index, "changes", number])
        if release["version"] == version:
            break
    resolved["release"] = header(release)
    resolved["releases"] = [header(each) for each in data["releases"]]
    return resolved


def apply_change(rules, change, keys):
    kind, entry_id, section = target_of(change)
    entries = rules[section]
    position = next((i for i, entry in enumerate(entries) if entry["id"] == entry_id), None)
    action = action_of(change)
    if action == "add":
        if position is not None:
            raise ReleaseError(
                keys + [kind], "adds %s %r, which the release before already has: use set" % (kind, entry_id)
            )
        entry = copy.deepcopy(change["add"])
        entry["id"] = entry_id
        entries.append(entry)
        return
    if position is None:
        known = ", ".join(entry["id"] for entry in entries)
        raise ReleaseError(keys + [kind], "%s %r is not in the release before (known: %s)" % (kind, entry_id, known))
    if action == "removed":
        del entries[position]
    else:
        merge(entries[position], change["set"])


def merge(target, changes):
    """Merge `changes` into the dict `target`: dicts recursively, None deletes, anything else replaces."""
    for key, value in changes.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
