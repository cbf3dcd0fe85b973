"""One verdict per model family in the rules: can this machine run it on its GPU?"""
from ..units import format_gb, parse_size
from . import gpus as gpu_facts
from .gpu_checks import gpus_not_known


def model_verdict(family, status, reason):
    return {"id": family["id"], "name": family["name"], "status": status, "reason": reason}


def model_verdicts(check_vram, problematic_values):
    """The verdicts for every family, given the gpu.vram rule's Check."""
    facts = check_vram.facts
    share = check_vram.values["apple_unified_share"]
    gpu, vram, estimate = gpu_facts.best_gpu(facts, share)
    problems = dict((id(found), series) for found, series, _ in gpu_facts.problematic_gpus(facts, problematic_values))
    verdicts = []
    for family in check_vram.rules["model_families"]:
        need = parse_size(family["min_vram"])
        needs = "%s needs %s VRAM" % (family["name"], family["min_vram"])
        if gpu is None and gpu_facts.vendors_without_driver(facts):
            verdicts.append(model_verdict(family, "unknown", "%s; the GPU's driver does not answer, so its VRAM "
                                                             "is unknown." % needs))
            continue
        if gpu is None:
            if gpus_not_known(check_vram):
                verdicts.append(model_verdict(family, "unknown", "%s; %s" % (needs, check_vram.why_unknown("gpus"))))
            else:
                verdicts.append(model_verdict(family, "warn", "Runs on the CPU, much slower."))
            continue
        if vram is None:
            verdicts.append(model_verdict(family, "unknown", "%s; %s's VRAM is unknown." % (needs, gpu["name"])))
            continue
        has = "%s has %s%s" % (gpu["name"], "about " if estimate else "", format_gb(vram))
        if vram < need:
            verdicts.append(model_verdict(family, "fail", "%s; %s." % (needs, has)))
        elif id(gpu) in problems:
            # The same reason as the VRAM and problematic-GPU findings: full precision needs more VRAM.
            full = need * problematic_values.get("full_precision_factor", 1)
            if vram < full:
                reason = "%s at full precision, the only way the %s runs it; %s." % (
                    "%s needs %s VRAM" % (family["name"], format_gb(full)), problems[id(gpu)], has)
            else:
                reason = "%s needs %s VRAM at full precision, the only way the %s runs it; %s, but it is slower." % (
                    family["name"], format_gb(full), problems[id(gpu)], has)
            verdicts.append(model_verdict(family, problematic_values.get("status", "warn"), reason))
        else:
            verdicts.append(model_verdict(family, "pass", "%s; %s." % (needs, has)))
    return verdicts
