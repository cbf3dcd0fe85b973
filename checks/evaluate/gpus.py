"""Which GPUs Invoke can use, how much memory they offer, and which are problematic.

Shared by the GPU checks and the model verdicts.
"""

import re

from ..units import parse_size
from .prefix import could_match
from .software_checks import os_key

# The vendors with a torch backend Invoke installs: CUDA, ROCm and Metal (MPS).
DEDICATED_VENDORS = ("nvidia", "amd", "apple")

PROBLEMATIC = "problematic"
NOT_PROBLEMATIC = "fine"
CANNOT_TELL = "cannot-tell"

_TRUNCATION_MARKS = ("...", "\u2026")
# Words that name the maker or the brand, not the model: a name cut after them says nothing.
_BRAND_WORDS = ("nvidia", "geforce")


def dedicated_gpus(facts, rules=None):
    """The GPUs of a vendor with a torch backend: the rules' backends' vendors (DEDICATED_VENDORS without rules)."""
    vendors = [backend["vendor"] for backend in (rules or {}).get("backends") or []] or DEDICATED_VENDORS
    return [gpu for gpu in facts.get("gpus") or [] if gpu.get("vendor") in vendors]


def vendors_without_driver(facts):
    """Vendors whose GPU is on the bus though no tool listed it (a missing or broken driver)."""
    listed = set(gpu.get("vendor") for gpu in facts.get("gpus") or [])
    hardware = facts.get("gpu_hardware") or {}
    return [vendor for vendor in ("nvidia", "amd") if hardware.get(vendor) and vendor not in listed]


VENDOR_NAMES = {"nvidia": "NVIDIA", "amd": "AMD"}

# Said of every GPU finding while nvidia-smi answers with an error.
DRIVER_FAILED = (
    "Unknown until the NVIDIA driver works: nvidia-smi answered with an error, "
    "so which GPU this is and its memory can't be told (see the driver check)."
)


def nvidia_driver_failed(facts):
    """True when nvidia-smi answered with an error (or hung) and listed no GPU.

    A driver that answers with an error is installed: the GPUs are unknown, not absent.
    """
    smi = facts.get("nvidia_smi") or {}
    listed = any(gpu.get("vendor") == "nvidia" for gpu in facts.get("gpus") or [])
    return smi.get("status") in ("failed", "timeout") and not listed


def backend_for(gpu, rules):
    """The rules' backend (cuda, rocm, mps...) whose vendor made `gpu`, or None."""
    for backend in rules.get("backends") or []:
        if backend["vendor"] == gpu.get("vendor"):
            return backend
    return None


def runs_here(backend, facts):
    """True, False, or None when the OS is unknown: does `backend` run on this machine's OS?"""
    key = os_key(facts)
    if key is None:
        return None
    return key in backend["systems"]


def gpu_memory(gpu, facts, backend):
    """Bytes of memory the rules' minimum for `backend` is compared with, or None.

    A backend whose GPU has no memory of its own (Apple Silicon: unified
    memory) is judged by the machine's memory, as the page states it.
    """
    if backend is not None and backend["memory"] != "VRAM":
        return (facts.get("ram") or {}).get("total_bytes")
    return gpu.get("vram_bytes")


def family_minimum(family, backend):
    """The size text `family` needs on `backend` ("8 GB"), or None when the rules state none.

    A backend with `min_memory_from` ("the same VRAM as Nvidia") shares the
    other backend's minimum where the family states none of its own.
    """
    if backend is None:
        return None
    minimums = family.get("min_memory") or {}
    size = minimums.get(backend["id"])
    if size is None and backend.get("min_memory_from"):
        size = minimums.get(backend["min_memory_from"])
    return size


def family_need(family, backend):
    """The bytes `family` needs on `backend` (None when the rules state none)."""
    size = family_minimum(family, backend)
    return parse_size(size) if size else None


def recommended_need(family, backend):
    """The bytes `backend` recommends for `family`, where every family runs there (None otherwise).

    A backend with `recommended_memory` ("All Apple Silicon Macs work, but 16GB+
    is recommended") runs every family that states no minimum for it.
    """
    if backend is None or not backend.get("recommended_memory") or family_minimum(family, backend):
        return None
    return parse_size(backend["recommended_memory"])


def shared_from(backend, rules):
    """The backend whose minimums `backend` shares (min_memory_from), or None."""
    source = (backend or {}).get("min_memory_from")
    for other in (rules or {}).get("backends") or []:
        if source and other["id"] == source:
            return other
    return None


def runs_everywhere_words(backend):
    """ "every Mac with Apple Silicon": where a backend with a recommended memory runs every family."""
    if backend.get("requires"):
        return "every %s with %s" % (backend["name"], backend["requires"])
    return "every %s GPU" % backend["name"]


def candidates(facts, rules):
    """[(gpu, backend, memory bytes or None)] for each dedicated GPU, the best first.

    Best: a backend that runs on this OS, then the most model families held,
    then the most memory; of cards with the same memory, a whole one beats
    one split by MIG, whose slices have less.
    """
    found = []
    for order, gpu in enumerate(dedicated_gpus(facts, rules)):
        backend = backend_for(gpu, rules)
        memory = gpu_memory(gpu, facts, backend)
        held = 0
        if memory is not None and backend is not None:
            held = sum(1 for family in rules["model_families"] if holds(family, backend, memory))
        key = (
            runs_here(backend, facts) is not False if backend else False,
            memory is not None,
            held,
            memory or 0,
            not gpu.get("mig"),
            -order,
        )
        found.append((key, (gpu, backend, memory)))
    found.sort(key=lambda item: item[0], reverse=True)
    return [item[1] for item in found]


def holds(family, backend, memory):
    """True when `memory` bytes on `backend` meet `family`'s minimum (or the backend runs every family)."""
    need = family_need(family, backend)
    if need is not None:
        return memory >= need
    return recommended_need(family, backend) is not None


def best_gpu(facts, rules):
    """(gpu, backend, memory bytes or None) of the best dedicated GPU; (None, None, None) without one."""
    found = candidates(facts, rules)
    return found[0] if found else (None, None, None)


def memory_words(backend):
    """How the page names what the minimum measures: "VRAM", or "memory" for unified memory."""
    if backend is None or backend["memory"] == "VRAM":
        return "VRAM"
    return "memory"


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
    if gpu.get("compute_capability") in same_flaw["compute_capabilities"] or re.search(
        same_flaw["pattern"], name, re.IGNORECASE
    ):
        return PROBLEMATIC, same_flaw["name"], same_flaw["reason"]
    if is_truncated(gpu) and _completion_could_match(name, problematic_values):
        return CANNOT_TELL, None, None
    return NOT_PROBLEMATIC, None, None


def visible_part(name):
    """A cut name without its mark: "NVIDIA RTX PRO ..." -> "NVIDIA RTX PRO "."""
    name = name.rstrip()
    for mark in _TRUNCATION_MARKS:
        if name.endswith(mark):
            return name[: -len(mark)]
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
    """[(gpu, series name, reason)] for the NVIDIA GPUs of a problematic series.

    Empty when the rules have no problematic-GPU rule (a release that lists none).
    """
    found = []
    if not problematic_values:
        return found
    for gpu in facts.get("gpus") or []:
        if gpu.get("vendor") == "nvidia":
            verdict, series, reason = classify(gpu, problematic_values)
            if verdict == PROBLEMATIC:
                found.append((gpu, series, reason))
    return found
