"""Counts per status, the overall verdict and the exit code."""
from ..findings import EXIT_FAILED, EXIT_OK, STATUSES


def summarize(findings):
    counts = dict((status, 0) for status in STATUSES)
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
