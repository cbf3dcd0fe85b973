"""gpu.dedicated, gpu.vram and gpu.problematic."""
from ..units import format_gb, format_mib, parse_size
from . import gpus as gpu_facts
from .registry import GPU_PROBES, rule_check


def families_by_size(rules):
    """[(family, min_vram bytes)] from the smallest requirement to the largest."""
    sized = [(family, parse_size(family["min_vram"])) for family in rules["model_families"]]
    return sorted(sized, key=lambda item: item[1])


def describe_vram(gpu, vram, estimate, share):
    if estimate and gpu.get("vendor") == "apple":
        return "%s can use about %s (an estimate: Apple Silicon shares RAM with its GPU, " \
               "and Metal can use roughly %d%% of it)" % (gpu["name"], format_gb(vram), round(share * 100))
    if estimate:
        return "%s has about %s (an estimate)" % (gpu["name"], format_gb(vram))
    return "%s has %s (%s)" % (gpu["name"], format_gb(vram), format_mib(vram))


def mig_note(gpu):
    if gpu.get("mig"):
        return " MIG is on: memory.total is the whole card, and a MIG slice has less."
    return ""


def gpus_not_known(check):
    """True when the facts list no GPU because nothing could look (a browser, a failed probe)."""
    return not check.facts.get("gpus") and (check.from_browser or "gpus" in (check.facts.get("unknown") or {}))


@rule_check("gpu.dedicated", reads=("os",) + GPU_PROBES, errors_from=GPU_PROBES)
def check_dedicated(check):
    found = gpu_facts.dedicated_gpus(check.facts)
    if found:
        return check.passed(", ".join(gpu["name"] for gpu in found))
    hidden = gpu_facts.vendors_without_driver(check.facts)
    if hidden:
        return check.passed("An %s GPU is installed, but its driver does not answer (see the driver check)."
                            % gpu_facts.VENDOR_NAMES[hidden[0]])
    if gpus_not_known(check):
        return check.unknown("gpus")
    others = [gpu["name"] for gpu in check.facts.get("gpus") or []]
    seen = " (found: %s)" % ", ".join(others) if others else ""
    detail = "No dedicated GPU%s. Invoke falls back to running on the CPU, which works but is much slower." % seen
    return check.with_status(check.values["without_gpu"], detail)


@rule_check("gpu.vram", reads=("os", "ram") + GPU_PROBES, errors_from=GPU_PROBES)
def check_vram(check):
    share = check.values["apple_unified_share"]
    gpu, vram, estimate = gpu_facts.best_gpu(check.facts, share)
    if gpu is None and gpu_facts.vendors_without_driver(check.facts):
        return check.result("unknown", "The GPU's memory is unknown: its driver does not answer (see the driver check).")
    if gpu is None:
        if gpus_not_known(check):
            return check.unknown("gpus")
        # The GPU finding says there is none; here there is no VRAM to judge.
        return check.not_applicable("Without a GPU there is no VRAM to judge: the models run on the CPU.")
    if vram is None:
        index = (check.facts.get("gpus") or []).index(gpu)
        return check.unknown("gpus[%d].vram_bytes" % index, "gpus.vram_bytes")

    sized = families_by_size(check.rules)
    problematic = check.rule_values("gpu.problematic")
    series = problematic_series(check.facts, gpu, problematic)
    factor = problematic.get("full_precision_factor", 1) if series else 1
    at = " at full precision" if factor != 1 else ""
    holds = ["%s (%s%s)" % (family["name"], format_gb(need * factor), at) for family, need in sized
             if vram >= need * factor]
    misses = ["%s (%s%s)" % (family["name"], format_gb(need * factor), at) for family, need in sized
              if vram < need * factor]
    parts = [describe_vram(gpu, vram, estimate, share)]
    if series:
        parts.append("it is in the %s, so Invoke runs it at full precision, where a model needs %s the VRAM"
                     % (series, _times(factor)))
    if holds:
        parts.append("enough for " + ", ".join(holds))
    if misses:
        parts.append("not enough for " + ", ".join(misses))
    detail = "; ".join(parts) + "." + mig_note(gpu)
    if series and any(vram >= need for _, need in sized):
        # Enough at half precision, which this card cannot use: the problematic rule's verdict, one reason.
        return check.with_status(problematic.get("status", "warn"), detail, check.rule["fix"])
    if not holds:
        return check.failed(detail)
    if misses:
        return check.result("warn", detail, check.rule["fix"])
    return check.passed(detail)


def problematic_series(facts, gpu, problematic_values):
    """The problematic series `gpu` is in, or None."""
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
    if not nvidia and "nvidia" in gpu_facts.vendors_without_driver(check.facts):
        return check.result("unknown", "An NVIDIA GPU is installed, but its driver does not answer: "
                                       "its model can't be told (see the driver check).")
    if not nvidia:
        if check.from_browser and not check.facts.get("gpus"):
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
        return check.browser_cannot_tell("the browser names a similar model (%s), not the exact one." % ", ".join(similar))
    return check.passed("%s: not in a problematic series." % names)
