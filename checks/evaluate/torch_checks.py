"""gpu.torch: can the torch build the installer puts in use this GPU and driver?

The rules state the build (torch version, CUDA version, the architectures
whose GPU code its wheels carry, the oldest driver for its CUDA version). A
GPU of an architecture outside that range gets "no kernel image is available
for execution on the device"; a driver too old for the CUDA version cannot
start the build at all.
"""

import re

from ..rules_source import rule_values
from . import gpus as gpu_facts
from .registry import GPU_PROBES, rule_check


def version_tuple(text):
    """ "525.60.13" -> (525, 60, 13); None for text that is not a dotted number."""
    parts = re.findall(r"\d+", str(text or ""))
    if not parts or not re.match(r"^\s*\d+(\.\d+)*\s*$", str(text)):
        return None
    return tuple(int(part) for part in parts)


def compute_capability(gpu, values):
    """(capability text or None, how it is known: "reported", "by name" or None)."""
    reported = gpu.get("compute_capability")
    if version_tuple(reported) and len(version_tuple(reported)) == 2:
        return reported, "reported"
    for entry in values["by_name"]:
        if re.search(entry["pattern"], gpu.get("name") or "", re.IGNORECASE):
            return entry["compute_capability"], "by name (%s)" % entry["series"]
    return None, None


def architecture_supported(capability, values):
    """True when the build carries GPU code that runs on `capability`.

    Code built for X.Y runs on X.Z for Z >= Y (binary compatibility within a
    major version); the build carries no PTX, so nothing else runs.
    """
    major, minor = version_tuple(capability)
    for arch in values["architectures"]:
        arch_major, arch_minor = version_tuple(arch)
        if arch_major == major and arch_minor <= minor:
            return True
    return False


def driver_problem(gpu, facts, values):
    """Why the driver is too old for the build's CUDA version, or None (also when it can't be told)."""
    system = (facts.get("os") or {}).get("system")
    # Under WSL the driver is the Windows one (nvidia-smi reports its version).
    key = "windows" if system == "Windows" or (facts.get("os") or {}).get("wsl") else "linux"
    driver = version_tuple(gpu.get("driver_version"))
    minimum = values["min_driver"][key]
    if driver is not None and driver < version_tuple(minimum):
        return "driver %s is older than %s, the oldest that runs CUDA %s on %s" % (
            gpu["driver_version"],
            minimum,
            values["cuda_version"],
            "Windows" if key == "windows" else "Linux",
        )
    cuda = version_tuple(gpu.get("cuda_version"))
    if cuda is not None and cuda < version_tuple(values["min_driver_cuda"]):
        return "the driver supports CUDA up to %s; torch %s needs CUDA %s" % (
            gpu["cuda_version"],
            values["torch_version"],
            values["min_driver_cuda"],
        )
    return None


def cpu_only_machine(facts, values):
    """True where the installer installs CPU torch only (arm64 outside macOS)."""
    os_facts = facts.get("os") or {}
    return os_facts.get("system") not in (None, "Darwin") and (os_facts.get("machine") or "").lower() in [
        name.lower() for name in values["cpu_only_machines"]
    ]


def judge_nvidia(gpu, facts, values):
    """("fail" | "pass" | "unknown", text) for one NVIDIA GPU against the build."""
    problem = driver_problem(gpu, facts, values)
    if problem:
        return "fail", "%s: %s" % (gpu["name"], problem)
    capability, how = compute_capability(gpu, values)
    if capability is None:
        return "unknown", "%s: its compute capability is unknown" % gpu["name"]
    said = "compute capability %s%s" % (capability, "" if how == "reported" else ", " + how)
    if not architecture_supported(capability, values):
        newer = version_tuple(capability) > version_tuple(values["architectures"][-1])
        return (
            "fail",
            "%s (%s) is %s than torch %s's CUDA %s build supports (%s to %s.x): it stops with "
            "\"no kernel image is available for execution on the device\""
            % (
                gpu["name"],
                said,
                "newer" if newer else "older",
                values["torch_version"],
                values["cuda_version"],
                values["oldest_architecture"],
                values["newest_major"],
            ),
        )
    return "pass", "%s (%s) runs torch %s's CUDA %s build" % (
        gpu["name"],
        said,
        values["torch_version"],
        values["cuda_version"],
    )


def torch_values(rules):
    """The gpu.torch rule's values, or None in rules without it."""
    for rule in rules.get("rules") or []:
        if rule["id"] == "gpu.torch":
            return rule["values"]
    return None


def torch_cannot_use(facts, rules, gpu):
    """(status, why) when the installed torch cannot use `gpu` (for the model verdicts), or None.

    On a machine the installer gives CPU torch only, the models run on the CPU
    (the status of a machine without a GPU); a GPU outside the build fails.
    """
    values = torch_values(rules)
    if values is None or gpu is None:
        return None
    if gpu.get("vendor") in ("nvidia", "amd") and cpu_only_machine(facts, values):
        without = rule_values(rules, "gpu.dedicated").get("without_gpu", "warn")
        return (
            without,
            "on %s the installer sets up torch for the CPU only, so the GPU is not used: it runs on "
            "the CPU, much slower" % facts["os"]["machine"],
        )
    if gpu.get("vendor") != "nvidia":
        return None
    status, text = judge_nvidia(gpu, facts, values)
    return (status, text) if status == "fail" else None


@rule_check("gpu.torch", reads=("os",) + GPU_PROBES, errors_from=GPU_PROBES)
def check_torch(check):
    values = check.values
    facts = check.facts
    found = gpu_facts.dedicated_gpus(facts, check.rules)
    gpus_here = [gpu for gpu in found if gpu.get("vendor") in ("nvidia", "amd")]
    if gpus_here and cpu_only_machine(facts, values):
        without = check.rule_values("gpu.dedicated").get("without_gpu", "warn")
        return check.with_status(
            without,
            "On %s (%s) the installer sets up torch for the CPU only: %s will not be "
            "used." % (facts["os"]["system"], facts["os"]["machine"], ", ".join(gpu["name"] for gpu in gpus_here)),
            "Invoke runs here on the CPU, much slower; for the GPU use an x86-64 machine.",
        )
    nvidia = [gpu for gpu in found if gpu.get("vendor") == "nvidia"]
    if not nvidia:
        if not facts.get("gpus") and (check.from_browser or "gpus" in (facts.get("unknown") or {})):
            return check.unknown("gpus")
        if any(gpu.get("vendor") == "amd" for gpu in found):
            return check.passed(
                "No NVIDIA GPU: for AMD the installer sets up torch %s for ROCm %s."
                % (values["torch_version"], values["rocm_version"])
            )
        return check.not_applicable("No NVIDIA GPU: torch's CUDA build is not used.")
    judged = [judge_nvidia(gpu, facts, values) for gpu in nvidia]
    failed = [text for status, text in judged if status == "fail"]
    unknown = [text for status, text in judged if status == "unknown"]
    passed = [text for status, text in judged if status == "pass"]
    if failed:
        detail = "; ".join(failed) + "."
        if passed:
            detail += " " + "; ".join(passed) + "."
        status = "warn" if passed else "fail"
        newer = any("newer than" in text for text in failed)
        fix = check.rule["fix"]
        if not newer:
            fix = "Update the NVIDIA driver (%s), then run the installer again." % values["driver_url"]
        return check.result(status, detail, fix)
    if unknown:
        if check.from_browser:
            return check.browser_cannot_tell("the browser does not say the GPU's compute capability or driver.")
        return check.unknown("gpus.compute_capability")
    similar = [gpu["name"] for gpu in nvidia if gpu.get("name_exact") is False]
    if check.from_browser or similar:
        return check.browser_cannot_tell("the browser names the GPU but not its driver.")
    return check.passed("; ".join(passed) + ".")
