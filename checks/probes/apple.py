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
    from ..parsers.macos import parse_sysctl_flag   # here: other systems never compile it
    apple_silicon = facts["os"]["apple_silicon"]
    if apple_silicon is None:
        apple_silicon = parse_sysctl_flag(context.run(ARM64, timeout=TIMEOUT)["stdout"])
    if not apple_silicon:
        return
    brand = context.run(BRAND, timeout=TIMEOUT)["stdout"].strip()
    # Unified memory: no VRAM of its own. The rules state a Mac's requirement
    # as its memory, which the evaluation reads from the ram section.
    facts["gpus"].append(new_gpu("apple", brand or "Apple Silicon", "sysctl"))
