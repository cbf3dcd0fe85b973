"""The macos section: are the Xcode Command Line Tools installed (xcode-select -p)?"""

from .context import mark_unknown

XCODE_SELECT_TIMEOUT = 10


def start_macos(context):
    """On macOS, begin the xcode-select call beside the other probes' calls."""
    if context.system == "Darwin":
        context.start(_command(context), timeout=XCODE_SELECT_TIMEOUT)


def probe_macos(facts, context):
    if context.system != "Darwin":
        return
    section = facts["macos"]
    command = _command(context)
    result = context.run(command, timeout=XCODE_SELECT_TIMEOUT)
    status = result["status"]
    if status == "ok":
        lines = [line.strip() for line in (result["stdout"] or "").splitlines() if line.strip()]
        path = lines[0] if lines else None
        section["xcode_path"] = path
        section["xcode_cli"] = bool(path) and context.exists(path)
    elif status == "failed":
        # xcode-select -p exits non-zero (2) when no developer folder is set up.
        section["xcode_cli"] = False
    else:
        mark_unknown(
            facts,
            "macos.xcode_cli",
            "%s: %s"
            % (
                " ".join(command),
                {"missing": "not found", "timeout": "did not answer in %d s" % XCODE_SELECT_TIMEOUT}.get(
                    status, status
                ),
            ),
        )


def _command(context):
    return (context.rule_values("macos.xcode_cli").get("probe_command") or "xcode-select -p").split()
