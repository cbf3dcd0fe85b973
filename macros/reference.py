"""Reference pages generated from the code: the CLI help and the JSON report's fields."""

import argparse
import functools
import html
import json
from pathlib import Path

from mkdocs.exceptions import PluginError

DOCS_DIR = Path(__file__).resolve().parent.parent / "docs"
REPORT_SCHEMA_PATH = DOCS_DIR / "reference" / "report.schema.json"
# The content column holds about 78 monospace characters at 1280 px: the help fits without scrolling.
HELP_WIDTH = 76


def cli_help():
    """`check.py --help`, exactly as argparse prints it, at a fixed width (plain text for a code block)."""
    from checks.cli import build_parser  # imported late: only the CLI page needs it

    parser = build_parser()
    parser.prog = "check.py"
    formatter = parser.formatter_class or argparse.HelpFormatter
    parser.formatter_class = functools.partial(formatter, width=HELP_WIDTH)
    return parser.format_help().rstrip()


def report_schema():
    try:
        return json.loads(REPORT_SCHEMA_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PluginError("%s is missing: the report reference page is generated from it" % REPORT_SCHEMA_PATH)
    except ValueError as exc:
        raise PluginError("%s is not valid JSON: %s" % (REPORT_SCHEMA_PATH, exc))


def report_schema_text():
    return json.dumps(report_schema(), indent=2, ensure_ascii=False)


def report_fields_table():
    """Every field of the report that the schema describes: path, type, description.

    A field's path may break after a dot only (never inside a name), and a
    field without a description stops the build: every field has a meaning.
    """
    schema = report_schema()
    lines = ["| Field | Type | Meaning |", "| --- | --- | --- |"]
    for path, node in _fields(schema, schema, ""):
        meaning = _one_line(node.get("description", ""))
        if not meaning:
            raise PluginError(
                "%s: the field %s has no description; the report reference needs one" % (REPORT_SCHEMA_PATH.name, path)
            )
        breakable = ".<wbr>".join(html.escape(part) for part in path.split("."))
        lines.append('| <code class="field-path">%s</code> | %s | %s |' % (breakable, _type_of(node), meaning))
    return '<div class="report-fields" markdown>\n\n%s\n\n</div>' % "\n".join(lines)


def _resolve(schema, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            break
        target = schema
        for part in ref[2:].split("/"):
            target = target[part]
        merged = dict(target)
        merged.update({key: value for key, value in node.items() if key != "$ref"})
        node, seen = merged, seen + 1
    return node


def _fields(schema, node, prefix):
    node = _resolve(schema, node)
    for name, child in node.get("properties", {}).items():
        child = _resolve(schema, child)
        path = prefix + name
        yield path, child
        if "properties" in child:
            yield from _fields(schema, child, path + ".")
        items = _resolve(schema, child.get("items", {}))
        if isinstance(items, dict) and "properties" in items:
            yield from _fields(schema, items, path + "[].")


def _type_of(node):
    if "enum" in node:
        return " / ".join("`%s`" % json.dumps(value) for value in node["enum"])
    if "const" in node:
        return "`%s`" % json.dumps(node["const"])
    kind = node.get("type", "")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        item = node.get("items", {})
        return "array of %s" % (item.get("type", "objects") if isinstance(item, dict) else "items")
    return kind or "any"


def _one_line(text):
    return " ".join(str(text).split()).replace("|", "\\|")


def rules_error_example():
    """The message the build really prints for a size with a bad unit (RAM's `min` cut short)."""
    import re
    import tempfile

    from rules import RULES_PATH, RulesError, build_stopped_message, load_rules

    text = RULES_PATH.read_text(encoding="utf-8")
    start = text.index("id: ram.total")
    line = re.compile(r"^(\s+min:\s*)(.+?)B\s*$", re.M).search(text, start)
    broken = text[: line.start()] + line.group(1) + line.group(2) + text[line.end() :]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "requirements.yaml"
        path.write_text(broken, encoding="utf-8")
        try:
            load_rules(path)
        except RulesError as err:
            return build_stopped_message(err).replace(str(path), "rules/requirements.yaml")
    raise PluginError("the example of a bad rules file loaded without error")
