"""Docs CI: prove that the pages, the rules, the checks and the published check.py agree.

    python -m tools.verify [--site-dir DIR] [--report-md FILE] [--base REF | --releases OLD..NEW] [--impact-only]

Builds the site (mkdocs build --strict into a temporary folder unless
--site-dir names a built one), reads the built HTML and runs seven checks,
then the impact report (impact.py: which verdicts of the corpus and the saved
outputs the rules change flips); see docs/development/verify.md. `run(project_root, site_dir)` returns the problems
and how much each check looked at.
"""


def run(project_root, site_dir):
    """([Problem], {check number: things checked}) for the project at `project_root` and its built site."""
    from . import (
        check_commands,
        check_coverage,
        check_finding_links,
        check_hardcoded,
        check_script,
        check_site_links,
        check_values,
    )
    from .evaluation import Evaluation
    from .html_scan import Page
    from .project import Project

    project = Project(project_root, site_dir)
    pages = dict((path, Page(path)) for path in project.html_pages())
    problems, checked = [], {}

    def record(number, result):
        found, count = result[0], result[1]
        problems.extend(found)
        checked[number] = count
        return result

    record(1, check_values.verify(project, pages))
    record(2, check_hardcoded.verify(project))
    coverage = record(3, check_coverage.verify(project, lambda literal_keys: Evaluation(project, literal_keys)))
    record(4, check_finding_links.verify(project, pages, coverage[2]))
    record(5, check_script.verify(project, pages))
    record(6, check_site_links.verify(project, pages))
    record(7, check_commands.verify(project, pages))
    return problems, checked
