"""5. The published check.py is a fresh build of checks/ and the rules, and every sha256 shown matches it."""

import hashlib
import re

from macros.script_bundle import SCRIPT_NAME, build_script, sha256_line

from .problems import problem

CHECK = 5
SHA256 = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
MODULE_START = re.compile(r"^'([\w.]+)': \((True|False), r'''")


def verify(project, pages):
    script_path = project.site_dir / SCRIPT_NAME
    site_name = "site/" + SCRIPT_NAME
    if not script_path.is_file():
        return [problem(CHECK, "the built site has no %s" % SCRIPT_NAME, page=site_name)], 0
    published = script_path.read_bytes().decode("utf-8")
    problems = []
    fresh = build_script(project.rules, project.site_url)
    if published != fresh:
        problems.append(_difference(published, fresh, site_name))
    digest = hashlib.sha256(published.encode("utf-8")).hexdigest()
    sums_path = project.site_dir / (SCRIPT_NAME + ".sha256")
    if not sums_path.is_file():
        problems.append(problem(CHECK, "the built site has no %s.sha256" % SCRIPT_NAME, page=site_name + ".sha256"))
    elif sums_path.read_text(encoding="utf-8") != sha256_line(published):
        problems.append(
            problem(
                CHECK,
                "%s.sha256 says %r, but the published script's sha256 is %s"
                % (SCRIPT_NAME, sums_path.read_text(encoding="utf-8").strip(), digest),
                page=site_name + ".sha256",
                line=1,
            )
        )
    problems += _shown_digests(project, pages, digest)
    return problems, 3


def _difference(published, fresh, site_name):
    """Name the first line that differs, and the embedded module it is in."""
    old, new = published.splitlines(), fresh.splitlines()
    line = next((index + 1 for index, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)) + 1)
    module = None
    for text in old[:line]:
        match = MODULE_START.match(text)
        if match:
            module = match.group(1)
    inside = " (in the embedded module %s)" % module if module else ""
    return problem(
        CHECK,
        "differs from a fresh build of checks/ and the rules from line %d on%s: rebuild the site" % (line, inside),
        page=site_name,
        line=line,
    )


def _shown_digests(project, pages, digest):
    """Every sha256 shown on a page must be the published script's; at least one page must show it."""
    problems, shown = [], 0
    for path, page in sorted(pages.items()):
        for line, text in page.article_text():
            for match in SHA256.finditer(text):
                shown += 1
                if match.group(0) != digest:
                    page_name = project.display_page(path)
                    source = project.source_page(path)
                    source_line = (
                        project.source_line(source, [r"script_sha256", re.escape(match.group(0))]) if source else None
                    )
                    problems.append(
                        problem(
                            CHECK,
                            "shows sha256 %s, but the published %s has %s (built page line %d)"
                            % (match.group(0), SCRIPT_NAME, digest, line),
                            page=page_name,
                            line=source_line or line,
                        )
                    )
    if not shown:
        problems.append(problem(CHECK, "no page shows the sha256 of %s" % SCRIPT_NAME, page="docs"))
    return problems
