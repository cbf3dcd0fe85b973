"""Counts per status, the overall verdict and the exit code."""

from __future__ import annotations

from ..findings import EXIT_FAILED, EXIT_OK, STATUSES

TYPE_CHECKING = False
if TYPE_CHECKING:  # the shapes, for type checkers only: nothing is imported at run time
    from typing import Any

    from ..contracts import Finding


def summarize(findings: list[Finding]) -> dict[str, Any]:
    counts: dict[str, Any] = dict((status, 0) for status in STATUSES)
    for item in findings:
        counts[item["status"]] += 1
    if counts["fail"]:
        verdict = "not-ready"
    elif counts["error"] or counts["unknown"]:
        verdict = "incomplete"
    elif counts["warn"]:
        verdict = "ready-with-warnings"
    else:
        verdict = "ready"
    counts["verdict"] = verdict
    counts["exit_code"] = EXIT_FAILED if counts["fail"] else EXIT_OK
    return counts
