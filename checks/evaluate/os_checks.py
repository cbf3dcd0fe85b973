"""What users trip on before Invoke starts, per OS.

os.version, windows.long_paths, windows.vc_runtime, python.install,
macos.xcode_cli and python.certificates.
"""

from .registry import rule_check
from .torch_checks import version_tuple

SYSTEM_NAMES = {"Linux": "Linux", "Darwin": "macOS", "Windows": "Windows"}


def system_of(check):
    return (check.facts.get("os") or {}).get("system")


def not_needed(check, needed_on):
    """The finding for an OS the rule does not apply to, or None when it applies (or the OS is unknown)."""
    system = system_of(check)
    if system is None:
        return check.unknown("os.system")
    if system != needed_on:
        return check.not_applicable("Not needed on %s." % SYSTEM_NAMES.get(system, system))
    return None


@rule_check("windows.long_paths", reads=("os", "windows"), errors_from=("windows",))
def check_long_paths(check):
    other = not_needed(check, "Windows")
    if other is not None:
        return other
    enabled = (check.facts.get("windows") or {}).get("long_paths")
    if enabled is None:
        return check.unknown("windows.long_paths")
    where = "%s\\%s" % (check.values["registry_key"], check.values["registry_value"])
    if enabled:
        return check.passed("Long paths are enabled (%s = 1)." % where)
    return check.failed(
        "Long paths are disabled (%s is not 1): the install stops part-way on a path "
        "longer than 260 characters." % where
    )


@rule_check("windows.vc_runtime", reads=("os", "windows"), errors_from=("windows",))
def check_vc_runtime(check):
    other = not_needed(check, "Windows")
    if other is not None:
        return other
    found = (check.facts.get("windows") or {}).get("vc_runtime") or {}
    dlls = check.values["dlls"]
    missing = [dll for dll in dlls if found.get(dll) is False]
    unmeasured = [dll for dll in dlls if found.get(dll) is None]
    if missing:
        return check.failed("Missing from %s: %s." % (check.values["folder"], ", ".join(missing)))
    if unmeasured:
        return check.unknown("windows.vc_runtime")
    return check.passed("Found %s in %s." % (", ".join(dlls), check.values["folder"]))


@rule_check("python.install", reads=("os", "python"), errors_from=("python",))
def check_python_install(check):
    python = check.facts.get("python") or {}
    system = system_of(check)
    if check.from_browser or system is None:
        return check.unknown("python.bits" if system else "os.system")
    problems = []
    bits = python.get("bits")
    if bits is not None and bits != check.values["bits"]:
        problems.append(
            "this Python (%s) is a %d-bit build; torch needs %d-bit"
            % (python.get("executable") or python.get("version"), bits, check.values["bits"])
        )
    if system == "Windows":
        if python.get("microsoft_store"):
            problems.append("this Python is the Microsoft Store's (%s)" % python.get("executable"))
        kind = python.get("path_python_kind")
        path = python.get("path_python")
        if kind == "store-alias":
            problems.append(
                "`python` on the PATH is Windows' alias that opens the Microsoft Store (%s), not a Python" % path
            )
        elif kind == "microsoft-store":
            problems.append("`python` on the PATH is the Microsoft Store's Python (%s)" % path)
        elif path is None and "python.path_python_kind" in (check.facts.get("unknown") or {}):
            problems.append("no `python` on the PATH: the installer cannot find one")
    if problems:
        detail = "; ".join(problems) + "."
        return check.failed(detail[0].upper() + detail[1:], fix_for(check, system))
    if bits is None:
        return check.unknown("python.bits")
    if system == "Windows" and python.get("path_python_kind") is None:
        return check.unknown("python.path_python_kind")
    where = " `python` on the PATH is %s." % python["path_python"] if system == "Windows" else ""
    return check.passed("A %d-bit Python (%s).%s" % (bits, python.get("executable") or python.get("version"), where))


def fix_for(check, system):
    if system == "Windows":
        return "%s If Windows' alias still answers first, turn the python.exe and python3.exe entries off in %s." % (
            check.rule["fix"],
            check.values["aliases_setting"],
        )
    return "Install a 64-bit Python %s and run the installer with it." % check.values["recommended"]


@rule_check("macos.xcode_cli", reads=("os", "macos"), errors_from=("macos",))
def check_xcode(check):
    other = not_needed(check, "Darwin")
    if other is not None:
        return other
    macos = check.facts.get("macos") or {}
    installed = macos.get("xcode_cli")
    if installed is None:
        return check.unknown("macos.xcode_cli")
    if installed:
        return check.passed("Installed at %s." % macos.get("xcode_path"))
    return check.failed("%s names no installed developer tools." % check.values["probe_command"])


@rule_check("python.certificates", reads=("os", "python"), errors_from=("python",))
def check_certificates(check):
    other = not_needed(check, "Darwin")
    if other is not None:
        return other
    python = check.facts.get("python") or {}
    if check.from_browser or python.get("framework") is None:
        return check.unknown("python.framework")
    if not python["framework"]:
        return check.passed(
            "This Python (%s) is not python.org's: it does not need the Install Certificates "
            "command." % (python.get("executable") or python.get("version"))
        )
    present = python.get("cafile_present")
    if present is None:
        return check.unknown("python.cafile_present")
    if present:
        return check.passed("python.org's Python with its certificates (%s)." % python.get("cafile"))
    version = ".".join(str(python.get("version") or "").split(".")[:2]) or "3.x"
    command = "%s %s/%s" % (check.values["folder_prefix"], version, check.values["command_file"])
    detail = (
        "python.org's Python %s has no certificate file (%s): model downloads fail with "
        "CERTIFICATE_VERIFY_FAILED." % (python.get("version"), python.get("cafile"))
    )
    return check.failed(detail, "Run \"%s\" (double-click it in Finder), then download the model again." % command)


# --- os.version ------------------------------------------------------------------

# What Python's platform.release() calls each Windows release, and the Windows
# NT version that orders them: (name people know it by, NT version). A server
# release is ordered with the client release that shares its NT version
# (Server 2019 is NT 10.0.17763, a Windows 10 build). Older Pythons call
# Windows 11 "10" (the build tells them apart) and the NT 10 servers
# "post2012ServerR2".
WINDOWS_RELEASES = {
    "2000": ("Windows 2000", (5, 0)),
    "XP": ("Windows XP", (5, 1)),
    "XPMe": ("Windows XP", (5, 2)),
    "XP64": ("Windows XP x64", (5, 2)),
    "Vista": ("Windows Vista", (6, 0)),
    "7": ("Windows 7", (6, 1)),
    "8": ("Windows 8", (6, 2)),
    "8.1": ("Windows 8.1", (6, 3)),
    "10": ("Windows 10", (10, 0)),
    "11": ("Windows 11", (10, 0, 22000)),
    "2003Server": ("Windows Server 2003", (5, 2)),
    "2008Server": ("Windows Server 2008", (6, 0)),
    "2008ServerR2": ("Windows Server 2008 R2", (6, 1)),
    "2012Server": ("Windows Server 2012", (6, 2)),
    "2012ServerR2": ("Windows Server 2012 R2", (6, 3)),
    "post2012ServerR2": ("Windows Server 2016 or newer", (10, 0)),
    "2016Server": ("Windows Server 2016", (10, 0, 14393)),
    "2019Server": ("Windows Server 2019", (10, 0, 17763)),
    "2022Server": ("Windows Server 2022", (10, 0, 20348)),
    "2025Server": ("Windows Server 2025", (10, 0, 26100)),
}
# The first Windows 11 build: Python's release "10" with a build from here on is Windows 11.
WINDOWS_11_BUILD = (10, 0, 22000)
# What Python reports on every macOS from 11 on when it runs in the compatibility mode
# of programs built for 10.15 (SYSTEM_VERSION_COMPAT): the release is not told.
MACOS_COMPAT_VERSION = (10, 16)


@rule_check("os.version", reads=("os",), errors_from=("os",))
def check_os_version(check):
    system = system_of(check)
    if system is None:
        return check.unknown("os.system")
    if system == "Windows":
        return _windows_version(check)
    if system == "Darwin":
        return _macos_version(check)
    if system == "Linux":
        return _linux_version(check)
    return check.result(
        "unknown",
        "This checker does not know %s: Invoke's requirements name Windows, macOS and Linux." % system,
    )


def windows_release(os_facts):
    """(name, NT version, exact) of a Windows machine's release; (None, None, False) when not recognised.

    The build (os.version, "10.0.22631") orders it where it is known; `exact`
    is False when only "Windows 10 or newer" can be told (Python's release "10"
    without a build: Windows 11 reports it too).
    """
    release = str(os_facts.get("release") or "").strip()
    build = version_tuple(os_facts.get("version"))
    if build is not None and (len(build) < 3 or build[0] not in (5, 6, 10)):
        build = None  # not an NT version with its build
    known = WINDOWS_RELEASES.get(release)
    if known is None:
        if build is None:
            return None, None, False
        return "Windows (release %s, build %s)" % (release or "unnamed", os_facts["version"]), build, True
    name, nt = known
    if build is not None and build[:2] == nt[:2]:
        if release == "10" and build >= WINDOWS_11_BUILD:
            name = "Windows 11"
        return "%s (build %s)" % (name, os_facts["version"]), build, True
    return name, nt, release not in ("10", "post2012ServerR2")


def _windows_version(check):
    os_facts = check.facts.get("os") or {}
    wanted = check.values["windows"]
    need = WINDOWS_RELEASES.get(wanted)
    if need is None:
        return check.result("unknown", "The rules ask for Windows %s, a release this checker does not know." % wanted)
    name, nt, exact = windows_release(os_facts)
    if name is None:
        if not os_facts.get("release") and not os_facts.get("version"):
            return check.unknown("os.release", "os.version")
        return check.result(
            "unknown",
            "Can't tell which Windows release %r is (build %s): Invoke runs on Windows %s and newer."
            % (os_facts.get("release"), os_facts.get("version") or "unknown", wanted),
        )
    said = "%s; Invoke runs on Windows %s and newer." % (name, wanted)
    if "Server" in name:
        said = "%s, judged by its Windows NT version; Invoke runs on Windows %s and newer." % (name, wanted)
    if nt >= need[1]:
        return check.passed(said)
    if not exact:
        return check.result(
            "unknown",
            "%s or newer: Python reports release %s for Windows 10 and 11 alike, and the build is unknown; "
            "Invoke needs Windows %s or newer." % (name, os_facts.get("release"), wanted),
        )
    return check.failed("%s; Invoke needs Windows %s or newer." % (name, wanted))


def _macos_version(check):
    os_facts = check.facts.get("os") or {}
    text = os_facts.get("version") or os_facts.get("mac_version")
    if not text:
        return check.unknown("os.version", "os.release")
    version = version_tuple(text)
    wanted = check.values["macos"]
    need = version_tuple(wanted)
    if version is None:
        return check.result(
            "unknown", "Can't read the macOS version %r: Invoke needs macOS %s or newer." % (text, wanted)
        )
    if version[:2] == MACOS_COMPAT_VERSION:
        if need <= (11,):
            return check.passed(
                "macOS 11 or newer (reported as %s); Invoke runs on macOS %s and newer." % (text, wanted)
            )
        return check.result(
            "unknown",
            "macOS reports %s, its version for programs built for macOS 10.15: it is macOS 11 or newer, "
            "but which can't be told; Invoke needs macOS %s or newer (sw_vers shows the version)." % (text, wanted),
        )
    if version >= need:
        return check.passed("macOS %s; Invoke runs on macOS %s and newer." % (text, wanted))
    return check.failed("macOS %s; Invoke needs macOS %s or newer." % (text, wanted))


def _linux_version(check):
    os_facts = check.facts.get("os") or {}
    distro = os_facts.get("distro") or {}
    under = "Under WSL, " if os_facts.get("wsl") else ""
    wanted = check.values["ubuntu"]
    if not distro.get("id"):
        return check.unknown("os.distro", "os.release")
    name = distro.get("pretty_name") or " ".join(str(part) for part in (distro["id"], distro.get("version_id")) if part)
    if distro["id"] != "ubuntu":
        # Decision: the release states Linux, naming only Ubuntu (as well tested): any
        # other distribution meets "Linux", and its version is not judged.
        return check.passed(
            "%s%s: Invoke runs on Linux; its requirements name only Ubuntu, %s and newer, as well tested."
            % (under, name, wanted)
        )
    version = version_tuple(distro.get("version_id"))
    if version is None:
        return check.result(
            "unknown",
            "%s%s: its version (%r) can't be read; Invoke is well tested on Ubuntu %s and newer."
            % (under, name, distro.get("version_id"), wanted),
        )
    if version >= version_tuple(wanted):
        return check.passed("%s%s; Invoke is well tested on Ubuntu %s and newer." % (under, name, wanted))
    return check.with_status(
        check.values["older_status"],
        "%s%s is older than Ubuntu %s, the oldest release Invoke is well tested on." % (under, name, wanted),
    )
