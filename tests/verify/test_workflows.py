"""The GitHub Actions workflows: valid against the vendored schema, and calling only the project's own commands."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def validate(paths):
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows"] + [str(p) for p in paths],
        capture_output=True,
        text=True,
        timeout=120,
    )


def workflows(project_root):
    paths = sorted((project_root / ".github" / "workflows").glob("*.yml"))
    assert paths, "no workflow in .github/workflows"
    return paths


def test_workflows_match_the_github_workflow_schema(project_root):
    result = validate(workflows(project_root))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(project_root, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        workflows(project_root)[0].read_text(encoding="utf-8").replace("runs-on:", "runs_on:", 1), encoding="utf-8"
    )
    assert validate([broken]).returncode != 0


def test_docs_workflow_tests_pull_requests_and_publishes_main_with_the_ci_commands(project_root):
    workflow = yaml.safe_load((project_root / ".github" / "workflows" / "docs.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    ci_commands = set(re.findall(r"^make \w+", (project_root / ".ci" / "run").read_text(encoding="utf-8"), re.M))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    make_commands = {step["run"].strip() for step in steps if step.get("run", "").startswith("make")}
    assert make_commands == ci_commands | {"make build"}
    assert "make test" in ci_commands
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "main" in deploy["if"] and "push" in deploy["if"]
