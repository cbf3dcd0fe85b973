"""Apple Silicon's GPU: named from the chip; its memory is shared with the system."""

from ..facts import new_gpu
from .platform_info import ARM64, TIMEOUT

BRAND = ["sysctl", "-n", "machdep.cpu.brand_string"]


def start_apple(context):
    """On macOS, begin asking the chip's name (only read on Apple Silicon)."""
    if context.system == "Darwin":
        context.start(BRAND, timeout=TIMEOUT)


def probe_apple(facts, context):
    if context.system != "Darwin":
        return
    from ..parsers.macos import parse_sysctl_flag  # here: other systems never compile it

    apple_silicon = facts["os"]["apple_silicon"]
    if apple_silicon is None:
        apple_silicon = parse_sysctl_flag(context.run(ARM64, timeout=TIMEOUT)["stdout"])
    if not apple_silicon:
        return
    brand = context.run(BRAND, timeout=TIMEOUT)["stdout"].strip()
    # Unified memory: no VRAM of its own. The rules state a Mac's requirement
    # as its memory, which the evaluation reads from the ram section.
    facts["gpus"].append(new_gpu("apple", brand or "Apple Silicon", "sysctl"))


def facts_from_system_profiler(text):
    """Facts for a Mac known only by a saved or pasted system_profiler output.

    SPHardwareDataType gives the chip and the memory (on Apple Silicon the GPU's
    memory too: it is unified); SPDisplaysDataType the GPUs and, on Intel Macs,
    their VRAM. What the output cannot tell is unknown, with the command that would.
    """
    from ..facts import clean_facts, new_facts
    from ..parsers.macos import gpu_vendor, parse_system_profiler

    facts = new_facts("system-profiler")
    parsed = parse_system_profiler(text)
    unknown = facts["unknown"]
    hardware = parsed["hardware"]
    os_facts = facts["os"]
    os_facts["system"] = "Darwin"
    os_facts["apple_silicon"] = parsed["apple_silicon"]
    os_facts["machine"] = {True: "arm64", False: "x86_64"}.get(parsed["apple_silicon"])
    if parsed["apple_silicon"] is None:
        why = "This system_profiler output does not show the processor: run system_profiler SPHardwareDataType."
        unknown["os.apple_silicon"] = unknown["os.machine"] = why
    facts["ram"]["total_bytes"] = hardware["memory_bytes"]
    if hardware["memory_bytes"] is not None:
        facts["ram"]["source"] = "system_profiler SPHardwareDataType"
    else:
        unknown["ram.total_bytes"] = (
            "This system_profiler output does not show the memory: run system_profiler SPHardwareDataType."
        )
    if parsed["format"] in ("displays", "mixed"):
        for found in parsed["gpus"]:
            vendor = gpu_vendor(found)
            gpu = new_gpu(vendor, found["name"], "system_profiler")
            if vendor != "apple":  # Apple Silicon has no VRAM of its own: a Mac is judged by its memory
                gpu["vram_bytes"] = found["vram_bytes"]
            facts["gpus"].append(gpu)
        vendors = set(gpu["vendor"] for gpu in facts["gpus"])
        facts["gpu_hardware"] = {"nvidia": "nvidia" in vendors, "amd": "amd" in vendors}
    elif parsed["apple_silicon"]:
        # The GPU is part of the chip, and Apple Silicon takes no other GPU.
        facts["gpus"].append(new_gpu("apple", hardware["chip"], "system_profiler"))
        facts["gpu_hardware"] = {"nvidia": False, "amd": False}
    else:
        why = "This system_profiler output does not list the GPUs: run system_profiler SPDisplaysDataType."
        unknown["gpus"] = unknown["gpu_hardware.nvidia"] = unknown["gpu_hardware.amd"] = why
        unknown["nvidia_smi.status"] = why
    return clean_facts(facts)  # names come from pasted text: no control or bidi characters pass
