"""python.version and libs.opencv."""

from .context import os_name
from .registry import rule_check

# platform.system() names -> the OS keys the rules use.
OS_KEYS = {"Linux": "linux", "Darwin": "macos", "Windows": "windows"}


def major_minor(version):
    return ".".join(str(version).split(".")[:2])


def os_key(facts):
    return OS_KEYS.get((facts.get("os") or {}).get("system"))


@rule_check("python.version", reads=("os", "python"), errors_from=("python",))
def check_python(check):
    python = check.facts.get("python") or {}
    version = python.get("version")
    if check.from_browser or version is None:
        return check.unknown("python.version")
    supported = check.values["supported"]
    listed = " or ".join(supported)
    if major_minor(version) in supported:
        return check.passed("Python %s (Invoke supports %s)." % (version, listed))
    detail = "This Python is %s; Invoke needs %s." % (version, listed)
    others = [
        other
        for other in python.get("others") or []
        if major_minor(other.get("version")) in supported and other.get("path")
    ]
    if others:
        best = sorted(others, key=lambda other: other["version"], reverse=True)[0]
        detail += " Python %s is installed at %s." % (best["version"], best["path"])
        fix = (
            "Run the installer with %s: put its folder first on your PATH (or make it the python "
            "that `%s` shows) before you start the installer." % (best["path"], check.values["version_command"])
        )
        if os_key(check.facts) == "windows":
            folder = best["path"].rsplit("\\", 1)[0]
            fix = (
                "Run the installer with %s: put its folder first on your PATH, in PowerShell "
                "$env:Path = \"%s;$env:Path\" (in cmd: set PATH=%s;%%PATH%%), then start the installer "
                "from that window (`%s` shows which Python it finds)."
                % (best["path"], folder, folder, check.values["version_command"])
            )
        return check.result("warn", detail, fix)
    guides = check.values["install_guides"]
    key = os_key(check.facts)
    if key in guides:
        where = guides[key]
    else:
        where = "; ".join("%s: %s" % (name, url) for name, url in sorted(guides.items()))
    fix = "Install Python %s (%s), then run the installer with it." % (check.values["recommended"], where)
    return check.failed(detail, fix)


def package_manager(facts, managers):
    """The rules' package manager for this Linux distribution (by id, then id_like), or None."""
    distro = (facts.get("os") or {}).get("distro") or {}
    candidates = [distro.get("id")] + list(distro.get("id_like") or [])
    for distro_id in candidates:
        for name, manager in managers.items():
            if distro_id and distro_id in manager["distros"]:
                return name
    return None


@rule_check("libs.opencv", reads=("os", "libs"), errors_from=("libs",))
def check_opencv(check):
    key = os_key(check.facts)
    if key is None:
        return check.unknown("os.system")
    if key not in check.values["platforms"]:
        return check.not_applicable("Not needed on %s." % os_name(check.facts["os"]["system"]))
    present = check.facts.get("libs") or {}
    libraries = check.values["libraries"]
    missing = [lib for lib in libraries if present.get(lib["soname"]) is False]
    unmeasured = [lib["soname"] for lib in libraries if present.get(lib["soname"]) is None]
    if not missing and unmeasured:
        return check.unknown(*["libs.%s" % soname for soname in unmeasured])
    if not missing:
        return check.passed("Found %s." % ", ".join(lib["soname"] for lib in libraries))
    detail = "Missing %s: OpenCV cannot start without it." % ", ".join(lib["soname"] for lib in missing)
    managers = check.values["package_managers"]
    manager = package_manager(check.facts, managers)
    if manager:
        packages = " ".join(lib["packages"][manager] for lib in missing)
        fix = "Run: " + managers[manager]["command"].format(packages=packages)
        fix += legacy_note(check.values, [lib["packages"][manager] for lib in missing])
    else:
        fix = "Install with your package manager: " + "; ".join(
            "%s: %s" % (name, " ".join(lib["packages"][name] for lib in missing)) for name in sorted(managers)
        )
    return check.failed(detail, fix)


def legacy_note(values, packages):
    notes = [
        "(%s replaces %s, which is gone since %s.)" % (old["replaced_by"], old["name"], old["gone_since"])
        for old in values.get("legacy_packages") or []
        if old["replaced_by"] in packages
    ]
    return (" " + " ".join(notes)) if notes else ""
