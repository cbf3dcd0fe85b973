"""The doctor-style terminal report: one line per finding, fixes below the ones that need them."""
import os

MARKS = {"pass": u"[\u2713]", "warn": "[!]", "fail": u"[\u2717]", "unknown": "[?]", "na": "[-]", "error": "[E]"}
ASCII_MARKS = {"pass": "[OK]", "warn": "[!]", "fail": "[X]", "unknown": "[?]", "na": "[-]", "error": "[E]"}
COLOURS = {"pass": "32", "warn": "33", "fail": "31", "unknown": "36", "na": "2", "error": "35"}

VERDICTS = {
    "ready": "ready to install Invoke",
    "ready-with-warnings": "ready to install Invoke, with warnings",
    "not-ready": "not ready: a requirement failed",
    "incomplete": "not fully checked: some requirements could not be checked",
}
INDENT = "    "


class Style(object):
    """Marks and colour that this output stream can show."""

    def __init__(self, stream, environ=None):
        environ = os.environ if environ is None else environ
        isatty = getattr(stream, "isatty", None)
        self.colour = bool(isatty and isatty()) and "NO_COLOR" not in environ
        self.marks = MARKS if can_encode(stream, "".join(MARKS.values())) else ASCII_MARKS

    def mark(self, status):
        text = self.marks[status]
        if self.colour:
            return "\033[%sm%s\033[0m" % (COLOURS[status], text)
        return text

    def bold(self, text):
        return "\033[1m%s\033[0m" % text if self.colour else text


def can_encode(stream, text):
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def first_sentence(text):
    text = (text or "").strip()
    for end in (". ", "; "):
        if end in text:
            return text.split(end, 1)[0]
    return text.rstrip(".")


def finding_lines(item, style, verbose):
    if item["status"] == "pass" and not verbose:
        return ["%s %s: %s" % (style.mark("pass"), item["title"], first_sentence(item["detail"]))]
    lines = ["%s %s" % (style.mark(item["status"]), item["title"])]
    lines.append(INDENT + item["detail"])
    if item.get("fix"):
        lines.append(INDENT + "Fix: " + item["fix"])
    if item.get("docs") and (verbose or item["status"] != "pass"):
        lines.append(INDENT + "More: " + item["docs"])
    return lines


def summary_line(summary):
    parts = ["%d passed" % summary["pass"]]
    for status, label in (("warn", "warning"), ("fail", "failed"), ("unknown", "unknown"),
                          ("na", "not applicable"), ("error", "error")):
        count = summary.get(status, 0)
        if count:
            plural = "s" if count > 1 and status in ("warn", "error") else ""
            parts.append("%d %s%s" % (count, label, plural))
    return "%s. Verdict: %s." % (", ".join(parts), VERDICTS.get(summary["verdict"], summary["verdict"]))


def render_terminal(report, stream, verbose=False, environ=None):
    """Write the report to `stream`."""
    style = Style(stream, environ)
    lines = [style.bold("Invoke system check") + " (checker %s)" % report["checker"]["version"], ""]
    for item in report["findings"]:
        lines.extend(finding_lines(item, style, verbose))
    if report.get("models"):
        lines.extend(["", style.bold("Models on this machine's GPU:")])
        for model in report["models"]:
            lines.append("%s %s: %s" % (style.mark(model["status"]), model["name"], model["reason"]))
    lines.extend(["", style.bold(summary_line(report["summary"]))])
    text = "\n".join(lines) + "\n"
    if style.marks is ASCII_MARKS:
        encoding = getattr(stream, "encoding", None) or "ascii"
        text = text.encode(encoding, "replace").decode(encoding)
    stream.write(text)
