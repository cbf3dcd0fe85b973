"""driver.nvidia and driver.amd."""

from ..site_links import script_command
from .context import os_name
from .registry import rule_check


def known_failure(check, nvidia_smi):
    """The rules' failure entry that this nvidia-smi failure is, or None."""
    failures = check.values["failures"]
    for failure in failures:
        if failure["id"] == nvidia_smi.get("failure"):
            return failure
    message = (nvidia_smi.get("message") or "").lower()
    for failure in failures:
        if failure["match"].lower() in message:
            return failure
    return None


def install_fix(check):
    fix = "%s %s" % (check.rule["fix"], check.values["install_url"])
    if (check.facts.get("os") or {}).get("system") == "Linux" and check.values.get("container_runtime_url"):
        fix += (
            " Or run Invoke in a container with the NVIDIA Container Runtime: %s"
            % check.values["container_runtime_url"]
        )
    return fix


def versions(gpus, *keys):
    for gpu in gpus:
        if all(gpu.get(key) for key in keys):
            return [gpu[key] for key in keys]
    return None


@rule_check("driver.nvidia", reads=("os", "nvidia", "gpu_hardware"), errors_from=("nvidia",))
def check_nvidia(check):
    tool = check.values["tool"]
    nvidia_smi = check.facts.get("nvidia_smi") or {}
    status = nvidia_smi.get("status")
    gpus = [gpu for gpu in check.facts.get("gpus") or [] if gpu.get("vendor") == "nvidia"]
    on_bus = (check.facts.get("gpu_hardware") or {}).get("nvidia")
    if status in ("failed", "timeout"):
        failure = known_failure(check, nvidia_smi)
        message = (nvidia_smi.get("message") or "").strip()
        if failure:
            detail = "%s: %s" % (failure["title"], message) if message else failure["title"]
            on_windows = (check.facts.get("os") or {}).get("system") == "Windows"
            return check.failed(
                detail, failure.get("fix_windows") if on_windows and failure.get("fix_windows") else failure["fix"]
            )
        detail = "%s %s" % (tool, "timed out" if status == "timeout" else "failed")
        if message:
            detail += ": " + message
        return check.failed(detail, install_fix(check))
    if status == "ok" or (status == "not-run" and gpus):
        found = versions(gpus, "driver_version", "cuda_version")
        if found:
            return check.passed("Driver %s, CUDA %s." % tuple(found))
        drivers = versions(gpus, "driver_version")
        if drivers:
            why = check.why_unknown("nvidia_smi.cuda_version")
            return check.result(
                "unknown",
                "Driver %s; %s." % (drivers[0], why.rstrip(".")),
                "Run %s: its table's banner shows the CUDA version." % tool,
            )
        if status == "ok":
            why = check.why_unknown("nvidia_smi.driver_version", "nvidia_smi.cuda_version")
            detail = "%s lists the GPUs but not the driver version: %s." % (tool, why.rstrip("."))
            return check.result("unknown", detail, "Run %s and keep its whole output, banner included." % tool)
    if status == "missing":
        if on_bus or gpus:
            return check.failed(
                "An NVIDIA GPU is installed but %s was not found: the driver is missing." % tool, install_fix(check)
            )
        if on_bus is None and nvidia_smi.get("failure") == "not-installed":
            failure = known_failure(check, nvidia_smi)
            return check.result(
                "unknown",
                "%s: no NVIDIA driver is installed. Whether this machine has an NVIDIA "
                "GPU can't be told from that message." % failure["title"],
                failure["fix"],
            )
        return check.not_applicable("No NVIDIA GPU: not needed.")
    if on_bus is False and not gpus and not check.from_browser:
        return check.not_applicable("No NVIDIA GPU: not needed.")
    return check.unknown("nvidia_smi.status", "nvidia_smi")


@rule_check("driver.amd", reads=("os", "amd", "gpu_hardware"), errors_from=("amd",))
def check_amd(check):
    tool = check.values["tool"]
    has_amd = any(gpu.get("vendor") == "amd" for gpu in check.facts.get("gpus") or []) or (
        check.facts.get("gpu_hardware") or {}
    ).get("amd")
    if not has_amd:
        if not check.facts.get("gpus") and (check.from_browser or "gpus" in (check.facts.get("unknown") or {})):
            return check.unknown("gpus")
        return check.not_applicable("No AMD GPU: not needed.")
    system = (check.facts.get("os") or {}).get("system")
    if system is None:
        return check.unknown("os.system")
    if system.lower() not in check.values["platforms"]:
        return check.failed(
            "An AMD GPU on %s: ROCm, which Invoke needs for it, is Linux only." % os_name(system),
            "Use Linux for this GPU, or run Invoke on the CPU (much slower).",
        )
    rocm_smi = check.facts.get("rocm_smi") or {}
    fix = "%s %s Or use the ROCm Docker images: %s" % (
        check.rule["fix"],
        check.values["install_url"],
        check.values["docker_url"],
    )
    status = rocm_smi.get("status")
    if status == "ok":
        if rocm_smi.get("driver_version") and rocm_smi.get("rocm_version"):
            return check.passed("Driver %s, ROCm %s." % (rocm_smi["driver_version"], rocm_smi["rocm_version"]))
        missing = [
            path
            for path in ("rocm_smi.driver_version", "rocm_smi.rocm_version")
            if not rocm_smi.get(path.split(".")[1])
        ]
        reasons = check.facts.get("unknown") or {}
        if all(reasons.get(path) for path in missing):
            # Not shown where this machine was looked at is not the same as not there.
            known = ["driver %s" % rocm_smi["driver_version"]] if rocm_smi.get("driver_version") else []
            known += ["ROCm %s" % rocm_smi["rocm_version"]] if rocm_smi.get("rocm_version") else []
            detail = " ".join([reasons[path] for path in missing])
            if known:
                detail = "%s %s; %s" % (tool, " and ".join(known), detail[0].lower() + detail[1:])
            return check.result("unknown", detail, script_command(check.site_url) if check.from_paste else None)
        return check.failed("%s runs but shows no driver and ROCm versions." % tool, fix)
    if status == "missing":
        return check.failed("An AMD GPU is installed but %s was not found: ROCm is missing." % tool, fix)
    if status in ("failed", "timeout"):
        message = (rocm_smi.get("message") or "").strip()
        return check.failed(
            "%s %s%s" % (tool, "timed out" if status == "timeout" else "failed", ": " + message if message else "."),
            fix,
        )
    return check.unknown("rocm_smi.status", "rocm_smi")
