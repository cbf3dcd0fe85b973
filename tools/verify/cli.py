"""The command line of verify: build (or take) the site, run the checks, report, exit 0 or 1."""

import argparse
import os
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
EXIT_OK, EXIT_PROBLEMS, EXIT_BUILD_FAILED = 0, 1, 1


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m tools.verify",
        description="Prove that the docs pages, the rules, the checks and the published check.py agree.",
    )
    parser.add_argument(
        "--site-dir",
        type=Path,
        help="a site already built from this tree (default: build one with mkdocs build --strict "
        "into a temporary folder)",
    )
    parser.add_argument(
        "--report-md",
        type=Path,
        help="also write the report as Markdown here (it is also appended to $GITHUB_STEP_SUMMARY when that is set)",
    )
    impact = parser.add_argument_group("impact report", "which verdicts of the corpus and saved outputs flip")
    impact.add_argument(
        "--base",
        metavar="REF",
        help="compare the working tree's rules with those at this git ref (default: the merge base with main)",
    )
    impact.add_argument(
        "--releases", metavar="OLD..NEW", help="compare two releases of the working tree's rules instead"
    )
    impact.add_argument(
        "--impact-only", action="store_true", help="make only the impact report: no site build, no checks"
    )
    return parser


def main(argv=None):
    options = build_parser().parse_args(argv)
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    if options.impact_only:
        outcome = _impact(options)
        _write_markdown(options, outcome.markdown)
        return EXIT_OK if outcome.ran else EXIT_PROBLEMS
    if options.site_dir:
        return _verify(options.site_dir, options)
    with tempfile.TemporaryDirectory(prefix="verify-site-") as folder:
        from tools.site_build import build_site

        built = build_site(PROJECT_ROOT, folder)
        if built.returncode != 0:
            sys.stdout.write(
                "Verify FAILED: mkdocs build --strict failed (exit code %d):\n%s%s"
                % (built.returncode, built.stdout, built.stderr)
            )
            _write_markdown(
                options,
                "## Docs verification\n\nVerify FAILED: `mkdocs build --strict` failed."
                "\n\n```text\n%s%s\n```\n" % (built.stdout, built.stderr),
            )
            return EXIT_BUILD_FAILED
        return _verify(Path(folder), options)


def _verify(site_dir, options):
    from . import report, run

    problems, checked = run(PROJECT_ROOT, site_dir)
    sys.stdout.write(report.terminal(problems, checked))
    # The impact report informs: verdicts that flip never fail verify, a report that cannot run does.
    outcome = _impact(options)
    _write_markdown(options, report.markdown(problems, checked) + "\n" + outcome.markdown)
    return EXIT_PROBLEMS if problems or not outcome.ran else EXIT_OK


def _impact(options):
    from .impact_inputs import report as impact_report

    outcome = impact_report(PROJECT_ROOT, base=options.base, releases=options.releases)
    sys.stdout.write(outcome.text)
    return outcome


def _write_markdown(options, text):
    if options.report_md:
        options.report_md.write_text(text, encoding="utf-8")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(text)
