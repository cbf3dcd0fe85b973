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


_SIZE = re.compile(r"^([0-9]{1,12})\s*(MB|GB)\b")
_SIZE_UNITS = {"MB": 2**20, "GB": 2**30}
_MODEL_IDENTIFIER = re.compile(
    r"^(?:Mac|MacBook|MacBookAir|MacBookPro|Macmini|MacPro|iMac|iMacPro|Xserve)\d{1,3},\d{1,3}$"
)
_VENDOR_ID = re.compile(r"\((0x[0-9a-fA-F]{4})\)$")
_VENDOR_IDS = {"0x106b": "apple", "0x1002": "amd", "0x8086": "intel", "0x10de": "nvidia"}
_VENDOR_WORDS = (
    ("apple", "apple"),
    ("amd", "amd"),
    ("ati", "amd"),
    ("radeon", "amd"),
    ("intel", "intel"),
    ("nvidia", "nvidia"),
    ("geforce", "nvidia"),
)
_DISPLAY_KEYS = (
    "Graphics/Displays",
    "Type",
    "Bus",
    "Vendor",
    "Device ID",
    "Revision ID",
    "Metal",
    "Metal Support",
    "Metal Family",
    "Total Number of Cores",
    "PCIe Lane Width",
)
_HARDWARE_KEYS = (
    "Model Name",
    "Model Identifier",
    "Model Number",
    "Chip",
    "Processor Name",
    "Processor Speed",
    "Total Number of Cores",
    "Memory",
    "System Firmware Version",
    "Boot ROM Version",
    "OS Loader Version",
    "Serial Number (system)",
    "Hardware UUID",
    "Provisioning UDID",
    "Activation Lock Status",
    "Number of Processors",
    "L2 Cache (per Core)",
    "L3 Cache",
    "Hyper-Threading Technology",
)


def _key_lines(text):
    """[(indent, key, value)] of the "Key: value" lines system_profiler prints.

    Values are separated by ": " or, copied from the System Information app, by
    ":" and a tab. The last line of a text that stops inside it may be cut:
    its value is dropped (a name cut short would be a wrong name); its key stays.
    """
    if not isinstance(text, str):
        return []
    lines = text.splitlines()
    complete = text.endswith(("\n", "\r"))
    found = []
    for number, line in enumerate(lines):
        if len(line) > 1000:  # system_profiler's lines are short: a longer one is not its
            continue
        key, sep, value = line.strip().partition(":")
        if not sep or not key or len(key) > 60:
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        value = value.strip()
        if not complete and number == len(lines) - 1:
            value = ""
        found.append((indent, key.strip(), value))
    return found


def parse_displays(text, _lines=None):
    """`system_profiler SPDisplaysDataType` -> [{"name", "cores", "vram_bytes", "vendor"}].

    vendor is the Vendor line as printed ("AMD", "Intel"); see `gpu_vendor` for
    the checker's vendor id. Keys under a GPU's "Displays:" describe monitors.
    """
    gpus = []
    current = None
    in_displays = False
    for _, key, value in _key_lines(text) if _lines is None else _lines:
        if key == "Chipset Model":
            current = {"name": value or None, "cores": None, "vram_bytes": None, "vendor": None, "vendor_id": None}
            gpus.append(current)
            in_displays = False
        elif current is None or in_displays:
            continue
        elif key == "Displays":
            in_displays = True
        elif key == "Total Number of Cores":
            current["cores"] = whole_number(value)
        elif key == "Vendor":
            match = _VENDOR_ID.search(value)
            current["vendor"] = (value[: match.start()].strip() if match else value) or None
            current["vendor_id"] = match.group(1).lower() if match else None
        elif key.startswith("VRAM"):
            current["vram_bytes"] = _size(value)
    return [gpu for gpu in gpus if gpu["name"]]


def gpu_vendor(gpu):
    """The checker's vendor id ("apple", "amd", "intel", "nvidia", "other") of a parsed GPU."""
    if gpu.get("vendor_id") in _VENDOR_IDS:
        return _VENDOR_IDS[gpu["vendor_id"]]
    for text in (gpu.get("vendor"), gpu.get("name")):
        words = re.findall(r"[a-z]+", (text or "").lower())
        for word, vendor in _VENDOR_WORDS:
            if word in words:
                return vendor
    return "other"


def parse_hardware(text, _lines=None):
    """`system_profiler SPHardwareDataType` -> {"chip", "processor", "memory_bytes", "model_identifier"}.

    chip is Apple Silicon's "Chip:" line ("Apple M3"); Intel Macs print a
    "Processor Name:" instead. memory_bytes: the "Memory:" line, in the binary
    units macOS means ("16 GB" is 16 GiB, what hw.memsize reports).
    """
    found = {"chip": None, "processor": None, "memory_bytes": None, "model_identifier": None}
    for _, key, value in _key_lines(text) if _lines is None else _lines:
        if key == "Chip" and value:
            found["chip"] = value
        elif key == "Processor Name" and value:
            found["processor"] = value
        elif key == "Memory" and found["memory_bytes"] is None:
            found["memory_bytes"] = _size(value)
        elif key == "Model Identifier" and _MODEL_IDENTIFIER.match(value):
            found["model_identifier"] = value
    return found


def looks_like_system_profiler(text):
    """True when `text` is, by positive signs, a system_profiler display or hardware output."""
    return parse_system_profiler(text)["format"] != "unrecognized"


def parse_system_profiler(text):
    """SPDisplaysDataType and/or SPHardwareDataType, printed or copied from System Information.

    -> {"format": "displays" | "hardware" | "mixed" | "unrecognized", "gpus": [...],
        "hardware": {...}, "apple_silicon": bool | None, "reason": str | None}
    """
    try:
        return _system_profiler(text)
    except Exception as exc:  # a parser bug must not stop the check
        return {
            "format": "unrecognized",
            "gpus": [],
            "hardware": parse_hardware(None),
            "apple_silicon": None,
            "reason": "could not read the output (%s)" % type(exc).__name__,
        }


def _system_profiler(text):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    lines = _key_lines(text)
    keys = set(key for _, key, _ in lines)
    gpus = parse_displays(text, lines)
    hardware = parse_hardware(text, lines)
    # Positive signs only: a GPU's "Chipset Model" with its other keys; a Mac model
    # identifier, or a chip or processor with a memory size.
    shows_displays = bool(gpus) and bool(
        keys.intersection(_DISPLAY_KEYS) or any(key.startswith("VRAM") for key in keys)
    )
    memory = hardware["memory_bytes"] is not None
    shows_hardware = (
        bool(hardware["model_identifier"])
        or (memory and ((hardware["chip"] or "").startswith("Apple ") or hardware["processor"] is not None))
        or (memory and len(keys.intersection(_HARDWARE_KEYS)) >= 4)
    )
    if not shows_displays and not shows_hardware:
        return {
            "format": "unrecognized",
            "gpus": [],
            "hardware": hardware,
            "apple_silicon": None,
            "reason": "no 'Chipset Model:' (SPDisplaysDataType) or Hardware Overview (SPHardwareDataType) lines",
        }
    fmt = "mixed" if shows_displays and shows_hardware else ("displays" if shows_displays else "hardware")
    return {
        "format": fmt,
        "gpus": gpus if shows_displays else [],
        "hardware": hardware,
        "apple_silicon": _apple_silicon(gpus, hardware),
        "reason": None,
    }


def _apple_silicon(gpus, hardware):
    """True on Apple Silicon, False on an Intel Mac, None when the output cannot tell."""
    chip = hardware["chip"] or ""
    if chip.startswith("Apple "):
        return True
    if hardware["processor"]:
        return False
    vendors = [gpu_vendor(gpu) for gpu in gpus]
    if "apple" in vendors:
        return True
    # Apple Silicon always lists its own GPU: a list without one is an Intel Mac's.
    if vendors and "other" not in vendors:
        return False
    return None


def _size(value):
    match = _SIZE.match(value or "")
    number = whole_number(match.group(1)) if match else None
    if number is None:
        return None
    return plausible_bytes(number * _SIZE_UNITS[match.group(2)]) or None
