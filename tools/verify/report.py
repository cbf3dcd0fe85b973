"""The verify report: plain text for the terminal, Markdown for a job summary."""

from .problems import CHECK_TITLES


def terminal(problems, checked):
    """`checked`: {check number: how many things it looked at}."""
    lines = []
    for number, title in sorted(CHECK_TITLES.items()):
        found = [item for item in problems if item.check == number]
        mark = "FAIL" if found else "ok  "
        lines.append("[%s] %d. %s (%s)" % (mark, number, title, _checked_text(checked.get(number))))
        for item in found:
            lines.append("       %s  %s  %s" % (item.rule, item.where, item.message))
    lines.append(_verdict(problems))
    return "\n".join(lines) + "\n"


def markdown(problems, checked):
    lines = [
        "## Docs verification",
        "",
        _verdict(problems),
        "",
        "| | Check | Looked at | Problems |",
        "| --- | --- | --- | --- |",
    ]
    for number, title in sorted(CHECK_TITLES.items()):
        count = sum(1 for item in problems if item.check == number)
        lines.append(
            "| %s | %d. %s | %s | %d |"
            % (":x:" if count else ":white_check_mark:", number, title, _checked_text(checked.get(number)), count)
        )
    if problems:
        lines += ["", "### Problems", "", "| Check | Rule | Page | Line | Problem |", "| --- | --- | --- | --- | --- |"]
        for item in problems:
            lines.append(
                "| %d | `%s` | `%s` | %s | %s |"
                % (item.check, item.rule, item.page, item.line or "", _cell(item.message))
            )
    return "\n".join(lines) + "\n"


def _checked_text(count):
    return "not run" if count is None else "%d checked" % count


def _verdict(problems):
    if not problems:
        return "Verify passed: pages, rules, checks and the published script agree."
    return "Verify FAILED: %d problem%s." % (len(problems), "" if len(problems) == 1 else "s")


def _cell(text):
    return " ".join(str(text).split()).replace("|", "\\|")
