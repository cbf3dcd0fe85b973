"""Read macOS tool outputs: sysctl values, sw_vers and system_profiler's display section."""
import re


def parse_sysctl_int(text):
    """`sysctl -n hw.memsize` (or any integer sysctl) -> int, or None."""
    if not isinstance(text, str):
        return None
    value = text.strip()
    return int(value) if value.isdigit() else None


def parse_sysctl_flag(text):
    """`sysctl -n hw.optional.arm64` / `sysctl.proc_translated` -> True, False, or None when absent."""
    value = parse_sysctl_int(text)
    return None if value is None else value == 1


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
        elif key == "Total Number of Cores" and value.isdigit():
            current["cores"] = int(value)
        elif key == "Vendor":
            current["vendor"] = re.sub(r"\s*\(0x[0-9a-fA-F]+\)$", "", value)
        elif key.startswith("VRAM"):
            current["vram_bytes"] = _vram(value)
    return gpus


def _vram(value):
    match = re.match(r"(\d+)\s*(MB|GB)", value)
    if not match:
        return None
    return int(match.group(1)) * (2 ** 20 if match.group(2) == "MB" else 2 ** 30)
