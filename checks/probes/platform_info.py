"""The os section: which OS, which release, WSL, Apple Silicon and Rosetta."""

from ..parsers.linux import parse_os_release
from .context import mark_unknown

TIMEOUT = 5
SW_VERS = ["sw_vers"]
ARM64 = ["sysctl", "-n", "hw.optional.arm64"]
TRANSLATED = ["sysctl", "-n", "sysctl.proc_translated"]


def start_os(context):
    """On macOS, begin the calls probe_os makes side by side (Rosetta's is only read on Apple Silicon)."""
    if context.system != "Darwin":
        return
    if not context.platform.mac_version:
        context.start(SW_VERS, timeout=TIMEOUT)
    for command in (ARM64, TRANSLATED):
        context.start(command, timeout=TIMEOUT)


def probe_os(facts, context):
    section = facts["os"]
    section["system"] = context.system
    section["release"] = context.platform.release
    section["version"] = context.platform.version
    section["machine"] = context.platform.machine
    if context.system == "Linux":
        _linux(section, facts, context)
    elif context.system == "Darwin":
        _macos(section, facts, context)
    elif context.system == "Windows":
        _windows(section, context)


def _linux(section, facts, context):
    section["release"] = (context.read("/proc/sys/kernel/osrelease") or "").strip() or section["release"]
    section["distro"] = parse_os_release(context.read("/etc/os-release") or context.read("/usr/lib/os-release"))
    if section["distro"] is None:
        mark_unknown(facts, "os.distro", "/etc/os-release is missing or empty")
    kernel = context.read("/proc/version")
    if context.env.get("WSL_DISTRO_NAME") or (kernel and "microsoft" in kernel.lower()):
        section["wsl"] = True
    elif kernel is not None:
        section["wsl"] = False
    else:
        mark_unknown(facts, "os.wsl", "/proc/version is unreadable")


def _macos(section, facts, context):
    from ..parsers.macos import parse_sw_vers, parse_sysctl_flag  # here: other systems never compile it

    section["wsl"] = False
    section["version"] = context.platform.mac_version
    if not section["version"]:
        result = context.run(SW_VERS, timeout=TIMEOUT)
        section["version"] = parse_sw_vers(result["stdout"]).get("ProductVersion")
    arm64_run = context.run(ARM64, timeout=TIMEOUT)
    arm64 = parse_sysctl_flag(arm64_run["stdout"])
    section["apple_silicon"] = bool(arm64) or section["machine"] == "arm64"
    if not section["apple_silicon"] and arm64_run["status"] == "unavailable":
        # An x86_64 Python may be Rosetta on Apple Silicon: only sysctl tells, and it did not run.
        section["apple_silicon"] = section["rosetta"] = None
        mark_unknown(facts, "os.apple_silicon", "Can't tell: %s." % arm64_run["message"].rstrip("."))
        return
    if section["apple_silicon"]:
        translated_run = context.run(TRANSLATED, timeout=TIMEOUT)
        translated = parse_sysctl_flag(translated_run["stdout"])
        if translated is None and section["machine"] in ("x86_64", "arm64"):
            # No answer (an older macOS, a recording without the key): on Apple Silicon only
            # x86_64 code is translated, so an x86_64 Python is running under Rosetta.
            translated = section["machine"] == "x86_64"
        section["rosetta"] = bool(translated)
        if translated is None and translated_run["status"] == "unavailable":
            section["rosetta"] = None
            mark_unknown(facts, "os.rosetta", "Can't tell: %s." % translated_run["message"].rstrip("."))
    else:
        section["rosetta"] = False


def _windows(section, context):
    section["wsl"] = False
    section["apple_silicon"] = False
    section["rosetta"] = False
    version = context.platform.version or ""
    section["version"] = version or None
    # Windows 11 still calls itself release "10" in older Pythons: the build tells.
    parts = version.split(".")
    if section["release"] == "10" and len(parts) >= 3 and parts[2].isdigit() and int(parts[2]) >= 22000:
        section["release"] = "11"
