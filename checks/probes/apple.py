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
    # Unified memory: no VRAM of its own. The rules state a Mac's requirement
    # as its memory, which the evaluation reads from the ram section.
    facts["gpus"].append(new_gpu("apple", brand or "Apple Silicon", "sysctl"))
