"""A report as an HTML fragment for the site's check page.

Every value is escaped. Status is spelled out in text (and an icon hidden
from screen readers), never carried by colour alone; the classes
(bc-status--pass, ...) get their colours from the theme's CSS variables, so
light and dark schemes both work.
"""

from html import escape

STATUS_LABELS = {
    "pass": ("\u2713", "Pass"),
    "warn": ("!", "Warning"),
    "fail": ("\u2717", "Fail"),
    "unknown": ("?", "Can't tell"),
    "na": ("\u2013", "Not applicable"),
    "error": ("\u2717", "Error"),
}

VERDICT_LABELS = {
    "ready": "Ready for Invoke",
    "ready-with-warnings": "Ready for Invoke, with warnings",
    "not-ready": "Not ready for Invoke",
    "incomplete": "Incomplete: some requirements can't be checked from here",
}


def render_report(report, command=None, where="a terminal"):
    """The findings, the model-family table and the verdict as one <section>.

    `command` runs the full check; when some finding is "can't tell", the
    report ends with it once, as the one thing to do about all of them.
    """
    parts = ['<section class="bc-report" aria-label="Check results">']
    parts.append(_summary(report.get("summary") or {}, report))
    parts.append('<ul class="bc-findings">')
    for item in report.get("findings") or []:
        parts.append(_finding(item, command))
    parts.append("</ul>")
    models = report.get("models") or []
    if models:
        parts.append(_models(models))
    if command and any(item.get("status") == "unknown" for item in report.get("findings") or []):
        parts.append(
            '<p class="bc-next">For everything marked "can\'t tell", run the full check '
            'in %s: <code class="bc-command">%s</code></p>' % (escape(where), escape(command))
        )
    parts.append("</section>")
    return "\n".join(parts)


def render_error(sentence, command=None):
    """One message in place of a report (unreadable paste, a runtime that can't start)."""
    text = '<p class="bc-message bc-status--error" role="alert">%s</p>' % escape(sentence)
    if command:
        text += (
            '\n<p class="bc-next">Or run the full check in a terminal: <code class="bc-command">%s</code></p>'
            % escape(command)
        )
    return text


def status_badge(status):
    icon, label = STATUS_LABELS.get(status, ("?", status))
    return '<span class="bc-badge bc-status--%s"><span aria-hidden="true">%s</span> %s</span>' % (
        escape(status, True),
        escape(icon),
        escape(label),
    )


def _summary(summary, report=None):
    verdict = summary.get("verdict") or ""
    label = VERDICT_LABELS.get(verdict, verdict)
    counts = ", ".join(
        "%d %s" % (summary[key], STATUS_LABELS[key][1].lower())
        for key in ("pass", "warn", "fail", "unknown", "na", "error")
        if summary.get(key)
    )
    text = '<p class="bc-verdict bc-verdict--%s" role="status"><strong>%s</strong>%s</p>' % (
        escape(verdict, True),
        escape(label),
        escape(" (%s)" % counts) if counts else "",
    )
    findings = (report or {}).get("findings") or []
    judged = [
        item.get("title") or item.get("id") or "" for item in findings if item.get("status") in ("pass", "warn", "fail")
    ]
    release = ((report or {}).get("release") or {}).get("name")
    if release:
        text += '\n<p class="bc-against">Judged against the requirements of %s.</p>' % escape(release)
    if verdict == "incomplete" and judged:
        text += '\n<p class="bc-judged">Judged here: %s.</p>' % escape(_joined(judged))
    return text


def _joined(items):
    return items[0] if len(items) == 1 else "%s and %s" % (", ".join(items[:-1]), items[-1])


def _finding(item, command):
    status = item.get("status") or "unknown"
    title = escape(item.get("title") or item.get("id") or "")
    if item.get("docs"):
        title = '<a href="%s">%s</a>' % (escape(item["docs"], True), title)
    lines = [
        '<li class="bc-finding bc-status--%s" data-rule="%s">'
        % (escape(status, True), escape(item.get("id") or "", True)),
        '<p class="bc-finding-head">%s %s</p>' % (status_badge(status), title),
    ]
    if item.get("detail"):
        lines.append('<p class="bc-detail">%s</p>' % escape(item["detail"]))
    if item.get("fix"):
        lines.append('<p class="bc-fix"><strong>Fix:</strong> %s</p>' % _with_command(item["fix"], command))
    lines.append("</li>")
    return "\n".join(lines)


def _with_command(text, command):
    """Escape `text`, showing the script's command in it as code."""
    if command and command in text:
        before, _, after = text.partition(command)
        return '%s<code class="bc-command">%s</code>%s' % (escape(before), escape(command), escape(after))
    return escape(text)


def _models(models):
    rows = [
        '<table class="bc-models">',
        "<caption>Model families on this machine</caption>",
        '<thead><tr><th scope="col">Model family</th><th scope="col">Verdict</th><th scope="col">Why</th></tr></thead>',
        "<tbody>",
    ]
    for model in models:
        status = model.get("status") or "unknown"
        rows.append(
            '<tr class="bc-status--%s"><th scope="row">%s</th><td>%s</td><td>%s</td></tr>'
            % (
                escape(status, True),
                escape(model.get("name") or model.get("id") or ""),
                status_badge(status),
                escape(model.get("reason") or ""),
            )
        )
    rows.extend(["</tbody>", "</table>"])
    return "\n".join(rows)
