"""One verdict per model family in the rules: can this machine run it on its GPU?"""

from ..units import article, format_gb, format_mib, sold_size
from . import gpus as gpu_facts
from .gpu_checks import gpus_not_known, off_os_text
from .torch_checks import torch_cannot_use


def model_verdict(family, status, reason):
    return {"id": family["id"], "name": family["name"], "status": status, "reason": reason}


def model_verdicts(check_vram, problematic_values):
    """The verdicts for every family, given the gpu.vram rule's Check.

    Each family is judged by the minimum of the backend of the machine's
    best GPU (NVIDIA VRAM, AMD VRAM, a Mac's memory), and a GPU the installed
    torch cannot use (see gpu.torch) holds no family.
    """
    facts, rules = check_vram.facts, check_vram.rules
    gpu, backend, memory = gpu_facts.best_gpu(facts, rules)
    problems = dict((id(found), series) for found, series, _ in gpu_facts.problematic_gpus(facts, problematic_values))
    unusable = torch_cannot_use(facts, rules, gpu) if gpu is not None else None
    verdicts = []
    for family in rules["model_families"]:
        need = gpu_facts.family_need(family, backend)
        if gpu is None or backend is None or need is None:
            needs = "%s needs %s" % (
                family["name"],
                " / ".join("%s %s" % (size, name) for name, size in backend_minimums(family, rules)),
            )
        else:
            needs = "%s needs %s %s on %s" % (
                family["name"],
                family["min_memory"][backend["id"]],
                gpu_facts.memory_words(backend),
                backend["name"],
            )
        if gpu is None and gpu_facts.nvidia_driver_failed(facts):
            verdicts.append(
                model_verdict(
                    family,
                    "unknown",
                    "%s; nvidia-smi answered with an error, so the "
                    "GPU and its VRAM are unknown until the driver works." % needs,
                )
            )
            continue
        if gpu is None and gpu_facts.vendors_without_driver(facts):
            verdicts.append(
                model_verdict(
                    family, "unknown", "%s; the GPU's driver does not answer, so its VRAM is unknown." % needs
                )
            )
            continue
        if gpu is None:
            if gpus_not_known(check_vram):
                verdicts.append(model_verdict(family, "unknown", "%s; %s" % (needs, check_vram.why_unknown("gpus"))))
            else:
                verdicts.append(model_verdict(family, "warn", "Runs on the CPU, much slower."))
            continue
        if backend is None or need is None:
            verdicts.append(
                model_verdict(family, "unknown", "%s; the rules state nothing for %s." % (needs, gpu["name"]))
            )
            continue
        if gpu_facts.runs_here(backend, facts) is False:
            verdicts.append(
                model_verdict(
                    family,
                    check_vram.values["backend_off_os_status"],
                    "%s; %s" % (needs, off_os_text(gpu, backend, facts)),
                )
            )
            continue
        if unusable:
            verdicts.append(model_verdict(family, unusable[0], "%s; %s." % (needs, unusable[1])))
            continue
        if memory is None:
            what = "this Mac's memory" if gpu_facts.memory_words(backend) != "VRAM" else "%s's VRAM" % gpu["name"]
            reason = check_vram.why_unknown(
                "ram.total_bytes" if gpu_facts.memory_words(backend) != "VRAM" else "gpus.vram_bytes"
            )
            verdicts.append(model_verdict(family, "unknown", "%s; %s is unknown (%s)." % (needs, what, reason)))
            continue
        sold = None if gpu.get("vram_is_estimate") else sold_size(memory)
        if gpu_facts.memory_words(backend) == "VRAM" and sold:
            has = "%s is %s %s card (%s)" % (gpu["name"], article(sold), sold, format_mib(memory))
        elif gpu_facts.memory_words(backend) == "VRAM":
            has = "%s has %s%s" % (gpu["name"], "about " if gpu.get("vram_is_estimate") else "", format_gb(memory))
        else:
            has = "this Mac (%s) has %s of memory" % (gpu["name"], format_gb(memory))
        if memory < need:
            verdicts.append(model_verdict(family, "fail", "%s; %s." % (needs, has)))
        elif id(gpu) in problems:
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
            verdicts.append(model_verdict(family, problematic_values.get("status", "warn"), reason))
        else:
            verdicts.append(model_verdict(family, "pass", "%s; %s." % (needs, has)))
    return verdicts


def backend_minimums(family, rules):
    """[(backend name, size)] of a family, in the order of the rules' backends."""
    return [
        (backend["name"], family["min_memory"][backend["id"]])
        for backend in rules.get("backends") or []
        if backend["id"] in family["min_memory"]
    ]
