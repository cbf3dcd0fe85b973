"""What verify reports: one problem per line, each naming the rule, the page and the line."""

from collections import namedtuple

# The seven things verify proves, in the order it reports them.
CHECK_TITLES = {
    1: "Rule values on their pages",
    2: "No hard-coded requirement values",
    3: "Every rule checked, every check reads real rules",
    4: "Finding links point at real anchors",
    5: "Published check.py matches its sources",
    6: "Internal links, anchors and leftover template text",
    7: "Commands shown on the site run",
}

NO_RULE = "-"


class Problem(namedtuple("Problem", "check rule page line message")):
    """check: 1-7 (see CHECK_TITLES); rule: a rule id or "-"; page: a project path; line: int or None."""

    @property
    def where(self):
        if self.line:
            return "%s:%d" % (self.page, self.line)
        return self.page or NO_RULE


def problem(check, message, rule=None, page=None, line=None):
    return Problem(check, rule or NO_RULE, page or "", line, message)
