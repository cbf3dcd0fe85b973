"""4. Every finding's `docs` link points at a page and an anchor the built site has.

The findings are those of the evaluation over the fixture corpus (see
evaluation.py), so every check's every branch that the corpus reaches is seen.
"""

from .problems import problem

CHECK = 4


def verify(project, pages, evaluation):
    """`pages`: {built HTML path: Page}."""
    rules = dict((rule["id"], rule) for rule in project.rules["rules"])
    problems, seen = [], set()
    for case, report in evaluation.reports:
        for finding in report["findings"]:
            url = finding.get("docs")
            if not url or (finding["id"], url) in seen:
                continue
            seen.add((finding["id"], url))
            why = _broken(project, pages, url)
            if why:
                rule = rules.get(finding["id"])
                page = project.docs_relative(rule["page"]) if rule else "checks/evaluate"
                line = (
                    project.source_line(rule["page"], [r"rule_heading\(\s*[\"']%s[\"']" % finding["id"]])
                    if rule
                    else None
                )
                problems.append(
                    problem(
                        CHECK,
                        "the finding's docs link %s %s (machine: %s)" % (url, why, case),
                        rule=finding["id"],
                        page=page,
                        line=line,
                    )
                )
    return problems, len(seen)


def _broken(project, pages, url):
    target = project.url_to_site_path(url)
    if target is None:
        return "is not under the site's URL %s" % project.site_url
    path, anchor = target
    if path not in pages:
        return "names a page the site does not have (%s)" % path.relative_to(project.site_dir).as_posix()
    if anchor and anchor not in pages[path].ids:
        return "names an anchor #%s that %s does not have" % (anchor, project.display_page(path))
    return None
