"""Findings: what the evaluation says about each rule, and the report around them.

    finding = {"id": "ram.total", "status": "pass" | "warn" | "fail" | "unknown" | "na" | "error", "title": str, "detail": str,
               "fix": str | None, "docs": "https://<site>/requirements/#ram.total"}
    model   = {"id": "sdxl", "name": "Stable Diffusion XL", "status": "pass" | "warn" | "fail" | "unknown",
               "reason": str}
    report  = {"schema": REPORT_SCHEMA, "checker": {"version": str, "rules_version": int},
               "facts": {...}, "findings": [finding], "models": [model],
               "summary": {"pass": n, "warn": n, "fail": n, "unknown": n, "na": n, "error": n,
                           "verdict": "ready" | "ready-with-warnings" | "not-ready" | "incomplete"}}
"""

REPORT_SCHEMA = "invoke-check-report/1"
# "na": the rule does not apply to this machine (no NVIDIA GPU for the NVIDIA
# driver, Linux's libraries on macOS): neither a pass nor a problem.
STATUSES = ("pass", "warn", "fail", "unknown", "na", "error")

EXIT_OK = 0          # nothing failed (warnings allowed)
EXIT_FAILED = 1      # a requirement failed
EXIT_USAGE = 2       # bad usage or unreadable input


def finding(rule_id, status, title, detail, fix=None, docs=None):
    if status not in STATUSES:
        raise ValueError("unknown status %r" % (status,))
    return {"id": rule_id, "status": status, "title": title, "detail": detail, "fix": fix, "docs": docs}


def docs_url(site_url, page, anchor=None):
    """The URL of a page of the site (and an anchor on it): "requirements.md" -> <site>/requirements/."""
    path = page[:-3] if page.endswith(".md") else page
    if path == "index" or path.endswith("/index"):
        path = path[:-5]
    elif path:
        path += "/"
    url = site_url.rstrip("/") + "/" + path
    return url + "#" + anchor if anchor else url
