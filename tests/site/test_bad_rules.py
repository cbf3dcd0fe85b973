"""A defective rules file stops the site build with one clean message.

Each case plants one defect in a copy of the project and expects `mkdocs build`
to fail with exactly one message naming the file, the line and key path, and
what was expected; never a Python or Jinja traceback.
"""

import pytest

from tools.site_build import build_site

RULES = "rules/requirements.yaml"
HEADLINE = "ERROR   -  The rules file cannot be used, so the site cannot be built:"

# name: (text to replace in the rules, replacement, the one expected problem line).
# Line numbers are found in the real rules file (`at(text)`), so editing the rules keeps these valid.
DEFECTS = {
    "yaml syntax": (
        "schema_version: 1\n",
        "schema_version: 1\napp: [\n",
        lambda at: (
            "rules/requirements.yaml:%d: YAML syntax error: while parsing a flow sequence "
            "expected ',' or ']', but got ':' (it started at line %d)" % (at("app:\n") + 2, at("app:\n") - 1)
        ),
    ),
    "missing key": (
        "    title: System memory (RAM)\n",
        "",
        lambda at: "rules/requirements.yaml:%d: rules[3](ram.total): missing key 'title'" % at("  - id: ram.total\n"),
    ),
    "unknown key": (
        "    title: System memory (RAM)\n",
        "    title: System memory (RAM)\n    colour: red\n",
        lambda at: (
            "rules/requirements.yaml:%d: rules[3](ram.total): unknown key 'colour' "
            "(allowed here: aliases, check, fix, id, page, summary, title, values, why)" % at("  - id: ram.total\n")
        ),
    ),
    "wrong type": (
        "      min: 12 GB\n",
        "      min: [12 GB]\n",
        lambda at: (
            "rules/requirements.yaml:%d: rules[3](ram.total).values.min: expected a string, got a list"
            % at("      min: 12 GB\n")
        ),
    ),
    "duplicate rule id": (
        "  - id: disk.ssd\n",
        "  - id: ram.total\n",
        lambda at: (
            "rules/requirements.yaml:%d: rules[4](ram.total).id: duplicate rule id 'ram.total' "
            "(also rules[3]): ids are page anchors and must be unique" % at("  - id: disk.ssd\n")
        ),
    ),
    "bad unit": (
        "      min: 12 GB\n",
        "      min: 12 GiG\n",
        lambda at: (
            "rules/requirements.yaml:%d: rules[3](ram.total).values.min: expected a size such as "
            "'12 GB' (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), got '12 GiG'" % at("      min: 12 GB\n")
        ),
    ),
    "unknown model family": (
        "      beefier_gpu_for: sdxl\n",
        "      beefier_gpu_for: sdxxl\n",
        lambda at: (
            "rules/requirements.yaml:%d: rules[0](gpu.dedicated).values.beefier_gpu_for: refers to "
            "model family 'sdxxl', which model_families does not define (known: sd-1.5, sdxl)"
            % at("      beefier_gpu_for: sdxl\n")
        ),
    ),
    "unknown placeholder": (
        "    summary: At least {min} of RAM\n",
        "    summary: At least {minimum} of RAM\n",
        lambda at: (
            "rules/requirements.yaml:%d: rules[3](ram.total).summary: {minimum} is not one of this "
            "rule's values (known: min)" % at("    summary: At least {min} of RAM\n")
        ),
    ),
}


def line_in_rules(project_root):
    lines = (project_root / RULES).read_text(encoding="utf-8").splitlines(True)
    return lambda text: next(number for number, line in enumerate(lines, 1) if line == text)


@pytest.mark.slow
@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_bad_rules_fail_the_build_with_one_clean_message(project_copy, tmp_path, defect):
    old, new, expected_at = DEFECTS[defect]
    expected = expected_at(line_in_rules(project_copy.root))
    project_copy.replace(RULES, old, new)

    result = build_site(project_copy.root, tmp_path / "site")

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    error_lines = [line for line in output.splitlines() if line.startswith("ERROR")]
    assert error_lines == [HEADLINE], output
    message = output[output.index(HEADLINE) + len(HEADLINE) :].strip().splitlines()
    assert message == [expected], output
    assert "Traceback" not in output and "jinja2" not in output.lower(), output
