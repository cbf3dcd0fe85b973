"""No requirement value is typed into the docs: pages read every value from the rules.

The list of values is derived from the loaded rules (sizes, versions, package
names, GPU series, model families, installer release, paths and URLs), so a
value added to the rules is guarded without touching this test.
"""
import re

from checks.units import parse_size

MACRO_SPAN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")
SIZE_UNIT_PREFIX = {"B": "", "KB": "K", "MB": "M", "GB": "G", "TB": "T", "KiB": "K", "MiB": "M", "GiB": "G", "TiB": "T"}
# Values named by their key wherever they appear in a rule's values.
NAMED_KEYS = {"name", "example", "file", "folder", "replaced_by", "default_root", "root_env_var",
              "alternative_dir", "remount_size"}


def _leaves(value, keys=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, keys + (key,))
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, keys)
    else:
        yield keys, value


def _is_size(text):
    try:
        parse_size(text)
    except ValueError:
        return False
    return True


def _size_pattern(text):
    number, unit = re.match(r"\s*([0-9.]+)\s*(\w+)", text).groups()
    prefix = SIZE_UNIT_PREFIX[unit]
    # "12 GB", "12GB", "12 GiB" and "12G" all state the same requirement.
    return r"(?<![\d.])%s\s*%s(?:B|iB)?\b" % (re.escape(number), prefix)


def _word_pattern(text):
    return r"(?<![\w.-])%s(?![\w-])" % re.escape(text)


def typed_value_patterns(rules):
    """{description: regex} for every requirement value the docs must not type."""
    patterns = {}

    def add(text, kind):
        text = str(text)
        if any(name.lower().endswith(" %r" % text.lower()) for name in patterns):
            return
        if _is_size(text):
            patterns["size %r" % text] = _size_pattern(text)
        else:
            patterns["%s %r" % (kind, text)] = _word_pattern(text)

    for family in rules["model_families"]:
        for key in ("id", "name", "min_vram", "min_ram"):
            if key in family:
                add(family[key], "model family")
    for key in ("default_root", "root_env_var"):
        add(rules["app"][key], "app")
    for rule in rules["rules"]:
        for keys, value in _leaves(rule["values"]):
            if not isinstance(value, str):
                continue
            key = keys[-1] if keys else ""
            if _is_size(value) or VERSION.match(value) or value.startswith("http"):
                add(value, rule["id"])
            elif key in NAMED_KEYS or "packages" in keys or "legacy_packages" in keys:
                if key != "gone_since":
                    add(value, rule["id"])
        for series in rule["values"].get("series", []):
            # The model numbers inside a series name: "10xx", "1650", "1660"; and in its example.
            for token in re.findall(r"\b\d+\w*\b", series["name"] + " " + series["example"]):
                patterns["GPU series number %r" % token] = _word_pattern(token)
    return patterns


def typed_values_in(docs_dir, rules):
    """["file:line: the value"] for each requirement value typed into a Markdown page."""
    compiled = {name: re.compile(pattern, re.I) for name, pattern in typed_value_patterns(rules).items()}
    found = []
    for path in sorted(docs_dir.rglob("*.md")):
        source = path.read_text(encoding="utf-8")
        # Blank the macro calls but keep their newlines, so line numbers stay true.
        text = MACRO_SPAN.sub(lambda match: "\n" * match.group(0).count("\n"), source)
        for number, line in enumerate(text.splitlines(), start=1):
            for name, pattern in compiled.items():
                if pattern.search(line):
                    found.append("%s:%d: %s typed in: %s" % (path.relative_to(docs_dir), number, name, line.strip()))
    return found


def test_the_docs_type_no_requirement_value(project_root, rules):
    found = typed_values_in(project_root / "docs", rules)
    assert not found, "read these from the rules with a macro instead:\n" + "\n".join(found)


def test_the_value_list_covers_each_kind_of_value(rules):
    names = " ".join(typed_value_patterns(rules))
    for expected in ("size '12 GB'", "python.version '3.10'", "libs.opencv 'libgl1'",
                     "libs.opencv 'libgl1-mesa-glx'", "GPU series number '1660'",
                     "model family 'Stable Diffusion XL'", "installer.latest '4.2.4'"):
        assert expected in names


def test_a_planted_value_is_found_with_its_file_and_line(project_copy, rules):
    page = project_copy.root / "docs" / "requirements.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    lines.insert(4, "You need at least 12GB of memory and Python 3.11 on a GTX 1660.")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (project_copy.root / "docs" / "planted.md").write_text(
        'Install {{ value("libs.opencv", "libraries.0.packages.apt") }} (not libgl1).\n', encoding="utf-8")

    found = typed_values_in(project_copy.root / "docs", rules)

    assert sorted(entry.split(" typed in")[0] for entry in found) == [
        "planted.md:1: libs.opencv 'libgl1'",
        "requirements.md:5: GPU series number '1660'",
        "requirements.md:5: python.version '3.11'",
        "requirements.md:5: size '12 GB'",
    ]
