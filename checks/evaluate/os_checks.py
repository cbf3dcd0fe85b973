"""What users trip on before Invoke starts, per OS.

windows.long_paths, windows.vc_runtime, python.install, macos.xcode_cli and
python.certificates.
"""

from .registry import rule_check

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
