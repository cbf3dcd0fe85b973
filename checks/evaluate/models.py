"""One verdict per model family in the rules: can this machine run it?

A family's verdict is its GPU's (the minimum of the backend of the machine's
best GPU), joined with what else the release states for it: the RAM it needs
(`min_ram`) and, for an NVIDIA GPU, the oldest series it runs on
(`min_nvidia`). The worst of them decides; the deciding reason comes first.
"""

from ..units import article, format_gb, format_mib, parse_size, sold_size
from . import gpus as gpu_facts
from .gpu_checks import gpus_not_known, off_os_text
from .torch_checks import compute_capability, torch_cannot_use, torch_values, version_tuple

# Which part's status wins when a family's parts disagree: the first of these.
SEVERITY = ("fail", "unknown", "warn", "pass")


def model_verdict(family, status, reason):
    return {"id": family["id"], "name": family["name"], "status": status, "reason": reason}


def model_verdicts(check_vram, problematic_values=None):
    """The verdicts for every family, given the gpu.vram rule's Check.

    Each family is judged by the minimum of the backend of the machine's
    best GPU (NVIDIA VRAM, AMD VRAM, a Mac's memory), and a GPU the installed
    torch cannot use (see gpu.torch) holds no family. `problematic_values` are
    the gpu.problematic rule's values (None in a release without that rule).
    """
    facts, rules = check_vram.facts, check_vram.rules
    gpu, backend, memory = gpu_facts.best_gpu(facts, rules)
    problems = dict((id(found), series) for found, series, _ in gpu_facts.problematic_gpus(facts, problematic_values))
    unusable = torch_cannot_use(facts, rules, gpu) if gpu is not None else None
    verdicts = []
    for family in rules["model_families"]:
        parts = [gpu_part(check_vram, family, gpu, backend, memory, problems, problematic_values, unusable)]
        parts.append(ram_part(check_vram, family, every_family_runs(family, gpu, backend, facts)))
        if not unusable:  # a GPU torch does not use (or cannot) is judged by that alone
            parts.append(series_part(family, gpu, rules))
        verdicts.append(joined(family, [part for part in parts if part is not None]))
    return verdicts


def joined(family, parts):
    """One verdict from (status, reason) parts: the worst status, its reason first."""
    ordered = sorted(parts, key=lambda part: SEVERITY.index(part[0]))
    return model_verdict(family, ordered[0][0], " ".join(reason for _, reason in ordered))


def needs_text(family, gpu, backend, rules):
    """What the family needs, as the rules state it for the machine's backend (or for every backend)."""
    minimum = gpu_facts.family_minimum(family, backend)
    recommended = gpu_facts.recommended_need(family, backend)
    if gpu is None or backend is None or (minimum is None and recommended is None):
        return "%s needs %s" % (family["name"], " / ".join(backend_minimums(family, rules)))
    if minimum is None:
        return "%s runs on %s, %s of %s recommended" % (
            family["name"],
            gpu_facts.runs_everywhere_words(backend),
            backend["recommended_memory"],
            gpu_facts.memory_words(backend),
        )
    text = "%s needs %s %s on %s" % (family["name"], minimum, gpu_facts.memory_words(backend), backend["name"])
    source = gpu_facts.shared_from(backend, rules)
    if source is not None and backend["id"] not in (family.get("min_memory") or {}):
        text += ", the same as on %s" % source["name"]
    return text


def gpu_part(check_vram, family, gpu, backend, memory, problems, problematic_values, unusable):
    """(status, reason) of the machine's best GPU for `family`."""
    facts, rules = check_vram.facts, check_vram.rules
    need = gpu_facts.family_need(family, backend)
    recommended = gpu_facts.recommended_need(family, backend)
    needs = needs_text(family, gpu, backend, rules)
    if gpu is None and gpu_facts.nvidia_driver_failed(facts):
        return (
            "unknown",
            "%s; nvidia-smi answered with an error, so the GPU and its VRAM are unknown until the driver works."
            % needs,
        )
    if gpu is None and gpu_facts.vendors_without_driver(facts):
        return "unknown", "%s; the GPU's driver does not answer, so its VRAM is unknown." % needs
    if gpu is None:
        if gpus_not_known(check_vram):
            return "unknown", "%s; %s" % (needs, check_vram.why_unknown("gpus"))
        return "warn", "Runs on the CPU, much slower."
    if backend is None or (need is None and recommended is None):
        return "unknown", "%s; the rules state nothing for %s." % (needs, gpu["name"])
    if gpu_facts.runs_here(backend, facts) is False:
        return check_vram.values.get("backend_off_os_status", "fail"), "%s; %s" % (
            needs,
            off_os_text(gpu, backend, facts),
        )
    if unusable:
        return unusable[0], "%s; %s." % (needs, unusable[1])
    if memory is None:
        what = "this Mac's memory" if gpu_facts.memory_words(backend) != "VRAM" else "%s's VRAM" % gpu["name"]
        reason = check_vram.why_unknown(
            "ram.total_bytes" if gpu_facts.memory_words(backend) != "VRAM" else "gpus.vram_bytes"
        )
        return "unknown", "%s; %s is unknown (%s)." % (needs, what, reason)
    has = memory_text(gpu, backend, memory)
    if need is None:
        # A backend that runs every family: its recommended memory is all there is to meet.
        return ("warn" if memory < recommended else "pass"), "%s; %s." % (needs, has)
    if memory < need:
        status = check_vram.values.get("below_minimum_status", "fail")
        if status == "warn":
            # The release says a card below the minimum still runs the family (more slowly).
            return status, "%s; %s: below the minimum, it typically still runs, more slowly." % (needs, has)
        return status, "%s; %s." % (needs, has)
    if id(gpu) in problems:
        # The same reason as the VRAM and problematic-GPU findings: full precision needs more VRAM.
        full = need * problematic_values.get("full_precision_factor", 1)
        if memory < full:
            reason = "%s at full precision, the only way the %s runs it; %s." % (
                "%s needs %s VRAM" % (family["name"], format_gb(full)),
                problems[id(gpu)],
                has,
            )
        else:
            reason = "%s needs %s VRAM at full precision, the only way the %s runs it; %s, but it is slower." % (
                family["name"],
                format_gb(full),
                problems[id(gpu)],
                has,
            )
        return problematic_values.get("status", "warn"), reason
    return "pass", "%s; %s." % (needs, has)


def memory_text(gpu, backend, memory):
    """What the GPU offers, as its box says it: "NVIDIA GeForce RTX 3070 is an 8 GB card (8192 MiB)"."""
    sold = None if gpu.get("vram_is_estimate") else sold_size(memory)
    if gpu_facts.memory_words(backend) == "VRAM" and sold:
        return "%s is %s %s card (%s)" % (gpu["name"], article(sold), sold, format_mib(memory))
    if gpu_facts.memory_words(backend) == "VRAM":
        return "%s has %s%s" % (gpu["name"], "about " if gpu.get("vram_is_estimate") else "", format_gb(memory))
    return "this Mac (%s) has %s of memory" % (gpu["name"], format_gb(memory))


def usable_ram(facts):
    """(bytes or None, words): the RAM Invoke may use here, a container's limit included."""
    ram = facts.get("ram") or {}
    total = ram.get("total_bytes")
    if total is None:
        return None, None
    limit = ram.get("cgroup_limit_bytes")
    if limit is not None and limit < total:
        return limit, "this container may use only %s" % format_gb(limit)
    return total, "this machine has %s" % (sold_size(total) or format_gb(total))


def every_family_runs(family, gpu, backend, facts):
    """True on a GPU whose memory is the machine's RAM, of a backend that runs every family (a Mac in 5.6+).

    Decision: there the release's own line for that backend ("All Apple
    Silicon Macs work, but 16GB+ memory is recommended") outranks the family's
    RAM line, so a Mac short of the family's RAM is warned, not failed.
    """
    return (
        gpu is not None
        and gpu_facts.memory_words(backend) != "VRAM"
        and gpu_facts.recommended_need(family, backend) is not None
        and gpu_facts.runs_here(backend, facts) is not False
    )


def ram_part(check_vram, family, runs_anyway=False):
    """(status, reason) of the machine's RAM against the family's `min_ram`, or None when it states none.

    Short of it: fail, or warn where the backend runs every family anyway (`runs_anyway`).
    """
    size = family.get("min_ram")
    if not size:
        return None
    total, has = usable_ram(check_vram.facts)
    if total is None:
        return "unknown", "%s needs %s of RAM; this machine's RAM is unknown (%s)." % (
            family["name"],
            size,
            check_vram.why_unknown("ram.total_bytes"),
        )
    reason = "%s needs %s of RAM; %s." % (family["name"], size, has)
    if total >= parse_size(size):
        return "pass", reason
    if (check_vram.facts.get("os") or {}).get("wsl"):
        reason += " WSL gives Linux only part of the host's RAM by default (memory= in .wslconfig raises it)."
    return ("warn" if runs_anyway else "fail"), reason


def series_part(family, gpu, rules):
    """(status, reason) of an NVIDIA GPU against the family's oldest series (`min_nvidia`), or None.

    None also when the GPU's compute capability is unknown (neither reported
    nor known by name): the series is not guessed from the name.
    """
    required = family.get("min_nvidia")
    if not required or gpu is None or gpu.get("vendor") != "nvidia":
        return None
    capability, how = compute_capability(gpu, torch_values(rules) or {"by_name": []})
    if capability is None or version_tuple(capability) >= version_tuple(required["compute_capability"]):
        return None
    said = "compute capability %s%s" % (capability, "" if how == "reported" else ", " + how)
    return "fail", "%s needs %s %s or newer (compute capability %s); %s is %s." % (
        family["name"],
        series_article(required["series"]),
        required["series"],
        required["compute_capability"],
        gpu["name"],
        said,
    )


def series_article(series):
    """ "an" before a series said letter by letter from a vowel sound (an RTX 20xx), else "a" (a GTX 10xx)."""
    first = series.split()[0] if series.split() else ""
    if first.isupper() and first[:1] in "AEFHILMNORSX":
        return "an"
    return "an" if first[:1].lower() in "aeiou" else "a"


def backend_minimums(family, rules):
    """["8 GB NVIDIA", ...]: a family's minimum per backend, in the order of the rules' backends.

    A backend that shares another's minimums shows the shared size; one that
    runs every family shows what it recommends ("any Mac, 16 GB recommended").
    """
    found = []
    for backend in rules.get("backends") or []:
        minimum = gpu_facts.family_minimum(family, backend)
        if minimum is not None:
            found.append("%s %s" % (minimum, backend["name"]))
        elif gpu_facts.recommended_need(family, backend) is not None:
            found.append("any %s, %s recommended" % (backend["name"], backend["recommended_memory"]))
    return found
