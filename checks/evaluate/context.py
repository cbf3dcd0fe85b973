"""What every check needs: its rule, the facts, and a way to say a finding.

A `Check` wraps one rule and the facts for one run, and builds findings that
carry the rule's title and a link to the rule on the site.
"""

from ..findings import finding
from ..rules_source import rule_values
from ..site_links import docs_url, rule_page

CANT_TELL_FROM_BROWSER = "Can't tell from a browser"
BROWSER_CANNOT_TELL = "A browser can't tell this"
PASTE_CANNOT_TELL = "A pasted %s output doesn't say this"
# Facts made from one tool's output alone (the paste box, or check.py given that output): origin -> tool.
TOOL_ORIGINS = {"nvidia-smi": "nvidia-smi", "rocm-smi": "rocm-smi", "system-profiler": "system_profiler"}
NOT_MEASURED = "Not measured: the facts do not say (%s)."
OS_NAMES = {"Darwin": "macOS", "Windows": "Windows", "Linux": "Linux"}


def os_name(system):
    """platform.system() as people say it: "Darwin" -> "macOS"."""
    return OS_NAMES.get(system, system or "this system")


class Check(object):
    """One rule evaluated against one machine's facts."""

    def __init__(self, rule, facts, rules, site_url):
        self.rule = rule
        self.values = rule.get("values", {})
        self.facts = facts
        self.rules = rules
        self.site_url = site_url

    @property
    def from_browser(self):
        return self.facts.get("origin") == "browser"

    def rule_values(self, rule_id):
        """The values of another rule (checks may share a setting)."""
        return rule_values(self.rules, rule_id)

    def result(self, status, detail, fix=None):
        return finding(
            self.rule["id"],
            status,
            self.rule["title"],
            detail,
            fix,
            docs_url(self.site_url, rule_page(self.rules, self.rule), self.rule["id"]),
        )

    def passed(self, detail):
        return self.result("pass", detail)

    def not_applicable(self, detail):
        """The rule does not apply to this machine: status "na", no fix."""
        return self.result("na", detail)

    def failed(self, detail, fix=None):
        return self.result("fail", detail, fix if fix is not None else self.rule["fix"])

    def with_status(self, status, detail, fix=None):
        """A finding whose status the rules chose (pass gets no fix)."""
        if status == "pass":
            return self.passed(detail)
        return self.result(status, detail, fix if fix is not None else self.rule["fix"])

    @property
    def from_paste(self):
        """Facts made from one tool's output alone (the page's paste box, or check.py given that output)."""
        return self.facts.get("origin") in TOOL_ORIGINS

    def unknown(self, *paths):
        """An `unknown` finding saying why the fact at one of `paths` is missing."""
        # From a browser or a paste, the report ends with one call to action
        # (the full check's command) for everything it could not see.
        return self.result("unknown", self.why_unknown(*paths))

    def browser_cannot_tell(self, why):
        """An `unknown` finding for what the browser showed but cannot settle (the report ends with the script)."""
        return self.result("unknown", "%s: %s" % (CANT_TELL_FROM_BROWSER, why))

    def why_unknown(self, *paths):
        reasons = self.facts.get("unknown") or {}
        for path in paths:
            if reasons.get(path):
                return reasons[path]
        if self.from_browser:
            return BROWSER_CANNOT_TELL
        if self.from_paste:
            return PASTE_CANNOT_TELL % TOOL_ORIGINS[self.facts["origin"]]
        return NOT_MEASURED % paths[0] if paths else NOT_MEASURED % self.rule["id"]
