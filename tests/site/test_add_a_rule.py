"""Adding a rule with its check touches the rules file and one check module, and nothing else.

The walk-through of docs/development/rules.md, done in a copy of the project:
a throwaway rule and its check are added, and the site builds with --strict,
verify passes, and the built check.py judges the new rule, with no other edit.
"""

import json
import subprocess
import sys

import pytest

from tests.verify.conftest import ProjectCopy, run_verify
from tools.site_build import build_site

NEW_RULE = """
  - id: ram.comfortable
    title: Memory for comfort
    page: requirements.md
    summary: "{comfortable} of RAM to keep a browser and Invoke open side by side"
    why: Invoke and a web browser with many tabs both hold a lot in memory.
    fix: Close other programs while you generate, or add RAM.
    values:
      comfortable: 48 GB
"""

NEW_CHECK = '''

@rule_check("ram.comfortable", reads=("os", "ram"), errors_from=("ram",))
def check_comfortable_ram(check):
    total = (check.facts.get("ram") or {}).get("total_bytes")
    if total is None:
        return check.unknown("ram.total_bytes")
    detail = "%s of RAM; %s is comfortable." % (format_gb(total), check.values["comfortable"])
    if total >= parse_size(check.values["comfortable"]):
        return check.passed(detail)
    return check.result("warn", detail, check.rule["fix"])
'''


@pytest.fixture(scope="module")
def project_with_a_new_rule(project_root, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("new-rule")
    copy = ProjectCopy(project_root, tmp / "project")
    rules = copy.root / "rules" / "requirements.yaml"
    text = rules.read_text(encoding="utf-8")
    # The new rule goes last among the rules, where the walk-through puts it: before the releases.
    releases = text.index("\n# Invoke's releases")
    rules.write_text(text[:releases].rstrip("\n") + "\n" + NEW_RULE + text[releases:], encoding="utf-8")
    copy.append("checks/evaluate/machine_checks.py", NEW_CHECK)
    return copy, tmp


@pytest.mark.slow
def test_the_whole_pipeline_accepts_a_new_rule_and_check(project_with_a_new_rule):
    copy, tmp = project_with_a_new_rule
    site = tmp / "site"
    built = build_site(copy.root, site)
    assert built.returncode == 0, built.stdout + built.stderr

    page = (site / "requirements" / "index.html").read_text(encoding="utf-8")
    assert 'id="ram.comfortable"' in page
    assert 'data-rule="ram.comfortable" data-key="comfortable">48 GB</span>' in page

    verified = run_verify(copy.root, tmp, site_dir=site)
    assert verified.returncode == 0, verified.output

    listed = subprocess.run(
        [sys.executable, str(site / "check.py"), "--list-checks"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(tmp),
    )
    assert "ram.comfortable" in listed.stdout and "reads os, ram" in listed.stdout

    facts = tmp / "facts.json"
    facts.write_text(
        json.dumps({"schema": "invoke-check-facts/1", "ram": {"total_bytes": 16 * 10**9}}), encoding="utf-8"
    )
    run = subprocess.run(
        [
            sys.executable,
            str(site / "check.py"),
            "--facts",
            str(facts),
            "--json",
            "--only",
            "ram.total,ram.comfortable",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(tmp),
    )
    report = json.loads(run.stdout)
    found = dict((item["id"], item) for item in report["findings"])
    assert found["ram.comfortable"]["status"] == "warn"
    assert "16 GB of RAM; 48 GB is comfortable." == found["ram.comfortable"]["detail"]
    assert found["ram.comfortable"]["docs"].endswith("/requirements/#ram.comfortable")
    assert found["ram.total"]["status"] == "pass"
