"""The doctor-style terminal report: one line per finding, fixes below the ones that need them.

Lines wrap at the terminal's width (shutil.get_terminal_size, or COLUMNS), at
spaces only, and a wrapped line keeps the indent of its block; output that
goes to a file or a pipe is not wrapped unless COLUMNS says a width.
"""

import os
import re
import shutil
import textwrap

from .safe import visible

MARKS = {"pass": "[\u2713]", "warn": "[!]", "fail": "[\u2717]", "unknown": "[?]", "na": "[-]", "error": "[E]"}
ASCII_MARKS = {"pass": "[OK]", "warn": "[!]", "fail": "[X]", "unknown": "[?]", "na": "[-]", "error": "[E]"}
COLOURS = {"pass": "32", "warn": "33", "fail": "31", "unknown": "36", "na": "2", "error": "35"}

VERDICTS = {
    "ready": "ready to install Invoke",
    "ready-with-warnings": "ready to install Invoke, with warnings",
    "not-ready": "not ready: a requirement failed",
    "incomplete": "not fully checked: some requirements could not be checked",
}
INDENT = "    "
MODELS_HEADING = "Model families on this machine:"
# The end of a sentence: a period (not one of an ellipsis or a decimal) or a semicolon, then a space.
SENTENCE_END = re.compile(r"(?<![.\d])\.(?=\s)(?!\.)|;(?=\s)")


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
    """The first sentence, without its period; a name cut short ("GeForce GTX 108...") stays whole."""
    text = (text or "").strip()
    end = SENTENCE_END.search(text)
    if end:
        return text[: end.start()]
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def terminal_width(stream, environ):
    """Columns to wrap at; 0: do not wrap."""
    columns = str(environ.get("COLUMNS") or "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    isatty = getattr(stream, "isatty", None)
    if isatty and isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return 0


class Line(object):
    """One logical line: a mark (or none), its text, and the indent its wrapped lines keep."""

    def __init__(self, text, mark=None, indent="", bold=False):
        self.text, self.mark, self.indent, self.bold = text, mark, indent, bold

    def render(self, style, width):
        plain_mark = style.marks[self.mark] + " " if self.mark else ""
        rows = [plain_mark + self.text]
        if width and len(rows[0]) > width:
            rows = textwrap.wrap(
                rows[0],
                width=max(width, len(self.indent) + 20),
                subsequent_indent=self.indent or " " * len(plain_mark),
                break_long_words=False,
                break_on_hyphens=False,
            ) or [""]
        if self.bold:
            rows = [style.bold(row) for row in rows]
        if self.mark:
            rows[0] = style.mark(self.mark) + rows[0][len(plain_mark) - 1 :]
        return rows


def finding_lines(item, verbose):
    title, detail = visible(item["title"]), visible(item["detail"])
    if item["status"] in ("pass", "na") and not verbose:
        return [Line("%s: %s" % (title, first_sentence(detail)), item["status"], INDENT)]
    lines = [Line(title, item["status"], INDENT)]
    lines.append(Line(INDENT + detail, indent=INDENT))
    if item.get("fix"):
        lines.append(Line(INDENT + "Fix: " + visible(item["fix"]), indent=INDENT + "     "))
    if item.get("docs") and (verbose or item["status"] not in ("pass", "na")):
        lines.append(Line(INDENT + "More: " + visible(item["docs"]), indent=INDENT + "      "))
    return lines


def sanitized_lines(facts):
    """What was removed from the input (see checks/facts.py clean_facts), one line each."""
    notes = (facts or {}).get("sanitized") or {}
    if not isinstance(notes, dict) or not notes:
        return []
    lines = ["", "Removed from the input (control or invisible characters):"]
    for where in sorted(notes)[:20]:
        lines.append("%s%s: %s" % (INDENT, visible(where), visible(notes[where])))
    if len(notes) > 20:
        lines.append("%s... and %d more" % (INDENT, len(notes) - 20))
    return lines


def summary_line(summary):
    parts = ["%d passed" % summary["pass"]]
    for status, label in (
        ("warn", "warning"),
        ("fail", "failed"),
        ("unknown", "unknown"),
        ("na", "not applicable"),
        ("error", "error"),
    ):
        count = summary.get(status, 0)
        if count:
            plural = "s" if count > 1 and status in ("warn", "error") else ""
            parts.append("%d %s%s" % (count, label, plural))
    return "%s. Verdict: %s." % (", ".join(parts), VERDICTS.get(summary["verdict"], summary["verdict"]))


def render_terminal(report, stream, verbose=False, environ=None):
    """Write the report to `stream`."""
    environ = os.environ if environ is None else environ
    style = Style(stream, environ)
    width = terminal_width(stream, environ)
    release = (report.get("release") or {}).get("name")
    against = ", against the requirements of %s" % visible(release) if release else ""
    head = "Invoke system check%s (checker %s)" % (against, report["checker"]["version"])
    lines = Line(head, bold=True).render(style, width) + [""]
    logical = []
    for item in report["findings"]:
        logical.extend(finding_lines(item, verbose))
    for line in logical:
        lines.extend(line.render(style, width))
    if report.get("models"):
        lines.extend(["", style.bold(MODELS_HEADING)])
        for model in report["models"]:
            lines.extend(
                Line("%s: %s" % (visible(model["name"]), visible(model["reason"])), model["status"], INDENT).render(
                    style, width
                )
            )
    lines.extend(sanitized_lines(report.get("facts")))
    lines.append("")
    lines.extend(Line(summary_line(report["summary"]), bold=True).render(style, width))
    text = "\n".join(lines) + "\n"
    if style.marks is ASCII_MARKS:
        encoding = getattr(stream, "encoding", None) or "ascii"
        text = text.encode(encoding, "replace").decode(encoding)
    stream.write(text)
