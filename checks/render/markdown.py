"""A Markdown block to paste into a bug report: findings, models and the key facts.

It is meant for public trackers: home folders in paths show as ~ (or
%USERPROFILE%), and text from the machine cannot open HTML, links or images.
"""

from ..units import format_gb
from .safe import current_home, visible, without_home

MARKS = {
    "pass": "\u2705 pass",
    "warn": "\u26a0\ufe0f warn",
    "fail": "\u274c fail",
    "unknown": "\u2754 unknown",
    "na": "\u2796 not applicable",
    "error": "\U0001f4a5 error",
}


_MARKDOWN_ESCAPES = [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")] + [(char, "\\" + char) for char in "\\`*_[]|"]


def cell(text, home=None):
    """`text` as one table cell: no line breaks, escapes, Markdown or HTML of its own, no home folder."""
    text = without_home(visible(text or ""), home).replace("\n", " ").strip()
    for char, escaped in _MARKDOWN_ESCAPES:
        text = text.replace(char, escaped)
    return text


def size(num_bytes):
    return format_gb(num_bytes) if num_bytes is not None else "unknown"


def key_facts(facts):
    os_facts = facts.get("os") or {}
    distro = (os_facts.get("distro") or {}).get("pretty_name")
    system = (
        " ".join(part for part in (os_facts.get("system"), os_facts.get("release"), os_facts.get("machine")) if part)
        or "unknown"
    )
    if distro:
        system += " (%s)" % distro
    python = facts.get("python") or {}
    gpus = ["%s (%s)" % (gpu.get("name"), size(gpu.get("vram_bytes"))) for gpu in facts.get("gpus") or []]
    nvidia_smi = facts.get("nvidia_smi") or {}
    disk = facts.get("disk") or {}
    temp = facts.get("temp") or {}
    gpus_probed = (
        gpus
        or nvidia_smi.get("status") not in (None, "not-run")
        or any(value is not None for value in (facts.get("gpu_hardware") or {}).values())
    )
    rows = [
        ("Facts from", facts.get("origin")),
        ("OS", system),
        (
            "Python",
            " ".join(str(part) for part in (python.get("version"), python.get("executable")) if part) or "unknown",
        ),
        ("RAM", size((facts.get("ram") or {}).get("total_bytes"))),
        ("GPUs", ", ".join(gpus) or ("none found" if gpus_probed else "not checked")),
    ]
    # Sections a run did not probe (--only, a browser, a paste) are left out rather than shown as None.
    if nvidia_smi.get("status") not in (None, "not-run"):
        rows.append(("nvidia-smi", nvidia_smi.get("status")))
    if disk.get("measured_path"):
        rows.append(("Disk free", "%s at %s" % (size(disk.get("free_bytes")), disk.get("measured_path"))))
    if temp.get("path"):
        rows.append(
            (
                "Temp",
                "%s (%s), %s free"
                % (temp.get("path"), temp.get("fs_type") or "file system unknown", size(temp.get("free_bytes"))),
            )
        )
    notes = facts.get("sanitized") or {}
    if isinstance(notes, dict) and notes:
        rows.append(
            (
                "Removed from the input",
                "; ".join("%s: %s" % (where, notes[where]) for where in sorted(notes)[:8])
                + ("; %d more" % (len(notes) - 8) if len(notes) > 8 else ""),
            )
        )
    return rows


def render_markdown(report, home=None):
    """The Markdown block; `home` (this machine's home folder by default) shows as ~."""
    home = current_home() if home is None else home
    summary = report["summary"]
    counts = ", ".join(
        "%d %s" % (summary[status], "not applicable" if status == "na" else status)
        for status in ("pass", "warn", "fail", "unknown", "na", "error")
        if summary.get(status)
    )
    release = (report.get("release") or {}).get("name")
    against = " for %s" % cell(release, home) if release else ""
    lines = [
        "<details><summary>Invoke system check%s: <b>%s</b> (%s)</summary>" % (against, summary["verdict"], counts),
        "",
        "| Result | Check | Detail |",
        "|---|---|---|",
    ]
    for item in report["findings"]:
        lines.append(
            "| %s | %s | %s |" % (MARKS[item["status"]], cell(item["title"], home), cell(item["detail"], home))
        )
    lines.extend(["", "| Result | Model | Reason |", "|---|---|---|"])
    for model in report["models"]:
        lines.append(
            "| %s | %s | %s |" % (MARKS[model["status"]], cell(model["name"], home), cell(model["reason"], home))
        )
    lines.extend(["", "| Fact | Value |", "|---|---|"])
    for name, value in key_facts(report["facts"]):
        lines.append("| %s | %s |" % (name, cell(str(value), home)))
    lines.extend(["", "Checker %s." % report["checker"]["version"], "</details>", ""])
    return "\n".join(lines)
