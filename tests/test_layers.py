"""The layers point one way: rules <- checks <- macros, tools <- tests.

Read from the sources with the ast module, every import (at the top or inside
a function) of every module:
- rules/ imports nothing of the project's but itself;
- checks/ imports only checks/ (and the rules package, from a checkout only);
- macros/ imports checks/ and rules/, never tools/ or tests/;
- tools/ imports checks/, rules/ and macros/, never tests/.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("rules", "checks", "macros", "tools", "tests")
ALLOWED = {
    "rules": {"rules"},
    "checks": {"checks", "rules"},
    "macros": {"macros", "checks", "rules"},
    "tools": {"tools", "checks", "rules", "macros"},
}


def imported_packages(path, package):
    """(line, project package) for each import in the module at `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [package] if node.level else [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in PACKAGES:
                yield node.lineno, top


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(package):
    wrong = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, imported in imported_packages(path, package):
            if imported not in ALLOWED[package]:
                wrong.append("%s:%d imports %s" % (path.relative_to(ROOT), line, imported))
    assert not wrong, "\n".join(wrong)


def test_the_checker_reaches_the_rules_package_only_from_a_checkout():
    """The built check.py carries the rules as data: only rules_source may import the rules package."""
    users = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "checks").rglob("*.py")
        if any(imported == "rules" for _, imported in imported_packages(path, "checks"))
    )
    assert users == ["checks/rules_source.py"]


def test_a_planted_wrong_import_is_found(tmp_path):
    module = tmp_path / "planted.py"
    module.write_text("def f():\n    from tools.corpus import list_cases\n", encoding="utf-8")
    assert list(imported_packages(module, "checks")) == [(2, "tools")]
