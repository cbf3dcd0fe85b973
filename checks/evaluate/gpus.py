"""Which GPUs Invoke can use, how much memory they offer, and which are problematic.

Shared by the GPU checks and the model verdicts.
"""
import re

from .prefix import could_match

# The vendors with a torch backend Invoke installs: CUDA, ROCm and Metal (MPS).
DEDICATED_VENDORS = ("nvidia", "amd", "apple")

PROBLEMATIC = "problematic"
NOT_PROBLEMATIC = "fine"
CANNOT_TELL = "cannot-tell"

_TRUNCATION_MARKS = ("...", "\u2026")
# Words that name the maker or the brand, not the model: a name cut after them says nothing.
_BRAND_WORDS = ("nvidia", "geforce")


def dedicated_gpus(facts):
    return [gpu for gpu in facts.get("gpus") or [] if gpu.get("vendor") in DEDICATED_VENDORS]


def vendors_without_driver(facts):
    """Vendors whose GPU is on the bus though no tool listed it (a missing or broken driver)."""
    listed = set(gpu.get("vendor") for gpu in facts.get("gpus") or [])
    hardware = facts.get("gpu_hardware") or {}
    return [vendor for vendor in ("nvidia", "amd") if hardware.get(vendor) and vendor not in listed]


VENDOR_NAMES = {"nvidia": "NVIDIA", "amd": "AMD"}

# Said of every GPU finding while nvidia-smi answers with an error.
DRIVER_FAILED = ("Unknown until the NVIDIA driver works: nvidia-smi answered with an error, "
                 "so which GPU this is and its memory can't be told (see the driver check).")


def nvidia_driver_failed(facts):
    """True when nvidia-smi answered with an error (or hung) and listed no GPU.

    A driver that answers with an error is installed: the GPUs are unknown, not absent.
    """
    smi = facts.get("nvidia_smi") or {}
    listed = any(gpu.get("vendor") == "nvidia" for gpu in facts.get("gpus") or [])
    return smi.get("status") in ("failed", "timeout") and not listed


def usable_vram(gpu, facts, apple_unified_share):
    """(bytes or None, is_estimate) for one GPU.

    Apple Silicon shares RAM with its GPU: the rules' share of RAM is an estimate.
    """
    if gpu.get("vendor") == "apple":
        ram = (facts.get("ram") or {}).get("total_bytes")
        if ram:
            return int(ram * apple_unified_share), True
    return gpu.get("vram_bytes"), bool(gpu.get("vram_is_estimate"))


def best_gpu(facts, apple_unified_share):
    """(gpu, vram bytes or None, is_estimate) of the dedicated GPU with the most memory.

    Of cards with the same memory, a whole one beats one split by MIG, whose
    slices have less. gpu is None when the machine has no dedicated GPU.
    """
    best = (None, None, False)
    for gpu in dedicated_gpus(facts):
        vram, estimate = usable_vram(gpu, facts, apple_unified_share)
        whole_instead_of_mig = best[0] is not None and vram == best[1] and best[0].get("mig") and not gpu.get("mig")
        if best[0] is None or (vram is not None and (best[1] is None or vram > best[1] or whole_instead_of_mig)):
            best = (gpu, vram, estimate)
    return best


def is_truncated(gpu):
    name = gpu.get("name") or ""
    return bool(gpu.get("name_truncated")) or name.rstrip().endswith(_TRUNCATION_MARKS)


def classify(gpu, problematic_values):
    """(verdict, series name or None, reason or None) for one NVIDIA GPU.

    verdict is PROBLEMATIC, NOT_PROBLEMATIC or CANNOT_TELL (a name cut off
    before its model number).
    """
    name = gpu.get("name") or ""
    for series in problematic_values["series"]:
        if re.search(series["pattern"], name, re.IGNORECASE):
            return PROBLEMATIC, series["name"], None
    same_flaw = problematic_values["same_flaw"]
    if gpu.get("compute_capability") in same_flaw["compute_capabilities"] or \
            re.search(same_flaw["pattern"], name, re.IGNORECASE):
        return PROBLEMATIC, same_flaw["name"], same_flaw["reason"]
    if is_truncated(gpu) and _completion_could_match(name, problematic_values):
        return CANNOT_TELL, None, None
    return NOT_PROBLEMATIC, None, None


def visible_part(name):
    """A cut name without its mark: "NVIDIA RTX PRO ..." -> "NVIDIA RTX PRO "."""
    name = name.rstrip()
    for mark in _TRUNCATION_MARKS:
        if name.endswith(mark):
            return name[:-len(mark)]
    return name


def _completion_could_match(name, problematic_values):
    """True when some way the cut name goes on could put it in a problematic series.

    A match must start in the visible part ("NVIDIA RTX PRO ..." can only go on
    as an RTX PRO); a name cut before its model ("NVIDIA GeForce ...") could be any.
    """
    visible = visible_part(name)
    if all(word.lower() in _BRAND_WORDS for word in visible.split()):
        return True
    patterns = [series["pattern"] for series in problematic_values["series"]]
    patterns.append(problematic_values["same_flaw"]["pattern"])
    return any(could_match(pattern, visible) for pattern in patterns)


def problematic_gpus(facts, problematic_values):
    """[(gpu, series name, reason)] for the NVIDIA GPUs of a problematic series."""
    found = []
    for gpu in facts.get("gpus") or []:
        if gpu.get("vendor") == "nvidia":
            verdict, series, reason = classify(gpu, problematic_values)
            if verdict == PROBLEMATIC:
                found.append((gpu, series, reason))
    return found
