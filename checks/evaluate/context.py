"""What every check needs: its rule, the facts, and a way to say a finding.

A `Check` wraps one rule and the facts for one run, and builds findings that
carry the rule's title and a link to the rule on the site.
"""
from ..findings import finding
from ..rules_source import rule_values
from ..site_links import docs_url, script_command

CANT_TELL_FROM_BROWSER = "Can't tell from a browser"
BROWSER_CANNOT_TELL = "A browser can't tell this: run the script for the full check"
PASTE_CANNOT_TELL = "A pasted nvidia-smi output doesn't say this: run the script for the full check"
NOT_MEASURED = "Not measured: the facts do not say (%s)."


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
        return finding(self.rule["id"], status, self.rule["title"], detail, fix,
                       docs_url(self.site_url, self.rule["page"], self.rule["id"]))

    def passed(self, detail):
        return self.result("pass", detail)

    def failed(self, detail, fix=None):
        return self.result("fail", detail, fix if fix is not None else self.rule["fix"])

    def with_status(self, status, detail, fix=None):
        """A finding whose status the rules chose (pass gets no fix)."""
        if status == "pass":
            return self.passed(detail)
        return self.result(status, detail, fix if fix is not None else self.rule["fix"])

    @property
    def from_paste(self):
        """Facts made from a pasted nvidia-smi output alone (the page's paste box)."""
        return self.facts.get("origin") == "nvidia-smi"

    def unknown(self, *paths):
        """An `unknown` finding saying why the fact at one of `paths` is missing."""
        reason = self.why_unknown(*paths)
        if self.from_browser or self.from_paste:
            return self.result("unknown", reason, script_command(
                self.site_url, (self.facts.get("os") or {}).get("system")))
        return self.result("unknown", reason)

    def browser_cannot_tell(self, why):
        """An `unknown` finding for what the browser showed but cannot settle, with the script to run."""
        return self.result("unknown", "%s: %s" % (CANT_TELL_FROM_BROWSER, why), script_command(
            self.site_url, (self.facts.get("os") or {}).get("system")))

    def why_unknown(self, *paths):
        reasons = self.facts.get("unknown") or {}
        for path in paths:
            if reasons.get(path):
                return reasons[path]
        if self.from_browser:
            return BROWSER_CANNOT_TELL
        if self.from_paste:
            return PASTE_CANNOT_TELL
        return NOT_MEASURED % paths[0] if paths else NOT_MEASURED % self.rule["id"]
