"""Load and validate the rules file: the one source of truth.

`load_rules()` returns the rules as plain, JSON-able data, or raises
`RulesError` whose every line names the file, the line, the key path and what
was expected. It is the bottom layer: the site build (macros/), the script
build, the docs CI (tools/) and the tests import it, and it imports nothing of
the project's. The size grammar has one home, the schema's `$defs.size`.
"""

import json
import re
from pathlib import Path

import jsonschema
import yaml

from . import releases

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RULES_PATH = PROJECT_ROOT / "rules" / "requirements.yaml"
SCHEMA_PATH = PROJECT_ROOT / "rules" / "requirements.schema.json"
MKDOCS_YML = PROJECT_ROOT / "mkdocs.yml"


class RulesError(Exception):
    """The rules file cannot be used; `problems` lists (location, message)."""

    def __init__(self, path, problems):
        self.path = Path(path)
        self.problems = problems
        super().__init__("\n".join("%s: %s" % (where, what) for where, what in problems))


def load_rules(path=RULES_PATH, schema_path=SCHEMA_PATH, release=None):
    """Read and validate the rules at `path`; return those of `release` (default: the first, the site's)."""
    return load_releases(path, schema_path, only=release)[release or "default"]


def load_releases(path=RULES_PATH, schema_path=SCHEMA_PATH, only=None):
    """{version: rules} for every release, oldest first, plus "default" for the first.

    Every release is validated after its changes, so a change that leaves a
    later release broken stops the build as a typo in the first one does.
    With `only`, just that release (and the default) is returned; an unknown
    version raises RulesError naming the known ones.
    """
    path = Path(path)
    display = _display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesError(path, [(display, "file not found: the site and the checker are built from it")])
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(path, [(display, "cannot read: %s" % exc)])

    data, root_node = _parse_yaml(text, display, path)
    schema = load_schema(schema_path)
    # A repeated id is reported alone: the schema's complaints about a rule
    # that merely reuses another's id would only hide it.
    problems = _duplicate_id_problems(data, root_node, display)
    if not problems:
        problems = _schema_problems(data, schema, root_node, display)
    if not problems:
        problems = _release_list_problems(data, root_node, display)
    if problems:
        raise RulesError(path, problems)
    known = releases.versions(data)
    if only is not None and only not in known:
        raise RulesError(path, [(display, "no release %r in the rules (known: %s)" % (only, join_words(known, "and")))])
    resolved = {}
    for index, version in enumerate(known):
        if only is not None and version not in (only, known[0]):
            continue
        rules, problems = _resolve_release(data, version, index, schema, root_node, display)
        if problems:
            raise RulesError(path, problems)
        resolved[version] = rules
    resolved["default"] = resolved[known[0]]
    return resolved


def _resolve_release(data, version, index, schema, root_node, display):
    """(rules, problems) of one release: its changes applied, then the same checks as the first."""
    try:
        rules = releases.resolve(data, version)
    except releases.ReleaseError as exc:
        return None, [(_where(display, root_node, data, exc.keys), str(exc))]
    if index == 0:
        where_root, where = root_node, display
    else:
        # Problems after the changes have no line of their own: they name the release's.
        line = _node_at(root_node, ["releases", index]).start_mark.line + 1
        where_root, where = None, "%s:%d (release %s, after its changes)" % (display, line, version)
    # `release` is the loader's, not the file's: the schema checks what the file can hold.
    chosen = rules.pop("release")
    problems = _duplicate_id_problems(rules, where_root, where)
    if not problems:
        problems = _schema_problems(rules, schema, where_root, where)
    rules["release"] = chosen
    if not problems:
        problems = _semantic_problems(rules, where_root, where) + _template_problems(rules, where_root, where)
    if not problems:
        _expand_templates(rules)
    return rules, problems


def _release_list_problems(data, root_node, display):
    """There is a list of releases, versions are unique, and only later releases list changes."""
    if not isinstance(data.get("releases"), list) or not data["releases"]:
        return [(display, "missing key 'releases': the list of Invoke's releases, the first being the rules above it")]
    problems = []
    seen = set()
    for index, release in enumerate(data["releases"]):
        if release["version"] in seen:
            problems.append(
                (
                    _where(display, root_node, data, ["releases", index, "version"]),
                    "release %r is listed twice" % release["version"],
                )
            )
        seen.add(release["version"])
        if index == 0 and release.get("changes"):
            problems.append(
                (
                    _where(display, root_node, data, ["releases", 0, "changes"]),
                    "the first release is the rules above it and lists no changes: move them into the rules",
                )
            )
    return problems


def build_stopped_message(err):
    """What a site or script build prints when the rules cannot be used: one readable block."""
    return "The rules file cannot be used, so the site cannot be built:\n%s" % err


def load_schema(schema_path=SCHEMA_PATH):
    return json.loads(Path(schema_path).read_text(encoding="utf-8"))


def size_units(schema=None):
    """The units the schema's size grammar ($defs.size) allows, in its order."""
    pattern = (schema or load_schema())["$defs"]["size"]["pattern"]
    return re.search(r"\(([A-Za-z|]+)\)\$$", pattern).group(1).split("|")


# --- YAML ------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys instead of keeping the last one."""


def _construct_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "duplicate key %r (first at line %d)" % (key, seen[key] + 1),
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _parse_yaml(text, display, path):
    try:
        root_node = yaml.compose(text, Loader=_StrictLoader)
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = "%s:%d" % (display, mark.line + 1) if mark else display
        problem = exc.problem or str(exc)
        if exc.context and "duplicate" not in problem:
            problem = "%s %s" % (exc.context, problem)
            started = exc.context_mark
            if started is not None and mark is not None and started.line != mark.line:
                problem += " (it started at line %d)" % (started.line + 1)
        raise RulesError(path, [(where, "YAML syntax error: %s" % problem)])
    except yaml.YAMLError as exc:
        raise RulesError(path, [(display, "YAML syntax error: %s" % exc)])
    if not isinstance(data, dict):
        raise RulesError(
            path,
            [
                (
                    display,
                    "expected a mapping with schema_version, app, backends, model_families, rules and releases at the top",
                )
            ],
        )
    return data, root_node


def _node_at(root, keys):
    """The YAML node at a key path, or the deepest one that exists."""
    node = root
    for key in keys:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == key:
                    child = value_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
        if child is None:
            break
        node = child
    return node


def _key_path(data, keys):
    """rules[3](ram.total).values.min: readable, and names each entry (by id, release version, or what a change edits)."""
    text, value = "", data
    for key in keys:
        if isinstance(key, int):
            text += "[%d]" % key
            try:
                value = value[key]
            except (IndexError, KeyError, TypeError):
                value = None
            label = _entry_label(value)
            if label:
                text += "(%s)" % label
        else:
            text += ("." if text else "") + str(key)
            value = value.get(key) if isinstance(value, dict) else None
    return text or "(top level)"


def _entry_label(value):
    if not isinstance(value, dict):
        return None
    for key in ("id", "version"):
        if isinstance(value.get(key), str):
            return value[key]
    for kind, _ in releases.TARGETS:
        if isinstance(value.get(kind), str):
            return "%s %s" % (kind, value[kind])
    return None


def _where(display, root_node, data, keys):
    node = _node_at(root_node, keys)
    line = node.start_mark.line + 1 if node is not None else None
    prefix = "%s:%d" % (display, line) if line else display
    return "%s: %s" % (prefix, _key_path(data, keys))


# --- schema ------------------------------------------------------------------

_TYPE_NAMES = {
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
}


def _describe(value):
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return "%s %r" % (type(value).__name__.replace("str", "string").replace("int", "number"), value)


def _friendly(error, schema):
    validator, expected = error.validator, error.validator_value
    if validator == "required":
        missing = [key for key in expected if key not in (error.instance or {})]
        return "missing key %s" % ", ".join(repr(key) for key in missing)
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [key for key in error.instance if key not in allowed]
        return "unknown key %s (allowed here: %s)" % (", ".join(repr(k) for k in extra), ", ".join(allowed))
    if validator == "type":
        return "expected %s, got %s" % (_TYPE_NAMES.get(expected, expected), _describe(error.instance))
    if validator == "pattern":
        if error.schema.get("pattern") == schema["$defs"]["size"]["pattern"]:
            return "expected a size such as '12 GB' (units: %s), got %r" % (
                ", ".join(size_units(schema)),
                error.instance,
            )
        return "expected text matching %s, got %r" % (expected, error.instance)
    if validator == "enum":
        return "expected one of %s, got %r" % (", ".join(repr(v) for v in expected), error.instance)
    if validator == "const":
        return "expected %r, got %r" % (expected, error.instance)
    if validator in ("minItems", "minLength"):
        return "must not be empty"
    if validator == "uniqueItems":
        return "has the same entry twice"
    return error.message


def _schema_problems(data, schema, root_node, display):
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in validator.iter_errors(data):
        # if/then rules report through their leaves: the most specific messages.
        for leaf in _leaves(error):
            problem = (_where(display, root_node, data, list(leaf.absolute_path)), _friendly(leaf, schema))
            if problem not in problems:
                problems.append(problem)
    return sorted(problems, key=lambda item: _line_of(item[0]))


def _leaves(error):
    if error.context:
        for sub in error.context:
            yield from _leaves(sub)
    else:
        yield error


def _line_of(where):
    match = re.search(r":(\d+):", where)
    return int(match.group(1)) if match else 0


# --- meaning -----------------------------------------------------------------


def _duplicate_id_problems(data, root_node, display):
    """Model family ids and rule ids that appear twice (robust to entries of any shape)."""
    problems = []
    for section, what in (("backends", "backend id"), ("model_families", "model family id"), ("rules", "rule id")):
        entries = data.get(section)
        if not isinstance(entries, list):
            continue
        first_index = {}
        for index, entry in enumerate(entries):
            entry_id = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(entry_id, str):
                continue
            if entry_id in first_index:
                message = "duplicate %s %r (also %s[%d])" % (what, entry_id, section, first_index[entry_id])
                if section == "rules":
                    message += ": ids are page anchors and must be unique"
                problems.append((_where(display, root_node, data, [section, index, "id"]), message))
            first_index.setdefault(entry_id, index)
    return problems


def _semantic_problems(data, root_node, display):
    problems = []

    def problem(keys, message):
        problems.append((_where(display, root_node, data, keys), message))

    family_ids = {family["id"] for family in data["model_families"]}
    backend_ids = [backend["id"] for backend in data["backends"]]
    for index, family in enumerate(data["model_families"]):
        stated = list(family["min_memory"])
        for backend_id in stated:
            if backend_id not in backend_ids:
                problem(
                    ["model_families", index, "min_memory", backend_id],
                    "backend %r is not one of backends (known: %s)" % (backend_id, ", ".join(backend_ids)),
                )
        for backend in data["backends"]:
            if backend["id"] in stated and backend.get("min_memory_from"):
                problem(
                    ["model_families", index, "min_memory", backend["id"]],
                    "backend %r shares the minimums of %r (min_memory_from): state it there only"
                    % (backend["id"], backend["min_memory_from"]),
                )
            if backend["id"] not in stated and not _states_memory_elsewhere(backend):
                problem(
                    ["model_families", index, "min_memory"],
                    "states no minimum for backend %r: every family needs one per backend "
                    "(unless the backend has recommended_memory or min_memory_from)" % backend["id"],
                )
    for index, backend in enumerate(data["backends"]):
        shared = backend.get("min_memory_from")
        if shared is not None and (shared not in backend_ids or shared == backend["id"]):
            problem(
                ["backends", index, "min_memory_from"],
                "names backend %r, which is not another of backends (known: %s)" % (shared, ", ".join(backend_ids)),
            )
    for index, rule in enumerate(data["rules"]):
        for keys, value in _walk(rule.get("values", {}), ["rules", index, "values"]):
            last = keys[-1]
            if isinstance(last, str) and last.endswith("family") or last == "beefier_gpu_for":
                if value not in family_ids:
                    problem(
                        keys,
                        "refers to model family %r, which model_families does not define (known: %s)"
                        % (value, ", ".join(sorted(family_ids))),
                    )
            if last == "pattern":
                try:
                    re.compile(value)
                except re.error as exc:
                    problem(keys, "not a valid regular expression: %s" % exc)
    return problems


def _states_memory_elsewhere(backend):
    return "recommended_memory" in backend or "min_memory_from" in backend


def _walk(value, keys):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, keys + [key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, keys + [index])
    else:
        yield keys, value


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_TEXT_FIELDS = ("title", "summary", "why", "fix")


def join_words(items, word):
    """["a", "b", "c"], "and" -> "a, b and c": how the site and the rule texts list values."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return "%s %s %s" % (", ".join(items[:-1]), word, items[-1])


def _template_value(value):
    """How a rule value reads inside a sentence: lists joined, named entries by name."""
    if isinstance(value, list):
        if all(isinstance(item, dict) for item in value):
            return join_words([item["name"] for item in value], "and")
        return join_words(value, "or")
    return str(value)


def _template_problems(data, root_node, display):
    """A {placeholder} in a rule's text must name one of that rule's values."""
    problems = []
    for index, rule in enumerate(data["rules"]):
        for field in _TEXT_FIELDS + tuple(rule["values"]):
            text = rule.get(field) if field in _TEXT_FIELDS else rule["values"][field]
            if not isinstance(text, str):
                continue
            for name in _PLACEHOLDER.findall(text):
                if name not in rule["values"] or isinstance(rule["values"][name], dict):
                    keys = ["rules", index, field] if field in _TEXT_FIELDS else ["rules", index, "values", field]
                    problems.append(
                        (
                            _where(display, root_node, data, keys),
                            "{%s} is not one of this rule's values (known: %s)"
                            % (name, ", ".join(sorted(rule["values"]))),
                        )
                    )
    return problems


def _expand_templates(data):
    """Fill {value} placeholders in each rule's texts and string values from its own values.

    Sentences such as "At least {min} of RAM" keep the value stated once, in `values`.
    """
    for rule in data["rules"]:
        values = rule["values"]

        def fill(match, values=values):
            return _template_value(values[match.group(1)])

        for key, value in list(values.items()):
            if isinstance(value, str):
                values[key] = _PLACEHOLDER.sub(fill, value)
        for field in _TEXT_FIELDS:
            rule[field] = _PLACEHOLDER.sub(fill, rule[field])


def _display_path(path):
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
