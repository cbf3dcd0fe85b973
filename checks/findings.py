"""Findings: what the evaluation says about each rule, and the report around them.

finding = {"id": "ram.total", "status": "pass" | "warn" | "fail" | "unknown" | "na" | "error", "title": str, "detail": str,
           "fix": str | None, "docs": "https://<site>/requirements/#ram.total"}
model   = {"id": "sdxl", "name": "Stable Diffusion XL", "status": "pass" | "warn" | "fail" | "unknown",
           "reason": str}
report  = {"schema": REPORT_SCHEMA, "checker": {"version": str, "rules_version": int},
           "release": {"version": str, "name": str},  (the release whose requirements were judged)
           "facts": {...}, "findings": [finding], "models": [model],
           "summary": {"pass": n, "warn": n, "fail": n, "unknown": n, "na": n, "error": n,
                       "verdict": "ready" | "ready-with-warnings" | "not-ready" | "incomplete"}}
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # the shapes, for type checkers only: nothing is imported at run time
    from .contracts import Finding

REPORT_SCHEMA = "invoke-check-report/1"
# "na": the rule does not apply to this machine (no NVIDIA GPU for the NVIDIA
# driver, Linux's libraries on macOS): neither a pass nor a problem.
STATUSES = ("pass", "warn", "fail", "unknown", "na", "error")

EXIT_OK = 0  # nothing failed (warnings allowed)
EXIT_FAILED = 1  # a requirement failed
EXIT_USAGE = 2  # bad usage or unreadable input


def finding(
    rule_id: str, status: str, title: str, detail: str, fix: str | None = None, docs: str | None = None
) -> Finding:
    if status not in STATUSES:
        raise ValueError("unknown status %r" % (status,))
    return {"id": rule_id, "status": status, "title": title, "detail": detail, "fix": fix, "docs": docs}
