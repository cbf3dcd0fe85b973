"""No requirement value is typed into the docs: pages read every value from the rules.

The scanner is the one `python -m tools.verify` runs (check 2): the values are
derived from the loaded rules (sizes, versions, package names, GPU series and
their model numbers, model families, the installer release, paths and URLs), so
a value added to the rules is guarded without touching this test.
"""

from rules import load_releases
from tools.verify.check_hardcoded import describe, hard_coded_in_pages
from tools.verify.rule_values import requirement_values


def typed_values_in(docs_dir, rules, more_rules=()):
    """["file:line: kind 'value' typed in: the line"] for each requirement value typed into a Markdown page.

    `more_rules`: other releases, whose values no page may type either.
    """
    pages = [
        (path.relative_to(docs_dir).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(docs_dir.rglob("*.md"))
    ]
    lines = {page: text.splitlines() for page, text in pages}
    return [
        "%s:%d: %s %r (%s) typed in: %s"
        % (page, line, value.kind, value.text, describe(value), lines[page][line - 1].strip())
        for page, line, value, _ in hard_coded_in_pages(pages, rules, more_rules)
    ]


def later_releases():
    resolved = load_releases()
    default = resolved["default"]["release"]["version"]
    return [rules for version, rules in resolved.items() if version not in ("default", default)]


def test_the_docs_type_no_requirement_value(project_root, rules):
    found = typed_values_in(project_root / "docs", rules, later_releases())
    assert not found, "read these from the rules with a macro instead:\n" + "\n".join(found)


def test_the_value_list_covers_each_kind_of_value(rules):
    values = set((value.rule, value.kind, value.text) for value in requirement_values(rules))
    for expected in (
        ("ram.total", "size", "12 GB"),
        ("python.version", "version", "3.10"),
        ("libs.opencv", "package", "libgl1"),
        ("libs.opencv", "package", "libgl1-mesa-glx"),
        ("gpu.problematic", "series number", "1660"),
        ("gpu.vram", "name", "Stable Diffusion XL"),
        ("installer.latest", "version", "4.2.4"),
    ):
        assert expected in values


def test_the_values_of_later_releases_are_guarded_too(project_copy, rules):
    """A value only a later release has (FLUX.2 Klein 9B's 24 GB, Python 3.12) typed in a page is found."""
    (project_copy.root / "docs" / "planted.md").write_text(
        "The biggest model needs 24GB, on Python 3.12.\n", encoding="utf-8"
    )
    assert typed_values_in(project_copy.root / "docs", rules) == []
    found = typed_values_in(project_copy.root / "docs", rules, later_releases())
    assert sorted(entry.split(" (")[0] for entry in found) == [
        "planted.md:1: size '24 GB'",
        "planted.md:1: version '3.12'",
    ]


def test_a_planted_value_is_found_with_its_file_and_line(project_copy, rules):
    page = project_copy.root / "docs" / "requirements.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    lines.insert(4, "You need at least 12GB of memory and Python 3.11 on a GTX 1660.")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (project_copy.root / "docs" / "planted.md").write_text(
        'Install {{ value("libs.opencv", "libraries.0.packages.apt") }} (not libgl1).\n', encoding="utf-8"
    )

    found = typed_values_in(project_copy.root / "docs", rules)

    assert sorted(entry.split(" (")[0] for entry in found) == [
        "planted.md:1: package 'libgl1'",
        "requirements.md:5: series number '1660'",
        "requirements.md:5: size '12 GB'",
        "requirements.md:5: version '3.11'",
    ]
