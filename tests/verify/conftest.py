"""Fixtures for the verify tests: verify run on the clean tree, and on one copy with every defect planted.

The seven planted defects do not hide each other, so one copy is built and
verified once per test run; each test asserts that its own defect is
named (check, rule id, page, line).
"""

import os
import re
import shutil
import subprocess
import sys
from collections import namedtuple

import pytest

from tools.site_build import build_site

PROJECT_PARTS = ["rules", "docs", "macros", "checks", "tools", "mkdocs.yml"]
ROW = re.compile(r"^\| (\d) \| `([^`]*)` \| `([^`]*)` \| (\d*) \| (.*) \|$")

Reported = namedtuple("Reported", "check rule page line message")
VerifyRun = namedtuple("VerifyRun", "returncode output markdown problems")


def run_verify(project_dir, tmp_dir, site_dir=None, env=None):
    """`python -m tools.verify` in `project_dir`; the problems are read back from its Markdown report."""
    report = tmp_dir / "verify-report.md"
    args = [sys.executable, "-m", "tools.verify", "--report-md", str(report)]
    if site_dir:
        args += ["--site-dir", str(site_dir)]
    run_env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    run_env.pop("GITHUB_STEP_SUMMARY", None)  # a planted copy's report must not reach the real job summary
    run_env.update(env or {})
    result = subprocess.run(args, cwd=str(project_dir), capture_output=True, text=True, timeout=600, env=run_env)
    markdown = report.read_text(encoding="utf-8") if report.is_file() else ""
    problems = [
        Reported(int(m.group(1)), m.group(2), m.group(3), int(m.group(4)) if m.group(4) else None, m.group(5))
        for m in (ROW.match(line) for line in markdown.splitlines())
        if m
    ]
    return VerifyRun(result.returncode, result.stdout + result.stderr, markdown, problems)


class ProjectCopy:
    def __init__(self, source_root, root):
        self.root = root
        root.mkdir()
        for part in PROJECT_PARTS:
            source = source_root / part
            if source.is_dir():
                shutil.copytree(str(source), str(root / part), ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copyfile(str(source), str(root / part))
        # Read only: the front-end packages, and the fixture corpus the evaluation runs over.
        for shared in ("node_modules", "tests"):
            if (source_root / shared).is_dir():
                os.symlink(str(source_root / shared), str(root / shared))

    def replace(self, relative, old, new, count=1):
        """Replace `old` in a file (all of them with count=-1), insisting that it is there."""
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, "%r not found in %s: the planted defect would plant nothing" % (old, relative)
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    def append(self, relative, text):
        """Append text to a file; return the line number of its first line."""
        path = self.root / relative
        before = path.read_text(encoding="utf-8")
        if not before.endswith("\n"):
            before += "\n"
        path.write_text(before + text, encoding="utf-8")
        return before.count("\n") + 1

    def line_of(self, relative, needle):
        for number, line in enumerate((self.root / relative).read_text(encoding="utf-8").splitlines(), 1):
            if needle in line:
                return number
        raise AssertionError("%r not in %s" % (needle, relative))


@pytest.fixture(scope="session")
def clean_run(project_root, tmp_path_factory):
    """verify on this tree, building the site itself, with a job summary file as on GitHub."""
    tmp = tmp_path_factory.mktemp("verify-clean")
    summary = tmp / "step-summary.md"
    run = run_verify(project_root, tmp, env={"GITHUB_STEP_SUMMARY": str(summary)})
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        # In GitHub Actions the clean tree's report is the job summary of `make test`.
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
            handle.write(run.markdown)
    return run, summary


def plant_before_build(copy):
    """Defects in the sources; returns {name: where verify must point}."""
    where = {}
    # 1. A value typed over its macro, with another number; and a rule's size taken out of its section.
    copy.replace(
        "docs/requirements.md",
        'You need at least {{ value("ram.total", "min") }} of RAM.',
        'You need at least <span class="rule-value" data-rule="ram.total" data-key="min">14 GB</span> of RAM.',
    )
    where["wrong value"] = copy.line_of("docs/requirements.md", ">14 GB</span>")
    copy.replace("docs/requirements.md", '{{ value("tmp.space", "min_free") }}', "plenty", count=-1)
    where["missing value"] = copy.line_of("docs/requirements.md", 'rule_heading("tmp.space")')
    # 2. A requirement value typed in prose.
    where["hard-coded"] = copy.append("docs/installer.md", "\nYou will quickly hit 50GB of models.\n") + 1
    # 3. A rule without a check, a check of a rule that does not exist, a check reading a probe that
    #    does not exist, and a check reading a key the rules do not have.
    copy.replace(
        "checks/evaluate/machine_checks.py", '@rule_check("ram.total", reads=("os", "ram"), errors_from=("ram",))\n', ""
    )
    copy.replace(
        "checks/evaluate/machine_checks.py",
        'reads=("os", "disk"), errors_from=("disk",)',
        'reads=("os", "disks"), errors_from=("disks",)',
    )
    where["unknown probe"] = copy.line_of("checks/evaluate/machine_checks.py", '"disks"')
    where["unknown rule"] = (
        copy.append(
            "checks/evaluate/machine_checks.py",
            '\n\n@rule_check("gpu.bogus", reads=("os",))\ndef check_bogus(check):\n    return check.passed("bogus")\n',
        )
        + 2
    )
    copy.replace(
        "checks/evaluate/machine_checks.py",
        'need = parse_size(check.values["min_free"])',
        'need = parse_size(check.values["min_free_space"])',
    )
    where["unknown key"] = copy.line_of("checks/evaluate/machine_checks.py", '"min_free_space"')
    # 4. Findings that link to anchors the pages do not have.
    copy.replace(
        "checks/site_links.py",
        'return url + "#" + anchor if anchor else url',
        'return url + "#" + anchor.replace(".", "-") if anchor else url',
    )
    # 5. A stale checksum typed on the page.
    copy.replace("docs/check.md", "{{ script_sha256 }}", "0" * 64)
    where["stale sha on page"] = copy.line_of("docs/check.md", "0" * 64)
    # 6. Links in raw HTML to nowhere, and template text a raw block lets through.
    where["broken link"] = copy.append("docs/index.md", '\n<a href="nowhere/">a page that does not exist</a>\n') + 1
    where["broken anchor"] = copy.append("docs/index.md", '\n<a href="requirements/#no-such-rule">gone</a>\n') + 1
    where["leftover"] = copy.append("docs/index.md", "\n{% raw %}Needs {{ ram_minimum }} of RAM.{% endraw %}\n") + 1
    # 7. A command that does not run, and an option the script does not have.
    where["bad command"] = (
        copy.append("docs/reference/cli.md", "\n```bash\npython3 check.py --no-such-option\n```\n") + 2
    )
    copy.replace("docs/check.md", "| `--verbose` |", "| `--loud` |")
    where["bad option"] = copy.line_of("docs/check.md", "`--loud`")
    return where


def plant_after_build(copy, site_dir):
    """Defects between the published site and the sources."""
    copy.append("checks/units.py", "# changed after the site was published\n")
    (site_dir / "check.py.sha256").write_text("0" * 64 + "  check.py\n", encoding="utf-8")
    # 1. On release 5.6.0's page: a value of that release taken out (FLUX's RAM), and one shown wrong.
    page = site_dir / "releases" / "5.6.0" / "index.html"
    text = page.read_text(encoding="utf-8")
    flux_ram = '<span class="rule-value" data-rule="gpu.vram" data-family="flux" data-key="min_ram" data-release="5.6.0">32 GB</span>'
    python = '<span class="rule-value" data-rule="python.version" data-key="supported" data-release="5.6.0">3.10 or 3.11</span>'
    assert text.count(flux_ram) == 1 and python in text, "the release page no longer shows what the defects replace"
    text = text.replace(flux_ram, "plenty").replace(python, python.replace(">3.10 or 3.11<", ">3.9 or 3.10<"), 1)
    page.write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def defective(project_root, tmp_path_factory):
    """(verify run, {defect: where}) for a copy of the project with all seven kinds of defect planted."""
    tmp = tmp_path_factory.mktemp("verify-defects")
    copy = ProjectCopy(project_root, tmp / "project")
    where = plant_before_build(copy)
    site_dir = tmp / "site"
    built = build_site(copy.root, site_dir)
    assert built.returncode == 0, "the planted copy must still build:\n%s%s" % (built.stdout, built.stderr)
    plant_after_build(copy, site_dir)
    return run_verify(copy.root, tmp, site_dir=site_dir), where
