"""1. Every rule's values stand at its anchor, and every value on the site is the one the rules hold.

Three ways a page can drift from the rules:
- a rule-value span shows a text the macros would not render for its rule and key;
- a rule has no anchor on its page;
- a size or a version of the rule is missing from the rule's section (from the
  rule's anchor to the next heading of the same or higher level). Other values
  (URLs, package names, launchers) may stand anywhere; where they stand, they
  must be right.

Every release is checked: the main pages by the default release's rules, each
later release's page (releases/<version>/) by that release's rules, every one
of its rules at its anchor there. A value span on a release's page carries
`data-release`; one that names another release than its page's is wrong too.
"""

import re

from .problems import problem
from .rule_values import Display, requirement_values

CHECK = 1
REQUIRED_KINDS = ("size", "version")


def verify(project, pages):
    """`pages`: {built HTML path: Page}. Returns (problems, number of values checked)."""
    displays = dict((version, Display(rules)) for version, rules in project.releases.items())
    problems, checked = [], 0
    for path, page in sorted(pages.items()):
        page_release = project.release_of_page(path)
        for item in page.rule_values():
            checked += 1
            wrong = _wrong_text(displays, project.default_release, page_release, item)
            if wrong:
                problems.append(_at_value(project, path, item, wrong, page_release))
    for rule in project.rules["rules"]:
        problems += _section_problems(project, pages, rule)
        checked += 1
    for version, rules in project.later_releases():
        for rule in rules["rules"]:
            problems += _release_section_problems(project, pages, version, rules, rule)
            checked += 1
    return problems, checked


def _wrong_text(displays, default_release, page_release, item):
    if not item.rule or not item.key:
        return "a rule-value span without data-rule and data-key"
    release = item.release or default_release
    if (page_release or default_release) != release:
        return "shows a value of release %s on the page of release %s" % (release, page_release or default_release)
    if release not in displays:
        return "names release %r, which the rules do not have (releases: %s)" % (release, ", ".join(displays))
    try:
        expected = displays[release].expected(item.rule, item.key, item.family)
    except KeyError as exc:
        return "shows %r for a value the rules%s do not have (%s)" % (
            item.text,
            _of_release(release, default_release),
            str(exc).strip("'\""),
        )
    if item.text not in expected:
        return "shows %r where the rules%s say %s" % (
            item.text,
            _of_release(release, default_release),
            " / ".join(repr(text) for text in sorted(expected)),
        )
    return None


def _of_release(release, default_release):
    return "" if release == default_release else " of release %s" % release


def _at_value(project, path, item, message, page_release=None):
    if page_release:
        # A generated page: no Markdown line to point at; the built page's line and the release name it.
        return problem(
            CHECK,
            "%s (built page line %d)" % (message, item.line),
            rule=item.rule,
            page=project.release_page_name(page_release),
            line=None,
        )
    page = project.source_page(path)
    line = project.source_line(page, _macro_patterns(item)) if page else None
    if line is None:
        page, line = None, item.line
    return problem(
        CHECK,
        "%s (built page line %d)" % (message, item.line),
        rule=item.rule,
        page=project.docs_relative(page) if page else project.display_page(path),
        line=line,
    )


def _macro_patterns(item):
    """Where the span most likely came from in the Markdown: its text typed by hand, else the macro call."""
    patterns = []
    if item.text:
        patterns.append(re.escape(item.text))  # a value typed by hand, where it was typed
    if item.family:
        patterns.append(r"family_value\([^)]*%s" % re.escape(item.family))
    if item.rule and item.key:
        patterns.append(
            r"value\(\s*[\"']%s[\"']\s*,\s*[\"']%s" % (re.escape(item.rule), re.escape(item.key.split(".")[0]))
        )
    if item.rule:
        patterns.append(re.escape(item.rule))
    return patterns


def _section_problems(project, pages, rule):
    rule_id = rule["id"]
    path = project.built_path(rule["page"])
    page_name = project.docs_relative(rule["page"])
    page = pages.get(path)
    if page is None:
        return [problem(CHECK, "its page %s was not built" % rule["page"], rule=rule_id, page=page_name)]
    section = page.section(rule_id)
    if section is None:
        line = project.source_line(rule["page"], [r"rule_heading\(\s*[\"']%s[\"']" % rule_id.replace(".", r"\.")])
        return [
            problem(
                CHECK, "no heading with the anchor #%s on its page" % rule_id, rule=rule_id, page=page_name, line=line
            )
        ]
    present = [(item.key, item.family) for item in section if hasattr(item, "key")]
    anchor_line = project.source_line(
        rule["page"],
        [r"rule_heading\(\s*[\"']%s[\"']" % rule_id.replace(".", r"\."), r"#%s\b" % rule_id.replace(".", r"\.")],
    )
    problems = []
    for label, value in _missing_values(project.rules, rule_id, present):
        problems.append(
            problem(
                CHECK,
                "value %s (%s) is missing from the rule's section (#%s)" % (label, value.text, rule_id),
                rule=rule_id,
                page=page_name,
                line=anchor_line,
            )
        )
    return problems


def _missing_values(rules, rule_id, present):
    """(label, value) of each size or version of `rule_id` that the section's `present` (key, family) lack."""
    for value in requirement_values(rules):
        if value.rule != rule_id or value.kind not in REQUIRED_KINDS or _covered(value.key, value.family, present):
            continue
        yield "%s%s" % ("%s." % value.family if value.family else "", value.key), value


def _release_section_problems(project, pages, version, rules, rule):
    """A later release's rule on that release's page: its anchor, and its sizes and versions in its section."""
    from checks.site_links import release_page_path

    rule_id = rule["id"]
    page_name = project.release_page_name(version)
    page = pages.get(project.built_path(release_page_path(version)))
    if page is None:
        return [problem(CHECK, "release %s: its page was not built" % version, rule=rule_id, page=page_name)]
    section = page.section(rule_id)
    if section is None:
        return [
            problem(
                CHECK,
                "release %s: no heading with the anchor #%s on its page" % (version, rule_id),
                rule=rule_id,
                page=page_name,
            )
        ]
    present = [(item.key, item.family) for item in section if hasattr(item, "key")]
    problems = []
    for label, value in _missing_values(rules, rule_id, present):
        problems.append(
            problem(
                CHECK,
                "release %s: value %s (%s) is missing from the rule's section (#%s) of the release's page"
                % (version, label, value.text, rule_id),
                rule=rule_id,
                page=page_name,
            )
        )
    return problems


def _covered(key, family, present):
    """A span for "supported" covers "supported.0": lists are shown whole."""
    for shown_key, shown_family in present:
        if shown_family == family and (key == shown_key or key.startswith(shown_key + ".")):
            return True
    return False
