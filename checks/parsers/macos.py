"""Read macOS tool outputs: sysctl values, sw_vers and system_profiler's display section."""
import re

from ..units import plausible_bytes, whole_number


def parse_sysctl_int(text):
    """`sysctl -n hw.memsize` (or any integer sysctl) -> int, or None."""
    return whole_number(text)


def parse_sysctl_flag(text):
    """`sysctl -n hw.optional.arm64` / `sysctl.proc_translated` -> True, False, or None when absent.

    Only 0 and 1 are flags: any other number is not read as "no".
    """
    value = parse_sysctl_int(text)
    return {0: False, 1: True}.get(value)


def parse_sw_vers(text):
    """sw_vers -> {"ProductName": ..., "ProductVersion": ..., "BuildVersion": ...}."""
    values = {}
    if isinstance(text, str):
        for line in text.splitlines():
            if ":" in line:
                key, value = line.split(":", 1)
                values[key.strip()] = value.strip()
    return values


def parse_displays(text):
    """`system_profiler SPDisplaysDataType` -> [{"name", "cores", "vram_bytes", "vendor"}]."""
    gpus = []
    if not isinstance(text, str):
        return gpus
    current = None
    for line in text.splitlines():
        key, _, value = line.strip().partition(":")
        value = value.strip()
        if key == "Chipset Model":
            current = {"name": value, "cores": None, "vram_bytes": None, "vendor": None}
            gpus.append(current)
        elif current is None:
            continue
        elif key == "Total Number of Cores":
            current["cores"] = whole_number(value)
        elif key == "Vendor":
            current["vendor"] = re.sub(r"\s*\(0x[0-9a-fA-F]+\)$", "", value)
        elif key.startswith("VRAM"):
            current["vram_bytes"] = _vram(value)
    return gpus


def _vram(value):
    match = re.match(r"([0-9]+)\s*(MB|GB)\b", value)
    number = whole_number(match.group(1)) if match else None
    if number is None:
        return None
    return plausible_bytes(number * (2 ** 20 if match.group(2) == "MB" else 2 ** 30))
