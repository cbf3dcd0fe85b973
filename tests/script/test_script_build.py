"""The downloadable check.py: built deterministically, one file, every module embedded."""

import ast
import hashlib
import subprocess

from macros.script_bundle import PAGE_ONLY, TYPE_ONLY, build_script, for_checker, package_modules, sha256_line

from .conftest import SITE_URL


def test_build_is_deterministic(rules):
    assert build_script(rules, SITE_URL) == build_script(rules, SITE_URL)


def test_every_module_of_the_package_is_embedded(script_text, project_root):
    tree = ast.parse(script_text)
    sources = next(node.value for node in tree.body if isinstance(node, ast.Assign) and node.targets[0].id == "SOURCES")
    embedded = {key.value for key in sources.keys}
    assert embedded == {name for name, _, _ in package_modules()}
    assert {"checks", "checks.cli", "checks.units"} <= embedded
    every = {
        ".".join(path.relative_to(project_root).with_suffix("").parts).replace(".__init__", "")
        for path in (project_root / "checks").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert embedded == every - set(TYPE_ONLY) and set(TYPE_ONLY) <= every


def test_the_modules_left_out_are_imported_for_type_checkers_only(project_root):
    """check.py leaves out TYPE_ONLY: every import of them must sit under `if TYPE_CHECKING:`."""
    found = []
    for path in sorted((project_root / "checks").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
                guarded.update(id(sub) for sub in ast.walk(node))
        package = ".".join(path.relative_to(project_root).parent.parts)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names = [(base + "." if node.level else "") + (node.module or "")]
                names += [names[0] + "." + alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if any(name.rstrip(".") in TYPE_ONLY for name in names):
                found.append((path.relative_to(project_root).as_posix(), node.lineno, id(node) in guarded))
    assert found and all(guarded for _, _, guarded in found), [item for item in found if not item[2]]


def top_level_value(script_text, name):
    tree = ast.parse(script_text)
    return next(node.value for node in tree.body if isinstance(node, ast.Assign) and node.targets[0].id == name)


def test_every_release_is_embedded_as_data_one_line_each_default_first(script_text, rules):
    import json

    from rules import load_releases

    every = load_releases()
    versions = [header["version"] for header in rules["releases"]]
    embedded = ast.literal_eval(top_level_value(script_text, "RELEASES_JSON"))
    assert list(embedded) == versions and len(versions) > 1
    lines = script_text.splitlines()
    headers = json.loads(ast.literal_eval(top_level_value(script_text, "RELEASE_HEADERS_JSON")))
    assert headers == for_checker(rules)["releases"] and [header["name"] for header in headers] == [
        header["name"] for header in rules["releases"]
    ]
    for index, (version, text) in enumerate(embedded.items()):
        # Each line as load_rules() gives it, less what only the pages show and the headers the script holds once.
        resolved = dict(json.loads(text), release=headers[index], releases=headers)
        assert resolved == for_checker(every[version]) and "releases" not in json.loads(text)
        # One line each, after a comment that names it, all side by side (gzip finds what they share).
        line = next(index for index, each in enumerate(lines) if each.startswith("%r: r'''{" % version))
        assert lines[line - 1].startswith("# %s" % every[version]["release"]["name"])


def test_what_the_script_leaves_out_changes_no_finding_in_any_release():
    """The fields only the pages show (PAGE_ONLY) are left out of check.py: no check may read them."""
    from checks.evaluate import evaluate
    from rules import load_releases
    from tools.corpus import facts_for_case, list_cases

    every = load_releases()
    left_out = 0
    for header in every["default"]["releases"]:
        whole = every[header["version"]]
        lean = for_checker(whole)
        left_out += sum(
            1 for section, keys in PAGE_ONLY.items() if keys and any(set(keys) & set(e) for e in whole[section])
        )
        for case in list_cases():
            facts = facts_for_case(case, whole)
            assert evaluate(facts, lean, SITE_URL) == evaluate(facts, whole, SITE_URL), (header["version"], case)
    assert left_out and all(
        section not in for_checker(every["default"]) for section, keys in PAGE_ONLY.items() if not keys
    )


def test_rules_a_test_made_are_embedded_alone(rules):
    import copy
    import json

    changed = copy.deepcopy(rules)
    changed["app"]["name"] = "Changed"
    embedded = ast.literal_eval(top_level_value(build_script(changed, SITE_URL), "RELEASES_JSON"))
    assert list(embedded) == [rules["release"]["version"]]
    assert json.loads(embedded[rules["release"]["version"]])["app"]["name"] == "Changed"


def test_the_only_call_at_top_level_is_main_in_the_bracketed_last_statement(script_text):
    tree = ast.parse(script_text)
    lines = script_text.rstrip("\n").splitlines()
    last = tree.body[-1]
    # "(" alone on its line, the call, ")" alone on the last line: a cut inside leaves a bracket open.
    assert isinstance(last, ast.Expr) and lines[last.lineno - 1] == "(" and lines[-1] == ")"
    assert "main()" in "\n".join(lines[last.lineno - 1 :])
    for node in tree.body[:-1]:
        assert isinstance(node, (ast.Import, ast.ImportFrom, ast.Assign, ast.FunctionDef, ast.Expr)), ast.dump(node)[
            :80
        ]
        if isinstance(node, ast.Expr):  # only the docstring
            assert isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        if isinstance(node, ast.Assign):
            assert not any(isinstance(sub, ast.Call) for sub in ast.walk(node.value))


def test_imports_only_the_standard_library(script_text):
    import sys

    stdlib = set(sys.stdlib_module_names)
    for name, _, source in package_modules():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [node.module.split(".")[0]]
            else:
                continue
            for root in roots:
                if name == "checks.rules_source" and root == "rules":
                    continue  # the checkout-only fallback; the built script has embedded rules
                assert root in stdlib or root in ("checks", "psutil", "js", "pyodide"), "%s imports %s" % (name, root)


def test_sha256_file_verifies_with_sha256sum(script_path):
    result = subprocess.run(
        ["sha256sum", "-c", "check.py.sha256"], cwd=str(script_path.parent), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "check.py: OK"


def test_sha256_line_matches_the_text(script_text):
    digest = hashlib.sha256(script_text.encode("utf-8")).hexdigest()
    assert sha256_line(script_text) == digest + "  check.py\n"


def test_a_triple_quote_in_a_module_is_refused(tmp_path):
    import pytest

    package = tmp_path / "checks"
    package.mkdir()
    (package / "__init__.py").write_text("x = '''oops'''\n")
    with pytest.raises(ValueError, match="'''"):
        package_modules(package)
