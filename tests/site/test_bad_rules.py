"""A defective rules file stops the site build with one clean message.

Each case plants one defect in a copy of the project and expects `mkdocs build`
to fail with exactly one message naming the file, the line and key path, and
what was expected; never a Python or Jinja traceback.
"""
import pytest

from tests.conftest import build_site

RULES = "rules/requirements.yaml"
HEADLINE = "ERROR   -  The rules file cannot be used, so the site cannot be built:"

# name: (text to replace in the rules, replacement, the one expected problem line)
DEFECTS = {
    "yaml syntax": (
        "schema_version: 1\n", "schema_version: 1\napp: [\n",
        "rules/requirements.yaml:17: YAML syntax error: while parsing a flow sequence "
        "expected ',' or ']', but got ':' (it started at line 14)",
    ),
    "missing key": (
        "    title: System memory (RAM)\n", "",
        "rules/requirements.yaml:107: rules[3](ram.total): missing key 'title'",
    ),
    "unknown key": (
        "    title: System memory (RAM)\n", "    title: System memory (RAM)\n    colour: red\n",
        "rules/requirements.yaml:107: rules[3](ram.total): unknown key 'colour' "
        "(allowed here: check, fix, id, page, section, summary, title, values, why)",
    ),
    "wrong type": (
        "      min: 12 GB\n", "      min: [12 GB]\n",
        "rules/requirements.yaml:117: rules[3](ram.total).values.min: expected a string, got a list",
    ),
    "duplicate rule id": (
        "  - id: disk.ssd\n", "  - id: ram.total\n",
        "rules/requirements.yaml:119: rules[4](ram.total).id: duplicate rule id 'ram.total' "
        "(also rules[3]): ids are page anchors and must be unique",
    ),
    "bad unit": (
        "      min: 12 GB\n", "      min: 12 GiG\n",
        "rules/requirements.yaml:117: rules[3](ram.total).values.min: expected a size such as "
        "'12 GB' (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), got '12 GiG'",
    ),
    "unknown model family": (
        "      beefier_gpu_for: sdxl\n", "      beefier_gpu_for: sdxxl\n",
        "rules/requirements.yaml:52: rules[0](gpu.dedicated).values.beefier_gpu_for: refers to "
        "model family 'sdxxl', which model_families does not define (known: sd-1.5, sdxl)",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_bad_rules_fail_the_build_with_one_clean_message(project_copy, tmp_path, defect):
    old, new, expected = DEFECTS[defect]
    project_copy.replace(RULES, old, new)

    result = build_site(project_copy.root, tmp_path / "site")

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    error_lines = [line for line in output.splitlines() if line.startswith("ERROR")]
    assert error_lines == [HEADLINE], output
    message = output[output.index(HEADLINE) + len(HEADLINE):].strip().splitlines()
    assert message == [expected], output
    assert "Traceback" not in output and "jinja2" not in output.lower(), output
