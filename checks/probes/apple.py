"""Apple Silicon's GPU: named from the chip; its memory is shared with the system."""
from ..facts import new_gpu
from ..parsers.macos import parse_sysctl_flag


def probe_apple(facts, context):
    if context.system != "Darwin":
        return
    apple_silicon = facts["os"]["apple_silicon"]
    if apple_silicon is None:
        apple_silicon = parse_sysctl_flag(context.run(["sysctl", "-n", "hw.optional.arm64"], timeout=5)["stdout"])
    if not apple_silicon:
        return
    brand = context.run(["sysctl", "-n", "machdep.cpu.brand_string"], timeout=5)["stdout"].strip()
    gpu = new_gpu("apple", brand or "Apple Silicon", "sysctl")
    # Unified memory: the evaluation estimates the usable share from RAM.
    gpu["vram_is_estimate"] = True
    facts["gpus"].append(gpu)
