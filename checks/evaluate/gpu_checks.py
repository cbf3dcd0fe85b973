"""gpu.dedicated, gpu.vram and gpu.problematic."""

from ..units import article, format_gb, format_mib, parse_size, sold_size
from . import gpus as gpu_facts
from .registry import GPU_PROBES, rule_check


def families_by_size(rules, backend):
    """[(family, bytes needed on `backend`)] from the smallest requirement to the largest."""
    sized = [(family, gpu_facts.family_need(family, backend)) for family in rules["model_families"]]
    return sorted([item for item in sized if item[1] is not None], key=lambda item: item[1])


def family_text(family, backend, need=None, factor=1):
    """ "Stable Diffusion XL (16 GB on AMD)", or "(8 GB at full precision on NVIDIA)" for a card that needs it."""
    if factor != 1:
        return "%s (%s at full precision on %s)" % (family["name"], format_gb(need), backend["name"])
    return "%s (%s on %s)" % (family["name"], gpu_facts.family_minimum(family, backend), backend["name"])


def describe_memory(gpu, backend, memory):
    if gpu_facts.memory_words(backend) != "VRAM":
        return "%s shares the machine's %s of memory with its GPU (%s requirements are stated as that %s)" % (
            gpu["name"],
            format_gb(memory),
            backend["name"],
            backend["memory"],
        )
    if gpu.get("vram_is_estimate"):
        return "%s has about %s (an estimate)" % (gpu["name"], format_gb(memory))
    sold = sold_size(memory)
    if sold:  # as the box says, with the figure the card reports beside it
        return "%s, %s %s card: %s" % (gpu["name"], article(sold), sold, format_mib(memory))
    return "%s has %s (%s)" % (gpu["name"], format_gb(memory), format_mib(memory))


def intel_mac_note(check):
    """For an Intel Mac: the backend the page asks a Mac for (Apple Silicon), or ""."""
    os_facts = check.facts.get("os") or {}
    if os_facts.get("system") != "Darwin" or os_facts.get("apple_silicon") is not False:
        return ""
    for backend in check.rules.get("backends") or []:
        if "macos" in backend["systems"] and backend.get("requires"):
            return (
                " This Mac has an Intel processor: Invoke's requirements ask for %s, whose GPU it "
                "uses; on an Intel Mac it runs on the CPU only." % backend["requires"]
            )
    return ""


def off_os_text(gpu, backend, facts):
    systems = ", ".join(name.capitalize().replace("Macos", "macOS") for name in backend["systems"])
    return "%s: Invoke uses %s GPUs on %s only, and this is %s." % (
        gpu["name"],
        backend["name"],
        systems,
        (facts.get("os") or {}).get("system"),
    )


def mig_note(gpu):
    if gpu.get("mig"):
        return " MIG is on: memory.total is the whole card, and a MIG slice has less."
    return ""


def gpus_not_known(check):
    """True when the facts list no GPU because nothing could look (a browser, a failed probe)."""
    return not check.facts.get("gpus") and (check.from_browser or "gpus" in (check.facts.get("unknown") or {}))


@rule_check("gpu.dedicated", reads=("os",) + GPU_PROBES, errors_from=GPU_PROBES)
def check_dedicated(check):
    found = gpu_facts.dedicated_gpus(check.facts, check.rules)
    if found:
        return check.passed(", ".join(gpu["name"] for gpu in found))
    hidden = gpu_facts.vendors_without_driver(check.facts)
    if hidden:
        return check.passed(
            "An %s GPU is installed, but its driver does not answer (see the driver check)."
            % gpu_facts.VENDOR_NAMES[hidden[0]]
        )
    if gpu_facts.nvidia_driver_failed(check.facts):
        return check.result("unknown", gpu_facts.DRIVER_FAILED)
    if gpus_not_known(check):
        return check.unknown("gpus")
    others = [gpu["name"] for gpu in check.facts.get("gpus") or []]
    seen = " (found: %s)" % ", ".join(others) if others else ""
    detail = "No dedicated GPU%s. Invoke falls back to running on the CPU, which works but is much slower." % seen
    detail += intel_mac_note(check)
    return check.with_status(check.values["without_gpu"], detail)


@rule_check("gpu.vram", reads=("os", "ram") + GPU_PROBES, errors_from=GPU_PROBES)
def check_vram(check):
    gpu, backend, memory = gpu_facts.best_gpu(check.facts, check.rules)
    if gpu is None and gpu_facts.nvidia_driver_failed(check.facts):
        return check.result("unknown", gpu_facts.DRIVER_FAILED)
    if gpu is None and gpu_facts.vendors_without_driver(check.facts):
        return check.result(
            "unknown", "The GPU's memory is unknown: its driver does not answer (see the driver check)."
        )
    if gpu is None:
        if gpus_not_known(check):
            return check.unknown("gpus")
        # The GPU finding says there is none; here there is no VRAM to judge.
        return check.not_applicable(
            "Without a GPU there is no VRAM to judge: the models run on the CPU." + intel_mac_note(check)
        )
    if backend is None:
        return check.result("unknown", "%s: the rules name no backend for %s GPUs." % (gpu["name"], gpu.get("vendor")))
    if gpu_facts.runs_here(backend, check.facts) is False:
        return check.with_status(check.values["backend_off_os_status"], off_os_text(gpu, backend, check.facts))
    if memory is None:
        if gpu_facts.memory_words(backend) != "VRAM":
            return check.unknown("ram.total_bytes")
        index = (check.facts.get("gpus") or []).index(gpu)
        return check.unknown("gpus[%d].vram_bytes" % index, "gpus.vram_bytes")

    sized = families_by_size(check.rules, backend)
    everywhere = [
        family for family in check.rules["model_families"] if gpu_facts.recommended_need(family, backend) is not None
    ]
    problematic = check.rule_values("gpu.problematic")
    series = problematic_series(check.facts, gpu, problematic)
    factor = problematic.get("full_precision_factor", 1) if series else 1
    holds = [family_text(family, backend, need * factor, factor) for family, need in sized if memory >= need * factor]
    misses = [family_text(family, backend, need * factor, factor) for family, need in sized if memory < need * factor]
    parts = [describe_memory(gpu, backend, memory)]
    if series:
        parts.append(
            "it is in the %s, so Invoke runs it at full precision, where a model needs %s the VRAM"
            % (series, _times(factor))
        )
    if holds:
        parts.append("enough for " + ", ".join(holds))
    if misses:
        parts.append("not enough for " + ", ".join(misses))
    if everywhere:
        parts.append(runs_everywhere_text(check.rules, everywhere, backend))
    detail = "; ".join(parts) + "." + mig_note(gpu)
    if series and any(memory >= need for _, need in sized):
        # Enough at half precision, which this card cannot use: the problematic rule's verdict, one reason.
        return check.with_status(problematic.get("status", "warn"), detail, check.rule["fix"])
    statuses = []
    if sized or not everywhere:
        # Below every minimum: the release says whether a card runs them anyway, slower (warn), or not (fail).
        statuses.append(check.values.get("below_minimum_status", "fail") if not holds else "warn" if misses else "pass")
    if everywhere:
        statuses.append("warn" if memory < parse_size(backend["recommended_memory"]) else "pass")
    status = "fail" if "fail" in statuses else "warn" if "warn" in statuses else "pass"
    return check.with_status(status, detail, check.rule["fix"])


def runs_everywhere_text(rules, families, backend):
    """ "every model family runs on every Mac with Apple Silicon, 16 GB of memory recommended"."""
    if len(families) == len(rules["model_families"]):
        which = "every model family runs"
    else:
        which = "%s run%s" % (", ".join(family["name"] for family in families), "s" if len(families) == 1 else "")
    return "%s on %s, %s of %s recommended" % (
        which,
        gpu_facts.runs_everywhere_words(backend),
        backend["recommended_memory"],
        gpu_facts.memory_words(backend),
    )


def problematic_series(facts, gpu, problematic_values):
    """The problematic series `gpu` is in, or None (also in rules without the problematic-GPU rule)."""
    for found, series, _ in gpu_facts.problematic_gpus(facts, problematic_values):
        if found is gpu:
            return series
    return None


def _times(value):
    """2 -> "twice", 3 -> "3 times"."""
    return "twice" if value == 2 else "%g times" % value


@rule_check("gpu.problematic", reads=("os", "nvidia"), errors_from=("nvidia",))
def check_problematic(check):
    nvidia = [gpu for gpu in check.facts.get("gpus") or [] if gpu.get("vendor") == "nvidia"]
    if not nvidia and gpu_facts.nvidia_driver_failed(check.facts):
        return check.result("unknown", gpu_facts.DRIVER_FAILED)
    if not nvidia and "nvidia" in gpu_facts.vendors_without_driver(check.facts):
        return check.result(
            "unknown",
            "An NVIDIA GPU is installed, but its driver does not answer: "
            "its model can't be told (see the driver check).",
        )
    if not nvidia:
        if gpus_not_known(check):
            return check.unknown("gpus")
        return check.not_applicable("No NVIDIA GPU.")
    problems, unreadable = [], []
    for gpu in nvidia:
        verdict, series, reason = gpu_facts.classify(gpu, check.values)
        if verdict == gpu_facts.PROBLEMATIC:
            text = "%s is in the %s." % (gpu["name"], series)
            problems.append(text + (" " + reason if reason else ""))
        elif verdict == gpu_facts.CANNOT_TELL:
            unreadable.append(gpu["name"])
    if problems:
        detail = " ".join(problems) + " " + check.rule["why"]
        return check.with_status(check.values["status"], detail)
    if unreadable:
        tool = check.rule_values("driver.nvidia").get("tool", "nvidia-smi")
        detail = "The GPU name was cut off before its model (%s): the series can't be told." % ", ".join(unreadable)
        return check.result("unknown", detail, "Run %s --query-gpu=name --format=csv to see the full name." % tool)
    names = ", ".join(gpu["name"] for gpu in nvidia)
    similar = [gpu["name"] for gpu in nvidia if gpu.get("name_exact") is False]
    if similar:
        return check.browser_cannot_tell(
            "the browser names a similar model (%s), not the exact one." % ", ".join(similar)
        )
    return check.passed("%s: not in a problematic series." % names)
